#include "ref/orm/identity_map.h"

#include <stdlib.h>
#include <string.h>

enum {
  kRunBits = 5, /* keys in runs of 32 start in neighbouring slots */
  kFirstBits = 8,
};

/* Where the probe for (table, key) starts. Primary keys mostly come in runs
 * (sqlite hands out rowids in order), so keys that differ only in their low
 * kRunBits bits start in consecutive slots: a flush or a load then walks the
 * map's memory in order instead of missing the cache on every row. Where a
 * run starts comes from Fibonacci hashing of the key's other bits and the
 * table, which spreads runs, strided keys and random keys alike. */
static size_t start_of(const pn_orm_identity_map *map, const pn_orm_table *table, int64_t key) {
  uint64_t run = ((uint64_t)key >> kRunBits) ^ ((uint64_t)(uintptr_t)table >> 4);
  uint64_t first = (run * 0x9e3779b97f4a7c15u) >> (64 - map->bits);
  return (size_t)((first + ((uint64_t)key & ((1u << kRunBits) - 1))) & (map->cap - 1));
}

pn_orm_identity_slot *pn_orm_identity_slot_for(pn_orm_identity_map *map, const pn_orm_table *table,
                                               int64_t key) {
  for (size_t i = start_of(map, table, key);; i = (i + 1) & (map->cap - 1)) {
    pn_orm_identity_slot *slot = &map->slots[i];
    if (slot->inst == NULL || (slot->key == key && slot->inst->table == table)) {
      return slot;
    }
  }
}

pn_orm_instance *pn_orm_identity_find(const pn_orm_identity_map *map, const pn_orm_table *table,
                                      int64_t key) {
  if (map->used == 0) {
    return NULL;
  }
  /* slot_for only reads; the cast lets find take a const map. */
  return pn_orm_identity_slot_for((pn_orm_identity_map *)map, table, key)->inst;
}

int pn_orm_identity_grow(pn_orm_identity_map *map, size_t count) {
  size_t most = SIZE_MAX / (4 * sizeof *map->slots); /* so that 2 * wanted slots stay countable */
  if (count > most - map->used) {
    return -1;
  }
  size_t wanted = (map->used + count) * 2;
  if (wanted <= map->cap) {
    return 0;
  }
  /* Growing fourfold moves each entry fewer times while a large query
   * fills the map row by row. */
  unsigned bits = map->cap != 0 ? map->bits + 2 : kFirstBits;
  while (((size_t)1 << bits) < wanted) {
    bits++;
  }
  pn_orm_identity_slot *slots = calloc((size_t)1 << bits, sizeof *slots);
  if (slots == NULL) {
    return -1;
  }
  pn_orm_identity_map old = *map;
  map->slots = slots;
  map->cap = (size_t)1 << bits;
  map->bits = bits;
  for (size_t i = 0; i < old.cap; i++) {
    if (old.slots[i].inst != NULL) {
      *pn_orm_identity_slot_for(map, old.slots[i].inst->table, old.slots[i].key) = old.slots[i];
    }
  }
  free(old.slots);
  return 0;
}

void pn_orm_identity_fill(pn_orm_identity_map *map, pn_orm_identity_slot *slot,
                          pn_orm_instance *inst, int64_t key) {
  *slot = (pn_orm_identity_slot){key, inst};
  map->used++;
}

int pn_orm_identity_put(pn_orm_identity_map *map, pn_orm_instance *inst, int64_t key) {
  if (pn_orm_identity_reserve(map, 1) != 0) {
    return -1;
  }
  pn_orm_identity_slot *slot = pn_orm_identity_slot_for(map, inst->table, key);
  if (slot->inst == NULL) {
    pn_orm_identity_fill(map, slot, inst, key);
  }
  return 0;
}

void pn_orm_identity_clear(pn_orm_identity_map *map) {
  if (map->slots != NULL) {
    memset(map->slots, 0, map->cap * sizeof *map->slots);
  }
  map->used = 0;
}

void pn_orm_identity_free(pn_orm_identity_map *map) {
  free(map->slots);
  *map = (pn_orm_identity_map)PN_ORM_IDENTITY_MAP_INIT;
}
