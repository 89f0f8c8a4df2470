/*
 * A session's identity map: at most one instance per (table, primary key),
 * as SQLAlchemy's Session keeps. Open addressing with linear probing; the
 * key is kept beside the instance so that a probe reads an instance's
 * memory (for its table) only when the key matches. There are no deletes:
 * a rollback clears and refills.
 */
#ifndef PYNOTES_REF_ORM_IDENTITY_MAP_H_
#define PYNOTES_REF_ORM_IDENTITY_MAP_H_

#include <stddef.h>
#include <stdint.h>

#include "ref/orm/mapping.h"

typedef struct pn_orm_identity_slot {
  int64_t key;
  pn_orm_instance *inst; /* NULL: the slot is empty */
} pn_orm_identity_slot;

typedef struct pn_orm_identity_map {
  pn_orm_identity_slot *slots;
  size_t cap; /* 1 << bits, or 0 before the first entry */
  unsigned bits;
  size_t used;
} pn_orm_identity_map;

#define PN_ORM_IDENTITY_MAP_INIT \
  { NULL, 0, 0, 0 }

/* The instance of table under key, or NULL. */
pn_orm_instance *pn_orm_identity_find(const pn_orm_identity_map *map, const pn_orm_table *table,
                                      int64_t key);

/* Grows the map for pn_orm_identity_reserve. */
int pn_orm_identity_grow(pn_orm_identity_map *map, size_t count);

/* Makes room for count more entries, so that as many pn_orm_identity_fill
 * calls can follow without growing the map. Returns 0, or -1 when memory
 * runs out (the map unchanged). (Inline: a load calls it for every row.) */
static inline int pn_orm_identity_reserve(pn_orm_identity_map *map, size_t count) {
  /* At most half the slots used keeps probes short. */
  return count <= map->cap && (map->used + count) * 2 <= map->cap
             ? 0
             : pn_orm_identity_grow(map, count);
}

/* The slot of (table, key): the one holding its instance, or else the empty
 * slot where it goes (fill it with pn_orm_identity_fill before any other
 * call on the map). Needs room reserved for one more entry. */
pn_orm_identity_slot *pn_orm_identity_slot_for(pn_orm_identity_map *map, const pn_orm_table *table,
                                               int64_t key);

/* Puts inst, of its table under key, into the empty slot slot_for gave. */
void pn_orm_identity_fill(pn_orm_identity_map *map, pn_orm_identity_slot *slot,
                          pn_orm_instance *inst, int64_t key);

/* Enters inst under key unless its table already has an instance there
 * (the first one stays). Returns 0 or -1 (out of memory). */
int pn_orm_identity_put(pn_orm_identity_map *map, pn_orm_instance *inst, int64_t key);

/* Empties the map, keeping its memory. */
void pn_orm_identity_clear(pn_orm_identity_map *map);

void pn_orm_identity_free(pn_orm_identity_map *map);

#endif /* PYNOTES_REF_ORM_IDENTITY_MAP_H_ */
