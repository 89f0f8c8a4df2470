/* libFuzzer target: any protocol line given to the hash commands, under
 * every --python version, gets one answer line and no crash. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ref/hashes/hashes_command.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) {
    return 0;
  }
  /* The first byte picks the command and the version. */
  const pn_command *command = &pn_hashes_commands[data[0] % pn_hashes_command_count];
  pn_pyversion python = {3, 6 + (data[0] >> 4) % 8};
  void *state = command->open(command, (pn_target){python, PN_POINTER_SIZE_DEFAULT});
  if (state == NULL) {
    return 0;
  }
  pn_strbuf out = PN_STRBUF_INIT;
  if (command->answer(state, (const char *)data + 1, size - 1, &out) == 0 &&
      memchr(out.data, '\n', out.len) != NULL) {
    __builtin_trap(); /* an answer must stay on one line */
  }
  pn_strbuf_free(&out);
  command->close(state);
  return 0;
}
