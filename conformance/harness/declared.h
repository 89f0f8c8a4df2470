#ifndef PYNOTES_CONFORMANCE_HARNESS_DECLARED_H
#define PYNOTES_CONFORMANCE_HARNESS_DECLARED_H

/*
 * The implementation a run declares it checks (conformance/PROTOCOL.md, "How
 * the suite runs an implementation"): its family PYNOTES_IMPL_KIND, its one
 * language version PYNOTES_PYTHON and its pointer size PYNOTES_POINTER_SIZE,
 * and whether a golden case or a whole golden file holds for it. Every suite
 * decides applicability here, batch cases and transcripts alike, so that no
 * suite sends a case recorded for another version or family.
 */

#include <stdbool.h>

#include "conformance/golden_reader/golden_file.h"
#include "ref/protocol/strbuf.h"

/* The implementation family under test: PYNOTES_IMPL_KIND, or "cpython"
 * (which the C reference reproduces) when unset or empty. */
const char *ct_declared_kind(void);

/* The language version checked, as its minor number: PYNOTES_PYTHON's `3.Y`
 * is Y, and 11 (the protocol's default, 3.11) when unset or empty. -1 when
 * PYNOTES_PYTHON is not one version 3.6 or later written 3.Y. */
int ct_declared_minor(void);

/* The version every case is sent with, `3.Y` (a static buffer); only
 * meaningful when ct_declared_minor() >= 0. */
const char *ct_declared_python(void);

/* The `--python=3.Y` option every command is started with (a static buffer). */
const char *ct_declared_python_option(void);

/* The declared pointer size in bytes as written: PYNOTES_POINTER_SIZE, or "8". */
const char *ct_declared_pointer_size(void);

/* Whether a case holds for the declared implementation: its Impl family (a
 * key of block only), its Python range and Pointer-Size (block's own value,
 * else header's). block may be NULL to ask about a whole file by its header
 * (a transcript). Marks the keys read. On false, *why says why ("holds for
 * Python 3.11; checking Python 3.12"), as a skip reason. */
bool ct_holds(pn_golden_block *block, pn_golden_block *header, pn_strbuf *why);

#endif
