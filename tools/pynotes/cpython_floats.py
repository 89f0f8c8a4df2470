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

Runs on every CPython from 3.6 (see cpython_commands): no newer syntax.
"""

import math
import sys
from typing import List, Optional, Tuple

Version = Tuple[int, int]

# Py_ISSPACE: the whitespace float.fromhex skips.
_ASCII_WHITESPACE = " \t\n\x0b\x0c\r"
# Builtin sum of floats became compensated (Neumaier) in 3.12.
_COMPENSATED_SUM = (3, 12)


def _is_blank(text: str) -> bool:
    """Whether float() sees nothing once it strips ``text``: ASCII whitespace
    (Py_ISSPACE) and non-ASCII whitespace, which float() turns into spaces;
    not the ASCII separators \x1c-\x1f, which it keeps."""
    return all(c in _ASCII_WHITESPACE or (ord(c) > 127 and c.isspace()) for c in text)


def _float(text: str, python: Version) -> float:
    """``float(text)`` as CPython ``python`` words its errors, run on the
    running interpreter (3.10 or later). Earlier versions differ in two ways,
    emulated here (and checked against CPython 3.6.15, 3.7.16, 3.8.18 and
    3.9.18): 3.6 encodes the text as UTF-8 first, so a lone surrogate raises
    UnicodeEncodeError; for a blank text PyOS_string_to_double's own message
    named the stripped (empty) text, with %.200s up to 3.7 and %R in 3.8 and
    3.9, instead of the text's repr."""
    if python < (3, 7):
        text.encode("utf-8")
    try:
        return float(text)
    except ValueError:
        if python < (3, 10) and _is_blank(text):
            suffix = "" if python < (3, 8) else "''"
            raise ValueError("could not convert string to float: " + suffix) from None
        raise


def read_literal(text: str, python: Version) -> float:
    """The float the protocol reads from ``text`` under CPython ``python``:
    float.fromhex for the hex form (``[ws][sign]0x...``), float() otherwise;
    raises what they raise."""
    stripped = text.lstrip(_ASCII_WHITESPACE)
    if stripped[:1] in ("+", "-"):
        stripped = stripped[1:]
    if stripped[:2] in ("0x", "0X"):
        return float.fromhex(text)
    return _float(text, python)


def read_list(line: str, python: Version) -> List[float]:
    """The list a sum/fsum line stands for: [] for the empty line, else each
    ``line.split(" ")`` piece through read_literal, stopping at the first
    that raises."""
    if line == "":
        return []
    return [read_literal(piece, python) for piece in line.split(" ")]


def repr_answer(line: Optional[str], python: Version) -> str:
    """``repr(float(x))``: the same in every version from 3.6 (short repr
    since 3.1, underscores in float() since 3.6) but for float()'s error
    wording, which read_literal emulates."""
    assert line is not None
    return repr(read_literal(line, python))


def fsum_answer(line: Optional[str], python: Version) -> str:
    """``repr(math.fsum(xs))``: math_fsum's algorithm is the same from 3.6 to
    3.13, so the running interpreter answers for all of them."""
    assert line is not None
    return repr(math.fsum(read_list(line, python)))


def sum_answer(line: Optional[str], python: Version) -> str:
    """``repr(sum(xs))`` with the int start 0 (``sum([])`` is ``0``). Only the
    running interpreter's own sum() is used: from 3.6 to 3.11 it adds left to
    right in every version, so 3.11 answers for them; 3.12 compensates, so
    only a real 3.12 or later may answer for 3.12 and later
    (``sum_same_in_all_versions`` keeps the adapter from asking otherwise)."""
    assert line is not None
    running = tuple(sys.version_info[:2])
    assert (python >= _COMPENSATED_SUM) == (running >= _COMPENSATED_SUM)
    return repr(sum(read_list(line, python)))


def sum_same_in_all_versions(python: Version) -> bool:
    """Whether the running interpreter's sum() may answer for ``python``: when
    both are before 3.12, or both 3.12 or later."""
    running = tuple(sys.version_info[:2])
    return (python >= _COMPENSATED_SUM) == (running >= _COMPENSATED_SUM)
