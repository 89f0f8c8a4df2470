/* libFuzzer target: any line given to the `newton` command (tokenizer,
 * parser, evaluator and the 100 Newton steps) gets one answer line and no
 * crash, leak or undefined behaviour. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ref/newton/newton.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pn_strbuf out = PN_STRBUF_INIT;
  if (pn_newton_run(PN_NEWTON_NOTE, (const char *)data, size, &out) == 0 &&
      (out.len == 0 || memchr(out.data, '\n', out.len) != NULL)) {
    __builtin_trap(); /* an answer is exactly one non-empty line */
  }
  pn_strbuf_free(&out);
  return 0;
}
