/* subs and diff (ops.h). */
#include "ref/sympy/ops.h"

#include <stdlib.h>

#include "ref/sympy/mpoly.h"

const sy_expr *sy_rebuild(sy_ctx *ctx, const sy_expr *e, const sy_expr *const *args) {
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

/* subs(x, number) on an expanded polynomial as a polynomial: the same
 * canonical sum as substituting term by term and adding up. NULL with
 * the error clear when e does not contain x (e stays as it is then). */
static const sy_expr *subs_polynomial(sy_ctx *ctx, const sy_expr *e, const sy_expr *x,
                                      const sy_expr *number) {
  sy_gens gens;
  if (sy_mpoly_collect_gens(ctx, &e, 1, &gens) != 1) {
    return NULL;
  }
  size_t var = 0;
  while (var < gens.count && !sy_equal(gens.items[var], x)) {
    var++;
  }
  if (var == gens.count) {
    return NULL;
  }
  for (size_t i = 0; i < gens.count; i++) {
    if (i != var && sy_has_symbol(gens.items[i], x)) {
      return NULL; /* x inside cos(x): the general path substitutes there too */
    }
  }
  sy_mpoly p, value;
  sy_mpoly_init(&p, gens.count);
  sy_mpoly_init(&value, gens.count);
  mpz_t den, scale;
  mpz_inits(den, scale, NULL);
  const sy_expr *result = NULL;
  if (sy_mpoly_from_expr(ctx, &gens, e, &p, den) == 0) {
    if (sy_mpoly_eval_at(&value, scale, &p, var, number->q) != 0) {
      sy_fail(ctx, "MemoryError", "%s", "");
    } else {
      mpz_mul(den, den, scale);
      result = sy_mpoly_to_expr(ctx, &gens, &value, den);
    }
  }
  mpz_clears(den, scale, NULL);
  sy_mpoly_clear(&p);
  sy_mpoly_clear(&value);
  return result;
}

const sy_expr *sy_subs(sy_ctx *ctx, const sy_expr *e, const sy_expr *old, const sy_expr *new_) {
  if (ctx->failed) {
    return NULL;
  }
  if (old->kind == SY_SYM && new_->kind == SY_NUM && sy_mpoly_is_monomial_sum(e)) {
    const sy_expr *result = subs_polynomial(ctx, e, old, new_);
    if (result != NULL || ctx->failed) {
      return result;
    }
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
  return changed ? sy_rebuild(ctx, e, args) : e;
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
      return sy_fail(ctx, "NotImplementedError",
                     "this derivative is outside the sympy subset of pyref");
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
      /* Mul._eval_derivative_n_times (which Derivative calls for a
       * product, n = 1): the Leibniz rule, each term one n-ary Mul of the
       * factors with one of them differentiated. */
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
        const sy_expr **factors = sy_alloc(ctx, e->n * sizeof *factors);
        if (factors == NULL) {
          return NULL;
        }
        for (size_t j = 0; j < e->n; j++) {
          factors[j] = j == i ? d : e->args[j];
        }
        if ((terms[count++] = sy_mul(ctx, factors, e->n)) == NULL) {
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
