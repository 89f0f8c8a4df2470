/* The sympy note: every case in golden/sympy (one interactive session per
 * file, its lines in order; the echo of each line or its exception line)
 * answered by the implementation. */
#include "conformance/harness/golden_suite.h"

CT_GOLDEN_SUITE(sympy, "golden/sympy", ct_run_line_case)
