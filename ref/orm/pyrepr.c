#include "ref/orm/pyrepr.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/floats/float_repr.h"
#include "ref/unicode/py_unicode.h"

int pn_orm_repr_str(pn_strbuf *out, const char *utf8, size_t len) {
  return pn_py_str_repr(out, utf8, len);
}

static int repr_float(pn_strbuf *out, double x) {
  char text[PN_FLOAT_REPR_MAX];
  int n = pn_float_repr(x, text);
  return pn_strbuf_append(out, text, (size_t)n);
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
