/*
 * Mul.flatten's treatment of rational powers of positive integers
 * (sympy/core/mul.py, its pnum_rat, comb_e, num_rat and pnew steps):
 * sqrt(2)*sqrt(3) is sqrt(6), sqrt(2)*sqrt(6) is 2*sqrt(3) and
 * 2**(1/3)*6**(1/4) is 2**(7/12)*3**(1/4). A product's factors b**e (b a
 * positive integer, e a positive non-integer Rational) are gathered here
 * while the product is flattened, then combined at its end.
 */
#ifndef PYNOTES_REF_SYMPY_RADICALS_H_
#define PYNOTES_REF_SYMPY_RADICALS_H_

#include <gmp.h>
#include <stddef.h>

#include "ref/sympy/node.h"

typedef struct sy_radical {
  mpz_t base;
  mpq_t exp;
} sy_radical;

/* The gathered factors, in the order they were met (it decides which
 * common factor is taken out first, as in sympy). */
typedef struct sy_radicals {
  sy_radical *items;
  size_t count, cap;
} sy_radicals;

/* Records the factor base**exp. Returns 0, or -1 with ctx's error set. */
int sy_radicals_add(sy_ctx *ctx, sy_radicals *r, mpz_srcptr base, mpq_srcptr exp);

/* An evaluating power: expr.h's sy_pow. */
typedef const sy_expr *(*sy_pow_fn)(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp);

/* Combines the recorded factors: their numeric part is multiplied into
 * coeff, and the powers that remain are set into *out (an arena array of
 * *count). The integer powers are evaluated by power, which Mul.flatten
 * passes in (its sy_pow): radicals.c is one of the steps below the
 * evaluating constructors and calls none of them by name. Returns 0, or
 * -1 with ctx's error set. */
int sy_radicals_combine(sy_ctx *ctx, const sy_radicals *r, mpq_t coeff, sy_pow_fn power,
                        const sy_expr ***out, size_t *count);

/* Frees what r holds; r may be zero-initialised and never used. */
void sy_radicals_free(sy_radicals *r);

#endif /* PYNOTES_REF_SYMPY_RADICALS_H_ */
