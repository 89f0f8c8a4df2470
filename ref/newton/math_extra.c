/*
 * math functions beyond math_1 (see math_extra.h). Where CPython delegates to
 * libm (fmod, remainder, copysign, pow, ldexp) this calls the same libm, so
 * results are the platform's, as CPython's are; hypot is CPython 3.11's own
 * vector_norm (lossless scaling and a corrected square root), reproduced
 * step by step so that it rounds identically.
 */
#include "ref/newton/math_extra.h"
#include "ref/newton/math_gamma.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* PyFloat_AsDouble as the clinic's `double` converter uses it. */
static int real_argument(py_error *error, const pn_value *v, double *out) {
  if (v->kind == PN_BOOL || v->kind == PN_INT || v->kind == PN_FLOAT) {
    return pn_to_double(error, v, out);
  }
  return py_raise(error, "TypeError", "must be real number, not %s", pn_type_name(v));
}

/* PyNumber_Index: only bool and int are integers here. */
static int index_argument(py_error *error, const pn_value *v) {
  if (v->kind == PN_BOOL || v->kind == PN_INT) {
    return 0;
  }
  return py_raise(error, "TypeError", "'%s' object cannot be interpreted as an integer",
                  pn_type_name(v));
}

static int exactly_two(py_error *error, const char *name, int argc) {
  if (argc != 2) {
    return py_raise(error, "TypeError", "%s expected 2 arguments, got %d", name, argc);
  }
  return 0;
}

static int set_int_result(py_error *error, pn_value *out) {
  if ((long)mpz_sizeinbase(out->big, 2) > PN_INT_MAX_BITS) {
    return py_raise(error, "MemoryError", "%s", "");
  }
  out->kind = PN_INT;
  return 0;
}

/* is_error: EDOM is a ValueError; ERANGE an OverflowError unless the result
 * underflowed (|r| < 1.5). */
static int float_result(py_error *error, int err, double r, pn_value *out) {
  if (err == EDOM) {
    return py_raise(error, "ValueError", "math domain error");
  }
  if (err == ERANGE && fabs(r) >= 1.5) {
    return py_raise(error, "OverflowError", "math range error");
  }
  pn_value_set_float(out, r);
  return 0;
}

/* math_2's error rules for copysign and remainder. */
static int two_floats(py_error *error, const char *name, double (*function)(double, double),
                      const pn_value *args, int argc, pn_value *out) {
  double x, y;
  if (exactly_two(error, name, argc) != 0 || real_argument(error, &args[0], &x) != 0 ||
      real_argument(error, &args[1], &y) != 0) {
    return -1;
  }
  double r = function(x, y);
  int err = 0;
  if (isnan(r)) {
    err = !isnan(x) && !isnan(y) ? EDOM : 0;
  } else if (isinf(r)) {
    err = isfinite(x) && isfinite(y) ? ERANGE : 0;
  }
  return float_result(error, err, r, out);
}

/* m_remainder: CPython's own IEEE remainder (glibc's loses the sign of a
 * zero result for subnormal divisors). */
static double ieee_remainder(double x, double y) {
  if (isfinite(x) && isfinite(y)) {
    if (y == 0.0) {
      return NAN;
    }
    double absx = fabs(x), absy = fabs(y);
    double m = fmod(absx, absy);
    double c = absy - m;
    double r;
    if (m < c) {
      r = m;
    } else if (m > c) {
      r = -c;
    } else {
      /* Half-way: round to the even multiple. */
      r = m - 2.0 * fmod(0.5 * (absx - m), absy);
    }
    return copysign(1.0, x) * r;
  }
  if (isnan(x)) {
    return x;
  }
  if (isnan(y)) {
    return y;
  }
  if (isinf(x)) {
    return NAN;
  }
  return x;
}

static int math_fmod(py_error *error, const pn_value *args, int argc, pn_value *out) {
  double x, y;
  if (exactly_two(error, "fmod", argc) != 0 || real_argument(error, &args[0], &x) != 0 ||
      real_argument(error, &args[1], &y) != 0) {
    return -1;
  }
  if (isinf(y) && isfinite(x)) {
    pn_value_set_float(out, x);
    return 0;
  }
  double r = fmod(x, y);
  int err = isnan(r) && !isnan(x) && !isnan(y) ? EDOM : 0;
  return float_result(error, err, r, out);
}

/* math_pow: IEEE special values decided here, finite**finite by libm. */
static int math_pow(py_error *error, const pn_value *args, int argc, pn_value *out) {
  double x, y, r;
  if (exactly_two(error, "pow", argc) != 0 || real_argument(error, &args[0], &x) != 0 ||
      real_argument(error, &args[1], &y) != 0) {
    return -1;
  }
  int err = 0;
  if (!isfinite(x) || !isfinite(y)) {
    if (isnan(x)) {
      r = y == 0.0 ? 1.0 : x;
    } else if (isnan(y)) {
      r = x == 1.0 ? 1.0 : y;
    } else if (isinf(x)) {
      int odd_y = isfinite(y) && fmod(fabs(y), 2.0) == 1.0;
      if (y > 0.0) {
        r = odd_y ? x : fabs(x);
      } else if (y == 0.0) {
        r = 1.0;
      } else {
        r = odd_y ? copysign(0.0, x) : 0.0;
      }
    } else if (fabs(x) == 1.0) {
      r = 1.0;
    } else if (y > 0.0 && fabs(x) > 1.0) {
      r = y;
    } else if (y < 0.0 && fabs(x) < 1.0) {
      r = -y;
    } else {
      r = 0.0;
    }
  } else {
    r = pow(x, y);
    if (isnan(r)) {
      err = EDOM;
    } else if (isinf(r)) {
      err = x == 0.0 ? EDOM : ERANGE;
    }
  }
  return float_result(error, err, r, out);
}

static int math_ldexp(py_error *error, const pn_value *args, int argc, pn_value *out) {
  double x, r;
  if (exactly_two(error, "ldexp", argc) != 0 || real_argument(error, &args[0], &x) != 0) {
    return -1;
  }
  if (args[1].kind != PN_BOOL && args[1].kind != PN_INT) {
    return py_raise(error, "TypeError", "Expected an int as second argument to ldexp.");
  }
  /* PyLong_AsLongAndOverflow clamps to LONG_MIN/LONG_MAX. */
  long exp = mpz_fits_slong_p(args[1].big) ? mpz_get_si(args[1].big)
             : mpz_sgn(args[1].big) < 0    ? LONG_MIN
                                           : LONG_MAX;
  int err = 0;
  if (x == 0.0 || !isfinite(x)) {
    r = x;
  } else if (exp > INT_MAX) {
    r = copysign(HUGE_VAL, x);
    err = ERANGE;
  } else if (exp < INT_MIN) {
    r = copysign(0.0, x);
  } else {
    r = ldexp(x, (int)exp);
    err = isinf(r) ? ERANGE : 0;
  }
  return float_result(error, err, r, out);
}

/* An unevaluated sum hi + lo, exact where CPython's DoubleLength is. */
typedef struct double_length {
  double hi, lo;
} double_length;

/* Veltkamp's split, as 3.11's dl_split (no fma, so the low parts match). */
static double_length split(double x) {
  double t = x * 134217729.0; /* 2^27 + 1 */
  double hi = t - (t - x);
  return (double_length){hi, x - hi};
}

/* Dekker's exact product, as 3.11's dl_mul. */
static double_length exact_product(double x, double y) {
  double_length a = split(x), b = split(y);
  double p = a.hi * b.hi;
  double q = a.hi * b.lo + a.lo * b.hi;
  double z = p + q;
  return (double_length){z, p - z + q + a.lo * b.lo};
}

/* Fast two-sum for |a| >= |b|, as 3.11's dl_fast_sum. */
static double_length fast_sum(double a, double b) {
  double x = a + b;
  double z = x - a;
  return (double_length){x, b - z};
}

/* vector_norm: the Euclidean norm of n absolute values whose largest is max. */
static double vector_norm(int n, double *vec, double max, int found_nan) {
  if (isinf(max)) {
    return max;
  }
  if (found_nan) {
    return NAN;
  }
  if (max == 0.0 || n <= 1) {
    return max;
  }
  int max_e;
  frexp(max, &max_e);
  if (max_e < -1023) {
    /* ldexp(1.0, -max_e) would overflow: rescale the subnormals first. */
    for (int i = 0; i < n; i++) {
      vec[i] /= DBL_MIN;
    }
    return DBL_MIN * vector_norm(n, vec, max / DBL_MIN, found_nan);
  }
  double scale = ldexp(1.0, -max_e);
  double csum = 1.0, frac1 = 0.0, frac2 = 0.0;
  for (int i = 0; i < n; i++) {
    double x = vec[i] * scale;
    double_length pr = exact_product(x, x);
    double_length sm = fast_sum(csum, pr.hi);
    csum = sm.hi;
    frac1 += pr.lo;
    frac2 += sm.lo;
  }
  double h = sqrt(csum - 1.0 + (frac1 + frac2));
  double_length pr = exact_product(-h, h);
  double_length sm = fast_sum(csum, pr.hi);
  csum = sm.hi;
  frac1 += pr.lo;
  frac2 += sm.lo;
  double x = csum - 1.0 + (frac1 + frac2);
  return (h + x / (2.0 * h)) / scale;
}

static int math_hypot(py_error *error, const pn_value *args, int argc, pn_value *out) {
  double stack[16];
  double *vec = argc <= 16 ? stack : malloc(sizeof(double) * (size_t)argc);
  if (vec == NULL) {
    return py_raise(error, "MemoryError", "%s", "");
  }
  double max = 0.0;
  int found_nan = 0;
  int status = 0;
  for (int i = 0; i < argc && status == 0; i++) {
    double x;
    status = real_argument(error, &args[i], &x);
    if (status != 0) {
      break;
    }
    x = fabs(x);
    vec[i] = x;
    found_nan |= isnan(x);
    if (x > max) {
      max = x;
    }
  }
  if (status == 0) {
    pn_value_set_float(out, vector_norm(argc, vec, max, found_nan));
  }
  if (vec != stack) {
    free(vec);
  }
  return status;
}

static int math_isclose(py_error *error, const pn_value *args, int argc, pn_value *out) {
  if (argc > 2) {
    return py_raise(error, "TypeError", "isclose() takes exactly 2 positional arguments (%d given)",
                    argc);
  }
  if (argc < 2) {
    return py_raise(error, "TypeError", "isclose() missing required argument '%s' (pos %d)",
                    argc == 0 ? "a" : "b", argc + 1);
  }
  double a, b;
  if (real_argument(error, &args[0], &a) != 0 || real_argument(error, &args[1], &b) != 0) {
    return -1;
  }
  const double rel_tol = 1e-09, abs_tol = 0.0;
  int close;
  if (a == b) {
    close = 1;
  } else if (isinf(a) || isinf(b)) {
    close = 0;
  } else {
    double diff = fabs(b - a);
    close = diff <= fabs(rel_tol * b) || diff <= fabs(rel_tol * a) || diff <= abs_tol;
  }
  pn_value_set_bool(out, close);
  return 0;
}

static int one_argument(py_error *error, const char *name, int argc) {
  if (argc != 1) {
    return py_raise(error, "TypeError", "math.%s() takes exactly one argument (%d given)", name,
                    argc);
  }
  return 0;
}

/* degrees and radians never raise: CPython multiplies without math_1. */
static int math_angle(py_error *error, const char *name, double factor, const pn_value *args,
                      int argc, pn_value *out) {
  double x;
  if (one_argument(error, name, argc) != 0 || real_argument(error, &args[0], &x) != 0) {
    return -1;
  }
  pn_value_set_float(out, x * factor);
  return 0;
}

/* An upper bound of log2(n!) for n >= 0. */
static double log2_factorial(double n) {
  return lgamma(n + 1.0) / M_LN2 + 1.0;
}

static int math_factorial(py_error *error, const pn_value *arg, pn_value *out) {
  if (index_argument(error, arg) != 0) {
    return -1;
  }
  if (mpz_sgn(arg->big) > 0 && !mpz_fits_slong_p(arg->big)) {
    return py_raise(error, "OverflowError", "factorial() argument should not exceed %ld", LONG_MAX);
  }
  if (mpz_sgn(arg->big) < 0) {
    return py_raise(error, "ValueError", "factorial() not defined for negative values");
  }
  unsigned long n = mpz_get_ui(arg->big);
  if (log2_factorial((double)n) > (double)PN_INT_MAX_BITS) {
    return py_raise(error, "MemoryError", "%s", "");
  }
  mpz_fac_ui(out->big, n);
  return set_int_result(error, out);
}

static int math_isqrt(py_error *error, const pn_value *arg, pn_value *out) {
  if (index_argument(error, arg) != 0) {
    return -1;
  }
  if (mpz_sgn(arg->big) < 0) {
    return py_raise(error, "ValueError", "isqrt() argument must be nonnegative");
  }
  mpz_sqrt(out->big, arg->big);
  out->kind = PN_INT;
  return 0;
}

/* gcd and lcm of any number of ints: non-negative, gcd() is 0, lcm() 1. */
static int math_gcd_lcm(py_error *error, int is_lcm, const pn_value *args, int argc,
                        pn_value *out) {
  mpz_set_ui(out->big, is_lcm ? 1 : 0);
  for (int i = 0; i < argc; i++) {
    if (index_argument(error, &args[i]) != 0) {
      return -1;
    }
    if (i == 0) {
      mpz_abs(out->big, args[i].big);
    } else if (is_lcm) {
      if ((long)(mpz_sizeinbase(out->big, 2) + mpz_sizeinbase(args[i].big, 2)) >
          2 * PN_INT_MAX_BITS) {
        return py_raise(error, "MemoryError", "%s", "");
      }
      mpz_lcm(out->big, out->big, args[i].big);
    } else {
      mpz_gcd(out->big, out->big, args[i].big);
    }
  }
  return set_int_result(error, out);
}

/* comb(n, k) and perm(n, k): both ints checked before their signs, then
 * k > n is 0, then k (for comb, min(k, n - k)) must fit a long long. */
static int math_comb_perm(py_error *error, int is_comb, const pn_value *args, int argc,
                          pn_value *out) {
  const char *name = is_comb ? "comb" : "perm";
  if (is_comb && argc != 2) {
    return exactly_two(error, name, argc);
  }
  if (argc < 1 || argc > 2) {
    return py_raise(error, "TypeError",
                    argc < 1 ? "perm expected at least 1 argument, got %d"
                             : "perm expected at most 2 arguments, got %d",
                    argc);
  }
  if (argc == 1 || args[1].kind == PN_NONE) {
    return math_factorial(error, &args[0], out);
  }
  if (index_argument(error, &args[0]) != 0 || index_argument(error, &args[1]) != 0) {
    return -1;
  }
  mpz_srcptr n = args[0].big, k = args[1].big;
  if (mpz_sgn(n) < 0) {
    return py_raise(error, "ValueError", "n must be a non-negative integer");
  }
  if (mpz_sgn(k) < 0) {
    return py_raise(error, "ValueError", "k must be a non-negative integer");
  }
  if (mpz_cmp(n, k) < 0) {
    mpz_set_ui(out->big, 0);
    out->kind = PN_INT;
    return 0;
  }
  mpz_t small;
  mpz_init_set(small, k);
  if (is_comb) {
    mpz_sub(small, n, k);
    if (mpz_cmp(small, k) > 0) {
      mpz_set(small, k);
    }
  }
  if (!mpz_fits_slong_p(small)) {
    mpz_clear(small);
    return py_raise(error, "OverflowError", "%s must not exceed %ld",
                    is_comb ? "min(n - k, k)" : "k", LONG_MAX);
  }
  unsigned long steps = mpz_get_ui(small);
  mpz_clear(small);
  /* n^steps / steps! (times steps! for perm) bounds the result's size. */
  double bits = (double)steps * (double)mpz_sizeinbase(n, 2);
  if (is_comb) {
    bits -= log2_factorial((double)steps) - 2.0;
  }
  if (bits > (double)PN_INT_MAX_BITS) {
    return py_raise(error, "MemoryError", "%s", "");
  }
  if (is_comb && mpz_fits_ulong_p(n)) {
    mpz_bin_uiui(out->big, mpz_get_ui(n), steps);
  } else if (is_comb) {
    mpz_bin_ui(out->big, n, steps);
  } else {
    /* n * (n-1) * ... * (n-steps+1). */
    mpz_t factor;
    mpz_init_set(factor, n);
    mpz_set_ui(out->big, 1);
    for (unsigned long i = 0; i < steps; i++) {
      mpz_mul(out->big, out->big, factor);
      mpz_sub_ui(factor, factor, 1);
    }
    mpz_clear(factor);
  }
  return set_int_result(error, out);
}

/* fsum and prod need an iterable: of the subset's values, a list or a
 * tuple, whose sums and products are not modelled. */
static int math_iterable(py_error *error, const char *name, const pn_value *args, int argc) {
  if (argc != 1) {
    return strcmp(name, "prod") == 0
               ? py_raise(error, "TypeError",
                          "prod() takes exactly 1 positional argument (%d given)", argc)
               : one_argument(error, name, argc);
  }
  if (pn_is_seq(&args[0])) {
    return py_raise(error, "NotImplementedError",
                    "math.%s of a %s is outside the newton expression subset of pyref", name,
                    pn_type_name(&args[0]));
  }
  return py_raise(error, "TypeError", "'%s' object is not iterable", pn_type_name(&args[0]));
}

/* math_ulp: the gap to the next double away from zero (toward zero at the
 * largest finite one). */
static int math_ulp(py_error *error, const pn_value *args, int argc, pn_value *out) {
  double x;
  if (one_argument(error, "ulp", argc) != 0 || real_argument(error, &args[0], &x) != 0) {
    return -1;
  }
  x = fabs(x);
  if (isnan(x) || isinf(x)) {
    pn_value_set_float(out, x);
    return 0;
  }
  double next = nextafter(x, INFINITY);
  pn_value_set_float(out, isinf(next) ? x - nextafter(x, -INFINITY) : next - x);
  return 0;
}

static int math_nextafter(py_error *error, const pn_value *args, int argc, pn_value *out) {
  double x, y;
  if (exactly_two(error, "nextafter", argc) != 0 || real_argument(error, &args[0], &x) != 0 ||
      real_argument(error, &args[1], &y) != 0) {
    return -1;
  }
  pn_value_set_float(out, nextafter(x, y));
  return 0;
}

/* math_1a: gamma and lgamma report errors only through errno. */
static int math_gamma(py_error *error, const char *name, const pn_value *args, int argc,
                      pn_value *out) {
  double x;
  if (one_argument(error, name, argc) != 0 || real_argument(error, &args[0], &x) != 0) {
    return -1;
  }
  int err = 0;
  double r = name[0] == 'g' ? pn_gamma(x, &err) : pn_lgamma(x, &err);
  return float_result(error, err, r, out);
}

int pn_math_extra_call(py_error *error, const char *name, const pn_value *args, int argc,
                       pn_value *out) {
  if (strcmp(name, "fmod") == 0) {
    return math_fmod(error, args, argc, out);
  }
  if (strcmp(name, "remainder") == 0) {
    return two_floats(error, name, ieee_remainder, args, argc, out);
  }
  if (strcmp(name, "copysign") == 0) {
    return two_floats(error, name, copysign, args, argc, out);
  }
  if (strcmp(name, "pow") == 0) {
    return math_pow(error, args, argc, out);
  }
  if (strcmp(name, "ldexp") == 0) {
    return math_ldexp(error, args, argc, out);
  }
  if (strcmp(name, "hypot") == 0) {
    return math_hypot(error, args, argc, out);
  }
  if (strcmp(name, "isclose") == 0) {
    return math_isclose(error, args, argc, out);
  }
  if (strcmp(name, "degrees") == 0) {
    return math_angle(error, name, 180.0 / M_PI, args, argc, out);
  }
  if (strcmp(name, "radians") == 0) {
    return math_angle(error, name, M_PI / 180.0, args, argc, out);
  }
  if (strcmp(name, "gcd") == 0 || strcmp(name, "lcm") == 0) {
    return math_gcd_lcm(error, name[0] == 'l', args, argc, out);
  }
  if (strcmp(name, "comb") == 0 || strcmp(name, "perm") == 0) {
    return math_comb_perm(error, name[0] == 'c', args, argc, out);
  }
  if (strcmp(name, "fsum") == 0 || strcmp(name, "prod") == 0) {
    return math_iterable(error, name, args, argc);
  }
  if (strcmp(name, "gamma") == 0 || strcmp(name, "lgamma") == 0) {
    return math_gamma(error, name, args, argc, out);
  }
  if (strcmp(name, "ulp") == 0) {
    return math_ulp(error, args, argc, out);
  }
  if (strcmp(name, "nextafter") == 0) {
    return math_nextafter(error, args, argc, out);
  }
  if (one_argument(error, name, argc) != 0) {
    return -1;
  }
  if (strcmp(name, "factorial") == 0) {
    return math_factorial(error, &args[0], out);
  }
  return math_isqrt(error, &args[0], out);
}
