/*
 * sympy's special Numbers oo, -oo, zoo and nan in Add, Mul, Pow and the
 * functions: what Add.flatten, Mul.flatten, the _eval_power methods and
 * the functions' eval give when one of them is an argument. The
 * constructors of expr.h call these first when an argument holds one.
 */
#ifndef PYNOTES_REF_SYMPY_SPECIAL_H_
#define PYNOTES_REF_SYMPY_SPECIAL_H_

#include "ref/sympy/expr.h"

/* Add(*args) when an argument holds a special Number: finite numbers are
 * absorbed (x + oo + 1 is x + oo), opposite infinities give nan, and oo
 * drops the real number terms, zoo every number term. NULL with ctx's
 * error set (NotImplementedError where a special sits deeper than a
 * term's coefficient). */
const sy_expr *sy_add_special(sy_ctx *ctx, const sy_expr *const *args, size_t n);

/* Mul(*args) when an argument holds a special Number: 0*oo is nan, the
 * sign of known-sign number factors moves into oo (-2*pi*oo is -oo), zoo
 * absorbs every number factor. NULL with ctx's error set. */
const sy_expr *sy_mul_special(sy_ctx *ctx, const sy_expr *const *args, size_t n);

/* base**exp when either holds a special Number (exp is not 0): oo**2 is
 * oo, 2**oo is oo, (1/2)**oo is 0, 1**oo is nan. NULL with ctx's error
 * set (NotImplementedError for the forms sympy leaves unevaluated). */
const sy_expr *sy_pow_special(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp);

/* fn(arg) when arg holds a special Number: exp(oo) is oo, exp(-oo) 0,
 * log(oo) oo, Abs(-oo) oo; the rest (cos(oo) is AccumBounds) is
 * NotImplementedError. */
const sy_expr *sy_func_special(sy_ctx *ctx, sy_fn fn, const sy_expr *arg);

#endif /* PYNOTES_REF_SYMPY_SPECIAL_H_ */
