/*
 * The import note: every golden import line (recorded from CPython on the
 * Python tree) answered by the implementation, with pyref searching the C
 * mirror of that tree (conformance/import/ctree, staged in the runfiles).
 * And the note's IPython sessions (golden/import/ipython), replayed against
 * `IMPL embed` by ipython_sessions.c. The C reference's parts are tested on
 * their own in ref/import/import_test.c.
 */
#define _GNU_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "conformance/harness/golden_suite.h"
#include "conformance/import/ipython_sessions.h"

/* The fixture tree, as an absolute path (a child process may change its
 * directory): set once by stage_trees before any test runs. */
static char ctree[4096];

static void stage_trees(void) {
  char cwd[4000];
  if (getcwd(cwd, sizeof cwd) == NULL) {
    abort();
  }
  snprintf(ctree, sizeof ctree, "%s/conformance/import/ctree", cwd);
  /* pyref, in-process or as a process, searches PYREF_PATH. */
  setenv("PYREF_PATH", ctree, 1);
}
CT_SETUP(stage_trees)

CT_GOLDEN_SUITE(import, "golden/import", ct_run_line_case)

/* The note's IPython sessions: transcripts of `IMPL embed` (always a process). */
static void register_sessions(void) {
  ct_ipython_sessions("golden/import/ipython");
}
CT_SETUP(register_sessions)
