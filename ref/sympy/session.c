/* The session language (session.h): an evaluator over expr.h of the trees
 * session_syntax.h parses from the note's sliver of Python.
 * Anything outside the sliver is answered with a clear error rather than a
 * guess at CPython's answer. */
#include "ref/sympy/session.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/protocol/command.h"
#include "ref/py/builtin_names.h"
#include "ref/py/suggest.h"
#include "ref/py/syntax_messages.h"
#include "ref/sympy/evalf.h"
#include "ref/sympy/evaluate.h"
#include "ref/sympy/expand.h"
#include "ref/sympy/expr.h"
#include "ref/sympy/integrate.h"
#include "ref/sympy/names.h"
#include "ref/sympy/ops.h"
#include "ref/sympy/print.h"
#include "ref/sympy/session_calls.h"
#include "ref/sympy/session_logic.h"
#include "ref/sympy/session_syntax.h"
#include "ref/sympy/session_value.h"
#include "ref/sympy/simplify.h"

/* A session's memory: beyond it a line answers MemoryError. */
#define SESSION_MEMORY_LIMIT ((size_t)512 << 20)

static const struct {
  const char *name;
  func_id fn;
} kFunctions[] = {
    {"symbols", F_SYMBOLS},
    {"Symbol", F_SYMBOL},
    {"cos", F_COS},
    {"sin", F_SIN},
    {"exp", F_EXP},
    {"log", F_LOG},
    {"tan", F_TAN},
    {"Abs", F_ABS},
    {"sqrt", F_SQRT},
    {"expand", F_EXPAND},
    {"expand_func", F_EXPAND_FUNC},
    {"expand_mul", F_EXPAND_MUL},
    {"expand_multinomial", F_EXPAND_MULTINOMIAL},
    {"expand_power_exp", F_EXPAND_POWER_EXP},
    {"expand_power_base", F_EXPAND_POWER_BASE},
    {"expand_log", F_EXPAND_LOG},
    {"sympify", F_SYMPIFY},
    {"S", F_S},
    {"Integer", F_INTEGER},
    {"Rational", F_RATIONAL},
    {"Float", F_FLOAT},
    {"diff", F_DIFF},
    {"N", F_N},
    {"factor", F_FACTOR},
    {"cancel", F_CANCEL},
    {"simplify", F_SIMPLIFY},
    {"count_ops", F_COUNT_OPS},
    {"solve", F_SOLVE},
    {"integrate", F_INTEGRATE},
    {"Eq", F_EQ},
    {"Ne", F_NE},
    {"Lt", F_LT},
    {"Le", F_LE},
    {"Gt", F_GT},
    {"Ge", F_GE},
    {"And", F_AND},
    {"Or", F_OR},
    {"Xor", F_XOR},
    {"Not", F_NOT},
};

static const value *sympy_name_value(sy_ctx *ctx, const char *name) {
  for (size_t i = 0; i < sizeof kFunctions / sizeof kFunctions[0]; i++) {
    if (strcmp(kFunctions[i].name, name) == 0) {
      value *v = sy_new_value(ctx, V_FUNC);
      if (v != NULL) {
        v->fn = kFunctions[i].fn;
        v->name = kFunctions[i].name;
      }
      return v;
    }
  }
  static const struct {
    const char *name;
    int which;
  } kConstants[] = {{"E", SY_E},   {"pi", SY_PI},   {"I", SY_I},
                    {"oo", SY_OO}, {"zoo", SY_ZOO}, {"nan", SY_NAN}};
  for (size_t i = 0; i < sizeof kConstants / sizeof kConstants[0]; i++) {
    if (strcmp(name, kConstants[i].name) == 0) {
      return sy_expr_value(ctx, sy_const(ctx, kConstants[i].which));
    }
  }
  value *v = sy_new_value(ctx, V_OTHER);
  if (v != NULL) {
    v->name = name;
  }
  return v;
}

static int star_import(sy_session *s) {
  for (size_t i = 0; i < kSympyNamesCount; i++) {
    const value *v = sympy_name_value(&s->ctx, kSympyNames[i]);
    if (v == NULL || sy_bind(s, kSympyNames[i], strlen(kSympyNames[i]), v) != 0) {
      return -1;
    }
  }
  return 0;
}

/* sympy.abc's Symbols: the ASCII letters and the Greek letters' names,
 * lamda for lambda. Its other names (Symbol, _clash1, ...) are not. */
static bool is_abc_symbol(const char *name, size_t len) {
  static const char *const kGreek[] = {"alpha", "beta",    "gamma",   "delta", "epsilon", "zeta",
                                       "eta",   "theta",   "iota",    "kappa", "lamda",   "mu",
                                       "nu",    "xi",      "omicron", "pi",    "rho",     "sigma",
                                       "tau",   "upsilon", "phi",     "chi",   "psi",     "omega"};
  if (len == 1) {
    return isalpha((unsigned char)name[0]);
  }
  for (size_t i = 0; i < sizeof kGreek / sizeof kGreek[0]; i++) {
    if (strlen(kGreek[i]) == len && memcmp(kGreek[i], name, len) == 0) {
      return true;
    }
  }
  return false;
}

/* `from sympy import NAME, ...` (the objects `from sympy import *` binds)
 * or `from sympy.abc import NAME, ...` (Symbols), bound in their order. */
static int import_names(sy_session *s, const stmt *st) {
  const node *names = st->value;
  for (size_t i = 0; i < names->n; i++) {
    const node *nd = names->kids[i];
    const value *v = NULL;
    if (st->from_abc) {
      if (!is_abc_symbol(nd->text, nd->len)) {
        sy_fail(&s->ctx, "NotImplementedError", "importing '%.*s' from sympy.abc " SY_OUTSIDE,
                (int)nd->len, nd->text);
        return -1;
      }
      v = sy_expr_value(&s->ctx, sy_symbol(&s->ctx, nd->text, nd->len));
    } else {
      for (size_t k = 0; v == NULL && k < kSympyNamesCount; k++) {
        if (strlen(kSympyNames[k]) == nd->len && memcmp(kSympyNames[k], nd->text, nd->len) == 0) {
          v = sympy_name_value(&s->ctx, kSympyNames[k]);
          if (v == NULL) {
            return -1;
          }
        }
      }
      if (v == NULL) {
        sy_fail(&s->ctx, "NotImplementedError", "importing '%.*s' from sympy " SY_OUTSIDE,
                (int)nd->len, nd->text);
        return -1;
      }
    }
    if (v == NULL || sy_bind(s, nd->text, nd->len, v) != 0) {
      return -1;
    }
  }
  return 0;
}

static bool is_builtin_name(const char *name, size_t len) {
  for (size_t i = 0; i < py_builtin_name_count; i++) {
    if (strlen(py_builtin_names[i]) == len && memcmp(py_builtin_names[i], name, len) == 0) {
      return true;
    }
  }
  return false;
}

static const value *name_error(sy_session *s, const char *name, size_t len) {
  /* CPython 3.11 looks for a suggestion in the frame's locals, globals
   * (the same dict here) and builtins, each skipped when it holds 750 names
   * or more. */
  const char **candidates = malloc((s->count + 1) * sizeof *candidates);
  const char *hint = NULL;
  if (candidates != NULL) {
    candidates[0] = "__builtins__";
    for (size_t i = 0; i < s->count; i++) {
      candidates[i + 1] = s->names[i].name;
    }
    hint = py_suggest(name, len, candidates, s->count + 1);
  }
  if (hint == NULL) {
    hint = py_suggest(name, len, (const char *const *)py_builtin_names, py_builtin_name_count);
  }
  if (hint != NULL) {
    sy_fail(&s->ctx, "NameError", "name '%.*s' is not defined. Did you mean: '%s'?", (int)len, name,
            hint);
  } else {
    sy_fail(&s->ctx, "NameError", "name '%.*s' is not defined", (int)len, name);
  }
  free(candidates);
  return NULL;
}

static const value *lookup(sy_session *s, const char *name, size_t len) {
  const value *bound = sy_names_find(s, name, len);
  if (bound != NULL) {
    return bound;
  }
  if (len == 7 && memcmp(name, "globals", 7) == 0) {
    value *v = sy_new_value(&s->ctx, V_FUNC);
    if (v != NULL) {
      v->fn = F_GLOBALS;
      v->name = "globals";
    }
    return v;
  }
  if (is_builtin_name(name, len)) {
    return sy_fail(&s->ctx, "NotImplementedError", "the builtin '%.*s' " SY_OUTSIDE, (int)len,
                   name);
  }
  return name_error(s, name, len);
}

/* ---- sympify of strings ---- */

static const value *eval(evaluator *ev, const node *nd);

static const sy_expr *sympify_text(sy_ctx *ctx, const char *text, size_t len);
static const sy_expr *sympify_text_rational(sy_ctx *ctx, const char *text, size_t len);

static void python_repr_str(pn_strbuf *out, const char *s, size_t len);

/* Whether a SyntaxError of pyref's sympify grammar may not be the "invalid
 * syntax" sympy's parse_expr raises for the same text: blank text (line 0
 * there), and characters its tokenizer and transformations give a meaning
 * pyref's grammar lacks: comments, line breaks and continuations, tuples,
 * repeated decimals (.[3]), factorials, strings, braces, control bytes. */
static bool syntax_error_unsure(const char *text, size_t len) {
  bool blank = true;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)text[i];
    if ((c < 0x20 && c != '\t') || c > 0x7e || strchr("#\\,[]!'\"{}", c) != NULL) {
      return true;
    }
    blank &= c == ' ' || c == '\t';
  }
  return blank;
}

/* sympify(text), with rational=True (N's) when rational: parse_expr's
 * rationalize reads each float literal as the Rational it spells. */
static const sy_expr *sympify_text_with(sy_ctx *ctx, const char *text, size_t len, bool rational) {
  const sy_expr *result = NULL;
  bool failed_before = ctx->failed;
  if (failed_before) {
    return NULL;
  }
  /* sympify's a.replace('\n', '') before parse_expr */
  char *joined = sy_alloc(ctx, len + 1);
  if (joined == NULL) {
    return NULL;
  }
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    if (text[i] != '\n') {
      joined[n++] = text[i];
    }
  }
  joined[n] = '\0';
  text = joined;
  len = n;
  const node *tree = sy_parse_sympify(ctx, text, len);
  if (tree != NULL) {
    evaluator ev = {NULL, ctx, 0, {{0}}, 0, sympify_text, sympify_text_rational, rational};
    const value *v = eval(&ev, tree);
    if (v != NULL && (v->kind == V_EXPR || v->kind == V_INT)) {
      result = v->e;
    } else if (v != NULL) {
      sy_fail(ctx, "NotImplementedError", "this sympify input " SY_OUTSIDE);
    }
  }
  if (result == NULL && strcmp(ctx->error_type, "SyntaxError") == 0 &&
      strcmp(ctx->error_message.data, PY_SYNTAX_INVALID) == 0 && !syntax_error_unsure(text, len)) {
    /* parse_expr's SyntaxError, wrapped as sympify does. */
    pn_strbuf quoted = {0};
    python_repr_str(&quoted, text, len);
    ctx->failed = false;
    sy_fail(ctx, "SympifyError",
            "Sympify of expression 'could not parse %s' failed, because of exception being "
            "raised:\nSyntaxError: " PY_SYNTAX_INVALID " (<string>, line 1)",
            quoted.data ? quoted.data : "");
    pn_strbuf_free(&quoted);
  } else if (result == NULL && strcmp(ctx->error_type, "SyntaxError") == 0) {
    ctx->failed = false;
    sy_fail(ctx, "NotImplementedError", "this sympify error " SY_OUTSIDE);
  }
  return result;
}

static const sy_expr *sympify_text(sy_ctx *ctx, const char *text, size_t len) {
  return sympify_text_with(ctx, text, len, false);
}

static const sy_expr *sympify_text_rational(sy_ctx *ctx, const char *text, size_t len) {
  return sympify_text_with(ctx, text, len, true);
}

/* ---- operators ---- */

/* A Python float of value f; zero is Integer 0 in arithmetic with
 * expressions (x + 0.0 is x, 0.0*x is 0), as sympy's Float(0.0) acts. */
static const value *float_value(sy_ctx *ctx, double f) {
  value *v = sy_new_value(ctx, V_PYFLOAT);
  if (v != NULL && (v->e = f == 0 ? sy_integer(ctx, 0) : sy_float(ctx, f)) == NULL) {
    return NULL;
  }
  return v;
}

/* Rational(literal) for a float literal sy_read_decimal accepted: its
 * digits over the power of ten its point and exponent say, exactly. */
static const sy_expr *decimal_rational(sy_ctx *ctx, const char *t, size_t len) {
  mpz_t digits, scale;
  mpz_inits(digits, scale, NULL);
  long shift = 0, exponent = 0;
  bool point = false, overflow = false;
  size_t i = 0;
  for (; i < len && t[i] != 'e' && t[i] != 'E'; i++) {
    if (t[i] == '.') {
      point = true;
    } else {
      mpz_mul_ui(digits, digits, 10);
      mpz_add_ui(digits, digits, (unsigned long)(t[i] - '0'));
      shift -= point;
    }
  }
  if (i < len) {
    bool negative = t[++i] == '-';
    i += t[i] == '-' || t[i] == '+';
    for (; i < len && !overflow; i++) {
      exponent = exponent * 10 + (t[i] - '0');
      overflow = exponent > 100000;
    }
    exponent = negative ? -exponent : exponent;
  }
  exponent += shift;
  const sy_expr *e = NULL;
  if (overflow || exponent > 100000 || exponent < -100000) {
    sy_fail(ctx, "NotImplementedError", "this float literal " SY_OUTSIDE);
  } else {
    mpq_t q;
    mpq_init(q);
    mpz_ui_pow_ui(scale, 10, (unsigned long)(exponent < 0 ? -exponent : exponent));
    if (exponent < 0) {
      mpq_set_num(q, digits);
      mpq_set_den(q, scale);
      mpq_canonicalize(q);
    } else {
      mpz_mul(digits, digits, scale);
      mpq_set_z(q, digits);
    }
    e = sy_number(ctx, q);
    mpq_clear(q);
  }
  mpz_clears(digits, scale, NULL);
  return e;
}

/* A float literal: CPython's syntax without underscores, as a Python float
 * in a session line and as sympy's Float(str) in sympify text (where a
 * literal of more than 15 digits would carry more precision). */
static const value *int_value(sy_ctx *ctx, const sy_expr *e);

/* A prefixed int literal of a session line (0b1010, 0o17, 0xff, single
 * underscores between digits): its value, or NULL without an error when
 * the text is not one whole (bad ones are CPython's SyntaxErrors, refused
 * by the caller). */
static const value *prefixed_int(evaluator *ev, const node *nd) {
  const char *s = nd->text;
  size_t len = nd->len;
  int base = len > 2 && s[0] == '0' ? (s[1] | 32) == 'b'   ? 2
                                      : (s[1] | 32) == 'o' ? 8
                                      : (s[1] | 32) == 'x' ? 16
                                                           : 0
                                    : 0;
  if (base == 0 || ev->s == NULL || len > 4096) {
    return NULL;
  }
  char *digits = sy_alloc(ev->ctx, len);
  if (digits == NULL) {
    return NULL;
  }
  size_t k = 0;
  for (size_t i = 2; i < len; i++) {
    int c = (unsigned char)s[i];
    if (c == '_' && i + 1 < len && s[i + 1] != '_') {
      continue;
    }
    int d = isdigit(c) ? c - '0' : isxdigit(c) ? (c | 32) - 'a' + 10 : 99;
    if (d >= base) {
      return NULL;
    }
    digits[k++] = (char)c;
  }
  mpq_t q;
  mpq_init(q);
  if (k == 0 || mpz_set_str(mpq_numref(q), digits, base) != 0) {
    mpq_clear(q);
    return NULL;
  }
  const sy_expr *e = sy_number(ev->ctx, q);
  mpq_clear(q);
  return int_value(ev->ctx, e);
}

static const value *eval_float(evaluator *ev, const node *nd) {
  sy_ctx *ctx = ev->ctx;
  size_t digits;
  double f;
  const value *prefixed = prefixed_int(ev, nd);
  if (prefixed != NULL || ctx->failed) {
    return prefixed;
  }
  decimal_status status = sy_read_decimal(nd->text, nd->len, &f, &digits);
  if (status == DECIMAL_BAD_CHARACTER && nd->len < 64) {
    return sy_fail(ctx, "NotImplementedError", "this number literal " SY_OUTSIDE);
  }
  if (status == DECIMAL_OK && ev->s == NULL && ev->rational) {
    return sy_expr_value(ctx, decimal_rational(ctx, nd->text, nd->len));
  }
  if (status != DECIMAL_OK || (ev->s == NULL && (digits > 15 || f == 0))) {
    return sy_fail(ctx, "NotImplementedError", "this float literal " SY_OUTSIDE);
  }
  if (ev->s == NULL) {
    return sy_expr_value(ctx, sy_float(ctx, f));
  }
  return float_value(ctx, f);
}

static bool is_expr_like(const value *v) {
  return v->kind == V_EXPR || v->kind == V_INT || v->kind == V_PYFLOAT;
}

static const value *int_value(sy_ctx *ctx, const sy_expr *e) {
  if (e == NULL) {
    return NULL;
  }
  value *v = sy_new_value(ctx, V_INT);
  if (v != NULL) {
    v->e = e;
  }
  return v;
}

static const value *int_binop(sy_ctx *ctx, const char *op, const sy_expr *a, const sy_expr *b) {
  if (strcmp(op, "+") == 0) {
    return int_value(ctx, sy_add2(ctx, a, b));
  }
  if (strcmp(op, "-") == 0) {
    return int_value(ctx, sy_sub(ctx, a, b));
  }
  if (strcmp(op, "*") == 0) {
    return int_value(ctx, sy_mul2(ctx, a, b));
  }
  if (strcmp(op, "**") == 0) {
    if (mpq_sgn(b->q) < 0) {
      return sy_fail(ctx, "NotImplementedError", "float results are " SY_OUTSIDE);
    }
    return int_value(ctx, sy_pow(ctx, a, b));
  }
  if (strcmp(op, "//") == 0 || strcmp(op, "%") == 0) {
    if (mpq_sgn(b->q) == 0) {
      return sy_fail(ctx, "ZeroDivisionError", "integer division or modulo by zero");
    }
    mpz_t r;
    mpz_init(r);
    if (op[0] == '/') {
      mpz_fdiv_q(r, mpq_numref(a->q), mpq_numref(b->q));
    } else {
      mpz_fdiv_r(r, mpq_numref(a->q), mpq_numref(b->q));
    }
    mpq_t q;
    mpq_init(q);
    mpq_set_z(q, r);
    const value *v = int_value(ctx, sy_number(ctx, q));
    mpq_clear(q);
    mpz_clear(r);
    return v;
  }
  if (strcmp(op, "/") == 0) {
    /* int / int is the correctly rounded float of the quotient. */
    if (mpq_sgn(b->q) == 0) {
      return sy_fail(ctx, "ZeroDivisionError", "division by zero");
    }
    mpq_t q;
    mpq_init(q);
    mpq_div(q, a->q, b->q);
    double f = sy_q_to_double(q);
    mpq_clear(q);
    if (!isfinite(f)) {
      return sy_fail(ctx, "OverflowError", "integer division result too large for a float");
    }
    return float_value(ctx, f);
  }
  return sy_fail(ctx, "NotImplementedError", "this operation on ints " SY_OUTSIDE);
}

static const char *type_name(const value *v);

/* Whether v is an integer for the bitwise operators: a Python int
 * (python) or a sympy Integer. */
static bool bitwise_integer(const evaluator *ev, const value *v, bool *python) {
  *python = v->kind == V_INT && ev->s != NULL;
  return (v->kind == V_INT || v->kind == V_EXPR) && v->e->kind == SY_NUM &&
         mpz_cmp_ui(mpq_denref(v->e->q), 1) == 0;
}

/* a & b, a | b, a ^ b, a << b, a >> b on integers: Python ints give an
 * int, and a sympy Integer with an int or another Integer an Integer
 * (Integer.__and__ and the rest). Anything else, and shifts past the
 * subset's number sizes, are refused. */
static const value *bitwise(evaluator *ev, const char *op, const value *a, const value *b) {
  sy_ctx *ctx = ev->ctx;
  bool python_a, python_b;
  if (!bitwise_integer(ev, a, &python_a) || !bitwise_integer(ev, b, &python_b)) {
    return sy_fail(ctx, "NotImplementedError", "'%s' on these operands " SY_OUTSIDE, op);
  }
  mpz_srcptr x = mpq_numref(a->e->q), y = mpq_numref(b->e->q);
  mpq_t r;
  mpq_init(r);
  if (op[0] == '<' || op[0] == '>') {
    if (mpz_sgn(y) < 0) {
      mpq_clear(r);
      return sy_fail(ctx, "ValueError", "negative shift count");
    }
    if (mpz_cmp_ui(y, SY_MAX_NUMBER_BITS) > 0 ||
        (op[0] == '<' && mpz_sizeinbase(x, 2) + mpz_get_ui(y) > SY_MAX_NUMBER_BITS)) {
      mpq_clear(r);
      return sy_fail(ctx, "NotImplementedError", "shifts this far are " SY_OUTSIDE);
    }
    if (op[0] == '<') {
      mpz_mul_2exp(mpq_numref(r), x, mpz_get_ui(y));
    } else {
      mpz_fdiv_q_2exp(mpq_numref(r), x, mpz_get_ui(y)); /* Python's >> floors */
    }
  } else if (op[0] == '&') {
    mpz_and(mpq_numref(r), x, y);
  } else if (op[0] == '|') {
    mpz_ior(mpq_numref(r), x, y);
  } else {
    mpz_xor(mpq_numref(r), x, y);
  }
  const sy_expr *e = sy_number(ctx, r);
  mpq_clear(r);
  return python_a && python_b ? int_value(ctx, e) : sy_expr_value(ctx, e);
}

static bool is_bitwise_op(const char *op) {
  return strcmp(op, "&") == 0 || strcmp(op, "|") == 0 || strcmp(op, "^") == 0 ||
         strcmp(op, "<<") == 0 || strcmp(op, ">>") == 0;
}

static const value *binop(evaluator *ev, const char *op, const value *a, const value *b) {
  sy_ctx *ctx = ev->ctx;
  if (is_bitwise_op(op)) {
    if ((sy_is_boolean(a) || sy_is_boolean(b)) && op[1] == '\0') {
      sy_logic_op logic = op[0] == '&' ? SY_LOGIC_AND : op[0] == '|' ? SY_LOGIC_OR : SY_LOGIC_XOR;
      return sy_logic_op_values(ev, logic, a, b);
    }
    return bitwise(ev, op, a, b);
  }
  bool str_a = a->kind == V_STR, str_b = b->kind == V_STR;
  if ((op[0] == '+' || op[0] == '-') && op[1] == '\0' && str_a != str_b &&
      is_expr_like(str_a ? b : a)) {
    /* a number and a str: sympy's strict sympify declines the str */
    if (op[0] == '+' && str_a) {
      return sy_fail(ctx, "TypeError", "can only concatenate str (not \"%s\") to str",
                     type_name(b));
    }
    return sy_fail(ctx, "TypeError", "unsupported operand type(s) for %s: '%s' and '%s'", op,
                   type_name(a), type_name(b));
  }
  if ((a->kind == V_PYFLOAT || b->kind == V_PYFLOAT) && a->kind != V_EXPR && b->kind != V_EXPR) {
    return sy_fail(ctx, "NotImplementedError", "Python float arithmetic " SY_OUTSIDE);
  }
  if ((a->kind == V_PYFLOAT && a->e->kind != SY_FLOAT && is_expr_like(b) && sy_is_number(b->e)) ||
      (b->kind == V_PYFLOAT && b->e->kind != SY_FLOAT && is_expr_like(a) && sy_is_number(a->e))) {
    /* S(3) + 0.0 is the Float 3.00000000000000: 0.0 is modelled as 0 */
    return sy_fail(ctx, "NotImplementedError", "0.0 with a number " SY_OUTSIDE);
  }
  if ((a->kind == V_PYFLOAT && a->e->kind != SY_FLOAT) ||
      (b->kind == V_PYFLOAT && b->e->kind != SY_FLOAT)) {
    if (strcmp(op, "+") != 0 && strcmp(op, "-") != 0 && strcmp(op, "*") != 0) {
      return sy_fail(ctx, "NotImplementedError", "'%s' with 0.0 " SY_OUTSIDE, op);
    }
  }
  if (a->kind == V_INT && b->kind == V_INT && ev->s != NULL) {
    return int_binop(ctx, op, a->e, b->e);
  }
  if ((strcmp(op, "==") == 0 || strcmp(op, "!=") == 0) && a->kind == V_SET && b->kind == V_SET) {
    bool same = a->n == b->n;
    for (size_t i = 0; same && i < a->n; i++) {
      bool found = false;
      for (size_t j = 0; !found && j < b->n; j++) {
        found = sy_equal(a->items[i]->e, b->items[j]->e);
      }
      same = found;
    }
    value *v = sy_new_value(ctx, V_BOOL);
    if (v != NULL) {
      v->truth = same == (op[0] == '=');
    }
    return v;
  }
  if (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0) {
    if (!is_expr_like(a) || !is_expr_like(b)) {
      return sy_fail(ctx, "NotImplementedError", "comparing these values " SY_OUTSIDE);
    }
    value *v = sy_new_value(ctx, V_BOOL);
    if (v != NULL) {
      v->truth = sy_equal(a->e, b->e) == (op[0] == '=');
    }
    return v;
  }
  if (a->kind == V_STR && b->kind == V_STR && strcmp(op, "+") == 0) {
    value *v = sy_new_value(ctx, V_STR);
    char *joined = sy_alloc(ctx, a->len + b->len + 1);
    if (v == NULL || joined == NULL) {
      return NULL;
    }
    memcpy(joined, a->s, a->len);
    memcpy(joined + a->len, b->s, b->len);
    v->s = joined;
    v->len = a->len + b->len;
    return v;
  }
  if (!is_expr_like(a) || !is_expr_like(b)) {
    return sy_fail(ctx, "NotImplementedError", "'%s' on these operands " SY_OUTSIDE, op);
  }
  const sy_expr *x = a->e, *y = b->e;
  switch (op[0]) {
    case '+':
      return sy_expr_value(ctx, sy_add2(ctx, x, y));
    case '-':
      return sy_expr_value(ctx, sy_sub(ctx, x, y));
    case '*':
      if (op[1] == '*') {
        return sy_expr_value(ctx, sy_pow(ctx, x, y));
      }
      return sy_expr_value(ctx, sy_mul2(ctx, x, y));
    case '/':
      if (op[1] == '/') {
        break;
      }
      return sy_expr_value(ctx, sy_div(ctx, x, y));
    default:
      break;
  }
  return sy_fail(ctx, "NotImplementedError", "'%s' " SY_OUTSIDE, op);
}

static bool name_is(const char *name, const char *text, size_t len);

/* An attribute the subset does not have: CPython's AttributeError, with
 * its "Did you mean" over dir() of the value's type, when the type has no
 * such attribute either; NotImplementedError when it has (x.args). */
static const value *missing_attribute(sy_ctx *ctx, const value *obj, const char *name, size_t len) {
  const char *type = type_name(obj);
  const sy_attribute_dir *dir = NULL;
  for (size_t i = 0; type != NULL && i < kAttributeDirsCount; i++) {
    if (strcmp(kAttributeDirs[i].type_name, type) == 0) {
      dir = &kAttributeDirs[i];
    }
  }
  if (dir == NULL) {
    return sy_fail(ctx, "NotImplementedError", "the attribute '%.*s' " SY_OUTSIDE, (int)len, name);
  }
  const char **names = malloc(dir->count * sizeof *names);
  if (names == NULL) {
    return sy_fail(ctx, "MemoryError", "%s", "");
  }
  bool exists = false;
  for (size_t i = 0; i < dir->count; i++) {
    names[i] = kAttributeNames[dir->names[i]];
    exists |= name_is(names[i], name, len);
  }
  const char *hint = exists ? NULL : py_suggest(name, len, names, dir->count);
  if (exists) {
    sy_fail(ctx, "NotImplementedError", "the attribute '%.*s' " SY_OUTSIDE, (int)len, name);
  } else if (hint != NULL) {
    sy_fail(ctx, "AttributeError", "'%s' object has no attribute '%.*s'. Did you mean: '%s'?", type,
            (int)len, name, hint);
  } else {
    sy_fail(ctx, "AttributeError", "'%s' object has no attribute '%.*s'", type, (int)len, name);
  }
  free(names);
  return NULL;
}

static const value *attribute(evaluator *ev, const value *obj, const char *name, size_t len) {
  sy_ctx *ctx = ev->ctx;
  func_id fn;
  if (obj->kind == V_EXPR && len == 4 && memcmp(name, "subs", 4) == 0) {
    fn = M_SUBS;
  } else if (obj->kind == V_EXPR && len == 6 && memcmp(name, "expand", 6) == 0) {
    fn = M_EXPAND;
  } else if (obj->kind == V_GLOBALS && len == 5 && memcmp(name, "clear", 5) == 0) {
    fn = M_CLEAR;
  } else if (obj->kind == V_EXPR && len == 4 && memcmp(name, "diff", 4) == 0) {
    fn = M_DIFF;
  } else if (obj->kind == V_EXPR && len == 5 && memcmp(name, "evalf", 5) == 0) {
    fn = M_EVALF;
  } else if (obj->kind == V_EXPR && len == 9 && memcmp(name, "integrate", 9) == 0) {
    fn = M_INTEGRATE;
  } else if (obj->kind == V_EXPR && len == 8 && memcmp(name, "simplify", 8) == 0) {
    fn = M_SIMPLIFY;
  } else if (obj->kind == V_EXPR && len == 12 && memcmp(name, "free_symbols", 12) == 0) {
    return sy_free_symbols(ev, obj->e);
  } else {
    return missing_attribute(ctx, obj, name, len);
  }
  value *m = sy_new_value(ctx, V_METHOD);
  if (m != NULL) {
    m->fn = fn;
    m->self = obj;
    m->name = fn == M_SUBS        ? "subs"
              : fn == M_EXPAND    ? "expand"
              : fn == M_DIFF      ? "diff"
              : fn == M_EVALF     ? "evalf"
              : fn == M_INTEGRATE ? "integrate"
              : fn == M_SIMPLIFY  ? "simplify"
                                  : "clear";
  }
  return m;
}

/* type(v).__name__, for TypeError messages. */
static const char *type_name(const value *v) {
  static const char *const kFnClasses[SY_FN_COUNT] = {"cos", "sin", "exp", "log", "tan", "Abs"};
  switch (v->kind) {
    case V_NONE:
      return "NoneType";
    case V_BOOL:
      return "bool";
    case V_INT:
      return "int";
    case V_PYFLOAT:
      return "float";
    case V_STR:
      return "str";
    case V_TUPLE:
      return "tuple";
    case V_LIST:
      return "list";
    case V_EXPR:
      switch (v->e->kind) {
        case SY_NUM:
          if (sy_is_int(v->e, 0)) {
            return "Zero";
          }
          if (sy_is_int(v->e, 1)) {
            return "One";
          }
          if (sy_is_int(v->e, -1)) {
            return "NegativeOne";
          }
          if (mpz_cmp_ui(mpq_denref(v->e->q), 1) == 0) {
            return "Integer";
          }
          return mpz_cmp_ui(mpq_numref(v->e->q), 1) == 0 && mpz_cmp_ui(mpq_denref(v->e->q), 2) == 0
                     ? "Half"
                     : "Rational";
        case SY_SYM:
          return "Symbol";
        case SY_CONST: {
          static const char *const kConstClasses[] = {
              "Exp1", "Pi", "ImaginaryUnit", "Infinity", "NegativeInfinity", "ComplexInfinity",
              "NaN"};
          return kConstClasses[v->e->fn];
        }
        case SY_FLOAT:
          return "Float";
        case SY_ADD:
          return "Add";
        case SY_MUL:
          return "Mul";
        case SY_POW:
          return "Pow";
        case SY_FN:
          return kFnClasses[v->e->fn];
      }
      return NULL;
    default:
      return NULL;
  }
}

static const value *sympify_name(evaluator *ev, const node *nd);

/* Whether the C string name is the len bytes at text (which may hold any
 * byte), without reading past name's end. */
static bool name_is(const char *name, const char *text, size_t len) {
  for (size_t i = 0; i < len; i++) {
    if (name[i] == '\0' || name[i] != text[i]) {
      return false;
    }
  }
  return name[len] == '\0';
}

static const value *eval_name(evaluator *ev, const node *nd) {
  static const char *const kConstants[] = {"None", "True", "False"};
  for (int i = 0; i < 3; i++) {
    if (strlen(kConstants[i]) == nd->len && memcmp(kConstants[i], nd->text, nd->len) == 0) {
      if (ev->s == NULL) {
        return sy_fail(ev->ctx, "NotImplementedError", "'%s' in sympify " SY_OUTSIDE,
                       kConstants[i]);
      }
      value *v = sy_new_value(ev->ctx, i == 0 ? V_NONE : V_BOOL);
      if (v != NULL) {
        v->truth = i == 1;
      }
      return v;
    }
  }
  if (ev->s != NULL) {
    return lookup(ev->s, nd->text, nd->len);
  }
  for (size_t i = 0; i < NAME_MEMO; i++) {
    const name_memo *m = &ev->memo[i];
    if (m->v != NULL && m->len == nd->len && memcmp(m->text, nd->text, nd->len) == 0) {
      return m->v;
    }
  }
  const value *v = sympify_name(ev, nd);
  if (v != NULL) {
    ev->memo[ev->memo_next] = (name_memo){nd->text, nd->len, v};
    ev->memo_next = (ev->memo_next + 1) % NAME_MEMO;
  }
  return v;
}

/* A name in sympify: sympy's names, and any other name is a Symbol
 * (auto_symbol). */
static const value *sympify_name(evaluator *ev, const node *nd) {
  sy_ctx *ctx = ev->ctx;
  for (size_t i = 0; i < kSympyNamesCount; i++) {
    const char *name = kSympyNames[i];
    if (name_is(name, nd->text, nd->len)) {
      return sympy_name_value(ctx, name);
    }
  }
  static const char *const kKeywords[] = {
      "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
      "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
      "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};
  for (size_t i = 0; i < sizeof kKeywords / sizeof kKeywords[0]; i++) {
    if (strlen(kKeywords[i]) == nd->len && memcmp(kKeywords[i], nd->text, nd->len) == 0) {
      return sy_fail(ctx, "NotImplementedError", "keywords in sympify " SY_OUTSIDE);
    }
  }
  if (is_builtin_name(nd->text, nd->len)) {
    return sy_fail(ctx, "NotImplementedError", "builtins in sympify " SY_OUTSIDE);
  }
  return sy_expr_value(ctx, sy_symbol(ctx, nd->text, nd->len));
}

static const value *eval_int(evaluator *ev, const node *nd) {
  sy_ctx *ctx = ev->ctx;
  char *digits = sy_alloc(ctx, nd->len + 1);
  if (digits == NULL) {
    return NULL;
  }
  size_t k = 0;
  for (size_t i = 0; i < nd->len; i++) {
    if (nd->text[i] != '_') {
      digits[k++] = nd->text[i];
    }
  }
  if (k > 1 && digits[0] == '0') {
    return sy_fail(ctx, "NotImplementedError", "this integer literal " SY_OUTSIDE);
  }
  if (k > 4300) {
    return sy_fail(ctx, "NotImplementedError", "integer literals this long are " SY_OUTSIDE);
  }
  mpq_t q;
  mpq_init(q);
  if (mpz_set_str(mpq_numref(q), digits, 10) != 0) {
    mpq_clear(q);
    return sy_fail(ctx, "NotImplementedError", "this integer literal " SY_OUTSIDE);
  }
  const sy_expr *e = sy_number(ctx, q);
  mpq_clear(q);
  return ev->s != NULL ? int_value(ctx, e) : sy_expr_value(ctx, e);
}

/* A dict or set display: equal keys (sympy's ==, which also equates an
 * int with its Integer) kept once, at the first one's place, with the
 * last value. */
static const value *eval_display(evaluator *ev, const node *nd) {
  sy_ctx *ctx = ev->ctx;
  bool is_dict = nd->kind == N_DICT;
  size_t step = is_dict ? 2 : 1;
  value *v = (value *)sy_new_tuple(ctx, is_dict ? V_DICT : V_SET, nd->n);
  if (v == NULL) {
    return NULL;
  }
  size_t count = 0;
  for (size_t i = 0; i < nd->n; i += step) {
    const value *key = eval(ev, nd->kids[i]);
    const value *val = key != NULL && is_dict ? eval(ev, nd->kids[i + 1]) : NULL;
    if (key == NULL || (is_dict && val == NULL)) {
      return NULL;
    }
    if (!is_expr_like(key)) {
      return sy_fail(ctx, "NotImplementedError", "these keys " SY_OUTSIDE);
    }
    size_t j = 0;
    while (j < count && !sy_equal(v->items[j]->e, key->e)) {
      j += step;
    }
    if (j == count) {
      v->items[count] = key;
      count += step;
    }
    if (is_dict) {
      v->items[j + 1] = val;
    }
  }
  v->n = count;
  return v;
}

static bool is_sum_op(const char *op) {
  return strcmp(op, "+") == 0 || strcmp(op, "-") == 0;
}

/* A left-associative arithmetic operator node (not ** and no comparison). */
static bool is_chain_node(const node *nd) {
  static const char *const kOps[] = {"+", "-", "*", "/", "//", "%", "@"};
  for (size_t i = 0; nd->kind == N_BINOP && i < sizeof kOps / sizeof kOps[0]; i++) {
    if (strcmp(nd->text, kOps[i]) == 0) {
      return true;
    }
  }
  return false;
}

/* Whether v can join a pending one-call sum: an expression (or, inside
 * sympify, an Integer) without Floats and without oo, zoo or nan, for
 * which Add is associative and exact. */
static bool summable(const value *v) {
  return (v->kind == V_EXPR || v->kind == V_INT) && !v->e->has_float && !v->e->has_special;
}

/* A chain a + b * c - d ... (the parser's left-deep tree of arithmetic
 * operators), evaluated left to right as Python does, except that a run
 * of summable operands joined by + and - is added by one sy_add: the same
 * canonical sum as adding them one by one, in time linear in the terms
 * instead of quadratic. The chain is walked without recursion, so its
 * length is limited only by the compile depth, as CPython's is. */
static const value *eval_chain(evaluator *ev, const node *nd) {
  sy_ctx *ctx = ev->ctx;
  size_t n = 0;
  for (const node *t = nd; is_chain_node(t); t = t->kids[0]) {
    n++;
  }
  const node **spine = malloc(n * sizeof *spine);
  const sy_expr **pending = malloc((n + 1) * sizeof *pending);
  if (spine == NULL || pending == NULL) {
    free(spine);
    free(pending);
    return sy_fail(ctx, "MemoryError", "%s", "");
  }
  size_t i = 0;
  for (const node *t = nd; is_chain_node(t); t = t->kids[0]) {
    spine[i++] = t;
  }
  size_t npending = 0;
  const value *acc = eval(ev, spine[n - 1]->kids[0]);
  for (i = n; acc != NULL && i-- > 0;) {
    const value *b = eval(ev, spine[i]->kids[1]);
    if (b == NULL) {
      acc = NULL;
      break;
    }
    bool minus = spine[i]->text[0] == '-';
    /* two Python ints in the session stay int arithmetic */
    bool ints = npending == 0 && ev->s != NULL && acc->kind == V_INT && b->kind == V_INT;
    if (is_sum_op(spine[i]->text) && (npending > 0 || summable(acc)) && summable(b) && !ints) {
      if (npending == 0) {
        pending[npending++] = acc->e;
      }
      pending[npending++] = minus ? sy_neg(ctx, b->e) : b->e;
      continue;
    }
    if (npending > 0) {
      acc = sy_expr_value(ctx, sy_add(ctx, pending, npending));
      npending = 0;
    }
    acc = acc == NULL ? NULL : binop(ev, spine[i]->text, acc, b);
  }
  if (acc != NULL && npending > 0) {
    acc = ctx->failed ? NULL : sy_expr_value(ctx, sy_add(ctx, pending, npending));
  }
  free(spine);
  free(pending);
  return acc;
}

/* seq[index] for a tuple or list and an int or Integer index (negative
 * from the end), CPython's IndexError past either end; other subscripts
 * are refused. */
static const value *eval_subscript(evaluator *ev, const node *nd) {
  sy_ctx *ctx = ev->ctx;
  const value *seq = eval(ev, nd->kids[0]);
  const value *index = seq == NULL ? NULL : eval(ev, nd->kids[1]);
  bool python;
  if (index == NULL) {
    return NULL;
  }
  if ((seq->kind != V_TUPLE && seq->kind != V_LIST) || !bitwise_integer(ev, index, &python)) {
    return sy_fail(ctx, "NotImplementedError", "this subscript " SY_OUTSIDE);
  }
  mpz_t i;
  mpz_init_set(i, mpq_numref(index->e->q));
  if (mpz_sgn(i) < 0) {
    mpz_add_ui(i, i, seq->n);
  }
  bool inside = mpz_sgn(i) >= 0 && mpz_cmp_ui(i, seq->n) < 0;
  size_t at = inside ? mpz_get_ui(i) : 0;
  mpz_clear(i);
  if (!inside) {
    return sy_fail(ctx, "IndexError", "%s index out of range",
                   seq->kind == V_TUPLE ? "tuple" : "list");
  }
  return seq->items[at];
}

static const value *eval(evaluator *ev, const node *nd) {
  sy_ctx *ctx = ev->ctx;
  if (ctx->failed || nd == NULL) {
    return NULL;
  }
  if (++ev->depth > SY_MAX_NESTING) {
    return sy_fail(ctx, "RecursionError", "maximum recursion depth exceeded");
  }
  const value *result = NULL;
  switch (nd->kind) {
    case N_NAME:
      result = eval_name(ev, nd);
      break;
    case N_INT:
      result = eval_int(ev, nd);
      break;
    case N_FLOAT:
      result = eval_float(ev, nd);
      break;
    case N_STR: {
      value *v = sy_new_value(ctx, V_STR);
      if (v != NULL) {
        v->s = nd->text;
        v->len = nd->len;
      }
      result = v;
      break;
    }
    case N_TUPLE:
    case N_LIST: {
      value *t = (value *)sy_new_tuple(ctx, nd->kind == N_TUPLE ? V_TUPLE : V_LIST, nd->n);
      for (size_t i = 0; t != NULL && i < nd->n; i++) {
        if ((t->items[i] = eval(ev, nd->kids[i])) == NULL) {
          t = NULL;
        }
      }
      result = t;
      break;
    }
    case N_UNARY: {
      const value *v = eval(ev, nd->kids[0]);
      bool python;
      if (v == NULL) {
        break;
      }
      if (nd->text[0] == '~' && sy_is_boolean(v)) {
        result = sy_logic_op_values(ev, SY_LOGIC_NOT, v, NULL);
      } else if (nd->text[0] == '~' && bitwise_integer(ev, v, &python)) {
        /* ~n is -n - 1, for ints and Integers alike */
        const sy_expr *inverted = sy_sub(ctx, sy_neg(ctx, v->e), sy_integer(ctx, 1));
        result = python ? int_value(ctx, inverted) : sy_expr_value(ctx, inverted);
      } else if (nd->text[0] == '~' || !is_expr_like(v)) {
        result = sy_fail(ctx, "NotImplementedError", "this unary operator " SY_OUTSIDE);
      } else if (nd->text[0] == '+') {
        result = v;
      } else if (v->kind == V_PYFLOAT) {
        result = float_value(ctx, v->e->kind == SY_FLOAT ? -v->e->f : 0);
      } else if (v->kind == V_INT && ev->s != NULL) {
        result = int_value(ctx, sy_neg(ctx, v->e));
      } else {
        result = sy_expr_value(ctx, sy_neg(ctx, v->e));
      }
      break;
    }
    case N_BINOP: {
      if (is_chain_node(nd)) {
        result = eval_chain(ev, nd);
        break;
      }
      const value *a = eval(ev, nd->kids[0]);
      const value *b = a == NULL ? NULL : eval(ev, nd->kids[1]);
      if (b != NULL) {
        result = binop(ev, nd->text, a, b);
      }
      break;
    }
    case N_ATTR: {
      const value *obj = eval(ev, nd->kids[0]);
      if (obj != NULL) {
        result = attribute(ev, obj, nd->text, nd->len);
      }
      break;
    }
    case N_CALL: {
      const value *f = eval(ev, nd->kids[0]);
      if (f == NULL) {
        break;
      }
      size_t cap = nd->n ? nd->n : 1;
      const value **args = sy_alloc(ctx, cap * sizeof *args);
      const node **names = sy_alloc(ctx, (nd->n ? nd->n : 1) * sizeof *names);
      const value **kwvalues = sy_alloc(ctx, (nd->n ? nd->n : 1) * sizeof *kwvalues);
      size_t n = 0, nkw = 0;
      for (size_t i = 1; args != NULL && names != NULL && kwvalues != NULL && i < nd->n; i++) {
        if (nd->kids[i]->kind == N_STARRED) {
          /* f(*seq): a tuple's or list's items, in place */
          const value *seq = eval(ev, nd->kids[i]->kids[0]);
          if (seq != NULL && seq->kind != V_TUPLE && seq->kind != V_LIST) {
            seq = sy_fail(ctx, "NotImplementedError", "unpacking this value " SY_OUTSIDE);
          }
          if (seq != NULL && n + seq->n + (nd->n - i) > cap) {
            cap = n + seq->n + (nd->n - i);
            const value **grown = sy_alloc(ctx, cap * sizeof *grown);
            if (grown != NULL && n > 0) {
              memcpy(grown, args, n * sizeof *args);
            }
            args = grown;
          }
          if (seq == NULL || args == NULL) {
            args = NULL;
            continue;
          }
          for (size_t k = 0; k < seq->n; k++) {
            args[n++] = seq->items[k];
          }
          continue;
        }
        if (nd->kids[i]->kind == N_KWARG) {
          names[nkw] = nd->kids[i];
          if ((kwvalues[nkw++] = eval(ev, nd->kids[i]->kids[0])) == NULL) {
            args = NULL;
          }
          continue;
        }
        if ((args[n++] = eval(ev, nd->kids[i])) == NULL) {
          args = NULL;
        }
      }
      if (args != NULL && names != NULL && kwvalues != NULL) {
        kwargs kw = {names, kwvalues, nkw};
        result = sy_call(ev, f, args, n, &kw);
      }
      break;
    }
    case N_KWARG:
    case N_STARRED:
      result = sy_fail(ctx, "SyntaxError", PY_SYNTAX_INVALID);
      break;
    case N_COMPARE: {
      const value *a = eval(ev, nd->kids[0]);
      const value *b = a == NULL ? NULL : eval(ev, nd->kids[1]);
      if (b != NULL) {
        sy_rel_op op = strcmp(nd->text, "<") == 0    ? SY_REL_LT
                       : strcmp(nd->text, "<=") == 0 ? SY_REL_LE
                       : strcmp(nd->text, ">") == 0  ? SY_REL_GT
                                                     : SY_REL_GE;
        result = sy_compare(ev, op, a, b);
      }
      break;
    }
    case N_SUBSCRIPT:
      result = eval_subscript(ev, nd);
      break;
    case N_DICT:
    case N_SET:
      result = eval_display(ev, nd);
      break;
  }
  ev->depth--;
  return ctx->failed ? NULL : result;
}

/* ---- repr ---- */

static void python_repr_str(pn_strbuf *out, const char *s, size_t len) {
  bool has_single = memchr(s, '\'', len) != NULL, has_double = memchr(s, '"', len) != NULL;
  char quote = has_single && !has_double ? '"' : '\'';
  pn_strbuf_append(out, &quote, 1);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\\' || c == (unsigned char)quote) {
      pn_strbuf_printf(out, "\\%c", c);
    } else if (c == '\n') {
      pn_strbuf_puts(out, "\\n");
    } else if (c == '\t') {
      pn_strbuf_puts(out, "\\t");
    } else if (c == '\r') {
      pn_strbuf_puts(out, "\\r");
    } else if (c < 0x20 || c == 0x7f) {
      pn_strbuf_printf(out, "\\x%02x", c);
    } else {
      pn_strbuf_append(out, s + i, 1);
    }
  }
  pn_strbuf_append(out, &quote, 1);
}

static int repr(sy_ctx *ctx, const value *v, pn_strbuf *out) {
  switch (v->kind) {
    case V_NONE:
      return pn_strbuf_puts(out, "None");
    case V_BOOL:
      return pn_strbuf_puts(out, v->truth ? "True" : "False");
    case V_INT:
    case V_EXPR:
      return sy_print(ctx, v->e, out);
    case V_STR:
      for (size_t i = 0; i < v->len; i++) {
        if ((unsigned char)v->s[i] >= 0x80) {
          sy_fail(ctx, "NotImplementedError", "non-ASCII strings are " SY_OUTSIDE);
          return -1;
        }
      }
      python_repr_str(out, v->s, v->len);
      return 0;
    case V_TUPLE:
    case V_LIST:
      pn_strbuf_puts(out, v->kind == V_TUPLE ? "(" : "[");
      for (size_t i = 0; i < v->n; i++) {
        if ((i > 0 && pn_strbuf_puts(out, ", ") != 0) || repr(ctx, v->items[i], out) != 0) {
          return -1;
        }
      }
      if (v->kind == V_TUPLE && v->n == 1) {
        pn_strbuf_puts(out, ",");
      }
      return pn_strbuf_puts(out, v->kind == V_TUPLE ? ")" : "]");
    case V_FLOAT:
      return pn_strbuf_append(out, v->s, v->len);
    case V_REL:
    case V_LOGIC:
      return sy_logic_repr(ctx, v, out);
    case V_SET:
      if (v->n == 0) {
        return pn_strbuf_puts(out, "set()");
      }
      /* fallthrough */
    case V_DICT:
      pn_strbuf_puts(out, "{");
      for (size_t i = 0; i < v->n; i++) {
        const char *sep = i == 0 ? "" : v->kind == V_DICT && i % 2 == 1 ? ": " : ", ";
        if (pn_strbuf_puts(out, sep) != 0 || repr(ctx, v->items[i], out) != 0) {
          return -1;
        }
      }
      return pn_strbuf_puts(out, "}");
    case V_FUNC:
      if (v->fn == F_COS || v->fn == F_SIN || v->fn == F_EXP || v->fn == F_LOG || v->fn == F_TAN ||
          v->fn == F_ABS) {
        return pn_strbuf_puts(out, v->name);
      }
      sy_fail(ctx, "NotImplementedError", "the repr of this value (an address) " SY_OUTSIDE);
      return -1;
    default:
      sy_fail(ctx, "NotImplementedError", "the repr of this value " SY_OUTSIDE);
      return -1;
  }
}

/* ---- statements ---- */

static int assign(sy_session *s, const node *target, const value *v) {
  if (target->kind == N_NAME) {
    return sy_bind(s, target->text, target->len, v);
  }
  if (v->kind != V_TUPLE && v->kind != V_LIST) {
    const char *type = type_name(v);
    if (type != NULL) {
      sy_fail(&s->ctx, "TypeError", "cannot unpack non-iterable %s object", type);
      return -1;
    }
    sy_fail(&s->ctx, "NotImplementedError", "unpacking this value " SY_OUTSIDE);
    return -1;
  }
  if (v->n != target->n) {
    if (v->n > target->n) {
      sy_fail(&s->ctx, "ValueError", "too many values to unpack (expected %zu)", target->n);
    } else {
      sy_fail(&s->ctx, "ValueError", "not enough values to unpack (expected %zu, got %zu)",
              target->n, v->n);
    }
    return -1;
  }
  for (size_t i = 0; i < target->n; i++) {
    if (assign(s, target->kids[i], v->items[i]) != 0) {
      return -1;
    }
  }
  return 0;
}

static int answer_error(sy_ctx *ctx, pn_strbuf *out) {
  if (strcmp(ctx->error_type, "MemoryError") == 0 && ctx->error_message.len == 0) {
    return pn_strbuf_puts(out, "MemoryError");
  }
  return pn_answer_exception(out, ctx->error_type, "%s",
                             ctx->error_message.data ? ctx->error_message.data : "");
}

static int run_line(sy_session *s, const char *line, size_t len, pn_strbuf *echo) {
  sy_ctx *ctx = &s->ctx;
  stmt statements[64] = {{0}};
  size_t count = 0;
  if (sy_parse_line(ctx, line, len, statements, sizeof statements / sizeof statements[0], &count) !=
      0) {
    return -1;
  }
  for (size_t i = 0; i < count; i++) {
    stmt *st = &statements[i];
    if (st->kind != S_IMPORT && st->value->depth > SY_MAX_COMPILE_DEPTH) {
      sy_fail(ctx, "RecursionError", SY_COMPILE_RECURSION);
      return -1;
    }
    if (st->kind == S_IMPORT) {
      if ((st->value == NULL ? star_import(s) : import_names(s, st)) != 0) {
        return -1;
      }
      continue;
    }
    evaluator ev = {s, ctx, 0, {{0}}, 0, sympify_text, sympify_text_rational, false};
    const value *v = eval(&ev, st->value);
    if (v == NULL) {
      return -1;
    }
    if (st->kind == S_ASSIGN) {
      if (assign(s, st->target, v) != 0) {
        return -1;
      }
      continue;
    }
    if (v->kind == V_NONE) {
      continue;
    }
    if (echo->len > 0 && pn_strbuf_puts(echo, "\n") != 0) {
      sy_fail(ctx, "MemoryError", "%s", "");
      return -1;
    }
    if (repr(ctx, v, echo) != 0) {
      return -1;
    }
  }
  return 0;
}

sy_session *sy_session_new(void) {
  sy_session *s = calloc(1, sizeof *s);
  if (s != NULL) {
    sy_ctx_init(&s->ctx, SESSION_MEMORY_LIMIT);
  }
  return s;
}

void sy_session_free(sy_session *s) {
  if (s != NULL) {
    sy_ctx_free(&s->ctx);
    free(s->names);
    free(s->slots);
    free(s);
  }
}

/* Whether the line holds nothing but spaces and maybe a comment: the prompt
 * echoes nothing for it. */
static bool blank_line(const char *line, size_t len) {
  size_t i = 0;
  while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f')) {
    i++;
  }
  return i == len || line[i] == '#';
}

int sy_session_run(sy_session *s, const char *line, size_t len, pn_strbuf *out) {
  if (blank_line(line, len)) {
    return 0;
  }
  pn_strbuf echo = {0};
  int status = 0;
  if (memchr(line, '\0', len) != NULL) {
    status = pn_answer_exception(out, "SyntaxError", PY_SYNTAX_NULL_BYTES);
  } else if (run_line(s, line, len, &echo) != 0 || s->ctx.failed) {
    status = answer_error(&s->ctx, out);
  } else {
    /* Echoed lines joined by \n, backslashes doubled: the protocol's
     * escaping of a multi-line answer. */
    for (size_t i = 0; status == 0 && i < echo.len; i++) {
      char c = echo.data[i];
      status = c == '\n'   ? pn_strbuf_puts(out, "\\n")
               : c == '\\' ? pn_strbuf_puts(out, "\\\\")
                           : pn_strbuf_append(out, &c, 1);
    }
  }
  pn_strbuf_free(&echo);
  s->ctx.failed = false;
  s->ctx.error_type[0] = '\0';
  pn_strbuf_clear(&s->ctx.error_message);
  if (s->clear_pending) {
    /* Nothing refers to the arena any more: the namespace is empty. */
    s->clear_pending = false;
    sy_names_clear(s);
    sy_ctx_reset(&s->ctx);
  }
  return status;
}

int sy_sympify_string(const char *text, size_t len, pn_strbuf *out) {
  sy_ctx ctx;
  sy_ctx_init(&ctx, (size_t)64 << 20);
  const sy_expr *e = sympify_text(&ctx, text, len);
  int status;
  if (e != NULL && sy_print(&ctx, e, out) == 0) {
    status = 0;
  } else {
    status = answer_error(&ctx, out);
  }
  sy_ctx_free(&ctx);
  return status;
}
