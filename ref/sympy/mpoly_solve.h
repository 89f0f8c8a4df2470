/*
 * solve(e, x) for e with symbols besides x (poly.c hands these over): the
 * equations whose sympy 1.11 answer pyref can reproduce exactly, which are
 * those whose roots are monomials in the other symbols, or a monomial's
 * square roots. sympy simplify()s every root, which keeps a monomial (and
 * its square root) as it is but may rewrite anything longer, so every
 * other equation is refused:
 *   - x**k (k >= 1) times a factor: the root 0;
 *   - A*x + B with A and B single terms: -B/A;
 *   - A*x**2 + C with A and C single terms: -/+ _sqrt(-C/A), roots_quadratic's
 *     even powers taken out of the root;
 *   - A*x**2 + B*x + C whose discriminant is a square polynomial: the roots
 *     of its linear factors, each of which must be a monomial.
 * The roots are sorted by default_sort_key without repeats; the denominator
 * must be a number (sympy checks roots against denominators in x).
 */
#ifndef PYNOTES_REF_SYMPY_MPOLY_SOLVE_H_
#define PYNOTES_REF_SYMPY_MPOLY_SOLVE_H_

#include "ref/sympy/expr.h"

/* The roots of e in the Symbol x, as described above, into *roots (arena)
 * and *count. Returns 0, or -1 with ctx's error set (NotImplementedError
 * for what is outside that subset). */
int sy_msolve(sy_ctx *ctx, const sy_expr *e, const sy_expr *x, const sy_expr ***roots,
              size_t *count);

#endif /* PYNOTES_REF_SYMPY_MPOLY_SOLVE_H_ */
