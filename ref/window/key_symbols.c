#include "ref/window/key_symbols.h"

#include "ref/window/key_symbols_table.h"

int pn_window_key_is_named(unsigned long keysym) {
  size_t low = 0;
  size_t high = pn_window_pyglet_key_name_count;
  while (low < high) {
    size_t middle = low + (high - low) / 2;
    if (pn_window_pyglet_key_names[middle] < keysym) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low < pn_window_pyglet_key_name_count && pn_window_pyglet_key_names[low] == keysym;
}

uint64_t pn_window_pyglet_symbol(unsigned long keysym, unsigned keycode) {
  if (keysym == 0) {
    return 0;
  }
  if (pn_window_key_is_named(keysym) || keycode == 0) {
    return keysym;
  }
  /* chr() fails beyond U+10FFFF and pyglet falls back to the keycode. Of
   * str.lower()'s results only ASCII letters are named keys (the Kelvin sign
   * U+212A lowers to 'k' too, but no keysym has that value). */
  if (keysym >= 'A' && keysym <= 'Z') {
    return keysym + ('a' - 'A');
  }
  return (uint64_t)keycode << 32;
}

int pn_window_key_closes(uint64_t symbol, unsigned modifiers) {
  unsigned locks = PN_MOD_NUMLOCK | PN_MOD_CAPSLOCK | PN_MOD_SCROLLLOCK;
  return symbol == PN_KEY_ESCAPE && (modifiers & ~locks) == 0;
}
