/* String literals' bodies and eval's source as CPython reads them (literal.h). */
#include "ref/py/literal.h"

#include <string.h>

#include "ref/py/syntax_messages.h"
#include "ref/unicode/py_unicode.h"

static int is_digit(int c) {
  return c >= '0' && c <= '9';
}

static int is_hex(int c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* eval encodes its str source to UTF-8 first: bytes that were not UTF-8
 * (read as lone surrogates) fail there, as str.encode reports them. */
int py_check_source(const unsigned char *p, size_t n, int minor, py_error *error) {
  pn_strbuf message = PN_STRBUF_INIT;
  int encode = pn_utf8_encode_error(&message, (const char *)p, n);
  if (encode != 0) {
    if (encode > 0) {
      py_raise(error, "UnicodeEncodeError", "%s", message.data);
    } else {
      py_raise(error, "MemoryError", "%s", "");
    }
    pn_strbuf_free(&message);
    return -1;
  }
  if (memchr(p, 0, n) != NULL) {
    /* From 3.12 builtin eval raises it as a SyntaxError, without location. */
    return py_raise(error, minor >= 12 ? "SyntaxError" : "ValueError", "%s", PY_SOURCE_NULL_BYTES);
  }
  return 0;
}

/* ---- literal decoding (Parser/string_parser.c, Objects/unicodeobject.c) ---- */

static int hex_value(int c) {
  return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* The code points of a str literal's body. Non-raw bodies go through the
 * unicode-escape codec after each non-ASCII character is rewritten as
 * \UXXXXXXXX, which is why error positions count 10 bytes per such
 * character. */
int py_decode_str(const py_token *t, uint32_t *out, size_t *out_len, py_error *error) {
  const unsigned char *p = (const unsigned char *)t->body;
  size_t n = t->body_len;
  size_t count = 0;
  size_t position = 0; /* in the rewritten bytes */
  for (size_t i = 0; i < n;) {
    uint32_t c;
    size_t len = py_utf8_decode(p + i, n - i, &c);
    if (len == 0) { /* checked before tokenizing */
      len = 1;
      c = p[i];
    }
    if (c != '\\' || t->raw) {
      out[count++] = c;
      i += len;
      position += c >= 0x80 ? 10 : 1;
      continue;
    }
    size_t start = position;
    int e = i + 1 < n ? p[i + 1] : -1;
    i += 2;
    position += 2;
    switch (e) {
      case '\\':
      case '\'':
      case '"':
        out[count++] = (uint32_t)e;
        continue;
      case 'a':
        out[count++] = 7;
        continue;
      case 'b':
        out[count++] = 8;
        continue;
      case 'f':
        out[count++] = 12;
        continue;
      case 'n':
        out[count++] = 10;
        continue;
      case 'r':
        out[count++] = 13;
        continue;
      case 't':
        out[count++] = 9;
        continue;
      case 'v':
        out[count++] = 11;
        continue;
      default:
        break;
    }
    if (e >= '0' && e <= '7') {
      uint32_t value = (uint32_t)(e - '0');
      for (int k = 0; k < 2 && i < n && p[i] >= '0' && p[i] <= '7'; k++, i++, position++) {
        value = value * 8 + (uint32_t)(p[i] - '0');
      }
      out[count++] = value;
      continue;
    }
    if (e == 'x' || e == 'u' || e == 'U') {
      int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      uint32_t value = 0;
      int k = 0;
      for (; k < digits && i < n && is_hex(p[i]); k++, i++, position++) {
        value = value * 16 + (uint32_t)hex_value(p[i]);
      }
      if (k < digits) {
        const char *what = e == 'x' ? "\\xXX" : e == 'u' ? "\\uXXXX" : "\\UXXXXXXXX";
        return py_raise(error, "SyntaxError", PY_SYNTAX_TRUNCATED_ESCAPE, start, position - 1,
                        what);
      }
      if (value > 0x10FFFF) {
        return py_raise(error, "SyntaxError", PY_SYNTAX_ILLEGAL_UNICODE, start, position - 1);
      }
      out[count++] = value;
      continue;
    }
    if (e == 'N') {
      /* Needs Unicode's name database, which the reference does not carry. */
      return py_raise(error, "NotImplementedError", "\\N{...} escapes are not modelled");
    }
    /* An unknown escape keeps its backslash (a DeprecationWarning only). */
    out[count++] = '\\';
    if (e >= 0) {
      i -= 1;
      position -= 1;
    }
  }
  *out_len = count;
  return 0;
}

int py_decode_bytes(const py_token *t, char *out, size_t *out_len, py_error *error) {
  const unsigned char *p = (const unsigned char *)t->body;
  size_t n = t->body_len;
  for (size_t i = 0; i < n; i++) {
    if (p[i] >= 0x80) {
      return py_raise(error, "SyntaxError", "%s", PY_SYNTAX_BYTES_ASCII);
    }
  }
  size_t count = 0;
  for (size_t i = 0; i < n;) {
    if (p[i] != '\\' || t->raw) {
      out[count++] = (char)p[i++];
      continue;
    }
    size_t start = i;
    int e = i + 1 < n ? p[i + 1] : -1;
    i += 2;
    if (e == 'x') {
      if (i + 1 < n + 0 && is_hex(p[i]) && is_hex(p[i + 1])) {
        out[count++] = (char)(hex_value(p[i]) * 16 + hex_value(p[i + 1]));
        i += 2;
        continue;
      }
      return py_raise(error, "SyntaxError", PY_SYNTAX_BAD_X_ESCAPE, start);
    }
    if (e >= '0' && e <= '7') {
      unsigned value = (unsigned)(e - '0');
      for (int k = 0; k < 2 && i < n && p[i] >= '0' && p[i] <= '7'; k++, i++) {
        value = value * 8 + (unsigned)(p[i] - '0');
      }
      out[count++] = (char)(value & 0xFF);
      continue;
    }
    const char *simple = strchr("\\\\''\"\"a\ab\bf\fn\nr\rt\tv\v", e > 0 ? e : 1);
    if (e > 0 && simple != NULL && (simple - "\\\\''\"\"a\ab\bf\fn\nr\rt\tv\v") % 2 == 0) {
      out[count++] = simple[1];
      continue;
    }
    out[count++] = '\\';
    if (e >= 0) {
      i -= 1;
    }
  }
  *out_len = count;
  return 0;
}

bool py_int_digits_limited(int minor) {
  return minor >= 7;
}
