"""Finding the real CPython interpreters of this machine, for tools/conform and tools/record.

``find_cpython("3.12")`` is the interpreter ``tools/conform --impl cpython
--python 3.12`` checks and ``tools/record`` asks for 3.12: the first of
``python3.12`` on PATH, /usr/bin/python3.12 and the newest
~/.pyenv/versions/3.12.*/bin/python3.12 that runs and says it is 3.12. A pyenv
shim (~/.pyenv/shims) is passed over: which interpreter it runs depends on the
version pyenv has selected at the moment (and one of a version not selected
fails), so the same X.Y would name different releases from one day to the
next. So one patch release answers for each minor version, the same one for
the recorder and for conform; ``describe`` says which (here 3.11 is Debian's
/usr/bin/python3.11, 3.11.2, whose answers the other notes' goldens hold).
``find_all()`` is that interpreter for each minor version 3.6 to 3.13 there is
one of.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

# The minor versions of Python 3 the golden files know (golden/README.md).
OLDEST_MINOR = 6
NEWEST_MINOR = 13


class Interpreter(NamedTuple):
    """A real CPython: where it is and what it says it is."""

    path: Path
    version: str       # X.Y, as --python and the golden files write it
    release: str       # X.Y.Z, its exact release
    pointer_size: int  # bytes, struct.calcsize("P")

    @property
    def minor(self) -> int:
        return int(self.version.split(".")[1])

    def describe(self) -> str:
        """``CPython 3.12.1 (~/.pyenv/versions/3.12.1/bin/python3.12)``, with
        ``, 32-bit`` in the parentheses for an interpreter of 4-byte pointers
        (the golden files' Oracle tells the pointer sizes apart by it)."""
        home = str(Path.home())
        shown = str(self.path)
        if shown.startswith(home + os.sep):
            shown = "~" + shown[len(home):]
        bits = ", 32-bit" if self.pointer_size == 4 else ""
        return f"CPython {self.release} ({shown}{bits})"


def ask(path: Path) -> Interpreter | None:
    """The interpreter at ``path`` as it describes itself; None if it cannot
    (not there, not Python, a pyenv shim of a version that is not selected)."""
    script = ("import platform, struct, sys; "
              "print('%d.%d' % sys.version_info[:2], platform.python_version(), "
              "struct.calcsize('P'))")
    try:
        asked = subprocess.run([str(path), "-c", script], text=True, capture_output=True,
                               timeout=60, check=True)
        version, release, pointer_size = asked.stdout.split()
        return Interpreter(path, version, release, int(pointer_size))
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


def interpreter_version(path: Path) -> str | None:
    """The X.Y version the interpreter at ``path`` says it is, or None."""
    interpreter = ask(path)
    return interpreter.version if interpreter else None


def _candidates(python: str, home: Path | None) -> list[str]:
    name = f"python{python}"
    candidates = [shutil.which(name), f"/usr/bin/{name}"]
    pyenv = (home or Path.home()) / ".pyenv" / "versions"

    def patch_level(folder: str) -> int:
        tail = Path(folder).name[len(python) + 1:]
        return int(tail) if tail.isdigit() else -1

    folders = sorted(glob.glob(str(pyenv / f"{python}.*")), key=patch_level, reverse=True)
    candidates += [str(Path(folder) / "bin" / name) for folder in folders]
    return [candidate for candidate in candidates if candidate and not _is_pyenv_shim(candidate)]


def _is_pyenv_shim(path: str) -> bool:
    return Path(path).parent.name == "shims" and Path(path).parent.parent.name == ".pyenv"


def find_version(python: str, home: Path | None = None) -> Interpreter | None:
    """The interpreter for version X.Y ``python`` (see the module), or None."""
    for candidate in _candidates(python, home):
        interpreter = ask(Path(candidate))
        if interpreter is not None and interpreter.version == python:
            return interpreter
    return None


def find_cpython(python: str, home: Path | None = None) -> tuple[Path, str]:
    """The interpreter and X.Y version ``--python`` names: a path (its version
    is what it says), or a version X.Y found as the module says. SystemExit
    when there is none."""
    if os.sep in python:
        interpreter = Path(python).expanduser()
        version = interpreter_version(interpreter)
        if version is None:
            sys.exit(f"--python {python}: not an interpreter that says its version")
        return interpreter, version
    if not python.replace(".", "", 1).isdigit() or python.count(".") != 1:
        sys.exit(f"--python {python}: not a version X.Y or an interpreter's path")
    found = find_version(python, home)
    if found is None:
        pyenv = (home or Path.home()) / ".pyenv" / "versions"
        sys.exit(f"--python {python}: no python{python} on PATH, in /usr/bin or under {pyenv}")
    return found.path, found.version


def find_all(home: Path | None = None) -> list[Interpreter]:
    """One interpreter per minor version 3.6 to 3.13 found here, oldest first."""
    found = (find_version(f"3.{minor}", home) for minor in range(OLDEST_MINOR, NEWEST_MINOR + 1))
    return [interpreter for interpreter in found if interpreter is not None]
