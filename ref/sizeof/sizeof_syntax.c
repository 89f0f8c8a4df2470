#include "ref/sizeof/sizeof_syntax.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ref/protocol/strbuf.h"
#include "ref/py/arena.h"
#include "ref/py/error.h"
#include "ref/py/literal.h"
#include "ref/py/syntax_messages.h"
#include "ref/py/tokenize.h"
#include "ref/sizeof/sizeof_old_syntax.h"
#include "ref/sizeof/sizeof_token_checks.h"

/* Python/Python-ast.c refuses trees deeper than about three times the
 * recursion limit when it builds them; deeper input is refused (and our
 * recursive descent stays bounded). */
enum { MAX_DEPTH = 2900 };

struct pn_syntax {
  py_arena arena; /* the tree, its strings and the error message */
  py_tokens toks;
  size_t pos;
  int depth;
  int minor;            /* the CPython 3.x whose wording the errors take (6 to 13) */
  int max_depth;        /* the deepest nesting the parser reached */
  bool literal_error;   /* the error is a literal's (decoding, digit limit) */
  bool without_invalid; /* inside a probe: CPython's expression_without_invalid */
  /* 3.6 to 3.9 (sizeof_old_syntax.h): literals' and targets' errors kept
   * aside while the parse goes on, and where the parse stopped. */
  bool defer;
  const char *deferred, *deferred_target;
  int deferred_pos;
  int error_pos; /* the token the recorded error was raised at; -1 */
  /* the first error: type and message */
  const char *error_type;
  char *error_message;
  bool out_of_memory;
};

/* Zeroed memory from the parse's arena, or NULL with out_of_memory set. */
static void *pn_syntax_alloc(pn_syntax *s, size_t n) {
  void *p = py_arena_alloc(&s->arena, n);
  s->out_of_memory |= p == NULL;
  return p;
}

/* A NUL-terminated arena copy of n bytes of text, or NULL as pn_syntax_alloc. */
static char *pn_syntax_strndup(pn_syntax *s, const char *text, size_t n) {
  char *copy = py_arena_strndup(&s->arena, text, n);
  s->out_of_memory |= copy == NULL;
  return copy;
}

/* Records the exception (type a string literal; message printf's format)
 * unless one is recorded already: later ones are consequences. Returns
 * false, so that parsers can `return pn_syntax_fail(...)`. */
static bool pn_syntax_fail(pn_syntax *s, const char *type, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static bool pn_syntax_fail(pn_syntax *s, const char *type, const char *format, ...) {
  if (s->error_type != NULL) {
    return false;
  }
  pn_strbuf text = PN_STRBUF_INIT;
  va_list args;
  va_start(args, format);
  int rc = pn_strbuf_vprintf(&text, format, args);
  va_end(args);
  char *message = rc == 0 ? pn_syntax_strndup(s, text.data ? text.data : "", text.len) : NULL;
  pn_strbuf_free(&text);
  if (message == NULL) {
    s->out_of_memory = true;
    return false;
  }
  s->error_type = type;
  s->error_message = message;
  s->error_pos = (int)s->pos;
  return false;
}

/* In 3.6 to 3.9, the error just recorded for a literal or a target (what
 * it is) is kept aside and the parse goes on: returns true; false when it
 * stands. */
static bool defer_error(pn_syntax *s, const char *target) {
  if (!s->defer || s->error_type == NULL || strcmp(s->error_type, "SyntaxError") != 0) {
    return false;
  }
  if (s->deferred == NULL) {
    s->deferred = s->error_message;
    s->deferred_target = target;
    s->deferred_pos = (int)s->pos - 1; /* the literal or target was read */
  }
  s->error_type = NULL;
  s->literal_error = false;
  s->error_pos = -1;
  return true;
}

/* A SyntaxError as eval reports it for the line: the message with its
 * location. */
#define SYNTAX_ERROR(s, format, ...) \
  pn_syntax_fail((s), "SyntaxError", format " (<string>, line 1)", ##__VA_ARGS__)

/* Records ref/py's exception: a SyntaxError with eval's location, anything
 * else as it stands. Returns false. */
static bool record(pn_syntax *s, const py_error *error) {
  if (strcmp(error->type, "SyntaxError") == 0) {
    return SYNTAX_ERROR(s, "%s", error->message);
  }
  return pn_syntax_fail(s, error->type, "%s", error->message);
}

/* A literal's body decoded (literal.h), or false with its error recorded. */
static bool decode_str(pn_syntax *s, const py_token *t, uint32_t *out, size_t *out_len) {
  py_error error = PY_ERROR_INIT;
  return py_decode_str(t, out, out_len, &error) == 0 || record(s, &error);
}

static bool decode_bytes(pn_syntax *s, const py_token *t, char *out, size_t *out_len) {
  py_error error = PY_ERROR_INIT;
  return py_decode_bytes(t, out, out_len, &error) == 0 || record(s, &error);
}

/* eval's source checked (its encoding, NUL bytes) and split into tokens, or
 * false with the first error recorded: the tokenizer's errors come before
 * any parser's. */
static bool tokenize(pn_syntax *s, const char *line, size_t len) {
  py_error error = PY_ERROR_INIT;
  if (py_check_source((const unsigned char *)line, len, s->minor, &error) != 0) {
    /* builtin eval's own errors, without a location */
    return pn_syntax_fail(s, error.type, "%s", error.message);
  }
  py_token_options options = {NULL, false, s->minor, false};
  if (py_tokenize(line, len, &options, &s->toks) != 0) {
    s->out_of_memory = true;
    return false;
  }
  const py_token *last = &s->toks.items[s->toks.count - 1];
  if (last->kind == PY_T_ERROR) {
    if (last->refusal) {
      return pn_syntax_fail(s, "NotImplementedError", "%s", last->message);
    }
    return SYNTAX_ERROR(s, "%s", last->message);
  }
  return true;
}

/* ---- parser ---- */

/* One level deeper into the expression; false (RecursionError recorded)
 * past MAX_DEPTH. */
static bool enter(pn_syntax *s) {
  if (++s->depth > s->max_depth) {
    s->max_depth = s->depth;
  }
  if (s->depth > MAX_DEPTH) {
    return pn_syntax_fail(s, "RecursionError", PY_RECURSION_AST);
  }
  return true;
}

static pn_node *new_node(pn_syntax *s, pn_node_kind kind, size_t count) {
  pn_node *node = pn_syntax_alloc(s, sizeof *node);
  if (node == NULL) {
    return NULL;
  }
  node->kind = kind;
  node->count = count;
  if (count > 0) {
    node->child = pn_syntax_alloc(s, count * sizeof *node->child);
    if (node->child == NULL) {
      return NULL;
    }
  }
  return node;
}

/* A growable list of child nodes, copied into the arena when done. */
typedef struct node_list {
  pn_node **items;
  size_t count, cap;
} node_list;

static bool list_push(pn_syntax *s, node_list *list, pn_node *node) {
  if (list->count == list->cap) {
    size_t cap = list->cap ? list->cap * 2 : 8;
    pn_node **grown = realloc(list->items, cap * sizeof *grown);
    if (grown == NULL) {
      s->out_of_memory = true;
      return false;
    }
    list->items = grown;
    list->cap = cap;
  }
  list->items[list->count++] = node;
  return true;
}

static pn_node *node_from_list(pn_syntax *s, pn_node_kind kind, node_list *list) {
  pn_node *node = new_node(s, kind, list->count);
  if (node != NULL && list->count > 0) {
    memcpy(node->child, list->items, list->count * sizeof *list->items);
  }
  free(list->items);
  list->items = NULL;
  return node;
}

static const py_token *cur(const pn_syntax *s) {
  return &s->toks.items[s->pos];
}

static bool accept(pn_syntax *s, const char *op) {
  if (py_token_is_op(cur(s), op)) {
    s->pos++;
    return true;
  }
  return false;
}

static bool accept_word(pn_syntax *s, const char *word) {
  if (py_token_is_word(cur(s), word)) {
    s->pos++;
    return true;
  }
  return false;
}

/* The parser failed at the current token: at the end of the line inside
 * brackets the innermost one was never closed; otherwise "invalid syntax". */
static pn_node *syntax_error_here(pn_syntax *s) {
  if (cur(s)->kind == PY_T_LINECONT) {
    SYNTAX_ERROR(s, PY_SYNTAX_LINE_CONTINUATION);
  } else if (cur(s)->kind == PY_T_END && s->toks.open_count > 0) {
    SYNTAX_ERROR(s, PY_SYNTAX_NEVER_CLOSED, s->toks.opened[s->toks.open_count - 1]);
  } else {
    SYNTAX_ERROR(s, PY_SYNTAX_INVALID);
  }
  return NULL;
}

static pn_node *parse_expression(pn_syntax *s);
static pn_node *parse_disjunction(pn_syntax *s);
static pn_node *parse_bitor(pn_syntax *s);

static pn_node *other(pn_syntax *s) {
  return new_node(s, PN_NODE_OTHER, 0);
}

/* Refuses a construct whose validity or error the reader does not model
 * (what, with its verb: "lambda parameters are"): NotImplementedError, so
 * that valid Python is never a SyntaxError nor an error "unsupported". */
static pn_node *refuse(pn_syntax *s, const char *what) {
  pn_syntax_fail(s, "NotImplementedError", "%s not modelled by the getsizeof reader", what);
  return NULL;
}

/* A run of string literals, concatenated. As _PyPegen_concatenate_strings
 * does, each piece is decoded before its mode is compared with the first's,
 * and only once the token after the run was read (a stray backslash there
 * is reported first). */
static pn_node *parse_strings(pn_syntax *s) {
  size_t first = s->pos;
  size_t total = 0;
  bool fstring = false;
  while (cur(s)->kind == PY_T_STRING) {
    const py_token *t = cur(s);
    total += t->body_len;
    fstring |= t->fstring;
    if (t->fstring &&
        (memchr(t->body, '{', t->body_len) != NULL || memchr(t->body, '}', t->body_len) != NULL)) {
      /* A replacement field's expression, and its errors: not modelled. */
      return pn_syntax_fail(s, "NotImplementedError", PY_FSTRING_FIELDS), NULL;
    }
    s->pos++;
  }
  bool bytes = s->toks.items[first].bytes;
  pn_node *node = new_node(s, bytes ? PN_NODE_BYTES : PN_NODE_STR, 0);
  char *data = pn_syntax_alloc(s, total + 1);
  uint32_t *chars = pn_syntax_alloc(s, (total + 1) * sizeof *chars);
  if (node == NULL || data == NULL || chars == NULL) {
    return NULL;
  }
  /* From 3.12 each literal is decoded as the parser takes it, before the
   * token after the run is read; up to 3.11 the run is decoded once that
   * token is read, so a stray backslash there is reported first. Literals
   * mixing bytes and str are found after both. */
  bool decode_first = s->minor >= 12;
  for (int pass = 0; pass < 2; pass++) {
    if ((pass == 0) != decode_first) {
      /* Reading the token after the run: a stray backslash, or the end of
       * the line inside brackets, fails there. */
      /* (Before 3.10 the end inside brackets is no tokenizer error.) */
      if (cur(s)->kind == PY_T_LINECONT ||
          (cur(s)->kind == PY_T_END && s->toks.open_count > 0 && s->minor >= 10)) {
        return syntax_error_here(s);
      }
      continue;
    }
    size_t length = 0;
    for (size_t i = first; i < s->pos; i++) {
      const py_token *t = &s->toks.items[i];
      size_t n = 0;
      bool decoded =
          t->bytes ? decode_bytes(s, t, data + length, &n) : decode_str(s, t, chars + length, &n);
      if (!decoded) {
        s->literal_error = true;
        if (!defer_error(s, NULL)) {
          return NULL;
        }
      }
      if (!decode_first && t->bytes != bytes) {
        SYNTAX_ERROR(s, PY_SYNTAX_MIXED_BYTES);
        s->literal_error = true;
        if (!defer_error(s, NULL)) {
          return NULL;
        }
      }
      length += n;
    }
    node->length = length;
  }
  for (size_t i = first; i < s->pos; i++) {
    if (s->toks.items[i].bytes != bytes) {
      SYNTAX_ERROR(s, PY_SYNTAX_MIXED_BYTES);
      s->literal_error = true;
      if (!defer_error(s, NULL)) {
        return NULL;
      }
      break;
    }
  }
  node->text = data;
  node->chars = chars;
  if (fstring) {
    node->kind = PN_NODE_OTHER;
  }
  return node;
}

/* What pegen calls a node that cannot be assigned to (`for 1 in ...`:
 * "cannot assign to literal"), or NULL for a valid target. */
static const char *invalid_target(const pn_node *n) {
  switch (n->kind) {
    case PN_NODE_INT:
    case PN_NODE_FLOAT:
    case PN_NODE_IMAG:
    case PN_NODE_STR:
    case PN_NODE_BYTES:
      return "literal";
    case PN_NODE_TRUE:
      return "True";
    case PN_NODE_FALSE:
      return "False";
    case PN_NODE_NONE:
      return "None";
    case PN_NODE_CALL:
      return "function call";
    case PN_NODE_UNARY:
    case PN_NODE_BINARY:
      return "expression";
    case PN_NODE_DICT:
      return "dict literal";
    case PN_NODE_SET:
      return "set display";
    case PN_NODE_LISTCOMP:
      return "list comprehension";
    case PN_NODE_DICTCOMP:
      return "dict comprehension";
    case PN_NODE_TUPLE:
    case PN_NODE_LIST:
      for (size_t i = 0; i < n->count; i++) {
        const char *inner = invalid_target(n->child[i]);
        if (inner != NULL) {
          return inner;
        }
      }
      return NULL;
    case PN_NODE_OTHER:
      return n->op == '.' ? "ellipsis" : NULL;
    default:
      return NULL;
  }
}

static pn_node *missing_separator(pn_syntax *s, size_t element_start);

static pn_node *parse_number(pn_syntax *s) {
  const py_token *t = cur(s);
  s->pos++;
  pn_node_kind kind = t->number == PY_NUM_INT     ? PN_NODE_INT
                      : t->number == PY_NUM_FLOAT ? PN_NODE_FLOAT
                                                  : PN_NODE_IMAG;
  pn_node *node = new_node(s, kind, 0);
  if (node == NULL) {
    return NULL;
  }
  char *text = pn_syntax_alloc(s, t->len + 1);
  if (text == NULL) {
    return NULL;
  }
  size_t n = 0;
  size_t skip = t->base == 10 ? 0 : 2;
  for (size_t i = skip; i < t->len; i++) {
    char c = t->text[i];
    if (c != '_' && !(t->number == PY_NUM_IMAG && (c == 'j' || c == 'J'))) {
      text[n++] = c;
    }
  }
  node->text = text;
  node->length = n;
  node->base = t->base;
  /* parsenumber: int(str) refuses over sys.get_int_max_str_digits() decimal
   * digits (4300 by default, since 3.11 and the 2022 security releases of
   * 3.7 to 3.10, the ones recorded). */
  if (py_int_digits_limited(s->minor) && t->number == PY_NUM_INT && t->base == 10 &&
      n > PY_INT_MAX_STR_DIGITS) {
    if (s->minor >= 11) {
      SYNTAX_ERROR(s, PY_SYNTAX_INT_DIGITS, n);
    } else {
      SYNTAX_ERROR(s, PY_SYNTAX_INT_DIGITS_PY37_310, n);
    }
    s->literal_error = true;
    if (!defer_error(s, NULL)) {
      return NULL;
    }
  }
  return node;
}

/* Parses `target in iterable` clauses after `for`; fills the node's
 * target and iterable children (at index `at`) and whether the
 * comprehension is the simple one-loop form. */
static bool parse_comprehension(pn_syntax *s, pn_node *node, size_t at) {
  bool simple = true;
  bool first = true;
  while (py_token_is_word(cur(s), "for") || py_token_is_word(cur(s), "async")) {
    if (accept_word(s, "async")) {
      simple = false;
    }
    if (!accept_word(s, "for")) {
      syntax_error_here(s);
      return false;
    }
    node_list targets = {0};
    bool comma = false;
    bool first_starred = false;
    do {
      if (!pn_token_starts_expression(cur(s)) && !py_token_is_op(cur(s), "*")) {
        break;
      }
      comma = targets.count > 0;
      first_starred |= targets.count == 0 && py_token_is_op(cur(s), "*");
      accept(s, "*");
      pn_node *target = parse_bitor(s);
      if (target == NULL || !list_push(s, &targets, target)) {
        free(targets.items);
        return false;
      }
    } while (accept(s, ","));
    /* 3.9's invalid_for_target reads the targets as expressions first. */
    for (size_t i = 0; s->minor == 9 && !py_token_is_word(cur(s), "in") && i < targets.count; i++) {
      const char *name = invalid_target(targets.items[i]);
      if (name != NULL) {
        SYNTAX_ERROR(s, PY_SYNTAX_CANNOT_ASSIGN, name);
        if (!defer_error(s, name)) {
          free(targets.items);
          return false;
        }
        break;
      }
    }
    /* 3.13's invalid_for_if_clause: targets (up to a starred one) and
     * no `in` after them. */
    if (s->minor >= 13 && !py_token_is_word(cur(s), "in") && targets.count > 0 && !first_starred) {
      free(targets.items);
      SYNTAX_ERROR(s, PY_SYNTAX_IN_EXPECTED_PY313);
      return false;
    }
    /* pegen's invalid_for_target: the targets read as expressions (a
     * forgotten comma first), then whether they can be assigned to. */
    if (!py_token_is_word(cur(s), "in") && pn_token_starts_expression(cur(s))) {
      free(targets.items);
      missing_separator(s, s->pos - 1);
      return false;
    }
    for (size_t i = 0; i < targets.count; i++) {
      const char *name = invalid_target(targets.items[i]);
      if (name != NULL) {
        SYNTAX_ERROR(s, PY_SYNTAX_CANNOT_ASSIGN, name);
        if (defer_error(s, name)) {
          break;
        }
        free(targets.items);
        return false;
      }
    }
    if (targets.count == 0 || !accept_word(s, "in")) {
      free(targets.items);
      syntax_error_here(s);
      return false;
    }
    /* `for x, in ...`: a one-item tuple target. */
    comma |= py_token_is_op(&s->toks.items[s->pos - 2], ",");
    pn_node *target = targets.count == 1 && !comma ? targets.items[0] : other(s);
    free(targets.items);
    pn_node *iterable = parse_disjunction(s);
    if (target == NULL || iterable == NULL) {
      return false;
    }
    if (first) {
      node->child[at] = target;
      node->child[at + 1] = iterable;
      first = false;
    } else {
      simple = false;
    }
    while (accept_word(s, "if")) {
      simple = false;
      if (parse_disjunction(s) == NULL) {
        return false;
      }
    }
  }
  node->simple_comprehension = simple;
  return true;
}

/* After an element inside brackets: a following expression means a
 * forgotten comma (pegen's invalid_expression), unless the element was a
 * lone name right before a string (`f 'x'`, a misspelt prefix). */
static pn_node *missing_separator(pn_syntax *s, size_t element_start) {
  const py_token *t = cur(s);
  /* NAME STRING: a misspelt prefix, which invalid_expression does not take
   * for a missing comma (True, None and the other keywords are no NAME). */
  bool name_then_string = s->toks.items[element_start].kind == PY_T_NAME &&
                          !py_token_is_keyword(&s->toks.items[element_start]) &&
                          s->toks.items[element_start + 1].kind == PY_T_STRING;
  /* A lone name before an expression: invalid_legacy_expression parses what
   * follows as star_expressions with the error rules on, and an error raised
   * there stands; the reader models that parse only where it ends cleanly
   * before anything but a comma. */
  bool lone_name = s->toks.items[element_start].kind == PY_T_NAME &&
                   !py_token_is_keyword(&s->toks.items[element_start]) &&
                   s->pos == element_start + 1;
  if (pn_token_starts_expression(t) && (lone_name || !name_then_string)) {
    /* Only if what follows parses as an expression; errors of the trial
     * parse are not the line's, but the tokens it looked at are read: a
     * stray backslash or the end of the line inside brackets is reported
     * first, as the tokenizer reports them. */
    size_t saved = s->pos;
    bool without_invalid = s->without_invalid;
    s->without_invalid = !lone_name;
    bool parsed = parse_expression(s) != NULL;
    s->without_invalid = without_invalid;
    py_token_kind stopped_at = cur(s)->kind;
    if (lone_name && s->error_type == NULL && py_token_is_op(cur(s), ",")) {
      return refuse(s, "a name before an expression list is");
    }
    if (lone_name && s->error_type != NULL && !s->literal_error &&
        strcmp(s->error_type, "SyntaxError") == 0) {
      s->error_type = NULL;
      return refuse(s, "a name before an expression that does not parse is");
    }
    if (s->error_type != NULL &&
        (s->literal_error || strcmp(s->error_type, "NotImplementedError") == 0)) {
      /* A literal's error is raised by the parser's action even in the
       * probe; a refusal stands, how far CPython's probe gets depending on
       * the refused construct. */
      return NULL;
    }
    s->error_type = NULL;
    s->error_message = NULL;
    s->error_pos = -1;
    s->pos = saved;
    if (stopped_at == PY_T_LINECONT) {
      SYNTAX_ERROR(s, PY_SYNTAX_LINE_CONTINUATION);
      return NULL;
    }
    if (stopped_at == PY_T_END && s->toks.open_count > 0) {
      SYNTAX_ERROR(s, PY_SYNTAX_NEVER_CLOSED, s->toks.opened[s->toks.open_count - 1]);
      return NULL;
    }
    if (parsed && t->level > 0 && !name_then_string) {
      SYNTAX_ERROR(s, PY_SYNTAX_FORGOT_COMMA);
      return NULL;
    }
  }
  return syntax_error_here(s);
}

/* One element of a display or call: `*x`, `**x` (dicts and calls), or an
 * expression; `key: value` in dicts. */
static pn_node *parse_star_or_expression(pn_syntax *s, bool *starred) {
  *starred = false;
  if (accept(s, "*")) {
    *starred = true;
    return parse_bitor(s);
  }
  if (py_token_is_op(cur(s), ":=")) {
    return syntax_error_here(s);
  }
  pn_node *e = parse_expression(s);
  if (e != NULL && accept(s, ":=")) {
    /* x := value: only a name may be assigned. */
    if (e->kind != PN_NODE_NAME) {
      return syntax_error_here(s);
    }
    if (parse_expression(s) == NULL) {
      return NULL;
    }
    return other(s);
  }
  return e;
}

/* ( ... ): a group, a tuple or a generator expression. */
static pn_node *parse_paren(pn_syntax *s) {
  s->pos++;
  if (accept(s, ")")) {
    return new_node(s, PN_NODE_TUPLE, 0);
  }
  if (py_token_is_op(cur(s), "**")) {
    return refuse(s, "'(**' is"); /* invalid_group's double-starred wording */
  }
  node_list items = {0};
  bool any_star = false, trailing_comma = false;
  for (;;) {
    size_t start = s->pos;
    bool starred;
    pn_node *e = parse_star_or_expression(s, &starred);
    if (e == NULL || !list_push(s, &items, e)) {
      free(items.items);
      return NULL;
    }
    any_star |= starred;
    if (starred && (py_token_is_word(cur(s), "for") || py_token_is_word(cur(s), "async"))) {
      free(items.items);
      return refuse(s, "unpacking in comprehensions is");
    }
    if (items.count == 1 && !starred &&
        (py_token_is_word(cur(s), "for") || py_token_is_word(cur(s), "async"))) {
      pn_node *gen = new_node(s, PN_NODE_LISTCOMP, 3);
      free(items.items);
      if (gen == NULL || !parse_comprehension(s, gen, 1)) {
        return NULL;
      }
      if (!accept(s, ")")) {
        return syntax_error_here(s);
      }
      return other(s);
    }
    if (accept(s, ")")) {
      trailing_comma = false;
      break;
    }
    if (!accept(s, ",")) {
      free(items.items);
      return missing_separator(s, start);
    }
    trailing_comma = true;
    if (accept(s, ")")) {
      break;
    }
  }
  if (items.count == 1 && !trailing_comma) {
    pn_node *only = items.items[0];
    free(items.items);
    if (any_star) {
      return refuse(s, "a parenthesized starred expression is"); /* invalid_group */
    }
    return only;
  }
  pn_node *tuple = node_from_list(s, PN_NODE_TUPLE, &items);
  if (tuple != NULL) {
    tuple->has_starred = any_star;
  }
  return tuple;
}

static pn_node *parse_list(pn_syntax *s) {
  s->pos++;
  node_list items = {0};
  bool any_star = false;
  while (!accept(s, "]")) {
    size_t start = s->pos;
    bool starred;
    pn_node *e = parse_star_or_expression(s, &starred);
    if (e == NULL || !list_push(s, &items, e)) {
      free(items.items);
      return NULL;
    }
    any_star |= starred;
    if (starred && (py_token_is_word(cur(s), "for") || py_token_is_word(cur(s), "async"))) {
      free(items.items);
      return refuse(s, "unpacking in comprehensions is");
    }
    if (items.count == 1 && !starred &&
        (py_token_is_word(cur(s), "for") || py_token_is_word(cur(s), "async"))) {
      pn_node *comp = new_node(s, PN_NODE_LISTCOMP, 3);
      if (comp == NULL) {
        free(items.items);
        return NULL;
      }
      comp->child[0] = items.items[0];
      free(items.items);
      if (!parse_comprehension(s, comp, 1)) {
        return NULL;
      }
      if (!accept(s, "]")) {
        return syntax_error_here(s);
      }
      return comp;
    }
    if (accept(s, "]")) {
      break;
    }
    if (!accept(s, ",")) {
      free(items.items);
      return missing_separator(s, start);
    }
  }
  pn_node *list = node_from_list(s, PN_NODE_LIST, &items);
  if (list != NULL) {
    list->has_starred = any_star;
  }
  return list;
}

/* { ... }: a dict, a set, or their comprehensions. */
static pn_node *parse_brace(pn_syntax *s) {
  s->pos++;
  if (accept(s, "}")) {
    return new_node(s, PN_NODE_DICT, 0);
  }
  node_list items = {0};
  int is_dict = -1;
  bool any_star = false;
  for (;;) {
    size_t start = s->pos;
    pn_node *key = NULL, *value = NULL;
    bool starred = false;
    if (is_dict != 0 && accept(s, "**")) {
      is_dict = 1;
      value = parse_bitor(s);
      if (value == NULL) {
        free(items.items);
        return NULL;
      }
    } else {
      key = parse_star_or_expression(s, &starred);
      if (key == NULL) {
        free(items.items);
        return NULL;
      }
      if (is_dict == -1) {
        is_dict = !starred && py_token_is_op(cur(s), ":");
      }
      if (is_dict) {
        /* pegen's invalid_kvpair and invalid_double_starred_kvpairs. */
        if (!starred && !py_token_is_op(cur(s), ":") && items.count > 0 &&
            cur(s)->kind != PY_T_END && cur(s)->kind != PY_T_LINECONT) {
          free(items.items);
          SYNTAX_ERROR(s, PY_SYNTAX_DICT_COLON_EXPECTED);
          return NULL;
        }
        if (starred || !accept(s, ":")) {
          free(items.items);
          return starred ? syntax_error_here(s) : missing_separator(s, start);
        }
        if (py_token_is_op(cur(s), "}") || py_token_is_op(cur(s), ",")) {
          free(items.items);
          SYNTAX_ERROR(s, PY_SYNTAX_DICT_VALUE_EXPECTED);
          return NULL;
        }
        if (py_token_is_op(cur(s), "*")) {
          free(items.items);
          SYNTAX_ERROR(s, PY_SYNTAX_STARRED_DICT_VALUE);
          return NULL;
        }
        start = s->pos;
        value = parse_expression(s);
        if (value == NULL) {
          free(items.items);
          return NULL;
        }
      }
    }
    any_star |= starred;
    if ((is_dict ? !list_push(s, &items, key) || !list_push(s, &items, value)
                 : !list_push(s, &items, key))) {
      free(items.items);
      return NULL;
    }
    size_t elements = is_dict ? items.count / 2 : items.count;
    if ((starred || key == NULL) &&
        (py_token_is_word(cur(s), "for") || py_token_is_word(cur(s), "async"))) {
      free(items.items);
      return refuse(s, "unpacking in comprehensions is");
    }
    if (elements == 1 && !starred && key != NULL &&
        (py_token_is_word(cur(s), "for") || py_token_is_word(cur(s), "async"))) {
      pn_node *comp = new_node(s, is_dict ? PN_NODE_DICTCOMP : PN_NODE_OTHER, 4);
      if (comp == NULL) {
        free(items.items);
        return NULL;
      }
      comp->child[0] = items.items[0];
      comp->child[1] = is_dict ? items.items[1] : NULL;
      free(items.items);
      if (!parse_comprehension(s, comp, 2)) {
        return NULL;
      }
      if (!accept(s, "}")) {
        return syntax_error_here(s);
      }
      return comp;
    }
    if (accept(s, "}")) {
      break;
    }
    if (!accept(s, ",")) {
      free(items.items);
      /* `**` bitwise_or is no expression: no forgotten comma is looked for. */
      return key == NULL ? syntax_error_here(s) : missing_separator(s, start);
    }
    if (accept(s, "}")) {
      break;
    }
  }
  pn_node *node = node_from_list(s, is_dict ? PN_NODE_DICT : PN_NODE_SET, &items);
  if (node != NULL) {
    node->has_starred = any_star;
  }
  return node;
}

static pn_node *parse_atom(pn_syntax *s) {
  const py_token *t = cur(s);
  if (t->kind == PY_T_NUMBER) {
    return parse_number(s);
  }
  if (t->kind == PY_T_STRING) {
    return parse_strings(s);
  }
  if (t->kind == PY_T_NAME) {
    if (accept_word(s, "True")) {
      return new_node(s, PN_NODE_TRUE, 0);
    }
    if (accept_word(s, "False")) {
      return new_node(s, PN_NODE_FALSE, 0);
    }
    if (accept_word(s, "None")) {
      return new_node(s, PN_NODE_NONE, 0);
    }
    if (py_token_is_keyword(t)) {
      return syntax_error_here(s);
    }
    s->pos++;
    pn_node *name = new_node(s, PN_NODE_NAME, 0);
    if (name != NULL) {
      name->text = pn_syntax_strndup(s, t->text, t->len);
      name->length = t->len;
    }
    return name;
  }
  if (py_token_is_op(t, "(")) {
    return parse_paren(s);
  }
  if (py_token_is_op(t, "[")) {
    return parse_list(s);
  }
  if (py_token_is_op(t, "{")) {
    return parse_brace(s);
  }
  if (accept(s, "...")) {
    pn_node *ellipsis = other(s);
    if (ellipsis != NULL) {
      ellipsis->op = '.';
    }
    return ellipsis;
  }
  return syntax_error_here(s);
}

/* Call arguments: positional, *args, keyword=value, **kwargs, or one
 * generator expression. */
static pn_node *parse_call(pn_syntax *s, pn_node *callee) {
  s->pos++;
  node_list args = {0};
  bool keywords = false, starred_any = false;
  if (!list_push(s, &args, callee)) {
    return NULL;
  }
  while (!accept(s, ")")) {
    size_t start = s->pos;
    bool keyword = cur(s)->kind == PY_T_NAME && py_token_is_op(&s->toks.items[s->pos + 1], "=");
    if (keywords && !keyword && !py_token_is_op(cur(s), "**")) {
      /* A positional or starred argument after keywords: invalid_arguments
       * words the cases apart. */
      free(args.items);
      return refuse(s, "arguments after keyword arguments are");
    }
    if (py_token_is_op(cur(s), "*") && !pn_token_starts_expression(&s->toks.items[s->pos + 1])) {
      free(args.items); /* worded otherwise by every version */
      return refuse(s, "a bare '*' argument is");
    }
    if (args.count > 1 && (py_token_is_word(cur(s), "for") || py_token_is_word(cur(s), "async"))) {
      free(args.items);
      return refuse(s, "generator expressions beside other arguments are");
    }
    if (accept(s, "**")) {
      keywords = true;
      if (parse_expression(s) == NULL) {
        free(args.items);
        return NULL;
      }
    } else if (cur(s)->kind == PY_T_NAME && py_token_is_op(&s->toks.items[s->pos + 1], "=") &&
               !py_token_is_keyword(cur(s))) {
      keywords = true;
      s->pos += 2;
      if (parse_expression(s) == NULL) {
        free(args.items);
        return NULL;
      }
    } else {
      bool starred;
      pn_node *arg = parse_star_or_expression(s, &starred);
      if (arg == NULL || !list_push(s, &args, arg)) {
        free(args.items);
        return NULL;
      }
      starred_any |= starred;
      if (py_token_is_op(cur(s), "=")) {
        free(args.items); /* invalid_kwarg: "expression cannot contain assignment" */
        return refuse(s, "'=' after an argument that is not a name is");
      }
      if (starred && (py_token_is_word(cur(s), "for") || py_token_is_word(cur(s), "async"))) {
        free(args.items);
        return refuse(s, "unpacking in comprehensions is");
      }
      if (args.count > 2 &&
          (py_token_is_word(cur(s), "for") || py_token_is_word(cur(s), "async"))) {
        free(args.items);
        return refuse(s, "generator expressions beside other arguments are");
      }
      if (args.count == 2 && !starred &&
          (py_token_is_word(cur(s), "for") || py_token_is_word(cur(s), "async"))) {
        pn_node *gen = new_node(s, PN_NODE_LISTCOMP, 3);
        if (gen == NULL || !parse_comprehension(s, gen, 1)) {
          free(args.items);
          return NULL;
        }
        args.items[1] = other(s);
        if (py_token_is_op(cur(s), ",")) {
          free(args.items);
          return refuse(s, "generator expressions beside other arguments are");
        }
        if (!accept(s, ")")) {
          free(args.items);
          return syntax_error_here(s);
        }
        break;
      }
    }
    if (accept(s, ")")) {
      break;
    }
    if (!accept(s, ",")) {
      free(args.items);
      return missing_separator(s, start);
    }
  }
  pn_node *call = node_from_list(s, PN_NODE_CALL, &args);
  if (call != NULL) {
    call->has_keywords = keywords;
    call->has_starred = starred_any;
  }
  return call;
}

/* a[...]: slices are never among the listed forms. */
static pn_node *parse_subscript(pn_syntax *s) {
  s->pos++;
  if (py_token_is_op(cur(s), "]")) {
    return syntax_error_here(s); /* an empty subscript */
  }
  do {
    if (py_token_is_op(cur(s), "]")) {
      break;
    }
    if (py_token_is_op(cur(s), ",")) {
      return syntax_error_here(s); /* an element cannot start with a comma */
    }
    for (int part = 0; part < 3; part++) {
      if (!py_token_is_op(cur(s), ":") && !py_token_is_op(cur(s), ",") &&
          !py_token_is_op(cur(s), "]")) {
        bool starred;
        if (parse_star_or_expression(s, &starred) == NULL) {
          return NULL;
        }
        if (starred && s->minor < 11) {
          return refuse(s, "starred subscripts before 3.11 are"); /* PEP 646 */
        }
      }
      if (part == 2 || !accept(s, ":")) {
        break;
      }
    }
  } while (accept(s, ","));
  if (!accept(s, "]")) {
    return syntax_error_here(s);
  }
  return other(s);
}

static pn_node *parse_primary(pn_syntax *s) {
  bool awaited = accept_word(s, "await");
  pn_node *node = parse_atom(s);
  while (node != NULL) {
    if (py_token_is_op(cur(s), "(")) {
      node = parse_call(s, node);
    } else if (py_token_is_op(cur(s), "[")) {
      node = parse_subscript(s);
    } else if (accept(s, ".")) {
      if (cur(s)->kind != PY_T_NAME || py_token_is_keyword(cur(s))) {
        return syntax_error_here(s);
      }
      pn_node *attribute = new_node(s, PN_NODE_ATTRIBUTE, 1);
      if (attribute == NULL) {
        return NULL;
      }
      attribute->child[0] = node;
      attribute->text = pn_syntax_strndup(s, cur(s)->text, cur(s)->len);
      s->pos++;
      node = attribute;
    } else {
      break;
    }
  }
  return awaited && node != NULL ? other(s) : node;
}

static pn_node *parse_factor(pn_syntax *s);

static pn_node *parse_power(pn_syntax *s) {
  pn_node *base = parse_primary(s);
  if (base != NULL && accept(s, "**")) {
    return parse_factor(s) == NULL ? NULL : other(s);
  }
  return base;
}

static pn_node *parse_factor(pn_syntax *s) {
  const py_token *t = cur(s);
  if (py_token_is_op(t, "-") || py_token_is_op(t, "+") || py_token_is_op(t, "~")) {
    s->pos++;
    if (!enter(s)) {
      return NULL;
    }
    pn_node *operand = parse_factor(s);
    s->depth--;
    pn_node *node = operand == NULL ? NULL : new_node(s, PN_NODE_UNARY, 1);
    if (node != NULL) {
      node->op = t->text[0];
      node->child[0] = operand;
    }
    return node;
  }
  return parse_power(s);
}

/* Binary operators of one precedence level, left-associative. */
static pn_node *parse_binary(pn_syntax *s, pn_node *(*operand)(pn_syntax *),
                             const char *const *ops) {
  pn_node *left = operand(s);
  while (left != NULL) {
    const char *const *op = ops;
    while (*op != NULL && !py_token_is_op(cur(s), *op)) {
      op++;
    }
    if (*op == NULL) {
      break;
    }
    s->pos++;
    pn_node *right = operand(s);
    pn_node *node = right == NULL ? NULL : new_node(s, PN_NODE_BINARY, 2);
    if (node == NULL) {
      return NULL;
    }
    node->op = strlen(*op) == 1 && strchr("+-*", (*op)[0]) != NULL ? (*op)[0] : 'o';
    node->child[0] = left;
    node->child[1] = right;
    left = node;
  }
  return left;
}

static const char *const kTermOps[] = {"*", "/", "//", "%", "@", NULL};
static const char *const kSumOps[] = {"+", "-", NULL};
static const char *const kShiftOps[] = {"<<", ">>", NULL};
static const char *const kAndOps[] = {"&", NULL};
static const char *const kXorOps[] = {"^", NULL};
static const char *const kOrOps[] = {"|", NULL};

static pn_node *parse_term(pn_syntax *s) {
  return parse_binary(s, parse_factor, kTermOps);
}
static pn_node *parse_sum(pn_syntax *s) {
  return parse_binary(s, parse_term, kSumOps);
}
static pn_node *parse_shift(pn_syntax *s) {
  return parse_binary(s, parse_sum, kShiftOps);
}
static pn_node *parse_bitand(pn_syntax *s) {
  return parse_binary(s, parse_shift, kAndOps);
}
static pn_node *parse_bitxor(pn_syntax *s) {
  return parse_binary(s, parse_bitand, kXorOps);
}
static pn_node *parse_bitor(pn_syntax *s) {
  return parse_binary(s, parse_bitxor, kOrOps);
}

static bool accept_comparison(pn_syntax *s) {
  static const char *const ops[] = {"<", ">", "==", ">=", "<=", "!=", NULL};
  for (const char *const *op = ops; *op != NULL; op++) {
    if (accept(s, *op)) {
      return true;
    }
  }
  if (accept_word(s, "in")) {
    return true;
  }
  if (py_token_is_word(cur(s), "not") && py_token_is_word(&s->toks.items[s->pos + 1], "in")) {
    s->pos += 2;
    return true;
  }
  if (accept_word(s, "is")) {
    accept_word(s, "not");
    return true;
  }
  return false;
}

static pn_node *parse_comparison(pn_syntax *s) {
  pn_node *left = parse_bitor(s);
  bool compared = false;
  while (left != NULL && accept_comparison(s)) {
    compared = true;
    if (parse_bitor(s) == NULL) {
      return NULL;
    }
  }
  return compared && left != NULL ? other(s) : left;
}

static pn_node *parse_inversion(pn_syntax *s) {
  if (accept_word(s, "not")) {
    if (!enter(s)) {
      return NULL;
    }
    pn_node *operand = parse_inversion(s);
    s->depth--;
    return operand == NULL ? NULL : other(s);
  }
  return parse_comparison(s);
}

static pn_node *parse_conjunction(pn_syntax *s) {
  pn_node *left = parse_inversion(s);
  bool combined = false;
  while (left != NULL && accept_word(s, "and")) {
    combined = true;
    if (parse_inversion(s) == NULL) {
      return NULL;
    }
  }
  return combined && left != NULL ? other(s) : left;
}

static pn_node *parse_disjunction(pn_syntax *s) {
  pn_node *left = parse_conjunction(s);
  bool combined = false;
  while (left != NULL && accept_word(s, "or")) {
    combined = true;
    if (parse_conjunction(s) == NULL) {
      return NULL;
    }
  }
  return combined && left != NULL ? other(s) : left;
}

/* lambda [parameters]: expression. Parameters are names with defaults,
 * `*`, `**`, `/` separated by commas; checked only loosely. */
static pn_node *parse_lambda(pn_syntax *s) {
  while (!py_token_is_op(cur(s), ":")) {
    const py_token *t = cur(s);
    if (t->kind == PY_T_NAME && !py_token_is_keyword(t) &&
        !py_token_is_op(&s->toks.items[s->pos + 1], "=")) {
      s->pos++;
    } else if (t->kind == PY_T_NAME || py_token_is_op(t, "*") || py_token_is_op(t, "**") ||
               py_token_is_op(t, "/")) {
      /* Defaults and star parameters, and their order's errors. */
      return refuse(s, "lambda parameters other than names are");
    } else {
      return syntax_error_here(s);
    }
    if (!accept(s, ",")) {
      break;
    }
  }
  if (!accept(s, ":")) {
    return syntax_error_here(s);
  }
  return parse_expression(s) == NULL ? NULL : other(s);
}

static pn_node *parse_expression(pn_syntax *s) {
  if (!enter(s)) {
    return NULL;
  }
  pn_node *result;
  if (accept_word(s, "lambda")) {
    result = parse_lambda(s);
  } else {
    result = parse_disjunction(s);
    size_t if_at = s->pos;
    if (result != NULL && accept_word(s, "if")) {
      if (parse_disjunction(s) == NULL) {
        /* The error pass backtracks to the longest condition that parses,
         * then words a missing `else` (invalid_expression): not modelled. */
        if (s->error_type != NULL && !s->literal_error &&
            strcmp(s->error_message, PY_SYNTAX_INVALID " (<string>, line 1)") == 0) {
          s->error_type = NULL;
          refuse(s, "an if-expression whose condition does not parse is");
        }
        result = NULL;
      } else if (s->without_invalid && !py_token_is_word(cur(s), "else")) {
        /* expression_without_invalid: `A` alone is the expression. */
        s->pos = if_at;
      } else if (!accept_word(s, "else")) {
        /* invalid_expression: `A if B` not before `else` or `:`; reading
         * the token after B may meet the end inside brackets first. */
        bool at_end =
            cur(s)->kind == PY_T_LINECONT || (cur(s)->kind == PY_T_END && s->toks.open_count > 0);
        result = at_end || py_token_is_op(cur(s), ":")
                     ? syntax_error_here(s)
                     : (SYNTAX_ERROR(s, PY_SYNTAX_EXPECTED_ELSE), NULL);
      } else {
        result = parse_expression(s) == NULL ? NULL : other(s);
      }
    }
  }
  s->depth--;
  return result;
}

/* eval: expressions NEWLINE* ENDMARKER, where a top-level comma makes a tuple. */
static pn_node *parse_eval(pn_syntax *s, bool empty_source) {
  if (cur(s)->kind == PY_T_END) {
    /* Nothing at all is reported on line 0; a comment or blanks on line 1. */
    pn_syntax_fail(s, "SyntaxError", PY_SYNTAX_INVALID " (<string>, line %d)",
                   empty_source ? 0 : 1);
    return NULL;
  }
  node_list items = {0};
  bool comma = false, any_star = false;
  size_t start = s->pos;
  for (;;) {
    start = s->pos;
    if (py_token_is_op(cur(s), "*")) {
      /* eval's `expressions` takes no starred item. */
      free(items.items);
      return syntax_error_here(s);
    }
    bool starred;
    pn_node *e = parse_star_or_expression(s, &starred);
    if (e == NULL || !list_push(s, &items, e)) {
      free(items.items);
      return NULL;
    }
    any_star |= starred;
    if (!accept(s, ",")) {
      break;
    }
    comma = true;
    if (!pn_token_starts_expression(cur(s)) && !py_token_is_op(cur(s), "*")) {
      break;
    }
  }
  while (cur(s)->kind == PY_T_NEWLINE) {
    s->pos++;
  }
  if (cur(s)->kind != PY_T_END) {
    free(items.items);
    return missing_separator(s, start);
  }
  if (!comma) {
    pn_node *only = items.items[0];
    free(items.items);
    return any_star ? (SYNTAX_ERROR(s, PY_SYNTAX_STARRED_HERE), NULL) : only;
  }
  pn_node *tuple = node_from_list(s, PN_NODE_TUPLE, &items);
  if (tuple != NULL) {
    tuple->has_starred = any_star;
  }
  return tuple;
}

/* The depth of the tree under n (a leaf is 1). */
static size_t tree_depth(const pn_node *n) {
  size_t deepest = 0;
  for (size_t i = 0; n->child != NULL && i < n->count; i++) {
    size_t d = n->child[i] != NULL ? tree_depth(n->child[i]) : 0;
    deepest = d > deepest ? d : deepest;
  }
  return deepest + 1;
}

/* 3.6 to 3.9 read the tokens before the tokenizer's error (the parser may
 * stop first): the parse again over them, for where it stops (error_pos),
 * the tokenizer's error kept. */
static void reparse_before_error(pn_syntax *s, const char *line) {
  py_tokens *toks = &s->toks;
  if (toks->count == toks->cap) {
    /* The error's message may be its own buffer, which moves with it. */
    const py_token *last = &toks->items[toks->count - 1];
    bool own = last->message >= last->buffer && last->message < last->buffer + sizeof last->buffer;
    size_t offset = own ? (size_t)(last->message - last->buffer) : 0;
    py_token *grown = realloc(toks->items, (size_t)(toks->cap + 1) * sizeof *grown);
    if (grown == NULL) {
      s->out_of_memory = true;
      return;
    }
    toks->items = grown;
    toks->cap++;
    if (own) {
      grown[toks->count - 1].message = grown[toks->count - 1].buffer + offset;
    }
  }
  py_token *error = &toks->items[toks->count - 1];
  py_token saved = *error;
  size_t split = pn_old_number_split(s->minor, error, line);
  if (split > 0) {
    /* The number the old tokenizers end there. */
    error->kind = PY_T_NUMBER;
    error->len = split - (size_t)(error->text - line);
  } else {
    /* An operator no rule takes, then the end for the parser's lookahead. */
    error->kind = PY_T_OP;
    error->len = 0;
  }
  py_token *end = &toks->items[toks->count++];
  *end = saved;
  end->kind = PY_T_END;
  const char *type = s->error_type;
  char *message = s->error_message;
  s->error_type = NULL;
  s->error_pos = -1;
  parse_eval(s, false);
  toks->count--;
  toks->items[toks->count - 1] = saved; /* its message is that slot's buffer still */
  if (s->error_type == NULL || strcmp(s->error_type, "NotImplementedError") != 0) {
    s->error_type = type; /* the tokenizer's, unless a refusal stands */
    s->error_message = message;
  }
}

/* Nesting deeper than this is refused outside 3.11, whose limits (the
 * parser's stack, the AST conversion's recursion check) are the ones
 * modelled: other versions set them otherwise. 3.6 to 3.8's LL(1) parser
 * overflows its 1,500-entry stack past 86 to 105 nested brackets (measured
 * on the real interpreters), a bracket being the costliest level (about 17
 * entries): 64 levels of any form fit. */
enum { MAX_DEPTH_OTHER_VERSIONS = 500, MAX_DEPTH_PGEN = 64 };

pn_syntax *pn_syntax_parse(const char *line, size_t len, int minor, pn_parse_result *result) {
  pn_syntax *s = calloc(1, sizeof *s);
  if (s == NULL) {
    return NULL;
  }
  s->minor = minor;
  /* builtin eval skips a str source's leading spaces and tabs. */
  while (len > 0 && (*line == ' ' || *line == '\t')) {
    line++;
    len--;
  }
  pn_node *tree = NULL;
  s->defer = minor <= 9;
  s->error_pos = -1;
  bool tokenized = tokenize(s, line, len);
  if (tokenized) {
    const char *refused = pn_refused_token(&s->toks);
    tree = refused != NULL ? refuse(s, refused) : parse_eval(s, len == 0);
  } else if (s->defer && s->toks.count > 0 && !s->toks.items[s->toks.count - 1].refusal &&
             s->toks.items[s->toks.count - 1].kind == PY_T_ERROR) {
    reparse_before_error(s, line);
  }
  if (s->out_of_memory) {
    pn_syntax_free(s);
    return NULL;
  }
  if (s->error_type != NULL) {
    tree = NULL;
  } else if (tree == NULL) {
    /* Every failing path records an error; keep a generic one regardless. */
    SYNTAX_ERROR(s, PY_SYNTAX_INVALID);
  }
  const char *refusal = NULL;
  /* 3.6 to 3.8's LL(1) parser has a stack of 1,500 entries, many per
   * nesting level. */
  /* 3.11's limits depend on the adapter's own stack depth there (the AST
   * conversion's recursion check: -*2980 parses, -*2995 does not; its
   * parser's stack fails as MemoryError past about 6,000): not modelled. */
  int max_depth = minor == 11 ? MAX_DEPTH : minor <= 8 ? MAX_DEPTH_PGEN : MAX_DEPTH_OTHER_VERSIONS;
  if (s->max_depth > max_depth || (tree != NULL && tree_depth(tree) > (size_t)max_depth)) {
    refusal = "nesting limits of Python 3.%d are not modelled";
  } else if (s->defer && (tree == NULL || s->deferred != NULL) &&
             (tree != NULL || strcmp(s->error_type, "SyntaxError") == 0)) {
    /* Parsers before pegen's word and place their errors otherwise. */
    pn_old_parse parse = {&s->toks,
                          line,
                          len,
                          tree != NULL ? -1 : s->error_pos,
                          s->deferred,
                          s->deferred_pos,
                          s->deferred_target};
    char message[PY_ERROR_MESSAGE_MAX];
    tree = NULL;
    s->error_type = NULL;
    if (pn_old_syntax_error(minor, &parse, message, sizeof message)) {
      pn_syntax_fail(s, "SyntaxError", "%s", message);
    } else {
      refusal = "SyntaxErrors of Python 3.%d are not modelled";
    }
  } else if (minor <= 8 && tree != NULL && pn_old_repeated_keyword(&s->toks)) {
    refusal = "repeated keyword arguments in Python 3.%d are not modelled";
  } else if (minor == 6 && tree != NULL && pn_has_async_word(&s->toks)) {
    refusal = "async and await in Python 3.%d are not modelled"; /* no keywords yet */
  } else if (tokenized && tree == NULL && !s->literal_error &&
             strcmp(s->error_type, "SyntaxError") == 0 &&
             pn_parser_error_unsure(&s->toks, s->error_message)) {
    refusal = "this SyntaxError's precedence in Python 3.%d is not modelled";
  } else if (minor >= 13 && tokenized && tree == NULL &&
             strcmp(s->error_type, "SyntaxError") == 0 && pn_has_py313_mistake(&s->toks)) {
    refusal = "this SyntaxError of Python 3.%d is not modelled";
  }
  if (refusal != NULL) {
    s->error_type = NULL;
    tree = NULL;
    pn_syntax_fail(s, "NotImplementedError", refusal, minor);
  }
  result->tree = tree;
  result->error_type = s->error_type;
  result->error_message = s->error_message;
  result->bracket_depth = py_tokens_depth(&s->toks);
  if (s->out_of_memory) {
    pn_syntax_free(s);
    return NULL;
  }
  return s;
}

void pn_syntax_free(pn_syntax *syntax) {
  if (syntax == NULL) {
    return;
  }
  py_arena_reset(&syntax->arena);
  py_tokens_free(&syntax->toks);
  free(syntax);
}
