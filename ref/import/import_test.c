/*
 * The import reference's parts on their own: the importer's cache, the line
 * parser, and the embed shell, in-process and through a pseudo-terminal, on
 * the fixture trees of //conformance/import (ctree, the C mirror of the
 * golden Python tree, and crashtree). The golden import lines run in
 * //conformance/import.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conformance/shim/ctest.h"
#include "ref/import/embed.h"
#include "ref/import/import_line.h"
#include "ref/import/import_run.h"
#include "ref/import/importer.h"

/* The fixture trees, as absolute paths (a child process may change its
 * directory): set once by stage_trees before any test runs. */
static char ctree[4096], crashtree[4096], both_trees[8200];

static void stage_trees(void) {
  char cwd[4000];
  if (getcwd(cwd, sizeof cwd) == NULL) {
    abort();
  }
  snprintf(ctree, sizeof ctree, "%s/conformance/import/ctree", cwd);
  snprintf(crashtree, sizeof crashtree, "%s/conformance/import/crashtree", cwd);
  snprintf(both_trees, sizeof both_trees, "%s:%s", ctree, crashtree);
}
CT_SETUP(stage_trees)

/* ---- the importer ---- */

static pn_module *import_ok(pn_importer *importer, const char *name) {
  pn_import_caller caller = {NULL, "__main__", false};
  pn_import_error error = {NULL, NULL, NULL};
  pn_module *module = NULL;
  if (pn_import(importer, name, NULL, 0, 0, &caller, &module, &error) != 0) {
    CT_FAIL("import %s: %s: %s", name, error.type, error.message);
    pn_import_error_clear(&error);
    return NULL;
  }
  return module;
}

CT_TEST(Importer, SecondImportIsTheCachedModule) {
  pn_importer *importer = pn_importer_new(ctree);
  CT_ASSERT_TRUE(importer != NULL);
  pn_module *first = import_ok(importer, "alpha");
  pn_module *second = import_ok(importer, "alpha");
  CT_ASSERT_TRUE(first != NULL);
  CT_EXPECT_TRUE(first == second);
  CT_EXPECT_TRUE(pn_importer_lookup(importer, "alpha") == first);
  pn_importer_free(importer);
}

CT_TEST(Importer, FailedInitialiserLeavesTheCache) {
  pn_importer *importer = pn_importer_new(ctree);
  CT_ASSERT_TRUE(importer != NULL);
  pn_import_caller caller = {NULL, "__main__", false};
  pn_import_error error = {NULL, NULL, NULL};
  pn_module *module = NULL;
  CT_EXPECT_INT_EQ(-1, pn_import(importer, "broken", NULL, 0, 0, &caller, &module, &error));
  CT_EXPECT_STR_EQ("RuntimeError", error.type);
  CT_EXPECT_STR_EQ("broken on purpose", error.message);
  CT_EXPECT_TRUE(pn_importer_lookup(importer, "broken") == NULL);
  pn_import_error_clear(&error);
  pn_importer_free(importer);
}

CT_TEST(Importer, SearchPathOrderAndEmptyEntries) {
  /* An empty entry and a folder without the module come before the tree. */
  char path[8300];
  snprintf(path, sizeof path, "::%s:%s", crashtree, ctree);
  pn_importer *importer = pn_importer_new(path);
  CT_ASSERT_TRUE(importer != NULL);
  CT_EXPECT_TRUE(import_ok(importer, "pkg") != NULL);
  pn_importer_free(importer);
}

CT_TEST(Importer, NoSearchPathFindsNothing) {
  pn_strbuf out = PN_STRBUF_INIT;
  CT_EXPECT_INT_EQ(0, pn_import_answer(NULL, PN_PYVERSION_DEFAULT, "import name=alpha", 17, &out));
  CT_EXPECT_STR_EQ("ModuleNotFoundError: No module named 'alpha'", out.data);
  pn_strbuf_free(&out);
}

/* ---- the line parser ---- */

CT_TEST(ImportLine, ParsesEveryField) {
  static const char kLine[] =
      " import name=pkg.sub fromlist=a,,b level=2 package=p.q ;call m f -3 4";
  pn_import_line parsed;
  pn_strbuf message = PN_STRBUF_INIT;
  CT_ASSERT_TRUE(pn_import_line_parse(kLine, strlen(kLine), &parsed, &message) == 0);
  CT_ASSERT_TRUE(parsed.count == 2);
  const pn_import_step *step = &parsed.steps[0];
  CT_EXPECT_INT_EQ(PN_STEP_IMPORT, step->kind);
  CT_EXPECT_STR_EQ("pkg.sub", step->name);
  CT_ASSERT_TRUE(step->fromlist_len == 3);
  CT_EXPECT_STR_EQ("", step->fromlist[1]);
  CT_EXPECT_STR_EQ("b", step->fromlist[2]);
  CT_EXPECT_INT_EQ(2, step->level);
  CT_EXPECT_STR_EQ("p.q", step->package);
  step = &parsed.steps[1];
  CT_EXPECT_INT_EQ(PN_STEP_CALL, step->kind);
  CT_EXPECT_STR_EQ("f", step->function);
  CT_ASSERT_TRUE(step->nargs == 2);
  CT_EXPECT_INT_EQ(-3, step->args[0]);
  CT_EXPECT_INT_EQ(4, step->args[1]);
  pn_import_line_free(&parsed);
  pn_strbuf_free(&message);
}

CT_TEST(ImportLine, NulAndLongIntsAreSyntaxErrors) {
  static const char kNul[] = "import name=a\0b";
  static const char kLong[] = "call m f 1234567890123456789";
  pn_import_line parsed;
  pn_strbuf message = PN_STRBUF_INIT;
  CT_EXPECT_INT_EQ(1, pn_import_line_parse(kNul, sizeof kNul - 1, &parsed, &message));
  CT_EXPECT_STR_EQ("line is not printable ASCII", message.data);
  pn_strbuf_clear(&message);
  CT_EXPECT_INT_EQ(1, pn_import_line_parse(kLong, strlen(kLong), &parsed, &message));
  CT_EXPECT_STR_EQ("usage: call MODULE FUNCTION [INT...]", message.data);
  pn_strbuf_free(&message);
}

CT_TEST(ImportLine, ThousandsOfDotsAreARecursionErrorNotACrash) {
  char line[6000] = "import name=";
  memset(line + strlen(line), '.', 5000);
  line[12 + 5000] = '\0';
  pn_strbuf out = PN_STRBUF_INIT;
  CT_EXPECT_INT_EQ(0, pn_import_answer(ctree, PN_PYVERSION_DEFAULT, line, strlen(line), &out));
  CT_EXPECT_STR_EQ("RecursionError: maximum recursion depth exceeded", out.data);
  pn_strbuf_free(&out);
}

/* ---- the embed shell, in-process ---- */

static void expect_eval(pn_shell *shell, const char *line, const char *expected) {
  pn_strbuf out = PN_STRBUF_INIT;
  CT_EXPECT_INT_EQ(0, pn_shell_eval(shell, line, &out));
  CT_EXPECT_STR_EQ(expected, out.data != NULL ? out.data : "");
  pn_strbuf_free(&out);
}

CT_TEST(Shell, ListsCallsAndShowsValues) {
  pn_strbuf out = PN_STRBUF_INIT;
  pn_shell *shell = pn_shell_new(ctree, "alpha", &out);
  CT_ASSERT_TRUE(shell != NULL);
  expect_eval(
      shell, "ls",
      "ANSWER = 42\nGREETING = 'hello'\nadd = <function add>\nanswer = <function answer>\n");
  expect_eval(shell, "add(2, 40)", "42\n");
  expect_eval(shell, "  GREETING  ", "'hello'\n");
  expect_eval(shell, "add(1)", "TypeError: add() missing 1 required positional argument: 'b'\n");
  expect_eval(shell, "nope", "NameError: name 'nope' is not defined\n");
  expect_eval(shell, "add(1,", "SyntaxError: invalid syntax\n");
  expect_eval(shell, "import pkg.inner.deep", "");
  expect_eval(shell, "pkg.inner.deep.depth()", "3\n");
  expect_eval(shell, "pkg.VERSION.nope", "AttributeError: 'int' object has no attribute 'nope'\n");
  expect_eval(shell, "ls pkg.inner", "DEPTH = 2\ndeep = <module 'pkg.inner.deep'>\n");
  expect_eval(shell, "import broken", "RuntimeError: broken on purpose\n");
  expect_eval(shell, "", "");
  pn_strbuf result = PN_STRBUF_INIT;
  CT_EXPECT_INT_EQ(1, pn_shell_eval(shell, "exit", &result));
  pn_strbuf_free(&result);
  pn_shell_free(shell);
  pn_strbuf_free(&out);
}

CT_TEST(Shell, CrashingInitialiserIsReportedAndTheShellGoesOn) {
  pn_strbuf out = PN_STRBUF_INIT;
  pn_shell *shell = pn_shell_new(both_trees, "alpha", &out);
  CT_ASSERT_TRUE(shell != NULL);
  pn_strbuf crash = PN_STRBUF_INIT;
  CT_EXPECT_INT_EQ(0, pn_shell_eval(shell, "import crash", &crash));
  CT_EXPECT_TRUE(crash.data != NULL && strncmp(crash.data, "crashed: the initialiser of crash",
                                               strlen("crashed: the initialiser of crash")) == 0);
  pn_strbuf_free(&crash);
  expect_eval(shell, "answer()", "42\n");
  pn_shell_free(shell);
  pn_strbuf_free(&out);
}

CT_TEST(Shell, EmbeddingAMissingModuleFails) {
  pn_strbuf out = PN_STRBUF_INIT;
  CT_EXPECT_TRUE(pn_shell_new(ctree, "nope", &out) == NULL);
  CT_EXPECT_STR_EQ("ModuleNotFoundError: No module named 'nope'\n", out.data);
  pn_strbuf_free(&out);
}

/* ---- the embed program through a pseudo-terminal ---- */

typedef struct terminal {
  pid_t pid;
  int master;
  char seen[65536]; /* output not yet matched by expect */
  size_t len;
} terminal;

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

/* Reads until text appears (consuming the output up to its end), for at
 * most 20 s. Returns 1 if it appeared. */
static int expect_output(terminal *t, const char *text) {
  double deadline = now_seconds() + 20;
  for (;;) {
    char *found = memmem(t->seen, t->len, text, strlen(text));
    if (found != NULL) {
      size_t used = (size_t)(found - t->seen) + strlen(text);
      memmove(t->seen, t->seen + used, t->len - used);
      t->len -= used;
      return 1;
    }
    double left = deadline - now_seconds();
    struct pollfd p = {t->master, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0 || t->len == sizeof t->seen) {
      break;
    }
    ssize_t n = read(t->master, t->seen + t->len, sizeof t->seen - t->len);
    if (n <= 0) {
      break;
    }
    t->len += (size_t)n;
  }
  CT_FAIL("expected %s in the terminal's output; it showed: %.*s", text, (int)t->len, t->seen);
  return 0;
}

static void type_keys(terminal *t, const char *keys) {
  size_t len = strlen(keys);
  CT_EXPECT_TRUE(write(t->master, keys, len) == (ssize_t)len);
}

CT_TEST(EmbedProgram, PromptHistoryListingCallsAndACrash) {
  terminal *t = calloc(1, sizeof *t);
  CT_ASSERT_TRUE(t != NULL);
  t->pid = forkpty(&t->master, NULL, NULL, NULL);
  CT_ASSERT_TRUE(t->pid >= 0);
  if (t->pid == 0) {
    setenv("PYREF_PATH", both_trees, 1);
    setenv("TERM", "xterm", 1);
    execl("ref/pyref", "pyref", "embed", "alpha", (char *)NULL);
    _exit(127);
  }
  if (expect_output(t, "In [1]: ")) {
    type_keys(t, "add(2, 40)\r");
    expect_output(t, "42\r\n");
    expect_output(t, "In [2]: ");
    /* Up-arrow recalls the last line from the history. */
    type_keys(t, "\033[A\r");
    expect_output(t, "42\r\n");
    expect_output(t, "In [3]: ");
    /* Line editing: left-arrow twice (before "0)"), then a digit: add(2, 410). */
    type_keys(t, "add(2, 40)\033[D\033[D1\r");
    expect_output(t, "412\r\n");
    type_keys(t, "ls\r");
    expect_output(t, "GREETING = 'hello'");
    type_keys(t, "import crash\r");
    expect_output(t, "crashed: the initialiser of crash");
    type_keys(t, "answer()\r");
    expect_output(t, "42\r\n");
    type_keys(t, "exit\r");
  }
  int status = -1;
  double deadline = now_seconds() + 20;
  while (waitpid(t->pid, &status, WNOHANG) == 0 && now_seconds() < deadline) {
    char drain[4096];
    struct pollfd p = {t->master, POLLIN, 0};
    if (poll(&p, 1, 50) > 0 && read(t->master, drain, sizeof drain) <= 0) {
      usleep(10000);
    }
  }
  if (status == -1) {
    kill(t->pid, SIGKILL);
    waitpid(t->pid, &status, 0);
    CT_FAIL("pyref embed did not exit");
  } else {
    CT_EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  close(t->master);
  free(t);
}
