/*
 * The values a Newton expression can produce, with Python 3.11's arithmetic:
 * bool, int (arbitrary precision, GMP), float, complex, lists and tuples
 * of values (their operators are pyseq.h's), and the few non-numbers an
 * expression can name (None, the math module, a builtin function), which
 * take part only in errors and identity.
 *
 * Every operation reports Python's exception through a py_error and returns
 * -1, or 0 with the result in an initialised `out`. Ints are bounded at
 * PN_INT_MAX_BITS bits: an operation whose result would be larger raises
 * MemoryError instead of running for minutes, where CPython would compute it.
 */
#ifndef PYNOTES_REF_NEWTON_PYVALUE_H_
#define PYNOTES_REF_NEWTON_PYVALUE_H_

#include <gmp.h>

#include "ref/py/error.h"
#include "ref/py/parse.h"

#define PN_INT_MAX_BITS (1L << 23)

typedef enum pn_kind {
  PN_NONE,
  PN_BOOL, /* big holds 0 or 1 */
  PN_INT,
  PN_FLOAT,
  PN_COMPLEX,
  PN_MODULE,  /* the math module */
  PN_BUILTIN, /* a builtin or math function: `builtin` says which */
  PN_LIST,    /* seq holds the items */
  PN_TUPLE,   /* seq holds the items */
} pn_kind;

/* A list's or tuple's items. Nothing in the subset mutates a list, so
 * values share their items, counting references. */
typedef struct pn_seq pn_seq;

typedef struct pn_value {
  pn_kind kind;
  mpz_t big; /* initialised for every value; used by PN_BOOL and PN_INT */
  double re; /* PN_FLOAT, and PN_COMPLEX's real part */
  double im; /* PN_COMPLEX's imaginary part */
  int builtin;
  pn_seq *seq; /* PN_LIST and PN_TUPLE; NULL or shared otherwise */
} pn_value;

typedef enum pn_binop {
  PN_ADD,
  PN_SUB,
  PN_MUL,
  PN_TRUEDIV,
  PN_FLOORDIV,
  PN_MOD,
  PN_POW,
  PN_POW_BUILTIN, /* pow(a, b): as ** but with pow()'s words in errors */
  PN_MATMUL,
} pn_binop;

typedef enum pn_compare { PN_LT, PN_LE, PN_EQ, PN_NE, PN_GT, PN_GE } pn_compare;

/* Whether `op` holds between two values whose comparison gives sign (<0, 0,
 * >0), as for numbers and for sequences' first differing items or lengths. */
int pn_compare_holds(pn_compare op, int sign);

typedef enum pn_unop { PN_NEG, PN_POS, PN_INVERT } pn_unop;

/* Makes v a None value; every value must be initialised once and cleared once. */
void pn_value_init(pn_value *v);
void pn_value_clear(pn_value *v);
void pn_value_copy(pn_value *to, const pn_value *from);
void pn_value_set_float(pn_value *v, double x);
void pn_value_set_complex(pn_value *v, double re, double im);
void pn_value_set_bool(pn_value *v, int truth);

/* Makes v (initialised) a list or tuple (kind) of count items, each None,
 * and returns them for the caller to set; NULL when memory ran out (v is
 * then unchanged). */
pn_value *pn_value_set_seq(pn_value *v, pn_kind kind, size_t count);

/* The items of a PN_LIST or PN_TUPLE value, and their number. */
const pn_value *pn_seq_items(const pn_value *v);
size_t pn_seq_count(const pn_value *v);

/* Whether v is a list or a tuple. */
int pn_is_seq(const pn_value *v);

/* Python's type name: 'int', 'float', 'NoneType', 'builtin_function_or_method'. */
const char *pn_type_name(const pn_value *v);

/* float(v) for a bool, int or float: the nearest double, ties to even;
 * OverflowError `int too large to convert to float` when it is out of range. */
int pn_to_double(py_error *error, const pn_value *v, double *out);

/* a OP b for numbers; for a list or tuple, the TypeError of an operator
 * sequences do not define (pyseq.h's pn_seq_binop defines + and *). */
int pn_value_binop(py_error *error, pn_binop op, const pn_value *a, const pn_value *b,
                   pn_value *out);

/* The bool of a OP b (Python compares ints and floats exactly); a list or
 * tuple is NotImplementedError here (pyseq.h's pn_seq_compare compares them). */
int pn_value_compare(py_error *error, pn_compare op, const pn_value *a, const pn_value *b,
                     int *truth);

/* -v, +v, ~v. */
int pn_value_unop(py_error *error, pn_unop op, const pn_value *v, pn_value *out);

/* bool(v). */
int pn_value_truth(const pn_value *v);

/* abs(v). */
int pn_value_abs(py_error *error, const pn_value *v, pn_value *out);

/* pow(base, exp, mod) with three ints. */
int pn_value_powmod(py_error *error, const pn_value *base, const pn_value *exp, const pn_value *mod,
                    pn_value *out);

/* Sets v to the int nearest to the finite double x (truncated toward zero),
 * or raises CPython's error for inf and nan. */
int pn_value_int_from_double(py_error *error, double x, pn_value *v);

/* frexp of a positive int z: *m in [0.5, 1), rounded to nearest even, with
 * z close to *m * 2^*e (as CPython's _PyLong_Frexp). */
void pn_int_frexp(const mpz_t z, double *m, long *e);

/* Sets out (initialised) to the value of a number literal node (PY_NODE_INT,
 * PY_NODE_FLOAT or PY_NODE_IMAG): CPython's SyntaxError for a decimal int
 * of more than 4300 digits, MemoryError for a prefixed one beyond
 * PN_INT_MAX_BITS. Returns 0 or -1. */
int pn_value_from_literal(py_error *error, const py_node *n, pn_value *out);

#endif /* PYNOTES_REF_NEWTON_PYVALUE_H_ */
