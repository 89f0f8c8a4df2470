/* print(value) for the Newton evaluator's values, as CPython 3.11 writes them. */
#ifndef PYNOTES_REF_NEWTON_PYPRINT_H_
#define PYNOTES_REF_NEWTON_PYPRINT_H_

#include "ref/newton/pyvalue.h"
#include "ref/protocol/strbuf.h"
#include "ref/py/error.h"

/* Appends str(v): float repr, complex repr (`(1+2j)`, `1j`, `(-0+nanj)`),
 * int in decimal (ValueError beyond CPython's 4300-digit limit), True,
 * False, None. Returns 0, or -1 with error set (type NULL when memory ran
 * out). */
int pn_print_value(const pn_value *v, pn_strbuf *out, py_error *error);

#endif /* PYNOTES_REF_NEWTON_PYPRINT_H_ */
