/*
 * pyglet 1.5's key symbols and modifier bits on X11, without X itself: the
 * rules of pyglet/window/xlib/__init__.py (_event_text_symbol and
 * _translate_modifiers) as pure functions, so they are tested alone.
 */
#ifndef PYNOTES_REF_WINDOW_KEY_SYMBOLS_H_
#define PYNOTES_REF_WINDOW_KEY_SYMBOLS_H_

#include <stddef.h>
#include <stdint.h>

/* pyglet.window.key's modifier bits. */
enum {
  PN_MOD_SHIFT = 1,
  PN_MOD_CTRL = 2,
  PN_MOD_ALT = 4,
  PN_MOD_CAPSLOCK = 8,
  PN_MOD_NUMLOCK = 16,
  PN_MOD_WINDOWS = 32,
  PN_MOD_SCROLLLOCK = 256,
};

/* pyglet.window.key.ESCAPE */
#define PN_KEY_ESCAPE 65307u

/* Nonzero when pyglet.window.key names keysym. */
int pn_window_key_is_named(unsigned long keysym);

/*
 * The symbol pyglet passes to on_key_press for a key event whose looked-up
 * keysym is `keysym` and whose hardware keycode is `keycode`: the keysym when
 * pyglet names it; else its lowercase form when that is named (pyglet's
 * `ord(chr(symbol).lower())`, which for named results means A-Z); else
 * `user_key(keycode)`, keycode << 32. Returns 0 when pyglet dispatches no key
 * event (a keysym of 0, NoSymbol). A keycode of 0 leaves the keysym as it is.
 */
uint64_t pn_window_pyglet_symbol(unsigned long keysym, unsigned keycode);

/* Nonzero when a press of `symbol` with `modifiers` makes pyglet's default
 * on_key_press close the window: Escape with no modifier other than the lock
 * keys. */
int pn_window_key_closes(uint64_t symbol, unsigned modifiers);

#endif /* PYNOTES_REF_WINDOW_KEY_SYMBOLS_H_ */
