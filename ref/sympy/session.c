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
#include "ref/py/suggest.h"
#include "ref/py/syntax_messages.h"
#include "ref/sympy/evalf.h"
#include "ref/sympy/expand.h"
#include "ref/sympy/expr.h"
#include "ref/sympy/integrate.h"
#include "ref/sympy/names.h"
#include "ref/sympy/ops.h"
#include "ref/sympy/poly.h"
#include "ref/sympy/print.h"
#include "ref/sympy/session_syntax.h"
#include "ref/sympy/simplify.h"

/* A session's memory: beyond it a line answers MemoryError. */
#define SESSION_MEMORY_LIMIT ((size_t)512 << 20)

/* ---- values ---- */

typedef enum vkind {
  V_NONE,
  V_BOOL,
  V_INT, /* e: an Integer */
  V_STR,
  V_TUPLE,
  V_LIST,
  V_EXPR,
  V_FUNC,   /* a sympy callable of the subset: fn */
  V_METHOD, /* fn bound to self */
  V_OTHER,  /* a name that exists but is outside the subset */
  V_GLOBALS,
  V_DICT, /* items: key, value, key, value... (n counts both) */
  V_SET,
  V_FLOAT,   /* a Float from N or evalf: s holds its str() */
  V_PYFLOAT, /* a Python float: e is its sympify (a Float, or 0 for 0.0) */
} vkind;

typedef enum func_id {
  F_SYMBOLS,
  F_SYMBOL,
  F_COS,
  F_SIN,
  F_EXP,
  F_LOG,
  F_TAN,
  F_ABS,
  F_SQRT,
  F_EXPAND,
  F_EXPAND_FUNC,
  F_EXPAND_MUL,
  F_EXPAND_MULTINOMIAL,
  F_EXPAND_POWER_EXP,
  F_EXPAND_POWER_BASE,
  F_EXPAND_LOG,
  F_SYMPIFY,
  F_S,
  F_INTEGER,
  F_RATIONAL,
  F_FLOAT,
  F_DIFF,
  F_N,
  F_FACTOR,
  F_CANCEL,
  F_SIMPLIFY,
  F_COUNT_OPS,
  F_SOLVE,
  F_INTEGRATE,
  F_GLOBALS,
  M_SUBS,
  M_EXPAND,
  M_CLEAR,
  M_DIFF,
  M_EVALF,
  M_INTEGRATE,
  M_SIMPLIFY,
} func_id;

typedef struct value value;
struct value {
  vkind kind;
  bool truth;
  const sy_expr *e;
  const char *s;
  size_t len;
  const value **items;
  size_t n;
  func_id fn;
  const value *self;
  const char *name; /* V_OTHER, V_FUNC */
};

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
};

typedef struct binding {
  const char *name;
  const value *v;
} binding;

struct sy_session {
  sy_ctx ctx;
  binding *names; /* the module's dict, in insertion order */
  size_t count, cap;
  /* Open addressing over names (binding index + 1, 0 when empty), sized to
   * twice cap: `from sympy import *` binds 905 names every session, which
   * a linear search made quadratic. */
  size_t *slots;
  size_t mask;
  bool clear_pending;
};

static value *new_value(sy_ctx *ctx, vkind kind) {
  value *v = sy_alloc(ctx, sizeof *v);
  if (v != NULL) {
    v->kind = kind;
  }
  return v;
}

static const value *expr_value(sy_ctx *ctx, const sy_expr *e) {
  if (e == NULL) {
    return NULL;
  }
  value *v = new_value(ctx, V_EXPR);
  if (v != NULL) {
    v->e = e;
  }
  return v;
}

static size_t name_hash(const char *name, size_t len) {
  size_t h = 1469598103934665603ULL & SIZE_MAX;
  for (size_t i = 0; i < len; i++) {
    h = (h ^ (unsigned char)name[i]) * (size_t)1099511628211ULL;
  }
  return h;
}

/* The slot holding name, or the empty slot where it would go. */
static size_t name_slot(const sy_session *s, const char *name, size_t len) {
  size_t i = name_hash(name, len) & s->mask;
  while (s->slots[i] != 0) {
    const char *held = s->names[s->slots[i] - 1].name;
    if (strncmp(held, name, len) == 0 && held[len] == '\0') {
      return i;
    }
    i = (i + 1) & s->mask;
  }
  return i;
}

/* Forgets every binding (the arena keeps their strings until reset). */
static void names_clear(sy_session *s) {
  s->count = 0;
  if (s->slots != NULL) {
    memset(s->slots, 0, (s->mask + 1) * sizeof *s->slots);
  }
}

/* Grows names and slots so that one more binding fits, re-indexing. */
static int names_grow(sy_session *s) {
  size_t cap = s->cap ? s->cap * 2 : 64;
  binding *b = realloc(s->names, cap * sizeof *b);
  if (b == NULL) {
    return -1;
  }
  s->names = b;
  size_t *slots = calloc(cap * 2, sizeof *slots);
  if (slots == NULL) {
    return -1;
  }
  free(s->slots);
  s->slots = slots;
  s->mask = cap * 2 - 1;
  s->cap = cap;
  for (size_t i = 0; i < s->count; i++) {
    const char *name = s->names[i].name;
    s->slots[name_slot(s, name, strlen(name))] = i + 1;
  }
  return 0;
}

static int bind(sy_session *s, const char *name, size_t len, const value *v) {
  if (s->slots != NULL) {
    size_t i = name_slot(s, name, len);
    if (s->slots[i] != 0) {
      s->names[s->slots[i] - 1].v = v;
      return 0;
    }
  }
  if (s->count == s->cap && names_grow(s) != 0) {
    sy_fail(&s->ctx, "MemoryError", "%s", "");
    return -1;
  }
  const char *copy = sy_strdup(&s->ctx, name, len);
  if (copy == NULL) {
    return -1;
  }
  s->names[s->count++] = (binding){copy, v};
  s->slots[name_slot(s, name, len)] = s->count;
  return 0;
}

static const value *sympy_name_value(sy_ctx *ctx, const char *name) {
  for (size_t i = 0; i < sizeof kFunctions / sizeof kFunctions[0]; i++) {
    if (strcmp(kFunctions[i].name, name) == 0) {
      value *v = new_value(ctx, V_FUNC);
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
      return expr_value(ctx, sy_const(ctx, kConstants[i].which));
    }
  }
  value *v = new_value(ctx, V_OTHER);
  if (v != NULL) {
    v->name = name;
  }
  return v;
}

static int star_import(sy_session *s) {
  for (size_t i = 0; i < kSympyNamesCount; i++) {
    const value *v = sympy_name_value(&s->ctx, kSympyNames[i]);
    if (v == NULL || bind(s, kSympyNames[i], strlen(kSympyNames[i]), v) != 0) {
      return -1;
    }
  }
  return 0;
}

static bool is_builtin_name(const char *name, size_t len) {
  for (size_t i = 0; i < kBuiltinNamesCount; i++) {
    if (strlen(kBuiltinNames[i]) == len && memcmp(kBuiltinNames[i], name, len) == 0) {
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
    hint = py_suggest(name, len, (const char *const *)kBuiltinNames, kBuiltinNamesCount);
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
  if (s->slots != NULL) {
    size_t i = name_slot(s, name, len);
    if (s->slots[i] != 0) {
      return s->names[s->slots[i] - 1].v;
    }
  }
  if (len == 7 && memcmp(name, "globals", 7) == 0) {
    value *v = new_value(&s->ctx, V_FUNC);
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

/* sympify's answers for the names it met last, so that a long text of
 * a few symbols does not search sympy's names at every occurrence. */
enum { NAME_MEMO = 16 };
typedef struct name_memo {
  const char *text;
  size_t len;
  const value *v;
} name_memo;

typedef struct evaluator {
  sy_session *s; /* NULL inside sympify */
  sy_ctx *ctx;
  unsigned depth;
  name_memo memo[NAME_MEMO];
  size_t memo_next; /* the slot to fill next, round robin */
} evaluator;

static const value *eval(evaluator *ev, const node *nd);

static void python_repr_str(pn_strbuf *out, const char *s, size_t len);

static const sy_expr *sympify_text(sy_ctx *ctx, const char *text, size_t len) {
  const sy_expr *result = NULL;
  bool failed_before = ctx->failed;
  if (failed_before) {
    return NULL;
  }
  const node *tree = sy_parse_sympify(ctx, text, len);
  if (tree != NULL) {
    evaluator ev = {NULL, ctx, 0, {{0}}, 0};
    const value *v = eval(&ev, tree);
    if (v != NULL && (v->kind == V_EXPR || v->kind == V_INT)) {
      result = v->e;
    } else if (v != NULL) {
      sy_fail(ctx, "NotImplementedError", "this sympify input " SY_OUTSIDE);
    }
  }
  if (result == NULL && strcmp(ctx->error_type, "SyntaxError") == 0 &&
      strcmp(ctx->error_message.data, PY_SYNTAX_INVALID) == 0) {
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

/* sympify(v) for the values the subset has. */
static const sy_expr *to_expr(evaluator *ev, const value *v) {
  if (v == NULL) {
    return NULL;
  }
  switch (v->kind) {
    case V_EXPR:
    case V_INT:
      return v->e;
    case V_PYFLOAT:
      if (v->e->kind != SY_FLOAT) {
        return sy_fail(ev->ctx, "NotImplementedError", "sympify of 0.0 " SY_OUTSIDE);
      }
      return v->e;
    case V_STR:
      return sympify_text(ev->ctx, v->s, v->len);
    default:
      return sy_fail(ev->ctx, "NotImplementedError", "sympify of this value " SY_OUTSIDE);
  }
}

/* ---- calls ---- */

static const value *new_tuple(sy_ctx *ctx, vkind kind, size_t n) {
  value *t = new_value(ctx, kind);
  if (t != NULL && n > 0) {
    t->items = sy_alloc(ctx, n * sizeof *t->items);
    if (t->items == NULL) {
      return NULL;
    }
  }
  if (t != NULL) {
    t->n = n;
  }
  return t;
}

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
static const value *call_symbols(evaluator *ev, const value *arg) {
  sy_ctx *ctx = ev->ctx;
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
  name_list list = {NULL, 0, 0, as_seq};
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
    return expr_value(ctx, list.items[0]);
  }
  value *t = (value *)new_tuple(ctx, V_TUPLE, list.count);
  for (size_t i = 0; t != NULL && i < list.count; i++) {
    if ((t->items[i] = expr_value(ctx, list.items[i])) == NULL) {
      return NULL;
    }
  }
  return t;
}

/* How read_decimal found a text. */
typedef enum decimal_status { DECIMAL_OK, DECIMAL_BAD_CHARACTER, DECIMAL_UNREAD } decimal_status;

/* text[0..len) as a decimal of the characters 0-9 . + - e E: its finite
 * double value (strtod: correctly rounded) into *value and its count of
 * significant digits (leading zeros and the exponent's excluded) into
 * *digits. DECIMAL_BAD_CHARACTER for any other character, DECIMAL_UNREAD
 * for a text too long or one strtod does not read whole and finite. */
static decimal_status read_decimal(const char *s, size_t len, double *value, size_t *digits) {
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
  if (read_decimal(v->s, v->len, &f, &digits) != DECIMAL_OK || digits == 0 || digits > 15 ||
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
    if ((keys[i] = to_expr(ev, dict->items[2 * i])) == NULL) {
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
    const sy_expr *w = to_expr(ev, new_);
    e = w == NULL ? NULL : sy_subs(ctx, e, keys[i], w);
  }
  return expr_value(ctx, e);
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
    const sy_expr *o = to_expr(ev, old), *w = to_expr(ev, new_);
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
  return expr_value(ctx, e);
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

static const value *free_symbols(evaluator *ev, const sy_expr *e) {
  sy_ctx *ctx = ev->ctx;
  const sy_expr **symbols = sy_alloc(ctx, count_nodes(e) * sizeof *symbols);
  if (symbols == NULL) {
    return NULL;
  }
  size_t n = collect_symbols(e, symbols, 0);
  sy_sort_by_key(ctx, symbols, n, false);
  value *set = (value *)new_tuple(ctx, V_SET, n);
  for (size_t i = 0; set != NULL && i < n; i++) {
    if ((set->items[i] = expr_value(ctx, symbols[i])) == NULL) {
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
    const value *set = free_symbols(ev, e);
    if (set == NULL) {
      return NULL;
    }
    if (set->n != 1) {
      return set->n == 0 ? sy_fail(ctx, "NotImplementedError", "this integral " SY_OUTSIDE)
                         : value_error_with(ctx, "specify dummy variables for ", e, "");
    }
    return expr_value(ctx, sy_integrate(ctx, e, set->items[0]->e));
  }
  for (size_t i = 0; i < n && e != NULL; i++) {
    const value *limit = args[i];
    const sy_expr *x, *a = NULL, *b = NULL;
    if (limit->kind == V_TUPLE && (limit->n == 1 || limit->n == 3)) {
      x = to_expr(ev, limit->items[0]);
      if (limit->n == 3) {
        a = to_expr(ev, limit->items[1]);
        b = to_expr(ev, limit->items[2]);
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
  return expr_value(ctx, e);
}

/* diff(e, *symbols) and e.diff(*symbols): Derivative(e, ...) evaluated. */
static const value *call_diff(evaluator *ev, const sy_expr *e, const value *const *args, size_t n) {
  sy_ctx *ctx = ev->ctx;
  const sy_expr *only = NULL;
  if (n == 0) {
    const value *set = free_symbols(ev, e);
    if (set == NULL) {
      return NULL;
    }
    if (set->n == 0) {
      return expr_value(ctx, sy_integer(ctx, 0));
    }
    if (set->n > 1) {
      pn_strbuf shown = {0};
      int status = sy_print(ctx, e, &shown);
      if (status == 0) {
        sy_fail(ctx, "ValueError",
                "\nSince there is more than one variable in the expression, the\nvariable(s) of "
                "differentiation must be supplied to differentiate %s",
                shown.data);
      }
      pn_strbuf_free(&shown);
      return NULL;
    }
    only = set->items[0]->e;
  }
  unsigned long total = 0;
  for (size_t i = 0; i < n || (i == 0 && only != NULL); i++) {
    const sy_expr *v = only != NULL ? only : to_expr(ev, args[i]);
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
    if (v->kind == SY_NUM) {
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
        return expr_value(ctx, e);
      }
    }
    total += (unsigned long)count;
  }
  if (total > 1 && !free_of_sums(e)) {
    return sy_fail(ctx, "NotImplementedError",
                   "factor_terms after a derivative of order > 1 is " SY_OUTSIDE);
  }
  return expr_value(ctx, e);
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
    return expr_value(ctx, e);
  }
  if (!sy_is_number(e)) {
    if (n != 15) {
      return sy_fail(ctx, "NotImplementedError", "Floats of other precisions " SY_OUTSIDE);
    }
    return expr_value(ctx, sy_evalf_expr(ctx, e));
  }
  double f;
  if (n == 15 && !e->has_i && !e->has_special && sy_float_value(e, &f)) {
    /* A 15-digit Float is an expression: N(pi)*x is 3.14159265358979*x. */
    return expr_value(ctx, sy_float(ctx, f));
  }
  pn_strbuf text = {0};
  value *v = NULL;
  if (sy_evalf(ctx, e, n, &text) == 0) {
    char *copy = sy_strdup(ctx, text.data, text.len);
    v = copy == NULL ? NULL : new_value(ctx, V_FLOAT);
    if (v != NULL) {
      v->s = copy;
      v->len = text.len;
    }
  }
  pn_strbuf_free(&text);
  return v;
}

/* Keyword arguments of a call, by name. */
typedef struct kwargs {
  const node *const *names; /* N_KWARG nodes: text is the name */
  const value **values;
  size_t n;
} kwargs;

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

static const value *call(evaluator *ev, const value *f, const value *const *args, size_t n,
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
  static const char *const kExpandHints[] = {"deep",       "mul", "multinomial", "power_exp",
                                             "power_base", "log", "basic",       NULL};
  static const char *const kDeep[] = {"deep", NULL};
  static const char *const kEvalfArgs[] = {"n", NULL};
  bool is_expand = f->fn == F_EXPAND || f->fn == M_EXPAND;
  bool is_expand_one = f->fn == F_EXPAND_MUL || f->fn == F_EXPAND_MULTINOMIAL ||
                       f->fn == F_EXPAND_POWER_EXP || f->fn == F_EXPAND_POWER_BASE ||
                       f->fn == F_EXPAND_LOG;
  bool is_evalf = f->fn == F_N || f->fn == M_EVALF;
  if (!kwargs_allowed(ctx, kw,
                      is_expand       ? kExpandHints
                      : is_expand_one ? kDeep
                      : is_evalf      ? kEvalfArgs
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
    return call_evalf(ev, f->fn == F_N ? to_expr(ev, args[0]) : f->self->e, digits);
  }
  if (ctx->failed) {
    return NULL;
  }
  const sy_expr *a = NULL;
  switch (f->fn) {
    case F_SYMBOLS:
      return n == 1 ? call_symbols(ev, args[0]) : type_error_args(ctx, "symbols");
    case F_SYMBOL:
      if (n != 1 || args[0]->kind != V_STR) {
        return type_error_args(ctx, "Symbol");
      }
      return expr_value(ctx, sy_symbol(ctx, args[0]->s, args[0]->len));
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
      if ((a = to_expr(ev, args[0])) == NULL) {
        return NULL;
      }
      switch (f->fn) {
        case F_COS:
          return expr_value(ctx, sy_func(ctx, SY_COS, a));
        case F_SIN:
          return expr_value(ctx, sy_func(ctx, SY_SIN, a));
        case F_EXP:
          return expr_value(ctx, sy_func(ctx, SY_EXP, a));
        case F_LOG:
          return expr_value(ctx, sy_func(ctx, SY_LOG, a));
        case F_TAN:
          return expr_value(ctx, sy_func(ctx, SY_TAN, a));
        case F_ABS:
          return expr_value(ctx, sy_func(ctx, SY_ABS, a));
        case F_SQRT: {
          mpq_t half;
          mpq_init(half);
          mpq_set_ui(half, 1, 2);
          const sy_expr *h = sy_number(ctx, half);
          mpq_clear(half);
          return expr_value(ctx, sy_pow(ctx, a, h));
        }
        case F_EXPAND:
        case F_EXPAND_MUL:
        case F_EXPAND_MULTINOMIAL:
        case F_EXPAND_POWER_EXP:
        case F_EXPAND_POWER_BASE:
        case F_EXPAND_LOG:
          return expr_value(ctx, sy_expand_with(ctx, a, &hints));
        default:
          /* expand_func leaves the subset's functions as they are; sympify
           * and S of an expression return it. */
          return expr_value(ctx, a);
      }
    case F_INTEGER:
      if (n != 1 || args[0]->kind != V_INT) {
        return type_error_args(ctx, "Integer");
      }
      return expr_value(ctx, args[0]->e);
    case F_FLOAT:
      if (n != 1) {
        return sy_fail(ctx, "NotImplementedError", "Float with a precision " SY_OUTSIDE);
      }
      return expr_value(ctx, float_of(ctx, args[0]));
    case F_RATIONAL:
      if (n < 1 || n > 2 || args[0]->kind != V_INT || (n == 2 && args[1]->kind != V_INT)) {
        return type_error_args(ctx, "Rational");
      }
      if (n == 2 && mpq_sgn(args[1]->e->q) == 0) {
        return sy_fail(ctx, "NotImplementedError", "Rational(p, 0) " SY_OUTSIDE);
      }
      return expr_value(ctx, n == 1 ? args[0]->e : sy_div(ctx, args[0]->e, args[1]->e));
    case F_DIFF:
      if (n == 0) {
        return type_error_args(ctx, "diff");
      }
      if ((a = to_expr(ev, args[0])) == NULL) {
        return NULL;
      }
      return call_diff(ev, a, args + 1, n - 1);
    case M_DIFF:
      return call_diff(ev, f->self->e, args, n);
    case F_INTEGRATE:
      if (n == 0) {
        return type_error_args(ctx, "integrate");
      }
      if ((a = to_expr(ev, args[0])) == NULL) {
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
      if ((a = to_expr(ev, args[0])) == NULL) {
        return NULL;
      }
      if (sy_has_imaginary(a)) {
        return sy_fail(ctx, "NotImplementedError", "%s over the Gaussian rationals " SY_OUTSIDE,
                       f->name);
      }
      return expr_value(ctx, f->fn == F_FACTOR ? sy_factor(ctx, a) : sy_cancel(ctx, a));
    case F_SIMPLIFY:
      if (n == 0) {
        return sy_fail(ctx, "TypeError",
                       "simplify() missing 1 required positional argument: 'expr'");
      }
      if (n != 1) {
        return type_error_args(ctx, "simplify");
      }
      return (a = to_expr(ev, args[0])) == NULL ? NULL : expr_value(ctx, sy_simplify(ctx, a));
    case M_SIMPLIFY:
      if (n != 0) {
        return sy_fail(ctx, "TypeError",
                       "Basic.simplify() takes 1 positional argument but %zu were given", n + 1);
      }
      return expr_value(ctx, sy_simplify(ctx, f->self->e));
    case F_COUNT_OPS: {
      if (n == 0) {
        return sy_fail(ctx, "TypeError",
                       "count_ops() missing 1 required positional argument: 'expr'");
      }
      if (n != 1) {
        return sy_fail(ctx, "NotImplementedError", "count_ops with options " SY_OUTSIDE);
      }
      long ops = (a = to_expr(ev, args[0])) == NULL ? -1 : sy_count_ops(ctx, a);
      value *v = ops < 0 ? NULL : new_value(ctx, V_INT); /* count_ops answers a Python int */
      if (v != NULL && (v->e = sy_integer(ctx, ops)) == NULL) {
        v = NULL;
      }
      return v;
    }
    case F_SOLVE: {
      if (n < 1 || n > 2) {
        return type_error_args(ctx, "solve");
      }
      const sy_expr *x = n == 2 ? to_expr(ev, args[1]) : NULL;
      if ((a = to_expr(ev, args[0])) == NULL || (n == 2 && x == NULL)) {
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
      value *list = (value *)new_tuple(ctx, V_LIST, count);
      for (size_t i = 0; list != NULL && i < count; i++) {
        if ((list->items[i] = expr_value(ctx, roots[i])) == NULL) {
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
      return new_value(ctx, V_GLOBALS);
    case M_SUBS:
      return call_subs(ev, f->self->e, args, n);
    case M_EXPAND:
      if (n != 0) {
        return type_error_args(ctx, "expand");
      }
      return expr_value(ctx, sy_expand_with(ctx, f->self->e, &hints));
    case M_CLEAR:
      if (n != 0) {
        return type_error_args(ctx, "clear");
      }
      names_clear(ev->s);
      ev->s->clear_pending = true;
      return new_value(ctx, V_NONE);
  }
  return NULL;
}

/* ---- operators ---- */

/* A Python float of value f; zero is Integer 0 in arithmetic with
 * expressions (x + 0.0 is x, 0.0*x is 0), as sympy's Float(0.0) acts. */
static const value *float_value(sy_ctx *ctx, double f) {
  value *v = new_value(ctx, V_PYFLOAT);
  if (v != NULL && (v->e = f == 0 ? sy_integer(ctx, 0) : sy_float(ctx, f)) == NULL) {
    return NULL;
  }
  return v;
}

/* A float literal: CPython's syntax without underscores, as a Python float
 * in a session line and as sympy's Float(str) in sympify text (where a
 * literal of more than 15 digits would carry more precision). */
static const value *eval_float(evaluator *ev, const node *nd) {
  sy_ctx *ctx = ev->ctx;
  size_t digits;
  double f;
  decimal_status status = read_decimal(nd->text, nd->len, &f, &digits);
  if (status == DECIMAL_BAD_CHARACTER && nd->len < 64) {
    return sy_fail(ctx, "NotImplementedError", "this number literal " SY_OUTSIDE);
  }
  if (status != DECIMAL_OK || (ev->s == NULL && (digits > 15 || f == 0))) {
    return sy_fail(ctx, "NotImplementedError", "this float literal " SY_OUTSIDE);
  }
  if (ev->s == NULL) {
    return expr_value(ctx, sy_float(ctx, f));
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
  value *v = new_value(ctx, V_INT);
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

static const value *binop(evaluator *ev, const char *op, const value *a, const value *b) {
  sy_ctx *ctx = ev->ctx;
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
    value *v = new_value(ctx, V_BOOL);
    if (v != NULL) {
      v->truth = same == (op[0] == '=');
    }
    return v;
  }
  if (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0) {
    if (!is_expr_like(a) || !is_expr_like(b)) {
      return sy_fail(ctx, "NotImplementedError", "comparing these values " SY_OUTSIDE);
    }
    value *v = new_value(ctx, V_BOOL);
    if (v != NULL) {
      v->truth = sy_equal(a->e, b->e) == (op[0] == '=');
    }
    return v;
  }
  if (a->kind == V_STR && b->kind == V_STR && strcmp(op, "+") == 0) {
    value *v = new_value(ctx, V_STR);
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
      return expr_value(ctx, sy_add2(ctx, x, y));
    case '-':
      return expr_value(ctx, sy_sub(ctx, x, y));
    case '*':
      if (op[1] == '*') {
        return expr_value(ctx, sy_pow(ctx, x, y));
      }
      return expr_value(ctx, sy_mul2(ctx, x, y));
    case '/':
      if (op[1] == '/') {
        break;
      }
      return expr_value(ctx, sy_div(ctx, x, y));
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
    return free_symbols(ev, obj->e);
  } else {
    return missing_attribute(ctx, obj, name, len);
  }
  value *m = new_value(ctx, V_METHOD);
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
      value *v = new_value(ev->ctx, i == 0 ? V_NONE : V_BOOL);
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
  return expr_value(ctx, sy_symbol(ctx, nd->text, nd->len));
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
  return ev->s != NULL ? int_value(ctx, e) : expr_value(ctx, e);
}

/* A dict or set display: equal keys (sympy's ==, which also equates an
 * int with its Integer) kept once, at the first one's place, with the
 * last value. */
static const value *eval_display(evaluator *ev, const node *nd) {
  sy_ctx *ctx = ev->ctx;
  bool is_dict = nd->kind == N_DICT;
  size_t step = is_dict ? 2 : 1;
  value *v = (value *)new_tuple(ctx, is_dict ? V_DICT : V_SET, nd->n);
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
      acc = expr_value(ctx, sy_add(ctx, pending, npending));
      npending = 0;
    }
    acc = acc == NULL ? NULL : binop(ev, spine[i]->text, acc, b);
  }
  if (acc != NULL && npending > 0) {
    acc = ctx->failed ? NULL : expr_value(ctx, sy_add(ctx, pending, npending));
  }
  free(spine);
  free(pending);
  return acc;
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
      value *v = new_value(ctx, V_STR);
      if (v != NULL) {
        v->s = nd->text;
        v->len = nd->len;
      }
      result = v;
      break;
    }
    case N_TUPLE:
    case N_LIST: {
      value *t = (value *)new_tuple(ctx, nd->kind == N_TUPLE ? V_TUPLE : V_LIST, nd->n);
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
      if (v == NULL) {
        break;
      }
      if (nd->text[0] == '~' || !is_expr_like(v)) {
        result = sy_fail(ctx, "NotImplementedError", "this unary operator " SY_OUTSIDE);
      } else if (nd->text[0] == '+') {
        result = v;
      } else if (v->kind == V_PYFLOAT) {
        result = float_value(ctx, v->e->kind == SY_FLOAT ? -v->e->f : 0);
      } else if (v->kind == V_INT && ev->s != NULL) {
        result = int_value(ctx, sy_neg(ctx, v->e));
      } else {
        result = expr_value(ctx, sy_neg(ctx, v->e));
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
      const value **args = sy_alloc(ctx, (nd->n ? nd->n : 1) * sizeof *args);
      const node **names = sy_alloc(ctx, (nd->n ? nd->n : 1) * sizeof *names);
      const value **kwvalues = sy_alloc(ctx, (nd->n ? nd->n : 1) * sizeof *kwvalues);
      size_t n = 0, nkw = 0;
      for (size_t i = 1; args != NULL && names != NULL && kwvalues != NULL && i < nd->n; i++) {
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
        result = call(ev, f, args, n, &kw);
      }
      break;
    }
    case N_KWARG:
      result = sy_fail(ctx, "SyntaxError", PY_SYNTAX_INVALID);
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
    return bind(s, target->text, target->len, v);
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
      if (star_import(s) != 0) {
        return -1;
      }
      continue;
    }
    evaluator ev = {s, ctx, 0, {{0}}, 0};
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
    names_clear(s);
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
