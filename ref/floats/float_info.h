/* sys.float_info: the characteristics of the C double, read from <float.h>,
 * and its repr as CPython prints it. */
#ifndef PYNOTES_REF_FLOATS_FLOAT_INFO_H_
#define PYNOTES_REF_FLOATS_FLOAT_INFO_H_

#include "ref/protocol/strbuf.h"

typedef struct pn_float_info {
  double max;
  int max_exp;
  int max_10_exp;
  double min;
  int min_exp;
  int min_10_exp;
  int dig;
  int mant_dig;
  double epsilon;
  int radix;
  int rounds;
} pn_float_info;

/* The values CPython's floatobject.c takes from <float.h>. */
pn_float_info pn_float_info_get(void);

/* Appends repr(sys.float_info) for info, as
 * `sys.float_info(max=..., ..., rounds=1)`. Returns 0 or -1 (out of memory). */
int pn_float_info_repr(const pn_float_info *info, pn_strbuf *out);

#endif /* PYNOTES_REF_FLOATS_FLOAT_INFO_H_ */
