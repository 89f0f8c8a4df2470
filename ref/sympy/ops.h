/*
 * Operations on expressions: subs and diff as sympy 1.11 defines them for
 * the expressions of expr.h (expand is expand.h).
 */
#ifndef PYNOTES_REF_SYMPY_OPS_H_
#define PYNOTES_REF_SYMPY_OPS_H_

#include "ref/sympy/expr.h"

/* e.subs(old, new) for an atom old (a Symbol or number): every occurrence
 * replaced and the result re-evaluated. NULL with ctx's error set. */
const sy_expr *sy_subs(sy_ctx *ctx, const sy_expr *e, const sy_expr *old, const sy_expr *new_);

/* An expression of e's kind (Add, Mul, Pow or a function) with new args
 * (e->n of them), evaluated again as sympy's expr.func(*args) is. */
const sy_expr *sy_rebuild(sy_ctx *ctx, const sy_expr *e, const sy_expr *const *args);

/* Whether the symbol s occurs in e (s in e.free_symbols). */
bool sy_has_symbol(const sy_expr *e, const sy_expr *s);

/* e.diff(s) for a Symbol s, as sympy's _eval_derivative methods build it:
 * sums term by term, the product rule, Pow's self*(dexp*log(base) +
 * dbase*exp/base) and the chain rule for cos, sin, exp and log. NULL with
 * ctx's error set. */
const sy_expr *sy_diff(sy_ctx *ctx, const sy_expr *e, const sy_expr *s);

#endif /* PYNOTES_REF_SYMPY_OPS_H_ */
