"""The ``sympy`` command under CPython: one interactive session per process.

``answer(line, python)`` runs ``line`` as the interactive interpreter would:
compiled in ``'single'`` mode and executed in this module's one namespace, so
names assigned on one line are there on the next (the adapter serves a
session from one process, and each process is a new session). The answer is
what the interpreter shows: the ``repr`` of each expression statement's value
that is not None (``a; b`` echoes two) and whatever the line prints, its
lines joined by newlines (the last newline dropped), with the protocol's escaping (``\\`` for a backslash, ``\\n``
for a newline); an empty line when nothing is echoed. A line that holds only
spaces or a comment echoes nothing, as at the ``>>>`` prompt.

An exception is raised to the adapter, which writes ``TypeName: message``;
two kinds are rewritten first to the last line the interpreter's own
traceback shows: a SyntaxError is its bare message (``invalid syntax``, not
``invalid syntax (<stdin>, line 1)``), and a NameError or AttributeError gets
3.11's "Did you mean" suggestion as ``sys.__excepthook__`` prints it (after
``from sympy import *`` the namespace holds more than 750 names, so
CPython looks for a NameError's suggestion among the builtins only).

Runs on every CPython from 3.6, like cpython_commands.
"""

import io
import sys
from typing import Dict, Optional, Tuple

_namespace = {}  # type: Dict[str, object]


def _interpreter_line(error: BaseException) -> str:
    """The last line ``sys.__excepthook__`` writes for ``error``."""
    saved = sys.stderr
    sys.stderr = io.StringIO()
    try:
        sys.__excepthook__(type(error), error, error.__traceback__)
        text = sys.stderr.getvalue()
    finally:
        sys.stderr = saved
    return text.rstrip("\n").split("\n")[-1]


def _blank(line: str) -> bool:
    stripped = line.strip(" \t\x0c")
    return stripped == "" or stripped.startswith("#")


def answer(line: Optional[str], python: Tuple[int, int]) -> str:
    """The interpreter's echo of ``line`` in this process's session (see module)."""
    assert line is not None
    if _blank(line):
        return ""
    try:
        code = compile(line + "\n", "<stdin>", "single")
    except SyntaxError as error:
        raise _renamed(error, type(error).__name__, str(error.msg)) from None
    shown = io.StringIO()

    def displayhook(value: object) -> None:
        if value is not None:
            shown.write(repr(value) + "\n")

    saved = sys.displayhook, sys.stdout
    sys.displayhook, sys.stdout = displayhook, shown
    try:
        exec(code, _namespace)
    except (NameError, AttributeError) as error:
        sys.displayhook, sys.stdout = saved
        text = _interpreter_line(error)
        prefix = type(error).__name__ + ": "
        message = text[len(prefix) :] if text.startswith(prefix) else str(error)
        raise _renamed(error, type(error).__name__, message) from None
    finally:
        sys.displayhook, sys.stdout = saved
    text = shown.getvalue()
    text = text[:-1] if text.endswith("\n") else text
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _renamed(error: BaseException, name: str, message: str) -> Exception:
    """An exception whose class name is ``name`` and whose str is ``message``,
    for the adapter's ``TypeName: message`` line."""
    return type(name, (Exception,), {})(message)


def sympy_version() -> str:
    """``sympy 1.11.1``: the library that answers the note."""
    import sympy

    return "sympy " + sympy.__version__
