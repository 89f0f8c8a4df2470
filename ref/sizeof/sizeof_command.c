#include "ref/sizeof/sizeof_command.h"

#include <stdlib.h>

#include "ref/sizeof/sizeof_eval.h"

typedef struct session {
  pn_target target;
} session;

static void *open_session(const pn_command *command, pn_target target) {
  (void)command;
  session *s = malloc(sizeof *s);
  if (s != NULL) {
    s->target = target;
  }
  return s;
}

static int answer(void *state, const char *line, size_t len, pn_strbuf *out) {
  const session *s = state;
  return pn_getsizeof_answer(s->target, line, len, out);
}

static void close_session(void *state) {
  free(state);
}

const pn_command pn_sizeof_commands[] = {
    /* 3.14: the sizes of Pyodide's 32-bit CPython 3.14 (sizeof_model); other
     * targets of 3.14 are refused case by case. */
    {"getsizeof", PN_INPUT_LINES, open_session, answer, close_session, NULL,
     PN_PYVERSIONS(3, 6, 3, 14)},
};
const size_t pn_sizeof_command_count = sizeof pn_sizeof_commands / sizeof pn_sizeof_commands[0];
