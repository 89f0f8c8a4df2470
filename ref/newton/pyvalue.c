/*
 * Python 3.11's numeric tower for the Newton evaluator. The float and
 * complex algorithms follow CPython's Objects/floatobject.c and
 * Objects/complexobject.c step by step, because the Newton iteration
 * amplifies every last-bit difference.
 */
#include "ref/newton/pyvalue.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct pn_seq {
  long refs;
  size_t count;
  pn_value items[];
};

void pn_value_init(pn_value *v) {
  v->kind = PN_NONE;
  mpz_init(v->big);
  v->re = v->im = 0;
  v->builtin = 0;
  v->seq = NULL;
}

static void seq_release(pn_seq *seq) {
  if (seq == NULL || --seq->refs > 0) {
    return;
  }
  for (size_t i = 0; i < seq->count; i++) {
    pn_value_clear(&seq->items[i]);
  }
  free(seq);
}

void pn_value_clear(pn_value *v) {
  mpz_clear(v->big);
  seq_release(v->seq);
  v->seq = NULL;
}

void pn_value_copy(pn_value *to, const pn_value *from) {
  if (to == from) {
    return;
  }
  to->kind = from->kind;
  mpz_set(to->big, from->big);
  to->re = from->re;
  to->im = from->im;
  to->builtin = from->builtin;
  if (from->seq != NULL) {
    from->seq->refs++;
  }
  seq_release(to->seq);
  to->seq = from->seq;
}

pn_value *pn_value_set_seq(pn_value *v, pn_kind kind, size_t count) {
  if (count > (SIZE_MAX - sizeof(pn_seq)) / sizeof(pn_value)) {
    return NULL;
  }
  pn_seq *seq = malloc(sizeof *seq + count * sizeof seq->items[0]);
  if (seq == NULL) {
    return NULL;
  }
  seq->refs = 1;
  seq->count = count;
  for (size_t i = 0; i < count; i++) {
    pn_value_init(&seq->items[i]);
  }
  seq_release(v->seq);
  v->seq = seq;
  v->kind = kind;
  return seq->items;
}

const pn_value *pn_seq_items(const pn_value *v) {
  return v->seq->items;
}

size_t pn_seq_count(const pn_value *v) {
  return v->seq->count;
}

int pn_is_seq(const pn_value *v) {
  return v->kind == PN_LIST || v->kind == PN_TUPLE;
}

void pn_value_set_float(pn_value *v, double x) {
  v->kind = PN_FLOAT;
  v->re = x;
  v->im = 0;
}

void pn_value_set_complex(pn_value *v, double re, double im) {
  v->kind = PN_COMPLEX;
  v->re = re;
  v->im = im;
}

void pn_value_set_bool(pn_value *v, int truth) {
  v->kind = PN_BOOL;
  mpz_set_ui(v->big, truth ? 1 : 0);
}

const char *pn_type_name(const pn_value *v) {
  switch (v->kind) {
    case PN_NONE:
      return "NoneType";
    case PN_BOOL:
      return "bool";
    case PN_INT:
      return "int";
    case PN_FLOAT:
      return "float";
    case PN_COMPLEX:
      return "complex";
    case PN_MODULE:
      return "module";
    case PN_BUILTIN:
      return "builtin_function_or_method";
    case PN_LIST:
      return "list";
    case PN_TUPLE:
      return "tuple";
  }
  return "object";
}

static int is_integer(const pn_value *v) {
  return v->kind == PN_BOOL || v->kind == PN_INT;
}

static int is_number(const pn_value *v) {
  return is_integer(v) || v->kind == PN_FLOAT || v->kind == PN_COMPLEX;
}

/*
 * The double nearest to q * 2^shift, where `sticky` says whether the true
 * value is a little more than that (bits already dropped below q). q > 0
 * must have at least 55 bits whenever bits were dropped, so that the guard
 * bits decide the rounding. Rounds to nearest, ties to even, with gradual
 * underflow. Returns 0, or -1 when the result overflows.
 */
static int round_scaled(const mpz_t q, long shift, int sticky, double *out) {
  long bits = (long)mpz_sizeinbase(q, 2);
  long top = shift + bits; /* q * 2^shift lies in [2^(top-1), 2^top) */
  long precision = DBL_MANT_DIG;
  if (top - 1 < DBL_MIN_EXP - 1) {
    precision = top - (DBL_MIN_EXP - DBL_MANT_DIG); /* fewer bits below 2^-1022 */
  }
  long drop = bits - precision;
  if (drop <= 0 && !sticky) {
    *out = ldexp(mpz_get_d(q), (int)shift); /* exact */
    return isinf(*out) ? -1 : 0;
  }
  mpz_t mantissa;
  mpz_init(mantissa);
  if (drop <= 0) {
    /* Cannot happen with the 55-bit guarantee; treat as exact. */
    mpz_set(mantissa, q);
    drop = 0;
  } else {
    mpz_tdiv_q_2exp(mantissa, q, (mp_bitcnt_t)drop);
    /* The first dropped bit is the half; the rest and sticky break ties. */
    int half = mpz_tstbit(q, (mp_bitcnt_t)drop - 1);
    int below = sticky || mpz_scan1(q, 0) < (mp_bitcnt_t)drop - 1;
    if (half && (below || mpz_odd_p(mantissa))) {
      mpz_add_ui(mantissa, mantissa, 1);
    }
  }
  long exponent = shift + drop;
  double m = mpz_get_d(mantissa); /* at most 54 bits: exact */
  mpz_clear(mantissa);
  if (exponent > DBL_MAX_EXP * 2) {
    return -1;
  }
  if (exponent < DBL_MIN_EXP - DBL_MANT_DIG - 64) {
    *out = 0;
    return 0;
  }
  *out = ldexp(m, (int)exponent);
  return isinf(*out) ? -1 : 0;
}

/* |z| as a double, ties to even, or -1 on overflow. */
static int mpz_to_double(const mpz_t z, double *out) {
  if (mpz_sgn(z) == 0) {
    *out = 0;
    return 0;
  }
  mpz_t magnitude;
  mpz_init(magnitude);
  mpz_abs(magnitude, z);
  int status = round_scaled(magnitude, 0, 0, out);
  mpz_clear(magnitude);
  if (mpz_sgn(z) < 0) {
    *out = -*out;
  }
  return status;
}

int pn_to_double(py_error *error, const pn_value *v, double *out) {
  if (v->kind == PN_FLOAT) {
    *out = v->re;
    return 0;
  }
  if (mpz_to_double(v->big, out) != 0) {
    return py_raise(error, "OverflowError", "int too large to convert to float");
  }
  return 0;
}

/* The value as a complex number (a, b both numbers). */
static int to_complex(py_error *error, const pn_value *v, double *re, double *im) {
  if (v->kind == PN_COMPLEX) {
    *re = v->re;
    *im = v->im;
    return 0;
  }
  *im = 0;
  return pn_to_double(error, v, re);
}

static void set_int(pn_value *v) {
  v->kind = PN_INT;
}

static int too_big(py_error *error, const mpz_t z) {
  if ((long)mpz_sizeinbase(z, 2) > PN_INT_MAX_BITS) {
    return py_raise(error, "MemoryError", "%s", "");
  }
  return 0;
}

/* ---- float arithmetic (floatobject.c) ---- */

static int double_is_odd_integer(double x) {
  return fmod(fabs(x), 2.0) == 1.0;
}

static int complex_pow(py_error *error, double ar, double ai, double br, double bi, pn_value *out);

static int float_pow(py_error *error, double iv, double iw, pn_value *out) {
  if (iw == 0) {
    pn_value_set_float(out, 1.0);
    return 0;
  }
  if (isnan(iv)) {
    pn_value_set_float(out, iv);
    return 0;
  }
  if (isnan(iw)) {
    pn_value_set_float(out, iv == 1.0 ? 1.0 : iw);
    return 0;
  }
  if (isinf(iw)) {
    iv = fabs(iv);
    if (iv == 1.0) {
      pn_value_set_float(out, 1.0);
    } else if ((iw > 0.0) == (iv > 1.0)) {
      pn_value_set_float(out, fabs(iw));
    } else {
      pn_value_set_float(out, 0.0);
    }
    return 0;
  }
  if (isinf(iv)) {
    int odd = double_is_odd_integer(iw);
    if (iw > 0.0) {
      pn_value_set_float(out, odd ? iv : fabs(iv));
    } else {
      pn_value_set_float(out, odd ? copysign(0.0, iv) : 0.0);
    }
    return 0;
  }
  if (iv == 0.0) {
    int odd = double_is_odd_integer(iw);
    if (iw < 0.0) {
      return py_raise(error, "ZeroDivisionError", "0.0 cannot be raised to a negative power");
    }
    pn_value_set_float(out, odd ? iv : 0.0);
    return 0;
  }
  int negate = 0;
  if (iv < 0.0) {
    if (iw != floor(iw)) {
      /* A negative number to a fractional power is complex. */
      return complex_pow(error, iv, 0.0, iw, 0.0, out);
    }
    iv = -iv;
    negate = double_is_odd_integer(iw);
  }
  if (iv == 1.0) {
    pn_value_set_float(out, negate ? -1.0 : 1.0);
    return 0;
  }
  errno = 0;
  double ix = pow(iv, iw);
  if (errno == 0 && isinf(ix)) {
    errno = ERANGE;
  } else if (errno == ERANGE && ix == 0.0) {
    errno = 0; /* underflow is not an error */
  }
  if (negate) {
    ix = -ix;
  }
  if (errno == ERANGE) {
    return py_raise(error, "OverflowError", "(34, 'Numerical result out of range')");
  }
  if (errno != 0) {
    return py_raise(error, "ValueError", "(33, 'Numerical argument out of domain')");
  }
  pn_value_set_float(out, ix);
  return 0;
}

static int float_binop(py_error *error, pn_binop op, double a, double b, pn_value *out) {
  switch (op) {
    case PN_ADD:
      pn_value_set_float(out, a + b);
      return 0;
    case PN_SUB:
      pn_value_set_float(out, a - b);
      return 0;
    case PN_MUL:
      pn_value_set_float(out, a * b);
      return 0;
    case PN_TRUEDIV:
      if (b == 0.0) {
        return py_raise(error, "ZeroDivisionError", "float division by zero");
      }
      pn_value_set_float(out, a / b);
      return 0;
    case PN_FLOORDIV:
    case PN_MOD: {
      if (b == 0.0) {
        return op == PN_MOD ? py_raise(error, "ZeroDivisionError", "float modulo")
                            : py_raise(error, "ZeroDivisionError", "float floor division by zero");
      }
      double mod = fmod(a, b);
      double div = (a - mod) / b;
      if (mod != 0.0) {
        if ((b < 0) != (mod < 0)) {
          mod += b;
          div -= 1.0;
        }
      } else {
        mod = copysign(0.0, b);
      }
      double floordiv;
      if (div != 0.0) {
        floordiv = floor(div);
        if (div - floordiv > 0.5) {
          floordiv += 1.0;
        }
      } else {
        floordiv = copysign(0.0, a / b);
      }
      pn_value_set_float(out, op == PN_MOD ? mod : floordiv);
      return 0;
    }
    case PN_POW:
    case PN_POW_BUILTIN:
      return float_pow(error, a, b, out);
    case PN_MATMUL:
      break;
  }
  return py_raise(error, "TypeError", "unsupported operand type(s) for @: 'float' and 'float'");
}

/* ---- complex arithmetic (complexobject.c) ---- */

typedef struct cplx {
  double re, im;
} cplx;

static cplx c_prod(cplx a, cplx b) {
  cplx r = {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
  return r;
}

/* Smith's division as CPython writes it; sets *zero when b is 0. */
static cplx c_quot(cplx a, cplx b, int *zero) {
  cplx r;
  double abs_breal = b.re < 0 ? -b.re : b.re;
  double abs_bimag = b.im < 0 ? -b.im : b.im;
  if (abs_breal >= abs_bimag) {
    if (abs_breal == 0.0) {
      *zero = 1;
      r.re = r.im = 0.0;
    } else {
      double ratio = b.im / b.re;
      double denom = b.re + b.im * ratio;
      r.re = (a.re + a.im * ratio) / denom;
      r.im = (a.im - a.re * ratio) / denom;
    }
  } else if (abs_bimag >= abs_breal) {
    double ratio = b.re / b.im;
    double denom = b.re * ratio + b.im;
    r.re = (a.re * ratio + a.im) / denom;
    r.im = (a.im * ratio - a.re) / denom;
  } else {
    r.re = r.im = NAN; /* a NaN in b */
  }
  return r;
}

static cplx c_pow(cplx a, cplx b, int *zero) {
  cplx r;
  if (b.re == 0. && b.im == 0.) {
    r.re = 1.;
    r.im = 0.;
  } else if (a.re == 0. && a.im == 0.) {
    if (b.im != 0. || b.re < 0.) {
      *zero = 1;
    }
    r.re = 0.;
    r.im = 0.;
  } else {
    double vabs = hypot(a.re, a.im);
    double len = pow(vabs, b.re);
    double at = atan2(a.im, a.re);
    double phase = at * b.re;
    if (b.im != 0.0) {
      len /= exp(at * b.im);
      phase += b.im * log(vabs);
    }
    r.re = len * cos(phase);
    r.im = len * sin(phase);
  }
  return r;
}

static cplx c_powu(cplx x, long n) {
  cplx r = {1., 0.};
  cplx p = x;
  long mask = 1;
  while (mask > 0 && n >= mask) {
    if (n & mask) {
      r = c_prod(r, p);
    }
    mask <<= 1;
    p = c_prod(p, p);
  }
  return r;
}

static cplx c_powi(cplx x, long n, int *zero) {
  cplx one = {1., 0.};
  if (n > 100 || n < -100) {
    cplx cn = {(double)n, 0.};
    return c_pow(x, cn, zero);
  } else if (n > 0) {
    return c_powu(x, n);
  }
  return c_quot(one, c_powu(x, -n), zero);
}

static int complex_pow(py_error *error, double ar, double ai, double br, double bi, pn_value *out) {
  cplx a = {ar, ai}, b = {br, bi}, p;
  int zero = 0;
  /* CPython casts the real part to long; only values a long holds can equal it. */
  if (bi == 0. && fabs(br) < 9.0e18 && br == (double)(long)br) {
    p = c_powi(a, (long)br, &zero);
  } else {
    p = c_pow(a, b, &zero);
  }
  if (zero) {
    return py_raise(error, "ZeroDivisionError", "0.0 to a negative or complex power");
  }
  if (isinf(p.re) || isinf(p.im)) {
    return py_raise(error, "OverflowError", "complex exponentiation");
  }
  pn_value_set_complex(out, p.re, p.im);
  return 0;
}

/* `**` goes through ternary_op, which words its TypeError as pow()'s. */
static const char *binop_symbol(pn_binop op) {
  static const char *const symbols[] = {"+", "-",           "*",           "/", "//",
                                        "%", "** or pow()", "** or pow()", "@"};
  return symbols[op];
}

static int unsupported(py_error *error, pn_binop op, const pn_value *a, const pn_value *b) {
  return py_raise(error, "TypeError", "unsupported operand type(s) for %s: '%s' and '%s'",
                  binop_symbol(op), pn_type_name(a), pn_type_name(b));
}

static int complex_binop(py_error *error, pn_binop op, const pn_value *av, const pn_value *bv,
                         pn_value *out) {
  if (op == PN_FLOORDIV || op == PN_MOD || op == PN_MATMUL) {
    return unsupported(error, op, av, bv);
  }
  cplx a, b;
  if (to_complex(error, av, &a.re, &a.im) != 0 || to_complex(error, bv, &b.re, &b.im) != 0) {
    return -1;
  }
  switch (op) {
    case PN_ADD:
      pn_value_set_complex(out, a.re + b.re, a.im + b.im);
      return 0;
    case PN_SUB:
      pn_value_set_complex(out, a.re - b.re, a.im - b.im);
      return 0;
    case PN_MUL: {
      cplx r = c_prod(a, b);
      pn_value_set_complex(out, r.re, r.im);
      return 0;
    }
    case PN_TRUEDIV: {
      int zero = 0;
      cplx r = c_quot(a, b, &zero);
      if (zero) {
        return py_raise(error, "ZeroDivisionError", "complex division by zero");
      }
      pn_value_set_complex(out, r.re, r.im);
      return 0;
    }
    default:
      return complex_pow(error, a.re, a.im, b.re, b.im, out);
  }
}

/* ---- int arithmetic (longobject.c) ---- */

/* a / b correctly rounded, as long_true_divide. */
static int int_truediv(py_error *error, const mpz_t a, const mpz_t b, pn_value *out) {
  if (mpz_sgn(b) == 0) {
    return py_raise(error, "ZeroDivisionError", "division by zero");
  }
  int negative = (mpz_sgn(a) < 0) != (mpz_sgn(b) < 0);
  if (mpz_sgn(a) == 0) {
    pn_value_set_float(out, negative ? -0.0 : 0.0);
    return 0;
  }
  mpz_t num, den, q, r;
  mpz_inits(num, den, q, r, NULL);
  mpz_abs(num, a);
  mpz_abs(den, b);
  /* Scale so that the quotient has 55 or 56 bits. */
  long shift = (long)mpz_sizeinbase(num, 2) - (long)mpz_sizeinbase(den, 2) - 55;
  if (shift > 0) {
    mpz_mul_2exp(den, den, (mp_bitcnt_t)shift);
  } else {
    mpz_mul_2exp(num, num, (mp_bitcnt_t)-shift);
  }
  mpz_tdiv_qr(q, r, num, den);
  double result;
  int overflow = round_scaled(q, shift, mpz_sgn(r) != 0, &result);
  mpz_clears(num, den, q, r, NULL);
  if (overflow) {
    return py_raise(error, "OverflowError", "integer division result too large for a float");
  }
  pn_value_set_float(out, negative ? -result : result);
  return 0;
}

static int int_pow(py_error *error, pn_binop op, const pn_value *a, const pn_value *b,
                   pn_value *out) {
  if (mpz_sgn(b->big) < 0) {
    /* A negative exponent makes it a float power. */
    double x, y;
    if (pn_to_double(error, a, &x) != 0 || pn_to_double(error, b, &y) != 0) {
      return -1;
    }
    return float_binop(error, op, x, y, out);
  }
  if (mpz_cmp_ui(a->big, 1) == 0 || mpz_sgn(a->big) == 0) {
    mpz_set_ui(out->big, mpz_sgn(b->big) == 0 ? 1 : mpz_get_ui(a->big));
    set_int(out);
    return 0;
  }
  if (mpz_cmp_si(a->big, -1) == 0) {
    mpz_set_si(out->big, mpz_odd_p(b->big) ? -1 : 1);
    set_int(out);
    return 0;
  }
  long base_bits = (long)mpz_sizeinbase(a->big, 2);
  if (!mpz_fits_slong_p(b->big) ||
      mpz_get_si(b->big) > PN_INT_MAX_BITS / (base_bits > 1 ? base_bits - 1 : 1)) {
    return py_raise(error, "MemoryError", "%s", "");
  }
  mpz_pow_ui(out->big, a->big, mpz_get_ui(b->big));
  set_int(out);
  return too_big(error, out->big);
}

static int int_binop(py_error *error, pn_binop op, const pn_value *a, const pn_value *b,
                     pn_value *out) {
  switch (op) {
    case PN_ADD:
      mpz_add(out->big, a->big, b->big);
      break;
    case PN_SUB:
      mpz_sub(out->big, a->big, b->big);
      break;
    case PN_MUL:
      if ((long)(mpz_sizeinbase(a->big, 2) + mpz_sizeinbase(b->big, 2)) > PN_INT_MAX_BITS + 1) {
        return py_raise(error, "MemoryError", "%s", "");
      }
      mpz_mul(out->big, a->big, b->big);
      break;
    case PN_TRUEDIV:
      return int_truediv(error, a->big, b->big, out);
    case PN_FLOORDIV:
    case PN_MOD:
      if (mpz_sgn(b->big) == 0) {
        return py_raise(
            error, "ZeroDivisionError",
            op == PN_MOD ? "integer modulo by zero" : "integer division or modulo by zero");
      }
      if (op == PN_MOD) {
        mpz_fdiv_r(out->big, a->big, b->big);
      } else {
        mpz_fdiv_q(out->big, a->big, b->big);
      }
      break;
    case PN_POW:
    case PN_POW_BUILTIN:
      return int_pow(error, op, a, b, out);
    case PN_MATMUL:
      return unsupported(error, op, a, b);
  }
  set_int(out);
  return too_big(error, out->big);
}

int pn_value_binop(py_error *error, pn_binop op, const pn_value *a, const pn_value *b,
                   pn_value *out) {
  if (!is_number(a) || !is_number(b)) {
    return unsupported(error, op, a, b);
  }
  if (a->kind == PN_COMPLEX || b->kind == PN_COMPLEX) {
    return complex_binop(error, op, a, b, out);
  }
  if (a->kind == PN_FLOAT || b->kind == PN_FLOAT) {
    if (op == PN_MATMUL) {
      return unsupported(error, op, a, b);
    }
    double x, y;
    if (pn_to_double(error, a, &x) != 0 || pn_to_double(error, b, &y) != 0) {
      return -1;
    }
    return float_binop(error, op, x, y, out);
  }
  return int_binop(error, op, a, b, out);
}

/* ---- comparisons ---- */

int pn_compare_holds(pn_compare op, int sign) {
  switch (op) {
    case PN_LT:
      return sign < 0;
    case PN_LE:
      return sign <= 0;
    case PN_EQ:
      return sign == 0;
    case PN_NE:
      return sign != 0;
    case PN_GT:
      return sign > 0;
    case PN_GE:
      return sign >= 0;
  }
  return 0;
}

/* Compares two reals, ints exactly; NaN is unordered (only != holds). */
static int real_compare(pn_compare op, const pn_value *a, const pn_value *b) {
  if (a->kind == PN_FLOAT && b->kind == PN_FLOAT) {
    if (isnan(a->re) || isnan(b->re)) {
      return op == PN_NE;
    }
    return pn_compare_holds(op, (a->re > b->re) - (a->re < b->re));
  }
  if (a->kind == PN_FLOAT || b->kind == PN_FLOAT) {
    const pn_value *integer = a->kind == PN_FLOAT ? b : a;
    double real = a->kind == PN_FLOAT ? a->re : b->re;
    if (isnan(real)) {
      return op == PN_NE;
    }
    int sign = mpz_cmp_d(integer->big, real);
    sign = (sign > 0) - (sign < 0);
    return pn_compare_holds(op, a->kind == PN_FLOAT ? -sign : sign);
  }
  return pn_compare_holds(op, mpz_cmp(a->big, b->big));
}

int pn_value_compare(py_error *error, pn_compare op, const pn_value *a, const pn_value *b,
                     int *truth) {
  static const char *const symbols[] = {"<", "<=", "==", "!=", ">", ">="};
  int equality = op == PN_EQ || op == PN_NE;
  if (is_number(a) && is_number(b) &&
      (equality || (a->kind != PN_COMPLEX && b->kind != PN_COMPLEX))) {
    if (a->kind == PN_COMPLEX || b->kind == PN_COMPLEX) {
      /* Equal when the imaginary parts are 0 and 0 and the real parts are equal. */
      const pn_value *c = a->kind == PN_COMPLEX ? a : b;
      const pn_value *other = c == a ? b : a;
      int same;
      if (other->kind == PN_COMPLEX) {
        same = a->re == b->re && a->im == b->im;
      } else if (c->im != 0.0) {
        same = 0;
      } else {
        pn_value real;
        pn_value_init(&real);
        pn_value_set_float(&real, c->re);
        same = real_compare(PN_EQ, &real, other);
        pn_value_clear(&real);
      }
      *truth = op == PN_EQ ? same : !same;
      return 0;
    }
    *truth = real_compare(op, a, b);
    return 0;
  }
  if (pn_is_seq(a) || pn_is_seq(b)) {
    return py_raise(error, "NotImplementedError",
                    "comparing a %s here is outside the newton expression subset of pyref",
                    pn_type_name(pn_is_seq(a) ? a : b));
  }
  if (equality) {
    /* Identity for the non-numbers; a number never equals one. */
    int same = a->kind == b->kind && (a->kind != PN_BUILTIN || a->builtin == b->builtin);
    *truth = op == PN_EQ ? same : !same;
    return 0;
  }
  return py_raise(error, "TypeError", "'%s' not supported between instances of '%s' and '%s'",
                  symbols[op], pn_type_name(a), pn_type_name(b));
}

/* ---- unary ---- */

int pn_value_unop(py_error *error, pn_unop op, const pn_value *v, pn_value *out) {
  static const char *const symbols[] = {"-", "+", "~"};
  if (is_integer(v)) {
    if (op == PN_NEG) {
      mpz_neg(out->big, v->big);
    } else if (op == PN_POS) {
      mpz_set(out->big, v->big);
    } else {
      mpz_com(out->big, v->big);
    }
    set_int(out);
    return 0;
  }
  if (op != PN_INVERT && v->kind == PN_FLOAT) {
    pn_value_set_float(out, op == PN_NEG ? -v->re : v->re);
    return 0;
  }
  if (op != PN_INVERT && v->kind == PN_COMPLEX) {
    if (op == PN_NEG) {
      pn_value_set_complex(out, -v->re, -v->im);
    } else {
      pn_value_set_complex(out, v->re, v->im);
    }
    return 0;
  }
  return py_raise(error, "TypeError", "bad operand type for unary %s: '%s'", symbols[op],
                  pn_type_name(v));
}

int pn_value_truth(const pn_value *v) {
  switch (v->kind) {
    case PN_NONE:
      return 0;
    case PN_BOOL:
    case PN_INT:
      return mpz_sgn(v->big) != 0;
    case PN_FLOAT:
      return v->re != 0.0;
    case PN_COMPLEX:
      return v->re != 0.0 || v->im != 0.0;
    case PN_LIST:
    case PN_TUPLE:
      return pn_seq_count(v) != 0;
    default:
      return 1;
  }
}

int pn_value_abs(py_error *error, const pn_value *v, pn_value *out) {
  if (is_integer(v)) {
    mpz_abs(out->big, v->big);
    set_int(out);
    return 0;
  }
  if (v->kind == PN_FLOAT) {
    pn_value_set_float(out, fabs(v->re));
    return 0;
  }
  if (v->kind == PN_COMPLEX) {
    /* _Py_c_abs: infinities win over NaNs. */
    double result;
    if (!isfinite(v->re) || !isfinite(v->im)) {
      if (isinf(v->re)) {
        result = fabs(v->re);
      } else if (isinf(v->im)) {
        result = fabs(v->im);
      } else {
        result = NAN;
      }
    } else {
      result = hypot(v->re, v->im);
      if (!isfinite(result)) {
        return py_raise(error, "OverflowError", "absolute value too large");
      }
    }
    pn_value_set_float(out, result);
    return 0;
  }
  return py_raise(error, "TypeError", "bad operand type for abs(): '%s'", pn_type_name(v));
}

int pn_value_powmod(py_error *error, const pn_value *base, const pn_value *exp, const pn_value *mod,
                    pn_value *out) {
  if (!is_integer(base) || !is_integer(exp) || !is_integer(mod)) {
    if (!is_number(base) || !is_number(exp) || !is_number(mod)) {
      return py_raise(error, "TypeError",
                      "unsupported operand type(s) for ** or pow(): '%s', '%s', '%s'",
                      pn_type_name(base), pn_type_name(exp), pn_type_name(mod));
    }
    return py_raise(error, "TypeError",
                    "pow() 3rd argument not allowed unless all arguments are integers");
  }
  if (mpz_sgn(mod->big) == 0) {
    return py_raise(error, "ValueError", "pow() 3rd argument cannot be 0");
  }
  mpz_t m, b;
  mpz_inits(m, b, NULL);
  mpz_abs(m, mod->big);
  mpz_set(b, base->big);
  int status = 0;
  if (mpz_sgn(exp->big) < 0 && mpz_invert(b, b, m) == 0) {
    status = py_raise(error, "ValueError", "base is not invertible for the given modulus");
  } else if (mpz_sgn(exp->big) < 0) {
    mpz_t e;
    mpz_init(e);
    mpz_neg(e, exp->big);
    mpz_powm(out->big, b, e, m);
    mpz_clear(e);
  } else {
    mpz_powm(out->big, b, exp->big, m);
  }
  if (status == 0) {
    /* The result takes the modulus's sign. */
    if (mpz_sgn(mod->big) < 0 && mpz_sgn(out->big) != 0) {
      mpz_add(out->big, out->big, mod->big);
    }
    set_int(out);
  }
  mpz_clears(m, b, NULL);
  return status;
}

int pn_value_int_from_double(py_error *error, double x, pn_value *v) {
  if (isinf(x)) {
    return py_raise(error, "OverflowError", "cannot convert float infinity to integer");
  }
  if (isnan(x)) {
    return py_raise(error, "ValueError", "cannot convert float NaN to integer");
  }
  mpz_set_d(v->big, x);
  set_int(v);
  return 0;
}

void pn_int_frexp(const mpz_t z, double *m, long *e) {
  long bits = (long)mpz_sizeinbase(z, 2);
  mpz_t q;
  mpz_init(q);
  int sticky = 0;
  if (bits > 55) {
    mpz_tdiv_q_2exp(q, z, (mp_bitcnt_t)(bits - 55));
    sticky = mpz_scan1(z, 0) < (mp_bitcnt_t)(bits - 55);
  } else {
    mpz_mul_2exp(q, z, (mp_bitcnt_t)(55 - bits));
  }
  round_scaled(q, -55, sticky, m);
  mpz_clear(q);
  *e = bits;
  if (*m == 1.0) {
    *m = 0.5;
    *e += 1;
  }
}

int pn_value_from_literal(py_error *error, const py_node *n, pn_value *out) {
  char stack[64];
  char *digits = n->len < sizeof stack ? stack : malloc(n->len + 1);
  if (digits == NULL) {
    return py_raise(error, "MemoryError", "%s", "");
  }
  size_t k = 0;
  for (size_t i = 0; i < n->len; i++) {
    if (n->text[i] != '_') {
      digits[k++] = n->text[i];
    }
  }
  digits[k] = '\0';
  int status = 0;
  if (n->kind == PY_NODE_INT) {
    int base = 10;
    const char *start = digits;
    if (k > 1 && digits[0] == '0' && strchr("xXoObB", digits[1]) != NULL) {
      base = (digits[1] | 32) == 'x' ? 16 : (digits[1] | 32) == 'o' ? 8 : 2;
      start += 2;
    }
    if (base == 10 && k > 4300) {
      status = py_raise(error, "SyntaxError",
                        "Exceeds the limit (4300 digits) for integer string conversion: value "
                        "has %zu digits; use sys.set_int_max_str_digits() to increase the limit "
                        "- Consider hexadecimal for huge integer literals to avoid decimal "
                        "conversion limits.",
                        k);
    } else if (base != 10 && (long)(k * 4) > PN_INT_MAX_BITS) {
      status = py_raise(error, "MemoryError", "%s", "");
    } else {
      mpz_set_str(out->big, start, base);
      out->kind = PN_INT;
    }
  } else {
    double value = strtod(digits, NULL); /* glibc rounds correctly, as CPython */
    if (n->kind == PY_NODE_FLOAT) {
      pn_value_set_float(out, value);
    } else {
      pn_value_set_complex(out, 0.0, value);
    }
  }
  if (digits != stack) {
    free(digits);
  }
  return status;
}
