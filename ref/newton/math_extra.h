/*
 * The math functions of CPython 3.11 beyond math_1 and loghelper: fmod,
 * remainder, copysign, pow, ldexp, nextafter, ulp, hypot, isclose, degrees,
 * radians, gamma, lgamma, the int functions factorial, isqrt, gcd, lcm, comb
 * and perm, and fsum and prod (errors only: no value here is iterable). Each
 * follows its implementation in Modules/mathmodule.c: the same libm call or
 * algorithm, the same argument checks in the same order, the same exception
 * lines.
 */
#ifndef PYNOTES_REF_NEWTON_MATH_EXTRA_H_
#define PYNOTES_REF_NEWTON_MATH_EXTRA_H_

#include "ref/newton/pyvalue.h"
#include "ref/py/error.h"

/* math.NAME(*args): 0 with the result in the initialised `out`, or -1 with
 * CPython's exception in `error`. `name` must be known to
 * pn_math_extra_known. Int results larger than PN_INT_MAX_BITS bits raise
 * MemoryError (see pyvalue.h). */
int pn_math_extra_call(py_error *error, const char *name, const pn_value *args, int argc,
                       pn_value *out);

#endif /* PYNOTES_REF_NEWTON_MATH_EXTRA_H_ */
