#include "ref/py/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct py_arena_block {
  struct py_arena_block *next;
  size_t used, size;
  max_align_t data[];
} py_arena_block;

enum { BLOCK_BYTES = 64 * 1024 };

void py_arena_init(py_arena *arena, size_t limit) {
  arena->blocks = NULL;
  arena->bytes = 0;
  arena->limit = limit;
}

void *py_arena_alloc(py_arena *arena, size_t size) {
  if (size > SIZE_MAX - sizeof(max_align_t)) {
    return NULL;
  }
  size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
  py_arena_block *b = arena->blocks;
  if (b == NULL || b->size - b->used < size) {
    size_t want = size > BLOCK_BYTES ? size : BLOCK_BYTES;
    if (arena->limit != 0 && (want > arena->limit || arena->bytes + want > arena->limit)) {
      return NULL;
    }
    b = malloc(sizeof *b + want);
    if (b == NULL) {
      return NULL;
    }
    b->size = want;
    b->used = 0;
    b->next = arena->blocks;
    arena->blocks = b;
    arena->bytes += want;
  }
  void *p = (char *)b->data + b->used;
  b->used += size;
  memset(p, 0, size);
  return p;
}

char *py_arena_strndup(py_arena *arena, const char *text, size_t n) {
  char *copy = n < SIZE_MAX ? py_arena_alloc(arena, n + 1) : NULL;
  if (copy != NULL && n > 0) {
    memcpy(copy, text, n);
  }
  return copy;
}

void py_arena_reset(py_arena *arena) {
  py_arena_block *b = arena->blocks;
  while (b != NULL) {
    py_arena_block *next = b->next;
    free(b);
    b = next;
  }
  arena->blocks = NULL;
  arena->bytes = 0;
}
