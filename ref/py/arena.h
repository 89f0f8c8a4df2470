/*
 * One arena for the reference's parsers and evaluators: zeroed allocations
 * from 64 KiB blocks, freed all at once, optionally bounded so that an
 * evaluation that would take more memory fails (as MemoryError) instead of
 * growing without end.
 */
#ifndef PYNOTES_REF_PY_ARENA_H_
#define PYNOTES_REF_PY_ARENA_H_

#include <stddef.h>

typedef struct py_arena {
  struct py_arena_block *blocks;
  size_t bytes; /* counted against limit: the blocks, and memory the owner
                   holds outside the arena for its allocations and adds here */
  size_t limit; /* 0: no limit */
} py_arena;

#define PY_ARENA_INIT \
  { NULL, 0, 0 }

/* An empty arena that takes at most limit bytes of blocks (0: no limit). */
void py_arena_init(py_arena *arena, size_t limit);

/* size zeroed bytes aligned for any type, or NULL when the limit or memory
 * runs out (the arena stays usable). */
void *py_arena_alloc(py_arena *arena, size_t size);

/* A NUL-terminated copy of n bytes of text, or NULL as py_arena_alloc. */
char *py_arena_strndup(py_arena *arena, const char *text, size_t n);

/* Frees every allocation; the arena is empty again, with its limit. */
void py_arena_reset(py_arena *arena);

#endif /* PYNOTES_REF_PY_ARENA_H_ */
