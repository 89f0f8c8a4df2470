/* sympy's two orders (order.h): Expr.sort_key (sympy/core/expr.py with
 * the class keys of Basic, Atom, Number, Add, Mul, Pow and Function) and
 * Expr.as_ordered_terms with as_terms and _parse_order's lex key. A sort
 * key is built once per expression as a tree and then compared without
 * allocating, so that sorting n items builds n keys, not n log n pairs. */
#include "ref/sympy/order.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/sympy/expr.h"
#include "ref/sympy/index_sort.h"

/* ---- sort_key ---- */

typedef struct skey skey;
struct skey {
  mpq_srcptr number; /* a Number: compared by value, before everything */
  int major, minor;  /* the class key of the expression part */
  const char *name;
  char *atom;       /* str() of an atomic expression part (malloc'd) */
  size_t nargs;     /* the key's args: a sum's terms in printing order, */
  skey **args;      /* a product's factors in key order, a call's args */
  skey *exp;        /* the exponent (NULL: 1) */
  mpq_srcptr coeff; /* the Rational coefficient (NULL: 1) */
  bool owns_value;  /* number is value: a Float's, exactly */
  mpq_t value;
};

typedef struct class_key {
  int major, minor;
  const char *name;
} class_key;

static class_key class_key_of(const sy_expr *e) {
  static const int kFnMinor[SY_FN_COUNT] = {21, 20, 10, 11, 22, 10000};
  switch (e->kind) {
    case SY_NUM:
    case SY_FLOAT:
      return (class_key){1, 0, "Number"};
    case SY_SYM:
      return (class_key){2, 0, "Symbol"};
    case SY_CONST:
      if (e->fn >= SY_OO) {
        return (class_key){1, 0, "Number"};
      }
      return (class_key){2, 0, e->fn == SY_E ? "Exp1" : e->fn == SY_PI ? "Pi" : "ImaginaryUnit"};
    case SY_ADD:
      return (class_key){3, 1, "Add"};
    case SY_MUL:
      return (class_key){3, 0, "Mul"};
    case SY_POW:
      return (class_key){3, 2, "Pow"};
    case SY_FN:
    default:
      return (class_key){4, kFnMinor[e->fn], sy_fn_name((sy_fn)e->fn)};
  }
}

static void skey_free(skey *k) {
  if (k == NULL) {
    return;
  }
  for (size_t i = 0; i < k->nargs; i++) {
    skey_free(k->args[i]);
  }
  free(k->args);
  skey_free(k->exp);
  free(k->atom);
  if (k->owns_value) {
    mpq_clear(k->value);
  }
  free(k);
}

static int cmp_int(long a, long b) {
  return a < b ? -1 : a > b;
}

static int skey_cmp(const skey *a, const skey *b) {
  if (a == b) {
    return 0;
  }
  if (a->number != NULL || b->number != NULL) {
    if (a->number != NULL && b->number != NULL) {
      int c = mpq_cmp(a->number, b->number);
      return c < 0 ? -1 : c > 0;
    }
    /* Any other key's class is greater than Number's, or is Number (a
     * power of a number: 2**x) with args (1, ...) after (0, ()). */
    return a->number != NULL ? -1 : 1;
  }
  int c = cmp_int(a->major, b->major);
  if (c == 0) {
    c = cmp_int(a->minor, b->minor);
  }
  if (c == 0) {
    c = strcmp(a->name, b->name);
  }
  if (c != 0) {
    return c < 0 ? -1 : 1;
  }
  if (a->atom != NULL || b->atom != NULL) {
    c = a->atom != NULL && b->atom != NULL ? strcmp(a->atom, b->atom) : 0;
  } else {
    c = cmp_int((long)a->nargs, (long)b->nargs);
    for (size_t i = 0; c == 0 && i < a->nargs; i++) {
      c = skey_cmp(a->args[i], b->args[i]);
    }
  }
  if (c == 0 && (a->exp != NULL || b->exp != NULL)) {
    /* a missing exponent is Integer 1 */
    if (a->exp != NULL && b->exp != NULL) {
      c = skey_cmp(a->exp, b->exp);
    } else {
      const skey *present = a->exp != NULL ? a->exp : b->exp;
      int sign = a->exp != NULL ? 1 : -1;
      /* compare present against the key of Integer 1 */
      if (present->number != NULL) {
        c = sign * mpq_cmp_si(present->number, 1, 1);
      } else {
        c = sign; /* any non-number key is above a Number's */
      }
    }
  }
  if (c == 0 && (a->coeff != NULL || b->coeff != NULL)) {
    if (a->coeff != NULL && b->coeff != NULL) {
      c = mpq_cmp(a->coeff, b->coeff);
    } else {
      c = a->coeff != NULL ? mpq_cmp_si(a->coeff, 1, 1) : -mpq_cmp_si(b->coeff, 1, 1);
    }
  }
  return c < 0 ? -1 : c > 0;
}

static skey *skey_build(sy_ctx *ctx, const sy_expr *e);

/* Stable merge sort of keys (with their items alongside) by skey_cmp. */
static void sort_keys(skey **keys, const sy_expr **items, skey **kbuf, const sy_expr **ibuf,
                      size_t n) {
  if (n < 2) {
    return;
  }
  size_t half = n / 2;
  sort_keys(keys, items, kbuf, ibuf, half);
  sort_keys(keys + half, items + half, kbuf, ibuf, n - half);
  size_t i = 0, j = half, k = 0;
  while (i < half && j < n) {
    bool right = skey_cmp(keys[j], keys[i]) < 0;
    size_t from = right ? j++ : i++;
    kbuf[k] = keys[from];
    ibuf[k++] = items[from];
  }
  while (i < half) {
    kbuf[k] = keys[i];
    ibuf[k++] = items[i++];
  }
  while (j < n) {
    kbuf[k] = keys[j];
    ibuf[k++] = items[j++];
  }
  memcpy(keys, kbuf, n * sizeof *keys);
  memcpy(items, ibuf, n * sizeof *items);
}

/* The keys of items (n of them, or NULL and the error set). */
static skey **build_all(sy_ctx *ctx, const sy_expr *const *items, size_t n) {
  skey **keys = calloc(n ? n : 1, sizeof *keys);
  if (keys == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    if ((keys[i] = skey_build(ctx, items[i])) == NULL) {
      for (size_t j = 0; j < i; j++) {
        skey_free(keys[j]);
      }
      free(keys);
      return NULL;
    }
  }
  return keys;
}

/* The key's args for the expression part e: a sum's terms in printing
 * order, a product's factors sorted by key (given as factors/nfactors, so
 * that a product without its coefficient needs no node), a call's args. */
static int build_args(sy_ctx *ctx, skey *k, const sy_expr *e, const sy_expr *const *factors,
                      size_t nfactors) {
  const sy_expr **args = malloc((nfactors ? nfactors : 1) * sizeof *args);
  if (args == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
    return -1;
  }
  if (e->kind == SY_ADD) {
    if (sy_ordered_terms(ctx, e, args) != 0) {
      free(args);
      return -1;
    }
  } else {
    memcpy(args, factors, nfactors * sizeof *args);
  }
  k->args = build_all(ctx, args, nfactors);
  k->nargs = k->args == NULL ? 0 : nfactors;
  int status = k->args == NULL ? -1 : 0;
  if (status == 0 && e->kind == SY_MUL) {
    skey **kbuf = malloc(nfactors * sizeof *kbuf);
    const sy_expr **ibuf = malloc(nfactors * sizeof *ibuf);
    if (kbuf == NULL || ibuf == NULL) {
      sy_fail(ctx, "MemoryError", "%s", "");
      status = -1;
    } else {
      sort_keys(k->args, args, kbuf, ibuf, nfactors);
    }
    free(kbuf);
    free(ibuf);
  }
  free(args);
  return status;
}

static char *atom_string(const sy_expr *e) {
  if (e->kind == SY_NUM) {
    char *s = NULL;
    if (gmp_asprintf(&s, "%Qd", e->q) < 0) {
      return NULL;
    }
    size_t n = strlen(s);
    char *copy = malloc(n + 1);
    if (copy != NULL) {
      memcpy(copy, s, n + 1);
    }
    void (*gmp_free)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &gmp_free);
    gmp_free(s, n + 1);
    return copy;
  }
  char number[32];
  if (e->kind == SY_FLOAT) {
    snprintf(number, sizeof number, "%.17g", e->f);
  }
  const char *name = e->kind == SY_SYM     ? e->name
                     : e->kind == SY_FLOAT ? number
                                           : sy_const_name(e->fn);
  size_t n = strlen(name);
  char *s = malloc(n + 1);
  if (s != NULL) {
    memcpy(s, name, n + 1);
  }
  return s;
}

static skey *skey_build(sy_ctx *ctx, const sy_expr *e) {
  skey *k = calloc(1, sizeof *k);
  if (k == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
    return NULL;
  }
  if (e->kind == SY_NUM) {
    k->number = e->q;
    return k;
  }
  if (e->kind == SY_FLOAT) {
    /* Number.sort_key: a Float is keyed by its value as a Rational is
     * (0.5*sqrt(2): the Float first) */
    mpq_init(k->value);
    mpq_set_d(k->value, e->f);
    k->owns_value = true;
    k->number = k->value;
    return k;
  }
  /* as_coeff_Mul, then as_base_exp of the rest, without building nodes */
  const sy_expr *const *factors = &e;
  size_t nfactors = 1;
  if (e->kind == SY_MUL && e->args[0]->kind == SY_NUM) {
    k->coeff = mpq_cmp_si(e->args[0]->q, 1, 1) == 0 ? NULL : e->args[0]->q;
    factors = e->args + 1;
    nfactors = e->n - 1;
  } else if (e->kind == SY_MUL && e->args[0]->kind == SY_FLOAT) {
    /* as_coeff_Mul takes a Float coefficient too */
    mpq_init(k->value);
    mpq_set_d(k->value, e->args[0]->f);
    k->owns_value = true;
    k->coeff = k->value;
    factors = e->args + 1;
    nfactors = e->n - 1;
  }
  const sy_expr *expr = nfactors == 1 ? factors[0] : e; /* e: a product */
  if (nfactors == 1 && expr->kind == SY_POW) {
    if ((k->exp = skey_build(ctx, expr->args[1])) == NULL) {
      skey_free(k);
      return NULL;
    }
    if (k->exp->number != NULL && mpq_cmp_si(k->exp->number, 1, 1) == 0) {
      skey_free(k->exp);
      k->exp = NULL;
    }
    expr = expr->args[0];
  }
  class_key ck = class_key_of(expr);
  k->major = ck.major;
  k->minor = ck.minor;
  k->name = ck.name;
  int status = 0;
  if (expr->kind == SY_NUM || expr->kind == SY_SYM || expr->kind == SY_CONST ||
      expr->kind == SY_FLOAT) {
    k->atom = atom_string(expr);
    if (k->atom == NULL) {
      sy_fail(ctx, "MemoryError", "%s", "");
      status = -1;
    }
  } else if (expr == e && nfactors != 1) {
    status = build_args(ctx, k, e, factors, nfactors); /* the product without its coefficient */
  } else {
    status = build_args(ctx, k, expr, expr->args, expr->n);
  }
  if (status != 0) {
    skey_free(k);
    return NULL;
  }
  return k;
}

int sy_sort_key_cmp(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  if (a == b) {
    return 0;
  }
  skey *ka = skey_build(ctx, a), *kb = ka == NULL ? NULL : skey_build(ctx, b);
  int c = ka != NULL && kb != NULL ? skey_cmp(ka, kb) : 0;
  skey_free(ka);
  skey_free(kb);
  return c;
}

void sy_sort_by_key(sy_ctx *ctx, const sy_expr **items, size_t n, bool hash_ties) {
  if (n < 2 || ctx->failed) {
    return;
  }
  skey **keys = build_all(ctx, items, n);
  skey **kbuf = malloc(n * sizeof *kbuf);
  const sy_expr **ibuf = malloc(n * sizeof *ibuf);
  if (keys != NULL && kbuf != NULL && ibuf != NULL) {
    sort_keys(keys, items, kbuf, ibuf, n);
    if (hash_ties) {
      /* equal keys (a total order for Add and Mul's args): by hash */
      for (size_t i = 1; i < n; i++) {
        size_t j = i;
        while (j > 0 && skey_cmp(keys[j - 1], keys[j]) == 0 &&
               items[j - 1]->hash > items[j]->hash) {
          skey *tk = keys[j];
          keys[j] = keys[j - 1];
          keys[j - 1] = tk;
          const sy_expr *ti = items[j];
          items[j] = items[j - 1];
          items[j - 1] = ti;
          j--;
        }
      }
    }
  } else if (!ctx->failed) {
    sy_fail(ctx, "MemoryError", "%s", "");
  }
  for (size_t i = 0; keys != NULL && i < n; i++) {
    skey_free(keys[i]);
  }
  free(keys);
  free(kbuf);
  free(ibuf);
}

/* ---- as_ordered_terms ---- */

typedef struct monomial_term {
  const sy_expr *term;
  double coeff;    /* the real part of as_terms' complex coefficient */
  double coeff_im; /* its imaginary part: I*x has 0 and 1 */
  long *monom;     /* exponents per generator */
} monomial_term;

/* decompose_power (sympy/core/exprtools.py), on as_base_exp: factor = base**exp with exp an
 * integer. */
static const sy_expr *decompose_power(sy_ctx *ctx, const sy_expr *factor, long *exp) {
  const sy_expr *base = factor, *e = NULL;
  if (factor->kind == SY_POW && factor->args[0]->kind == SY_NUM &&
      mpz_cmp_ui(mpq_numref(factor->args[0]->q), 1) == 0 &&
      mpz_cmp_ui(mpq_denref(factor->args[0]->q), 1) != 0) {
    /* Pow.as_base_exp: (1/2)**x is 2**(-x), a generator 2**x to the -1 */
    base = sy_integer_z(ctx, mpq_denref(factor->args[0]->q));
    e = sy_neg(ctx, factor->args[1]);
  } else if (factor->kind == SY_POW) {
    base = factor->args[0];
    e = factor->args[1];
  } else if (factor->kind == SY_FN && factor->fn == SY_EXP) {
    base = sy_const(ctx, SY_E);
    e = factor->args[0];
  }
  *exp = 1;
  if (e == NULL || base == NULL) {
    return factor;
  }
  if (e->kind == SY_NUM) {
    mpz_srcptr p = mpq_numref(e->q);
    *exp = mpz_fits_slong_p(p) ? mpz_get_si(p) : (mpz_sgn(p) < 0 ? LONG_MIN / 2 : LONG_MAX / 2);
    if (mpz_cmp_ui(mpq_denref(e->q), 1) != 0) {
      mpq_t inv;
      mpq_init(inv);
      mpz_set_ui(mpq_numref(inv), 1);
      mpz_set(mpq_denref(inv), mpq_denref(e->q));
      base = sy_pow(ctx, base, sy_number(ctx, inv));
      mpq_clear(inv);
    }
    return base;
  }
  const sy_expr *tail;
  const sy_expr *c = sy_coeff_mul(ctx, e, &tail);
  if (c == NULL || tail == NULL) {
    return factor;
  }
  if (sy_is_int(c, -1)) {
    *exp = -1;
    return sy_pow(ctx, base, tail);
  }
  if (sy_is_int(c, 1)) {
    return factor;
  }
  mpz_srcptr p = mpq_numref(c->q);
  *exp = mpz_fits_slong_p(p) ? mpz_get_si(p) : (mpz_sgn(p) < 0 ? LONG_MIN / 2 : LONG_MAX / 2);
  mpq_t inv;
  mpq_init(inv);
  mpz_set_ui(mpq_numref(inv), 1);
  mpz_set(mpq_denref(inv), mpq_denref(c->q));
  const sy_expr *k = sy_number(ctx, inv);
  mpq_clear(inv);
  return sy_pow(ctx, base, sy_mul2(ctx, k, tail));
}

/* The lex order of two terms: greater monomials first, then smaller
 * coefficients. */
typedef struct monomial_order {
  const monomial_term *terms;
  size_t ngens;
} monomial_order;

static int cmp_monomials(const monomial_order *mo, size_t i, size_t j) {
  const monomial_term *a = &mo->terms[i], *b = &mo->terms[j];
  int c = 0;
  for (size_t k = 0; c == 0 && k < mo->ngens; k++) {
    c = cmp_int(-a->monom[k], -b->monom[k]);
  }
  /* _parse_order's coefficient key ((bool(im), im), (re, im)): real
   * coefficients first. */
  if (c == 0) {
    c = (a->coeff_im != 0) - (b->coeff_im != 0);
  }
  if (c == 0) {
    c = a->coeff_im < b->coeff_im ? -1 : a->coeff_im > b->coeff_im;
  }
  if (c == 0) {
    c = a->coeff < b->coeff ? -1 : a->coeff > b->coeff;
  }
  return c;
}

/* cmp_monomials for sy_sort_indices. */
static int monomial_cmp(const void *context, size_t i, size_t j) {
  return cmp_monomials(context, i, j);
}

typedef struct gens {
  const sy_expr **items;
  size_t count;
} gens;

static size_t gen_index(const gens *g, const sy_expr *base) {
  for (size_t i = 0; i < g->count; i++) {
    if (sy_equal(g->items[i], base)) {
      return i;
    }
  }
  return SIZE_MAX;
}

/* isinstance(e, (Number, NumberSymbol)): I is neither. */
static bool is_number_class(const sy_expr *e) {
  return e->kind == SY_NUM || e->kind == SY_FLOAT || (e->kind == SY_CONST && e->fn != SY_I);
}

/* Whether a number is positive as sympy's is_positive says (oo is not:
 * positive numbers are finite). */
static bool is_positive_number(const sy_expr *num) {
  if (num->kind == SY_FLOAT) {
    return num->f > 0;
  }
  return num->kind == SY_CONST ? num->fn == SY_E || num->fn == SY_PI : mpq_sgn(num->q) > 0;
}

int sy_ordered_terms(sy_ctx *ctx, const sy_expr *add, const sy_expr **out) {
  size_t n = add->n;
  /* The special case: a positive number and a negative number times one
   * factor (1 - x, 2 - sqrt(2)) print in that order. */
  if (n == 2) {
    const sy_expr *num = is_number_class(add->args[0]) ? add->args[0] : add->args[1];
    const sy_expr *other = num == add->args[0] ? add->args[1] : add->args[0];
    bool positive = is_number_class(num) && is_positive_number(num);
    if (is_number_class(num) && !is_number_class(other) && other->kind == SY_MUL && other->n == 2 &&
        positive) {
      const sy_expr *k = is_number_class(other->args[0]) ? other->args[0] : other->args[1];
      if ((k->kind == SY_NUM && mpq_sgn(k->q) < 0) || (k->kind == SY_FLOAT && k->f < 0)) {
        out[0] = num;
        out[1] = other;
        return 0;
      }
    }
  }
  monomial_term *terms = calloc(n, sizeof *terms);
  /* Factors per term: bases and exponents before the generators are known. */
  const sy_expr ***bases = calloc(n, sizeof *bases);
  long **exps = calloc(n, sizeof *exps);
  size_t *nfactors = calloc(n, sizeof *nfactors);
  gens g = {calloc(add->n * 8 + 8, sizeof *g.items), 0};
  size_t gens_cap = add->n * 8 + 8;
  int status = -1;
  if (terms == NULL || bases == NULL || exps == NULL || nfactors == NULL || g.items == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    const sy_expr *t = add->args[i];
    const sy_expr *rest;
    const sy_expr *c = sy_coeff_mul(ctx, t, &rest);
    if (c == NULL || rest == NULL) {
      goto done;
    }
    terms[i].term = t;
    terms[i].coeff = mpq_get_d(c->q);
    const sy_expr *const *factors = &rest;
    size_t count = 1;
    if (sy_is_int(rest, 1)) {
      count = 0;
    } else if (rest->kind == SY_MUL) {
      factors = rest->args;
      count = rest->n;
    }
    bases[i] = calloc(count ? count : 1, sizeof **bases);
    exps[i] = calloc(count ? count : 1, sizeof **exps);
    if (bases[i] == NULL || exps[i] == NULL) {
      sy_fail(ctx, "MemoryError", "%s", "");
      goto done;
    }
    for (size_t j = 0; j < count; j++) {
      double v;
      if (sy_is_special(factors[j])) {
        /* as_coeff_Mul's coefficient: complex(oo) is inf; complex(zoo) is
         * nan+nanj, whose nonzero imaginary part sorts it after the real
         * coefficients and whose nans compare as equal to everything. */
        bool oo = factors[j]->fn == SY_OO || factors[j]->fn == SY_NEG_OO;
        terms[i].coeff =
            oo ? terms[i].coeff * (factors[j]->fn == SY_OO ? INFINITY : -INFINITY) : NAN;
        terms[i].coeff_im = oo ? terms[i].coeff_im : NAN;
        continue;
      }
      if (sy_is_number(factors[j]) && sy_real_value(factors[j], &v)) {
        terms[i].coeff *= v;
        terms[i].coeff_im *= v;
        continue;
      }
      if (factors[j]->kind == SY_CONST && factors[j]->fn == SY_I) {
        double re = terms[i].coeff;
        terms[i].coeff = -terms[i].coeff_im;
        terms[i].coeff_im = re;
        continue;
      }
      if (sy_is_number(factors[j])) {
        /* complex(factor) is a complex number here (sqrt(tan(2)), 1 + I):
         * as_terms folds it into the coefficient, which is not followed */
        sy_fail(ctx, "NotImplementedError",
                "printing a sum with this complex number is outside the sympy subset of pyref");
        goto done;
      }
      long e;
      const sy_expr *base = decompose_power(ctx, factors[j], &e);
      if (base == NULL) {
        goto done;
      }
      bases[i][nfactors[i]] = base;
      exps[i][nfactors[i]++] = e;
      if (gen_index(&g, base) == SIZE_MAX) {
        if (g.count == gens_cap) {
          const sy_expr **more = realloc(g.items, 2 * gens_cap * sizeof *more);
          if (more == NULL) {
            sy_fail(ctx, "MemoryError", "%s", "");
            goto done;
          }
          g.items = more;
          gens_cap *= 2;
        }
        g.items[g.count++] = base;
      }
    }
  }
  sy_sort_by_key(ctx, g.items, g.count, false);
  for (size_t i = 0; i < n; i++) {
    terms[i].monom = calloc(g.count ? g.count : 1, sizeof *terms[i].monom);
    if (terms[i].monom == NULL) {
      sy_fail(ctx, "MemoryError", "%s", "");
      goto done;
    }
    for (size_t j = 0; j < nfactors[i]; j++) {
      terms[i].monom[gen_index(&g, bases[i][j])] = exps[i][j];
    }
  }
  /* A stable sort by the keys computed above: the negated monomial, then
   * the coefficient. */
  size_t *order = malloc(n * sizeof *order);
  if (order == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    order[i] = i;
  }
  monomial_order mo = {terms, g.count};
  if (sy_sort_indices(order, n, monomial_cmp, &mo) != 0) {
    free(order);
    sy_fail(ctx, "MemoryError", "%s", "");
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    out[i] = terms[order[i]].term;
  }
  free(order);
  status = ctx->failed ? -1 : 0;
done:
  for (size_t i = 0; terms != NULL && i < n; i++) {
    free(terms[i].monom);
    if (bases != NULL) {
      free(bases[i]);
    }
    if (exps != NULL) {
      free(exps[i]);
    }
  }
  free(terms);
  free(bases);
  free(exps);
  free(nfactors);
  free(g.items);
  return status;
}
