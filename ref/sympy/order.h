/*
 * sympy's two orders of expressions, each defined with the other:
 * default_sort_key (Expr.sort_key: the canonical order of Add's and Mul's
 * args), whose key of a sum holds its terms as as_ordered_terms gives them,
 * and Add.as_ordered_terms (the order StrPrinter prints a sum's terms in),
 * which sorts the sum's generators by sort key.
 */
#ifndef PYNOTES_REF_SYMPY_ORDER_H_
#define PYNOTES_REF_SYMPY_ORDER_H_

#include <stdbool.h>
#include <stddef.h>

#include "ref/sympy/node.h"

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

#endif /* PYNOTES_REF_SYMPY_ORDER_H_ */
