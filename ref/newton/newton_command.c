#include "ref/newton/newton_command.h"

#include <string.h>

#include "ref/newton/newton.h"

/* The script has no state between runs and no version differences we
 * model: the session is the script, newton.py or newton_math.py. */
static const pn_newton_script kNote = PN_NEWTON_NOTE;
static const pn_newton_script kMath = PN_NEWTON_MATH;

static void *open_session(const pn_command *command, pn_target target) {
  (void)target;
  return strcmp(command->name, "newton_math") == 0 ? (void *)&kMath : (void *)&kNote;
}

static int answer(void *state, const char *line, size_t len, pn_strbuf *out) {
  return pn_newton_run(*(const pn_newton_script *)state, line, len, out);
}

static void close_session(void *state) {
  (void)state;
}

const pn_command pn_newton_commands[] = {
    {"newton", PN_INPUT_LINES, open_session, answer, close_session, NULL,
     PN_PYVERSIONS(3, 11, 3, 11)},
    {"newton_math", PN_INPUT_LINES, open_session, answer, close_session, NULL,
     PN_PYVERSIONS(3, 11, 3, 11)},
};
const size_t pn_newton_command_count = sizeof pn_newton_commands / sizeof pn_newton_commands[0];
