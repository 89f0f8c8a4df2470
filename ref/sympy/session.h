/*
 * The sympy note's interactive session: the sliver of Python its REPL uses
 * (`from sympy import *`, assignments with tuple unpacking, calls with
 * positional and keyword arguments, method calls, arithmetic, string and
 * integer literals) evaluated over expr.h, each line answered with what
 * CPython 3.11's interactive interpreter echoes or its exception line.
 */
#ifndef PYNOTES_REF_SYMPY_SESSION_H_
#define PYNOTES_REF_SYMPY_SESSION_H_

#include <stddef.h>

#include "ref/protocol/strbuf.h"

typedef struct sy_session sy_session;

/* A new, empty session (as a fresh `python3` prompt), or NULL (memory). */
sy_session *sy_session_new(void);

/* Runs one line (len bytes, no newline) and appends its answer: the echo
 * (repr of the value of an expression statement, nothing for None or a
 * statement) or `TypeName: message`. Returns 0, or -1 when even the answer
 * could not be built (memory). */
int sy_session_run(sy_session *s, const char *line, size_t len, pn_strbuf *out);

void sy_session_free(sy_session *s);

/* sympify(text) outside any session, for the fuzzer: appends str() of the
 * result or the exception line. Returns 0 or -1 (memory). */
int sy_sympify_string(const char *text, size_t len, pn_strbuf *out);

#endif /* PYNOTES_REF_SYMPY_SESSION_H_ */
