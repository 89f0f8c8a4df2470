/*
 * The floats note's benchmark, on 10^6 pseudo-random doubles (splitmix64,
 * seed 42, the same values tools/benchmarks/peers.py gives CPython):
 *
 *   repr/random       ns per double: pn_float_repr; C peers: fmt's compiled
 *                     "{}" (Dragonbox), double-conversion's ToShortest and
 *                     snprintf("%.17g")
 *   read/random       ns per value, reading each double's repr:
 *                     pn_float_from_string; C peers: fast_float,
 *                     double-conversion and glibc's strtod
 *   fsum/narrow       ns per element, values in (-1, 1): pn_fsum;
 *                     C peer: a plain `total += x` loop (a floor)
 *   fsum/wide         the same with exponents spread over 2^-300..2^300
 *
 * Prints `NAME IMPL NS` lines (IMPL pyref or c:PEER) with the median of the
 * rounds, every implementation measured once per round. tools/bench adds
 * CPython's figures. Before timing, every reader's value of every text is
 * checked against pyref's.
 *
 *   floats_bench [ROUNDS]
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tools/benchmarks/bench_clock.h"

#include "ref/floats/float_literal.h"
#include "ref/floats/float_repr.h"
#include "ref/floats/fsum.h"
#include "tools/benchmarks/floats_peers.h"

#define COUNT 1000000
#define MAX_ROUNDS 64

static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* Keeps results alive so the compiler cannot drop the work. */
static volatile double g_sink;

/* The loops timed: each over count inputs, returning a value made from all
 * the results (floats_peers.h holds the C++ libraries' loops). */
typedef unsigned repr_loop(const double *values, int count);
typedef double read_loop(char *const *texts, const size_t *lengths, int count);
typedef double sum_loop(const double *values, int count);

static unsigned pyref_repr(const double *values, int count) {
  char text[PN_FLOAT_REPR_MAX];
  unsigned total = 0;
  for (int i = 0; i < count; i++) {
    total += (unsigned)pn_float_repr(values[i], text) + (unsigned char)text[0];
  }
  return total;
}

static unsigned snprintf_repr(const double *values, int count) {
  char text[32];
  unsigned total = 0;
  for (int i = 0; i < count; i++) {
    total += (unsigned)snprintf(text, sizeof text, "%.17g", values[i]) + (unsigned char)text[0];
  }
  return total;
}

static double pyref_read(char *const *texts, const size_t *lengths, int count) {
  double total = 0, x = 0;
  for (int i = 0; i < count; i++) {
    pn_float_from_string(texts[i], lengths[i], &x);
    total += x;
  }
  return total;
}

static double strtod_read(char *const *texts, const size_t *lengths, int count) {
  (void)lengths;
  double total = 0;
  for (int i = 0; i < count; i++) {
    total += strtod(texts[i], NULL);
  }
  return total;
}

static double pyref_fsum(const double *values, int count) {
  double total = 0;
  pn_fsum(values, (size_t)count, &total);
  return total;
}

static double plain_sum(const double *values, int count) {
  double total = 0;
  for (int i = 0; i < count; i++) {
    total += values[i];
  }
  return total;
}

/* ns per value of one run of each kind of loop over the COUNT inputs. */
static double time_repr(repr_loop *loop, const double *values) {
  double start = pn_bench_now_ns();
  unsigned total = loop(values, COUNT);
  double elapsed = pn_bench_now_ns() - start;
  g_sink += total;
  return elapsed / COUNT;
}

static double time_read(read_loop *loop, char *const *texts, const size_t *lengths) {
  double start = pn_bench_now_ns();
  double total = loop(texts, lengths, COUNT);
  double elapsed = pn_bench_now_ns() - start;
  g_sink += total;
  return elapsed / COUNT;
}

static double time_sum(sum_loop *loop, const double *values) {
  double start = pn_bench_now_ns();
  double total = loop(values, COUNT);
  double elapsed = pn_bench_now_ns() - start;
  g_sink += total;
  return elapsed / COUNT;
}

/* Whether pyref's reader, fast_float and strtod give values[i]'s bits back
 * for every texts[i] (a benchmark of readers that disagree means nothing). */
static int readers_agree(const double *values, char **texts, const size_t *lengths) {
  for (int i = 0; i < COUNT; i++) {
    double ours = 0, fast = pn_peer_fast_float_value(texts[i], lengths[i]);
    double libc = strtod(texts[i], NULL);
    pn_float_from_string(texts[i], lengths[i], &ours);
    if (memcmp(&ours, &values[i], sizeof ours) != 0 ||
        memcmp(&fast, &values[i], sizeof fast) != 0 ||
        memcmp(&libc, &values[i], sizeof libc) != 0) {
      fprintf(stderr, "floats_bench: '%s' read as %a (pyref), %a (fast_float), %a (strtod)\n",
              texts[i], ours, fast, libc);
      return 0;
    }
  }
  return 1;
}

/* Prints name's median for each of impls[0..count) (rounds each). */
static void report(const char *name, const char *const *impls, double (*times)[MAX_ROUNDS],
                   int count, int rounds) {
  for (int i = 0; i < count; i++) {
    printf("%s %s %.2f\n", name, impls[i], pn_bench_median(times[i], rounds));
  }
  fflush(stdout);
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 7;
  if (rounds < 1 || rounds > MAX_ROUNDS) {
    fprintf(stderr, "usage: floats_bench [ROUNDS 1..%d]\n", MAX_ROUNDS);
    return 2;
  }
  double *randoms = malloc(COUNT * sizeof *randoms);
  double *narrow = malloc(COUNT * sizeof *narrow);
  double *wide = malloc(COUNT * sizeof *wide);
  char **texts = malloc(COUNT * sizeof *texts);
  size_t *lengths = malloc(COUNT * sizeof *lengths);
  if (randoms == NULL || narrow == NULL || wide == NULL || texts == NULL || lengths == NULL) {
    fprintf(stderr, "floats_bench: out of memory\n");
    return 1;
  }
  /* The same sequence as peers.py: finite bit patterns, then the spreads. */
  uint64_t state = 42;
  for (int i = 0; i < COUNT;) {
    uint64_t bits = splitmix64(&state);
    double x;
    memcpy(&x, &bits, sizeof x);
    if (isfinite(x)) {
      randoms[i++] = x;
    }
  }
  for (int i = 0; i < COUNT; i++) {
    uint64_t r = splitmix64(&state);
    double unit = (double)(r >> 11) * 0x1p-53; /* [0, 1) */
    narrow[i] = (r & 1) ? -unit : unit;
    wide[i] = ldexp(narrow[i], (int)(splitmix64(&state) % 601) - 300);
  }
  for (int i = 0; i < COUNT; i++) {
    char text[PN_FLOAT_REPR_MAX];
    lengths[i] = (size_t)pn_float_repr(randoms[i], text);
    texts[i] = strdup(text);
  }
  if (!readers_agree(randoms, texts, lengths)) {
    return 1;
  }
  double times[4][MAX_ROUNDS];
  static const char *const kReprImpls[] = {"pyref", "c:fmt", "c:double-conversion", "c:snprintf"};
  repr_loop *const repr_loops[] = {pyref_repr, pn_peer_fmt_repr, pn_peer_double_conversion_repr,
                                   snprintf_repr};
  for (int r = 0; r < rounds; r++) {
    for (int i = 0; i < 4; i++) {
      times[i][r] = time_repr(repr_loops[i], randoms);
    }
  }
  report("repr/random", kReprImpls, times, 4, rounds);
  static const char *const kReadImpls[] = {"pyref", "c:fast_float", "c:double-conversion",
                                           "c:strtod"};
  read_loop *const read_loops[] = {pyref_read, pn_peer_fast_float_read,
                                   pn_peer_double_conversion_read, strtod_read};
  for (int r = 0; r < rounds; r++) {
    for (int i = 0; i < 4; i++) {
      times[i][r] = time_read(read_loops[i], texts, lengths);
    }
  }
  report("read/random", kReadImpls, times, 4, rounds);
  const double *spreads[2] = {narrow, wide};
  const char *names[2] = {"fsum/narrow", "fsum/wide"};
  static const char *const kSumImpls[] = {"pyref", "c:plain-loop"};
  sum_loop *const sum_loops[] = {pyref_fsum, plain_sum};
  for (int s = 0; s < 2; s++) {
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < 2; i++) {
        times[i][r] = time_sum(sum_loops[i], spreads[s]);
      }
    }
    report(names[s], kSumImpls, times, 2, rounds);
  }
  for (int i = 0; i < COUNT; i++) {
    free(texts[i]);
  }
  free(texts);
  free(lengths);
  free(wide);
  free(narrow);
  free(randoms);
  return 0;
}
