/*
 * Evaluates a parsed Newton expression as the note's eval() does: `x` bound
 * to a value, `math` the math module, and the builtins abs, min, max, pow and
 * round; every other name is a NameError (with CPython's "Did you mean").
 */
#ifndef PYNOTES_REF_NEWTON_EXPR_EVAL_H_
#define PYNOTES_REF_NEWTON_EXPR_EVAL_H_

#include "ref/newton/pyvalue.h"
#include "ref/py/error.h"
#include "ref/py/parse.h"

/* Sets out (initialised) to the value of expr with x bound. Returns 0, or -1
 * with Python's exception in error. */
int pn_expr_eval(const py_expr *expr, const pn_value *x, pn_value *out, py_error *error);

#endif /* PYNOTES_REF_NEWTON_EXPR_EVAL_H_ */
