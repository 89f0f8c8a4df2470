/* Pow.__new__'s rules for symbolic and irrational exponents (powers.h),
 * each after the sympy 1.11 source it names. */
#include "ref/sympy/powers.h"

#include <math.h>

#define OUTSIDE_SUBSET "is outside the sympy subset of pyref"

/* A margin under which a value computed in doubles does not settle a sign
 * or a comparison: sympy's evalf would look closer. */
#define MARGIN 1e-9

/* What sympy's assumptions answer about an expression whose symbols have
 * none: its sign, that it is not real, that they know nothing
 * (is_extended_positive, is_extended_negative and is_extended_real all
 * None), or that pyref cannot tell. */
typedef enum sign { POSITIVE, NEGATIVE, NOT_REAL, NOTHING_KNOWN, UNSURE } sign;

/* Abs is the one function of the subset whose value is real whatever its
 * argument: below it, sympy's assumptions can know a sign that pyref does
 * not follow (cos, exp and log of a symbol are as unknown as the symbol). */
static bool is_abs_node(const sy_expr *e) {
  return e->kind == SY_FN && e->fn == SY_ABS;
}

static bool is_i(const sy_expr *e) {
  return e->kind == SY_CONST && e->fn == SY_I;
}

/* A real number's sign from its value, when the value is far enough from 0. */
static sign sign_of_value(const sy_expr *e) {
  double v;
  if (!sy_real_value(e, &v) || fabs(v) < MARGIN) {
    return UNSURE;
  }
  return v > 0 ? POSITIVE : NEGATIVE;
}

/* The imaginary part of a number written as a sum of real numbers and
 * real multiples of I (2 + I, I*pi, I + sqrt(2)*I), or false. */
static bool imaginary_part(const sy_expr *e, double *im) {
  const sy_expr *const *terms = e->kind == SY_ADD ? e->args : &e;
  size_t n = e->kind == SY_ADD ? e->n : 1;
  *im = 0;
  for (size_t i = 0; i < n; i++) {
    const sy_expr *t = terms[i];
    double v;
    if (!t->has_i) {
      if (!sy_real_value(t, &v)) {
        return false;
      }
      continue;
    }
    if (is_i(t)) {
      *im += 1;
      continue;
    }
    if (t->kind != SY_MUL) {
      return false;
    }
    double product = 1;
    size_t units = 0;
    for (size_t j = 0; j < t->n; j++) {
      if (is_i(t->args[j])) {
        units++;
      } else if (t->args[j]->has_i || !sy_real_value(t->args[j], &v)) {
        return false;
      } else {
        product *= v;
      }
    }
    if (units != 1) {
      return false;
    }
    *im += product;
  }
  return true;
}

/* The assumptions on e. A number is settled by its value, as sympy's
 * evalf-based sign of a number expression is; an expression with symbols
 * is unknown in sign and realness unless an Abs gives one of its parts a
 * known sign, which pyref does not follow. */
static sign sign_of(const sy_expr *e) {
  if (!sy_is_number(e)) {
    return sy_any_node(e, is_abs_node) ? UNSURE : NOTHING_KNOWN;
  }
  if (!e->has_i) {
    return sign_of_value(e);
  }
  double im;
  return imaginary_part(e, &im) && fabs(im) > MARGIN ? NOT_REAL : UNSURE;
}

static const sy_expr *refuse(sy_ctx *ctx, const char *what) {
  return sy_fail(ctx, "NotImplementedError", "%s " OUTSIDE_SUBSET, what);
}

/* Pow.as_base_exp of the power p: (1/q)**e is q**(-e). Returns b, or NULL
 * with ctx's error set. */
static const sy_expr *unit_fraction_power(sy_ctx *ctx, const sy_expr *p, const sy_expr **b,
                                          const sy_expr **e) {
  *b = p->args[0];
  *e = p->args[1];
  if ((*b)->kind == SY_NUM && mpz_cmp_ui(mpq_numref((*b)->q), 1) == 0 &&
      mpz_cmp_ui(mpq_denref((*b)->q), 1) != 0) {
    *b = sy_integer_z(ctx, mpq_denref((*b)->q));
    *e = sy_neg(ctx, *e);
  }
  return *b == NULL || *e == NULL ? NULL : *b;
}

/* ---- the base recognized as E ---- */

/* Whether f is log(base)**-1. */
static bool is_inverse_log(const sy_expr *f, const sy_expr *base) {
  return f->kind == SY_POW && sy_is_int(f->args[1], -1) && f->args[0]->kind == SY_FN &&
         f->args[0]->fn == SY_LOG && sy_equal(f->args[0]->args[0], base);
}

typedef struct log_scan {
  const sy_expr *base;
  bool has_log; /* log(base) occurs */
  bool has_add; /* a sum occurs */
} log_scan;

static void scan(const sy_expr *e, log_scan *s) {
  if (e->kind == SY_ADD) {
    s->has_add = true;
  }
  if (e->kind == SY_FN && e->fn == SY_LOG && sy_equal(e->args[0], s->base)) {
    s->has_log = true;
  }
  for (size_t i = 0; i < e->n && !(s->has_log && s->has_add); i++) {
    scan(e->args[i], s);
  }
}

/* Where fraction() (simplify/radsimp.py) puts a factor of a product with
 * no Number and no sum in it: the numerator, the denominator (a negative
 * exponent, exp(-x), x**(-y), (2/3)**(2*y) split by Pow.as_numer_denom),
 * or unsure. */
typedef enum side { NUMERATOR, DENOMINATOR, SIDE_UNSURE } side;

static side fraction_side(sy_ctx *ctx, const sy_expr *f) {
  bool is_exp = f->kind == SY_FN && f->fn == SY_EXP;
  if (f->kind != SY_POW && !is_exp) {
    return NUMERATOR;
  }
  /* term.as_base_exp(): (1/2)**y is 2**(-y), whose -y puts it below */
  const sy_expr *b = NULL, *t = f->args[0];
  if (!is_exp && unit_fraction_power(ctx, f, &b, &t) == NULL) {
    return SIDE_UNSURE;
  }
  if (t->kind == SY_NUM) {
    return mpq_sgn(t->q) > 0 ? NUMERATOR : DENOMINATOR;
  }
  if (sy_is_number(t)) {
    sign s = sign_of(t);
    return s == POSITIVE ? NUMERATOR : s == NEGATIVE ? DENOMINATOR : SIDE_UNSURE;
  }
  if (t->kind == SY_MUL) {
    /* exponent.is_Mul of unknown sign: as_numer_denom, which moves the
     * power down when the exponent could extract a minus sign */
    if (sy_could_extract_minus_sign(t)) {
      return DENOMINATOR;
    }
    if (is_exp || b->kind == SY_SYM || (b->kind == SY_CONST && b->fn != SY_I) ||
        (b->kind == SY_NUM && sy_is_integer(b) && mpq_sgn(b->q) > 0)) {
      return NUMERATOR;
    }
    if (b->kind == SY_NUM && mpq_sgn(b->q) > 0) {
      return DENOMINATOR; /* (2/3)**(2*y) is 2**(2*y)/3**(2*y) */
    }
    return SIDE_UNSURE;
  }
  return sy_any_node(t, is_abs_node) ? SIDE_UNSURE : NUMERATOR;
}

/* Pow.__new__'s "recognize base as E": c, ex = factor_terms(e,
 * sign=False).as_coeff_Mul(); num, den = fraction(ex); den == log(b) makes
 * b**e exp(c*num). factor_terms rewrites sums anywhere below (cos(2*y + 2)
 * becomes cos(2*(y + 1)), x/log(2) + y/log(2) becomes (x + y)/log(2)):
 * with a sum and log(b) in the exponent pyref refuses. */
static const sy_expr *base_as_e(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp) {
  if (exp->kind != SY_MUL && exp->kind != SY_POW && exp->kind != SY_ADD) {
    return NULL;
  }
  log_scan s = {base, false, false};
  scan(exp, &s);
  if (!s.has_log) {
    return NULL;
  }
  if (s.has_add) {
    return refuse(ctx, "this power with log of its base and a sum in its exponent");
  }
  if (exp->kind == SY_POW) {
    return is_inverse_log(exp, base) ? sy_const(ctx, SY_E) : NULL;
  }
  const sy_expr **num = sy_alloc(ctx, exp->n * sizeof *num);
  if (num == NULL) {
    return NULL;
  }
  size_t nnum = 0, logs = 0;
  bool unsure = false;
  for (size_t i = 0; i < exp->n; i++) {
    const sy_expr *f = exp->args[i];
    if (i == 0 && f->kind == SY_NUM) {
      num[nnum++] = f; /* c */
    } else if (is_inverse_log(f, base)) {
      logs++;
    } else {
      side where = fraction_side(ctx, f);
      if (where == DENOMINATOR) {
        return NULL; /* den is more than log(b) */
      }
      unsure |= where == SIDE_UNSURE;
      num[nnum++] = f;
    }
  }
  if (logs != 1) {
    return NULL;
  }
  if (unsure) {
    return refuse(ctx, "this power with log of its base in its exponent");
  }
  return sy_func(ctx, SY_EXP, nnum == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, num, nnum));
}

/* ---- Zero._eval_power ---- */

/* 0**e: 0 for a positive e, zoo for a negative one, nan for one that is
 * not real; otherwise the Number coefficient is dropped (0**(2*x) is
 * 0**x) and a negative one makes the base zoo (0**(-x) is zoo**x). */
static const sy_expr *zero_power(sy_ctx *ctx, const sy_expr *exp) {
  switch (sign_of(exp)) {
    case POSITIVE:
      return sy_integer(ctx, 0);
    case NEGATIVE:
      return sy_const(ctx, SY_ZOO);
    case NOT_REAL:
      return sy_const(ctx, SY_NAN);
    case UNSURE:
      return refuse(ctx, "this power of 0");
    case NOTHING_KNOWN:
      break;
  }
  const sy_expr *terms;
  const sy_expr *c = sy_coeff_mul(ctx, exp, &terms);
  if (c == NULL || terms == NULL) {
    return NULL;
  }
  if (mpq_sgn(c->q) < 0) {
    return sy_pow(ctx, sy_const(ctx, SY_ZOO), terms);
  }
  if (mpq_cmp_si(c->q, 1, 1) != 0) {
    return sy_pow(ctx, sy_integer(ctx, 0), terms);
  }
  return NULL;
}

/* ---- Pow._eval_power for a power of a power ---- */

/* (b**e)**other for an other that is no integer, after Pow._eval_power:
 * for a real e the exponents multiply (s = 1) when |e| < 1 or b is
 * nonnegative (a positive number, or Abs(u), which is extended_nonnegative:
 * (Abs(x)**3)**y is Abs(x)**(3*y)); an even e first makes a real b abs(b),
 * which pyref refuses for a negative b; re(b) >= 0 with |e| < 2 and the
 * _half(other) branch are what symbols without assumptions never meet, the
 * latter refused for numbers and for the Rationals p/2. other may be
 * complex: only _half looks at it ((sqrt(x))**I is x**(I/2)). exp(u)**other
 * is the same with b = E, e = u (exp._eval_power). An e with symbols is
 * real or not as nothing says: the power stays. This is pyref's one
 * Pow._eval_power for a power of a power whose exponent or other is no
 * Rational; expr.c's power_of_power keeps the Rational ones. */
static const sy_expr *power_of_power(sy_ctx *ctx, const sy_expr *base, const sy_expr *other) {
  bool is_exp = base->kind == SY_FN;
  const sy_expr *b = sy_const(ctx, SY_E), *e = base->args[0];
  if (!is_exp && unit_fraction_power(ctx, base, &b, &e) == NULL) {
    return NULL;
  }
  if (b == NULL || base->has_i) {
    return NULL; /* a complex base is refused by the caller */
  }
  double ev;
  if (e->kind == SY_NUM) {
    ev = mpq_get_d(e->q);
  } else if (!sy_is_number(e)) {
    return sy_any_node(e, is_abs_node) ? refuse(ctx, "this power of a power") : NULL;
  } else if (!sy_real_value(e, &ev) || fabs(fabs(ev) - 1) < MARGIN) {
    return refuse(ctx, "this power of a power");
  }
  bool half = other->kind == SY_NUM && mpz_cmp_ui(mpq_denref(other->q), 2) == 0;
  bool combine = fabs(ev) < 1;
  if (!combine) {
    sign bs = sy_is_number(b)               ? sign_of_value(b)
              : is_abs_node(b)              ? POSITIVE
              : sy_any_node(b, is_abs_node) ? UNSURE
                                            : NOTHING_KNOWN;
    bool even = e->kind == SY_NUM && sy_is_integer(e) && mpz_even_p(mpq_numref(e->q));
    if (bs == UNSURE || (bs == NEGATIVE && even) || (bs != POSITIVE && half)) {
      return refuse(ctx, "this power of a power");
    }
    combine = bs == POSITIVE;
  }
  if (!combine) {
    return NULL;
  }
  const sy_expr *product = sy_mul2(ctx, e, other);
  return is_exp ? sy_func(ctx, SY_EXP, product) : sy_pow(ctx, b, product);
}

const sy_expr *sy_pow_symbolic(sy_ctx *ctx, const sy_expr *base, const sy_expr *exp) {
  if (ctx->failed) {
    return NULL;
  }
  if (exp->kind != SY_NUM && !(base->kind == SY_CONST && base->fn == SY_E)) {
    const sy_expr *value = base_as_e(ctx, base, exp);
    if (value != NULL || ctx->failed) {
      return value;
    }
  }
  if (exp->kind != SY_NUM && sy_is_int(base, 0)) {
    return zero_power(ctx, exp);
  }
  bool is_pow = base->kind == SY_POW && (exp->kind != SY_NUM || base->args[1]->kind != SY_NUM);
  bool is_exp = base->kind == SY_FN && base->fn == SY_EXP;
  if ((is_pow || is_exp) && !(exp->kind == SY_NUM && sy_is_integer(exp))) {
    return power_of_power(ctx, base, exp);
  }
  return NULL;
}
