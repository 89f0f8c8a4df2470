#include "ref/floats/float_info.h"

#include <float.h>

#include "ref/floats/float_repr.h"

pn_float_info pn_float_info_get(void) {
  return (pn_float_info){
      .max = DBL_MAX,
      .max_exp = DBL_MAX_EXP,
      .max_10_exp = DBL_MAX_10_EXP,
      .min = DBL_MIN,
      .min_exp = DBL_MIN_EXP,
      .min_10_exp = DBL_MIN_10_EXP,
      .dig = DBL_DIG,
      .mant_dig = DBL_MANT_DIG,
      .epsilon = DBL_EPSILON,
      .radix = FLT_RADIX,
      .rounds = FLT_ROUNDS,
  };
}

int pn_float_info_repr(const pn_float_info *info, pn_strbuf *out) {
  char max[PN_FLOAT_REPR_MAX], min[PN_FLOAT_REPR_MAX], epsilon[PN_FLOAT_REPR_MAX];
  pn_float_repr(info->max, max);
  pn_float_repr(info->min, min);
  pn_float_repr(info->epsilon, epsilon);
  /* Field order and names are those of CPython's FloatInfo struct sequence. */
  return pn_strbuf_printf(out,
                          "sys.float_info(max=%s, max_exp=%d, max_10_exp=%d, min=%s, min_exp=%d, "
                          "min_10_exp=%d, dig=%d, mant_dig=%d, epsilon=%s, radix=%d, rounds=%d)",
                          max, info->max_exp, info->max_10_exp, min, info->min_exp,
                          info->min_10_exp, info->dig, info->mant_dig, epsilon, info->radix,
                          info->rounds);
}
