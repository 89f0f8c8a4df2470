/*
 * The external transport against small shell programs that misbehave on
 * purpose: each failure must be reported for its case, never hang or crash
 * the suite, and the next case must get a fresh process.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/harness/impl.h"
#include "conformance/shim/ctest.h"

static pn_ask_status ask(const char *impl, double timeout, const char *input, pn_strbuf *answer,
                         pn_strbuf *problem) {
  pn_impl_shutdown();
  pn_impl_configure(impl, timeout, 1.0);
  return pn_impl_ask("sha256", "3.11", input, input ? strlen(input) : 0, 0, answer, problem);
}

static const char *text(const pn_strbuf *buf) {
  return buf->data ? buf->data : "";
}

CT_TEST(ExternalImpl, AnswersLineByLineFromOneProcess) {
  pn_strbuf answer = PN_STRBUF_INIT, problem = PN_STRBUF_INIT;
  /* `cat` ignores the protocol's arguments only when they are not files. */
  CT_EXPECT_INT_EQ(PN_ASK_OK, ask("sh -c 'exec cat' cat", 10, "first", &answer, &problem));
  CT_EXPECT_STR_EQ("first", text(&answer));
  pn_strbuf_clear(&answer);
  CT_EXPECT_INT_EQ(PN_ASK_OK, pn_impl_ask("sha256", "3.11", "second", 6, 0, &answer, &problem));
  CT_EXPECT_STR_EQ("second", text(&answer));
  CT_EXPECT_STR_EQ("", text(&problem));
  pn_impl_shutdown();
  pn_strbuf_free(&answer);
  pn_strbuf_free(&problem);
}

CT_TEST(ExternalImpl, PassesCommandAndPythonVersion) {
  pn_strbuf answer = PN_STRBUF_INIT, problem = PN_STRBUF_INIT;
  CT_EXPECT_INT_EQ(PN_ASK_OK, ask("sh -c 'echo \"$@\"' sh", 10, NULL, &answer, &problem));
  CT_EXPECT_STR_EQ("sha256 --python=3.11", text(&answer));
  pn_strbuf_free(&answer);
  pn_strbuf_free(&problem);
}

CT_TEST(ExternalImpl, BigInputAndAnswerDoNotDeadlock) {
  enum { kSize = 4 << 20 };
  static char big[kSize + 1];
  memset(big, 'a', kSize);
  pn_strbuf answer = PN_STRBUF_INIT, problem = PN_STRBUF_INIT;
  /* cat writes while we still write: both pipes fill unless the harness
   * reads and writes at once. */
  CT_EXPECT_INT_EQ(PN_ASK_OK, ask("sh -c 'exec cat' cat", 20, big, &answer, &problem));
  CT_EXPECT_INT_EQ(kSize, answer.len);
  pn_impl_shutdown();
  pn_strbuf_free(&answer);
  pn_strbuf_free(&problem);
}

CT_TEST(ExternalImpl, ReportsACrashWithItsSignalAndStderr) {
  pn_strbuf answer = PN_STRBUF_INIT, problem = PN_STRBUF_INIT;
  CT_EXPECT_INT_EQ(PN_ASK_FAILED, ask("sh -c 'read line; echo dying >&2; kill -SEGV $$' sh", 10,
                                      "x", &answer, &problem));
  CT_EXPECT_TRUE(strstr(text(&problem), "killed by signal 11") != NULL);
  CT_EXPECT_TRUE(strstr(text(&problem), "dying") != NULL);
  pn_strbuf_free(&answer);
  pn_strbuf_free(&problem);
}

CT_TEST(ExternalImpl, KillsAHangAfterTheTimeLimit) {
  pn_strbuf answer = PN_STRBUF_INIT, problem = PN_STRBUF_INIT;
  CT_EXPECT_INT_EQ(PN_ASK_FAILED, ask("sleep 600 #", 0.3, "x", &answer, &problem));
  CT_EXPECT_TRUE(strstr(text(&problem), "no answer within") != NULL);
  pn_strbuf_free(&answer);
  pn_strbuf_free(&problem);
}

CT_TEST(ExternalImpl, ExitStatusTwoAtStartIsARefusal) {
  pn_strbuf answer = PN_STRBUF_INIT, problem = PN_STRBUF_INIT;
  CT_EXPECT_INT_EQ(PN_ASK_UNSUPPORTED,
                   ask("sh -c 'echo no such command >&2; exit 2' sh", 10, "x", &answer, &problem));
  CT_EXPECT_TRUE(strstr(text(&problem), "no such command") != NULL);
  pn_strbuf_free(&answer);
  pn_strbuf_free(&problem);
}

CT_TEST(ExternalImpl, RestartsAfterAFailure) {
  pn_strbuf answer = PN_STRBUF_INIT, problem = PN_STRBUF_INIT;
  /* Answers one line per process, then exits: the second ask fails, the
   * third gets a new process. */
  const char *impl = "sh -c 'read line; echo \"got $line\"' sh";
  CT_EXPECT_INT_EQ(PN_ASK_OK, ask(impl, 10, "a", &answer, &problem));
  CT_EXPECT_STR_EQ("got a", text(&answer));
  pn_strbuf_clear(&answer);
  CT_EXPECT_INT_EQ(PN_ASK_FAILED, pn_impl_ask("sha256", "3.11", "b", 1, 0, &answer, &problem));
  CT_EXPECT_TRUE(strstr(text(&problem), "exited with status 0") != NULL);
  pn_strbuf_clear(&answer);
  CT_EXPECT_INT_EQ(PN_ASK_OK, pn_impl_ask("sha256", "3.11", "c", 1, 0, &answer, &problem));
  CT_EXPECT_STR_EQ("got c", text(&answer));
  pn_impl_shutdown();
  pn_strbuf_free(&answer);
  pn_strbuf_free(&problem);
}

CT_TEST(InProcessImpl, AnswersFromTheReference) {
  pn_strbuf answer = PN_STRBUF_INIT, problem = PN_STRBUF_INIT;
  CT_EXPECT_INT_EQ(PN_ASK_OK, ask(NULL, 10, "616263", &answer, &problem));
  CT_EXPECT_STR_EQ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                   text(&answer));
  pn_strbuf_clear(&answer);
  CT_EXPECT_INT_EQ(PN_ASK_FAILED,
                   pn_impl_ask("no_such_command", "3.11", "x", 1, 0, &answer, &problem));
  CT_EXPECT_TRUE(strstr(text(&problem), "no command 'no_such_command'") != NULL);
  pn_impl_shutdown();
  pn_strbuf_free(&answer);
  pn_strbuf_free(&problem);
}

/* Answers each line after a second. */
#define SLOW_ECHO "sh -c 'while read line; do sleep 1; echo \"$line\"; done' slow"

CT_TEST(ExternalImpl, ACaseTimeoutLongerThanTheDefaultApplies) {
  pn_strbuf answer = PN_STRBUF_INIT, problem = PN_STRBUF_INIT;
  CT_EXPECT_INT_EQ(PN_ASK_FAILED, ask(SLOW_ECHO, 0.3, "a", &answer, &problem));
  pn_strbuf_clear(&problem);
  CT_EXPECT_INT_EQ(PN_ASK_OK, pn_impl_ask("sha256", "3.11", "b", 1, 10, &answer, &problem));
  CT_EXPECT_STR_EQ("b", text(&answer));
  /* A case limit below the default does not shorten it. */
  pn_impl_shutdown();
  pn_impl_configure(SLOW_ECHO, 10, 1.0);
  pn_strbuf_clear(&answer);
  CT_EXPECT_INT_EQ(PN_ASK_OK, pn_impl_ask("sha256", "3.11", "c", 1, 0.1, &answer, &problem));
  CT_EXPECT_STR_EQ("c", text(&answer));
  pn_impl_shutdown();
  pn_strbuf_free(&answer);
  pn_strbuf_free(&problem);
}

CT_TEST(ExternalImpl, TheFactorMultipliesEveryLimit) {
  pn_strbuf answer = PN_STRBUF_INIT, problem = PN_STRBUF_INIT;
  pn_impl_shutdown();
  pn_impl_configure(SLOW_ECHO, 0.3, 20.0);
  CT_EXPECT_INT_EQ(PN_ASK_OK, pn_impl_ask("sha256", "3.11", "a", 1, 0, &answer, &problem));
  CT_EXPECT_STR_EQ("a", text(&answer));
  pn_impl_shutdown();
  pn_strbuf_free(&answer);
  pn_strbuf_free(&problem);
}

CT_TEST(ExternalImpl, EachNewSessionHasANewGeneration) {
  pn_strbuf answer = PN_STRBUF_INIT, problem = PN_STRBUF_INIT;
  CT_EXPECT_INT_EQ(PN_ASK_OK, ask("sh -c 'exec cat' cat", 10, "a", &answer, &problem));
  unsigned long first = pn_impl_session_generation("sha256", "3.11");
  CT_EXPECT_TRUE(first != 0);
  CT_EXPECT_INT_EQ(PN_ASK_OK, pn_impl_ask("sha256", "3.11", "b", 1, 0, &answer, &problem));
  CT_EXPECT_TRUE(first == pn_impl_session_generation("sha256", "3.11"));
  CT_EXPECT_TRUE(pn_impl_session_generation("sha256", "3.6") == 0);
  pn_impl_shutdown();
  CT_EXPECT_TRUE(pn_impl_session_generation("sha256", "3.11") == 0);
  CT_EXPECT_INT_EQ(PN_ASK_OK, ask("sh -c 'exec cat' cat", 10, "c", &answer, &problem));
  CT_EXPECT_TRUE(pn_impl_session_generation("sha256", "3.11") > first);
  pn_impl_shutdown();
  pn_strbuf_free(&answer);
  pn_strbuf_free(&problem);
}

CT_TEST(ProgramImpl, SpawnsTheImplementationWithArguments) {
  pn_impl_shutdown();
  pn_impl_configure("sh -c 'echo \"$@\"; read line; echo \"$line\" >&2' sh", 10, 1.0);
  CT_EXPECT_STR_EQ("sh -c 'echo \"$@\"; read line; echo \"$line\" >&2' sh", pn_impl_command());
  char *args[] = {"serve", "echo", "--port", "0", NULL};
  int to_child, from_child, err_child;
  pn_strbuf problem = PN_STRBUF_INIT;
  pid_t pid = pn_impl_spawn(args, &to_child, &from_child, &err_child, &problem);
  CT_ASSERT_TRUE(pid > 0);
  CT_EXPECT_INT_EQ(6, write(to_child, "hello\n", 6));
  close(to_child);
  char out[64] = "", err[64] = "";
  CT_EXPECT_INT_EQ(20, read(from_child, out, sizeof out - 1));
  CT_EXPECT_STR_EQ("serve echo --port 0\n", out);
  CT_EXPECT_INT_EQ(6, read(err_child, err, sizeof err - 1));
  CT_EXPECT_STR_EQ("hello\n", err);
  int status = -1;
  CT_EXPECT_INT_EQ(pid, waitpid(pid, &status, 0));
  CT_EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  close(from_child);
  close(err_child);
  pn_strbuf_free(&problem);
}

CT_TEST(ExternalImpl, RemembersARefusalWithoutStartingAgain) {
  pn_strbuf answer = PN_STRBUF_INIT, problem = PN_STRBUF_INIT;
  char starts[] = "/tmp/pynotes_refusal_XXXXXX";
  int fd = mkstemp(starts);
  CT_ASSERT_TRUE(fd >= 0);
  close(fd);
  pn_strbuf impl = PN_STRBUF_INIT;
  CT_ASSERT_TRUE(pn_strbuf_printf(&impl, "sh -c 'echo started >> %s; exit 2' sh", starts) == 0);
  CT_EXPECT_INT_EQ(PN_ASK_UNSUPPORTED, ask(impl.data, 10, "x", &answer, &problem));
  pn_strbuf_clear(&problem);
  CT_EXPECT_INT_EQ(PN_ASK_UNSUPPORTED, pn_impl_ask("sha256", "3.11", "y", 1, 0, &answer, &problem));
  CT_EXPECT_TRUE(strstr(text(&problem), "refused") != NULL);
  /* Another version is another question: it starts the implementation. */
  CT_EXPECT_INT_EQ(PN_ASK_UNSUPPORTED, pn_impl_ask("sha256", "3.12", "y", 1, 0, &answer, &problem));
  pn_impl_shutdown();
  FILE *log = fopen(starts, "r");
  CT_ASSERT_TRUE(log != NULL);
  int lines = 0;
  for (int ch; (ch = fgetc(log)) != EOF;) {
    lines += ch == '\n';
  }
  fclose(log);
  unlink(starts);
  CT_EXPECT_INT_EQ(2, lines);
  pn_strbuf_free(&impl);
  pn_strbuf_free(&answer);
  pn_strbuf_free(&problem);
}
