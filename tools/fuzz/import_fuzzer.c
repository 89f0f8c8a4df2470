/* libFuzzer target: any import line (ref/import/import_line.c) parses to
 * steps or a SyntaxError message, and runs through the importer (an empty
 * search path: resolution, relative names and errors without loading
 * anything) to exactly one non-empty answer line, with no crash, leak or
 * undefined behaviour. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ref/import/import_line.h"
#include "ref/import/import_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pn_import_line parsed;
  pn_strbuf message = PN_STRBUF_INIT;
  int rc = pn_import_line_parse((const char *)data, size, &parsed, &message);
  if (rc == 0) {
    if (parsed.count == 0) {
      __builtin_trap(); /* a line has at least one step */
    }
    pn_import_line_free(&parsed);
  } else if (rc == 1 && message.len == 0) {
    __builtin_trap(); /* a syntax error says what is wrong */
  }
  pn_strbuf_free(&message);

  pn_strbuf out = PN_STRBUF_INIT;
  if (pn_import_answer("", PN_PYVERSION_DEFAULT, (const char *)data, size, &out) == 0 &&
      (out.len == 0 || memchr(out.data, '\n', out.len) != NULL)) {
    __builtin_trap(); /* an answer is exactly one non-empty line */
  }
  pn_strbuf_free(&out);
  return 0;
}
