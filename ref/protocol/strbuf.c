#include "ref/protocol/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for `extra` more bytes plus the terminating NUL. */
static int reserve(pn_strbuf *buf, size_t extra) {
  if (extra > SIZE_MAX - buf->len - 1) {
    return -1;
  }
  size_t need = buf->len + extra + 1;
  if (need <= buf->cap) {
    return 0;
  }
  size_t cap = buf->cap ? buf->cap : 64;
  while (cap < need) {
    cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  }
  char *data = realloc(buf->data, cap);
  if (data == NULL) {
    return -1;
  }
  buf->data = data;
  buf->cap = cap;
  return 0;
}

int pn_strbuf_append(pn_strbuf *buf, const char *bytes, size_t n) {
  if (reserve(buf, n) != 0) {
    return -1;
  }
  if (n > 0) {
    memcpy(buf->data + buf->len, bytes, n);
  }
  buf->len += n;
  buf->data[buf->len] = '\0';
  return 0;
}

int pn_strbuf_puts(pn_strbuf *buf, const char *s) {
  return pn_strbuf_append(buf, s, strlen(s));
}

int pn_strbuf_vprintf(pn_strbuf *buf, const char *format, va_list args) {
  va_list again;
  va_copy(again, args);
  int n = vsnprintf(NULL, 0, format, args);
  int rc = -1;
  if (n >= 0 && reserve(buf, (size_t)n) == 0) {
    vsnprintf(buf->data + buf->len, (size_t)n + 1, format, again);
    buf->len += (size_t)n;
    rc = 0;
  }
  va_end(again);
  return rc;
}

int pn_strbuf_printf(pn_strbuf *buf, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int rc = pn_strbuf_vprintf(buf, format, args);
  va_end(args);
  return rc;
}

void pn_strbuf_clear(pn_strbuf *buf) {
  buf->len = 0;
  if (buf->data != NULL) {
    buf->data[0] = '\0';
  }
}

void pn_strbuf_free(pn_strbuf *buf) {
  free(buf->data);
  buf->data = NULL;
  buf->len = 0;
  buf->cap = 0;
}
