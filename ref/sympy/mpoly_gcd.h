/*
 * Greatest common divisors, exact division and square roots of sparse
 * multivariate polynomials over Z (mpoly.h): what cancel, factor and solve
 * in several symbols need. The gcd is the primitive polynomial remainder
 * sequence in the generator of least degree, with contents taken
 * recursively in the others (a single term's gcd directly, and 1 at once
 * when one integer specialisation of the other symbols shows the two
 * coprime in the main one): slower than
 * sympy's heuristic gcd (dmp_zz_heu_gcd) on large inputs, but the gcd is
 * unique up to sign, and every result here is normalised to a positive
 * leading coefficient in lex order of the variables, as the callers need.
 *
 * The int functions return 0 on success and a negative SY_MPOLY_* status
 * otherwise; on failure the outputs are left zero and still usable.
 */
#ifndef PYNOTES_REF_SYMPY_MPOLY_GCD_H_
#define PYNOTES_REF_SYMPY_MPOLY_GCD_H_

#include "ref/sympy/mpoly.h"

/* Memory ran out. */
#define SY_MPOLY_NOMEM (-1)
/* An intermediate polynomial grew past SY_MPOLY_WORK_TERMS terms or
 * SY_MPOLY_WORK_BITS-bit coefficients: the caller answers that the input
 * is outside the subset rather than work for minutes. */
#define SY_MPOLY_TOO_BIG (-2)
#define SY_MPOLY_WORK_TERMS 20000u
#define SY_MPOLY_WORK_BITS 20000u

/* The index of p's leading term in lex order (the greatest exponent
 * vector, compared from the first generator), or -1 when p is zero. */
long sy_mpoly_lead(const sy_mpoly *p);

/* Whether p has no term with a positive exponent (zero included). */
bool sy_mpoly_is_const(const sy_mpoly *p);

/* p's degree in generator v (-1 for the zero polynomial). */
long sy_mpoly_degree(const sy_mpoly *p, size_t v);

/* out = a copy of p (out distinct from p). */
int sy_mpoly_copy(sy_mpoly *out, const sy_mpoly *p);

/* out = the constant c in nvars generators. */
int sy_mpoly_set_const(sy_mpoly *out, size_t nvars, const mpz_t c);

/* Negates p in place when its leading coefficient is negative. Returns
 * whether it did. */
bool sy_mpoly_make_lc_positive(sy_mpoly *p);

/* The gcd of p's coefficients, positive (zero for the zero polynomial). */
void sy_mpoly_int_content(mpz_t out, const sy_mpoly *p);

/* Multiplies every coefficient of p by c (c nonzero). */
void sy_mpoly_scale(sy_mpoly *p, const mpz_t c);

/* Divides every coefficient of p by c, which must divide each exactly. */
void sy_mpoly_divexact_z(sy_mpoly *p, const mpz_t c);

/* q = a / b when b (nonzero) divides a in Z[gens]: returns 0; returns 1
 * when it does not (q zero), or a negative status. */
int sy_mpoly_divexact(sy_mpoly *q, const sy_mpoly *a, const sy_mpoly *b);

/* out = the coefficient of v**k in p, a polynomial without v. */
int sy_mpoly_coeff_in(sy_mpoly *out, const sy_mpoly *p, size_t v, uint32_t k);

/* out = the partial derivative of p in v. */
int sy_mpoly_diff(sy_mpoly *out, const sy_mpoly *p, size_t v);

/* out = gcd(a, b) in Z[gens] with a positive leading coefficient (zero
 * when both are zero). */
int sy_mpoly_gcd(sy_mpoly *out, const sy_mpoly *a, const sy_mpoly *b);

/* out = the content of p (nonzero) as a polynomial in v: the gcd of its
 * coefficients in the other generators, integer content included,
 * positive leading coefficient. */
int sy_mpoly_content_in(sy_mpoly *out, const sy_mpoly *p, size_t v);

/* Whether d is the square of a polynomial: 1 with root set to the one of
 * positive leading coefficient, 0 when it is not (root zero), or a
 * negative status. */
int sy_mpoly_sqrt(const sy_mpoly *d, sy_mpoly *root);

#endif /* PYNOTES_REF_SYMPY_MPOLY_GCD_H_ */
