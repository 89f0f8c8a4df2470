/*
 * sympy's Relationals and Boolean logic in the session (session_logic.c):
 * `<`, `<=`, `>`, `>=` and Eq, Ne, Lt, Le, Gt, Ge with sympy 1.11's
 * automatic evaluation to True or False (is_ge, is_eq) where the subset can
 * decide it exactly, left unevaluated where sympy leaves them, refused
 * otherwise; `&`, `|`, `^`, `~` and And, Or, Xor, Not on them
 * (LatticeOp's flattening, ordering and canonical duplicates); and
 * StrPrinter's printing of both.
 */
#ifndef PYNOTES_REF_SYMPY_SESSION_LOGIC_H_
#define PYNOTES_REF_SYMPY_SESSION_LOGIC_H_

#include <stdbool.h>
#include <stddef.h>

#include "ref/protocol/strbuf.h"
#include "ref/sympy/session_value.h"

typedef enum sy_rel_op {
  SY_REL_LT,
  SY_REL_LE,
  SY_REL_GT,
  SY_REL_GE,
  SY_REL_EQ,
  SY_REL_NE
} sy_rel_op;

typedef enum sy_logic_op { SY_LOGIC_AND, SY_LOGIC_OR, SY_LOGIC_XOR, SY_LOGIC_NOT } sy_logic_op;

/* Whether v is one of sympy's Booleans: a Relational, And, Or, Xor, Not,
 * or BooleanTrue/BooleanFalse. */
bool sy_is_boolean(const value *v);

/* Python's `a OP b` for OP one of < <= > >= (op SY_REL_LT .. SY_REL_GE):
 * two Python ints compare as ints; a sympy expression with an int, a float
 * or another expression is sympy's inequality (reflected when the Python
 * number is on the left: `1 < x` is `x > 1`). NULL with the error set
 * (TypeError for nan and zoo, as sympy raises; NotImplementedError outside
 * the subset). */
const value *sy_compare(evaluator *ev, sy_rel_op op, const value *a, const value *b);

/* Eq, Ne, Lt, Le, Gt, Ge, And, Or, Xor, Not (fn F_EQ .. F_NOT) called with
 * args[0..n) and no keywords; NULL with the error set. */
const value *sy_logic_call(evaluator *ev, func_id fn, const value *const *args, size_t n);

/* `a & b`, `a | b`, `a ^ b` (op SY_LOGIC_AND, _OR, _XOR) where a or b is
 * a Boolean (sy_is_boolean), and `~a` (SY_LOGIC_NOT, b NULL); NULL with the
 * error set. */
const value *sy_logic_op_values(evaluator *ev, sy_logic_op op, const value *a, const value *b);

/* Appends str() of a Boolean (sy_is_boolean) to out. Returns 0, or -1 with
 * ctx's error set. */
int sy_logic_repr(sy_ctx *ctx, const value *v, pn_strbuf *out);

#endif /* PYNOTES_REF_SYMPY_SESSION_LOGIC_H_ */
