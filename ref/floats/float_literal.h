/*
 * Reading a float literal exactly as CPython 3.11 does: float(str) for the
 * decimal forms, inf and nan; float.fromhex(str) for the hex form. The result
 * is the correctly rounded double (round half to even, subnormals included);
 * a rejected line gets CPython's exception, written by pn_float_literal_error.
 */
#ifndef PYNOTES_REF_FLOATS_FLOAT_LITERAL_H_
#define PYNOTES_REF_FLOATS_FLOAT_LITERAL_H_

#include <stddef.h>

#include "ref/protocol/pyversion.h"
#include "ref/protocol/strbuf.h"

typedef enum pn_literal_status {
  PN_LITERAL_OK = 0,
  /* ValueError: could not convert string to float: REPR */
  PN_LITERAL_INVALID,
  /* The same for a line that is only whitespace: before 3.10 CPython wrote
   * the stripped text instead of the line's repr (pn_float_literal_error). */
  PN_LITERAL_BLANK,
  /* ValueError: invalid hexadecimal floating-point string */
  PN_LITERAL_HEX_INVALID,
  /* OverflowError: hexadecimal value too large to represent as a float */
  PN_LITERAL_HEX_OVERFLOW,
  /* UnicodeEncodeError: 'utf-8' codec can't encode character '\udcXX' in
   * position N: surrogates not allowed (a line that is not UTF-8, given to
   * fromhex, or to float() under 3.6) */
  PN_LITERAL_NOT_UTF8,
  /* Out of memory: no answer can be given. */
  PN_LITERAL_NO_MEMORY,
} pn_literal_status;

/*
 * float(s) as CPython 3.7 and later read it, for the protocol line s (len
 * bytes, decoded as UTF-8 with surrogateescape): Unicode whitespace around
 * it, ASCII digits or any Unicode decimal digits, underscores between
 * digits, `inf`, `infinity` and `nan` in any case with an optional sign.
 * Sets *value and returns PN_LITERAL_OK, or returns PN_LITERAL_INVALID,
 * PN_LITERAL_BLANK (or PN_LITERAL_NO_MEMORY). Overflow gives an infinity and
 * underflow a zero, as float() does.
 */
pn_literal_status pn_float_from_string(const char *s, size_t len, double *value);

/*
 * float.fromhex(s): `[ws][sign]([0x]hexdigits[.hexdigits][p[sign]digits] |
 * inf | nan ...)[ws]` with ASCII whitespace. Sets *value and returns
 * PN_LITERAL_OK, or one of the PN_LITERAL_HEX_* statuses in the order CPython
 * checks them (an overflow is reported before trailing garbage). Up to
 * CPython 3.8 (bpo-44954, fixed in 3.9.7), exactly 2^-1075 written with no
 * zero before its single digit 8 (0x.8p-1074, 0x8p-1078) rounds up to
 * 2^-1074 instead of to even: `python` says which rule applies.
 */
pn_literal_status pn_float_fromhex(const char *s, size_t len, pn_pyversion python, double *value);

/* Whether the protocol reads line s as the hex form: after ASCII whitespace
 * and one optional sign it starts with 0x or 0X. */
int pn_float_literal_is_hex(const char *s, size_t len);

/* The protocol's literal reader under CPython `python`: pn_float_fromhex for
 * the hex form, else float(), which in 3.6 first encodes the line as UTF-8
 * (PN_LITERAL_NOT_UTF8 for a line that is not) and from 3.7 on is
 * pn_float_from_string. */
pn_literal_status pn_float_parse_literal(const char *s, size_t len, pn_pyversion python,
                                         double *value);

/* Appends the exception line CPython `python` raises for a failed status
 * about line s. Returns 0, or -1 when memory runs out (or for
 * PN_LITERAL_NO_MEMORY and PN_LITERAL_OK). */
int pn_float_literal_error(pn_strbuf *out, pn_literal_status status, const char *s, size_t len,
                           pn_pyversion python);

#endif /* PYNOTES_REF_FLOATS_FLOAT_LITERAL_H_ */
