"""CPython's answers to the adapter protocol's commands: one small function each.

``COMMANDS`` maps a protocol command (conformance/PROTOCOL.md) to a
``Command``. Its ``answer(line, python)`` gets the input line (decoded from
UTF-8 with surrogateescape; None for a command that reads nothing) and the
version asked for, which is always the running interpreter's (the adapter
refuses any other), and returns the answer line, without a newline. An
exception it raises is the answer too: tools/pynotes/cpython_adapter.py writes
it as ``TypeName: message``. Answers are the running interpreter's own: no
command emulates another version (tools/record asks each real CPython).

``NOTE_LIBRARIES`` names, per note, the libraries whose versions the note's
outputs depend on; ``oracle(note)`` is the line recorded as a golden file's
``Oracle``.

Adding a command: write its function, add a row to ``COMMANDS`` (and its note
to ``NOTE_LIBRARIES``, with a version function in ``_LIBRARY_VERSIONS`` for a
new library).

The recorder runs the adapter under every CPython from 3.6, so this module
must run on all of them: no syntax or library newer than 3.6 (no dataclasses,
walrus, ``str.isascii``, postponed annotations).
"""

import hashlib
import platform
import sys
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

from pynotes import cpython_sizeof
from pynotes import cpython_floats
from pynotes import cpython_newton
from pynotes import cpython_greenlets
from pynotes import cpython_sympy

from pynotes import cpython_orm, cpython_servers
from pynotes import cpython_window
from pynotes import cpython_import
from pynotes import cpython_embed

Version = Tuple[int, int]


class Command(NamedTuple):
    """One protocol command as CPython answers it.

    A batch command has ``answer``. A program command (``serve``,
    ``orm-note``, ...) has ``program`` instead: it gets the options after the
    command's name and returns the exit status (2 for a usage error, with one
    line on stderr), using stdin and stdout as it likes.
    """

    name: str
    note: str
    answer: Optional[Callable[[Optional[str], Version], str]]
    reads_input: bool
    program: Optional[Callable[[List[str]], int]] = None


def _hexdigest(name: str) -> Callable[[Optional[str], Version], str]:
    """The answer function of hash command ``name``: hashlib.NAME(bytes.fromhex(line))."""
    constructor = getattr(hashlib, name)

    def answer(line: Optional[str], python: Version) -> str:
        assert line is not None
        return constructor(bytes.fromhex(line)).hexdigest()

    return answer


def _float_info(line: Optional[str], python: Version) -> str:
    return repr(sys.float_info)


def _rows(*commands: Command) -> Dict[str, Command]:
    return {command.name: command for command in commands}


COMMANDS = _rows(
    *(
        Command(name, "hashes", _hexdigest(name), True)
        for name in ("sha256", "sha224", "sha384", "sha512", "md5", "sha1")
    ),
    Command("float_info", "floats", _float_info, False),
    Command("repr", "floats", cpython_floats.repr_answer, True),
    Command("fsum", "floats", cpython_floats.fsum_answer, True),
    Command("newton", "newton", cpython_newton.answer, True),
    Command("newton_math", "newton", cpython_newton.math_answer, True),
    Command("sum", "floats", cpython_floats.sum_answer, True),
    Command("getsizeof", "sizeof", cpython_sizeof.getsizeof, True),
    Command("greenlets", "greenlets", cpython_greenlets.answer, True),
    Command("sympy", "sympy", cpython_sympy.answer, True),
    Command("serve", "servers", None, False, program=cpython_servers.serve),
    Command("window", "window", None, False, program=cpython_window.window),
    Command("import", "import", cpython_import.answer, True),
    Command("embed", "import", None, False, program=cpython_embed.embed),
    *cpython_orm.command_rows(Command),
)


def _openssl() -> str:
    import ssl  # only for its OpenSSL version, which hashlib shares

    return " ".join(ssl.OPENSSL_VERSION.split()[:2])


def _twisted() -> str:
    import twisted

    return twisted.__version__


_LIBRARY_VERSIONS = {
    "hashlib": lambda: "hashlib (%s)" % _openssl(),
    "sqlalchemy": cpython_orm.sqlalchemy_version,
    "twisted": lambda: "Twisted " + _twisted(),
    "gevent": cpython_greenlets.gevent_version,
    "sympy": cpython_sympy.sympy_version,
    "pyglet": cpython_window.pyglet_version,
}

NOTE_LIBRARIES = {
    "floats": (),
    "newton": (),
    "hashes": ("hashlib",),
    "sizeof": (),
    "orm": ("sqlalchemy",),
    "servers": ("twisted",),
    "greenlets": ("gevent",),
    "sympy": ("sympy",),
    "window": ("pyglet",),
    "import": (),
}


def oracle(note: str) -> str:
    """What answers ``note``'s commands here: ``CPython 3.11.2 hashlib (OpenSSL 3.0.22)``."""
    parts = ["CPython " + platform.python_version()]
    parts.extend(_LIBRARY_VERSIONS[library]() for library in NOTE_LIBRARIES[note])
    return " ".join(parts)
