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
    if (!equals_lower(value, value_len, "identity")) {
      return false; /* chunked bodies are not emulated; other codings are bad in Twisted too */
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
  bool http11 = strcmp(channel->version.data, "HTTP/1.1") == 0;
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

pn_http_event pn_http_channel_next(pn_http_channel *channel) {
  while (!channel->done) {
    if (channel->in_body) {
      const char *data;
      size_t n = pn_lines_take(
          &channel->lines,
          (size_t)(channel->body_left < (size_t)-1 ? channel->body_left : (size_t)-1), &data);
      channel->body_left -= n;
      if (channel->body_left > 0) {
        return PN_HTTP_NEED_MORE;
      }
      bool persistent = channel->persistent;
      channel->answer_connection_close = channel->connection_close;
      reset_request(channel);
      if (!persistent) {
        channel->done = true; /* anything after this request is dropped */
      }
      return PN_HTTP_REQUEST;
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
