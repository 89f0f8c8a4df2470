/*
 * The Newton note's expression language: a subset of Python's expression
 * grammar (conformance/PROTOCOL.md, "newton"), tokenized and parsed as
 * CPython 3.11 does, with CPython's SyntaxError messages for the mistakes it
 * names (unmatched and unclosed parentheses, bad number literals, a missing
 * comma or `else`), "invalid syntax" for the rest, and its limits on nesting
 * (200 parentheses, parser and compiler depth).
 */
#ifndef PYNOTES_REF_NEWTON_EXPR_PARSE_H_
#define PYNOTES_REF_NEWTON_EXPR_PARSE_H_

#include <stddef.h>

#include "ref/newton/pyerror.h"

typedef enum pn_node_kind {
  PN_NODE_INT,   /* an int literal: text */
  PN_NODE_FLOAT, /* a float literal: text */
  PN_NODE_IMAG,  /* an imaginary literal: text, without the j */
  PN_NODE_NAME,  /* text */
  PN_NODE_TRUE,
  PN_NODE_FALSE,
  PN_NODE_NONE,
  PN_NODE_ATTR,    /* a.NAME: text is NAME */
  PN_NODE_CALL,    /* a(args): args chained through `next` from b */
  PN_NODE_UNARY,   /* op (pn_unop) a */
  PN_NODE_NOT,     /* not a */
  PN_NODE_BINOP,   /* a op (pn_binop) b */
  PN_NODE_AND,     /* a and b */
  PN_NODE_OR,      /* a or b */
  PN_NODE_COMPARE, /* a, then b chained through `next`, each with its `compare` */
  PN_NODE_IFEXP,   /* b if a else c */
} pn_node_kind;

typedef struct pn_node {
  pn_node_kind kind;
  int op;
  const char *text; /* into the parsed source; not NUL-terminated */
  size_t len;
  int a, b, c; /* children: node indices, -1 for none */
  int next;    /* the next argument or comparand, -1 at the end */
  int compare; /* a comparand: the pn_compare before it */
} pn_node;

typedef struct pn_expr {
  pn_node *nodes;
  int count;
  int cap;
  int root;
} pn_expr;

/*
 * Parses source (len bytes, which it must outlive) into expr, which must be
 * zeroed first. Returns 0; or -1 with CPython's SyntaxError (or MemoryError,
 * RecursionError for nesting too deep for CPython's parser or compiler) in
 * error. Constructs outside the subset are a SyntaxError naming them.
 */
int pn_expr_parse(pn_expr *expr, const char *source, size_t len, pn_error *error);

/* Frees the nodes; expr may be parsed into again after zeroing. */
void pn_expr_free(pn_expr *expr);

#endif /* PYNOTES_REF_NEWTON_EXPR_PARSE_H_ */
