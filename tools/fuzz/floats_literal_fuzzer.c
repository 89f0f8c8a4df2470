/* libFuzzer target for the floats note's float-literal reader: any line
 * given to repr, sum or fsum (under any --python version) gets one answer
 * line and no crash; and every literal the reader accepts has a repr that
 * reads back to the same double, bit for bit. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ref/floats/float_literal.h"
#include "ref/floats/float_repr.h"
#include "ref/floats/floats_command.h"

static const pn_command *find_command(const char *name) {
  for (size_t i = 0; i < pn_floats_command_count; i++) {
    if (strcmp(pn_floats_commands[i].name, name) == 0) {
      return &pn_floats_commands[i];
    }
  }
  __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) {
    return 0;
  }
  const char *line = (const char *)data + 1;
  size_t len = size - 1;
  double x;
  pn_pyversion python = {3, 6 + (data[0] >> 4) % 8};
  if (pn_float_parse_literal(line, len, python, &x) == PN_LITERAL_OK && !isnan(x)) {
    char text[PN_FLOAT_REPR_MAX];
    int n = pn_float_repr(x, text);
    double back;
    if (pn_float_from_string(text, (size_t)n, &back) != PN_LITERAL_OK ||
        memcmp(&back, &x, sizeof x) != 0) {
      __builtin_trap(); /* repr must read back exactly */
    }
  }
  /* The first byte picks the command and the version. */
  static const char *const kNames[] = {"repr", "sum", "fsum"};
  const pn_command *command = find_command(kNames[data[0] % 3]);
  void *state = command->open(command, python);
  if (state == NULL) {
    return 0;
  }
  pn_strbuf out = PN_STRBUF_INIT;
  if (command->answer(state, line, len, &out) == 0 &&
      (out.len == 0 || memchr(out.data, '\n', out.len) != NULL)) {
    __builtin_trap(); /* one non-empty line per answer */
  }
  pn_strbuf_free(&out);
  command->close(state);
  return 0;
}
