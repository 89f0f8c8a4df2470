/*
 * The recursive-descent parser of Python expressions, on ref/py/tokenize's
 * tokens (a subset's). It reports errors the way Parser/pegen_errors.c
 * chooses among them: a tokenizer error met while parsing wins at once, a
 * parser error is replaced by a tokenizer error further on in the source, and
 * an unclosed parenthesis is reported when the parser reaches the end.
 */
#include "ref/py/parse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/py/syntax_messages.h"
#include "ref/py/tokenize.h"

/* CPython's limits, measured on 3.11: the deepest unary chain its parser
 * takes (MAXSTACK less its own frames), and the deepest expression the
 * compiler accepts from inside the note's eval (3000 less the frames the
 * note's call stack uses); the tokenizer's MAXLEVEL is ref/py/tokenize.h's. */
#define MAX_PARSER_DEPTH 5975
#define MAX_COMPILER_DEPTH 2981

/* A refusal's wording, after what is refused and with the caller's subset. */
#define PY_OUTSIDE "outside the %s subset of pyref"

/* ---- parser ---- */

typedef enum failure {
  FAIL_NONE,
  FAIL_SYNTAX, /* the parser's own error: message */
  FAIL_TOKEN,  /* reached a tokenizer error */
  FAIL_MEMORY, /* out of memory or nesting beyond CPython's parser */
} failure;

typedef struct parser {
  py_tokens toks;
  int pos;
  int depth;
  int without_invalid; /* CPython's expression_without_invalid: no error probes */
  failure failed;
  const char *message;
  int fail_pos;     /* the token the first pass failed at (CPython's generic location) */
  int comma_offset; /* PY_SYNTAX_FORGOT_COMMA: the 1-based column it is reported at */
  int start;        /* the first token of the expression parsed */
  const char *source;
  char buffer[128];
  const char *subset; /* named in refusals (PY_OUTSIDE) */
  int refused;        /* the failure is a refusal (NotImplementedError), not CPython's error */
  int displays;       /* the py_displays the caller takes */
  py_expr *expr;
} parser;

static const py_token *peek(parser *p) {
  return &p->toks.items[p->pos];
}

static int fail(parser *p, const char *message) {
  if (p->failed == FAIL_NONE) {
    const py_token *t = peek(p);
    if (t->kind == PY_T_ERROR) {
      p->failed = FAIL_TOKEN;
      p->message = t->message;
      p->refused = t->refusal;
    } else {
      p->failed = FAIL_SYNTAX;
      p->message = message;
    }
    p->fail_pos = p->pos;
  }
  return -1;
}

/* Refuses a construct outside the caller's subset: what (with its verb,
 * "tuples are") is named at the current token. */
static int outside(parser *p, const char *what) {
  snprintf(p->buffer, sizeof p->buffer, "%s " PY_OUTSIDE, what, p->subset);
  if (p->failed == FAIL_NONE && peek(p)->kind != PY_T_ERROR) {
    p->refused = 1;
  }
  return fail(p, p->buffer);
}

/* After an error probe (CPython's second pass) failed: when what the probe
 * parsed holds a construct the subset refuses, how far CPython's parser got
 * and so its error is unknown, and the refusal stands. */
static int probe_refused(const parser *p) {
  return p->failed == FAIL_SYNTAX && p->refused;
}

/* The current token, failing at once on a tokenizer error (CPython raises
 * those as soon as its parser asks for the token). */
static const py_token *next_token(parser *p) {
  const py_token *t = peek(p);
  if (t->kind == PY_T_ERROR) {
    fail(p, NULL);
  }
  return t;
}

static int add_node(parser *p, py_node_kind kind, int op, const py_token *t, int a, int b) {
  py_expr *e = p->expr;
  if (e->count == e->cap) {
    int cap = e->cap ? e->cap * 2 : 64;
    py_node *grown = realloc(e->nodes, (size_t)cap * sizeof *grown);
    if (grown == NULL) {
      p->failed = FAIL_MEMORY;
      return -1;
    }
    e->nodes = grown;
    e->cap = cap;
  }
  py_node *n = &e->nodes[e->count];
  n->kind = kind;
  n->op = op;
  n->text = t ? t->text : NULL;
  n->len = t ? t->len : 0;
  n->a = a;
  n->b = b;
  n->c = -1;
  n->next = -1;
  n->compare = 0;
  return e->count++;
}

static int enter(parser *p) {
  if (++p->depth > MAX_PARSER_DEPTH) {
    if (p->failed == FAIL_NONE) {
      p->failed = FAIL_MEMORY;
    }
    return -1;
  }
  return 0;
}

static int expression(parser *p);

/* Whether an expression can start with t (the tokens of the subset). */
static int starts_expression(const py_token *t) {
  return t->kind == PY_T_NUMBER || t->kind == PY_T_STRING ||
         (t->kind == PY_T_NAME && !py_token_is_keyword(t)) || py_token_is_word(t, "True") ||
         py_token_is_word(t, "False") || py_token_is_word(t, "None") ||
         py_token_is_word(t, "not") || py_token_is_word(t, "lambda") ||
         py_token_is_word(t, "await") || py_token_is_op(t, "(") || py_token_is_op(t, "[") ||
         py_token_is_op(t, "~") || py_token_is_op(t, "-") || py_token_is_op(t, "+");
}

/* Whether some tokens from the current one on form an expression: the PEG
 * parser backtracks to the longest one that does, so `(x not 1` has the
 * expression `not 1` after x but `(x not or` has none. An atom after unary
 * operators is one; a parenthesis is assumed to be. */
static int has_expression_prefix(const parser *p, int paren_counts) {
  int pos = p->pos;
  const py_token *t = &p->toks.items[pos];
  int arithmetic = 0; /* `not` cannot follow an arithmetic sign */
  while ((!arithmetic && py_token_is_word(t, "not")) || py_token_is_op(t, "~") ||
         py_token_is_op(t, "-") || py_token_is_op(t, "+")) {
    arithmetic |= t->kind == PY_T_OP;
    t = &p->toks.items[++pos];
  }
  return t->kind == PY_T_NUMBER || t->kind == PY_T_STRING ||
         (t->kind == PY_T_NAME && !py_token_is_keyword(t)) || py_token_is_word(t, "True") ||
         py_token_is_word(t, "False") || py_token_is_word(t, "None") ||
         (paren_counts && (py_token_is_op(t, "(") || py_token_is_op(t, "[")));
}

/* The 1-based column of token index i, as CPython's SyntaxError offset. */
static int column_of(const parser *p, int i) {
  return (int)(p->toks.items[i].text - p->source) + 1;
}

/* Whether node is the name print or exec: CPython's error pass takes such
 * an expression followed by another for a Python 2 statement. */
static int is_legacy_name(const parser *p, int node) {
  const py_node *n = &p->expr->nodes[node];
  return n->kind == PY_NODE_NAME && ((n->len == 5 && memcmp(n->text, "print", 5) == 0) ||
                                     (n->len == 4 && memcmp(n->text, "exec", 4) == 0));
}

static int atom(parser *p);

/* Whether an expression starts at the current token, as expression_without_invalid
 * would find one: unary operators and an atom, a bracketed one only if it
 * parses. Leaves the parser as it was. */
static int expression_prefix_parses(parser *p) {
  int pos = p->pos;
  const py_token *t = &p->toks.items[pos];
  int arithmetic = 0;
  while ((!arithmetic && py_token_is_word(t, "not")) || py_token_is_op(t, "~") ||
         py_token_is_op(t, "-") || py_token_is_op(t, "+")) {
    arithmetic |= t->kind == PY_T_OP;
    t = &p->toks.items[++pos];
  }
  if (!py_token_is_op(t, "(") && !py_token_is_op(t, "[")) {
    return has_expression_prefix(p, 0);
  }
  parser saved = *p;
  int count = p->expr->count;
  p->pos = pos;
  p->failed = FAIL_NONE;
  p->without_invalid = 1;
  int parses = atom(p) >= 0 && p->failed == FAIL_NONE;
  *p = saved;
  p->expr->count = count;
  return parses;
}

static int sum(parser *p);

/* `NAME = ...` inside brackets, the current token the `=`: CPython's
 * invalid_named_expression takes `NAME = bitwise_or` not followed by
 * another `=` as a comparison meant ("Maybe you meant '==' or ':='"). Its
 * other forms ("cannot assign to ... here") are refused. */
static int assignment_in_brackets(parser *p, int expr_start) {
  const py_token *first = &p->toks.items[expr_start];
  if (p->without_invalid || first->kind != PY_T_NAME || py_token_is_keyword(first) ||
      p->pos != expr_start + 1) {
    return outside(p, "'=' inside brackets is");
  }
  int equals = p->pos;
  p->pos++;
  int value = sum(p);
  const py_token *after = value >= 0 ? next_token(p) : NULL;
  if (p->failed == FAIL_TOKEN || p->failed == FAIL_MEMORY || p->refused) {
    return -1;
  }
  if (value < 0 || p->failed != FAIL_NONE || py_token_is_op(after, "=")) {
    p->failed = FAIL_NONE;
    p->pos = equals;
    return outside(p, "'=' inside brackets is");
  }
  p->pos = expr_start;
  return fail(p, PY_SYNTAX_MAYBE_EQUALS);
}

/* A soft keyword (match, case, _) followed by an expression inside
 * brackets: invalid_expression's comma rule skips it, and
 * invalid_legacy_expression parses on from the next token with the error
 * rules on. An error that parse raises stands; when it ends where a
 * missing comma could follow in turn, refused; else "invalid syntax". */
static int after_soft_keyword(parser *p, int expr_start) {
  int at = p->pos;
  p->pos = expr_start + 1;
  int parsed = expression(p) >= 0 && p->failed == FAIL_NONE;
  if (p->failed == FAIL_TOKEN || p->failed == FAIL_MEMORY || p->refused ||
      (p->failed == FAIL_SYNTAX && strcmp(p->message, PY_SYNTAX_INVALID) != 0)) {
    return -1;
  }
  const py_token *after = parsed ? peek(p) : NULL;
  p->failed = FAIL_NONE;
  p->pos = at;
  if (after != NULL && (py_token_is_op(after, ",") || starts_expression(after))) {
    return outside(p, "this SyntaxError is");
  }
  return fail(p, PY_SYNTAX_INVALID);
}

/* After a complete expression inside brackets (starting at token
 * expr_start, its node `node`), where a closing bracket or ',' should
 * follow: CPython suggests a comma when another expression starts here,
 * reported at the first expression. Where its error pass would take
 * another rule (invalid_named_expression's and invalid_kwarg's for `=`; no
 * comma after a soft keyword, NAME STRING or print and exec, which
 * invalid_legacy_expression takes), the error is refused. */
static int missing_separator(parser *p, int expr_start, int node) {
  const py_token *t = next_token(p);
  if (p->failed != FAIL_NONE) {
    return -1;
  }
  if (py_token_is_op(t, "=")) {
    return assignment_in_brackets(p, expr_start);
  }
  const py_token *first = &p->toks.items[expr_start];
  if (starts_expression(t) && !p->without_invalid &&
      ((first->kind == PY_T_NAME && p->toks.items[expr_start + 1].kind == PY_T_STRING) ||
       is_legacy_name(p, node))) {
    return outside(p, "this SyntaxError is");
  }
  if (starts_expression(t) && !p->without_invalid &&
      (py_token_is_word(first, "match") || py_token_is_word(first, "case") ||
       py_token_is_word(first, "_"))) {
    return after_soft_keyword(p, expr_start);
  }
  if (!starts_expression(t) || p->without_invalid) {
    return fail(p, PY_SYNTAX_INVALID);
  }
  int start = p->pos;
  /* expression_without_invalid: reading the tokens it reads (the end, with
   * a bracket open, is an error at once), without the error rules' probes. */
  p->without_invalid = 1;
  int parsed = expression(p) >= 0 && p->failed == FAIL_NONE;
  p->without_invalid = 0;
  if (p->failed == FAIL_TOKEN || p->failed == FAIL_MEMORY || probe_refused(p)) {
    return -1;
  }
  p->failed = FAIL_NONE;
  p->pos = start;
  p->comma_offset = column_of(p, expr_start);
  return fail(p,
              parsed || expression_prefix_parses(p) ? PY_SYNTAX_FORGOT_COMMA : PY_SYNTAX_INVALID);
}

/*
 * The rest of a list or tuple display whose opening token is `open`, after
 * its first element `first` (-1 for none yet) at the current token, up to
 * and with `close`: elements separated by commas, a trailing comma allowed.
 * Unpacking and comprehensions are refused, as call_arguments does.
 */
static int display(parser *p, py_node_kind kind, const py_token *open, int first,
                   const char *close) {
  int node = add_node(p, kind, 0, open, -1, -1);
  if (node < 0) {
    return -1;
  }
  p->expr->nodes[node].b = first;
  int last = first;
  for (;;) {
    const py_token *t = next_token(p);
    if (p->failed != FAIL_NONE) {
      return -1;
    }
    if (last >= 0) {
      /* After an element: the closing bracket or a comma. */
      if (py_token_is_op(t, close)) {
        p->pos++;
        return node;
      }
      if (py_token_is_word(t, "for")) {
        return outside(p, "comprehensions are");
      }
      if (!py_token_is_op(t, ",")) {
        return -1; /* the caller's missing_separator has run */
      }
      p->pos++;
      t = next_token(p);
      if (p->failed != FAIL_NONE) {
        return -1;
      }
      if (py_token_is_word(t, "for")) {
        /* invalid_comprehension: `[a, for ...` */
        return outside(p, "comprehensions are");
      }
    }
    if (py_token_is_op(t, close)) {
      p->pos++;
      return node;
    }
    if (py_token_is_op(t, "*") || py_token_is_op(t, "**")) {
      return outside(p, "unpacking is");
    }
    int start = p->pos;
    int element = expression(p);
    if (element < 0) {
      return -1;
    }
    if (last < 0) {
      p->expr->nodes[node].b = element;
    } else {
      p->expr->nodes[last].next = element;
    }
    last = element;
    t = next_token(p);
    if (p->failed != FAIL_NONE) {
      return -1;
    }
    if (!py_token_is_op(t, close) && !py_token_is_op(t, ",") && !py_token_is_word(t, "for")) {
      return missing_separator(p, start, element);
    }
  }
}

static int atom(parser *p) {
  const py_token *t = next_token(p);
  if (p->failed != FAIL_NONE) {
    return -1;
  }
  if (py_token_is_op(t, "[")) {
    p->pos++;
    return display(p, PY_NODE_LIST, t, -1, "]");
  }
  if (t->kind == PY_T_STRING) {
    p->pos++;
    return add_node(p, PY_NODE_STR, 0, t, -1, -1);
  }
  if (t->kind == PY_T_NUMBER) {
    p->pos++;
    py_node_kind kind = t->number == PY_NUM_INT     ? PY_NODE_INT
                        : t->number == PY_NUM_FLOAT ? PY_NODE_FLOAT
                                                    : PY_NODE_IMAG;
    return add_node(p, kind, 0, t, -1, -1);
  }
  if (t->kind == PY_T_NAME) {
    static const struct {
      const char *word;
      py_node_kind kind;
    } constants[] = {{"True", PY_NODE_TRUE}, {"False", PY_NODE_FALSE}, {"None", PY_NODE_NONE}};
    for (size_t i = 0; i < 3; i++) {
      if (py_token_is_word(t, constants[i].word)) {
        p->pos++;
        return add_node(p, constants[i].kind, 0, t, -1, -1);
      }
    }
    if (py_token_is_keyword(t)) {
      if (py_token_is_word(t, "lambda") || py_token_is_word(t, "await") ||
          py_token_is_word(t, "yield")) {
        char what[16];
        snprintf(what, sizeof what, "'%.*s' is", (int)t->len, t->text);
        return outside(p, what);
      }
      return fail(p, PY_SYNTAX_INVALID);
    }
    p->pos++;
    return add_node(p, PY_NODE_NAME, 0, t, -1, -1);
  }
  if (py_token_is_op(t, "(")) {
    p->pos++;
    const py_token *close = next_token(p);
    if (p->failed != FAIL_NONE) {
      return -1;
    }
    if (py_token_is_op(close, ")") && (p->displays & PY_DISPLAY_TUPLES)) {
      p->pos++;
      return add_node(p, PY_NODE_TUPLE, 0, t, -1, -1);
    }
    if (py_token_is_op(close, ")")) {
      return outside(p, "the empty tuple is");
    }
    if (py_token_is_op(close, "*") || py_token_is_op(close, "**")) {
      return outside(p, "unpacking is");
    }
    int inner_start = p->pos;
    int inner = expression(p);
    if (inner < 0) {
      return -1;
    }
    close = next_token(p);
    if (p->failed != FAIL_NONE) {
      return -1;
    }
    if (py_token_is_op(close, ")")) {
      p->pos++;
      return inner;
    }
    if (py_token_is_op(close, ",") && (p->displays & PY_DISPLAY_TUPLES)) {
      return display(p, PY_NODE_TUPLE, t, inner, ")");
    }
    if (py_token_is_op(close, ",")) {
      return outside(p, "tuples are");
    }
    if (py_token_is_word(close, "for")) {
      return outside(p, "generator expressions are");
    }
    return missing_separator(p, inner_start, inner);
  }
  return fail(p, PY_SYNTAX_INVALID);
}

static int call_arguments(parser *p, int callee) {
  int call = add_node(p, PY_NODE_CALL, 0, peek(p), callee, -1);
  p->pos++; /* ( */
  int last = -1;
  for (;;) {
    const py_token *t = next_token(p);
    if (p->failed != FAIL_NONE || call < 0) {
      return -1;
    }
    if (py_token_is_op(t, ")")) {
      p->pos++;
      return call;
    }
    if (py_token_is_op(t, "*") || py_token_is_op(t, "**")) {
      return outside(p, "unpacking is");
    }
    if (t->kind == PY_T_NAME && !py_token_is_keyword(t) &&
        py_token_is_op(&p->toks.items[p->pos + 1], "=")) {
      return outside(p, "keyword arguments are");
    }
    int argument_start = p->pos;
    int argument = expression(p);
    if (argument < 0) {
      return -1;
    }
    if (last < 0) {
      p->expr->nodes[call].b = argument;
    } else {
      p->expr->nodes[last].next = argument;
    }
    last = argument;
    t = next_token(p);
    if (p->failed != FAIL_NONE) {
      return -1;
    }
    if (py_token_is_op(t, ",")) {
      p->pos++;
    } else if (py_token_is_word(t, "for")) {
      return outside(p, "generator expressions are");
    } else if (!py_token_is_op(t, ")")) {
      return missing_separator(p, argument_start, argument);
    }
  }
}

static int primary(parser *p) {
  int node = atom(p);
  while (node >= 0) {
    const py_token *t = next_token(p);
    if (p->failed != FAIL_NONE) {
      return -1;
    }
    if (py_token_is_op(t, ".")) {
      p->pos++;
      const py_token *name = next_token(p);
      if (p->failed != FAIL_NONE) {
        return -1;
      }
      if (name->kind != PY_T_NAME || py_token_is_keyword(name)) {
        return fail(p, PY_SYNTAX_INVALID);
      }
      p->pos++;
      node = add_node(p, PY_NODE_ATTR, 0, name, node, -1);
    } else if (py_token_is_op(t, "(")) {
      node = call_arguments(p, node);
    } else if (py_token_is_op(t, "[")) {
      return outside(p, "subscripts are");
    } else {
      break;
    }
  }
  return node;
}

static int factor(parser *p);

static int power(parser *p) {
  int base = primary(p);
  if (base < 0) {
    return -1;
  }
  const py_token *t = next_token(p);
  if (p->failed != FAIL_NONE) {
    return -1;
  }
  if (!py_token_is_op(t, "**")) {
    return base;
  }
  p->pos++;
  if (enter(p) != 0) {
    return -1;
  }
  int exponent = factor(p);
  p->depth--;
  return exponent < 0 ? -1 : add_node(p, PY_NODE_BINOP, PY_POW, t, base, exponent);
}

static int factor(parser *p) {
  const py_token *t = next_token(p);
  if (p->failed != FAIL_NONE) {
    return -1;
  }
  int op = py_token_is_op(t, "-")   ? PY_NEG
           : py_token_is_op(t, "+") ? PY_POS
           : py_token_is_op(t, "~") ? PY_INVERT
                                    : -1;
  if (op < 0) {
    return power(p);
  }
  p->pos++;
  if (enter(p) != 0) {
    return -1;
  }
  int operand = factor(p);
  p->depth--;
  return operand < 0 ? -1 : add_node(p, PY_NODE_UNARY, op, t, operand, -1);
}

static int term(parser *p) {
  int left = factor(p);
  while (left >= 0) {
    const py_token *t = next_token(p);
    if (p->failed != FAIL_NONE) {
      return -1;
    }
    int op = py_token_is_op(t, "*")    ? PY_MUL
             : py_token_is_op(t, "/")  ? PY_TRUEDIV
             : py_token_is_op(t, "//") ? PY_FLOORDIV
             : py_token_is_op(t, "%")  ? PY_MOD
             : py_token_is_op(t, "@")  ? PY_MATMUL
                                       : -1;
    if (op < 0) {
      break;
    }
    p->pos++;
    int right = factor(p);
    left = right < 0 ? -1 : add_node(p, PY_NODE_BINOP, op, t, left, right);
  }
  return left;
}

static int sum(parser *p) {
  int left = term(p);
  while (left >= 0) {
    const py_token *t = next_token(p);
    if (p->failed != FAIL_NONE) {
      return -1;
    }
    int op = py_token_is_op(t, "+") ? PY_ADD : py_token_is_op(t, "-") ? PY_SUB : -1;
    if (op < 0) {
      break;
    }
    p->pos++;
    int right = term(p);
    left = right < 0 ? -1 : add_node(p, PY_NODE_BINOP, op, t, left, right);
  }
  return left;
}

static int compare_op(const py_token *t) {
  static const char *const ops[] = {"<", "<=", "==", "!=", ">", ">="};
  for (int i = 0; i < 6; i++) {
    if (py_token_is_op(t, ops[i])) {
      return i;
    }
  }
  return -1;
}

static int comparison(parser *p) {
  int first = sum(p);
  if (first < 0) {
    return -1;
  }
  int node = -1, last = -1;
  for (;;) {
    const py_token *t = next_token(p);
    if (p->failed != FAIL_NONE) {
      return -1;
    }
    if (py_token_is_word(t, "not") && p->toks.items[p->pos + 1].kind == PY_T_ERROR) {
      /* notin_bitwise_or reads the token after `not`: a tokenizer error
       * there (the end, with a bracket open) is raised at once. */
      p->pos++;
      next_token(p);
      return -1;
    }
    if (py_token_is_word(t, "in") || py_token_is_word(t, "is") ||
        (py_token_is_word(t, "not") && py_token_is_word(&p->toks.items[p->pos + 1], "in"))) {
      return outside(p, "'in' and 'is' are");
    }
    int op = compare_op(t);
    if (op < 0) {
      return node < 0 ? first : node;
    }
    p->pos++;
    int right = sum(p);
    if (right < 0) {
      return -1;
    }
    p->expr->nodes[right].compare = op;
    if (node < 0) {
      node = add_node(p, PY_NODE_COMPARE, 0, t, first, right);
    } else {
      p->expr->nodes[last].next = right;
    }
    last = right;
    if (node < 0) {
      return -1;
    }
  }
}

static int inversion(parser *p) {
  const py_token *t = next_token(p);
  if (p->failed != FAIL_NONE) {
    return -1;
  }
  if (!py_token_is_word(t, "not")) {
    return comparison(p);
  }
  p->pos++;
  if (enter(p) != 0) {
    return -1;
  }
  int operand = inversion(p);
  p->depth--;
  return operand < 0 ? -1 : add_node(p, PY_NODE_NOT, 0, t, operand, -1);
}

static int boolean(parser *p, int is_or) {
  int left = is_or ? boolean(p, 0) : inversion(p);
  while (left >= 0) {
    const py_token *t = next_token(p);
    if (p->failed != FAIL_NONE) {
      return -1;
    }
    if (!py_token_is_word(t, is_or ? "or" : "and")) {
      break;
    }
    p->pos++;
    int right = is_or ? boolean(p, 0) : inversion(p);
    left = right < 0 ? -1 : add_node(p, is_or ? PY_NODE_OR : PY_NODE_AND, 0, t, left, right);
  }
  return left;
}

/* After `A if` whose condition failed to parse plainly: CPython's error pass
 * backtracks to the longest condition that parses, and when one does, the
 * missing `else` is the error (invalid_expression). Resets the failure and
 * returns 1 in that case. */
static int else_expected(parser *p, int test_start) {
  if (p->failed != FAIL_SYNTAX || p->without_invalid ||
      strcmp(p->message, PY_SYNTAX_INVALID) != 0) {
    return 0;
  }
  int failed_at = p->pos;
  p->pos = test_start;
  if (!expression_prefix_parses(p)) {
    p->pos = failed_at;
    return 0;
  }
  p->failed = FAIL_NONE;
  return 1;
}

static int expression(parser *p) {
  if (enter(p) != 0) {
    return -1;
  }
  int body = boolean(p, 1);
  int result = body;
  if (body >= 0) {
    const py_token *t = next_token(p);
    if (p->failed == FAIL_NONE && py_token_is_word(t, "if")) {
      p->pos++;
      int test_start = p->pos;
      int test = boolean(p, 1);
      const py_token *e = test >= 0 ? next_token(p) : NULL;
      if (test < 0 && else_expected(p, test_start)) {
        result = fail(p, PY_SYNTAX_EXPECTED_ELSE);
      } else if (test < 0 || p->failed != FAIL_NONE) {
        result = -1;
      } else if (py_token_is_op(e, ":")) {
        /* invalid_expression's `!('else'|':')`: no missing `else` before ':'. */
        result = fail(p, PY_SYNTAX_INVALID);
      } else if (!py_token_is_word(e, "else")) {
        result = fail(p, PY_SYNTAX_EXPECTED_ELSE);
      } else {
        p->pos++;
        int orelse = expression(p);
        result = orelse < 0 ? -1 : add_node(p, PY_NODE_IFEXP, 0, t, test, body);
        if (result >= 0) {
          p->expr->nodes[result].c = orelse;
        }
      }
    } else if (p->failed != FAIL_NONE) {
      result = -1;
    }
  }
  p->depth--;
  return result;
}

/* The deepest chain of nested nodes, as CPython's compiler counts them.
 * Returns 1 when it is deeper than the compiler takes, 0, or -1. */
static int too_deep(const py_expr *e) {
  /* Children always precede their parents, so one pass computes depths. */
  int *depth = calloc((size_t)e->count, sizeof *depth);
  if (depth == NULL) {
    return -1;
  }
  int deepest = 0;
  for (int i = 0; i < e->count; i++) {
    const py_node *n = &e->nodes[i];
    /* b heads a list in calls (the arguments) and comparisons (the comparands). */
    int b_is_list = n->kind == PY_NODE_CALL || n->kind == PY_NODE_COMPARE ||
                    n->kind == PY_NODE_LIST || n->kind == PY_NODE_TUPLE;
    int d = 0;
    if (n->a >= 0 && depth[n->a] + 1 > d) {
      d = depth[n->a] + 1;
    }
    for (int child = n->b; child >= 0; child = b_is_list ? e->nodes[child].next : -1) {
      if (depth[child] + 1 > d) {
        d = depth[child] + 1;
      }
    }
    if (n->c >= 0 && depth[n->c] + 1 > d) {
      d = depth[n->c] + 1;
    }
    depth[i] = d;
    if (d > deepest) {
      deepest = d;
    }
  }
  free(depth);
  return deepest > MAX_COMPILER_DEPTH;
}

/* An expression followed by more than the end: CPython's error pass tries
 * `a b` as a missing comma (invalid_expression), which parses b as an
 * expression; outside parentheses it raises nothing itself, but a b that
 * runs into the end of the source while a parenthesis is open makes the
 * error "'(' was never closed", and an error raised inside b stands. The
 * pass skips expressions that start with a soft keyword. */
static int junk_after_expression(parser *p) {
  const py_token *first = &p->toks.items[p->start];
  const py_token *t = peek(p);
  if (!starts_expression(t)) {
    return fail(p, PY_SYNTAX_INVALID);
  }
  /* invalid_legacy_expression still parses what follows a soft keyword:
   * not modelled. */
  if (py_token_is_word(first, "match") || py_token_is_word(first, "case") ||
      py_token_is_word(first, "_")) {
    return outside(p, "this SyntaxError is");
  }
  int start = p->pos;
  int legacy = first->kind == PY_T_NAME && !py_token_is_keyword(first) &&
               !py_token_is_op(&p->toks.items[p->start + 1], "(");
  if (legacy) {
    /* invalid_legacy_expression parses the rest from the second token with
     * the error rules on: a missing `else` there stands (`x cos if abs`).
     * A missing comma does not (`x y (1 z)`): invalid_expression's probe
     * before it has memoised that call's failure without the error rules. */
    p->pos = p->start + 1;
    expression(p);
    if (p->failed == FAIL_MEMORY || probe_refused(p) ||
        (p->failed == FAIL_SYNTAX && strcmp(p->message, PY_SYNTAX_EXPECTED_ELSE) == 0)) {
      return -1;
    }
    /* With the error rules on, invalid_expression there tries the next
     * expression too (`x 0x1 await ( 1`: it reaches the end inside the
     * parenthesis, and "'(' was never closed" stands). */
    const py_token *second = &p->toks.items[p->start + 1];
    if (p->failed == FAIL_NONE && starts_expression(peek(p)) &&
        !(second->kind == PY_T_NAME && p->toks.items[p->start + 2].kind == PY_T_STRING) &&
        !py_token_is_word(second, "match") && !py_token_is_word(second, "case") &&
        !py_token_is_word(second, "_")) {
      p->without_invalid = 1;
      expression(p);
      p->without_invalid = 0;
      if (p->failed == FAIL_TOKEN || p->failed == FAIL_MEMORY || probe_refused(p)) {
        return -1;
      }
    }
    p->failed = FAIL_NONE;
    p->pos = start;
  }
  p->without_invalid = 1;
  expression(p);
  p->without_invalid = 0;
  if (p->failed == FAIL_TOKEN || p->failed == FAIL_MEMORY || probe_refused(p)) {
    return -1;
  }
  /* After a name, the error pass goes on along `a b c ...` (each
   * expression's invalid_expression looks at the next one), further than
   * this parser follows: how far it reads decides between "invalid syntax"
   * and an unclosed bracket's error, and which later error it meets. */
  int failed = p->failed != FAIL_NONE;
  int more = !failed && peek(p)->kind != PY_T_END;
  p->failed = FAIL_NONE;
  p->pos = start;
  /* Along the chain, each expression's own error rules run: what they can
   * add is a missing `else`, or the unclosed bracket of the end when a
   * further expression is read (one that failed here read no further). */
  int has_if = 0;
  for (int i = start; i < p->toks.count; i++) {
    has_if |= py_token_is_word(&p->toks.items[i], "if");
  }
  if (legacy &&
      ((more && p->toks.items[p->toks.count - 1].at_end) || ((failed || more) && has_if))) {
    return outside(p, "this SyntaxError is");
  }
  return fail(p, PY_SYNTAX_INVALID);
}

/* The rest of eval's `expressions` after its first, `first`, at a comma: a
 * tuple of expressions (no unpacking), a trailing comma allowed. Anything
 * else after an element is refused: which element CPython's error pass
 * blames (invalid_legacy_expression's print) is not modelled. */
static int bare_tuple(parser *p, int first) {
  int node = add_node(p, PY_NODE_TUPLE, 0, peek(p), -1, -1);
  if (node < 0) {
    return -1;
  }
  p->expr->nodes[node].b = first;
  int last = first;
  for (;;) {
    const py_token *t = next_token(p);
    if (p->failed != FAIL_NONE) {
      return -1;
    }
    if (t->kind == PY_T_END) {
      return node;
    }
    if (!py_token_is_op(t, ",")) {
      return outside(p, "this SyntaxError is");
    }
    p->pos++;
    t = next_token(p);
    if (p->failed != FAIL_NONE) {
      return -1;
    }
    if (t->kind == PY_T_END) {
      return node;
    }
    if (py_token_is_op(t, "*") || py_token_is_op(t, "**")) {
      return outside(p, "unpacking is");
    }
    int element = expression(p);
    if (element < 0) {
      return -1;
    }
    p->expr->nodes[last].next = element;
    last = element;
  }
}

/* The 1-based column a SyntaxError the parse ended with is reported at, as
 * CPython's offset; 0 when this parser does not know it. */
static int error_offset(const parser *p, const py_token *last, int replaced) {
  if (replaced) {
    return (int)last->error_offset;
  }
  if (p->failed == FAIL_TOKEN) {
    return (int)p->toks.items[p->fail_pos].error_offset;
  }
  if (p->message == NULL || strcmp(p->message, PY_SYNTAX_INVALID) == 0) {
    return column_of(p, p->fail_pos);
  }
  if (strcmp(p->message, PY_SYNTAX_FORGOT_COMMA) == 0) {
    return p->comma_offset;
  }
  return 0;
}

/* Whether the parse's SyntaxError may be invalid_legacy_expression's
 * "Missing parentheses in call to 'print'": the error pass tries it at every
 * expression that starts with the name print or exec not followed by '(',
 * before the error a parser's failure gives (a tokenizer's error met on the
 * way still wins). */
static int legacy_error_possible(const parser *p, const py_token *last) {
  int from_tokenizer = p->failed == FAIL_TOKEN ? !p->toks.items[p->fail_pos].at_end
                                               : last->kind == PY_T_ERROR && !last->at_end &&
                                                     strcmp(last->message, PY_SYNTAX_INVALID) != 0;
  if (p->failed == FAIL_MEMORY || from_tokenizer) {
    return 0;
  }
  for (int i = p->start; i + 1 < p->toks.count; i++) {
    if ((py_token_is_word(&p->toks.items[i], "print") ||
         py_token_is_word(&p->toks.items[i], "exec")) &&
        !py_token_is_op(&p->toks.items[i + 1], "(")) {
      return 1;
    }
  }
  return 0;
}

/* Parses the expression from token p->start to the end of the tokens into
 * expr, as py_parse_expression does; *offset gets a SyntaxError's column. */
static int parse_tokens(parser *p, py_expr *expr, py_error *error, int *offset) {
  p->expr = expr;
  p->pos = p->start;
  int root = expression(p);
  if (root >= 0) {
    const py_token *t = next_token(p);
    if (p->failed == FAIL_NONE && py_token_is_op(t, ",") && (p->displays & PY_DISPLAY_TUPLES)) {
      root = bare_tuple(p, root);
    } else if (p->failed == FAIL_NONE && py_token_is_op(t, ",")) {
      root = outside(p, "tuples are");
    } else if (p->failed == FAIL_NONE && t->kind != PY_T_END) {
      root = junk_after_expression(p);
    } else if (p->failed != FAIL_NONE) {
      root = -1;
    }
  }
  const py_token *last = &p->toks.items[p->toks.count - 1];
  int status = 0;
  *offset = 0;
  if (root < 0 && !p->refused && legacy_error_possible(p, last)) {
    /* The refusal replaces the failure already recorded. */
    snprintf(p->buffer, sizeof p->buffer, "this SyntaxError is " PY_OUTSIDE, p->subset);
    p->failed = FAIL_SYNTAX;
    p->message = p->buffer;
    p->refused = 1;
  }
  if (root < 0) {
    if (p->failed == FAIL_MEMORY) {
      status = py_raise(error, "MemoryError", "%s", "");
    } else if (p->failed == FAIL_SYNTAX && last->kind == PY_T_ERROR && !last->at_end &&
               strcmp(last->message, PY_SYNTAX_INVALID) != 0) {
      /* A tokenizer error anywhere in the source replaces the parser's (a
       * token no rule takes, `$`, is not the tokenizer's error). */
      status = py_raise(error, last->refusal ? "NotImplementedError" : "SyntaxError", "%s",
                        last->message);
      *offset = last->refusal ? 0 : error_offset(p, last, 1);
    } else {
      status = py_raise(error, p->refused ? "NotImplementedError" : "SyntaxError", "%s",
                        p->message ? p->message : PY_SYNTAX_INVALID);
      *offset = p->refused ? 0 : error_offset(p, last, 0);
    }
  } else {
    expr->root = root;
    int deep = too_deep(expr);
    if (deep < 0) {
      status = py_raise(error, "MemoryError", "%s", "");
    } else if (deep) {
      status =
          py_raise(error, "RecursionError", "maximum recursion depth exceeded during compilation");
    }
  }
  return status;
}

/* Starts a parser on source: its tokens, or -1 with MemoryError or the
 * ValueError of a NUL byte in error. */
static int start_parser(parser *p, const char *source, size_t len, const char *subset, int strings,
                        int displays, py_error *error) {
  memset(p, 0, sizeof *p);
  p->subset = subset;
  p->displays = displays;
  p->source = source;
  if (memchr(source, '\0', len) != NULL) {
    return py_raise(error, "ValueError", "embedded null byte");
  }
  py_token_options options = {.subset = subset,
                              .strings = strings != 0,
                              .minor = 11,
                              .brackets = (displays & PY_DISPLAY_LISTS) != 0};
  if (py_tokenize(source, len, &options, &p->toks) != 0) {
    py_tokens_free(&p->toks);
    p->toks.items = NULL;
    return py_raise(error, "MemoryError", "%s", "");
  }
  return 0;
}

int py_parse_expression(py_expr *expr, const char *source, size_t len, const char *subset,
                        int displays, py_error *error) {
  parser p;
  if (start_parser(&p, source, len, subset, 0, displays, error) != 0) {
    return -1;
  }
  int offset;
  int status = parse_tokens(&p, expr, error, &offset);
  py_tokens_free(&p.toks);
  return status;
}

/* Refuses what the statement subset leaves out before parsing, in *message
 * (a construct "... outside the SUBSET subset of pyref"); returns the kind of
 * statement otherwise: PY_STMT_ASSIGN when token 1 is its one `=`. */
static int classify_statement(const parser *p, char *message, size_t size) {
  const py_token *toks = p->toks.items;
  int count = p->toks.count;
  static const char *const kAllowedFirst[] = {"True",   "False", "None", "not",
                                              "lambda", "await", "yield"};
  if (toks[0].kind == PY_T_NAME && py_token_is_keyword(&toks[0])) {
    int allowed = 0;
    for (size_t i = 0; i < sizeof kAllowedFirst / sizeof kAllowedFirst[0]; i++) {
      allowed |= py_token_is_word(&toks[0], kAllowedFirst[i]);
    }
    if (!allowed) {
      snprintf(message, size, "'%.*s' statements are " PY_OUTSIDE, (int)toks[0].len, toks[0].text,
               p->subset);
      return -1;
    }
  }
  /* print 1: CPython's "Missing parentheses in call to 'print'". */
  if ((py_token_is_word(&toks[0], "print") || py_token_is_word(&toks[0], "exec")) &&
      (toks[1].kind == PY_T_NUMBER || toks[1].kind == PY_T_STRING ||
       (toks[1].kind == PY_T_NAME && !py_token_is_keyword(&toks[1])))) {
    snprintf(message, size, "%.*s without parentheses is " PY_OUTSIDE, (int)toks[0].len,
             toks[0].text, p->subset);
    return -1;
  }
  int assign = -1;
  for (int i = 0; i < count; i++) {
    const py_token *t = &toks[i];
    if (t->kind == PY_T_OP && t->level == 0 && py_token_is_op(t, ",")) {
      snprintf(message, size, "tuples are " PY_OUTSIDE, p->subset);
      return -1;
    }
    if (t->kind == PY_T_STRING && i + 1 < count && toks[i + 1].kind == PY_T_STRING) {
      snprintf(message, size, "concatenated strings are " PY_OUTSIDE, p->subset);
      return -1;
    }
    if (py_token_is_op(t, ":") || py_token_is_op(t, ";")) {
      snprintf(message, size, "'%c' is " PY_OUTSIDE, t->text[0], p->subset);
      return -1;
    }
    if (py_token_is_op(t, ".") && i + 1 < count && py_token_is_op(&toks[i + 1], ".")) {
      snprintf(message, size, "the ellipsis is " PY_OUTSIDE, p->subset);
      return -1;
    }
    if (py_token_is_op(t, "=") && t->level == 0) {
      if (assign >= 0 && i == assign + 1) {
        break; /* `x = = 2`: the first pass fails at the second `=` */
      }
      if (assign >= 0) {
        snprintf(message, size, "chained assignment is " PY_OUTSIDE, p->subset);
        return -1;
      }
      assign = i;
    }
  }
  if (assign > 0 && !(assign == 1 && toks[0].kind == PY_T_NAME && !py_token_is_keyword(&toks[0]))) {
    snprintf(message, size, "this assignment is " PY_OUTSIDE, p->subset);
    return -1;
  }
  return assign == 1 ? PY_STMT_ASSIGN : toks[0].kind == PY_T_END ? PY_STMT_EMPTY : PY_STMT_EXPR;
}

int py_parse_statement(py_stmt *stmt, const char *source, size_t len, const char *subset,
                       py_error *error) {
  stmt->error_offset = 0;
  stmt->target = NULL;
  stmt->target_len = 0;
  parser p;
  if (start_parser(&p, source, len, subset, 1, PY_DISPLAYS_NONE, error) != 0) {
    return -1;
  }
  char message[160];
  int kind = classify_statement(&p, message, sizeof message);
  int status = 0;
  if (kind < 0) {
    status = py_raise(error, "NotImplementedError", "%s", message);
  } else {
    stmt->kind = (py_stmt_kind)kind;
    if (kind == PY_STMT_ASSIGN) {
      stmt->target = p.toks.items[0].text;
      stmt->target_len = p.toks.items[0].len;
      p.start = 2;
    }
    /* `= 1`: the first pass fails at the `=`, and a later tokenizer error
     * still wins, as in any other failed parse. */
    if (kind != PY_STMT_EMPTY) {
      status = parse_tokens(&p, &stmt->expr, error, &stmt->error_offset);
    }
  }
  py_tokens_free(&p.toks);
  return status;
}

void py_expr_free(py_expr *expr) {
  free(expr->nodes);
  expr->nodes = NULL;
  expr->count = expr->cap = 0;
}
