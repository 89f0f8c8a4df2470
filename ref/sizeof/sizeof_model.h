/*
 * CPython's object sizes on 64-bit builds, as sys.getsizeof reports them:
 * the fixed part of each object's struct, its variable part, and the
 * garbage-collector header that getsizeof adds for GC-tracked types; and the
 * growth policies (list over-allocation, dict and set table sizing) that
 * decide how much a container built one way or another has allocated.
 *
 * Every function is pure: it maps counts to sizes for one layout. A layout is
 * what a CPython version's structs and growth rules are; pn_sizeof_layout_for
 * says which versions are modelled.
 */
#ifndef PYNOTES_REF_SIZEOF_SIZEOF_MODEL_H_
#define PYNOTES_REF_SIZEOF_SIZEOF_MODEL_H_

#include <stdbool.h>
#include <stddef.h>

#include "ref/protocol/pyversion.h"

typedef enum pn_sizeof_layout {
  PN_LAYOUT_NONE,  /* not modelled: answers NotImplementedError */
  PN_LAYOUT_PY36,  /* 3.6: only int, str and bytes are confirmed (the note) */
  PN_LAYOUT_PY310, /* 3.10: 3.11's but for int 0 (no digit) and dicts (a
                      40-byte keys header, no str-only tables) */
  PN_LAYOUT_PY311, /* 3.11: every type, confirmed against CPython 3.11 */
  PN_LAYOUT_PY312, /* 3.12: 3.11's but for str (no wstr; cached UTF-8 of the
                      static Latin-1 singletons) */
  PN_LAYOUT_PY313, /* 3.13: 3.12's but for list() of a set or dict */
} pn_sizeof_layout;

/* The layout of CPython `python`, or PN_LAYOUT_NONE. */
pn_sizeof_layout pn_sizeof_layout_for(pn_pyversion python);

/* int and bool: PyLongObject with `ndigits` 30-bit digits (0 for zero). */
size_t pn_sizeof_int(pn_sizeof_layout layout, size_t ndigits);

/* str of `length` code points whose largest is `maxchar`, as a literal
 * makes it (a one-character str is the interpreter's singleton). */
size_t pn_sizeof_str(pn_sizeof_layout layout, size_t length, unsigned maxchar);

/* bytes of `length` bytes. */
size_t pn_sizeof_bytes(size_t length);

/* Fixed-size objects. */
size_t pn_sizeof_none(void);
size_t pn_sizeof_float(void);
size_t pn_sizeof_complex(void);
size_t pn_sizeof_range(void);
size_t pn_sizeof_slice(void);

/* tuple of `length` items. */
size_t pn_sizeof_tuple(size_t length);

/* list whose item array holds `allocated` slots. */
size_t pn_sizeof_list(size_t allocated);

/* The allocation list_resize(newsize) leaves on a list of `size` items and
 * `allocated` slots (3.11's over-allocation: about 1/8 more, rounded to 4). */
size_t pn_list_resize(size_t size, size_t allocated, size_t newsize);

/* Slots of a list built by `count` appends to an empty list. */
size_t pn_list_appended(size_t count);

/* Slots of list(X) for X a set or dict of `count` items: 3.13's
 * list_extend_set and list_extend_dict call list_resize on the empty list;
 * earlier versions preallocate exactly, as for any sized X. */
size_t pn_list_from_set_or_dict(pn_sizeof_layout layout, size_t count);

/* Slots list_preallocate_exact gives `count` items (0 for none). */
size_t pn_list_preallocated(size_t count);

/* A dict's keys table: 2**log2_size slots; `unicode` when every key is an
 * exact str (16-byte entries instead of 24). log2_size 0 means the shared
 * empty keys object of `{}`, which getsizeof does not count. */
typedef struct pn_dict_keys {
  unsigned log2_size;
  bool unicode;
  size_t usable; /* insertions left before the table must grow */
} pn_dict_keys;

size_t pn_sizeof_dict(pn_sizeof_layout layout, const pn_dict_keys *keys);

/* Whether a str key makes a str-only (PyDictUnicodeEntry) table: from 3.11. */
bool pn_dict_has_str_tables(pn_sizeof_layout layout);

/* The empty dict: the shared empty keys. */
pn_dict_keys pn_dict_empty(void);

/* Keys presized for `count` items by dict_new_presized (displays). */
pn_dict_keys pn_dict_presized(size_t count, bool unicode);

/* Insertion of a new key into a dict holding `used` items: grows the table
 * as insertdict does (a first key makes the minimal table; a full table, or
 * a non-str key in a str-only table, resizes for used*3). `key_is_str` is
 * whether the new key is an exact str. */
void pn_dict_insert(pn_dict_keys *keys, size_t used, bool key_is_str);

/* A set's table: mask+1 slots; 8 is the small table inside the object. */
/* dict_merge's one resize up front, before the items of a dict of
 * `other_used` items (str-only table or not) go into one holding `used`:
 * when the table's whole usable fraction is below other_used, it becomes
 * estimate_log2_keysize(used + other_used), str-only if both were. */
void pn_dict_merge_presize(pn_dict_keys *keys, size_t used, size_t other_used, bool other_unicode);

typedef struct pn_set_table {
  size_t slots;
  size_t fill;
  size_t used;
} pn_set_table;

size_t pn_sizeof_set(const pn_set_table *table);

pn_set_table pn_set_empty(void);

/* set_add_entry of a new key: insert, then grow when fill*5 >= mask*3. */
void pn_set_add_new(pn_set_table *table);

/* set_merge of another set with `other_used` items into an empty set. */
void pn_set_merge_into_empty(pn_set_table *table, size_t other_used);

/* bytearray of `length` bytes built by bytearray(n) or bytearray(b'...'). */
size_t pn_sizeof_bytearray(size_t length);

#endif /* PYNOTES_REF_SIZEOF_SIZEOF_MODEL_H_ */
