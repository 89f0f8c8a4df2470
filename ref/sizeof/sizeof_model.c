#include "ref/sizeof/sizeof_model.h"

#include <stdint.h>

/* Object headers (Include/object.h): PyObject is ob_refcnt + ob_type (two
 * pointer-wide fields: 16 bytes on 64-bit, 8 on 32-bit), PyVarObject adds
 * ob_size. Py_ssize_t and Py_hash_t are as wide as a pointer. */
static size_t object_head(const pn_sizeof_layout *layout) {
  return 2 * layout->pointer;
}

static size_t var_object_head(const pn_sizeof_layout *layout) {
  return 3 * layout->pointer;
}

/* `size` rounded up to a multiple of `alignment` (a power of two), as a
 * struct's size is to its widest member's alignment. */
static size_t align_up(size_t size, size_t alignment) {
  return (size + alignment - 1) & ~(alignment - 1);
}

/* PyGC_Head (Include/objimpl.h to 3.7, Include/internal/pycore_gc.h on):
 * to 3.7 a union of gc_next, gc_prev and gc_refs with a long double that
 * forces its 16-byte alignment, so 32 bytes; from 3.8 _gc_next and
 * _gc_prev. sys_getsizeof (Python/sysmodule.c) adds it for GC-tracked types. */
enum { GC_HEAD_PY36 = 32, GC_HEAD_PY38 = 16 };

/* PyDictKeysObject's fields before dk_indices: to 3.10 dk_refcnt, dk_size,
 * dk_lookup, dk_usable, dk_nentries (five 8-byte fields; 3.6's sizeof
 * subtracts its 8-byte dk_indices union); from 3.11 dk_refcnt,
 * dk_log2_size, dk_log2_index_bytes, dk_kind, dk_version (uint32),
 * dk_usable, dk_nentries: 8 + 3 + 1 (padding) + 4 + 8 + 8 on 64-bit,
 * 4 + 3 + 1 + 4 + 4 + 4 on 32-bit. */
enum { DICT_KEYS_HEAD_PY36 = 40, DICT_KEYS_HEAD_PY311 = 32, DICT_KEYS_HEAD_PY311_32 = 20 };

/* PyGC_Head on 32-bit (3.8 on): _gc_next and _gc_prev, two uintptr_t. */
enum { GC_HEAD_PY38_32 = 8 };

/* The reader's nesting bound for the LL(1) parser: the measured limits of
 * 3.6 to 3.8 are 86 to 105 brackets as the forms nest (each bracket takes
 * 16 to 18 of MAXSTACK's 1500 entries), so 64 leaves room for every form. */
enum { LL1_MAX_NESTING = 64 };

static const pn_sizeof_layout kLayouts[] = {
    {
        .minor = 6,
        .pointer = 8,
        .gc_head = GC_HEAD_PY36,
        .str_wstr = true,
        .list_growth = PN_LIST_GROWTH_PY36,
        .list_init = PN_LIST_INIT_RESIZE,
        .displays = PN_DISPLAY_BUILD_N,
        .set_fills_two_thirds = true,
        .dict_keys_header = DICT_KEYS_HEAD_PY36,
        .dict_new_allocates = true,
        .dict_call_allocates = true,
        .dict_growth_py36 = true,
        .max_nesting = LL1_MAX_NESTING,
    },
    {
        .minor = 7,
        .pointer = 8,
        .gc_head = GC_HEAD_PY36,
        .str_wstr = true,
        .list_growth = PN_LIST_GROWTH_PY36,
        .list_init = PN_LIST_INIT_RESIZE,
        .displays = PN_DISPLAY_BUILD_N,
        .dict_keys_header = DICT_KEYS_HEAD_PY36,
        .dict_new_allocates = true,
        .dict_call_allocates = true,
        .max_nesting = LL1_MAX_NESTING,
    },
    {
        .minor = 8,
        .pointer = 8,
        .gc_head = GC_HEAD_PY38,
        .str_wstr = true,
        .list_growth = PN_LIST_GROWTH_PY36,
        .list_init = PN_LIST_INIT_EXACT,
        .displays = PN_DISPLAY_BUILD_N,
        .dict_keys_header = DICT_KEYS_HEAD_PY36,
        .dict_call_allocates = true,
        .max_nesting = LL1_MAX_NESTING,
    },
    {
        .minor = 9,
        .pointer = 8,
        .gc_head = GC_HEAD_PY38,
        .str_wstr = true,
        .list_growth = PN_LIST_GROWTH_PY39,
        .list_init = PN_LIST_INIT_EXACT,
        .displays = PN_DISPLAY_FOLD,
        .dict_keys_header = DICT_KEYS_HEAD_PY36,
        .dict_call_allocates = true,
    },
    {
        .minor = 10,
        .pointer = 8,
        .gc_head = GC_HEAD_PY38,
        .str_wstr = true,
        .list_growth = PN_LIST_GROWTH_PY39,
        .list_init = PN_LIST_INIT_EVEN,
        .displays = PN_DISPLAY_FOLD_AND_STACK_LIMIT,
        .dict_keys_header = DICT_KEYS_HEAD_PY36,
        .dict_keysize_bits = true,
    },
    {
        .minor = 11,
        .pointer = 8,
        .gc_head = GC_HEAD_PY38,
        .int_zero_has_digit = true,
        .str_wstr = true,
        .list_growth = PN_LIST_GROWTH_PY39,
        .list_init = PN_LIST_INIT_EVEN,
        .displays = PN_DISPLAY_FOLD_AND_STACK_LIMIT,
        .dict_keys_header = DICT_KEYS_HEAD_PY311,
        .dict_str_tables = true,
        .dict_keysize_bits = true,
    },
    {
        .minor = 12,
        .pointer = 8,
        .gc_head = GC_HEAD_PY38,
        .int_zero_has_digit = true,
        .list_growth = PN_LIST_GROWTH_PY39,
        .list_init = PN_LIST_INIT_EVEN,
        .displays = PN_DISPLAY_FOLD_AND_STACK_LIMIT,
        .dict_keys_header = DICT_KEYS_HEAD_PY311,
        .dict_str_tables = true,
        .dict_keysize_bits = true,
    },
    {
        .minor = 13,
        .pointer = 8,
        .gc_head = GC_HEAD_PY38,
        .int_zero_has_digit = true,
        .list_growth = PN_LIST_GROWTH_PY39,
        .list_init = PN_LIST_INIT_EVEN,
        .list_of_set_or_dict_resizes = true,
        .displays = PN_DISPLAY_FOLD_AND_STACK_LIMIT,
        .dict_keys_header = DICT_KEYS_HEAD_PY311,
        .dict_str_tables = true,
        .dict_keysize_bits = true,
    },
    /* Pyodide's CPython 3.14 (WebAssembly, 4-byte pointers): 3.13's rules
     * on 32-bit structs, with 30-bit digits (Include/pyport.h's
     * PYLONG_BITS_IN_DIGIT defaults to 30 on every platform; it once chose
     * 15 for 32-bit ones), 3.14's cached tuple hash, its display folding in
     * the CFG optimizer and its calculate_log2_keysize. */
    {
        .minor = 14,
        .pointer = 4,
        .gc_head = GC_HEAD_PY38_32,
        .int_zero_has_digit = true,
        .tuple_hash = true,
        .list_growth = PN_LIST_GROWTH_PY39,
        .list_init = PN_LIST_INIT_EVEN,
        .list_of_set_or_dict_resizes = true,
        .displays = PN_DISPLAY_STACK_LIMIT_THEN_FOLD,
        .dict_keys_header = DICT_KEYS_HEAD_PY311_32,
        .dict_str_tables = true,
        .dict_keysize_bits = true,
        .dict_keysize_max = true,
    },
};

const pn_sizeof_layout *pn_sizeof_layout_for(pn_target target) {
  for (size_t i = 0; i < sizeof kLayouts / sizeof kLayouts[0]; i++) {
    if (pn_pyversion_cmp(target.python, 3, kLayouts[i].minor) == 0 &&
        (size_t)target.pointer_size == kLayouts[i].pointer) {
      return &kLayouts[i];
    }
  }
  return NULL;
}

size_t pn_sizeof_int(const pn_sizeof_layout *layout, size_t ndigits) {
  /* PyLongObject: PyVarObject (from 3.12 PyObject + lv_tag, as wide) +
   * digit ob_digit[] with 4-byte (30-bit) digits. int.__sizeof__ counts
   * abs(ob_size) digits; from 3.11 at least one, as every int allocates one
   * (0 is 28 bytes in 3.11, 24 before). */
  if (layout->int_zero_has_digit && ndigits == 0) {
    ndigits = 1;
  }
  return var_object_head(layout) + 4 * ndigits;
}

size_t pn_sizeof_str(const pn_sizeof_layout *layout, size_t length, unsigned maxchar) {
  /* Compact strings (Include/cpython/unicodeobject.h): PyASCIIObject is
   * PyObject + length + hash + state (4 bytes), to 3.11 + wstr, padded to a
   * pointer's alignment: 48 bytes on 64-bit to 3.11, 40 from 3.12 (20 on
   * 32-bit); then the ASCII data and a NUL. Non-ASCII strings are
   * PyCompactUnicodeObject = PyASCIIObject + utf8_length + utf8 (to 3.11 +
   * wstr_length): 72 bytes to 3.11, 56 from 3.12 (28 on 32-bit), then
   * (length + 1) code units of 1, 2 or 4 bytes. */
  size_t p = layout->pointer;
  size_t wstr = layout->str_wstr ? p : 0;
  size_t ascii = align_up(object_head(layout) + 2 * p + 4, p) + wstr;
  size_t compact = ascii + 2 * p + wstr;
  if (maxchar < 0x80) {
    return ascii + length + 1;
  }
  size_t unit = maxchar < 0x100 ? 1 : maxchar < 0x10000 ? 2 : 4;
  /* To 3.11 a literal has no cached UTF-8 or wstr copy, so nothing else
   * counts. From 3.12 unicode___sizeof__ adds a cached UTF-8 copy
   * (utf8_length + 1), which the statically initialised one-character
   * Latin-1 singletons (_Py_LATIN1_CHR, U+0080 to U+00FF: two UTF-8 bytes)
   * carry, and which a literal's decoding returns for any one-character str
   * (unicode_result). */
  size_t cached_utf8 = !layout->str_wstr && length == 1 && maxchar < 0x100 ? 2 + 1 : 0;
  return compact + (length + 1) * unit + cached_utf8;
}

size_t pn_sizeof_bytes(const pn_sizeof_layout *layout, size_t length) {
  /* PyBytesObject: PyVarObject + ob_shash + char ob_sval[1] (the NUL). */
  return var_object_head(layout) + layout->pointer + length + 1;
}

size_t pn_sizeof_none(const pn_sizeof_layout *layout) {
  return object_head(layout); /* None is a bare PyObject */
}

size_t pn_sizeof_float(const pn_sizeof_layout *layout) {
  /* PyFloatObject: PyObject + double ob_fval (at offset 8 either way). */
  return object_head(layout) + 8;
}

size_t pn_sizeof_complex(const pn_sizeof_layout *layout) {
  return object_head(layout) + 16; /* PyComplexObject: PyObject + Py_complex cval */
}

size_t pn_sizeof_range(const pn_sizeof_layout *layout) {
  /* PyRangeObject: PyObject + start, stop, step, length; not GC-tracked. */
  return object_head(layout) + 4 * layout->pointer;
}

size_t pn_sizeof_slice(const pn_sizeof_layout *layout) {
  /* PySliceObject: PyObject + start, stop, step; GC-tracked. */
  return object_head(layout) + 3 * layout->pointer + layout->gc_head;
}

size_t pn_sizeof_tuple(const pn_sizeof_layout *layout, size_t length) {
  /* PyTupleObject: PyVarObject (+ Py_hash_t ob_hash from 3.14) +
   * ob_item[length]; GC-tracked. The empty tuple is a singleton of the same
   * shape. */
  size_t hash = layout->tuple_hash ? layout->pointer : 0;
  return var_object_head(layout) + hash + layout->pointer * length + layout->gc_head;
}

size_t pn_sizeof_list(const pn_sizeof_layout *layout, size_t allocated) {
  /* PyListObject: PyVarObject + ob_item + allocated; GC-tracked. list.__sizeof__
   * adds the item array: allocated pointers. */
  size_t p = layout->pointer;
  return var_object_head(layout) + 2 * p + layout->gc_head + p * allocated;
}

size_t pn_list_resize(const pn_sizeof_layout *layout, size_t size, size_t allocated,
                      size_t newsize) {
  /* list_resize (Objects/listobject.c): no reallocation while the new size
   * fits and uses at least half; an empty list frees its array. */
  if (allocated >= newsize && newsize >= (allocated >> 1)) {
    return allocated;
  }
  if (newsize == 0) {
    return 0;
  }
  if (layout->list_growth == PN_LIST_GROWTH_PY36) {
    /* "0, 4, 8, 16, 25, 35, 46, 58, 72, 88, ..." */
    return newsize + (newsize >> 3) + (newsize < 9 ? 3 : 6);
  }
  /* "0, 4, 8, 16, 24, 32, 40, 52, 64, 76, ...": rounded down to a multiple
   * of 4, unless the list grows past the over-allocation. */
  size_t grown = (newsize + (newsize >> 3) + 6) & ~(size_t)3;
  if (newsize - size > grown - newsize) {
    grown = (newsize + 3) & ~(size_t)3;
  }
  return grown;
}

size_t pn_list_appended(const pn_sizeof_layout *layout, size_t count) {
  /* app1 resizes to size+1 only when the list is full, so jump from one
   * reallocation to the next. */
  size_t allocated = 0;
  size_t size = 0;
  while (size < count) {
    if (size == allocated) {
      allocated = pn_list_resize(layout, size, allocated, size + 1);
    }
    size = allocated < count ? allocated : count;
  }
  return allocated;
}

size_t pn_list_from_sized(const pn_sizeof_layout *layout, size_t count, bool set_or_dict) {
  if (count == 0) {
    return 0;
  }
  if (set_or_dict && layout->list_of_set_or_dict_resizes) {
    /* 3.13's list_extend_set and list_extend_dict: list_resize(0 -> n). */
    return pn_list_resize(layout, 0, 0, count);
  }
  switch (layout->list_init) {
    case PN_LIST_INIT_RESIZE:
      /* list_extend: list_resize(m + n) for a list or tuple, list_resize of
       * the length hint for an iterator; the final trim to the size keeps
       * the array, as the size is more than half of it. */
      return pn_list_resize(layout, 0, 0, count);
    case PN_LIST_INIT_EXACT:
      /* list___init__ calls list_preallocate_exact(len) when the argument
       * has a length; list_extend's resize then fits. */
      return count;
    case PN_LIST_INIT_EVEN:
      /* list_preallocate_exact rounds up to an even count: the allocator's
       * 16-byte granularity makes the odd slot free. */
      return (count + 1) & ~(size_t)1;
  }
  return count;
}

/* STACK_USE_GUIDELINE (Python/compile.c, 3.10 on). */
enum { STACK_USE_GUIDELINE = 30 };

bool pn_display_builds_by_item(const pn_sizeof_layout *layout, size_t stack_items) {
  return (layout->displays == PN_DISPLAY_FOLD_AND_STACK_LIMIT ||
          layout->displays == PN_DISPLAY_STACK_LIMIT_THEN_FOLD) &&
         stack_items > STACK_USE_GUIDELINE;
}

/* starunpack_helper (3.9 on) folds more than two constant items. */
static bool folds(const pn_sizeof_layout *layout, size_t count, bool constant) {
  if (layout->displays == PN_DISPLAY_STACK_LIMIT_THEN_FOLD && count > STACK_USE_GUIDELINE) {
    return false; /* 3.14: built item by item before the CFG optimizer sees it */
  }
  return layout->displays != PN_DISPLAY_BUILD_N && count > 2 && constant;
}

size_t pn_list_display(const pn_sizeof_layout *layout, size_t count, bool constant) {
  if (folds(layout, count, constant)) {
    /* BUILD_LIST 0 + LOAD_CONST of the folded tuple + LIST_EXTEND: 3.9's
     * list_extend resizes the empty list to the tuple's length; from 3.10 it
     * preallocates an empty list exactly (rounded to even), as list() does. */
    if (layout->displays == PN_DISPLAY_FOLD) {
      return pn_list_resize(layout, 0, 0, count);
    }
    return pn_list_from_sized(layout, count, false);
  }
  if (pn_display_builds_by_item(layout, count)) {
    return pn_list_appended(layout, count); /* BUILD_LIST 0 + one LIST_APPEND per item */
  }
  return count; /* BUILD_LIST n: PyList_New(n) */
}

bool pn_set_display_folds(const pn_sizeof_layout *layout, size_t count, bool constant) {
  return folds(layout, count, constant);
}

size_t pn_dict_display_max_pairs(const pn_sizeof_layout *layout) {
  return layout->displays == PN_DISPLAY_FOLD_AND_STACK_LIMIT ||
                 layout->displays == PN_DISPLAY_STACK_LIMIT_THEN_FOLD
             ? SIZE_MAX
             : 0xFFFF;
}

/* Objects/dictobject.c. */
enum { DICT_LOG_MINSIZE = 3 };

/* PyDictObject: PyObject + ma_used + ma_version_tag (uint64_t, 8-aligned;
 * _ma_watcher_tag from 3.12) + ma_keys + ma_values: 48 bytes on 64-bit,
 * 8 + 4 + 4 (padding) + 8 + 4 + 4 = 32 on 32-bit. */
static size_t dict_object(const pn_sizeof_layout *layout) {
  size_t p = layout->pointer;
  return align_up(object_head(layout) + p, 8) + 8 + 2 * p;
}

static size_t usable_fraction(size_t slots) {
  return (slots << 1) / 3; /* USABLE_FRACTION */
}

static unsigned bit_length(size_t n) {
  unsigned bits = 0;
  while (n != 0) {
    bits++;
    n >>= 1;
  }
  return bits;
}

/* The log2 of the table size asked for minsize slots. To 3.9, dictresize
 * and _PyDict_NewPresized double from PyDict_MINSIZE while below minsize.
 * From 3.10, calculate_keysize: (minsize | 8) - 1, or-ed with 7, has the bit
 * length wanted; note the or, which asks for twice the slots when minsize
 * is a power of two from 16 (GROWTH_RATE never is one). */
static unsigned log2_keysize(const pn_sizeof_layout *layout, size_t minsize) {
  if (layout->dict_keysize_max) {
    return bit_length((minsize > 8 ? minsize : 8) - 1);
  }
  if (layout->dict_keysize_bits) {
    return bit_length(((minsize | 8) - 1) | 7);
  }
  unsigned log2 = DICT_LOG_MINSIZE;
  while (((size_t)1 << log2) < minsize) {
    log2++;
  }
  return log2;
}

static pn_dict_keys new_keys(unsigned log2_size, bool unicode, size_t used) {
  pn_dict_keys keys = {log2_size, unicode, usable_fraction((size_t)1 << log2_size) - used};
  return keys;
}

bool pn_dict_has_str_tables(const pn_sizeof_layout *layout) {
  return layout->dict_str_tables;
}

size_t pn_sizeof_dict(const pn_sizeof_layout *layout, const pn_dict_keys *keys) {
  /* _PyDict_SizeOf: the object, plus the keys object when the dict owns it
   * (dk_refcnt == 1; the shared empty keys are never counted) — its header,
   * the index array (1, 2, 4 or 8 bytes per slot as the table grows past
   * 2**7, 2**15, 2**31 slots: DK_IXSIZE, dk_log2_index_bytes) and
   * USABLE_FRACTION(size) entries. Shared keys of instance dicts (ma_values)
   * cannot come from the listed constructions. */
  size_t size = dict_object(layout) + layout->gc_head;
  if (keys->log2_size == 0) {
    return size;
  }
  unsigned log2 = keys->log2_size;
  unsigned index_log2 = log2 < 8 ? log2 : log2 < 16 ? log2 + 1 : log2 < 32 ? log2 + 2 : log2 + 3;
  size_t slots = (size_t)1 << log2;
  /* PyDictKeyEntry: me_hash, me_key, me_value; PyDictUnicodeEntry: me_key,
   * me_value. */
  size_t entry = (keys->unicode && layout->dict_str_tables ? 2 : 3) * layout->pointer;
  return size + layout->dict_keys_header + ((size_t)1 << index_log2) +
         usable_fraction(slots) * entry;
}

static pn_dict_keys shared_empty(void) {
  pn_dict_keys keys = {0, true, 0};
  return keys;
}

pn_dict_keys pn_dict_new(const pn_sizeof_layout *layout) {
  /* PyDict_New: to 3.7 new_keys_object(PyDict_MINSIZE); from 3.8 the
   * shared Py_EMPTY_KEYS. */
  return layout->dict_new_allocates ? new_keys(DICT_LOG_MINSIZE, true, 0) : shared_empty();
}

pn_dict_keys pn_dict_from_call(const pn_sizeof_layout *layout) {
  /* dict_new: to 3.9 new_keys_object(PyDict_MINSIZE); from 3.10 the
   * shared Py_EMPTY_KEYS. */
  return layout->dict_call_allocates ? new_keys(DICT_LOG_MINSIZE, true, 0) : shared_empty();
}

pn_dict_keys pn_dict_presized(const pn_sizeof_layout *layout, size_t count, bool unicode) {
  /* _PyDict_NewPresized (to 3.10) and dict_new_presized (3.11): up to
   * USABLE_FRACTION(8) items PyDict_New's keys (3.6 makes the minimal table
   * itself, as its PyDict_New does); more get room for ESTIMATE_SIZE(count)
   * = count * 3/2 slots (rounded up), at least 16. The cap at 128Ki slots
   * needs more pairs than one BUILD_MAP holds (pn_dict_display_max_pairs). */
  if (count <= usable_fraction(1 << DICT_LOG_MINSIZE)) {
    return pn_dict_new(layout);
  }
  return new_keys(log2_keysize(layout, (count * 3 + 1) / 2), unicode, 0);
}

/* GROWTH_RATE: 3.6's used*2 + size/2, used*3 from 3.7. */
static size_t growth_rate(const pn_sizeof_layout *layout, const pn_dict_keys *keys, size_t used) {
  if (layout->dict_growth_py36) {
    return used * 2 + ((size_t)1 << keys->log2_size >> 1);
  }
  return used * 3;
}

void pn_dict_insert(const pn_sizeof_layout *layout, pn_dict_keys *keys, size_t used,
                    bool key_is_str) {
  bool str_tables = layout->dict_str_tables;
  if (keys->log2_size == 0) {
    /* insert_to_emptydict: the minimal table, str-only if the key is a str. */
    *keys = new_keys(DICT_LOG_MINSIZE, key_is_str && str_tables, 0);
  } else if (str_tables && keys->unicode && !key_is_str) {
    /* insertdict: a non-str key converts the table (insertion_resize). */
    *keys = new_keys(log2_keysize(layout, growth_rate(layout, keys, used)), false, used);
  }
  if (keys->usable == 0) {
    *keys = new_keys(log2_keysize(layout, growth_rate(layout, keys, used)), keys->unicode, used);
  }
  keys->usable--;
}

void pn_dict_merge_presize(const pn_sizeof_layout *layout, pn_dict_keys *keys, size_t used,
                           size_t other_used, bool other_unicode) {
  if (usable_fraction((size_t)1 << keys->log2_size) < other_used) {
    /* dictresize keeps general entries once a table has them. */
    *keys = new_keys(log2_keysize(layout, ((used + other_used) * 3 + 1) / 2),
                     keys->unicode && other_unicode, used);
  }
}

/* Objects/setobject.c: PySetObject = PyObject + fill + used + mask +
 * table + hash + finger + smalltable[8] (setentry: key, hash; 16 bytes on
 * 64-bit, 8 on 32-bit) + weakreflist; GC-tracked. A table other than the
 * small one adds its (mask+1) entries. */
enum { SET_MINSIZE = 8 };

size_t pn_sizeof_set(const pn_sizeof_layout *layout, const pn_set_table *table) {
  size_t p = layout->pointer;
  size_t entry = 2 * p;
  size_t size = object_head(layout) + 6 * p + SET_MINSIZE * entry + p + layout->gc_head;
  if (table->slots != SET_MINSIZE) {
    size += table->slots * entry;
  }
  return size;
}

pn_set_table pn_set_empty(void) {
  pn_set_table table = {SET_MINSIZE, 0, 0};
  return table;
}

/* set_table_resize: the smallest power of two above minused, at least 8. */
static void set_table_resize(pn_set_table *table, size_t minused) {
  size_t slots = SET_MINSIZE;
  while (slots <= minused) {
    slots <<= 1;
  }
  table->slots = slots;
  table->fill = table->used; /* no dummies survive a resize */
}

/* Whether a fill of `fill` in a table of `slots` slots asks for a resize:
 * fill*3 >= mask*2 in 3.6, fill*5 >= mask*3 from 3.7. */
static bool set_too_full(const pn_sizeof_layout *layout, size_t fill, size_t slots) {
  size_t mask = slots - 1;
  return layout->set_fills_two_thirds ? fill * 3 >= mask * 2 : fill * 5 >= mask * 3;
}

void pn_set_add_new(const pn_sizeof_layout *layout, pn_set_table *table) {
  /* set_add_entry: after filling an empty slot, grow to used*4 (used*2 past
   * 50000 items) once the table is too full. */
  table->fill++;
  table->used++;
  if (set_too_full(layout, table->fill, table->slots)) {
    set_table_resize(table, table->used > 50000 ? table->used * 2 : table->used * 4);
  }
}

void pn_set_merge_into_empty(const pn_sizeof_layout *layout, pn_set_table *table,
                             size_t other_used) {
  /* set_merge: one resize up front, for (used + other->used)*2, when the
   * merged fill would make the table too full; then the keys go in without
   * further resizing. */
  if (other_used == 0) {
    return;
  }
  if (set_too_full(layout, table->fill + other_used, table->slots)) {
    set_table_resize(table, (table->used + other_used) * 2);
  }
  table->fill += other_used;
  table->used += other_used;
}

size_t pn_sizeof_bytearray(const pn_sizeof_layout *layout, size_t length) {
  /* PyByteArrayObject: PyVarObject + ob_alloc + ob_bytes + ob_start +
   * ob_exports (int, padded to a pointer) = 56 bytes on 64-bit, 28 on 32-bit,
   * not GC-tracked; __sizeof__ adds ob_alloc. PyByteArray_Resize from empty
   * allocates length + 1 (the NUL); bytearray(0) and bytearray(b'')
   * allocate nothing. */
  return var_object_head(layout) + 4 * layout->pointer + (length == 0 ? 0 : length + 1);
}
