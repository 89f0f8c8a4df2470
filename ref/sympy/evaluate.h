/*
 * A context whose constructors evaluate as sympy's do. The core (expr.h)
 * reaches the rules above it, the special Numbers' arithmetic and the
 * functions' eval, through the context's table (sy_rules); this is where
 * the table is filled, the one file that knows every layer of evaluation.
 */
#ifndef PYNOTES_REF_SYMPY_EVALUATE_H_
#define PYNOTES_REF_SYMPY_EVALUATE_H_

#include <stddef.h>

#include "ref/sympy/arena.h"

/* Initialises ctx with a memory limit in bytes and sympy's rules; free it
 * with sy_ctx_free (arena.h). */
void sy_ctx_init(sy_ctx *ctx, size_t limit);

#endif /* PYNOTES_REF_SYMPY_EVALUATE_H_ */
