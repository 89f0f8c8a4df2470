/*
 * Operations on expressions: subs and expand as sympy 1.11 defines them for
 * the expressions of expr.h.
 */
#ifndef PYNOTES_REF_SYMPY_OPS_H_
#define PYNOTES_REF_SYMPY_OPS_H_

#include "ref/sympy/expr.h"

/* e.subs(old, new) for an atom old (a Symbol or number): every occurrence
 * replaced and the result re-evaluated. NULL with ctx's error set. */
const sy_expr *sy_subs(sy_ctx *ctx, const sy_expr *e, const sy_expr *old, const sy_expr *new_);

/* expand(e) with the mul and multinomial hints (deep): products of sums
 * multiplied out, integer powers of sums expanded. NULL with the error set. */
const sy_expr *sy_expand(sy_ctx *ctx, const sy_expr *e);

#endif /* PYNOTES_REF_SYMPY_OPS_H_ */
