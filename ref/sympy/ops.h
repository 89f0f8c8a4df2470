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

/* Whether the symbol s occurs in e (s in e.free_symbols). */
bool sy_has_symbol(const sy_expr *e, const sy_expr *s);

/* e.diff(s) for a Symbol s, as sympy's _eval_derivative methods build it:
 * sums term by term, the product rule, Pow's self*(dexp*log(base) +
 * dbase*exp/base) and the chain rule for cos, sin, exp and log. NULL with
 * ctx's error set. */
const sy_expr *sy_diff(sy_ctx *ctx, const sy_expr *e, const sy_expr *s);

/* expand(e, mul=mul, multinomial=multinomial): sy_expand with either hint
 * turned off. */
const sy_expr *sy_expand_hints(sy_ctx *ctx, const sy_expr *e, bool mul, bool multinomial);

#endif /* PYNOTES_REF_SYMPY_OPS_H_ */
