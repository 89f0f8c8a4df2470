#include "ref/orm/orm_command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/orm/commit_series.h"
#include "ref/orm/note_program.h"
#include "ref/orm/scenario.h"

static void *open_session(const pn_command *command, pn_target target) {
  (void)command;
  (void)target;
  static int stateless;
  return &stateless;
}

/* The scenario's lines on one line: without the last newline, each newline
 * written as \n and each backslash as \\. */
static int answer(void *state, const char *line, size_t len, pn_strbuf *out) {
  (void)state;
  pn_strbuf text = PN_STRBUF_INIT;
  int rc = pn_orm_scenario_run(line, len, &text);
  size_t n = text.len > 0 && text.data[text.len - 1] == '\n' ? text.len - 1 : text.len;
  for (size_t i = 0; i < n && rc == 0; i++) {
    char c = text.data[i];
    rc = c == '\n'   ? pn_strbuf_puts(out, "\\n")
         : c == '\\' ? pn_strbuf_puts(out, "\\\\")
                     : pn_strbuf_append(out, &c, 1);
  }
  pn_strbuf_free(&text);
  return rc;
}

static void close_session(void *state) {
  (void)state;
}

/* orm-note --db PATH [--echo]: exit 0, 1 when the program raised, 2 for a
 * bad command line. */
static int run_note(int argc, char **argv) {
  const char *path = NULL;
  int echo = 0;
  int bad = 0;
  for (int i = 1; i < argc && !bad; i++) {
    if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
      path = argv[++i];
    } else if (strcmp(argv[i], "--echo") == 0) {
      echo = 1;
    } else {
      bad = 1;
    }
  }
  if (bad || path == NULL) {
    fputs("usage: orm-note --db PATH [--echo]\n", stderr);
    return 2;
  }
  pn_strbuf out = PN_STRBUF_INIT;
  int rc = pn_orm_note_run(path, echo, 1, &out);
  if (out.len > 0) {
    fwrite(out.data, 1, out.len, stdout);
  }
  fflush(stdout);
  pn_strbuf_free(&out);
  if (rc < 0) {
    fputs("orm-note: out of memory\n", stderr);
    return 1;
  }
  return rc;
}

/* orm-commits --db PATH --count N: exit 0, 1 after an error, 2 for a bad
 * command line. */
static int run_commits(int argc, char **argv) {
  const char *path = NULL;
  long count = -1;
  int bad = 0;
  for (int i = 1; i < argc && !bad; i++) {
    char *end = NULL;
    if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
      path = argv[++i];
    } else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
      count = strtol(argv[++i], &end, 10);
      bad = *end != 0 || count < 0;
    } else {
      bad = 1;
    }
  }
  if (bad || path == NULL || count < 0) {
    fputs("usage: orm-commits --db PATH --count N\n", stderr);
    return 2;
  }
  return pn_orm_commit_series(path, count, stdout);
}

const pn_command pn_orm_commands[] = {
    {"orm", PN_INPUT_LINES, open_session, answer, close_session, NULL, PN_PYVERSIONS(3, 11, 3, 11)},
    {"orm-note", PN_PROGRAM, NULL, NULL, NULL, run_note, PN_PYVERSIONS(3, 11, 3, 11)},
    {"orm-commits", PN_PROGRAM, NULL, NULL, NULL, run_commits, PN_PYVERSIONS(3, 11, 3, 11)},
};
const size_t pn_orm_command_count = sizeof pn_orm_commands / sizeof pn_orm_commands[0];
