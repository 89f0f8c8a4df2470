/*
 * Connections on one libuv loop, for the servers note's three protocols.
 *
 * A service (echo, web, pubsub) sees a connection open, receive bytes and
 * close; it writes with pn_conn_write and ends a connection as Twisted's
 * loseConnection does (pn_conn_lose: stop reading, send what is queued, then
 * close). Output is bounded: past PN_CONN_PAUSE_BYTES queued the connection
 * stops reading (a client that never reads stops being read, so echo and web
 * cannot grow); past PN_CONN_ABORT_BYTES (only a broadcast to a subscriber
 * that never reads gets there) the connection is aborted.
 */
#ifndef PYNOTES_REF_SERVERS_CONN_H_
#define PYNOTES_REF_SERVERS_CONN_H_

#include <stddef.h>
#include <uv.h>

#define PN_CONN_PAUSE_BYTES ((size_t)1 << 20)
#define PN_CONN_ABORT_BYTES ((size_t)16 << 20)

typedef struct pn_conn pn_conn;
typedef struct pn_server pn_server;

typedef struct pn_service {
  /* Bytes of per-connection state, zeroed, at pn_conn_state(). */
  size_t state_size;
  /* Each may be NULL. `received` gets bytes in order; `closed` runs once,
   * whoever closed, after which the connection is gone. */
  void (*opened)(pn_conn *conn);
  void (*received)(pn_conn *conn, const char *data, size_t len);
  void (*closed)(pn_conn *conn);
  /* Bytes of service-wide state (the web counter, the subscriber list),
   * zeroed at the start of each pn_server_run, at pn_conn_context(). */
  size_t context_size;
} pn_service;

/* The connection's service state (state_size bytes), and the service-wide
 * state of its server (context_size bytes). */
void *pn_conn_state(pn_conn *conn);
void *pn_conn_context(pn_conn *conn);
/* The port the server listens on. */
int pn_conn_local_port(pn_conn *conn);

/* Queues len bytes for the client (also after pn_conn_lose, as Twisted
 * does). Returns 0, or -1 when the connection is
 * closing or memory runs out (the connection is then aborted). */
int pn_conn_write(pn_conn *conn, const char *data, size_t len);

/* Twisted's loseConnection: no more bytes are read or delivered; what is
 * queued is sent; then the socket closes. */
void pn_conn_lose(pn_conn *conn);

/* Whether pn_conn_lose was called or the connection is going away. */
int pn_conn_closing(const pn_conn *conn);

/* Runs `service` on 127.0.0.1:port (0: any free port) until SIGTERM or
 * SIGINT, printing `listening on 127.0.0.1:PORT` to stdout once it accepts
 * connections. Returns 0 after a clean stop, 1 (with a line on stderr) when
 * the server cannot start. */
int pn_server_run(const pn_service *service, int port);

#endif /* PYNOTES_REF_SERVERS_CONN_H_ */
