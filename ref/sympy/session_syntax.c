/* The session language's front end (session_syntax.h): a tokenizer and a
 * recursive-descent parser for the note's sliver of Python, and the
 * statements of a line. */
#include "ref/sympy/session_syntax.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ref/py/syntax_messages.h"

/* CPython's tokenizer refuses more nested brackets than this (MAXLEVEL). */
enum { MAX_PAREN_LEVEL = 200 };

/* ---- tokens ---- */

typedef enum tkind { T_END, T_NAME, T_INT, T_FLOAT, T_STR, T_OP } tkind;

typedef struct token {
  tkind kind;
  const char *text; /* T_STR: the decoded value */
  size_t len;
} token;

typedef struct lexer {
  sy_ctx *ctx;
  bool sympify;  /* `^` is `**` (sympify's convert_xor) */
  char unclosed; /* a session line's innermost bracket left open at its end, or 0 */
  token *tokens;
  size_t count, cap;
} lexer;

static int push_token(lexer *lx, tkind kind, const char *text, size_t len) {
  if (lx->count == lx->cap) {
    size_t cap = lx->cap ? lx->cap * 2 : 32;
    token *t = realloc(lx->tokens, cap * sizeof *t);
    if (t == NULL) {
      sy_fail(lx->ctx, "MemoryError", "%s", "");
      return -1;
    }
    lx->tokens = t;
    lx->cap = cap;
  }
  lx->tokens[lx->count++] = (token){kind, text, len};
  return 0;
}

/* Python's operators, longest first (the first that matches is taken). */
static const char *const kOps[] = {
    "**=", "//=", ">>=", "<<=", "...", "**", "//", "==", "!=", "<=", ">=", "->",
    "+=",  "-=",  "*=",  "/=",  "%=",  "@=", "&=", "|=", "^=", "<<", ">>", ":=",
    "(",   ")",   "[",   "]",   "{",   "}",  ",",  ".",  "=",  "+",  "-",  "*",
    "/",   "%",   ";",   ":",   "<",   ">",  "@",  "&",  "|",  "^",  "~"};

/* Splits text into tokens; a lexical error is set on ctx (SyntaxError). */
static int tokenize(lexer *lx, const char *s, size_t n) {
  sy_ctx *ctx = lx->ctx;
  char stack[MAX_PAREN_LEVEL];
  size_t level = 0;
  size_t i = 0;
  if (!lx->sympify && n > 0 && (s[0] == ' ' || s[0] == '\t')) {
    size_t j = 0;
    while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\f')) {
      j++;
    }
    if (j < n && s[j] != '#') {
      sy_fail(ctx, "IndentationError", "unexpected indent");
      return -1;
    }
  }
  while (i < n) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\f') {
      i++;
      continue;
    }
    if (c == '#' && !lx->sympify) {
      break;
    }
    if (isalpha((unsigned char)c) || c == '_') {
      size_t j = i;
      while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_')) {
        j++;
      }
      if (j < n && (s[j] == '\'' || s[j] == '"')) {
        sy_fail(ctx, "NotImplementedError",
                "string prefixes are outside the sympy session subset of pyref");
        return -1;
      }
      if (push_token(lx, T_NAME, s + i, j - i) != 0) {
        return -1;
      }
      i = j;
      continue;
    }
    if (isdigit((unsigned char)c) || (c == '.' && i + 1 < n && isdigit((unsigned char)s[i + 1]))) {
      size_t j = i;
      bool is_float = false;
      while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '.')) {
        if (!isdigit((unsigned char)s[j])) {
          is_float = true;
        }
        /* 1e-8: the exponent's sign belongs to the literal */
        if ((s[j] == 'e' || s[j] == 'E') && j + 2 < n && (s[j + 1] == '-' || s[j + 1] == '+') &&
            isdigit((unsigned char)s[j + 2]) && isdigit((unsigned char)s[i])) {
          j++;
        }
        j++;
      }
      if (push_token(lx, is_float ? T_FLOAT : T_INT, s + i, j - i) != 0) {
        return -1;
      }
      i = j;
      continue;
    }
    if (c == '\'' || c == '"') {
      char *value = sy_alloc(ctx, n - i + 1);
      if (value == NULL) {
        return -1;
      }
      size_t len = 0, j = i + 1;
      for (;;) {
        if (j >= n) {
          sy_fail(ctx, "SyntaxError", PY_SYNTAX_UNTERMINATED_STRING);
          return -1;
        }
        if (s[j] == c) {
          j++;
          break;
        }
        if (s[j] == '\\') {
          if (j + 1 >= n) {
            sy_fail(ctx, "SyntaxError", PY_SYNTAX_UNTERMINATED_STRING);
            return -1;
          }
          char e = s[j + 1];
          const char *simple = strchr("\\'\"ntr", e);
          if (simple == NULL) {
            sy_fail(ctx, "NotImplementedError", "this string escape " SY_OUTSIDE);
            return -1;
          }
          value[len++] = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
          j += 2;
          continue;
        }
        value[len++] = s[j++];
      }
      if (push_token(lx, T_STR, value, len) != 0) {
        return -1;
      }
      i = j;
      continue;
    }
    size_t k = 0;
    size_t op_len = 0;
    for (; k < sizeof kOps / sizeof kOps[0]; k++) {
      op_len = strlen(kOps[k]);
      if (op_len <= n - i && memcmp(s + i, kOps[k], op_len) == 0) {
        break;
      }
    }
    if (k == sizeof kOps / sizeof kOps[0]) {
      if ((unsigned char)c >= 0x80 || c == '$' || c == '?' || c == '!' || c == '`') {
        sy_fail(ctx, "NotImplementedError", "this character " SY_OUTSIDE);
      } else {
        sy_fail(ctx, "SyntaxError", PY_SYNTAX_INVALID);
      }
      return -1;
    }
    const char *op = kOps[k];
    if (strchr("([{", op[0]) != NULL) {
      if (level >= MAX_PAREN_LEVEL) {
        sy_fail(ctx, "SyntaxError", PY_SYNTAX_TOO_MANY_NESTED);
        return -1;
      }
      stack[level++] = op[0];
    } else if (strchr(")]}", op[0]) != NULL) {
      if (level == 0) {
        sy_fail(ctx, "SyntaxError", PY_SYNTAX_UNMATCHED, op[0]);
        return -1;
      }
      char open = stack[--level];
      char want = open == '(' ? ')' : open == '[' ? ']' : '}';
      if (op[0] != want) {
        sy_fail(ctx, "SyntaxError", PY_SYNTAX_MISMATCHED, op[0], open);
        return -1;
      }
    }
    if (lx->sympify && op[0] == '^') {
      op = "**";
    }
    if (push_token(lx, T_OP, op, strlen(op)) != 0) {
      return -1;
    }
    i += op_len;
  }
  if (level > 0 && lx->sympify) {
    sy_fail(ctx, "SyntaxError", PY_SYNTAX_NEVER_CLOSED, stack[level - 1]);
    return -1;
  }
  /* A session line's open bracket is CPython's error only once its parser
   * reaches the end (sy_parse_line). */
  lx->unclosed = level > 0 ? stack[level - 1] : 0;
  return push_token(lx, T_END, "", 0);
}

/* ---- syntax tree ---- */

typedef struct parser {
  sy_ctx *ctx;
  token *t;
  size_t pos;
  unsigned depth;
  bool sympify; /* parse_expr's grammar, where `*x` is invalid syntax */
} parser;

static node *new_tree(parser *p, nkind kind, const char *text, size_t len) {
  node *nd = sy_alloc(p->ctx, sizeof *nd);
  if (nd != NULL) {
    nd->kind = kind;
    nd->text = text;
    nd->len = len;
    nd->depth = 1;
  }
  return nd;
}

static int add_kid(parser *p, node *parent, node *kid, size_t *cap) {
  if (kid == NULL) {
    return -1;
  }
  if (parent->n == *cap) {
    size_t bigger = *cap ? *cap * 2 : 4;
    node **kids = sy_alloc(p->ctx, bigger * sizeof *kids);
    if (kids == NULL) {
      return -1;
    }
    if (parent->n > 0) {
      memcpy(kids, parent->kids, parent->n * sizeof *kids);
    }
    parent->kids = kids;
    *cap = bigger;
  }
  parent->kids[parent->n++] = kid;
  if (kid->depth + 1 > parent->depth) {
    parent->depth = kid->depth + 1;
  }
  return 0;
}

static bool is_op(const token *t, const char *op) {
  return t->kind == T_OP && t->len == strlen(op) && memcmp(t->text, op, t->len) == 0;
}

static bool at(parser *p, const char *op) {
  return is_op(&p->t[p->pos], op);
}

/* The tokens where the sliver's grammar stops but Python's goes on:
 * comparisons, bitwise operators, slices and annotations, augmented
 * assignment, the walrus, the Ellipsis, and the keywords of the
 * expressions and statements the sliver leaves out. */
static bool continues_in_python(const token *t) {
  static const char *const ops[] = {
      "<",  ">",  "<=", ">=", "&",   "|",  "^",   "<<", ">>", "...", ":=", ":",   "=",
      "+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=",  "^=", ">>=", "<<="};
  static const char *const words[] = {
      "and",    "as",   "assert", "async",  "await",  "break",   "class",    "continue",
      "def",    "del",  "elif",   "else",   "except", "finally", "for",      "from",
      "global", "if",   "import", "in",     "is",     "lambda",  "nonlocal", "not",
      "or",     "pass", "raise",  "return", "try",    "while",   "with",     "yield"};
  const char *const *list = t->kind == T_OP ? ops : words;
  size_t count = t->kind == T_OP ? sizeof ops / sizeof ops[0] : sizeof words / sizeof words[0];
  if (t->kind != T_OP && t->kind != T_NAME) {
    return false;
  }
  for (size_t i = 0; i < count; i++) {
    if (t->len == strlen(list[i]) && memcmp(t->text, list[i], t->len) == 0) {
      return true;
    }
  }
  return false;
}

/* Refuses the construct at the current token (NotImplementedError): valid
 * Python, or a mistake whose SyntaxError depends on grammar the sliver does
 * not model. */
static node *outside(parser *p) {
  const token *t = &p->t[p->pos];
  return sy_fail(p->ctx, "NotImplementedError", "'%.*s' " SY_OUTSIDE, (int)t->len, t->text);
}

/* "invalid syntax" where the sliver's grammar stops, unless Python's
 * would go on there (outside). */
static node *syntax_error(parser *p) {
  if (continues_in_python(&p->t[p->pos])) {
    return outside(p);
  }
  return sy_fail(p->ctx, "SyntaxError", PY_SYNTAX_INVALID);
}

static node *parse_expr(parser *p);
static node *parse_factor(parser *p);

static bool starts_expression(const token *t) {
  return t->kind == T_NAME || t->kind == T_INT || t->kind == T_FLOAT || t->kind == T_STR ||
         is_op(t, "(") || is_op(t, "[") || is_op(t, "{") || is_op(t, "-") || is_op(t, "+");
}

/* Inside brackets, where `,` or the closing bracket should follow an item:
 * CPython's "Perhaps you forgot a comma?" and its exceptions are not
 * modelled, so another expression there is refused; anything else is
 * syntax_error's. */
static node *bracket_error(parser *p) {
  if (starts_expression(&p->t[p->pos]) || is_op(&p->t[p->pos], "~")) {
    return outside(p);
  }
  return syntax_error(p);
}

/* exprs separated by commas up to a closing token; *trailing says whether
 * the list ended with a comma. */
static node *parse_sequence(parser *p, nkind kind, const char *close, bool *comma) {
  node *seq = new_tree(p, kind, "", 0);
  size_t cap = 0;
  *comma = false;
  while (seq != NULL && !at(p, close)) {
    if (at(p, "*") || at(p, "**")) {
      return outside(p);
    }
    if (add_kid(p, seq, parse_expr(p), &cap) != 0) {
      return NULL;
    }
    *comma = at(p, ",");
    if (!*comma) {
      break;
    }
    p->pos++;
  }
  if (seq == NULL || !at(p, close)) {
    return p->ctx->failed ? NULL : bracket_error(p);
  }
  p->pos++;
  return seq;
}

/* A dict display ({k: v, ...}) or a set display ({a, b}): the first
 * item's colon decides which. */
static node *parse_braces(parser *p) {
  p->pos++; /* { */
  node *nd = new_tree(p, N_DICT, "", 0);
  size_t cap = 0;
  bool first = true;
  while (nd != NULL && !at(p, "}")) {
    if (at(p, "*") || at(p, "**")) {
      return outside(p);
    }
    if (add_kid(p, nd, parse_expr(p), &cap) != 0) {
      return NULL;
    }
    if (first) {
      nd->kind = at(p, ":") ? N_DICT : N_SET;
      first = false;
    }
    if (nd->kind == N_DICT) {
      if (!at(p, ":")) {
        return bracket_error(p);
      }
      p->pos++;
      if (add_kid(p, nd, parse_expr(p), &cap) != 0) {
        return NULL;
      }
    }
    if (!at(p, ",")) {
      break;
    }
    p->pos++;
  }
  if (nd == NULL || !at(p, "}")) {
    return p->ctx->failed ? NULL : bracket_error(p);
  }
  p->pos++;
  return nd;
}

static node *parse_atom(parser *p) {
  token *t = &p->t[p->pos];
  switch (t->kind) {
    case T_NAME:
      if (continues_in_python(t)) {
        return outside(p); /* a keyword */
      }
      p->pos++;
      return new_tree(p, N_NAME, t->text, t->len);
    case T_INT:
      p->pos++;
      return new_tree(p, N_INT, t->text, t->len);
    case T_FLOAT:
      p->pos++;
      return new_tree(p, N_FLOAT, t->text, t->len);
    case T_STR: {
      /* Adjacent literals concatenate. */
      size_t total = 0, j = p->pos;
      while (p->t[j].kind == T_STR) {
        total += p->t[j++].len;
      }
      char *joined = sy_alloc(p->ctx, total + 1);
      if (joined == NULL) {
        return NULL;
      }
      size_t len = 0;
      while (p->t[p->pos].kind == T_STR) {
        memcpy(joined + len, p->t[p->pos].text, p->t[p->pos].len);
        len += p->t[p->pos++].len;
      }
      return new_tree(p, N_STR, joined, len);
    }
    default:
      break;
  }
  if (at(p, "(")) {
    p->pos++;
    bool comma;
    node *seq = parse_sequence(p, N_TUPLE, ")", &comma);
    if (seq == NULL) {
      return NULL;
    }
    return seq->n == 1 && !comma ? seq->kids[0] : seq;
  }
  if (at(p, "[")) {
    p->pos++;
    bool comma;
    return parse_sequence(p, N_LIST, "]", &comma);
  }
  if (at(p, "{")) {
    return parse_braces(p);
  }
  if (!p->sympify && (at(p, "*") || at(p, "**"))) {
    return outside(p); /* a starred target or expression */
  }
  return syntax_error(p);
}

static node *parse_call(parser *p, node *callee) {
  node *call = new_tree(p, N_CALL, "", 0);
  size_t cap = 0;
  if (call == NULL || add_kid(p, call, callee, &cap) != 0) {
    return NULL;
  }
  p->pos++; /* ( */
  bool keywords = false;
  while (!at(p, ")")) {
    node *arg;
    if (at(p, "*") && !p->sympify) {
      /* `f(*args)`: allowed after keywords too, as in Python */
      p->pos++;
      arg = new_tree(p, N_STARRED, "*", 1);
      size_t scap = 0;
      if (arg == NULL || add_kid(p, arg, parse_expr(p), &scap) != 0 ||
          add_kid(p, call, arg, &cap) != 0) {
        return NULL;
      }
      if (!at(p, ",")) {
        break;
      }
      p->pos++;
      continue;
    }
    if (at(p, "*") || at(p, "**")) {
      return outside(p);
    }
    if (p->t[p->pos].kind == T_NAME && is_op(&p->t[p->pos + 1], "=")) {
      token *name = &p->t[p->pos];
      for (size_t i = 1; i < call->n; i++) {
        if (call->kids[i]->kind == N_KWARG && call->kids[i]->len == name->len &&
            memcmp(call->kids[i]->text, name->text, name->len) == 0) {
          return sy_fail(p->ctx, "SyntaxError", PY_SYNTAX_KEYWORD_REPEATED, (int)name->len,
                         name->text);
        }
      }
      keywords = true;
      arg = new_tree(p, N_KWARG, p->t[p->pos].text, p->t[p->pos].len);
      p->pos += 2;
      size_t kcap = 0;
      if (arg == NULL || add_kid(p, arg, parse_expr(p), &kcap) != 0) {
        return NULL;
      }
    } else {
      arg = parse_expr(p);
      if (arg != NULL && keywords) {
        return sy_fail(p->ctx, "SyntaxError", PY_SYNTAX_POSITIONAL_AFTER_KEYWORD);
      }
    }
    if (add_kid(p, call, arg, &cap) != 0) {
      return NULL;
    }
    if (!at(p, ",")) {
      break;
    }
    p->pos++;
  }
  if (!at(p, ")")) {
    return p->ctx->failed ? NULL : bracket_error(p);
  }
  p->pos++;
  return call;
}

static node *parse_primary(parser *p) {
  node *nd = parse_atom(p);
  while (nd != NULL) {
    if (at(p, "(")) {
      nd = parse_call(p, nd);
    } else if (at(p, ".")) {
      p->pos++;
      token *t = &p->t[p->pos];
      if (t->kind != T_NAME) {
        return syntax_error(p);
      }
      p->pos++;
      node *attr = new_tree(p, N_ATTR, t->text, t->len);
      size_t cap = 0;
      if (attr == NULL || add_kid(p, attr, nd, &cap) != 0) {
        return NULL;
      }
      nd = attr;
    } else if (at(p, "[") && !p->sympify) {
      /* an index, not a slice or a tuple of them */
      p->pos++;
      node *sub = new_tree(p, N_SUBSCRIPT, "", 0);
      size_t cap = 0;
      if (at(p, ":") || sub == NULL || add_kid(p, sub, nd, &cap) != 0 ||
          add_kid(p, sub, parse_expr(p), &cap) != 0) {
        return p->ctx->failed ? NULL : outside(p);
      }
      if (!at(p, "]")) {
        return p->ctx->failed ? NULL : outside(p);
      }
      p->pos++;
      nd = sub;
    } else if (at(p, "[")) {
      return sy_fail(p->ctx, "NotImplementedError",
                     "subscripts are outside the sympy session subset of pyref");
    } else {
      break;
    }
  }
  return nd;
}

static node *binary(parser *p, const char *op, node *left, node *right) {
  if (left == NULL || right == NULL) {
    return NULL;
  }
  node *nd = new_tree(p, N_BINOP, op, strlen(op));
  size_t cap = 0;
  if (nd == NULL || add_kid(p, nd, left, &cap) != 0 || add_kid(p, nd, right, &cap) != 0) {
    return NULL;
  }
  return nd;
}

static node *parse_power(parser *p) {
  node *base = parse_primary(p);
  if (base != NULL && at(p, "**")) {
    p->pos++;
    return binary(p, "**", base, parse_factor(p));
  }
  return base;
}

static node *parse_factor(parser *p) {
  if (++p->depth > SY_MAX_NESTING) {
    return sy_fail(p->ctx, "MemoryError", "%s", "");
  }
  node *result;
  if (at(p, "-") || at(p, "+") || at(p, "~")) {
    const char *op = p->t[p->pos].text;
    p->pos++;
    node *operand = parse_factor(p);
    result = operand == NULL ? NULL : new_tree(p, N_UNARY, op, 1);
    size_t cap = 0;
    if (result != NULL && add_kid(p, result, operand, &cap) != 0) {
      result = NULL;
    }
  } else {
    result = parse_power(p);
  }
  p->depth--;
  return result;
}

static node *parse_term(parser *p) {
  node *left = parse_factor(p);
  static const char *const ops[] = {"*", "/", "//", "%", "@"};
  for (;;) {
    size_t k = 0;
    while (k < 5 && !at(p, ops[k])) {
      k++;
    }
    if (left == NULL || k == 5) {
      return left;
    }
    p->pos++;
    left = binary(p, ops[k], left, parse_factor(p));
  }
}

static node *parse_arith(parser *p) {
  node *left = parse_term(p);
  while (left != NULL && (at(p, "+") || at(p, "-"))) {
    const char *op = at(p, "+") ? "+" : "-";
    p->pos++;
    left = binary(p, op, left, parse_term(p));
  }
  return left;
}

/* One level of Python's binary operators over next: the operators in ops
 * (NULL-terminated), left-associative. */
static node *binary_level(parser *p, node *(*next)(parser *), const char *const *ops) {
  node *left = next(p);
  for (;;) {
    size_t k = 0;
    while (ops[k] != NULL && !at(p, ops[k])) {
      k++;
    }
    if (left == NULL || ops[k] == NULL) {
      return left;
    }
    p->pos++;
    left = binary(p, ops[k], left, next(p));
  }
}

static node *parse_shift(parser *p) {
  static const char *const ops[] = {"<<", ">>", NULL};
  return binary_level(p, parse_arith, ops);
}

static node *parse_bitand(parser *p) {
  static const char *const ops[] = {"&", NULL};
  return binary_level(p, parse_shift, ops);
}

/* In sympify text `^` was read as `**`, so no `^` is left here. */
static node *parse_bitxor(parser *p) {
  static const char *const ops[] = {"^", NULL};
  return binary_level(p, parse_bitand, ops);
}

static node *parse_bitor(parser *p) {
  static const char *const ops[] = {"|", NULL};
  return binary_level(p, parse_bitxor, ops);
}

/* A comparison: == and != (structural, N_BINOP) or < <= > >= (N_COMPARE).
 * A chain (a < b < c) is `and` of its links, whose truth is refused. */
static node *parse_expr(parser *p) {
  if (++p->depth > SY_MAX_NESTING) {
    return sy_fail(p->ctx, "MemoryError", "%s", "");
  }
  static const char *const ops[] = {"==", "!=", "<=", ">=", "<", ">"};
  node *nd = parse_bitor(p);
  size_t k = 0;
  while (nd != NULL && k < 6 && !at(p, ops[k])) {
    k++;
  }
  if (nd != NULL && k < 6) {
    p->pos++;
    nd = binary(p, ops[k], nd, parse_bitor(p));
    if (nd != NULL && k >= 2) {
      nd->kind = N_COMPARE;
    }
    for (size_t j = 0; nd != NULL && j < 6; j++) {
      if (at(p, ops[j])) {
        nd = sy_fail(p->ctx, "NotImplementedError", "chained comparisons are " SY_OUTSIDE);
      }
    }
  }
  p->depth--;
  return nd;
}

/* A tuple display without parentheses (`x, y`), or one expression. */
static node *parse_testlist(parser *p) {
  node *first = parse_expr(p);
  if (first == NULL || !at(p, ",")) {
    return first;
  }
  node *tuple = new_tree(p, N_TUPLE, "", 0);
  size_t cap = 0;
  if (tuple == NULL || add_kid(p, tuple, first, &cap) != 0) {
    return NULL;
  }
  while (at(p, ",")) {
    p->pos++;
    if (!starts_expression(&p->t[p->pos])) {
      break;
    }
    if (add_kid(p, tuple, parse_expr(p), &cap) != 0) {
      return NULL;
    }
  }
  return tuple;
}

/* ---- statements ---- */

/* "True", "False" or "None" when nd, a target, is or holds that name
 * (CPython refuses to assign to it), or NULL. */
static const char *constant_target(const node *nd) {
  if (nd->kind == N_NAME) {
    static const char *const constants[] = {"True", "False", "None"};
    for (size_t i = 0; i < 3; i++) {
      if (nd->len == strlen(constants[i]) && memcmp(nd->text, constants[i], nd->len) == 0) {
        return constants[i];
      }
    }
  }
  if (nd->kind == N_TUPLE || nd->kind == N_LIST) {
    for (size_t i = 0; i < nd->n; i++) {
      const char *found = constant_target(nd->kids[i]);
      if (found != NULL) {
        return found;
      }
    }
  }
  return NULL;
}

static bool is_name_target(const node *nd) {
  if (nd->kind == N_NAME) {
    return true;
  }
  if (nd->kind != N_TUPLE && nd->kind != N_LIST) {
    return false;
  }
  for (size_t i = 0; i < nd->n; i++) {
    if (!is_name_target(nd->kids[i])) {
      return false;
    }
  }
  return true;
}

static const char *target_problem(const node *nd) {
  switch (nd->kind) {
    case N_INT:
    case N_STR:
    case N_FLOAT:
      return "literal";
    case N_CALL:
      return "function call";
    case N_BINOP:
    case N_UNARY:
      return "expression";
    default:
      return NULL;
  }
}

/* `target = ...` where target is a literal, call or expression: CPython's
 * invalid_named_expression says "here. Maybe you meant '=='" when the
 * right side parses as an operand (bitwise_or) not followed by `=` or
 * `:=`; otherwise invalid_assignment's plain "cannot assign to". A right
 * side that runs into the end of a line with an open bracket leaves p at
 * the end (sy_parse_line makes that "was never closed"). */
static void assignment_error(parser *p, const char *problem) {
  sy_ctx *ctx = p->ctx;
  node *right = parse_arith(p);
  if (right == NULL && strcmp(ctx->error_type, "SyntaxError") != 0) {
    return; /* a refusal, or memory */
  }
  ctx->failed = false;
  const token *t = &p->t[p->pos];
  if (right != NULL &&
      (is_op(t, "&") || is_op(t, "|") || is_op(t, "^") || is_op(t, "<<") || is_op(t, ">>"))) {
    outside(p); /* the operand goes on in Python's bitwise_or */
  } else if (right != NULL && !is_op(t, "=") && !is_op(t, ":=")) {
    sy_fail(ctx, "SyntaxError", PY_SYNTAX_CANNOT_ASSIGN_MAYBE_EQ, problem);
  } else {
    sy_fail(ctx, "SyntaxError", PY_SYNTAX_CANNOT_ASSIGN, problem);
  }
}

static bool is_word(const token *t, const char *word) {
  return t->kind == T_NAME && t->len == strlen(word) && memcmp(t->text, word, t->len) == 0;
}

/* `from sympy import *`, `from sympy import NAME, ...` and `from sympy.abc
 * import NAME, ...` (the names optionally in parentheses), at p's `from`;
 * any other import is refused, CPython's errors in one included. */
static int parse_import(parser *p, stmt *st) {
  token *t = &p->t[p->pos];
  size_t i = 1;
  bool abc = false;
  if (!is_word(&t[i++], "sympy")) {
    goto refused;
  }
  if (is_op(&t[i], ".") && is_word(&t[i + 1], "abc")) {
    abc = true;
    i += 2;
  }
  if (!is_word(&t[i++], "import")) {
    goto refused;
  }
  st->kind = S_IMPORT;
  st->from_abc = abc;
  if (is_op(&t[i], "*") && !abc) {
    p->pos += i + 1;
    return 0;
  }
  bool parenthesized = is_op(&t[i], "(");
  i += parenthesized;
  node *names = new_tree(p, N_TUPLE, "", 0);
  size_t cap = 0;
  if (names == NULL) {
    return -1;
  }
  for (;;) {
    if (t[i].kind != T_NAME || continues_in_python(&t[i]) || is_word(&t[i + 1], "as")) {
      goto refused;
    }
    if (add_kid(p, names, new_tree(p, N_NAME, t[i].text, t[i].len), &cap) != 0) {
      return -1;
    }
    i++;
    if (!is_op(&t[i], ",")) {
      break;
    }
    i++;
    if (parenthesized && is_op(&t[i], ")")) {
      break;
    }
  }
  if (parenthesized && !is_op(&t[i++], ")")) {
    goto refused;
  }
  if (t[i].kind != T_END && !is_op(&t[i], ";")) {
    goto refused;
  }
  p->pos += i;
  st->value = names;
  return 0;
refused:
  sy_fail(p->ctx, "NotImplementedError", "this import " SY_OUTSIDE);
  return -1;
}

/* Parses one statement at p's position (up to `;` or the end). */
static int parse_statement(parser *p, stmt *st) {
  if (is_word(&p->t[p->pos], "from")) {
    return parse_import(p, st);
  }
  static const char *const kStatementWords[] = {
      "import", "def",   "class",  "if",   "for", "while", "del", "return", "with", "try",
      "lambda", "print", "global", "pass", "not", "and",   "or",  "in",     "is"};
  for (size_t j = p->pos; p->t[j].kind != T_END; j++) {
    if (p->t[j].kind != T_NAME) {
      continue;
    }
    for (size_t k = 0; k < sizeof kStatementWords / sizeof kStatementWords[0]; k++) {
      if (strlen(kStatementWords[k]) == p->t[j].len &&
          memcmp(kStatementWords[k], p->t[j].text, p->t[j].len) == 0) {
        sy_fail(p->ctx, "NotImplementedError", "'%s' " SY_OUTSIDE, kStatementWords[k]);
        return -1;
      }
    }
  }
  node *first = parse_testlist(p);
  if (first == NULL) {
    return -1;
  }
  if (at(p, "=")) {
    p->pos++;
    const char *constant = constant_target(first);
    if (constant != NULL) {
      sy_fail(p->ctx, "SyntaxError", PY_SYNTAX_CANNOT_ASSIGN, constant);
      return -1;
    }
    if (!is_name_target(first)) {
      const char *problem = target_problem(first);
      if (problem != NULL) {
        assignment_error(p, problem);
      } else {
        sy_fail(p->ctx, "NotImplementedError", "this assignment target " SY_OUTSIDE);
      }
      return -1;
    }
    node *value_tree = parse_testlist(p);
    if (value_tree == NULL) {
      return -1;
    }
    if (at(p, "=")) {
      sy_fail(p->ctx, "NotImplementedError", "chained assignment " SY_OUTSIDE);
      return -1;
    }
    st->kind = S_ASSIGN;
    st->target = first;
    st->value = value_tree;
    return 0;
  }
  st->kind = S_EXPR;
  st->value = first;
  return 0;
}

/* A line with a bracket left open whose parse failed: CPython's parser
 * reports "'(' was never closed" when it reaches the end of the line. When
 * it stops earlier its error pass may still run into the end, which the
 * sliver does not model: refused, unless the error is a refusal already. */
static void unclosed_error(parser *p, char open) {
  sy_ctx *ctx = p->ctx;
  if (strcmp(ctx->error_type, "NotImplementedError") == 0 ||
      strcmp(ctx->error_type, "MemoryError") == 0) {
    return;
  }
  ctx->failed = false;
  if (p->t[p->pos].kind == T_END) {
    sy_fail(ctx, "SyntaxError", PY_SYNTAX_NEVER_CLOSED, open);
  } else {
    sy_fail(ctx, "NotImplementedError", "this syntax error with '%c' left open " SY_OUTSIDE, open);
  }
}

int sy_parse_line(sy_ctx *ctx, const char *line, size_t len, stmt *statements, size_t max,
                  size_t *count) {
  lexer lx = {ctx, false, 0, NULL, 0, 0};
  int status = -1;
  *count = 0;
  if (tokenize(&lx, line, len) != 0) {
    goto done;
  }
  parser p = {ctx, lx.tokens, 0, 0, false};
  while (p.t[p.pos].kind != T_END) {
    if (*count == max) {
      sy_fail(ctx, "NotImplementedError", "this many statements on a line are " SY_OUTSIDE);
      goto done;
    }
    if (parse_statement(&p, &statements[(*count)++]) != 0) {
      goto failed;
    }
    if (at(&p, ";")) {
      p.pos++;
    } else if (p.t[p.pos].kind != T_END) {
      syntax_error(&p);
      goto failed;
    }
  }
  status = 0;
  goto done;
failed:
  if (lx.unclosed != 0) {
    unclosed_error(&p, lx.unclosed);
  }
done:
  free(lx.tokens);
  return status;
}

const node *sy_parse_sympify(sy_ctx *ctx, const char *text, size_t len) {
  lexer lx = {ctx, true, 0, NULL, 0, 0};
  node *tree = NULL;
  if (tokenize(&lx, text, len) == 0) {
    parser p = {ctx, lx.tokens, 0, 0, true};
    tree = parse_expr(&p);
    if (tree != NULL && p.t[p.pos].kind != T_END) {
      tree = syntax_error(&p);
    }
    if (tree != NULL && tree->depth > SY_MAX_SYMPIFY_COMPILE_DEPTH) {
      tree = sy_fail(ctx, "RecursionError", SY_COMPILE_RECURSION);
    }
  }
  free(lx.tokens);
  return tree;
}
