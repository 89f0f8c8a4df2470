/*
 * The C golden-file reader. The malformed examples in testdata/ are shared
 * with the Python reader's tests (tools/pynotes/golden_test.py): each bad_*.txt
 * starts with `# expect-error: LINE: words`, and both readers must reject it
 * at that line with those words; each good_*.txt must parse.
 */
#define _POSIX_C_SOURCE 200809L

#include "conformance/golden_reader/golden_file.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/shim/ctest.h"

#define TESTDATA "conformance/golden_reader/testdata"

/* Parses a valid header (lines 1-5) followed by cases; returns 0 or -1 as
 * pn_golden_parse, with the error reported as a test failure. */
static int parse_cases(const char *cases, pn_golden_file *file) {
  static const char kHeader[] =
      "Command = sha256\nRecorded-By = hand\nOracle = CPython 3.11\nPython = 3.11\n\n";
  char text[1024];
  char error[PN_GOLDEN_ERROR_MAX];
  snprintf(text, sizeof text, "%s%s", kHeader, cases);
  int rc = pn_golden_parse("t.txt", text, strlen(text), file, error);
  if (rc != 0) {
    CT_FAIL("%s", error);
  }
  return rc;
}

CT_TEST(GoldenFile, ReadsHeaderAndCases) {
  pn_golden_file file;
  CT_ASSERT_TRUE(parse_cases("# a comment\nInput = 31\nOutput = ab\n\n\nInput = 32\n", &file) == 0);
  CT_EXPECT_STR_EQ("sha256", pn_golden_value(&file.header, "Command"));
  CT_EXPECT_INT_EQ(2, file.case_count);
  CT_EXPECT_INT_EQ(7, file.cases[0].line);
  CT_EXPECT_INT_EQ(11, file.cases[1].line);
  CT_EXPECT_STR_EQ("31", pn_golden_value(&file.cases[0], "Input"));
  CT_EXPECT_TRUE(pn_golden_value(&file.cases[1], "Output") == NULL);
  pn_golden_free(&file);
}

CT_TEST(GoldenFile, DecodesQuotedValues) {
  pn_golden_file file;
  CT_ASSERT_TRUE(parse_cases("Input = \" a\\tb\\x00\\xff\\\\\\\" \"\nOutput = \"\"\n", &file) == 0);
  pn_golden_attr *input = pn_golden_get(&file.cases[0], "Input");
  CT_EXPECT_MEM_EQ(" a\tb\0\xff\\\" ", (size_t)9, input->value, input->value_len);
  CT_EXPECT_STR_EQ("", pn_golden_value(&file.cases[0], "Output"));
  pn_golden_free(&file);
}

CT_TEST(GoldenFile, TracksUnreadKeys) {
  pn_golden_file file;
  CT_ASSERT_TRUE(parse_cases("Input = 31\nOuput = ab\n", &file) == 0);
  pn_golden_value(&file.cases[0], "Input");
  const pn_golden_attr *unused = pn_golden_first_unused(&file.cases[0]);
  CT_ASSERT_TRUE(unused != NULL);
  CT_EXPECT_STR_EQ("Ouput", unused->key);
  CT_EXPECT_INT_EQ(7, unused->line);
  pn_golden_value(&file.cases[0], "Ouput");
  CT_EXPECT_TRUE(pn_golden_first_unused(&file.cases[0]) == NULL);
  pn_golden_free(&file);
}

CT_TEST(GoldenFile, ExpandsRepeatedInput) {
  pn_golden_file file;
  CT_ASSERT_TRUE(parse_cases("Input = ab\nInput-Repeat = 3\n", &file) == 0);
  size_t len = 0;
  char *input = pn_golden_expand_input(&file.cases[0], &len);
  CT_EXPECT_MEM_EQ("ababab", (size_t)6, input, len);
  CT_EXPECT_TRUE(pn_golden_first_unused(&file.cases[0]) == NULL);
  free(input);
  pn_golden_free(&file);
}

CT_TEST(GoldenFile, AcceptsMatchingFloatForms) {
  pn_golden_file file;
  CT_EXPECT_TRUE(
      parse_cases("Output = 0.1\nOutput-Hex = 0x1.999999999999ap-4\n\nOutput = -inf\nOutput-Hex = "
                  "-inf\n\nOutput = nan\nOutput-Hex = nan\n",
                  &file) == 0);
  pn_golden_free(&file);
}

CT_TEST(GoldenFile, ReportsAnUnreadableFile) {
  pn_golden_file file;
  char error[PN_GOLDEN_ERROR_MAX];
  CT_EXPECT_TRUE(pn_golden_load("no/such/file.txt", &file, error) != 0);
  CT_EXPECT_TRUE(strncmp(error, "no/such/file.txt:0: ", 20) == 0);
}

/* One test per shared example file. */
static void check_example(void *context) {
  const char *name = context;
  char path[512];
  snprintf(path, sizeof path, "%s/%s", TESTDATA, name);
  FILE *f = fopen(path, "r");
  CT_ASSERT_TRUE(f != NULL);
  char first[512] = "";
  char *got_line = fgets(first, sizeof first, f);
  fclose(f);
  CT_ASSERT_TRUE(got_line != NULL);
  first[strcspn(first, "\n")] = '\0';

  pn_golden_file file;
  char error[PN_GOLDEN_ERROR_MAX];
  int rc = pn_golden_load(path, &file, error);
  if (strncmp(name, "good_", 5) == 0) {
    if (rc != 0) {
      CT_FAIL("%s should parse, but: %s", path, error);
    }
    pn_golden_free(&file);
    return;
  }
  int line = 0;
  int consumed = 0;
  if (sscanf(first, "# expect-error: %d: %n", &line, &consumed) != 1 || consumed == 0) {
    CT_FAIL("%s must begin with '# expect-error: LINE: words'", path);
    return;
  }
  const char *words = first + consumed;
  if (rc == 0) {
    CT_FAIL("%s parsed, but should fail at line %d with '%s'", path, line, words);
    pn_golden_free(&file);
    return;
  }
  char where[600];
  snprintf(where, sizeof where, "%s:%d: ", path, line);
  if (strncmp(error, where, strlen(where)) != 0 || strstr(error, words) == NULL) {
    CT_FAIL("%s: expected an error at line %d with '%s', got '%s'", path, line, words, error);
  }
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void register_examples(void) {
  DIR *d = opendir(TESTDATA);
  if (d == NULL) {
    return;
  }
  static char *names[256];
  size_t count = 0;
  struct dirent *entry;
  while ((entry = readdir(d)) != NULL && count < 256) {
    const char *n = entry->d_name;
    if ((strncmp(n, "bad_", 4) == 0 || strncmp(n, "good_", 5) == 0) && strstr(n, ".txt") != NULL) {
      names[count++] = strdup(n);
    }
  }
  closedir(d);
  qsort(names, count, sizeof names[0], compare_names);
  for (size_t i = 0; i < count; i++) {
    char test_name[256];
    snprintf(test_name, sizeof test_name, "%.*s", (int)(strlen(names[i]) - 4), names[i]);
    ct_register_test("SharedExamples", test_name, TESTDATA, 1, check_example, names[i]);
  }
}
CT_SETUP(register_examples)

/* Without the shared examples the reader's error paths go untested. */
CT_TEST(GoldenFile, SharedExamplesArePresent) {
  DIR *d = opendir(TESTDATA);
  CT_ASSERT_TRUE(d != NULL);
  int bad = 0;
  struct dirent *entry;
  while ((entry = readdir(d)) != NULL) {
    bad += strncmp(entry->d_name, "bad_", 4) == 0;
  }
  closedir(d);
  CT_EXPECT_TRUE(bad >= 10);
}

static bool range_of(const char *text, int lowest, int highest) {
  pn_python_range range = {0, 0};
  return pn_golden_parse_python_range(text, &range) && range.lowest == lowest &&
         range.highest == highest;
}

CT_TEST(GoldenFile, ReadsPythonRanges) {
  CT_EXPECT_TRUE(range_of("3.11", 11, 11));
  CT_EXPECT_TRUE(range_of("3.6", 6, 6));
  CT_EXPECT_TRUE(range_of("3.8-3.11", 8, 11));
  CT_EXPECT_TRUE(range_of("3.12-", 12, PN_GOLDEN_OPEN_MINOR));
  CT_EXPECT_TRUE(range_of("-3.7", 6, 7));
  CT_EXPECT_TRUE(range_of("3.14", 14, 14));
  CT_EXPECT_TRUE(range_of("-3.14", 6, 14));
  static const char *const kBad[] = {"",      "-",    "3",        "3.",        "3.5",
                                     "3.15",  "3.06", "3.11-3.8", "3.8 -3.11", "3.8--3.11",
                                     "-3.7-", "4.0",  "3.11x"};
  for (size_t i = 0; i < sizeof kBad / sizeof kBad[0]; i++) {
    pn_python_range range = {0, 0};
    CT_EXPECT_TRUE(!pn_golden_parse_python_range(kBad[i], &range));
    CT_EXPECT_INT_EQ(0, range.lowest);
  }
  pn_python_range range = {8, 11};
  CT_EXPECT_TRUE(pn_python_range_contains(range, 8));
  CT_EXPECT_TRUE(pn_python_range_contains(range, 11));
  CT_EXPECT_TRUE(!pn_python_range_contains(range, 12));
  CT_EXPECT_TRUE(!pn_python_range_contains(range, 7));
}
