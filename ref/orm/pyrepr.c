#include "ref/orm/pyrepr.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/orm/unicode_printable.h"

/* Decodes one UTF-8 sequence at s (n > 0 bytes left); sets *used. Invalid
 * input decodes to U+FFFD, one byte at a time. */
static uint32_t decode_utf8(const unsigned char *s, size_t n, size_t *used) {
  uint32_t c = s[0];
  size_t need = c < 0x80             ? 0
                : (c & 0xe0) == 0xc0 ? 1
                : (c & 0xf0) == 0xe0 ? 2
                : (c & 0xf8) == 0xf0 ? 3
                                     : 4;
  static const uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  *used = 1;
  if (need == 0) {
    return c;
  }
  if (need == 4 || need >= n) {
    return 0xfffd;
  }
  c &= 0x3f >> need;
  for (size_t i = 1; i <= need; i++) {
    if ((s[i] & 0xc0) != 0x80) {
      return 0xfffd;
    }
    c = (c << 6) | (s[i] & 0x3f);
  }
  if (c < kMin[need] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
    return 0xfffd;
  }
  *used = need + 1;
  return c;
}

static int is_printable(uint32_t c) {
  size_t lo = 0, hi = pn_orm_printable_edge_count;
  while (lo < hi) { /* the number of edges <= c */
    size_t mid = lo + (hi - lo) / 2;
    if (pn_orm_printable_edges[mid] <= c) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo % 2 == 1;
}

int pn_orm_repr_str(pn_strbuf *out, const char *utf8, size_t len) {
  const unsigned char *s = (const unsigned char *)utf8;
  /* CPython's unicode_repr: single quotes unless the text has ' and no ". */
  int has_single = memchr(utf8, '\'', len) != NULL;
  int has_double = memchr(utf8, '"', len) != NULL;
  char quote = has_single && !has_double ? '"' : '\'';
  if (pn_strbuf_append(out, &quote, 1) != 0) {
    return -1;
  }
  size_t i = 0;
  while (i < len) {
    size_t used;
    uint32_t c = decode_utf8(s + i, len - i, &used);
    int rc;
    if (c == (uint32_t)quote || c == '\\') {
      rc = pn_strbuf_printf(out, "\\%c", (char)c);
    } else if (c == '\t') {
      rc = pn_strbuf_puts(out, "\\t");
    } else if (c == '\n') {
      rc = pn_strbuf_puts(out, "\\n");
    } else if (c == '\r') {
      rc = pn_strbuf_puts(out, "\\r");
    } else if (c < 0x20 || c == 0x7f) {
      rc = pn_strbuf_printf(out, "\\x%02x", (unsigned)c);
    } else if (c < 0x7f) {
      rc = pn_strbuf_append(out, utf8 + i, 1);
    } else if (is_printable(c)) {
      rc = c == 0xfffd && used == 1 ? pn_strbuf_puts(out, "\xef\xbf\xbd")
                                    : pn_strbuf_append(out, utf8 + i, used);
    } else if (c <= 0xff) {
      rc = pn_strbuf_printf(out, "\\x%02x", (unsigned)c);
    } else if (c <= 0xffff) {
      rc = pn_strbuf_printf(out, "\\u%04x", (unsigned)c);
    } else {
      rc = pn_strbuf_printf(out, "\\U%08x", (unsigned)c);
    }
    if (rc != 0) {
      return -1;
    }
    i += used;
  }
  return pn_strbuf_append(out, &quote, 1);
}

/* repr(float): the fewest significant digits that read back to the same
 * double, written as Python's float_repr_style 'short' does: positional for
 * decimal exponents -4 to 15, else d.ddde+XX. */
static int repr_float(pn_strbuf *out, double x) {
  if (x != x) {
    return pn_strbuf_puts(out, "nan");
  }
  if (x == 1.0 / 0.0 || x == -1.0 / 0.0) {
    return pn_strbuf_puts(out, x > 0 ? "inf" : "-inf");
  }
  char text[40];
  for (int precision = 1; precision <= 17; precision++) {
    snprintf(text, sizeof text, "%.*e", precision - 1, x);
    if (strtod(text, NULL) == x) {
      break;
    }
  }
  /* text is [-]d[.ddd]e[+-]XX: split into sign, digits and exponent. */
  const char *p = text;
  const char *sign = "";
  if (*p == '-') {
    sign = "-";
    p++;
  }
  char digits[20];
  size_t n = 0;
  for (; *p != 'e'; p++) {
    if (*p != '.') {
      digits[n++] = *p;
    }
  }
  digits[n] = 0;
  int exponent = atoi(p + 1);
  if (exponent < -4 || exponent >= 16) {
    return pn_strbuf_printf(out, "%s%c%s%se%c%02d", sign, digits[0], n > 1 ? "." : "", digits + 1,
                            exponent < 0 ? '-' : '+', abs(exponent));
  }
  if (pn_strbuf_puts(out, sign) != 0) {
    return -1;
  }
  if (exponent < 0) {
    return pn_strbuf_printf(out, "0.%.*s%s", -exponent - 1, "0000", digits);
  }
  size_t whole = (size_t)exponent + 1;
  for (size_t i = 0; i < whole; i++) {
    if (pn_strbuf_append(out, i < n ? &digits[i] : "0", 1) != 0) {
      return -1;
    }
  }
  return pn_strbuf_printf(out, ".%s", n > whole ? digits + whole : "0");
}

static int repr_bytes(pn_strbuf *out, const unsigned char *b, size_t len) {
  int has_single = memchr(b, '\'', len) != NULL;
  int has_double = memchr(b, '"', len) != NULL;
  char quote = has_single && !has_double ? '"' : '\'';
  if (pn_strbuf_printf(out, "b%c", quote) != 0) {
    return -1;
  }
  for (size_t i = 0; i < len; i++) {
    unsigned c = b[i];
    int rc = c == (unsigned)quote || c == '\\' ? pn_strbuf_printf(out, "\\%c", (char)c)
             : c == '\t'                       ? pn_strbuf_puts(out, "\\t")
             : c == '\n'                       ? pn_strbuf_puts(out, "\\n")
             : c == '\r'                       ? pn_strbuf_puts(out, "\\r")
             : c < 0x20 || c >= 0x7f           ? pn_strbuf_printf(out, "\\x%02x", c)
                                               : pn_strbuf_append(out, (const char *)b + i, 1);
    if (rc != 0) {
      return -1;
    }
  }
  return pn_strbuf_append(out, &quote, 1);
}

int pn_orm_repr_value(pn_strbuf *out, const pn_orm_value *value) {
  switch (value->kind) {
    case PN_ORM_NULL:
      return pn_strbuf_puts(out, "None");
    case PN_ORM_INT:
      return pn_strbuf_printf(out, "%" PRId64, value->integer);
    case PN_ORM_FLOAT:
      return repr_float(out, value->real);
    case PN_ORM_TEXT:
      return pn_orm_repr_str(out, value->bytes, value->len);
    case PN_ORM_BLOB:
      return repr_bytes(out, (const unsigned char *)value->bytes, value->len);
  }
  return -1;
}

/* Where the code point number `count` starts in text (or len). */
static size_t offset_of_char(const char *text, size_t len, size_t count) {
  size_t i = 0;
  while (i < len && count > 0) {
    i++;
    while (i < len && ((unsigned char)text[i] & 0xc0) == 0x80) {
      i++;
    }
    count--;
  }
  return i;
}

static size_t count_chars(const char *text, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    n += ((unsigned char)text[i] & 0xc0) != 0x80;
  }
  return n;
}

/* Appends repr(value), truncated as SQLAlchemy's _repr_base.trunc does. */
static int repr_truncated(pn_strbuf *out, const pn_orm_value *value, size_t max_chars) {
  size_t start = out->len;
  if (pn_orm_repr_value(out, value) != 0) {
    return -1;
  }
  size_t len = out->len - start;
  size_t chars = count_chars(out->data + start, len);
  if (max_chars == 0 || chars <= max_chars) {
    return 0;
  }
  size_t keep = max_chars / 2;
  char *rep = malloc(len);
  if (rep == NULL) {
    return -1;
  }
  memcpy(rep, out->data + start, len);
  out->len = start;
  size_t head = offset_of_char(rep, len, keep);
  size_t tail = offset_of_char(rep, len, chars - keep);
  int rc = pn_strbuf_append(out, rep, head) ||
           pn_strbuf_printf(out, " ... (%zu characters truncated) ... ", chars - max_chars) ||
           pn_strbuf_append(out, rep + tail, len - tail);
  free(rep);
  return rc ? -1 : 0;
}

int pn_orm_repr_tuple(pn_strbuf *out, const pn_orm_value *values, size_t n, size_t max_chars) {
  if (pn_strbuf_puts(out, "(") != 0) {
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    if ((i > 0 && pn_strbuf_puts(out, ", ") != 0) ||
        repr_truncated(out, &values[i], max_chars) != 0) {
      return -1;
    }
  }
  return pn_strbuf_puts(out, n == 1 ? ",)" : ")");
}
