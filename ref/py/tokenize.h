/*
 * The Python front end's tokenizer: one line of source split as
 * Parser/tokenizer.c of CPython 3.11 splits it, for every parser of the
 * reference (ref/py/parse.c's expression and statement subsets, sizeof's
 * reader of eval's whole expression grammar). It stops at the first error,
 * a PY_T_ERROR token whose message is CPython's wording
 * (ref/py/syntax_messages.h) and, where known, CPython's column.
 *
 * A subset (py_token_options.subset) takes only the tokens of the
 * newton and IPython subsets: names in ASCII, numbers, parentheses (square
 * brackets when asked), the operators its parser reads and, for
 * statements, plain one-line strings;
 * anything else valid is the refusal "... is outside the SUBSET subset of
 * pyref" where it starts (a PY_T_ERROR with refusal set), so that valid
 * Python is never a SyntaxError. Without a subset every token of eval's
 * source is read: string literals with their prefixes, all brackets, every
 * operator, comments, a CR as a line break, a stray backslash.
 */
#ifndef PYNOTES_REF_PY_TOKENIZE_H_
#define PYNOTES_REF_PY_TOKENIZE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The refusal of an f-string with a replacement field, whose expression no
 * parser of the reference reads (NotImplementedError). */
#define PY_FSTRING_FIELDS "f-strings with replacement fields are not modelled"

/* CPython's tokenizer refuses more nested brackets than this (MAXLEVEL). */
#define PY_MAX_PAREN_LEVEL 200

typedef enum py_token_kind {
  PY_T_NUMBER,
  PY_T_NAME,
  PY_T_STRING, /* a subset's: text without its quotes; else body, body_len */
  PY_T_OP,
  PY_T_NEWLINE,  /* a CR at bracket level 0 (without a subset) */
  PY_T_LINECONT, /* a backslash not ending a line: an error once a parser reaches it */
  PY_T_END,
  PY_T_ERROR, /* a tokenizer error or a subset's refusal: the token list ends here */
} py_token_kind;

typedef enum py_number_kind { PY_NUM_INT, PY_NUM_FLOAT, PY_NUM_IMAG } py_number_kind;

typedef struct py_token {
  py_token_kind kind;
  const char *text; /* into the source */
  size_t len;
  int level; /* brackets open before this token (a closing one: after it) */
  /* PY_T_NUMBER */
  py_number_kind number;
  int base; /* 2, 8, 10 or 16 */
  /* PY_T_STRING without a subset: the prefix's letters and the body between the quotes */
  bool bytes, raw, fstring;
  const char *body;
  size_t body_len;
  /* PY_T_ERROR */
  bool at_end;         /* a subset's "'(' was never closed": the end inside brackets */
  bool refusal;        /* valid Python outside the subset, not CPython's error */
  bool into_name;      /* a number running into a name (verify_end_of_number, from 3.10) */
  const char *message; /* CPython's message, without a location; may point into buffer */
  size_t error_offset; /* CPython's 1-based column of the error; 0 unknown */
  char buffer[128];    /* messages with a detail */
} py_token;

typedef struct py_tokens {
  py_token *items;
  int count;
  int cap;
  char opened[PY_MAX_PAREN_LEVEL]; /* the brackets still open at the end */
  int open_count;
} py_tokens;

typedef struct py_token_options {
  const char *subset; /* NULL: every token of eval's source; else named in refusals */
  bool strings;       /* a subset's plain one-line string literals (statements) */
  int minor;     /* the CPython 3.x whose wording f-strings take (3.12's tokenizer reads them) */
  bool brackets; /* a subset's '[' and ']' (list displays); else refused as '{' is */
} py_token_options;

/* Splits source[0..len) into tokens, which must be zeroed first, ending with
 * PY_T_END, or at the first PY_T_ERROR. Returns 0, or -1 when memory runs
 * out (tokens then holds what was read). Leading spaces, tabs and form
 * feeds of each token are skipped. With a subset, a comment runs to a line
 * break, a line break inside brackets is a blank and one outside them ends
 * the source: only blank lines may follow it (else a refusal). */
int py_tokenize(const char *source, size_t len, const py_token_options *options, py_tokens *tokens);

/* The deepest bracket nesting among the tokens (those read before a
 * tokenizer error, if one stopped it): 1 for "[1]", each of ( [ { counting;
 * what a pre-pegen parser's stack must hold. */
int py_tokens_depth(const py_tokens *tokens);

/* Whether t is the operator op. */
bool py_token_is_op(const py_token *t, const char *op);

/* Whether t is the name word (a keyword or not). */
bool py_token_is_word(const py_token *t, const char *word);

/* Whether t is one of Python 3's keywords (True, False and None too). */
bool py_token_is_keyword(const py_token *t);

/* Frees the tokens; they may be filled again after zeroing. */
void py_tokens_free(py_tokens *tokens);

/* Decodes one strict UTF-8 character at p (n bytes left, n > 0) into *out;
 * returns its length, or 0 when the bytes start no valid character. */
size_t py_utf8_decode(const unsigned char *p, size_t n, uint32_t *out);

#endif /* PYNOTES_REF_PY_TOKENIZE_H_ */
