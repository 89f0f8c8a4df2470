/* Numeric evaluation with MPFR and mpmath's decimal printing (evalf.h). */
#include "ref/sympy/evalf.h"

#include <math.h>
#include <mpfr.h>
#include <stdlib.h>
#include <string.h>

static bool tan_inside(const sy_expr *e);

/* Digits beyond this are refused rather than computed for minutes. */
enum { MAX_DIGITS = 10000 };

/* Evaluates e into out at out's precision. Returns false when the value is
 * not a finite real number (or the expression is outside the subset). */
static bool eval(const sy_expr *e, mpfr_t out) {
  mpfr_prec_t prec = mpfr_get_prec(out);
  switch (e->kind) {
    case SY_NUM:
      mpfr_set_q(out, e->q, MPFR_RNDN);
      return true;
    case SY_FLOAT:
      mpfr_set_d(out, e->f, MPFR_RNDN);
      return true;
    case SY_CONST:
      if (e->fn >= SY_I) {
        return false; /* complex values are outside the subset */
      }
      if (e->fn == SY_PI) {
        mpfr_const_pi(out, MPFR_RNDN);
      } else {
        mpfr_set_ui(out, 1, MPFR_RNDN);
        mpfr_exp(out, out, MPFR_RNDN);
      }
      return true;
    case SY_SYM:
      return false;
    case SY_ADD:
    case SY_MUL: {
      mpfr_t term;
      mpfr_init2(term, prec);
      mpfr_set_ui(out, e->kind == SY_ADD ? 0 : 1, MPFR_RNDN);
      bool ok = true;
      for (size_t i = 0; ok && i < e->n; i++) {
        ok = eval(e->args[i], term);
        if (e->kind == SY_ADD) {
          mpfr_add(out, out, term, MPFR_RNDN);
        } else {
          mpfr_mul(out, out, term, MPFR_RNDN);
        }
      }
      mpfr_clear(term);
      return ok && mpfr_number_p(out);
    }
    case SY_POW: {
      const sy_expr *exp = e->args[1];
      if (!eval(e->args[0], out)) {
        return false;
      }
      if (exp->kind == SY_NUM && mpz_cmp_ui(mpq_denref(exp->q), 1) == 0) {
        mpfr_pow_z(out, out, mpq_numref(exp->q), MPFR_RNDN);
        return mpfr_number_p(out);
      }
      if (mpfr_sgn(out) < 0) {
        return false; /* complex */
      }
      mpfr_t power;
      mpfr_init2(power, prec);
      bool ok = eval(exp, power);
      mpfr_pow(out, out, power, MPFR_RNDN);
      mpfr_clear(power);
      return ok && mpfr_number_p(out);
    }
    case SY_FN:
      if (!eval(e->args[0], out)) {
        return false;
      }
      switch ((sy_fn)e->fn) {
        case SY_COS:
          mpfr_cos(out, out, MPFR_RNDN);
          break;
        case SY_SIN:
          mpfr_sin(out, out, MPFR_RNDN);
          break;
        case SY_TAN:
          mpfr_tan(out, out, MPFR_RNDN);
          break;
        case SY_EXP:
          mpfr_exp(out, out, MPFR_RNDN);
          break;
        case SY_LOG:
          if (mpfr_sgn(out) <= 0) {
            return false;
          }
          mpfr_log(out, out, MPFR_RNDN);
          break;
        case SY_ABS:
          mpfr_abs(out, out, MPFR_RNDN);
          break;
        default:
          return false;
      }
      return mpfr_number_p(out);
  }
  return false;
}

/* mpmath's dps_to_prec and prec_to_dps. */
static long dps_to_prec(long n) {
  long p = lround((double)(n + 1) * 3.3219280948873626);
  return p < 1 ? 1 : p;
}

static long prec_to_dps(long prec) {
  long d = lround((double)prec / 3.3219280948873626) - 1;
  return d < 1 ? 1 : d;
}

/* mpmath's to_digits_exp(x, dps): the digits of |x| truncated toward zero
 * through a binary fixed-point of dps*log2(10) + 10 bits, and the decimal
 * exponent of the first digit. Returns a malloc'd string, or NULL. */
static char *digits_exp(const mpfr_t x, long dps, long *exponent) {
  mpz_t man, sf, scale;
  mpz_inits(man, sf, scale, NULL);
  mpfr_exp_t e2 = mpfr_get_z_2exp(man, x);
  mpz_abs(man, man);
  long exp = (long)e2, bc = (long)mpz_sizeinbase(man, 2);
  long bitprec = (long)((double)dps * log2(10.0)) + 10;
  long fixprec = bitprec - exp - bc > 0 ? bitprec - exp - bc : 0;
  long fixdps = (long)((double)fixprec / log2(10.0) + 0.5);
  long offset = exp + fixprec;
  if (offset >= 0) {
    mpz_mul_2exp(sf, man, (mp_bitcnt_t)offset);
  } else {
    mpz_fdiv_q_2exp(sf, man, (mp_bitcnt_t)-offset);
  }
  mpz_ui_pow_ui(scale, 10, (unsigned long)fixdps);
  mpz_mul(sf, sf, scale);
  mpz_fdiv_q_2exp(sf, sf, (mp_bitcnt_t)fixprec);
  char *digits = mpz_get_str(NULL, 10, sf);
  *exponent = (long)strlen(digits) - fixdps - 1;
  mpz_clears(man, sf, scale, NULL);
  return digits;
}

/* mpmath's to_str(x, dps, strip_zeros): round half up on the digit after
 * dps, fixed notation for exponents in (min(-(dps//3), -5), dps). */
static int format(const mpfr_t x, long dps, bool strip_zeros, pn_strbuf *out) {
  long exponent;
  char *raw = digits_exp(x, dps + 3, &exponent);
  size_t len = strlen(raw);
  char *digits = calloc((size_t)dps + len + 8, 1);
  if (digits == NULL) {
    return -1;
  }
  if ((long)len > dps && strchr("56789", raw[dps]) != NULL) {
    memcpy(digits, raw, (size_t)dps);
    long i = dps - 1;
    while (i >= 0 && digits[i] == '9') {
      i--;
    }
    if (i >= 0) {
      digits[i]++;
      memset(digits + i + 1, '0', (size_t)(dps - i - 1));
    } else {
      digits[0] = '1';
      memset(digits + 1, '0', (size_t)(dps - 1));
      exponent++;
    }
  } else {
    memcpy(digits, raw, len < (size_t)dps ? len : (size_t)dps);
  }
  void (*gmp_free)(void *, size_t);
  mp_get_memory_functions(NULL, NULL, &gmp_free);
  gmp_free(raw, len + 1);
  long min_fixed = -(dps / 3) < -5 ? -(dps / 3) : -5;
  size_t split = 1;
  pn_strbuf body = {0};
  if (min_fixed < exponent && exponent < dps) {
    if (exponent < 0) {
      for (long i = 0; i < -exponent; i++) {
        pn_strbuf_puts(&body, "0");
      }
      pn_strbuf_puts(&body, digits);
    } else {
      pn_strbuf_puts(&body, digits);
      split = (size_t)exponent + 1;
      while (body.len < split) {
        pn_strbuf_puts(&body, "0");
      }
    }
    exponent = 0;
  } else {
    pn_strbuf_puts(&body, digits);
  }
  free(digits);
  int status = 0;
  if (body.data == NULL) {
    return -1;
  }
  if (mpfr_sgn(x) < 0) {
    status |= pn_strbuf_puts(out, "-");
  }
  size_t end = body.len;
  while (strip_zeros && end > split + 1 && body.data[end - 1] == '0') {
    end--;
  }
  status |= pn_strbuf_append(out, body.data, split);
  status |= pn_strbuf_puts(out, ".");
  if (strip_zeros && body.len == split) {
    status |= pn_strbuf_puts(out, "0");
  }
  status |= pn_strbuf_append(out, body.data + split, end - split);
  if (exponent != 0) {
    status |= pn_strbuf_printf(out, exponent > 0 ? "e+%ld" : "e%ld", exponent);
  }
  pn_strbuf_free(&body);
  return status == 0 ? 0 : -1;
}

int sy_evalf(sy_ctx *ctx, const sy_expr *e, long digits, pn_strbuf *out) {
  if (digits < 1 || digits > MAX_DIGITS) {
    sy_fail(ctx, "NotImplementedError", "N with %ld digits is outside the sympy subset of pyref",
            digits);
    return -1;
  }
  if (sy_is_int(e, 0)) {
    return pn_strbuf_puts(out, "0") == 0 ? 0 : (sy_fail(ctx, "MemoryError", "%s", ""), -1);
  }
  long prec = dps_to_prec(digits);
  /* Two evaluations far apart in working precision must round alike:
   * otherwise a cancellation ate the digits and no answer is given. */
  mpfr_t a, b, ra, rb;
  mpfr_inits2(prec + 64, a, NULL);
  mpfr_inits2(2 * prec + 256, b, NULL);
  mpfr_inits2(prec, ra, rb, NULL);
  int status = -1;
  if (tan_inside(e) || !eval(e, a) || !eval(e, b)) {
    sy_fail(ctx, "NotImplementedError",
            "this numeric value (complex, undefined or with tan inside) is outside the sympy "
            "subset of pyref");
    goto done;
  }
  mpfr_set(ra, a, MPFR_RNDN);
  mpfr_set(rb, b, MPFR_RNDN);
  if (!mpfr_equal_p(ra, rb) || mpfr_zero_p(rb)) {
    sy_fail(ctx, "NotImplementedError",
            "a value this close to a cancellation is outside the sympy subset of pyref");
    goto done;
  }
  /* mpmath takes another path for binary exponents beyond 3500. */
  if (mpfr_get_exp(rb) > 3400 || mpfr_get_exp(rb) < -3400) {
    sy_fail(ctx, "NotImplementedError", "this magnitude is outside the sympy subset of pyref");
    goto done;
  }
  if (format(rb, prec_to_dps(prec), false, out) != 0) {
    sy_fail(ctx, "MemoryError", "%s", "");
    goto done;
  }
  status = 0;
done:
  mpfr_clears(a, b, ra, rb, NULL);
  return status;
}

int sy_float_str(double value, bool strip_zeros, pn_strbuf *out) {
  if (value == 0) {
    return pn_strbuf_puts(out, strip_zeros ? "0.0" : "0.e-19") == 0 ? 0 : -1;
  }
  mpfr_t x;
  mpfr_init2(x, 53);
  mpfr_set_d(x, value, MPFR_RNDN);
  int status = format(x, prec_to_dps(53), strip_zeros, out);
  mpfr_clear(x);
  return status;
}

/* Whether x (a high-precision value) lies within margin (a fraction of an
 * ulp) of a rounding boundary of its 53-bit rounding r: sympy's evalf at
 * 53 bits carries only a few guard bits through each operation (a sum's
 * terms at 63 bits, a power's base at 58), so its result may round the
 * other way there; pyref gives no answer rather than a guess. */
static bool near_rounding_boundary(const mpfr_t x, const mpfr_t r, double margin) {
  if (!mpfr_regular_p(r)) {
    return false; /* zero, inf or nan: the callers refuse those themselves */
  }
  mpfr_t distance, ulp;
  mpfr_inits2(mpfr_get_prec(x), distance, ulp, (mpfr_ptr)0);
  mpfr_sub(distance, x, r, MPFR_RNDN);
  mpfr_abs(distance, distance, MPFR_RNDN);
  /* half an ulp of r, less the margin */
  mpfr_set_ui_2exp(ulp, 1, mpfr_get_exp(r) - 53, MPFR_RNDN);
  mpfr_mul_d(ulp, ulp, 0.5 - margin, MPFR_RNDN);
  bool near = mpfr_cmp(distance, ulp) > 0;
  mpfr_clears(distance, ulp, (mpfr_ptr)0);
  return near;
}

/* Whether tan occurs below e's top: tan has no evalf routine of its own,
 * and inside a sum or product sympy's value of it can end a digit away
 * from the correctly rounded one (N(tan(1/2) - 1)). */
static bool is_tan(const sy_expr *e) {
  return e->kind == SY_FN && e->fn == SY_TAN;
}

static bool tan_inside(const sy_expr *e) {
  for (size_t i = 0; i < e->n; i++) {
    if (sy_any_node(e->args[i], is_tan)) {
      return true;
    }
  }
  return false;
}

/* Whether evalf rounds e correctly at any precision: a Rational, pi, E,
 * or the square root of a positive integer. */
static bool exact_atom(const sy_expr *e) {
  if (e->kind == SY_NUM || (e->kind == SY_CONST && (e->fn == SY_PI || e->fn == SY_E))) {
    return true;
  }
  return e->kind == SY_POW && e->args[0]->kind == SY_NUM &&
         mpz_cmp_ui(mpq_denref(e->args[0]->q), 1) == 0 && mpq_sgn(e->args[0]->q) > 0 &&
         e->args[1]->kind == SY_NUM && mpq_cmp_si(e->args[1]->q, 1, 2) == 0;
}

/* e's value rounded to 53 bits, when two evaluations far apart in working
 * precision agree on it (as sy_evalf checks), it is not near a rounding
 * boundary, and it is a nonzero finite real number. */
bool sy_float_value(const sy_expr *e, double *out) {
  mpfr_t a, b, r;
  mpfr_inits2(53 + 64, a, NULL);
  mpfr_inits2(2 * 53 + 256, b, NULL);
  mpfr_init2(r, 53);
  bool ok = !tan_inside(e) && eval(e, a) && eval(e, b);
  if (ok) {
    mpfr_set(r, a, MPFR_RNDN);
    /* Rationals, pi, E and square roots of integers evalf rounds exactly;
     * anything composite has its guard bits' error */
    ok = !near_rounding_boundary(b, r, exact_atom(e) ? 0 : 1.0 / 32);
    mpfr_set(a, b, MPFR_RNDN);
    mpfr_prec_round(a, 53, MPFR_RNDN);
    ok = ok && mpfr_equal_p(r, a) && !mpfr_zero_p(r) && mpfr_get_exp(r) < 1000 &&
         mpfr_get_exp(r) > -1000;
    *out = mpfr_get_d(r, MPFR_RNDN);
  }
  mpfr_clears(a, b, r, NULL);
  return ok;
}

static const sy_expr *evalf_outside(sy_ctx *ctx) {
  return sy_fail(ctx, "NotImplementedError",
                 "N of this expression is outside the sympy subset of pyref");
}

static const sy_expr *stepwise_float(sy_ctx *ctx, const sy_expr *e);

/* A number inside an expression with symbols as N evaluates it there:
 * Expr._evalf(53) of each atom (pi, E, a Rational: correctly rounded
 * Floats), then the Floats combined by Add, Mul and Pow at 53 bits, one
 * rounding per operation (1/(pi - sqrt(2)) is 1/(3.14159265358979 -
 * 1.4142135623731), not 1/(pi - sqrt(2)) rounded once). Functions of
 * numbers are refused. */
static const sy_expr *stepwise_float(sy_ctx *ctx, const sy_expr *e) {
  if (ctx->failed) {
    return NULL;
  }
  switch (e->kind) {
    case SY_NUM:
      return sy_float(ctx, sy_q_to_double(e->q));
    case SY_FLOAT:
      return e;
    case SY_CONST:
      if (e->fn == SY_PI || e->fn == SY_E) {
        double value;
        return sy_float_value(e, &value) ? sy_float(ctx, value) : evalf_outside(ctx);
      }
      return evalf_outside(ctx);
    case SY_ADD:
    case SY_MUL: {
      const sy_expr **args = sy_alloc(ctx, e->n * sizeof *args);
      for (size_t i = 0; args != NULL && i < e->n; i++) {
        if ((args[i] = stepwise_float(ctx, e->args[i])) == NULL) {
          return NULL;
        }
      }
      return args == NULL        ? NULL
             : e->kind == SY_ADD ? sy_add(ctx, args, e->n)
                                 : sy_mul(ctx, args, e->n);
    }
    case SY_POW: {
      /* Pow._eval_evalf: an Integer exponent stays, any other is a Float */
      const sy_expr *base = stepwise_float(ctx, e->args[0]);
      const sy_expr *exp = e->args[1];
      bool integer = exp->kind == SY_NUM && mpz_cmp_ui(mpq_denref(exp->q), 1) == 0;
      if (!integer) {
        exp = stepwise_float(ctx, exp);
      }
      return base == NULL || exp == NULL ? NULL : sy_pow(ctx, base, exp);
    }
    default:
      return evalf_outside(ctx);
  }
}

/* AssocOp._eval_evalf: the number arguments of a sum or product as one
 * Float, the others evaluated one by one. */
static const sy_expr *evalf_assoc(sy_ctx *ctx, const sy_expr *e) {
  if (e->kind == SY_MUL && sy_is_int(e->args[0], -1)) {
    /* Mul._eval_evalf keeps a -1 coefficient: N(-x) is -x. */
    const sy_expr *rest = sy_mul(ctx, e->args + 1, e->n - 1);
    return sy_neg(ctx, rest == NULL ? NULL : sy_evalf_expr(ctx, rest));
  }
  const sy_expr **numbers = sy_alloc(ctx, e->n * sizeof *numbers);
  const sy_expr **args = sy_alloc(ctx, (e->n + 1) * sizeof *args);
  if (numbers == NULL || args == NULL) {
    return NULL;
  }
  size_t nnumbers = 0, nargs = 0;
  for (size_t i = 0; i < e->n; i++) {
    if (sy_is_number(e->args[i])) {
      numbers[nnumbers++] = e->args[i];
    } else if ((args[nargs++] = sy_evalf_expr(ctx, e->args[i])) == NULL) {
      return NULL;
    }
  }
  if (nnumbers > 0) {
    const sy_expr *number =
        e->kind == SY_ADD ? sy_add(ctx, numbers, nnumbers) : sy_mul(ctx, numbers, nnumbers);
    if (number == NULL || (args[nargs++] = stepwise_float(ctx, number)) == NULL) {
      return NULL;
    }
  }
  return e->kind == SY_ADD ? sy_add(ctx, args, nargs) : sy_mul(ctx, args, nargs);
}

const sy_expr *sy_evalf_expr(sy_ctx *ctx, const sy_expr *e) {
  if (ctx->failed) {
    return NULL;
  }
  if (e->has_i || e->has_special) {
    return evalf_outside(ctx);
  }
  if (sy_is_number(e)) {
    double v;
    return sy_float_value(e, &v) ? sy_float(ctx, v) : evalf_outside(ctx);
  }
  switch (e->kind) {
    case SY_SYM:
      return e;
    case SY_ADD:
    case SY_MUL:
      return evalf_assoc(ctx, e);
    case SY_POW: {
      const sy_expr *exp = e->args[1];
      if (exp->kind != SY_NUM || mpz_cmp_ui(mpq_denref(exp->q), 1) != 0) {
        return evalf_outside(ctx); /* x**0.5: Float exponents */
      }
      return sy_pow(ctx, sy_evalf_expr(ctx, e->args[0]), exp);
    }
    default:
      return evalf_outside(ctx);
  }
}
