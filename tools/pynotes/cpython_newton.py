"""The ``newton`` commands under CPython: the note's script on one expression.

``answer(line, python)`` runs golden/newton/newton.py (the note's script
verbatim) with the expression as
its argument, on the interpreter running the adapter (the only version it
answers for), and returns what it prints: its last stdout
line, or on failure the last line of its traceback, exactly as the terminal
shows it (so with that version's "Did you mean" suggestions and SyntaxError
wording). A subprocess, because those last lines are the interpreter's own
traceback printing, which no in-process formatting reproduces on every
version.

Runs on every CPython from 3.6, like cpython_commands.
"""

import os
import subprocess
import sys
from typing import Optional, Tuple

_GOLDEN_NEWTON = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "golden",
    "newton",
)
SCRIPT = os.path.join(_GOLDEN_NEWTON, "newton.py")
# The variant: the note's script with `import math` added.
MATH_SCRIPT = os.path.join(_GOLDEN_NEWTON, "newton_math.py")


class ScriptFailed(Exception):
    """The script died without a traceback (killed, or no output at all)."""


def answer(line: Optional[str], python: Tuple[int, int]) -> str:
    """What ``python newton.py LINE`` prints, or its traceback's last line.

    An argument the OS refuses (an embedded NUL: ValueError; one too long:
    OSError) raises here as it would for any program that runs the note.
    """
    return _run(SCRIPT, line)


def math_answer(line: Optional[str], python: Tuple[int, int]) -> str:
    """The same for ``python newton_math.py LINE`` (command ``newton_math``)."""
    return _run(MATH_SCRIPT, line)


def _run(script: str, line: Optional[str]) -> str:
    assert line is not None
    process = subprocess.Popen(
        [sys.executable, script, line],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, PYTHONIOENCODING="utf-8:surrogateescape"),
    )
    out, err = process.communicate()
    if process.returncode == 0:
        lines = out.decode("utf-8", "surrogateescape").splitlines()
    else:
        lines = err.decode("utf-8", "surrogateescape").splitlines()
    if not lines:
        raise ScriptFailed("exit status %d and no output" % process.returncode)
    return lines[-1]
