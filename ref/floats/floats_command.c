#include "ref/floats/floats_command.h"

#include "ref/floats/float_info.h"

/* float_info has no state; any non-NULL pointer marks an open session. */
static void *open_stateless(const pn_command *command, pn_pyversion python) {
  (void)python;
  return (void *)command;
}

static void close_stateless(void *state) {
  (void)state;
}

static int answer_float_info(void *state, const char *line, size_t len, pn_strbuf *out) {
  (void)state;
  (void)line;
  (void)len;
  /* Unchanged from 3.6 to 3.13: the fields come from the C double. */
  pn_float_info info = pn_float_info_get();
  return pn_float_info_repr(&info, out);
}

const pn_command pn_floats_commands[] = {
    {"float_info", PN_INPUT_NONE, open_stateless, answer_float_info, close_stateless, NULL},
};
const size_t pn_floats_command_count = sizeof pn_floats_commands / sizeof pn_floats_commands[0];
