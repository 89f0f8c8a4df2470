/*
 * CPython's object sizes on 64-bit and 32-bit builds, as sys.getsizeof
 * reports them:
 * the fixed part of each object's struct, its variable part, and the
 * garbage-collector header that getsizeof adds for GC-tracked types; and the
 * growth policies (list over-allocation, dict and set table sizing) that
 * decide how much a container built one way or another has allocated.
 *
 * Every function is pure: it maps counts to sizes for one layout. A layout is
 * what a CPython version's structs, growth rules and compiled construction
 * paths are (pn_sizeof_layout); pn_sizeof_layout_for says which versions are
 * modelled.
 */
#ifndef PYNOTES_REF_SIZEOF_SIZEOF_MODEL_H_
#define PYNOTES_REF_SIZEOF_SIZEOF_MODEL_H_

#include <stdbool.h>
#include <stddef.h>

#include "ref/protocol/target.h"

/* How list_resize over-allocates (Objects/listobject.c). */
typedef enum pn_list_growth {
  PN_LIST_GROWTH_PY36, /* 3.6 to 3.8: newsize + newsize/8 + (newsize < 9 ? 3 : 6) */
  PN_LIST_GROWTH_PY39, /* 3.9 on: newsize + newsize/8 + 6 rounded down to a
                          multiple of 4, or newsize rounded up to 4 when the
                          list grows by more than that */
} pn_list_growth;

/* How list(X) allocates for an X whose length is known. */
typedef enum pn_list_init {
  PN_LIST_INIT_RESIZE, /* 3.6, 3.7: list_extend's list_resize(len): over-allocated */
  PN_LIST_INIT_EXACT,  /* 3.8, 3.9: list_preallocate_exact(len) */
  PN_LIST_INIT_EVEN,   /* 3.10 on: list_preallocate_exact rounds len up to even */
} pn_list_init;

/* How the compiler (Python/compile.c) builds list, set and dict displays. */
typedef enum pn_display_build {
  PN_DISPLAY_BUILD_N,               /* 3.6 to 3.8: BUILD_LIST n, BUILD_SET n, BUILD_MAP n or
                                       BUILD_CONST_KEY_MAP n of the evaluated items */
  PN_DISPLAY_FOLD,                  /* 3.9: more than two constant items are folded into a
                                       tuple (frozenset) constant that LIST_EXTEND
                                       (SET_UPDATE) pours into an empty list (set) */
  PN_DISPLAY_FOLD_AND_STACK_LIMIT,  /* 3.10 to 3.13: as 3.9, and past
                                       STACK_USE_GUIDELINE (30) stack items a
                                       display is built empty and appended to
                                       item by item, a dict display in parts
                                       merged with DICT_UPDATE */
  PN_DISPLAY_STACK_LIMIT_THEN_FOLD, /* 3.14: as 3.10, but the folding moved to
                                       the CFG optimizer (flowgraph.c's
                                       optimize_lists_and_sets), which folds a
                                       BUILD_LIST/BUILD_SET of at most 30
                                       constants: past that a constant display
                                       is built item by item too */
} pn_display_build;

/* What one CPython version's objects and construction paths are, as far as
 * sizes go: each field is the feature of that version a construction asks
 * for. The table in sizeof_model.c holds one per modelled version and
 * pointer size. */
typedef struct pn_sizeof_layout {
  int minor; /* CPython 3.minor */
  /* Bytes of a pointer, and of Py_ssize_t and Py_hash_t, which are as wide:
   * 8 on the x86-64 CPythons of 3.6 to 3.13, 4 on Pyodide's WebAssembly
   * CPython 3.14. Every struct size below is written in these. */
  size_t pointer;
  /* PyGC_Head, which getsizeof adds for GC-tracked types: a union padded to
   * long double's 16-byte alignment, 32 bytes, to 3.7; two pointers from 3.8. */
  size_t gc_head;
  bool int_zero_has_digit; /* 0 allocates (and counts) one digit: 3.11 on */
  bool tuple_hash;         /* PyTupleObject caches its hash (ob_hash): 3.14 on */
  bool str_wstr;           /* PyASCIIObject has wstr (and PyCompactUnicodeObject
                              wstr_length): to 3.11 */
  pn_list_growth list_growth;
  pn_list_init list_init;
  bool list_of_set_or_dict_resizes; /* list(set or dict): list_extend_set and
                                       list_extend_dict list_resize: 3.13 on */
  pn_display_build displays;
  bool set_fills_two_thirds; /* set_add_entry and set_merge resize at 2/3 of
                                the mask (3.6), not 3/5 */
  size_t dict_keys_header;   /* PyDictKeysObject before dk_indices: 40 to 3.10, 32 on
                                (20 on 4-byte pointers) */
  bool dict_str_tables;      /* str-only keys tables (PyDictUnicodeEntry): 3.11 on */
  bool dict_new_allocates;   /* PyDict_New ({}, BUILD_MAP of up to 5 pairs) makes
                                a minimal keys table, not the shared empty
                                one: to 3.7 */
  bool dict_call_allocates;  /* dict() (dict_new) makes a minimal keys table: to 3.9 */
  bool dict_growth_py36;     /* GROWTH_RATE is used*2 + size/2 (3.6), not used*3 */
  bool dict_keysize_bits;    /* table sizes come from calculate_keysize's bit
                                length (3.10 on), not the doubling loop */
  bool dict_keysize_max;     /* calculate_log2_keysize takes max(minsize, 8)
                                before the bit length (3.14), not minsize | 8,
                                which asked 16 slots for 1 to 7 */
  /* The LL(1) parser of 3.6 to 3.8 overflows its stack (MAXSTACK) near 90
   * nested brackets, how near depending on the forms: lines nested deeper
   * than this are refused. 0: only the tokenizer's limit (200), as pegen. */
  int max_nesting;
} pn_sizeof_layout;

/* The layout of CPython `target` (a version on pointers of a size), or NULL
 * when it is not modelled: 3.6 to 3.13 on 8-byte pointers and 3.14 on 4-byte
 * ones, the builds the goldens were recorded from; a layout no golden checks
 * would be a guess. The result is static. */
const pn_sizeof_layout *pn_sizeof_layout_for(pn_target target);

/* int and bool: PyLongObject with `ndigits` 30-bit digits (0 for zero). */
size_t pn_sizeof_int(const pn_sizeof_layout *layout, size_t ndigits);

/* str of `length` code points whose largest is `maxchar`, as a literal
 * makes it (a one-character str is the interpreter's singleton). */
size_t pn_sizeof_str(const pn_sizeof_layout *layout, size_t length, unsigned maxchar);

/* bytes of `length` bytes. */
size_t pn_sizeof_bytes(const pn_sizeof_layout *layout, size_t length);

/* Fixed-size objects; slice is GC-tracked. */
size_t pn_sizeof_none(const pn_sizeof_layout *layout);
size_t pn_sizeof_float(const pn_sizeof_layout *layout);
size_t pn_sizeof_complex(const pn_sizeof_layout *layout);
size_t pn_sizeof_range(const pn_sizeof_layout *layout);
size_t pn_sizeof_slice(const pn_sizeof_layout *layout);

/* tuple of `length` items. */
size_t pn_sizeof_tuple(const pn_sizeof_layout *layout, size_t length);

/* list whose item array holds `allocated` slots. */
size_t pn_sizeof_list(const pn_sizeof_layout *layout, size_t allocated);

/* The allocation list_resize(newsize) leaves on a list of `size` items and
 * `allocated` slots: unchanged while newsize fits and uses at least half,
 * else over-allocated by the layout's list_growth. */
size_t pn_list_resize(const pn_sizeof_layout *layout, size_t size, size_t allocated,
                      size_t newsize);

/* Slots of a list built by `count` appends to an empty list (app1). */
size_t pn_list_appended(const pn_sizeof_layout *layout, size_t count);

/* Slots of list(X) for X of `count` items whose length is known (a list,
 * tuple, set, frozenset, range or dict); `set_or_dict` says X is a set,
 * frozenset or dict. */
size_t pn_list_from_sized(const pn_sizeof_layout *layout, size_t count, bool set_or_dict);

/* Slots of a list display of `count` items, `constant` when every item is a
 * constant once the AST optimizer has folded it (sizeof_syntax's
 * pn_node_is_constant). */
size_t pn_list_display(const pn_sizeof_layout *layout, size_t count, bool constant);

/* Whether a set display of `count` items (`constant` as for lists) is
 * folded into a frozenset constant that set_merge pours into an empty set;
 * otherwise its items are added one by one. */
bool pn_set_display_folds(const pn_sizeof_layout *layout, size_t count, bool constant);

/* Whether a list, set or dict display whose items put `stack_items` values
 * on the stack (a dict pair puts two) is built empty and appended to one
 * item (pair) at a time, each before the next is evaluated (3.10 on: more
 * than STACK_USE_GUIDELINE). */
bool pn_display_builds_by_item(const pn_sizeof_layout *layout, size_t stack_items);

/* The most pairs of a dict display whose construction is modelled: from
 * 3.10 any (its parts are); to 3.9 0xFFFF, past which the compiler splits
 * it into BUILD_MAPs merged by BUILD_MAP_UNPACK or DICT_UPDATE. */
size_t pn_dict_display_max_pairs(const pn_sizeof_layout *layout);

/* A dict's keys table: 2**log2_size slots; `unicode` when every key is an
 * exact str (16-byte entries instead of 24, where the layout has str-only
 * tables). log2_size 0 means the shared empty keys object, which getsizeof
 * does not count. */
typedef struct pn_dict_keys {
  unsigned log2_size;
  bool unicode;
  size_t usable; /* insertions left before the table must grow */
} pn_dict_keys;

size_t pn_sizeof_dict(const pn_sizeof_layout *layout, const pn_dict_keys *keys);

/* Whether a str key makes a str-only (PyDictUnicodeEntry) table. */
bool pn_dict_has_str_tables(const pn_sizeof_layout *layout);

/* The keys of an empty dict from PyDict_New ({}, BUILD_MAP 0, a
 * comprehension's start): the shared empty keys, or a minimal table where
 * the layout's dict_new_allocates. */
pn_dict_keys pn_dict_new(const pn_sizeof_layout *layout);

/* The keys of an empty dict from calling dict() (dict.fromkeys' start). */
pn_dict_keys pn_dict_from_call(const pn_sizeof_layout *layout);

/* Keys presized for `count` items by BUILD_MAP or BUILD_CONST_KEY_MAP
 * (_PyDict_NewPresized, dict_new_presized): up to 5 items PyDict_New's,
 * else room for count * 3/2 slots. */
pn_dict_keys pn_dict_presized(const pn_sizeof_layout *layout, size_t count, bool unicode);

/* Insertion of a new key into a dict holding `used` items: grows the table
 * as insertdict does (a first key makes the minimal table; a full table, or
 * a non-str key in a str-only table, resizes for GROWTH_RATE). `key_is_str`
 * is whether the new key is an exact str. */
void pn_dict_insert(const pn_sizeof_layout *layout, pn_dict_keys *keys, size_t used,
                    bool key_is_str);

/* dict_merge's one resize up front, before the items of a dict of
 * `other_used` items (str-only table or not) go into one holding `used`:
 * when the table's whole usable fraction is below other_used, it becomes
 * estimate_log2_keysize(used + other_used), str-only if both were. Only
 * reached from 3.10 (dict displays in parts). */
void pn_dict_merge_presize(const pn_sizeof_layout *layout, pn_dict_keys *keys, size_t used,
                           size_t other_used, bool other_unicode);

/* A set's table: `slots` (mask+1); 8 is the small table inside the object. */
typedef struct pn_set_table {
  size_t slots;
  size_t fill;
  size_t used;
} pn_set_table;

size_t pn_sizeof_set(const pn_sizeof_layout *layout, const pn_set_table *table);

pn_set_table pn_set_empty(void);

/* set_add_entry of a new key: insert, then grow once the fill passes the
 * layout's fraction of the mask. */
void pn_set_add_new(const pn_sizeof_layout *layout, pn_set_table *table);

/* set_merge of another set with `other_used` items into an empty set. */
void pn_set_merge_into_empty(const pn_sizeof_layout *layout, pn_set_table *table,
                             size_t other_used);

/* bytearray of `length` bytes built by bytearray(n) or bytearray(b'...'). */
size_t pn_sizeof_bytearray(const pn_sizeof_layout *layout, size_t length);

#endif /* PYNOTES_REF_SIZEOF_SIZEOF_MODEL_H_ */
