/*
 * Sequence operators after Objects/abstract.c, listobject.c and
 * tupleobject.c of CPython 3.11. A number operand tried first declines (its
 * nb_add or nb_multiply answers NotImplemented), so a sequence on either
 * side of * repeats and only the left operand of + concatenates.
 */
#include "ref/newton/pyseq.h"

#include <math.h>
#include <stdint.h>

#define OUTSIDE "outside the newton expression subset of pyref"

static int is_index(const pn_value *v) {
  return v->kind == PN_INT || v->kind == PN_BOOL;
}

/* A new sequence of kind with count items into out, or the refusal of one
 * too large. */
static pn_value *new_seq(py_error *error, pn_kind kind, size_t count, pn_value *out) {
  if (count > PN_SEQ_MAX_ITEMS) {
    py_raise(error, "NotImplementedError", "a %s of more than %zu items is " OUTSIDE,
             kind == PN_LIST ? "list" : "tuple", PN_SEQ_MAX_ITEMS);
    return NULL;
  }
  pn_value *items = pn_value_set_seq(out, kind, count);
  if (items == NULL) {
    py_raise(error, "MemoryError", "%s", "");
  }
  return items;
}

/* list_concat, tupleconcat: only a sequence of the same type is taken. */
static int concat(py_error *error, const pn_value *a, const pn_value *b, pn_value *out) {
  if (a->kind != b->kind) {
    return py_raise(error, "TypeError", "can only concatenate %s (not \"%s\") to %s",
                    pn_type_name(a), pn_type_name(b), pn_type_name(a));
  }
  size_t na = pn_seq_count(a), nb = pn_seq_count(b);
  pn_value *items = new_seq(error, a->kind, na + nb, out);
  if (items == NULL) {
    return -1;
  }
  for (size_t i = 0; i < na; i++) {
    pn_value_copy(&items[i], &pn_seq_items(a)[i]);
  }
  for (size_t i = 0; i < nb; i++) {
    pn_value_copy(&items[na + i], &pn_seq_items(b)[i]);
  }
  return 0;
}

/* sequence_repeat: the count must be an index that fits a Py_ssize_t;
 * list_repeat and tuplerepeat fail with MemoryError when the size
 * overflows one. */
static int repeat(py_error *error, const pn_value *seq, const pn_value *n, pn_value *out) {
  if (!is_index(n)) {
    return py_raise(error, "TypeError", "can't multiply sequence by non-int of type '%s'",
                    pn_type_name(n));
  }
  if (!mpz_fits_slong_p(n->big)) {
    return py_raise(error, "OverflowError", "cannot fit 'int' into an index-sized integer");
  }
  long count = mpz_get_si(n->big);
  size_t size = pn_seq_count(seq);
  if (count <= 0 || size == 0) {
    return new_seq(error, seq->kind, 0, out) == NULL ? -1 : 0;
  }
  if (size > (size_t)(INT64_MAX / count)) {
    return py_raise(error, "MemoryError", "%s", "");
  }
  pn_value *items = new_seq(error, seq->kind, size * (size_t)count, out);
  if (items == NULL) {
    return -1;
  }
  for (size_t i = 0; i < size * (size_t)count; i++) {
    pn_value_copy(&items[i], &pn_seq_items(seq)[i % size]);
  }
  return 0;
}

int pn_seq_binop(py_error *error, pn_binop op, const pn_value *a, const pn_value *b,
                 pn_value *out) {
  if (op == PN_ADD && pn_is_seq(a)) {
    return concat(error, a, b, out);
  }
  if (op == PN_MUL && pn_is_seq(a)) {
    return repeat(error, a, b, out);
  }
  if (op == PN_MUL && pn_is_seq(b)) {
    return repeat(error, b, a, out);
  }
  return pn_value_binop(error, op, a, b, out);
}

static int has_nan(const pn_value *v) {
  return (v->kind == PN_FLOAT || v->kind == PN_COMPLEX) && (isnan(v->re) || isnan(v->im));
}

/* PyObject_RichCompareBool(a, b, Py_EQ) on two items: an object equals
 * itself whatever its __eq__ says, which only a NaN shows. */
static int items_equal(py_error *error, const pn_value *a, const pn_value *b, int *equal) {
  if (a->kind == b->kind && has_nan(a) && has_nan(b)) {
    return py_raise(error, "NotImplementedError",
                    "comparing NaNs inside a sequence is " OUTSIDE
                    " (CPython takes an object as equal to itself)");
  }
  return pn_seq_compare(error, PN_EQ, a, b, equal);
}

int pn_seq_compare(py_error *error, pn_compare op, const pn_value *a, const pn_value *b,
                   int *truth) {
  static const char *const symbols[] = {"<", "<=", "==", "!=", ">", ">="};
  if (!pn_is_seq(a) && !pn_is_seq(b)) {
    return pn_value_compare(error, op, a, b, truth);
  }
  if (a->kind != b->kind) {
    /* Both sides answer NotImplemented: == and != fall back to identity. */
    if (op == PN_EQ || op == PN_NE) {
      *truth = op == PN_NE;
      return 0;
    }
    return py_raise(error, "TypeError", "'%s' not supported between instances of '%s' and '%s'",
                    symbols[op], pn_type_name(a), pn_type_name(b));
  }
  size_t na = pn_seq_count(a), nb = pn_seq_count(b);
  if (na != nb && (op == PN_EQ || op == PN_NE)) {
    *truth = op == PN_NE;
    return 0;
  }
  size_t i = 0;
  for (; i < na && i < nb; i++) {
    int equal;
    if (items_equal(error, &pn_seq_items(a)[i], &pn_seq_items(b)[i], &equal) != 0) {
      return -1;
    }
    if (!equal) {
      break;
    }
  }
  if (i >= na || i >= nb) {
    *truth = pn_compare_holds(op, (na > nb) - (na < nb));
    return 0;
  }
  if (op == PN_EQ || op == PN_NE) {
    *truth = op == PN_NE;
    return 0;
  }
  return pn_seq_compare(error, op, &pn_seq_items(a)[i], &pn_seq_items(b)[i], truth);
}
