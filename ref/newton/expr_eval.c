/*
 * The evaluator: literals, names, calls and operators in Python's order of
 * evaluation (left to right, callee before arguments, short-circuit `and`,
 * `or`, chained comparisons and `if`/`else`). The math functions follow
 * Modules/mathmodule.c of CPython 3.11: math_1's error rules, loghelper for
 * ints too large for a float.
 */
#include "ref/newton/expr_eval.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/newton/math_extra.h"
#include "ref/newton/pyseq.h"
#include "ref/py/builtin_names.h"
#include "ref/py/suggest.h"

enum builtin {
  B_ABS,
  B_MIN,
  B_MAX,
  B_POW,
  B_ROUND,
  B_LEN,
  B_MATH, /* math functions from here: B_MATH + index in kMath */
};

/* The builtins the subset models, by enum builtin. */
static const char *const kBuiltinNames[] = {"abs", "min", "max", "pow", "round", "len"};
#define MODELLED_BUILTINS (sizeof kBuiltinNames / sizeof kBuiltinNames[0])

typedef enum math_kind {
  M_ONE,   /* math_1: one float argument */
  M_LOG,   /* log, log2, log10: loghelper */
  M_ROUND, /* floor, ceil, trunc: an int */
  M_TEST,  /* isfinite, isinf, isnan: a bool */
  M_ATAN2,
  M_EXTRA, /* math_extra.c */
} math_kind;

typedef struct math_function {
  const char *name;
  math_kind kind;
  double (*function)(double);
  int can_overflow;
} math_function;

static double is_finite(double x) {
  return isfinite(x);
}
static double is_inf(double x) {
  return isinf(x);
}
static double is_nan(double x) {
  return isnan(x);
}

static const math_function kMath[] = {
    {"acos", M_ONE, acos, 0},
    {"acosh", M_ONE, acosh, 0},
    {"asin", M_ONE, asin, 0},
    {"asinh", M_ONE, asinh, 0},
    {"atan", M_ONE, atan, 0},
    {"atanh", M_ONE, atanh, 0},
    {"cbrt", M_ONE, cbrt, 0},
    {"cos", M_ONE, cos, 0},
    {"cosh", M_ONE, cosh, 1},
    {"erf", M_ONE, erf, 0},
    {"erfc", M_ONE, erfc, 0},
    {"exp", M_ONE, exp, 1},
    {"exp2", M_ONE, exp2, 1},
    {"expm1", M_ONE, expm1, 1},
    {"fabs", M_ONE, fabs, 0},
    {"sin", M_ONE, sin, 0},
    {"sinh", M_ONE, sinh, 1},
    {"sqrt", M_ONE, sqrt, 0},
    {"tan", M_ONE, tan, 0},
    {"tanh", M_ONE, tanh, 0},
    {"log", M_LOG, log, 0},
    {"log2", M_LOG, log2, 0},
    {"log10", M_LOG, log10, 0},
    {"floor", M_ROUND, floor, 0},
    {"ceil", M_ROUND, ceil, 0},
    {"trunc", M_ROUND, trunc, 0},
    {"isfinite", M_TEST, is_finite, 0},
    {"isinf", M_TEST, is_inf, 0},
    {"isnan", M_TEST, is_nan, 0},
    {"atan2", M_ATAN2, NULL, 0},
    {"log1p", M_ONE, log1p, 0},
    {"fmod", M_EXTRA, NULL, 0},
    {"remainder", M_EXTRA, NULL, 0},
    {"copysign", M_EXTRA, NULL, 0},
    {"pow", M_EXTRA, NULL, 0},
    {"ldexp", M_EXTRA, NULL, 0},
    {"hypot", M_EXTRA, NULL, 0},
    {"isclose", M_EXTRA, NULL, 0},
    {"degrees", M_EXTRA, NULL, 0},
    {"radians", M_EXTRA, NULL, 0},
    {"factorial", M_EXTRA, NULL, 0},
    {"isqrt", M_EXTRA, NULL, 0},
    {"gcd", M_EXTRA, NULL, 0},
    {"lcm", M_EXTRA, NULL, 0},
    {"comb", M_EXTRA, NULL, 0},
    {"perm", M_EXTRA, NULL, 0},
    {"fsum", M_EXTRA, NULL, 0},
    {"prod", M_EXTRA, NULL, 0},
    {"ulp", M_EXTRA, NULL, 0},
    {"nextafter", M_EXTRA, NULL, 0},
    {"gamma", M_EXTRA, NULL, 0},
    {"lgamma", M_EXTRA, NULL, 0},
};
#define MATH_COUNT (sizeof kMath / sizeof kMath[0])

/* dir(math) on CPython 3.11: AttributeError's suggestions come from it. */
static const char *const kMathDir[] = {
    "__doc__",   "__loader__", "__name__", "__package__", "__spec__", "acos",  "acosh",
    "asin",      "asinh",      "atan",     "atan2",       "atanh",    "cbrt",  "ceil",
    "comb",      "copysign",   "cos",      "cosh",        "degrees",  "dist",  "e",
    "erf",       "erfc",       "exp",      "exp2",        "expm1",    "fabs",  "factorial",
    "floor",     "fmod",       "frexp",    "fsum",        "gamma",    "gcd",   "hypot",
    "inf",       "isclose",    "isfinite", "isinf",       "isnan",    "isqrt", "lcm",
    "ldexp",     "lgamma",     "log",      "log10",       "log1p",    "log2",  "modf",
    "nan",       "nextafter",  "perm",     "pi",          "pow",      "prod",  "radians",
    "remainder", "sin",        "sinh",     "sqrt",        "tan",      "tanh",  "tau",
    "trunc",     "ulp"};

/* The module globals of `python newton.py`, in the order the script binds
 * them: where eval looks a name up after the lambda's x, before the
 * builtins, and the order NameError's "Did you mean" walks them in (the
 * eval'd code has no local variable names of its own for it to try first).
 * The variant newton_math.py binds math after __cached__. */
#define DUNDER_GLOBALS                                                               \
  "__name__", "__doc__", "__package__", "__loader__", "__spec__", "__annotations__", \
      "__builtins__", "__file__", "__cached__"
#define SCRIPT_GLOBALS "H", "derivative", "newton", "runner", "sys"
static const char *const kNoteGlobals[] = {DUNDER_GLOBALS, SCRIPT_GLOBALS};
static const char *const kMathGlobals[] = {DUNDER_GLOBALS, "math", SCRIPT_GLOBALS};

/* The most list and tuple items one evaluation may make: beyond it, the
 * time a run takes (200 evaluations) is refused, not spent. */
#define MAX_ITEMS_MADE ((size_t)1 << 18)

typedef struct evaluator {
  const py_expr *expr;
  const pn_value *x;
  pn_newton_script script;
  py_error *error;
  size_t items_made; /* list and tuple items made so far */
} evaluator;

static int eval(evaluator *ev, int index, pn_value *out);

/* ---- names and attributes ---- */

static int is_one_of(const py_node *n, const char *const *names, size_t count) {
  for (size_t i = 0; i < count; i++) {
    if (n->len == strlen(names[i]) && memcmp(n->text, names[i], n->len) == 0) {
      return 1;
    }
  }
  return 0;
}

static int unknown_name(evaluator *ev, const py_node *n) {
  const char *const *globals = ev->script == PN_NEWTON_MATH ? kMathGlobals : kNoteGlobals;
  size_t global_count = ev->script == PN_NEWTON_MATH ? sizeof kMathGlobals / sizeof kMathGlobals[0]
                                                     : sizeof kNoteGlobals / sizeof kNoteGlobals[0];
  if (is_one_of(n, globals, global_count) ||
      is_one_of(n, py_builtin_names, py_builtin_name_count)) {
    /* The script's functions, sys, the dunders and the builtins other than
     * abs, min, max, pow, round and len exist, but their values are not modelled. */
    return py_raise(ev->error, "NotImplementedError",
                    "the name '%.*s' is outside the newton expression subset of pyref", (int)n->len,
                    n->text);
  }
  const char *hint = py_suggest(n->text, n->len, globals, global_count);
  if (hint == NULL) {
    hint = py_suggest(n->text, n->len, py_builtin_names, py_builtin_name_count);
  }
  if (hint != NULL) {
    return py_raise(ev->error, "NameError", "name '%.*s' is not defined. Did you mean: '%s'?",
                    (int)n->len, n->text, hint);
  }
  return py_raise(ev->error, "NameError", "name '%.*s' is not defined", (int)n->len, n->text);
}

static int same(const py_node *n, const char *word) {
  return n->len == strlen(word) && memcmp(n->text, word, n->len) == 0;
}

static int load_name(evaluator *ev, const py_node *n, pn_value *out) {
  if (same(n, "x")) {
    pn_value_copy(out, ev->x);
    return 0;
  }
  if (same(n, "H")) {
    pn_value_set_float(out, PN_NEWTON_H);
    return 0;
  }
  if (ev->script == PN_NEWTON_MATH && same(n, "math")) {
    out->kind = PN_MODULE;
    return 0;
  }
  for (int i = 0; i < (int)MODELLED_BUILTINS; i++) {
    if (same(n, kBuiltinNames[i])) {
      out->kind = PN_BUILTIN;
      out->builtin = i;
      return 0;
    }
  }
  return unknown_name(ev, n);
}

static int load_attribute(evaluator *ev, const py_node *n, const pn_value *object, pn_value *out) {
  if (object->kind != PN_MODULE) {
    return py_raise(ev->error, "NotImplementedError",
                    "attributes of '%s' are outside the newton expression subset of pyref",
                    pn_type_name(object));
  }
  static const struct {
    const char *name;
    double value;
  } constants[] = {{"pi", M_PI}, {"e", M_E}, {"tau", 2 * M_PI}, {"inf", INFINITY}, {"nan", NAN}};
  for (size_t i = 0; i < sizeof constants / sizeof constants[0]; i++) {
    if (same(n, constants[i].name)) {
      pn_value_set_float(out, constants[i].value);
      return 0;
    }
  }
  for (size_t i = 0; i < MATH_COUNT; i++) {
    if (same(n, kMath[i].name)) {
      out->kind = PN_BUILTIN;
      out->builtin = B_MATH + (int)i;
      return 0;
    }
  }
  size_t count = sizeof kMathDir / sizeof kMathDir[0];
  for (size_t i = 0; i < count; i++) {
    if (same(n, kMathDir[i])) {
      return py_raise(ev->error, "NotImplementedError",
                      "math.%s is outside the newton expression subset of pyref", kMathDir[i]);
    }
  }
  const char *hint = py_suggest(n->text, n->len, kMathDir, count);
  if (hint != NULL) {
    return py_raise(ev->error, "AttributeError",
                    "module 'math' has no attribute '%.*s'. Did you mean: '%s'?", (int)n->len,
                    n->text, hint);
  }
  return py_raise(ev->error, "AttributeError", "module 'math' has no attribute '%.*s'", (int)n->len,
                  n->text);
}

/* ---- literals ---- */

static int load_number(evaluator *ev, const py_node *n, pn_value *out) {
  return pn_value_from_literal(ev->error, n, out);
}

/* ---- builtins ---- */

static int round_builtin(evaluator *ev, pn_value *args, int argc, pn_value *out);

static int real_argument(evaluator *ev, const pn_value *v, double *out) {
  if (v->kind == PN_BOOL || v->kind == PN_INT || v->kind == PN_FLOAT) {
    return pn_to_double(ev->error, v, out);
  }
  return py_raise(ev->error, "TypeError", "must be real number, not %s", pn_type_name(v));
}

/* math_1: NaN from a number is a domain error, infinity from a finite
 * number an overflow (or a domain error for a singularity). */
static int math_one(evaluator *ev, const math_function *f, double x, pn_value *out) {
  errno = 0;
  double r = f->function(x);
  if (isnan(r) && !isnan(x)) {
    return py_raise(ev->error, "ValueError", "math domain error");
  }
  if (isinf(r) && isfinite(x)) {
    return f->can_overflow ? py_raise(ev->error, "OverflowError", "math range error")
                           : py_raise(ev->error, "ValueError", "math domain error");
  }
  if (isfinite(r) && errno == EDOM) {
    return py_raise(ev->error, "ValueError", "math domain error");
  }
  if (isfinite(r) && errno == ERANGE && fabs(r) >= 1.5) {
    return py_raise(ev->error, "OverflowError", "math range error");
  }
  pn_value_set_float(out, r);
  return 0;
}

/* loghelper: ints too large for a float are logged through frexp. */
static int math_log(evaluator *ev, const math_function *f, const pn_value *v, double *result) {
  if (v->kind == PN_BOOL || v->kind == PN_INT) {
    if (mpz_sgn(v->big) <= 0) {
      return py_raise(ev->error, "ValueError", "math domain error");
    }
    py_error ignored = {NULL, ""};
    double x;
    if (pn_to_double(&ignored, v, &x) != 0) {
      double m;
      long e;
      pn_int_frexp(v->big, &m, &e);
      *result = f->function(m) + f->function(2.0) * (double)e;
      return 0;
    }
    *result = f->function(x);
    return 0;
  }
  double x;
  if (real_argument(ev, v, &x) != 0) {
    return -1;
  }
  pn_value tmp;
  pn_value_init(&tmp);
  int status = math_one(ev, f, x, &tmp);
  *result = tmp.re;
  pn_value_clear(&tmp);
  return status;
}

static int call_math(evaluator *ev, const math_function *f, pn_value *args, int argc,
                     pn_value *out) {
  double x, y;
  if (f->kind == M_EXTRA) {
    return pn_math_extra_call(ev->error, f->name, args, argc, out);
  }
  if (f->kind == M_LOG && strcmp(f->name, "log") == 0) {
    if (argc < 1 || argc > 2) {
      return py_raise(ev->error, "TypeError",
                      argc < 1 ? "log expected at least 1 argument, got %d"
                               : "log expected at most 2 arguments, got %d",
                      argc);
    }
    double num, den;
    if (math_log(ev, f, &args[0], &num) != 0) {
      return -1;
    }
    if (argc == 1) {
      pn_value_set_float(out, num);
      return 0;
    }
    if (math_log(ev, f, &args[1], &den) != 0) {
      return -1;
    }
    if (den == 0.0) {
      return py_raise(ev->error, "ZeroDivisionError", "float division by zero");
    }
    pn_value_set_float(out, num / den);
    return 0;
  }
  if (f->kind == M_ATAN2) {
    if (argc != 2) {
      return py_raise(ev->error, "TypeError", "atan2 expected 2 arguments, got %d", argc);
    }
    if (real_argument(ev, &args[0], &y) != 0 || real_argument(ev, &args[1], &x) != 0) {
      return -1;
    }
    pn_value_set_float(out, atan2(y, x));
    return 0;
  }
  if (argc != 1) {
    return py_raise(ev->error, "TypeError", "math.%s() takes exactly one argument (%d given)",
                    f->name, argc);
  }
  switch (f->kind) {
    case M_LOG: {
      double r;
      if (math_log(ev, f, &args[0], &r) != 0) {
        return -1;
      }
      pn_value_set_float(out, r);
      return 0;
    }
    case M_ROUND:
      if (args[0].kind == PN_INT || args[0].kind == PN_BOOL) {
        mpz_set(out->big, args[0].big);
        out->kind = PN_INT;
        return 0;
      }
      if (args[0].kind != PN_FLOAT && strcmp(f->name, "trunc") == 0) {
        /* math_trunc looks __trunc__ up and, unlike floor and ceil, never
         * falls back to float(). */
        return py_raise(ev->error, "TypeError", "type %s doesn't define __trunc__ method",
                        pn_type_name(&args[0]));
      }
      if (real_argument(ev, &args[0], &x) != 0) {
        return -1;
      }
      return pn_value_int_from_double(ev->error, f->function(x), out);
    case M_TEST:
      if (real_argument(ev, &args[0], &x) != 0) {
        return -1;
      }
      pn_value_set_bool(out, f->function(x) != 0);
      return 0;
    default:
      if (real_argument(ev, &args[0], &x) != 0) {
        return -1;
      }
      return math_one(ev, f, x, out);
  }
}

static int min_max(evaluator *ev, int is_max, pn_value *args, int argc, pn_value *out) {
  const char *name = is_max ? "max" : "min";
  if (argc == 0) {
    return py_raise(ev->error, "TypeError", "%s expected at least 1 argument, got 0", name);
  }
  if (argc == 1 && pn_is_seq(&args[0])) {
    /* One argument is the iterable whose items compete. */
    const pn_value *items = pn_seq_items(&args[0]);
    size_t count = pn_seq_count(&args[0]);
    if (count == 0) {
      return py_raise(ev->error, "ValueError", "%s() arg is an empty sequence", name);
    }
    size_t best = 0;
    for (size_t i = 1; i < count; i++) {
      int better;
      if (pn_seq_compare(ev->error, is_max ? PN_GT : PN_LT, &items[i], &items[best], &better) !=
          0) {
        return -1;
      }
      if (better) {
        best = i;
      }
    }
    pn_value_copy(out, &items[best]);
    return 0;
  }
  if (argc == 1) {
    return py_raise(
        ev->error, "TypeError", "'%s' object is not iterable",
        args[0].kind == PN_BUILTIN ? "builtin_function_or_method" : pn_type_name(&args[0]));
  }
  int best = 0;
  for (int i = 1; i < argc; i++) {
    int better;
    if (pn_seq_compare(ev->error, is_max ? PN_GT : PN_LT, &args[i], &args[best], &better) != 0) {
      return -1;
    }
    if (better) {
      best = i;
    }
  }
  pn_value_copy(out, &args[best]);
  return 0;
}

static int call(evaluator *ev, const pn_value *callee, pn_value *args, int argc, pn_value *out) {
  if (callee->kind != PN_BUILTIN) {
    return py_raise(ev->error, "TypeError", "'%s' object is not callable", pn_type_name(callee));
  }
  switch (callee->builtin) {
    case B_ABS:
      if (argc != 1) {
        return py_raise(ev->error, "TypeError", "abs() takes exactly one argument (%d given)",
                        argc);
      }
      return pn_value_abs(ev->error, &args[0], out);
    case B_MIN:
    case B_MAX:
      return min_max(ev, callee->builtin == B_MAX, args, argc, out);
    case B_POW:
      if (argc < 2) {
        return py_raise(ev->error, "TypeError", "pow() missing required argument '%s' (pos %d)",
                        argc == 0 ? "base" : "exp", argc + 1);
      }
      if (argc > 3) {
        return py_raise(ev->error, "TypeError", "pow() takes at most 3 arguments (%d given)", argc);
      }
      if (argc == 3 && args[2].kind != PN_NONE) {
        return pn_value_powmod(ev->error, &args[0], &args[1], &args[2], out);
      }
      return pn_value_binop(ev->error, PN_POW_BUILTIN, &args[0], &args[1], out);
    case B_ROUND:
      return round_builtin(ev, args, argc, out);
    case B_LEN:
      if (argc != 1) {
        return py_raise(ev->error, "TypeError", "len() takes exactly one argument (%d given)",
                        argc);
      }
      if (pn_is_seq(&args[0])) {
        mpz_set_ui(out->big, (unsigned long)pn_seq_count(&args[0]));
        out->kind = PN_INT;
        return 0;
      }
      return py_raise(
          ev->error, "TypeError", "object of type '%s' has no len()",
          args[0].kind == PN_BUILTIN ? "builtin_function_or_method" : pn_type_name(&args[0]));
    default:
      return call_math(ev, &kMath[callee->builtin - B_MATH], args, argc, out);
  }
}

/* round(x, n) for a finite nonzero float: the decimal rounding of x's exact
 * value to n places, ties to even, read back as a double (CPython rounds the
 * same way through dtoa's mode 3). */
static int round_float_digits(evaluator *ev, double x, long n, pn_value *out) {
  if (n > 323 || !isfinite(x) || x == 0.0) {
    pn_value_set_float(out, x);
    return 0;
  }
  if (n < -308) {
    pn_value_set_float(out, 0.0 * x);
    return 0;
  }
  int exponent;
  double mantissa = frexp(fabs(x), &exponent);
  mpz_t num, den, q, r, ten;
  mpz_inits(num, den, q, r, ten, NULL);
  mpz_set_d(num, ldexp(mantissa, 53));
  exponent -= 53;
  mpz_set_ui(den, 1);
  mpz_ui_pow_ui(ten, 10, (unsigned long)labs(n));
  if (n >= 0) {
    mpz_mul(num, num, ten);
  } else {
    mpz_mul(den, den, ten);
  }
  if (exponent >= 0) {
    mpz_mul_2exp(num, num, (mp_bitcnt_t)exponent);
  } else {
    mpz_mul_2exp(den, den, (mp_bitcnt_t)-exponent);
  }
  mpz_fdiv_qr(q, r, num, den);
  mpz_mul_2exp(r, r, 1);
  int half = mpz_cmp(r, den);
  if (half > 0 || (half == 0 && mpz_odd_p(q))) {
    mpz_add_ui(q, q, 1);
  }
  char *text = mpz_get_str(NULL, 10, q);
  size_t size = strlen(text) + 32;
  char *literal = malloc(size);
  int status = 0;
  if (text == NULL || literal == NULL) {
    status = py_raise(ev->error, "MemoryError", "%s", "");
  } else {
    snprintf(literal, size, "%se%ld", text, -n);
    double rounded = strtod(literal, NULL);
    if (isinf(rounded)) {
      status = py_raise(ev->error, "OverflowError", "rounded value too large to represent");
    } else {
      pn_value_set_float(out, copysign(rounded, x));
    }
  }
  free(literal);
  free(text);
  mpz_clears(num, den, q, r, ten, NULL);
  return status;
}

static int round_builtin(evaluator *ev, pn_value *args, int argc, pn_value *out) {
  if (argc == 0) {
    return py_raise(ev->error, "TypeError", "round() missing required argument 'number' (pos 1)");
  }
  if (argc > 2) {
    return py_raise(ev->error, "TypeError", "round() takes at most 2 arguments (%d given)", argc);
  }
  const pn_value *number = &args[0];
  if (number->kind != PN_INT && number->kind != PN_BOOL && number->kind != PN_FLOAT) {
    return py_raise(ev->error, "TypeError", "type %s doesn't define __round__ method",
                    pn_type_name(number));
  }
  int has_digits = argc == 2 && args[1].kind != PN_NONE;
  if (has_digits && args[1].kind != PN_INT && args[1].kind != PN_BOOL) {
    return py_raise(ev->error, "TypeError", "'%s' object cannot be interpreted as an integer",
                    pn_type_name(&args[1]));
  }
  if (number->kind == PN_FLOAT) {
    double x = number->re;
    if (!has_digits) {
      double rounded = round(x);
      if (fabs(x - rounded) == 0.5) {
        rounded = 2.0 * round(x / 2.0);
      }
      return pn_value_int_from_double(ev->error, rounded, out);
    }
    /* Digits beyond a long are clamped, as PyNumber_AsSsize_t does. */
    long n = mpz_fits_slong_p(args[1].big) ? mpz_get_si(args[1].big)
                                           : (mpz_sgn(args[1].big) < 0 ? -100000 : 100000);
    return round_float_digits(ev, x, n, out);
  }
  mpz_set(out->big, number->big);
  out->kind = PN_INT;
  if (!has_digits || mpz_sgn(args[1].big) >= 0) {
    return 0;
  }
  /* An int to a negative number of digits: to the nearest multiple of 10^-n, ties to even. */
  if (!mpz_fits_slong_p(args[1].big) ||
      (unsigned long)-mpz_get_si(args[1].big) > mpz_sizeinbase(number->big, 10) + 1) {
    mpz_set_ui(out->big, 0);
    return 0;
  }
  mpz_t ten, q, r;
  mpz_inits(ten, q, r, NULL);
  mpz_ui_pow_ui(ten, 10, (unsigned long)-mpz_get_si(args[1].big));
  mpz_fdiv_qr(q, r, number->big, ten);
  mpz_mul_2exp(r, r, 1);
  int half = mpz_cmp(r, ten);
  if (half > 0 || (half == 0 && mpz_odd_p(q))) {
    mpz_add_ui(q, q, 1);
  }
  mpz_mul(out->big, q, ten);
  mpz_clears(ten, q, r, NULL);
  return 0;
}

/* ---- the tree ---- */

static int eval_call(evaluator *ev, const py_node *n, pn_value *out) {
  pn_value callee;
  pn_value_init(&callee);
  int status = eval(ev, n->a, &callee);
  int argc = 0;
  for (int arg = n->b; arg >= 0; arg = ev->expr->nodes[arg].next) {
    argc++;
  }
  pn_value *args = calloc((size_t)(argc ? argc : 1), sizeof *args);
  if (args == NULL) {
    pn_value_clear(&callee);
    return py_raise(ev->error, "MemoryError", "%s", "");
  }
  for (int i = 0; i < argc; i++) {
    pn_value_init(&args[i]);
  }
  int i = 0;
  for (int arg = n->b; status == 0 && arg >= 0; arg = ev->expr->nodes[arg].next) {
    status = eval(ev, arg, &args[i++]);
  }
  if (status == 0) {
    status = call(ev, &callee, args, argc, out);
  }
  for (i = 0; i < argc; i++) {
    pn_value_clear(&args[i]);
  }
  free(args);
  pn_value_clear(&callee);
  return status;
}

/* The AST's operators (ref/py/parse.h) as the value layer's. */
static pn_binop binop_of(py_binop op) {
  switch (op) {
    case PY_ADD:
      return PN_ADD;
    case PY_SUB:
      return PN_SUB;
    case PY_MUL:
      return PN_MUL;
    case PY_TRUEDIV:
      return PN_TRUEDIV;
    case PY_FLOORDIV:
      return PN_FLOORDIV;
    case PY_MOD:
      return PN_MOD;
    case PY_POW:
      return PN_POW;
    case PY_MATMUL:
      break;
  }
  return PN_MATMUL;
}

static pn_unop unop_of(py_unop op) {
  return op == PY_NEG ? PN_NEG : op == PY_POS ? PN_POS : PN_INVERT;
}

static pn_compare compare_of(py_compare op) {
  static const pn_compare kCompare[] = {
      [PY_LT] = PN_LT, [PY_LE] = PN_LE, [PY_EQ] = PN_EQ,
      [PY_NE] = PN_NE, [PY_GT] = PN_GT, [PY_GE] = PN_GE,
  };
  return kCompare[op];
}

static int eval_compare(evaluator *ev, const py_node *n, pn_value *out) {
  pn_value left, right;
  pn_value_init(&left);
  pn_value_init(&right);
  int status = eval(ev, n->a, &left);
  int truth = 1;
  for (int k = n->b; status == 0 && truth && k >= 0; k = ev->expr->nodes[k].next) {
    status = eval(ev, k, &right);
    if (status == 0) {
      status = pn_seq_compare(ev->error, compare_of((py_compare)ev->expr->nodes[k].compare), &left,
                              &right, &truth);
      pn_value_copy(&left, &right);
    }
  }
  if (status == 0) {
    pn_value_set_bool(out, truth);
  }
  pn_value_clear(&left);
  pn_value_clear(&right);
  return status;
}

/* Counts the items of a list or tuple just made into out against
 * MAX_ITEMS_MADE. */
static int count_items(evaluator *ev, const pn_value *out) {
  if (!pn_is_seq(out)) {
    return 0;
  }
  ev->items_made += pn_seq_count(out);
  if (ev->items_made > MAX_ITEMS_MADE) {
    return py_raise(ev->error, "NotImplementedError",
                    "making more than %zu list and tuple items in one evaluation is outside the "
                    "newton expression subset of pyref",
                    MAX_ITEMS_MADE);
  }
  return 0;
}

/* A list or tuple display: its elements left to right. */
static int eval_display(evaluator *ev, const py_node *n, pn_value *out) {
  size_t count = 0;
  for (int k = n->b; k >= 0; k = ev->expr->nodes[k].next) {
    count++;
  }
  pn_value items;
  pn_value_init(&items);
  pn_value *slots = pn_value_set_seq(&items, n->kind == PY_NODE_LIST ? PN_LIST : PN_TUPLE, count);
  int status = slots == NULL ? py_raise(ev->error, "MemoryError", "%s", "") : 0;
  size_t i = 0;
  for (int k = n->b; status == 0 && k >= 0; k = ev->expr->nodes[k].next) {
    status = eval(ev, k, &slots[i++]);
  }
  if (status == 0) {
    pn_value_copy(out, &items);
    status = count_items(ev, out);
  }
  pn_value_clear(&items);
  return status;
}

static int eval(evaluator *ev, int index, pn_value *out) {
  const py_node *n = &ev->expr->nodes[index];
  pn_value a, b;
  int status = 0;
  switch (n->kind) {
    case PY_NODE_INT:
    case PY_NODE_FLOAT:
    case PY_NODE_IMAG:
      return load_number(ev, n, out);
    case PY_NODE_NAME:
      return load_name(ev, n, out);
    case PY_NODE_TRUE:
    case PY_NODE_FALSE:
      pn_value_set_bool(out, n->kind == PY_NODE_TRUE);
      return 0;
    case PY_NODE_NONE:
      out->kind = PN_NONE;
      return 0;
    case PY_NODE_CALL:
      return eval_call(ev, n, out);
    case PY_NODE_LIST:
    case PY_NODE_TUPLE:
      return eval_display(ev, n, out);
    case PY_NODE_COMPARE:
      return eval_compare(ev, n, out);
    case PY_NODE_AND:
    case PY_NODE_OR:
      if (eval(ev, n->a, out) != 0) {
        return -1;
      }
      if (pn_value_truth(out) == (n->kind == PY_NODE_OR)) {
        return 0;
      }
      return eval(ev, n->b, out);
    case PY_NODE_IFEXP:
      pn_value_init(&a);
      status = eval(ev, n->a, &a);
      if (status == 0) {
        status = eval(ev, pn_value_truth(&a) ? n->b : n->c, out);
      }
      pn_value_clear(&a);
      return status;
    default:
      break;
  }
  /* Operators: evaluate the operands first, left to right. */
  pn_value_init(&a);
  pn_value_init(&b);
  status = eval(ev, n->a, &a);
  if (status == 0 && n->kind == PY_NODE_BINOP) {
    status = eval(ev, n->b, &b);
  }
  if (status == 0) {
    switch (n->kind) {
      case PY_NODE_ATTR:
        status = load_attribute(ev, n, &a, out);
        break;
      case PY_NODE_UNARY:
        status = pn_value_unop(ev->error, unop_of((py_unop)n->op), &a, out);
        break;
      case PY_NODE_NOT:
        pn_value_set_bool(out, !pn_value_truth(&a));
        break;
      default:
        status = pn_seq_binop(ev->error, binop_of((py_binop)n->op), &a, &b, out);
        if (status == 0) {
          status = count_items(ev, out);
        }
        break;
    }
  }
  pn_value_clear(&a);
  pn_value_clear(&b);
  return status;
}

int pn_expr_eval(const py_expr *expr, pn_newton_script script, const pn_value *x, pn_value *out,
                 py_error *error) {
  evaluator ev = {expr, x, script, error, 0};
  return eval(&ev, expr->root, out);
}
