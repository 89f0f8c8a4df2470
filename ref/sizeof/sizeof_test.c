/*
 * The sizeof layout model held to the formulas of CPython's own
 * Lib/test/test_sys.py (SizeofTest.test_objecttypes, which derives sizes
 * from struct formats: vsize('') is PyVarObject's 24 bytes, size('') is
 * PyObject's 16, P is a pointer, and GC-tracked types add the 16-byte
 * PyGC_Head), and malformed lines each getting one exception line. The
 * golden cases run in //conformance/sizeof.
 */
#include <string.h>

#include "conformance/shim/ctest.h"
#include "ref/sizeof/sizeof_eval.h"
#include "ref/sizeof/sizeof_model.h"

enum { P = 8, OBJ = 16, VAROBJ = 24, GC = 16 };

CT_TEST(SizeofModel, IntDigitsFollowTestSys) {
  /* check(1, vsize('') + self.longdigit); two digits from PyLong_BASE. */
  CT_EXPECT_INT_EQ(VAROBJ + 4, pn_sizeof_int(PN_LAYOUT_PY311, 1));
  CT_EXPECT_INT_EQ(VAROBJ + 2 * 4, pn_sizeof_int(PN_LAYOUT_PY311, 2));
  CT_EXPECT_INT_EQ(VAROBJ + 3 * 4, pn_sizeof_int(PN_LAYOUT_PY311, 3));
}

CT_TEST(SizeofModel, StrCompactFormsFollowTestSys) {
  /* asciifields "nnb" + wstr; compactfields adds "nP" + wstr_length. */
  CT_EXPECT_INT_EQ(48 + 100 + 1, pn_sizeof_str(PN_LAYOUT_PY311, 100, '1'));
  CT_EXPECT_INT_EQ(72 + 50 + 1, pn_sizeof_str(PN_LAYOUT_PY311, 50, 0xff));
  CT_EXPECT_INT_EQ(72 + 2 * (40 + 1), pn_sizeof_str(PN_LAYOUT_PY311, 40, 0x100));
  CT_EXPECT_INT_EQ(72 + 4 * (30 + 1), pn_sizeof_str(PN_LAYOUT_PY311, 30, 0x10000));
}

CT_TEST(SizeofModel, Str312DropsWstrAndCountsCachedUtf8) {
  /* 3.12's test_sys: asciifields "nnb" (40 bytes padded), compactfields
   * adds "nP" (56); a cached UTF-8 copy adds its length + 1. */
  pn_sizeof_layout layouts[] = {PN_LAYOUT_PY312, PN_LAYOUT_PY313};
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
  CT_EXPECT_INT_EQ(0, pn_list_from_set_or_dict(PN_LAYOUT_PY313, 0));
  CT_EXPECT_INT_EQ(4, pn_list_from_set_or_dict(PN_LAYOUT_PY313, 1));
  CT_EXPECT_INT_EQ(8, pn_list_from_set_or_dict(PN_LAYOUT_PY313, 3));
  CT_EXPECT_INT_EQ(12, pn_list_from_set_or_dict(PN_LAYOUT_PY313, 6));
  CT_EXPECT_INT_EQ(8, pn_list_from_set_or_dict(PN_LAYOUT_PY313, 7));
  CT_EXPECT_INT_EQ(4, pn_list_from_set_or_dict(PN_LAYOUT_PY312, 3));
}

CT_TEST(SizeofModel, FixedLayoutsFollowTestSys) {
  CT_EXPECT_INT_EQ(VAROBJ + 8 + 1, pn_sizeof_bytes(0));      /* check(b'', vsize('n') + 1) */
  CT_EXPECT_INT_EQ(VAROBJ + 8 + 11, pn_sizeof_bytes(10));    /* check(b'x' * 10, vsize('n') + 11) */
  CT_EXPECT_INT_EQ(OBJ + 16, pn_sizeof_complex());           /* size('2d') */
  CT_EXPECT_INT_EQ(OBJ + 8, pn_sizeof_float());              /* size('d') */
  CT_EXPECT_INT_EQ(OBJ + 4 * P, pn_sizeof_range());          /* size('4P') */
  CT_EXPECT_INT_EQ(OBJ + 3 * P + GC, pn_sizeof_slice());     /* size('3P') */
  CT_EXPECT_INT_EQ(VAROBJ + GC, pn_sizeof_tuple(0));         /* vsize('') */
  CT_EXPECT_INT_EQ(VAROBJ + 3 * P + GC, pn_sizeof_tuple(3)); /* vsize('') + 3*P */
}

CT_TEST(SizeofModel, ListPreallocationFollowsTestSys) {
  /* check(list([1]), vsize('Pn') + 2*P); list([1, 2, 3]): + 4*P. */
  CT_EXPECT_INT_EQ(VAROBJ + 2 * P + GC + 2 * P, pn_sizeof_list(pn_list_preallocated(1)));
  CT_EXPECT_INT_EQ(VAROBJ + 2 * P + GC + 2 * P, pn_sizeof_list(pn_list_preallocated(2)));
  CT_EXPECT_INT_EQ(VAROBJ + 2 * P + GC + 4 * P, pn_sizeof_list(pn_list_preallocated(3)));
  CT_EXPECT_INT_EQ(VAROBJ + 2 * P + GC, pn_sizeof_list(pn_list_preallocated(0)));
}

CT_TEST(SizeofModel, ListAppendsNeverShrinkAndCoverTheItems) {
  size_t previous = 0;
  for (size_t n = 0; n < 5000; n++) {
    size_t allocated = pn_list_appended(n);
    CT_ASSERT_TRUE(allocated >= n);
    CT_ASSERT_TRUE(allocated >= previous);
    previous = allocated;
  }
}

CT_TEST(SizeofModel, SetTablesFollowTestSys) {
  /* set(range(10)), set(range(50)): newsize is the smallest power of two
   * above 2*len (at least 8); PySetObject is size('3nP' + 8*'nP' + '2nP'). */
  size_t base = OBJ + 4 * 8 + 8 * 16 + 3 * 8 + GC;
  size_t lengths[] = {0, 10, 50};
  for (size_t i = 0; i < 3; i++) {
    size_t newsize = 8;
    while (newsize <= lengths[i] * 2) {
      newsize <<= 1;
    }
    pn_set_table table = pn_set_empty();
    pn_set_merge_into_empty(&table, lengths[i]);
    CT_EXPECT_INT_EQ(newsize <= 8 ? base : base + newsize * 16, pn_sizeof_set(&table));
  }
}

CT_TEST(SizeofModel, DictKeysFollowTestSys) {
  /* check({1: 1}, size('nQ2P') + calcsize(DICT_KEY_STRUCT_FORMAT) + 8 +
   * (8*2//3)*calcsize('n2P')), str keys with calcsize('2P') entries. */
  size_t object = OBJ + 8 + 8 + 2 * P + GC;
  pn_dict_keys keys = pn_dict_empty();
  CT_EXPECT_INT_EQ(object, pn_sizeof_dict(PN_LAYOUT_PY311, &keys));
  pn_dict_insert(&keys, 0, false);
  CT_EXPECT_INT_EQ(object + 32 + 8 + (8 * 2 / 3) * 24, pn_sizeof_dict(PN_LAYOUT_PY311, &keys));
  keys = pn_dict_empty();
  pn_dict_insert(&keys, 0, true);
  CT_EXPECT_INT_EQ(object + 32 + 8 + (8 * 2 / 3) * 16, pn_sizeof_dict(PN_LAYOUT_PY311, &keys));
  /* longdict = {1:1, ..., 8:8}: 16 slots. */
  keys = pn_dict_presized(8, false);
  CT_EXPECT_INT_EQ(object + 32 + 16 + (16 * 2 / 3) * 24, pn_sizeof_dict(PN_LAYOUT_PY311, &keys));
}

CT_TEST(SizeofModel, Dict310KeysHaveAFortyByteHeader) {
  /* 3.10's test_sys: check({1: 1}, size('nQ2P') + calcsize('2nP2n') + 8 +
   * (8*2//3)*calcsize('n2P')); no str-only tables before 3.11. */
  size_t object = OBJ + 8 + 8 + 2 * P + GC;
  pn_dict_keys keys = pn_dict_empty();
  CT_EXPECT_INT_EQ(object, pn_sizeof_dict(PN_LAYOUT_PY310, &keys));
  pn_dict_insert(&keys, 0, false);
  CT_EXPECT_INT_EQ(object + 40 + 8 + (8 * 2 / 3) * 24, pn_sizeof_dict(PN_LAYOUT_PY310, &keys));
  CT_EXPECT_TRUE(!pn_dict_has_str_tables(PN_LAYOUT_PY310));
  CT_EXPECT_TRUE(pn_dict_has_str_tables(PN_LAYOUT_PY311));
  CT_EXPECT_INT_EQ(VAROBJ, pn_sizeof_int(PN_LAYOUT_PY310, 0));
  CT_EXPECT_INT_EQ(VAROBJ + 4, pn_sizeof_int(PN_LAYOUT_PY311, 0));
}

CT_TEST(SizeofModel, UnmodelledVersionsSayNotImplemented) {
  pn_strbuf out = PN_STRBUF_INIT;
  CT_ASSERT_TRUE(pn_getsizeof_answer((pn_pyversion){3, 8}, "1", 1, &out) == 0);
  CT_EXPECT_STR_EQ("NotImplementedError: sys.getsizeof layouts of Python 3.8 are not modelled",
                   out.data);
  pn_strbuf_free(&out);
}

CT_TEST(SizeofReader, EveryMalformedLineGetsOneLine) {
  static const char *const kLines[] = {
      "[",         "(((",   "{1:",     "'",        "\"\"\"", "0x_",     "1e+",  "b'\\x",
      "\\",        "[1,,]", "{**}",    "f(x=)",    "lambda", "a[1:2:3", "not",  "1 if 2",
      "{1: 2, 3}", "[*]",   "(x for)", "\xff\xfe", "1\x00",  "\r1",     "1\r2", "'\\N{x}'",
  };
  for (size_t i = 0; i < sizeof kLines / sizeof kLines[0]; i++) {
    pn_strbuf out = PN_STRBUF_INIT;
    size_t len = strlen(kLines[i]) + (strcmp(kLines[i], "1") == 0);
    CT_ASSERT_TRUE(pn_getsizeof_answer((pn_pyversion){3, 11}, kLines[i], len, &out) == 0);
    CT_EXPECT_TRUE(out.len > 0 && memchr(out.data, '\n', out.len) == NULL);
    pn_strbuf_free(&out);
  }
}
