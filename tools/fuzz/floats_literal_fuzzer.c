/* libFuzzer target for the floats note's float-literal reader: any line
 * given to repr, sum or fsum (under any --python version) gets one answer
 * line and no crash; every literal the reader accepts has a repr that reads
 * back to the same double, bit for bit; the line after a space (which the
 * one-pass path for plain decimals leaves to the general reader) gets the
 * same status and value; and a plain ASCII decimal reads as glibc's
 * correctly rounded strtod reads it. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
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

/* Whether line[0..len) holds only the bytes of a plain decimal literal
 * (digits, point, sign, exponent mark): strtod then reads what float() does. */
static int plain_decimal_bytes(const char *line, size_t len) {
  for (size_t i = 0; i < len; i++) {
    if (strchr("0123456789.+-eE", line[i]) == NULL || line[i] == '\0') {
      return 0;
    }
  }
  return len > 0;
}

/* The one-pass path and the general reader agree on line, and strtod does
 * on plain decimals it accepts. */
static void check_paths_agree(const char *line, size_t len) {
  char spaced[256];
  if (len + 2 > sizeof spaced) {
    return;
  }
  spaced[0] = ' ';
  memcpy(spaced + 1, line, len);
  spaced[len + 1] = '\0';
  double plain = 0, general = 0;
  pn_literal_status a = pn_float_from_string(line, len, &plain);
  pn_literal_status b = pn_float_from_string(spaced, len + 1, &general);
  if (a != b || (a == PN_LITERAL_OK && memcmp(&plain, &general, sizeof plain) != 0 &&
                 !(isnan(plain) && isnan(general)))) {
    __builtin_trap();
  }
  if (a == PN_LITERAL_OK && plain_decimal_bytes(line, len)) {
    double want = strtod(spaced + 1, NULL);
    if (memcmp(&plain, &want, sizeof want) != 0) {
      __builtin_trap();
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) {
    return 0;
  }
  const char *line = (const char *)data + 1;
  size_t len = size - 1;
  double x;
  pn_pyversion python = {3, 6 + (data[0] >> 4) % 8};
  check_paths_agree(line, len);
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
  void *state = command->open(command, (pn_target){python, PN_POINTER_SIZE_DEFAULT});
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
