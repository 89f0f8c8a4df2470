/* The functions' eval (functions.h): cos, sin and tan (with trig.h's
 * rules at multiples of pi), exp, log and Abs, and the special Numbers as
 * arguments (special.h). */
#include "ref/sympy/functions.h"

#include "ref/sympy/order.h"
#include "ref/sympy/special.h"
#include "ref/sympy/trig.h"

#define OUTSIDE_SUBSET "is outside the sympy subset of pyref"

/* could_extract_minus_sign with sympy's tie rule for sums: the sort key of
 * e against that of -e. */
static bool minus_sign(sy_ctx *ctx, const sy_expr *e) {
  if (e->kind != SY_ADD) {
    return sy_could_extract_minus_sign(e);
  }
  size_t negative = 0;
  for (size_t i = 0; i < e->n; i++) {
    negative += sy_could_extract_minus_sign(e->args[i]);
  }
  if (2 * negative != e->n) {
    return 2 * negative > e->n;
  }
  const sy_expr *negated = sy_neg(ctx, e);
  return negated != NULL && sy_sort_key_cmp(ctx, e, negated) < 0;
}

/* cos, sin or tan of arg once its sign is settled: trig.h's rules for pi,
 * or the function unevaluated. */
static const sy_expr *trig(sy_ctx *ctx, sy_fn fn, const sy_expr *arg) {
  bool done;
  const sy_expr *value = sy_trig_eval(ctx, fn, arg, &done);
  if (done || ctx->failed) {
    return value;
  }
  return sy_func_unevaluated(ctx, fn, arg);
}

static const sy_expr *abs_eval(sy_ctx *ctx, const sy_expr *arg);

/* A Rational that is no integer. */
static bool is_fraction(const sy_expr *e) {
  return e->kind == SY_NUM && mpz_cmp_ui(mpq_denref(e->q), 1) != 0;
}

/* Abs(u), or a power of one. */
static bool is_abs_factor(const sy_expr *e) {
  const sy_expr *b = e->kind == SY_POW ? e->args[0] : e;
  return b->kind == SY_FN && b->fn == SY_ABS;
}

/* Abs.eval's first split: when the denominator of arg (as_numer_denom:
 * negative powers and a Rational's denominator) has symbols and the
 * numerator has none, Abs(n)/Abs(d): Abs(1/(pi*y)) is 1/(pi*Abs(y)).
 * NULL with the error clear when the rule does not apply. */
static const sy_expr *abs_of_fraction(sy_ctx *ctx, const sy_expr *arg) {
  const sy_expr *const *factors = arg->kind == SY_MUL ? arg->args : &arg;
  size_t n = arg->kind == SY_MUL ? arg->n : 1;
  const sy_expr **num = sy_alloc(ctx, (n + 1) * sizeof *num);
  const sy_expr **den = sy_alloc(ctx, (n + 1) * sizeof *den);
  if (num == NULL || den == NULL) {
    return NULL;
  }
  size_t nn = 0, nd = 0;
  bool den_has_symbols = false, num_has_symbols = false;
  for (size_t i = 0; i < n; i++) {
    const sy_expr *f = factors[i];
    if (f->kind == SY_POW && f->args[1]->kind == SY_NUM && mpq_sgn(f->args[1]->q) < 0) {
      const sy_expr *d = sy_pow(ctx, f->args[0], sy_neg(ctx, f->args[1]));
      if (d == NULL) {
        return NULL;
      }
      den[nd++] = d;
      den_has_symbols |= !sy_is_number(d);
    } else if (f->kind == SY_NUM && mpz_cmp_ui(mpq_denref(f->q), 1) != 0) {
      num[nn++] = sy_integer_z(ctx, mpq_numref(f->q));
      den[nd++] = sy_integer_z(ctx, mpq_denref(f->q));
    } else if (f->kind == SY_FN && f->fn == SY_EXP) {
      return NULL; /* exp(-x) is a denominator too: not followed */
    } else {
      num[nn++] = f;
      num_has_symbols |= !sy_is_number(f);
    }
  }
  if (!den_has_symbols || num_has_symbols || ctx->failed) {
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    const sy_expr *f = factors[i]->kind == SY_POW ? factors[i]->args[0] : factors[i];
    if (f->kind == SY_ADD && sy_any_node(f, is_fraction)) {
      /* as_numer_denom clears a sum's fractions: Abs(1/(y - 2/3)) is
       * 3/Abs(3*y - 2); not followed */
      return sy_fail(ctx, "NotImplementedError",
                     "Abs of a fraction over this sum is outside the sympy subset of pyref");
    }
  }
  const sy_expr *numerator = nn == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, num, nn);
  const sy_expr *denominator = sy_mul(ctx, den, nd);
  if (numerator == NULL || denominator == NULL) {
    return NULL;
  }
  return sy_div(ctx, abs_eval(ctx, numerator), abs_eval(ctx, denominator));
}

/* Abs.eval of one factor of a product: the evaluated Abs, or NULL (no
 * error) when it stays an Abs. */
static const sy_expr *abs_factor(sy_ctx *ctx, const sy_expr *t) {
  if (t->kind == SY_POW && t->args[1]->kind == SY_NUM && mpq_sgn(t->args[1]->q) < 0 &&
      sy_is_integer(t->args[1])) {
    const sy_expr *b = abs_eval(ctx, t->args[0]);
    if (b == NULL || (b->kind == SY_FN && b->fn == SY_ABS)) {
      return NULL;
    }
    return sy_pow(ctx, b, t->args[1]);
  }
  const sy_expr *a = abs_eval(ctx, t);
  return a == NULL || (a->kind == SY_FN && a->fn == SY_ABS) ? NULL : a;
}

/* Abs.eval for the subset: products split into the factors whose Abs is
 * known and an unevaluated Abs of the rest; numbers by their sign; Abs of
 * an Abs is itself; symbols, sums and powers of them stay Abs(...). */
static const sy_expr *abs_eval(sy_ctx *ctx, const sy_expr *arg) {
  if (ctx->failed) {
    return NULL;
  }
  const sy_expr *split = abs_of_fraction(ctx, arg);
  if (split != NULL || ctx->failed) {
    return split;
  }
  if (arg->kind == SY_ADD && !sy_is_number(arg) && minus_sign(ctx, arg)) {
    /* signsimp: Abs(2 - x) is Abs(x - 2) */
    arg = sy_neg(ctx, arg);
    return arg == NULL ? NULL : sy_func_unevaluated(ctx, SY_ABS, arg);
  }
  if (arg->kind == SY_MUL) {
    /* signsimp inside a product: Abs(x*(2 - y)) is Abs(x*(y - 2)) */
    for (size_t i = 0; i < arg->n; i++) {
      const sy_expr *f = arg->args[i];
      const sy_expr *inner = f->kind == SY_POW ? f->args[0] : f;
      if (inner->kind == SY_ADD && !sy_is_number(inner) && minus_sign(ctx, inner)) {
        return sy_fail(ctx, "NotImplementedError",
                       "Abs of a product with this sum is outside the sympy subset of pyref");
      }
    }
  }
  if (arg->kind == SY_MUL) {
    for (size_t i = 0; i < arg->n; i++) {
      if (is_abs_factor(arg->args[i])) {
        /* Abs.eval puts Abs(u) among the unknown factors and evaluates
         * Abs of their product again; not followed */
        return sy_fail(ctx, "NotImplementedError",
                       "Abs of a product with an Abs is outside the sympy subset of pyref");
      }
    }
    const sy_expr **known = sy_alloc(ctx, arg->n * sizeof *known);
    const sy_expr **unknown = sy_alloc(ctx, arg->n * sizeof *unknown);
    if (known == NULL || unknown == NULL) {
      return NULL;
    }
    size_t nk = 0, nu = 0;
    for (size_t i = 0; i < arg->n; i++) {
      const sy_expr *a = abs_factor(ctx, arg->args[i]);
      if (ctx->failed) {
        return NULL;
      }
      if (a != NULL) {
        known[nk++] = a;
      } else {
        unknown[nu++] = arg->args[i];
      }
    }
    const sy_expr *k = nk == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, known, nk);
    if (nu == 0) {
      return k;
    }
    const sy_expr *rest = sy_mul(ctx, unknown, nu);
    if (rest == NULL) {
      return NULL;
    }
    return sy_mul2(ctx, k, sy_func_unevaluated(ctx, SY_ABS, rest));
  }
  if (sy_is_number(arg)) {
    if (arg->kind == SY_NUM) {
      if (mpq_sgn(arg->q) >= 0) {
        return arg;
      }
      return sy_neg(ctx, arg);
    }
    double v;
    if (!sy_real_value(arg, &v) || (v < 1e-9 && v > -1e-9)) {
      return sy_fail(ctx, "NotImplementedError",
                     "Abs of this number is outside the sympy subset of pyref");
    }
    return v > 0 ? arg : sy_neg(ctx, arg);
  }
  if (arg->kind == SY_FN && arg->fn == SY_ABS) {
    return arg;
  }
  if (arg->kind == SY_POW && is_abs_factor(arg)) {
    /* Abs(u) is extended_nonnegative: Abs(Abs(u)**e) is Abs(u)**re(e),
     * which is the power itself for a real number e (Abs(sqrt(Abs(y))) is
     * sqrt(Abs(y))); re(e) of a symbolic e is not followed */
    double v;
    if (!sy_is_number(arg->args[1]) || arg->args[1]->has_i || !sy_real_value(arg->args[1], &v)) {
      return sy_fail(ctx, "NotImplementedError",
                     "Abs of this power of an Abs is outside the sympy subset of pyref");
    }
    return arg;
  }
  bool stays =
      arg->kind == SY_SYM || arg->kind == SY_ADD ||
      (arg->kind == SY_POW && !(arg->args[1]->kind == SY_NUM && mpq_sgn(arg->args[1]->q) < 0)) ||
      (arg->kind == SY_FN && arg->fn != SY_EXP);
  if (!stays) {
    return sy_fail(ctx, "NotImplementedError",
                   "Abs of this expression is outside the sympy subset of pyref");
  }
  return sy_func_unevaluated(ctx, SY_ABS, arg);
}

/* exp(c*I*pi) for a Rational c, as exp.eval has it: 1, -1, I or -I when
 * 2*c is an integer, else c brought into (-1, 1] (exp(7*I*pi/3) is
 * exp(I*pi/3)). NULL with the error clear for any other argument. */
static const sy_expr *exp_of_i_pi(sy_ctx *ctx, const sy_expr *arg) {
  if (arg->kind != SY_MUL) {
    return NULL;
  }
  mpq_srcptr c = NULL;
  bool has_i = false, has_pi = false;
  for (size_t k = 0; k < arg->n; k++) {
    const sy_expr *f = arg->args[k];
    if (k == 0 && f->kind == SY_NUM) {
      c = f->q;
    } else if (f->kind == SY_CONST && f->fn == SY_I && !has_i) {
      has_i = true;
    } else if (f->kind == SY_CONST && f->fn == SY_PI && !has_pi) {
      has_pi = true;
    } else {
      return NULL;
    }
  }
  if (!has_i || !has_pi) {
    return NULL;
  }
  mpq_t coeff, twice;
  mpq_inits(coeff, twice, (mpq_ptr)0);
  if (c != NULL) {
    mpq_set(coeff, c);
  } else {
    mpq_set_ui(coeff, 1, 1);
  }
  mpq_add(twice, coeff, coeff);
  const sy_expr *result = NULL;
  if (mpz_cmp_ui(mpq_denref(twice), 1) == 0) {
    /* k = 2c: c even (k = 0 mod 4) is 1, c odd (2) is -1, c + 1/2 even (3)
     * is -I and c + 1/2 odd (1) is I */
    unsigned long k = mpz_fdiv_ui(mpq_numref(twice), 4);
    const sy_expr *i = sy_const(ctx, SY_I);
    result = k == 0   ? sy_integer(ctx, 1)
             : k == 2 ? sy_integer(ctx, -1)
             : k == 1 ? i
                      : sy_neg(ctx, i);
  } else {
    /* ncoeff = c % 2, then minus 2 when above 1 */
    mpq_t two, reduced;
    mpq_inits(two, reduced, (mpq_ptr)0);
    mpq_set_ui(two, 2, 1);
    sy_rational_mod(reduced, coeff, two);
    if (mpq_cmp_ui(reduced, 1, 1) > 0) {
      mpq_sub(reduced, reduced, two);
    }
    if (mpq_equal(reduced, coeff)) {
      result = sy_func_unevaluated(ctx, SY_EXP, arg);
    } else {
      const sy_expr *factors[3] = {sy_number(ctx, reduced), sy_const(ctx, SY_I),
                                   sy_const(ctx, SY_PI)};
      result = sy_func(ctx, SY_EXP, sy_mul(ctx, factors, 3));
    }
    mpq_clears(two, reduced, (mpq_ptr)0);
  }
  mpq_clears(coeff, twice, (mpq_ptr)0);
  return result;
}

/* Whether e is a negative Rational times positive constants (E, pi, and
 * powers of them and of positive Rationals): negative by the assumptions
 * alone, without evaluating it. */
static bool obviously_negative(const sy_expr *e) {
  if (e->kind != SY_MUL || e->args[0]->kind != SY_NUM || mpq_sgn(e->args[0]->q) >= 0) {
    return false;
  }
  for (size_t i = 1; i < e->n; i++) {
    const sy_expr *f = e->args[i];
    const sy_expr *b = f->kind == SY_POW && f->args[1]->kind == SY_NUM ? f->args[0] : f;
    bool positive = (b->kind == SY_CONST && (b->fn == SY_E || b->fn == SY_PI)) ||
                    (b->kind == SY_NUM && mpq_sgn(b->q) > 0);
    if (!positive) {
      return false;
    }
  }
  return true;
}

/* exp.eval's single log factor: exp(c*log(y)) is y**c when every other
 * factor of the product is a real number (comparable): exp(2*log(x)) is
 * x**2, exp(3*log(2)) is 8, exp(x*log(2)) stays. NULL with the error clear
 * when the rule does not apply. */
static const sy_expr *exp_of_log_multiple(sy_ctx *ctx, const sy_expr *arg) {
  const sy_expr *log_arg = NULL;
  const sy_expr **coeffs = sy_alloc(ctx, arg->n * sizeof *coeffs);
  if (coeffs == NULL) {
    return NULL;
  }
  size_t ncoeffs = 0;
  for (size_t i = 0; i < arg->n; i++) {
    const sy_expr *f = arg->args[i];
    double value;
    if (f->kind == SY_FN && f->fn == SY_LOG) {
      if (log_arg != NULL) {
        return NULL;
      }
      log_arg = f->args[0];
    } else if (f->kind == SY_NUM || (sy_is_number(f) && !f->has_i && sy_real_value(f, &value))) {
      coeffs[ncoeffs++] = f;
    } else {
      return NULL;
    }
  }
  if (log_arg == NULL) {
    return NULL;
  }
  return sy_pow(ctx, log_arg, ncoeffs == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, coeffs, ncoeffs));
}

/* exp.eval of a sum: the terms whose exp evaluates (log(y), c*log(y),
 * I*pi) come out as factors, the rest stays in one exp left unevaluated:
 * exp(x + log(y)) is y*exp(x), exp(log(x) - 1) is x*exp(-1). NULL with the
 * error clear when no term comes out. */
static const sy_expr *exp_of_sum(sy_ctx *ctx, const sy_expr *arg) {
  const sy_expr **out = sy_alloc(ctx, (arg->n + 1) * sizeof *out);
  const sy_expr **kept = sy_alloc(ctx, arg->n * sizeof *kept);
  if (out == NULL || kept == NULL) {
    return NULL;
  }
  size_t nout = 0, nkept = 0;
  for (size_t i = 0; i < arg->n; i++) {
    const sy_expr *a = arg->args[i];
    const sy_expr *value = NULL;
    if (a->kind == SY_FLOAT) {
      /* exp(1.0 + x) is 2.71828182845905*exp(x): exp of a Float is refused */
      return sy_fail(ctx, "NotImplementedError", "exp of a Float " OUTSIDE_SUBSET);
    }
    if (a->kind == SY_FN && a->fn == SY_LOG) {
      value = a->args[0];
    } else if (a->kind == SY_MUL) {
      value = a->has_i ? exp_of_i_pi(ctx, a) : exp_of_log_multiple(ctx, a);
    }
    if (ctx->failed) {
      return NULL;
    }
    if (value != NULL && !(value->kind == SY_FN && value->fn == SY_EXP)) {
      out[nout++] = value;
    } else if (value != NULL) {
      return NULL; /* exp(x + 7*I*pi/3): an argument that changes is not followed */
    } else {
      kept[nkept++] = a;
    }
  }
  if (nout == 0) {
    return NULL;
  }
  if (nkept > 0) {
    const sy_expr *rest = sy_add(ctx, kept, nkept);
    if (rest == NULL || rest->has_i) {
      return rest == NULL
                 ? NULL
                 : sy_fail(ctx, "NotImplementedError", "exp of a complex argument " OUTSIDE_SUBSET);
    }
    /* cls(Add(*add), evaluate=False) */
    out[nout++] = sy_func_unevaluated(ctx, SY_EXP, rest);
  }
  return sy_mul(ctx, out, nout);
}

const sy_expr *sy_eval_function(sy_ctx *ctx, sy_fn fn, const sy_expr *arg) {
  if (ctx->failed || arg == NULL) {
    return NULL;
  }
  if (fn == SY_EXP && sy_has_imaginary(arg)) {
    const sy_expr *value = exp_of_i_pi(ctx, arg);
    if (value != NULL || ctx->failed) {
      return value;
    }
  }
  if (fn == SY_EXP && !arg->has_special && (!arg->has_float || arg->kind == SY_ADD)) {
    const sy_expr *value = arg->kind == SY_MUL   ? exp_of_log_multiple(ctx, arg)
                           : arg->kind == SY_ADD ? exp_of_sum(ctx, arg)
                                                 : NULL;
    if (value != NULL || ctx->failed) {
      return value;
    }
  }
  if (sy_has_imaginary(arg)) {
    /* cos(I*x) is cosh(x): functions sympy rewrites. */
    return sy_fail(ctx, "NotImplementedError",
                   "%s of a complex argument is outside the sympy subset of pyref", sy_fn_name(fn));
  }
  if (arg->has_special) {
    return sy_func_special(ctx, fn, arg);
  }
  if (arg->has_float && sy_is_number(arg) &&
      !((fn == SY_COS || fn == SY_SIN || fn == SY_TAN) && sy_trig_float_pi(arg))) {
    return sy_fail(ctx, "NotImplementedError", "%s of a Float " OUTSIDE_SUBSET, sy_fn_name(fn));
  }
  switch (fn) {
    case SY_COS:
      if (sy_is_int(arg, 0)) {
        return sy_integer(ctx, 1);
      }
      if (minus_sign(ctx, arg)) {
        return sy_func(ctx, fn, sy_neg(ctx, arg));
      }
      return trig(ctx, fn, arg);
    case SY_SIN:
    case SY_TAN:
      if (sy_is_int(arg, 0)) {
        return arg;
      }
      if (minus_sign(ctx, arg)) {
        return sy_neg(ctx, sy_func(ctx, fn, sy_neg(ctx, arg)));
      }
      return trig(ctx, fn, arg);
    case SY_ABS:
      return abs_eval(ctx, arg);
    case SY_EXP:
      if (sy_is_int(arg, 0)) {
        return sy_integer(ctx, 1);
      }
      if (sy_is_int(arg, 1)) {
        return sy_const(ctx, SY_E);
      }
      if (arg->kind == SY_FN && arg->fn == SY_LOG) {
        return arg->args[0];
      }
      break;
    case SY_LOG:
      if (sy_is_int(arg, 1)) {
        return sy_integer(ctx, 0);
      }
      if (arg->kind == SY_CONST && arg->fn == SY_E) {
        return sy_integer(ctx, 1);
      }
      if (arg->kind == SY_FN && arg->fn == SY_EXP && sy_is_number(arg->args[0])) {
        /* log(exp(a)) is a for a real a */
        double v;
        if (sy_real_value(arg->args[0], &v)) {
          return arg->args[0];
        }
      }
      if (sy_is_int(arg, 0)) {
        return sy_const(ctx, SY_ZOO);
      }
      if (sy_is_number(arg) && !arg->has_i) {
        /* log.eval: a negative number is log(-arg) + I*pi, when the sign is
         * known from assumptions: a negative Rational, or one times E, pi
         * and their powers (sympy leaves log(tan(E)) alone, tan(E) < 0) */
        double v;
        bool negative =
            arg->kind == SY_NUM ? mpq_sgn(arg->q) < 0 : sy_real_value(arg, &v) && v < -1e-9;
        if (arg->kind != SY_NUM && !sy_real_value(arg, &v)) {
          return sy_fail(ctx, "NotImplementedError", "log of this number " OUTSIDE_SUBSET);
        }
        if (negative && arg->kind != SY_NUM && !obviously_negative(arg)) {
          return sy_fail(ctx, "NotImplementedError", "log of this number " OUTSIDE_SUBSET);
        }
        if (negative) {
          const sy_expr *i_pi[2] = {sy_const(ctx, SY_I), sy_const(ctx, SY_PI)};
          return sy_add2(ctx, sy_func(ctx, SY_LOG, sy_neg(ctx, arg)), sy_mul(ctx, i_pi, 2));
        }
        if (arg->kind != SY_NUM && v < 1e-9) {
          return sy_fail(ctx, "NotImplementedError", "log of this number " OUTSIDE_SUBSET);
        }
      }
      if (arg->kind == SY_NUM && mpz_cmp_ui(mpq_numref(arg->q), 1) == 0) {
        return sy_neg(ctx, sy_func(ctx, fn, sy_integer_z(ctx, mpq_denref(arg->q))));
      }
      break;
    default:
      break;
  }
  return sy_func_unevaluated(ctx, fn, arg);
}
