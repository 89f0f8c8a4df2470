#include "ref/orm/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Blocks double from the first size up to the largest, so a small session
 * stays small and a large one makes few allocations. */
enum { kFirstBlockBytes = 4096, kLargestBlockBytes = 1 << 20 };

struct pn_orm_arena_block {
  pn_orm_arena_block *next;
  size_t used;
  size_t cap;
  max_align_t data[];
};

/* size bytes at the given alignment (a power of two), or NULL. */
static void *take(pn_orm_arena *arena, size_t size, size_t align) {
  pn_orm_arena_block *block = arena->blocks;
  size_t start = block != NULL ? (block->used + align - 1) & ~(align - 1) : 0;
  if (block == NULL || start > block->cap || block->cap - start < size) {
    size_t cap = block != NULL ? block->cap * 2 : kFirstBlockBytes;
    cap = cap > kLargestBlockBytes ? kLargestBlockBytes : cap;
    cap = cap < size ? size : cap;
    if (cap > SIZE_MAX - sizeof *block) {
      return NULL;
    }
    /* Not calloc: each allocation is zeroed as it is handed out, while its
     * memory is about to be written anyway. */
    block = malloc(sizeof *block + cap);
    if (block == NULL) {
      return NULL;
    }
    block->used = 0;
    block->cap = cap;
    block->next = arena->blocks;
    arena->blocks = block;
    start = 0;
  }
  block->used = start + size;
  return (char *)block->data + start;
}

void *pn_orm_arena_alloc(pn_orm_arena *arena, size_t size, size_t align) {
  void *memory = take(arena, size, align);
  if (memory != NULL) {
    memset(memory, 0, size);
  }
  return memory;
}

char *pn_orm_arena_strndup(pn_orm_arena *arena, const char *text, size_t len) {
  if (len == SIZE_MAX) {
    return NULL;
  }
  char *copy = take(arena, len + 1, 1);
  if (copy != NULL) {
    memcpy(copy, text, len);
    copy[len] = 0;
  }
  return copy;
}

void pn_orm_arena_free(pn_orm_arena *arena) {
  while (arena->blocks != NULL) {
    pn_orm_arena_block *next = arena->blocks->next;
    free(arena->blocks);
    arena->blocks = next;
  }
}
