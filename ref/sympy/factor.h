/*
 * factor, cancel and solve as the session calls them: an expression in two
 * or more symbols goes to the multivariate layer (mpoly_factor.h,
 * mpoly_solve.h), one in at most one symbol to the univariate one
 * (poly.h). This file sits above both, so that neither calls the other
 * back: the multivariate factoriser uses the univariate one underneath.
 */
#ifndef PYNOTES_REF_SYMPY_FACTOR_H_
#define PYNOTES_REF_SYMPY_FACTOR_H_

#include <stddef.h>

#include "ref/sympy/expr.h"

/* factor(e) with rational coefficients. NULL with ctx's error set
 * (NotImplementedError outside the subset, never an incomplete
 * factorisation). */
const sy_expr *sy_factor(sy_ctx *ctx, const sy_expr *e);

/* cancel(e) for a rational function. NULL with ctx's error set. */
const sy_expr *sy_cancel(sy_ctx *ctx, const sy_expr *e);

/* solve(e, x): the roots into *roots (an arena array) and *count, as
 * sy_solve_univariate and sy_msolve give them. x may be NULL when e has
 * one free symbol. Returns 0, or -1 with ctx's error set. */
int sy_solve(sy_ctx *ctx, const sy_expr *e, const sy_expr *x, const sy_expr ***roots,
             size_t *count);

#endif /* PYNOTES_REF_SYMPY_FACTOR_H_ */
