/*
 * The node arithmetic that simplify's helpers (simplify.c, count_ops.c)
 * share, as sympy's helpers do it without evaluating: Mul._from_args,
 * Mul.__neg__, as_coeff_Mul, _coeff_isneg and the subset they follow
 * (Rationals, Symbols, and sums, products and integer powers of them).
 */
#ifndef PYNOTES_REF_SYMPY_SIMPLIFY_TERMS_H_
#define PYNOTES_REF_SYMPY_SIMPLIFY_TERMS_H_

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "ref/sympy/expr.h"

/* Whether e is a Rational (not NULL). */
bool sy_st_is_num(const sy_expr *e);

/* Whether e is an Integer. */
bool sy_st_is_integer(const sy_expr *e);

/* Whether e is a negative Rational. */
bool sy_st_is_negative_num(const sy_expr *e);

/* Whether e is 1. */
bool sy_st_is_one(const sy_expr *e);

/* The subset: Rationals, Symbols, and sums, products and integer powers
 * of them. */
bool sy_st_in_subset(const sy_expr *e);

/* op(a, b) on two Rationals, as a number node; NULL if either is NULL. */
const sy_expr *sy_st_num_op(sy_ctx *ctx, const sy_expr *a, const sy_expr *b,
                            void (*op)(mpq_ptr, mpq_srcptr, mpq_srcptr));

/* Mul._from_args: one arg is itself, none is 1. */
const sy_expr *sy_st_mul_from_args(sy_ctx *ctx, const sy_expr **args, size_t n);

/* -e as sympy negates: Mul.__neg__ flips the coefficient without
 * evaluating, a Number is negated, anything else is Mul(-1, e). */
const sy_expr *sy_st_neg(sy_ctx *ctx, const sy_expr *e);

/* _coeff_isneg */
bool sy_st_coeff_isneg(const sy_expr *e);

/* as_coeff_Mul: the Rational coefficient and the rest. */
const sy_expr *sy_st_coeff_mul(sy_ctx *ctx, const sy_expr *e, const sy_expr **rest);

/* e's args, each through f, in an arena array; NULL when one fails. */
const sy_expr **sy_st_map_args(sy_ctx *ctx, const sy_expr *e,
                               const sy_expr *(*f)(sy_ctx *, const sy_expr *));

#endif /* PYNOTES_REF_SYMPY_SIMPLIFY_TERMS_H_ */
