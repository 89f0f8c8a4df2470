/*
 * bytes.fromhex() as CPython parses it: hex digit pairs, ASCII whitespace
 * skipped between pairs (only spaces before 3.7, bpo-28927), and the same
 * error position CPython reports.
 */
#ifndef PYNOTES_REF_HASHES_FROMHEX_H_
#define PYNOTES_REF_HASHES_FROMHEX_H_

#include <stddef.h>
#include <stdint.h>

#include "ref/protocol/pyversion.h"

/*
 * Decodes text[0..len) (UTF-8 as the adapter reads stdin) into out, which must
 * hold at least len / 2 bytes. On success returns 0 and sets *out_len. On a
 * malformed string returns -1 and sets *error_position to the code-point
 * index CPython names in "non-hexadecimal number found in fromhex() arg at
 * position N": the first non-ASCII character if there is any (CPython checks
 * that first), else the first character that is not a hex digit where one is
 * due, or len when the string ends halfway through a pair.
 */
int pn_fromhex(const char *text, size_t len, pn_pyversion python, uint8_t *out, size_t *out_len,
               size_t *error_position);

#endif /* PYNOTES_REF_HASHES_FROMHEX_H_ */
