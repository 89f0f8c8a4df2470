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
  /* The first byte picks the version and the pointer size: 3.11 on 8-byte
   * pointers most often, as it is modelled in full, then 3.14 on 4-byte ones,
   * then any version on either. */
  pn_target target = {{3, 11}, 8};
  if (data[0] >= 160) {
    target = (pn_target){{3, 6 + data[0] % 9}, data[0] & 1 ? 4 : 8};
  } else if (data[0] >= 128) {
    target = (pn_target){{3, 14}, 4};
  }
  pn_strbuf out = PN_STRBUF_INIT;
  if (pn_getsizeof_answer(target, (const char *)data + 1, size - 1, &out) == 0 &&
      (out.len == 0 || memchr(out.data, '\n', out.len) != NULL)) {
    __builtin_trap(); /* an answer is exactly one non-empty line */
  }
  pn_strbuf_free(&out);
  return 0;
}
