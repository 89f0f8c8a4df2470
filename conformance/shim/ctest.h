/*
 * ctest: conformance tests written in C, run by GoogleTest.
 *
 *   CT_TEST(FloatInfo, MaxMatchesMpfr) {
 *     CT_EXPECT_TRUE(info.max == DBL_MAX);
 *   }
 *
 * Each CT_TEST registers itself before main (a constructor); the bridge
 * (gtest_bridge.cc) hands every registered test to GoogleTest, so
 * --gtest_filter, sharding and the XML report work as for C++ tests. Failures
 * are non-fatal and carry a file and line; CT_ASSERT_* also leave the test.
 *
 * A test binary made of ctest files links //conformance/shim:main.
 */
#ifndef PYNOTES_CONFORMANCE_SHIM_CTEST_H_
#define PYNOTES_CONFORMANCE_SHIM_CTEST_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*ct_test_fn)(void *context);

/* Registers one test. May be called from constructors (before main) or from a
 * CT_SETUP hook; suite and name must be [A-Za-z0-9_]+ and stay valid (they
 * are copied). context is passed to fn. */
void ct_register_test(const char *suite, const char *name, const char *file, int line,
                      ct_test_fn fn, void *context);

/* Registers a hook that runs in main after GoogleTest has read its flags and
 * before the tests run: where tests made from data files are registered. */
void ct_register_setup(void (*setup)(void));

/* Records a failure at file:line; the test goes on. */
void ct_fail_at(const char *file, int line, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Marks the running test skipped, with a reason, at file:line. */
void ct_skip_at(const char *file, int line, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Nonzero when the running test has recorded a failure. */
int ct_has_failure(void);

/* Implementation of the expectation macros below (not for direct use). */
int ct_check_str_eq(const char *file, int line, const char *expected_text, const char *actual_text,
                    const char *expected, const char *actual);
int ct_check_mem_eq(const char *file, int line, const char *expected_text, const char *actual_text,
                    const void *expected, size_t expected_len, const void *actual,
                    size_t actual_len);
int ct_check_long_eq(const char *file, int line, const char *expected_text, const char *actual_text,
                     long long expected, long long actual);

#define CT_TEST(suite, name)                                                         \
  static void ct_test_##suite##_##name(void);                                        \
  static void ct_run_##suite##_##name(void *context) {                               \
    (void)context;                                                                   \
    ct_test_##suite##_##name();                                                      \
  }                                                                                  \
  __attribute__((constructor)) static void ct_register_##suite##_##name(void) {      \
    ct_register_test(#suite, #name, __FILE__, __LINE__, ct_run_##suite##_##name, 0); \
  }                                                                                  \
  static void ct_test_##suite##_##name(void)

/* Runs fn from main before the tests (see ct_register_setup). */
#define CT_SETUP(fn)                                                      \
  __attribute__((constructor)) static void ct_register_setup_##fn(void) { \
    ct_register_setup(fn);                                                \
  }

#define CT_FAIL(...) ct_fail_at(__FILE__, __LINE__, __VA_ARGS__)

#define CT_EXPECT_TRUE(condition) \
  ((condition) ? 1 : (ct_fail_at(__FILE__, __LINE__, "expected: %s", #condition), 0))

#define CT_EXPECT_STR_EQ(expected, actual) \
  ct_check_str_eq(__FILE__, __LINE__, #expected, #actual, (expected), (actual))

#define CT_EXPECT_MEM_EQ(expected, expected_len, actual, actual_len)                            \
  ct_check_mem_eq(__FILE__, __LINE__, #expected, #actual, (expected), (expected_len), (actual), \
                  (actual_len))

#define CT_EXPECT_INT_EQ(expected, actual)                                        \
  ct_check_long_eq(__FILE__, __LINE__, #expected, #actual, (long long)(expected), \
                   (long long)(actual))

/* As CT_EXPECT_TRUE, and leaves the test when the condition is false. */
#define CT_ASSERT_TRUE(condition)     \
  do {                                \
    if (!CT_EXPECT_TRUE(condition)) { \
      return;                         \
    }                                 \
  } while (0)

#ifdef __cplusplus
}
#endif

#endif /* PYNOTES_CONFORMANCE_SHIM_CTEST_H_ */
