/*
 * The Newton note's script (golden/newton/newton.py) in C: 100 Newton steps
 * from the int 1 on the expression in x, with a forward-difference
 * derivative of step H = 1e-5, then print() of the result.
 */
#ifndef PYNOTES_REF_NEWTON_NEWTON_H_
#define PYNOTES_REF_NEWTON_NEWTON_H_

#include <stddef.h>

#include "ref/protocol/strbuf.h"

/* Appends what `python newton.py EXPR` prints for the expression (len
 * bytes), or its traceback's last line. Returns 0, or -1 when memory ran
 * out. */
int pn_newton_run(const char *expression, size_t len, pn_strbuf *out);

#endif /* PYNOTES_REF_NEWTON_NEWTON_H_ */
