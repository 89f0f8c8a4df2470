/* libFuzzer target: sympify of any string (the sympify tokenizer, parser
 * and the expression core) gives one answer line and no crash, leak or
 * undefined behaviour. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ref/sympy/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pn_strbuf out = PN_STRBUF_INIT;
  if (sy_sympify_string((const char *)data, size, &out) == 0 &&
      (out.len == 0 || memchr(out.data, '\n', out.len) != NULL)) {
    __builtin_trap(); /* an answer is exactly one non-empty line */
  }
  pn_strbuf_free(&out);
  return 0;
}
