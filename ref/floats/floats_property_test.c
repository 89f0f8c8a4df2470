/*
 * Properties of the floats note's C reference beyond the goldens, checked
 * against MPFR (exact arithmetic) on seeded pseudo-random inputs:
 *
 * - repr: for 10^6 random doubles, the digits read back to the same double,
 *   no string with one digit fewer does, and they are the closest digits of
 *   their length (so: CPython's shortest-then-closest repr); and they agree
 *   with the printf-and-retry oracle on a subset.
 * - the literal reader: decimal strings of random doubles and random digit
 *   strings read as MPFR's correctly rounded value.
 * - fsum: equals MPFR's correctly rounded mpfr_sum on random lists of mixed
 *   magnitudes, and the fast path equals CPython's partials algorithm.
 *
 * The generator is splitmix64 with the fixed seeds below, so a failure
 * reproduces; each test prints its first few failures.
 */
#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/shim/ctest.h"
#include "ref/floats/float_literal.h"
#include "ref/floats/float_repr.h"
#include "ref/floats/fsum.h"
#include "ref/floats/printf_shortest.h"
#include "ref/floats/splitmix64.h"

#define REPR_SAMPLES 1000000
#define MAX_REPORTED 5

static double from_bits(uint64_t bits) {
  double x;
  memcpy(&x, &bits, sizeof x);
  return x;
}

static int same_bits(double a, double b) {
  return memcmp(&a, &b, sizeof a) == 0;
}

/* A random finite positive double, every bit pattern equally likely. */
static double random_positive_double(uint64_t *state) {
  for (;;) {
    double x = from_bits(pn_splitmix64(state) >> 1);
    if (isfinite(x) && x != 0) {
      return x;
    }
  }
}

/* MPFR in IEEE binary64's exponent range, subnormals included (mpfr_subnormalize);
 * restores MPFR's defaults after. */
typedef struct binary64_range {
  mpfr_exp_t emin, emax;
} binary64_range;

static binary64_range enter_binary64(void) {
  binary64_range saved = {mpfr_get_emin(), mpfr_get_emax()};
  mpfr_set_emin(-1073);
  mpfr_set_emax(1024);
  return saved;
}

static void leave_binary64(binary64_range saved) {
  mpfr_set_emin(saved.emin);
  mpfr_set_emax(saved.emax);
}

/* The double nearest to decimal text (within enter_binary64). */
static double mpfr_read(mpfr_t scratch, const char *text) {
  int inexact = mpfr_strtofr(scratch, text, NULL, 10, MPFR_RNDN);
  inexact = mpfr_subnormalize(scratch, inexact, MPFR_RNDN);
  (void)inexact;
  return mpfr_get_d(scratch, MPFR_RNDN);
}

/* MPFR's n significant digits of x rounded in direction rnd, as
 * "0.DIGITSeEXP" text that mpfr_strtofr reads back. */
static void mpfr_digits(char *out, size_t size, mpfr_t x, size_t n, mpfr_rnd_t rnd) {
  mpfr_exp_t exponent;
  char *digits = mpfr_get_str(NULL, &exponent, 10, n, x, rnd);
  snprintf(out, size, "0.%se%ld", digits, (long)exponent);
  mpfr_free_str(digits);
}

/* Whether two decimal texts denote the same number. */
static int same_decimal(const char *a_text, const char *b_text) {
  mpfr_t a, b;
  mpfr_inits2(80, a, b, (mpfr_ptr)0);
  mpfr_strtofr(a, a_text, NULL, 10, MPFR_RNDN);
  mpfr_strtofr(b, b_text, NULL, 10, MPFR_RNDN);
  int same = mpfr_equal_p(a, b);
  mpfr_clears(a, b, (mpfr_ptr)0);
  return same;
}

/* Checks repr's digits of x; returns whether they are right. */
static int check_shortest(double x, mpfr_t exact, mpfr_t scratch) {
  char digits[18], text[64], expected[64];
  int decpt;
  int n = pn_shortest_digits(x, digits, &decpt);
  mpfr_set_d(exact, x, MPFR_RNDN); /* exact: 53 bits */
  snprintf(text, sizeof text, "0.%se%d", digits, decpt);
  if (!same_bits(mpfr_read(scratch, text), x)) {
    CT_FAIL("repr digits %s of %a do not read back", text, x);
    return 0;
  }
  /* The closest string of this length that reads back: MPFR's nearest, or
   * where that one falls outside the rounding interval (whose lower half is
   * shorter at a power of two), the nearest on the other side. */
  mpfr_digits(expected, sizeof expected, exact, (size_t)n, MPFR_RNDN);
  if (!same_decimal(text, expected)) {
    char below[64], above[64];
    mpfr_digits(below, sizeof below, exact, (size_t)n, MPFR_RNDD);
    mpfr_digits(above, sizeof above, exact, (size_t)n, MPFR_RNDU);
    int neighbour = same_decimal(text, below) || same_decimal(text, above);
    if (!neighbour || same_bits(mpfr_read(scratch, expected), x)) {
      CT_FAIL("repr digits %s of %a are not the closest of their length that reads back (%s)", text,
              x, expected);
      return 0;
    }
  }
  /* Shortest: the nearest strings one digit shorter, below and above, miss. */
  if (n > 1) {
    mpfr_rnd_t directions[2] = {MPFR_RNDD, MPFR_RNDU};
    for (int d = 0; d < 2; d++) {
      mpfr_digits(expected, sizeof expected, exact, (size_t)n - 1, directions[d]);
      if (same_bits(mpfr_read(scratch, expected), x)) {
        CT_FAIL("repr digits %s of %a: the shorter %s reads back too", text, x, expected);
        return 0;
      }
    }
  }
  return 1;
}

/* Splits the 10^6 samples over tests that Bazel's shards run in parallel. */
static void check_repr_range(uint64_t seed, int count) {
  binary64_range saved = enter_binary64();
  mpfr_t exact, scratch;
  mpfr_init2(exact, 53);
  mpfr_init2(scratch, 53);
  uint64_t state = seed;
  int failures = 0;
  for (int i = 0; i < count && failures < MAX_REPORTED; i++) {
    failures += !check_shortest(random_positive_double(&state), exact, scratch);
  }
  mpfr_clear(exact);
  mpfr_clear(scratch);
  leave_binary64(saved);
  mpfr_free_cache();
}

CT_TEST(ReprProperty, Part1) {
  check_repr_range(1, REPR_SAMPLES / 4);
}
CT_TEST(ReprProperty, Part2) {
  check_repr_range(2, REPR_SAMPLES / 4);
}
CT_TEST(ReprProperty, Part3) {
  check_repr_range(3, REPR_SAMPLES / 4);
}
CT_TEST(ReprProperty, Part4) {
  check_repr_range(4, REPR_SAMPLES / 4);
}

CT_TEST(ReprProperty, BoundariesAndSubnormals) {
  binary64_range saved = enter_binary64();
  mpfr_t exact, scratch;
  mpfr_init2(exact, 53);
  mpfr_init2(scratch, 53);
  /* Every power of two, its neighbours, and the smallest subnormals. */
  for (int e = -1074; e <= 1023; e++) {
    double p = ldexp(1.0, e);
    check_shortest(p, exact, scratch);
    check_shortest(nextafter(p, 0), exact, scratch);
    if (e < 1023) {
      check_shortest(nextafter(p, INFINITY), exact, scratch);
    }
  }
  for (uint64_t bits = 1; bits < 2000; bits++) {
    check_shortest(from_bits(bits), exact, scratch);
  }
  mpfr_clear(exact);
  mpfr_clear(scratch);
  leave_binary64(saved);
  mpfr_free_cache();
}

CT_TEST(ReprProperty, AgreesWithPrintfOracle) {
  uint64_t state = 5;
  int failures = 0;
  for (int i = 0; i < 100000 && failures < MAX_REPORTED; i++) {
    double x = random_positive_double(&state);
    char ours[18], theirs[18];
    int our_decpt, their_decpt;
    pn_shortest_digits(x, ours, &our_decpt);
    printf_shortest_digits(x, theirs, &their_decpt);
    if (strcmp(ours, theirs) != 0 || our_decpt != their_decpt) {
      CT_FAIL("%a: Schubfach 0.%se%d, printf oracle 0.%se%d", x, ours, our_decpt, theirs,
              their_decpt);
      failures++;
    }
  }
}

/* The reader on strings whose value MPFR knows: each random double's repr
 * and %.17g, and random digit strings with random exponents. */
CT_TEST(LiteralProperty, DecimalStringsReadAsMpfrRoundsThem) {
  binary64_range saved = enter_binary64();
  mpfr_t scratch;
  mpfr_init2(scratch, 53);
  uint64_t state = 6;
  int failures = 0;
  for (int i = 0; i < 100000 && failures < MAX_REPORTED; i++) {
    char text[128], repr[PN_FLOAT_REPR_MAX];
    double x = random_positive_double(&state);
    pn_float_repr(x, repr);
    snprintf(text, sizeof text, "%.17g", x);
    /* Random digit strings: up to 40 digits, exponent anywhere near range. */
    char digits[80];
    int n = 1 + (int)(pn_splitmix64(&state) % 40);
    for (int j = 0; j < n; j++) {
      digits[j] = (char)('0' + pn_splitmix64(&state) % 10);
    }
    digits[n] = '\0';
    char random_text[128];
    snprintf(random_text, sizeof random_text, "%se%d", digits,
             (int)(pn_splitmix64(&state) % 720) - 380);
    const char *inputs[3] = {repr, text, random_text};
    for (int k = 0; k < 3; k++) {
      double ours;
      if (pn_float_from_string(inputs[k], strlen(inputs[k]), &ours) != PN_LITERAL_OK) {
        CT_FAIL("'%s' was rejected", inputs[k]);
        failures++;
        continue;
      }
      double want = mpfr_read(scratch, inputs[k]);
      if (!same_bits(ours, want)) {
        CT_FAIL("'%s' read as %a, MPFR rounds it to %a", inputs[k], ours, want);
        failures++;
      }
    }
  }
  mpfr_clear(scratch);
  leave_binary64(saved);
  mpfr_free_cache();
}

/* A random double of mixed magnitude: exponents over most of the range, so
 * that sums cancel and carry across many binades; signs random. */
static double random_mixed(uint64_t *state, int max_exponent) {
  uint64_t r = pn_splitmix64(state);
  int kind = (int)(r % 8);
  double sign = (r >> 8) & 1 ? -1.0 : 1.0;
  double mantissa = (double)(pn_splitmix64(state) >> 11); /* 53 bits */
  switch (kind) {
    case 0:
      return sign * from_bits(pn_splitmix64(state) % (UINT64_C(1) << 52)); /* subnormal */
    case 1:
      return sign * ldexp(1.0, (int)(pn_splitmix64(state) % 60) - 30);
    case 2:
      return 0.1 * sign;
    default:
      /* mantissa < 2^53: the value stays below 2^max_exponent */
      return sign * ldexp(mantissa, (int)(pn_splitmix64(state) % (unsigned)(max_exponent + 1127)) -
                                        1127 - 53);
  }
}

/* MPFR's correctly rounded sum of up to `capacity` doubles, as math.fsum
 * must return it. Holds the mpfr terms so a test reuses them across lists;
 * use inside enter_binary64 so that mpfr_subnormalize rounds as a double. */
typedef struct exact_sum {
  size_t capacity;
  mpfr_t *terms;
  mpfr_ptr *pointers;
  mpfr_t sum;
} exact_sum;

static int exact_sum_init(exact_sum *e, size_t capacity) {
  e->capacity = capacity;
  e->terms = malloc(capacity * sizeof *e->terms);
  e->pointers = malloc(capacity * sizeof *e->pointers);
  if (e->terms == NULL || e->pointers == NULL) {
    free(e->terms);
    free(e->pointers);
    return -1;
  }
  for (size_t i = 0; i < capacity; i++) {
    mpfr_init2(e->terms[i], 53);
    e->pointers[i] = e->terms[i];
  }
  mpfr_init2(e->sum, 53);
  return 0;
}

/* The correctly rounded sum of values[0..n), n <= capacity. */
static double exact_sum_of(exact_sum *e, const double *values, size_t n) {
  for (size_t i = 0; i < n; i++) {
    mpfr_set_d(e->terms[i], values[i], MPFR_RNDN);
  }
  int inexact = mpfr_sum(e->sum, e->pointers, (unsigned long)n, MPFR_RNDN);
  mpfr_subnormalize(e->sum, inexact, MPFR_RNDN);
  double want = mpfr_get_d(e->sum, MPFR_RNDN);
  return want == 0 ? 0.0 : want; /* math.fsum's exact zero is +0.0 whatever the signs */
}

static void exact_sum_free(exact_sum *e) {
  mpfr_clear(e->sum);
  for (size_t i = 0; i < e->capacity; i++) {
    mpfr_clear(e->terms[i]);
  }
  free(e->pointers);
  free(e->terms);
}

CT_TEST(FsumProperty, EqualsMpfrSum) {
  binary64_range saved = enter_binary64();
  enum { kMaxLength = 3000 };
  double *values = malloc(kMaxLength * sizeof *values);
  exact_sum oracle;
  CT_ASSERT_TRUE(values != NULL && exact_sum_init(&oracle, kMaxLength) == 0);
  uint64_t state = 7;
  int failures = 0;
  for (int list = 0; list < 3000 && failures < MAX_REPORTED; list++) {
    size_t n = 1 + pn_splitmix64(&state) % (list % 10 == 0 ? kMaxLength : 40);
    /* Mostly moderate exponents; some lists reach 2^1000 (the fast path's
     * edge) and must still not overflow. */
    int max_exponent = list % 7 == 0 ? 1000 : 200;
    for (size_t i = 0; i < n; i++) {
      values[i] = random_mixed(&state, max_exponent);
    }
    double want = exact_sum_of(&oracle, values, n);
    double fast, partials;
    pn_fsum_status fast_status = pn_fsum(values, n, &fast);
    pn_fsum_status partials_status = pn_fsum_partials(values, n, &partials);
    if (fast_status != PN_FSUM_OK || !same_bits(fast, want) || partials_status != PN_FSUM_OK ||
        !same_bits(partials, want)) {
      CT_FAIL("list %d (%zu values): fsum %a (status %d), partials %a (status %d), mpfr_sum %a",
              list, n, fast, fast_status, partials, partials_status, want);
      failures++;
    }
  }
  exact_sum_free(&oracle);
  free(values);
  leave_binary64(saved);
  mpfr_free_cache();
}

/* With inf, nan and values near overflow the fast path hands over to the
 * partials algorithm: both must give the same answer and error on every
 * list. */
CT_TEST(FsumProperty, SpecialValuesFollowThePartialsAlgorithm) {
  static const double kSpecial[] = {
      INFINITY, -INFINITY, NAN, 0x1.fffffffffffffp+1023, -0x1.fffffffffffffp+1023, 0x1p+1023, 1e308,
      -0.0,     0.0,       1.0};
  uint64_t state = 8;
  double values[16];
  for (int list = 0; list < 20000; list++) {
    size_t n = 1 + pn_splitmix64(&state) % 16;
    for (size_t i = 0; i < n; i++) {
      values[i] = pn_splitmix64(&state) % 3 == 0 ? kSpecial[pn_splitmix64(&state) % 10]
                                                 : random_mixed(&state, 1023);
    }
    double fast = 0, partials = 0;
    pn_fsum_status a = pn_fsum(values, n, &fast);
    pn_fsum_status b = pn_fsum_partials(values, n, &partials);
    if (a != b ||
        (a == PN_FSUM_OK && !same_bits(fast, partials) && !(isnan(fast) && isnan(partials)))) {
      CT_FAIL("list %d: fsum %a (status %d), partials %a (status %d)", list, fast, a, partials, b);
      return;
    }
  }
}

/* Long lists of few magnitudes, so that the superaccumulator's per-exponent
 * buckets fill up and are emptied into its words along the way. */
CT_TEST(FsumProperty, LongListsOfFewMagnitudesEqualMpfrSum) {
  binary64_range saved = enter_binary64();
  enum { kLength = 20000 };
  double *values = malloc(kLength * sizeof *values);
  exact_sum oracle;
  CT_ASSERT_TRUE(values != NULL && exact_sum_init(&oracle, kLength) == 0);
  uint64_t state = 9;
  for (int list = 0; list < 12; list++) {
    /* list % 3: values in [1, 2) only; in (-1, 1); or 0.1 and -0.3 and 2^-1074. */
    for (int i = 0; i < kLength; i++) {
      uint64_t r = pn_splitmix64(&state);
      double unit = (double)(r >> 11) * 0x1p-53;
      double sign = (r & 1) ? -1.0 : 1.0;
      values[i] = list % 3 == 0   ? 1.0 + unit
                  : list % 3 == 1 ? sign * unit
                                  : (r % 3 == 0   ? 0.1
                                     : r % 3 == 1 ? -0.3
                                                  : 0x1p-1074);
    }
    double want = exact_sum_of(&oracle, values, kLength);
    double got;
    CT_EXPECT_TRUE(pn_fsum(values, kLength, &got) == PN_FSUM_OK);
    if (!same_bits(got, want)) {
      CT_FAIL("list %d: fsum %a, mpfr_sum %a", list, got, want);
    }
  }
  exact_sum_free(&oracle);
  free(values);
  leave_binary64(saved);
  mpfr_free_cache();
}
