/*
 * The functions' eval, as sympy/functions/elementary has it for the subset:
 * cos, sin and tan (signs taken out, trig.h's values at multiples of pi),
 * exp (exp(log(x)) is x, exp(I*pi) is -1, exp(x + log(2)) is 2*exp(x)),
 * log (log(1) is 0, log(-2) is log(2) + I*pi) and Abs; the special Numbers
 * as arguments are special.h's. Called as expr.h's sy_func, which reaches
 * it through the context's rules (evaluate.c sets them), so that the
 * core's constructors (E**x is exp(x)) do not call up into this layer.
 */
#ifndef PYNOTES_REF_SYMPY_FUNCTIONS_H_
#define PYNOTES_REF_SYMPY_FUNCTIONS_H_

#include "ref/sympy/expr.h"

/* fn(arg) evaluated: the value sympy's eval gives, or the function
 * unevaluated; NULL with ctx's error set (memory, or an argument outside
 * the subset: complex arguments, Floats). Use sy_func; this is its rule. */
const sy_expr *sy_eval_function(sy_ctx *ctx, sy_fn fn, const sy_expr *arg);

#endif /* PYNOTES_REF_SYMPY_FUNCTIONS_H_ */
