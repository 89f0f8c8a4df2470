/* expand and its hints (expand.h), after Expr.expand, Expr._expand_hint
 * and the _eval_expand_* methods of sympy/core/{mul,power}.py and
 * sympy/functions/elementary/exponential.py. */
#include "ref/sympy/expand.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ref/sympy/mpoly.h"
#include "ref/sympy/ops.h"

/* A hint and its forced form (force=True) are separate hints, each with
 * its bit in a node's expand_clean. */
typedef enum hint {
  H_LOG,
  H_MULTINOMIAL,
  H_POWER_BASE,
  H_POWER_EXP,
  H_MUL,
  H_LOG_FORCE,
  H_POWER_BASE_FORCE
} hint;

/* Sums of more terms than this from one product are refused. */
#define MAX_PRODUCT_TERMS 4e6

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
  if ((double)na * (double)nb > MAX_PRODUCT_TERMS) {
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

static const sy_expr *rational(sy_ctx *ctx, const mpz_t p, const mpz_t q) {
  mpq_t r;
  mpq_init(r);
  mpz_set(mpq_numref(r), p);
  mpz_set(mpq_denref(r), q);
  mpq_canonicalize(r);
  const sy_expr *e = sy_number(ctx, r);
  mpq_clear(r);
  return e;
}

/* A sum of Rational multiples of products of symbol powers is as
 * expanded as it gets for every hint: mark it and its terms so, so that
 * expand's further passes over a large result cost nothing. */
static void mark_clean_if_symbols(const sy_expr *e, const sy_gens *gens) {
  for (size_t i = 0; i < gens->count; i++) {
    if (gens->items[i]->kind != SY_SYM) {
      return;
    }
  }
  if (e != NULL) {
    ((sy_expr *)e)->expand_clean = 0xff;
    for (size_t i = 0; e->kind == SY_ADD && i < e->n; i++) {
      ((sy_expr *)e->args[i])->expand_clean = 0xff;
    }
  }
}

/* (sum)**n through the polynomial power; NULL with the error set, or
 * with it clear when the sum is no polynomial after all. */
static const sy_expr *polynomial_power(sy_ctx *ctx, const sy_expr *sum, unsigned long n) {
  sy_gens gens;
  if (sy_mpoly_collect_gens(ctx, &sum, 1, &gens) != 1) {
    return NULL;
  }
  sy_mpoly base, power;
  sy_mpoly_init(&base, gens.count);
  sy_mpoly_init(&power, gens.count);
  mpz_t den;
  mpz_init(den);
  const sy_expr *result = NULL;
  if (sy_mpoly_from_expr(ctx, &gens, sum, &base, den) == 0) {
    if (sy_mpoly_pow(&power, &base, n) != 0) {
      sy_fail(ctx, "MemoryError", "%s", "");
    } else {
      mpz_pow_ui(den, den, n);
      result = sy_mpoly_to_expr(ctx, &gens, &power, den);
      mark_clean_if_symbols(result, &gens);
    }
  }
  mpz_clear(den);
  sy_mpoly_clear(&base);
  sy_mpoly_clear(&power);
  return result;
}

/* Pow._eval_expand_multinomial. */
static const sy_expr *expand_multinomial(sy_ctx *ctx, const sy_expr *e) {
  if (e->kind != SY_POW || e->args[0]->kind != SY_ADD || e->args[1]->kind != SY_NUM) {
    return e;
  }
  const sy_expr *base = e->args[0];
  mpq_srcptr exp = e->args[1]->q;
  if (mpq_sgn(exp) > 0) {
    mpz_t n, rest;
    mpz_inits(n, rest, NULL);
    mpz_fdiv_qr(n, rest, mpq_numref(exp), mpq_denref(exp));
    const sy_expr *result = e;
    if (mpz_sgn(n) == 0) {
      /* a root of a sum stays */
    } else if (mpz_cmp_ui(n, 1000) > 0) {
      result = sy_fail(ctx, "MemoryError", "%s", "");
    } else if (mpz_sgn(rest) == 0 && sy_mpoly_is_monomial_sum(base) &&
               ((result = polynomial_power(ctx, base, mpz_get_ui(n))) != NULL || ctx->failed)) {
      /* the polynomial fast path answered */
    } else {
      long count = mpz_get_si(n);
      const sy_expr *power = base;
      for (long i = 1; i < count && power != NULL; i++) {
        power = multiply_out(ctx, power, base);
      }
      if (mpz_sgn(rest) == 0 || power == NULL) {
        result = power;
      } else {
        /* (a + b)**(n + r) -> terms of (a + b)**n times (a + b)**r. */
        const sy_expr *radical = sy_pow(ctx, base, rational(ctx, rest, mpq_denref(exp)));
        size_t nt;
        const sy_expr *const *terms = terms_of(&power, &nt);
        const sy_expr **scaled = sy_alloc(ctx, nt * sizeof *scaled);
        for (size_t i = 0; scaled != NULL && i < nt; i++) {
          scaled[i] = sy_mul2(ctx, terms[i], radical);
        }
        result = scaled == NULL || ctx->failed ? NULL : sy_add(ctx, scaled, nt);
      }
    }
    mpz_clears(n, rest, NULL);
    return result;
  }
  if (mpz_cmpabs(mpq_numref(exp), mpq_denref(exp)) > 0) {
    const sy_expr *positive = sy_pow(ctx, base, sy_neg(ctx, e->args[1]));
    const sy_expr *expanded = positive == NULL ? NULL : expand_multinomial(ctx, positive);
    return sy_pow(ctx, expanded, sy_integer(ctx, -1));
  }
  return e;
}

/* The sign sympy's assumptions give a factor: 1 positive, -1 negative, 0
 * unknown (a symbol, or anything holding one). Numbers other than
 * Rationals are judged by their value. */
static int known_sign(sy_ctx *ctx, const sy_expr *f) {
  if (f->kind == SY_NUM) {
    return mpq_sgn(f->q);
  }
  if (f->kind == SY_CONST) {
    return f->fn >= SY_I ? 0 : 1;
  }
  double v;
  if (!sy_is_number(f)) {
    return 0;
  }
  if (!sy_real_value(f, &v) || (v < 1e-9 && v > -1e-9)) {
    sy_fail(ctx, "NotImplementedError",
            "the sign of this number is outside the sympy subset of pyref");
    return 0;
  }
  return v > 0 ? 1 : -1;
}

/* radsimp.fraction(e): the numerator and denominator factors of a product. */
#define OUTSIDE "is outside the sympy subset of pyref"

/* The sign sympy's assumptions give an exponent that is no Rational: that
 * of a real number's value (1 - pi is negative), 0 for one with symbols or
 * I; the error set where a value is too near 0 to tell. */
static int number_sign(sy_ctx *ctx, const sy_expr *x) {
  double v;
  if (!sy_is_number(x) || x->has_i) {
    return 0;
  }
  if (!sy_real_value(x, &v) || fabs(v) < 1e-9) {
    sy_fail(ctx, "NotImplementedError", "expand of this power " OUTSIDE);
    return 0;
  }
  return v > 0 ? 1 : -1;
}

static void fraction(sy_ctx *ctx, const sy_expr *e, const sy_expr **numer, const sy_expr **denom) {
  size_t n = e->kind == SY_MUL ? e->n : 1;
  const sy_expr *const *factors = e->kind == SY_MUL ? e->args : &e;
  const sy_expr **num = sy_alloc(ctx, (n + 1) * sizeof *num);
  const sy_expr **den = sy_alloc(ctx, (n + 1) * sizeof *den);
  size_t nn = 0, nd = 0;
  for (size_t i = 0; num != NULL && den != NULL && i < n; i++) {
    const sy_expr *t = factors[i];
    bool is_exp = t->kind == SY_FN && t->fn == SY_EXP;
    if (t->kind == SY_POW || is_exp) {
      const sy_expr *b = is_exp ? sy_const(ctx, SY_E) : t->args[0];
      const sy_expr *x = is_exp ? t->args[0] : t->args[1];
      if (b->kind == SY_NUM && mpz_cmp_ui(mpq_numref(b->q), 1) == 0 &&
          mpz_cmp_ui(mpq_denref(b->q), 1) != 0) {
        /* Pow.as_base_exp: (1/q)**x is q**(-x) */
        b = rational(ctx, mpq_denref(b->q), mpq_denref(sy_integer(ctx, 1)->q));
        x = sy_neg(ctx, x);
        if (b == NULL || x == NULL) {
          break;
        }
      }
      int sign = x->kind == SY_NUM ? mpq_sgn(x->q) : number_sign(ctx, x);
      if (sign < 0) {
        den[nd++] = sy_is_int(x, -1) ? b : sy_pow(ctx, b, sy_neg(ctx, x));
      } else if (sign > 0 || x->kind != SY_MUL) {
        num[nn++] = t;
      } else if (b->kind == SY_NUM && mpz_cmp_ui(mpq_denref(b->q), 1) != 0) {
        /* Pow.as_numer_denom splits a Rational base: (2/3)**(2*y) is
         * 2**(2*y)/3**(2*y), with -x when x could extract a minus sign */
        bool minus = sy_could_extract_minus_sign(x);
        const sy_expr *p = rational(ctx, mpq_numref(b->q), mpq_denref(sy_integer(ctx, 1)->q));
        const sy_expr *q = rational(ctx, mpq_denref(b->q), mpq_denref(sy_integer(ctx, 1)->q));
        const sy_expr *k = minus ? sy_neg(ctx, x) : x;
        num[nn++] = sy_pow(ctx, minus ? q : p, k);
        den[nd++] = sy_pow(ctx, minus ? p : q, k);
      } else if (sy_could_extract_minus_sign(x)) {
        /* Pow.as_numer_denom and ExpBase.as_numer_denom */
        den[nd++] = sy_pow(ctx, b, sy_neg(ctx, x));
      } else if (b->kind == SY_SYM || b->kind == SY_NUM || b->kind == SY_CONST ||
                 b->kind == SY_FN) {
        num[nn++] = t;
      } else {
        /* the base's own as_numer_denom may split it: not followed */
        sy_fail(ctx, "NotImplementedError", "expand of this power " OUTSIDE);
        break;
      }
    } else if (t->kind == SY_NUM && mpz_cmp_ui(mpq_denref(t->q), 1) != 0) {
      if (mpz_cmp_ui(mpq_numref(t->q), 1) != 0) {
        num[nn++] = rational(ctx, mpq_numref(t->q), mpq_denref(sy_integer(ctx, 1)->q));
      }
      den[nd++] = rational(ctx, mpq_denref(t->q), mpq_denref(sy_integer(ctx, 1)->q));
    } else {
      num[nn++] = t;
    }
  }
  *numer = num == NULL || ctx->failed ? NULL : nn == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, num, nn);
  *denom = den == NULL || ctx->failed ? NULL : nd == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, den, nd);
}

/* Whether fraction() leaves the product whole: no factor a sum, none in
 * the denominator but a Rational coefficient's own. Then n/d rebuilds the
 * product as it was and there is nothing to multiply out. */
static bool is_plain_product(const sy_expr *e) {
  for (size_t i = 0; i < e->n; i++) {
    const sy_expr *t = e->args[i];
    if (t->kind == SY_ADD || (t->kind == SY_FN && t->fn == SY_EXP)) {
      return false;
    }
    if (t->kind == SY_POW) {
      const sy_expr *x = t->args[1];
      if (x->kind != SY_NUM || mpq_sgn(x->q) < 0) {
        return false;
      }
    }
  }
  return true;
}

/* Mul._eval_expand_mul: over the fraction's parts, then the sums among
 * the factors multiplied out. */
static const sy_expr *expand_mul(sy_ctx *ctx, const sy_expr *e) {
  if (e->kind != SY_MUL || is_plain_product(e)) {
    return e;
  }
  const sy_expr *n, *d;
  fraction(ctx, e, &n, &d);
  if (n == NULL || d == NULL) {
    return NULL;
  }
  if (d->kind == SY_MUL) {
    n = n->kind == SY_MUL ? expand_mul(ctx, n) : n;
    d = expand_mul(ctx, d);
  }
  const sy_expr *expr = sy_div(ctx, n, d);
  if (expr == NULL || expr->kind != SY_MUL) {
    return expr;
  }
  const sy_expr **plain = sy_alloc(ctx, expr->n * sizeof *plain);
  if (plain == NULL) {
    return NULL;
  }
  size_t np = 0;
  const sy_expr *product = NULL;
  for (size_t i = 0; i < expr->n; i++) {
    const sy_expr *f = expr->args[i];
    if (f->kind == SY_ADD) {
      product = product == NULL ? f : multiply_out(ctx, product, f);
      if (product == NULL) {
        return NULL;
      }
    } else {
      plain[np++] = f;
    }
  }
  if (product == NULL) {
    return expr;
  }
  const sy_expr *rest = np == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, plain, np);
  size_t nt;
  const sy_expr *const *terms = terms_of(&product, &nt);
  const sy_expr **out = sy_alloc(ctx, nt * sizeof *out);
  for (size_t i = 0; out != NULL && i < nt; i++) {
    out[i] = sy_mul2(ctx, rest, terms[i]);
  }
  return out == NULL || ctx->failed ? NULL : sy_add(ctx, out, nt);
}

/* Pow and exp's _eval_expand_power_exp: a sum in the exponent split. */
static const sy_expr *expand_power_exp(sy_ctx *ctx, const sy_expr *e) {
  bool is_exp = e->kind == SY_FN && e->fn == SY_EXP;
  const sy_expr *x = is_exp ? e->args[0] : e->kind == SY_POW ? e->args[1] : NULL;
  if (x == NULL || x->kind != SY_ADD) {
    return e;
  }
  const sy_expr **factors = sy_alloc(ctx, x->n * sizeof *factors);
  for (size_t i = 0; factors != NULL && i < x->n; i++) {
    factors[i] = is_exp ? sy_func(ctx, SY_EXP, x->args[i]) : sy_pow(ctx, e->args[0], x->args[i]);
  }
  return factors == NULL || ctx->failed ? NULL : sy_mul(ctx, factors, x->n);
}

/* Pow._eval_expand_power_base with force, for a product of factors with
 * no numbers, I or powers in them and an exponent that is no number:
 * every factor its own power ((x*y)**z is x**z*y**z). Others are refused. */
static const sy_expr *expand_power_base_forced(sy_ctx *ctx, const sy_expr *e) {
  if (e->kind != SY_POW || e->args[0]->kind != SY_MUL) {
    return e;
  }
  const sy_expr *base = e->args[0], *exp = e->args[1];
  bool plain = !sy_is_number(exp) && !exp->has_i;
  for (size_t i = 0; plain && i < base->n; i++) {
    const sy_expr *f = base->args[i];
    plain = !sy_is_number(f) && !f->has_i && !f->has_special && !f->has_float && f->kind != SY_POW;
  }
  if (!plain) {
    return sy_fail(ctx, "NotImplementedError",
                   "expand_power_base with force of this power is outside the sympy subset of "
                   "pyref");
  }
  const sy_expr **factors = sy_alloc(ctx, base->n * sizeof *factors);
  for (size_t i = 0; factors != NULL && i < base->n; i++) {
    factors[i] = sy_pow(ctx, base->args[i], exp);
  }
  return factors == NULL || ctx->failed ? NULL : sy_mul(ctx, factors, base->n);
}

/* Pow._eval_expand_power_base without force, for the powers of products
 * construction leaves (exponents that are not Rationals): nonnegative
 * factors come out, a negative coefficient -c leaves c outside and -1
 * inside. */
static const sy_expr *expand_power_base(sy_ctx *ctx, const sy_expr *e) {
  if (e->kind != SY_POW || e->args[0]->kind != SY_MUL || e->args[1]->kind == SY_NUM) {
    return e;
  }
  const sy_expr *base = e->args[0], *exp = e->args[1];
  const sy_expr **outside = sy_alloc(ctx, (base->n + 2) * sizeof *outside);
  const sy_expr **inside = sy_alloc(ctx, (base->n + 2) * sizeof *inside);
  if (outside == NULL || inside == NULL) {
    return NULL;
  }
  size_t nout = 0, nin = 0;
  const sy_expr *negative = NULL;
  for (size_t i = 0; i < base->n; i++) {
    const sy_expr *f = base->args[i];
    int sign = known_sign(ctx, f);
    if (ctx->failed) {
      return NULL;
    }
    if (sign > 0) {
      outside[nout++] = sy_pow(ctx, f, exp);
    } else if (sign < 0) {
      negative = f;
    } else {
      inside[nin++] = f;
    }
  }
  if (negative != NULL) {
    if (nin > 0 && negative->kind == SY_NUM && !sy_is_int(negative, -1)) {
      inside[nin++] = sy_integer(ctx, -1);
      outside[nout++] = sy_pow(ctx, sy_neg(ctx, negative), exp);
    } else {
      inside[nin++] = negative;
    }
  }
  if (nout == 0) {
    return e;
  }
  if (nin > 0) {
    const sy_expr *rest = sy_mul(ctx, inside, nin);
    /* Pow(Mul(*other), e, evaluate=False) */
    outside[nout++] = rest == NULL ? NULL : sy_pow(ctx, rest, exp);
  }
  return ctx->failed ? NULL : sy_mul(ctx, outside, nout);
}

/* sympy.ntheory.perfect_power(n): n = b**k with k as large as possible,
 * for n >= 2; false when n is no perfect power. */
static bool perfect_power(const mpz_t n, mpz_t b, unsigned long *k) {
  mpz_t root;
  mpz_init(root);
  bool found = false;
  for (unsigned long e = mpz_sizeinbase(n, 2); e >= 2 && !found; e--) {
    if (mpz_root(root, n, e) != 0) {
      mpz_set(b, root);
      *k = e;
      found = true;
    }
  }
  mpz_clear(root);
  return found;
}

static const sy_expr *expand_log_node(sy_ctx *ctx, const sy_expr *e, bool force);

/* log(x), expanded again when it stays a log. */
static const sy_expr *log_expanded(sy_ctx *ctx, const sy_expr *x, bool force) {
  const sy_expr *a = sy_func(ctx, SY_LOG, x);
  return a != NULL && a->kind == SY_FN && a->fn == SY_LOG ? expand_log_node(ctx, a, force) : a;
}

static bool is_abs(const sy_expr *e) {
  return e->kind == SY_FN && e->fn == SY_ABS;
}

/* log._eval_expand_log, with or without force. Forced, every factor of a
 * product and every power comes out (log(x**y) is y*log(x), log(exp(x))
 * is x); negative numbers and I, whose logs are complex, are refused
 * there. */
static const sy_expr *expand_log_node(sy_ctx *ctx, const sy_expr *e, bool force) {
  if (e->kind != SY_FN || e->fn != SY_LOG) {
    return e;
  }
  const sy_expr *arg = e->args[0];
  if (force &&
      (arg->kind == SY_MUL || arg->kind == SY_POW || (arg->kind == SY_FN && arg->fn == SY_EXP))) {
    const sy_expr *const *parts = arg->kind == SY_MUL ? arg->args : &arg;
    for (size_t i = 0; i < (arg->kind == SY_MUL ? arg->n : 1); i++) {
      if (parts[i]->has_i || parts[i]->has_special || parts[i]->has_float ||
          (sy_is_number(parts[i]) && known_sign(ctx, parts[i]) <= 0)) {
        return ctx->failed ? NULL
                           : sy_fail(ctx, "NotImplementedError",
                                     "expand_log with force of this product is outside the "
                                     "sympy subset of pyref");
      }
    }
    if (arg->kind == SY_FN) {
      return arg->args[0]; /* log(E)*x */
    }
    if (arg->kind == SY_POW) {
      return sy_mul2(ctx, arg->args[1], log_expanded(ctx, arg->args[0], true));
    }
    const sy_expr **terms = sy_alloc(ctx, arg->n * sizeof *terms);
    for (size_t i = 0; terms != NULL && i < arg->n; i++) {
      terms[i] = log_expanded(ctx, arg->args[i], true);
    }
    return terms == NULL || ctx->failed ? NULL : sy_add(ctx, terms, arg->n);
  }
  if (arg->kind == SY_NUM && mpz_cmp_ui(mpq_denref(arg->q), 1) == 0) {
    if (mpz_sizeinbase(mpq_numref(arg->q), 2) > 256 || mpz_sgn(mpq_numref(arg->q)) <= 0) {
      return mpz_sgn(mpq_numref(arg->q)) <= 0
                 ? e
                 : sy_fail(ctx, "NotImplementedError",
                           "perfect powers this large are outside the sympy subset of pyref");
    }
    mpz_t b;
    mpz_init(b);
    unsigned long k;
    const sy_expr *result = e;
    if (perfect_power(mpq_numref(arg->q), b, &k)) {
      mpq_t q;
      mpq_init(q);
      mpq_set_z(q, b);
      result = sy_mul2(ctx, sy_integer(ctx, (long)k), sy_func(ctx, SY_LOG, sy_number(ctx, q)));
      mpq_clear(q);
    }
    mpz_clear(b);
    return result;
  }
  if (arg->kind == SY_NUM) {
    mpq_t p, q;
    mpq_inits(p, q, NULL);
    mpq_set_z(p, mpq_numref(arg->q));
    mpq_set_z(q, mpq_denref(arg->q));
    const sy_expr *result = sy_sub(ctx, sy_func(ctx, SY_LOG, sy_number(ctx, p)),
                                   sy_func(ctx, SY_LOG, sy_number(ctx, q)));
    mpq_clears(p, q, NULL);
    return result;
  }
  if (arg->kind == SY_MUL) {
    const sy_expr **terms = sy_alloc(ctx, (arg->n + 1) * sizeof *terms);
    const sy_expr **nonpos = sy_alloc(ctx, (arg->n + 1) * sizeof *nonpos);
    if (terms == NULL || nonpos == NULL) {
      return NULL;
    }
    size_t nt = 0, nn = 0;
    for (size_t i = 0; i < arg->n; i++) {
      const sy_expr *x = arg->args[i];
      int sign = known_sign(ctx, x);
      if (ctx->failed) {
        return NULL;
      }
      if (sign > 0) {
        terms[nt++] = log_expanded(ctx, x, force);
      } else if (sign < 0) {
        terms[nt++] = sy_func(ctx, SY_LOG, sy_neg(ctx, x));
        nonpos[nn++] = sy_integer(ctx, -1);
      } else {
        nonpos[nn++] = x;
      }
    }
    const sy_expr *known = nt == 0 ? sy_integer(ctx, 0) : sy_add(ctx, terms, nt);
    const sy_expr *rest = nn == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, nonpos, nn);
    return sy_add2(ctx, known, sy_func(ctx, SY_LOG, rest));
  }
  if (arg->kind == SY_POW) {
    const sy_expr *b = arg->args[0], *x = arg->args[1];
    double v = 0;
    if (x->kind != SY_NUM && !sy_is_number(x)) {
      /* arg.exp.is_extended_real: None for symbols, unless an Abs */
      return sy_any_node(x, is_abs)
                 ? sy_fail(ctx, "NotImplementedError", "expand_log of this power " OUTSIDE)
                 : e;
    }
    if (x->kind != SY_NUM && (x->has_i || !sy_real_value(x, &v))) {
      return x->has_i ? e
                      : sy_fail(ctx, "NotImplementedError", "expand_log of this power " OUTSIDE);
    }
    if (x->kind != SY_NUM && (fabs(v - 1) < 1e-9 || fabs(v + 1) < 1e-9)) {
      return sy_fail(ctx, "NotImplementedError", "expand_log of this power " OUTSIDE);
    }
    bool base_positive = known_sign(ctx, b) > 0;
    if (ctx->failed) {
      return NULL;
    }
    bool near_one = x->kind == SY_NUM ? mpq_cmp_si(x->q, -1, 1) > 0 && mpq_cmp_si(x->q, 1, 1) <= 0
                                      : v > -1 && v < 1;
    if (base_positive || near_one) {
      return sy_mul2(ctx, x, log_expanded(ctx, b, force));
    }
  }
  return e;
}

static const sy_expr *apply_node(sy_ctx *ctx, const sy_expr *e, hint h) {
  switch (h) {
    case H_LOG:
      return expand_log_node(ctx, e, false);
    case H_LOG_FORCE:
      return expand_log_node(ctx, e, true);
    case H_POWER_BASE_FORCE:
      return expand_power_base_forced(ctx, e);
    case H_MULTINOMIAL:
      return expand_multinomial(ctx, e);
    case H_POWER_BASE:
      return expand_power_base(ctx, e);
    case H_POWER_EXP:
      return expand_power_exp(ctx, e);
    case H_MUL:
      return expand_mul(ctx, e);
  }
  return e;
}

/* Expr._expand_hint: the hint applied to the arguments first (deep), the
 * node rebuilt when one changed, then the node's own method. */
static const sy_expr *apply(sy_ctx *ctx, const sy_expr *e, hint h, bool deep, bool *hit) {
  *hit = false;
  if (ctx->failed || e == NULL) {
    return NULL;
  }
  if (deep && (e->expand_clean & (1u << h))) {
    return e;
  }
  const sy_expr *original = e;
  if (deep && e->n > 0) {
    /* the args are copied only once one of them changes */
    const sy_expr **args = NULL;
    for (size_t i = 0; i < e->n; i++) {
      bool arg_hit;
      const sy_expr *arg = apply(ctx, e->args[i], h, true, &arg_hit);
      if (arg == NULL) {
        return NULL;
      }
      if (arg_hit && args == NULL) {
        if ((args = sy_alloc(ctx, e->n * sizeof *args)) == NULL) {
          return NULL;
        }
        memcpy(args, e->args, e->n * sizeof *args);
      }
      if (args != NULL) {
        args[i] = arg;
      }
      *hit |= arg_hit;
    }
    if (*hit && (e = sy_rebuild(ctx, e, args)) == NULL) {
      return NULL;
    }
  }
  const sy_expr *n = apply_node(ctx, e, h);
  if (n == NULL) {
    return NULL;
  }
  if (!sy_equal(n, e)) {
    *hit = true;
    return n;
  }
  if (deep && !*hit) {
    ((sy_expr *)original)->expand_clean |= (uint8_t)(1u << h);
  }
  return e;
}

const sy_expr *sy_expand_with(sy_ctx *ctx, const sy_expr *e, const sy_hints *hints) {
  /* The hints in sorted order, mul sorted as "mulz" (after multinomial,
   * before power_base). */
  const struct {
    bool on;
    hint h;
  } order[] = {{hints->log, hints->force ? H_LOG_FORCE : H_LOG},
               {hints->multinomial, H_MULTINOMIAL},
               {hints->mul, H_MUL},
               {hints->power_base, hints->force ? H_POWER_BASE_FORCE : H_POWER_BASE},
               {hints->power_exp, H_POWER_EXP}};
  bool hit;
  for (size_t i = 0; i < sizeof order / sizeof order[0] && e != NULL; i++) {
    if (order[i].on) {
      e = apply(ctx, e, order[i].h, hints->deep, &hit);
    }
  }
  for (int round = 0; e != NULL; round++) {
    if (round == 100) {
      return sy_fail(ctx, "NotImplementedError",
                     "an expansion this long is outside the sympy subset of pyref");
    }
    const sy_expr *was = e;
    if (hints->multinomial) {
      e = apply(ctx, e, H_MULTINOMIAL, hints->deep, &hit);
    }
    if (hints->mul) {
      e = apply(ctx, e, H_MUL, hints->deep, &hit);
    }
    if (hints->log) {
      e = apply(ctx, e, hints->force ? H_LOG_FORCE : H_LOG, hints->deep, &hit);
    }
    if (e != NULL && sy_equal(e, was)) {
      break;
    }
  }
  return ctx->failed ? NULL : e;
}

const sy_expr *sy_expand(sy_ctx *ctx, const sy_expr *e) {
  const sy_hints all = {true, true, true, true, true, true, false};
  return sy_expand_with(ctx, e, &all);
}
