/* subs and expand (ops.h). */
#include "ref/sympy/ops.h"

#include <stdlib.h>

/* An expression of e's kind with new args, evaluated again. */
static const sy_expr *rebuild(sy_ctx *ctx, const sy_expr *e, const sy_expr *const *args) {
  switch (e->kind) {
    case SY_ADD:
      return sy_add(ctx, args, e->n);
    case SY_MUL:
      return sy_mul(ctx, args, e->n);
    case SY_POW:
      return sy_pow(ctx, args[0], args[1]);
    case SY_FN:
      return sy_func(ctx, (sy_fn)e->fn, args[0]);
    default:
      return e;
  }
}

const sy_expr *sy_subs(sy_ctx *ctx, const sy_expr *e, const sy_expr *old, const sy_expr *new_) {
  if (ctx->failed) {
    return NULL;
  }
  if (sy_equal(e, old)) {
    return new_;
  }
  if (e->n == 0) {
    return e;
  }
  const sy_expr **args = sy_alloc(ctx, e->n * sizeof *args);
  if (args == NULL) {
    return NULL;
  }
  bool changed = false;
  for (size_t i = 0; i < e->n; i++) {
    if ((args[i] = sy_subs(ctx, e->args[i], old, new_)) == NULL) {
      return NULL;
    }
    changed |= args[i] != e->args[i];
  }
  return changed ? rebuild(ctx, e, args) : e;
}

/* The terms of e as a sum (e itself when it is not one). */
static const sy_expr *const *terms_of(const sy_expr *const *e, size_t *n) {
  if ((*e)->kind == SY_ADD) {
    *n = (*e)->n;
    return (*e)->args;
  }
  *n = 1;
  return e;
}

/* a*b with both multiplied out over their terms. */
static const sy_expr *multiply_out(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  size_t na, nb;
  const sy_expr *const *ta = terms_of(&a, &na);
  const sy_expr *const *tb = terms_of(&b, &nb);
  if (na == 1 && nb == 1) {
    return sy_mul2(ctx, a, b);
  }
  if ((double)na * (double)nb > 4e6) {
    return sy_fail(ctx, "MemoryError", "%s", "");
  }
  const sy_expr **products = malloc(na * nb * sizeof *products);
  if (products == NULL) {
    return sy_fail(ctx, "MemoryError", "%s", "");
  }
  size_t k = 0;
  for (size_t i = 0; i < na && !ctx->failed; i++) {
    for (size_t j = 0; j < nb && !ctx->failed; j++) {
      products[k++] = sy_mul2(ctx, ta[i], tb[j]);
    }
  }
  const sy_expr *sum = ctx->failed ? NULL : sy_add(ctx, products, k);
  free(products);
  return sum;
}

static const sy_expr *expand_product(sy_ctx *ctx, const sy_expr *e) {
  if (e->kind != SY_MUL) {
    return e;
  }
  const sy_expr *acc = e->args[0];
  for (size_t i = 1; i < e->n && acc != NULL; i++) {
    acc = multiply_out(ctx, acc, e->args[i]);
  }
  return acc;
}

const sy_expr *sy_expand(sy_ctx *ctx, const sy_expr *e) {
  return sy_expand_hints(ctx, e, true, true);
}

const sy_expr *sy_expand_hints(sy_ctx *ctx, const sy_expr *e, bool mul, bool multinomial) {
  if (ctx->failed) {
    return NULL;
  }
  if (e->n == 0) {
    return e;
  }
  const sy_expr **args = sy_alloc(ctx, e->n * sizeof *args);
  if (args == NULL) {
    return NULL;
  }
  for (size_t i = 0; i < e->n; i++) {
    if ((args[i] = sy_expand_hints(ctx, e->args[i], mul, multinomial)) == NULL) {
      return NULL;
    }
  }
  if (multinomial && e->kind == SY_POW && args[0]->kind == SY_ADD && args[1]->kind == SY_NUM &&
      mpz_cmp_ui(mpq_denref(args[1]->q), 1) == 0 && mpz_sgn(mpq_numref(args[1]->q)) != 0) {
    mpz_srcptr n = mpq_numref(args[1]->q);
    if (mpz_cmpabs_ui(n, 1000) > 0) {
      return sy_fail(ctx, "MemoryError", "%s", "");
    }
    long count = labs(mpz_get_si(n));
    const sy_expr *acc = args[0];
    for (long i = 1; i < count && acc != NULL; i++) {
      acc = multiply_out(ctx, acc, args[0]);
    }
    return mpz_sgn(n) > 0 ? acc : sy_pow(ctx, acc, sy_integer(ctx, -1));
  }
  const sy_expr *r = rebuild(ctx, e, args);
  if (r == NULL || !mul) {
    return r;
  }
  if (r->kind == SY_MUL) {
    return expand_product(ctx, r);
  }
  if (r->kind == SY_ADD) {
    /* Terms that became products of sums after their args expanded. */
    const sy_expr **terms = sy_alloc(ctx, r->n * sizeof *terms);
    if (terms == NULL) {
      return NULL;
    }
    bool changed = false;
    for (size_t i = 0; i < r->n; i++) {
      if ((terms[i] = expand_product(ctx, r->args[i])) == NULL) {
        return NULL;
      }
      changed |= terms[i] != r->args[i];
    }
    return changed ? sy_add(ctx, terms, r->n) : r;
  }
  return r;
}

bool sy_has_symbol(const sy_expr *e, const sy_expr *s) {
  if (e->kind == SY_SYM) {
    return sy_equal(e, s);
  }
  for (size_t i = 0; i < e->n; i++) {
    if (sy_has_symbol(e->args[i], s)) {
      return true;
    }
  }
  return false;
}

/* Function.fdiff(1): the derivative of fn at its argument x. */
static const sy_expr *fdiff(sy_ctx *ctx, const sy_expr *f) {
  const sy_expr *x = f->args[0];
  switch ((sy_fn)f->fn) {
    case SY_COS:
      return sy_neg(ctx, sy_func(ctx, SY_SIN, x));
    case SY_SIN:
      return sy_func(ctx, SY_COS, x);
    case SY_EXP:
      return f;
    case SY_LOG:
      return sy_pow(ctx, x, sy_integer(ctx, -1));
    case SY_TAN:
      return sy_add2(ctx, sy_integer(ctx, 1), sy_pow(ctx, f, sy_integer(ctx, 2)));
    default:
      return sy_fail(ctx, "NotImplementedError", "this derivative is outside the sympy subset of pyref");
  }
}

const sy_expr *sy_diff(sy_ctx *ctx, const sy_expr *e, const sy_expr *s) {
  if (ctx->failed || e == NULL) {
    return NULL;
  }
  if (!sy_has_symbol(e, s)) {
    return sy_integer(ctx, 0);
  }
  switch (e->kind) {
    case SY_SYM:
      return sy_integer(ctx, 1);
    case SY_ADD: {
      const sy_expr **terms = sy_alloc(ctx, e->n * sizeof *terms);
      if (terms == NULL) {
        return NULL;
      }
      for (size_t i = 0; i < e->n; i++) {
        if ((terms[i] = sy_diff(ctx, e->args[i], s)) == NULL) {
          return NULL;
        }
      }
      return sy_add(ctx, terms, e->n);
    }
    case SY_MUL: {
      /* Mul._eval_derivative: the product rule, each term multiplied up
       * pairwise from 1 as sympy's reduce does. */
      const sy_expr **terms = sy_alloc(ctx, e->n * sizeof *terms);
      if (terms == NULL) {
        return NULL;
      }
      size_t count = 0;
      for (size_t i = 0; i < e->n; i++) {
        const sy_expr *d = sy_diff(ctx, e->args[i], s);
        if (d == NULL) {
          return NULL;
        }
        if (sy_is_int(d, 0)) {
          continue;
        }
        const sy_expr *acc = sy_integer(ctx, 1);
        for (size_t j = 0; j < e->n && acc != NULL; j++) {
          acc = sy_mul2(ctx, acc, j == i ? d : e->args[j]);
        }
        if ((terms[count++] = acc) == NULL) {
          return NULL;
        }
      }
      return count == 0 ? sy_integer(ctx, 0) : sy_add(ctx, terms, count);
    }
    case SY_POW: {
      /* Pow._eval_derivative: self * (dexp*log(base) + dbase*exp/base). */
      const sy_expr *base = e->args[0], *exp = e->args[1];
      const sy_expr *dbase = sy_diff(ctx, base, s), *dexp = sy_diff(ctx, exp, s);
      if (dbase == NULL || dexp == NULL) {
        return NULL;
      }
      const sy_expr *left =
          sy_is_int(dexp, 0) ? dexp : sy_mul2(ctx, dexp, sy_func(ctx, SY_LOG, base));
      const sy_expr *right = sy_div(ctx, sy_mul2(ctx, dbase, exp), base);
      return sy_mul2(ctx, e, sy_add2(ctx, left, right));
    }
    case SY_FN: {
      /* Function._eval_derivative: the chain rule, fdiff * da. */
      const sy_expr *da = sy_diff(ctx, e->args[0], s);
      if (da == NULL) {
        return NULL;
      }
      return sy_mul2(ctx, fdiff(ctx, e), da);
    }
    default:
      return sy_integer(ctx, 0);
  }
}
