#include "ref/unicode/py_unicode.h"

#include "ref/unicode/unicode_tables.h"

static int is_continuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

uint32_t pn_utf8_next(const char *s, size_t len, size_t *i) {
  const unsigned char *u = (const unsigned char *)s + *i;
  size_t left = len - *i;
  unsigned char b0 = u[0];
  if (b0 < 0x80) {
    *i += 1;
    return b0;
  }
  /* Well-formed sequences per RFC 3629 (the Unicode standard's table 3-7):
   * no overlong forms, no encoded surrogates, nothing above U+10FFFF. */
  if (b0 >= 0xC2 && b0 <= 0xDF && left >= 2 && is_continuation(u[1])) {
    *i += 2;
    return (uint32_t)(b0 & 0x1F) << 6 | (u[1] & 0x3F);
  }
  if (b0 >= 0xE0 && b0 <= 0xEF && left >= 3 && is_continuation(u[1]) && is_continuation(u[2])) {
    uint32_t cp = (uint32_t)(b0 & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
      *i += 3;
      return cp;
    }
  }
  if (b0 >= 0xF0 && b0 <= 0xF4 && left >= 4 && is_continuation(u[1]) && is_continuation(u[2]) &&
      is_continuation(u[3])) {
    uint32_t cp = (uint32_t)(b0 & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
                  (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
    if (cp >= 0x10000 && cp <= 0x10FFFF) {
      *i += 4;
      return cp;
    }
  }
  /* Each byte of a malformed sequence is escaped on its own: the bytes after
   * a bad lead byte are continuation bytes, which never start a sequence. */
  *i += 1;
  return 0xDC00 + b0;
}

static int is_escaped_byte(uint32_t cp) {
  /* Well-formed UTF-8 never encodes a surrogate: this one is an escape. */
  return cp >= 0xDC80 && cp <= 0xDCFF;
}

int pn_utf8_encode_error(pn_strbuf *message, const char *s, size_t len) {
  size_t i = 0, position = 0;
  while (i < len) {
    uint32_t cp = pn_utf8_next(s, len, &i);
    if (!is_escaped_byte(cp)) {
      position++;
      continue;
    }
    /* Objects/unicodeobject.c's UTF-8 encoder: the error spans every
     * surrogate that follows the first one. */
    size_t end = position + 1;
    size_t next = i;
    while (next < len) {
      size_t after = next;
      if (!is_escaped_byte(pn_utf8_next(s, len, &after))) {
        break;
      }
      next = after;
      end++;
    }
    int rc = end == position + 1
                 ? pn_strbuf_printf(message,
                                    "'utf-8' codec can't encode character '\\u%04x' in position "
                                    "%zu: surrogates not allowed",
                                    (unsigned)cp, position)
                 : pn_strbuf_printf(message,
                                    "'utf-8' codec can't encode characters in position %zu-%zu: "
                                    "surrogates not allowed",
                                    position, end - 1);
    return rc == 0 ? 1 : -1;
  }
  return 0;
}

int pn_unicode_is_space(uint32_t cp) {
  if (cp < 0x80) {
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
  }
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

int pn_unicode_decimal(uint32_t cp) {
  size_t lo = 0, hi = PN_UNICODE_DECIMAL_ZEROS;
  /* The last zero <= cp, if cp is within its run of ten. */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (pn_unicode_decimal_zeros[mid] <= cp) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0) {
    return -1;
  }
  uint32_t zero = pn_unicode_decimal_zeros[lo - 1];
  return cp - zero < 10 ? (int)(cp - zero) : -1;
}

int pn_unicode_is_printable(uint32_t cp) {
  size_t lo = 0, hi = PN_UNICODE_PRINTABLE_EDGES;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (pn_unicode_printable_edges[mid] <= cp) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return (int)(lo & 1);
}

int pn_py_str_repr(pn_strbuf *out, const char *s, size_t len) {
  /* Objects/unicodeobject.c unicode_repr: single quotes unless the text has
   * a single quote and no double quote. */
  int has_single = 0, has_double = 0;
  for (size_t i = 0; i < len; i++) {
    has_single |= s[i] == '\'';
    has_double |= s[i] == '"';
  }
  char quote = has_single && !has_double ? '"' : '\'';
  if (pn_strbuf_append(out, &quote, 1) != 0) {
    return -1;
  }
  size_t i = 0;
  while (i < len) {
    uint32_t cp = pn_utf8_next(s, len, &i);
    int rc;
    if (cp == (uint32_t)quote || cp == '\\') {
      rc = pn_strbuf_printf(out, "\\%c", (char)cp);
    } else if (cp == '\t') {
      rc = pn_strbuf_puts(out, "\\t");
    } else if (cp == '\n') {
      rc = pn_strbuf_puts(out, "\\n");
    } else if (cp == '\r') {
      rc = pn_strbuf_puts(out, "\\r");
    } else if (cp < 0x20 || cp == 0x7F) {
      rc = pn_strbuf_printf(out, "\\x%02x", (unsigned)cp);
    } else if (cp < 0x7F) {
      char c = (char)cp;
      rc = pn_strbuf_append(out, &c, 1);
    } else if (pn_unicode_is_printable(cp)) {
      /* Printable, so not a surrogate: re-encode it as the same UTF-8. */
      size_t start = i;
      size_t n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      rc = pn_strbuf_append(out, s + start - n, n);
    } else if (cp <= 0xFF) {
      rc = pn_strbuf_printf(out, "\\x%02x", (unsigned)cp);
    } else if (cp <= 0xFFFF) {
      rc = pn_strbuf_printf(out, "\\u%04x", (unsigned)cp);
    } else {
      rc = pn_strbuf_printf(out, "\\U%08x", (unsigned)cp);
    }
    if (rc != 0) {
      return -1;
    }
  }
  return pn_strbuf_append(out, &quote, 1);
}
