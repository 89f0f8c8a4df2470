/* libFuzzer target: any line given to getsizeof (the literal reader, the
 * evaluator and the layout model), under every --python version, gets one
 * answer line and no crash, leak or undefined behaviour. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ref/sizeof/sizeof_eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) {
    return 0;
  }
  /* The first byte picks the version; 3.11 most often, as it is modelled in full. */
  pn_pyversion python = {3, data[0] < 192 ? 11 : 6 + data[0] % 8};
  pn_strbuf out = PN_STRBUF_INIT;
  if (pn_getsizeof_answer(python, (const char *)data + 1, size - 1, &out) == 0 &&
      (out.len == 0 || memchr(out.data, '\n', out.len) != NULL)) {
    __builtin_trap(); /* an answer is exactly one non-empty line */
  }
  pn_strbuf_free(&out);
  return 0;
}
