/* Properties of the sympy session that no golden line shows: sessions are
 * independent, globals().clear() frees what a session held, and inputs far
 * past every limit answer with an error line instead of crashing. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/shim/ctest.h"
#include "ref/sympy/session.h"

/* The answer to line in session s, as a malloc'd string. */
static char *ask(sy_session *s, const char *line) {
  pn_strbuf out = {0};
  CT_EXPECT_INT_EQ(0, sy_session_run(s, line, strlen(line), &out));
  const char *text = out.data != NULL ? out.data : "";
  char *answer = malloc(strlen(text) + 1);
  if (answer == NULL) {
    abort(); /* the test cannot go on without memory */
  }
  memcpy(answer, text, strlen(text) + 1);
  pn_strbuf_free(&out);
  return answer;
}

static void expect_answer(sy_session *s, const char *line, const char *expected) {
  char *answer = ask(s, line);
  CT_EXPECT_STR_EQ(expected, answer);
  free(answer);
}

static bool starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

CT_TEST(SympySession, SessionsAreIndependent) {
  sy_session *a = sy_session_new();
  sy_session *b = sy_session_new();
  CT_ASSERT_TRUE(a != NULL && b != NULL);
  expect_answer(a, "from sympy import *", "");
  expect_answer(a, "t = Symbol('t')", "");
  expect_answer(a, "t + t", "2*t");
  char *other = ask(b, "t");
  CT_EXPECT_TRUE(starts_with(other, "NameError: name 't' is not defined"));
  free(other);
  sy_session_free(a);
  sy_session_free(b);
}

CT_TEST(SympySession, ClearForgetsEverythingAndStaysUsable) {
  sy_session *s = sy_session_new();
  CT_ASSERT_TRUE(s != NULL);
  for (int round = 0; round < 3; round++) {
    expect_answer(s, "from sympy import *", "");
    expect_answer(s, "x, y = symbols('x y')", "");
    expect_answer(s, "expand((x + y)**3)", "x**3 + 3*x**2*y + 3*x*y**2 + y**3");
    expect_answer(s, "globals().clear()", "");
    char *gone = ask(s, "x");
    CT_EXPECT_TRUE(starts_with(gone, "NameError: name 'x' is not defined"));
    free(gone);
  }
  sy_session_free(s);
}

/* A line of `count` copies of unit around a middle. */
static char *repeated(const char *left, const char *middle, const char *right, size_t count) {
  size_t l = strlen(left), m = strlen(middle), r = strlen(right);
  char *line = malloc(count * (l + r) + m + 1);
  char *p = line;
  for (size_t i = 0; i < count; i++, p += l) {
    memcpy(p, left, l);
  }
  memcpy(p, middle, m);
  p += m;
  for (size_t i = 0; i < count; i++, p += r) {
    memcpy(p, right, r);
  }
  *p = '\0';
  return line;
}

CT_TEST(SympySession, DeepInputsAnswerWithAnErrorLine) {
  sy_session *s = sy_session_new();
  CT_ASSERT_TRUE(s != NULL);
  expect_answer(s, "from sympy import *", "");
  expect_answer(s, "x = Symbol('x')", "");
  struct {
    const char *left, *middle, *right;
    size_t count;
  } cases[] = {
      {"(", "x", ")", 100000},   {"x**", "x", "", 100000},    {"-", "x", "", 100000},
      {"cos(", "x", ")", 50000}, {"sympify('", "x", "')", 3}, {"[", "x", "]", 100000},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *line = repeated(cases[i].left, cases[i].middle, cases[i].right, cases[i].count);
    char *answer = ask(s, line);
    CT_EXPECT_TRUE(strlen(answer) > 0);
    free(answer);
    free(line);
  }
  /* A sympify string nested deeper than any session line may be. */
  char *inner = repeated("(", "x", ")", 100000);
  pn_strbuf out = {0};
  CT_EXPECT_INT_EQ(0, sy_sympify_string(inner, strlen(inner), &out));
  CT_EXPECT_TRUE(out.len > 0 && out.data[0] != 'x');
  pn_strbuf_free(&out);
  free(inner);
  /* Growth built up over many lines is bounded too. */
  expect_answer(s, "e = x", "");
  char *last = NULL;
  for (int i = 0; i < 2100; i++) {
    free(last);
    last = ask(s, "e = cos(e)");
  }
  CT_EXPECT_STR_EQ("RecursionError: maximum recursion depth exceeded", last);
  free(last);
  expect_answer(s, "expand((x + 1)**100000)", "MemoryError");
  sy_session_free(s);
}
