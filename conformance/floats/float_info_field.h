/* Reading one field of the line repr(sys.float_info) writes. */
#ifndef PYNOTES_CONFORMANCE_FLOATS_FLOAT_INFO_FIELD_H_
#define PYNOTES_CONFORMANCE_FLOATS_FLOAT_INFO_FIELD_H_

#include <stddef.h>

/* Finds `name=VALUE` in a `sys.float_info(...)` line, or PyPy's
 * `float_info(...)`; returns VALUE's start (inside line) and its length in
 * *len, or NULL when the line is not of that form or has no such field. */
const char *pn_float_info_field(const char *line, const char *name, size_t *len);

#endif /* PYNOTES_CONFORMANCE_FLOATS_FLOAT_INFO_FIELD_H_ */
