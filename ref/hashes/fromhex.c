#include "ref/hashes/fromhex.h"

#include <stdbool.h>

static int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

/* Py_ISSPACE from 3.7 on; 3.6 skipped only ' '. */
static bool is_skipped_space(unsigned char c, bool ascii_whitespace) {
  if (!ascii_whitespace) {
    return c == ' ';
  }
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int pn_fromhex(const char *text, size_t len, pn_pyversion python, uint8_t *out, size_t *out_len,
               size_t *error_position) {
  const unsigned char *s = (const unsigned char *)text;
  /* Every character before the first non-ASCII byte is one code point, so the
   * byte offset is CPython's code-point position. */
  for (size_t i = 0; i < len; i++) {
    if (s[i] >= 0x80) {
      *error_position = i;
      return -1;
    }
  }
  bool ascii_whitespace = pn_pyversion_cmp(python, 3, 7) >= 0;
  size_t i = 0;
  size_t n = 0;
  while (i < len) {
    if (is_skipped_space(s[i], ascii_whitespace)) {
      i++;
      continue;
    }
    int top = hex_value(s[i]);
    if (top < 0) {
      *error_position = i;
      return -1;
    }
    int bottom = i + 1 < len ? hex_value(s[i + 1]) : -1;
    if (bottom < 0) {
      *error_position = i + 1;
      return -1;
    }
    out[n++] = (uint8_t)(top << 4 | bottom);
    i += 2;
  }
  *out_len = n;
  return 0;
}
