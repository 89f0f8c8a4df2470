/*
 * The greenlets note: every golden scenario (recorded from gevent) answered
 * by the implementation. The C reference's parts are tested on their own in
 * ref/greenlets/greenlets_test.c.
 */

#include "conformance/harness/golden_suite.h"

CT_GOLDEN_SUITE(greenlets, "golden/greenlets", ct_run_line_case)
