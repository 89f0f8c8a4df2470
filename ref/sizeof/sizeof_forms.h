/*
 * The forms the getsizeof command evaluates: the syntax trees the CPython
 * adapter's check lets through to eval (tools/pynotes/cpython_sizeof.py's
 * _check), literals, displays and the listed calls; anything else answers
 * "unsupported" however valid its Python.
 */
#ifndef PYNOTES_REF_SIZEOF_SIZEOF_FORMS_H_
#define PYNOTES_REF_SIZEOF_SIZEOF_FORMS_H_

#include <stdbool.h>

#include "ref/sizeof/sizeof_syntax.h"

/* Whether the node is one literal: a number, str or bytes, True, False or
 * None. */
bool pn_node_is_literal(const pn_node *node);

/* Whether the node is a constant once CPython's AST optimizer has folded it
 * (literals, signed numbers, complex literals, tuples of constants). */
bool pn_node_is_constant(const pn_node *node);

/* Whether the adapter's check accepts the tree n. */
bool pn_sizeof_supported(const pn_node *n);

/* A unary + or - (of any operand). */
bool pn_sizeof_is_signed(const pn_node *n);

/* An int literal, signed or not. */
bool pn_sizeof_is_int_literal(const pn_node *n);

/* A call of the builtin name with no keyword arguments. */
bool pn_sizeof_is_call_of(const pn_node *n, const char *name);

#endif /* PYNOTES_REF_SIZEOF_SIZEOF_FORMS_H_ */
