/*
 * The ctest API (conformance/shim/ctest.h) without GoogleTest: runs every
 * registered test in order and prints one line each, so that a test file can
 * be cross-compiled with only a C compiler for another CPU and run under
 * qemu-user (tools/cross/greenlets_aarch64), where no GoogleTest of that
 * architecture is installed. Exit status 1 when a test failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conformance/shim/ctest.h"

enum { kMostTests = 1024, kMostSetups = 16 };

typedef struct registered_test {
  const char *suite, *name;
  ct_test_fn fn;
  void *context;
} registered_test;

static registered_test g_tests[kMostTests];
static int g_test_count;
static void (*g_setups[kMostSetups])(void);
static int g_setup_count;
static int g_failed, g_skipped;

void ct_register_test(const char *suite, const char *name, const char *file, int line,
                      ct_test_fn fn, void *context) {
  if (g_test_count == kMostTests) {
    fprintf(stderr, "%s:%d: more than %d tests\n", file, line, kMostTests);
    g_failed = 1;
    return;
  }
  g_tests[g_test_count++] = (registered_test){suite, name, fn, context};
}

void ct_register_setup(void (*setup)(void)) {
  if (g_setup_count < kMostSetups) {
    g_setups[g_setup_count++] = setup;
  }
}

void ct_fail_at(const char *file, int line, const char *format, ...) {
  va_list args;
  va_start(args, format);
  fprintf(stderr, "%s:%d: ", file, line);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  g_failed = 1;
}

void ct_skip_at(const char *file, int line, const char *format, ...) {
  va_list args;
  va_start(args, format);
  fprintf(stderr, "%s:%d: skipped: ", file, line);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  g_skipped = 1;
}

int ct_has_failure(void) {
  return g_failed;
}

int ct_check_str_eq(const char *file, int line, const char *expected_text, const char *actual_text,
                    const char *expected, const char *actual) {
  if ((expected == NULL) == (actual == NULL) &&
      (expected == NULL || strcmp(expected, actual) == 0)) {
    return 1;
  }
  ct_fail_at(file, line, "%s != %s: \"%s\" vs \"%s\"", expected_text, actual_text,
             expected != NULL ? expected : "(null)", actual != NULL ? actual : "(null)");
  return 0;
}

int ct_check_mem_eq(const char *file, int line, const char *expected_text, const char *actual_text,
                    const void *expected, size_t expected_len, const void *actual,
                    size_t actual_len) {
  if (expected_len == actual_len && memcmp(expected, actual, expected_len) == 0) {
    return 1;
  }
  ct_fail_at(file, line, "%s != %s (%zu vs %zu bytes)", expected_text, actual_text, expected_len,
             actual_len);
  return 0;
}

int ct_check_long_eq(const char *file, int line, const char *expected_text, const char *actual_text,
                     long long expected, long long actual) {
  if (expected == actual) {
    return 1;
  }
  ct_fail_at(file, line, "%s != %s: %lld vs %lld", expected_text, actual_text, expected, actual);
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0); /* a crash still shows which test ran */
  int any_failed = g_failed;
  for (int i = 0; i < g_setup_count; i++) {
    g_setups[i]();
  }
  for (int i = 0; i < g_test_count; i++) {
    g_failed = g_skipped = 0;
    printf("RUN  %s.%s\n", g_tests[i].suite, g_tests[i].name);
    g_tests[i].fn(g_tests[i].context);
    printf("%s %s.%s\n",
           g_failed    ? "FAIL"
           : g_skipped ? "SKIP"
                       : "OK  ",
           g_tests[i].suite, g_tests[i].name);
    any_failed |= g_failed;
  }
  printf("%d tests, %s\n", g_test_count, any_failed ? "some FAILED" : "all passed");
  return any_failed;
}
