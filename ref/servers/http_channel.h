/*
 * An HTTP/1.x request parser that reads a connection's bytes as Twisted
 * 22.4's HTTPChannel does (twisted/web/http.py), for the request-counter
 * resource, whose answers are immediate:
 *
 * - "\r\n" lines (LineReceiver, MAX_LENGTH 16384: a longer line closes the
 *   connection without an answer);
 * - request line and headers at most 16384 bytes in all, at most 500
 *   headers, a request line of exactly three whitespace-separated words
 *   with an ASCII method, `Name: value` headers (continuation lines
 *   joined), Content-Length digits only and given once; otherwise
 *   "400 Bad Request" and the connection closes;
 * - one empty line before a request is skipped; the body (Content-Length
 *   bytes, or a `Transfer-Encoding: chunked` body decoded as
 *   _ChunkedTransferDecoder does) is read and dropped; pipelined requests
 *   are answered in order.
 *
 * Chunked bodies, as Twisted reads them: a size line of hex digits only (no
 * sign, prefix or spaces), optionally `;` and extension bytes from
 * _chunkExtChars, ended by "\r\n" within 1024 bytes; then the data and
 * "\r\n"; after the zero-size chunk, trailer lines (at most 64 KiB in all)
 * up to an empty line. Anything else, and a second Content-Length or
 * Transfer-Encoding: chunked, is "400 Bad Request".
 */
#ifndef PYNOTES_REF_SERVERS_HTTP_CHANNEL_H_
#define PYNOTES_REF_SERVERS_HTTP_CHANNEL_H_

#include <stdbool.h>
#include <stddef.h>

#include "ref/protocol/strbuf.h"
#include "ref/servers/lines.h"

#define PN_HTTP_TOTAL_HEADERS_SIZE 16384
#define PN_HTTP_MAX_HEADERS 500
#define PN_HTTP_MAX_CHUNK_SIZE_LINE 1024 /* http.maxChunkSizeLineLength */
#define PN_HTTP_MAX_TRAILER_SIZE 65536   /* _ChunkedTransferDecoder's trailer bound */

/* Where a chunked body is: _ChunkedTransferDecoder's states. */
typedef enum pn_chunk_state {
  PN_CHUNK_SIZE,    /* reading a chunk size line */
  PN_CHUNK_DATA,    /* chunk_left bytes of data to go */
  PN_CHUNK_CRLF,    /* the "\r\n" after a chunk's data */
  PN_CHUNK_TRAILER, /* trailer lines after the zero-size chunk */
} pn_chunk_state;

typedef enum pn_http_event {
  PN_HTTP_NEED_MORE,   /* feed more bytes */
  PN_HTTP_REQUEST,     /* a whole request: answer it, then ask again */
  PN_HTTP_CONTINUE,    /* send "HTTP/1.1 100 Continue\r\n\r\n", then ask again */
  PN_HTTP_BAD_REQUEST, /* send "HTTP/1.1 400 Bad Request\r\n\r\n" and close */
  PN_HTTP_CLOSE,       /* close without an answer (a line too long) */
} pn_http_event;

typedef struct pn_http_channel {
  pn_lines lines;
  int first_line; /* 1: expecting a request line; 2: one empty line skipped; 0: in headers */
  bool persistent;
  bool in_body;
  bool done; /* a bad request, a line too long, or a request after which the connection closes */
  unsigned long long body_left;
  bool has_length; /* a Content-Length or chunked coding chose how the body ends */
  bool chunked;
  pn_chunk_state chunk_state;
  unsigned long long chunk_left;
  size_t trailer_size;
  size_t header_size;
  size_t header_count;
  bool connection_close;        /* the first Connection header holds the token "close" */
  bool answer_connection_close; /* the request just parsed: answer with Connection: close */
  bool seen_connection;
  bool expect_continue;
  pn_strbuf pending_header; /* the header line whose continuation may follow */
  bool has_pending_header;
  /* The current request. */
  pn_strbuf method, uri, version;
} pn_http_channel;

/* A channel ready for its first request. */
void pn_http_channel_init(pn_http_channel *channel);
void pn_http_channel_free(pn_http_channel *channel);

/* Adds received bytes. Returns 0, or -1 when memory runs out. */
int pn_http_channel_feed(pn_http_channel *channel, const char *data, size_t len);

/* Parses buffered bytes up to the next event. After PN_HTTP_REQUEST the
 * request is in method, uri and version (NUL-terminated), `persistent` says
 * whether the connection stays open after the answer, and
 * answer_connection_close whether the answer carries `Connection: close`. After BAD_REQUEST and
 * CLOSE, and after a request that is not persistent, every later call
 * answers NEED_MORE. */
pn_http_event pn_http_channel_next(pn_http_channel *channel);

#endif /* PYNOTES_REF_SERVERS_HTTP_CHANNEL_H_ */
