#define _GNU_SOURCE /* memmem */
#include "ref/servers/http_channel.h"

#include <ctype.h>
#include <string.h>

/* Python's bytes.isspace: space, \t, \n, \r, \v, \f. */
static bool is_py_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void reset_request(pn_http_channel *channel) {
  channel->first_line = 1;
  channel->in_body = false;
  channel->body_left = 0;
  channel->has_length = false;
  channel->chunked = false;
  channel->chunk_state = PN_CHUNK_SIZE;
  channel->chunk_left = 0;
  channel->trailer_size = 0;
  channel->header_size = 0;
  channel->header_count = 0;
  channel->connection_close = false;
  channel->seen_connection = false;
  channel->expect_continue = false;
  channel->has_pending_header = false;
  pn_strbuf_clear(&channel->pending_header);
}

void pn_http_channel_init(pn_http_channel *channel) {
  memset(channel, 0, sizeof *channel);
  channel->persistent = true;
  reset_request(channel);
}

void pn_http_channel_free(pn_http_channel *channel) {
  pn_lines_free(&channel->lines);
  pn_strbuf_free(&channel->pending_header);
  pn_strbuf_free(&channel->method);
  pn_strbuf_free(&channel->uri);
  pn_strbuf_free(&channel->version);
}

int pn_http_channel_feed(pn_http_channel *channel, const char *data, size_t len) {
  if (channel->done) {
    return 0; /* nothing more is read */
  }
  return pn_lines_feed(&channel->lines, data, len);
}

static pn_http_event fail(pn_http_channel *channel, pn_http_event event) {
  channel->done = true;
  return event;
}

/* Python's line.split() into exactly three words, or false. */
static bool split_request_line(pn_http_channel *channel, const char *line, size_t len) {
  pn_strbuf *words[3] = {&channel->method, &channel->uri, &channel->version};
  size_t count = 0;
  for (size_t i = 0; i < len;) {
    while (i < len && is_py_space(line[i])) {
      i++;
    }
    if (i == len) {
      break;
    }
    size_t start = i;
    while (i < len && !is_py_space(line[i])) {
      i++;
    }
    if (count == 3) {
      return false;
    }
    pn_strbuf_clear(words[count]);
    if (pn_strbuf_append(words[count], line + start, i - start) != 0) {
      return false;
    }
    count++;
  }
  return count == 3;
}

static bool equals_lower(const char *text, size_t len, const char *lower) {
  if (strlen(lower) != len) {
    return false;
  }
  for (size_t i = 0; i < len; i++) {
    if (tolower((unsigned char)text[i]) != lower[i]) {
      return false;
    }
  }
  return true;
}

/* headerReceived: false for a header that makes the request bad. */
static bool header_received(pn_http_channel *channel, const char *line, size_t len) {
  const char *colon = memchr(line, ':', len);
  if (colon == NULL) {
    return false;
  }
  size_t name_len = (size_t)(colon - line);
  if (name_len == 0 || is_py_space(line[name_len - 1])) {
    return false;
  }
  const char *value = colon + 1;
  size_t value_len = len - name_len - 1;
  while (value_len > 0 && (value[0] == ' ' || value[0] == '\t')) {
    value++;
    value_len--;
  }
  while (value_len > 0 && (value[value_len - 1] == ' ' || value[value_len - 1] == '\t')) {
    value_len--;
  }
  if (equals_lower(line, name_len, "content-length")) {
    if (value_len == 0 || channel->has_length) {
      return false;
    }
    unsigned long long length = 0;
    for (size_t i = 0; i < value_len; i++) {
      if (!isdigit((unsigned char)value[i])) {
        return false;
      }
      /* Saturates: a length this large is never reached anyway. */
      length = length > (~0ULL - 9) / 10 ? ~0ULL : length * 10 + (unsigned)(value[i] - '0');
    }
    channel->has_length = true;
    channel->body_left = length;
  } else if (equals_lower(line, name_len, "transfer-encoding")) {
    if (equals_lower(value, value_len, "chunked")) {
      if (channel->has_length) {
        return false; /* a second way to end the body */
      }
      channel->has_length = true;
      channel->chunked = true;
    } else if (!equals_lower(value, value_len, "identity")) {
      return false; /* Twisted knows no other coding, nor a list such as "gzip, chunked" */
    }
  } else if (equals_lower(line, name_len, "connection") && !channel->seen_connection) {
    channel->seen_connection = true;
    /* Twisted splits the first value at single spaces and lowercases the tokens. */
    for (size_t i = 0; i <= value_len;) {
      const char *space = memchr(value + i, ' ', value_len - i);
      size_t end = space != NULL ? (size_t)(space - value) : value_len;
      if (equals_lower(value + i, end - i, "close")) {
        channel->connection_close = true;
      }
      i = end + 1;
    }
  } else if (equals_lower(line, name_len, "expect") && !channel->expect_continue) {
    channel->expect_continue = equals_lower(value, value_len, "100-continue");
  }
  channel->header_count++;
  return channel->header_count <= PN_HTTP_MAX_HEADERS;
}

/* The headers are complete: decides persistence; the body follows. */
static pn_http_event all_headers_received(pn_http_channel *channel) {
  /* By length: a version may hold NUL bytes ("HTTP/1.1\0x" is not 1.1). */
  bool http11 = channel->version.len == 8 && memcmp(channel->version.data, "HTTP/1.1", 8) == 0;
  channel->persistent = http11 && !channel->connection_close;
  if (!http11) {
    channel->connection_close = false; /* only HTTP/1.1 answers say Connection: close */
  }
  channel->first_line = 0;
  channel->in_body = true;
  if (channel->expect_continue && http11) {
    channel->expect_continue = false;
    return PN_HTTP_CONTINUE;
  }
  return PN_HTTP_NEED_MORE;
}

static pn_http_event line_received(pn_http_channel *channel, const char *line, size_t len) {
  channel->header_size += len;
  if (channel->header_size > PN_HTTP_TOTAL_HEADERS_SIZE) {
    return fail(channel, PN_HTTP_BAD_REQUEST);
  }
  if (channel->first_line) {
    if (len == 0 && channel->first_line == 1) {
      channel->first_line = 2; /* one empty line before a request is skipped */
      return PN_HTTP_NEED_MORE;
    }
    channel->first_line = 0;
    if (!split_request_line(channel, line, len)) {
      return fail(channel, PN_HTTP_BAD_REQUEST);
    }
    for (size_t i = 0; i < channel->method.len; i++) {
      if ((unsigned char)channel->method.data[i] >= 0x80) {
        return fail(channel, PN_HTTP_BAD_REQUEST);
      }
    }
    return PN_HTTP_NEED_MORE;
  }
  if (len == 0) {
    if (channel->has_pending_header &&
        !header_received(channel, channel->pending_header.data, channel->pending_header.len)) {
      return fail(channel, PN_HTTP_BAD_REQUEST);
    }
    channel->has_pending_header = false;
    pn_strbuf_clear(&channel->pending_header);
    return all_headers_received(channel);
  }
  if (line[0] == ' ' || line[0] == '\t') {
    size_t skip = 0;
    while (skip < len && (line[skip] == ' ' || line[skip] == '\t')) {
      skip++;
    }
    if (pn_strbuf_append(&channel->pending_header, " ", 1) != 0 ||
        pn_strbuf_append(&channel->pending_header, line + skip, len - skip) != 0) {
      return fail(channel, PN_HTTP_CLOSE);
    }
    return PN_HTTP_NEED_MORE;
  }
  /* A header is judged when the next line shows it has no continuation. */
  if (channel->has_pending_header &&
      !header_received(channel, channel->pending_header.data, channel->pending_header.len)) {
    return fail(channel, PN_HTTP_BAD_REQUEST);
  }
  pn_strbuf_clear(&channel->pending_header);
  channel->has_pending_header = true;
  if (pn_strbuf_append(&channel->pending_header, line, len) != 0) {
    return fail(channel, PN_HTTP_CLOSE);
  }
  return PN_HTTP_NEED_MORE;
}

/* A byte that _chunkExtChars allows in a chunk extension: tab, printable
 * ASCII but the backslash, and every byte over 0x7f. */
static bool is_chunk_ext_char(unsigned char c) {
  return c == '\t' || (c >= 0x20 && c != '\\' && c != 0x7f);
}

static int hex_value(char c) {
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

/* A size line without its "\r\n": _hexint of what precedes ';', and the
 * extension's bytes checked. False for a malformed line. */
static bool parse_chunk_size(const char *line, size_t len, unsigned long long *size) {
  const char *semicolon = memchr(line, ';', len);
  size_t digits = semicolon != NULL ? (size_t)(semicolon - line) : len;
  if (digits == 0) {
    return false;
  }
  unsigned long long value = 0;
  for (size_t i = 0; i < digits; i++) {
    int digit = hex_value(line[i]);
    if (digit < 0) {
      return false;
    }
    /* Python's int has no bound; saturating is the same here, as no client
     * sends 2**64 bytes. */
    value = value > (~0ULL >> 4) ? ~0ULL : value * 16 + (unsigned)digit;
  }
  for (size_t i = digits + 1; i < len; i++) {
    if (!is_chunk_ext_char((unsigned char)line[i])) {
      return false;
    }
  }
  *size = value;
  return true;
}

/* Decodes buffered chunked body bytes: NEED_MORE until the body ends
 * (REQUEST, after which the buffer holds the next request) or is malformed
 * (BAD_REQUEST). */
static pn_http_event chunked_body(pn_http_channel *channel) {
  for (;;) {
    const char *data;
    size_t buffered = pn_lines_peek(&channel->lines, &data);
    if (buffered == 0) {
      return PN_HTTP_NEED_MORE;
    }
    switch (channel->chunk_state) {
      case PN_CHUNK_SIZE: {
        const char *end = memmem(data, buffered, "\r\n", 2);
        size_t eol = end != NULL ? (size_t)(end - data) : 0;
        if ((end != NULL && eol >= PN_HTTP_MAX_CHUNK_SIZE_LINE) ||
            (end == NULL && buffered > PN_HTTP_MAX_CHUNK_SIZE_LINE)) {
          return PN_HTTP_BAD_REQUEST;
        }
        if (end == NULL) {
          return PN_HTTP_NEED_MORE;
        }
        if (!parse_chunk_size(data, eol, &channel->chunk_left)) {
          return PN_HTTP_BAD_REQUEST;
        }
        channel->chunk_state = channel->chunk_left == 0 ? PN_CHUNK_TRAILER : PN_CHUNK_DATA;
        pn_lines_take(&channel->lines, eol + 2, &data);
        break;
      }
      case PN_CHUNK_DATA: {
        size_t max = (size_t)(channel->chunk_left < (size_t)-1 ? channel->chunk_left : (size_t)-1);
        channel->chunk_left -= pn_lines_take(&channel->lines, max, &data);
        if (channel->chunk_left == 0) {
          channel->chunk_state = PN_CHUNK_CRLF;
        }
        break;
      }
      case PN_CHUNK_CRLF:
        if (buffered < 2) {
          return PN_HTTP_NEED_MORE;
        }
        if (data[0] != '\r' || data[1] != '\n') {
          return PN_HTTP_BAD_REQUEST;
        }
        pn_lines_take(&channel->lines, 2, &data);
        channel->chunk_state = PN_CHUNK_SIZE;
        break;
      case PN_CHUNK_TRAILER: {
        const char *end = memmem(data, buffered, "\r\n", 2);
        if (end == NULL) {
          /* The trailer size once the line's "\r\n" arrives, at the least. */
          size_t least = channel->trailer_size + buffered + (data[buffered - 1] == '\r' ? 1 : 2);
          return least > PN_HTTP_MAX_TRAILER_SIZE ? PN_HTTP_BAD_REQUEST : PN_HTTP_NEED_MORE;
        }
        size_t eol = (size_t)(end - data);
        pn_lines_take(&channel->lines, eol + 2, &data);
        if (eol == 0) {
          return PN_HTTP_REQUEST; /* trailer lines are read and dropped */
        }
        channel->trailer_size += eol + 2;
        if (channel->trailer_size > PN_HTTP_MAX_TRAILER_SIZE) {
          return PN_HTTP_BAD_REQUEST;
        }
        break;
      }
    }
  }
}

/* The request's body has been read: the request is complete. */
static pn_http_event request_complete(pn_http_channel *channel) {
  bool persistent = channel->persistent;
  channel->answer_connection_close = channel->connection_close;
  reset_request(channel);
  if (!persistent) {
    channel->done = true; /* anything after this request is dropped */
  }
  return PN_HTTP_REQUEST;
}

pn_http_event pn_http_channel_next(pn_http_channel *channel) {
  while (!channel->done) {
    if (channel->in_body && channel->chunked) {
      pn_http_event event = chunked_body(channel);
      if (event == PN_HTTP_REQUEST) {
        return request_complete(channel);
      }
      return event == PN_HTTP_BAD_REQUEST ? fail(channel, event) : event;
    }
    if (channel->in_body) {
      const char *data;
      size_t n = pn_lines_take(
          &channel->lines,
          (size_t)(channel->body_left < (size_t)-1 ? channel->body_left : (size_t)-1), &data);
      channel->body_left -= n;
      if (channel->body_left > 0) {
        return PN_HTTP_NEED_MORE;
      }
      return request_complete(channel);
    }
    const char *line;
    size_t len;
    pn_line_status status = pn_lines_next(&channel->lines, &line, &len);
    if (status == PN_LINE_NONE) {
      return PN_HTTP_NEED_MORE;
    }
    if (status == PN_LINE_TOO_LONG) {
      return fail(channel, PN_HTTP_CLOSE);
    }
    pn_http_event event = line_received(channel, line, len);
    if (event != PN_HTTP_NEED_MORE) {
      return event;
    }
  }
  return PN_HTTP_NEED_MORE;
}
