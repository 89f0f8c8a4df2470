/* The golden cases of conformance/harness/testdata/session, for
 * session_replay_test, which runs this binary against stateful_impl.sh. */
#include "conformance/harness/golden_suite.h"

CT_GOLDEN_SUITE(session, "conformance/harness/testdata/session", ct_run_line_case)
