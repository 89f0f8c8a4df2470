/* builtin sum() of floats with its default start, the int 0, as each CPython
 * version computes it (Python/bltinmodule.c builtin_sum_impl). */
#ifndef PYNOTES_REF_FLOATS_BUILTIN_SUM_H_
#define PYNOTES_REF_FLOATS_BUILTIN_SUM_H_

#include <stddef.h>

#include "ref/protocol/pyversion.h"

/*
 * sum(values[0..n)) under CPython `python`. Returns 0 for the empty list,
 * whose sum is the int 0 (repr `0`), else 1 with the float in *result. Up to
 * 3.11: 0 + v0 (so -0.0 becomes 0.0), then each value added left to right.
 * From 3.12: the same start, then Neumaier's compensated summation, the
 * compensation added at the end only when it is non-zero and finite (so an
 * infinite or overflowed sum stays infinite and a -0.0 result stays -0.0).
 */
int pn_builtin_sum(const double *values, size_t n, pn_pyversion python, double *result);

#endif /* PYNOTES_REF_FLOATS_BUILTIN_SUM_H_ */
