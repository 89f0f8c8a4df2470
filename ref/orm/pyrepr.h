/*
 * Python's repr() of the values the orm note prints, as C text: str (from
 * UTF-8), int, None, float and bytes, tuples of them, and SQLAlchemy's
 * truncation of long reprs in its logs and error messages.
 */
#ifndef PYNOTES_REF_ORM_PYREPR_H_
#define PYNOTES_REF_ORM_PYREPR_H_

#include <stddef.h>
#include <stdint.h>

#include "ref/protocol/strbuf.h"

/* A value as Python's sqlite3 module hands it over. */
typedef enum pn_orm_kind {
  PN_ORM_NULL,
  PN_ORM_INT,
  PN_ORM_FLOAT,
  PN_ORM_TEXT,
  PN_ORM_BLOB,
} pn_orm_kind;

typedef struct pn_orm_value {
  pn_orm_kind kind;
  int borrowed; /* bytes belong to an arena (the loading session's), not to the value */
  int64_t integer;
  double real;
  char *bytes; /* TEXT (UTF-8) or BLOB, NUL-terminated; len excludes the NUL */
  size_t len;
} pn_orm_value;

/* Appends repr() of a str given as UTF-8 (len bytes; bytes that are not
 * UTF-8 stand for lone surrogates, as the adapter's surrogateescape reads
 * them). Returns 0 or -1 (out of memory). */
int pn_orm_repr_str(pn_strbuf *out, const char *utf8, size_t len);

/* Appends repr() of value: None, an int, a float, a str or a bytes. Returns 0
 * or -1. */
int pn_orm_repr_value(pn_strbuf *out, const pn_orm_value *value);

/* Appends repr() of the tuple of n values: `(1,)`, `(1, 'a')`, `()`.
 * max_chars > 0 truncates each element's repr as SQLAlchemy's _repr_params
 * does (sql/util.py _repr_base.trunc): a repr longer than max_chars code
 * points keeps its first and last max_chars/2 with
 * ` ... (N characters truncated) ... ` between. Returns 0 or -1. */
int pn_orm_repr_tuple(pn_strbuf *out, const pn_orm_value *values, size_t n, size_t max_chars);

#endif /* PYNOTES_REF_ORM_PYREPR_H_ */
