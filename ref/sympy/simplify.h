/*
 * simplify for rational functions, as sympy 1.11's simplify() answers it:
 * the candidates of its rational path (bottom-up normal, as_content_primitive,
 * cancel, together, factor_terms, expand_mul) chosen by count_ops, then the
 * hollow products multiplied out, the sign extracted and the ratio check
 * against the original. Functions, constants and floats are outside.
 */
#ifndef PYNOTES_REF_SYMPY_SIMPLIFY_H_
#define PYNOTES_REF_SYMPY_SIMPLIFY_H_

#include "ref/sympy/count_ops.h"
#include "ref/sympy/expr.h"

/* simplify(e) (also e.simplify()) for e built from Symbols, Rationals, +,
 * *, and integer powers. NULL with ctx's error set otherwise: a
 * NotImplementedError for what is outside that subset or for what cancel
 * (poly.h) refuses, such as several symbols. */
const sy_expr *sy_simplify(sy_ctx *ctx, const sy_expr *e);

#endif /* PYNOTES_REF_SYMPY_SIMPLIFY_H_ */
