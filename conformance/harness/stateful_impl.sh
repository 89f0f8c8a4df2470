#!/bin/sh
# A session implementation for session_replay_test: it keeps state between
# lines, and can be told to hang, so the harness's replay of a lost session
# is seen to rebuild that state. Lines:
#   set NAME VALUE      remembers VALUE (answers an empty line)
#   get NAME            the value, or NameError: name 'NAME' is not defined
#   hang-once MARK      hangs the first time MARK is seen (in this run), then answers done
#   hang-after-once MARK  answers done the first time, hangs every time after
# The marks are files in the folder given as the first argument; the
# protocol's COMMAND and --python arguments follow and are ignored.
marks=$1
while IFS= read -r line; do
  set -- $line
  case $1 in
    set) eval "value_$2=\$3"; echo ;;
    get) eval "known=\${value_$2+yes}"
         if [ "$known" = yes ]; then eval "echo \"\$value_$2\""
         else echo "NameError: name '$2' is not defined"; fi ;;
    hang-once) if [ -e "$marks/$2" ]; then echo done; else : > "$marks/$2"; exec sleep 1000; fi ;;
    hang-after-once) if [ -e "$marks/$2" ]; then exec sleep 1000; else : > "$marks/$2"; echo done; fi ;;
    *) echo "SyntaxError: invalid syntax" ;;
  esac
done
