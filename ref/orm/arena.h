/*
 * Memory handed out in order from large blocks and given back all at once:
 * a session's instances and the text of the rows it loads, which live as
 * long as the session. One allocation serves many objects, and objects made
 * one after another lie side by side, so walking them reads memory in order.
 */
#ifndef PYNOTES_REF_ORM_ARENA_H_
#define PYNOTES_REF_ORM_ARENA_H_

#include <stddef.h>

typedef struct pn_orm_arena_block pn_orm_arena_block;

typedef struct pn_orm_arena {
  pn_orm_arena_block *blocks; /* newest first */
} pn_orm_arena;

#define PN_ORM_ARENA_INIT \
  { NULL }

/* size zeroed bytes at an address that is a multiple of align (a power of
 * two, at most _Alignof(max_align_t)), valid until pn_orm_arena_free, or
 * NULL when memory runs out. */
void *pn_orm_arena_alloc(pn_orm_arena *arena, size_t size, size_t align);

/* A copy of the len bytes at text followed by a NUL, or NULL (out of
 * memory). */
char *pn_orm_arena_strndup(pn_orm_arena *arena, const char *text, size_t len);

/* Frees every block; the arena is empty and reusable afterwards. */
void pn_orm_arena_free(pn_orm_arena *arena);

#endif /* PYNOTES_REF_ORM_ARENA_H_ */
