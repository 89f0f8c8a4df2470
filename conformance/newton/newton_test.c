/* The Newton note: every case in golden/newton (what the note's script
 * prints for an expression, or its traceback's last line) answered by the
 * implementation. */
#include "conformance/harness/golden_suite.h"

CT_GOLDEN_SUITE(newton, "golden/newton", ct_run_line_case)
