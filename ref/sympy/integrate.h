/*
 * integrate(f, x) and integrate(f, (x, a, b)) for the forms sympy 1.11's
 * integrate answers without a search: f expanded (mul and multinomial) and
 * integrated term by term, each term a factor free of x times one of x**n,
 * (x + c)**-1, sin, cos or exp of a linear argument, log(x) or tan(x);
 * x**k times sin or cos of a linear argument by parts, and the terms
 * c*x**k*exp(u) of one linear u together, as risch_integrate writes them.
 */
#ifndef PYNOTES_REF_SYMPY_INTEGRATE_H_
#define PYNOTES_REF_SYMPY_INTEGRATE_H_

#include "ref/sympy/expr.h"

/* The antiderivative of e with respect to the Symbol x, as sympy prints it
 * (no constant). NULL with ctx's error set: NotImplementedError for a form
 * outside those above, MemoryError. */
const sy_expr *sy_integrate(sy_ctx *ctx, const sy_expr *e, const sy_expr *x);

/* The definite integral of e over x from a to b: F(b) - F(a). Forms whose
 * antiderivative is singular somewhere (negative or fractional powers of x,
 * log, tan) are answered only when both limits are positive real numbers,
 * where F is continuous between them; otherwise NotImplementedError. A
 * limit may be oo or -oo when every term of F vanishes there or is free of
 * x (exponential decay, negative powers of x). */
const sy_expr *sy_integrate_definite(sy_ctx *ctx, const sy_expr *e, const sy_expr *x,
                                     const sy_expr *a, const sy_expr *b);

#endif /* PYNOTES_REF_SYMPY_INTEGRATE_H_ */
