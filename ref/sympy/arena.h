/*
 * A sympy session's memory and its pending error: sy_ctx, the first thing
 * every layer of ref/sympy takes. Nodes and scratch arrays come from its
 * arena and are freed all at once; a constructor that fails records the
 * Python exception here and returns NULL (sy_fail), so that callers only
 * test for NULL and pass the error up.
 */
#ifndef PYNOTES_REF_SYMPY_ARENA_H_
#define PYNOTES_REF_SYMPY_ARENA_H_

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "ref/protocol/strbuf.h"
#include "ref/py/arena.h"

/* A GMP rational kept in an arena allocation (a number node's value):
 * GMP's limbs live outside the arena, so sy_ctx_reset clears each one on
 * its list. */
typedef struct sy_rational_link {
  mpq_ptr q;
  struct sy_rational_link *next;
} sy_rational_link;

/* The rules of automatic evaluation that the core's constructors reach
 * through the context (expr.h defines it; evaluate.c fills it). */
struct sy_rules;

/* A session's memory and its pending error. */
typedef struct sy_ctx {
  py_arena arena;              /* every node; GMP's limbs of the numbers are counted in it */
  sy_rational_link *rationals; /* every number's value, cleared on reset */
  const struct sy_rules *rules;
  bool failed;
  char error_type[32];
  pn_strbuf error_message;
} sy_ctx;

/* Initialises ctx's memory, with a limit in bytes, and its error slot;
 * ctx->rules stays NULL. Sessions and tests call evaluate.h's sy_ctx_init,
 * which calls this and sets the rules. */
void sy_arena_init(sy_ctx *ctx, size_t limit);

/* Records that q, in ctx's memory, is to be cleared on reset, with link
 * (which lives beside it) as its place on the list. */
void sy_arena_keep_rational(sy_ctx *ctx, sy_rational_link *link, mpq_ptr q);

/* Frees every node and allocation of ctx and clears its error; ctx stays
 * usable. */
void sy_ctx_reset(sy_ctx *ctx);

/* Frees everything; ctx must be initialised again before reuse. */
void sy_ctx_free(sy_ctx *ctx);

/* Zeroed memory from the arena, or NULL with MemoryError set. */
void *sy_alloc(sy_ctx *ctx, size_t size);

/* Copies n bytes into a NUL-terminated arena string, or NULL. */
char *sy_strdup(sy_ctx *ctx, const char *s, size_t n);

/* Sets the pending error (the first one wins) and returns NULL, so that
 * `return sy_fail(...)` ends a constructor. */
void *sy_fail(sy_ctx *ctx, const char *type, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* PYNOTES_REF_SYMPY_ARENA_H_ */
