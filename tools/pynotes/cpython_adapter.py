"""The CPython adapter's driver: the adapter protocol over stdin and stdout.

    tools/adapters/cpython COMMAND [--python=X.Y] < cases > answers
    tools/adapters/cpython PROGRAM [OPTIONS...]   (serve, orm-note, ...)
    tools/adapters/cpython oracle NOTE [--python=X.Y]

A batch command reads stdin as bytes, one case per line (split on ``\\n``
only, decoded as UTF-8 with surrogateescape), and writes one answer line per
case, flushed after each; a command that reads nothing (``float_info``) writes
its one line without reading. A case that raises is answered with
``TypeName: message``. Exit status 0 at the end of stdin; 2 with one line on
stderr for an unknown command, note or option, or a Python version that cannot
be had.

``--python=X.Y`` (3.6 to 3.13, default 3.11): the running interpreter answers
if it is X.Y; else the adapter re-executes itself under /usr/bin/pythonX.Y if
that exists; else the running interpreter answers if the command is the same
in every version (``Command.same_in_all_versions``); else exit 2.

``oracle NOTE`` is not a protocol command but the recorder's: one line naming
the interpreter and the libraries that answer NOTE's commands (the golden
files' ``Oracle``).

Runs on every CPython from 3.6, like cpython_commands.
"""

import os
import re
import sys
from typing import BinaryIO, List, Optional

from pynotes.cpython_commands import COMMANDS, NOTE_LIBRARIES, Command, Version, oracle

DEFAULT_PYTHON = (3, 11)
OLDEST_PYTHON = (3, 6)
NEWEST_PYTHON = (3, 13)
# Set in the environment of a re-executed adapter, so that an interpreter that
# is not the version its name says fails instead of re-executing forever.
_REEXEC_VARIABLE = "PYNOTES_CPYTHON_ADAPTER_REEXEC"


class UsageError(Exception):
    """A command line the adapter cannot serve: exit status 2 with str() on stderr."""


def _usage(problem: str) -> UsageError:
    return UsageError(
        "%s (usage: cpython COMMAND [--python=X.Y] | cpython oracle NOTE [--python=X.Y];"
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
    """The version of a ``--python`` value, 3.6 to 3.13; UsageError otherwise."""
    match = re.match(r"([0-9]+)\.([0-9]+)\Z", text)
    version = (int(match.group(1)), int(match.group(2))) if match else None
    if version is None or not OLDEST_PYTHON <= version <= NEWEST_PYTHON:
        raise _usage("unsupported Python version (3.6 to 3.13): " + text)
    return version


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


def _reexec_if_installed(python: Version, argv: List[str]) -> None:
    """Replaces this process with the adapter under /usr/bin/pythonX.Y if that
    exists; returns if it does not."""
    interpreter = "/usr/bin/python%d.%d" % python
    if not os.access(interpreter, os.X_OK):
        return
    if os.environ.get(_REEXEC_VARIABLE):
        raise UsageError("%s is not Python %d.%d" % (interpreter, python[0], python[1]))
    os.environ[_REEXEC_VARIABLE] = "1"
    os.execv(interpreter, [interpreter, os.path.abspath(argv[0])] + argv[1:])


def run(argv: List[str]) -> int:
    """Serves the command line ``argv`` (``argv[0]`` is the adapter script)."""
    if len(argv) < 2:
        raise _usage("no command")
    name, options = argv[1], argv[2:]
    note = None
    if name == "oracle":
        if not options or options[0] not in NOTE_LIBRARIES:
            raise _usage("oracle needs a note")
        note, options = options[0], options[1:]
    elif name not in COMMANDS:
        raise _usage("unknown command " + name)
    elif COMMANDS[name].program is not None:
        return COMMANDS[name].program(options)
    python = DEFAULT_PYTHON
    for option in options:
        if not option.startswith("--python="):
            raise _usage("unknown option " + option)
        python = parse_python(option[len("--python="):])

    if python != tuple(sys.version_info[:2]):
        _reexec_if_installed(python, argv)
        # Not installed: the oracle describes whichever interpreter answers.
        same = COMMANDS[name].same_in_all_versions if note is None else True
        if callable(same):  # a function of the version asked for (floats' sum)
            same = same(python)
        if not same:
            raise UsageError("Python %d.%d is not installed" % python)
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
