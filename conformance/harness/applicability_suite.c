/* The golden cases of conformance/harness/testdata/applicability, for
 * applicability_test, which runs this binary under several declarations. */
#include "conformance/harness/golden_suite.h"

CT_GOLDEN_SUITE(applicability, "conformance/harness/testdata/applicability", ct_run_line_case)
