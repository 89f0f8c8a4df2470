/*
 * count_ops and fraction for the expressions simplify takes (simplify.h):
 * Rationals, Symbols, and sums, products and integer powers of them.
 */
#ifndef PYNOTES_REF_SYMPY_COUNT_OPS_H_
#define PYNOTES_REF_SYMPY_COUNT_OPS_H_

#include "ref/sympy/expr.h"

/* fraction(e): the numerator and denominator, by the signs of exponents.
 * Returns 0, or -1 with ctx's error set. */
int sy_fraction(sy_ctx *ctx, const sy_expr *e, const sy_expr **num, const sy_expr **den);

/* count_ops(e) for expressions of the subset above (sympy's operation
 * count: ADD, SUB, MUL, DIV, NEG, POW each count one). -1 with ctx's
 * error set when e is outside it. */
long sy_count_ops(sy_ctx *ctx, const sy_expr *e);

#endif /* PYNOTES_REF_SYMPY_COUNT_OPS_H_ */
