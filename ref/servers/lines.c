#define _GNU_SOURCE /* memmem */
#include "ref/servers/lines.h"

#include <stdlib.h>
#include <string.h>

int pn_lines_feed(pn_lines *lines, const char *data, size_t len) {
  if (lines->start > 0 && lines->start == lines->len) {
    lines->start = lines->len = 0;
  }
  if (lines->len + len > lines->cap && lines->start > 0) {
    memmove(lines->data, lines->data + lines->start, lines->len - lines->start);
    lines->len -= lines->start;
    lines->start = 0;
  }
  if (lines->len + len > lines->cap) {
    size_t cap = lines->cap == 0 ? 1024 : lines->cap;
    while (cap < lines->len + len) {
      cap *= 2;
    }
    char *grown = realloc(lines->data, cap);
    if (grown == NULL) {
      return -1;
    }
    lines->data = grown;
    lines->cap = cap;
  }
  if (len > 0) {
    memcpy(lines->data + lines->len, data, len);
  }
  lines->len += len;
  return 0;
}

pn_line_status pn_lines_next(pn_lines *lines, const char **line, size_t *len) {
  size_t buffered = lines->len - lines->start;
  if (buffered == 0) {
    return PN_LINE_NONE;
  }
  const char *begin = lines->data + lines->start;
  const char *end = memmem(begin, buffered, "\r\n", 2);
  if (end == NULL) {
    if (buffered >= PN_LINES_MAX_LENGTH + 2) {
      lines->start = lines->len = 0;
      return PN_LINE_TOO_LONG;
    }
    return PN_LINE_NONE;
  }
  size_t line_len = (size_t)(end - begin);
  if (line_len > PN_LINES_MAX_LENGTH) {
    lines->start = lines->len = 0;
    return PN_LINE_TOO_LONG;
  }
  *line = begin;
  *len = line_len;
  lines->start += line_len + 2;
  return PN_LINE_READY;
}

size_t pn_lines_take(pn_lines *lines, size_t max, const char **data) {
  size_t buffered = lines->len - lines->start;
  size_t n = buffered < max ? buffered : max;
  *data = lines->data + lines->start;
  lines->start += n;
  return n;
}

size_t pn_lines_peek(const pn_lines *lines, const char **data) {
  *data = lines->data + lines->start;
  return lines->len - lines->start;
}

size_t pn_lines_buffered(const pn_lines *lines) {
  return lines->len - lines->start;
}

void pn_lines_free(pn_lines *lines) {
  free(lines->data);
  lines->data = NULL;
  lines->start = lines->len = lines->cap = 0;
}
