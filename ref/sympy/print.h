/*
 * sympy 1.11's StrPrinter (sympy/printing/str.py) for the expressions of
 * expr.h: str(expr), which is also repr(expr) and the REPL's echo.
 */
#ifndef PYNOTES_REF_SYMPY_PRINT_H_
#define PYNOTES_REF_SYMPY_PRINT_H_

#include "ref/protocol/strbuf.h"
#include "ref/sympy/expr.h"

/* Appends str(e) to out. Returns 0, or -1 with ctx's error set (memory). */
int sy_print(sy_ctx *ctx, const sy_expr *e, pn_strbuf *out);

/* Appends str() of e as StrPrinter prints it inside a larger object (a
 * Relational's side): as sy_print, but a Float's trailing zeros stripped.
 * Returns 0, or -1 with ctx's error set. */
int sy_print_inside(sy_ctx *ctx, const sy_expr *e, pn_strbuf *out);

#endif /* PYNOTES_REF_SYMPY_PRINT_H_ */
