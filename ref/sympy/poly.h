/*
 * factor, cancel and solve for expressions in one symbol with rational
 * coefficients, as sympy 1.11 answers them: factor's coefficient and
 * primitive irreducible factors over the integers (_keep_coeff), cancel's
 * reduced fraction with cofactors of positive leading coefficient, and
 * solve's roots of linear and quadratic factors sorted by default_sort_key.
 * Univariate polynomial arithmetic over Q (GMP) underneath.
 */
#ifndef PYNOTES_REF_SYMPY_POLY_H_
#define PYNOTES_REF_SYMPY_POLY_H_

#include "ref/sympy/expr.h"

/* factor(e): e must be a polynomial in at most one symbol with rational
 * coefficients. NULL with ctx's error set otherwise (NotImplementedError
 * for what is outside the subset: several symbols, a remaining factor of
 * degree 6 or more that might split into cubics). */
const sy_expr *sy_factor_univariate(sy_ctx *ctx, const sy_expr *e);

/* cancel(e) for a rational function of at most one symbol. NULL with
 * ctx's error set otherwise. */
const sy_expr *sy_cancel_univariate(sy_ctx *ctx, const sy_expr *e);

/* solve(e, x): the roots of the polynomial e in x whose irreducible
 * factors have degree 1 or 2 and real roots, sorted by default_sort_key,
 * into *roots (an arena array) and *count. x may be NULL when e has one
 * free symbol. Returns 0, or -1 with ctx's error set. */
int sy_solve_univariate(sy_ctx *ctx, const sy_expr *e, const sy_expr *x, const sy_expr ***roots,
                        size_t *count);

/* _keep_coeff(coeff, factors): the product node Mul._from_args builds,
 * the Number coeff first (2*(x + 1), -(x - 1)*(x + 1), (x + 1)/2), as
 * factor returns it. NULL with ctx's error set. */
const sy_expr *sy_keep_coeff(sy_ctx *ctx, const sy_expr *coeff, const sy_expr *factors);

/* Receives one irreducible factor: coeffs[k] of x**k, n coefficients,
 * primitive with a positive leading coefficient; returns 0 to go on. */
typedef int (*sy_zpoly_emit)(void *env, const mpz_t *coeffs, long n, long mult);

/* Factors sum(coeffs[k]*x**k) (n coefficients) over the integers as
 * factor_list does, handing each irreducible factor and its multiplicity
 * to emit (the content is dropped). Returns 0, or -1 with ctx's error set
 * (NotImplementedError where sy_factor refuses), or emit's nonzero. */
int sy_factor_zpoly(sy_ctx *ctx, const mpz_t *coeffs, long n, sy_zpoly_emit emit, void *env);

#endif /* PYNOTES_REF_SYMPY_POLY_H_ */
