/* Expressions into polynomials and back (mpoly.h).
 *
 * Back is the part that has to agree with sympy: the result must be the
 * node sy_add and sy_mul would build from the terms, without paying for
 * their general collection and sort keys. Within a term the factors are
 * powers of distinct generators, and Mul orders those by their bases'
 * sort keys, which is the generators' order. Between terms, Add orders by
 * Expr.sort_key, which for a term c*g1**e1*...*gm**em is
 *   (class_key(head), args(head), exponent, c)
 * where the head is the generator itself when m = 1 (with exponent e1)
 * and the product when m > 1 (class Mul, args = m and the factors' keys,
 * exponent 1). So two single-generator terms compare by generator, then
 * exponent, then coefficient; a single-generator term comes before every
 * product when its generator is a Symbol (class 2 < Mul's 3) and after
 * when it is a function call (class 4); two products compare by m, then
 * factor by factor (generator, then exponent), then coefficient.
 * conformance/sympy's mpoly test checks this against sy_add. */
#include <stdlib.h>
#include <string.h>

#include "ref/sympy/index_sort.h"
#include "ref/sympy/mpoly.h"
#include "ref/sympy/order.h"

enum { MAX_GENS = 64 };

/* ---- collecting generators ---- */

typedef struct gen_list {
  const sy_expr *items[MAX_GENS];
  size_t count;
} gen_list;

static bool small_natural(const sy_expr *e) {
  return e->kind == SY_NUM && mpz_cmp_ui(mpq_denref(e->q), 1) == 0 &&
         mpz_sgn(mpq_numref(e->q)) >= 0 && mpz_cmp_ui(mpq_numref(e->q), SY_MPOLY_MAX_EXP) <= 0;
}

/* 1 when e is a polynomial (its generators added to list), 0 when not. */
static int walk(const sy_expr *e, gen_list *list) {
  switch (e->kind) {
    case SY_NUM:
      return 1;
    case SY_ADD:
    case SY_MUL:
      for (size_t i = 0; i < e->n; i++) {
        if (walk(e->args[i], list) == 0) {
          return 0;
        }
      }
      return 1;
    case SY_POW:
      return small_natural(e->args[1]) && walk(e->args[0], list);
    default:
      if (!sy_mpoly_is_generator(e)) {
        return 0;
      }
      for (size_t i = 0; i < list->count; i++) {
        if (sy_equal(list->items[i], e)) {
          return 1;
        }
      }
      if (list->count == MAX_GENS) {
        return 0;
      }
      list->items[list->count++] = e;
      return 1;
  }
}

int sy_mpoly_collect_gens(sy_ctx *ctx, const sy_expr *const *exprs, size_t n, sy_gens *gens) {
  gen_list list = {.count = 0};
  for (size_t i = 0; i < n; i++) {
    if (walk(exprs[i], &list) == 0) {
      return 0;
    }
  }
  gens->items = sy_alloc(ctx, (list.count ? list.count : 1) * sizeof *gens->items);
  if (gens->items == NULL) {
    return -1;
  }
  memcpy(gens->items, list.items, list.count * sizeof *gens->items);
  gens->count = list.count;
  sy_sort_by_key(ctx, gens->items, gens->count, false);
  return ctx->failed ? -1 : 1;
}

/* Whether f is a generator or a positive integer power of one. */
static bool is_generator_power(const sy_expr *f) {
  if (f->kind == SY_POW) {
    const sy_expr *x = f->args[1];
    return sy_mpoly_is_generator(f->args[0]) && x->kind == SY_NUM &&
           mpz_cmp_ui(mpq_denref(x->q), 1) == 0 && mpz_sgn(mpq_numref(x->q)) > 0;
  }
  return sy_mpoly_is_generator(f);
}

bool sy_mpoly_is_monomial_sum(const sy_expr *sum) {
  if (sum->kind != SY_ADD) {
    return false;
  }
  for (size_t i = 0; i < sum->n; i++) {
    const sy_expr *t = sum->args[i];
    if (t->kind == SY_MUL) {
      for (size_t j = 0; j < t->n; j++) {
        if (!(j == 0 && t->args[j]->kind == SY_NUM) && !is_generator_power(t->args[j])) {
          return false;
        }
      }
    } else if (t->kind != SY_NUM && !is_generator_power(t)) {
      return false;
    }
  }
  return true;
}

/* ---- into a polynomial ---- */

static long gen_index(const sy_gens *gens, const sy_expr *e) {
  for (size_t i = 0; i < gens->count; i++) {
    if (gens->items[i]->hash == e->hash && sy_equal(gens->items[i], e)) {
      return (long)i;
    }
  }
  return -1;
}

static int convert(const sy_gens *gens, const sy_expr *e, sy_mpoly *out, mpz_t den);

/* Whether t is a monomial: a Rational, a generator power, or a product
 * of a Rational and generator powers; its exponents go into exps and
 * its coefficient into *coeff (NULL: 1). */
static bool monomial_of(const sy_gens *gens, const sy_expr *t, uint32_t *exps, mpq_srcptr *coeff) {
  const sy_expr *const *factors = t->kind == SY_MUL ? t->args : &t;
  size_t n = t->kind == SY_MUL ? t->n : 1;
  memset(exps, 0, gens->count * sizeof *exps);
  *coeff = NULL;
  for (size_t i = 0; i < n; i++) {
    const sy_expr *f = factors[i];
    if (i == 0 && f->kind == SY_NUM) {
      *coeff = f->q;
      continue;
    }
    bool power = f->kind == SY_POW && small_natural(f->args[1]);
    long g = gen_index(gens, power ? f->args[0] : f);
    if (g < 0) {
      return false;
    }
    exps[g] += power ? (uint32_t)mpz_get_ui(mpq_numref(f->args[1]->q)) : 1;
  }
  return true;
}

/* A sum as out/den over the least common denominator of its terms, in
 * one pass: monomial terms are written straight into one polynomial, the
 * others converted, and all added up by sy_mpoly_sum (folding terms in
 * one by one would make a long sum quadratic). */
static int convert_sum(const sy_gens *gens, const sy_expr *sum, sy_mpoly *out, mpz_t den) {
  size_t n = sum->n;
  uint32_t exps[MAX_GENS];
  /* parts[0] holds the monomials; parts[1..] the other terms */
  sy_mpoly *parts = calloc(n + 1, sizeof *parts);
  mpz_t *dens = malloc((n + 1) * sizeof *dens);
  bool *is_monomial = malloc(n * sizeof *is_monomial);
  if (parts == NULL || dens == NULL || is_monomial == NULL) {
    free(parts);
    free(dens);
    free(is_monomial);
    return -1;
  }
  int status = 0;
  size_t nparts = 1;
  mpz_set_ui(den, 1);
  for (size_t i = 0; i <= n; i++) {
    sy_mpoly_init(&parts[i], gens->count);
    mpz_init_set_ui(dens[i], 1);
  }
  for (size_t i = 0; i < n && status == 0; i++) {
    mpq_srcptr c;
    is_monomial[i] = monomial_of(gens, sum->args[i], exps, &c);
    if (is_monomial[i]) {
      if (c != NULL) {
        mpz_lcm(den, den, mpq_denref(c));
      }
    } else if ((status = convert(gens, sum->args[i], &parts[nparts], dens[nparts])) == 0) {
      mpz_lcm(den, den, dens[nparts++]);
    }
  }
  mpz_t numerator;
  mpz_init(numerator);
  for (size_t i = 0; i < n && status == 0; i++) {
    mpq_srcptr c;
    if (is_monomial[i] && monomial_of(gens, sum->args[i], exps, &c)) {
      if (c != NULL) {
        mpz_divexact(numerator, den, mpq_denref(c));
        mpz_mul(numerator, numerator, mpq_numref(c));
      } else {
        mpz_set(numerator, den);
      }
      status = sy_mpoly_push_term(&parts[0], exps, numerator);
    }
  }
  mpz_clear(numerator);
  if (status == 0) {
    for (size_t i = 1; i < nparts; i++) {
      mpz_divexact(dens[i], den, dens[i]); /* now the part's scale */
    }
    status = sy_mpoly_sum(out, parts, (const mpz_t *)dens, nparts);
  }
  for (size_t i = 0; i <= n; i++) {
    sy_mpoly_clear(&parts[i]);
    mpz_clear(dens[i]);
  }
  free(parts);
  free(dens);
  free(is_monomial);
  return status;
}

/* e as out/den, den > 0 but not necessarily least. 0, 1 (not a
 * polynomial in gens) or -1 (memory or limits). */
static int convert(const sy_gens *gens, const sy_expr *e, sy_mpoly *out, mpz_t den) {
  uint32_t exps[MAX_GENS] = {0};
  sy_mpoly_clear(out);
  out->nvars = gens->count;
  mpz_set_ui(den, 1);
  if (e->kind == SY_NUM) {
    mpz_set(den, mpq_denref(e->q));
    return sy_mpoly_add_term(out, exps, mpq_numref(e->q));
  }
  long g = gen_index(gens, e);
  if (g >= 0) {
    exps[g] = 1;
    mpz_t one;
    mpz_init_set_ui(one, 1);
    int status = sy_mpoly_add_term(out, exps, one);
    mpz_clear(one);
    return status;
  }
  if (e->kind != SY_ADD && e->kind != SY_MUL && !(e->kind == SY_POW && small_natural(e->args[1]))) {
    return 1;
  }
  sy_mpoly part, tmp;
  sy_mpoly_init(&part, gens->count);
  sy_mpoly_init(&tmp, gens->count);
  mpz_t part_den;
  mpz_init(part_den);
  int status = 0;
  if (e->kind == SY_POW) {
    status = convert(gens, e->args[0], &part, part_den);
    unsigned long n = mpz_get_ui(mpq_numref(e->args[1]->q));
    if (status == 0) {
      status = sy_mpoly_pow(out, &part, n);
      mpz_pow_ui(den, part_den, n);
    }
  } else if (e->kind == SY_MUL) {
    /* the first factor, then the others multiplied in */
    status = convert(gens, e->args[0], out, den);
    for (size_t i = 1; i < e->n && status == 0; i++) {
      if ((status = convert(gens, e->args[i], &part, part_den)) == 0) {
        status = sy_mpoly_mul(&tmp, out, &part);
        mpz_mul(den, den, part_den);
        sy_mpoly_swap(&tmp, out);
      }
    }
  } else {
    status = convert_sum(gens, e, out, den);
  }
  mpz_clear(part_den);
  sy_mpoly_clear(&part);
  sy_mpoly_clear(&tmp);
  return status;
}

int sy_mpoly_from_expr(sy_ctx *ctx, const sy_gens *gens, const sy_expr *e, sy_mpoly *out,
                       mpz_t den) {
  int status = convert(gens, e, out, den);
  if (status == 0) {
    /* the least denominator: divide out what it shares with the content */
    mpz_t g;
    mpz_init_set(g, den);
    for (size_t i = 0; i < out->count && mpz_cmp_ui(g, 1) != 0; i++) {
      mpz_gcd(g, g, out->coeffs[i]);
    }
    if (mpz_cmp_ui(g, 1) != 0) {
      for (size_t i = 0; i < out->count; i++) {
        mpz_divexact(out->coeffs[i], out->coeffs[i], g);
      }
      mpz_divexact(den, den, g);
    }
    mpz_clear(g);
  } else {
    sy_mpoly_clear(out);
  }
  if (status < 0) {
    sy_fail(ctx, "MemoryError", "%s", "");
  }
  return status;
}

/* ---- back to an expression ---- */

typedef struct term_order {
  const sy_mpoly *p;
  const uint8_t *after_products; /* per generator: its terms sort after products */
  const unsigned *factors;       /* per term: how many generators it has */
} term_order;

/* The next generator at or after v with a nonzero exponent in e. */
static size_t next_factor(const uint32_t *e, size_t v, size_t nvars) {
  while (v < nvars && e[v] == 0) {
    v++;
  }
  return v;
}

static int cmp_u32(uint32_t a, uint32_t b) {
  return a < b ? -1 : a > b;
}

/* Expr.sort_key order of two non-constant terms (see the top comment). */
static int term_cmp(const void *context, size_t a, size_t b) {
  const term_order *o = context;
  const sy_mpoly *p = o->p;
  size_t nv = p->nvars;
  const uint32_t *ea = p->exps + a * nv, *eb = p->exps + b * nv;
  unsigned ma = o->factors[a], mb = o->factors[b];
  int c = 0;
  if ((ma == 1) != (mb == 1)) {
    size_t g = next_factor(ma == 1 ? ea : eb, 0, nv);
    bool single_first = !o->after_products[g];
    return (ma == 1) == single_first ? -1 : 1;
  }
  if (ma != mb) {
    return ma < mb ? -1 : 1;
  }
  size_t va = next_factor(ea, 0, nv), vb = next_factor(eb, 0, nv);
  while (c == 0 && va < nv && vb < nv) {
    if (va != vb) {
      return va < vb ? -1 : 1;
    }
    c = cmp_u32(ea[va], eb[vb]);
    va = next_factor(ea, va + 1, nv);
    vb = next_factor(eb, vb + 1, nv);
  }
  if (c == 0) {
    c = mpz_cmp(p->coeffs[a], p->coeffs[b]); /* one denominator: as the values */
  }
  return c < 0 ? -1 : c > 0;
}

/* gen**e as sy_pow builds it, made once per (generator, exponent). */
typedef struct power_cache {
  const sy_expr **items; /* items[offset[v] + e] */
  size_t *offset;
} power_cache;

static const sy_expr *power_of(sy_ctx *ctx, const sy_gens *gens, power_cache *cache, size_t v,
                               uint32_t e) {
  const sy_expr **slot = &cache->items[cache->offset[v] + e];
  if (*slot == NULL) {
    *slot = e == 1 ? gens->items[v] : sy_pow(ctx, gens->items[v], sy_integer(ctx, (long)e));
  }
  return *slot;
}

/* The term coeff/den * monomial t of p. */
static const sy_expr *term_expr(sy_ctx *ctx, const sy_gens *gens, const sy_mpoly *p, size_t t,
                                unsigned nfactors, const mpz_t den, power_cache *cache) {
  const uint32_t *e = p->exps + t * p->nvars;
  const sy_expr *args[MAX_GENS + 1];
  size_t n = 0;
  bool unit = mpz_cmp(p->coeffs[t], den) == 0;
  if (!unit) {
    mpq_t q;
    mpq_init(q);
    mpz_set(mpq_numref(q), p->coeffs[t]);
    mpz_set(mpq_denref(q), den);
    mpq_canonicalize(q);
    args[n++] = sy_number(ctx, q);
    mpq_clear(q);
  }
  for (size_t v = next_factor(e, 0, p->nvars); v < p->nvars; v = next_factor(e, v + 1, p->nvars)) {
    args[n++] = power_of(ctx, gens, cache, v, e[v]);
  }
  if (ctx->failed) {
    return NULL;
  }
  return unit && nfactors == 1 ? args[0] : sy_mul_unevaluated(ctx, args, n);
}

const sy_expr *sy_mpoly_to_expr(sy_ctx *ctx, const sy_gens *gens, const sy_mpoly *p,
                                const mpz_t den) {
  size_t nv = p->nvars, count = p->count;
  if (ctx->failed) {
    return NULL;
  }
  if (count == 0) {
    return sy_integer(ctx, 0);
  }
  uint8_t after_products[MAX_GENS];
  uint32_t most[MAX_GENS] = {0};
  for (size_t v = 0; v < nv; v++) {
    after_products[v] = gens->items[v]->kind == SY_FN;
  }
  unsigned *factors = malloc(count * sizeof *factors);
  size_t *order = malloc(count * sizeof *order);
  const sy_expr **terms = sy_alloc(ctx, (count + 1) * sizeof *terms);
  power_cache cache = {NULL, calloc(nv + 1, sizeof *cache.offset)};
  const sy_expr *result = NULL;
  if (factors == NULL || order == NULL || cache.offset == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
    goto done;
  }
  if (terms == NULL) {
    goto done;
  }
  size_t constant = count, nonconstant = 0;
  for (size_t t = 0; t < count; t++) {
    const uint32_t *e = p->exps + t * nv;
    unsigned m = 0;
    for (size_t v = 0; v < nv; v++) {
      m += e[v] != 0;
      most[v] = e[v] > most[v] ? e[v] : most[v];
    }
    factors[t] = m;
    if (m == 0) {
      constant = t;
    } else {
      order[nonconstant++] = t;
    }
  }
  for (size_t v = 0; v < nv; v++) {
    cache.offset[v + 1] = cache.offset[v] + most[v] + 1;
  }
  cache.items = sy_alloc(ctx, (cache.offset[nv] + 1) * sizeof *cache.items);
  if (cache.items == NULL) {
    goto done;
  }
  term_order to = {p, after_products, factors};
  if (sy_sort_indices(order, nonconstant, term_cmp, &to) != 0) {
    sy_fail(ctx, "MemoryError", "%s", "");
    goto done;
  }
  size_t n = 0;
  if (constant < count) {
    mpq_t q;
    mpq_init(q);
    mpz_set(mpq_numref(q), p->coeffs[constant]);
    mpz_set(mpq_denref(q), den);
    mpq_canonicalize(q);
    terms[n++] = sy_number(ctx, q);
    mpq_clear(q);
  }
  for (size_t i = 0; i < nonconstant && !ctx->failed; i++) {
    terms[n++] = term_expr(ctx, gens, p, order[i], factors[order[i]], den, &cache);
  }
  if (!ctx->failed) {
    result = sy_add_unevaluated(ctx, terms, n);
  }
done:
  free(factors);
  free(order);
  free(cache.offset);
  return ctx->failed ? NULL : result;
}
