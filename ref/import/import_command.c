#define _POSIX_C_SOURCE 200809L

#include "ref/import/import_command.h"

#include <stdlib.h>
#include <string.h>

#include "ref/import/embed.h"
#include "ref/import/import_run.h"
#include "ref/import/ipython_shell.h"

typedef struct session {
  char *search_path; /* PYREF_PATH when the session opened */
  pn_pyversion python;
} session;

static void *open_session(const pn_command *command, pn_target target) {
  (void)command;
  session *s = calloc(1, sizeof *s);
  if (s == NULL) {
    return NULL;
  }
  s->python = target.python;
  const char *path = getenv("PYREF_PATH");
  s->search_path = strdup(path != NULL ? path : "");
  if (s->search_path == NULL) {
    free(s);
    return NULL;
  }
  return s;
}

static int answer(void *state, const char *line, size_t len, pn_strbuf *out) {
  const session *s = state;
  return pn_import_answer(s->search_path, s->python, line, len, out);
}

static void close_session(void *state) {
  session *s = state;
  free(s->search_path);
  free(s);
}

/* `embed` is the note's call when it has no module (or only --python):
 * IPython's session; `embed MODULE` is the C modules' shell. */
static int embed_program(int argc, char **argv) {
  if (argc == 1 || strncmp(argv[1], "--", 2) == 0) {
    return pn_ipython_main(argc, argv);
  }
  return pn_embed_main(argc, argv);
}

const pn_command pn_import_commands[] = {
    {"import", PN_INPUT_LINES, open_session, answer, close_session, NULL,
     PN_PYVERSIONS(3, 6, 3, 13)},
    {"embed", PN_PROGRAM, NULL, NULL, NULL, embed_program, PN_PYVERSIONS(3, 11, 3, 11)},
};
const size_t pn_import_command_count = sizeof pn_import_commands / sizeof pn_import_commands[0];
