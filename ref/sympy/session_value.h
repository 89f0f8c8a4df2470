/*
 * The sympy session's values and evaluation state, shared by session.c (the
 * evaluator, names and repr) and session_calls.c (the functions and methods
 * a line calls): what a Python object of the sliver is (an expression, an
 * int, a str, a tuple, a function or method, ...), the session's module
 * namespace, and the evaluator's state for one expression.
 */
#ifndef PYNOTES_REF_SYMPY_SESSION_VALUE_H_
#define PYNOTES_REF_SYMPY_SESSION_VALUE_H_

#include <stdbool.h>
#include <stddef.h>

#include "ref/sympy/expr.h"
#include "ref/sympy/session_syntax.h"

/* The session (session.h's opaque handle), whose namespace is here. */
typedef struct sy_session sy_session;

typedef enum vkind {
  V_NONE,
  V_BOOL,
  V_INT, /* e: an Integer */
  V_STR,
  V_TUPLE,
  V_LIST,
  V_EXPR,
  V_FUNC,   /* a sympy callable of the subset: fn */
  V_METHOD, /* fn bound to self */
  V_OTHER,  /* a name that exists but is outside the subset */
  V_GLOBALS,
  V_DICT, /* items: key, value, key, value... (n counts both) */
  V_SET,
  V_FLOAT,   /* a Float from N or evalf: s holds its str() */
  V_PYFLOAT, /* a Python float: e is its sympify (a Float, or 0 for 0.0) */
  V_REL,     /* a sympy Relational left unevaluated: e op rhs (op a sy_rel_op) */
  V_LOGIC,   /* And, Or, Xor or Not (op a sy_logic_op) of items[0..n) */
} vkind;

typedef enum func_id {
  F_SYMBOLS,
  F_SYMBOL,
  F_COS,
  F_SIN,
  F_EXP,
  F_LOG,
  F_TAN,
  F_ABS,
  F_SQRT,
  F_EXPAND,
  F_EXPAND_FUNC,
  F_EXPAND_MUL,
  F_EXPAND_MULTINOMIAL,
  F_EXPAND_POWER_EXP,
  F_EXPAND_POWER_BASE,
  F_EXPAND_LOG,
  F_SYMPIFY,
  F_S,
  F_INTEGER,
  F_RATIONAL,
  F_FLOAT,
  F_DIFF,
  F_N,
  F_FACTOR,
  F_CANCEL,
  F_SIMPLIFY,
  F_COUNT_OPS,
  F_SOLVE,
  F_INTEGRATE,
  F_GLOBALS,
  M_SUBS,
  M_EXPAND,
  M_CLEAR,
  M_DIFF,
  M_EVALF,
  M_INTEGRATE,
  M_SIMPLIFY,
  F_EQ, /* the relationals' classes: Eq, Ne, Lt, Le, Gt, Ge */
  F_NE,
  F_LT,
  F_LE,
  F_GT,
  F_GE,
  F_AND, /* the logic functions: And, Or, Xor, Not */
  F_OR,
  F_XOR,
  F_NOT,
} func_id;

typedef struct value value;
struct value {
  vkind kind;
  bool truth;
  bool sympy_bool;    /* V_BOOL: sympy's BooleanTrue or BooleanFalse, not a Python bool */
  int op;             /* V_REL, V_LOGIC */
  const sy_expr *rhs; /* V_REL: the right-hand side (e the left) */
  const sy_expr *e;
  const char *s;
  size_t len;
  const value **items;
  size_t n;
  func_id fn;
  const value *self;
  const char *name; /* V_OTHER, V_FUNC */
};

typedef struct binding {
  const char *name;
  const value *v;
} binding;

struct sy_session {
  sy_ctx ctx;
  binding *names; /* the module's dict, in insertion order */
  size_t count, cap;
  /* Open addressing over names (binding index + 1, 0 when empty), sized to
   * twice cap: `from sympy import *` binds 905 names every session, which
   * a linear search made quadratic. */
  size_t *slots;
  size_t mask;
  bool clear_pending;
};

/* sympify's answers for the names it met last, so that a long text of
 * a few symbols does not search sympy's names at every occurrence. */
enum { NAME_MEMO = 16 };
typedef struct name_memo {
  const char *text;
  size_t len;
  const value *v;
} name_memo;

/* sympify of a str: the session's evaluator of a parsed string (session.c),
 * for the functions (session_calls.c) that take strings. */
typedef const sy_expr *(*sy_sympify_text_fn)(sy_ctx *ctx, const char *text, size_t len);

typedef struct evaluator {
  sy_session *s; /* NULL inside sympify */
  sy_ctx *ctx;
  unsigned depth;
  name_memo memo[NAME_MEMO];
  size_t memo_next;                    /* the slot to fill next, round robin */
  sy_sympify_text_fn sympify;          /* for sy_to_expr of a str */
  sy_sympify_text_fn sympify_rational; /* sympify(str, rational=True), for N */
  bool rational; /* inside sympify(rational=True): float literals are Rationals */
} evaluator;

/* Keyword arguments of a call, by name. */
typedef struct kwargs {
  const node *const *names; /* N_KWARG nodes: text is the name */
  const value **values;
  size_t n;
} kwargs;
/* A new value of kind, zeroed otherwise, in ctx's arena; NULL with
 * MemoryError set. */
value *sy_new_value(sy_ctx *ctx, vkind kind);

/* e as a value (V_EXPR); NULL when e is NULL or memory runs out. */
const value *sy_expr_value(sy_ctx *ctx, const sy_expr *e);

/* A tuple or list (kind) of n items to fill, or NULL with the error set. */
const value *sy_new_tuple(sy_ctx *ctx, vkind kind, size_t n);

/* sympify(v) for the values the subset has, or NULL with the error set. */
const sy_expr *sy_to_expr(evaluator *ev, const value *v);

/* Forgets every binding of the session's namespace (the arena keeps their
 * strings until reset). */
void sy_names_clear(sy_session *s);

/* Binds name (len bytes, copied into the arena) to v in the session's
 * namespace, keeping the first binding's place in its order. Returns 0, or
 * -1 with MemoryError set. */
int sy_bind(sy_session *s, const char *name, size_t len, const value *v);

/* The value name (len bytes) is bound to in the namespace, or NULL. */
const value *sy_names_find(const sy_session *s, const char *name, size_t len);

#endif /* PYNOTES_REF_SYMPY_SESSION_VALUE_H_ */
