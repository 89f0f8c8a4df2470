/*
 * Golden files as GoogleTest tests: every case of every .txt file in golden/NOTE
 * becomes its own test, named FILESTEM.NAME (the case's Name, or L and its
 * line number), so --gtest_filter picks cases and shard_count splits them.
 *
 *   static void run_case(ct_case *c) { ct_run_line_case(c); }
 *   CT_GOLDEN_SUITE(hashes, "golden/hashes", run_case)
 *
 * A case runs through the implementation chosen in harness/impl.h. Failures
 * are reported at the golden file's line, with the input, the expected and
 * the actual answer. After a case, any key of it that nothing read fails it.
 */
#ifndef PYNOTES_CONFORMANCE_HARNESS_GOLDEN_SUITE_H_
#define PYNOTES_CONFORMANCE_HARNESS_GOLDEN_SUITE_H_

#include <stddef.h>

#include "conformance/golden_reader/golden_file.h"
#include "conformance/shim/ctest.h"
#include "ref/protocol/strbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_case ct_case;
typedef void (*ct_case_fn)(ct_case *c);

/* Registers a test per case in each *.txt file of dir (relative to the
 * workspace root, where Bazel runs tests). A file that does not parse
 * becomes one failing test, FILESTEM.golden_file, naming file and line. */
void ct_golden_suite(const char *dir, ct_case_fn run);

/* The golden files of dir (relative to the workspace root): their paths,
 * "dir/NAME.txt", sorted by name, in *paths. Returns how many (0 when the
 * folder is missing or holds none). The paths live until the test binary
 * exits. For notes whose files are not line cases (servers' transcripts,
 * window's event scripts) and register a test per file themselves. */
size_t ct_golden_paths(const char *dir, char *const **paths);

/* A golden file's test-suite name: its file name without .txt, with
 * anything but letters and digits made '_'. Lives until the binary exits. */
const char *ct_golden_suite_name(const char *path);

#define CT_GOLDEN_SUITE(id, dir, run)      \
  static void ct_golden_setup_##id(void) { \
    ct_golden_suite((dir), (run));         \
  }                                        \
  CT_SETUP(ct_golden_setup_##id)

/* The case's attributes, and the file's header. */
pn_golden_block *ct_case_block(ct_case *c);
pn_golden_block *ct_case_header(ct_case *c);

/* The value of the case's key (marking it read), or NULL. */
const char *ct_case_value(ct_case *c, const char *key);

/* As ct_case_value, but a missing key fails the case and returns NULL. */
const char *ct_case_require(ct_case *c, const char *key);

/* Records a failure at the case's line in its golden file. */
void ct_case_fail(ct_case *c, const char *format, ...) __attribute__((format(printf, 2, 3)));

/*
 * Asks the implementation the file's Command, under the case's Python
 * version, for the answer to input (NULL: a command that reads nothing),
 * within the case's time limit (its Timeout key, impl.h). In a session file
 * (header `Session = file`: each case may use the state the earlier ones
 * left) the session is first brought up to date: a new session, after a
 * restart or in a filtered run, is sent the file's earlier inputs again.
 * Returns 0 with the answer appended to *answer; or -1 after failing the
 * case (crash, hang, ...) or skipping it (the implementation refused the
 * command or version).
 */
int ct_case_ask(ct_case *c, const char *input, size_t len, pn_strbuf *answer);

/* Checks an answer against the case's Output and, when present, Output-Hex
 * (the answer, read as a float, must have exactly those bits). */
void ct_case_expect_output(ct_case *c, const char *answer, size_t len);

/* The whole of a line command's case: Input (times Input-Repeat) in, the
 * answer checked with ct_case_expect_output. */
void ct_run_line_case(ct_case *c);

#ifdef __cplusplus
}
#endif

#endif /* PYNOTES_CONFORMANCE_HARNESS_GOLDEN_SUITE_H_ */
