/*
 * Checks of a getsizeof line's tokens (ref/py/tokenize.h, read without a
 * subset) by which the reader refuses what it does not model instead of
 * answering wrongly.
 */
#ifndef PYNOTES_REF_SIZEOF_SIZEOF_TOKEN_CHECKS_H_
#define PYNOTES_REF_SIZEOF_SIZEOF_TOKEN_CHECKS_H_

#include <stdbool.h>

#include "ref/py/tokenize.h"

/* Whether an expression can begin with t (for the forgotten-comma hint). */
bool pn_token_starts_expression(const py_token *t);

/* What the reader refuses wherever it stands, with its verb ("yield is"):
 * `yield` (valid in a lambda, its errors elsewhere not modelled) and `:=`
 * (whose targets and places are not); NULL when no token is. */
const char *pn_refused_token(const py_tokens *toks);

/* Whether the tokens hold a mistake 3.13's parser names where 3.11's says
 * "invalid syntax": `not` right after an operator ("'not' after an
 * operator must be parenthesized") or a `*` before what cannot start an
 * expression ("Invalid star expression"). */
bool pn_has_py313_mistake(const py_tokens *toks);

/* After the parser's own SyntaxError `message` (not the tokenizer's, not a
 * literal's): whether CPython's error pass, whose probes the reader models
 * only in part, may reach something that raises another error instead — a
 * stray backslash, a literal that does not decode, a decimal int past the
 * digit limit, the end of the line inside brackets — or parse `print` or
 * `exec` not called ("Missing parentheses in call to 'print'"). */
bool pn_parser_error_unsure(const py_tokens *toks, const char *message);

/* Whether a token is `async` or `await`, names outside a coroutine in 3.6. */
bool pn_has_async_word(const py_tokens *toks);

#endif /* PYNOTES_REF_SIZEOF_SIZEOF_TOKEN_CHECKS_H_ */
