/* The functions and methods a session line calls (session_calls.h's
 * sy_call): symbols() and its ranges, subs, diff, integrate, evalf and the
 * other functions of the subset, with CPython's arity and keyword errors. */
#include "ref/sympy/session_calls.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/protocol/strbuf.h"
#include "ref/sympy/evalf.h"
#include "ref/sympy/expand.h"
#include "ref/sympy/expr.h"
#include "ref/sympy/factor.h"
#include "ref/sympy/integrate.h"
#include "ref/sympy/names.h"
#include "ref/sympy/ops.h"
#include "ref/sympy/order.h"
#include "ref/sympy/print.h"
#include "ref/sympy/session_logic.h"
#include "ref/sympy/session_value.h"
#include "ref/sympy/simplify.h"

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The names symbols() makes, growing in the arena. */
typedef struct name_list {
  const sy_expr **items;
  size_t count, cap;
  bool seq; /* a range made the answer a tuple */
} name_list;

/* More symbols than this from one call are refused. */
enum { MAX_SYMBOLS = 100000 };

static int name_list_push(sy_ctx *ctx, name_list *l, const char *name, size_t len) {
  if (l->count == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    const sy_expr **items = sy_alloc(ctx, cap * sizeof *items);
    if (items == NULL) {
      return -1;
    }
    if (l->count > 0) {
      memcpy(items, l->items, l->count * sizeof *items);
    }
    l->items = items;
    l->cap = cap;
  }
  return (l->items[l->count++] = sy_symbol(ctx, name, len)) == NULL ? -1 : 0;
}

static bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

static bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The length of symbol.py's _range ([0-9]*:[0-9]+|[a-zA-Z]?:[a-zA-Z]) matched
 * at s[0..n), or 0. */
static size_t range_match(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && is_digit(s[i])) {
    i++;
  }
  if (i < n && s[i] == ':' && i + 1 < n && is_digit(s[i + 1])) {
    i += 2;
    while (i < n && is_digit(s[i])) {
      i++;
    }
    return i;
  }
  if (n >= 3 && is_ascii_letter(s[0]) && s[1] == ':' && is_ascii_letter(s[2])) {
    return 3;
  }
  if (n >= 2 && s[0] == ':' && is_ascii_letter(s[1])) {
    return 2;
  }
  return 0;
}

/* string.ascii_letters.index(c) */
static int letter_index(char c) {
  return c >= 'a' && c <= 'z' ? c - 'a' : c - 'A' + 26;
}

typedef struct piece {
  const char *text;
  size_t len;
  bool range;
} piece;

/* The values of a range piece ("2:5", ":3", "a:c", ":c") as strings in
 * out (arena), and their count; -1 with the error set. */
static long range_values(sy_ctx *ctx, const piece *pc, char ***out) {
  const char *colon = memchr(pc->text, ':', pc->len);
  size_t left = (size_t)(colon - pc->text), right = pc->len - left - 1;
  if (is_digit(colon[1])) {
    if (left > 9 || right > 9) {
      sy_fail(ctx, "NotImplementedError", "ranges this long " SY_OUTSIDE);
      return -1;
    }
    long a = 0, b = 0;
    for (size_t i = 0; i < left; i++) {
      a = a * 10 + (pc->text[i] - '0');
    }
    for (size_t i = 0; i < right; i++) {
      b = b * 10 + (colon[1 + i] - '0');
    }
    long count = b > a ? b - a : 0;
    if (count > MAX_SYMBOLS) {
      sy_fail(ctx, "NotImplementedError", "ranges this long " SY_OUTSIDE);
      return -1;
    }
    char **values = sy_alloc(ctx, (size_t)(count ? count : 1) * sizeof *values);
    for (long k = 0; values != NULL && k < count; k++) {
      if ((values[k] = sy_alloc(ctx, 24)) == NULL) {
        return -1;
      }
      snprintf(values[k], 24, "%ld", a + k);
    }
    *out = values;
    return values == NULL ? -1 : count;
  }
  int a = left == 0 ? 0 : letter_index(pc->text[0]), b = letter_index(colon[1]);
  long count = b >= a ? b - a + 1 : 0;
  char **values = sy_alloc(ctx, (size_t)(count ? count : 1) * sizeof *values);
  for (long k = 0; values != NULL && k < count; k++) {
    int index = a + (int)k;
    char letter = (char)(index < 26 ? 'a' + index : 'A' + index - 26);
    if ((values[k] = sy_strdup(ctx, &letter, 1)) == NULL) {
      return -1;
    }
  }
  *out = values;
  return values == NULL ? -1 : count;
}

/* symbols() of one name with ':' in it, as symbol.py splits it by _range,
 * strips one pair of parentheses around each range and takes the product
 * of the pieces' values. Appends to list; 0, or -1 with the error set. */
static int symbols_range(sy_ctx *ctx, const char *name, size_t len, name_list *list) {
  piece *pieces = sy_alloc(ctx, (2 * len + 1) * sizeof *pieces);
  if (pieces == NULL) {
    return -1;
  }
  size_t np = 0, literal_start = 0;
  for (size_t i = 0; i < len;) {
    size_t m = range_match(name + i, len - i);
    if (m == 0) {
      i++;
      continue;
    }
    pieces[np++] = (piece){name + literal_start, i - literal_start, false};
    pieces[np++] = (piece){name + i, m, true};
    i += m;
    literal_start = i;
  }
  pieces[np++] = (piece){name + literal_start, len - literal_start, false};
  for (size_t i = 1; i + 1 < np; i++) {
    piece *before = &pieces[i - 1], *after = &pieces[i + 1];
    if (pieces[i].range && before->len > 0 && before->text[before->len - 1] == '(' &&
        after->len > 0 && after->text[0] == ')') {
      before->len--;
      after->text++;
      after->len--;
    }
  }
  char ***values = sy_alloc(ctx, np * sizeof *values);
  size_t *counts = sy_alloc(ctx, np * sizeof *counts);
  if (values == NULL || counts == NULL) {
    return -1;
  }
  double total = 1;
  for (size_t i = 0; i < np; i++) {
    if (!pieces[i].range) {
      if (memchr(pieces[i].text, ':', pieces[i].len) != NULL) {
        if (pieces[i].text[pieces[i].len - 1] == ':') {
          sy_fail(ctx, "ValueError", "missing end range");
          return -1;
        }
        sy_fail(ctx, "NotImplementedError", "this symbol range " SY_OUTSIDE);
        return -1;
      }
      counts[i] = 1;
      continue;
    }
    long count = range_values(ctx, &pieces[i], &values[i]);
    if (count < 0) {
      return -1;
    }
    if (count == 0) {
      return 0; /* an empty range: the name adds nothing */
    }
    counts[i] = (size_t)count;
    total *= (double)count;
  }
  if (total + (double)list->count > MAX_SYMBOLS) {
    sy_fail(ctx, "NotImplementedError", "this many symbols " SY_OUTSIDE);
    return -1;
  }
  list->seq = true;
  /* the product, the first piece varying slowest */
  size_t *at = sy_alloc(ctx, np * sizeof *at);
  pn_strbuf text = {0};
  int status = at == NULL ? -1 : 0;
  for (size_t made = 0; status == 0 && made < (size_t)total; made++) {
    pn_strbuf_clear(&text);
    for (size_t i = 0; i < np; i++) {
      const char *part = pieces[i].range ? values[i][at[i]] : pieces[i].text;
      size_t part_len = pieces[i].range ? strlen(part) : pieces[i].len;
      pn_strbuf_append(&text, part, part_len);
    }
    status = name_list_push(ctx, list, text.data ? text.data : "", text.len);
    for (size_t i = np; i-- > 0;) {
      if (++at[i] < counts[i]) {
        break;
      }
      at[i] = 0;
    }
  }
  pn_strbuf_free(&text);
  return status;
}

/* symbols(names) for a str of names with commas, whitespace and ranges
 * (symbol.py's symbols without escapes or assumptions). */
/* symbols(names, seq=...) (seq: 1 or 0 when given, -1 when not): a str's
 * names, or for a tuple or list of names the same kind of sequence of
 * symbols() of each. */
static const value *call_symbols(evaluator *ev, const value *arg, int seq) {
  sy_ctx *ctx = ev->ctx;
  if (ctx->failed) {
    return NULL;
  }
  if (arg->kind == V_TUPLE || arg->kind == V_LIST) {
    value *out = (value *)sy_new_tuple(ctx, arg->kind, arg->n);
    for (size_t i = 0; out != NULL && i < arg->n; i++) {
      if ((out->items[i] = call_symbols(ev, arg->items[i], seq)) == NULL) {
        return NULL;
      }
    }
    return out;
  }
  if (arg->kind != V_STR) {
    return sy_fail(ctx, "NotImplementedError", "symbols of a non-string " SY_OUTSIDE);
  }
  const char *s = arg->s;
  size_t len = arg->len;
  if (memchr(s, '\\', len) != NULL) {
    return sy_fail(ctx, "NotImplementedError", "escapes in symbol names are " SY_OUTSIDE);
  }
  while (len > 0 && is_space(*s)) {
    s++, len--;
  }
  while (len > 0 && is_space(s[len - 1])) {
    len--;
  }
  bool as_seq = len > 0 && s[len - 1] == ',';
  if (as_seq) {
    len--;
    while (len > 0 && is_space(s[len - 1])) {
      len--;
    }
  }
  if (len == 0) {
    return sy_fail(ctx, "ValueError", "no symbols given");
  }
  /* every piece between commas must be nonempty before any is made */
  for (size_t start = 0, i = 0; i <= len; i++) {
    if (i < len && s[i] != ',') {
      continue;
    }
    size_t a = start;
    while (a < i && is_space(s[a])) {
      a++;
    }
    if (a == i) {
      return sy_fail(ctx, "ValueError", "missing symbol between commas");
    }
    start = i + 1;
  }
  name_list list = {NULL, 0, 0, seq >= 0 ? seq == 1 : as_seq}; /* seq = args.pop('seq', as_seq) */
  /* split on commas and whitespace alike: both only separate names */
  for (size_t j = 0; j < len;) {
    while (j < len && (is_space(s[j]) || s[j] == ',')) {
      j++;
    }
    size_t k = j;
    while (k < len && !is_space(s[k]) && s[k] != ',') {
      k++;
    }
    if (k == j) {
      break;
    }
    int status = memchr(s + j, ':', k - j) != NULL ? symbols_range(ctx, s + j, k - j, &list)
                                                   : name_list_push(ctx, &list, s + j, k - j);
    if (status != 0) {
      return NULL;
    }
    j = k;
  }
  if (!list.seq && list.count == 1) {
    return sy_expr_value(ctx, list.items[0]);
  }
  value *t = (value *)sy_new_tuple(ctx, V_TUPLE, list.count);
  for (size_t i = 0; t != NULL && i < list.count; i++) {
    if ((t->items[i] = sy_expr_value(ctx, list.items[i])) == NULL) {
      return NULL;
    }
  }
  return t;
}

decimal_status sy_read_decimal(const char *s, size_t len, double *value, size_t *digits) {
  char text[64];
  bool in_exponent = false;
  *digits = 0;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c == 'e' || c == 'E') {
      in_exponent = true;
    } else if (c >= '0' && c <= '9') {
      *digits += !in_exponent && (*digits > 0 || c != '0');
    } else if (c != '.' && c != '+' && c != '-') {
      return DECIMAL_BAD_CHARACTER;
    }
  }
  if (len >= sizeof text) {
    return DECIMAL_UNREAD;
  }
  memcpy(text, s, len);
  text[len] = '\0';
  char *end = NULL;
  *value = strtod(text, &end);
  return end == text + len && isfinite(*value) ? DECIMAL_OK : DECIMAL_UNREAD;
}

/* The exact value of a double (float.as_integer_ratio) into q. */
static void exact_double(mpq_t q, double f) {
  mpq_set_d(q, f);
}

/* int(v) for Integer(v): ints and Integers as they are, Rationals and
 * floats (Python's or Floats) truncated toward zero, a str of decimal
 * digits with an optional sign (spaces removed first, as Integer.__new__
 * does). Other values are refused. NULL with the error set. */
static const sy_expr *integer_of(sy_ctx *ctx, const value *v) {
  mpq_t q;
  mpq_init(q);
  bool ok = true;
  if ((v->kind == V_INT || v->kind == V_EXPR || v->kind == V_PYFLOAT) && v->e->kind == SY_NUM) {
    mpq_set(q, v->e->q);
  } else if ((v->kind == V_EXPR || v->kind == V_PYFLOAT) && v->e->kind == SY_FLOAT &&
             isfinite(v->e->f)) {
    exact_double(q, v->e->f);
  } else if (v->kind == V_STR) {
    char digits[80];
    size_t k = 0;
    for (size_t i = 0; ok && i < v->len; i++) {
      char c = v->s[i];
      if (c == ' ') {
        continue;
      }
      ok = k + 1 < sizeof digits && ((c >= '0' && c <= '9') || (k == 0 && (c == '-' || c == '+')));
      digits[k++] = c;
    }
    digits[k] = '\0';
    ok = ok && k > 0 && (digits[k - 1] >= '0' && digits[k - 1] <= '9');
    ok = ok && mpz_set_str(mpq_numref(q), digits[0] == '+' ? digits + 1 : digits, 10) == 0;
  } else {
    ok = false;
  }
  const sy_expr *e = NULL;
  if (ok) {
    mpz_tdiv_q(mpq_numref(q), mpq_numref(q), mpq_denref(q)); /* int() truncates */
    mpz_set_ui(mpq_denref(q), 1);
    e = sy_number(ctx, q);
  } else {
    sy_fail(ctx, "NotImplementedError", "Integer with these arguments " SY_OUTSIDE);
  }
  mpq_clear(q);
  return e;
}

/* A decimal as fractions.Fraction reads it, for Rational(str): digits
 * with an optional sign, point and exponent (no underscores). */
static bool read_fraction(const char *s, size_t len, mpq_t out) {
  size_t i = 0;
  bool negative = false;
  if (i < len && (s[i] == '+' || s[i] == '-')) {
    negative = s[i++] == '-';
  }
  mpz_t digits;
  mpz_init(digits);
  size_t whole = 0, fraction = 0;
  long scale = 0;
  for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, whole++) {
    mpz_mul_ui(digits, digits, 10);
    mpz_add_ui(digits, digits, (unsigned long)(s[i] - '0'));
  }
  if (i < len && s[i] == '.') {
    for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, fraction++) {
      mpz_mul_ui(digits, digits, 10);
      mpz_add_ui(digits, digits, (unsigned long)(s[i] - '0'));
      scale--;
    }
  }
  bool ok = whole + fraction > 0 && whole + fraction < 4000;
  if (ok && i < len && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    bool minus = i < len && s[i] == '-';
    i += i < len && (s[i] == '-' || s[i] == '+');
    long exponent = 0;
    size_t start = i;
    for (; i < len && s[i] >= '0' && s[i] <= '9' && exponent < 100000; i++) {
      exponent = exponent * 10 + (s[i] - '0');
    }
    ok = i > start && exponent < 4000;
    scale += minus ? -exponent : exponent;
  }
  ok = ok && i == len;
  if (ok) {
    mpz_t power;
    mpz_init(power);
    mpz_ui_pow_ui(power, 10, (unsigned long)(scale < 0 ? -scale : scale));
    mpq_set_z(out, digits);
    if (scale < 0) {
      mpz_set(mpq_denref(out), power);
    } else {
      mpz_mul(mpq_numref(out), mpq_numref(out), power);
    }
    mpq_canonicalize(out);
    if (negative) {
      mpq_neg(out, out);
    }
    mpz_clear(power);
  }
  mpz_clear(digits);
  return ok;
}

/* Rational(v) of one argument other than an int: a Rational as it is, a
 * float or Float exactly (its binary fraction), a str as Rational.__new__
 * reads it (spaces removed, 'p/q' of two decimals); another expression is
 * sympy's TypeError 'invalid input'. NULL with the error set. */
static const sy_expr *rational_of(evaluator *ev, const value *v) {
  sy_ctx *ctx = ev->ctx;
  if ((v->kind == V_EXPR || v->kind == V_PYFLOAT) && v->e->kind == SY_NUM) {
    return v->e;
  }
  mpq_t q;
  mpq_init(q);
  const sy_expr *e = NULL;
  if ((v->kind == V_EXPR || v->kind == V_PYFLOAT) && v->e->kind == SY_FLOAT && isfinite(v->e->f)) {
    exact_double(q, v->e->f);
    e = sy_number(ctx, q);
  } else if (v->kind == V_STR && memchr(v->s, '\0', v->len) == NULL) {
    char *text = sy_alloc(ctx, v->len + 1);
    size_t k = 0, slash = 0, slashes = 0;
    for (size_t i = 0; text != NULL && i < v->len; i++) {
      if (v->s[i] != ' ') {
        slashes += v->s[i] == '/';
        slash = v->s[i] == '/' ? k : slash;
        text[k++] = v->s[i];
      }
    }
    mpq_t d;
    mpq_init(d);
    bool ok = text != NULL && slashes <= 1;
    if (ok && slashes == 1) {
      ok = read_fraction(text, slash, q) && read_fraction(text + slash + 1, k - slash - 1, d) &&
           mpq_sgn(d) != 0;
      if (ok) {
        mpq_div(q, q, d);
      }
    } else if (ok) {
      ok = read_fraction(text, k, q);
    }
    mpq_clear(d);
    e = ok ? sy_number(ctx, q)
           : sy_fail(ctx, "NotImplementedError", "Rational of this string " SY_OUTSIDE);
  } else if (v->kind == V_EXPR && !v->e->has_float) {
    pn_strbuf shown = {0};
    if (sy_print(ctx, v->e, &shown) == 0) {
      sy_fail(ctx, "TypeError", "invalid input: %s", shown.data);
    }
    pn_strbuf_free(&shown);
  } else {
    sy_fail(ctx, "NotImplementedError", "Rational with these arguments " SY_OUTSIDE);
  }
  mpq_clear(q);
  return e;
}

/* Float(v) at sympy's default 15 digits (53 bits), each source rounded
 * to nearest as mpmath's from_int, from_rational and from_str do: ints,
 * Integers, Rationals, Python floats, Floats and decimal strings of at
 * most 15 significant digits (more digits would raise the precision). */
static const sy_expr *float_of(sy_ctx *ctx, const value *v) {
  if ((v->kind == V_EXPR && v->e->kind == SY_FLOAT) ||
      (v->kind == V_PYFLOAT && v->e->kind == SY_FLOAT)) {
    return sy_float(ctx, v->e->f);
  }
  if ((v->kind == V_INT || v->kind == V_EXPR) && v->e->kind == SY_NUM) {
    /* an integer of more than 15 digits raises the precision to its own */
    bool long_int =
        mpz_cmp_ui(mpq_denref(v->e->q), 1) == 0 && mpz_sizeinbase(mpq_numref(v->e->q), 10) > 15;
    if (mpq_sgn(v->e->q) == 0 || long_int) {
      return sy_fail(ctx, "NotImplementedError", "Float of this number " SY_OUTSIDE);
    }
    return sy_float(ctx, sy_q_to_double(v->e->q));
  }
  if (v->kind != V_STR) {
    return sy_fail(ctx, "NotImplementedError", "Float of this value " SY_OUTSIDE);
  }
  size_t digits;
  double f;
  if (sy_read_decimal(v->s, v->len, &f, &digits) != DECIMAL_OK || digits == 0 || digits > 15 ||
      f == 0) {
    return sy_fail(ctx, "NotImplementedError", "Float of this string " SY_OUTSIDE);
  }
  return sy_float(ctx, f);
}

static const value *type_error_args(sy_ctx *ctx, const char *what) {
  return sy_fail(ctx, "NotImplementedError", "%s with these arguments " SY_OUTSIDE, what);
}

/* e.subs(dict): Basic.subs orders an unordered sequence by node count,
 * then default_sort_key; for Symbol keys that is the sort key alone. The
 * substitutions then run one after another. */
static const value *subs_dict(evaluator *ev, const sy_expr *e, const value *dict) {
  sy_ctx *ctx = ev->ctx;
  size_t npairs = dict->n / 2;
  const sy_expr **keys = sy_alloc(ctx, (npairs + 1) * sizeof *keys);
  if (keys == NULL) {
    return NULL;
  }
  for (size_t i = 0; i < npairs; i++) {
    if ((keys[i] = sy_to_expr(ev, dict->items[2 * i])) == NULL) {
      return NULL;
    }
    if (keys[i]->kind != SY_SYM) {
      return sy_fail(ctx, "NotImplementedError", "subs of a non-symbol " SY_OUTSIDE);
    }
  }
  sy_sort_by_key(ctx, keys, npairs, false);
  for (size_t i = 0; i < npairs && e != NULL; i++) {
    const value *new_ = NULL;
    for (size_t j = 0; j < npairs; j++) {
      if (sy_equal(dict->items[2 * j]->e, keys[i])) {
        new_ = dict->items[2 * j + 1];
      }
    }
    const sy_expr *w = sy_to_expr(ev, new_);
    e = w == NULL ? NULL : sy_subs(ctx, e, keys[i], w);
  }
  return sy_expr_value(ctx, e);
}

static const value *call_subs(evaluator *ev, const sy_expr *e, const value *const *args, size_t n) {
  sy_ctx *ctx = ev->ctx;
  const value *pairs_storage[2];
  const value *const *pairs = NULL;
  size_t npairs = 0;
  if (n == 2) {
    pairs_storage[0] = args[0];
    pairs_storage[1] = args[1];
    pairs = pairs_storage;
    npairs = 1;
  } else if (n == 1 && (args[0]->kind == V_LIST || args[0]->kind == V_TUPLE)) {
    npairs = args[0]->n;
  } else if (n == 1 && args[0]->kind == V_DICT) {
    return subs_dict(ev, e, args[0]);
  } else {
    return type_error_args(ctx, "subs");
  }
  for (size_t i = 0; i < npairs; i++) {
    const value *old, *new_;
    if (pairs != NULL) {
      old = pairs[0];
      new_ = pairs[1];
    } else {
      const value *pair = args[0]->items[i];
      if ((pair->kind != V_TUPLE && pair->kind != V_LIST) || pair->n != 2) {
        return type_error_args(ctx, "subs");
      }
      old = pair->items[0];
      new_ = pair->items[1];
    }
    const sy_expr *o = sy_to_expr(ev, old), *w = sy_to_expr(ev, new_);
    if (o == NULL || w == NULL) {
      return NULL;
    }
    if (o->kind != SY_SYM) {
      return sy_fail(ctx, "NotImplementedError", "subs of a non-symbol " SY_OUTSIDE);
    }
    if ((e = sy_subs(ctx, e, o, w)) == NULL) {
      return NULL;
    }
  }
  return sy_expr_value(ctx, e);
}

/* Whether no sum occurs in e: Derivative's factor_terms(signsimp(...))
 * after more than one differentiation leaves such an expression as it is. */
static bool free_of_sums(const sy_expr *e) {
  if (e->kind == SY_ADD) {
    return false;
  }
  for (size_t i = 0; i < e->n; i++) {
    if (!free_of_sums(e->args[i])) {
      return false;
    }
  }
  return true;
}

/* The free symbols of e, each once, in sort-key order (appended to out). */
static size_t collect_symbols(const sy_expr *e, const sy_expr **out, size_t count) {
  if (e->kind == SY_SYM) {
    for (size_t i = 0; i < count; i++) {
      if (sy_equal(out[i], e)) {
        return count;
      }
    }
    out[count++] = e;
    return count;
  }
  for (size_t i = 0; i < e->n; i++) {
    count = collect_symbols(e->args[i], out, count);
  }
  return count;
}

static size_t count_nodes(const sy_expr *e) {
  size_t n = 1;
  for (size_t i = 0; i < e->n; i++) {
    n += count_nodes(e->args[i]);
  }
  return n;
}

const value *sy_free_symbols(evaluator *ev, const sy_expr *e) {
  sy_ctx *ctx = ev->ctx;
  const sy_expr **symbols = sy_alloc(ctx, count_nodes(e) * sizeof *symbols);
  if (symbols == NULL) {
    return NULL;
  }
  size_t n = collect_symbols(e, symbols, 0);
  sy_sort_by_key(ctx, symbols, n, false);
  value *set = (value *)sy_new_tuple(ctx, V_SET, n);
  for (size_t i = 0; set != NULL && i < n; i++) {
    if ((set->items[i] = sy_expr_value(ctx, symbols[i])) == NULL) {
      return NULL;
    }
  }
  return set;
}

/* Prints e into a ValueError whose message is prefix + str(e) + suffix. */
static const value *value_error_with(sy_ctx *ctx, const char *prefix, const sy_expr *e,
                                     const char *suffix) {
  pn_strbuf shown = {0};
  if (sy_print(ctx, e, &shown) == 0) {
    sy_fail(ctx, "ValueError", "%s%s%s", prefix, shown.data, suffix);
  }
  pn_strbuf_free(&shown);
  return NULL;
}

/* integrate(e, *limits) and e.integrate(*limits): each limit a Symbol, a
 * (x,) or an (x, a, b), applied in order; none means e's one free symbol. */
static const value *call_integrate(evaluator *ev, const sy_expr *e, const value *const *args,
                                   size_t n) {
  sy_ctx *ctx = ev->ctx;
  if (n == 0) {
    const value *set = sy_free_symbols(ev, e);
    if (set == NULL) {
      return NULL;
    }
    if (set->n != 1) {
      return set->n == 0 ? sy_fail(ctx, "NotImplementedError", "this integral " SY_OUTSIDE)
                         : value_error_with(ctx, "specify dummy variables for ", e, "");
    }
    return sy_expr_value(ctx, sy_integrate(ctx, e, set->items[0]->e));
  }
  for (size_t i = 0; i < n && e != NULL; i++) {
    const value *limit = args[i];
    const sy_expr *x, *a = NULL, *b = NULL;
    if (limit->kind == V_TUPLE && (limit->n == 1 || limit->n == 3)) {
      x = sy_to_expr(ev, limit->items[0]);
      if (limit->n == 3) {
        a = sy_to_expr(ev, limit->items[1]);
        b = sy_to_expr(ev, limit->items[2]);
        if (a == NULL || b == NULL) {
          return NULL;
        }
      }
    } else if (limit->kind == V_EXPR || limit->kind == V_INT) {
      x = limit->e;
    } else if (limit->kind == V_STR) {
      return sy_fail(ctx, "ValueError", "Invalid limits given: ('%.*s',)", (int)limit->len,
                     limit->s);
    } else {
      return sy_fail(ctx, "NotImplementedError", "these limits of integration " SY_OUTSIDE);
    }
    if (x == NULL) {
      return NULL;
    }
    if (x->kind != SY_SYM) {
      if (limit->kind == V_TUPLE) {
        return sy_fail(ctx, "NotImplementedError", "these limits of integration " SY_OUTSIDE);
      }
      return value_error_with(ctx, "Invalid limits given: (", x, ",)");
    }
    if (a != NULL && (sy_has_symbol(a, x) || sy_has_symbol(b, x))) {
      return sy_fail(ctx, "NotImplementedError", "limits in the variable " SY_OUTSIDE);
    }
    e = a == NULL ? sy_integrate(ctx, e, x) : sy_integrate_definite(ctx, e, x, a, b);
  }
  return sy_expr_value(ctx, e);
}

/* sympy's filldedent: a newline, then text as textwrap.fill wraps it at
 * 70 columns (words greedily on lines, one space between). False for text
 * whose wrapping pyref does not follow: a word longer than a line (broken
 * by break_long_words) or with a hyphen after a letter or digit
 * (break_on_hyphens may split there). */
static bool fill_dedented(const char *text, pn_strbuf *out) {
  enum { WIDTH = 70 };
  if (pn_strbuf_puts(out, "\n") != 0) {
    return false;
  }
  size_t column = 0;
  for (const char *p = text; *p != '\0';) {
    if (*p == ' ') {
      p++;
      continue;
    }
    size_t n = strcspn(p, " ");
    for (size_t i = 1; i < n; i++) {
      if (p[i] == '-' && isalnum((unsigned char)p[i - 1])) {
        return false;
      }
    }
    if (n > WIDTH) {
      return false;
    }
    const char *sep = column == 0 ? "" : column + 1 + n <= WIDTH ? " " : "\n";
    if (*sep == '\n') {
      column = 0;
    }
    if (pn_strbuf_puts(out, sep) != 0 || pn_strbuf_append(out, p, n) != 0) {
      return false;
    }
    column += (*sep == ' ') + n;
    p += n;
  }
  return true;
}

/* diff(e, *symbols) and e.diff(*symbols): Derivative(e, ...) evaluated. */
static const value *call_diff(evaluator *ev, const sy_expr *e, const value *const *args, size_t n) {
  sy_ctx *ctx = ev->ctx;
  const sy_expr *only = NULL;
  if (n == 0) {
    const value *set = sy_free_symbols(ev, e);
    if (set == NULL) {
      return NULL;
    }
    if (set->n == 0) {
      return sy_expr_value(ctx, sy_integer(ctx, 0));
    }
    if (set->n > 1) {
      pn_strbuf shown = {0}, message = {0};
      int status = pn_strbuf_puts(&shown,
                                  "Since there is more than one variable in the expression, the "
                                  "variable(s) of differentiation must be supplied to "
                                  "differentiate ");
      if (status == 0) {
        status = sy_print(ctx, e, &shown);
      }
      if (status == 0) {
        if (fill_dedented(shown.data, &message)) {
          sy_fail(ctx, "ValueError", "%s", message.data);
        } else {
          sy_fail(ctx, "NotImplementedError", "this wrapping of diff's ValueError " SY_OUTSIDE);
        }
      }
      if (status != 0 && !ctx->failed) {
        sy_fail(ctx, "MemoryError", "%s", "");
      }
      pn_strbuf_free(&shown);
      pn_strbuf_free(&message);
      return NULL;
    }
    only = set->items[0]->e;
  }
  unsigned long total = 0;
  for (size_t i = 0; i < n || (i == 0 && only != NULL); i++) {
    const sy_expr *v = only != NULL ? only : sy_to_expr(ev, args[i]);
    if (v == NULL) {
      return NULL;
    }
    long count = 1;
    if (i + 1 < n && (args[i + 1]->kind == V_INT ||
                      (args[i + 1]->kind == V_EXPR && args[i + 1]->e->kind == SY_NUM &&
                       mpz_cmp_ui(mpq_denref(args[i + 1]->e->q), 1) == 0))) {
      mpz_srcptr c = mpq_numref(args[i + 1]->e->q);
      if (v->kind != SY_NUM) {
        if (mpz_sgn(c) < 0) {
          return sy_fail(ctx, "ValueError", "order of differentiation must be nonnegative");
        }
        if (mpz_cmp_ui(c, 100) > 0) {
          return sy_fail(ctx, "NotImplementedError", "derivatives of this order are " SY_OUTSIDE);
        }
        count = mpz_get_si(c);
        i++;
      }
    }
    /* an Integer first is its own ValueError; any other number is "Can't
     * calculate derivative wrt" below (Derivative.__new__) */
    if (v->kind == SY_NUM && (sy_is_integer(v) || i != 0)) {
      if (i == 0) {
        pn_strbuf shown = {0};
        if (sy_print(ctx, v, &shown) == 0) {
          sy_fail(ctx, "ValueError", "First variable cannot be a number: %s", shown.data);
        }
        pn_strbuf_free(&shown);
        return NULL;
      }
      return sy_fail(ctx, "NotImplementedError", "this derivative " SY_OUTSIDE);
    }
    if (v->kind != SY_SYM) {
      pn_strbuf shown = {0};
      if (sy_print(ctx, v, &shown) == 0) {
        sy_fail(ctx, "ValueError", "\nCan't calculate derivative wrt %s.", shown.data);
      }
      pn_strbuf_free(&shown);
      return NULL;
    }
    for (long k = 0; k < count; k++) {
      if ((e = sy_diff(ctx, e, v)) == NULL) {
        return NULL;
      }
      if (sy_is_int(e, 0)) {
        return sy_expr_value(ctx, e);
      }
    }
    total += (unsigned long)count;
  }
  if (total > 1 && !free_of_sums(e)) {
    return sy_fail(ctx, "NotImplementedError",
                   "factor_terms after a derivative of order > 1 is " SY_OUTSIDE);
  }
  return sy_expr_value(ctx, e);
}

/* N(e, digits) and e.evalf(digits): a Float value (evalf.h); a symbol
 * evaluates to itself. */
static const value *call_evalf(evaluator *ev, const sy_expr *e, const value *digits) {
  sy_ctx *ctx = ev->ctx;
  if (e == NULL) {
    return NULL;
  }
  long n = 15;
  if (digits != NULL) {
    if (digits->kind != V_INT || !mpz_fits_slong_p(mpq_numref(digits->e->q))) {
      return sy_fail(ctx, "NotImplementedError", "this precision " SY_OUTSIDE);
    }
    n = mpz_get_si(mpq_numref(digits->e->q));
  }
  if (e->kind == SY_SYM) {
    return sy_expr_value(ctx, e);
  }
  if (!sy_is_number(e)) {
    if (n != 15) {
      return sy_fail(ctx, "NotImplementedError", "Floats of other precisions " SY_OUTSIDE);
    }
    return sy_expr_value(ctx, sy_evalf_expr(ctx, e));
  }
  double f;
  if (n == 15 && !e->has_i && !e->has_special && sy_float_value(e, &f)) {
    /* A 15-digit Float is an expression: N(pi)*x is 3.14159265358979*x. */
    return sy_expr_value(ctx, sy_float(ctx, f));
  }
  pn_strbuf text = {0};
  value *v = NULL;
  if (sy_evalf(ctx, e, n, &text) == 0) {
    char *copy = sy_strdup(ctx, text.data, text.len);
    v = copy == NULL ? NULL : sy_new_value(ctx, V_FLOAT);
    if (v != NULL) {
      v->s = copy;
      v->len = text.len;
    }
  }
  pn_strbuf_free(&text);
  return v;
}

/* Whether the keyword arguments are only those listed (a NULL-terminated
 * list); otherwise the error is set. */
static bool kwargs_allowed(sy_ctx *ctx, const kwargs *kw, const char *const *allowed) {
  for (size_t i = 0; i < kw->n; i++) {
    bool ok = false;
    for (size_t k = 0; allowed != NULL && allowed[k] != NULL; k++) {
      ok |= strlen(allowed[k]) == kw->names[i]->len &&
            memcmp(allowed[k], kw->names[i]->text, kw->names[i]->len) == 0;
    }
    if (!ok) {
      sy_fail(ctx, "NotImplementedError", "the keyword argument '%.*s' " SY_OUTSIDE,
              (int)kw->names[i]->len, kw->names[i]->text);
      return false;
    }
  }
  return true;
}

/* Whether the keyword argument name was given. */
static bool has_kwarg(const kwargs *kw, const char *name) {
  for (size_t i = 0; i < kw->n; i++) {
    if (strlen(name) == kw->names[i]->len &&
        memcmp(name, kw->names[i]->text, kw->names[i]->len) == 0) {
      return true;
    }
  }
  return false;
}

/* The truth of a keyword argument given as True or False, or fallback. */
static bool kwarg_flag(sy_ctx *ctx, const kwargs *kw, const char *name, bool fallback) {
  for (size_t i = 0; i < kw->n; i++) {
    if (strlen(name) == kw->names[i]->len &&
        memcmp(name, kw->names[i]->text, kw->names[i]->len) == 0) {
      if (kw->values[i]->kind != V_BOOL) {
        sy_fail(ctx, "NotImplementedError", "a non-bool '%s' " SY_OUTSIDE, name);
        return fallback;
      }
      return kw->values[i]->truth;
    }
  }
  return fallback;
}

/* How a callable of the subset counts its positional arguments, and what
 * CPython says when the count is wrong (sympy 1.11's signatures). */
typedef enum arity_style {
  A_NONE,     /* not checked here */
  A_FUNCTION, /* a Python function: "f() missing ..." / "f() takes ..." */
  A_NEW,      /* a class's __new__: cls counts as an argument */
  A_EXACTLY,  /* a sympy Function of one argument: "cos takes exactly 1 argument (n given)" */
  A_AT_LEAST, /* log: "log takes at least 1 argument (n given)" */
} arity_style;

typedef struct arity {
  arity_style style;
  const char *label;     /* as the message names it: "sqrt()", "Symbol.__new__()" */
  const char *parameter; /* the first required parameter */
  unsigned most;         /* positional arguments accepted (0: any number) */
} arity;

static const arity kArities[] = {
    [F_SYMBOLS] = {A_FUNCTION, "symbols()", "names", 1},
    [F_SYMBOL] = {A_NEW, "Symbol.__new__()", "name", 1},
    [F_COS] = {A_EXACTLY, "cos", NULL, 1},
    [F_SIN] = {A_EXACTLY, "sin", NULL, 1},
    [F_EXP] = {A_EXACTLY, "exp", NULL, 1},
    [F_LOG] = {A_AT_LEAST, "log", NULL, 2},
    [F_TAN] = {A_EXACTLY, "tan", NULL, 1},
    [F_ABS] = {A_EXACTLY, "Abs", NULL, 1},
    [F_SQRT] = {A_FUNCTION, "sqrt()", "arg", 2},
    [F_EXPAND] = {A_FUNCTION, "expand()", "e", 9},
    [F_EXPAND_FUNC] = {A_FUNCTION, "expand_func()", "expr", 2},
    [F_EXPAND_MUL] = {A_FUNCTION, "expand_mul()", "expr", 2},
    [F_EXPAND_MULTINOMIAL] = {A_FUNCTION, "expand_multinomial()", "expr", 2},
    [F_EXPAND_POWER_EXP] = {A_FUNCTION, "expand_power_exp()", "expr", 2},
    [F_EXPAND_POWER_BASE] = {A_FUNCTION, "expand_power_base()", "expr", 3},
    [F_EXPAND_LOG] = {A_FUNCTION, "expand_log()", "expr", 4},
    [F_SYMPIFY] = {A_FUNCTION, "sympify()", "a", 6},
    [F_S] = {A_FUNCTION, "sympify()", "a", 6},
    [F_INTEGER] = {A_NEW, "Integer.__new__()", "i", 1},
    [F_RATIONAL] = {A_NEW, "Rational.__new__()", "p", 3},
    [F_FLOAT] = {A_NEW, "Float.__new__()", "num", 3},
    [F_DIFF] = {A_FUNCTION, "diff()", "f", 0},
    [F_N] = {A_FUNCTION, "N()", "x", 2},
    [F_FACTOR] = {A_FUNCTION, "factor()", "f", 0},
    [F_CANCEL] = {A_FUNCTION, "cancel()", "f", 0},
    [F_SIMPLIFY] = {A_FUNCTION, "simplify()", "expr", 6},
    [F_COUNT_OPS] = {A_FUNCTION, "count_ops()", "expr", 2},
    [F_SOLVE] = {A_FUNCTION, "solve()", "f", 0},
    [F_INTEGRATE] = {A_NEW, "Integral.__new__()", "function", 0},
};

/* Whether a call of fn with n positional arguments has the wrong count:
 * then CPython's TypeError is set. Every callable here needs at least one
 * argument. */
static bool arity_error(sy_ctx *ctx, func_id fn, size_t n) {
  if ((size_t)fn >= sizeof kArities / sizeof kArities[0] || kArities[fn].style == A_NONE) {
    return false;
  }
  const arity *a = &kArities[fn];
  bool too_many = a->most != 0 && n > a->most;
  if (n >= 1 && !too_many) {
    return false;
  }
  switch (a->style) {
    case A_EXACTLY:
      sy_fail(ctx, "TypeError", "%s takes exactly 1 argument (%zu given)", a->label, n);
      return true;
    case A_AT_LEAST:
      sy_fail(ctx, "TypeError", "%s takes at least 1 argument (%zu given)", a->label, n);
      return true;
    default:
      break;
  }
  if (n == 0) {
    sy_fail(ctx, "TypeError", "%s missing 1 required positional argument: '%s'", a->label,
            a->parameter);
    return true;
  }
  /* __new__ counts cls among the positional arguments */
  size_t extra = a->style == A_NEW ? 1 : 0, given = n + extra, least = 1 + extra,
         most = a->most + extra;
  if (least == most) {
    sy_fail(ctx, "TypeError", "%s takes %zu positional argument%s but %zu were given", a->label,
            most, most == 1 ? "" : "s", given);
    return true;
  }
  sy_fail(ctx, "TypeError", "%s takes from %zu to %zu positional arguments but %zu were given",
          a->label, least, most, given);
  return true;
}

const value *sy_call(evaluator *ev, const value *f, const value *const *args, size_t n,
                     const kwargs *kw) {
  sy_ctx *ctx = ev->ctx;
  if (f->kind == V_OTHER) {
    return sy_fail(ctx, "NotImplementedError", "'%s' " SY_OUTSIDE, f->name);
  }
  if (f->kind != V_FUNC && f->kind != V_METHOD) {
    return sy_fail(ctx, "NotImplementedError", "calling this value " SY_OUTSIDE);
  }
  if (f->kind == V_FUNC && kw->n == 0 && arity_error(ctx, f->fn, n)) {
    return NULL;
  }
  static const char *const kExpandHints[] = {
      "deep", "mul", "multinomial", "power_exp", "power_base", "log", "basic", "force", NULL};
  static const char *const kDeep[] = {"deep", NULL};
  static const char *const kDeepForce[] = {"deep", "force", NULL};
  static const char *const kEvalfArgs[] = {"n", NULL};
  static const char *const kSymbolsArgs[] = {"seq", NULL};
  bool is_expand = f->fn == F_EXPAND || f->fn == M_EXPAND;
  bool is_expand_one = f->fn == F_EXPAND_MUL || f->fn == F_EXPAND_MULTINOMIAL ||
                       f->fn == F_EXPAND_POWER_EXP || f->fn == F_EXPAND_POWER_BASE ||
                       f->fn == F_EXPAND_LOG;
  bool is_evalf = f->fn == F_N || f->fn == M_EVALF;
  if (!kwargs_allowed(ctx, kw,
                      is_expand                                               ? kExpandHints
                      : f->fn == F_EXPAND_POWER_BASE || f->fn == F_EXPAND_LOG ? kDeepForce
                      : is_expand_one                                         ? kDeep
                      : is_evalf                                              ? kEvalfArgs
                      : f->fn == F_SYMBOLS                                    ? kSymbolsArgs
                                                                              : NULL)) {
    return NULL;
  }
  /* expand's hints all default to True; expand_mul and the like turn on
   * their own hint only (sympy/core/function.py). */
  sy_hints hints = {
      kwarg_flag(ctx, kw, "deep", true),
      kwarg_flag(ctx, kw, "mul", is_expand || f->fn == F_EXPAND_MUL),
      kwarg_flag(ctx, kw, "multinomial", is_expand || f->fn == F_EXPAND_MULTINOMIAL),
      kwarg_flag(ctx, kw, "power_exp", is_expand || f->fn == F_EXPAND_POWER_EXP),
      kwarg_flag(ctx, kw, "power_base", is_expand || f->fn == F_EXPAND_POWER_BASE),
      kwarg_flag(ctx, kw, "log", is_expand || f->fn == F_EXPAND_LOG),
      kwarg_flag(ctx, kw, "force", false),
  };
  (void)kwarg_flag(ctx, kw, "basic", true);
  if (is_evalf) {
    const value *digits = n > (f->fn == F_N ? 1u : 0u) ? args[f->fn == F_N ? 1 : 0]
                          : kw->n == 1                 ? kw->values[0]
                                                       : NULL;
    size_t positional = f->fn == F_N ? 1 : 0;
    if (n < positional || n > positional + 1 || (digits != NULL && n == positional + 1 && kw->n)) {
      return type_error_args(ctx, f->name);
    }
    /* N(x) is sympify(x, rational=True).evalf(n): a str's float literals
     * are exact (N('2**.5', 30) is sqrt(2) to 30 digits) */
    const sy_expr *x = f->fn != F_N ? f->self->e
                       : args[0]->kind == V_STR
                           ? ev->sympify_rational(ctx, args[0]->s, args[0]->len)
                           : sy_to_expr(ev, args[0]);
    return call_evalf(ev, x, digits);
  }
  if (ctx->failed) {
    return NULL;
  }
  const sy_expr *a = NULL;
  switch (f->fn) {
    case F_SYMBOLS:
      if (n != 1) {
        return type_error_args(ctx, "symbols");
      }
      return call_symbols(ev, args[0],
                          has_kwarg(kw, "seq") ? kwarg_flag(ctx, kw, "seq", false) : -1);
    case F_SYMBOL:
      if (n != 1 || args[0]->kind != V_STR) {
        return type_error_args(ctx, "Symbol");
      }
      return sy_expr_value(ctx, sy_symbol(ctx, args[0]->s, args[0]->len));
    case F_COS:
    case F_SIN:
    case F_EXP:
    case F_LOG:
    case F_TAN:
    case F_ABS:
    case F_SQRT:
    case F_EXPAND:
    case F_EXPAND_FUNC:
    case F_EXPAND_MUL:
    case F_EXPAND_MULTINOMIAL:
    case F_EXPAND_POWER_EXP:
    case F_EXPAND_POWER_BASE:
    case F_EXPAND_LOG:
    case F_SYMPIFY:
    case F_S:
      if (n != 1) {
        return type_error_args(ctx, f->name);
      }
      if ((a = sy_to_expr(ev, args[0])) == NULL) {
        return NULL;
      }
      switch (f->fn) {
        case F_COS:
          return sy_expr_value(ctx, sy_func(ctx, SY_COS, a));
        case F_SIN:
          return sy_expr_value(ctx, sy_func(ctx, SY_SIN, a));
        case F_EXP:
          return sy_expr_value(ctx, sy_func(ctx, SY_EXP, a));
        case F_LOG:
          return sy_expr_value(ctx, sy_func(ctx, SY_LOG, a));
        case F_TAN:
          return sy_expr_value(ctx, sy_func(ctx, SY_TAN, a));
        case F_ABS:
          return sy_expr_value(ctx, sy_func(ctx, SY_ABS, a));
        case F_SQRT: {
          mpq_t half;
          mpq_init(half);
          mpq_set_ui(half, 1, 2);
          const sy_expr *h = sy_number(ctx, half);
          mpq_clear(half);
          return sy_expr_value(ctx, sy_pow(ctx, a, h));
        }
        case F_EXPAND:
        case F_EXPAND_MUL:
        case F_EXPAND_MULTINOMIAL:
        case F_EXPAND_POWER_EXP:
        case F_EXPAND_POWER_BASE:
        case F_EXPAND_LOG:
          return sy_expr_value(ctx, sy_expand_with(ctx, a, &hints));
        default:
          /* expand_func leaves the subset's functions as they are; sympify
           * and S of an expression return it. */
          return sy_expr_value(ctx, a);
      }
    case F_INTEGER:
      if (n != 1) {
        return type_error_args(ctx, "Integer");
      }
      return sy_expr_value(ctx, integer_of(ctx, args[0]));
    case F_FLOAT:
      if (n != 1) {
        return sy_fail(ctx, "NotImplementedError", "Float with a precision " SY_OUTSIDE);
      }
      return sy_expr_value(ctx, float_of(ctx, args[0]));
    case F_RATIONAL:
      if (n == 1 && args[0]->kind != V_INT) {
        return sy_expr_value(ctx, rational_of(ev, args[0]));
      }
      if (n < 1 || n > 2 || args[0]->kind != V_INT || (n == 2 && args[1]->kind != V_INT)) {
        return type_error_args(ctx, "Rational");
      }
      if (n == 2 && mpq_sgn(args[1]->e->q) == 0) {
        return sy_fail(ctx, "NotImplementedError", "Rational(p, 0) " SY_OUTSIDE);
      }
      return sy_expr_value(ctx, n == 1 ? args[0]->e : sy_div(ctx, args[0]->e, args[1]->e));
    case F_DIFF:
      if (n == 0) {
        return type_error_args(ctx, "diff");
      }
      if ((a = sy_to_expr(ev, args[0])) == NULL) {
        return NULL;
      }
      return call_diff(ev, a, args + 1, n - 1);
    case M_DIFF:
      return call_diff(ev, f->self->e, args, n);
    case F_INTEGRATE:
      if (n == 0) {
        return type_error_args(ctx, "integrate");
      }
      if ((a = sy_to_expr(ev, args[0])) == NULL) {
        return NULL;
      }
      return call_integrate(ev, a, args + 1, n - 1);
    case M_INTEGRATE:
      return call_integrate(ev, f->self->e, args, n);
    case F_FACTOR:
    case F_CANCEL:
      if (n != 1) {
        return type_error_args(ctx, f->name);
      }
      if ((a = sy_to_expr(ev, args[0])) == NULL) {
        return NULL;
      }
      if (sy_has_imaginary(a)) {
        return sy_fail(ctx, "NotImplementedError", "%s over the Gaussian rationals " SY_OUTSIDE,
                       f->name);
      }
      return sy_expr_value(ctx, f->fn == F_FACTOR ? sy_factor(ctx, a) : sy_cancel(ctx, a));
    case F_SIMPLIFY:
      if (n == 0) {
        return sy_fail(ctx, "TypeError",
                       "simplify() missing 1 required positional argument: 'expr'");
      }
      if (n != 1) {
        return type_error_args(ctx, "simplify");
      }
      return (a = sy_to_expr(ev, args[0])) == NULL ? NULL : sy_expr_value(ctx, sy_simplify(ctx, a));
    case M_SIMPLIFY:
      if (n != 0) {
        return sy_fail(ctx, "TypeError",
                       "Basic.simplify() takes 1 positional argument but %zu were given", n + 1);
      }
      return sy_expr_value(ctx, sy_simplify(ctx, f->self->e));
    case F_COUNT_OPS: {
      if (n == 0) {
        return sy_fail(ctx, "TypeError",
                       "count_ops() missing 1 required positional argument: 'expr'");
      }
      if (n != 1) {
        return sy_fail(ctx, "NotImplementedError", "count_ops with options " SY_OUTSIDE);
      }
      long ops = (a = sy_to_expr(ev, args[0])) == NULL ? -1 : sy_count_ops(ctx, a);
      value *v = ops < 0 ? NULL : sy_new_value(ctx, V_INT); /* count_ops answers a Python int */
      if (v != NULL && (v->e = sy_integer(ctx, ops)) == NULL) {
        v = NULL;
      }
      return v;
    }
    case F_SOLVE: {
      if (n < 1 || n > 2) {
        return type_error_args(ctx, "solve");
      }
      const sy_expr *x = n == 2 ? sy_to_expr(ev, args[1]) : NULL;
      if ((a = sy_to_expr(ev, args[0])) == NULL || (n == 2 && x == NULL)) {
        return NULL;
      }
      if (x != NULL && x->kind != SY_SYM) {
        return sy_fail(ctx, "NotImplementedError", "solving for a non-symbol " SY_OUTSIDE);
      }
      if (sy_has_imaginary(a)) {
        return sy_fail(ctx, "NotImplementedError", "complex equations " SY_OUTSIDE);
      }
      const sy_expr **roots;
      size_t count;
      if (sy_solve(ctx, a, x, &roots, &count) != 0) {
        return NULL;
      }
      value *list = (value *)sy_new_tuple(ctx, V_LIST, count);
      for (size_t i = 0; list != NULL && i < count; i++) {
        if ((list->items[i] = sy_expr_value(ctx, roots[i])) == NULL) {
          return NULL;
        }
      }
      return list;
    }
    case F_N:
    case M_EVALF:
      break; /* answered above */
    case F_GLOBALS:
      if (n != 0 || ev->s == NULL) {
        return type_error_args(ctx, "globals");
      }
      return sy_new_value(ctx, V_GLOBALS);
    case M_SUBS:
      return call_subs(ev, f->self->e, args, n);
    case M_EXPAND:
      if (n != 0) {
        return type_error_args(ctx, "expand");
      }
      return sy_expr_value(ctx, sy_expand_with(ctx, f->self->e, &hints));
    case F_EQ:
    case F_NE:
    case F_LT:
    case F_LE:
    case F_GT:
    case F_GE:
    case F_AND:
    case F_OR:
    case F_XOR:
    case F_NOT:
      return sy_logic_call(ev, f->fn, args, n);
    case M_CLEAR:
      if (n != 0) {
        return type_error_args(ctx, "clear");
      }
      sy_names_clear(ev->s);
      ev->s->clear_pending = true;
      return sy_new_value(ctx, V_NONE);
  }
  return NULL;
}
