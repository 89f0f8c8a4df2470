/*
 * The calls of the session (session_calls.c): the functions and methods of
 * the subset with CPython's arity and keyword errors, and the readers of
 * decimals and free symbols the evaluator (session.c) shares with them.
 */
#ifndef PYNOTES_REF_SYMPY_SESSION_CALLS_H_
#define PYNOTES_REF_SYMPY_SESSION_CALLS_H_

#include <stddef.h>

#include "ref/sympy/expr.h"
#include "ref/sympy/session_value.h"

/* How read_decimal found a text. */
typedef enum decimal_status { DECIMAL_OK, DECIMAL_BAD_CHARACTER, DECIMAL_UNREAD } decimal_status;

/* text[0..len) as a decimal of the characters 0-9 . + - e E: its finite
 * double value (strtod: correctly rounded) into *value and its count of
 * significant digits (leading zeros and the exponent's excluded) into
 * *digits. DECIMAL_BAD_CHARACTER for any other character, DECIMAL_UNREAD
 * for a text too long or one strtod does not read whole and finite. */
decimal_status sy_read_decimal(const char *s, size_t len, double *value, size_t *digits);

/* e.free_symbols: a set of e's symbols, sorted by sympy's sort key, or NULL
 * with the error set. */
const value *sy_free_symbols(evaluator *ev, const sy_expr *e);

/* f(*args, **kw) for the functions and methods of the subset (f a V_FUNC or
 * V_METHOD value): the result, or NULL with the error set (TypeError for a
 * wrong arity or keyword as CPython words it, NotImplementedError outside
 * the subset). */
const value *sy_call(evaluator *ev, const value *f, const value *const *args, size_t n,
                     const kwargs *kw);

#endif /* PYNOTES_REF_SYMPY_SESSION_CALLS_H_ */
