/*
 * The getsizeof reader's tokenizer (Parser/tokenizer.c of CPython 3.11) and
 * literal decoding (Parser/string_parser.c), shared with its parser
 * (sizeof_syntax.c): the token list of one line, in the pn_syntax that also
 * holds the parse's arena and its first error.
 */
#ifndef PYNOTES_REF_SIZEOF_SIZEOF_TOKENS_H_
#define PYNOTES_REF_SIZEOF_SIZEOF_TOKENS_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ref/py/arena.h"

/* CPython's tokenizer refuses more nested brackets than this (MAXLEVEL). */
enum { MAX_LEVEL = 200 };

/* The refusal of an f-string with a replacement field, whose expression
 * the reader does not parse (NotImplementedError). */
#define PN_FSTRING_FIELDS "f-strings with replacement fields are not modelled"

/* The parse (sizeof_syntax.h names it for its callers). */
typedef struct pn_syntax pn_syntax;

/* What a TOK_NUMBER is; the parser makes the node of that kind. */
typedef enum token_number { TOKEN_INT, TOKEN_FLOAT, TOKEN_IMAG } token_number;

typedef enum token_kind {
  TOK_NAME,
  TOK_NUMBER,
  TOK_STRING,
  TOK_OP,
  TOK_NEWLINE,
  TOK_LINECONT, /* a backslash not ending a line: an error once the parser reaches it */
  TOK_END,
} token_kind;

typedef struct token {
  token_kind kind;
  const char *start; /* in the line */
  size_t len;
  int level; /* bracket depth before this token */
  /* TOK_STRING */
  bool bytes, raw, fstring;
  const char *body;
  size_t body_len;
  /* TOK_NUMBER */
  token_number number_kind;
  int base;
} token;

struct pn_syntax {
  py_arena arena; /* the tree, its strings and the error message */
  token *tokens;
  size_t ntokens, tokens_cap;
  size_t pos;
  int depth;
  char opened[MAX_LEVEL]; /* the bracket stack at the end of the line */
  int minor;              /* the CPython 3.x whose wording the errors take (6 to 13) */
  int max_depth;          /* the deepest nesting the parser reached */
  bool literal_error;     /* the error is a literal's (decoding, digit limit) */
  bool without_invalid;   /* inside a probe: CPython's expression_without_invalid */
  int open_count;
  /* the first error: type and message */
  const char *error_type;
  char *error_message;
  bool out_of_memory;
};

/* Zeroed memory from the parse's arena, or NULL with out_of_memory set. */
void *pn_syntax_alloc(pn_syntax *s, size_t n);

/* A NUL-terminated arena copy of n bytes of text, or NULL as pn_syntax_alloc. */
char *pn_syntax_strndup(pn_syntax *s, const char *text, size_t n);

/* Records the exception (type a string literal; message printf's format)
 * unless one is recorded already: later ones are consequences. Returns
 * false, so that parsers can `return pn_syntax_fail(...)`. */
bool pn_syntax_fail(pn_syntax *s, const char *type, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* A SyntaxError as eval reports it for the line: the message with its
 * location. */
#define SYNTAX_ERROR(s, format, ...) \
  pn_syntax_fail((s), "SyntaxError", format " (<string>, line 1)", ##__VA_ARGS__)

/* eval encodes its str source to UTF-8: bytes that were not UTF-8 (read as
 * lone surrogates) fail there, reported as one run of characters. Returns
 * whether p[0..n) is UTF-8; otherwise the error is recorded. */
bool pn_syntax_check_encoding(pn_syntax *s, const unsigned char *p, size_t n);

/* Splits line[0..len) into s's tokens, ending with TOK_END, and records the
 * bracket stack left open at the end (opened, open_count). Returns false
 * with the tokenizer's error recorded (or out_of_memory). */
bool pn_syntax_tokenize(pn_syntax *s, const char *line, size_t len);

/* The code points of a str literal's body (t a TOK_STRING, not bytes) into
 * out (room for body_len of them), their count in *out_len; false with the
 * decoding error recorded (a bad escape's SyntaxError; NotImplementedError
 * for \N{...}, which needs the Unicode name table). */
bool pn_syntax_decode_str(pn_syntax *s, const token *t, uint32_t *out, size_t *out_len);

/* The bytes of a bytes literal's body into out (room for body_len),
 * their count in *out_len; false with the error recorded (non-ASCII
 * characters, bad escapes). */
bool pn_syntax_decode_bytes(pn_syntax *s, const token *t, char *out, size_t *out_len);

#endif /* PYNOTES_REF_SIZEOF_SIZEOF_TOKENS_H_ */
