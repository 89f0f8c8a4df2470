/* factor, cancel and solve in one symbol (poly.h) over dense polynomials
 * with GMP rational coefficients. */
#include "ref/sympy/poly.h"

#include "ref/sympy/order.h"

#include <stdlib.h>
#include <string.h>

/* Polynomials beyond this degree, and integers beyond this many bits in
 * the divisor searches, are refused (NotImplementedError). */
enum { MAX_DEGREE = 500, MAX_SEARCH_BITS = 40 };

#define OUTSIDE "outside the sympy subset of pyref"

typedef struct poly {
  mpq_t *c; /* c[i] is the coefficient of x**i */
  long n;   /* number of coefficients; 0 for the zero polynomial */
} poly;

static void poly_init(poly *p, long n) {
  p->c = n > 0 ? malloc((size_t)n * sizeof *p->c) : NULL;
  p->n = p->c == NULL ? 0 : n;
  for (long i = 0; i < p->n; i++) {
    mpq_init(p->c[i]);
  }
}

static void poly_free(poly *p) {
  for (long i = 0; i < p->n; i++) {
    mpq_clear(p->c[i]);
  }
  free(p->c);
  p->c = NULL;
  p->n = 0;
}

static void poly_trim(poly *p) {
  while (p->n > 0 && mpq_sgn(p->c[p->n - 1]) == 0) {
    mpq_clear(p->c[--p->n]);
  }
}

static long deg(const poly *p) {
  return p->n - 1;
}

static void poly_const(poly *p, const mpq_t v) {
  poly_init(p, 1);
  mpq_set(p->c[0], v);
  poly_trim(p);
}

static void poly_copy(poly *out, const poly *p) {
  poly_init(out, p->n);
  for (long i = 0; i < p->n; i++) {
    mpq_set(out->c[i], p->c[i]);
  }
}

/* out = a + sign*b (out distinct from both). */
static void poly_add(poly *out, const poly *a, const poly *b, int sign) {
  poly_init(out, a->n > b->n ? a->n : b->n);
  for (long i = 0; i < out->n; i++) {
    if (i < a->n) {
      mpq_set(out->c[i], a->c[i]);
    }
    if (i < b->n) {
      if (sign > 0) {
        mpq_add(out->c[i], out->c[i], b->c[i]);
      } else {
        mpq_sub(out->c[i], out->c[i], b->c[i]);
      }
    }
  }
  poly_trim(out);
}

static void poly_mul(poly *out, const poly *a, const poly *b) {
  if (a->n == 0 || b->n == 0) {
    poly_init(out, 0);
    return;
  }
  poly_init(out, a->n + b->n - 1);
  mpq_t t;
  mpq_init(t);
  for (long i = 0; i < a->n; i++) {
    for (long j = 0; j < b->n; j++) {
      mpq_mul(t, a->c[i], b->c[j]);
      mpq_add(out->c[i + j], out->c[i + j], t);
    }
  }
  mpq_clear(t);
  poly_trim(out);
}

/* q, r = divmod(a, b) over Q; b is not zero. */
static void poly_divmod(poly *q, poly *r, const poly *a, const poly *b) {
  poly_copy(r, a);
  poly_init(q, a->n >= b->n ? a->n - b->n + 1 : 1);
  mpq_t f, t;
  mpq_inits(f, t, NULL);
  while (r->n >= b->n && r->n > 0) {
    long shift = r->n - b->n;
    mpq_div(f, r->c[r->n - 1], b->c[b->n - 1]);
    mpq_set(q->c[shift], f);
    for (long i = 0; i < b->n; i++) {
      mpq_mul(t, f, b->c[i]);
      mpq_sub(r->c[i + shift], r->c[i + shift], t);
    }
    poly_trim(r);
  }
  mpq_clears(f, t, NULL);
  poly_trim(q);
}

/* The monic gcd over Q (zero when both are zero). */
static void poly_gcd(poly *g, const poly *a, const poly *b) {
  poly x, y;
  poly_copy(&x, a);
  poly_copy(&y, b);
  while (y.n > 0) {
    poly q, r;
    poly_divmod(&q, &r, &x, &y);
    poly_free(&q);
    poly_free(&x);
    x = y;
    y = r;
  }
  poly_free(&y);
  if (x.n > 0) {
    mpq_t lc;
    mpq_init(lc);
    mpq_set(lc, x.c[x.n - 1]);
    for (long i = 0; i < x.n; i++) {
      mpq_div(x.c[i], x.c[i], lc);
    }
    mpq_clear(lc);
  }
  *g = x;
}

static void poly_deriv(poly *out, const poly *p) {
  poly_init(out, p->n > 1 ? p->n - 1 : 0);
  for (long i = 1; i < p->n; i++) {
    mpq_set_si(out->c[i - 1], i, 1);
    mpq_mul(out->c[i - 1], out->c[i - 1], p->c[i]);
  }
  poly_trim(out);
}

/* Splits p (not zero) into content * primitive: the primitive part has
 * integer coefficients without common factor and a positive leading
 * coefficient. p becomes the primitive part. */
static void poly_primitive(poly *p, mpq_t content) {
  mpz_t l, g;
  mpz_init_set_ui(l, 1);
  mpz_init_set_ui(g, 0);
  for (long i = 0; i < p->n; i++) {
    mpz_lcm(l, l, mpq_denref(p->c[i]));
  }
  for (long i = 0; i < p->n; i++) {
    mpz_t v;
    mpz_init(v);
    mpz_divexact(v, l, mpq_denref(p->c[i]));
    mpz_mul(v, v, mpq_numref(p->c[i]));
    mpz_gcd(g, g, v);
    mpz_clear(v);
  }
  /* content = g / l with the sign of the leading coefficient */
  mpz_set(mpq_numref(content), g);
  mpz_set(mpq_denref(content), l);
  mpq_canonicalize(content);
  if (mpq_sgn(p->c[p->n - 1]) < 0) {
    mpq_neg(content, content);
  }
  for (long i = 0; i < p->n; i++) {
    mpq_div(p->c[i], p->c[i], content);
  }
  mpz_clears(l, g, NULL);
}

/* ---- from expressions ---- */

/* A rational function num/den of the one symbol *x. */
typedef struct ratfun {
  poly num, den;
} ratfun;

static void ratfun_free(ratfun *r) {
  poly_free(&r->num);
  poly_free(&r->den);
}

/* Reduces r by the gcd of its parts (keeping den monic-free: only the
 * common factor goes). */
static void ratfun_reduce(ratfun *r) {
  poly g, q1, r1, q2, r2;
  poly_gcd(&g, &r->num, &r->den);
  if (g.n > 1) {
    poly_divmod(&q1, &r1, &r->num, &g);
    poly_divmod(&q2, &r2, &r->den, &g);
    poly_free(&r1);
    poly_free(&r2);
    ratfun_free(r);
    r->num = q1;
    r->den = q2;
  }
  poly_free(&g);
}

/* Converts e; returns 0, or -1 with ctx's error set when e is not a
 * rational function of one symbol with rational coefficients. */
static int to_ratfun(sy_ctx *ctx, const sy_expr *e, const sy_expr **x, ratfun *out) {
  mpq_t one;
  mpq_init(one);
  mpq_set_ui(one, 1, 1);
  int status = 0;
  switch (e->kind) {
    case SY_NUM:
      poly_const(&out->num, e->q);
      poly_const(&out->den, one);
      break;
    case SY_SYM:
      if (*x == NULL) {
        *x = e;
      }
      if (!sy_equal(*x, e)) {
        sy_fail(ctx, "NotImplementedError", "polynomials in several symbols are " OUTSIDE);
        status = -1;
        break;
      }
      poly_init(&out->num, 2);
      mpq_set_ui(out->num.c[1], 1, 1);
      poly_const(&out->den, one);
      break;
    case SY_ADD:
    case SY_MUL: {
      if (to_ratfun(ctx, e->args[0], x, out) != 0) {
        status = -1;
        break;
      }
      for (size_t i = 1; i < e->n && status == 0; i++) {
        ratfun b, r;
        if (to_ratfun(ctx, e->args[i], x, &b) != 0) {
          status = -1;
          break;
        }
        if (e->kind == SY_MUL) {
          poly_mul(&r.num, &out->num, &b.num);
          poly_mul(&r.den, &out->den, &b.den);
        } else {
          poly t1, t2;
          poly_mul(&t1, &out->num, &b.den);
          poly_mul(&t2, &b.num, &out->den);
          poly_add(&r.num, &t1, &t2, 1);
          poly_mul(&r.den, &out->den, &b.den);
          poly_free(&t1);
          poly_free(&t2);
        }
        ratfun_free(&b);
        ratfun_free(out);
        *out = r;
        ratfun_reduce(out);
        if (deg(&out->num) > MAX_DEGREE || deg(&out->den) > MAX_DEGREE) {
          sy_fail(ctx, "NotImplementedError", "polynomials of this degree are " OUTSIDE);
          status = -1;
        }
      }
      if (status != 0) {
        ratfun_free(out);
      }
      break;
    }
    case SY_POW: {
      const sy_expr *k = e->args[1];
      if (k->kind != SY_NUM || mpz_cmp_ui(mpq_denref(k->q), 1) != 0 ||
          mpz_cmpabs_ui(mpq_numref(k->q), MAX_DEGREE) > 0) {
        sy_fail(ctx, "NotImplementedError", "this power in a polynomial is " OUTSIDE);
        status = -1;
        break;
      }
      ratfun b;
      if (to_ratfun(ctx, e->args[0], x, &b) != 0) {
        status = -1;
        break;
      }
      long n = mpz_get_si(mpq_numref(k->q));
      if (n < 0) {
        poly t = b.num;
        b.num = b.den;
        b.den = t;
        n = -n;
      }
      poly_const(&out->num, one);
      poly_const(&out->den, one);
      for (long i = 0; i < n && status == 0; i++) {
        poly t1, t2;
        poly_mul(&t1, &out->num, &b.num);
        poly_mul(&t2, &out->den, &b.den);
        ratfun_free(out);
        out->num = t1;
        out->den = t2;
        if (deg(&t1) > MAX_DEGREE || deg(&t2) > MAX_DEGREE) {
          sy_fail(ctx, "NotImplementedError", "polynomials of this degree are " OUTSIDE);
          status = -1;
          ratfun_free(out);
        }
      }
      ratfun_free(&b);
      break;
    }
    default:
      sy_fail(ctx, "NotImplementedError", "this expression as a polynomial is " OUTSIDE);
      status = -1;
      break;
  }
  mpq_clear(one);
  return status;
}

/* ---- to expressions ---- */

static const sy_expr *poly_expr(sy_ctx *ctx, const poly *p, const sy_expr *x) {
  if (p->n == 0) {
    return sy_integer(ctx, 0);
  }
  const sy_expr **terms = sy_alloc(ctx, (size_t)p->n * sizeof *terms);
  size_t count = 0;
  for (long i = 0; terms != NULL && i < p->n; i++) {
    if (mpq_sgn(p->c[i]) != 0) {
      const sy_expr *power = i == 0 ? sy_integer(ctx, 1) : sy_pow(ctx, x, sy_integer(ctx, i));
      terms[count++] = sy_mul2(ctx, sy_number(ctx, p->c[i]), power);
    }
  }
  return terms == NULL || ctx->failed ? NULL : sy_add(ctx, terms, count);
}

/* ---- factoring over the integers ---- */

typedef struct factor_list {
  poly *items;
  long *mult;
  size_t count, cap;
} factor_list;

static int push_factor(sy_ctx *ctx, factor_list *l, poly *p, long mult) {
  if (l->count == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 8;
    poly *items = realloc(l->items, cap * sizeof *items);
    if (items != NULL) {
      l->items = items;
    }
    long *m = realloc(l->mult, cap * sizeof *m);
    if (m != NULL) {
      l->mult = m;
    }
    if (items == NULL || m == NULL) {
      sy_fail(ctx, "MemoryError", "%s", "");
      return -1;
    }
    l->cap = cap;
  }
  mpq_t c;
  mpq_init(c);
  poly_primitive(p, c);
  mpq_clear(c);
  l->items[l->count] = *p;
  l->mult[l->count++] = mult;
  p->c = NULL;
  p->n = 0;
  return 0;
}

static void factor_list_free(factor_list *l) {
  for (size_t i = 0; i < l->count; i++) {
    poly_free(&l->items[i]);
  }
  free(l->items);
  free(l->mult);
}

/* The positive divisors of |n| (n != 0, at most MAX_SEARCH_BITS bits). */
static unsigned long long *divisors(mpz_srcptr n, size_t *count) {
  mpz_t a;
  mpz_init(a);
  mpz_abs(a, n);
  unsigned long long v = mpz_get_ui(a);
  mpz_clear(a);
  size_t cap = 64;
  unsigned long long *d = malloc(cap * sizeof *d);
  *count = 0;
  for (unsigned long long i = 1; d != NULL && i * i <= v; i++) {
    if (v % i == 0) {
      for (int k = 0; k < 2 && d != NULL; k++) {
        unsigned long long x = k == 0 ? i : v / i;
        if (k == 1 && x == i) {
          break;
        }
        if (*count == cap) {
          cap *= 2;
          unsigned long long *more = realloc(d, cap * sizeof *more);
          if (more == NULL) {
            free(d);
            d = NULL;
            break;
          }
          d = more;
        }
        d[(*count)++] = x;
      }
    }
  }
  return d;
}

static bool too_big(const mpq_t v) {
  return mpz_sizeinbase(mpq_numref(v), 2) > MAX_SEARCH_BITS;
}

/* p(v) */
static void poly_eval(mpq_t out, const poly *p, const mpq_t v) {
  mpq_set_ui(out, 0, 1);
  for (long i = p->n - 1; i >= 0; i--) {
    mpq_mul(out, out, v);
    mpq_add(out, out, p->c[i]);
  }
}

/* Divides p by g when g divides it exactly; returns whether it did. */
static bool divide_out(poly *p, const poly *g) {
  poly q, r;
  poly_divmod(&q, &r, p, g);
  bool exact = r.n == 0;
  poly_free(&r);
  if (exact) {
    poly_free(p);
    *p = q;
  } else {
    poly_free(&q);
  }
  return exact;
}

/* Takes the linear factors q*x - p of the squarefree primitive s out, by
 * the rational root test. */
static int linear_factors(sy_ctx *ctx, poly *s, long mult, factor_list *out) {
  if (s->n > 1 && mpq_sgn(s->c[0]) == 0) {
    poly x;
    poly_init(&x, 2);
    mpq_set_ui(x.c[1], 1, 1);
    divide_out(s, &x);
    if (push_factor(ctx, out, &x, mult) != 0) {
      return -1;
    }
  }
  if (s->n <= 2) {
    return 0;
  }
  if (too_big(s->c[0]) || too_big(s->c[s->n - 1])) {
    sy_fail(ctx, "NotImplementedError", "factoring these coefficients is " OUTSIDE);
    return -1;
  }
  size_t np, nq;
  unsigned long long *ps = divisors(mpq_numref(s->c[0]), &np);
  unsigned long long *qs = divisors(mpq_numref(s->c[s->n - 1]), &nq);
  mpq_t v, r;
  mpq_inits(v, r, NULL);
  int status = ps == NULL || qs == NULL ? -1 : 0;
  for (size_t i = 0; status == 0 && i < np && s->n > 2; i++) {
    for (size_t j = 0; status == 0 && j < nq && s->n > 2; j++) {
      for (int sign = 1; sign >= -1 && s->n > 2; sign -= 2) {
        mpz_set_ui(mpq_numref(v), ps[i]);
        mpz_set_ui(mpq_denref(v), qs[j]);
        mpq_canonicalize(v);
        if (mpz_cmp_ui(mpq_denref(v), qs[j]) != 0) {
          continue; /* p/q not in lowest terms: tried already */
        }
        if (sign < 0) {
          mpq_neg(v, v);
        }
        poly_eval(r, s, v);
        if (mpq_sgn(r) == 0) {
          poly lin;
          poly_init(&lin, 2);
          mpq_set_z(lin.c[1], mpq_denref(v));
          mpq_set_z(lin.c[0], mpq_numref(v));
          mpq_neg(lin.c[0], lin.c[0]);
          divide_out(s, &lin);
          status = push_factor(ctx, out, &lin, mult);
        }
      }
    }
  }
  if (ps == NULL || qs == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
  }
  mpq_clears(v, r, NULL);
  free(ps);
  free(qs);
  return status;
}

/* Kronecker's method for the quadratic factors of s (squarefree, no
 * linear factors, degree >= 4): candidates through s(0), s(1), s(-1). */
static int quadratic_factors(sy_ctx *ctx, poly *s, long mult, factor_list *out) {
  mpq_t at[3], point;
  for (int k = 0; k < 3; k++) {
    mpq_init(at[k]);
  }
  mpq_init(point);
  int status = 0;
  bool found = true;
  while (found && s->n >= 5 && status == 0) {
    found = false;
    for (int k = 0; k < 3; k++) {
      mpq_set_si(point, k == 2 ? -1 : k, 1);
      poly_eval(at[k], s, point);
    }
    if (too_big(at[0]) || too_big(at[1]) || too_big(at[2])) {
      sy_fail(ctx, "NotImplementedError", "factoring these coefficients is " OUTSIDE);
      status = -1;
      break;
    }
    size_t n0, n1, n2;
    unsigned long long *d0 = divisors(mpq_numref(at[0]), &n0);
    unsigned long long *d1 = divisors(mpq_numref(at[1]), &n1);
    unsigned long long *d2 = divisors(mpq_numref(at[2]), &n2);
    if (d0 == NULL || d1 == NULL || d2 == NULL || (double)n0 * n1 * n2 > 2e5) {
      sy_fail(ctx, "NotImplementedError", "factoring these coefficients is " OUTSIDE);
      status = -1;
    }
    for (size_t i = 0; status == 0 && !found && i < n0; i++) {
      for (size_t j = 0; !found && j < 2 * n1; j++) {
        for (size_t k = 0; !found && k < 2 * n2; k++) {
          /* g(0) = c > 0 up to the sign of g, g(1) = a + b + c, g(-1) = a - b + c */
          long long c = (long long)d0[i];
          long long g1 = (j % 2 ? -1 : 1) * (long long)d1[j / 2];
          long long gm = (k % 2 ? -1 : 1) * (long long)d2[k / 2];
          if ((g1 + gm) % 2 != 0) {
            continue;
          }
          long long a = (g1 + gm) / 2 - c, b = (g1 - gm) / 2;
          if (a == 0) {
            continue;
          }
          poly g;
          poly_init(&g, 3);
          mpq_set_si(g.c[2], a > 0 ? a : -a, 1);
          mpq_set_si(g.c[1], a > 0 ? b : -b, 1);
          mpq_set_si(g.c[0], a > 0 ? c : -c, 1);
          if (divide_out(s, &g)) {
            found = true;
            status = push_factor(ctx, out, &g, mult);
          } else {
            poly_free(&g);
          }
        }
      }
    }
    free(d0);
    free(d1);
    free(d2);
  }
  for (int k = 0; k < 3; k++) {
    mpq_clear(at[k]);
  }
  mpq_clear(point);
  return status;
}

/* The irreducible factors of the squarefree s, each with mult. */
static int factor_squarefree(sy_ctx *ctx, poly *s, long mult, factor_list *out) {
  if (linear_factors(ctx, s, mult, out) != 0) {
    return -1;
  }
  if (s->n >= 5 && quadratic_factors(ctx, s, mult, out) != 0) {
    return -1;
  }
  if (s->n > 6) {
    return sy_fail(ctx, "NotImplementedError", "factors of degree 6 and more are " OUTSIDE), -1;
  }
  if (s->n > 1) {
    poly rest;
    poly_copy(&rest, s);
    return push_factor(ctx, out, &rest, mult);
  }
  return 0;
}

/* factor_list(p): content into coeff (p not zero), irreducible factors
 * with multiplicities (Yun's squarefree decomposition, then each part). */
static int factor_list_of(sy_ctx *ctx, const poly *p, mpq_t coeff, factor_list *out) {
  poly f;
  poly_copy(&f, p);
  poly_primitive(&f, coeff);
  int status = 0;
  if (f.n <= 1) {
    poly_free(&f);
    return 0;
  }
  poly df, a, b, c, d, t, q, r;
  poly_deriv(&df, &f);
  poly_gcd(&a, &f, &df);
  poly_divmod(&b, &r, &f, &a);
  poly_free(&r);
  poly_divmod(&c, &r, &df, &a);
  poly_free(&r);
  poly_free(&a);
  poly_deriv(&t, &b);
  poly_add(&d, &c, &t, -1);
  poly_free(&t);
  for (long i = 1; status == 0 && b.n > 1; i++) {
    poly_gcd(&a, &b, &d);
    poly_divmod(&q, &r, &b, &a);
    poly_free(&r);
    poly_free(&b);
    b = q;
    poly_divmod(&q, &r, &d, &a);
    poly_free(&r);
    poly_free(&c);
    c = q;
    poly_deriv(&t, &b);
    poly_free(&d);
    poly_add(&d, &c, &t, -1);
    poly_free(&t);
    if (a.n > 1) {
      mpq_t unused;
      mpq_init(unused);
      poly_primitive(&a, unused);
      mpq_clear(unused);
      status = factor_squarefree(ctx, &a, i, out);
    }
    poly_free(&a);
  }
  poly_free(&b);
  poly_free(&c);
  poly_free(&d);
  poly_free(&df);
  poly_free(&f);
  return status;
}

int sy_factor_zpoly(sy_ctx *ctx, const mpz_t *coeffs, long n, sy_zpoly_emit emit, void *env) {
  if (n > MAX_DEGREE + 1) {
    sy_fail(ctx, "NotImplementedError", "polynomials of this degree are " OUTSIDE);
    return -1;
  }
  poly p;
  poly_init(&p, n);
  for (long i = 0; i < p.n; i++) {
    mpq_set_z(p.c[i], coeffs[i]);
  }
  poly_trim(&p);
  mpq_t content;
  mpq_init(content);
  factor_list l = {0};
  int status = p.n == 0 ? 0 : factor_list_of(ctx, &p, content, &l);
  mpz_t *ints = NULL;
  for (size_t i = 0; status == 0 && i < l.count; i++) {
    const poly *f = &l.items[i];
    mpz_t *more = realloc(ints, (size_t)f->n * sizeof *more);
    if (more == NULL) {
      sy_fail(ctx, "MemoryError", "%s", "");
      status = -1;
      break;
    }
    ints = more;
    for (long k = 0; k < f->n; k++) {
      mpz_init_set(ints[k], mpq_numref(f->c[k])); /* primitive: integers */
    }
    status = emit(env, (const mpz_t *)ints, f->n, l.mult[i]);
    for (long k = 0; k < f->n; k++) {
      mpz_clear(ints[k]);
    }
  }
  free(ints);
  factor_list_free(&l);
  mpq_clear(content);
  poly_free(&p);
  return status;
}

const sy_expr *sy_keep_coeff(sy_ctx *ctx, const sy_expr *coeff, const sy_expr *factors) {
  if (sy_is_int(factors, 1)) {
    return coeff;
  }
  if (sy_is_int(coeff, 1)) {
    return factors;
  }
  if (sy_is_int(coeff, -1)) {
    return sy_neg(ctx, factors);
  }
  if (factors->kind == SY_ADD) {
    const sy_expr *pair[2] = {coeff, factors};
    return sy_mul_unevaluated(ctx, pair, 2);
  }
  if (factors->kind == SY_MUL) {
    const sy_expr **margs = sy_alloc(ctx, (factors->n + 1) * sizeof *margs);
    if (margs == NULL) {
      return NULL;
    }
    size_t n = 0;
    if (factors->args[0]->kind == SY_NUM) {
      const sy_expr *k = sy_mul2(ctx, factors->args[0], coeff);
      if (k != NULL && !sy_is_int(k, 1)) {
        margs[n++] = k;
      }
      memcpy(margs + n, factors->args + 1, (factors->n - 1) * sizeof *margs);
      n += factors->n - 1;
    } else {
      margs[n++] = coeff;
      memcpy(margs + n, factors->args, factors->n * sizeof *margs);
      n += factors->n;
    }
    return ctx->failed ? NULL : sy_mul_unevaluated(ctx, margs, n);
  }
  return sy_mul2(ctx, coeff, factors);
}

/* The product of the factors' powers, as _factors_product builds it. */
static const sy_expr *factors_product(sy_ctx *ctx, const factor_list *l, int sign, const sy_expr *x,
                                      const sy_expr **acc, size_t *n) {
  for (size_t i = 0; i < l->count; i++) {
    acc[(*n)++] = sy_pow(ctx, poly_expr(ctx, &l->items[i], x), sy_integer(ctx, sign * l->mult[i]));
  }
  return ctx->failed ? NULL : acc[0];
}

const sy_expr *sy_factor_univariate(sy_ctx *ctx, const sy_expr *e) {
  if (e->kind == SY_NUM) {
    return e;
  }
  const sy_expr *x = NULL;
  ratfun rf;
  if (to_ratfun(ctx, e, &x, &rf) != 0) {
    return NULL;
  }
  if (x == NULL || rf.num.n == 0) {
    ratfun_free(&rf);
    return sy_fail(ctx, "NotImplementedError", "factor of this expression is " OUTSIDE);
  }
  mpq_t cn, cd;
  mpq_inits(cn, cd, NULL);
  factor_list ln = {0}, ld = {0};
  const sy_expr *result = NULL;
  if (factor_list_of(ctx, &rf.num, cn, &ln) == 0 && factor_list_of(ctx, &rf.den, cd, &ld) == 0) {
    const sy_expr **acc = sy_alloc(ctx, (ln.count + ld.count + 1) * sizeof *acc);
    size_t n = 0;
    if (acc != NULL) {
      factors_product(ctx, &ln, 1, x, acc, &n);
      factors_product(ctx, &ld, -1, x, acc, &n);
      mpq_div(cn, cn, cd);
      const sy_expr *product = n == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, acc, n);
      const sy_expr *coeff = sy_number(ctx, cn);
      result = product == NULL || coeff == NULL ? NULL : sy_keep_coeff(ctx, coeff, product);
    }
  }
  factor_list_free(&ln);
  factor_list_free(&ld);
  mpq_clears(cn, cd, NULL);
  ratfun_free(&rf);
  return ctx->failed ? NULL : result;
}

const sy_expr *sy_cancel_univariate(sy_ctx *ctx, const sy_expr *e) {
  if (e->kind == SY_NUM) {
    return e;
  }
  const sy_expr *x = NULL;
  ratfun rf;
  if (to_ratfun(ctx, e, &x, &rf) != 0) {
    return NULL;
  }
  if (x == NULL) {
    ratfun_free(&rf);
    return sy_fail(ctx, "NotImplementedError", "cancel of this expression is " OUTSIDE);
  }
  const sy_expr *result = NULL;
  if (rf.num.n == 0) {
    result = sy_integer(ctx, 0);
  } else {
    /* Over the integers: the cofactors of the gcd, whose content is the
     * gcd of the contents, with the denominator's leading coefficient
     * positive. With num = cn*Pn and den = cd*Pd (primitive, coprime) and
     * cn/cd = a/b in lowest terms, that is a*Pn over b*Pd. */
    mpq_t cn, cd, g;
    mpq_inits(cn, cd, g, NULL);
    ratfun_reduce(&rf);
    poly_primitive(&rf.num, cn);
    poly_primitive(&rf.den, cd);
    mpq_div(g, cn, cd);
    for (long i = 0; i < rf.num.n; i++) {
      mpz_mul(mpq_numref(rf.num.c[i]), mpq_numref(rf.num.c[i]), mpq_numref(g));
    }
    for (long i = 0; i < rf.den.n; i++) {
      mpz_mul(mpq_numref(rf.den.c[i]), mpq_numref(rf.den.c[i]), mpq_denref(g));
    }
    result = sy_div(ctx, poly_expr(ctx, &rf.num, x), poly_expr(ctx, &rf.den, x));
    mpq_clears(cn, cd, g, NULL);
  }
  ratfun_free(&rf);
  return ctx->failed ? NULL : result;
}

/* roots_quadratic for a*x**2 + b*x + c with real roots: B -/+ sqrt(d)/(2a). */
static int quadratic_roots(sy_ctx *ctx, const poly *q, const sy_expr **out, size_t *n) {
  mpq_t d, t;
  mpq_inits(d, t, NULL);
  mpq_mul(d, q->c[1], q->c[1]);
  mpq_mul(t, q->c[2], q->c[0]);
  mpq_t four;
  mpq_init(four);
  mpq_set_ui(four, 4, 1);
  mpq_mul(t, t, four);
  mpq_sub(d, d, t);
  mpq_clear(four);
  int status = 0;
  if (mpq_sgn(d) < 0) {
    sy_fail(ctx, "NotImplementedError", "complex roots are " OUTSIDE);
    status = -1;
  } else {
    const sy_expr *a2 = sy_mul2(ctx, sy_integer(ctx, 2), sy_number(ctx, q->c[2]));
    const sy_expr *B = sy_div(ctx, sy_neg(ctx, sy_number(ctx, q->c[1])), a2);
    const sy_expr *D = sy_div(
        ctx, sy_pow(ctx, sy_number(ctx, d), sy_div(ctx, sy_integer(ctx, 1), sy_integer(ctx, 2))),
        a2);
    out[(*n)++] = sy_sub(ctx, B, D);
    out[(*n)++] = sy_add2(ctx, B, D);
    status = ctx->failed ? -1 : 0;
  }
  mpq_clears(d, t, NULL);
  return status;
}

int sy_solve_univariate(sy_ctx *ctx, const sy_expr *e, const sy_expr *x, const sy_expr ***roots,
                        size_t *count) {
  *count = 0;
  *roots = NULL;
  const sy_expr *gen = x;
  ratfun rf;
  if (to_ratfun(ctx, e, &gen, &rf) != 0) {
    return -1;
  }
  int status = 0;
  if (rf.den.n > 1) {
    sy_fail(ctx, "NotImplementedError", "solving rational functions is " OUTSIDE);
    status = -1;
  }
  mpq_t coeff;
  mpq_init(coeff);
  factor_list l = {0};
  if (status == 0 && rf.num.n > 1 && gen != NULL) {
    status = factor_list_of(ctx, &rf.num, coeff, &l);
  }
  const sy_expr **found = sy_alloc(ctx, (2 * l.count + 1) * sizeof *found);
  size_t n = 0;
  for (size_t i = 0; status == 0 && found != NULL && i < l.count; i++) {
    const poly *f = &l.items[i];
    if (f->n == 2) {
      mpq_t r;
      mpq_init(r);
      mpq_div(r, f->c[0], f->c[1]);
      mpq_neg(r, r);
      found[n++] = sy_number(ctx, r);
      mpq_clear(r);
    } else if (f->n == 3) {
      status = quadratic_roots(ctx, f, found, &n);
    } else {
      sy_fail(ctx, "NotImplementedError", "roots of factors of degree 3 and more are " OUTSIDE);
      status = -1;
    }
  }
  if (status == 0 && found != NULL) {
    sy_sort_by_key(ctx, found, n, false);
    size_t unique = 0;
    for (size_t i = 0; i < n; i++) {
      if (unique == 0 || !sy_equal(found[unique - 1], found[i])) {
        found[unique++] = found[i];
      }
    }
    *roots = found;
    *count = unique;
  }
  factor_list_free(&l);
  mpq_clear(coeff);
  ratfun_free(&rf);
  return ctx->failed ? -1 : status;
}
