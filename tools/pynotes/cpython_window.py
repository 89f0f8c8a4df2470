"""The CPython adapter's ``window`` program: the note's real pyglet programs.

``window hello [--frame OUT.png]`` and ``window events``
(conformance/PROTOCOL.md) replace the adapter process with
``PYTHON -u golden/window/NAME.py`` on ``$DISPLAY`` (PYTHON being the
interpreter that runs the adapter), so the window,
its caption (the program's path, pyglet's default) and every printed line are
pyglet's own, and a signal sent to the adapter's pid reaches the program.
``-u`` only unbuffers stdout, so each line arrives as the program prints it.
With ``--frame`` the program runs under tools/pynotes/window_frame.py, which
saves its first frame as PNG and ends it.

Runs on every CPython from 3.6, like cpython_commands.
"""

import os
import sys
from typing import List

PROGRAMS = ("hello", "events")
# The interpreter being checked, the one running the adapter (which has
# checked that it can import the note's library).
INTERPRETER = sys.executable
_HERE = os.path.dirname(os.path.abspath(__file__))
_PROGRAM_DIR = os.path.join(os.path.dirname(os.path.dirname(_HERE)), "golden", "window")


def program_path(name: str) -> str:
    """The note's pyglet program ``name`` (one of PROGRAMS)."""
    return os.path.join(_PROGRAM_DIR, "%s.py" % name)


def pyglet_version() -> str:
    """``pyglet 1.5.27``: the library the window note's goldens come from."""
    import pyglet

    return "pyglet " + pyglet.version


def _usage(problem: str) -> int:
    sys.stderr.write(
        "cpython adapter: %s (usage: cpython window hello [--frame OUT.png] | events)\n" % problem
    )
    return 2


def window(options: List[str]) -> int:
    """Runs ``window NAME [--frame OUT.png]``: never returns on success (exec);
    returns 2 with one line on stderr for a bad command line."""
    if options == ["hello"] or options == ["events"]:
        arguments = [INTERPRETER, "-u", program_path(options[0])]
    elif len(options) == 3 and options[:2] == ["hello", "--frame"] and options[2]:
        driver = os.path.join(_HERE, "window_frame.py")
        arguments = [INTERPRETER, "-u", driver, options[2], program_path("hello")]
    else:
        return _usage("bad options " + " ".join(options))
    sys.stdout.flush()
    os.execv(INTERPRETER, arguments)
    return 1  # not reached: execv raises on failure
