/*
 * The Newton note's script (golden/newton/newton.py) in C: runner(f, 100),
 * whose first step is newton(f, 1) from the int 1 and every later one
 * newton(f, x), with newton(f, x) = x - f(x) / derivative(f, x) and the
 * forward difference derivative(f, x) = (f(x + H) - f(x)) / H, H = 1e-5;
 * then print() of the result.
 */
#ifndef PYNOTES_REF_NEWTON_NEWTON_H_
#define PYNOTES_REF_NEWTON_NEWTON_H_

#include <stddef.h>

#include "ref/newton/expr_eval.h"
#include "ref/protocol/strbuf.h"

/* Appends what `python SCRIPT EXPR` prints for the expression (len bytes),
 * SCRIPT being newton.py or its variant newton_math.py, or its traceback's
 * last line (a NotImplementedError line for what pyref does not model).
 * Returns 0, or -1 when memory ran out. */
int pn_newton_run(pn_newton_script script, const char *expression, size_t len, pn_strbuf *out);

#endif /* PYNOTES_REF_NEWTON_NEWTON_H_ */
