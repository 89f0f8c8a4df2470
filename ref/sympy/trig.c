/* cos, sin and tan where pi is involved (trig.h), following the eval
 * methods of sympy 1.11 branch by branch: each recursive call builds the
 * argument as sympy does (coefficient times pi, evaluated) and asks
 * sy_func again, so that whatever sympy leaves unevaluated stays so. */
#include "ref/sympy/trig.h"

#include <gmp.h>
#include <math.h>

#define OUTSIDE_SUBSET "is outside the sympy subset of pyref"

static const sy_expr *rational(sy_ctx *ctx, long p, long q) {
  mpq_t r;
  mpq_init(r);
  mpq_set_si(r, p, (unsigned long)q);
  mpq_canonicalize(r);
  const sy_expr *e = sy_number(ctx, r);
  mpq_clear(r);
  return e;
}

static const sy_expr *number(sy_ctx *ctx, const mpq_t q) {
  return sy_number(ctx, q);
}

/* c*pi, evaluated. */
static const sy_expr *times_pi(sy_ctx *ctx, const mpq_t c) {
  return sy_mul2(ctx, number(ctx, c), sy_const(ctx, SY_PI));
}

static const sy_expr *call(sy_ctx *ctx, sy_fn fn, const mpq_t c) {
  return sy_func(ctx, fn, times_pi(ctx, c));
}

static bool is_fn(const sy_expr *e, sy_fn fn) {
  return e != NULL && e->kind == SY_FN && e->fn == (int)fn;
}

void sy_rational_mod(mpq_t out, const mpq_t c, const mpq_t m) {
  mpq_t q;
  mpz_t f;
  mpq_init(q);
  mpz_init(f);
  mpq_div(q, c, m);
  mpz_fdiv_q(f, mpq_numref(q), mpq_denref(q));
  mpq_set_z(q, f);
  mpq_mul(q, q, m);
  mpq_sub(out, c, q);
  mpq_clear(q);
  mpz_clear(f);
}

/* The Rational coefficient of pi in a term that is pi or c*pi. */
static bool pi_term(const sy_expr *e, mpq_t c) {
  if (e->kind == SY_CONST && e->fn == SY_PI) {
    mpq_set_ui(c, 1, 1);
    return true;
  }
  if (e->kind == SY_MUL && e->n == 2 && e->args[0]->kind == SY_NUM &&
      e->args[1]->kind == SY_CONST && e->args[1]->fn == SY_PI) {
    mpq_set(c, e->args[0]->q);
    return true;
  }
  return false;
}

static bool is_integer(const mpq_t c) {
  return mpz_cmp_ui(mpq_denref(c), 1) == 0;
}

/* A table entry: the denominators q whose cos(p*pi/q) (or tan) sympy
 * writes through p*pi/a and p*pi/b. */
static bool table2(unsigned long q, long *a, long *b) {
  static const long kTable[][3] = {{12, 3, 4}, {20, 4, 5},  {30, 5, 6},   {15, 6, 10},
                                   {24, 6, 8}, {40, 8, 10}, {60, 20, 30}, {120, 40, 60}};
  for (size_t i = 0; i < sizeof kTable / sizeof kTable[0]; i++) {
    if ((unsigned long)kTable[i][0] == q) {
      *a = kTable[i][1];
      *b = kTable[i][2];
      return true;
    }
  }
  return false;
}

/* p*pi/d, built as sympy's p*pi/table2[q][k]. */
static const sy_expr *pi_fraction(sy_ctx *ctx, long p, long d) {
  return sy_div(ctx, sy_mul2(ctx, sy_integer(ctx, p), sy_const(ctx, SY_PI)), sy_integer(ctx, d));
}

/* Chebyshev's T_n(a + b*sqrt(5)) for rationals a, b, multiplied out in
 * Q(sqrt(5)) as expand() would: A + B*sqrt(5), built from its canonical
 * parts (computed here rather than by sy_expand, which would make this
 * layer call the polynomial one). */
static const sy_expr *chebyshev_sqrt5(sy_ctx *ctx, long n, const mpq_t a, const mpq_t b) {
  /* prev = T_{k-1}, cur = T_k, each as (re, im) for re + im*sqrt(5). */
  mpq_t prev_re, prev_im, cur_re, cur_im, next_re, next_im, t;
  mpq_t *all[] = {&prev_re, &prev_im, &cur_re, &cur_im, &next_re, &next_im, &t};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    mpq_init(*all[i]);
  }
  mpq_set_ui(prev_re, 1, 1);
  mpq_set(cur_re, a);
  mpq_set(cur_im, b);
  if (n == 0) {
    mpq_set(cur_re, prev_re);
    mpq_set_ui(cur_im, 0, 1);
  }
  for (long k = 1; k < n; k++) {
    /* next = 2*x*cur - prev, with x*cur = (a*re + 5*b*im) + (a*im + b*re)*sqrt(5). */
    mpq_mul(next_re, a, cur_re);
    mpq_mul(t, b, cur_im);
    mpq_set_ui(next_im, 5, 1);
    mpq_mul(t, t, next_im);
    mpq_add(next_re, next_re, t);
    mpq_mul(next_im, a, cur_im);
    mpq_mul(t, b, cur_re);
    mpq_add(next_im, next_im, t);
    mpq_add(next_re, next_re, next_re);
    mpq_add(next_im, next_im, next_im);
    mpq_sub(next_re, next_re, prev_re);
    mpq_sub(next_im, next_im, prev_im);
    mpq_swap(prev_re, cur_re);
    mpq_swap(prev_im, cur_im);
    mpq_swap(cur_re, next_re);
    mpq_swap(cur_im, next_im);
  }
  const sy_expr *result = sy_number(ctx, cur_re);
  if (mpq_sgn(cur_im) != 0) {
    const sy_expr *root = sy_pow(ctx, sy_integer(ctx, 5), rational(ctx, 1, 2));
    result = sy_add2(ctx, result, sy_mul2(ctx, sy_number(ctx, cur_im), root));
  }
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    mpq_clear(*all[i]);
  }
  return result;
}

static const sy_expr *cos_pi(sy_ctx *ctx, const mpq_t pc, bool *done) {
  *done = true;
  if (is_integer(pc)) {
    return sy_integer(ctx, mpz_odd_p(mpq_numref(pc)) ? -1 : 1);
  }
  if (mpz_cmp_ui(mpq_denref(pc), 2) == 0) {
    return sy_integer(ctx, 0);
  }
  mpq_t c;
  mpq_init(c);
  const sy_expr *result = NULL;
  long a, b, q = 0, p = 0;
  bool small = mpz_fits_slong_p(mpq_denref(pc)) && mpz_fits_slong_p(mpq_numref(pc));
  if (small) {
    q = mpz_get_si(mpq_denref(pc));
    p = mpz_get_si(mpq_numref(pc)); /* 0 < p < 2q */
  }
  if (mpz_cmp(mpq_numref(pc), mpq_denref(pc)) > 0) {
    /* p > q: -cos((pi_coeff - 1)*pi), for any size of q */
    mpq_set_ui(c, 1, 1);
    mpq_sub(c, pc, c);
    result = sy_neg(ctx, call(ctx, SY_COS, c));
  } else if (mpq_cmp_ui(pc, 1, 2) > 0) {
    mpq_set_ui(c, 1, 1);
    mpq_sub(c, c, pc);
    result = sy_neg(ctx, call(ctx, SY_COS, c));
  } else if (!small) {
    *done = false; /* q > 12 */
  } else if (table2((unsigned long)q, &a, &b)) {
    const sy_expr *ea = pi_fraction(ctx, p, a), *eb = pi_fraction(ctx, p, b);
    const sy_expr *half_pi = sy_div(ctx, sy_const(ctx, SY_PI), sy_integer(ctx, 2));
    result = sy_add2(ctx, sy_mul2(ctx, sy_func(ctx, SY_COS, ea), sy_func(ctx, SY_COS, eb)),
                     sy_mul2(ctx, sy_func(ctx, SY_COS, sy_sub(ctx, half_pi, ea)),
                             sy_func(ctx, SY_COS, sy_sub(ctx, half_pi, eb))));
  } else if (q > 12) {
    *done = false;
  } else if (q == 3 || q == 5) {
    /* cos(pi/3) = 1/2, cos(pi/5) = 1/4 + sqrt(5)/4. */
    mpq_t a, b;
    mpq_init(a);
    mpq_init(b);
    mpq_set_ui(a, 1, q == 3 ? 2 : 4);
    mpq_set_ui(b, q == 3 ? 0 : 1, q == 3 ? 1 : 4);
    result = chebyshev_sqrt5(ctx, p, a, b);
    mpq_clear(a);
    mpq_clear(b);
  } else if (q % 2 == 0) {
    mpq_set_si(c, 2 * p, (unsigned long)q);
    mpq_canonicalize(c);
    const sy_expr *nval = call(ctx, SY_COS, c);
    /* x = (2*pc + 1)/2 > 0: the sign is (-1)**int(x). */
    long whole = (2 * p + q) / (2 * q);
    const sy_expr *root =
        sy_pow(ctx, sy_div(ctx, sy_add2(ctx, sy_integer(ctx, 1), nval), sy_integer(ctx, 2)),
               rational(ctx, 1, 2));
    result = sy_mul2(ctx, sy_integer(ctx, whole % 2 ? -1 : 1), root);
  } else {
    *done = false;
  }
  mpq_clear(c);
  return result;
}

/* same_arg: pc*pi is the argument itself (sin.eval's pi_coeff*pi != arg). */
static const sy_expr *sin_pi(sy_ctx *ctx, const mpq_t pc, bool same_arg, bool *done) {
  *done = true;
  if (is_integer(pc)) {
    return sy_integer(ctx, 0);
  }
  if (mpz_cmp_ui(mpq_denref(pc), 2) == 0) {
    return sy_integer(ctx, mpz_cmp_ui(mpq_numref(pc), 1) == 0 ? 1 : -1);
  }
  mpq_t c, one;
  mpq_inits(c, one, NULL);
  mpq_set_ui(one, 1, 1);
  const sy_expr *result = NULL;
  if (mpq_cmp(pc, one) > 0) {
    mpq_sub(c, pc, one);
    result = sy_neg(ctx, call(ctx, SY_SIN, c));
  } else if (mpq_cmp_ui(pc, 1, 2) > 0) {
    mpq_sub(c, one, pc);
    result = call(ctx, SY_SIN, c);
  } else {
    mpq_t shift, two;
    mpq_inits(shift, two, NULL);
    mpq_set_ui(shift, 3, 2);
    mpq_set_ui(two, 2, 1);
    mpq_add(c, pc, shift);
    sy_rational_mod(c, c, two);
    mpq_clears(shift, two, NULL);
    result = call(ctx, SY_COS, c);
    if (is_fn(result, SY_COS)) {
      result = NULL;
      if (!same_arg) {
        result = call(ctx, SY_SIN, pc);
      } else {
        *done = false;
      }
    }
  }
  mpq_clears(c, one, NULL);
  return result;
}

/* sqrt of the table10 entries of tan.eval, for n*pi/10. */
static const sy_expr *tan_table10(sy_ctx *ctx, long n) {
  const sy_expr *root5 = sy_pow(ctx, sy_integer(ctx, 5), rational(ctx, 1, 2));
  const sy_expr *inner = NULL;
  switch (n) {
    case 1:
      inner = sy_sub(ctx, sy_integer(ctx, 1),
                     sy_div(ctx, sy_mul2(ctx, sy_integer(ctx, 2), root5), sy_integer(ctx, 5)));
      break;
    case 2:
      inner = sy_sub(ctx, sy_integer(ctx, 5), sy_mul2(ctx, sy_integer(ctx, 2), root5));
      break;
    case 3:
      inner = sy_add2(ctx, sy_integer(ctx, 1),
                      sy_div(ctx, sy_mul2(ctx, sy_integer(ctx, 2), root5), sy_integer(ctx, 5)));
      break;
    default:
      inner = sy_add2(ctx, sy_integer(ctx, 5), sy_mul2(ctx, sy_integer(ctx, 2), root5));
      break;
  }
  return sy_pow(ctx, inner, rational(ctx, 1, 2));
}

static const sy_expr *zoo(sy_ctx *ctx) {
  return sy_const(ctx, SY_ZOO);
}

static const sy_expr *tan_pi(sy_ctx *ctx, const mpq_t pc, const sy_expr *arg, bool *done) {
  *done = true;
  if (is_integer(pc)) {
    return sy_integer(ctx, 0);
  }
  if (!mpz_fits_slong_p(mpq_denref(pc)) || !mpz_fits_slong_p(mpq_numref(pc))) {
    /* the cos of narg and of narg - pi/2 that tan.eval builds reduce
     * through cos.eval's rules: not followed */
    return sy_fail(ctx, "NotImplementedError", "tan of this multiple of pi " OUTSIDE_SUBSET);
  }
  long q = mpz_get_si(mpq_denref(pc)), p = mpz_get_si(mpq_numref(pc)) % q;
  if (q == 5 || q == 10) {
    long n = 10 * p / q;
    return n > 5 ? sy_neg(ctx, tan_table10(ctx, 10 - n)) : tan_table10(ctx, n);
  }
  const sy_expr *pi = sy_const(ctx, SY_PI);
  const sy_expr *half_pi = sy_div(ctx, pi, sy_integer(ctx, 2));
  if (q % 2 == 0) {
    const sy_expr *narg = sy_mul2(ctx, times_pi(ctx, pc), sy_integer(ctx, 2));
    const sy_expr *c = sy_func(ctx, SY_COS, narg),
                  *s = sy_func(ctx, SY_COS, sy_sub(ctx, narg, half_pi));
    if (c == NULL || s == NULL) {
      return NULL;
    }
    if (!is_fn(c, SY_COS) && !is_fn(s, SY_COS)) {
      if (sy_is_int(s, 0)) {
        return zoo(ctx);
      }
      return sy_sub(ctx, sy_div(ctx, sy_integer(ctx, 1), s), sy_div(ctx, c, s));
    }
  }
  long a, b;
  if (table2((unsigned long)q, &a, &b)) {
    const sy_expr *ta = sy_func(ctx, SY_TAN, pi_fraction(ctx, p, a));
    const sy_expr *tb = sy_func(ctx, SY_TAN, pi_fraction(ctx, p, b));
    return sy_div(ctx, sy_sub(ctx, ta, tb), sy_add2(ctx, sy_integer(ctx, 1), sy_mul2(ctx, ta, tb)));
  }
  /* narg = ((pc + 1/2) % 1 - 1/2)*pi */
  mpq_t c, half, one;
  mpq_inits(c, half, one, NULL);
  mpq_set_ui(half, 1, 2);
  mpq_set_ui(one, 1, 1);
  mpq_add(c, pc, half);
  sy_rational_mod(c, c, one);
  mpq_sub(c, c, half);
  const sy_expr *narg = times_pi(ctx, c);
  mpq_clears(c, half, one, NULL);
  const sy_expr *cr = sy_func(ctx, SY_COS, narg),
                *sr = sy_func(ctx, SY_COS, sy_sub(ctx, narg, half_pi));
  if (cr == NULL || sr == NULL) {
    return NULL;
  }
  if (!is_fn(cr, SY_COS) && !is_fn(sr, SY_COS)) {
    if (sy_is_int(cr, 0)) {
      return zoo(ctx);
    }
    return sy_div(ctx, sr, cr);
  }
  if (!sy_equal(narg, arg)) {
    return sy_func(ctx, SY_TAN, narg);
  }
  *done = false;
  return NULL;
}

/* _peeloff_pi: the multiple of pi/2 taken out of a sum, as (rest, m). */
static bool peel_off_pi(sy_ctx *ctx, const sy_expr *arg, const sy_expr **rest, mpq_t m) {
  mpq_t sum, k, m1, half;
  mpq_inits(sum, k, m1, half, NULL);
  const sy_expr **terms = sy_alloc(ctx, (arg->n + 1) * sizeof *terms);
  size_t n = 0;
  bool found = false;
  for (size_t i = 0; terms != NULL && i < arg->n; i++) {
    if (pi_term(arg->args[i], k)) {
      mpq_add(sum, sum, k);
      found = true;
    } else {
      terms[n++] = arg->args[i];
    }
  }
  bool peeled = false;
  if (found && mpq_sgn(sum) != 0) {
    mpq_set_ui(half, 1, 2);
    sy_rational_mod(m1, sum, half);
    mpq_sub(m, sum, m1);
    if (mpq_sgn(m) != 0) {
      terms[n++] = times_pi(ctx, m1);
      *rest = sy_add(ctx, terms, n);
      peeled = *rest != NULL;
    }
  }
  mpq_clears(sum, k, m1, half, NULL);
  return peeled;
}

bool sy_trig_float_pi(const sy_expr *arg) {
  if (arg->kind != SY_MUL || arg->args[0]->kind != SY_FLOAT) {
    return false;
  }
  for (size_t i = 1; i < arg->n; i++) {
    if (arg->args[i]->kind == SY_CONST && arg->args[i]->fn == SY_PI) {
      return true;
    }
  }
  return false;
}

/* fn(arg) for an arg that is a Float times pi and more (sy_trig_float_pi),
 * after _pi_coeff: cx = arg.coeff(pi) is the product of the other factors,
 * evaluated (a Float over a lone sum distributes), and a Float coefficient
 * c of cx that is an exact binary fraction (its fractional part 0 or a
 * power of 2: the only ones whose c*2**p is an integer for p =
 * -round(log2(frac))) is recast to the Rational it equals, so cos(4.0*pi*x)
 * is cos(4*pi*x) and cos(0.25*pi) is sqrt(2)/2; otherwise fn(narg) for
 * narg = pi_coeff*pi when that differs from arg, pi_coeff being c % 2
 * when cx is the Float c alone. */
static const sy_expr *float_pi(sy_ctx *ctx, sy_fn fn, const sy_expr *arg, bool *done) {
  const sy_expr **others = sy_alloc(ctx, arg->n * sizeof *others);
  if (others == NULL) {
    return NULL;
  }
  size_t n = 0;
  for (size_t i = 0; i < arg->n; i++) {
    if (!(arg->args[i]->kind == SY_CONST && arg->args[i]->fn == SY_PI)) {
      others[n++] = arg->args[i];
    }
  }
  const sy_expr *pi = sy_const(ctx, SY_PI);
  const sy_expr *cx = n + 1 == arg->n ? sy_mul(ctx, others, n) : NULL;
  if (cx == NULL) {
    return NULL; /* a failure, or pi twice, which a power of pi is instead */
  }
  bool alone = cx->kind == SY_FLOAT;
  bool has_c = alone || (cx->kind == SY_MUL && cx->args[0]->kind == SY_FLOAT);
  double c = alone ? cx->f : has_c ? cx->args[0]->f : 0, whole;
  double frac = modf(fabs(c), &whole);
  int e2;
  if (has_c && (frac == 0 || frexp(frac, &e2) == 0.5)) {
    mpq_t r, two;
    mpq_inits(r, two, NULL);
    mpq_set_d(r, c);
    const sy_expr *result = NULL;
    *done = true;
    if (!alone) {
      const sy_expr *x =
          cx->n == 2 ? cx->args[1] : sy_mul_unevaluated(ctx, cx->args + 1, cx->n - 1);
      result = sy_func(ctx, fn, sy_mul2(ctx, sy_mul2(ctx, sy_number(ctx, r), x), pi));
    } else {
      mpq_set_ui(two, 2, 1);
      sy_rational_mod(r, r, two);
      if (!mpz_fits_slong_p(mpq_denref(r))) {
        result = sy_fail(ctx, "NotImplementedError",
                         "%s of this Float multiple of pi " OUTSIDE_SUBSET, sy_fn_name(fn));
      } else if (fn == SY_COS) {
        result = cos_pi(ctx, r, done);
      } else if (fn == SY_SIN) {
        result = sin_pi(ctx, r, false, done);
      } else {
        result = tan_pi(ctx, r, arg, done);
      }
    }
    mpq_clears(r, two, NULL);
    return result;
  }
  const sy_expr *coeff = cx;
  if (alone) {
    coeff = sy_float(ctx, c - 2 * floor(c / 2)); /* Float % 2, exact */
  }
  const sy_expr *narg = sy_mul2(ctx, coeff, pi);
  if (narg == NULL || sy_equal(narg, arg)) {
    return NULL;
  }
  *done = true;
  return sy_func(ctx, fn, narg);
}

const sy_expr *sy_trig_eval(sy_ctx *ctx, sy_fn fn, const sy_expr *arg, bool *done) {
  *done = false;
  if (sy_trig_float_pi(arg)) {
    const sy_expr *value = float_pi(ctx, fn, arg, done);
    if (ctx->failed) {
      *done = false;
      return NULL;
    }
    return value;
  }
  mpq_t c, pc, two;
  mpq_inits(c, pc, two, NULL);
  mpq_set_ui(two, 2, 1);
  const sy_expr *result = NULL;
  if (pi_term(arg, c)) {
    sy_rational_mod(pc, c, two);
    switch (fn) {
      case SY_COS:
        result = cos_pi(ctx, pc, done);
        break;
      case SY_SIN:
        result = sin_pi(ctx, pc, mpq_equal(pc, c), done);
        break;
      default:
        result = tan_pi(ctx, pc, arg, done);
        break;
    }
  } else if (arg->kind == SY_ADD) {
    const sy_expr *x;
    if (peel_off_pi(ctx, arg, &x, c)) {
      *done = true;
      const sy_expr *m = times_pi(ctx, c);
      const sy_expr *cm = sy_func(ctx, SY_COS, m), *sm = sy_func(ctx, SY_SIN, m);
      switch (fn) {
        case SY_COS:
          result = sy_sub(ctx, sy_mul2(ctx, cm, sy_func(ctx, SY_COS, x)),
                          sy_mul2(ctx, sm, sy_func(ctx, SY_SIN, x)));
          break;
        case SY_SIN:
          result = sy_add2(ctx, sy_mul2(ctx, sm, sy_func(ctx, SY_COS, x)),
                           sy_mul2(ctx, cm, sy_func(ctx, SY_SIN, x)));
          break;
        default:
          result = is_integer(c) ? sy_func(ctx, SY_TAN, x)
                                 : sy_fail(ctx, "NotImplementedError",
                                           "cot is outside the sympy subset of pyref");
          break;
      }
    }
  }
  mpq_clears(c, pc, two, NULL);
  if (ctx->failed) {
    *done = false;
    return NULL;
  }
  return result;
}
