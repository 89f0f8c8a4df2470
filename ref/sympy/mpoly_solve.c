/* solve in several symbols for roots that are monomials (mpoly_solve.h). */
#include "ref/sympy/mpoly_solve.h"

#include <stdlib.h>

#include "ref/sympy/mpoly_gcd.h"
#include "ref/sympy/mpoly_rat.h"
#include "ref/sympy/order.h"

#define OUTSIDE "outside the sympy subset of pyref"

enum { MAX_ROOTS = 3 };

typedef struct solver {
  sy_ctx *ctx;
  const sy_rat_vars *vars;
  const sy_expr *found[MAX_ROOTS];
  size_t count;
} solver;

static int refuse(solver *s) {
  sy_fail(s->ctx, "NotImplementedError",
          "solutions other than monomials in several symbols are " OUTSIDE);
  return -1;
}

/* num/den as an expression when both are single terms: the monomial
 * c * prod(gens**e) with signed exponents; NULL (no error) otherwise. */
static const sy_expr *monomial(solver *s, const sy_mpoly *num, const sy_mpoly *den) {
  if (num->count != 1 || den->count != 1) {
    return NULL;
  }
  sy_ctx *ctx = s->ctx;
  size_t nv = num->nvars;
  const sy_expr **factors = sy_alloc(ctx, (nv + 1) * sizeof *factors);
  if (factors == NULL) {
    return NULL;
  }
  mpq_t c;
  mpq_init(c);
  mpz_set(mpq_numref(c), num->coeffs[0]);
  mpz_set(mpq_denref(c), den->coeffs[0]);
  mpq_canonicalize(c);
  size_t n = 0;
  factors[n++] = sy_number(ctx, c);
  mpq_clear(c);
  for (size_t v = 0; v < nv; v++) {
    long e = (long)num->exps[v] - (long)den->exps[v];
    if (e != 0) {
      factors[n++] = sy_pow(ctx, s->vars->gens.items[v], sy_integer(ctx, e));
    }
  }
  return ctx->failed ? NULL : sy_mul(ctx, factors, n);
}

static int add_root(solver *s, const sy_expr *root) {
  if (root == NULL) {
    return s->ctx->failed ? -1 : refuse(s);
  }
  if (s->count == MAX_ROOTS) {
    return refuse(s);
  }
  s->found[s->count++] = root;
  return 0;
}

/* Whether p is a polynomial that simplify() leaves as it is: integer
 * coefficients without common factor and no symbol common to all terms
 * (else factor_terms would take them out). */
static bool simplify_keeps(const sy_mpoly *p) {
  mpz_t content;
  mpz_init(content);
  sy_mpoly_int_content(content, p);
  bool keeps = mpz_cmp_ui(content, 1) == 0;
  mpz_clear(content);
  for (size_t v = 0; v < p->nvars && keeps; v++) {
    bool everywhere = p->count > 0;
    for (size_t i = 0; i < p->count && everywhere; i++) {
      everywhere = p->exps[i * p->nvars + v] > 0;
    }
    keeps = !everywhere;
  }
  return keeps;
}

/* The root -b/a (reduced): a monomial, or with allow_polynomial a
 * polynomial that simplify keeps. */
static int linear_root(solver *s, const sy_mpoly *a, const sy_mpoly *b, bool allow_polynomial) {
  sy_ratpoly r;
  sy_mpoly_init(&r.num, a->nvars);
  sy_mpoly_init(&r.den, a->nvars);
  int status = sy_mpoly_copy(&r.num, b) != 0 || sy_mpoly_copy(&r.den, a) != 0
                   ? sy_rat_fail(s->ctx, SY_MPOLY_NOMEM)
                   : 0;
  if (status == 0) {
    for (size_t i = 0; i < r.num.count; i++) {
      mpz_neg(r.num.coeffs[i], r.num.coeffs[i]);
    }
    status = sy_rat_reduce(s->ctx, &r);
  }
  if (status == 0) {
    const sy_expr *root = monomial(s, &r.num, &r.den);
    if (root == NULL && !s->ctx->failed && allow_polynomial && sy_mpoly_is_const(&r.den) &&
        mpz_cmp_ui(r.den.coeffs[0], 1) == 0 && simplify_keeps(&r.num)) {
      root = sy_rat_to_expr(s->ctx, s->vars, &r.num);
    }
    status = add_root(s, root);
  }
  sy_ratpoly_clear(&r);
  return status;
}

/* roots_quadratic's _sqrt(m) for the monomial m: the even powers' square
 * roots outside, sqrt of the rest. */
static const sy_expr *monomial_sqrt(sy_ctx *ctx, const sy_expr *m) {
  const sy_expr *half = sy_div(ctx, sy_integer(ctx, 1), sy_integer(ctx, 2));
  size_t n = m->kind == SY_MUL ? m->n : 1;
  const sy_expr **outside = sy_alloc(ctx, (n + 1) * sizeof *outside);
  const sy_expr **inside = sy_alloc(ctx, (n + 1) * sizeof *inside);
  if (half == NULL || outside == NULL || inside == NULL) {
    return NULL;
  }
  size_t nout = 0, nin = 0;
  for (size_t i = 0; i < n; i++) {
    const sy_expr *f = m->kind == SY_MUL ? m->args[i] : m;
    const sy_expr *k = f->kind == SY_POW ? f->args[1] : NULL;
    if (k != NULL && k->kind == SY_NUM && mpz_cmp_ui(mpq_denref(k->q), 1) == 0 &&
        mpz_even_p(mpq_numref(k->q))) {
      mpq_t h;
      mpq_init(h);
      mpq_div_2exp(h, k->q, 1);
      outside[nout++] = sy_pow(ctx, f->args[0], sy_number(ctx, h));
      mpq_clear(h);
    } else {
      inside[nin++] = f;
    }
  }
  if (nout == 0) {
    return sy_pow(ctx, m, half);
  }
  const sy_expr *rest = nin == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, inside, nin);
  return ctx->failed ? NULL : sy_mul2(ctx, sy_mul(ctx, outside, nout), sy_pow(ctx, rest, half));
}

/* a*x**2 + c: -/+ _sqrt(-c/a) for single terms a and c. */
static int binomial_roots(solver *s, const sy_mpoly *a, const sy_mpoly *c) {
  sy_mpoly neg;
  sy_mpoly_init(&neg, c->nvars);
  if (sy_mpoly_copy(&neg, c) != 0) {
    return sy_rat_fail(s->ctx, SY_MPOLY_NOMEM);
  }
  for (size_t i = 0; i < neg.count; i++) {
    mpz_neg(neg.coeffs[i], neg.coeffs[i]);
  }
  const sy_expr *m = monomial(s, &neg, a);
  sy_mpoly_clear(&neg);
  const sy_expr *root = m == NULL ? NULL : monomial_sqrt(s->ctx, m);
  if (root == NULL) {
    return s->ctx->failed ? -1 : refuse(s);
  }
  int status = add_root(s, sy_neg(s->ctx, root));
  return status != 0 ? status : add_root(s, root);
}

/* a*x**2 + b*x + c with b and c nonzero: the roots of its linear factors
 * (-b -/+ S)/(2a) when the discriminant is S**2. */
static int quadratic_roots(solver *s, const sy_mpoly *a, const sy_mpoly *b, const sy_mpoly *c) {
  size_t nv = a->nvars;
  sy_mpoly ac, bb, d, root, two_a, lin;
  sy_mpoly *all[] = {&ac, &bb, &d, &root, &two_a, &lin};
  for (size_t i = 0; i < 6; i++) {
    sy_mpoly_init(all[i], nv);
  }
  mpz_t k;
  mpz_init_set_ui(k, 4);
  int status = 0;
  if (sy_mpoly_mul(&ac, a, c) != 0 || sy_mpoly_mul(&bb, b, b) != 0) {
    status = SY_MPOLY_NOMEM;
  } else {
    sy_mpoly_scale(&ac, k);
    status = sy_mpoly_sub(&d, &bb, &ac) != 0 ? SY_MPOLY_NOMEM : 0;
  }
  int square = status != 0 ? status : sy_mpoly_sqrt(&d, &root);
  if (square == 0 && d.count == 0) {
    /* a square: roots_quadratic's double root -b/(2a) itself, whose
     * polynomial forms pass through factor and expand_2arg */
    if ((status = sy_mpoly_copy(&two_a, a)) == 0) {
      mpz_set_ui(k, 2);
      sy_mpoly_scale(&two_a, k);
      status = linear_root(s, &two_a, b, false);
    } else {
      status = sy_rat_fail(s->ctx, status);
    }
  } else if (square < 0) {
    status = sy_rat_fail(s->ctx, square);
  } else if (square == 0) {
    status = refuse(s);
  } else if ((status = sy_mpoly_copy(&two_a, a)) != 0) {
    status = sy_rat_fail(s->ctx, status);
  } else {
    mpz_set_ui(k, 2);
    sy_mpoly_scale(&two_a, k);
    /* the root of 2a*x + b -/+ S is -(b -/+ S)/(2a) */
    for (int sign = -1; sign <= 1 && status == 0; sign += 2) {
      if ((sign < 0 ? sy_mpoly_sub(&lin, b, &root) : sy_mpoly_add(&lin, b, &root)) != 0) {
        status = sy_rat_fail(s->ctx, SY_MPOLY_NOMEM);
      } else {
        status = linear_root(s, &two_a, &lin, true);
      }
    }
  }
  mpz_clear(k);
  for (size_t i = 0; i < 6; i++) {
    sy_mpoly_clear(all[i]);
  }
  return status;
}

/* The roots of num in its variable v. */
static int roots_in(solver *s, const sy_mpoly *num, size_t v) {
  size_t nv = num->nvars;
  long low = -1, degree = sy_mpoly_degree(num, v);
  for (size_t i = 0; i < num->count; i++) {
    long e = (long)num->exps[i * nv + v];
    low = low < 0 || e < low ? e : low;
  }
  if (degree < 1 || degree > 2) {
    return refuse(s);
  }
  if (low > 0 && add_root(s, sy_integer(s->ctx, 0)) != 0) {
    return -1;
  }
  sy_mpoly c[3];
  for (int i = 0; i < 3; i++) {
    sy_mpoly_init(&c[i], nv);
  }
  int status = 0;
  for (long k = low; k <= degree && status == 0; k++) {
    if (sy_mpoly_coeff_in(&c[k - low], num, v, (uint32_t)k) != 0) {
      status = sy_rat_fail(s->ctx, SY_MPOLY_NOMEM);
    }
  }
  if (status == 0) {
    switch (degree - low) {
      case 0:
        break;
      case 1: {
        /* solve_linear's -b/a; through roots (after x**low) it is
         * factor()ed, so only monomials there */
        bool unit = low == 0 && c[1].count == 1 && sy_mpoly_is_const(&c[1]) &&
                    mpz_cmpabs_ui(c[1].coeffs[0], 1) == 0;
        status = linear_root(s, &c[1], &c[0], unit);
        break;
      }
      default:
        status = c[1].count == 0 ? binomial_roots(s, &c[2], &c[0])
                                 : quadratic_roots(s, &c[2], &c[1], &c[0]);
        break;
    }
  }
  for (int i = 0; i < 3; i++) {
    sy_mpoly_clear(&c[i]);
  }
  return status;
}

int sy_msolve(sy_ctx *ctx, const sy_expr *e, const sy_expr *x, const sy_expr ***roots,
              size_t *count) {
  *roots = NULL;
  *count = 0;
  if (x == NULL) {
    sy_fail(ctx, "NotImplementedError", "solve in several symbols without a symbol is " OUTSIDE);
    return -1;
  }
  sy_rat_vars vars;
  sy_ratpoly r;
  if (sy_rat_gens(ctx, e, &vars) != 0 || sy_rat_from_expr(ctx, &vars.gens, e, &r) != 0) {
    return -1;
  }
  solver s = {.ctx = ctx, .vars = &vars};
  size_t v = 0;
  while (v < vars.gens.count && !sy_equal(vars.gens.items[v], x)) {
    v++;
  }
  int status = 0;
  if (v == vars.gens.count || r.num.count == 0 || !sy_mpoly_is_const(&r.den)) {
    status = refuse(&s);
  } else {
    status = roots_in(&s, &r.num, v);
  }
  sy_ratpoly_clear(&r);
  if (status != 0) {
    return -1;
  }
  const sy_expr **sorted = sy_alloc(ctx, (s.count + 1) * sizeof *sorted);
  if (sorted == NULL) {
    return -1;
  }
  for (size_t i = 0; i < s.count; i++) {
    sorted[i] = s.found[i];
  }
  sy_sort_by_key(ctx, sorted, s.count, false);
  size_t unique = 0;
  for (size_t i = 0; i < s.count; i++) {
    if (unique == 0 || !sy_equal(sorted[unique - 1], sorted[i])) {
      sorted[unique++] = sorted[i];
    }
  }
  *roots = sorted;
  *count = unique;
  return ctx->failed ? -1 : 0;
}
