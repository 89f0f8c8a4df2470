/*
 * Sparse multivariate polynomials with integer coefficients over a fixed,
 * sorted list of generators (Symbols, and function calls such as cos(x)
 * whose integer powers sympy leaves alone). They are the fast path under
 * expand's multinomial and the arithmetic under cancel's gcd: convert an
 * expression in, compute, and convert back to the canonical expression
 * sympy's automatic evaluation would have built term by term.
 *
 * A polynomial is a list of terms, each an exponent vector (one uint32 per
 * generator) and a nonzero mpz coefficient, kept without duplicate
 * monomials; the order of the terms is unspecified unless said otherwise.
 * Rational coefficients are represented by the caller as P/den with P in
 * Z[gens] and den a positive integer (sy_mpoly_from_expr gives den).
 */
#ifndef PYNOTES_REF_SYMPY_MPOLY_H_
#define PYNOTES_REF_SYMPY_MPOLY_H_

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ref/sympy/expr.h"

/* Polynomials with more terms than this are refused (MemoryError), as
 * are exponents above SY_MPOLY_MAX_EXP. */
#define SY_MPOLY_MAX_TERMS ((size_t)1 << 24)
#define SY_MPOLY_MAX_EXP 100000u

/* The generators, sorted by sympy's sort key (Poly's default order). */
typedef struct sy_gens {
  const sy_expr **items; /* arena memory */
  size_t count;
} sy_gens;

typedef struct sy_mpoly {
  size_t nvars;   /* the generators' count */
  size_t count;   /* terms */
  size_t cap;     /* terms allocated */
  uint32_t *exps; /* count * nvars: term i's exponents at exps[i*nvars] */
  mpz_t *coeffs;  /* count nonzero coefficients */
} sy_mpoly;

/* Whether e may serve as a generator: a Symbol, or cos/sin/tan/log of
 * anything (exp and powers are not: exp(x)**2 evaluates to exp(2*x)). */
bool sy_mpoly_is_generator(const sy_expr *e);

/* Collects into gens, sorted by sort key and without duplicates, the
 * generators of the n expressions, each of which must be a polynomial in
 * generators with Rational coefficients: sums, products, nonnegative
 * integer powers of generators and of sums, Integers and Rationals.
 * Returns 1 when they all are, 0 when one is not (nothing is an error
 * then: the caller takes its general path), -1 with ctx's error set on
 * memory exhaustion. */
int sy_mpoly_collect_gens(sy_ctx *ctx, const sy_expr *const *exprs, size_t n, sy_gens *gens);

/* Initialises p as the zero polynomial in nvars generators. */
void sy_mpoly_init(sy_mpoly *p, size_t nvars);

/* Frees p's memory; p is the zero polynomial afterwards, still usable. */
void sy_mpoly_clear(sy_mpoly *p);

/* Exchanges the contents of a and b (no copying). */
void sy_mpoly_swap(sy_mpoly *a, sy_mpoly *b);

/* e as P/den over gens (den > 0, the least such). e must be a polynomial
 * in gens as sy_mpoly_collect_gens accepts it. Returns 0, 1 when e is not
 * such a polynomial (out is then zero), -1 with ctx's error set on memory
 * exhaustion or a polynomial beyond the limits. */
int sy_mpoly_from_expr(sy_ctx *ctx, const sy_gens *gens, const sy_expr *e, sy_mpoly *out,
                       mpz_t den);

/* The expression P/den (den > 0) as sympy's evaluation builds it: an
 * Integer, a term, or an Add whose args are in sy_add's order, so that the
 * result is sy_equal to adding the terms with sy_add. NULL with ctx's
 * error set. */
const sy_expr *sy_mpoly_to_expr(sy_ctx *ctx, const sy_gens *gens, const sy_mpoly *p,
                                const mpz_t den);

/* Appends coeff * gens**exps to p, adding to an equal monomial if p has
 * one (and dropping it when the sum is zero). Returns 0 or -1 (memory). */
int sy_mpoly_add_term(sy_mpoly *p, const uint32_t *exps, const mpz_t coeff);

/* Appends coeff * gens**exps to p without looking for an equal monomial:
 * p may then hold a monomial more than once, which sy_mpoly_sum combines
 * (sy_mpoly_sum of p alone with scale 1 normalises it). 0 or -1. */
int sy_mpoly_push_term(sy_mpoly *p, const uint32_t *exps, const mpz_t coeff);

/* out = a + b, a - b, a * b, a ** n (out may not alias an operand).
 * Return 0, or -1 on memory exhaustion or when the result would exceed
 * SY_MPOLY_MAX_TERMS or SY_MPOLY_MAX_EXP. */
int sy_mpoly_add(sy_mpoly *out, const sy_mpoly *a, const sy_mpoly *b);
int sy_mpoly_sub(sy_mpoly *out, const sy_mpoly *a, const sy_mpoly *b);
int sy_mpoly_mul(sy_mpoly *out, const sy_mpoly *a, const sy_mpoly *b);
int sy_mpoly_pow(sy_mpoly *out, const sy_mpoly *a, unsigned long n);

/* Whether e is a sum whose every term is a Rational times powers of
 * generators with positive integer exponents (an expanded polynomial):
 * then expand and subs of a number may work on it as a polynomial. */
bool sy_mpoly_is_monomial_sum(const sy_expr *e);

/* out = p with generator var set to value, times scale = b**K (value =
 * a/b, K the largest exponent of var in p), so that p(value) = out/scale
 * with out in Z[gens] (var's exponents all zero). Returns 0, or -1 on
 * memory exhaustion. */
int sy_mpoly_eval_at(sy_mpoly *out, mpz_t scale, const sy_mpoly *p, size_t var, const mpq_t value);

/* out = scales[0]*parts[0] + ... + scales[n-1]*parts[n-1] in one pass
 * (out may not alias a part; parts may hold a monomial more than once). Returns 0, or -1 on memory
 * exhaustion. */
int sy_mpoly_sum(sy_mpoly *out, const sy_mpoly *parts, const mpz_t *scales, size_t n);

/* Sorts p's terms by their exponent vectors, lexicographically from the
 * first generator, greatest first (sympy's lex order for Poly.terms()). */
void sy_mpoly_sort_lex(sy_mpoly *p);

/* Whether a and b are the same polynomial (terms in any order). */
bool sy_mpoly_equal(const sy_mpoly *a, const sy_mpoly *b);

#endif /* PYNOTES_REF_SYMPY_MPOLY_H_ */
