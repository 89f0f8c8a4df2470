/*
 * cos, sin and tan at rational multiples of pi and of arguments that hold
 * one (sympy/functions/elementary/trigonometric.py: _pi_coeff,
 * _peeloff_pi and the eval methods): cos(pi/3) is 1/2, sin(3*pi/4) is
 * sqrt(2)/2, tan(pi/6) is sqrt(3)/3, cos(x + pi) is -cos(x).
 */
#ifndef PYNOTES_REF_SYMPY_TRIG_H_
#define PYNOTES_REF_SYMPY_TRIG_H_

#include <stdbool.h>

#include "ref/sympy/expr.h"

/* The value of fn(arg) (fn one of SY_COS, SY_SIN, SY_TAN) from the rules
 * that involve pi, with *done set; or NULL with *done false when none
 * applies (sympy leaves the function unevaluated), or NULL with ctx's
 * error set. The argument has already lost its minus sign; a Float
 * in it only as sy_trig_float_pi has it. */
const sy_expr *sy_trig_eval(sy_ctx *ctx, sy_fn fn, const sy_expr *arg, bool *done);

/* Whether arg is a product of a Float, pi and maybe more factors, whose
 * Float sympy's _pi_coeff may recast to a Rational (cos(4.0*pi*x) is
 * cos(4*pi*x)): sy_trig_eval takes such a number argument too. */
bool sy_trig_float_pi(const sy_expr *arg);

/* out = c mod m as Python's % computes it for Rationals: in [0, m) for a
 * positive m. out may be c. */
void sy_rational_mod(mpq_t out, const mpq_t c, const mpq_t m);

#endif /* PYNOTES_REF_SYMPY_TRIG_H_ */
