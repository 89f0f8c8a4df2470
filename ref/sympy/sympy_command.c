#include "ref/sympy/sympy_command.h"

#include "ref/sympy/session.h"

/* One session per open: a new process's prompt. */
static void *open_session(const pn_command *command, pn_target target) {
  (void)command;
  (void)target;
  return sy_session_new();
}

static int answer(void *state, const char *line, size_t len, pn_strbuf *out) {
  return sy_session_run(state, line, len, out);
}

static void close_session(void *state) {
  sy_session_free(state);
}

const pn_command pn_sympy_commands[] = {
    {"sympy", PN_INPUT_LINES, open_session, answer, close_session, NULL,
     PN_PYVERSIONS(3, 11, 3, 11)},
};
const size_t pn_sympy_command_count = sizeof pn_sympy_commands / sizeof pn_sympy_commands[0];
