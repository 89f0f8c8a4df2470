/*
 * Network transcripts (the .txt files of golden/servers; format in golden/README.md):
 * a golden file whose header names a server and whose blocks are steps of
 * named clients. This reads the steps and matches received bytes against an
 * Expect's Data with its placeholders; conformance/servers/servers_test.c
 * plays them over sockets.
 */
#ifndef PYNOTES_CONFORMANCE_SERVERS_TRANSCRIPT_H_
#define PYNOTES_CONFORMANCE_SERVERS_TRANSCRIPT_H_

#include <stdbool.h>
#include <stddef.h>

#include "conformance/golden_reader/golden_file.h"
#include "ref/protocol/strbuf.h"

typedef enum pn_step_kind {
  PN_STEP_CONNECT,
  PN_STEP_SEND,
  PN_STEP_CLOSE,
  PN_STEP_EXPECT,
  PN_STEP_EXPECT_CLOSE,
  PN_STEP_EXPECT_SILENCE,
} pn_step_kind;

typedef struct pn_step {
  pn_step_kind kind;
  const char *client; /* letters, digits and '_' */
  int line;           /* of the step in its golden file */
  /* Send and Expect: Data written Data-Repeat times (malloc'd), with the
   * placeholders still in it. */
  char *data;
  size_t data_len;
  bool reset;      /* Close: How = reset (the client sends RST) */
  long silence_ms; /* Expect-Silence: For-Ms */
} pn_step;

typedef struct pn_transcript {
  const char *server; /* the header's Server: echo, web or pubsub */
  size_t count;
  pn_step *steps;
} pn_transcript;

/* Reads the steps of a parsed golden file (marking every key it knows read).
 * Returns 0, or -1 with "PATH:LINE: what is wrong" in *problem. The
 * transcript points into file, which must outlive it. */
int pn_transcript_read(pn_golden_file *file, pn_transcript *transcript, pn_strbuf *problem);

/* Frees what pn_transcript_read allocated; the transcript is empty after. */
void pn_transcript_free(pn_transcript *transcript);

/* Send data with its placeholders replaced (`$$` -> `$`, `${PORT}` -> port)
 * appended to *out. Returns 0, or -1 (out of memory, or another placeholder,
 * described in *problem). */
int pn_transcript_expand_send(const char *data, size_t len, int port, pn_strbuf *out,
                              pn_strbuf *problem);

/* An Expect's data compiled for matching: bytes, and which of them stand for
 * a ${DATE} value (29 bytes of an RFC 1123 date, checked by shape). */
typedef struct pn_expectation {
  pn_strbuf bytes;
  pn_strbuf is_date; /* one byte per byte of `bytes`: 1 inside a ${DATE} */
} pn_expectation;

/* Compiles data (`$$`, `${PORT}`, `${DATE}`) for the given port. Returns 0,
 * or -1 with the reason in *problem. Free with pn_expectation_free. */
int pn_expectation_compile(const char *data, size_t len, int port, pn_expectation *expectation,
                           pn_strbuf *problem);
void pn_expectation_free(pn_expectation *expectation);

/* Compares received[0..len) with the start of the expectation. Returns the
 * offset of the first byte that does not match, or len when all match (so a
 * full match is a return value of expectation->bytes.len with len equal to
 * it). */
size_t pn_expectation_mismatch(const pn_expectation *expectation, const char *received, size_t len);

/* Appends bytes[from..to) written readably (printable ASCII as is, \r \n \t
 * \\ \" and \xHH escapes) to *out. */
void pn_transcript_show(pn_strbuf *out, const char *bytes, size_t from, size_t to);

#endif /* PYNOTES_CONFORMANCE_SERVERS_TRANSCRIPT_H_ */
