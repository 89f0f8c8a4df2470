/* The forms the getsizeof command evaluates (sizeof_forms.h). */
#include "ref/sizeof/sizeof_forms.h"

#include <stddef.h>
#include <string.h>

static const char *const kNamespace[] = {"list",      "tuple", "set",   "frozenset", "dict",
                                         "bytearray", "float", "range", "slice",     NULL};

static bool is_name(const pn_node *n, const char *name) {
  return n->kind == PN_NODE_NAME && strcmp(n->text, name) == 0;
}

static bool is_number_node(const pn_node *n) {
  return n->kind == PN_NODE_INT || n->kind == PN_NODE_FLOAT || n->kind == PN_NODE_IMAG;
}

bool pn_sizeof_is_signed(const pn_node *n) {
  return n->kind == PN_NODE_UNARY && (n->op == '-' || n->op == '+');
}

bool pn_sizeof_is_int_literal(const pn_node *n) {
  return n->kind == PN_NODE_INT || (pn_sizeof_is_signed(n) && n->child[0]->kind == PN_NODE_INT);
}

bool pn_sizeof_is_call_of(const pn_node *n, const char *name) {
  return n->kind == PN_NODE_CALL && is_name(n->child[0], name) && !n->has_keywords;
}

bool pn_node_is_literal(const pn_node *node) {
  switch (node->kind) {
    case PN_NODE_INT:
    case PN_NODE_FLOAT:
    case PN_NODE_IMAG:
    case PN_NODE_STR:
    case PN_NODE_BYTES:
    case PN_NODE_TRUE:
    case PN_NODE_FALSE:
    case PN_NODE_NONE:
      return true;
    default:
      return false;
  }
}

bool pn_node_is_constant(const pn_node *node) {
  if (pn_node_is_literal(node)) {
    return true;
  }
  switch (node->kind) {
    case PN_NODE_UNARY:
      return pn_node_is_constant(node->child[0]);
    case PN_NODE_BINARY:
      return node->op != '*' && pn_node_is_constant(node->child[0]) &&
             pn_node_is_constant(node->child[1]);
    case PN_NODE_TUPLE:
      if (node->has_starred) {
        return false;
      }
      for (size_t i = 0; i < node->count; i++) {
        if (!pn_node_is_constant(node->child[i])) {
          return false;
        }
      }
      return true;
    default:
      return false;
  }
}

static bool supported_range(const pn_node *n) {
  if (!pn_sizeof_is_call_of(n, "range") || n->has_starred) {
    return false;
  }
  for (size_t i = 1; i < n->count; i++) {
    if (!pn_sizeof_supported(n->child[i])) {
      return false;
    }
  }
  return true;
}

static bool supported_comprehension(const pn_node *n, size_t target_at) {
  return n->simple_comprehension && n->child[target_at]->kind == PN_NODE_NAME &&
         supported_range(n->child[target_at + 1]);
}

static bool supported_call(const pn_node *n) {
  if (n->has_keywords) {
    return false;
  }
  const pn_node *callee = n->child[0];
  size_t nargs = n->count - 1;
  const pn_node *arg = nargs > 0 ? n->child[1] : NULL;
  if (callee->kind == PN_NODE_ATTRIBUTE && is_name(callee->child[0], "dict") &&
      strcmp(callee->text, "fromkeys") == 0 && nargs == 1 && !n->has_starred) {
    return supported_range(arg);
  }
  if (callee->kind != PN_NODE_NAME || n->has_starred) {
    return false;
  }
  const char *name = callee->text;
  if ((strcmp(name, "list") == 0 || strcmp(name, "tuple") == 0 || strcmp(name, "set") == 0 ||
       strcmp(name, "frozenset") == 0) &&
      nargs <= 1) {
    if (arg == NULL) {
      return true;
    }
    if (!pn_sizeof_is_call_of(arg, "range") && arg->kind != PN_NODE_LIST &&
        arg->kind != PN_NODE_TUPLE && arg->kind != PN_NODE_SET) {
      return false;
    }
    return pn_sizeof_supported(arg);
  }
  if (strcmp(name, "bytearray") == 0) {
    return nargs == 0 ||
           (nargs == 1 && (arg->kind == PN_NODE_BYTES || pn_sizeof_is_int_literal(arg)));
  }
  if (strcmp(name, "float") == 0) {
    return nargs == 1 && arg->kind == PN_NODE_STR;
  }
  if (strcmp(name, "range") == 0 || (strcmp(name, "slice") == 0 && nargs == 2)) {
    for (size_t i = 1; i < n->count; i++) {
      if (!pn_sizeof_supported(n->child[i])) {
        return false;
      }
    }
    return true;
  }
  return false;
}

bool pn_sizeof_supported(const pn_node *n) {
  if (pn_node_is_literal(n)) {
    return true;
  }
  switch (n->kind) {
    case PN_NODE_NAME:
      /* A constructor is allowed only when called; other names raise
       * NameError when evaluated. */
      for (const char *const *name = kNamespace; *name != NULL; name++) {
        if (strcmp(n->text, *name) == 0) {
          return false;
        }
      }
      return true;
    case PN_NODE_UNARY:
      return pn_sizeof_is_signed(n) && is_number_node(n->child[0]);
    case PN_NODE_BINARY:
      if (n->op == '+' || n->op == '-') {
        /* A complex literal as repr writes it: (1+2j), (-1-2j). */
        const pn_node *left = n->child[0];
        bool left_ok =
            is_number_node(left) || (pn_sizeof_is_signed(left) && is_number_node(left->child[0]));
        return left_ok && n->child[1]->kind == PN_NODE_IMAG;
      }
      if (n->op == '*') {
        return n->child[0]->kind == PN_NODE_LIST && pn_sizeof_is_int_literal(n->child[1]) &&
               pn_sizeof_supported(n->child[0]);
      }
      return false;
    case PN_NODE_TUPLE:
    case PN_NODE_LIST:
    case PN_NODE_SET:
      if (n->has_starred) {
        return false;
      }
      for (size_t i = 0; i < n->count; i++) {
        if (!pn_sizeof_supported(n->child[i])) {
          return false;
        }
      }
      return true;
    case PN_NODE_DICT:
      for (size_t i = 0; i < n->count; i++) {
        if (n->child[i] == NULL || !pn_sizeof_supported(n->child[i])) {
          return false;
        }
      }
      return true;
    case PN_NODE_LISTCOMP:
      return supported_comprehension(n, 1) && is_name(n->child[0], n->child[1]->text);
    case PN_NODE_DICTCOMP:
      return supported_comprehension(n, 2) && is_name(n->child[0], n->child[2]->text) &&
             is_name(n->child[1], n->child[2]->text);
    case PN_NODE_CALL:
      return supported_call(n);
    default:
      return false;
  }
}
