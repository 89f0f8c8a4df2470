"""The pyglet note's Hello-world window: the notebook's session as a script, for pyglet 1.5.

The note types these statements at CPython's ``>>>`` prompt; this file is the
same statements, changed only in what a script needs:

1. this docstring;
2. the session's banner and its ``>>> `` and ``... `` prompts are left out
   (the ``... `` line that ends the ``on_draw`` block becomes an empty line).

A window of pyglet's default size (640x480) and caption, cleared every frame,
with the label ``Hello, world`` in Times New Roman 36 pt drawn centered.
``tools/adapters/cpython window hello`` runs it (Debian's python3-pyglet).
"""
import pyglet
window = pyglet.window.Window()
label = pyglet.text.Label('Hello, world',
                          font_name='Times New Roman',
                          font_size=36,
                          x=window.width//2, y=window.height//2,
                          anchor_x='center', anchor_y='center')
@window.event
def on_draw():
    window.clear()
    label.draw()

pyglet.app.run()
