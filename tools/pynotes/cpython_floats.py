"""CPython's answers to the floats note's line commands: repr, sum, fsum.

How a line is read (conformance/PROTOCOL.md states the same rules):

- a float literal: ``float.fromhex(s)`` when, after ASCII whitespace and one
  optional sign, ``s`` starts with ``0x`` or ``0X``; else ``float(s)``;
- a list (sum, fsum): the empty line is the empty list, else
  ``[literal(piece) for piece in line.split(" ")]`` (so two spaces in a row
  make an empty piece, which float() rejects).

A malformed literal raises what CPython raises: ``ValueError: could not convert
string to float: '...'`` (the piece's repr), or fromhex's ValueError,
OverflowError or, for a line that is not UTF-8, UnicodeEncodeError.

Every answer is the running interpreter's (``python`` is its version): the
recorder asks each real CPython. Runs on every CPython from 3.6 (see
cpython_commands): no newer syntax.
"""

import math
from typing import List, Optional, Tuple

Version = Tuple[int, int]

# Py_ISSPACE: the whitespace float.fromhex skips.
_ASCII_WHITESPACE = " \t\n\x0b\x0c\r"


def read_literal(text: str) -> float:
    """The float the protocol reads from ``text``: float.fromhex for the hex
    form (``[ws][sign]0x...``), float() otherwise; raises what they raise, as
    the running interpreter words it (float()'s messages changed in 3.7, 3.8
    and 3.10; the goldens hold each version's own)."""
    stripped = text.lstrip(_ASCII_WHITESPACE)
    if stripped[:1] in ("+", "-"):
        stripped = stripped[1:]
    if stripped[:2] in ("0x", "0X"):
        return float.fromhex(text)
    return float(text)


def read_list(line: str) -> List[float]:
    """The list a sum/fsum line stands for: [] for the empty line, else each
    ``line.split(" ")`` piece through read_literal, stopping at the first
    that raises."""
    if line == "":
        return []
    return [read_literal(piece) for piece in line.split(" ")]


def repr_answer(line: Optional[str], python: Version) -> str:
    """``repr(x)`` of the literal's float, as the running interpreter answers."""
    assert line is not None
    return repr(read_literal(line))


def fsum_answer(line: Optional[str], python: Version) -> str:
    """``repr(math.fsum(xs))``, as the running interpreter answers."""
    assert line is not None
    return repr(math.fsum(read_list(line)))


def sum_answer(line: Optional[str], python: Version) -> str:
    """``repr(sum(xs))`` with the int start 0 (``sum([])`` is ``0``), as the
    running interpreter answers: left to right up to 3.11, compensated
    (Neumaier) from 3.12."""
    assert line is not None
    return repr(sum(read_list(line)))
