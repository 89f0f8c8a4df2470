"""The pyglet note's event logger (reconstructed from issue 7).

The note's own file is not in this repository; this is rebuilt from the
issue's description: a window of pyglet's default size and caption whose key
presses print ``A key was pressed SYMBOL MODIFIERS`` and whose mouse presses
print ``The  mouse button  X Y BUTTON MODIFIERS`` (print's separator after a
string ending in a space makes the second pair of spaces). The handlers return
None, so pyglet's default ``on_key_press`` still runs: Escape without
modifiers closes the window, as closing it does, and the program ends.
pyglet 1.5 (Debian's python3-pyglet). ``tools/adapters/cpython window events``
runs it.
"""

import pyglet

window = pyglet.window.Window()


@window.event
def on_key_press(symbol, modifiers):
    print("A key was pressed", symbol, modifiers)


@window.event
def on_mouse_press(x, y, button, modifiers):
    print("The  mouse button ", x, y, button, modifiers)


@window.event
def on_draw():
    window.clear()


pyglet.app.run()
