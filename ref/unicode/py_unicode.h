/*
 * The bits of CPython's str that the C reference depends on (float() and its
 * error message, the reprs the orm note prints):
 * decoding a protocol line (UTF-8 with surrogateescape, as the adapter does),
 * Unicode whitespace and decimal digits (Unicode 14.0, CPython 3.11's), and
 * repr(str).
 */
#ifndef PYNOTES_REF_UNICODE_PY_UNICODE_H_
#define PYNOTES_REF_UNICODE_PY_UNICODE_H_

#include <stddef.h>
#include <stdint.h>

#include "ref/protocol/strbuf.h"

/* Decodes the code point at s[*i] (s has len bytes, *i < len) and advances
 * *i past it. A byte that does not start a well-formed UTF-8 sequence decodes
 * to the lone surrogate U+DC00 + byte, as Python's surrogateescape does. */
uint32_t pn_utf8_next(const char *s, size_t len, size_t *i);

/* Whether str.encode('utf-8') of the line s (len bytes, decoded as
 * pn_utf8_next does) fails: it does when s holds an escaped byte, a lone
 * surrogate, which strict UTF-8 refuses. Returns 0 when it would encode;
 * otherwise appends the UnicodeEncodeError's message to message and returns
 * 1, or -1 when memory runs out. CPython's encoder reports the first run of
 * consecutive surrogates: "'utf-8' codec can't encode character '\udcff' in
 * position 1: surrogates not allowed" for a run of one, "... characters in
 * position 0-2: ..." for longer runs; positions count code points. */
int pn_utf8_encode_error(pn_strbuf *message, const char *s, size_t len);

/* str.isspace() for one code point (Py_UNICODE_ISSPACE). */
int pn_unicode_is_space(uint32_t cp);

/* unicodedata.decimal(chr(cp), -1): 0..9, or -1. */
int pn_unicode_decimal(uint32_t cp);

/* str.isprintable() for one code point. */
int pn_unicode_is_printable(uint32_t cp);

/* Appends repr(str) of the line s (len bytes, decoded as pn_utf8_next does),
 * quotes and escapes as CPython writes them; non-printable characters as
 * \xHH, \uHHHH or \UHHHHHHHH. Returns 0 or -1 (out of memory). */
int pn_py_str_repr(pn_strbuf *out, const char *s, size_t len);

#endif /* PYNOTES_REF_UNICODE_PY_UNICODE_H_ */
