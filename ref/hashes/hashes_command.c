#include "ref/hashes/hashes_command.h"

#include <stdint.h>
#include <stdlib.h>

#include "ref/hashes/fromhex.h"
#include "ref/hashes/hashes.h"

typedef struct session {
  pn_hasher *hasher;
  pn_pyversion python;
  uint8_t *message; /* decoded input, reused across lines */
  size_t message_cap;
} session;

static void *open_session(const pn_command *command, pn_target target) {
  session *s = calloc(1, sizeof *s);
  if (s == NULL) {
    return NULL;
  }
  s->python = target.python;
  s->hasher = pn_hasher_new(command->name);
  if (s->hasher == NULL) {
    free(s);
    return NULL;
  }
  return s;
}

static int answer(void *state, const char *line, size_t len, pn_strbuf *out) {
  session *s = state;
  if (len / 2 + 1 > s->message_cap) {
    uint8_t *grown = realloc(s->message, len / 2 + 1);
    if (grown == NULL) {
      return -1;
    }
    s->message = grown;
    s->message_cap = len / 2 + 1;
  }
  size_t message_len = 0;
  size_t bad_position = 0;
  if (pn_fromhex(line, len, s->python, s->message, &message_len, &bad_position) != 0) {
    return pn_answer_exception(out, "ValueError",
                               "non-hexadecimal number found in fromhex() arg at position %zu",
                               bad_position);
  }
  char hex[PN_HEXDIGEST_MAX];
  if (pn_hasher_hexdigest(s->hasher, s->message, message_len, hex) != 0) {
    return -1;
  }
  return pn_strbuf_puts(out, hex);
}

static void close_session(void *state) {
  session *s = state;
  pn_hasher_free(s->hasher);
  free(s->message);
  free(s);
}

#define HASH_COMMAND(name) \
  { name, PN_INPUT_LINES, open_session, answer, close_session, NULL, PN_PYVERSIONS(3, 6, 3, 13) }

const pn_command pn_hashes_commands[] = {
    HASH_COMMAND("sha256"), HASH_COMMAND("sha224"), HASH_COMMAND("sha384"),
    HASH_COMMAND("sha512"), HASH_COMMAND("md5"),    HASH_COMMAND("sha1"),
};
const size_t pn_hashes_command_count = sizeof pn_hashes_commands / sizeof pn_hashes_commands[0];
