/*
 * The sympy note's benchmark: pyref's session beside sympy (peers.py, with
 * sympy's cache cleared before every round) and GiNaC (the floor,
 * sympy_ginac_floor.cc, started from this binary's runfiles):
 *
 *   expand/N10    ns for p = expand((x + y + z + w)**10)
 *   expand/N20    the same for **20 (1,771 terms)
 *   expand/N30    the same for **30 (5,456 terms)
 *   subs/1000     ns for q = p.subs(x, 2) on p = expand((x + y + 1)**44), a
 *                 polynomial of 1,035 terms
 *   sympify/10KB  ns for r = sympify(TEXT), TEXT a 10 KB sum of products
 *
 * Every round starts a new session (pyref keeps no cache between lines
 * anyway) and times one line, its setup excluded. Prints `NAME IMPL NS`
 * lines (IMPL pyref or c:GiNaC), the median of the rounds.
 *
 *   sympy_bench [ROUNDS]
 */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/protocol/strbuf.h"
#include "ref/sympy/session.h"
#include "tools/benchmarks/bench_clock.h"
#include "tools/benchmarks/sympy_texts.h"

#define MAX_ROUNDS 64

/* Runs one line in s; exits with a message if it answered anything (an
 * assignment echoes nothing, so any answer is an error). */
static void run_line(sy_session *s, const char *line) {
  pn_strbuf out = {0};
  if (sy_session_run(s, line, strlen(line), &out) != 0 || out.len != 0) {
    fprintf(stderr, "sympy_bench: %.80s... answered %s\n", line, out.data ? out.data : "(oom)");
    exit(1);
  }
  pn_strbuf_free(&out);
}

/* The median over rounds of the time of `timed` after `setup` lines. */
static double measure(const char *const *setup, size_t nsetup, const char *timed, int rounds) {
  double times[MAX_ROUNDS];
  for (int r = 0; r < rounds; r++) {
    sy_session *s = sy_session_new();
    if (s == NULL) {
      exit(1);
    }
    for (size_t i = 0; i < nsetup; i++) {
      run_line(s, setup[i]);
    }
    double start = pn_bench_now_ns();
    run_line(s, timed);
    times[r] = pn_bench_now_ns() - start;
    sy_session_free(s);
  }
  return pn_bench_median(times, rounds);
}

/* The floor's lines, from the GiNaC program beside this binary. */
static void run_floor(const char *argv0, int rounds) {
  char path[PATH_MAX], command[PATH_MAX + 32];
  const char *dir = getenv("RUNFILES_DIR");
  if (dir != NULL) {
    snprintf(path, sizeof path, "%s/pynotes/tools/benchmarks/sympy_ginac_floor", dir);
  } else {
    snprintf(path, sizeof path, "%s.runfiles/pynotes/tools/benchmarks/sympy_ginac_floor", argv0);
  }
  snprintf(command, sizeof command, "'%s' %d", path, rounds);
  FILE *floor = popen(command, "r");
  char line[256];
  while (floor != NULL && fgets(line, sizeof line, floor) != NULL) {
    fputs(line, stdout);
  }
  if (floor == NULL || pclose(floor) != 0) {
    fprintf(stderr, "sympy_bench: the GiNaC floor did not run (%s)\n", path);
    exit(1);
  }
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 7;
  if (rounds < 1 || rounds > MAX_ROUNDS) {
    fprintf(stderr, "usage: sympy_bench [ROUNDS 1..%d]\n", MAX_ROUNDS);
    return 2;
  }
  const char *symbols[] = {"from sympy import *", "x, y, z, w = symbols('x y z w')"};
  printf("expand/N10 pyref %.0f\n", measure(symbols, 2, "p = expand((x + y + z + w)**10)", rounds));
  printf("expand/N20 pyref %.0f\n", measure(symbols, 2, "p = expand((x + y + z + w)**20)", rounds));
  printf("expand/N30 pyref %.0f\n", measure(symbols, 2, "p = expand((x + y + z + w)**30)", rounds));
  char *text = pn_sympy_bench_text10k("**");
  size_t text_len = text == NULL ? 0 : strlen(text);
  char *text_line = malloc(text_len + 32);
  if (text == NULL || text_line == NULL) {
    return 1;
  }
  snprintf(text_line, text_len + 32, "r = sympify('%s')", text);
  const char *with_poly[] = {symbols[0], symbols[1], "p = expand((x + y + 1)**44)"};
  printf("subs/1000 pyref %.0f\n", measure(with_poly, 3, "q = p.subs(x, 2)", rounds));
  printf("sympify/10KB pyref %.0f\n", measure(symbols, 2, text_line, rounds));
  fflush(stdout);
  free(text);
  free(text_line);
  run_floor(argv[0], rounds);
  return 0;
}
