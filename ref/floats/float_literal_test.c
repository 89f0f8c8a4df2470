/*
 * The float reader's one-pass path (plain ASCII decimals, ref/floats/
 * float_literal.c read_plain_decimal) against two oracles, on seeded
 * pseudo-random and exhaustive inputs:
 *
 * - glibc's strtod, correctly rounded for these plain decimals: every text
 *   must read to strtod's double, bit for bit;
 * - MPFR, for decimals right beside the half-way point between two doubles
 *   (where a shortcut in the rounding would show);
 * - the general path: the same text after a space (which the one-pass path
 *   leaves to the general reader) must give the same status and bits.
 *
 * Exhaustive: every decimal of one to four significant digits with every
 * exponent from 10^-345 to 10^315, which crosses every binade's edge, both
 * ends of the subnormals and overflow. A failure prints its text; the
 * generator is splitmix64 with fixed seeds, so it reproduces.
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
#include "ref/floats/splitmix64.h"

#define MAX_REPORTED 5

static int same_bits(double a, double b) {
  return memcmp(&a, &b, sizeof a) == 0;
}

/* A random finite double (either sign), every bit pattern equally likely. */
static double random_double(uint64_t *state) {
  for (;;) {
    uint64_t bits = pn_splitmix64(state);
    double x;
    memcpy(&x, &bits, sizeof x);
    if (isfinite(x)) {
      return x;
    }
  }
}

/* Checks text (NUL-terminated) against strtod and against the general path
 * (" " text); returns 1 if it passed, else reports it and returns 0. */
static int reads_as_strtod(const char *text) {
  size_t len = strlen(text);
  double ours = 0, general = 0, want = strtod(text, NULL);
  if (pn_float_from_string(text, len, &ours) != PN_LITERAL_OK) {
    CT_FAIL("'%s' was rejected", text);
    return 0;
  }
  if (!same_bits(ours, want)) {
    CT_FAIL("'%s' read as %a, strtod rounds it to %a", text, ours, want);
    return 0;
  }
  char spaced[128];
  snprintf(spaced, sizeof spaced, " %s", text);
  if (pn_float_from_string(spaced, len + 1, &general) != PN_LITERAL_OK ||
      !same_bits(general, ours)) {
    CT_FAIL("'%s' read as %a, but '%s' as %a", text, ours, spaced, general);
    return 0;
  }
  return 1;
}

CT_TEST(PlainDecimal, RandomDoublesInManySpellingsReadAsStrtod) {
  uint64_t state = 19;
  int failures = 0;
  for (int i = 0; i < 200000 && failures < MAX_REPORTED; i++) {
    double x = random_double(&state);
    uint64_t r = pn_splitmix64(&state);
    char texts[6][96];
    pn_float_repr(x, texts[0]);
    snprintf(texts[1], sizeof texts[1], "%.17g", x);
    /* 1 to 22 significant digits: past 19 the general path reads them. */
    snprintf(texts[2], sizeof texts[2], "%.*e", (int)(r % 22), x);
    snprintf(texts[3], sizeof texts[3], "%+.*E", (int)(r >> 8) % 18, x);
    /* Positional, for magnitudes where that stays short. */
    double small = x == 0 ? x : ldexp(x, -ilogb(x) + (int)((r >> 16) % 60) - 20);
    snprintf(texts[4], sizeof texts[4], "%.*f", (int)(r >> 24) % 19, small);
    /* Leading zeros before the point and after it. */
    snprintf(texts[5], sizeof texts[5], "000%.*f", (int)(r >> 32) % 12, ldexp(fabs(small), -30));
    for (int k = 0; k < 6; k++) {
      failures += !reads_as_strtod(texts[k]);
    }
  }
}

CT_TEST(PlainDecimal, RandomDigitStringsReadAsStrtod) {
  uint64_t state = 1919;
  int failures = 0;
  for (int i = 0; i < 300000 && failures < MAX_REPORTED; i++) {
    char text[96];
    size_t n = 0;
    uint64_t r = pn_splitmix64(&state);
    if (r & 1) {
      text[n++] = r & 2 ? '-' : '+';
    }
    int digits = 1 + (int)((r >> 2) % 21);                    /* past 19 now and then */
    int point = (int)((r >> 8) % (uint64_t)(digits + 2)) - 1; /* -1: none */
    for (int j = 0; j < digits; j++) {
      if (j == point) {
        text[n++] = '.';
      }
      text[n++] = (char)('0' + pn_splitmix64(&state) % 10);
    }
    if (point == digits) {
      text[n++] = '.'; /* "5." */
    }
    if ((r >> 16) % 4 != 0) {
      n += (size_t)snprintf(text + n, sizeof text - n, "%c%d", (r >> 20) & 1 ? 'e' : 'E',
                            (int)((r >> 24) % 700) - 360);
    }
    text[n] = '\0';
    failures += !reads_as_strtod(text);
  }
}

CT_TEST(PlainDecimal, EveryShortDecimalAtEveryExponentReadsAsStrtod) {
  int failures = 0;
  char text[32];
  for (int digits = 1; digits < 10000 && failures < MAX_REPORTED; digits++) {
    if (digits % 10 == 0) {
      continue; /* the same value as digits / 10 at the next exponent */
    }
    for (int exponent = -345; exponent <= 315 && failures < MAX_REPORTED; exponent++) {
      snprintf(text, sizeof text, "%de%d", digits, exponent);
      double ours = 0, want = strtod(text, NULL);
      if (pn_float_from_string(text, strlen(text), &ours) != PN_LITERAL_OK ||
          !same_bits(ours, want)) {
        CT_FAIL("'%s' read as %a, strtod rounds it to %a", text, ours, want);
        failures++;
      }
    }
  }
}

/* The double MPFR rounds text to, in binary64's exponent range with
 * subnormals. */
static double mpfr_read(const char *text) {
  mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
  mpfr_set_emin(-1073);
  mpfr_set_emax(1024);
  mpfr_t x;
  mpfr_init2(x, 53);
  int inexact = mpfr_strtofr(x, text, NULL, 10, MPFR_RNDN);
  inexact = mpfr_subnormalize(x, inexact, MPFR_RNDN);
  double result = mpfr_get_d(x, MPFR_RNDN);
  mpfr_clear(x);
  mpfr_set_emin(emin);
  mpfr_set_emax(emax);
  return result;
}

/* Writes the decimal of v in scientific form with `digits` significant
 * digits, rounded toward rounding, into text. */
static void mpfr_digits(char *text, size_t size, mpfr_t v, int digits, mpfr_rnd_t rounding) {
  mpfr_snprintf(text, size, "%.*R*e", digits - 1, rounding, v);
}

CT_TEST(PlainDecimal, DecimalsBesideHalfWayPointsReadAsMpfrRoundsThem) {
  uint64_t state = 190;
  int failures = 0;
  mpfr_t low, high, middle;
  mpfr_inits2(2200, low, high, middle, (mpfr_ptr)0);
  for (int i = 0; i < 30000 && failures < MAX_REPORTED; i++) {
    double x = fabs(random_double(&state));
    double next = nextafter(x, INFINITY);
    if (isinf(next)) {
      continue;
    }
    mpfr_set_d(low, x, MPFR_RNDN);
    mpfr_set_d(high, next, MPFR_RNDN);
    mpfr_add(middle, low, high, MPFR_RNDN); /* exact at 2200 bits */
    mpfr_div_2ui(middle, middle, 1, MPFR_RNDN);
    char texts[5][96];
    mpfr_digits(texts[0], sizeof texts[0], middle, 19, MPFR_RNDD);
    mpfr_digits(texts[1], sizeof texts[1], middle, 19, MPFR_RNDU);
    mpfr_digits(texts[2], sizeof texts[2], middle, 18, MPFR_RNDN);
    mpfr_digits(texts[3], sizeof texts[3], middle, 17, MPFR_RNDU);
    texts[4][0] = '-';
    memcpy(texts[4] + 1, texts[i & 1], sizeof texts[4] - 1);
    for (int k = 0; k < 5; k++) {
      double ours = 0, want = mpfr_read(texts[k]);
      if (pn_float_from_string(texts[k], strlen(texts[k]), &ours) != PN_LITERAL_OK ||
          !same_bits(ours, want)) {
        CT_FAIL("'%s' read as %a, MPFR rounds it to %a", texts[k], ours, want);
        failures++;
      }
    }
  }
  mpfr_clears(low, high, middle, (mpfr_ptr)0);
  mpfr_free_cache();
}

CT_TEST(PlainDecimal, ExactHalfWayIntegersTieToEven) {
  /* m * 2^k for odd m in (2^53, 2^54) is exactly half-way between two
   * doubles; written out it has at most 19 digits for k <= 10. */
  uint64_t state = 1990;
  int failures = 0;
  for (int i = 0; i < 100000 && failures < MAX_REPORTED; i++) {
    uint64_t m = (UINT64_C(1) << 53) | pn_splitmix64(&state) >> 11 | 1;
    int k = (int)(pn_splitmix64(&state) % 11);
    char text[32];
    snprintf(text, sizeof text, "%llu", (unsigned long long)(m << k));
    failures += !reads_as_strtod(text);
  }
  CT_EXPECT_TRUE(reads_as_strtod("9007199254740993"));
  CT_EXPECT_TRUE(reads_as_strtod("9007199254740995"));
}

CT_TEST(PlainDecimal, EdgesOfTheRangeReadAsStrtod) {
  static const char *const kEdges[] = {"1.7976931348623157e308",
                                       "1.7976931348623158e308",
                                       "1.797693134862315807e308",
                                       "1.797693134862315808e308",
                                       "4.9406564584124654e-324",
                                       "2.4703282292062327e-324",
                                       "2.4703282292062328e-324",
                                       "2.2250738585072011e-308",
                                       "2.2250738585072014e-308",
                                       "-0.0e5",
                                       "0",
                                       "-0",
                                       "+0.000",
                                       "0e999999999999",
                                       "1e-999999999999",
                                       "1e999999999999",
                                       "-1e400",
                                       "1e-400",
                                       "0000000000000000000000001.5",
                                       "00.000000000000000000000012345e+22",
                                       "9007199254740993e-22",
                                       "+123456789012345678e-40",
                                       "9999999999999999999",
                                       "18446744073709551615",
                                       "18446744073709551616",
                                       ".5",
                                       "5.",
                                       "-.5e1",
                                       "1E5",
                                       "123456789012345678901234567890e-30"};
  for (size_t k = 0; k < sizeof kEdges / sizeof *kEdges; k++) {
    CT_EXPECT_TRUE(reads_as_strtod(kEdges[k]));
  }
}

/* A text with its length: some hold a NUL. */
typedef struct sized_text {
  const char *text;
  size_t len;
} sized_text;
#define SIZED(literal) \
  { literal, sizeof literal - 1 }

CT_TEST(PlainDecimal, WhatItLeavesTheGeneralPathReadsTheSameAfterASpace) {
  /* Texts the one-pass path refuses (or must refuse): the general path's
   * answer for them is the same with a space in front. */
  static const sized_text kTexts[] = {SIZED(""),
                                      SIZED(" "),
                                      SIZED("."),
                                      SIZED("+"),
                                      SIZED("-"),
                                      SIZED("e5"),
                                      SIZED("1e"),
                                      SIZED("1e+"),
                                      SIZED("1.5e-"),
                                      SIZED("1..5"),
                                      SIZED("1.5."),
                                      SIZED("--1"),
                                      SIZED("+-1"),
                                      SIZED("1e5.5"),
                                      SIZED("1f"),
                                      SIZED("0x10"),
                                      SIZED("inf"),
                                      SIZED("-Infinity"),
                                      SIZED("nan"),
                                      SIZED("1_0"),
                                      SIZED("1__0"),
                                      SIZED("_1"),
                                      SIZED("1_"),
                                      SIZED("1_.5"),
                                      SIZED("1\xd9\xa1"),
                                      SIZED("\xd9\xa1.5"),
                                      SIZED("1.5 "),
                                      SIZED("1\t"),
                                      SIZED("1\xc2\xa0"),
                                      SIZED("1e5x"),
                                      SIZED("1\0"),
                                      SIZED("1\0"
                                            "5"),
                                      SIZED("12345678901234567890.5e-3")};
  for (size_t k = 0; k < sizeof kTexts / sizeof *kTexts; k++) {
    const char *text = kTexts[k].text;
    size_t len = kTexts[k].len;
    char spaced[64];
    spaced[0] = ' ';
    memcpy(spaced + 1, text, len);
    double plain = 0, general = 0;
    pn_literal_status a = pn_float_from_string(text, len, &plain);
    pn_literal_status b = pn_float_from_string(spaced, len + 1, &general);
    if (a != b ||
        (a == PN_LITERAL_OK && !same_bits(plain, general) && !(isnan(plain) && isnan(general)))) {
      CT_FAIL("text %zu: status %d value %a, after a space status %d value %a", k, (int)a, plain,
              (int)b, general);
    }
  }
}
