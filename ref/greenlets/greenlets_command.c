#include "ref/greenlets/greenlets_command.h"

#include "ref/greenlets/scenario.h"
#include "ref/greenlets/scenario_run.h"

/* Every case starts a new hub, so the session holds nothing. */
static void *open_session(const pn_command *command, pn_target target) {
  (void)command;
  (void)target;
  static int no_state;
  return &no_state;
}

static int answer(void *state, const char *line, size_t len, pn_strbuf *out) {
  (void)state;
  pn_strbuf error = PN_STRBUF_INIT;
  pn_scenario *scenario = pn_scenario_parse(line, len, &error);
  int status;
  if (scenario == NULL) {
    status = error.len > 0 ? pn_answer_exception(out, "SyntaxError", "%s", error.data) : -1;
  } else {
    status = pn_scenario_run(scenario, out);
  }
  pn_scenario_free(scenario);
  pn_strbuf_free(&error);
  return status;
}

static void close_session(void *state) {
  (void)state;
}

const pn_command pn_greenlets_commands[] = {
    {"greenlets", PN_INPUT_LINES, open_session, answer, close_session, NULL,
     PN_PYVERSIONS(3, 11, 3, 11)},
};
const size_t pn_greenlets_command_count =
    sizeof pn_greenlets_commands / sizeof pn_greenlets_commands[0];
