/*
 * Symbolic expressions as sympy 1.11 builds them: Add, Mul, Pow and the
 * functions cos, sin, exp, log, tan and Abs over node.h's atoms, each
 * constructed through sympy's automatic evaluation (like terms collected,
 * x*x -> x**2, numbers folded, rational powers of integers reduced,
 * 2*(x + y) -> 2*x + 2*y). The rules of evaluation that live above this
 * core, the canonical order of args (order.h, whose keys of sums evaluate
 * powers), the special Numbers' arithmetic (special.h) and the functions'
 * eval (functions.h), are reached through the context's sy_rules, which
 * evaluate.h's sy_ctx_init fills: sympy's own core reaches them the same
 * way, by importing them late.
 */
#ifndef PYNOTES_REF_SYMPY_EXPR_H_
#define PYNOTES_REF_SYMPY_EXPR_H_

#include <stdbool.h>
#include <stddef.h>

#include "ref/sympy/arena.h"
#include "ref/sympy/node.h"

/* The rules above the core, each with the contract of the function it
 * is set to: sy_add and sy_mul order their args with sort_by_key
 * (order.h's sy_sort_by_key); sy_add, sy_mul and sy_pow call the special
 * ones (special.h) when an argument holds oo, -oo, zoo or nan; sy_pow calls
 * pow_symbolic (powers.h's sy_pow_symbolic) for the exponents it takes;
 * sy_func is func (functions.h's sy_eval_function). */
typedef struct sy_rules {
  void (*sort_by_key)(sy_ctx *ctx, const sy_expr **items, size_t n, bool hash_ties);
  const sy_expr *(*add_special)(sy_ctx *ctx, const sy_expr *const *args, size_t n);
  const sy_expr *(*mul_special)(sy_ctx *ctx, const sy_expr *const *args, size_t n);
  const sy_expr *(*pow_special)(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp);
  const sy_expr *(*pow_symbolic)(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp);
  const sy_expr *(*func)(sy_ctx *ctx, sy_fn fn, const sy_expr *arg);
} sy_rules;

/* Constructors: each returns the evaluated expression, or NULL with the
 * context's error set (memory, depth, or a value outside the subset).
 * NULL arguments (a failed construction) give NULL. */
const sy_expr *sy_add(sy_ctx *ctx, const sy_expr *const *args, size_t n);
const sy_expr *sy_mul(sy_ctx *ctx, const sy_expr *const *args, size_t n);
const sy_expr *sy_pow(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp);
const sy_expr *sy_func(sy_ctx *ctx, sy_fn fn, const sy_expr *arg);
const sy_expr *sy_add2(sy_ctx *ctx, const sy_expr *a, const sy_expr *b);
const sy_expr *sy_mul2(sy_ctx *ctx, const sy_expr *a, const sy_expr *b);
const sy_expr *sy_sub(sy_ctx *ctx, const sy_expr *a, const sy_expr *b);
const sy_expr *sy_div(sy_ctx *ctx, const sy_expr *a, const sy_expr *b);
const sy_expr *sy_neg(sy_ctx *ctx, const sy_expr *a);

#endif /* PYNOTES_REF_SYMPY_EXPR_H_ */
