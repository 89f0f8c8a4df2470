/* The printing order of a sum, Expr.as_ordered_terms with as_terms and
 * _parse_order's lex key, and numeric values of real number expressions. (Expr.sort_key is
 * sortkey.c.) */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ref/sympy/expr.h"
#include "ref/sympy/index_sort.h"

/* ---- numeric values ---- */

bool sy_real_value(const sy_expr *e, double *out) {
  double x, y;
  switch (e->kind) {
    case SY_NUM:
      *out = mpq_get_d(e->q);
      return isfinite(*out);
    case SY_CONST:
      if (e->fn >= SY_I) {
        return false;
      }
      *out = e->fn == SY_E ? 2.718281828459045 : 3.141592653589793;
      return true;
    case SY_FLOAT:
      *out = e->f;
      return true;
    case SY_SYM:
      return false;
    case SY_ADD:
    case SY_MUL:
      x = e->kind == SY_ADD ? 0.0 : 1.0;
      for (size_t i = 0; i < e->n; i++) {
        if (!sy_real_value(e->args[i], &y)) {
          return false;
        }
        x = e->kind == SY_ADD ? x + y : x * y;
      }
      *out = x;
      return isfinite(x);
    case SY_POW:
      if (!sy_real_value(e->args[0], &x) || !sy_real_value(e->args[1], &y)) {
        return false;
      }
      if (x < 0 && y != floor(y)) {
        return false;
      }
      *out = pow(x, y);
      return isfinite(*out);
    case SY_FN:
      if (!sy_real_value(e->args[0], &x)) {
        return false;
      }
      switch ((sy_fn)e->fn) {
        case SY_COS:
          *out = cos(x);
          break;
        case SY_SIN:
          *out = sin(x);
          break;
        case SY_EXP:
          *out = exp(x);
          break;
        case SY_LOG:
          if (x <= 0) {
            return false;
          }
          *out = log(x);
          break;
        case SY_TAN:
          *out = tan(x);
          break;
        case SY_ABS:
          *out = fabs(x);
          break;
        default:
          return false;
      }
      return isfinite(*out);
  }
  return false;
}

/* ---- as_ordered_terms ---- */

typedef struct monomial_term {
  const sy_expr *term;
  double coeff;    /* the real part of as_terms' complex coefficient */
  double coeff_im; /* its imaginary part: I*x has 0 and 1 */
  long *monom;     /* exponents per generator */
} monomial_term;

/* decompose_power (sympy/core/exprtools.py): factor = base**exp with exp an
 * integer. */
static const sy_expr *decompose_power(sy_ctx *ctx, const sy_expr *factor, long *exp) {
  const sy_expr *base = factor, *e = NULL;
  if (factor->kind == SY_POW) {
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

static int cmp_int(long a, long b) {
  return a < b ? -1 : a > b;
}

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
