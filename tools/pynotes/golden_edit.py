"""Line-level edits of golden files, shared by the recorders (recorder.py,
record_servers.py, record_window.py): they rewrite outputs in place and keep
everything else — comments, order, layout — as written.

Files are read and written as UTF-8 with surrogateescape, so a byte that is
not UTF-8 survives a rewrite.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path


def chunks(text: str) -> list[list[str]]:
    """The file's lines in runs separated by blank lines (a block, or a run of comments)."""
    runs: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip(" \t") == "":
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(line)
    return [run for run in runs if run]


def key(line: str) -> str:
    """The key of a ``Key = value`` line (the whole line when it has no `` = ``)."""
    return line.split(" = ", 1)[0]


def set_header(chunk: list[str], oracle: str, recorded_by: str) -> list[str]:
    """The header block ``chunk`` with its Oracle and Recorded-By values replaced."""
    values = {"Oracle": oracle, "Recorded-By": recorded_by}
    return [f"{key(line)} = {values[key(line)]}" if key(line) in values else line
            for line in chunk]


def oracle(adapter: Path, note: str) -> str:
    """The adapter's Oracle line for ``note`` (``cpython oracle NOTE``)."""
    return subprocess.run([str(adapter), "oracle", note], capture_output=True, text=True,
                          check=True).stdout.strip()


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "surrogateescape")


def lines(text: str) -> list[str]:
    """``text``'s lines with their ends, split at ``\\n`` only, as the golden format does."""
    split = [line + "\n" for line in text.split("\n")]
    split[-1] = split[-1][:-1]
    return split if split[-1] else split[:-1]


def apply(path: Path, shown_as: Path, text: str, new_text: str, check: bool) -> bool:
    """Whether ``new_text`` differs from the file's ``text``. If it does: with ``check``
    prints a unified diff (names ``shown_as``), else replaces the file in one step."""
    if new_text == text:
        return False
    if check:
        sys.stdout.writelines(difflib.unified_diff(lines(text), lines(new_text),
                                                   f"a/{shown_as}", f"b/{shown_as}"))
    else:
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(new_text.encode("utf-8", "surrogateescape"))
        os.replace(temporary, path)
    return True
