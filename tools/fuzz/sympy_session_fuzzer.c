/* libFuzzer target: the input's lines run in one `sympy` session (state
 * carries over, as in the protocol), each answered with exactly one line
 * and no crash, leak or undefined behaviour. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ref/sympy/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sy_session *s = sy_session_new();
  if (s == NULL) {
    return 0;
  }
  const char *text = (const char *)data;
  size_t start = 0;
  for (size_t lines = 0; start <= size && lines < 64; lines++) {
    const char *end = memchr(text + start, '\n', size - start);
    size_t len = end != NULL ? (size_t)(end - (text + start)) : size - start;
    pn_strbuf out = PN_STRBUF_INIT;
    if (sy_session_run(s, text + start, len, &out) == 0 && out.len > 0 &&
        memchr(out.data, '\n', out.len) != NULL) {
      __builtin_trap(); /* an answer is one line */
    }
    pn_strbuf_free(&out);
    start += len + 1;
  }
  sy_session_free(s);
  return 0;
}
