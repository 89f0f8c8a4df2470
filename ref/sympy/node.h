/*
 * The expression node every layer of ref/sympy reads, and what can be done
 * with nodes without sympy's automatic evaluation: the atoms (Integer and
 * Rational in GMP, Float, Symbol, the constants), raw nodes built exactly
 * as given (Add._from_args, Mul._from_args), structural equality and
 * hashing, and questions about a node (is it a number, its real value).
 * Nodes are immutable and live in the session's arena (sy_ctx): they are
 * freed all at once with it. Evaluating constructors are expr.h's.
 */
#ifndef PYNOTES_REF_SYMPY_NODE_H_
#define PYNOTES_REF_SYMPY_NODE_H_

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ref/sympy/arena.h"

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
  const char *name;             /* SY_SYM */
  mpq_t q;                      /* SY_NUM (canonical) */
  sy_rational_link number_link; /* SY_NUM: q's place on the arena's list */
};

/* Deeper expressions than this are refused with a RecursionError, so that
 * every recursive walk stays far from the C stack's end. */
#define SY_MAX_DEPTH 2000

/* Numbers larger than this many bits are refused (MemoryError) rather than
 * computed for minutes. */
enum { SY_MAX_NUMBER_BITS = 1 << 22 };

/* A node of this kind (and fn) with these n args copied, hashed and its
 * flags (has_i, has_special, has_float, depth) taken from them, nothing
 * evaluated; its kind's own fields are the caller's to set. NULL with
 * ctx's error set (memory, or RecursionError past SY_MAX_DEPTH). */
sy_expr *sy_node(sy_ctx *ctx, sy_kind kind, int fn, const sy_expr *const *args, size_t n);

/* The atoms. Each returns the node, or NULL with the context's error set
 * (memory, or a value outside the subset: a number of more than
 * SY_MAX_NUMBER_BITS bits, a Float near the double range's ends). */
const sy_expr *sy_number(sy_ctx *ctx, const mpq_t q);
const sy_expr *sy_integer(sy_ctx *ctx, long value);
const sy_expr *sy_float(sy_ctx *ctx, double value);
const sy_expr *sy_symbol(sy_ctx *ctx, const char *name, size_t len);
const sy_expr *sy_const(sy_ctx *ctx, int which);

/* The Integer z. */
const sy_expr *sy_integer_z(sy_ctx *ctx, const mpz_t z);

/* The Rational p/q in lowest terms (q > 0). */
const sy_expr *sy_rational_si(sy_ctx *ctx, long p, unsigned long q);

/* q rounded to the nearest double, as mpmath rounds a Rational to 53 bits
 * (mpq_get_d truncates). */
double sy_q_to_double(const mpq_t q);

/* Mul._from_args: a product node of exactly these factors, not evaluated
 * (a Number coefficient, if any, first; the rest as sorted as Mul sorts
 * them). factor's _keep_coeff builds 2*(x + 1) so. NULL on failure. */
const sy_expr *sy_mul_unevaluated(sy_ctx *ctx, const sy_expr *const *args, size_t n);

/* Add._from_args: a sum node of exactly these terms, not evaluated; the
 * caller gives them in canonical order. NULL on failure. */
const sy_expr *sy_add_unevaluated(sy_ctx *ctx, const sy_expr *const *args, size_t n);

/* fn(arg) as a node, not evaluated (what fn's eval returns when no rule
 * applies). NULL on failure. */
const sy_expr *sy_func_unevaluated(sy_ctx *ctx, sy_fn fn, const sy_expr *arg);

/* The constant's str ("pi", "-oo"). */
const char *sy_const_name(int which);

/* The function's sympy name ("cos"). */
const char *sy_fn_name(sy_fn fn);

/* Whether e is the number value (an integer given as long). */
bool sy_is_int(const sy_expr *e, long value);

/* Whether e is an Integer (a Rational of denominator 1). */
bool sy_is_integer(const sy_expr *e);

/* Structural equality: sympy's == on expressions. */
bool sy_equal(const sy_expr *a, const sy_expr *b);

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

#endif /* PYNOTES_REF_SYMPY_NODE_H_ */
