#include "ref/sizeof/sizeof_model.h"

/* Object headers on a 64-bit build (Include/object.h): PyObject is
 * ob_refcnt + ob_type, PyVarObject adds ob_size. */
enum {
  POINTER = 8,
  OBJECT_HEAD = 16,
  VAR_OBJECT_HEAD = 24,
  /* PyGC_Head since 3.8: _gc_next + _gc_prev (Include/internal/pycore_gc.h);
   * getsizeof adds it for GC-tracked types (sys_getsizeof in Python/sysmodule.c). */
  GC_HEAD = 16,
};

pn_sizeof_layout pn_sizeof_layout_for(pn_pyversion python) {
  if (pn_pyversion_cmp(python, 3, 11) == 0) {
    return PN_LAYOUT_PY311;
  }
  if (pn_pyversion_cmp(python, 3, 10) == 0) {
    return PN_LAYOUT_PY310;
  }
  if (pn_pyversion_cmp(python, 3, 12) == 0) {
    return PN_LAYOUT_PY312;
  }
  if (pn_pyversion_cmp(python, 3, 13) == 0) {
    return PN_LAYOUT_PY313;
  }
  if (pn_pyversion_cmp(python, 3, 6) == 0) {
    return PN_LAYOUT_PY36;
  }
  return PN_LAYOUT_NONE;
}

size_t pn_sizeof_int(pn_sizeof_layout layout, size_t ndigits) {
  /* PyLongObject: PyVarObject + digit ob_digit[] with 4-byte digits.
   * int.__sizeof__ counts abs(ob_size) digits; 3.11 counts at least one, as
   * every int allocates one (0 is 28 bytes in 3.11, 24 in 3.6). */
  if (layout >= PN_LAYOUT_PY311 && ndigits == 0) {
    ndigits = 1;
  }
  return VAR_OBJECT_HEAD + 4 * ndigits;
}

size_t pn_sizeof_str(pn_sizeof_layout layout, size_t length, unsigned maxchar) {
  if (layout >= PN_LAYOUT_PY312) {
    /* 3.12 dropped wstr and wstr_length: PyASCIIObject is 40 bytes and
     * PyCompactUnicodeObject 56. unicode___sizeof__ adds a cached UTF-8 copy
     * (utf8_length + 1), which the statically initialised one-character
     * Latin-1 singletons (_Py_LATIN1_CHR, U+0080 to U+00FF: two UTF-8 bytes)
     * carry, and which a literal's decoding returns for any one-character
     * str (unicode_result). */
    if (maxchar < 0x80) {
      return 40 + length + 1;
    }
    size_t unit = maxchar < 0x100 ? 1 : maxchar < 0x10000 ? 2 : 4;
    size_t cached_utf8 = length == 1 && maxchar < 0x100 ? 2 + 1 : 0;
    return 56 + (length + 1) * unit + cached_utf8;
  }
  /* Compact strings (Include/cpython/unicodeobject.h, 3.3 to 3.11):
   * PyASCIIObject = PyObject + length + hash + state (4 bytes, padded to 8) +
   * wstr = 48 bytes, then the ASCII data and a NUL. Non-ASCII strings are
   * PyCompactUnicodeObject = PyASCIIObject + utf8_length + utf8 +
   * wstr_length = 72 bytes, then (length + 1) code units of 1, 2 or 4 bytes.
   * A literal has no cached UTF-8 or wstr copy, so nothing else counts. */
  if (maxchar < 0x80) {
    return 48 + length + 1;
  }
  size_t unit = maxchar < 0x100 ? 1 : maxchar < 0x10000 ? 2 : 4;
  return 72 + (length + 1) * unit;
}

size_t pn_sizeof_bytes(size_t length) {
  /* PyBytesObject: PyVarObject + ob_shash + char ob_sval[1] (the NUL). */
  return VAR_OBJECT_HEAD + 8 + length + 1;
}

size_t pn_sizeof_none(void) {
  return OBJECT_HEAD; /* None is a bare PyObject */
}

size_t pn_sizeof_float(void) {
  return OBJECT_HEAD + 8; /* PyFloatObject: PyObject + double ob_fval */
}

size_t pn_sizeof_complex(void) {
  return OBJECT_HEAD + 16; /* PyComplexObject: PyObject + Py_complex cval */
}

size_t pn_sizeof_range(void) {
  /* PyRangeObject: PyObject + start, stop, step, length; not GC-tracked. */
  return OBJECT_HEAD + 4 * POINTER;
}

size_t pn_sizeof_slice(void) {
  /* PySliceObject: PyObject + start, stop, step; GC-tracked. */
  return OBJECT_HEAD + 3 * POINTER + GC_HEAD;
}

size_t pn_sizeof_tuple(size_t length) {
  /* PyTupleObject: PyVarObject + ob_item[length]; GC-tracked. The empty
   * tuple is a singleton of the same shape. */
  return VAR_OBJECT_HEAD + POINTER * length + GC_HEAD;
}

size_t pn_sizeof_list(size_t allocated) {
  /* PyListObject: PyVarObject + ob_item + allocated; GC-tracked. list.__sizeof__
   * adds the item array: allocated pointers. */
  return VAR_OBJECT_HEAD + 2 * POINTER + GC_HEAD + POINTER * allocated;
}

size_t pn_list_resize(size_t size, size_t allocated, size_t newsize) {
  /* list_resize (Objects/listobject.c, 3.9 on): no reallocation while the
   * new size fits and uses at least half; otherwise newsize + newsize/8 + 6
   * rounded down to a multiple of 4, or newsize rounded up to 4 when the
   * list grows by more than that over-allocation. */
  if (allocated >= newsize && newsize >= (allocated >> 1)) {
    return allocated;
  }
  if (newsize == 0) {
    return 0;
  }
  size_t grown = (newsize + (newsize >> 3) + 6) & ~(size_t)3;
  if (newsize - size > grown - newsize) {
    grown = (newsize + 3) & ~(size_t)3;
  }
  return grown;
}

size_t pn_list_appended(size_t count) {
  /* app1 resizes to size+1 only when the list is full, so jump from one
   * reallocation to the next. */
  size_t allocated = 0;
  size_t size = 0;
  while (size < count) {
    if (size == allocated) {
      allocated = pn_list_resize(size, allocated, size + 1);
    }
    size = allocated < count ? allocated : count;
  }
  return allocated;
}

size_t pn_list_from_set_or_dict(pn_sizeof_layout layout, size_t count) {
  if (layout >= PN_LAYOUT_PY313) {
    return pn_list_resize(0, 0, count);
  }
  return pn_list_preallocated(count);
}

size_t pn_list_preallocated(size_t count) {
  /* list_preallocate_exact rounds up to an even count: the allocator's
   * 16-byte granularity makes the odd slot free. */
  return count == 0 ? 0 : (count + 1) & ~(size_t)1;
}

/* Objects/dictobject.c (3.11). */
enum {
  DICT_LOG_MINSIZE = 3,
  /* PyDictKeysObject: dk_refcnt, dk_log2_size, dk_log2_index_bytes, dk_kind,
   * dk_version (uint32), dk_usable, dk_nentries, then dk_indices. */
  DICT_KEYS_HEAD = 32,
  DICT_ENTRY = 24,         /* PyDictKeyEntry: me_hash, me_key, me_value */
  DICT_UNICODE_ENTRY = 16, /* PyDictUnicodeEntry: me_key, me_value */
  /* PyDictObject: PyObject + ma_used + ma_version_tag + ma_keys + ma_values. */
  DICT_OBJECT = OBJECT_HEAD + 4 * 8,
};

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

/* calculate_log2_keysize: (minsize | 8) - 1, or-ed with 7, has the bit
 * length wanted. Note the or: any minsize from 1 to 7 asks for 16 slots. */
static unsigned calculate_log2_keysize(size_t minsize) {
  return bit_length(((minsize | 8) - 1) | 7);
}

static pn_dict_keys new_keys(unsigned log2_size, bool unicode, size_t used) {
  pn_dict_keys keys = {log2_size, unicode, usable_fraction((size_t)1 << log2_size) - used};
  return keys;
}

bool pn_dict_has_str_tables(pn_sizeof_layout layout) {
  return layout >= PN_LAYOUT_PY311;
}

size_t pn_sizeof_dict(pn_sizeof_layout layout, const pn_dict_keys *keys) {
  /* _PyDict_SizeOf: the object, plus the keys object when the dict owns it
   * (dk_refcnt == 1; the shared empty keys are never counted) — its header,
   * the index array (1, 2, 4 or 8 bytes per slot as the table grows:
   * dk_log2_index_bytes) and USABLE_FRACTION(size) entries. Shared keys of
   * instance dicts (ma_values) cannot come from the listed constructions. */
  size_t size = DICT_OBJECT + GC_HEAD;
  if (keys->log2_size == 0) {
    return size;
  }
  unsigned log2 = keys->log2_size;
  unsigned index_log2 = log2 < 8 ? log2 : log2 < 16 ? log2 + 1 : log2 < 32 ? log2 + 2 : log2 + 3;
  size_t slots = (size_t)1 << log2;
  size_t entry = keys->unicode ? DICT_UNICODE_ENTRY : DICT_ENTRY;
  /* Up to 3.10 the keys header is dk_refcnt, dk_size, dk_lookup, dk_usable
   * and dk_nentries: five 8-byte fields. */
  size_t head = layout >= PN_LAYOUT_PY311 ? DICT_KEYS_HEAD : 5 * 8;
  return size + head + ((size_t)1 << index_log2) + usable_fraction(slots) * entry;
}

pn_dict_keys pn_dict_empty(void) {
  pn_dict_keys keys = {0, true, 0};
  return keys;
}

pn_dict_keys pn_dict_presized(size_t count, bool unicode) {
  /* dict_new_presized: up to USABLE_FRACTION(8) items start from the empty
   * dict (and grow on insertion); more get estimate_log2_keysize(count),
   * room for count * 3/2 slots. */
  if (count <= usable_fraction(1 << DICT_LOG_MINSIZE)) {
    return pn_dict_empty();
  }
  return new_keys(calculate_log2_keysize((count * 3 + 1) / 2), unicode, 0);
}

void pn_dict_insert(pn_dict_keys *keys, size_t used, bool key_is_str) {
  if (keys->log2_size == 0) {
    /* insert_to_emptydict: the minimal table, str-only if the key is a str. */
    *keys = new_keys(DICT_LOG_MINSIZE, key_is_str, 0);
  } else if (keys->unicode && !key_is_str) {
    /* insertdict: a non-str key converts the table (insertion_resize) to
     * GROWTH_RATE = used*3. */
    *keys = new_keys(calculate_log2_keysize(used * 3), false, used);
  }
  if (keys->usable == 0) {
    *keys = new_keys(calculate_log2_keysize(used * 3), keys->unicode, used);
  }
  keys->usable--;
}

void pn_dict_merge_presize(pn_dict_keys *keys, size_t used, size_t other_used, bool other_unicode) {
  if (usable_fraction((size_t)1 << keys->log2_size) < other_used) {
    /* dictresize keeps general entries once a table has them. */
    *keys = new_keys(calculate_log2_keysize(((used + other_used) * 3 + 1) / 2),
                     keys->unicode && other_unicode, used);
  }
}

/* Objects/setobject.c (3.11): PySetObject = PyObject + fill + used + mask +
 * table + hash + finger + smalltable[8] (16-byte setentry: key, hash) +
 * weakreflist; GC-tracked. A table other than the small one adds its
 * (mask+1) entries. */
enum { SET_MINSIZE = 8, SET_ENTRY = 16 };

size_t pn_sizeof_set(const pn_set_table *table) {
  size_t size = OBJECT_HEAD + 6 * 8 + SET_MINSIZE * SET_ENTRY + POINTER + GC_HEAD;
  if (table->slots != SET_MINSIZE) {
    size += table->slots * SET_ENTRY;
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

void pn_set_add_new(pn_set_table *table) {
  /* set_add_entry: after filling an empty slot, grow to used*4 (used*2 past
   * 50000 items) once fill*5 >= mask*3. */
  table->fill++;
  table->used++;
  size_t mask = table->slots - 1;
  if (table->fill * 5 >= mask * 3) {
    set_table_resize(table, table->used > 50000 ? table->used * 2 : table->used * 4);
  }
}

void pn_set_merge_into_empty(pn_set_table *table, size_t other_used) {
  /* set_merge: one resize up front, for (used + other->used)*2, when the
   * merged fill would pass 3/5 of the mask; then the keys go in without
   * further resizing. */
  if (other_used == 0) {
    return;
  }
  if ((table->fill + other_used) * 5 >= (table->slots - 1) * 3) {
    set_table_resize(table, (table->used + other_used) * 2);
  }
  table->fill += other_used;
  table->used += other_used;
}

size_t pn_sizeof_bytearray(size_t length) {
  /* PyByteArrayObject: PyVarObject + ob_alloc + ob_bytes + ob_start +
   * ob_exports (int, padded) = 56 bytes, not GC-tracked; __sizeof__ adds
   * ob_alloc. PyByteArray_Resize from empty allocates length + 1 (the NUL);
   * bytearray(0) and bytearray(b'') allocate nothing. */
  return VAR_OBJECT_HEAD + 4 * 8 + (length == 0 ? 0 : length + 1);
}
