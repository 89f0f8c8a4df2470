/* gcd and exact division over Z[gens] (mpoly_gcd.h). */
#include "ref/sympy/mpoly_gcd.h"

#include <stdlib.h>
#include <string.h>

/* ---- small pieces ---- */

/* Appends a term without looking for an equal monomial: the callers
 * produce each monomial once. */
static int append_term(sy_mpoly *p, const uint32_t *exps, const mpz_t coeff) {
  if (p->count == p->cap) {
    size_t cap = p->cap < 8 ? 8 : 2 * p->cap;
    size_t width = p->nvars ? p->nvars : 1;
    uint32_t *e = realloc(p->exps, cap * width * sizeof *e);
    if (e == NULL) {
      return SY_MPOLY_NOMEM;
    }
    p->exps = e;
    mpz_t *c = realloc(p->coeffs, cap * sizeof *c);
    if (c == NULL) {
      return SY_MPOLY_NOMEM;
    }
    p->coeffs = c;
    p->cap = cap;
  }
  if (p->nvars > 0) {
    memcpy(p->exps + p->count * p->nvars, exps, p->nvars * sizeof *exps);
  }
  mpz_init_set(p->coeffs[p->count], coeff);
  p->count++;
  return 0;
}

static const uint32_t *exps_of(const sy_mpoly *p, size_t i) {
  return p->exps + i * p->nvars;
}

static int lex_cmp(const uint32_t *a, const uint32_t *b, size_t nvars) {
  for (size_t v = 0; v < nvars; v++) {
    if (a[v] != b[v]) {
      return a[v] > b[v] ? 1 : -1;
    }
  }
  return 0;
}

/* SY_MPOLY_TOO_BIG when p is past the work limits, else 0. */
static int check_size(const sy_mpoly *p) {
  if (p->count > SY_MPOLY_WORK_TERMS) {
    return SY_MPOLY_TOO_BIG;
  }
  for (size_t i = 0; i < p->count; i++) {
    if (mpz_sizeinbase(p->coeffs[i], 2) > SY_MPOLY_WORK_BITS) {
      return SY_MPOLY_TOO_BIG;
    }
  }
  return 0;
}

/* Maps mpoly.c's -1 (memory, or a result past its limits) to TOO_BIG when
 * the operands were already large, NOMEM otherwise: either way the caller
 * stops. */
static int arith_status(int status) {
  return status == 0 ? 0 : SY_MPOLY_NOMEM;
}

long sy_mpoly_lead(const sy_mpoly *p) {
  if (p->count == 0) {
    return -1;
  }
  size_t best = 0;
  for (size_t i = 1; i < p->count; i++) {
    if (lex_cmp(exps_of(p, i), exps_of(p, best), p->nvars) > 0) {
      best = i;
    }
  }
  return (long)best;
}

bool sy_mpoly_is_const(const sy_mpoly *p) {
  for (size_t i = 0; i < p->count; i++) {
    for (size_t v = 0; v < p->nvars; v++) {
      if (exps_of(p, i)[v] != 0) {
        return false;
      }
    }
  }
  return true;
}

long sy_mpoly_degree(const sy_mpoly *p, size_t v) {
  long d = -1;
  for (size_t i = 0; i < p->count; i++) {
    long e = (long)exps_of(p, i)[v];
    d = e > d ? e : d;
  }
  return d;
}

int sy_mpoly_copy(sy_mpoly *out, const sy_mpoly *p) {
  sy_mpoly_clear(out);
  out->nvars = p->nvars;
  for (size_t i = 0; i < p->count; i++) {
    if (append_term(out, exps_of(p, i), p->coeffs[i]) != 0) {
      sy_mpoly_clear(out);
      return SY_MPOLY_NOMEM;
    }
  }
  return 0;
}

int sy_mpoly_set_const(sy_mpoly *out, size_t nvars, const mpz_t c) {
  sy_mpoly_clear(out);
  out->nvars = nvars;
  if (mpz_sgn(c) == 0) {
    return 0;
  }
  uint32_t zeros[64] = {0};
  if (nvars > 64) {
    return SY_MPOLY_TOO_BIG;
  }
  return append_term(out, zeros, c);
}

bool sy_mpoly_make_lc_positive(sy_mpoly *p) {
  long lead = sy_mpoly_lead(p);
  if (lead < 0 || mpz_sgn(p->coeffs[lead]) > 0) {
    return false;
  }
  for (size_t i = 0; i < p->count; i++) {
    mpz_neg(p->coeffs[i], p->coeffs[i]);
  }
  return true;
}

void sy_mpoly_int_content(mpz_t out, const sy_mpoly *p) {
  mpz_set_ui(out, 0);
  for (size_t i = 0; i < p->count && mpz_cmp_ui(out, 1) != 0; i++) {
    mpz_gcd(out, out, p->coeffs[i]);
  }
}

void sy_mpoly_scale(sy_mpoly *p, const mpz_t c) {
  for (size_t i = 0; i < p->count; i++) {
    mpz_mul(p->coeffs[i], p->coeffs[i], c);
  }
}

void sy_mpoly_divexact_z(sy_mpoly *p, const mpz_t c) {
  for (size_t i = 0; i < p->count; i++) {
    mpz_divexact(p->coeffs[i], p->coeffs[i], c);
  }
}

int sy_mpoly_coeff_in(sy_mpoly *out, const sy_mpoly *p, size_t v, uint32_t k) {
  sy_mpoly_clear(out);
  out->nvars = p->nvars;
  uint32_t e[64];
  if (p->nvars > 64) {
    return SY_MPOLY_TOO_BIG;
  }
  for (size_t i = 0; i < p->count; i++) {
    if (exps_of(p, i)[v] == k) {
      memcpy(e, exps_of(p, i), p->nvars * sizeof *e);
      e[v] = 0;
      if (append_term(out, e, p->coeffs[i]) != 0) {
        sy_mpoly_clear(out);
        return SY_MPOLY_NOMEM;
      }
    }
  }
  return 0;
}

int sy_mpoly_diff(sy_mpoly *out, const sy_mpoly *p, size_t v) {
  sy_mpoly_clear(out);
  out->nvars = p->nvars;
  uint32_t e[64];
  if (p->nvars > 64) {
    return SY_MPOLY_TOO_BIG;
  }
  mpz_t c;
  mpz_init(c);
  int status = 0;
  for (size_t i = 0; i < p->count && status == 0; i++) {
    if (exps_of(p, i)[v] > 0) {
      memcpy(e, exps_of(p, i), p->nvars * sizeof *e);
      mpz_mul_ui(c, p->coeffs[i], e[v]);
      e[v]--;
      status = append_term(out, e, c);
    }
  }
  mpz_clear(c);
  if (status != 0) {
    sy_mpoly_clear(out);
  }
  return status;
}

/* out = coeff * gens**shift * p */
static int mul_term(sy_mpoly *out, const sy_mpoly *p, const uint32_t *shift, const mpz_t coeff) {
  sy_mpoly_clear(out);
  out->nvars = p->nvars;
  uint32_t e[64];
  mpz_t c;
  mpz_init(c);
  int status = 0;
  for (size_t i = 0; i < p->count && status == 0; i++) {
    for (size_t v = 0; v < p->nvars; v++) {
      e[v] = exps_of(p, i)[v] + shift[v];
    }
    mpz_mul(c, p->coeffs[i], coeff);
    status = append_term(out, e, c);
  }
  mpz_clear(c);
  return status;
}

/* ---- exact division ---- */

int sy_mpoly_divexact(sy_mpoly *q, const sy_mpoly *a, const sy_mpoly *b) {
  size_t nv = a->nvars;
  sy_mpoly_clear(q);
  q->nvars = nv;
  if (nv > 64 || b->count == 0) {
    return SY_MPOLY_TOO_BIG;
  }
  /* deg_v(a / b) = deg_v(a) - deg_v(b) for every v bounds the quotient's
   * monomials, so that an inexact division stops early. */
  uint32_t most[64], e[64];
  for (size_t v = 0; v < nv; v++) {
    long da = sy_mpoly_degree(a, v), db = sy_mpoly_degree(b, v);
    most[v] = da >= db ? (uint32_t)(da - db) : 0;
  }
  const uint32_t *lb = exps_of(b, (size_t)sy_mpoly_lead(b));
  mpz_srcptr lcb = b->coeffs[sy_mpoly_lead(b)];
  sy_mpoly r, t, next;
  sy_mpoly_init(&r, nv);
  sy_mpoly_init(&t, nv);
  sy_mpoly_init(&next, nv);
  mpz_t c;
  mpz_init(c);
  int status = sy_mpoly_copy(&r, a);
  while (status == 0 && r.count > 0) {
    long lr = sy_mpoly_lead(&r);
    const uint32_t *er = exps_of(&r, (size_t)lr);
    bool fits = mpz_divisible_p(r.coeffs[lr], lcb);
    for (size_t v = 0; v < nv && fits; v++) {
      fits = er[v] >= lb[v] && er[v] - lb[v] <= most[v];
      e[v] = er[v] - lb[v];
    }
    if (!fits) {
      status = 1;
      break;
    }
    mpz_divexact(c, r.coeffs[lr], lcb);
    if ((status = append_term(q, e, c)) != 0 || (status = check_size(q)) != 0 ||
        (status = mul_term(&t, b, e, c)) != 0 ||
        (status = arith_status(sy_mpoly_sub(&next, &r, &t))) != 0) {
      break;
    }
    sy_mpoly_swap(&r, &next);
  }
  mpz_clear(c);
  sy_mpoly_clear(&r);
  sy_mpoly_clear(&t);
  sy_mpoly_clear(&next);
  if (status != 0) {
    sy_mpoly_clear(q);
  }
  return status;
}

/* p = p / d for a d known to divide p. */
static int divide_in_place(sy_mpoly *p, const sy_mpoly *d) {
  sy_mpoly q;
  sy_mpoly_init(&q, p->nvars);
  int status = sy_mpoly_divexact(&q, p, d);
  if (status == 1) {
    status = SY_MPOLY_TOO_BIG; /* cannot happen for a true divisor */
  }
  if (status == 0) {
    sy_mpoly_swap(p, &q);
  }
  sy_mpoly_clear(&q);
  return status;
}

/* ---- gcd ---- */

/* The generator to take as main variable for gcd(a, b), or nvars when
 * both are constants: one that only one of them has (its content then
 * decides at once), else the one of least degree (the shortest remainder
 * sequence). */
static size_t main_var(const sy_mpoly *a, const sy_mpoly *b) {
  size_t best = a->nvars;
  long best_degree = -1;
  for (size_t v = 0; v < a->nvars; v++) {
    long da = sy_mpoly_degree(a, v), db = sy_mpoly_degree(b, v);
    if (da <= 0 && db <= 0) {
      continue;
    }
    if (da <= 0 || db <= 0) {
      return v;
    }
    long d = da > db ? da : db;
    if (best_degree < 0 || d < best_degree) {
      best = v;
      best_degree = d;
    }
  }
  return best;
}

/* gcd(a, b) for a single term a: the monomial gcd times the integer
 * content gcd (PolyElement._gcd_monom). */
static int gcd_monomial(sy_mpoly *out, const sy_mpoly *a, const sy_mpoly *b) {
  uint32_t e[64];
  mpz_t c;
  mpz_init(c);
  mpz_abs(c, a->coeffs[0]);
  memcpy(e, a->exps, a->nvars * sizeof *e);
  for (size_t i = 0; i < b->count; i++) {
    mpz_gcd(c, c, b->coeffs[i]);
    for (size_t v = 0; v < a->nvars; v++) {
      e[v] = exps_of(b, i)[v] < e[v] ? exps_of(b, i)[v] : e[v];
    }
  }
  sy_mpoly_clear(out);
  out->nvars = a->nvars;
  int status = append_term(out, e, c);
  mpz_clear(c);
  return status;
}

int sy_mpoly_content_in(sy_mpoly *out, const sy_mpoly *p, size_t v) {
  sy_mpoly_clear(out);
  out->nvars = p->nvars;
  long d = sy_mpoly_degree(p, v);
  sy_mpoly c, g;
  sy_mpoly_init(&c, p->nvars);
  sy_mpoly_init(&g, p->nvars);
  int status = 0;
  for (long k = d; k >= 0 && status == 0; k--) {
    if ((status = sy_mpoly_coeff_in(&c, p, v, (uint32_t)k)) != 0 || c.count == 0) {
      continue;
    }
    status = sy_mpoly_gcd(&g, out, &c);
    sy_mpoly_swap(out, &g);
    if (out->count == 1 && sy_mpoly_is_const(out) && mpz_cmp_ui(out->coeffs[0], 1) == 0) {
      break; /* a unit already */
    }
  }
  sy_mpoly_clear(&c);
  sy_mpoly_clear(&g);
  if (status != 0) {
    sy_mpoly_clear(out);
  }
  return status;
}

/* p = its primitive part in v (content_in divided out). */
static int primitive_in(sy_mpoly *p, size_t v) {
  sy_mpoly c;
  sy_mpoly_init(&c, p->nvars);
  int status = p->count == 0 ? 0 : sy_mpoly_content_in(&c, p, v);
  if (status == 0 && p->count > 0) {
    status = divide_in_place(p, &c);
  }
  sy_mpoly_clear(&c);
  return status;
}

/* r = prem(a, b) in v, the lazy pseudo-remainder: while deg_v(r) >=
 * deg_v(b), r = lc(b) * r - lc(r) * v**(dr - db) * b. */
static int pseudo_rem(sy_mpoly *r, const sy_mpoly *a, const sy_mpoly *b, size_t v) {
  size_t nv = a->nvars;
  long db = sy_mpoly_degree(b, v);
  sy_mpoly lcb, lcr, t1, t2, next;
  sy_mpoly_init(&lcb, nv);
  sy_mpoly_init(&lcr, nv);
  sy_mpoly_init(&t1, nv);
  sy_mpoly_init(&t2, nv);
  sy_mpoly_init(&next, nv);
  uint32_t shift[64] = {0};
  mpz_t one;
  mpz_init_set_ui(one, 1);
  int status = sy_mpoly_copy(r, a);
  if (status == 0) {
    status = sy_mpoly_coeff_in(&lcb, b, v, (uint32_t)db);
  }
  long dr;
  while (status == 0 && (dr = sy_mpoly_degree(r, v)) >= db) {
    shift[v] = (uint32_t)(dr - db);
    if ((status = sy_mpoly_coeff_in(&lcr, r, v, (uint32_t)dr)) != 0 ||
        (status = arith_status(sy_mpoly_mul(&t1, &lcb, r))) != 0 ||
        (status = mul_term(&next, b, shift, one)) != 0 ||
        (status = arith_status(sy_mpoly_mul(&t2, &lcr, &next))) != 0 ||
        (status = arith_status(sy_mpoly_sub(&next, &t1, &t2))) != 0 ||
        (status = check_size(&next)) != 0) {
      break;
    }
    sy_mpoly_swap(r, &next);
  }
  mpz_clear(one);
  sy_mpoly_clear(&lcb);
  sy_mpoly_clear(&lcr);
  sy_mpoly_clear(&t1);
  sy_mpoly_clear(&t2);
  sy_mpoly_clear(&next);
  return status;
}

/* ---- a degree bound from one specialisation ---- */

/* Univariate polynomials over Z as coefficient arrays, c[i] of v**i. */
typedef struct upoly {
  mpz_t *c;
  long n; /* coefficients in use: degree + 1, 0 for zero */
} upoly;

static void upoly_trim(upoly *p) {
  while (p->n > 0 && mpz_sgn(p->c[p->n - 1]) == 0) {
    p->n--;
  }
}

/* p at the point: every generator but v set to point[w]. */
static void specialise(const sy_mpoly *p, size_t v, const long *point, upoly *out, mpz_t t) {
  for (long i = 0; i < out->n; i++) {
    mpz_set_ui(out->c[i], 0);
  }
  for (size_t i = 0; i < p->count; i++) {
    mpz_set(t, p->coeffs[i]);
    for (size_t w = 0; w < p->nvars; w++) {
      uint32_t e = exps_of(p, i)[w];
      if (w != v && e > 0) {
        mpz_t power;
        mpz_init_set_si(power, point[w]);
        mpz_pow_ui(power, power, e);
        mpz_mul(t, t, power);
        mpz_clear(power);
      }
    }
    mpz_add(out->c[exps_of(p, i)[v]], out->c[exps_of(p, i)[v]], t);
  }
  upoly_trim(out);
}

/* f = its primitive part (f nonzero). */
static void upoly_primitive(upoly *f, mpz_t t) {
  mpz_set_ui(t, 0);
  for (long i = 0; i < f->n; i++) {
    mpz_gcd(t, t, f->c[i]);
  }
  for (long i = 0; i < f->n; i++) {
    mpz_divexact(f->c[i], f->c[i], t);
  }
}

/* The degree of gcd(f, g) over Q (both nonzero; both are overwritten),
 * by the primitive remainder sequence; -1 when the coefficients grow past
 * the work limit. */
static long upoly_gcd_degree(upoly *f, upoly *g, mpz_t t) {
  if (f->n < g->n) {
    upoly swap = *f;
    *f = *g;
    *g = swap;
  }
  while (g->n > 1) {
    /* f = lc(g)*f - lc(f)*v**k*g until deg f < deg g */
    while (f->n >= g->n) {
      long shift = f->n - g->n;
      mpz_set(t, f->c[f->n - 1]);
      for (long i = 0; i < f->n; i++) {
        mpz_mul(f->c[i], f->c[i], g->c[g->n - 1]);
      }
      for (long i = 0; i < g->n; i++) {
        mpz_submul(f->c[i + shift], t, g->c[i]);
      }
      f->n--; /* the leading term is gone */
      upoly_trim(f);
      if (f->n > 0 && mpz_sizeinbase(f->c[f->n - 1], 2) > SY_MPOLY_WORK_BITS) {
        return -1;
      }
    }
    if (f->n == 0) {
      return g->n - 1;
    }
    upoly_primitive(f, t);
    upoly swap = *f;
    *f = *g;
    *g = swap;
  }
  return 0; /* a nonzero constant remainder */
}

/* Whether gcd(a, b) is certainly free of v (a and b of positive degree
 * in v): at an integer point where a's leading coefficient in v does not
 * vanish, a common factor h with v would give one of degree deg_v(h) to
 * a(v) and b(v), since lc_v(h) divides lc_v(a). */
static bool coprime_in(const sy_mpoly *a, const sy_mpoly *b, size_t v) {
  static const long kPoints[2][4] = {{2, -3, 5, 7}, {-5, 3, 11, -2}};
  long point[64];
  long da = sy_mpoly_degree(a, v), db = sy_mpoly_degree(b, v);
  /* the arrays are owned here; f and g view them and get swapped */
  mpz_t *fa = malloc((size_t)(da + 1) * sizeof *fa);
  mpz_t *ga = malloc((size_t)(db + 1) * sizeof *ga);
  bool coprime = false;
  if (fa != NULL && ga != NULL) {
    for (long i = 0; i <= da; i++) {
      mpz_init(fa[i]);
    }
    for (long i = 0; i <= db; i++) {
      mpz_init(ga[i]);
    }
    mpz_t t;
    mpz_init(t);
    for (int k = 0; k < 2 && !coprime; k++) {
      for (size_t w = 0; w < a->nvars; w++) {
        point[w] = kPoints[k][w % 4] + (long)(w / 4);
      }
      upoly f = {fa, da + 1}, g = {ga, db + 1};
      specialise(a, v, point, &f, t);
      specialise(b, v, point, &g, t);
      if (f.n == da + 1 && g.n > 0) {
        coprime = upoly_gcd_degree(&f, &g, t) == 0;
      }
    }
    mpz_clear(t);
    for (long i = 0; i <= da; i++) {
      mpz_clear(fa[i]);
    }
    for (long i = 0; i <= db; i++) {
      mpz_clear(ga[i]);
    }
  }
  free(fa);
  free(ga);
  return coprime;
}

/* gcd of two polynomials primitive in v, both of positive degree in v. */
static int gcd_primitive(sy_mpoly *out, const sy_mpoly *a, const sy_mpoly *b, size_t v) {
  size_t nv = a->nvars;
  sy_mpoly f, g, r;
  sy_mpoly_init(&f, nv);
  sy_mpoly_init(&g, nv);
  sy_mpoly_init(&r, nv);
  bool a_first = sy_mpoly_degree(a, v) >= sy_mpoly_degree(b, v);
  if (coprime_in(a, b, v)) {
    mpz_t one;
    mpz_init_set_ui(one, 1);
    int status = sy_mpoly_set_const(out, nv, one);
    mpz_clear(one);
    return status;
  }
  int status = sy_mpoly_copy(&f, a_first ? a : b);
  if (status == 0) {
    status = sy_mpoly_copy(&g, a_first ? b : a);
  }
  while (status == 0) {
    if ((status = pseudo_rem(&r, &f, &g, v)) != 0) {
      break;
    }
    if (r.count == 0) {
      sy_mpoly_swap(out, &g); /* g is primitive: the gcd */
      break;
    }
    if (sy_mpoly_degree(&r, v) == 0) {
      mpz_t one;
      mpz_init_set_ui(one, 1);
      status = sy_mpoly_set_const(out, nv, one);
      mpz_clear(one);
      break;
    }
    if ((status = primitive_in(&r, v)) != 0) {
      break;
    }
    sy_mpoly_swap(&f, &g);
    sy_mpoly_swap(&g, &r);
  }
  sy_mpoly_clear(&f);
  sy_mpoly_clear(&g);
  sy_mpoly_clear(&r);
  return status;
}

int sy_mpoly_gcd(sy_mpoly *out, const sy_mpoly *a, const sy_mpoly *b) {
  size_t nv = a->nvars;
  sy_mpoly_clear(out);
  out->nvars = nv;
  if (a->count == 0 || b->count == 0) {
    int status = sy_mpoly_copy(out, a->count == 0 ? b : a);
    sy_mpoly_make_lc_positive(out);
    return status;
  }
  if (nv > 64) {
    return SY_MPOLY_TOO_BIG;
  }
  if (a->count == 1 || b->count == 1) {
    return a->count == 1 ? gcd_monomial(out, a, b) : gcd_monomial(out, b, a);
  }
  size_t v = main_var(a, b);
  if (v == nv || sy_mpoly_is_const(a) || sy_mpoly_is_const(b)) {
    /* a constant divides only constants: the integer contents' gcd */
    mpz_t ca, cb;
    mpz_inits(ca, cb, NULL);
    sy_mpoly_int_content(ca, a);
    sy_mpoly_int_content(cb, b);
    mpz_gcd(ca, ca, cb);
    int status = sy_mpoly_set_const(out, nv, ca);
    mpz_clears(ca, cb, NULL);
    return status;
  }
  long da = sy_mpoly_degree(a, v), db = sy_mpoly_degree(b, v);
  sy_mpoly ca, cb, pa, pb, c, h;
  sy_mpoly_init(&ca, nv);
  sy_mpoly_init(&cb, nv);
  sy_mpoly_init(&pa, nv);
  sy_mpoly_init(&pb, nv);
  sy_mpoly_init(&c, nv);
  sy_mpoly_init(&h, nv);
  int status = 0;
  if (da == 0 || db == 0) {
    /* one side is free of v: it divides the other's content in v */
    const sy_mpoly *free_of_v = da == 0 ? a : b, *other = da == 0 ? b : a;
    if ((status = sy_mpoly_content_in(&c, other, v)) == 0) {
      status = sy_mpoly_gcd(out, free_of_v, &c);
    }
  } else if ((status = sy_mpoly_content_in(&ca, a, v)) == 0 &&
             (status = sy_mpoly_content_in(&cb, b, v)) == 0 &&
             (status = sy_mpoly_divexact(&pa, a, &ca)) == 0 &&
             (status = sy_mpoly_divexact(&pb, b, &cb)) == 0 &&
             (status = sy_mpoly_gcd(&c, &ca, &cb)) == 0 &&
             (status = gcd_primitive(&h, &pa, &pb, v)) == 0) {
    status = arith_status(sy_mpoly_mul(out, &c, &h));
    sy_mpoly_make_lc_positive(out);
  }
  if (status == 1) {
    status = SY_MPOLY_TOO_BIG; /* a content that does not divide: cannot happen */
  }
  sy_mpoly_clear(&ca);
  sy_mpoly_clear(&cb);
  sy_mpoly_clear(&pa);
  sy_mpoly_clear(&pb);
  sy_mpoly_clear(&c);
  sy_mpoly_clear(&h);
  if (status != 0) {
    sy_mpoly_clear(out);
  }
  return status;
}

/* ---- square roots ---- */

/* root's terms are found from the greatest down, each the leading term of
 * d - root**2 divided by twice root's leading term. */
int sy_mpoly_sqrt(const sy_mpoly *d, sy_mpoly *root) {
  size_t nv = d->nvars;
  long lead = sy_mpoly_lead(d);
  sy_mpoly_clear(root);
  if (lead < 0 || mpz_sgn(d->coeffs[lead]) < 0 || !mpz_perfect_square_p(d->coeffs[lead])) {
    return 0;
  }
  uint32_t half[64], most[64], e[64];
  for (size_t v = 0; v < nv; v++) {
    uint32_t x = d->exps[(size_t)lead * nv + v];
    if (x % 2 != 0) {
      return 0;
    }
    half[v] = x / 2;
    most[v] = (uint32_t)sy_mpoly_degree(d, v) / 2;
  }
  mpz_t c, twice;
  mpz_inits(c, twice, NULL);
  mpz_sqrt(c, d->coeffs[lead]);
  mpz_mul_ui(twice, c, 2);
  sy_mpoly sq, rest;
  sy_mpoly_init(&sq, nv);
  sy_mpoly_init(&rest, nv);
  int status = sy_mpoly_add_term(root, half, c) != 0 ? SY_MPOLY_NOMEM : -100;
  while (status == -100) {
    if (sy_mpoly_mul(&sq, root, root) != 0 || sy_mpoly_sub(&rest, d, &sq) != 0) {
      status = SY_MPOLY_NOMEM;
      break;
    }
    long lr = sy_mpoly_lead(&rest);
    if (lr < 0) {
      status = 1;
      break;
    }
    if (root->count > 2 * d->count + 16) {
      status = SY_MPOLY_TOO_BIG;
      break;
    }
    const uint32_t *er = rest.exps + (size_t)lr * nv;
    bool fits = mpz_divisible_p(rest.coeffs[lr], twice);
    for (size_t v = 0; v < nv && fits; v++) {
      fits = er[v] >= half[v] && er[v] - half[v] <= most[v];
      e[v] = er[v] - half[v];
    }
    if (!fits) {
      status = 0;
      break;
    }
    mpz_divexact(c, rest.coeffs[lr], twice);
    if (sy_mpoly_add_term(root, e, c) != 0) {
      status = SY_MPOLY_NOMEM;
    }
  }
  mpz_clears(c, twice, NULL);
  sy_mpoly_clear(&sq);
  sy_mpoly_clear(&rest);
  return status;
}
