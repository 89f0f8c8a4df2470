"""The pyglet note's Hello-world window (reconstructed from issue 7).

The note's own file is not in this repository; this is rebuilt from the
issue's description: a window of pyglet's default size (640x480) and caption,
cleared every frame, with the label ``Hello, world`` in Times New Roman 36 pt
drawn centered (``anchor_x`` and ``anchor_y`` ``'center'``). pyglet 1.5
(Debian's python3-pyglet). ``tools/adapters/cpython window hello`` runs it.
"""

import pyglet

window = pyglet.window.Window()
label = pyglet.text.Label(
    "Hello, world",
    font_name="Times New Roman",
    font_size=36,
    x=window.width // 2,
    y=window.height // 2,
    anchor_x="center",
    anchor_y="center",
)


@window.event
def on_draw():
    window.clear()
    label.draw()


pyglet.app.run()
