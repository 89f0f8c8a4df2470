/*
 * The floats note's benchmark, on 10^6 pseudo-random doubles (splitmix64,
 * seed 42, the same values tools/benchmarks/peers.py gives CPython):
 *
 *   repr/random       ns per double: pn_float_repr; floor: snprintf("%.17g")
 *   read/random       ns per value, reading each double's repr:
 *                     pn_float_from_string; floor: strtod
 *   fsum/narrow       ns per element, values in (-1, 1): pn_fsum;
 *                     floor: a plain `total += x` loop
 *   fsum/wide         the same with exponents spread over 2^-300..2^300
 *
 * Prints `NAME IMPL NS` lines (IMPL pyref or floor) with the median of the
 * rounds, measured interleaved. tools/bench adds CPython's figures.
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

static double time_repr(const double *values) {
  char text[PN_FLOAT_REPR_MAX];
  unsigned total = 0;
  double start = pn_bench_now_ns();
  for (int i = 0; i < COUNT; i++) {
    total += (unsigned)pn_float_repr(values[i], text) + (unsigned char)text[0];
  }
  double elapsed = pn_bench_now_ns() - start;
  g_sink += total;
  return elapsed / COUNT;
}

static double time_snprintf(const double *values) {
  char text[32];
  unsigned total = 0;
  double start = pn_bench_now_ns();
  for (int i = 0; i < COUNT; i++) {
    total += (unsigned)snprintf(text, sizeof text, "%.17g", values[i]) + (unsigned char)text[0];
  }
  double elapsed = pn_bench_now_ns() - start;
  g_sink += total;
  return elapsed / COUNT;
}

static double time_read(char **texts, const size_t *lengths) {
  double total = 0, x = 0;
  double start = pn_bench_now_ns();
  for (int i = 0; i < COUNT; i++) {
    pn_float_from_string(texts[i], lengths[i], &x);
    total += x;
  }
  double elapsed = pn_bench_now_ns() - start;
  g_sink += total;
  return elapsed / COUNT;
}

static double time_strtod(char **texts) {
  double total = 0;
  double start = pn_bench_now_ns();
  for (int i = 0; i < COUNT; i++) {
    total += strtod(texts[i], NULL);
  }
  double elapsed = pn_bench_now_ns() - start;
  g_sink += total;
  return elapsed / COUNT;
}

static double time_fsum(const double *values) {
  double total = 0;
  double start = pn_bench_now_ns();
  pn_fsum(values, COUNT, &total);
  double elapsed = pn_bench_now_ns() - start;
  g_sink += total;
  return elapsed / COUNT;
}

static double time_plain_sum(const double *values) {
  double total = 0;
  double start = pn_bench_now_ns();
  for (int i = 0; i < COUNT; i++) {
    total += values[i];
  }
  double elapsed = pn_bench_now_ns() - start;
  g_sink += total;
  return elapsed / COUNT;
}

static void report(const char *name, double *pyref, double *floor, int rounds) {
  printf("%s pyref %.2f\n", name, pn_bench_median(pyref, rounds));
  printf("%s floor %.2f\n", name, pn_bench_median(floor, rounds));
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
  double pyref[MAX_ROUNDS], floor[MAX_ROUNDS];
  for (int r = 0; r < rounds; r++) {
    pyref[r] = time_repr(randoms);
    floor[r] = time_snprintf(randoms);
  }
  report("repr/random", pyref, floor, rounds);
  for (int r = 0; r < rounds; r++) {
    pyref[r] = time_read(texts, lengths);
    floor[r] = time_strtod(texts);
  }
  report("read/random", pyref, floor, rounds);
  const double *spreads[2] = {narrow, wide};
  const char *names[2] = {"fsum/narrow", "fsum/wide"};
  for (int s = 0; s < 2; s++) {
    for (int r = 0; r < rounds; r++) {
      pyref[r] = time_fsum(spreads[s]);
      floor[r] = time_plain_sum(spreads[s]);
    }
    report(names[s], pyref, floor, rounds);
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
