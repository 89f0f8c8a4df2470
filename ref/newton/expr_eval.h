/*
 * Evaluates a parsed Newton expression as the note's eval() does: inside
 * `lambda x: eval(sys.argv[1])` at the script's module level, so `x` is the
 * lambda's argument, the script's globals (H, derivative, newton, runner,
 * sys, the module dunders; math too in the newton_math.py variant) and every
 * builtin are visible. Of those it models x, H, math and the builtins abs,
 * min, max, pow, round and len; the other names that exist are a
 * NotImplementedError refusal, and every name that does not is a NameError
 * (with CPython's "Did you mean" over the globals, then the builtins).
 */
#ifndef PYNOTES_REF_NEWTON_EXPR_EVAL_H_
#define PYNOTES_REF_NEWTON_EXPR_EVAL_H_

#include "ref/newton/pyvalue.h"
#include "ref/py/error.h"
#include "ref/py/parse.h"

/* The script's `H = 1e-5`: the derivative's step, and a name eval sees. */
#define PN_NEWTON_H 1e-5

/* Which script evaluates the expression: the note's golden/newton/newton.py,
 * or the variant golden/newton/newton_math.py (the note plus `import math`). */
typedef enum pn_newton_script { PN_NEWTON_NOTE, PN_NEWTON_MATH } pn_newton_script;

/* Sets out (initialised) to the value of expr with x bound, under script's
 * globals. Returns 0, or -1 with Python's exception in error
 * (NotImplementedError for what is outside the subset). */
int pn_expr_eval(const py_expr *expr, pn_newton_script script, const pn_value *x, pn_value *out,
                 py_error *error);

#endif /* PYNOTES_REF_NEWTON_EXPR_EVAL_H_ */
