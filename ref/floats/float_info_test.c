/*
 * sys.float_info's values in the C reference, derived independently with
 * MPFR from IEEE 754 binary64's definition (the golden cases of the whole
 * line and each field run in //conformance/floats).
 */
#include <fenv.h>
#include <float.h>
#include <mpfr.h>

#include "conformance/shim/ctest.h"
#include "ref/floats/float_info.h"

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
