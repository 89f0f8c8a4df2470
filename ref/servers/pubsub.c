#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/protocol/strbuf.h"
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

/* The note's PubProtocol has no connectionLost: a client that left stays in
 * Twisted's set, and every later sendLine to it is dropped by its closed
 * transport. Unlinking it here sends the same bytes to every open client and
 * keeps memory bounded. */
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

/* Sends `len` bytes of broadcast lines to every subscriber, in the order
 * they connected. */
static void broadcast(pn_conn *from, const char *message, size_t len) {
  subscriber *next;
  for (subscriber *s = list_of(from)->first; s != NULL; s = next) {
    next = s->next; /* a write may abort s (a subscriber that never reads) */
    pn_conn_write(s->conn, message, len);
  }
}

/* sendLine(b"<" + getHost() + b">" + line) for each complete line, in
 * order. The lines of one read go out in one write per subscriber: the same
 * bytes as a write per line (nothing else runs in between on this loop), at
 * a fraction of the system calls, as Twisted's transport buffers them until
 * the reactor writes. Lines before an over-long one are sent before the
 * connection is lost, as LineReceiver does. */
static void pubsub_received(pn_conn *conn, const char *data, size_t len) {
  subscriber *self = pn_conn_state(conn);
  if (pn_lines_feed(&self->lines, data, len) != 0) {
    pn_conn_lose(conn);
    return;
  }
  char prefix[96];
  int prefix_len =
      snprintf(prefix, sizeof prefix, "<IPv4Address(type='TCP', host='127.0.0.1', port=%d)>",
               pn_conn_local_port(conn));
  pn_strbuf batch = PN_STRBUF_INIT;
  const char *line;
  size_t line_len;
  pn_line_status status = PN_LINE_NONE;
  while (!pn_conn_closing(conn) &&
         (status = pn_lines_next(&self->lines, &line, &line_len)) == PN_LINE_READY) {
    if (pn_strbuf_append(&batch, prefix, (size_t)prefix_len) != 0 ||
        pn_strbuf_append(&batch, line, line_len) != 0 || pn_strbuf_append(&batch, "\r\n", 2) != 0) {
      status = PN_LINE_TOO_LONG; /* out of memory: drop this client */
      break;
    }
  }
  if (batch.len > 0) {
    broadcast(conn, batch.data, batch.len);
  }
  pn_strbuf_free(&batch);
  if (status == PN_LINE_TOO_LONG) {
    pn_conn_lose(conn);
  }
}

const pn_service pn_pubsub_service = {
    .state_size = sizeof(subscriber),
    .opened = pubsub_opened,
    .received = pubsub_received,
    .closed = pubsub_closed,
    .context_size = sizeof(subscribers),
};
