/*
 * Twisted's LineReceiver framing (twisted/protocols/basic.py): lines end at
 * "\r\n" only; a line longer than PN_LINES_MAX_LENGTH (16384) bytes, or that
 * many bytes plus two without a line end, is "too long" and ends the
 * connection. Also gives raw bytes, for an HTTP body.
 */
#ifndef PYNOTES_REF_SERVERS_LINES_H_
#define PYNOTES_REF_SERVERS_LINES_H_

#include <stddef.h>

#define PN_LINES_MAX_LENGTH 16384

typedef struct pn_lines {
  char *data;
  size_t start; /* bytes before start are consumed */
  size_t len;
  size_t cap;
} pn_lines;

#define PN_LINES_INIT \
  { NULL, 0, 0, 0 }

/* Appends received bytes. Returns 0, or -1 when memory runs out. */
int pn_lines_feed(pn_lines *lines, const char *data, size_t len);

typedef enum pn_line_status {
  PN_LINE_NONE,     /* no complete line yet */
  PN_LINE_READY,    /* *line, *len: the next line, without "\r\n" */
  PN_LINE_TOO_LONG, /* Twisted's lineLengthExceeded: the buffer is dropped */
} pn_line_status;

/* The next line. *line stays valid until the next call that feeds or takes. */
pn_line_status pn_lines_next(pn_lines *lines, const char **line, size_t *len);

/* Takes up to max buffered bytes as they are (raw mode); returns how many. */
size_t pn_lines_take(pn_lines *lines, size_t max, const char **data);

/* The buffered bytes, without consuming them (*data stays valid until the
 * next call that feeds or takes); returns how many. */
size_t pn_lines_peek(const pn_lines *lines, const char **data);

/* Bytes buffered and not consumed. */
size_t pn_lines_buffered(const pn_lines *lines);

void pn_lines_free(pn_lines *lines);

#endif /* PYNOTES_REF_SERVERS_LINES_H_ */
