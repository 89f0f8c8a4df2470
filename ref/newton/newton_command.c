#include "ref/newton/newton_command.h"

#include "ref/newton/newton.h"

/* The script has no state between runs and no version differences we
 * model: the session is a token. */
static void *open_session(const pn_command *command, pn_pyversion python) {
  (void)python;
  return (void *)command;
}

static int answer(void *state, const char *line, size_t len, pn_strbuf *out) {
  (void)state;
  return pn_newton_run(line, len, out);
}

static void close_session(void *state) {
  (void)state;
}

const pn_command pn_newton_commands[] = {
    {"newton", PN_INPUT_LINES, open_session, answer, close_session, NULL},
};
const size_t pn_newton_command_count = sizeof pn_newton_commands / sizeof pn_newton_commands[0];
