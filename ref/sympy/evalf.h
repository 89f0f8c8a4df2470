/*
 * N(e, n) and e.evalf(n) for real number expressions, with MPFR: the value
 * rounded to the binary precision sympy gives n digits (dps_to_prec), printed
 * as StrPrinter prints a Float at top level (mpmath's to_str with
 * prec_to_dps digits, trailing zeros kept): N(pi) is 3.14159265358979.
 */
#ifndef PYNOTES_REF_SYMPY_EVALF_H_
#define PYNOTES_REF_SYMPY_EVALF_H_

#include "ref/protocol/strbuf.h"
#include "ref/sympy/expr.h"

/* Appends str(N(e, digits)) to out for a number expression e (no free
 * symbols) whose value is real. Returns 0, or -1 with ctx's error set
 * (NotImplementedError when the value is complex, undefined or too close
 * to a cancellation to be sure of every digit; MemoryError). */
int sy_evalf(sy_ctx *ctx, const sy_expr *e, long digits, pn_strbuf *out);

/* Appends str of the 53-bit Float value: all 15 digits at top level
 * (1.50000000000000), trailing zeros stripped inside an expression
 * (strip_zeros: x + 1.5). Returns 0, or -1 when memory ran out. */
int sy_float_str(double value, bool strip_zeros, pn_strbuf *out);

/* e's value as a 15-digit Float (53 bits), when e is a real number
 * expression whose value two working precisions agree on, nonzero and of
 * moderate magnitude. */
bool sy_float_value(const sy_expr *e, double *out);

/* N(e) for an expression with free symbols: every number in it a Float of
 * 15 digits, integer exponents kept (N(x**2/3 + 1) is
 * 0.333333333333333*x**2 + 1.0). NULL with ctx's error set for a form
 * whose numbers sympy's evalf treats otherwise. */
const sy_expr *sy_evalf_expr(sy_ctx *ctx, const sy_expr *e);

#endif /* PYNOTES_REF_SYMPY_EVALF_H_ */
