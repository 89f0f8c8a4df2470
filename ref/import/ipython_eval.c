#define _POSIX_C_SOURCE 200809L

#include "ref/import/ipython_eval.h"

#include <stdlib.h>
#include <string.h>

#include "ref/import/ipython_names.h"
#include "ref/newton/pyprint.h"

#define OUTSIDE "outside the IPython subset of pyref"

typedef struct binding {
  char *name;
  pn_value value;
} binding;

typedef struct output {
  int count; /* the N of Out[N] */
  pn_value value;
} output;

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
    pn_value_clear(&ns->bindings[i].value);
  }
  for (size_t i = 0; i < ns->output_count; i++) {
    pn_value_clear(&ns->outputs[i].value);
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

int pn_ipy_bind(pn_ipy_namespace *ns, const char *name, size_t len, const pn_value *v) {
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
    pn_value_init(&b->value);
    ns->binding_count++;
  }
  pn_value_copy(&b->value, v);
  return 0;
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

static int load_name(const pn_ipy_namespace *ns, const py_node *n, pn_value *out, py_error *error) {
  const binding *b = find_binding(ns, n->text, n->len);
  if (b != NULL) {
    pn_value_copy(out, &b->value);
    return 0;
  }
  long number = history_number(n->text, n->len, "_");
  const output *o = number >= 0 ? find_output(ns, number) : NULL;
  if (n->len <= 3 && strspn(n->text, "_") >= n->len && ns->unders[n->len - 1] >= 0) {
    o = &ns->outputs[ns->unders[n->len - 1]];
  }
  if (o != NULL) {
    pn_value_copy(out, &o->value);
    return 0;
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

static int eval_node(const pn_ipy_namespace *ns, const py_expr *expr, int index, pn_value *out,
                     py_error *error) {
  const py_node *n = &expr->nodes[index];
  if (n->kind == PY_NODE_INT || n->kind == PY_NODE_FLOAT) {
    return pn_value_from_literal(error, n, out) != 0 ? refuse_memory(error) : 0;
  }
  if (n->kind == PY_NODE_NAME) {
    return load_name(ns, n, out, error);
  }
  if (n->kind == PY_NODE_UNARY) {
    pn_value operand;
    pn_value_init(&operand);
    int rc = eval_node(ns, expr, n->a, &operand, error);
    if (rc == 0) {
      pn_unop op = n->op == PY_NEG ? PN_NEG : n->op == PY_POS ? PN_POS : PN_INVERT;
      rc = pn_value_unop(error, op, &operand, out) != 0 ? refuse_memory(error) : 0;
    }
    pn_value_clear(&operand);
    return rc;
  }
  /* PY_NODE_BINOP: check_node let nothing else through. */
  static const pn_binop kOps[] = {
      [PY_ADD] = PN_ADD,           [PY_SUB] = PN_SUB, [PY_MUL] = PN_MUL, [PY_TRUEDIV] = PN_TRUEDIV,
      [PY_FLOORDIV] = PN_FLOORDIV, [PY_MOD] = PN_MOD, [PY_POW] = PN_POW, [PY_MATMUL] = PN_MATMUL,
  };
  pn_value left, right;
  pn_value_init(&left);
  pn_value_init(&right);
  int rc = eval_node(ns, expr, n->a, &left, error);
  if (rc == 0) {
    rc = eval_node(ns, expr, n->b, &right, error);
  }
  if (rc == 0 && pn_value_binop(error, kOps[n->op], &left, &right, out) != 0) {
    rc = refuse_memory(error);
  }
  pn_value_clear(&left);
  pn_value_clear(&right);
  return rc;
}

/* print(args...): every argument first, then one line of their str()s. */
static int run_print(const pn_ipy_namespace *ns, const py_expr *expr, const py_node *call,
                     pn_strbuf *printed, py_error *error) {
  pn_strbuf line = PN_STRBUF_INIT;
  pn_value value;
  pn_value_init(&value);
  int rc = 0;
  for (int arg = call->b; rc == 0 && arg >= 0; arg = expr->nodes[arg].next) {
    if (arg != call->b && pn_strbuf_puts(&line, " ") != 0) {
      rc = py_raise(error, "MemoryError", "%s", "");
    } else if (eval_node(ns, expr, arg, &value, error) != 0 ||
               pn_print_value(&value, &line, error) != 0) {
      rc = error->type != NULL ? -1 : py_raise(error, "MemoryError", "%s", "");
    }
  }
  if (rc == 0 && (pn_strbuf_append(printed, line.data ? line.data : "", line.len) != 0 ||
                  pn_strbuf_puts(printed, "\n") != 0)) {
    rc = py_raise(error, "MemoryError", "%s", "");
  }
  pn_value_clear(&value);
  pn_strbuf_free(&line);
  return rc;
}

/* Assignments the subset leaves out: IPython's own history names. */
static int refused_target(const char *name, size_t len) {
  return (len <= 3 && strspn(name, "_") >= len) || history_number(name, len, "_") >= 0 ||
         history_number(name, len, "_i") >= 0 || compare_name(name, len, "_i") == 0 ||
         compare_name(name, len, "_ii") == 0 || compare_name(name, len, "_iii") == 0;
}

int pn_ipy_run(pn_ipy_namespace *ns, const py_stmt *stmt, pn_strbuf *printed, pn_value *out,
               int *has_value, py_error *error) {
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
  if (eval_node(ns, expr, expr->root, out, error) != 0) {
    return -1;
  }
  if (stmt->kind == PY_STMT_ASSIGN) {
    return pn_ipy_bind(ns, stmt->target, stmt->target_len, out) != 0
               ? py_raise(error, "MemoryError", "%s", "")
               : 0;
  }
  *has_value = 1;
  return 0;
}

int pn_ipy_record_output(pn_ipy_namespace *ns, int count, const pn_value *v) {
  output *grown = realloc(ns->outputs, (ns->output_count + 1) * sizeof *grown);
  if (grown == NULL) {
    return -1;
  }
  ns->outputs = grown;
  output *o = &ns->outputs[ns->output_count];
  o->count = count;
  pn_value_init(&o->value);
  pn_value_copy(&o->value, v);
  /* IPython's displayhook starts _, __ and ___ at '' and shifts them. */
  for (int i = 0; i < 3; i++) {
    if (ns->unders[i] == -2) {
      ns->unders[i] = -1;
    }
  }
  ns->unders[2] = ns->unders[1];
  ns->unders[1] = ns->unders[0];
  ns->unders[0] = (long)ns->output_count;
  ns->output_count++;
  return 0;
}

size_t pn_ipy_output_count(const pn_ipy_namespace *ns) {
  return ns->output_count;
}
