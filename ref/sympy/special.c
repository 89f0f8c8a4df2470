/*
 * The special Numbers in arithmetic (special.h). Numbers are folded as an
 * extended value: a finite Rational, oo, -oo, zoo or nan.
 */
#include "ref/sympy/special.h"

#include "ref/sympy/order.h"

#include <string.h>

#define OUTSIDE "is outside the sympy subset of pyref"

typedef enum xkind { X_FINITE, X_OO, X_NEG_OO, X_ZOO, X_NAN } xkind;

/* A Number of sympy's: q is meaningful for X_FINITE only. */
typedef struct xnum {
  xkind kind;
  mpq_t q;
} xnum;

static xkind kind_of_special(const sy_expr *e) {
  switch (e->fn) {
    case SY_OO:
      return X_OO;
    case SY_NEG_OO:
      return X_NEG_OO;
    case SY_ZOO:
      return X_ZOO;
    default:
      return X_NAN;
  }
}

static const sy_expr *xnum_expr(sy_ctx *ctx, const xnum *x) {
  static const int kConst[] = {0, SY_OO, SY_NEG_OO, SY_ZOO, SY_NAN};
  return x->kind == X_FINITE ? sy_number(ctx, x->q) : sy_const(ctx, kConst[x->kind]);
}

/* acc += e for a Number e (a Rational or a special). */
static void xadd(xnum *acc, const sy_expr *e) {
  if (e->kind == SY_NUM) {
    if (acc->kind == X_FINITE) {
      mpq_add(acc->q, acc->q, e->q);
    }
    return;
  }
  xkind k = kind_of_special(e);
  if (acc->kind == X_FINITE) {
    acc->kind = k;
  } else if (acc->kind == X_NAN || k == X_NAN || acc->kind == X_ZOO || k == X_ZOO ||
             acc->kind != k) {
    acc->kind = X_NAN; /* oo - oo, zoo + zoo, zoo + oo */
  }
}

/* acc *= e for a Number e. */
static void xmul(xnum *acc, const sy_expr *e) {
  xkind k = e->kind == SY_NUM ? X_FINITE : kind_of_special(e);
  if (acc->kind == X_NAN || k == X_NAN) {
    acc->kind = X_NAN;
    return;
  }
  if (k == X_FINITE) {
    if (acc->kind == X_FINITE) {
      mpq_mul(acc->q, acc->q, e->q);
    } else if (mpq_sgn(e->q) == 0) {
      acc->kind = X_NAN;
    } else if (mpq_sgn(e->q) < 0 && acc->kind != X_ZOO) {
      acc->kind = acc->kind == X_OO ? X_NEG_OO : X_OO;
    }
    return;
  }
  if (acc->kind == X_FINITE) {
    int sign = mpq_sgn(acc->q);
    if (sign == 0) {
      acc->kind = X_NAN;
    } else if (k == X_ZOO) {
      acc->kind = X_ZOO;
    } else {
      acc->kind = (sign > 0) == (k == X_OO) ? X_OO : X_NEG_OO;
    }
  } else if (acc->kind == X_ZOO || k == X_ZOO) {
    acc->kind = X_ZOO;
  } else {
    acc->kind = acc->kind == k ? X_OO : X_NEG_OO;
  }
}

/* Whether e is a real number expression (pi, sqrt(2), log(3)): is_real. */
static bool is_real_number(const sy_expr *e) {
  double v;
  return sy_is_number(e) && !e->has_i && !e->has_special && sy_real_value(e, &v);
}

/* The leaves of args, nested sums (or products) opened one level. */
static const sy_expr **leaves(sy_ctx *ctx, const sy_expr *const *args, size_t n, sy_kind kind,
                              size_t *count) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    total += args[i]->kind == kind ? args[i]->n : 1;
  }
  const sy_expr **out = sy_alloc(ctx, (total + 2) * sizeof *out);
  if (out == NULL) {
    return NULL;
  }
  *count = 0;
  for (size_t i = 0; i < n; i++) {
    if (args[i]->kind == kind) {
      for (size_t j = 0; j < args[i]->n; j++) {
        out[(*count)++] = args[i]->args[j];
      }
    } else {
      out[(*count)++] = args[i];
    }
  }
  return out;
}

static const sy_expr *outside(sy_ctx *ctx) {
  return sy_fail(ctx, "NotImplementedError", "this use of oo, zoo or nan " OUTSIDE);
}

/* The term without its coefficient: x*y for 2*x*y or oo*x*y. */
static const sy_expr *term_rest(sy_ctx *ctx, const sy_expr *t) {
  if (t->kind == SY_MUL && (t->args[0]->kind == SY_NUM || sy_is_special(t->args[0]))) {
    return sy_mul_unevaluated(ctx, t->args + 1, t->n - 1);
  }
  return t;
}

/* Whether t is zoo*x or its raw multiple k*zoo*x (which Add.flatten
 * builds when it collects zoo*x + zoo*x: zoo is no Number, so zoo*x is a
 * term of coefficient 1). */
static bool is_zoo_term(const sy_expr *t) {
  if (t->kind != SY_MUL) {
    return false;
  }
  size_t at = t->args[0]->kind == SY_NUM ? 1 : 0;
  return at < t->n && t->args[at]->kind == SY_CONST && t->args[at]->fn == SY_ZOO;
}

/* The Number coefficient Add.flatten collects t by (as_coeff_Mul) and the
 * rest: a Rational, oo or -oo; a zoo term's Rational multiplicity and the
 * zoo*x part. NULL when t cannot be collected here. */
static const sy_expr *collected_coeff(sy_ctx *ctx, const sy_expr *t, const sy_expr **rest) {
  if (is_zoo_term(t)) {
    if (t->args[0]->kind == SY_NUM) {
      *rest = sy_mul_unevaluated(ctx, t->args + 1, t->n - 1);
      return t->args[0];
    }
    *rest = t;
    return sy_integer(ctx, 1);
  }
  if (t->kind == SY_MUL && sy_is_special(t->args[0])) {
    if (t->args[0]->fn == SY_NAN) {
      return NULL;
    }
    *rest = term_rest(ctx, t);
    return t->args[0];
  }
  return sy_coeff_mul(ctx, t, rest);
}

/* rest times the collected coefficient c, as Add.flatten writes a
 * collected term: Mul(c, rest), raw for a zoo term (2*zoo*x). */
static const sy_expr *collected_term(sy_ctx *ctx, const xnum *c, const sy_expr *rest) {
  if (!is_zoo_term(rest)) {
    return sy_mul2(ctx, xnum_expr(ctx, c), rest);
  }
  if (mpq_cmp_ui(c->q, 1, 1) == 0) {
    return rest;
  }
  const sy_expr **raw = sy_alloc(ctx, (rest->n + 1) * sizeof *raw);
  if (raw == NULL) {
    return NULL;
  }
  raw[0] = sy_number(ctx, c->q);
  memcpy(raw + 1, rest->args, rest->n * sizeof *raw);
  return sy_mul_unevaluated(ctx, raw, rest->n + 1);
}

/* Add.flatten's collection of like terms when some coefficients are oo or
 * -oo or some terms are zoo*x: oo*x + x is oo*x, oo*x + 2*oo*x is oo*x,
 * zoo*x + zoo*x is 2*zoo*x, and oo*x - oo*x makes the whole sum nan
 * (returns 1; -1 on failure with ctx's error set). The collected terms
 * replace the scaled ones; plain terms that joined them are dropped. */
static int combine_like_terms(sy_ctx *ctx, const sy_expr **plain, size_t *nplain,
                              const sy_expr **scaled, size_t *nscaled) {
  for (size_t i = 0; i < *nscaled; i++) {
    const sy_expr *rest = NULL;
    const sy_expr *c = scaled[i] == NULL ? NULL : collected_coeff(ctx, scaled[i], &rest);
    if (c == NULL || rest == NULL) {
      continue;
    }
    xnum sum;
    sum.kind = X_FINITE;
    mpq_init(sum.q);
    xadd(&sum, c);
    bool merged = false;
    for (size_t j = 0; j < *nplain + *nscaled; j++) {
      const sy_expr **slot = j < *nplain ? &plain[j] : &scaled[j - *nplain];
      const sy_expr *other_rest = NULL;
      if (*slot == NULL || slot == &scaled[i]) {
        continue;
      }
      const sy_expr *other_c = collected_coeff(ctx, *slot, &other_rest);
      if (other_c != NULL && other_rest != NULL && sy_equal(rest, other_rest)) {
        xadd(&sum, other_c);
        *slot = NULL;
        merged = true;
      }
    }
    int status = 0;
    if (sum.kind == X_NAN) {
      status = 1;
    } else if (merged) {
      scaled[i] = collected_term(ctx, &sum, rest);
      status = scaled[i] == NULL ? -1 : 0;
    }
    mpq_clear(sum.q);
    if (status != 0 || ctx->failed) {
      return ctx->failed ? -1 : status;
    }
  }
  size_t kept = 0;
  for (size_t j = 0; j < *nplain; j++) {
    if (plain[j] != NULL) {
      plain[kept++] = plain[j];
    }
  }
  *nplain = kept;
  kept = 0;
  for (size_t j = 0; j < *nscaled; j++) {
    if (scaled[j] != NULL) {
      scaled[kept++] = scaled[j];
    }
  }
  *nscaled = kept;
  return 0;
}

const sy_expr *sy_add_special(sy_ctx *ctx, const sy_expr *const *args, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (args[i]->has_float) {
      return outside(ctx); /* Floats beside infinities are not followed */
    }
  }
  size_t count = 0;
  const sy_expr **terms = leaves(ctx, args, n, SY_ADD, &count);
  const sy_expr **plain = sy_alloc(ctx, (count + 2) * sizeof *plain);
  const sy_expr **scaled = sy_alloc(ctx, (count + 2) * sizeof *scaled);
  if (terms == NULL || plain == NULL || scaled == NULL) {
    return NULL;
  }
  xnum acc;
  acc.kind = X_FINITE;
  mpq_init(acc.q);
  size_t nplain = 0, nscaled = 0;
  const sy_expr *result = NULL;
  for (size_t i = 0; i < count; i++) {
    const sy_expr *t = terms[i];
    if (t->kind == SY_NUM || sy_is_special(t)) {
      xadd(&acc, t);
    } else if (!t->has_special) {
      plain[nplain++] = t;
    } else if ((t->kind == SY_MUL && sy_is_special(t->args[0]) &&
                !sy_mul_unevaluated(ctx, t->args + 1, t->n - 1)->has_special) ||
               (is_zoo_term(t) && t->args[0]->kind == SY_NUM &&
                !sy_mul_unevaluated(ctx, t->args + 2, t->n - 2)->has_special)) {
      scaled[nscaled++] = t; /* oo*x, 2*zoo*x: a term of its own */
    } else {
      outside(ctx);
      goto done;
    }
  }
  if (acc.kind == X_NAN) {
    result = sy_const(ctx, SY_NAN);
    goto done;
  }
  if (acc.kind != X_FINITE) {
    /* Add.flatten: oo absorbs the real numbers, zoo every finite number. */
    size_t kept = 0;
    for (size_t i = 0; i < nplain; i++) {
      bool absorbed = acc.kind == X_ZOO ? sy_is_number(plain[i]) : is_real_number(plain[i]);
      if (!absorbed) {
        plain[kept++] = plain[i];
      }
    }
    nplain = kept;
  } else if (mpq_sgn(acc.q) != 0) {
    plain[nplain++] = sy_number(ctx, acc.q);
  }
  if (combine_like_terms(ctx, plain, &nplain, scaled, &nscaled) != 0) {
    result = ctx->failed ? NULL : sy_const(ctx, SY_NAN);
    goto done;
  }
  const sy_expr *sum = nplain == 0 ? NULL : sy_add(ctx, plain, nplain);
  if (ctx->failed) {
    goto done;
  }
  size_t nout = 0;
  const sy_expr **out = sy_alloc(ctx, (count + 3) * sizeof *out);
  if (out == NULL) {
    goto done;
  }
  if (acc.kind != X_FINITE) {
    out[nout++] = xnum_expr(ctx, &acc);
  }
  if (sum != NULL && sum->kind == SY_ADD) {
    for (size_t i = 0; i < sum->n; i++) {
      out[nout++] = sum->args[i];
    }
  } else if (sum != NULL && !sy_is_int(sum, 0)) {
    out[nout++] = sum;
  }
  for (size_t i = 0; i < nscaled; i++) {
    out[nout++] = scaled[i];
  }
  if (nout == 0) {
    result = sy_integer(ctx, 0);
  } else {
    sy_sort_by_key(ctx, out, nout, true);
    result = sy_add_unevaluated(ctx, out, nout);
  }
done:
  mpq_clear(acc.q);
  return ctx->failed ? NULL : result;
}

const sy_expr *sy_mul_special(sy_ctx *ctx, const sy_expr *const *args, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (args[i]->has_float) {
      return outside(ctx); /* Floats beside infinities are not followed */
    }
  }
  size_t count = 0;
  const sy_expr **factors = leaves(ctx, args, n, SY_MUL, &count);
  const sy_expr **plain = sy_alloc(ctx, (count + 2) * sizeof *plain);
  if (factors == NULL || plain == NULL) {
    return NULL;
  }
  xnum acc;
  acc.kind = X_FINITE;
  mpq_init(acc.q);
  mpq_set_ui(acc.q, 1, 1);
  size_t nplain = 0;
  const sy_expr *result = NULL;
  for (size_t i = 0; i < count; i++) {
    const sy_expr *f = factors[i];
    if (f->kind == SY_NUM || sy_is_special(f)) {
      xmul(&acc, f);
    } else if (!f->has_special) {
      plain[nplain++] = f;
    } else {
      outside(ctx);
      goto done;
    }
  }
  const sy_expr *product = nplain == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, plain, nplain);
  if (product == NULL) {
    goto done;
  }
  const sy_expr *const *rest = &product;
  size_t nrest = 1;
  if (product->kind == SY_NUM) {
    xmul(&acc, product);
    nrest = 0;
  } else if (product->kind == SY_MUL) {
    rest = product->args;
    nrest = product->n;
    if (rest[0]->kind == SY_NUM) {
      xmul(&acc, rest[0]);
      rest++;
      nrest--;
    }
  }
  if (acc.kind == X_NAN || acc.kind == X_FINITE) {
    result = acc.kind == X_NAN ? sy_const(ctx, SY_NAN) : outside(ctx);
    goto done;
  }
  const sy_expr **out = sy_alloc(ctx, (nrest + 1) * sizeof *out);
  if (out == NULL) {
    goto done;
  }
  size_t nout = 1;
  for (size_t i = 0; i < nrest; i++) {
    const sy_expr *f = rest[i];
    if (acc.kind == X_ZOO && sy_is_number(f)) {
      continue; /* nonzero numbers do not change zoo */
    }
    if (acc.kind != X_ZOO && is_real_number(f)) {
      double v;
      sy_real_value(f, &v);
      if (v < 0) {
        acc.kind = acc.kind == X_OO ? X_NEG_OO : X_OO;
      }
      continue; /* _handle_for_oo: the sign moves into oo */
    }
    out[nout++] = f;
  }
  out[0] = xnum_expr(ctx, &acc);
  result = sy_mul_unevaluated(ctx, out, nout);
done:
  mpq_clear(acc.q);
  return ctx->failed ? NULL : result;
}

/* b**oo (toward = 1) or b**-oo (toward = -1) for a Rational b. */
static const sy_expr *rational_to_infinity(sy_ctx *ctx, mpq_srcptr b, int toward) {
  int vs_one = mpq_cmp_si(b, 1, 1);
  if (vs_one == 0 || mpq_cmp_si(b, -1, 1) == 0) {
    return sy_const(ctx, SY_NAN);
  }
  if (mpq_sgn(b) == 0) {
    return toward > 0 ? sy_integer(ctx, 0) : outside(ctx);
  }
  if (mpq_sgn(b) < 0) {
    /* (-2)**oo is zoo; bases between -1 and 0 are not followed. */
    return toward > 0 && mpq_cmp_si(b, -1, 1) < 0 ? sy_const(ctx, SY_ZOO) : outside(ctx);
  }
  bool grows = (vs_one > 0) == (toward > 0);
  return grows ? sy_const(ctx, SY_OO) : sy_integer(ctx, 0);
}

const sy_expr *sy_pow_special(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp) {
  if (sy_is_special(base) && exp->kind == SY_NUM) {
    int sign = mpq_sgn(exp->q);
    bool integer = mpz_cmp_ui(mpq_denref(exp->q), 1) == 0;
    switch (base->fn) {
      case SY_NAN:
        return base;
      case SY_OO:
        return sign > 0 ? base : sy_integer(ctx, 0);
      case SY_ZOO:
        return sign > 0 ? base : sy_integer(ctx, 0);
      default: /* -oo */
        if (sign < 0 && integer) {
          return sy_integer(ctx, 0);
        }
        if (!integer) {
          return outside(ctx);
        }
        return mpz_odd_p(mpq_numref(exp->q)) ? base : sy_const(ctx, SY_OO);
    }
  }
  if (base->kind == SY_NUM && sy_is_special(exp)) {
    switch (exp->fn) {
      case SY_NAN:
        return exp;
      case SY_OO:
        return rational_to_infinity(ctx, base->q, 1);
      case SY_NEG_OO:
        return rational_to_infinity(ctx, base->q, -1);
      default:
        return outside(ctx);
    }
  }
  if (sy_is_special(base) && base->fn == SY_OO && sy_is_special(exp) && exp->fn == SY_OO) {
    return base;
  }
  return outside(ctx);
}

const sy_expr *sy_func_special(sy_ctx *ctx, sy_fn fn, const sy_expr *arg) {
  if (!sy_is_special(arg) || arg->fn == SY_NAN) {
    return outside(ctx);
  }
  switch (fn) {
    case SY_EXP:
      return arg->fn == SY_OO       ? arg
             : arg->fn == SY_NEG_OO ? sy_integer(ctx, 0)
                                    : sy_const(ctx, SY_NAN);
    case SY_LOG:
      return arg->fn == SY_ZOO ? arg : sy_const(ctx, SY_OO);
    case SY_ABS:
      return sy_const(ctx, SY_OO);
    default:
      return outside(ctx); /* cos(oo) is AccumBounds(-1, 1) */
  }
}
