#define _POSIX_C_SOURCE 200809L

#include "ref/import/ipython_eval.h"

#include <stdlib.h>
#include <string.h>

#include "ref/import/ipython_names.h"
#include "ref/newton/pyprint.h"

#define OUTSIDE "outside the IPython subset of pyref"

/* A value of the subset: a number (pyvalue), or a str (str not NULL; its
 * bytes are printable ASCII without a backslash, as its literal was). */
typedef struct value {
  pn_value num;
  char *str;
  size_t str_len;
} value;

typedef struct binding {
  char *name;
  value value;
} binding;

typedef struct output {
  int count; /* the N of Out[N] */
  value value;
} output;

static void value_init(value *v) {
  pn_value_init(&v->num);
  v->str = NULL;
  v->str_len = 0;
}

static void value_clear(value *v) {
  pn_value_clear(&v->num);
  free(v->str);
  v->str = NULL;
}

/* Copies from into to (initialised). Returns 0, or -1 when memory runs out. */
static int value_copy(value *to, const value *from) {
  pn_value_copy(&to->num, &from->num);
  free(to->str);
  to->str = NULL;
  to->str_len = from->str_len;
  if (from->str != NULL) {
    to->str = malloc(from->str_len + 1);
    if (to->str == NULL) {
      return -1;
    }
    memcpy(to->str, from->str, from->str_len);
    to->str[from->str_len] = '\0';
  }
  return 0;
}

struct pn_ipy_namespace {
  binding *bindings;
  size_t binding_count;
  output *outputs;
  size_t output_count;
  /* _, __ and ___: indices into outputs; -1 while one holds IPython's
   * initial '' (a str, outside the subset), -2 before the first output. */
  long unders[3];
};

/* Compares name (len bytes) with a NUL-terminated word, as strcmp orders them. */
static int compare_name(const char *name, size_t len, const char *word) {
  size_t word_len = strlen(word);
  int c = memcmp(name, word, len < word_len ? len : word_len);
  return c != 0 ? c : len < word_len ? -1 : len > word_len ? 1 : 0;
}

int pn_ipython_name_in(const char *const *words, size_t count, const char *name, size_t len) {
  size_t low = 0, high = count;
  while (low < high) {
    size_t mid = low + (high - low) / 2;
    int c = compare_name(name, len, words[mid]);
    if (c == 0) {
      return 1;
    }
    if (c < 0) {
      high = mid;
    } else {
      low = mid + 1;
    }
  }
  return 0;
}

pn_ipy_namespace *pn_ipy_namespace_new(void) {
  pn_ipy_namespace *ns = calloc(1, sizeof *ns);
  if (ns != NULL) {
    ns->unders[0] = ns->unders[1] = ns->unders[2] = -2;
  }
  return ns;
}

void pn_ipy_namespace_free(pn_ipy_namespace *ns) {
  if (ns == NULL) {
    return;
  }
  for (size_t i = 0; i < ns->binding_count; i++) {
    free(ns->bindings[i].name);
    value_clear(&ns->bindings[i].value);
  }
  for (size_t i = 0; i < ns->output_count; i++) {
    value_clear(&ns->outputs[i].value);
  }
  free(ns->bindings);
  free(ns->outputs);
  free(ns);
}

static binding *find_binding(const pn_ipy_namespace *ns, const char *name, size_t len) {
  for (size_t i = 0; i < ns->binding_count; i++) {
    if (compare_name(name, len, ns->bindings[i].name) == 0) {
      return &ns->bindings[i];
    }
  }
  return NULL;
}

/* Binds name to a copy of v. Returns 0, or -1 when memory runs out. */
static int bind(pn_ipy_namespace *ns, const char *name, size_t len, const value *v) {
  binding *b = find_binding(ns, name, len);
  if (b == NULL) {
    binding *grown = realloc(ns->bindings, (ns->binding_count + 1) * sizeof *grown);
    if (grown == NULL) {
      return -1;
    }
    ns->bindings = grown;
    b = &ns->bindings[ns->binding_count];
    b->name = strndup(name, len);
    if (b->name == NULL) {
      return -1;
    }
    value_init(&b->value);
    ns->binding_count++;
  }
  return value_copy(&b->value, v);
}

int pn_ipy_bind_int(pn_ipy_namespace *ns, const char *name, size_t len, long number) {
  value v;
  value_init(&v);
  mpz_set_si(v.num.big, number);
  v.num.kind = PN_INT;
  int rc = bind(ns, name, len, &v);
  value_clear(&v);
  return rc;
}

static int is_keyword(const char *name, size_t len) {
  static const char *const kKeywords[] = {
      "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
      "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
      "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};
  return pn_ipython_name_in(kKeywords, sizeof kKeywords / sizeof kKeywords[0], name, len);
}

/* A history name `_N` or `_iN` (prefix "_" or "_i", then digits): N, else -1. */
static long history_number(const char *name, size_t len, const char *prefix) {
  size_t at = strlen(prefix);
  if (len <= at || len > at + 9 || memcmp(name, prefix, at) != 0) {
    return -1;
  }
  long n = 0;
  for (size_t i = at; i < len; i++) {
    if (name[i] < '0' || name[i] > '9') {
      return -1;
    }
    n = n * 10 + (name[i] - '0');
  }
  return n;
}

static const output *find_output(const pn_ipy_namespace *ns, long count) {
  for (size_t i = 0; i < ns->output_count; i++) {
    if (ns->outputs[i].count == count) {
      return &ns->outputs[i];
    }
  }
  return NULL;
}

/* Whether IPython has the name bound, with a value this subset leaves out. */
static int bound_by_ipython(const pn_ipy_namespace *ns, const char *name, size_t len) {
  return pn_ipython_name_in(pn_ipython_user_names, pn_ipython_user_names_count, name, len) ||
         pn_ipython_name_in(pn_ipython_builtin_names, pn_ipython_builtin_names_count, name, len) ||
         history_number(name, len, "_i") >= 0 ||
         (len >= 1 && len <= 3 && strspn(name, "_") >= len && ns->unders[len - 1] != -2);
}

int pn_ipy_is_shadowed(const pn_ipy_namespace *ns, const char *name, size_t len) {
  long n = history_number(name, len, "_");
  return find_binding(ns, name, len) != NULL || (n >= 0 && find_output(ns, n) != NULL) ||
         bound_by_ipython(ns, name, len) || is_keyword(name, len);
}

static int load_name(const pn_ipy_namespace *ns, const py_node *n, value *out, py_error *error) {
  const binding *b = find_binding(ns, n->text, n->len);
  if (b != NULL) {
    return value_copy(out, &b->value) != 0 ? py_raise(error, "MemoryError", "%s", "") : 0;
  }
  long number = history_number(n->text, n->len, "_");
  const output *o = number >= 0 ? find_output(ns, number) : NULL;
  if (n->len <= 3 && strspn(n->text, "_") >= n->len && ns->unders[n->len - 1] >= 0) {
    o = &ns->outputs[ns->unders[n->len - 1]];
  }
  if (o != NULL) {
    return value_copy(out, &o->value) != 0 ? py_raise(error, "MemoryError", "%s", "") : 0;
  }
  if (bound_by_ipython(ns, n->text, n->len)) {
    return py_raise(error, "NotImplementedError", "the value of '%.*s' is " OUTSIDE, (int)n->len,
                    n->text);
  }
  return py_raise(error, "NameError", "name '%.*s' is not defined", (int)n->len, n->text);
}

static int is_print_call(const pn_ipy_namespace *ns, const py_expr *expr, int index) {
  const py_node *n = &expr->nodes[index];
  if (n->kind != PY_NODE_CALL) {
    return 0;
  }
  const py_node *callee = &expr->nodes[n->a];
  return callee->kind == PY_NODE_NAME && callee->len == 5 &&
         memcmp(callee->text, "print", 5) == 0 &&
         find_binding(ns, callee->text, callee->len) == NULL;
}

/* The digits of a decimal int literal (0 for 0x, 0o and 0b ones). */
static size_t decimal_digits(const py_node *n) {
  if (n->len > 1 && n->text[0] == '0' && strchr("xXoObB", n->text[1]) != NULL) {
    return 0;
  }
  size_t digits = 0;
  for (size_t i = 0; i < n->len; i++) {
    digits += n->text[i] != '_';
  }
  return digits;
}

/* Refuses, before anything runs, a node the subset leaves out; print(...)
 * is allowed only as the line itself (top 1). */
static int check_node(const pn_ipy_namespace *ns, const py_expr *expr, int index, int top,
                      py_error *error) {
  const py_node *n = &expr->nodes[index];
  switch (n->kind) {
    case PY_NODE_INT:
      if (decimal_digits(n) > 4300) {
        /* CPython's SyntaxError when it compiles the cell, before anything runs. */
        return py_raise(error, "NotImplementedError",
                        "int literals of over 4300 digits are " OUTSIDE);
      }
      return 0;
    case PY_NODE_FLOAT:
    case PY_NODE_NAME:
    case PY_NODE_STR:
      return 0;
    case PY_NODE_UNARY:
      return check_node(ns, expr, n->a, 0, error);
    case PY_NODE_BINOP:
      return check_node(ns, expr, n->a, 0, error) != 0 ? -1 : check_node(ns, expr, n->b, 0, error);
    case PY_NODE_CALL:
      if (!top || !is_print_call(ns, expr, index)) {
        return py_raise(error, "NotImplementedError",
                        "calls other than print(...) as the line are " OUTSIDE);
      }
      for (int arg = n->b; arg >= 0; arg = expr->nodes[arg].next) {
        if (check_node(ns, expr, arg, 0, error) != 0) {
          return -1;
        }
      }
      return 0;
    case PY_NODE_IMAG:
      return py_raise(error, "NotImplementedError", "imaginary literals are " OUTSIDE);
    case PY_NODE_TRUE:
    case PY_NODE_FALSE:
    case PY_NODE_NONE:
      return py_raise(error, "NotImplementedError", "True, False and None are " OUTSIDE);
    default:
      return py_raise(error, "NotImplementedError",
                      "attributes, comparisons and boolean operators are " OUTSIDE);
  }
}

/* Arithmetic beyond PN_INT_MAX_BITS is pyvalue's MemoryError; CPython
 * would compute it, so it is a refusal here. */
static int refuse_memory(py_error *error) {
  if (error->type != NULL && strcmp(error->type, "MemoryError") == 0) {
    py_raise(error, "NotImplementedError", "ints beyond 2**%ld bits are " OUTSIDE,
             (long)PN_INT_MAX_BITS);
  }
  return -1;
}

/* A str operand: what the subset leaves out (str's operators, formatting). */
static int refuse_str(py_error *error) {
  return py_raise(error, "NotImplementedError", "operators on str are " OUTSIDE);
}

static int eval_node(const pn_ipy_namespace *ns, const py_expr *expr, int index, value *out,
                     py_error *error) {
  const py_node *n = &expr->nodes[index];
  /* out may hold an earlier value (print's arguments): a number has no str. */
  free(out->str);
  out->str = NULL;
  if (n->kind == PY_NODE_INT || n->kind == PY_NODE_FLOAT) {
    return pn_value_from_literal(error, n, &out->num) != 0 ? refuse_memory(error) : 0;
  }
  if (n->kind == PY_NODE_STR) {
    free(out->str);
    out->str = strndup(n->text, n->len);
    out->str_len = n->len;
    return out->str == NULL ? py_raise(error, "MemoryError", "%s", "") : 0;
  }
  if (n->kind == PY_NODE_NAME) {
    return load_name(ns, n, out, error);
  }
  if (n->kind == PY_NODE_UNARY) {
    value operand;
    value_init(&operand);
    int rc = eval_node(ns, expr, n->a, &operand, error);
    if (rc == 0 && operand.str != NULL) {
      rc = refuse_str(error);
    } else if (rc == 0) {
      pn_unop op = n->op == PY_NEG ? PN_NEG : n->op == PY_POS ? PN_POS : PN_INVERT;
      rc = pn_value_unop(error, op, &operand.num, &out->num) != 0 ? refuse_memory(error) : 0;
    }
    value_clear(&operand);
    return rc;
  }
  /* PY_NODE_BINOP: check_node let nothing else through. */
  static const pn_binop kOps[] = {
      [PY_ADD] = PN_ADD,           [PY_SUB] = PN_SUB, [PY_MUL] = PN_MUL, [PY_TRUEDIV] = PN_TRUEDIV,
      [PY_FLOORDIV] = PN_FLOORDIV, [PY_MOD] = PN_MOD, [PY_POW] = PN_POW, [PY_MATMUL] = PN_MATMUL,
  };
  value left, right;
  value_init(&left);
  value_init(&right);
  int rc = eval_node(ns, expr, n->a, &left, error);
  if (rc == 0) {
    rc = eval_node(ns, expr, n->b, &right, error);
  }
  if (rc == 0 && (left.str != NULL || right.str != NULL)) {
    rc = refuse_str(error);
  } else if (rc == 0 && pn_value_binop(error, kOps[n->op], &left.num, &right.num, &out->num) != 0) {
    rc = refuse_memory(error);
  }
  value_clear(&left);
  value_clear(&right);
  return rc;
}

/* str(v) (print) or repr(v) (the display) appended to *out; -1 with error
 * set (ValueError for an int of over 4300 digits), or -1 with error->type
 * NULL when memory runs out. */
static int format_value(const value *v, int as_repr, pn_strbuf *out, py_error *error) {
  if (v->str == NULL) {
    return pn_print_value(&v->num, out, error);
  }
  if (!as_repr) {
    return pn_strbuf_append(out, v->str, v->str_len);
  }
  /* repr: single quotes, unless the text holds ' and no " (no backslash or
   * control character can be in it). */
  int has_single = memchr(v->str, '\'', v->str_len) != NULL;
  int double_quotes = has_single && memchr(v->str, '"', v->str_len) == NULL;
  char quote = double_quotes ? '"' : '\'';
  int rc = pn_strbuf_append(out, &quote, 1);
  for (size_t i = 0; rc == 0 && i < v->str_len; i++) {
    rc = v->str[i] == quote ? pn_strbuf_puts(out, "\\'") : pn_strbuf_append(out, &v->str[i], 1);
  }
  return rc == 0 ? pn_strbuf_append(out, &quote, 1) : -1;
}

/* print(args...): every argument first, then one line of their str()s. */
static int run_print(const pn_ipy_namespace *ns, const py_expr *expr, const py_node *call,
                     pn_strbuf *printed, py_error *error) {
  pn_strbuf line = PN_STRBUF_INIT;
  value v;
  value_init(&v);
  int rc = 0;
  for (int arg = call->b; rc == 0 && arg >= 0; arg = expr->nodes[arg].next) {
    if (arg != call->b && pn_strbuf_puts(&line, " ") != 0) {
      rc = py_raise(error, "MemoryError", "%s", "");
    } else if (eval_node(ns, expr, arg, &v, error) != 0 || format_value(&v, 0, &line, error) != 0) {
      rc = error->type != NULL ? -1 : py_raise(error, "MemoryError", "%s", "");
    }
  }
  if (rc == 0 && (pn_strbuf_append(printed, line.data ? line.data : "", line.len) != 0 ||
                  pn_strbuf_puts(printed, "\n") != 0)) {
    rc = py_raise(error, "MemoryError", "%s", "");
  }
  value_clear(&v);
  pn_strbuf_free(&line);
  return rc;
}

/* Assignments the subset leaves out: IPython's own history names. */
static int refused_target(const char *name, size_t len) {
  return (len <= 3 && strspn(name, "_") >= len) || history_number(name, len, "_") >= 0 ||
         history_number(name, len, "_i") >= 0 || compare_name(name, len, "_i") == 0 ||
         compare_name(name, len, "_ii") == 0 || compare_name(name, len, "_iii") == 0;
}

/* IPython's displayhook: Out[count] = v; _, __ and ___ move on (from the
 * '' they start at). Returns 0, or -1 when memory runs out. */
static int record_output(pn_ipy_namespace *ns, int count, const value *v) {
  output *grown = realloc(ns->outputs, (ns->output_count + 1) * sizeof *grown);
  if (grown == NULL) {
    return -1;
  }
  ns->outputs = grown;
  output *o = &ns->outputs[ns->output_count];
  o->count = count;
  value_init(&o->value);
  ns->output_count++;
  if (value_copy(&o->value, v) != 0) {
    return -1;
  }
  for (int i = 0; i < 3; i++) {
    if (ns->unders[i] == -2) {
      ns->unders[i] = -1;
    }
  }
  ns->unders[2] = ns->unders[1];
  ns->unders[1] = ns->unders[0];
  ns->unders[0] = (long)ns->output_count - 1;
  return 0;
}

/* Shows an expression's value as IPython does: its repr, recorded as Out[count]. */
static int show(pn_ipy_namespace *ns, int count, const value *v, pn_strbuf *shown,
                py_error *error) {
  if (ns->output_count >= 999) {
    /* IPython culls its output cache at 1000 entries (and says so). */
    return py_raise(error, "NotImplementedError", "a 1000th output is " OUTSIDE);
  }
  py_error format_error = PY_ERROR_INIT;
  if (format_value(v, 1, shown, &format_error) != 0) {
    /* An int of over 4300 digits: the display hook fails inside IPython's
     * own files, a traceback of them. */
    return format_error.type == NULL ? py_raise(error, "MemoryError", "%s", "")
                                     : py_raise(error, "NotImplementedError",
                                                "an output IPython cannot show is " OUTSIDE);
  }
  return record_output(ns, count, v) != 0 ? py_raise(error, "MemoryError", "%s", "") : 0;
}

int pn_ipy_run(pn_ipy_namespace *ns, const py_stmt *stmt, int count, pn_strbuf *printed,
               pn_strbuf *shown, int *has_value, py_error *error) {
  *has_value = 0;
  if (stmt->kind == PY_STMT_EMPTY) {
    return 0;
  }
  const py_expr *expr = &stmt->expr;
  int top = stmt->kind == PY_STMT_EXPR;
  if (stmt->kind == PY_STMT_ASSIGN && refused_target(stmt->target, stmt->target_len)) {
    return py_raise(error, "NotImplementedError", "assigning to '%.*s' is " OUTSIDE,
                    (int)stmt->target_len, stmt->target);
  }
  if (check_node(ns, expr, expr->root, top, error) != 0) {
    return -1;
  }
  if (top && is_print_call(ns, expr, expr->root)) {
    return run_print(ns, expr, &expr->nodes[expr->root], printed, error);
  }
  value v;
  value_init(&v);
  int rc = eval_node(ns, expr, expr->root, &v, error);
  if (rc == 0 && stmt->kind == PY_STMT_ASSIGN) {
    rc = bind(ns, stmt->target, stmt->target_len, &v) != 0
             ? py_raise(error, "MemoryError", "%s", "")
             : 0;
  } else if (rc == 0) {
    rc = show(ns, count, &v, shown, error);
    *has_value = rc == 0;
  }
  value_clear(&v);
  return rc;
}
