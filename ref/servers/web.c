#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ref/protocol/strbuf.h"
#include "ref/servers/http_channel.h"
#include "ref/servers/services.h"

/* twisted.web.server.version for Debian's python3-twisted 22.4. */
#define SERVER_VERSION "TwistedWeb/22.4.0"

/* The Date header's value, remade only when the second changes. */
typedef struct date_cache {
  time_t second; /* 0: nothing cached yet */
  char text[29]; /* "Wed, 25 Nov 2026 09:20:55 GMT" */
} date_cache;

typedef struct counter {
  unsigned long long requests; /* Counter.numberRequests */
  date_cache date;
} counter;

static char *put(char *at, const char *bytes, size_t len) {
  memcpy(at, bytes, len);
  return at + len;
}

#define PUT_LITERAL(at, literal) put((at), (literal), sizeof(literal) - 1)

/* Decimal digits of value at `at` (at most 20); returns the end. */
static char *put_decimal(char *at, unsigned long long value) {
  char digits[20];
  size_t n = 0;
  do {
    digits[sizeof digits - 1 - n++] = (char)('0' + value % 10);
    value /= 10;
  } while (value > 0);
  return put(at, digits + sizeof digits - n, n);
}

static char *put_two_digits(char *at, int value) {
  at[0] = (char)('0' + value / 10);
  at[1] = (char)('0' + value % 10);
  return at + 2;
}

/* http.datetimeToString() for now: "Wed, 25 Nov 2026 09:20:55 GMT", made
 * at most once a second (the header has a resolution of a second). */
static const char *http_date(date_cache *cache) {
  static const char kDays[] = "SunMonTueWedThuFriSat";
  static const char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  time_t now = time(NULL);
  if (now == cache->second) {
    return cache->text;
  }
  struct tm tm;
  gmtime_r(&now, &tm);
  char *at = put(cache->text, kDays + 3 * tm.tm_wday, 3);
  at = PUT_LITERAL(at, ", ");
  at = put_two_digits(at, tm.tm_mday);
  *at++ = ' ';
  at = put(at, kMonths + 3 * tm.tm_mon, 3);
  *at++ = ' ';
  int year = tm.tm_year + 1900; /* four digits until 9999, as Python's %4d */
  at = put_two_digits(at, year / 100 % 100);
  at = put_two_digits(at, year % 100);
  *at++ = ' ';
  at = put_two_digits(at, tm.tm_hour);
  *at++ = ':';
  at = put_two_digits(at, tm.tm_min);
  *at++ = ':';
  at = put_two_digits(at, tm.tm_sec);
  PUT_LITERAL(at, " GMT");
  cache->second = now;
  return cache->text;
}

/* html.escape(text, quote=True). */
static void html_escape(pn_strbuf *out, const char *text, size_t len) {
  for (size_t i = 0; i < len; i++) {
    switch (text[i]) {
      case '&':
        pn_strbuf_puts(out, "&amp;");
        break;
      case '<':
        pn_strbuf_puts(out, "&lt;");
        break;
      case '>':
        pn_strbuf_puts(out, "&gt;");
        break;
      case '"':
        pn_strbuf_puts(out, "&quot;");
        break;
      case '\'':
        pn_strbuf_puts(out, "&#x27;");
        break;
      default:
        pn_strbuf_append(out, text + i, 1);
    }
  }
}

/* resource._UnsafeErrorPage's template; detail may hold NUL bytes. */
static void error_page(pn_strbuf *body, int code, const char *brief, const pn_strbuf *detail) {
  pn_strbuf_printf(
      body, "\n<html>\n  <head><title>%d - %s</title></head>\n  <body>\n    <h1>%s</h1>\n    <p>",
      code, brief, brief);
  pn_strbuf_append(body, detail->data, detail->len);
  pn_strbuf_puts(body, "</p>\n  </body>\n</html>\n");
}

/* Whether the request's method is exactly `name` (a method may hold NUL
 * bytes, so C string comparison is not enough). */
static bool method_is(const pn_http_channel *request, const char *name) {
  size_t len = strlen(name);
  return request->method.len == len && memcmp(request->method.data, name, len) == 0;
}

/* One answer's parts; every string NUL-terminated, optional ones NULL. */
typedef struct response {
  const char *status;       /* " 200 OK" */
  const char *allow;        /* the Allow header's value */
  const char *content_type; /* the Content-Type header's value */
  const char *body;
  size_t body_len;
  bool send_body; /* false for HEAD: Content-Length says body_len, no body follows */
} response;

/* Writes the status line and headers in Twisted's order (Connection,
 * Server, Date, Allow, Content-Type, Content-Length), then the body, in one
 * write: a stack buffer for the usual small answer, the heap otherwise. */
static void send_response(pn_conn *conn, counter *count, const pn_http_channel *request,
                          const response *answer) {
  static const char kServerDate[] = "Server: " SERVER_VERSION "\r\nDate: ";
  const char *date = http_date(&count->date);
  size_t status_len = strlen(answer->status);
  size_t allow_len = answer->allow != NULL ? strlen(answer->allow) : 0;
  size_t type_len = answer->content_type != NULL ? strlen(answer->content_type) : 0;
  /* An upper bound: every piece below, 20 digits for the length. */
  size_t size = request->version.len + status_len + 2 + sizeof "Connection: close\r\n" +
                sizeof kServerDate + sizeof count->date.text + 2 + sizeof "Allow: \r\n" +
                allow_len + sizeof "Content-Type: \r\n" + type_len +
                sizeof "Content-Length: \r\n\r\n" + 20 + answer->body_len;
  char stack[512];
  char *out = size <= sizeof stack ? stack : malloc(size);
  if (out == NULL) {
    pn_conn_lose(conn);
    return;
  }
  char *at = put(out, request->version.data, request->version.len);
  at = put(at, answer->status, status_len);
  at = PUT_LITERAL(at, "\r\n");
  if (request->answer_connection_close) {
    at = PUT_LITERAL(at, "Connection: close\r\n");
  }
  at = PUT_LITERAL(at, kServerDate);
  at = put(at, date, sizeof count->date.text);
  at = PUT_LITERAL(at, "\r\n");
  if (answer->allow != NULL) {
    at = PUT_LITERAL(at, "Allow: ");
    at = put(at, answer->allow, allow_len);
    at = PUT_LITERAL(at, "\r\n");
  }
  if (answer->content_type != NULL) {
    at = PUT_LITERAL(at, "Content-Type: ");
    at = put(at, answer->content_type, type_len);
    at = PUT_LITERAL(at, "\r\n");
  }
  at = PUT_LITERAL(at, "Content-Length: ");
  at = put_decimal(at, answer->body_len);
  at = PUT_LITERAL(at, "\r\n\r\n");
  if (answer->send_body && answer->body_len > 0) {
    at = put(at, answer->body, answer->body_len);
  }
  pn_conn_write(conn, out, (size_t)(at - out));
  if (out != stack) {
    free(out);
  }
}

/* Whether the request-target has a byte over 0x7f: twisted's nativeString
 * of it then fails. */
static bool has_non_ascii(const pn_strbuf *text) {
  for (size_t i = 0; i < text->len; i++) {
    if ((unsigned char)text->data[i] >= 0x80) {
      return true;
    }
  }
  return false;
}

/* Request.path == b"*": the URI up to a '?' is a lone star. */
static bool is_star_path(const pn_strbuf *uri) {
  return uri->len >= 1 && uri->data[0] == '*' && (uri->len == 1 || uri->data[1] == '?');
}

/* server.Request.processingFailed's page, without tracebacks (Site's
 * default displayTracebacks = False). */
#define PROCESSING_FAILED_PAGE                                                        \
  "<html><head><title>Processing Failed</title></head><body><b>Processing Failed</b>" \
  "</body></html>"

/* What twisted.web.server.Request.process and render write for the Counter
 * resource (render_GET only), header by header in Twisted's order. */
static void answer(pn_conn *conn, counter *count, const pn_http_channel *request) {
  bool head = method_is(request, "HEAD");
  response out = {.send_body = !head};
  if (is_star_path(&request->uri)) {
    /* Request._handleStar: an empty answer; the resource is not asked. */
    bool options = method_is(request, "OPTIONS");
    out.status = options ? " 200 OK" : " 405 Method Not Allowed";
    out.allow = options ? NULL : "OPTIONS";
    send_response(conn, count, request, &out);
    return;
  }
  if (method_is(request, "GET") || head) {
    char body[64];
    char *end = PUT_LITERAL(body, "I am request #");
    end = put_decimal(end, ++count->requests);
    *end++ = '\n';
    out.status = " 200 OK";
    out.content_type = "text/plain";
    out.body = body;
    out.body_len = (size_t)(end - body);
    send_response(conn, count, request, &out);
    return;
  }
  if (method_is(request, "POST") && has_non_ascii(&request->uri)) {
    /* render sets Allow, then fails to decode the URI for its 405 page. */
    out.status = " 500 Internal Server Error";
    out.allow = "HEAD, GET";
    out.content_type = "text/html";
    out.body = PROCESSING_FAILED_PAGE;
    out.body_len = sizeof PROCESSING_FAILED_PAGE - 1;
    send_response(conn, count, request, &out);
    return;
  }
  pn_strbuf detail = PN_STRBUF_INIT;
  pn_strbuf body = PN_STRBUF_INIT;
  out.content_type = "text/html; charset=utf-8";
  if (method_is(request, "POST")) {
    out.status = " 405 Method Not Allowed";
    out.allow = "HEAD, GET";
    pn_strbuf_puts(&detail, "Your browser approached me (at ");
    html_escape(&detail, request->uri.data, request->uri.len);
    pn_strbuf_puts(&detail,
                   ") with the method \"POST\".  I only allow the methods HEAD, GET here.");
    error_page(&body, 405, "Method Not Allowed", &detail);
  } else {
    out.status = " 501 Not Implemented";
    pn_strbuf_puts(&detail, "I don't know how to treat a ");
    html_escape(&detail, request->method.data, request->method.len);
    pn_strbuf_puts(&detail, " request.");
    error_page(&body, 501, "Huh?", &detail);
  }
  out.body = body.data;
  out.body_len = body.len;
  send_response(conn, count, request, &out);
  pn_strbuf_free(&detail);
  pn_strbuf_free(&body);
}

static void web_opened(pn_conn *conn) {
  pn_http_channel_init(pn_conn_state(conn));
}

static void web_closed(pn_conn *conn) {
  pn_http_channel_free(pn_conn_state(conn));
}

static void web_received(pn_conn *conn, const char *data, size_t len) {
  pn_http_channel *channel = pn_conn_state(conn);
  if (pn_http_channel_feed(channel, data, len) != 0) {
    pn_conn_lose(conn);
    return;
  }
  for (;;) {
    switch (pn_http_channel_next(channel)) {
      case PN_HTTP_NEED_MORE:
        return;
      case PN_HTTP_REQUEST:
        answer(conn, pn_conn_context(conn), channel);
        if (channel->done) {
          pn_conn_lose(conn);
          return;
        }
        break;
      case PN_HTTP_CONTINUE:
        pn_conn_write(conn, "HTTP/1.1 100 Continue\r\n\r\n", 25);
        break;
      case PN_HTTP_BAD_REQUEST:
        pn_conn_write(conn, "HTTP/1.1 400 Bad Request\r\n\r\n", 28);
        pn_conn_lose(conn);
        return;
      case PN_HTTP_CLOSE:
        pn_conn_lose(conn);
        return;
    }
  }
}

const pn_service pn_web_service = {
    .state_size = sizeof(pn_http_channel),
    .opened = web_opened,
    .received = web_received,
    .closed = web_closed,
    .context_size = sizeof(counter),
};
