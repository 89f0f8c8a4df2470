#include "ref/servers/conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Queued output: the bytes a write in flight is sending, and those after. */
typedef struct outbox {
  char *data;
  size_t len;
  size_t cap;
} outbox;

struct pn_server {
  uv_loop_t *loop;
  uv_tcp_t listener;
  uv_signal_t sigterm;
  uv_signal_t sigint;
  const pn_service *service;
  void *context;
  int port;
  pn_conn *conns; /* every open connection, to close them all at the end */
  /* Every connection reads into this one buffer: libuv calls a stream's
   * alloc, read and read callbacks in a row, and services copy what they
   * keep (a partial line, queued output), so no connection needs its own. */
  char read_buffer[65536];
};

struct pn_conn {
  uv_tcp_t handle;
  pn_server *server;
  pn_conn *prev, *next;
  outbox queued;    /* waiting for the write in flight to finish */
  outbox in_flight; /* owned by the uv_write in progress */
  uv_write_t write_req;
  int writing;
  int losing;  /* pn_conn_lose: close once the output is sent */
  int closing; /* uv_close called */
  int reading_paused;
  /* the service's state follows, aligned */
  max_align_t state[];
};

static void start_write(pn_conn *conn);

void *pn_conn_state(pn_conn *conn) {
  return conn->state;
}
void *pn_conn_context(pn_conn *conn) {
  return conn->server->context;
}
int pn_conn_local_port(pn_conn *conn) {
  return conn->server->port;
}
int pn_conn_closing(const pn_conn *conn) {
  return conn->losing || conn->closing;
}

static void on_closed(uv_handle_t *handle) {
  pn_conn *conn = (pn_conn *)handle;
  free(conn->queued.data);
  free(conn->in_flight.data);
  free(conn);
}

/* Closes now (queued output is dropped); the service hears `closed` once. */
static void close_conn(pn_conn *conn) {
  if (conn->closing) {
    return;
  }
  conn->closing = 1;
  if (conn->prev != NULL) {
    conn->prev->next = conn->next;
  } else {
    conn->server->conns = conn->next;
  }
  if (conn->next != NULL) {
    conn->next->prev = conn->prev;
  }
  if (conn->server->service->closed != NULL) {
    conn->server->service->closed(conn);
  }
  uv_close((uv_handle_t *)&conn->handle, on_closed);
}

static size_t pending(const pn_conn *conn) {
  return conn->queued.len + conn->in_flight.len;
}

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf) {
  (void)suggested;
  pn_server *server = ((pn_conn *)handle)->server;
  *buf = uv_buf_init(server->read_buffer, sizeof server->read_buffer);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
  pn_conn *conn = (pn_conn *)stream;
  if (nread < 0) {
    close_conn(conn); /* EOF or an error: Twisted's connectionLost */
    return;
  }
  if (nread == 0 || conn->losing || conn->closing) {
    return;
  }
  if (conn->server->service->received != NULL) {
    conn->server->service->received(conn, buf->base, (size_t)nread);
  }
}

static void update_reading(pn_conn *conn) {
  if (conn->closing) {
    return;
  }
  int should_pause = conn->losing || pending(conn) >= PN_CONN_PAUSE_BYTES;
  if (should_pause && !conn->reading_paused) {
    uv_read_stop((uv_stream_t *)&conn->handle);
    conn->reading_paused = 1;
  } else if (!should_pause && conn->reading_paused) {
    conn->reading_paused = 0;
    uv_read_start((uv_stream_t *)&conn->handle, on_alloc, on_read);
  }
}

static void on_written(uv_write_t *req, int status) {
  pn_conn *conn = req->data;
  conn->writing = 0;
  conn->in_flight.len = 0;
  if (conn->closing) {
    return;
  }
  if (status < 0) {
    close_conn(conn);
    return;
  }
  start_write(conn);
}

static void start_write(pn_conn *conn) {
  if (conn->writing || conn->closing) {
    return;
  }
  if (conn->queued.len == 0) {
    if (conn->losing) {
      close_conn(conn);
    } else {
      update_reading(conn);
    }
    return;
  }
  outbox swap = conn->in_flight;
  conn->in_flight = conn->queued;
  conn->queued = swap;
  conn->queued.len = 0;
  uv_buf_t buf = uv_buf_init(conn->in_flight.data, (unsigned int)conn->in_flight.len);
  conn->write_req.data = conn;
  conn->writing = 1;
  if (uv_write(&conn->write_req, (uv_stream_t *)&conn->handle, &buf, 1, on_written) != 0) {
    conn->writing = 0;
    close_conn(conn);
  }
}

int pn_conn_write(pn_conn *conn, const char *data, size_t len) {
  /* As Twisted, bytes written after pn_conn_lose are still sent. */
  if (conn->closing) {
    return -1;
  }
  if (len == 0) {
    return 0;
  }
  if (!conn->writing && conn->queued.len == 0) {
    /* The common case: the socket takes it all now, nothing is copied. */
    uv_buf_t buf = uv_buf_init((char *)data, (unsigned int)len);
    int sent = uv_try_write((uv_stream_t *)&conn->handle, &buf, 1);
    if (sent > 0) {
      data += sent;
      len -= (size_t)sent;
    } else if (sent < 0 && sent != UV_EAGAIN) {
      close_conn(conn);
      return -1;
    }
    if (len == 0) {
      return 0;
    }
  }
  if (pending(conn) + len > PN_CONN_ABORT_BYTES) {
    close_conn(conn); /* a subscriber that never reads: it cannot hold the rest up */
    return -1;
  }
  outbox *q = &conn->queued;
  if (q->len + len > q->cap) {
    size_t cap = q->cap == 0 ? 4096 : q->cap;
    while (cap < q->len + len) {
      cap *= 2;
    }
    char *grown = realloc(q->data, cap);
    if (grown == NULL) {
      close_conn(conn);
      return -1;
    }
    q->data = grown;
    q->cap = cap;
  }
  memcpy(q->data + q->len, data, len);
  q->len += len;
  start_write(conn);
  update_reading(conn);
  return 0;
}

void pn_conn_lose(pn_conn *conn) {
  if (conn->closing || conn->losing) {
    return;
  }
  conn->losing = 1;
  update_reading(conn);
  start_write(conn);
}

static void on_connection(uv_stream_t *listener, int status) {
  pn_server *server = listener->data;
  if (status < 0) {
    return;
  }
  pn_conn *conn = calloc(1, sizeof *conn + server->service->state_size);
  if (conn == NULL) {
    return; /* it stays in the backlog until memory frees */
  }
  conn->server = server;
  uv_tcp_init(server->loop, &conn->handle);
  if (uv_accept(listener, (uv_stream_t *)&conn->handle) != 0) {
    uv_close((uv_handle_t *)&conn->handle, on_closed);
    return;
  }
  uv_tcp_nodelay(&conn->handle, 1);
  conn->next = server->conns;
  if (server->conns != NULL) {
    server->conns->prev = conn;
  }
  server->conns = conn;
  if (server->service->opened != NULL) {
    server->service->opened(conn);
  }
  if (!conn->closing) {
    uv_read_start((uv_stream_t *)&conn->handle, on_alloc, on_read);
  }
}

static void on_stop_signal(uv_signal_t *signal, int signum) {
  (void)signum;
  pn_server *server = signal->data;
  uv_signal_stop(&server->sigterm);
  uv_signal_stop(&server->sigint);
  uv_close((uv_handle_t *)&server->sigterm, NULL);
  uv_close((uv_handle_t *)&server->sigint, NULL);
  uv_close((uv_handle_t *)&server->listener, NULL);
  while (server->conns != NULL) {
    close_conn(server->conns);
  }
}

int pn_server_run(const pn_service *service, int port) {
  uv_loop_t loop;
  pn_server server = {.loop = &loop, .service = service};
  server.context = calloc(1, service->context_size + 1);
  if (server.context == NULL || uv_loop_init(&loop) != 0) {
    free(server.context);
    fprintf(stderr, "pyref serve: cannot start an event loop\n");
    return 1;
  }
  struct sockaddr_in address;
  uv_ip4_addr("127.0.0.1", port, &address);
  uv_tcp_init(&loop, &server.listener);
  server.listener.data = &server;
  int rc = uv_tcp_bind(&server.listener, (const struct sockaddr *)&address, 0);
  if (rc == 0) {
    rc = uv_listen((uv_stream_t *)&server.listener, 4096, on_connection);
  }
  struct sockaddr_storage bound;
  int bound_len = sizeof bound;
  if (rc == 0) {
    rc = uv_tcp_getsockname(&server.listener, (struct sockaddr *)&bound, &bound_len);
  }
  if (rc != 0) {
    fprintf(stderr, "pyref serve: cannot listen on 127.0.0.1:%d: %s\n", port, uv_strerror(rc));
    uv_close((uv_handle_t *)&server.listener, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    free(server.context);
    return 1;
  }
  server.port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
  uv_signal_init(&loop, &server.sigterm);
  uv_signal_init(&loop, &server.sigint);
  server.sigterm.data = &server;
  server.sigint.data = &server;
  uv_signal_start(&server.sigterm, on_stop_signal, SIGTERM);
  uv_signal_start(&server.sigint, on_stop_signal, SIGINT);
  /* A client gone before its answer must not kill the server. */
  signal(SIGPIPE, SIG_IGN);
  printf("listening on 127.0.0.1:%d\n", server.port);
  fflush(stdout);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  free(server.context);
  return 0;
}
