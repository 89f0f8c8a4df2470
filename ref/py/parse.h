/*
 * The Python front end: a tokenizer and parser of one Python expression, as
 * eval() compiles it on CPython 3.11, into an AST. It parses the expression
 * subset the notes evaluate (numbers, names, True/False/None, attributes,
 * calls with positional arguments, unary, binary and boolean operators,
 * comparisons, conditional expressions) and raises CPython's SyntaxError
 * for the mistakes CPython names (unmatched and unclosed parentheses, bad
 * number literals, a missing comma or `else`; ref/py/syntax_messages.h),
 * "invalid syntax" for the rest, choosing among them as CPython's parser
 * does, and CPython's limits on nesting (200 parentheses, parser and compiler
 * depth). A caller may take list and tuple displays too (py_displays).
 * Valid Python outside the subset (strings, displays the caller does not
 * take, `in`, keyword arguments, lambda, subscripts, `<<`, ...) is never a
 * SyntaxError but the refusal NotImplementedError "... is outside the
 * SUBSET subset of pyref", the caller naming its subset.
 */
#ifndef PYNOTES_REF_PY_PARSE_H_
#define PYNOTES_REF_PY_PARSE_H_

#include <stddef.h>

#include "ref/py/error.h"

/* The operators, in the AST's `op` (PY_NODE_BINOP, PY_NODE_UNARY) and
 * `compare` (a comparand of PY_NODE_COMPARE). */
typedef enum py_binop {
  PY_ADD,
  PY_SUB,
  PY_MUL,
  PY_TRUEDIV,
  PY_FLOORDIV,
  PY_MOD,
  PY_POW,
  PY_MATMUL,
} py_binop;

typedef enum py_compare { PY_LT, PY_LE, PY_EQ, PY_NE, PY_GT, PY_GE } py_compare;

typedef enum py_unop { PY_NEG, PY_POS, PY_INVERT } py_unop;

typedef enum py_node_kind {
  PY_NODE_INT,   /* an int literal: text */
  PY_NODE_FLOAT, /* a float literal: text */
  PY_NODE_IMAG,  /* an imaginary literal: text, without the j */
  PY_NODE_NAME,  /* text */
  PY_NODE_TRUE,
  PY_NODE_FALSE,
  PY_NODE_NONE,
  PY_NODE_ATTR,    /* a.NAME: text is NAME */
  PY_NODE_CALL,    /* a(args): args chained through `next` from b */
  PY_NODE_UNARY,   /* op (py_unop) a */
  PY_NODE_NOT,     /* not a */
  PY_NODE_BINOP,   /* a op (py_binop) b */
  PY_NODE_AND,     /* a and b */
  PY_NODE_OR,      /* a or b */
  PY_NODE_COMPARE, /* a, then b chained through `next`, each with its `compare` */
  PY_NODE_IFEXP,   /* b if a else c */
  PY_NODE_STR,     /* a plain string literal (py_parse_statement only): text between the quotes */
  PY_NODE_LIST,    /* [elements]: b heads them, chained through `next`; -1 for [] */
  PY_NODE_TUPLE,   /* (elements) or elements at eval's top level: as PY_NODE_LIST */
} py_node_kind;

/* The displays a caller of py_parse_expression evaluates, or'ed together;
 * the others are refused (NotImplementedError). */
typedef enum py_displays {
  PY_DISPLAYS_NONE = 0,
  PY_DISPLAY_LISTS = 1,  /* [a, b], [a], [], with CPython's errors for '[' and ']' */
  PY_DISPLAY_TUPLES = 2, /* (a, b), (a,), (), and `a, b` at eval's top level */
} py_displays;

typedef struct py_node {
  py_node_kind kind;
  int op;
  const char *text; /* into the parsed source; not NUL-terminated */
  size_t len;
  int a, b, c; /* children: node indices, -1 for none */
  int next;    /* the next argument or comparand, -1 at the end */
  int compare; /* a comparand: the py_compare before it */
} py_node;

typedef struct py_expr {
  py_node *nodes;
  int count;
  int cap;
  int root;
} py_expr;

/*
 * Parses source (len bytes, which it must outlive) into expr, which must be
 * zeroed first, taking the py_displays in `displays`. Returns 0; or -1 with CPython's SyntaxError
 * (or MemoryError, RecursionError for nesting too deep for CPython's parser or compiler; ValueError
 * for a NUL byte, as eval() of a str raises) in error. Constructs outside the subset are
 * NotImplementedError "... is outside the SUBSET subset of pyref", subset being e.g. "newton
 * expression"; so is an input whose CPython SyntaxError depends on how such a construct would
 * parse.
 */
int py_parse_expression(py_expr *expr, const char *source, size_t len, const char *subset,
                        int displays, py_error *error);

/* What one line of an interactive session is, as far as the statement
 * subset goes: nothing (blanks, a comment), an expression, or `NAME = expr`. */
typedef enum py_stmt_kind { PY_STMT_EMPTY, PY_STMT_EXPR, PY_STMT_ASSIGN } py_stmt_kind;

typedef struct py_stmt {
  py_stmt_kind kind;
  const char *target; /* PY_STMT_ASSIGN: the name assigned to, into the source */
  size_t target_len;
  py_expr expr; /* PY_STMT_EXPR and PY_STMT_ASSIGN: the expression (its value) */
  /* After a SyntaxError: the 1-based column CPython 3.11 reports it at (its
   * `offset`, compiling the line in 'exec' mode), 0 when the parser does not
   * know it. */
  int error_offset;
} py_stmt;

/*
 * Parses one logical line of source as a statement, as compile(source, ...,
 * 'exec') does on CPython 3.11 (line breaks only inside brackets; more
 * lines are refused), into stmt, whose expr must be zeroed first. Returns 0;
 * or -1 with the exception in error as py_parse_expression raises it, and a
 * SyntaxError's column in stmt->error_offset. It takes no displays.
 * Besides the expression subset's refusals, statements other than an expression or one assignment
 * to a name (keywords' statements, tuples, chained and augmented assignment,
 * `;`, `:`, the ellipsis, `print x`) are NotImplementedError "... outside
 * the SUBSET subset of pyref". Statements may hold plain string literals,
 * '...' or "..." on one line without a backslash or a prefix (PY_NODE_STR);
 * others are refused so, and one left open is CPython's "unterminated string
 * literal".
 */
int py_parse_statement(py_stmt *stmt, const char *source, size_t len, const char *subset,
                       py_error *error);

/* Frees the nodes; expr may be parsed into again after zeroing. */
void py_expr_free(py_expr *expr);

#endif /* PYNOTES_REF_PY_PARSE_H_ */
