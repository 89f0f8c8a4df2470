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

#endif /* PYNOTES_REF_SYMPY_EVALF_H_ */
