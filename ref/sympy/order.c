/* sympy's orders: Expr.sort_key (sympy/core/expr.py, the class keys of
 * Basic, Atom, Number, Add, Mul, Pow and Function) and the printing order of
 * a sum, Expr.as_ordered_terms with as_terms and _parse_order's lex key. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ref/sympy/expr.h"

void sy_sort(sy_ctx *ctx, const sy_expr **items, size_t n,
             int (*cmp)(sy_ctx *ctx, const sy_expr *a, const sy_expr *b)) {
  /* Insertion sort for short runs, merging otherwise: stable either way. */
  if (n < 2) {
    return;
  }
  if (n <= 8) {
    for (size_t i = 1; i < n; i++) {
      const sy_expr *x = items[i];
      size_t j = i;
      while (j > 0 && cmp(ctx, items[j - 1], x) > 0) {
        items[j] = items[j - 1];
        j--;
      }
      items[j] = x;
    }
    return;
  }
  size_t half = n / 2;
  sy_sort(ctx, items, half, cmp);
  sy_sort(ctx, items + half, n - half, cmp);
  const sy_expr **merged = malloc(n * sizeof *merged);
  if (merged == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
    return;
  }
  size_t i = 0, j = half, k = 0;
  while (i < half && j < n) {
    merged[k++] = cmp(ctx, items[j], items[i]) < 0 ? items[j++] : items[i++];
  }
  while (i < half) {
    merged[k++] = items[i++];
  }
  while (j < n) {
    merged[k++] = items[j++];
  }
  memcpy(items, merged, n * sizeof *items);
  free(merged);
}

/* ---- sort_key ---- */

typedef struct class_key {
  int major, minor;
  const char *name;
} class_key;

static class_key class_key_of(const sy_expr *e) {
  static const int kFnMinor[SY_FN_COUNT] = {21, 20, 10, 11, 22, 10000};
  switch (e->kind) {
    case SY_NUM:
      return (class_key){1, 0, "Number"};
    case SY_SYM:
      return (class_key){2, 0, "Symbol"};
    case SY_CONST:
      return (class_key){2, 0, e->fn == SY_E ? "Exp1" : "Pi"};
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

static bool is_atom(const sy_expr *e) {
  return e->kind == SY_NUM || e->kind == SY_SYM || e->kind == SY_CONST;
}

/* str() of an atom, for the key's (1, (str(expr),)). */
static char *atom_string(const sy_expr *e) {
  if (e->kind == SY_NUM) {
    char *s = NULL;
    return gmp_asprintf(&s, "%Qd", e->q) < 0 ? NULL : s;
  }
  const char *name = e->kind == SY_SYM ? e->name : e->fn == SY_E ? "E" : "pi";
  size_t n = strlen(name);
  char *s = malloc(n + 1);
  if (s != NULL) {
    memcpy(s, name, n + 1);
  }
  return s;
}

static void free_atom_string(char *s, const sy_expr *e) {
  if (s == NULL) {
    return;
  }
  if (e->kind == SY_NUM) {
    void (*gmp_free)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &gmp_free);
    gmp_free(s, strlen(s) + 1);
  } else {
    free(s);
  }
}

static int cmp_int(long a, long b) {
  return a < b ? -1 : a > b;
}

static int cmp_sort_key_sign(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  return sy_sort_key_cmp(ctx, a, b);
}

/* The expression's key's (len, args) as expressions: a sum's terms in
 * printing order, a product's factors by sort key, a function's argument.
 * Returns a malloc'd array (NULL for none) with its count. */
static const sy_expr **key_args(sy_ctx *ctx, const sy_expr *e, size_t *count) {
  *count = e->n;
  const sy_expr **args = malloc((e->n ? e->n : 1) * sizeof *args);
  if (args == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
    return NULL;
  }
  if (e->kind == SY_ADD) {
    if (sy_ordered_terms(ctx, e, args) != 0) {
      memcpy(args, e->args, e->n * sizeof *args);
    }
  } else {
    memcpy(args, e->args, e->n * sizeof *args);
    if (e->kind == SY_MUL) {
      sy_sort(ctx, args, e->n, cmp_sort_key_sign);
    }
  }
  return args;
}

int sy_sort_key_cmp(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  if (a == b) {
    return 0;
  }
  /* A Number's key is (class_key, (0, ()), (), self). */
  if (a->kind == SY_NUM || b->kind == SY_NUM) {
    if (a->kind == SY_NUM && b->kind == SY_NUM) {
      return mpq_cmp(a->q, b->q) < 0 ? -1 : mpq_cmp(a->q, b->q) > 0;
    }
    /* Any other key's class is greater than Number's, or is Number (a
     * power of a number: 2**x) with args (1, ...) after (0, ()). */
    return a->kind == SY_NUM ? -1 : 1;
  }
  const sy_expr *rest_a, *rest_b;
  const sy_expr *coeff_a = sy_coeff_mul(ctx, a, &rest_a);
  const sy_expr *coeff_b = sy_coeff_mul(ctx, b, &rest_b);
  if (coeff_a == NULL || coeff_b == NULL || rest_a == NULL || rest_b == NULL) {
    return 0;
  }
  const sy_expr *one = sy_integer(ctx, 1);
  if (one == NULL) {
    return 0;
  }
  const sy_expr *expr_a = rest_a, *exp_a = one, *expr_b = rest_b, *exp_b = one;
  if (rest_a->kind == SY_POW) {
    expr_a = rest_a->args[0];
    exp_a = rest_a->args[1];
  }
  if (rest_b->kind == SY_POW) {
    expr_b = rest_b->args[0];
    exp_b = rest_b->args[1];
  }
  class_key ka = class_key_of(expr_a), kb = class_key_of(expr_b);
  int c = cmp_int(ka.major, kb.major);
  if (c == 0) {
    c = cmp_int(ka.minor, kb.minor);
  }
  if (c == 0) {
    c = strcmp(ka.name, kb.name);
  }
  if (c != 0) {
    return c < 0 ? -1 : 1;
  }
  if (is_atom(expr_a) || is_atom(expr_b)) {
    if (!is_atom(expr_a) || !is_atom(expr_b)) {
      return 0; /* the same class is atomic for both */
    }
    char *sa = atom_string(expr_a), *sb = atom_string(expr_b);
    c = sa != NULL && sb != NULL ? strcmp(sa, sb) : 0;
    free_atom_string(sa, expr_a);
    free_atom_string(sb, expr_b);
  } else {
    size_t na, nb;
    const sy_expr **args_a = key_args(ctx, expr_a, &na);
    const sy_expr **args_b = key_args(ctx, expr_b, &nb);
    if (args_a != NULL && args_b != NULL) {
      c = cmp_int((long)na, (long)nb);
      for (size_t i = 0; c == 0 && i < na; i++) {
        c = sy_sort_key_cmp(ctx, args_a[i], args_b[i]);
      }
    }
    free(args_a);
    free(args_b);
  }
  if (c == 0) {
    c = sy_sort_key_cmp(ctx, exp_a, exp_b);
  }
  if (c == 0) {
    c = mpq_cmp(coeff_a->q, coeff_b->q);
  }
  return c < 0 ? -1 : c > 0;
}

/* ---- numeric values ---- */

bool sy_real_value(const sy_expr *e, double *out) {
  double x, y;
  switch (e->kind) {
    case SY_NUM:
      *out = mpq_get_d(e->q);
      return isfinite(*out);
    case SY_CONST:
      *out = e->fn == SY_E ? 2.718281828459045 : 3.141592653589793;
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
  double coeff;
  long *monom; /* exponents per generator */
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

static bool is_number_class(const sy_expr *e) {
  return e->kind == SY_NUM || e->kind == SY_CONST;
}

int sy_ordered_terms(sy_ctx *ctx, const sy_expr *add, const sy_expr **out) {
  size_t n = add->n;
  /* The special case: a positive number and a negative number times one
   * factor (1 - x, 2 - sqrt(2)) print in that order. */
  if (n == 2) {
    const sy_expr *num = is_number_class(add->args[0]) ? add->args[0] : add->args[1];
    const sy_expr *other = num == add->args[0] ? add->args[1] : add->args[0];
    bool positive = num->kind == SY_CONST || mpq_sgn(num->q) > 0;
    if (is_number_class(num) && !is_number_class(other) && other->kind == SY_MUL && other->n == 2 &&
        positive) {
      const sy_expr *k = is_number_class(other->args[0]) ? other->args[0] : other->args[1];
      if (k->kind == SY_NUM && mpq_sgn(k->q) < 0) {
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
      if (sy_is_number(factors[j]) && sy_real_value(factors[j], &v)) {
        terms[i].coeff *= v;
        continue;
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
  sy_sort(ctx, g.items, g.count, cmp_sort_key_sign);
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
  /* Stable insertion of each term after those whose key is <= its key:
   * the key is the negated monomial, then the coefficient. */
  size_t *order = malloc(n * sizeof *order);
  if (order == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    size_t j = i;
    while (j > 0) {
      const monomial_term *prev = &terms[order[j - 1]], *cur = &terms[i];
      int c = 0;
      for (size_t k = 0; c == 0 && k < g.count; k++) {
        c = cmp_int(-prev->monom[k], -cur->monom[k]);
      }
      if (c == 0) {
        c = prev->coeff < cur->coeff ? -1 : prev->coeff > cur->coeff;
      }
      if (c <= 0) {
        break;
      }
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
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
