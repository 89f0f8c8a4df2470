/*
 * The reader of the getsizeof command: one input line parsed as CPython 3.11
 * parses it for eval (a single expression, compiled as "<string>"), into a
 * small syntax tree. It accepts Python's expression grammar broadly enough to
 * tell a valid expression it does not evaluate (answered "unsupported") from
 * a syntax error, which it words as CPython does: tokenizer errors first
 * (unterminated strings, bad number literals, unmatched brackets), then
 * literal decoding errors in source order, then the parser's ("'[' was never
 * closed", "invalid syntax. Perhaps you forgot a comma?", "invalid syntax").
 *
 * The tree lives in an arena owned by the pn_syntax; string and number
 * literals are decoded (str as code points, bytes as bytes, numbers as their
 * digits without underscores).
 */
#ifndef PYNOTES_REF_SIZEOF_SIZEOF_SYNTAX_H_
#define PYNOTES_REF_SIZEOF_SIZEOF_SYNTAX_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum pn_node_kind {
  PN_NODE_INT,   /* text: digits; base: 2, 8, 10 or 16 */
  PN_NODE_FLOAT, /* text: the literal without underscores, for strtod */
  PN_NODE_IMAG,  /* text: the literal without 'j' and underscores */
  PN_NODE_STR,   /* chars/length: code points */
  PN_NODE_BYTES, /* text/length: the bytes */
  PN_NODE_TRUE,
  PN_NODE_FALSE,
  PN_NODE_NONE,
  PN_NODE_NAME,   /* text: the identifier */
  PN_NODE_UNARY,  /* op: '-', '+', '~' or 'n' (not); child[0] */
  PN_NODE_BINARY, /* op: '+', '-', '*', or 'o' for any other operator; child[0], child[1] */
  PN_NODE_TUPLE,  /* child[0..count) */
  PN_NODE_LIST,
  PN_NODE_SET,
  PN_NODE_DICT,      /* child[2i] key (NULL for **x), child[2i+1] value */
  PN_NODE_CALL,      /* child[0] the callee, child[1..count) the arguments;
                        has_keywords, has_starred */
  PN_NODE_ATTRIBUTE, /* child[0].text */
  PN_NODE_LISTCOMP,  /* child[0] element, child[1] target, child[2] iterable; */
  PN_NODE_DICTCOMP,  /* child[0] key, child[1] value, child[2] target, child[3] iterable */
  PN_NODE_OTHER,     /* valid Python outside the listed forms (lambda, f-strings,
                        comparisons, generator expressions, ...) */
} pn_node_kind;

typedef struct pn_node {
  pn_node_kind kind;
  int op;
  int base;
  bool has_keywords;
  bool has_starred;
  bool simple_comprehension; /* one `for`, no `if`, not async */
  const char *text;
  const uint32_t *chars;
  size_t length;
  size_t count;
  struct pn_node **child;
} pn_node;

typedef struct pn_syntax pn_syntax;

/* The outcome of parsing a line: a tree, or the exception CPython raises
 * (type and message, e.g. "SyntaxError" and "invalid syntax (<string>, line 1)"). */
typedef struct pn_parse_result {
  const pn_node *tree;    /* NULL on error */
  const char *error_type; /* NULL on success */
  const char *error_message;
  int bracket_depth; /* py_tokens_depth of the line's tokens */
} pn_parse_result;

/* Parses `len` bytes of `line` (any bytes: invalid UTF-8 and NUL are
 * reported as eval reports them) as CPython 3.`minor` does: its errors worded
 * as that version words them (ref/py/syntax_messages.h), its limit of 4300
 * digits on decimal int literals from 3.7 (the recorded patch releases
 * have it). What that version words in a way not modelled is the refusal
 * NotImplementedError; a pre-pegen version's (minor < 10) wording is not
 * modelled at all, so its caller refuses every error. Returns NULL when
 * memory runs out; the result and the strings it points to live until
 * pn_syntax_free. */
pn_syntax *pn_syntax_parse(const char *line, size_t len, int minor, pn_parse_result *result);

/* Frees the parse and what its result points to; NULL frees nothing. */
void pn_syntax_free(pn_syntax *syntax);

#endif /* PYNOTES_REF_SIZEOF_SIZEOF_SYNTAX_H_ */
