/*
 * The sizeof note: every case in golden/sizeof (sys.getsizeof of literals and
 * constructions, recorded from CPython 3.11, and the note's 3.6 values)
 * answered by the implementation. The layout model's own tests are
 * ref/sizeof/sizeof_test.c.
 */

#include "conformance/harness/golden_suite.h"

CT_GOLDEN_SUITE(sizeof, "golden/sizeof", ct_run_line_case)
