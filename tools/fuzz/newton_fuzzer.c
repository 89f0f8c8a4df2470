/* libFuzzer target: any line given to the `newton` and `newton_math`
 * commands (tokenizer, parser, evaluator and the 100 Newton steps, under the
 * note's script and under its variant with math) gets one answer line and no
 * crash, leak or undefined behaviour. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ref/newton/newton.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const pn_newton_script scripts[] = {PN_NEWTON_NOTE, PN_NEWTON_MATH};
  for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++) {
    pn_strbuf out = PN_STRBUF_INIT;
    if (pn_newton_run(scripts[i], (const char *)data, size, &out) == 0 &&
        (out.len == 0 || memchr(out.data, '\n', out.len) != NULL)) {
      __builtin_trap(); /* an answer is exactly one non-empty line */
    }
    pn_strbuf_free(&out);
  }
  return 0;
}
