/*
 * String literals and eval's source as CPython reads them: the UTF-8 check
 * builtin eval makes of a str source (its UnicodeEncodeError, and its
 * error for a NUL byte), and the decoding of a string literal's body
 * (Parser/string_parser.c and the unicode-escape codec of
 * Objects/unicodeobject.c) with CPython's SyntaxError for a bad escape. The
 * messages are ref/py/syntax_messages.h's, without a location.
 */
#ifndef PYNOTES_REF_PY_LITERAL_H_
#define PYNOTES_REF_PY_LITERAL_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ref/py/error.h"
#include "ref/py/tokenize.h"

/* Whether p[0..n), eval's source after its leading blanks, is what eval of
 * a str compiles: 0; or -1 with UnicodeEncodeError for bytes that are not
 * UTF-8 (read as lone surrogates), then for a NUL byte CPython 3.`minor`'s
 * error (ValueError up to 3.11, a SyntaxError without location from 3.12). */
int py_check_source(const unsigned char *p, size_t n, int minor, py_error *error);

/* The most decimal digits an int literal may have under a limited version. */
#define PY_INT_MAX_STR_DIGITS 4300

/* Whether CPython 3.`minor` refuses decimal int literals of more than
 * PY_INT_MAX_STR_DIGITS digits (sys.get_int_max_str_digits: 3.11 and the
 * 2022 security releases of 3.7 to 3.10, the ones recorded); 3.6 reads any
 * length. */
bool py_int_digits_limited(int minor);

/* The code points of a str literal's body (t a PY_T_STRING read without a
 * subset, not bytes; its source valid UTF-8) into out (room for body_len of
 * them), their count in *out_len. Returns 0; or -1 with a bad escape's
 * SyntaxError, or NotImplementedError for \N{...}, which needs Unicode's
 * name table. */
int py_decode_str(const py_token *t, uint32_t *out, size_t *out_len, py_error *error);

/* The bytes of a bytes literal's body into out (room for body_len), their
 * count in *out_len. Returns 0; or -1 with the SyntaxError of a non-ASCII
 * character or a bad \x escape. */
int py_decode_bytes(const py_token *t, char *out, size_t *out_len, py_error *error);

#endif /* PYNOTES_REF_PY_LITERAL_H_ */
