#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/servers/lines.h"
#include "ref/servers/services.h"

/* Every connection is a subscriber, in the order they connected. */
typedef struct subscriber {
  pn_conn *conn;
  struct subscriber *prev, *next;
  pn_lines lines;
} subscriber;

typedef struct subscribers {
  subscriber *first, *last;
} subscribers;

static subscribers *list_of(pn_conn *conn) {
  return pn_conn_context(conn);
}

static void pubsub_opened(pn_conn *conn) {
  subscriber *self = pn_conn_state(conn);
  subscribers *all = list_of(conn);
  self->conn = conn;
  self->prev = all->last;
  if (all->last != NULL) {
    all->last->next = self;
  } else {
    all->first = self;
  }
  all->last = self;
}

static void pubsub_closed(pn_conn *conn) {
  subscriber *self = pn_conn_state(conn);
  subscribers *all = list_of(conn);
  if (self->prev != NULL) {
    self->prev->next = self->next;
  } else {
    all->first = self->next;
  }
  if (self->next != NULL) {
    self->next->prev = self->prev;
  } else {
    all->last = self->prev;
  }
  pn_lines_free(&self->lines);
}

/* sendLine(b"<" + getHost() + b"> " + line) to every subscriber. */
static void broadcast(pn_conn *from, const char *line, size_t len) {
  char prefix[96];
  int prefix_len =
      snprintf(prefix, sizeof prefix, "<IPv4Address(type='TCP', host='127.0.0.1', port=%d)> ",
               pn_conn_local_port(from));
  size_t total = (size_t)prefix_len + len + 2;
  char stack[1024];
  char *message = total <= sizeof stack ? stack : malloc(total);
  if (message == NULL) {
    return;
  }
  memcpy(message, prefix, (size_t)prefix_len);
  memcpy(message + prefix_len, line, len);
  memcpy(message + prefix_len + len, "\r\n", 2);
  subscriber *next;
  for (subscriber *s = list_of(from)->first; s != NULL; s = next) {
    next = s->next; /* a write may abort s (a subscriber that never reads) */
    pn_conn_write(s->conn, message, total);
  }
  if (message != stack) {
    free(message);
  }
}

static void pubsub_received(pn_conn *conn, const char *data, size_t len) {
  subscriber *self = pn_conn_state(conn);
  if (pn_lines_feed(&self->lines, data, len) != 0) {
    pn_conn_lose(conn);
    return;
  }
  const char *line;
  size_t line_len;
  pn_line_status status;
  while (!pn_conn_closing(conn) &&
         (status = pn_lines_next(&self->lines, &line, &line_len)) != PN_LINE_NONE) {
    if (status == PN_LINE_TOO_LONG) {
      pn_conn_lose(conn);
      return;
    }
    broadcast(conn, line, line_len);
  }
}

const pn_service pn_pubsub_service = {
    .state_size = sizeof(subscriber),
    .opened = pubsub_opened,
    .received = pubsub_received,
    .closed = pubsub_closed,
    .context_size = sizeof(subscribers),
};
