/*
 * Rational functions in several symbols as a pair of polynomials over Z
 * (mpoly.h): an expression made of Symbols, Integers, Rationals, sums,
 * products and integer powers becomes num/den, the common ground of the
 * multivariate cancel, factor and solve.
 */
#ifndef PYNOTES_REF_SYMPY_MPOLY_RAT_H_
#define PYNOTES_REF_SYMPY_MPOLY_RAT_H_

#include "ref/sympy/expr.h"
#include "ref/sympy/mpoly.h"

/* Powers beyond this exponent, and numerators or denominators of a higher
 * degree in a symbol, are refused (NotImplementedError). */
#define SY_RAT_MAX_POWER 1000
#define SY_RAT_MAX_DEGREE 1000

typedef struct sy_ratpoly {
  sy_mpoly num, den; /* den is never zero */
} sy_ratpoly;

/* The symbols of a rational function in two orders: Poly's generator
 * order (polyutils._sort_gens: x, y, z, then p..w, then a..o, then other
 * names, each by name and trailing number), which decides lex leading
 * coefficients and so the signs sympy normalises, and sort key order,
 * which sy_mpoly_to_expr needs to build the canonical expression. */
typedef struct sy_rat_vars {
  sy_gens gens;     /* Poly's order: the variables of the polynomials */
  sy_gens printed;  /* the same symbols by sort key */
  size_t *position; /* gens.items[i] is printed.items[position[i]] */
} sy_rat_vars;

/* The Symbols of e into vars (arena memory). Returns 0, or -1 with ctx's
 * error set: NotImplementedError when e is not a rational function of
 * Symbols with rational coefficients, has more than 64 symbols, or two
 * whose _sort_gens keys tie (x and x0). */
int sy_rat_gens(sy_ctx *ctx, const sy_expr *e, sy_rat_vars *vars);

/* The expression of p (variables vars->gens), as sympy builds it. NULL
 * with ctx's error set. */
const sy_expr *sy_rat_to_expr(sy_ctx *ctx, const sy_rat_vars *vars, const sy_mpoly *p);

/* e as out->num / out->den over gens (which hold every Symbol of e), not
 * reduced. Returns 0, or -1 with ctx's error set (ZeroDivisionError is
 * not possible: sympy has already made 1/0 zoo, which is refused). */
int sy_rat_from_expr(sy_ctx *ctx, const sy_gens *gens, const sy_expr *e, sy_ratpoly *out);

/* Divides num and den by their gcd and makes den's lex leading
 * coefficient positive. Returns 0, or -1 with ctx's error set. */
int sy_rat_reduce(sy_ctx *ctx, sy_ratpoly *r);

/* Frees r's polynomials. */
void sy_ratpoly_clear(sy_ratpoly *r);

/* Sets ctx's error for a negative mpoly_gcd.h status (MemoryError, or
 * NotImplementedError for work past the limits) and returns -1. */
int sy_rat_fail(sy_ctx *ctx, int status);

#endif /* PYNOTES_REF_SYMPY_MPOLY_RAT_H_ */
