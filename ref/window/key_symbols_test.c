/*
 * pyglet's key symbol rules (ref/window/key_symbols.h), without X. Expected
 * values are pyglet 1.5's own: pyglet/window/key.py's constants and
 * user_key(), and the rules of pyglet/window/xlib/__init__.py.
 */
#include "ref/window/key_symbols.h"

#include "conformance/shim/ctest.h"

CT_TEST(KeySymbols, NamedKeysymsPassThrough) {
  CT_EXPECT_INT_EQ(97, pn_window_pyglet_symbol(0x61, 38));      /* key.A */
  CT_EXPECT_INT_EQ(65307, pn_window_pyglet_symbol(0xff1b, 9));  /* key.ESCAPE */
  CT_EXPECT_INT_EQ(65457, pn_window_pyglet_symbol(0xffb1, 87)); /* key.NUM_1 */
  CT_EXPECT_INT_EQ(33, pn_window_pyglet_symbol(0x21, 10));      /* key.EXCLAMATION */
}

CT_TEST(KeySymbols, UppercaseLettersAreLowered) {
  /* XLookupString gives 'A' under Shift; key.py names only 'a'. */
  CT_EXPECT_INT_EQ(97, pn_window_pyglet_symbol('A', 38));
  CT_EXPECT_INT_EQ(122, pn_window_pyglet_symbol('Z', 52));
}

CT_TEST(KeySymbols, UnnamedKeysymsBecomeUserKeys) {
  /* adiaeresis (0xe4) lowers to itself, which key.py does not name:
   * user_key(keycode) is keycode << 32. */
  CT_EXPECT_INT_EQ(8LL << 32, pn_window_pyglet_symbol(0xe4, 8));
  /* ISO_Left_Tab (0xfe20) is not in key.py either. */
  CT_EXPECT_INT_EQ(23LL << 32, pn_window_pyglet_symbol(0xfe20, 23));
  /* Beyond U+10FFFF chr() fails: the keycode again. */
  CT_EXPECT_INT_EQ(150LL << 32, pn_window_pyglet_symbol(0x1008ff11, 150));
  /* NoSymbol dispatches nothing. */
  CT_EXPECT_INT_EQ(0, pn_window_pyglet_symbol(0, 38));
}

CT_TEST(KeySymbols, EscapeClosesOnlyWithoutModifiersButLocks) {
  CT_EXPECT_TRUE(pn_window_key_closes(65307, 0));
  CT_EXPECT_TRUE(pn_window_key_closes(65307, PN_MOD_NUMLOCK | PN_MOD_CAPSLOCK));
  CT_EXPECT_TRUE(!pn_window_key_closes(65307, PN_MOD_SHIFT));
  CT_EXPECT_TRUE(!pn_window_key_closes(65307, PN_MOD_CTRL));
  CT_EXPECT_TRUE(!pn_window_key_closes(97, 0));
}
