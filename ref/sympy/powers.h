/*
 * The rules of sympy 1.11's Pow.__new__ (core/power.py) that look into a
 * symbolic or irrational exponent: a base recognized as E
 * (2**(y/log(2)) is exp(y)), Zero._eval_power (0**(2*x) is 0**x, 0**I is
 * nan, 0**pi is 0), and Pow._eval_power and exp._eval_power for a power of
 * a power (sqrt(x)**y is x**(y/2), exp(2)**x is exp(2*x)). Each asks
 * sympy's assumptions of an expression whose symbols have none; where
 * pyref cannot tell what they answer it refuses.
 */
#ifndef PYNOTES_REF_SYMPY_POWERS_H_
#define PYNOTES_REF_SYMPY_POWERS_H_

#include "ref/sympy/expr.h"

/* base**exp by those rules, for an exp that is no Number, or a Rational
 * that is no integer when base is a power whose exponent is no Number or
 * an exp: the value; or NULL with ctx's error clear when no rule applies
 * (the caller goes on with the rest of Pow.__new__); or NULL with ctx's
 * error set (NotImplementedError where sympy's answer depends on what
 * pyref does not model). base and exp hold no special Number and no
 * Float. */
const sy_expr *sy_pow_symbolic(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp);

#endif /* PYNOTES_REF_SYMPY_POWERS_H_ */
