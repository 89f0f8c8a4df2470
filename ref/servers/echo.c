#include "ref/servers/services.h"

/* Twisted's Echo protocol: dataReceived writes the data back. */
static void echo_received(pn_conn *conn, const char *data, size_t len) {
  pn_conn_write(conn, data, len);
}

const pn_service pn_echo_service = {.received = echo_received};
