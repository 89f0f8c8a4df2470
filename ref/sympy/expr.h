/*
 * Symbolic expressions as sympy 1.11 builds them: Integer and Rational (GMP),
 * Symbol, the constants E and pi, Add, Mul, Pow and the functions cos, sin,
 * exp and log, each constructed through sympy's automatic evaluation (like
 * terms collected, x*x -> x**2, numbers folded, rational powers of integers
 * reduced, 2*(x + y) -> 2*x + 2*y). Nodes are immutable and live in the
 * session's arena (sy_ctx): they are freed all at once with it.
 */
#ifndef PYNOTES_REF_SYMPY_EXPR_H_
#define PYNOTES_REF_SYMPY_EXPR_H_

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ref/protocol/strbuf.h"
#include "ref/py/arena.h"

typedef enum sy_kind {
  SY_NUM,   /* Integer or Rational: q */
  SY_SYM,   /* Symbol: name */
  SY_CONST, /* E, pi, I, oo, -oo, zoo or nan: fn says which */
  SY_ADD,
  SY_MUL,   /* a Number coefficient, if any, is args[0] */
  SY_POW,   /* args[0] ** args[1] */
  SY_FN,    /* fn(args[0]) */
  SY_FLOAT, /* a Float of 15 digits (53 bits): f */
} sy_kind;

typedef enum sy_fn { SY_COS, SY_SIN, SY_EXP, SY_LOG, SY_TAN, SY_ABS, SY_FN_COUNT } sy_fn;
/* The constants: E, pi, I, and the special Numbers oo, -oo, zoo and nan
 * (from SY_OO on), which Add, Mul and Pow absorb as sympy's flatten does. */
enum { SY_E = 0, SY_PI = 1, SY_I = 2, SY_OO = 3, SY_NEG_OO = 4, SY_ZOO = 5, SY_NAN = 6 };

typedef struct sy_expr sy_expr;
struct sy_expr {
  sy_kind kind;
  int fn;           /* SY_FN: an sy_fn; SY_CONST: SY_E or SY_PI */
  unsigned depth;   /* 1 for atoms, 1 + the deepest argument's otherwise */
  bool has_i;       /* I occurs in the expression */
  bool has_special; /* oo, -oo, zoo or nan occurs in the expression */
  bool has_float;   /* a Float occurs in the expression */
  /* expand.c's memo: bit h set once hint h (deep) left the node as it
   * was. A property of the immutable value, so setting it later is safe. */
  uint8_t expand_clean;
  double f;      /* SY_FLOAT: a 53-bit mpf is exactly a double */
  uint64_t hash; /* structural: equal expressions hash equally */
  size_t n;      /* number of args */
  const sy_expr **args;
  const char *name;     /* SY_SYM */
  mpq_t q;              /* SY_NUM (canonical) */
  sy_expr *next_number; /* the arena's list of numbers to clear */
};

/* Deeper expressions than this are refused with a RecursionError, so that
 * every recursive walk stays far from the C stack's end. */
#define SY_MAX_DEPTH 2000

/* A session's memory and its pending error. */
typedef struct sy_ctx {
  py_arena arena;   /* every node; GMP's limbs of the numbers are counted in it */
  sy_expr *numbers; /* every SY_NUM node, cleared on reset */
  bool failed;
  char error_type[32];
  pn_strbuf error_message;
} sy_ctx;

/* Initialises ctx with a memory limit in bytes. */
void sy_ctx_init(sy_ctx *ctx, size_t limit);

/* Frees every node and allocation of ctx and clears its error; ctx stays
 * usable. */
void sy_ctx_reset(sy_ctx *ctx);

/* Frees everything; ctx must be initialised again before reuse. */
void sy_ctx_free(sy_ctx *ctx);

/* Zeroed memory from the arena, or NULL with MemoryError set. */
void *sy_alloc(sy_ctx *ctx, size_t size);

/* Copies n bytes into a NUL-terminated arena string, or NULL. */
char *sy_strdup(sy_ctx *ctx, const char *s, size_t n);

/* Sets the pending error (the first one wins) and returns NULL, so that
 * `return sy_fail(...)` ends a constructor. */
void *sy_fail(sy_ctx *ctx, const char *type, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Constructors: each returns the evaluated expression, or NULL with the
 * context's error set (memory, depth, or a value outside the subset). */
const sy_expr *sy_number(sy_ctx *ctx, const mpq_t q);
const sy_expr *sy_integer(sy_ctx *ctx, long value);
const sy_expr *sy_float(sy_ctx *ctx, double value);

/* q rounded to the nearest double, as mpmath rounds a Rational to 53 bits
 * (mpq_get_d truncates). */
double sy_q_to_double(const mpq_t q);
const sy_expr *sy_symbol(sy_ctx *ctx, const char *name, size_t len);
const sy_expr *sy_const(sy_ctx *ctx, int which);
const sy_expr *sy_add(sy_ctx *ctx, const sy_expr *const *args, size_t n);
const sy_expr *sy_mul(sy_ctx *ctx, const sy_expr *const *args, size_t n);
const sy_expr *sy_pow(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp);
const sy_expr *sy_func(sy_ctx *ctx, sy_fn fn, const sy_expr *arg);
const sy_expr *sy_add2(sy_ctx *ctx, const sy_expr *a, const sy_expr *b);
const sy_expr *sy_mul2(sy_ctx *ctx, const sy_expr *a, const sy_expr *b);
const sy_expr *sy_sub(sy_ctx *ctx, const sy_expr *a, const sy_expr *b);
const sy_expr *sy_div(sy_ctx *ctx, const sy_expr *a, const sy_expr *b);
const sy_expr *sy_neg(sy_ctx *ctx, const sy_expr *a);

/* Mul._from_args: a product node of exactly these factors, not evaluated
 * (a Number coefficient, if any, first; the rest as sorted as Mul sorts
 * them). factor's _keep_coeff builds 2*(x + 1) so. NULL on failure. */
const sy_expr *sy_mul_unevaluated(sy_ctx *ctx, const sy_expr *const *args, size_t n);

/* The constant's str ("pi", "-oo"). */
const char *sy_const_name(int which);

/* Add._from_args: a sum node of exactly these terms, not evaluated; the
 * caller gives them in canonical order. NULL on failure. */
const sy_expr *sy_add_unevaluated(sy_ctx *ctx, const sy_expr *const *args, size_t n);

/* The function's sympy name ("cos"). */
const char *sy_fn_name(sy_fn fn);

/* Whether e is the number value (an integer given as long). */
bool sy_is_int(const sy_expr *e, long value);

/* Structural equality: sympy's == on expressions. */
bool sy_equal(const sy_expr *a, const sy_expr *b);

/* sympy's default_sort_key order (Expr.sort_key): <0, 0 or >0. May
 * allocate (the keys of sums hold their terms' powers); an allocation
 * failure sets ctx's error and compares as equal. */
int sy_sort_key_cmp(sy_ctx *ctx, const sy_expr *a, const sy_expr *b);

/* Sorts items stably by sort key, each item's key built once; with
 * hash_ties, items of equal keys by their hashes (a total order, for the
 * args of Add and Mul). An allocation failure sets ctx's error. */
void sy_sort_by_key(sy_ctx *ctx, const sy_expr **items, size_t n, bool hash_ties);

/* Add.as_ordered_terms(): the terms of add in the order StrPrinter prints
 * them, into out (add->n entries). Returns 0, or -1 with ctx's error set. */
int sy_ordered_terms(sy_ctx *ctx, const sy_expr *add, const sy_expr **out);

/* Expr.could_extract_minus_sign, for a sum by its count of negative terms
 * only (sympy breaks ties by sort key; the function constructors do too). */
bool sy_could_extract_minus_sign(const sy_expr *e);

/* Whether match holds for e or for any node below it. */
bool sy_any_node(const sy_expr *e, bool (*match)(const sy_expr *node));

/* Whether the imaginary unit I occurs in e. */
bool sy_has_imaginary(const sy_expr *e);

/* Whether e is one of oo, -oo, zoo, nan. */
bool sy_is_special(const sy_expr *e);

/* Whether e has no free symbols (sympy's is_number). */
bool sy_is_number(const sy_expr *e);

/* e's value as a double when it is a real number expression (cos(1),
 * sqrt(2), pi); false when it is not or is not real. */
bool sy_real_value(const sy_expr *e, double *out);

/* expr.as_coeff_Mul(): the Number coefficient and the rest (1 for a number). */
const sy_expr *sy_coeff_mul(sy_ctx *ctx, const sy_expr *e, const sy_expr **rest);

#endif /* PYNOTES_REF_SYMPY_EXPR_H_ */
