/*
 * A growable byte string: the answer buffer every protocol command writes into.
 *
 * The bytes are always NUL-terminated (data[len] == 0) once anything has been
 * appended, so a buffer can be handed to C string functions; embedded NULs are
 * allowed and counted in len.
 */
#ifndef PYNOTES_REF_PROTOCOL_STRBUF_H_
#define PYNOTES_REF_PROTOCOL_STRBUF_H_

#include <stdarg.h>
#include <stddef.h>

typedef struct pn_strbuf {
  char *data; /* NULL until the first append */
  size_t len;
  size_t cap;
} pn_strbuf;

#define PN_STRBUF_INIT \
  { NULL, 0, 0 }

/* Appends n bytes. Returns 0, or -1 when memory runs out (the buffer is unchanged). */
int pn_strbuf_append(pn_strbuf *buf, const char *bytes, size_t n);

/* Appends a NUL-terminated string. Returns 0 or -1 as pn_strbuf_append. */
int pn_strbuf_puts(pn_strbuf *buf, const char *s);

/* Appends printf-formatted text. Returns 0 or -1 as pn_strbuf_append. */
int pn_strbuf_printf(pn_strbuf *buf, const char *format, ...) __attribute__((format(printf, 2, 3)));
int pn_strbuf_vprintf(pn_strbuf *buf, const char *format, va_list args);

/* Empties the buffer, keeping its memory for reuse. */
void pn_strbuf_clear(pn_strbuf *buf);

/* Frees the memory; the buffer is empty and reusable afterwards. */
void pn_strbuf_free(pn_strbuf *buf);

#endif /* PYNOTES_REF_PROTOCOL_STRBUF_H_ */
