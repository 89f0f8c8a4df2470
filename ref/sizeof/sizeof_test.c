/*
 * The sizeof layout model held to the formulas of CPython's own
 * Lib/test/test_sys.py of each version (SizeofTest.test_objecttypes, which
 * derives sizes from struct formats: vsize('') is PyVarObject's 24 bytes,
 * size('') is PyObject's 16, P is a pointer, and GC-tracked types add
 * _testcapi.SIZEOF_PYGC_HEAD) and to the rules of Objects/listobject.c,
 * dictobject.c and setobject.c as each version states them (list_resize's
 * growth pattern comments, GROWTH_RATE, set_add_entry's fill test); and
 * malformed lines each getting one exception line. The golden cases run in
 * //conformance/sizeof.
 */
#include <stdlib.h>
#include <string.h>

#include "conformance/shim/ctest.h"
#include "ref/py/literal.h"
#include "ref/sizeof/sizeof_eval.h"
#include "ref/sizeof/sizeof_model.h"

enum { P = 8, OBJ = 16, VAROBJ = 24, GC = 16 };

/* The layout of 3.minor; every version from 3.6 to 3.13 has one
 * (SizeofModel.EveryRecordedVersionIsModelled), so NULL is a broken table. */
static const pn_sizeof_layout *py(int minor) {
  const pn_sizeof_layout *layout = pn_sizeof_layout_for((pn_target){{3, minor}, 8});
  if (layout == NULL) {
    abort();
  }
  return layout;
}

CT_TEST(SizeofModel, EveryRecordedVersionIsModelled) {
  for (int minor = 6; minor <= 13; minor++) {
    const pn_sizeof_layout *layout = pn_sizeof_layout_for((pn_target){{3, minor}, 8});
    CT_ASSERT_TRUE(layout != NULL);
    CT_EXPECT_INT_EQ(minor, layout->minor);
    /* No 32-bit CPython of these versions was recorded: not modelled. */
    CT_EXPECT_TRUE(pn_sizeof_layout_for((pn_target){{3, minor}, 4}) == NULL);
  }
  CT_EXPECT_TRUE(pn_sizeof_layout_for((pn_target){{3, 5}, 8}) == NULL);
  /* 3.14 only as Pyodide's 32-bit CPython, the one recorded. */
  CT_EXPECT_TRUE(pn_sizeof_layout_for((pn_target){{3, 14}, 8}) == NULL);
  const pn_sizeof_layout *wasm = pn_sizeof_layout_for((pn_target){{3, 14}, 4});
  CT_ASSERT_TRUE(wasm != NULL);
  CT_EXPECT_INT_EQ(14, wasm->minor);
  CT_EXPECT_INT_EQ(4, wasm->pointer);
}

CT_TEST(SizeofModel, IntDigitsFollowTestSys) {
  /* check(1, vsize('') + self.longdigit); two digits from PyLong_BASE. */
  CT_EXPECT_INT_EQ(VAROBJ + 4, pn_sizeof_int(py(11), 1));
  CT_EXPECT_INT_EQ(VAROBJ + 2 * 4, pn_sizeof_int(py(11), 2));
  CT_EXPECT_INT_EQ(VAROBJ + 3 * 4, pn_sizeof_int(py(11), 3));
}

CT_TEST(SizeofModel, StrCompactFormsFollowTestSys) {
  /* 3.6 to 3.11: asciifields "nnbP" (with wstr); compactfields adds
   * "nPn" (utf8_length, utf8, wstr_length). */
  for (int minor = 6; minor <= 11; minor++) {
    CT_EXPECT_INT_EQ(48 + 100 + 1, pn_sizeof_str(py(minor), 100, '1'));
    CT_EXPECT_INT_EQ(72 + 50 + 1, pn_sizeof_str(py(minor), 50, 0xff));
    CT_EXPECT_INT_EQ(72 + 2 * (40 + 1), pn_sizeof_str(py(minor), 40, 0x100));
    CT_EXPECT_INT_EQ(72 + 4 * (30 + 1), pn_sizeof_str(py(minor), 30, 0x10000));
  }
}

CT_TEST(SizeofModel, Str312DropsWstrAndCountsCachedUtf8) {
  /* 3.12's test_sys: asciifields "nnb" (40 bytes padded), compactfields
   * adds "nP" (56); a cached UTF-8 copy adds its length + 1. */
  const pn_sizeof_layout *layouts[] = {py(12), py(13)};
  for (size_t i = 0; i < 2; i++) {
    CT_EXPECT_INT_EQ(40 + 100 + 1, pn_sizeof_str(layouts[i], 100, '1'));
    CT_EXPECT_INT_EQ(40 + 1 + 1, pn_sizeof_str(layouts[i], 1, 'a'));
    CT_EXPECT_INT_EQ(56 + 50 + 1, pn_sizeof_str(layouts[i], 50, 0xff));
    CT_EXPECT_INT_EQ(56 + 2 + 3, pn_sizeof_str(layouts[i], 1, 0xe9));
    CT_EXPECT_INT_EQ(56 + 2 * 2, pn_sizeof_str(layouts[i], 1, 0x100));
    CT_EXPECT_INT_EQ(56 + 4 * (30 + 1), pn_sizeof_str(layouts[i], 30, 0x10000));
  }
}

CT_TEST(SizeofModel, List313OfASetResizesTheEmptyList) {
  /* list_extend_set: list_resize(0 -> n), over-allocating unless n is
   * nearer the over-allocation than the old size; 3.12 preallocates. */
  CT_EXPECT_INT_EQ(0, pn_list_from_sized(py(13), 0, true));
  CT_EXPECT_INT_EQ(4, pn_list_from_sized(py(13), 1, true));
  CT_EXPECT_INT_EQ(8, pn_list_from_sized(py(13), 3, true));
  CT_EXPECT_INT_EQ(12, pn_list_from_sized(py(13), 6, true));
  CT_EXPECT_INT_EQ(8, pn_list_from_sized(py(13), 7, true));
  CT_EXPECT_INT_EQ(4, pn_list_from_sized(py(12), 3, true));
  CT_EXPECT_INT_EQ(4, pn_list_from_sized(py(13), 3, false));
}

CT_TEST(SizeofModel, FixedLayoutsFollowTestSys) {
  CT_EXPECT_INT_EQ(VAROBJ + 8 + 1, pn_sizeof_bytes(py(11), 0));   /* check(b'', vsize('n') + 1) */
  CT_EXPECT_INT_EQ(VAROBJ + 8 + 11, pn_sizeof_bytes(py(11), 10)); /* vsize('n') + 11 */
  CT_EXPECT_INT_EQ(OBJ + 16, pn_sizeof_complex(py(11)));          /* size('2d') */
  CT_EXPECT_INT_EQ(OBJ + 8, pn_sizeof_float(py(11)));             /* size('d') */
  CT_EXPECT_INT_EQ(OBJ + 4 * P, pn_sizeof_range(py(11)));         /* size('4P') */
  CT_EXPECT_INT_EQ(OBJ + 3 * P + GC, pn_sizeof_slice(py(11)));    /* size('3P') */
  CT_EXPECT_INT_EQ(VAROBJ + GC, pn_sizeof_tuple(py(11), 0));      /* vsize('') */
  CT_EXPECT_INT_EQ(VAROBJ + 3 * P + GC, pn_sizeof_tuple(py(11), 3)); /* vsize('') + 3*P */
}

CT_TEST(SizeofModel, ThirtyTwoBitLayoutsOf314) {
  /* test_sys's formulas with 4-byte pointers: size('') is 8, vsize('') 12,
   * SIZEOF_PYGC_HEAD 8; 3.14's tuple adds its cached hash (Py_hash_t). */
  const pn_sizeof_layout *w = pn_sizeof_layout_for((pn_target){{3, 14}, 4});
  CT_ASSERT_TRUE(w != NULL);
  enum { P4 = 4, OBJ4 = 8, VAROBJ4 = 12, GC4 = 8 };
  CT_EXPECT_INT_EQ(OBJ4, pn_sizeof_none(w));
  CT_EXPECT_INT_EQ(OBJ4 + 8, pn_sizeof_float(w));
  CT_EXPECT_INT_EQ(OBJ4 + 16, pn_sizeof_complex(w));
  CT_EXPECT_INT_EQ(OBJ4 + 4 * P4, pn_sizeof_range(w));
  CT_EXPECT_INT_EQ(OBJ4 + 3 * P4 + GC4, pn_sizeof_slice(w));
  CT_EXPECT_INT_EQ(VAROBJ4 + 4, pn_sizeof_int(w, 0)); /* 30-bit digits: 0 has one */
  CT_EXPECT_INT_EQ(VAROBJ4 + 2 * 4, pn_sizeof_int(w, 2));
  CT_EXPECT_INT_EQ(VAROBJ4 + P4 + 1, pn_sizeof_bytes(w, 0)); /* vsize('n') + 1 */
  CT_EXPECT_INT_EQ(VAROBJ4 + P4 + GC4, pn_sizeof_tuple(w, 0));
  CT_EXPECT_INT_EQ(VAROBJ4 + P4 + 3 * P4 + GC4, pn_sizeof_tuple(w, 3));
  CT_EXPECT_INT_EQ(VAROBJ4 + 2 * P4 + GC4 + 4 * P4, pn_sizeof_list(w, 4)); /* vsize('Pn') */
  /* PyASCIIObject 20 bytes, PyCompactUnicodeObject 28; 'é' has its cached UTF-8. */
  CT_EXPECT_INT_EQ(20 + 3 + 1, pn_sizeof_str(w, 3, 'a'));
  CT_EXPECT_INT_EQ(28 + 2 + 3, pn_sizeof_str(w, 1, 0xe9));
  CT_EXPECT_INT_EQ(28 + 2 * (2 + 1), pn_sizeof_str(w, 2, 0x100));
  /* PyDictObject 32 + GC; keys: 20-byte header, 8 indices, 5 entries of 12. */
  pn_dict_keys minimal = {3, false, 5};
  CT_EXPECT_INT_EQ(32 + GC4, pn_sizeof_dict(w, &(pn_dict_keys){0, true, 0}));
  CT_EXPECT_INT_EQ(32 + GC4 + 20 + 8 + 5 * 12, pn_sizeof_dict(w, &minimal));
  pn_set_table empty = pn_set_empty();
  CT_EXPECT_INT_EQ(OBJ4 + 6 * P4 + 8 * 2 * P4 + P4 + GC4, pn_sizeof_set(w, &empty));
  CT_EXPECT_INT_EQ(VAROBJ4 + 4 * P4, pn_sizeof_bytearray(w, 0));
}

CT_TEST(SizeofModel, ConstructionRulesOf314) {
  const pn_sizeof_layout *w = pn_sizeof_layout_for((pn_target){{3, 14}, 4});
  CT_ASSERT_TRUE(w != NULL);
  /* optimize_lists_and_sets folds at most 30 constants; a longer constant
   * display is built as any other: BUILD_LIST 0 and one LIST_APPEND each. */
  CT_EXPECT_INT_EQ(30, pn_list_display(w, 30, true));
  CT_EXPECT_INT_EQ(52, pn_list_display(w, 50, true));
  CT_EXPECT_INT_EQ(52, pn_list_appended(w, 50));
  CT_EXPECT_INT_EQ(50, pn_list_display(py(13), 50, true)); /* 3.13 folds it */
  CT_EXPECT_TRUE(pn_set_display_folds(w, 30, true));
  CT_EXPECT_TRUE(!pn_set_display_folds(w, 31, true));
  CT_EXPECT_TRUE(pn_set_display_folds(py(13), 31, true));
  /* calculate_log2_keysize(max(minsize, 8)): a str-only table that takes
   * a non-str second key converts to 8 slots (GROWTH_RATE 3); 3.13's
   * (3 | 8) - 1 asked for 16. */
  for (int minor = 13; minor <= 14; minor++) {
    const pn_sizeof_layout *layout = minor == 14 ? w : py(13);
    pn_dict_keys keys = pn_dict_new(layout);
    pn_dict_insert(layout, &keys, 0, true);
    pn_dict_insert(layout, &keys, 1, false);
    CT_EXPECT_INT_EQ(minor == 14 ? 3 : 4, keys.log2_size);
    CT_EXPECT_TRUE(!keys.unicode);
  }
}

CT_TEST(SizeofModel, GcHeadIsThirtyTwoBytesTo37) {
  /* PyGC_Head to 3.7: union { struct { gc_next, gc_prev, gc_refs } gc;
   * long double dummy; }, 16-byte aligned on x86-64 (_testcapi's
   * SIZEOF_PYGC_HEAD is 32); from 3.8 _gc_next and _gc_prev (16). */
  for (int minor = 6; minor <= 13; minor++) {
    size_t gc = minor <= 7 ? 32 : 16;
    CT_EXPECT_INT_EQ(VAROBJ + gc, pn_sizeof_tuple(py(minor), 0));
    CT_EXPECT_INT_EQ(OBJ + 3 * P + gc, pn_sizeof_slice(py(minor)));
    CT_EXPECT_INT_EQ(VAROBJ + 2 * P + gc, pn_sizeof_list(py(minor), 0)); /* vsize('Pn') */
  }
}

CT_TEST(SizeofModel, ListPreallocationFollowsTestSys) {
  /* 3.10 on: check(list([1]), vsize('Pn') + 2*P); list([1, 2, 3]): + 4*P. */
  CT_EXPECT_INT_EQ(2, pn_list_from_sized(py(11), 1, false));
  CT_EXPECT_INT_EQ(2, pn_list_from_sized(py(11), 2, false));
  CT_EXPECT_INT_EQ(4, pn_list_from_sized(py(10), 3, false));
  CT_EXPECT_INT_EQ(0, pn_list_from_sized(py(11), 0, false));
  /* 3.8 and 3.9: list_preallocate_exact(len), unrounded. */
  CT_EXPECT_INT_EQ(3, pn_list_from_sized(py(8), 3, false));
  CT_EXPECT_INT_EQ(3, pn_list_from_sized(py(9), 3, true));
  /* 3.6 and 3.7: list_extend's list_resize(len) on the empty list:
   * len + len/8 + (len < 9 ? 3 : 6). */
  CT_EXPECT_INT_EQ(4, pn_list_from_sized(py(6), 1, false));
  CT_EXPECT_INT_EQ(12, pn_list_from_sized(py(7), 8, true));
  CT_EXPECT_INT_EQ(16, pn_list_from_sized(py(7), 9, false));
  CT_EXPECT_INT_EQ(0, pn_list_from_sized(py(6), 0, false));
}

/* The allocations a list passes through as it is appended to, as
 * list_resize's comment of each version states them. */
static void expect_growth_pattern(const pn_sizeof_layout *layout, const size_t *pattern,
                                  size_t count) {
  size_t seen = 0;
  size_t last = (size_t)-1;
  for (size_t n = 0; seen < count; n++) {
    size_t allocated = pn_list_appended(layout, n);
    if (allocated != last) {
      CT_EXPECT_INT_EQ(pattern[seen], allocated);
      seen++;
      last = allocated;
    }
  }
}

CT_TEST(SizeofModel, ListGrowthFollowsListResize) {
  /* 3.6 to 3.8: "The growth pattern is: 0, 4, 8, 16, 25, 35, 46, 58, 72,
   * 88, ..."; 3.9 on: "0, 4, 8, 16, 24, 32, 40, 52, 64, 76, ...". */
  static const size_t kPy36[] = {0, 4, 8, 16, 25, 35, 46, 58, 72, 88};
  static const size_t kPy39[] = {0, 4, 8, 16, 24, 32, 40, 52, 64, 76};
  for (int minor = 6; minor <= 13; minor++) {
    expect_growth_pattern(py(minor), minor <= 8 ? kPy36 : kPy39, 10);
  }
}

CT_TEST(SizeofModel, ListAppendsNeverShrinkAndCoverTheItems) {
  for (int minor = 6; minor <= 13; minor++) {
    size_t previous = 0;
    for (size_t n = 0; n < 5000; n++) {
      size_t allocated = pn_list_appended(py(minor), n);
      CT_ASSERT_TRUE(allocated >= n);
      CT_ASSERT_TRUE(allocated >= previous);
      previous = allocated;
    }
  }
}

CT_TEST(SizeofModel, ListDisplaysAsEachCompilerBuildsThem) {
  /* To 3.8 BUILD_LIST n: exactly n slots, constants or not. */
  CT_EXPECT_INT_EQ(3, pn_list_display(py(8), 3, true));
  CT_EXPECT_INT_EQ(40, pn_list_display(py(6), 40, false));
  /* 3.9: BUILD_LIST 0 + LIST_EXTEND of the folded tuple: list_resize(0 -> 3)
   * = (3 + 0 + 6) & ~3; two constants are not folded. */
  CT_EXPECT_INT_EQ(8, pn_list_display(py(9), 3, true));
  CT_EXPECT_INT_EQ(2, pn_list_display(py(9), 2, true));
  CT_EXPECT_INT_EQ(40, pn_list_display(py(9), 40, false));
  /* 3.10 on: list_extend preallocates the empty list (rounded to even);
   * past 30 items BUILD_LIST 0 + LIST_APPEND. */
  CT_EXPECT_INT_EQ(4, pn_list_display(py(10), 3, true));
  CT_EXPECT_INT_EQ(30, pn_list_display(py(11), 30, false));
  CT_EXPECT_INT_EQ(pn_list_appended(py(11), 31), pn_list_display(py(11), 31, false));
}

/* A set after `count` set_add_entry calls of distinct keys. */
static size_t set_of_added(const pn_sizeof_layout *layout, size_t count) {
  pn_set_table table = pn_set_empty();
  for (size_t i = 0; i < count; i++) {
    pn_set_add_new(layout, &table);
  }
  return table.slots;
}

CT_TEST(SizeofModel, SetsGrowAtTwoThirdsIn36AndThreeFifthsAfter) {
  /* 3.6's set_add_entry: resize unless fill*3 < mask*2; from 3.7 unless
   * fill*5 < mask*3; either to used*4. The 5th key fills 8 slots past both;
   * in 32 slots (mask 31) 3.6 resizes at fill 21, 3.7 at fill 19. */
  CT_EXPECT_INT_EQ(8, set_of_added(py(6), 4));
  CT_EXPECT_INT_EQ(32, set_of_added(py(6), 5));
  CT_EXPECT_INT_EQ(32, set_of_added(py(6), 20));
  CT_EXPECT_INT_EQ(128, set_of_added(py(6), 21));
  CT_EXPECT_INT_EQ(32, set_of_added(py(7), 18));
  CT_EXPECT_INT_EQ(128, set_of_added(py(7), 19));
  CT_EXPECT_INT_EQ(128, set_of_added(py(13), 19));
}

CT_TEST(SizeofModel, SetTablesFollowTestSys) {
  /* set(range(10)), set(range(50)): newsize is the smallest power of two
   * above 2*len (at least 8); PySetObject is size('3nP' + 8*'nP' + '2nP'),
   * the same in every version. */
  size_t lengths[] = {0, 10, 50};
  for (int minor = 6; minor <= 13; minor++) {
    size_t base = OBJ + 4 * 8 + 8 * 16 + 3 * 8 + py(minor)->gc_head;
    for (size_t i = 0; i < 3; i++) {
      size_t newsize = 8;
      while (newsize <= lengths[i] * 2) {
        newsize <<= 1;
      }
      pn_set_table table = pn_set_empty();
      pn_set_merge_into_empty(py(minor), &table, lengths[i]);
      CT_EXPECT_INT_EQ(newsize <= 8 ? base : base + newsize * 16, pn_sizeof_set(py(minor), &table));
    }
  }
  CT_EXPECT_TRUE(!pn_set_display_folds(py(8), 3, true));
  CT_EXPECT_TRUE(pn_set_display_folds(py(9), 3, true));
}

CT_TEST(SizeofModel, DictKeysFollowTestSys) {
  /* check({1: 1}, size('nQ2P') + calcsize(DICT_KEY_STRUCT_FORMAT) + 8 +
   * (8*2//3)*calcsize('n2P')), str keys with calcsize('2P') entries. */
  size_t object = OBJ + 8 + 8 + 2 * P + GC;
  pn_dict_keys keys = pn_dict_new(py(11));
  CT_EXPECT_INT_EQ(object, pn_sizeof_dict(py(11), &keys));
  pn_dict_insert(py(11), &keys, 0, false);
  CT_EXPECT_INT_EQ(object + 32 + 8 + (8 * 2 / 3) * 24, pn_sizeof_dict(py(11), &keys));
  keys = pn_dict_new(py(11));
  pn_dict_insert(py(11), &keys, 0, true);
  CT_EXPECT_INT_EQ(object + 32 + 8 + (8 * 2 / 3) * 16, pn_sizeof_dict(py(11), &keys));
  /* longdict = {1:1, ..., 8:8}: 16 slots. */
  keys = pn_dict_presized(py(11), 8, false);
  CT_EXPECT_INT_EQ(object + 32 + 16 + (16 * 2 / 3) * 24, pn_sizeof_dict(py(11), &keys));
}

CT_TEST(SizeofModel, Dict310KeysHaveAFortyByteHeader) {
  /* 3.10's test_sys: check({1: 1}, size('nQ2P') + calcsize('2nP2n') + 8 +
   * (8*2//3)*calcsize('n2P')); no str-only tables before 3.11. */
  size_t object = OBJ + 8 + 8 + 2 * P + GC;
  pn_dict_keys keys = pn_dict_new(py(10));
  CT_EXPECT_INT_EQ(object, pn_sizeof_dict(py(10), &keys));
  pn_dict_insert(py(10), &keys, 0, false);
  CT_EXPECT_INT_EQ(object + 40 + 8 + (8 * 2 / 3) * 24, pn_sizeof_dict(py(10), &keys));
  CT_EXPECT_TRUE(!pn_dict_has_str_tables(py(10)));
  CT_EXPECT_TRUE(pn_dict_has_str_tables(py(11)));
  CT_EXPECT_INT_EQ(VAROBJ, pn_sizeof_int(py(10), 0));
  CT_EXPECT_INT_EQ(VAROBJ + 4, pn_sizeof_int(py(11), 0));
}

CT_TEST(SizeofModel, EmptyDictsFollowTestSysTo39) {
  /* 3.6 and 3.7's test_sys: check({}, size('nQ2P') + calcsize('2nP2n') + 8
   * + (8*2//3)*calcsize('n2P')), PyDict_New making a minimal table; 3.8
   * and 3.9's: check({}, size('nQ2P')), the shared empty keys, while dict()
   * (dict_new) still makes a minimal table until 3.10. */
  for (int minor = 6; minor <= 10; minor++) {
    size_t gc = py(minor)->gc_head;
    size_t object = OBJ + 8 + 8 + 2 * P + gc;
    size_t minimal = object + 40 + 8 + (8 * 2 / 3) * 24;
    pn_dict_keys keys = pn_dict_new(py(minor));
    CT_EXPECT_INT_EQ(minor <= 7 ? minimal : object, pn_sizeof_dict(py(minor), &keys));
    keys = pn_dict_from_call(py(minor));
    CT_EXPECT_INT_EQ(minor <= 9 ? minimal : object, pn_sizeof_dict(py(minor), &keys));
    /* longdict = {1:1, ..., 8:8}: + 16 + (16*2//3)*calcsize('n2P'). */
    keys = pn_dict_presized(py(minor), 8, false);
    CT_EXPECT_INT_EQ(object + 40 + 16 + (16 * 2 / 3) * 24, pn_sizeof_dict(py(minor), &keys));
  }
}

CT_TEST(SizeofModel, DictInsertionDoublesTheTableInEveryVersion) {
  /* GROWTH_RATE: 3.6's used*2 + size/2 and 3.7's used*3 both ask for twice
   * the slots when a table of only insertions is full (used is 2/3 of it). */
  for (int minor = 6; minor <= 13; minor++) {
    pn_dict_keys keys = pn_dict_new(py(minor));
    for (size_t used = 0; used < 100; used++) {
      unsigned before = keys.log2_size;
      size_t usable = (((size_t)1 << before) * 2) / 3;
      pn_dict_insert(py(minor), &keys, used, false);
      if (before != 0 && used == usable) {
        CT_EXPECT_INT_EQ(before + 1, keys.log2_size);
      } else if (before != 0) {
        CT_EXPECT_INT_EQ(before, keys.log2_size);
      }
    }
  }
}

CT_TEST(SizeofModel, OnlyTheLl1ParserBoundsTheNesting) {
  CT_EXPECT_INT_EQ(64, py(6)->max_nesting);
  CT_EXPECT_INT_EQ(64, py(8)->max_nesting);
  CT_EXPECT_INT_EQ(0, py(9)->max_nesting);
  CT_EXPECT_TRUE(!py_int_digits_limited(py(6)->minor));
  CT_EXPECT_TRUE(py_int_digits_limited(py(7)->minor));
  CT_EXPECT_INT_EQ(0xFFFF, pn_dict_display_max_pairs(py(9)));
}

CT_TEST(SizeofModel, UnmodelledVersionsSayNotImplemented) {
  pn_strbuf out = PN_STRBUF_INIT;
  CT_ASSERT_TRUE(pn_getsizeof_answer((pn_target){{3, 14}, 8}, "1", 1, &out) == 0);
  CT_EXPECT_STR_EQ("NotImplementedError: sys.getsizeof layouts of Python 3.14 are not modelled",
                   out.data);
  pn_strbuf_free(&out);
}

CT_TEST(SizeofModel, DeepLinesAreRefusedForTheLl1Parser) {
  /* 65 nested lists: pegen (3.9) parses them; 3.6 to 3.8 are refused. */
  char line[131];
  memset(line, '[', 65);
  memset(line + 65, ']', 65);
  line[130] = 0;
  pn_strbuf out = PN_STRBUF_INIT;
  CT_ASSERT_TRUE(pn_getsizeof_answer((pn_target){{3, 9}, 8}, line, 130, &out) == 0);
  CT_EXPECT_STR_EQ("64", out.data);
  pn_strbuf_free(&out);
  CT_ASSERT_TRUE(pn_getsizeof_answer((pn_target){{3, 8}, 8}, line, 130, &out) == 0);
  CT_EXPECT_TRUE(strncmp(out.data, "NotImplementedError: ", 21) == 0);
  pn_strbuf_free(&out);
  CT_ASSERT_TRUE(pn_getsizeof_answer((pn_target){{3, 8}, 8}, line + 1, 128, &out) == 0);
  CT_EXPECT_STR_EQ("64", out.data);
  pn_strbuf_free(&out);
}

CT_TEST(SizeofReader, EveryMalformedLineGetsOneLine) {
  static const char *const kLines[] = {
      "[",         "(((",   "{1:",     "'",        "\"\"\"", "0x_",     "1e+",  "b'\\x",
      "\\",        "[1,,]", "{**}",    "f(x=)",    "lambda", "a[1:2:3", "not",  "1 if 2",
      "{1: 2, 3}", "[*]",   "(x for)", "\xff\xfe", "1\x00",  "\r1",     "1\r2", "'\\N{x}'",
  };
  for (int minor = 6; minor <= 13; minor++) {
    for (size_t i = 0; i < sizeof kLines / sizeof kLines[0]; i++) {
      pn_strbuf out = PN_STRBUF_INIT;
      size_t len = strlen(kLines[i]) + (strcmp(kLines[i], "1") == 0);
      CT_ASSERT_TRUE(pn_getsizeof_answer((pn_target){{3, minor}, 8}, kLines[i], len, &out) == 0);
      CT_EXPECT_TRUE(out.len > 0 && memchr(out.data, '\n', out.len) == NULL);
      pn_strbuf_free(&out);
    }
  }
}

CT_TEST(SizeofReader, OldVersionsReparseBeforeATokenizerErrorAtFullCapacity) {
  /* 63 tokens, then the 64th (the token array's first capacity) an error
   * whose message is its own buffer: 3.6 to 3.9's parse again grows the
   * array (the fuzzer's use-after-free). */
  char line[256] = "";
  for (int i = 0; i < 63; i++) {
    strcat(line, "1 ");
  }
  strcat(line, "0o8");
  for (int minor = 6; minor <= 9; minor++) {
    pn_strbuf out = PN_STRBUF_INIT;
    CT_ASSERT_TRUE(pn_getsizeof_answer((pn_target){{3, minor}, 8}, line, strlen(line), &out) == 0);
    CT_EXPECT_STR_EQ("SyntaxError: invalid syntax (<string>, line 1)", out.data);
    pn_strbuf_free(&out);
  }
}
