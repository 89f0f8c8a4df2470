"""The notes, as notes.bzl at the workspace root states them once.

    from pynotes.notes import NOTES
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

NOTES_BZL = Path(__file__).resolve().parents[2] / "notes.bzl"


def read_notes(text: str) -> tuple[str, ...]:
    """The NOTES list of a notes.bzl text."""
    match = re.search(r"^NOTES = (\[.*?\])", text, re.M | re.S)
    if match is None:
        raise ValueError("notes.bzl has no 'NOTES = [...]'")
    return tuple(ast.literal_eval(match.group(1)))


NOTES = read_notes(NOTES_BZL.read_text())
