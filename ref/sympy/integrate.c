/*
 * Term-by-term integration (integrate.h). sympy reaches these answers
 * through ratint and its table of elementary antiderivatives; for these
 * forms both give the sum of each term's antiderivative, built with the
 * same automatic evaluation (x**3/3 is Mul(1/3, x**3)).
 */
#include "ref/sympy/integrate.h"

#include "ref/sympy/expand.h"
#include "ref/sympy/ops.h"

#define OUTSIDE "is outside the sympy subset of pyref"

static const sy_expr *outside(sy_ctx *ctx) {
  return sy_fail(ctx, "NotImplementedError", "this integral " OUTSIDE);
}

/* The derivative of arg when arg is linear in x with a number for its
 * slope, else NULL (with ctx's error set only when memory ran out). */
static const sy_expr *linear_slope(sy_ctx *ctx, const sy_expr *arg, const sy_expr *x) {
  const sy_expr *d = sy_diff(ctx, arg, x);
  /* A symbolic slope makes sympy answer with a Piecewise for its zero. */
  if (d == NULL || d->kind != SY_NUM || sy_is_int(d, 0)) {
    return NULL;
  }
  return d;
}

static bool has_number(const sy_expr *e);

/* Whether e is a negative power of anything (has_*: e or a node below). */
static bool is_negative_power(const sy_expr *e) {
  return e->kind == SY_POW && e->args[1]->kind == SY_NUM && mpq_sgn(e->args[1]->q) < 0;
}

static bool has_negative_power(const sy_expr *e) {
  return sy_any_node(e, is_negative_power);
}

/* Whether e is a negative power of something other than a Symbol. */
static bool is_reciprocal(const sy_expr *e) {
  return is_negative_power(e) && e->args[0]->kind != SY_SYM;
}

static bool has_reciprocal(const sy_expr *e) {
  return sy_any_node(e, is_reciprocal);
}

/* Whether a coefficient (a factor free of x) takes integrate's polynomial
 * domain away from Q[symbols] and simple numbers: a sum in a denominator
 * (x/(y + 1) integrates to x**2/(2*y + 2)), or a root of a sum with a
 * fraction in it (sqrt(E + 2/3) comes out as sqrt(3)*sqrt(2 + 3*E)/3).
 * Such integrals are refused. */
static bool awkward_coeff(const sy_expr *c) {
  if (c->kind == SY_POW && c->args[0]->kind == SY_ADD) {
    const sy_expr *e = c->args[1];
    if (e->kind != SY_NUM || mpq_sgn(e->q) < 0 || has_number(c->args[0])) {
      return true;
    }
  }
  for (size_t i = 0; i < c->n; i++) {
    if (awkward_coeff(c->args[i])) {
      return true;
    }
  }
  return false;
}

/* 1/(a*x + b) integrated as ratint writes it: log(P)/a with P the
 * polynomial with its denominators cleared and a positive leading
 * coefficient (1/(x + 1/2) gives log(2*x + 1), 1/(2*x + 4) gives
 * log(2*x + 4)/2, 1/(3 - x) gives -log(x - 3)). b must be a Rational, or
 * free of numbers with an integer a (1/(2*x + y) gives log(2*x + y)/2). */
static const sy_expr *log_of_linear(sy_ctx *ctx, const sy_expr *base, const sy_expr *a,
                                    const sy_expr *x) {
  const sy_expr *b = sy_sub(ctx, base, sy_mul2(ctx, a, x));
  if (b == NULL) {
    return NULL;
  }
  bool integer_a = mpz_cmp_ui(mpq_denref(a->q), 1) == 0;
  if (b->kind != SY_NUM && (!integer_a || b->has_i || b->has_float || has_number(b))) {
    return outside(ctx);
  }
  mpq_t factor;
  mpq_init(factor);
  mpz_lcm(mpq_numref(factor), mpq_denref(a->q),
          b->kind == SY_NUM ? mpq_denref(b->q) : mpq_denref(a->q));
  if (mpq_sgn(a->q) < 0) {
    mpz_neg(mpq_numref(factor), mpq_numref(factor));
  }
  const sy_expr *p = sy_mul2(ctx, sy_number(ctx, factor), base);
  mpq_clear(factor);
  return p == NULL ? NULL : sy_div(ctx, sy_func(ctx, SY_LOG, p), a);
}

/* Whether e is a number other than an integer (a fraction, a constant, a Float). */
static bool is_inexact_number(const sy_expr *e) {
  if (e->kind == SY_NUM) {
    return mpz_cmp_ui(mpq_denref(e->q), 1) != 0;
  }
  return e->kind == SY_CONST || e->kind == SY_FLOAT;
}

static bool has_number(const sy_expr *e) {
  return sy_any_node(e, is_inexact_number);
}

/* The antiderivative of one factor f that depends on x. Sets *singular when
 * it is singular somewhere on the real line (negative powers, log, tan) and
 * *fractional when it is complex for x < 0 (fractional powers). */
static const sy_expr *integrate_factor(sy_ctx *ctx, const sy_expr *f, const sy_expr *x,
                                       bool *singular, bool *fractional) {
  if (sy_equal(f, x)) {
    return sy_div(ctx, sy_pow(ctx, x, sy_integer(ctx, 2)), sy_integer(ctx, 2));
  }
  if (f->kind == SY_POW && f->args[1]->kind == SY_NUM) {
    const sy_expr *base = f->args[0], *n = f->args[1];
    if (mpq_sgn(n->q) < 0) {
      *singular = true;
    } else if (mpz_cmp_ui(mpq_denref(n->q), 1) != 0) {
      *fractional = true;
    }
    if (sy_is_int(n, -1)) {
      const sy_expr *d = linear_slope(ctx, base, x);
      if (d == NULL) {
        return ctx->failed ? NULL : outside(ctx);
      }
      return log_of_linear(ctx, base, d, x);
    }
    if (sy_equal(base, x)) {
      const sy_expr *n1 = sy_add2(ctx, n, sy_integer(ctx, 1));
      return n1 == NULL ? NULL : sy_div(ctx, sy_pow(ctx, x, n1), n1);
    }
    return outside(ctx);
  }
  if (f->kind == SY_FN) {
    const sy_expr *arg = f->args[0];
    switch ((sy_fn)f->fn) {
      case SY_SIN:
      case SY_COS:
      case SY_EXP: {
        const sy_expr *d = linear_slope(ctx, arg, x);
        if (d == NULL) {
          return ctx->failed ? NULL : outside(ctx);
        }
        const sy_expr *F = f->fn == SY_SIN   ? sy_neg(ctx, sy_func(ctx, SY_COS, arg))
                           : f->fn == SY_COS ? sy_func(ctx, SY_SIN, arg)
                                             : f;
        return sy_div(ctx, F, d);
      }
      case SY_LOG:
        if (sy_equal(arg, x)) {
          *singular = true;
          return sy_sub(ctx, sy_mul2(ctx, x, f), x);
        }
        return outside(ctx);
      case SY_TAN:
        if (sy_equal(arg, x)) {
          *singular = true;
          return sy_neg(ctx, sy_func(ctx, SY_LOG, sy_func(ctx, SY_COS, x)));
        }
        return outside(ctx);
      default:
        return outside(ctx);
    }
  }
  return outside(ctx);
}

static long poly_degree(const sy_expr *t, const sy_expr *x);

/* A term split as c * x**k * g: c a Rational (1 when absent), g the one
 * factor that is no power of x (NULL when there is none). False when the
 * term has another shape. */
static bool split_term(const sy_expr *t, const sy_expr *x, mpq_srcptr *c, long *k,
                       const sy_expr **g) {
  const sy_expr *const *factors = t->kind == SY_MUL ? t->args : &t;
  size_t n = t->kind == SY_MUL ? t->n : 1;
  *c = NULL;
  *k = 0;
  *g = NULL;
  for (size_t i = 0; i < n; i++) {
    const sy_expr *f = factors[i];
    long degree = f->kind == SY_NUM ? -1 : poly_degree(f, x);
    if (f->kind == SY_NUM && i == 0) {
      *c = f->q;
    } else if (degree > 0) {
      *k = degree;
    } else if (*g == NULL && sy_has_symbol(f, x)) {
      *g = f;
    } else {
      return false;
    }
  }
  return true;
}

/* x**k * trig(u) integrated by parts, u = a*x + b (manualintegrate's
 * parts rule, written out as one expanded sum):
 *   int x**k sin(u) = -x**k cos(u)/a + (k/a) int x**(k-1) cos(u)
 *   int x**k cos(u) =  x**k sin(u)/a - (k/a) int x**(k-1) sin(u). */
static const sy_expr *trig_by_parts(sy_ctx *ctx, sy_fn fn, const sy_expr *u, const sy_expr *a,
                                    long k, const sy_expr *x) {
  const sy_expr *xk = sy_pow(ctx, x, sy_integer(ctx, k));
  const sy_expr *other = sy_func(ctx, fn == SY_SIN ? SY_COS : SY_SIN, u);
  const sy_expr *head = sy_div(ctx, sy_mul2(ctx, xk, other), a);
  if (fn == SY_SIN) {
    head = sy_neg(ctx, head);
  }
  if (k == 0 || head == NULL) {
    return head;
  }
  const sy_expr *rest = trig_by_parts(ctx, fn == SY_SIN ? SY_COS : SY_SIN, u, a, k - 1, x);
  const sy_expr *scale = sy_div(ctx, sy_integer(ctx, fn == SY_SIN ? k : -k), a);
  return sy_add2(ctx, head,
                 sy_expand_with(ctx, sy_mul2(ctx, scale, rest), &(sy_hints){.mul = true}));
}

/* The antiderivative of one term of the expanded integrand. */
static const sy_expr *integrate_term(sy_ctx *ctx, const sy_expr *t, const sy_expr *x,
                                     bool *singular, bool *fractional) {
  if (!sy_has_symbol(t, x)) {
    return sy_mul2(ctx, t, x);
  }
  if (t->kind != SY_MUL) {
    return integrate_factor(ctx, t, x, singular, fractional);
  }
  mpq_srcptr c;
  long k;
  const sy_expr *g;
  if (split_term(t, x, &c, &k, &g) && k > 0 && g != NULL && g->kind == SY_FN &&
      (g->fn == SY_SIN || g->fn == SY_COS) && k <= 64) {
    const sy_expr *a = linear_slope(ctx, g->args[0], x);
    if (a == NULL) {
      return ctx->failed ? NULL : outside(ctx);
    }
    const sy_expr *F = trig_by_parts(ctx, (sy_fn)g->fn, g->args[0], a, k, x);
    if (c == NULL || F == NULL) {
      return F;
    }
    mpq_t q;
    mpq_init(q);
    mpq_set(q, c);
    const sy_expr *cn = sy_number(ctx, q);
    mpq_clear(q);
    return sy_expand_with(ctx, sy_mul2(ctx, cn, F), &(sy_hints){.mul = true});
  }
  const sy_expr **free = sy_alloc(ctx, (t->n + 1) * sizeof *free);
  if (free == NULL) {
    return NULL;
  }
  const sy_expr *dependent = NULL;
  size_t nfree = 0;
  for (size_t i = 0; i < t->n; i++) {
    if (!sy_has_symbol(t->args[i], x)) {
      free[nfree++] = t->args[i];
    } else if (dependent != NULL) {
      return outside(ctx); /* a product of two factors in x needs parts */
    } else {
      dependent = t->args[i];
    }
  }
  free[nfree++] = integrate_factor(ctx, dependent, x, singular, fractional);
  if (free[nfree - 1] == NULL) {
    return NULL;
  }
  return sy_mul(ctx, free, nfree);
}

/* The power of x in a term of a polynomial in x (0 when the term is free
 * of x), or -1 when the term is not x**k times a factor free of x. */
static long poly_degree(const sy_expr *t, const sy_expr *x) {
  if (!sy_has_symbol(t, x)) {
    return 0;
  }
  size_t n = t->kind == SY_MUL ? t->n : 1;
  const sy_expr *const *factors = t->kind == SY_MUL ? t->args : &t;
  long degree = -1;
  for (size_t i = 0; i < n; i++) {
    const sy_expr *f = factors[i];
    if (!sy_has_symbol(f, x)) {
      continue;
    }
    if (degree >= 0) {
      return -1;
    }
    if (sy_equal(f, x)) {
      degree = 1;
    } else if (f->kind == SY_POW && sy_equal(f->args[0], x) && f->args[1]->kind == SY_NUM &&
               mpz_cmp_ui(mpq_denref(f->args[1]->q), 1) == 0 && mpq_sgn(f->args[1]->q) > 0 &&
               mpz_fits_slong_p(mpq_numref(f->args[1]->q))) {
      degree = mpz_get_si(mpq_numref(f->args[1]->q));
    } else {
      return -1;
    }
  }
  return degree;
}

/* The quotient t / x**degree: the term's coefficient in the polynomial. */
static const sy_expr *poly_coeff(sy_ctx *ctx, const sy_expr *t, const sy_expr *x, long degree) {
  if (degree == 0) {
    return t;
  }
  return sy_div(ctx, t, sy_pow(ctx, x, sy_integer(ctx, degree)));
}

/* The coefficients (terms / x**k) of the terms of sum of degree k =
 * degrees[i] not yet done, from the i-th on, into group; marks them done.
 * Returns their count, or 0 with ctx's error set. */
static size_t degree_group(sy_ctx *ctx, const sy_expr *sum, const sy_expr *x, const long *degrees,
                           bool *done, size_t i, const sy_expr **group) {
  size_t ngroup = 0;
  for (size_t j = i; j < sum->n; j++) {
    if (!done[j] && degrees[j] == degrees[i]) {
      done[j] = true;
      if ((group[ngroup++] = poly_coeff(ctx, sum->args[j], x, degrees[i])) == NULL) {
        return 0;
      }
    }
  }
  return ngroup;
}

/* A polynomial in x integrated as Poly.integrate does: the terms of one
 * degree share one coefficient, (y/2 + 1/2)*x**2 for x*y + x, its domain
 * element written out as a sum. */
static const sy_expr *integrate_poly(sy_ctx *ctx, const sy_expr *f, const sy_expr *x,
                                     const long *degrees) {
  const sy_expr **out = sy_alloc(ctx, f->n * sizeof *out);
  const sy_expr **group = sy_alloc(ctx, f->n * sizeof *group);
  bool *done = sy_alloc(ctx, f->n * sizeof *done);
  if (out == NULL || group == NULL || done == NULL) {
    return NULL;
  }
  size_t nout = 0;
  sy_hints mul_only = {.mul = true};
  for (size_t i = 0; i < f->n; i++) {
    if (done[i]) {
      continue;
    }
    size_t ngroup = degree_group(ctx, f, x, degrees, done, i, group);
    if (ngroup == 0) {
      return NULL;
    }
    for (size_t g = 0; ngroup > 1 && g < ngroup; g++) {
      if (group[g]->has_i) {
        /* a domain with I writes E*I + E over 7 as E*(1 + I)/7; not
         * followed */
        return outside(ctx);
      }
      if (has_reciprocal(group[g])) {
        /* tan(E)**-2 + y: the domain's fraction field puts the sum over
         * one denominator, which is not followed */
        return outside(ctx);
      }
    }
    const sy_expr *k1 = sy_integer(ctx, degrees[i] + 1);
    const sy_expr *coeff =
        sy_expand_with(ctx, sy_div(ctx, sy_add(ctx, group, ngroup), k1), &mul_only);
    if ((out[nout++] = sy_mul2(ctx, coeff, sy_pow(ctx, x, k1))) == NULL) {
      return NULL;
    }
  }
  return sy_add(ctx, out, nout);
}

static const sy_expr *antiderivative_expanded(sy_ctx *ctx, const sy_expr *f, const sy_expr *x,
                                              bool *singular, bool *fractional);

/* Whether every term of the expanded integrand f is a power of x times a
 * factor free of x. */
static bool is_polynomial(const sy_expr *f, const sy_expr *x) {
  for (size_t i = 0; i < (f->kind == SY_ADD ? f->n : 1); i++) {
    if (poly_degree(f->kind == SY_ADD ? f->args[i] : f, x) < 0) {
      return false;
    }
  }
  return true;
}

/* t as coeff*g: coeff the product of t's factors free of x, g the rest.
 * False when t has no factor free of x or nothing but such factors. */
static bool split_free_factor(sy_ctx *ctx, const sy_expr *t, const sy_expr *x,
                              const sy_expr **coeff, const sy_expr **g) {
  if (t->kind != SY_MUL) {
    return false;
  }
  const sy_expr **free = sy_alloc(ctx, t->n * sizeof *free);
  const sy_expr **dependent = sy_alloc(ctx, t->n * sizeof *dependent);
  if (free == NULL || dependent == NULL) {
    return false;
  }
  size_t nf = 0, nd = 0;
  for (size_t i = 0; i < t->n; i++) {
    if (sy_has_symbol(t->args[i], x)) {
      dependent[nd++] = t->args[i];
    } else {
      free[nf++] = t->args[i];
    }
  }
  if (nf == 0 || nd == 0) {
    return false;
  }
  *coeff = sy_mul(ctx, free, nf);
  *g = sy_mul(ctx, dependent, nd);
  return *coeff != NULL && *g != NULL;
}

/* Whether e is a sum. */
static bool is_sum(const sy_expr *e) {
  return e->kind == SY_ADD;
}

static bool has_sum(const sy_expr *e) {
  return sy_any_node(e, is_sum);
}

/* Whether e is a call of exp or log. */
static bool is_exp_or_log(const sy_expr *e) {
  return e->kind == SY_FN && (e->fn == SY_EXP || e->fn == SY_LOG);
}

static bool has_exp_or_log(const sy_expr *e) {
  return sy_any_node(e, is_exp_or_log);
}
static bool risch_family(const sy_expr *e, const sy_expr *x);

/* Whether e is a call of sin, cos or tan. */
static bool is_trig(const sy_expr *e) {
  return e->kind == SY_FN && (e->fn == SY_SIN || e->fn == SY_COS || e->fn == SY_TAN);
}

static bool has_trig(const sy_expr *e) {
  return sy_any_node(e, is_trig);
}
static const sy_expr *group_polynomial_part(sy_ctx *ctx, const sy_expr *sum, const sy_expr *x,
                                            bool content);
static int rational_part(sy_ctx *ctx, const sy_expr *t, const sy_expr *x);

enum { MAX_EXP_POLY_DEGREE = 64 };

/* P(x)*exp(u), u = a*x + b, integrated as risch_integrate answers it:
 * Q*exp(u) with Q' + a*Q = P, so Q = sum_j (-1)**j P^(j) / a**(j+1),
 * written as (N/D)*exp(u): D the least common denominator of Q's
 * coefficients and N = D*Q, not made primitive ((6*x - 2)*exp(3*x)/3).
 * p[m] is P's coefficient of x**m, for m <= degree. */
static const sy_expr *exp_poly_integral(sy_ctx *ctx, mpq_t *p, long degree, const sy_expr *g,
                                        const sy_expr *a, const sy_expr *x) {
  mpq_t *q = sy_alloc(ctx, (size_t)(degree + 1) * sizeof *q);
  const sy_expr **terms = sy_alloc(ctx, (size_t)(degree + 1) * sizeof *terms);
  if (q == NULL || terms == NULL) {
    return NULL;
  }
  mpq_t term, inv_a;
  mpq_inits(term, inv_a, (mpq_ptr)0);
  mpq_inv(inv_a, a->q);
  mpz_t den;
  mpz_init_set_ui(den, 1);
  for (long m = 0; m <= degree; m++) {
    mpq_init(q[m]);
    /* term = (m+j)!/m! * p[m+j] / a**(j+1), times (-1)**j */
    mpq_t falling;
    mpq_init(falling);
    mpq_set_ui(falling, 1, 1);
    mpq_t power;
    mpq_init(power);
    mpq_set(power, inv_a);
    for (long j = 0; m + j <= degree; j++) {
      if (j > 0) {
        /* falling stays an integer */
        mpz_mul_ui(mpq_numref(falling), mpq_numref(falling), (unsigned long)(m + j));
        mpq_mul(power, power, inv_a);
      }
      mpq_mul(term, falling, p[m + j]);
      mpq_mul(term, term, power);
      if (j % 2) {
        mpq_sub(q[m], q[m], term);
      } else {
        mpq_add(q[m], q[m], term);
      }
    }
    mpq_clears(falling, power, (mpq_ptr)0);
    mpz_lcm(den, den, mpq_denref(q[m]));
  }
  size_t n = 0;
  for (long m = 0; m <= degree; m++) {
    mpq_t scaled;
    mpq_init(scaled);
    mpz_mul(mpq_numref(scaled), mpq_numref(q[m]), den);
    mpz_divexact(mpq_numref(scaled), mpq_numref(scaled), mpq_denref(q[m]));
    if (mpq_sgn(scaled) != 0) {
      terms[n++] = sy_mul2(ctx, sy_number(ctx, scaled), sy_pow(ctx, x, sy_integer(ctx, m)));
    }
    mpq_clears(scaled, q[m], (mpq_ptr)0);
  }
  const sy_expr *numerator = n == 0 ? sy_integer(ctx, 0) : sy_add(ctx, terms, n);
  const sy_expr *result;
  if (mpz_cmp_ui(den, 1) == 0) {
    result = sy_mul2(ctx, numerator, g);
  } else {
    mpq_t inv_den;
    mpq_init(inv_den);
    mpz_set_ui(mpq_numref(inv_den), 1);
    mpz_set(mpq_denref(inv_den), den);
    const sy_expr *factors[3] = {sy_number(ctx, inv_den), numerator, g};
    mpq_clear(inv_den);
    result = ctx->failed ? NULL : sy_mul(ctx, factors, 3);
  }
  mpz_clear(den);
  mpq_clears(term, inv_a, (mpq_ptr)0);
  return result;
}

/* Whether f is a factor of the term t (or t itself). */
static bool has_factor(const sy_expr *t, const sy_expr *f) {
  if (t->kind != SY_MUL) {
    return sy_equal(t, f);
  }
  for (size_t i = 0; i < t->n; i++) {
    if (sy_equal(t->args[i], f)) {
      return true;
    }
  }
  return false;
}

/* The terms c*x**k*exp(u) of a sum (all with one u = a*x + b, b a number,
 * a Rational, some k > 0) integrated together as risch_integrate does,
 * and the other terms each on their own. NULL with the error clear when
 * the sum has no such group (or exponentials of different arguments,
 * which risch puts over common denominators). */
static const sy_expr *integrate_exp_group(sy_ctx *ctx, const sy_expr *f, const sy_expr *x,
                                          bool *singular, bool *fractional) {
  size_t n = f->kind == SY_ADD ? f->n : 1;
  const sy_expr *const *terms = f->kind == SY_ADD ? f->args : &f;
  const sy_expr *g = NULL, *a = NULL;
  long degree = 0;
  for (size_t i = 0; i < n; i++) {
    mpq_srcptr c;
    long k;
    const sy_expr *h;
    if (!split_term(terms[i], x, &c, &k, &h) || h == NULL || h->kind != SY_FN || h->fn != SY_EXP) {
      continue;
    }
    if (g != NULL && !sy_equal(g, h)) {
      return NULL;
    }
    g = h;
    degree = k > degree ? k : degree;
  }
  if (g == NULL || degree == 0 || degree > MAX_EXP_POLY_DEGREE) {
    return NULL;
  }
  a = linear_slope(ctx, g->args[0], x);
  const sy_expr *offset = a == NULL ? NULL : sy_sub(ctx, g->args[0], sy_mul2(ctx, a, x));
  if (a == NULL || offset == NULL || !sy_is_number(offset)) {
    return NULL;
  }
  mpq_t *p = sy_alloc(ctx, (size_t)(degree + 1) * sizeof *p);
  const sy_expr **others = sy_alloc(ctx, (n + 1) * sizeof *others);
  if (p == NULL || others == NULL) {
    return NULL;
  }
  for (long m = 0; m <= degree; m++) {
    mpq_init(p[m]);
  }
  size_t nothers = 0;
  bool rational = true;
  for (size_t i = 0; i < n; i++) {
    mpq_srcptr c;
    long k;
    const sy_expr *h;
    bool splits = split_term(terms[i], x, &c, &k, &h);
    if (splits && h != NULL && sy_equal(h, g)) {
      if (c != NULL) {
        mpq_add(p[k], p[k], c);
      } else {
        mpq_t one;
        mpq_init(one);
        mpq_set_ui(one, 1, 1);
        mpq_add(p[k], p[k], one);
        mpq_clear(one);
      }
    } else if (!splits && has_factor(terms[i], g)) {
      rational = false; /* a factor free of x but no Rational: y*x*exp(x) */
    } else {
      others[nothers++] = terms[i];
    }
  }
  const sy_expr *group = rational ? exp_poly_integral(ctx, p, degree, g, a, x) : NULL;
  for (long m = 0; m <= degree; m++) {
    mpq_clear(p[m]);
  }
  if (group == NULL) {
    return ctx->failed || rational ? NULL : outside(ctx);
  }
  if (nothers == 0) {
    return group;
  }
  const sy_expr *rest = sy_add(ctx, others, nothers);
  const sy_expr *F =
      rest == NULL ? NULL : antiderivative_expanded(ctx, rest, x, singular, fractional);
  return F == NULL ? NULL : sy_add2(ctx, F, group);
}

static const sy_expr *antiderivative(sy_ctx *ctx, const sy_expr *e, const sy_expr *x,
                                     bool *singular, bool *fractional) {
  sy_hints hints = {.deep = true, .mul = true, .multinomial = true};
  const sy_expr *f = sy_expand_with(ctx, e, &hints);
  if (f == NULL) {
    return NULL;
  }
  if (!is_polynomial(f, x)) {
    /* _eval_integral takes each term's factor free of x out before it
     * integrates the rest ((y + 1)*sin(x) gives -(y + 1)*cos(x),
     * pi*(x + sin(x)) gives pi*(x**2/2 - cos(x))), where expanding first
     * would spread it over the terms */
    const sy_expr *const *terms = e->kind == SY_ADD ? e->args : &e;
    for (size_t i = 0; i < (e->kind == SY_ADD ? e->n : 1); i++) {
      const sy_expr *coeff, *g;
      if (!split_free_factor(ctx, terms[i], x, &coeff, &g)) {
        continue;
      }
      bool kept = coeff->kind != SY_NUM && (has_sum(coeff) || g->kind == SY_ADD);
      if (!kept) {
        continue;
      }
      if (e->kind == SY_ADD || has_exp_or_log(g) || has_exp_or_log(coeff) || coeff->has_i) {
        /* inside a sum, risch's turn, or a coefficient sympy rewrites
         * (log(2/3) comes out as -log(3) + log(2)): not followed */
        return outside(ctx);
      }
      const sy_expr *G = antiderivative(ctx, g, x, singular, fractional);
      return G == NULL ? NULL : sy_mul2(ctx, coeff, G);
    }
  }
  const sy_expr *const *terms = f->kind == SY_ADD ? f->args : &f;
  for (size_t i = 0; i < (f->kind == SY_ADD ? f->n : 1); i++) {
    const sy_expr *const *factors = terms[i]->kind == SY_MUL ? terms[i]->args : &terms[i];
    for (size_t j = 0; j < (terms[i]->kind == SY_MUL ? terms[i]->n : 1); j++) {
      if (!sy_has_symbol(factors[j], x) && awkward_coeff(factors[j])) {
        return outside(ctx);
      }
      if (f->kind == SY_ADD && !sy_has_symbol(factors[j], x) && has_negative_power(factors[j])) {
        /* 1/y or 1/pi in a coefficient: the domain becomes a fraction
         * field and sympy answers over one denominator (x/y + x integrates
         * to x**2*(y + 1)/(2*y)), which is not followed */
        return outside(ctx);
      }
    }
  }
  const sy_expr *with_exp = integrate_exp_group(ctx, f, x, singular, fractional);
  if (with_exp != NULL || ctx->failed) {
    return with_exp;
  }
  return antiderivative_expanded(ctx, f, x, singular, fractional);
}

/* The antiderivative of an expanded integrand: a polynomial as
 * Poly.integrate writes it, anything else term by term. */
static const sy_expr *antiderivative_expanded(sy_ctx *ctx, const sy_expr *f, const sy_expr *x,
                                              bool *singular, bool *fractional) {
  if (f->kind != SY_ADD) {
    return integrate_term(ctx, f, x, singular, fractional);
  }
  long *degrees = sy_alloc(ctx, f->n * sizeof *degrees);
  if (degrees == NULL) {
    return NULL;
  }
  bool polynomial = true;
  for (size_t i = 0; i < f->n && polynomial; i++) {
    polynomial = (degrees[i] = poly_degree(f->args[i], x)) >= 0;
  }
  if (polynomial) {
    return integrate_poly(ctx, f, x, degrees);
  }
  const sy_expr **terms = sy_alloc(ctx, f->n * sizeof *terms);
  if (terms == NULL) {
    return NULL;
  }
  for (size_t i = 0; i < f->n; i++) {
    if ((terms[i] = integrate_term(ctx, f->args[i], x, singular, fractional)) == NULL) {
      return NULL;
    }
  }
  const sy_expr *sum = sy_add(ctx, terms, f->n);
  if (sum != NULL && risch_family(f, x) && has_trig(f)) {
    /* risch rewrites cos(2/3) in a coefficient into exponentials */
    return outside(ctx);
  }
  if (sum == NULL || !risch_family(f, x)) {
    return sum;
  }
  bool content = false;
  for (size_t i = 0; i < f->n; i++) {
    int rational = rational_part(ctx, f->args[i], x);
    if (rational < 0) {
      return outside(ctx);
    }
    content |= rational == 1;
  }
  return group_polynomial_part(ctx, sum, x, content);
}

/* A term of a sum that ratint takes whole: 1 when it is c/x**k with a
 * fraction c (ratint then writes the polynomial part over c's denominator:
 * y - 2 + 1/(2*x) integrates to x*(2*y - 4)/2 + log(x)/2), 0 when it is
 * nothing of the kind or 1/(x + b) with an integer b, -1 for another
 * reciprocal of a linear form, whose log ratint makes monic in a sum (1 +
 * 1/(2*x + 2) gives x + log(x + 1)/2, but 1/(2*x + 2) alone log(2*x +
 * 2)/2): not followed. */
static int rational_part(sy_ctx *ctx, const sy_expr *t, const sy_expr *x) {
  const sy_expr *const *factors = t->kind == SY_MUL ? t->args : &t;
  size_t n = t->kind == SY_MUL ? t->n : 1;
  int found = 0;
  for (size_t j = 0; j < n; j++) {
    const sy_expr *f = factors[j];
    if (!is_negative_power(f) || !sy_has_symbol(f, x)) {
      continue;
    }
    if (sy_equal(f->args[0], x)) {
      found = 1;
      continue;
    }
    const sy_expr *slope = linear_slope(ctx, f->args[0], x);
    const sy_expr *b = slope == NULL ? NULL : sy_sub(ctx, f->args[0], x);
    if (slope == NULL || !sy_is_int(slope, 1) || b == NULL || b->kind != SY_NUM ||
        mpz_cmp_ui(mpq_denref(b->q), 1) != 0) {
      return -1;
    }
  }
  if (found && t->kind == SY_MUL && t->args[0]->kind == SY_NUM &&
      mpz_cmp_ui(mpq_denref(t->args[0]->q), 1) != 0) {
    return 1;
  }
  return 0;
}

/* Whether risch_integrate (or ratint) takes the whole integrand: every
 * factor in x is an integer power of x, a power of a linear form, exp or
 * log; sin, cos, tan and roots send sympy term by term instead. */
static bool risch_family(const sy_expr *e, const sy_expr *x) {
  if (!sy_has_symbol(e, x) || sy_equal(e, x)) {
    return true;
  }
  switch (e->kind) {
    case SY_ADD:
    case SY_MUL:
      for (size_t i = 0; i < e->n; i++) {
        if (!risch_family(e->args[i], x)) {
          return false;
        }
      }
      return true;
    case SY_POW:
      return e->args[1]->kind == SY_NUM && mpz_cmp_ui(mpq_denref(e->args[1]->q), 1) == 0 &&
             risch_family(e->args[0], x);
    case SY_FN:
      return (e->fn == SY_EXP || e->fn == SY_LOG) && risch_family(e->args[0], x);
    default:
      return false;
  }
}

/* risch_integrate's answer keeps its polynomial part as one Poly: the
 * terms c*x**k of the antiderivative (c free of x) gathered by k,
 * x*log(x) - x + pi*x being x*log(x) + x*(-1 + pi). Two or more negative
 * powers of x would come as one fraction (ratint): refused; so is a group
 * of terms when the integrand had content (rational_part), which ratint
 * writes over a denominator. */
static const sy_expr *group_polynomial_part(sy_ctx *ctx, const sy_expr *sum, const sy_expr *x,
                                            bool content) {
  if (sum->kind != SY_ADD) {
    return sum;
  }
  size_t n = sum->n;
  long *degrees = sy_alloc(ctx, n * sizeof *degrees);
  const sy_expr **out = sy_alloc(ctx, n * sizeof *out);
  const sy_expr **group = sy_alloc(ctx, n * sizeof *group);
  bool *done = sy_alloc(ctx, n * sizeof *done);
  if (degrees == NULL || out == NULL || group == NULL || done == NULL) {
    return NULL;
  }
  size_t negative = 0;
  for (size_t i = 0; i < n; i++) {
    const sy_expr *t = sum->args[i];
    degrees[i] = poly_degree(t, x);
    const sy_expr *const *factors = t->kind == SY_MUL ? t->args : &t;
    for (size_t j = 0; j < (t->kind == SY_MUL ? t->n : 1); j++) {
      const sy_expr *f = factors[j];
      negative += f->kind == SY_POW && sy_equal(f->args[0], x) && f->args[1]->kind == SY_NUM &&
                  mpq_sgn(f->args[1]->q) < 0;
    }
  }
  if (negative > 1) {
    return outside(ctx);
  }
  size_t nout = 0;
  bool grouped = false;
  for (size_t i = 0; i < n; i++) {
    if (done[i]) {
      continue;
    }
    if (degrees[i] <= 0) {
      out[nout++] = sum->args[i];
      continue;
    }
    size_t ngroup = degree_group(ctx, sum, x, degrees, done, i, group);
    if (ngroup == 0) {
      return NULL;
    }
    grouped |= ngroup > 1;
    for (size_t g = 0; ngroup > 1 && g < ngroup; g++) {
      if (content || group[g]->has_i) {
        return outside(ctx);
      }
    }
    const sy_expr *power = sy_pow(ctx, x, sy_integer(ctx, degrees[i]));
    out[nout++] = ngroup == 1 ? sum->args[i] : sy_mul2(ctx, sy_add(ctx, group, ngroup), power);
    if (out[nout - 1] == NULL) {
      return NULL;
    }
  }
  return grouped ? sy_add(ctx, out, nout) : sum;
}

const sy_expr *sy_integrate(sy_ctx *ctx, const sy_expr *e, const sy_expr *x) {
  if (!sy_has_symbol(e, x) && !e->has_special) {
    return sy_mul2(ctx, e, x); /* integrate(f, x) of an f free of x is f*x, f as it is */
  }
  if (e->has_float || e->has_special) {
    /* Floats make the polynomial domain RR (x + 1.5 integrates to
     * 0.5*x**2 + 1.5*x); infinite forms are not followed. */
    return outside(ctx);
  }
  bool singular = false, fractional = false;
  return antiderivative(ctx, e, x, &singular, &fractional);
}

/* Whether e is a real number above zero (or at least zero with or_zero). */
static bool real_above_zero(const sy_expr *e, bool or_zero) {
  double value;
  return sy_is_number(e) && sy_real_value(e, &value) && (value > 0 || (or_zero && value == 0));
}

/* +1 for oo, -1 for -oo, 0 for anything else. */
static int infinity_sign(const sy_expr *e) {
  return e->kind != SY_CONST ? 0 : e->fn == SY_OO ? 1 : e->fn == SY_NEG_OO ? -1 : 0;
}

/* Whether the term t of an antiderivative tends to 0 as x goes to
 * sign*oo: a factor exp(s*x + b) with s*sign < 0 beside polynomial
 * factors, or a negative power of x alone (beside factors free of x). */
static bool vanishes(sy_ctx *ctx, const sy_expr *t, const sy_expr *x, int sign) {
  const sy_expr *const *factors = t->kind == SY_MUL ? t->args : &t;
  size_t n = t->kind == SY_MUL ? t->n : 1;
  bool decays = false, grows = false, negative_power = false;
  for (size_t i = 0; i < n; i++) {
    const sy_expr *f = factors[i];
    if (!sy_has_symbol(f, x)) {
      continue;
    }
    const sy_expr *slope = NULL;
    if (f->kind == SY_FN && f->fn == SY_EXP && (slope = linear_slope(ctx, f->args[0], x)) != NULL) {
      if (mpq_sgn(slope->q) * sign >= 0) {
        return false;
      }
      decays = true;
    } else if (f->kind == SY_POW && sy_equal(f->args[0], x) && f->args[1]->kind == SY_NUM &&
               mpq_sgn(f->args[1]->q) < 0) {
      negative_power = true;
    } else if (poly_degree(f, x) >= 0) {
      grows = true;
    } else if (f->kind == SY_ADD) {
      for (size_t j = 0; j < f->n; j++) {
        if (poly_degree(f->args[j], x) < 0) {
          return false;
        }
      }
      grows = true;
    } else {
      return false;
    }
  }
  return decays || (negative_power && !grows);
}

/* The limit of the antiderivative F as x goes to sign*oo, when each of its
 * terms is free of x or vanishes there; NULL with the error clear
 * otherwise (a divergent or oscillating F is not followed). */
static const sy_expr *at_infinity(sy_ctx *ctx, const sy_expr *F, const sy_expr *x, int sign) {
  size_t n = F->kind == SY_ADD ? F->n : 1;
  const sy_expr *const *terms = F->kind == SY_ADD ? F->args : &F;
  const sy_expr **kept = sy_alloc(ctx, (n + 1) * sizeof *kept);
  if (kept == NULL) {
    return NULL;
  }
  size_t nkept = 0;
  for (size_t i = 0; i < n; i++) {
    if (!sy_has_symbol(terms[i], x)) {
      kept[nkept++] = terms[i];
    } else if (!vanishes(ctx, terms[i], x, sign)) {
      return NULL;
    }
  }
  return nkept == 0 ? sy_integer(ctx, 0) : sy_add(ctx, kept, nkept);
}

/* F at a limit: substituted, or its limit at oo or -oo. */
static const sy_expr *at_limit(sy_ctx *ctx, const sy_expr *F, const sy_expr *x,
                               const sy_expr *limit) {
  int sign = infinity_sign(limit);
  if (sign == 0) {
    return sy_subs(ctx, F, x, limit);
  }
  const sy_expr *value = at_infinity(ctx, F, x, sign);
  return value != NULL || ctx->failed ? value : outside(ctx);
}

const sy_expr *sy_integrate_definite(sy_ctx *ctx, const sy_expr *e, const sy_expr *x,
                                     const sy_expr *a, const sy_expr *b) {
  bool singular = false, fractional = false;
  bool a_infinite = infinity_sign(a) != 0, b_infinite = infinity_sign(b) != 0;
  if (e->has_float || e->has_special || a->has_float || b->has_float ||
      (a->has_special && !a_infinite) || (b->has_special && !b_infinite)) {
    return outside(ctx);
  }
  const sy_expr *F = antiderivative(ctx, e, x, &singular, &fractional);
  if (F == NULL) {
    return NULL;
  }
  /* F is continuous between the limits when both are above zero (oo is) */
  bool or_zero = !singular;
  bool a_above = infinity_sign(a) > 0 || real_above_zero(a, or_zero);
  bool b_above = infinity_sign(b) > 0 || real_above_zero(b, or_zero);
  if ((singular || fractional) && !(a_above && b_above)) {
    return outside(ctx);
  }
  const sy_expr *upper = at_limit(ctx, F, x, b);
  const sy_expr *lower = upper == NULL ? NULL : at_limit(ctx, F, x, a);
  return lower == NULL ? NULL : sy_sub(ctx, upper, lower);
}
