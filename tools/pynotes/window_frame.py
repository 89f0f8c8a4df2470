"""Runs a pyglet program and saves its first frame as PNG, then ends it.

    /usr/bin/python3 tools/pynotes/window_frame.py OUT.png PROGRAM.py

The CPython adapter's ``window hello --frame OUT.png`` (cpython_window.py).
The program runs unchanged under its own name (``__main__``), with
``sys.argv[0]`` its path as when it is run directly; only pyglet's
``Window.flip`` is wrapped: the first time pyglet flips a window after drawing
it, the back buffer (what was just drawn) is read with ``glReadPixels`` and
written to OUT.png as 8-bit RGB, top row first, and the event loop is told to
exit. Exit status 0, or 1 when the program ends without drawing a frame.

Needs only the standard library and pyglet; runs on every CPython from 3.6.
"""

import runpy
import struct
import sys
import zlib


def png_bytes(width, height, rows):
    """An 8-bit RGB PNG of ``rows`` (top first, ``width * 3`` bytes each)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 (None) per row
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def read_back_buffer(width, height):
    """The window's back buffer as RGB rows, top row first."""
    from pyglet import gl

    pixels = (gl.GLubyte * (width * height * 3))()
    gl.glFinish()
    gl.glReadBuffer(gl.GL_BACK)
    gl.glPixelStorei(gl.GL_PACK_ALIGNMENT, 1)
    gl.glReadPixels(0, 0, width, height, gl.GL_RGB, gl.GL_UNSIGNED_BYTE, pixels)
    data = bytes(pixels)
    stride = width * 3
    return [data[row * stride:(row + 1) * stride] for row in reversed(range(height))]


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: window_frame.py OUT.png PROGRAM.py\n")
        return 2
    out_path, program = argv[1], argv[2]
    import pyglet

    saved = []
    original_flip = pyglet.window.Window.flip

    def flip(window):
        if not saved:
            width, height = window.get_framebuffer_size()
            rows = read_back_buffer(width, height)
            with open(out_path, "wb") as out:
                out.write(png_bytes(width, height, rows))
            saved.append(out_path)
            pyglet.app.exit()
        return original_flip(window)

    pyglet.window.Window.flip = flip
    sys.argv = [program]
    runpy.run_path(program, run_name="__main__")
    if not saved:
        sys.stderr.write("window_frame.py: %s ended without drawing a frame\n" % program)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
