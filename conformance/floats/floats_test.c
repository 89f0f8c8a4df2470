/*
 * The floats note. Files whose Command is a line command (repr, sum, fsum)
 * run as plain line cases; float_info files run here.
 *
 * sys.float_info: the golden cases (the whole line, and each field by its
 * `Field` key: the field's text in the answer must be Output, and for floats
 * its bits Output-Hex), and the reference's values derived independently with
 * MPFR from IEEE 754 binary64's definition.
 */
#include <fenv.h>
#include <float.h>
#include <mpfr.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/harness/golden_suite.h"
#include "ref/floats/float_info.h"

/* Finds `name=VALUE` in a `sys.float_info(...)` line, or PyPy's
 * `float_info(...)`; returns VALUE's start and length in *len, or NULL. */
static const char *find_field(const char *line, const char *name, size_t *len) {
  static const char kModule[] = "sys.";
  static const char kPrefix[] = "float_info(";
  if (strncmp(line, kModule, sizeof kModule - 1) == 0) {
    line += sizeof kModule - 1;
  }
  if (strncmp(line, kPrefix, sizeof kPrefix - 1) != 0) {
    return NULL;
  }
  size_t name_len = strlen(name);
  const char *p = line + sizeof kPrefix - 1;
  while (*p != '\0') {
    const char *end = p + strcspn(p, ",)");
    if (strncmp(p, name, name_len) == 0 && p[name_len] == '=') {
      *len = (size_t)(end - (p + name_len + 1));
      return p + name_len + 1;
    }
    if (*end != ',') {
      break;
    }
    p = end + (end[1] == ' ' ? 2 : 1);
  }
  return NULL;
}

static void run_floats_case(ct_case *c) {
  if (strcmp(pn_golden_value(ct_case_header(c), "Command"), "float_info") != 0) {
    ct_run_line_case(c);
    return;
  }
  const char *field = ct_case_value(c, "Field");
  pn_strbuf answer = PN_STRBUF_INIT;
  if (ct_case_ask(c, NULL, 0, &answer) == 0) {
    const char *line = answer.data ? answer.data : "";
    if (field == NULL) {
      ct_case_expect_output(c, line, answer.len);
    } else {
      size_t len = 0;
      const char *value = find_field(line, field, &len);
      if (value == NULL) {
        ct_case_fail(c, "no field '%s' in the answer '%s'", field, line);
      } else {
        char *text = strndup(value, len);
        ct_case_expect_output(c, text, len);
        free(text);
      }
    }
  }
  pn_strbuf_free(&answer);
}

CT_GOLDEN_SUITE(floats, "golden/floats", run_floats_case)

/* The double MPFR computes for base^exponent * (2 - 2^-52) style formulas is
 * exact here: every value below is representable. */
static double mpfr_pow2(long exponent) {
  mpfr_t x;
  mpfr_init2(x, 64);
  mpfr_set_ui_2exp(x, 1, exponent, MPFR_RNDN);
  double d = mpfr_get_d(x, MPFR_RNDN);
  mpfr_clear(x);
  return d;
}

CT_TEST(FloatInfo, MaxIsTwoMinusUlpTimesTwoTo1023) {
  mpfr_t x;
  mpfr_init2(x, 128);
  mpfr_set_ui(x, 2, MPFR_RNDN);
  mpfr_sub_d(x, x, mpfr_pow2(-52), MPFR_RNDN);
  mpfr_mul_2si(x, x, 1023, MPFR_RNDN);
  CT_EXPECT_TRUE(mpfr_cmp_d(x, pn_float_info_get().max) == 0);
  mpfr_clear(x);
}

CT_TEST(FloatInfo, MinAndEpsilonArePowersOfTwo) {
  pn_float_info info = pn_float_info_get();
  CT_EXPECT_TRUE(info.min == mpfr_pow2(-1022));
  CT_EXPECT_TRUE(info.epsilon == mpfr_pow2(-52));
}

/* floor or ceil of log10(x) for the double x, computed exactly enough by
 * MPFR's correctly rounded log10 at 128 bits. */
static long log10_rounded(double x, mpfr_rnd_t direction) {
  mpfr_t v;
  mpfr_init2(v, 128);
  mpfr_set_d(v, x, MPFR_RNDN);
  mpfr_log10(v, v, MPFR_RNDN);
  mpfr_rint(v, v, direction);
  long n = mpfr_get_si(v, MPFR_RNDN);
  mpfr_clear(v);
  return n;
}

CT_TEST(FloatInfo, FieldsAreFoundWithOrWithoutTheModulePrefix) {
  size_t len = 0;
  const char *value = find_field("float_info(max=1.5, dig=15)", "dig", &len);
  CT_ASSERT_TRUE(value != NULL);
  CT_EXPECT_MEM_EQ("15", 2, value, len);
  value = find_field("sys.float_info(max=1.5, dig=15)", "max", &len);
  CT_ASSERT_TRUE(value != NULL);
  CT_EXPECT_MEM_EQ("1.5", 3, value, len);
  CT_EXPECT_TRUE(find_field("os.float_info(max=1.5)", "max", &len) == NULL);
}

CT_TEST(FloatInfo, IntegerFieldsFollowFromBinary64) {
  pn_float_info info = pn_float_info_get();
  CT_EXPECT_INT_EQ(53, info.mant_dig);
  CT_EXPECT_INT_EQ(2, info.radix);
  CT_EXPECT_INT_EQ(1024, info.max_exp);
  CT_EXPECT_INT_EQ(-1021, info.min_exp);
  CT_EXPECT_INT_EQ(log10_rounded(info.max, MPFR_RNDD), info.max_10_exp);
  CT_EXPECT_INT_EQ(log10_rounded(info.min, MPFR_RNDU), info.min_10_exp);
  /* dig = floor((mant_dig - 1) * log10(2)): decimal digits that survive a
   * round trip through a double. */
  CT_EXPECT_INT_EQ(log10_rounded(mpfr_pow2(52), MPFR_RNDD), info.dig);
  /* rounds = 1 means round-to-nearest, the mode the FPU is in. */
  CT_EXPECT_INT_EQ(FE_TONEAREST == fegetround() ? 1 : -1, info.rounds);
}
