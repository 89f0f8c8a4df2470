/*
 * cancel and factor of rational functions in several symbols with rational
 * coefficients, as sympy 1.11 answers them (poly.c hands these over when
 * an expression has two or more symbols).
 *
 * cancel: P/Q with P, Q in Z[symbols] without common factor (their integer
 * contents included) and Q's leading coefficient positive in lex order of
 * the sorted symbols: what PolyElement.cancel gives after as_numer_denom,
 * since that pair is unique up to a common sign.
 *
 * factor: the coefficient (contents and sign) and the irreducible factors,
 * each primitive with a positive leading coefficient in Poly's generator
 * order, as factor_list and _keep_coeff build them; each factor of a
 * product is factored alone, as _symbolic_factor_list does. Only
 * factorisations that can be proved complete without a full multivariate
 * factoriser are given: contents in each symbol, square-free parts (Yun,
 * over the multivariate gcd), parts in one symbol or homogeneous in two
 * (the univariate factoriser, poly.c), parts of degree 1 in some symbol or
 * of degree 2 with a discriminant that is a square polynomial or not a
 * square at all, and parts of degree 3 to 5 in a symbol that an integer
 * specialisation of the others shows irreducible. Anything else is
 * NotImplementedError, never an incomplete factorisation.
 */
#ifndef PYNOTES_REF_SYMPY_MPOLY_FACTOR_H_
#define PYNOTES_REF_SYMPY_MPOLY_FACTOR_H_

#include <stdbool.h>

#include "ref/sympy/expr.h"

/* Whether e has two or more distinct Symbols. */
bool sy_has_several_symbols(const sy_expr *e);

/* cancel(e) for e with several symbols. NULL with ctx's error set
 * (NotImplementedError outside the subset: functions, non-integer powers,
 * Floats, constants, polynomials past the work limits). */
const sy_expr *sy_mcancel(sy_ctx *ctx, const sy_expr *e);

/* factor(e) for e with several symbols. NULL with ctx's error set, as
 * sy_mcancel, and NotImplementedError for factors it cannot prove
 * irreducible. */
const sy_expr *sy_mfactor(sy_ctx *ctx, const sy_expr *e);

#endif /* PYNOTES_REF_SYMPY_MPOLY_FACTOR_H_ */
