"""The CPython adapter's driver: the adapter protocol over stdin and stdout.

    tools/adapters/cpython COMMAND [--python=X.Y] [--pointer-size=N] < cases > answers
    tools/adapters/cpython PROGRAM [OPTIONS...]   (serve, orm-note, ...)
    tools/adapters/cpython oracle NOTE [--python=X.Y]
    tools/adapters/cpython interpreter

A batch command reads stdin as bytes, one case per line (split on ``\\n``
only, decoded as UTF-8 with surrogateescape), and writes one answer line per
case, flushed after each; a command that reads nothing (``float_info``) writes
its one line without reading. A case that raises is answered with
``TypeName: message``. Exit status 0 at the end of stdin; 2 with one line on
stderr for an unknown command, note or option, or a Python version that cannot
be had.

``--python=X.Y``: the adapter answers only as the interpreter that runs it, so
X.Y must be that interpreter's version (which is also the default); asked for
another version it exits 2 (the protocol's "version not served"), and the
suite reports that version's cases skipped. To check CPython 3.12, run the
adapter under CPython 3.12 (``tools/conform --impl cpython --python 3.12``).
``--pointer-size=N`` likewise: N must be the running interpreter's pointer
size (4 under Pyodide, 8 on x86-64), else exit 2.

A program command (``serve``, ``window``, ``orm-note``, ``embed``...) takes
``--python=X.Y`` on the same terms, and runs its note's program on the
interpreter that runs the adapter; when that interpreter lacks a library the
note's program needs (Twisted, pyglet, SQLAlchemy...) it exits 2 too, so the
suite reports the note skipped there rather than passed by another Python.

``oracle NOTE`` is not a protocol command but the recorder's: one line naming
the interpreter and the libraries that answer NOTE's commands (the golden
files' ``Oracle``). ``interpreter`` is the recorder's too: one line
``X.Y X.Y.Z POINTER_SIZE``, what tools/pynotes/cpythons.py asks a native
interpreter with ``-c``, for an interpreter that only runs the adapter
(Pyodide: tools/pynotes/pyodide.py).

Runs on every CPython from 3.6 (and under PyPy and Pyodide), like cpython_commands.
"""

import importlib.util
import platform
import re
import struct
import sys
from typing import BinaryIO, List, Optional

from pynotes.cpython_commands import COMMANDS, NOTE_LIBRARIES, Command, Version, oracle



class UsageError(Exception):
    """A command line the adapter cannot serve: exit status 2 with str() on stderr."""


def _usage(problem: str) -> UsageError:
    return UsageError(
        "%s (usage: cpython COMMAND [--python=X.Y] | cpython oracle NOTE [--python=X.Y]"
        " | cpython interpreter;"
        " commands: %s; notes: %s)" % (problem, " ".join(COMMANDS), " ".join(NOTE_LIBRARIES))
    )


def exception_line(error: BaseException) -> str:
    """The last line of CPython's traceback for ``error``, on one line:
    ``TypeName: message`` with ``\\`` as ``\\\\`` and newlines as ``\\n``;
    just ``TypeName`` when the message is empty. When ``str(error)`` itself
    raises (PyPy's UnicodeEncodeError of some inputs), the message is the
    ``<exception str() failed>`` CPython's traceback prints then."""
    try:
        text = str(error)
    except Exception:  # any failure of the message is answered, not raised
        text = "<exception str() failed>"
    message = text.replace("\\", "\\\\").replace("\n", "\\n")
    name = type(error).__name__
    return name + ": " + message if message else name


def parse_python(text: str) -> Version:
    """The version of a ``--python`` value, X.Y; UsageError otherwise."""
    match = re.match(r"([0-9]+)\.([0-9]+)\Z", text)
    if match is None:
        raise _usage("not a Python version X.Y: " + text)
    return int(match.group(1)), int(match.group(2))


def running_python() -> Version:
    """The language version of the interpreter running the adapter."""
    return (sys.version_info[0], sys.version_info[1])


def _encode(answer: str) -> bytes:
    """The bytes of an answer line: UTF-8, with surrogate escapes back as the
    bytes they stand for. An answer holding other lone surrogates (which no
    input decodes to) is written with backslash escapes instead of failing."""
    try:
        return answer.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return answer.encode("utf-8", "backslashreplace")


def _answer(command: Command, line: Optional[str], python: Version) -> str:
    try:
        return command.answer(line, python)
    except Exception as error:  # the case's exception is its answer
        return exception_line(error)


def serve(command: Command, python: Version, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Answers every line of ``stdin`` (or, for a command that reads nothing,
    answers once) on ``stdout``, flushing after each answer."""
    if not command.reads_input:
        stdout.write(_encode(_answer(command, None, python)) + b"\n")
        stdout.flush()
        return
    for raw in stdin:
        line = raw[:-1] if raw.endswith(b"\n") else raw
        answer = _answer(command, line.decode("utf-8", "surrogateescape"), python)
        stdout.write(_encode(answer) + b"\n")
        stdout.flush()


def _check_python(options: List[str]) -> None:
    """UsageError unless every ``--python=`` option in ``options`` names the
    running interpreter's version."""
    python = running_python()
    for option in options:
        asked = parse_python(option[len("--python="):])
        if asked != python:
            raise UsageError(
                "Python %d.%d not served: this adapter answers as the interpreter running it,"
                " %s %s (%s)"
                % (asked[0], asked[1], platform.python_implementation(),
                   platform.python_version(), sys.executable)
            )


def _check_pointer_size(text: str) -> None:
    """UsageError unless ``text`` is the running interpreter's pointer size in bytes."""
    if text != str(struct.calcsize("P")):
        raise UsageError(
            "pointer size %s not served: this adapter answers as the interpreter running it,"
            " %s %s (%s), whose pointers are %d bytes"
            % (text, platform.python_implementation(), platform.python_version(),
               sys.executable, struct.calcsize("P"))
        )


def _check_libraries(note: str) -> None:
    """UsageError when the running interpreter cannot import a library that
    ``note``'s programs need (its NOTE_LIBRARIES)."""
    for library in NOTE_LIBRARIES[note]:
        if importlib.util.find_spec(library) is None:
            raise UsageError(
                "%s not served: %s is not installed for %s %s (%s)"
                % (note, library, platform.python_implementation(),
                   platform.python_version(), sys.executable)
            )


def run(argv: List[str]) -> int:
    """Serves the command line ``argv`` (``argv[0]`` is the adapter script)."""
    if len(argv) < 2:
        raise _usage("no command")
    name, options = argv[1], argv[2:]
    note = None
    if name == "interpreter":
        if options:
            raise _usage("interpreter takes no options")
        sys.stdout.write("%d.%d %s %d\n" % (sys.version_info[0], sys.version_info[1],
                                            platform.python_version(), struct.calcsize("P")))
        sys.stdout.flush()
        return 0
    if name == "oracle":
        if not options or options[0] not in NOTE_LIBRARIES:
            raise _usage("oracle needs a note")
        note, options = options[0], options[1:]
    elif name not in COMMANDS:
        raise _usage("unknown command " + name)
    elif COMMANDS[name].program is not None:
        _check_python([option for option in options if option.startswith("--python=")])
        _check_libraries(COMMANDS[name].note)
        return COMMANDS[name].program(
            [option for option in options if not option.startswith("--python=")]
        )
    for option in options:
        if option.startswith("--pointer-size="):
            _check_pointer_size(option[len("--pointer-size="):])
        elif not option.startswith("--python="):
            raise _usage("unknown option " + option)
    _check_python([option for option in options if option.startswith("--python=")])
    python = running_python()
    if note is not None:
        sys.stdout.write(oracle(note) + "\n")
        sys.stdout.flush()
    else:
        serve(COMMANDS[name], python, sys.stdin.buffer, sys.stdout.buffer)
    return 0


def main(argv: List[str]) -> int:
    """The adapter's entry point: ``run``, with usage errors on stderr and exit status 2."""
    try:
        return run(argv)
    except UsageError as error:
        sys.stderr.write("cpython adapter: %s\n" % error)
        return 2
