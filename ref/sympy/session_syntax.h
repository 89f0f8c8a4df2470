/*
 * The sympy session's front end: one line of the session language (the
 * sliver of Python session.h describes), or one sympify string, tokenized and
 * parsed into a syntax tree in the session's arena (expr.h's sy_ctx), with
 * CPython's SyntaxError for the mistakes it names and NotImplementedError
 * (SY_OUTSIDE) for valid Python outside the sliver.
 */
#ifndef PYNOTES_REF_SYMPY_SESSION_SYNTAX_H_
#define PYNOTES_REF_SYMPY_SESSION_SYNTAX_H_

#include <stdbool.h>
#include <stddef.h>

#include "ref/sympy/expr.h"

/* The end of every refusal: what pyref does not answer rather than guess. */
#define SY_OUTSIDE "is outside the sympy session subset of pyref"

/* CPython 3.11's compiler refuses expressions deeper than 3 levels per unit
 * of sys.getrecursionlimit() (3,000), less 3 per Python frame below the
 * compile call. Measured through the CPython adapter, a chain x*x*...*x of
 * 2,978 operands compiles as a session line and one of 2,963 in a first
 * sympify (whose compile runs deeper); one more answers RecursionError.
 * The exact figure moves with CPython's stack at the time (a later sympify
 * call, a second statement on the line), so the goldens pin chains well
 * inside and well outside it. */
enum { SY_MAX_COMPILE_DEPTH = 2978, SY_MAX_SYMPIFY_COMPILE_DEPTH = 2963 };

#define SY_COMPILE_RECURSION "maximum recursion depth exceeded during compilation"

/* Unary and power chains, and the evaluator's recursion, are bounded far
 * below the C stack's end. */
enum { SY_MAX_NESTING = 1000 };

typedef enum nkind {
  N_NAME,
  N_INT,
  N_FLOAT,
  N_STR,
  N_TUPLE,
  N_LIST,
  N_BINOP,
  N_UNARY,
  N_CALL,
  N_ATTR,
  N_KWARG,
  N_DICT, /* kids: key, value, key, value... */
  N_SET,
  N_SUBSCRIPT, /* kids: the object, the index */
  N_STARRED,   /* `*x` among a call's arguments: kids: x */
  N_COMPARE,   /* one comparison a OP b (text: < <= > >=); == and != are N_BINOP */
} nkind;

typedef struct node node;
struct node {
  nkind kind;
  const char *text; /* name, literal text, operator */
  size_t len;
  node **kids; /* N_CALL: callee then arguments; N_ATTR: object */
  size_t n;
  size_t depth; /* 1 + the deepest kid's: the AST depth CPython's compiler counts */
};

typedef enum skind { S_EXPR, S_ASSIGN, S_IMPORT } skind;

typedef struct stmt {
  skind kind;
  node *target; /* S_ASSIGN */
  /* S_IMPORT: the names imported (an N_TUPLE of N_NAME), NULL for `*`. */
  node *value;
  bool from_abc; /* S_IMPORT: from sympy.abc rather than sympy */
} stmt;

/* Parses a line's statements (separated by `;`) into statements[0..*count),
 * at most max of them. Returns 0, or -1 with ctx's error set: a SyntaxError,
 * or NotImplementedError for a statement outside the sliver. The trees live
 * in ctx's arena. */
int sy_parse_line(sy_ctx *ctx, const char *line, size_t len, stmt *statements, size_t max,
                  size_t *count);

/* Parses sympify's string as one expression (`^` read as `**`, sympify's
 * convert_xor), or NULL with ctx's error set (RecursionError for an
 * expression deeper than a sympify's compile takes). */
const node *sy_parse_sympify(sy_ctx *ctx, const char *text, size_t len);

#endif /* PYNOTES_REF_SYMPY_SESSION_SYNTAX_H_ */
