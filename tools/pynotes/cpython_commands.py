"""CPython's answers to the adapter protocol's commands: one small function each.

``COMMANDS`` maps a protocol command (conformance/PROTOCOL.md) to a
``Command``. Its ``answer(line, python)`` gets the input line (decoded from
UTF-8 with surrogateescape; None for a command that reads nothing) and the
CPython version asked for, and returns the answer line, without a newline. An
exception it raises is the answer too: tools/pynotes/cpython_adapter.py writes
it as ``TypeName: message``.

``same_in_all_versions`` says whether the running interpreter may answer for
any version from 3.6 to 3.13 when the one asked for is not installed: true only
when CPython's behaviour is the same in all of them, or when ``answer``
emulates the differences from ``python`` (as the hashes do for 3.6's
``bytes.fromhex``). It may also be a function of the version asked for
(floats' ``sum``: the same up to 3.11, different from 3.12).

``NOTE_LIBRARIES`` names, per note, the libraries whose versions the note's
outputs depend on; ``oracle(note)`` is the line recorded as a golden file's
``Oracle``.

Adding a command: write its function, add a row to ``COMMANDS`` (and its note
to ``NOTE_LIBRARIES``, with a version function in ``_LIBRARY_VERSIONS`` for a
new library).

The adapter re-executes itself under /usr/bin/python3.X when asked for an
installed version, so this module must run on every CPython from 3.6: no
syntax or library newer than 3.6 (no dataclasses, walrus, ``str.isascii``,
postponed annotations).
"""

import hashlib
import platform
import sys
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple, Union

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
    same_in_all_versions: Union[bool, Callable[[Version], bool]]
    program: Optional[Callable[[List[str]], int]] = None


# Py_ISSPACE minus ' ': what bytes.fromhex skips from 3.7 on but 3.6 does not
# (a line never holds '\n', which is listed for completeness).
_WHITESPACE_SINCE_37 = "\t\n\x0b\x0c\r"


def _fromhex(line: str, python: Version) -> bytes:
    """``bytes.fromhex(line)`` as CPython ``python`` parses it.

    3.7 made fromhex skip all ASCII whitespace; 3.6 skipped only spaces, so a
    tab is a non-hexadecimal character there. For 3.6: the first non-ASCII
    character is the error in every version; otherwise 3.6 fails at the first
    other whitespace character, unless the text before it already fails (which
    3.6 and later report alike). For 3.7 on, the running interpreter must be
    3.7 or later, as the adapter's /usr/bin/python3 is.
    """
    if python >= (3, 7):
        return bytes.fromhex(line)
    if any(ord(char) > 127 for char in line):
        return bytes.fromhex(line)
    for position, char in enumerate(line):
        if char in _WHITESPACE_SINCE_37:
            bytes.fromhex(line[:position])
            raise ValueError(
                "non-hexadecimal number found in fromhex() arg at position %d" % position
            )
    return bytes.fromhex(line)


def _hexdigest(name: str) -> Callable[[Optional[str], Version], str]:
    """The answer function of hash command ``name``: hashlib.NAME(bytes.fromhex(line))."""
    constructor = getattr(hashlib, name)

    def answer(line: Optional[str], python: Version) -> str:
        assert line is not None
        return constructor(_fromhex(line, python)).hexdigest()

    return answer


def _float_info(line: Optional[str], python: Version) -> str:
    return repr(sys.float_info)


def _rows(*commands: Command) -> Dict[str, Command]:
    return {command.name: command for command in commands}


COMMANDS = _rows(
    *(
        Command(name, "hashes", _hexdigest(name), True, True)
        for name in ("sha256", "sha224", "sha384", "sha512", "md5", "sha1")
    ),
    Command("float_info", "floats", _float_info, False, True),
    Command("repr", "floats", cpython_floats.repr_answer, True, True),
    Command("fsum", "floats", cpython_floats.fsum_answer, True, True),
    Command("newton", "newton", cpython_newton.answer, True, False),
    Command("newton_math", "newton", cpython_newton.math_answer, True, False),
    Command(
        "sum", "floats", cpython_floats.sum_answer, True, cpython_floats.sum_same_in_all_versions
    ),
    Command("getsizeof", "sizeof", cpython_sizeof.getsizeof, True, False),
    Command("greenlets", "greenlets", cpython_greenlets.answer, True, False),
    Command("sympy", "sympy", cpython_sympy.answer, True, False),
    Command("serve", "servers", None, False, True, program=cpython_servers.serve),
    Command("window", "window", None, False, True, program=cpython_window.window),
    Command("import", "import", cpython_import.answer, True, False),
    Command("embed", "import", None, False, True, program=cpython_embed.embed),
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
