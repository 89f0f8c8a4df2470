/* The hashes note: every case in golden/hashes (hashlib digests of hex
 * messages, and fromhex's errors) answered by the implementation. */
#include "conformance/harness/golden_suite.h"

CT_GOLDEN_SUITE(hashes, "golden/hashes", ct_run_line_case)
