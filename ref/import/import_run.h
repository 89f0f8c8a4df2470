/*
 * Answers one import line: every step run, in order, by a fresh importer
 * (an empty module cache) searching search_path; the answers joined by " | ".
 */
#ifndef PYNOTES_REF_IMPORT_IMPORT_RUN_H_
#define PYNOTES_REF_IMPORT_IMPORT_RUN_H_

#include <stddef.h>

#include "ref/import/importer.h"
#include "ref/protocol/pyversion.h"
#include "ref/protocol/strbuf.h"

/* Appends the line's answer to out: `SyntaxError: ...` for a malformed line;
 * else per step the returned module's __name__ (with " (again)" when an
 * earlier import of the line returned the same module), the names list, the
 * call's repr, or the step's exception line. Returns 0, or -1 when memory
 * runs out. search_path is as pn_importer_new's; the steps run as CPython
 * `python` does (pn_importer_set_python). */
int pn_import_answer(const char *search_path, pn_pyversion python, const char *line, size_t len,
                     pn_strbuf *out);

/* Appends an import error's exception line (MemoryError for an error with
 * no type). Returns 0 or -1 (out of memory). */
int pn_import_error_answer(const pn_import_error *error, pn_strbuf *out);

#endif /* PYNOTES_REF_IMPORT_IMPORT_RUN_H_ */
