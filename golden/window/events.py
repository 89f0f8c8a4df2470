"""The pyglet note's event logger: the notebook's code, for pyglet 1.5.

The note's code is unchanged; only this docstring is added. Key presses print
``A key was pressed SYMBOL MODIFIERS`` and mouse presses ``The  mouse button
X Y BUTTON MODIFIERS`` (print's separator after a string ending in a space
makes the second pair of spaces). The handlers return None, so pyglet's default
``on_key_press`` still runs: Escape without modifiers closes the window, as
closing it does, and the program ends. ``tools/adapters/cpython window
events`` runs it (Debian's python3-pyglet).
"""
import pyglet

window = pyglet.window.Window()

@window.event
def on_key_press(symbol, modifiers):
    print('A key was pressed' , symbol , modifiers)

@window.event
def on_draw():
    window.clear()

@window.event
def on_mouse_press(x,y,button, modifiers):
    print('The  mouse button '  , x , y , button, modifiers)

# this logs all the events
#window.push_handlers(pyglet.window.event.WindowEventLogger())

pyglet.app.run()
