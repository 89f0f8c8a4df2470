/* Construction with sympy's automatic evaluation (expr.h): Add.flatten,
 * Mul.flatten, Pow.__new__ with Integer._eval_power and Rational._eval_power.
 * The rules above the core (the sort key, oo and the other special
 * Numbers, the functions' eval) are reached through ctx->rules, so that calls between
 * files run one way (README.md, Layers). */
#include "ref/sympy/expr.h"

#include <limits.h>
#include <math.h>
#include <mpfr.h>
#include <stdlib.h>
#include <string.h>

#include "ref/sympy/radicals.h"

#define OUTSIDE_SUBSET "is outside the sympy subset of pyref"

/* ---- Add ---- */

typedef struct term {
  mpq_t coeff;
  bool is_float; /* the coefficient is the Float fcoeff, not coeff */
  double fcoeff;
  const sy_expr *rest;
} term;

/* A Number being summed or multiplied in flatten's order: a Rational until
 * a Float joins, a Float (rounded at each step, as mpmath does) after. */
typedef struct fnum {
  bool is_float;
  double f;
} fnum;

/* The Float coefficient of a product (2.0 of 2.0*x), with the rest. */
static bool float_coeff(sy_ctx *ctx, const sy_expr *e, double *c, const sy_expr **rest);

/* c*rest for a Float c: Mul(c, *rest.args) without re-evaluation. */
static const sy_expr *float_term(sy_ctx *ctx, double c, const sy_expr *rest);

typedef struct terms {
  term *items;
  size_t count, cap;
} terms;

static int terms_push(terms *t, const mpq_t c, const sy_expr *rest) {
  if (t->count == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    term *items = realloc(t->items, cap * sizeof *items);
    if (items == NULL) {
      return -1;
    }
    t->items = items;
    t->cap = cap;
  }
  mpq_init(t->items[t->count].coeff);
  mpq_set(t->items[t->count].coeff, c);
  t->items[t->count].rest = rest;
  t->count++;
  return 0;
}

static void terms_free(terms *t) {
  for (size_t i = 0; i < t->count; i++) {
    mpq_clear(t->items[i].coeff);
  }
  free(t->items);
}

/* A small open-addressing index from expression to slot, for collecting
 * like terms (or like bases) in linear time. */
typedef struct index {
  size_t *slots; /* slot + 1, 0 when empty */
  size_t mask;
} index;

static int index_init(index *ix, size_t expected) {
  size_t size = 16;
  while (size < expected * 2) {
    size *= 2;
  }
  ix->slots = calloc(size, sizeof *ix->slots);
  ix->mask = size - 1;
  return ix->slots == NULL ? -1 : 0;
}

/* The slot holding an expression equal to e (by key(slot)), or SIZE_MAX,
 * with *where the empty position to insert it at. */
static size_t index_find(const index *ix, const sy_expr *e, const sy_expr *(*key)(void *, size_t),
                         void *items, size_t *where) {
  size_t i = (size_t)e->hash & ix->mask;
  while (ix->slots[i] != 0) {
    if (sy_equal(key(items, ix->slots[i] - 1), e)) {
      return ix->slots[i] - 1;
    }
    i = (i + 1) & ix->mask;
  }
  *where = i;
  return SIZE_MAX;
}

static const sy_expr *term_key(void *items, size_t i) {
  return ((term *)items)[i].rest;
}

static int collect_add(sy_ctx *ctx, const sy_expr *e, mpq_t number, fnum *fsum, terms *t,
                       index *ix) {
  if (e->kind == SY_ADD) {
    for (size_t i = 0; i < e->n; i++) {
      if (collect_add(ctx, e->args[i], number, fsum, t, ix) != 0) {
        return -1;
      }
    }
    return 0;
  }
  if (e->kind == SY_NUM || e->kind == SY_FLOAT) {
    if (fsum->is_float) {
      fsum->f += e->kind == SY_FLOAT ? e->f : sy_q_to_double(e->q);
    } else if (e->kind == SY_FLOAT) {
      fsum->is_float = true;
      fsum->f = sy_q_to_double(number) + e->f;
    } else {
      mpq_add(number, number, e->q);
    }
    return 0;
  }
  double fc = 0;
  const sy_expr *rest;
  bool is_float = float_coeff(ctx, e, &fc, &rest);
  const sy_expr *c = is_float ? NULL : sy_coeff_mul(ctx, e, &rest);
  if ((!is_float && c == NULL) || rest == NULL) {
    return -1;
  }
  size_t where = 0;
  size_t found = index_find(ix, rest, term_key, t->items, &where);
  if (found != SIZE_MAX) {
    term *old = &t->items[found];
    if (old->is_float || is_float) {
      double sum = old->is_float ? old->fcoeff : sy_q_to_double(old->coeff);
      old->fcoeff = sum + (is_float ? fc : sy_q_to_double(c->q));
      old->is_float = true;
    } else {
      mpq_add(old->coeff, old->coeff, c->q);
    }
    return 0;
  }
  if (t->count * 2 >= ix->mask) {
    return -2; /* the caller sized the index for every argument */
  }
  mpq_t zero;
  mpq_init(zero);
  int pushed = terms_push(t, is_float ? zero : c->q, rest);
  mpq_clear(zero);
  if (pushed != 0) {
    sy_fail(ctx, "MemoryError", "%s", "");
    return -1;
  }
  t->items[t->count - 1].is_float = is_float;
  t->items[t->count - 1].fcoeff = fc;
  ix->slots[where] = t->count;
  return 0;
}

static size_t count_add_leaves(const sy_expr *const *args, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    count += args[i]->kind == SY_ADD ? args[i]->n : 1;
  }
  return count;
}

/* coeff * rest without redistributing: sympy's _keep_coeff. */
static const sy_expr *keep_coeff(sy_ctx *ctx, const mpq_t coeff, const sy_expr *rest) {
  if (mpq_cmp_si(coeff, 1, 1) == 0) {
    return rest;
  }
  const sy_expr *c = sy_number(ctx, coeff);
  if (c == NULL) {
    return NULL;
  }
  if (rest->kind == SY_NUM) {
    mpq_t product;
    mpq_init(product);
    mpq_mul(product, coeff, rest->q);
    const sy_expr *r = sy_number(ctx, product);
    mpq_clear(product);
    return r;
  }
  if (rest->kind == SY_MUL) {
    size_t n = rest->n + 1;
    const sy_expr **args = sy_alloc(ctx, n * sizeof *args);
    if (args == NULL) {
      return NULL;
    }
    args[0] = c;
    memcpy(args + 1, rest->args, rest->n * sizeof *args);
    return sy_node(ctx, SY_MUL, 0, args, n);
  }
  const sy_expr *pair[2] = {c, rest};
  return sy_node(ctx, SY_MUL, 0, pair, 2);
}

static bool float_coeff(sy_ctx *ctx, const sy_expr *e, double *c, const sy_expr **rest) {
  if (e->kind != SY_MUL || e->args[0]->kind != SY_FLOAT) {
    return false;
  }
  *c = e->args[0]->f;
  *rest = e->n == 2 ? e->args[1] : sy_node(ctx, SY_MUL, 0, e->args + 1, e->n - 1);
  return true;
}

static const sy_expr *float_term(sy_ctx *ctx, double c, const sy_expr *rest) {
  const sy_expr *k = sy_float(ctx, c);
  if (k == NULL) {
    return NULL;
  }
  size_t n = rest->kind == SY_MUL ? rest->n + 1 : 2;
  const sy_expr **args = sy_alloc(ctx, n * sizeof *args);
  if (args == NULL) {
    return NULL;
  }
  args[0] = k;
  if (rest->kind == SY_MUL) {
    memcpy(args + 1, rest->args, rest->n * sizeof *args);
  } else {
    args[1] = rest;
  }
  return sy_node(ctx, SY_MUL, 0, args, n);
}

/* A total order: sympy's sort key, then the hash for ties. */
static void sort_args(sy_ctx *ctx, const sy_expr **args, size_t n) {
  ctx->rules->sort_by_key(ctx, args, n, true);
}

const sy_expr *sy_add(sy_ctx *ctx, const sy_expr *const *args, size_t n) {
  if (ctx->failed) {
    return NULL;
  }
  if (n == 1) {
    return args[0];
  }
  for (size_t i = 0; i < n; i++) {
    if (args[i]->has_special) {
      return ctx->rules->add_special(ctx, args, n);
    }
  }
  mpq_t number;
  mpq_init(number);
  fnum fsum = {false, 0};
  terms t = {0};
  index ix = {0};
  const sy_expr *result = NULL;
  if (index_init(&ix, count_add_leaves(args, n) + 1) != 0) {
    sy_fail(ctx, "MemoryError", "%s", "");
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    if (collect_add(ctx, args[i], number, &fsum, &t, &ix) != 0) {
      sy_fail(ctx, "MemoryError", "%s", "");
      goto done;
    }
  }
  const sy_expr **out = sy_alloc(ctx, (t.count + 1) * sizeof *out);
  if (out == NULL) {
    goto done;
  }
  size_t count = 0;
  for (size_t i = 0; i < t.count; i++) {
    const term *it = &t.items[i];
    if (it->is_float ? it->fcoeff == 0 : mpq_sgn(it->coeff) == 0) {
      continue;
    }
    const sy_expr *term_expr =
        it->is_float ? float_term(ctx, it->fcoeff, it->rest) : keep_coeff(ctx, it->coeff, it->rest);
    if (term_expr == NULL) {
      goto done;
    }
    out[count++] = term_expr;
  }
  sort_args(ctx, out, count);
  /* A Float sum of 0.0 is dropped as 0 is (x + 0.0 is x). */
  bool no_number = fsum.is_float ? fsum.f == 0 : mpq_sgn(number) == 0;
  if (count == 0 && fsum.is_float && fsum.f == 0) {
    sy_fail(ctx, "NotImplementedError", "a Float sum of zero is outside the sympy subset of pyref");
  } else if (count == 0) {
    result = fsum.is_float ? sy_float(ctx, fsum.f) : sy_number(ctx, number);
  } else if (count == 1 && no_number) {
    result = out[0];
  } else if (!no_number) {
    memmove(out + 1, out, count * sizeof *out);
    if ((out[0] = fsum.is_float ? sy_float(ctx, fsum.f) : sy_number(ctx, number)) != NULL) {
      result = sy_node(ctx, SY_ADD, 0, out, count + 1);
    }
  } else {
    result = sy_node(ctx, SY_ADD, 0, out, count);
  }
done:
  mpq_clear(number);
  terms_free(&t);
  free(ix.slots);
  return ctx->failed ? NULL : result;
}

/* ---- Mul ---- */

/* Mul.flatten's _gather: factors with the same base and the same exponent
 * apart from its rational coefficient combine (x**2*x**3 is x**5, x*x**y
 * stays), keyed by an unevaluated base**rest node. */
typedef struct power {
  const sy_expr *key; /* base ** rest, unevaluated */
  mpq_t coeff;
  bool is_float; /* a Float exponent met: the coefficient is f (x**2.5/x is x**1.5) */
  double f;
} power;

typedef struct powers {
  power *items;
  size_t count, cap;
} powers;

static const sy_expr *power_key(void *items, size_t i) {
  return ((power *)items)[i].key;
}

/* as_base_exp, with exp(a) as E**a; Pow.as_base_exp reads (1/q)**e as
 * q**(-e), so that in a product (1/2)**x*y is y/2**x. */
static void base_exp(sy_ctx *ctx, const sy_expr *e, const sy_expr **base, const sy_expr **exp) {
  if (e->kind == SY_POW && e->args[0]->kind == SY_NUM &&
      mpz_cmp_ui(mpq_numref(e->args[0]->q), 1) == 0 &&
      mpz_cmp_ui(mpq_denref(e->args[0]->q), 1) != 0) {
    *base = sy_integer_z(ctx, mpq_denref(e->args[0]->q));
    *exp = sy_neg(ctx, e->args[1]);
  } else if (e->kind == SY_POW) {
    *base = e->args[0];
    *exp = e->args[1];
  } else if (e->kind == SY_FN && e->fn == SY_EXP) {
    *base = sy_const(ctx, SY_E);
    *exp = e->args[0];
  } else {
    *base = e;
    *exp = sy_integer(ctx, 1);
  }
}

/* Whether e is b**r with b a positive integer and r a positive
 * non-integer Rational: Mul.flatten's pnum_rat (radicals.h). */
static bool is_radical(const sy_expr *e) {
  if (e->kind != SY_POW || e->args[0]->kind != SY_NUM || e->args[1]->kind != SY_NUM) {
    return false;
  }
  mpq_srcptr b = e->args[0]->q, r = e->args[1]->q;
  return mpz_cmp_ui(mpq_denref(b), 1) == 0 && mpq_sgn(b) > 0 && mpz_cmp_ui(mpq_denref(r), 1) != 0 &&
         mpq_sgn(r) > 0;
}

/* coeff *= number, in flatten's order: Float from the first Float on. */
static void mul_number(mpq_t coeff, fnum *fprod, const sy_expr *number) {
  double before = fprod->is_float ? fprod->f : sy_q_to_double(coeff);
  double factor = number->kind == SY_FLOAT ? number->f : sy_q_to_double(number->q);
  if (fprod->is_float || number->kind == SY_FLOAT) {
    fprod->is_float = true;
    fprod->f = before * factor;
    if (fprod->f == 0 && before != 0 && factor != 0) {
      fprod->f = NAN; /* underflow, which mpmath does not have: refused */
    }
  } else {
    mpq_mul(coeff, coeff, number->q);
  }
}

/* A gathered Float exponent; one that sums to 0.0 leaves 1, as sympy
 * answers x**0.5*x**(-0.5). */
static const sy_expr *float_exponent(sy_ctx *ctx, double f) {
  return f == 0 ? sy_integer(ctx, 0) : sy_float(ctx, f);
}

static int collect_mul(sy_ctx *ctx, const sy_expr *e, mpq_t coeff, fnum *fprod, powers *p,
                       index *ix, sy_radicals *rad) {
  if (is_radical(e)) {
    return sy_radicals_add(ctx, rad, mpq_numref(e->args[0]->q), e->args[1]->q);
  }
  if (e->kind == SY_MUL) {
    for (size_t i = 0; i < e->n; i++) {
      if (collect_mul(ctx, e->args[i], coeff, fprod, p, ix, rad) != 0) {
        return -1;
      }
    }
    return 0;
  }
  if (e->kind == SY_NUM || e->kind == SY_FLOAT) {
    mul_number(coeff, fprod, e);
    return 0;
  }
  const sy_expr *base, *exp, *rest;
  base_exp(ctx, e, &base, &exp);
  if (base == NULL || exp == NULL) {
    return -1;
  }
  /* a Float exponent is all coefficient, as exp.as_coeff_Mul() has it */
  const sy_expr *fexp = exp->kind == SY_FLOAT ? exp : NULL;
  const sy_expr *c = fexp != NULL ? sy_integer(ctx, 0) : sy_coeff_mul(ctx, exp, &rest);
  if (fexp != NULL) {
    rest = sy_integer(ctx, 1);
  }
  if (c == NULL || rest == NULL) {
    return -1;
  }
  const sy_expr *pair[2] = {base, rest};
  const sy_expr *key = sy_node(ctx, SY_POW, 0, pair, 2);
  if (key == NULL) {
    return -1;
  }
  size_t where = 0;
  size_t found = index_find(ix, key, power_key, p->items, &where);
  if (found != SIZE_MAX) {
    power *it = &p->items[found];
    if (fexp != NULL || it->is_float) {
      /* Rational + Float is a Float: each side at 53 bits, then added */
      double sum = (it->is_float ? it->f : sy_q_to_double(it->coeff)) +
                   (fexp != NULL ? fexp->f : sy_q_to_double(c->q));
      it->is_float = true;
      it->f = sum;
    } else {
      mpq_add(it->coeff, it->coeff, c->q);
    }
    return 0;
  }
  if (p->count * 2 >= ix->mask) {
    return sy_fail(ctx, "MemoryError", "%s", ""), -1;
  }
  if (p->count == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 16;
    power *items = realloc(p->items, cap * sizeof *items);
    if (items == NULL) {
      return sy_fail(ctx, "MemoryError", "%s", ""), -1;
    }
    p->items = items;
    p->cap = cap;
  }
  p->items[p->count].key = key;
  mpq_init(p->items[p->count].coeff);
  mpq_set(p->items[p->count].coeff, c->q);
  p->items[p->count].is_float = fexp != NULL;
  p->items[p->count].f = fexp != NULL ? fexp->f : 0;
  p->count++;
  ix->slots[where] = p->count;
  return 0;
}

static size_t count_mul_leaves(const sy_expr *const *args, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    count += args[i]->kind == SY_MUL ? args[i]->n : 1;
  }
  return count;
}

static bool is_rational_not_zero_one(const sy_expr *e) {
  return e->kind == SY_NUM && mpq_sgn(e->q) != 0 && mpq_cmp_si(e->q, 1, 1) != 0;
}

/* Whether e is the unevaluated r*(a + b) that factor's _keep_coeff and
 * 1/(1 + I) build: a Rational and one sum. */
static bool is_coeff_times_sum(const sy_expr *e) {
  return e->kind == SY_MUL && e->n == 2 && e->args[0]->kind == SY_NUM && e->args[1]->kind == SY_ADD;
}

/* Mul.flatten's "2-arg hack": a Rational a times r*(sum) is (a*r)*(sum)
 * left unevaluated, or the sum itself when a*r is 1; not distributed. */
static const sy_expr *rescale_coeff_times_sum(sy_ctx *ctx, const sy_expr *a, const sy_expr *rsum) {
  mpq_t ar;
  mpq_init(ar);
  mpq_mul(ar, a->q, rsum->args[0]->q);
  const sy_expr *result = rsum->args[1];
  if (mpq_cmp_si(ar, 1, 1) != 0) {
    const sy_expr *pair[2] = {sy_number(ctx, ar), rsum->args[1]};
    result = pair[0] == NULL ? NULL : sy_mul_unevaluated(ctx, pair, 2);
  }
  mpq_clear(ar);
  return result;
}

/* Mul.flatten's two-argument rule: a Rational times a sum distributes. */
static const sy_expr *distribute(sy_ctx *ctx, const sy_expr *c, const sy_expr *sum) {
  const sy_expr **out = sy_alloc(ctx, sum->n * sizeof *out);
  if (out == NULL) {
    return NULL;
  }
  if (sum->has_special || sum->has_float) {
    /* 2*(x + oo) is 2*x + oo, 2*(x + 1.0) is 2*x + 2.0: each product
     * evaluated. */
    for (size_t i = 0; i < sum->n; i++) {
      if ((out[i] = sy_mul2(ctx, c, sum->args[i])) == NULL) {
        return NULL;
      }
    }
    return sy_add(ctx, out, sum->n);
  }
  for (size_t i = 0; i < sum->n; i++) {
    const sy_expr *rest;
    const sy_expr *k = sy_coeff_mul(ctx, sum->args[i], &rest);
    if (k == NULL || rest == NULL) {
      return NULL;
    }
    mpq_t product;
    mpq_init(product);
    mpq_mul(product, c->q, k->q);
    out[i] = rest->kind == SY_NUM ? sy_number(ctx, product) : keep_coeff(ctx, product, rest);
    mpq_clear(product);
    if (out[i] == NULL) {
      return NULL;
    }
  }
  return sy_add(ctx, out, sum->n);
}

/* Whether b**e is in Mul.flatten's num_exp: a positive Rational base and
 * an exponent that is no Number (a Rational one is a radical or folded). */
static bool is_num_exp(const sy_expr *b, const sy_expr *e) {
  return b != NULL && b->kind == SY_NUM && mpq_sgn(b->q) > 0 && e->kind != SY_NUM &&
         e->kind != SY_FLOAT;
}

/* Mul.flatten's inv_exp_dict: the powers of positive Rationals (pw holds
 * n base, exponent pairs) whose gathered exponents are equal become one
 * power of the product of their bases, 2**x*3**x is 6**x, (2/3)**x*3**x is
 * 2**x: the first such power takes the product, the others' bases are set
 * to NULL. -1 with ctx's error set on failure. */
static int merge_num_exp(sy_ctx *ctx, const sy_expr **pw, size_t n) {
  for (size_t i = 1; i < n; i++) {
    if (!is_num_exp(pw[2 * i], pw[2 * i + 1])) {
      continue;
    }
    for (size_t j = 0; j < i; j++) {
      if (is_num_exp(pw[2 * j], pw[2 * j + 1]) && sy_equal(pw[2 * j + 1], pw[2 * i + 1])) {
        if ((pw[2 * j] = sy_mul2(ctx, pw[2 * j], pw[2 * i])) == NULL) {
          return -1;
        }
        pw[2 * i] = NULL;
        break;
      }
    }
  }
  return 0;
}

const sy_expr *sy_mul(sy_ctx *ctx, const sy_expr *const *args, size_t n) {
  if (ctx->failed) {
    return NULL;
  }
  if (n == 1) {
    return args[0];
  }
  if (n == 2) {
    for (int k = 0; k < 2; k++) {
      if (is_rational_not_zero_one(args[k]) && args[1 - k]->kind == SY_ADD) {
        return distribute(ctx, args[k], args[1 - k]);
      }
      if (is_rational_not_zero_one(args[k]) && is_coeff_times_sum(args[1 - k])) {
        return rescale_coeff_times_sum(ctx, args[k], args[1 - k]);
      }
    }
  }
  for (size_t i = 0; i < n; i++) {
    if (args[i]->has_special) {
      return ctx->rules->mul_special(ctx, args, n);
    }
  }
  mpq_t coeff;
  mpq_init(coeff);
  mpq_set_si(coeff, 1, 1);
  fnum fprod = {false, 1};
  powers p = {0};
  index ix = {0};
  sy_radicals rad = {0};
  const sy_expr **radicals = NULL;
  size_t nradicals = 0;
  const sy_expr *result = NULL;
  const sy_expr **out = NULL;
  const sy_expr **pw = NULL; /* each power's base and exponent, gathered */
  size_t count = 0;
  size_t leaves = count_mul_leaves(args, n);
  if (index_init(&ix, leaves + 1) != 0) {
    sy_fail(ctx, "MemoryError", "%s", "");
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    if (collect_mul(ctx, args[i], coeff, &fprod, &p, &ix, &rad) != 0) {
      goto done;
    }
  }
  if (rad.count > 0) {
    /* Radicals may give up a Rational (sqrt(8) is 2*sqrt(2)): into the
     * Float coefficient when there is one. */
    mpq_t extracted;
    mpq_init(extracted);
    mpq_set_ui(extracted, 1, 1);
    int combined = sy_radicals_combine(ctx, &rad, fprod.is_float ? extracted : coeff, sy_pow,
                                       &radicals, &nradicals);
    if (fprod.is_float) {
      fprod.f *= sy_q_to_double(extracted);
    }
    mpq_clear(extracted);
    if (combined != 0) {
      goto done;
    }
  }
  if (fprod.is_float ? fprod.f == 0 : mpq_sgn(coeff) == 0) {
    result = sy_integer(ctx, 0); /* 0.0*x is 0 too */
    goto done;
  }
  /* A power may evaluate to a product (sqrt(8) is 2*sqrt(2)): room for
   * two factors per power. */
  out = malloc((2 * p.count + nradicals + 1) * sizeof *out);
  if (out == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
    goto done;
  }
  pw = malloc((2 * p.count + 1) * sizeof *pw);
  if (pw == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
    goto done;
  }
  for (size_t i = 0; i < p.count; i++) {
    const sy_expr *k =
        p.items[i].is_float ? float_exponent(ctx, p.items[i].f) : sy_number(ctx, p.items[i].coeff);
    pw[2 * i] = p.items[i].key->args[0];
    if ((pw[2 * i + 1] = sy_mul2(ctx, k, p.items[i].key->args[1])) == NULL) {
      goto done;
    }
  }
  if (merge_num_exp(ctx, pw, p.count) != 0) {
    goto done;
  }
  for (size_t i = 0; i < p.count; i++) {
    if (pw[2 * i] == NULL) {
      continue; /* merged into an earlier power of a number */
    }
    const sy_expr *f = sy_pow(ctx, pw[2 * i], pw[2 * i + 1]);
    if (f == NULL) {
      goto done;
    }
    const sy_expr *const *parts = &f;
    size_t nparts = 1;
    if (f->kind == SY_MUL) {
      parts = f->args;
      nparts = f->n;
    }
    for (size_t j = 0; j < nparts; j++) {
      if (parts[j]->kind == SY_NUM || parts[j]->kind == SY_FLOAT) {
        mul_number(coeff, &fprod, parts[j]);
      } else if (count < 2 * p.count) {
        out[count++] = parts[j];
      }
    }
  }
  if (fprod.is_float ? fprod.f == 0 : mpq_sgn(coeff) == 0) {
    result = sy_integer(ctx, 0); /* 0.0*x is 0 too */
    goto done;
  }
  for (size_t i = 0; i < nradicals; i++) {
    out[count++] = radicals[i];
  }
  sort_args(ctx, out, count);
  if (fprod.is_float) {
    /* A Float coefficient stays, 1.0 included (1.0*x); Mul.flatten's
     * closing rule distributes it over a lone sum. */
    if (count == 0) {
      result = sy_float(ctx, fprod.f);
    } else if (count == 1 && out[0]->kind == SY_ADD) {
      const sy_expr *c = sy_float(ctx, fprod.f);
      const sy_expr **products = c == NULL ? NULL : sy_alloc(ctx, out[0]->n * sizeof *products);
      for (size_t i = 0; products != NULL && i < out[0]->n; i++) {
        if ((products[i] = sy_mul2(ctx, c, out[0]->args[i])) == NULL) {
          products = NULL;
        }
      }
      result = products == NULL ? NULL : sy_add(ctx, products, out[0]->n);
    } else {
      memmove(out + 1, out, count * sizeof *out);
      if ((out[0] = sy_float(ctx, fprod.f)) != NULL) {
        result = sy_node(ctx, SY_MUL, 0, out, count + 1);
      }
    }
  } else if (count == 0) {
    result = sy_number(ctx, coeff);
  } else if (count == 1 && mpq_cmp_si(coeff, 1, 1) == 0) {
    result = out[0];
  } else if (count == 1 && out[0]->kind == SY_ADD) {
    /* Rational * sum from a longer product distributes too. */
    const sy_expr *c = sy_number(ctx, coeff);
    result = c == NULL ? NULL : distribute(ctx, c, out[0]);
  } else if (mpq_cmp_si(coeff, 1, 1) != 0) {
    memmove(out + 1, out, count * sizeof *out);
    if ((out[0] = sy_number(ctx, coeff)) != NULL) {
      result = sy_node(ctx, SY_MUL, 0, out, count + 1);
    }
  } else {
    result = sy_node(ctx, SY_MUL, 0, out, count);
  }
done:
  mpq_clear(coeff);
  for (size_t i = 0; i < p.count; i++) {
    mpq_clear(p.items[i].coeff);
  }
  free(p.items);
  free(ix.slots);
  free(out);
  free(pw);
  sy_radicals_free(&rad);
  return ctx->failed ? NULL : result;
}

const sy_expr *sy_add2(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  if (a == NULL || b == NULL) {
    return NULL;
  }
  const sy_expr *args[2] = {a, b};
  return sy_add(ctx, args, 2);
}

/* A product of Symbol powers with nonzero integer exponents, times a
 * Rational: the shape of most terms people type. */
typedef struct monomial {
  mpq_srcptr coeff;              /* NULL: 1 */
  const sy_expr *const *factors; /* Symbols and Pow(Symbol, Integer), by name */
  size_t n;
  const sy_expr *single; /* the storage factors points to for a non-product */
} monomial;

static bool small_integer_exponent(const sy_expr *e) {
  return e->kind == SY_NUM && mpz_cmp_ui(mpq_denref(e->q), 1) == 0 &&
         mpz_fits_slong_p(mpq_numref(e->q));
}

static bool as_monomial(const sy_expr *e, monomial *m) {
  m->single = e;
  const sy_expr *const *factors = e->kind == SY_MUL ? e->args : &m->single;
  size_t n = e->kind == SY_MUL ? e->n : 1;
  m->coeff = NULL;
  if (factors[0]->kind == SY_NUM) {
    m->coeff = factors[0]->q;
    factors++;
    n--;
  }
  for (size_t i = 0; i < n; i++) {
    const sy_expr *f = factors[i];
    bool power =
        f->kind == SY_POW && f->args[0]->kind == SY_SYM && small_integer_exponent(f->args[1]);
    if (f->kind != SY_SYM && !power) {
      return false;
    }
  }
  m->factors = factors;
  m->n = n;
  return true;
}

static const sy_expr *factor_base(const sy_expr *f, long *exponent) {
  if (f->kind == SY_POW) {
    *exponent = mpz_get_si(mpq_numref(f->args[1]->q));
    return f->args[0];
  }
  *exponent = 1;
  return f;
}

/* a*b for two monomials, merged as Mul.flatten would merge them: powers of
 * the same Symbol add up (and vanish at 0), the coefficients multiply, and
 * the factors stay in sort-key order, which for Symbol bases is their
 * names' order. NULL with ctx's error clear when a or b is no monomial or
 * both are numbers (the general path takes them). */
static const sy_expr *mul_monomials(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  monomial ma, mb;
  if (a->kind == SY_NUM && b->kind == SY_NUM) {
    return NULL;
  }
  if (!as_monomial(a, &ma) || !as_monomial(b, &mb) || ma.n + mb.n > 64) {
    return NULL;
  }
  const sy_expr *out[65];
  size_t n = 1, i = 0, j = 0;
  while (i < ma.n || j < mb.n) {
    long ea = 0, eb = 0;
    const sy_expr *ba = i < ma.n ? factor_base(ma.factors[i], &ea) : NULL;
    const sy_expr *bb = j < mb.n ? factor_base(mb.factors[j], &eb) : NULL;
    int c = ba == NULL ? 1 : bb == NULL ? -1 : strcmp(ba->name, bb->name);
    if (c < 0) {
      out[n++] = ma.factors[i++];
    } else if (c > 0) {
      out[n++] = mb.factors[j++];
    } else {
      i++;
      j++;
      if (ea + eb == 0) {
        continue;
      }
      if ((ea > 0 && eb > LONG_MAX - ea) || (ea < 0 && eb < LONG_MIN - ea)) {
        return NULL;
      }
      out[n++] = ea + eb == 1 ? ba : sy_pow(ctx, ba, sy_integer(ctx, ea + eb));
    }
  }
  mpq_t coeff;
  mpq_init(coeff);
  mpq_set_si(coeff, 1, 1);
  if (ma.coeff != NULL) {
    mpq_mul(coeff, coeff, ma.coeff);
  }
  if (mb.coeff != NULL) {
    mpq_mul(coeff, coeff, mb.coeff);
  }
  const sy_expr *result;
  if (mpq_sgn(coeff) == 0 || n == 1) {
    result = sy_number(ctx, coeff);
  } else if (mpq_cmp_si(coeff, 1, 1) == 0) {
    result = n == 2 ? out[1] : sy_mul_unevaluated(ctx, out + 1, n - 1);
  } else {
    out[0] = sy_number(ctx, coeff);
    result = out[0] == NULL ? NULL : sy_mul_unevaluated(ctx, out, n);
  }
  mpq_clear(coeff);
  return ctx->failed ? NULL : result;
}

const sy_expr *sy_mul2(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  if (a == NULL || b == NULL || ctx->failed) {
    return NULL;
  }
  const sy_expr *product = mul_monomials(ctx, a, b);
  if (product != NULL || ctx->failed) {
    return product;
  }
  const sy_expr *args[2] = {a, b};
  return sy_mul(ctx, args, 2);
}

const sy_expr *sy_neg(sy_ctx *ctx, const sy_expr *a) {
  return sy_mul2(ctx, sy_integer(ctx, -1), a);
}

const sy_expr *sy_sub(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  return sy_add2(ctx, a, sy_neg(ctx, b));
}

const sy_expr *sy_div(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  if (a == NULL || b == NULL) {
    return NULL;
  }
  const sy_expr *inverse = sy_pow(ctx, b, sy_integer(ctx, -1));
  /* Expr.__truediv__: 1/b is the power itself, no product */
  return sy_is_int(a, 1) ? inverse : sy_mul2(ctx, a, inverse);
}

/* ---- Pow ---- */

static const sy_expr *raw_pow(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp) {
  if (base->kind == SY_CONST && base->fn == SY_E) {
    return sy_func(ctx, SY_EXP, exp);
  }
  const sy_expr *pair[2] = {base, exp};
  return sy_node(ctx, SY_POW, 0, pair, 2);
}

/* A Rational to an Integer power, exactly. */
static const sy_expr *rational_int_pow(sy_ctx *ctx, const mpq_t b, const mpz_t e) {
  if (mpq_sgn(b) == 0 && mpz_sgn(e) < 0) {
    return sy_const(ctx, SY_ZOO);
  }
  if (!mpz_fits_slong_p(e)) {
    if (mpq_cmp_si(b, 1, 1) == 0 || mpq_sgn(b) == 0) {
      return sy_number(ctx, b);
    }
    return sy_fail(ctx, "MemoryError", "%s", "");
  }
  long n = mpz_get_si(e);
  unsigned long k = (unsigned long)(n < 0 ? -n : n);
  size_t bits = mpz_sizeinbase(mpq_numref(b), 2) + mpz_sizeinbase(mpq_denref(b), 2);
  if (bits > 2 && (double)bits * (double)k > (double)SY_MAX_NUMBER_BITS) {
    return sy_fail(ctx, "MemoryError", "%s", "");
  }
  mpq_t r;
  mpq_init(r);
  mpz_pow_ui(mpq_numref(r), mpq_numref(b), k);
  mpz_pow_ui(mpq_denref(r), mpq_denref(b), k);
  if (n < 0) {
    mpq_inv(r, r);
  }
  const sy_expr *result = sy_number(ctx, r);
  mpq_clear(r);
  return result;
}

/* Integer._eval_power for a positive integer and a positive non-integer
 * rational p/q: perfect roots, then factors up to 2**15 taken out of the
 * radical, as sympy does. */
static const sy_expr *integer_root_pow(sy_ctx *ctx, const mpz_t n, long p, unsigned long q) {
  mpz_t root, b;
  mpz_inits(root, b, NULL);
  const sy_expr *result = NULL;
  if (mpz_root(root, n, q) != 0) {
    mpz_pow_ui(root, root, (unsigned long)p);
    result = sy_integer_z(ctx, root);
    goto done;
  }
  if (mpz_sizeinbase(n, 2) > 60) {
    result = sy_fail(ctx, "NotImplementedError",
                     "roots of integers above 2**60 are outside the sympy subset of pyref");
    goto done;
  }
  /* perfect_power: n = base**k with k as large as possible. */
  unsigned long k_best = 1;
  mpz_set(b, n);
  for (unsigned long k = mpz_sizeinbase(n, 2); k >= 2; k--) {
    if (mpz_root(root, n, k) != 0) {
      mpz_set(b, root);
      k_best = k;
      break;
    }
  }
  /* The factors: {b: k_best} for a perfect power, else trial division. */
  unsigned long long primes[64], exps[64];
  size_t count = 0;
  unsigned long long value = mpz_get_ui(b);
  if (k_best > 1) {
    primes[0] = value;
    exps[0] = k_best;
    count = 1;
  } else {
    for (unsigned long long d = 2; d < (1u << 15) && d * d <= value; d++) {
      if (value % d == 0) {
        unsigned long long e = 0;
        while (value % d == 0) {
          value /= d;
          e++;
        }
        primes[count] = d;
        exps[count++] = e;
      }
    }
    if (value > 1) {
      primes[count] = value;
      exps[count++] = 1;
    }
  }
  mpz_t out_int, sqr_int;
  mpz_init_set_ui(out_int, 1);
  mpz_init_set_ui(sqr_int, 1);
  const sy_expr *out_rad = sy_integer(ctx, 1);
  unsigned long long sqr_exps[64], sqr_gcd = 0;
  bool in_sqr[64] = {false};
  for (size_t i = 0; i < count; i++) {
    unsigned long long e = exps[i] * (unsigned long long)p;
    unsigned long long div_e = e / q, div_m = e % q;
    if (div_e > 0) {
      mpz_t f;
      mpz_init(f);
      mpz_ui_pow_ui(f, primes[i], div_e);
      mpz_mul(out_int, out_int, f);
      mpz_clear(f);
    }
    if (div_m > 0) {
      mpz_set_ui(root, div_m);
      unsigned long long g = mpz_gcd_ui(NULL, root, q);
      if (g != 1) {
        mpz_set_ui(root, primes[i]);
        const sy_expr *prime = sy_integer_z(ctx, root);
        const sy_expr *ex = sy_rational_si(ctx, (long)(div_m / g), q / g);
        if (prime != NULL && ex != NULL) {
          out_rad = sy_mul2(ctx, out_rad, raw_pow(ctx, prime, ex));
        }
      } else {
        in_sqr[i] = true;
        sqr_exps[i] = div_m;
      }
    }
  }
  for (size_t i = 0; i < count; i++) {
    if (in_sqr[i]) {
      mpz_set_ui(root, sqr_gcd);
      sqr_gcd = sqr_gcd == 0 ? sqr_exps[i] : mpz_gcd_ui(NULL, root, sqr_exps[i]);
    }
  }
  for (size_t i = 0; i < count; i++) {
    if (in_sqr[i]) {
      mpz_t f;
      mpz_init(f);
      mpz_ui_pow_ui(f, primes[i], sqr_exps[i] / sqr_gcd);
      mpz_mul(sqr_int, sqr_int, f);
      mpz_clear(f);
    }
  }
  if (out_rad == NULL) {
    result = NULL;
  } else if (mpz_cmp(sqr_int, n) == 0 && mpz_cmp_ui(out_int, 1) == 0 && sy_is_int(out_rad, 1)) {
    result = raw_pow(ctx, sy_integer_z(ctx, n), sy_rational_si(ctx, p, q));
  } else {
    const sy_expr *rest = sy_integer(ctx, 1);
    if (mpz_cmp_ui(sqr_int, 1) != 0) {
      rest = raw_pow(ctx, sy_integer_z(ctx, sqr_int), sy_rational_si(ctx, (long)sqr_gcd, q));
    }
    result = sy_mul2(ctx, sy_mul2(ctx, sy_integer_z(ctx, out_int), out_rad), rest);
  }
  mpz_clears(out_int, sqr_int, NULL);
done:
  mpz_clears(root, b, NULL);
  return ctx->failed ? NULL : result;
}

/* Number ** Number for the non-integer exponents the subset has. */
static const sy_expr *number_pow(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp) {
  if (sy_is_integer(exp)) {
    return rational_int_pow(ctx, base->q, mpq_numref(exp->q));
  }
  int sign = mpq_sgn(base->q);
  if (sign == 0) {
    return mpq_sgn(exp->q) > 0 ? base : sy_const(ctx, SY_ZOO);
  }
  if (sign < 0) {
    /* Rational._eval_power: (-1)**expt * (-b)**expt, and (-1)**(p/2) is
     * I**p; other roots of -1 stay unevaluated in sympy. */
    if (mpz_cmp_ui(mpq_denref(exp->q), 2) != 0) {
      return sy_fail(ctx, "NotImplementedError",
                     "roots of negative numbers are outside the sympy subset of pyref");
    }
    mpq_t positive;
    mpq_init(positive);
    mpq_neg(positive, base->q);
    const sy_expr *magnitude = sy_number(ctx, positive);
    mpq_clear(positive);
    const sy_expr *p = sy_integer_z(ctx, mpq_numref(exp->q));
    return sy_mul2(ctx, sy_pow(ctx, sy_const(ctx, SY_I), p), sy_pow(ctx, magnitude, exp));
  }
  if (!mpz_fits_slong_p(mpq_numref(exp->q)) || !mpz_fits_ulong_p(mpq_denref(exp->q)) ||
      mpz_cmp_ui(mpq_denref(exp->q), 1u << 20) > 0) {
    return sy_fail(ctx, "NotImplementedError", "this power is outside the sympy subset of pyref");
  }
  long p = mpz_get_si(mpq_numref(exp->q));
  unsigned long q = mpz_get_ui(mpq_denref(exp->q));
  if (mpz_cmp_ui(mpq_denref(base->q), 1) == 0) {
    if (p < 0) {
      /* Integer._eval_power: Rational(1, n) ** -e. */
      const sy_expr *inverse = rational_int_pow(ctx, base->q, mpq_numref(sy_integer(ctx, -1)->q));
      const sy_expr *pos = sy_rational_si(ctx, -p, q);
      return inverse == NULL || pos == NULL ? NULL : number_pow(ctx, inverse, pos);
    }
    if (p > 1 << 20) {
      return sy_fail(ctx, "MemoryError", "%s", "");
    }
    return integer_root_pow(ctx, mpq_numref(base->q), p, q);
  }
  /* Rational._eval_power with a rational exponent. */
  if (mpz_cmp_ui(mpq_numref(base->q), 1) != 0) {
    const sy_expr *num = sy_integer_z(ctx, mpq_numref(base->q));
    const sy_expr *den = sy_integer_z(ctx, mpq_denref(base->q));
    const sy_expr *neg = sy_rational_si(ctx, -p, q);
    if (num == NULL || den == NULL || neg == NULL) {
      return NULL;
    }
    return sy_mul2(ctx, sy_pow(ctx, num, exp), sy_pow(ctx, den, neg));
  }
  const sy_expr *den = sy_integer_z(ctx, mpq_denref(base->q));
  if (den == NULL) {
    return NULL;
  }
  const sy_expr *top = sy_pow(ctx, den, sy_rational_si(ctx, p * (long)(q - 1), q));
  const sy_expr *bottom = sy_pow(ctx, den, sy_integer(ctx, p));
  return sy_div(ctx, top, bottom);
}

/* Mul._eval_power for a non-integer Rational exponent, which is
 * Pow._eval_expand_power_base without force: the factors known to be
 * nonnegative (positive numbers, E, pi, radicals) come out of the power
 * one by one, a negative coefficient -c becomes c outside and -1 inside,
 * and the rest stays under one unevaluated power: sqrt(-4*x) is
 * 2*sqrt(-x). */
static const sy_expr *mul_rational_pow(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp) {
  const sy_expr **outside = sy_alloc(ctx, (base->n + 1) * sizeof *outside);
  const sy_expr **inside = sy_alloc(ctx, (base->n + 1) * sizeof *inside);
  if (outside == NULL || inside == NULL) {
    return NULL;
  }
  size_t nout = 0, nin = 0;
  const sy_expr *negative = NULL;
  for (size_t i = 0; i < base->n; i++) {
    const sy_expr *f = base->args[i];
    double value;
    /* _eval_expand_power_base: nonnegative factors come out, numbers by
     * their value (1/pi, 1/2 + pi) */
    bool positive_number = f->kind != SY_NUM && sy_is_number(f) && !f->has_i &&
                           sy_real_value(f, &value) && value > 1e-9;
    bool is_abs = f->kind == SY_FN && f->fn == SY_ABS; /* nonnegative */
    if ((f->kind == SY_NUM && mpq_sgn(f->q) > 0) || f->kind == SY_CONST || is_radical(f) ||
        positive_number || is_abs) {
      outside[nout++] = is_radical(f) ? sy_pow(ctx, f->args[0], sy_mul2(ctx, f->args[1], exp))
                                      : sy_pow(ctx, f, exp);
    } else if (f->kind == SY_NUM) {
      negative = f;
    } else {
      inside[nin++] = f;
    }
  }
  if (negative != NULL) {
    if (nin == 0) {
      return sy_fail(ctx, "NotImplementedError",
                     "roots of negative numbers are outside the sympy subset of pyref");
    }
    if (!sy_is_int(negative, -1)) {
      outside[nout++] = sy_pow(ctx, sy_neg(ctx, negative), exp);
    }
    inside[nin++] = sy_integer(ctx, -1);
  }
  if (ctx->failed) {
    return NULL;
  }
  const sy_expr *rest = nin == 0 ? NULL : raw_pow(ctx, sy_mul(ctx, inside, nin), exp);
  if (nout == 0) {
    return rest;
  }
  if (rest != NULL) {
    outside[nout++] = rest;
  }
  return sy_mul(ctx, outside, nout);
}

/* The largest |c| over the Number coefficients c of a sum's terms
 * (as_coeff_Mul), as a double. */
static double largest_coeff(const sy_expr *sum) {
  double big = 0;
  for (size_t i = 0; i < sum->n; i++) {
    const sy_expr *t = sum->args[i];
    const sy_expr *c = t->kind == SY_MUL ? t->args[0] : t;
    double v = c->kind == SY_FLOAT ? c->f : c->kind == SY_NUM ? sy_q_to_double(c->q) : 1;
    big = fabs(v) > big ? fabs(v) : big;
  }
  return big;
}

/* A positive number (Rational or Float) to a Float power: the base at 53
 * bits, then mpf_pow at 53 bits (MPFR's correctly rounded pow). */
static const sy_expr *float_of_power(sy_ctx *ctx, const sy_expr *base, double exponent) {
  double b = base->kind == SY_FLOAT ? base->f : sy_q_to_double(base->q);
  mpfr_t r, x;
  mpfr_inits2(53, r, x, (mpfr_ptr)0);
  mpfr_set_d(r, b, MPFR_RNDN);
  mpfr_set_d(x, exponent, MPFR_RNDN);
  mpfr_pow(r, r, x, MPFR_RNDN);
  double value = mpfr_get_d(r, MPFR_RNDN);
  mpfr_clears(r, x, (mpfr_ptr)0);
  return sy_float(ctx, value);
}

static bool is_positive_number(const sy_expr *e) {
  return (e->kind == SY_NUM && mpq_sgn(e->q) > 0) || (e->kind == SY_FLOAT && e->f > 0);
}

/* base ** Float, as Pow.__new__ and the bases' _eval_power leave it: a
 * positive number evaluates (Float._eval_power's mpf_pow), a symbol, sum
 * or call stays a power, a product splits its positive coefficient off
 * (Mul._eval_power -> _eval_expand_power_base). The rest (negative bases
 * and their complex results, powers of powers) is refused. */
static const sy_expr *float_exponent_pow(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp) {
  if (is_positive_number(base)) {
    return float_of_power(ctx, base, exp->f);
  }
  bool stays = base->kind == SY_SYM || (base->kind == SY_ADD && !sy_is_number(base)) ||
               (base->kind == SY_FN && base->fn != SY_EXP && !sy_is_number(base));
  bool symbols_only = base->kind == SY_MUL;
  for (size_t i = 0; symbols_only && i < base->n; i++) {
    symbols_only = base->args[i]->kind == SY_SYM;
  }
  if (stays || symbols_only) {
    return raw_pow(ctx, base, exp);
  }
  if (base->kind == SY_MUL && is_positive_number(base->args[0])) {
    for (size_t i = 1; i < base->n; i++) {
      if (base->args[i]->kind != SY_SYM) {
        return sy_fail(ctx, "NotImplementedError", "this Float power " OUTSIDE_SUBSET);
      }
    }
    const sy_expr *rest = sy_mul_unevaluated(ctx, base->args + 1, base->n - 1);
    const sy_expr *parts[2] = {float_of_power(ctx, base->args[0], exp->f),
                               rest == NULL ? NULL : raw_pow(ctx, rest, exp)};
    return parts[0] == NULL || parts[1] == NULL ? NULL : sy_mul(ctx, parts, 2);
  }
  return sy_fail(ctx, "NotImplementedError", "this Float power " OUTSIDE_SUBSET);
}

/* 1/(r + i*I) for Rationals r and i (evalf.pure_complex), as Add._eval_power
 * builds it: _unevaluated_Mul(r - i*I, 1/(r**2 + i**2)), the coefficient
 * first. NULL with the error clear when base is not such a sum. */
static const sy_expr *gaussian_inverse(sy_ctx *ctx, const sy_expr *base) {
  if (base->n != 2 || base->args[0]->kind != SY_NUM) {
    return NULL;
  }
  const sy_expr *t = base->args[1], *i;
  if (t->kind == SY_CONST && t->fn == SY_I) {
    i = sy_integer(ctx, 1);
  } else if (t->kind == SY_MUL && t->n == 2 && t->args[0]->kind == SY_NUM &&
             t->args[1]->kind == SY_CONST && t->args[1]->fn == SY_I) {
    i = t->args[0];
  } else {
    return NULL;
  }
  const sy_expr *r = base->args[0];
  mpq_t norm, square;
  mpq_inits(norm, square, (mpq_ptr)0);
  mpq_mul(norm, r->q, r->q);
  mpq_mul(square, i->q, i->q);
  mpq_add(norm, norm, square);
  mpq_inv(norm, norm);
  const sy_expr *scale = sy_number(ctx, norm);
  mpq_clears(norm, square, (mpq_ptr)0);
  const sy_expr *conjugate = sy_sub(ctx, r, sy_mul2(ctx, i, sy_const(ctx, SY_I)));
  if (scale == NULL || conjugate == NULL) {
    return NULL;
  }
  if (sy_is_int(scale, 1)) {
    return conjugate;
  }
  const sy_expr *args[2] = {scale, conjugate};
  return sy_mul_unevaluated(ctx, args, 2);
}

/* (b**e)**q for a Rational q that is no integer, after Pow._eval_power:
 * the exponents multiply when |e| < 1 (sqrt(sqrt(x)) is x**(1/4)) or b is
 * a positive number (sqrt(pi**2) is pi), and exp(u)**q is exp(u*q) for a
 * real number u. A negative number for b is refused (Pow._eval_power takes
 * the root's branch there); otherwise NULL with the error clear: the power
 * stays, as for (x**3)**(1/3). */
static const sy_expr *power_of_power(sy_ctx *ctx, const sy_expr *base, const sy_expr *q) {
  bool is_exp = base->kind == SY_FN;
  const sy_expr *b = is_exp ? sy_const(ctx, SY_E) : base->args[0];
  const sy_expr *e = is_exp ? base->args[0] : base->args[1];
  double value;
  if (b == NULL) {
    return NULL;
  }
  if (is_exp) {
    if (!sy_is_number(e) || e->has_i || !sy_real_value(e, &value)) {
      return NULL;
    }
    return sy_func(ctx, SY_EXP, sy_mul2(ctx, e, q));
  }
  if (e->kind != SY_NUM) {
    return NULL;
  }
  bool small = mpz_cmpabs(mpq_numref(e->q), mpq_denref(e->q)) < 0;
  bool number = sy_is_number(b) && !b->has_i;
  if (number && !(sy_real_value(b, &value) && (value > 1e-9 || value < -1e-9))) {
    return sy_fail(ctx, "NotImplementedError", "this power of a power " OUTSIDE_SUBSET);
  }
  if (number && value < 0) {
    return sy_fail(ctx, "NotImplementedError", "this power of a negative number " OUTSIDE_SUBSET);
  }
  /* Abs(u) is extended_nonnegative: s = 1 in Pow._eval_power, whatever e
   * is ((Abs(x)**3)**(1/3) is Abs(x), sqrt(1/Abs(x)) is 1/sqrt(Abs(x))) */
  bool nonnegative = b->kind == SY_FN && b->fn == SY_ABS;
  if (small || number || nonnegative) {
    return sy_pow(ctx, b, sy_mul2(ctx, e, q));
  }
  return NULL;
}

const sy_expr *sy_pow(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp) {
  if (ctx->failed || base == NULL || exp == NULL) {
    return NULL;
  }
  if (sy_is_int(exp, 0)) {
    return sy_integer(ctx, 1);
  }
  if (sy_is_int(exp, 1)) {
    return base;
  }
  if (base->has_special || exp->has_special) {
    return ctx->rules->pow_special(ctx, base, exp);
  }
  if (base->kind == SY_ADD && base->has_float && exp->kind == SY_NUM &&
      mpz_cmpabs(mpq_numref(exp->q), mpq_denref(exp->q)) != 0 && largest_coeff(base) != 1) {
    /* Add._eval_power takes the largest coefficient out when a Float is
     * among them and it is not 1: (2.0 + 4*x)**2 is 16*(0.5 + x)**2 */
    return sy_fail(ctx, "NotImplementedError", "this power of a sum with Floats " OUTSIDE_SUBSET);
  }
  if (base->has_float || exp->has_float) {
    if (base->kind == SY_FLOAT && sy_is_integer(exp) && mpz_fits_slong_p(mpq_numref(exp->q))) {
      /* Float._eval_power: mpf_pow_int, rounded to 53 bits. */
      mpfr_t r;
      mpfr_init2(r, 53);
      mpfr_set_d(r, base->f, MPFR_RNDN);
      mpfr_pow_si(r, r, mpz_get_si(mpq_numref(exp->q)), MPFR_RNDN);
      double value = mpfr_get_d(r, MPFR_RNDN);
      mpfr_clear(r);
      return isfinite(value) && value != 0
                 ? sy_float(ctx, value)
                 : sy_fail(ctx, "NotImplementedError", "this Float power " OUTSIDE_SUBSET);
    }
    if (exp->kind == SY_FLOAT) {
      return float_exponent_pow(ctx, base, exp);
    }
    if (base->kind == SY_FLOAT && base->f > 0 && exp->kind == SY_NUM) {
      /* Float._eval_power: the Rational exponent at 53 bits, then mpf_pow */
      return float_of_power(ctx, base, sy_q_to_double(exp->q));
    }
    if (exp->has_float || !sy_is_integer(exp) || base->kind == SY_FLOAT) {
      return sy_fail(ctx, "NotImplementedError", "this Float power " OUTSIDE_SUBSET);
    }
  }
  if (sy_is_int(base, 1)) {
    return base;
  }
  if (base->kind == SY_NUM && exp->kind == SY_NUM) {
    return number_pow(ctx, base, exp);
  }
  if (exp->kind != SY_NUM || base->kind == SY_POW || base->kind == SY_FN) {
    const sy_expr *value = ctx->rules->pow_symbolic(ctx, base, exp);
    if (value != NULL || ctx->failed) {
      return value;
    }
  }
  if (base->kind == SY_CONST && base->fn == SY_I && sy_is_integer(exp)) {
    /* ImaginaryUnit._eval_power: I**e by e mod 4. */
    unsigned long k = mpz_fdiv_ui(mpq_numref(exp->q), 4);
    return k == 0   ? sy_integer(ctx, 1)
           : k == 1 ? base
           : k == 2 ? sy_integer(ctx, -1)
                    : sy_mul2(ctx, sy_integer(ctx, -1), base);
  }
  if (base->kind == SY_ADD && sy_is_number(base) && sy_has_imaginary(base) && sy_is_integer(exp) &&
      mpq_sgn(exp->q) < 0) {
    /* Add._eval_power: 1/(r + i*I) is (r - i*I)/(r**2 + i**2), other
     * negative powers stay. */
    const sy_expr *inverse = sy_is_int(exp, -1) ? gaussian_inverse(ctx, base) : NULL;
    return inverse != NULL || ctx->failed ? inverse : raw_pow(ctx, base, exp);
  }
  if (!sy_is_integer(exp) && sy_has_imaginary(base)) {
    return sy_fail(ctx, "NotImplementedError",
                   "this power of a complex number is outside the sympy subset of pyref");
  }
  if (sy_is_integer(exp)) {
    if (base->kind == SY_POW) {
      return sy_pow(ctx, base->args[0], sy_mul2(ctx, base->args[1], exp));
    }
    if (base->kind == SY_FN && base->fn == SY_EXP) {
      return sy_func(ctx, SY_EXP, sy_mul2(ctx, base->args[0], exp));
    }
    if (base->kind == SY_MUL) {
      const sy_expr **parts = sy_alloc(ctx, base->n * sizeof *parts);
      if (parts == NULL) {
        return NULL;
      }
      for (size_t i = 0; i < base->n; i++) {
        if ((parts[i] = sy_pow(ctx, base->args[i], exp)) == NULL) {
          return NULL;
        }
      }
      return sy_mul(ctx, parts, base->n);
    }
  }
  if (base->kind == SY_MUL && exp->kind == SY_NUM) {
    return mul_rational_pow(ctx, base, exp);
  }
  if (exp->kind == SY_NUM &&
      (base->kind == SY_POW || (base->kind == SY_FN && base->fn == SY_EXP))) {
    const sy_expr *combined = power_of_power(ctx, base, exp);
    if (combined != NULL || ctx->failed) {
      return combined;
    }
  }
  return raw_pow(ctx, base, exp);
}

const sy_expr *sy_func(sy_ctx *ctx, sy_fn fn, const sy_expr *arg) {
  if (ctx->failed || arg == NULL) {
    return NULL;
  }
  return ctx->rules->func(ctx, fn, arg);
}
