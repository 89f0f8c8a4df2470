#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ref/protocol/strbuf.h"
#include "ref/servers/http_channel.h"
#include "ref/servers/services.h"

/* twisted.web.server.version for Debian's python3-twisted 22.4. */
#define SERVER_VERSION "TwistedWeb/22.4.0"

typedef struct counter {
  unsigned long long requests; /* Counter.numberRequests */
} counter;

/* http.datetimeToString(): "Wed, 25 Nov 2026 09:20:55 GMT". */
static void http_date(char out[32]) {
  static const char *const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char *const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  snprintf(out, 32, "%s, %02d %s %4d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
           kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
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

/* resource._UnsafeErrorPage's template. */
static void error_page(pn_strbuf *body, int code, const char *brief, const char *detail) {
  pn_strbuf_printf(body,
                   "\n<html>\n  <head><title>%d - %s</title></head>\n  <body>\n    <h1>%s</h1>\n"
                   "    <p>%s</p>\n  </body>\n</html>\n",
                   code, brief, brief, detail);
}

/* What twisted.web.server.Request.process and render write for the Counter
 * resource (render_GET only), header by header in Twisted's order. */
static void answer(pn_conn *conn, counter *count, const pn_http_channel *request) {
  const char *method = request->method.data;
  bool head = strcmp(method, "HEAD") == 0;
  int code;
  const char *reason;
  const char *content_type;
  const char *allow = NULL;
  pn_strbuf body = PN_STRBUF_INIT;
  if (strcmp(method, "GET") == 0 || head) {
    code = 200;
    reason = "OK";
    content_type = "text/plain";
    pn_strbuf_printf(&body, "I am request #%llu\n", ++count->requests);
  } else {
    pn_strbuf detail = PN_STRBUF_INIT;
    content_type = "text/html; charset=utf-8";
    if (strcmp(method, "POST") == 0) {
      code = 405;
      reason = "Method Not Allowed";
      allow = "HEAD, GET";
      pn_strbuf_puts(&detail, "Your browser approached me (at ");
      html_escape(&detail, request->uri.data, request->uri.len);
      pn_strbuf_puts(&detail,
                     ") with the method \"POST\".  I only allow the methods HEAD, GET here.");
      error_page(&body, code, "Method Not Allowed", detail.data);
    } else {
      code = 501;
      reason = "Not Implemented";
      pn_strbuf_puts(&detail, "I don't know how to treat a ");
      html_escape(&detail, method, request->method.len);
      pn_strbuf_puts(&detail, " request.");
      error_page(&body, code, "Huh?", detail.data);
    }
    pn_strbuf_free(&detail);
  }
  char date[32];
  http_date(date);
  pn_strbuf response = PN_STRBUF_INIT;
  pn_strbuf_printf(&response, "%s %d %s\r\n", request->version.data, code, reason);
  if (request->answer_connection_close) {
    pn_strbuf_puts(&response, "Connection: close\r\n");
  }
  pn_strbuf_printf(&response, "Server: %s\r\nDate: %s\r\n", SERVER_VERSION, date);
  if (allow != NULL) {
    pn_strbuf_printf(&response, "Allow: %s\r\n", allow);
  }
  pn_strbuf_printf(&response, "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n", content_type,
                   body.len);
  if (!head && body.len > 0) {
    pn_strbuf_append(&response, body.data, body.len);
  }
  if (response.data != NULL) {
    pn_conn_write(conn, response.data, response.len);
  }
  pn_strbuf_free(&response);
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
