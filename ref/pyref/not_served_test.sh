#!/bin/sh
# pyref refuses a version a command does not serve: exit status 2, one line
# on stderr, nothing on stdout and nothing read; a served one answers.
set -u
pyref=$1
fail=0
check_refused() {
  out=$(echo 1 | "$pyref" "$@" 2>"${TEST_TMPDIR:-/tmp}/not_served_err")
  status=$?
  if [ "$status" != 2 ] || [ -n "$out" ] || [ "$(wc -l <"${TEST_TMPDIR:-/tmp}/not_served_err")" != 1 ]; then
    echo "FAIL: pyref $* gave status $status, stdout '$out'" >&2
    fail=1
  fi
  rm -f "${TEST_TMPDIR:-/tmp}/not_served_err"
}
check_refused newton --python=3.6
check_refused newton --python=3.12
check_refused sympy --python=3.10
check_refused serve echo --port 1 --python=3.12
check_refused embed --python=3.13
answer=$(echo 1.5 | "$pyref" repr --python=3.6)
if [ "$answer" != 1.5 ]; then
  echo "FAIL: pyref repr --python=3.6 answered '$answer'" >&2
  fail=1
fi
exit $fail
