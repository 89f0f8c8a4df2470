"""The Python reader of golden files, format version 1 (golden/README.md).

Usage::

    from pynotes import golden

    golden_file = golden.load("golden/hashes/sha256.txt")   # raises golden.GoldenError
    command = golden_file.header.get("Command")
    for case in golden_file.cases:
        line = golden.input_line(case)                    # bytes, or None without Input
        python = golden.python_version(golden_file, case) # "3.11"
        expected = case.get("Output")
        ...
        for key, line_number in case.unused():
            ...  # fail the case: every key must be read

Values are ``str``. A plain value is the text after ``= `` as it stands. A
quoted value denotes bytes: its literal characters in UTF-8, each ``\\xHH``
escape one raw byte. Such bytes are held as the ``str`` that decoding them as
UTF-8 with ``surrogateescape`` gives, so ``"\\xff"`` reads as ``'\\udcff'`` and
``value_bytes()`` gives the exact bytes back. That is the decoding the
adapters apply to their own stdin, so a value compares equal to the line an
implementation is given or answers; the Input that goes to an implementation
is ``value_bytes(Input)``.

A line is blank (empty, or nothing but spaces and tabs), a comment (``#`` as
its first character) or an attribute ``Key = value``: the key is what stands
before the first `` = `` (a letter, then letters, digits and ``-``); a line
ending in `` =`` is a key with an empty value (an editor trimmed its space).
Lines end at ``\\n`` only. A malformed file raises ``GoldenError``, whose str
is ``PATH:LINE: message``; the messages are the C reader's
(conformance/golden_reader/golden_file.c), sometimes with a detail after them.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

HEADER_KEYS = ("Command", "Recorded-By", "Oracle", "Python")
# The longest input line a case may make with Input-Repeat, in bytes (the C
# reader's limit too).
MAX_INPUT = 64 << 20

_KEY = re.compile(r"[A-Za-z][A-Za-z0-9-]*\Z")
_NAME = re.compile(r"[A-Za-z0-9_]+\Z")
_VERSION = r"3\.([6-9]|1[0-4])"
_PYTHON = re.compile(rf"(?:{_VERSION})?(-)?(?:{_VERSION})?\Z")
# The CPython versions a golden file knows (minor numbers): 3.6 to 3.13 from
# the native CPythons, 3.14 from Pyodide (32-bit); and the highest minor of a
# range open at the top (``3.12-``: every later version).
OLDEST_MINOR = 6
NEWEST_MINOR = 14
OPEN_MINOR = 99
_POSITIVE = re.compile(r"[1-9][0-9]*\Z")
_TIMEOUT = re.compile(r"[0-9]+(?:\.[0-9]+)?\Z")
_HEX_DIGITS = re.compile(r"[0-9A-Fa-f]{2}\Z")
# A float as repr() writes it: a decimal literal with a point or an exponent
# (so never an int's repr), inf, -inf or nan.
_FLOAT = re.compile(
    r"(?:-?(?:(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+|inf)|nan)\Z"
)
# In parse()'s text, surrogate escapes: bytes that are not UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")

_ESCAPES = {"\\": b"\\", '"': b'"', "n": b"\n", "r": b"\r", "t": b"\t"}
_ESCAPED = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Characters a line cannot show plainly: controls, format characters, lone
# surrogates (bytes that are not UTF-8), line and paragraph separators.
_UNSHOWABLE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


class GoldenError(Exception):
    """A malformed golden file; str() is ``PATH:LINE: message``."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.message = message


class Attribute(NamedTuple):
    """One ``Key = value`` line: its key, decoded value and 1-based line number."""

    key: str
    value: str
    line: int


class Block:
    """A run of attributes between blank lines: the header or one case.

    ``get`` marks the key as read; ``unused`` lists the keys nobody read, so a
    misspelt key fails the case instead of silently turning a check off.
    Every other accessor leaves the marks alone.
    """

    def __init__(self, path: str, attributes: list[Attribute]) -> None:
        """``attributes``: the block's lines in file order, at least one, keys distinct."""
        self.path = path
        self._attributes = {attribute.key: attribute for attribute in attributes}
        self._read: set[str] = set()

    @property
    def line(self) -> int:
        """The line number of the block's first attribute."""
        return next(iter(self._attributes.values())).line

    def get(self, key: str, default: str | None = None) -> str | None:
        """The value of ``key`` (marking it read), or ``default`` if absent."""
        attribute = self._attributes.get(key)
        if attribute is None:
            return default
        self._read.add(key)
        return attribute.value

    def __contains__(self, key: str) -> bool:
        return key in self._attributes

    def keys(self) -> list[str]:
        """The block's keys in file order."""
        return list(self._attributes)

    def attribute(self, key: str) -> Attribute:
        """The attribute ``key`` (KeyError if absent), not marking it read."""
        return self._attributes[key]

    def line_of(self, key: str) -> int:
        """The line number of attribute ``key`` (KeyError if absent)."""
        return self._attributes[key].line

    def unused(self) -> list[tuple[str, int]]:
        """``(key, line)`` for every key not read through ``get``, in file order."""
        return [(a.key, a.line) for a in self._attributes.values() if a.key not in self._read]

    def error(self, message: str, key: str | None = None) -> GoldenError:
        """A GoldenError at attribute ``key``'s line, or at the block's first line."""
        line = self.line_of(key) if key is not None and key in self else self.line
        return GoldenError(self.path, line, message)


class GoldenFile(NamedTuple):
    """A parsed golden file: its header block and its case blocks (at least one)."""

    path: str
    header: Block
    cases: list[Block]


def load(path: str | Path) -> GoldenFile:
    """Reads and parses the golden file at ``path``; raises GoldenError if malformed."""
    return parse(path, Path(path).read_bytes().decode("utf-8", "surrogateescape"))


def parse(path: str | Path, text: str) -> GoldenFile:
    """Parses golden-file text; ``path`` only names the file in errors.

    ``text`` is the file's bytes decoded as UTF-8 with surrogateescape (as
    ``load`` does), so that a line that is not UTF-8 fails at its own line.
    Checks everything the format defines, in file order as the C reader does:
    each line as it comes (UTF-8, syntax, key, quoting, duplicate key), each
    block when it ends (the header's keys, Python, Input-Repeat, Name,
    Output-Hex), then that there is a header and at least one case.
    """
    path = str(path)
    blocks: list[Block] = []
    current: list[Attribute] = []
    names: dict[str, int] = {}

    def end_block() -> None:
        if current:
            block = Block(path, list(current))
            _check_block(block, is_header=not blocks, names=names)
            blocks.append(block)
            current.clear()

    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip(" \t") == "":
            end_block()
            continue
        if _SURROGATE.search(line):
            raise GoldenError(
                path, number, "not valid UTF-8 (write such bytes as \\xHH in a quoted value)"
            )
        if line.startswith("#"):
            continue
        key, separator, raw = line.partition(" = ")
        if not separator:
            if not line.endswith(" ="):
                raise GoldenError(path, number, "expected 'Key = value'")
            key, raw = line[:-2], ""  # `Key =`: an empty value whose space was trimmed
        if not _KEY.match(key):
            raise GoldenError(path, number, f"bad key '{key}' (letters, digits and '-')")
        for earlier in current:
            if earlier.key == key:
                message = f"duplicate key '{key}' in one block (first on line {earlier.line})"
                raise GoldenError(path, number, message)
        current.append(Attribute(key, _unquote(path, number, raw), number))
    end_block()

    if not blocks:
        raise GoldenError(path, 1, "no header: the file has no blocks")
    header, cases = blocks[0], blocks[1:]
    if not cases:
        raise header.error("no cases: the file has only a header")
    return GoldenFile(path, header, cases)


def _check_block(block: Block, is_header: bool, names: dict[str, int]) -> None:
    """Checks the values of the keys the format defines, without marking them read.

    The header: its four keys and Python. A case: Python, Input-Repeat, Name
    (also against ``names``, each earlier case's Name and line, which it
    extends) and Output-Hex.
    """
    if is_header:
        for key in HEADER_KEYS:
            if key not in block:
                raise block.error(f"missing header key '{key}'")
    if "Python" in block:
        python = block.attribute("Python").value
        if parse_python_range(python) is None:
            raise block.error(
                f"bad Python version '{python}' (3.6 to 3.14, written X.Y, X.Y-X.Y, X.Y- or -X.Y)",
                "Python",
            )
    if "Pointer-Size" in block:
        pointer_size = block.attribute("Pointer-Size").value
        if pointer_size not in ("4", "8"):
            raise block.error(f"bad Pointer-Size '{pointer_size}' (4 or 8 bytes)", "Pointer-Size")
    if "Session" in block:
        session = block.attribute("Session").value
        if not is_header or session != "file":
            raise block.error(
                f"bad Session '{session}' (a header key; its one value is 'file')", "Session"
            )
    if is_header:
        return
    if "Timeout" in block:
        timeout = block.attribute("Timeout").value
        if not _TIMEOUT.match(timeout) or not 0 < float(timeout) <= 3600:
            raise block.error(
                f"bad Timeout '{timeout}' (seconds, above 0 and at most 3600)", "Timeout"
            )
    if "Input-Repeat" in block:
        repeat = block.attribute("Input-Repeat").value
        if not _POSITIVE.match(repeat):
            raise block.error(f"bad Input-Repeat '{repeat}' (a positive integer)", "Input-Repeat")
        if "Input" not in block:
            raise block.error("Input-Repeat without Input", "Input-Repeat")
        if len(value_bytes(block.attribute("Input").value)) * int(repeat) > MAX_INPUT:
            raise block.error(
                f"Input-Repeat makes the input longer than {MAX_INPUT} bytes", "Input-Repeat"
            )
    if "Name" in block:
        name = block.attribute("Name")
        if not _NAME.match(name.value):
            raise block.error(f"bad Name '{name.value}' (letters, digits and '_')", "Name")
        if name.value in names:
            raise block.error(
                f"duplicate Name '{name.value}' (also on line {names[name.value]})", "Name"
            )
        names[name.value] = name.line
    if "Output-Hex" in block:
        output_hex = block.attribute("Output-Hex").value
        if "Output" in block:
            problem = _float_disagreement(block.attribute("Output").value, output_hex)
        else:
            problem = "there is no Output"
        if problem:
            raise block.error(f"Output and Output-Hex disagree: {problem}", "Output-Hex")


def _float_disagreement(output: str, output_hex: str) -> str | None:
    """Why ``float(output)`` and ``float.fromhex(output_hex)`` are not the same
    float (compared as float.hex() writes them), or None if they are."""
    try:
        value = float(output).hex()
    except ValueError:
        return f"Output '{output}' is not a float"
    try:
        from_hex = float.fromhex(output_hex).hex()
    except (ValueError, OverflowError):
        return f"Output-Hex '{output_hex}' is not a float in hex"
    if value != from_hex:
        return f"Output is {value}, Output-Hex is {from_hex}"
    return None


def _unquote(path: str, line: int, raw: str) -> str:
    """The value that the text after ``= `` denotes (see the module docstring)."""
    if not raw.startswith('"'):
        return raw
    data = bytearray()
    i = 1
    while i < len(raw):
        char = raw[i]
        if char == '"':
            if i != len(raw) - 1:
                raise GoldenError(path, line, "text after the closing quote")
            return bytes(data).decode("utf-8", "surrogateescape")
        if char != "\\":
            data += char.encode("utf-8")
            i += 1
            continue
        escape = raw[i + 1 : i + 2]
        if escape in _ESCAPES:
            data += _ESCAPES[escape]
            i += 2
        elif escape == "x" and _HEX_DIGITS.match(raw[i + 2 : i + 4]):
            data.append(int(raw[i + 2 : i + 4], 16))
            i += 4
        elif escape == "":
            break
        else:
            shown = raw[i : i + 4] if escape == "x" else raw[i : i + 2]
            raise GoldenError(path, line, f"bad escape '{shown}' in quoted value")
    raise GoldenError(path, line, "unterminated quoted value")


def value_bytes(value: str) -> bytes:
    """The bytes a value stands for (UTF-8, with surrogate escapes as raw bytes)."""
    return value.encode("utf-8", "surrogateescape")


def quote_value(value: str) -> str:
    """The text to write after ``Key = `` so that the line reads back as ``value``.

    Plain when it can be; quoted when ``value`` is empty, starts with ``"``,
    starts or ends with whitespace, or holds a character a line cannot show
    plainly (controls, format characters, non-space blanks, bytes that are not
    UTF-8). Inside quotes such characters are written as ``\\xHH`` escapes of
    their UTF-8 bytes. Reading the result back gives ``value`` for every str
    that is a surrogateescape decoding of bytes (the only values parse yields);
    a str with other lone surrogates raises UnicodeEncodeError.
    """
    if (
        value
        and not value.startswith('"')
        and not value[0].isspace()
        and not value[-1].isspace()
        and not any(_unshowable(char) for char in value)
    ):
        return value
    parts = ['"']
    for char in value:
        if char in _ESCAPED:
            parts.append(_ESCAPED[char])
        elif _unshowable(char):
            parts.extend(f"\\x{byte:02x}" for byte in value_bytes(char))
        else:
            parts.append(char)
    parts.append('"')
    return "".join(parts)


def _unshowable(char: str) -> bool:
    """Whether a line cannot show ``char`` plainly (see ``_UNSHOWABLE_CATEGORIES``);
    a blank other than the space would pass for one."""
    category = unicodedata.category(char)
    return category in _UNSHOWABLE_CATEGORIES or (category == "Zs" and char != " ")


def float_hex(text: str) -> str | None:
    """``float(text).hex()`` if ``text`` is a float as repr() writes one (a decimal
    literal with a point or an exponent, ``inf``, ``-inf``, ``nan``), else None:
    an int's repr (``1024``) or an exception line is not a float answer."""
    if not _FLOAT.match(text):
        return None
    return float(text).hex()


def input_line(case: Block) -> bytes | None:
    """The case's input line: Input's bytes written Input-Repeat times (default 1),
    or None if the case has no Input."""
    value = case.get("Input")
    if value is None:
        return None
    return value_bytes(value) * int(case.get("Input-Repeat", "1"))


def python_version(golden_file: GoldenFile, case: Block) -> str:
    """The CPython version ("3.11") the case holds for: its own Python, else the
    header's (which is marked read either way)."""
    version = case.get("Python", golden_file.header.get("Python"))
    assert version is not None  # parse() requires the header's Python
    return version


def parse_python_range(text: str) -> tuple[int, int] | None:
    """The minor numbers (lowest, highest) of the CPython versions a ``Python``
    value names: ``3.11`` (that one), ``3.8-3.11`` (both ends included),
    ``3.12-`` (3.12 and every later version: highest is OPEN_MINOR) or
    ``-3.7`` (from 3.6 to 3.7); None for any other text. The C reader's
    pn_golden_parse_python_range is the same."""
    match = _PYTHON.match(text)
    if match is None:
        return None
    low, dash, high = match.groups()
    if low is None and high is None:
        return None
    if dash is None:
        if high is not None:  # "3.11" is matched as the lower end
            return None
        return int(low), int(low)
    lowest = int(low) if low is not None else OLDEST_MINOR
    highest = int(high) if high is not None else OPEN_MINOR
    return (lowest, highest) if lowest <= highest else None


def python_range(golden_file: GoldenFile, case: Block) -> tuple[int, int]:
    """The versions (as parse_python_range) the case holds for: its own
    Python, else the header's (which is marked read either way)."""
    parsed = parse_python_range(python_version(golden_file, case))
    assert parsed is not None  # parse() checked every Python value
    return parsed
