/* Properties of the sympy session that no golden line shows: sessions are
 * independent, globals().clear() frees what a session held, inputs far past
 * every limit answer with an error line instead of crashing, thousands of
 * names bind and rebind, and the sort key is a consistent order. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/shim/ctest.h"
#include "ref/sympy/evaluate.h"
#include "ref/sympy/expr.h"
#include "ref/sympy/order.h"
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

/* The namespace's hash table: thousands of names bound, rebound and
 * looked up (each name's value is the int it was given, so the echo is
 * known without any oracle), then forgotten by globals().clear(). */
CT_TEST(SympySession, ManyNamesBindAndRebind) {
  sy_session *s = sy_session_new();
  CT_ASSERT_TRUE(s != NULL);
  expect_answer(s, "from sympy import *", "");
  char line[64], value[32];
  for (int i = 0; i < 3000; i++) {
    snprintf(line, sizeof line, "name_%d = %d", i, i);
    expect_answer(s, line, "");
  }
  for (int i = 0; i < 3000; i += 7) {
    snprintf(line, sizeof line, "name_%d = %d", i, -i);
    expect_answer(s, line, "");
  }
  for (int i = 0; i < 3000; i++) {
    snprintf(line, sizeof line, "name_%d", i);
    snprintf(value, sizeof value, "%d", i % 7 == 0 ? -i : i);
    expect_answer(s, line, value);
  }
  expect_answer(s, "globals().clear()", "");
  char *gone = ask(s, "name_5");
  CT_EXPECT_TRUE(starts_with(gone, "NameError: name 'name_5' is not defined"));
  free(gone);
  expect_answer(s, "from sympy import *", "");
  expect_answer(s, "name_5 = 5", "");
  expect_answer(s, "name_5", "5");
  sy_session_free(s);
}

/* Expr.sort_key is a total preorder: antisymmetric, and sorting agrees
 * with pairwise comparison, whatever the expressions. */
CT_TEST(SympyCore, SortKeyIsConsistent) {
  sy_ctx ctx;
  sy_ctx_init(&ctx, (size_t)64 << 20);
  const sy_expr *x = sy_symbol(&ctx, "x", 1), *y = sy_symbol(&ctx, "y", 1);
  const sy_expr *two = sy_integer(&ctx, 2), *half = sy_div(&ctx, sy_integer(&ctx, 1), two);
  const sy_expr *items[] = {
      x,
      y,
      two,
      half,
      sy_const(&ctx, SY_PI),
      sy_pow(&ctx, x, two),
      sy_pow(&ctx, two, x),
      sy_pow(&ctx, two, half),
      sy_mul2(&ctx, two, x),
      sy_mul2(&ctx, sy_mul2(&ctx, two, x), y),
      sy_add2(&ctx, x, y),
      sy_add2(&ctx, sy_pow(&ctx, x, two), y),
      sy_func(&ctx, SY_COS, x),
      sy_func(&ctx, SY_SIN, x),
      sy_func(&ctx, SY_TAN, y),
      sy_func(&ctx, SY_ABS, x),
      sy_func(&ctx, SY_EXP, sy_mul2(&ctx, two, x)),
      sy_neg(&ctx, sy_pow(&ctx, y, sy_integer(&ctx, -1))),
  };
  size_t n = sizeof items / sizeof items[0];
  CT_ASSERT_TRUE(!ctx.failed);
  for (size_t i = 0; i < n; i++) {
    CT_EXPECT_INT_EQ(0, sy_sort_key_cmp(&ctx, items[i], items[i]));
    for (size_t j = 0; j < n; j++) {
      CT_EXPECT_INT_EQ(sy_sort_key_cmp(&ctx, items[i], items[j]),
                       -sy_sort_key_cmp(&ctx, items[j], items[i]));
    }
  }
  const sy_expr *sorted[sizeof items / sizeof items[0]];
  memcpy(sorted, items, sizeof items);
  sy_sort_by_key(&ctx, sorted, n, false);
  for (size_t i = 1; i < n; i++) {
    CT_EXPECT_TRUE(sy_sort_key_cmp(&ctx, sorted[i - 1], sorted[i]) <= 0);
  }
  CT_EXPECT_TRUE(!ctx.failed);
  sy_ctx_free(&ctx);
}
