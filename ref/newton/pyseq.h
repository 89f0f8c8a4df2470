/*
 * Lists and tuples in Python 3.11's operators, above pyvalue.h's numbers:
 * concatenation and repetition (PyNumber_Add's sq_concat, PyNumber_Multiply's
 * sequence_repeat), and comparisons (list_richcompare, tuplerichcompare).
 * Every other operator on a sequence is pyvalue.h's TypeError.
 */
#ifndef PYNOTES_REF_NEWTON_PYSEQ_H_
#define PYNOTES_REF_NEWTON_PYSEQ_H_

#include "ref/newton/pyvalue.h"
#include "ref/py/error.h"

/* The most items a list or tuple may have here: a larger one, which CPython
 * builds (or fails to, by the machine's memory), is NotImplementedError. */
#define PN_SEQ_MAX_ITEMS ((size_t)1 << 16)

/* a OP b for any two values, as pn_value_binop but for + and * on lists
 * and tuples: CPython's result or exception (NotImplementedError for a
 * result beyond PN_SEQ_MAX_ITEMS). out must be neither a nor b. */
int pn_seq_binop(py_error *error, pn_binop op, const pn_value *a, const pn_value *b, pn_value *out);

/* The bool of a OP b for any two values, as pn_value_compare but comparing
 * lists and tuples item by item. Where CPython's answer would depend on
 * whether two items are the same object (two NaNs: list_richcompare takes
 * an object as equal to itself), NotImplementedError. */
int pn_seq_compare(py_error *error, pn_compare op, const pn_value *a, const pn_value *b,
                   int *truth);

#endif /* PYNOTES_REF_NEWTON_PYSEQ_H_ */
