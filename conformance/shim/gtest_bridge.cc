// The bridge between ctest (C) and GoogleTest: main() registers every C test
// with testing::RegisterTest and turns ct_fail_at/ct_skip_at into GoogleTest
// results at the C file and line.
#include <gtest/gtest.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "conformance/shim/ctest.h"

namespace {

struct RegisteredTest {
  std::string suite;
  std::string name;
  std::string file;
  int line;
  ct_test_fn fn;
  void *context;
};

// Function-local statics: constructors in C files may run before this file's
// globals are initialised.
std::vector<RegisteredTest> &Pending() {
  static std::vector<RegisteredTest> tests;
  return tests;
}

std::vector<void (*)(void)> &SetupHooks() {
  static std::vector<void (*)(void)> hooks;
  return hooks;
}

bool g_gtest_ready = false;

class CTest : public testing::Test {
 public:
  CTest(ct_test_fn fn, void *context) : fn_(fn), context_(context) {}
  void TestBody() override {
    fn_(context_);
  }

 private:
  ct_test_fn fn_;
  void *context_;
};

void RegisterWithGtest(const RegisteredTest &t) {
  ct_test_fn fn = t.fn;
  void *context = t.context;
  testing::RegisterTest(t.suite.c_str(), t.name.c_str(), nullptr, nullptr, t.file.c_str(), t.line,
                        [fn, context]() -> testing::Test * { return new CTest(fn, context); });
}

std::string Format(const char *format, va_list args) {
  va_list again;
  va_copy(again, args);
  int n = std::vsnprintf(nullptr, 0, format, args);
  std::string text(n > 0 ? static_cast<size_t>(n) : 0, '\0');
  if (n > 0) {
    std::vsnprintf(&text[0], text.size() + 1, format, again);
  }
  va_end(again);
  return text;
}

void Report(testing::TestPartResult::Type type, const char *file, int line,
            const std::string &message) {
  testing::internal::AssertHelper(type, file, line, message.c_str()) = testing::Message();
}

// Shows bytes as a C string literal would, so invisible differences show.
std::string Printable(const void *data, size_t len) {
  const unsigned char *bytes = static_cast<const unsigned char *>(data);
  std::string out = "\"";
  const size_t shown = len > 4096 ? 4096 : len;
  for (size_t i = 0; i < shown; i++) {
    unsigned char c = bytes[i];
    char escaped[8];
    if (c == '\\' || c == '"') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += "\"";
  if (shown < len) {
    out += " ... (" + std::to_string(len) + " bytes)";
  }
  return out;
}

}  // namespace

extern "C" {

void ct_register_test(const char *suite, const char *name, const char *file, int line,
                      ct_test_fn fn, void *context) {
  RegisteredTest t{suite, name, file, line, fn, context};
  if (g_gtest_ready) {
    RegisterWithGtest(t);
  } else {
    Pending().push_back(t);
  }
}

void ct_register_setup(void (*setup)(void)) {
  SetupHooks().push_back(setup);
}

void ct_fail_at(const char *file, int line, const char *format, ...) {
  va_list args;
  va_start(args, format);
  Report(testing::TestPartResult::kNonFatalFailure, file, line, Format(format, args));
  va_end(args);
}

void ct_skip_at(const char *file, int line, const char *format, ...) {
  va_list args;
  va_start(args, format);
  Report(testing::TestPartResult::kSkip, file, line, Format(format, args));
  va_end(args);
}

int ct_has_failure(void) {
  return testing::Test::HasFailure() ? 1 : 0;
}

int ct_check_str_eq(const char *file, int line, const char *expected_text, const char *actual_text,
                    const char *expected, const char *actual) {
  if (expected != nullptr && actual != nullptr && std::string(expected) == actual) {
    return 1;
  }
  std::string message =
      std::string("expected ") + actual_text + " == " + expected_text +
      "\n  expected: " + (expected ? Printable(expected, strlen(expected)) : "NULL") +
      "\n  got:      " + (actual ? Printable(actual, strlen(actual)) : "NULL");
  Report(testing::TestPartResult::kNonFatalFailure, file, line, message);
  return 0;
}

int ct_check_mem_eq(const char *file, int line, const char *expected_text, const char *actual_text,
                    const void *expected, size_t expected_len, const void *actual,
                    size_t actual_len) {
  if (expected_len == actual_len &&
      (expected_len == 0 || memcmp(expected, actual, actual_len) == 0)) {
    return 1;
  }
  std::string message = std::string("expected ") + actual_text + " == " + expected_text +
                        "\n  expected: " + Printable(expected, expected_len) +
                        "\n  got:      " + Printable(actual, actual_len);
  Report(testing::TestPartResult::kNonFatalFailure, file, line, message);
  return 0;
}

int ct_check_long_eq(const char *file, int line, const char *expected_text, const char *actual_text,
                     long long expected, long long actual) {
  if (expected == actual) {
    return 1;
  }
  std::string message = std::string("expected ") + actual_text + " == " + expected_text +
                        "\n  expected: " + std::to_string(expected) +
                        "\n  got:      " + std::to_string(actual);
  Report(testing::TestPartResult::kNonFatalFailure, file, line, message);
  return 0;
}

}  // extern "C"

int main(int argc, char **argv) {
  testing::InitGoogleTest(&argc, argv);
  g_gtest_ready = true;
  for (const RegisteredTest &t : Pending()) {
    RegisterWithGtest(t);
  }
  Pending().clear();
  for (void (*setup)(void) : SetupHooks()) {
    setup();
  }
  return RUN_ALL_TESTS();
}
