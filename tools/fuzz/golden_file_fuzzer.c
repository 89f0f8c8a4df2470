/* libFuzzer target: the C golden-file reader must reject or accept any bytes
 * without crashing, leaking or reading out of bounds. */
#include <stddef.h>
#include <stdint.h>

#include "conformance/golden_reader/golden_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pn_golden_file file;
  char error[PN_GOLDEN_ERROR_MAX];
  if (pn_golden_parse("fuzz.txt", (const char *)data, size, &file, error) == 0) {
    for (size_t i = 0; i < file.case_count; i++) {
      size_t len;
      char *input = pn_golden_expand_input(&file.cases[i], &len);
      if (input != NULL) {
        __builtin_free(input);
      }
      pn_golden_first_unused(&file.cases[i]);
    }
    pn_golden_free(&file);
  }
  return 0;
}
