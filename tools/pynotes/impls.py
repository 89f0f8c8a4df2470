"""Implementation descriptions: what ``tools/conform --impl NAME`` checks.

A description is ``tools/impls/NAME.toml`` (TOML, read with tomllib)::

    name = "pypy"                      # the NAME, as the file is called
    description = "Debian's PyPy ..."  # one line for people
    kind = "pypy"                      # the family Impl keys name (PYNOTES_IMPL_KIND)
    command = "{root}/tools/adapters/pypy"   # the protocol command line, for /bin/sh
    python = "3.9"                     # the language version it is checked as (PYNOTES_PYTHON)
    pointer_size = 8                   # bytes (PYNOTES_POINTER_SIZE)
    known_failures = "tools/known-failures/pypy.txt"   # relative to the repository
    timeout_factor = 3.0               # optional (default 1): how much longer its answers
                                       # may take than CPython's (PYNOTES_TIMEOUT_FACTOR,
                                       # times conform's --timeout-factor)
    title = "PyPy"                     # optional: what the report's header calls it
    version = "7.3.11"                 # optional: the implementation's own version, which
                                       # the report's header names (pyref's is its commit and
                                       # CPython's what the interpreter says, so ref and
                                       # cpython need none)

Every key but timeout_factor, title and version is required. In ``command`` and ``known_failures``, ``{root}`` is
the repository's root, ``{python}`` the version checked (``python``, or
``--python X.Y``), ``{cpython}`` the real CPython interpreter of that version
(tools/pynotes/cpythons.py finds it; ``--python PATH`` names one, and declares
the version it says) and ``{pyref}`` the C reference's binary (conform builds
//ref:pyref). A description that has ``{cpython}`` in its command is
parameterised by ``--python``; any other keeps its own ``python`` unless
``--python X.Y`` overrides it (for a port that serves several versions).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import NamedTuple

KEYS = ("name", "description", "kind", "command", "python", "pointer_size", "known_failures")
OPTIONAL_TEXT = ("title", "version")
_VERSION = re.compile(r"3\.[0-9]+\Z")
_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")
_PLACEHOLDERS = ("root", "python", "cpython", "pyref")


class DescriptionError(Exception):
    """A malformed description; str() says which file and what is wrong."""


class Description(NamedTuple):
    name: str
    description: str
    kind: str
    command: str          # with its placeholders
    python: str           # X.Y
    pointer_size: int
    known_failures: str   # with its placeholders
    timeout_factor: float = 1.0
    title: str = ""
    version: str = ""

    @property
    def needs_cpython(self) -> bool:
        """Whether the command runs under the real CPython of the version checked."""
        return "{cpython}" in self.command


def directory(root: Path) -> Path:
    return root / "tools" / "impls"


def names(root: Path) -> list[str]:
    """The names of the descriptions shipped in the repository at ``root``."""
    return sorted(path.stem for path in directory(root).glob("*.toml"))


def load(path: Path) -> Description:
    """The description at ``path``; DescriptionError if it is malformed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DescriptionError(f"{path}: {error}") from None
    missing = [key for key in KEYS if key not in data]
    unknown = sorted(set(data) - set(KEYS) - set(OPTIONAL_TEXT) - {"timeout_factor"})
    if missing or unknown:
        raise DescriptionError(f"{path}: missing keys {missing}, unknown keys {unknown}")
    for key in KEYS:
        wanted = int if key == "pointer_size" else str
        if type(data[key]) is not wanted:
            raise DescriptionError(f"{path}: {key} must be a {wanted.__name__}")
    if data["name"] != path.stem:
        raise DescriptionError(f"{path}: name is {data['name']!r}, not the file's {path.stem!r}")
    if not _VERSION.match(data["python"]):
        raise DescriptionError(f"{path}: python must be a version X.Y, not {data['python']!r}")
    if data["pointer_size"] not in (4, 8):
        raise DescriptionError(f"{path}: pointer_size must be 4 or 8")
    for key in ("command", "known_failures"):
        for placeholder in _PLACEHOLDER.findall(data[key]):
            if placeholder not in _PLACEHOLDERS:
                raise DescriptionError(f"{path}: {key} has an unknown {{{placeholder}}}")
    factor = data.get("timeout_factor", 1.0)
    if type(factor) not in (int, float) or not 1 <= factor <= 100:
        raise DescriptionError(f"{path}: timeout_factor must be a number from 1 to 100")
    for key in OPTIONAL_TEXT:
        if type(data.get(key, "")) is not str:
            raise DescriptionError(f"{path}: {key} must be a str")
    return Description(**{key: data[key] for key in KEYS}, timeout_factor=float(factor),
                       **{key: data.get(key, "") for key in OPTIONAL_TEXT})


def expand(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{placeholder}`` replaced by its value."""
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)
