/* libFuzzer target: the IPython session of `pyref embed` (ref/import's
 * ipython_shell: ref/py's statement parser, the evaluator, the cell reader)
 * on any bytes, split into at most 64 lines, then the end of input: every
 * line answered, the session ending once, no crash, leak or undefined
 * behaviour. `ls` runs nothing here. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ref/import/ipython_shell.h"

static int no_system(void *context, const char *command, pn_strbuf *pending) {
  (void)context;
  (void)command;
  pn_strbuf_clear(pending);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pn_ipython *session = pn_ipython_new(no_system, NULL);
  pn_strbuf out = PN_STRBUF_INIT;
  if (session == NULL || pn_ipython_start(session, &out) != 0) {
    __builtin_trap();
  }
  const char *text = (const char *)data;
  int state = PN_IPYTHON_READING;
  size_t start = 0;
  for (int lines = 0; state == PN_IPYTHON_READING && start < size && lines < 64; lines++) {
    const char *newline = memchr(text + start, '\n', size - start);
    size_t end = newline != NULL ? (size_t)(newline - text) : size;
    pn_strbuf_clear(&out);
    state = pn_ipython_line(session, text + start, end - start, &out);
    if (state < 0 || out.len == 0) {
      __builtin_trap(); /* every line prints at least its next prompt or a newline */
    }
    start = end + 1;
  }
  if (state == PN_IPYTHON_READING && pn_ipython_end_of_input(session, &out) != PN_IPYTHON_ENDED) {
    __builtin_trap();
  }
  pn_strbuf_free(&out);
  pn_ipython_free(session);
  return 0;
}
