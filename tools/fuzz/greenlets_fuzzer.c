/* libFuzzer target: any scenario line given to the `greenlets` command is
 * parsed, and when it parses, run (virtual time, so sleeps cost nothing):
 * one answer line, no crash, no hang. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ref/greenlets/greenlets_command.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const pn_command *command = &pn_greenlets_commands[0];
  void *state = command->open(command, (pn_target){PN_PYVERSION_DEFAULT, PN_POINTER_SIZE_DEFAULT});
  if (state == NULL) {
    return 0;
  }
  pn_strbuf out = PN_STRBUF_INIT;
  if (command->answer(state, (const char *)data, size, &out) == 0 && out.len > 0 &&
      memchr(out.data, '\n', out.len) != NULL) {
    __builtin_trap(); /* an answer must stay on one line */
  }
  pn_strbuf_free(&out);
  command->close(state);
  return 0;
}
