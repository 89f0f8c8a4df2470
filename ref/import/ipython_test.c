/*
 * The IPython session's refusals and bookkeeping, in-process (what it prints
 * for the subset is held to IPython's own by the transcripts of
 * golden/import/ipython, //conformance/import): a line outside the subset is
 * refused in IPython's error block and still takes its count, a cell left
 * open reads on with the continuation prompt and runs when its brackets
 * close, a blank line keeps the count.
 */
#include <string.h>

#include "conformance/shim/ctest.h"
#include "ref/import/ipython_shell.h"

static int no_system(void *context, const char *command, pn_strbuf *pending) {
  (void)context;
  (void)command;
  (void)pending;
  return 0;
}

/* What the session prints for line, after the lines before it. */
static void feed(pn_ipython *s, const char *line, pn_strbuf *out) {
  pn_strbuf_clear(out);
  CT_EXPECT_TRUE(pn_ipython_line(s, line, strlen(line), out) == PN_IPYTHON_READING);
}

static int holds(const pn_strbuf *out, const char *text) {
  return out->data != NULL && strstr(out->data, text) != NULL;
}

CT_TEST(ipython, refusals_keep_the_count) {
  pn_ipython *s = pn_ipython_new(no_system, NULL);
  pn_strbuf out = PN_STRBUF_INIT;
  CT_ASSERT_TRUE(s != NULL && pn_ipython_start(s, &out) == 0);
  CT_EXPECT_TRUE(holds(&out, "\nIn [1]: "));
  const char *refused[] = {"'a' * 2", "[1]", "1 == 1", "%pwd", "pwd", "x += 1", "abs(-1)", "True"};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    feed(s, refused[i], &out);
    CT_EXPECT_TRUE(holds(&out, "NotImplementedError                       Traceback"));
    CT_EXPECT_TRUE(holds(&out, "outside the IPython subset of pyref\n"));
  }
  feed(s, "", &out);
  CT_EXPECT_TRUE(holds(&out, "\nIn [9]: "));
  feed(s, "(1 +", &out);
  CT_EXPECT_TRUE(holds(&out, "In [9]: ") == 0 && out.data != NULL &&
                 strcmp(out.data, "   ...: ") == 0);
  feed(s, "2)", &out);
  CT_EXPECT_TRUE(holds(&out, "Out[9]: 3\n\nIn [10]: "));
  /* An error in a cell of several lines is refused, and takes its count. */
  feed(s, "(1 /", &out);
  feed(s, "0)", &out);
  CT_EXPECT_TRUE(holds(&out, "errors in cells of more than one line"));
  CT_EXPECT_TRUE(holds(&out, "\nIn [11]: "));
  feed(s, "1 2", &out);
  CT_EXPECT_TRUE(holds(&out, "    1 2\n      ^\nSyntaxError: invalid syntax\n\n\nIn [12]: "));
  pn_strbuf_clear(&out);
  CT_EXPECT_TRUE(pn_ipython_line(s, "exit", 4, &out) == PN_IPYTHON_ENDED);
  CT_EXPECT_TRUE(out.len == 1 && out.data[0] == '\n');
  pn_strbuf_free(&out);
  pn_ipython_free(s);
}

CT_TEST(ipython, end_of_input_asks_and_leaves) {
  pn_ipython *s = pn_ipython_new(no_system, NULL);
  pn_strbuf out = PN_STRBUF_INIT;
  CT_ASSERT_TRUE(s != NULL && pn_ipython_start(s, &out) == 0);
  feed(s, "(2 *", &out);
  pn_strbuf_clear(&out);
  CT_EXPECT_TRUE(pn_ipython_end_of_input(s, &out) == PN_IPYTHON_ENDED);
  CT_EXPECT_TRUE(out.data != NULL &&
                 strcmp(out.data, "Do you really want to exit ([y]/n)? \n\n") == 0);
  pn_strbuf_free(&out);
  pn_ipython_free(s);
}
