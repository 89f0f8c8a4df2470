/*
 * The SyntaxError of a getsizeof line as CPython 3.6 to 3.9 raise it, from
 * what the reader found parsing it as 3.11 does. Those versions have no
 * error pass: 3.6 to 3.8's LL(1) parser and 3.9's first PEG parser report
 * the token they stop at ("unexpected EOF while parsing" when reading it
 * met the end of the source, "invalid syntax" otherwise), a tokenizer error
 * only once they read its token, and (up to 3.8) a literal's or a target's
 * error only after the whole line parsed. What is not modelled exactly is
 * refused: non-ASCII outside strings, CRs, targets other than literals, None, True,
 * False, calls and the ellipsis.
 */
#ifndef PYNOTES_REF_SIZEOF_SIZEOF_OLD_SYNTAX_H_
#define PYNOTES_REF_SIZEOF_SIZEOF_OLD_SYNTAX_H_

#include <stddef.h>

#include "ref/py/tokenize.h"

typedef struct pn_old_parse {
  const py_tokens *tokens; /* 3.11's: ending with PY_T_END, or the tokenizer's PY_T_ERROR */
  const char *line;        /* the source after eval's leading blanks */
  size_t len;
  int fail_pos; /* the token the parse stopped at; -1 when it parsed the line */
  /* The first error of a literal (decoding, mixed bytes, the digit limit)
   * or of an assignment target met while parsing, in 3.11's wording without
   * location, at token deferred_pos; NULL for none. */
  const char *deferred;
  int deferred_pos;
  const char *target; /* a target's error: what the target is (3.11's word), else NULL */
} pn_old_parse;

/* CPython 3.`minor`'s (6 to 9) SyntaxError line for parse, message and
 * location, into out (size bytes): 1; or 0 when it is not modelled (or the
 * line has no error). */
int pn_old_syntax_error(int minor, const pn_old_parse *parse, char *out, size_t size);

/* For the tokenizer's error t of a number that 3.6 to 3.9 end early (it
 * runs into a name: `1abc` is 1 and abc; in 3.6 and 3.7 a bad digit after
 * good ones: `0b102` is 0b10 and 2), where in line the number ends; else 0.
 * The old parsers read it as that number (fail_pos: the number's token when
 * they stop at it; past it when they read the token after). */
size_t pn_old_number_split(int minor, const py_token *t, const char *line);

/* Whether a name is given twice as a keyword argument (`f(x=1, x=2)`),
 * which 3.6 to 3.8's ast.c refuses as "keyword argument repeated" after
 * the parse: a line of tokens that parsed. */
int pn_old_repeated_keyword(const py_tokens *tokens);

#endif /* PYNOTES_REF_SIZEOF_SIZEOF_OLD_SYNTAX_H_ */
