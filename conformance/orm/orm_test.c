/* The orm note: every scenario in golden/orm answered by the implementation
 * (the `orm` command: a scenario line in, its output on one line out; see
 * conformance/PROTOCOL.md). */
#include "conformance/harness/golden_suite.h"

CT_GOLDEN_SUITE(orm, "golden/orm", ct_run_line_case)
