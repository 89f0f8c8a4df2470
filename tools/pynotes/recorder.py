"""tools/record: fills golden files' Outputs from CPython, through the CPython adapter.

    tools/record [--update] [--check] [NOTE...]

For every golden/NOTE/*.txt (every note with golden files when none is named):
each case without an ``Output`` is sent to ``tools/adapters/cpython`` over the
adapter protocol (one adapter process per Python version of the file's cases,
all their inputs in one batch) and the answer is written as its ``Output``,
with an ``Output-Hex`` when the command answers floats (``repr``, ``sum``,
``fsum``) and the answer is one. In floats/float_info.txt, a case with
``Field = NAME`` records that field of the ``sys.float_info(...)`` line
(Output-Hex for the float fields).

- ``--update`` re-records every case, except those with a ``Source`` (values
  from the notes or from documentation, never overwritten).
- ``--check`` re-records as ``--update`` does but into memory: prints a unified
  diff of what would change and exits 1 if anything would, else 0. Writes
  nothing.

Cases with an ``Impl`` other than ``cpython`` are skipped. Files are edited
line by line: comments, order and layout stay; a new Output goes right after
the case's Input (or Input-Repeat, whichever comes later; after its last
attribute if it has neither), a new Output-Hex right after Output. When a
file's outputs change, its header's ``Oracle`` becomes what the adapter's
``oracle NOTE`` says and ``Recorded-By`` the command that re-records the file
(``tools/record hashes``). One summary line per file.

Exit status: 0; 1 for a malformed golden file (its ``PATH:LINE: message``),
an adapter failure, or changes under ``--check``; 2 for a bad command line.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

from pynotes import golden, golden_edit
from pynotes.float_info import parse_float_info

# Commands whose answer is a float's repr (or an exception line).
FLOAT_COMMANDS = frozenset({"repr", "sum", "fsum"})
# Commands that read no input and answer one line.
NO_INPUT_COMMANDS = frozenset({"float_info"})
# Commands whose lines are one session (state carries over): every case of a
# file is sent, in order, and only those to record are written.
SESSION_COMMANDS = frozenset({"sympy"})


class RecordError(Exception):
    """Recording cannot go on: the adapter failed or a case cannot be sent."""


class Answer(NamedTuple):
    """What a case's Output and Output-Hex should be."""

    output: str
    output_hex: str | None


class Result(NamedTuple):
    """A file after recording: its new text and how many cases changed."""

    text: str
    recorded: int
    unchanged: int


class Adapter:
    """Runs the CPython adapter; remembers each note's oracle line."""

    def __init__(self, executable: Path) -> None:
        self.executable = executable
        self._oracles: dict[tuple[str, str], str] = {}

    def ask(self, command: str, python: str, lines: list[bytes] | None) -> list[str]:
        """The adapter's answers to ``lines`` (None: a command that reads nothing,
        answered once), decoded as UTF-8 with surrogateescape."""
        stdin = b"" if lines is None else b"".join(line + b"\n" for line in lines)
        answers = self._run([command, f"--python={python}"], stdin)
        expected = 1 if lines is None else len(lines)
        if len(answers) != expected:
            raise RecordError(
                f"{self.executable} {command} --python={python} answered {len(answers)} lines"
                f" for {expected} cases"
            )
        return answers

    def oracle(self, note: str, python: str) -> str:
        """The Oracle line for ``note``'s outputs at version ``python``."""
        key = (note, python)
        if key not in self._oracles:
            (self._oracles[key],) = self._run(["oracle", note, f"--python={python}"], b"")
        return self._oracles[key]

    def _run(self, arguments: list[str], stdin: bytes) -> list[str]:
        process = subprocess.run(
            [str(self.executable), *arguments], input=stdin, capture_output=True, check=False
        )
        if process.returncode != 0:
            raise RecordError(
                f"{self.executable} {' '.join(arguments)} failed (exit status"
                f" {process.returncode}): {process.stderr.decode('utf-8', 'replace').strip()}"
            )
        text = process.stdout.decode("utf-8", "surrogateescape")
        if not text.endswith("\n"):
            raise RecordError(
                f"{self.executable} {' '.join(arguments)}: its output does not end in a newline"
            )
        return text[:-1].split("\n")


def _to_record(case: golden.Block, update: bool) -> bool:
    """Whether the recorder answers ``case``: never one with a Source or meant for
    another implementation; with ``update`` every other one, else those without Output."""
    if "Source" in case or case.get("Impl", "cpython") != "cpython":
        return False
    return update or "Output" not in case


def _line_to_send(command: str, case: golden.Block) -> bytes:
    """The input line of ``case`` for a command that reads one line per case."""
    line = golden.input_line(case)
    if line is None:
        raise case.error(f"{command} reads one line per case, but the case has no Input")
    if b"\n" in line:
        raise case.error("Input holds a newline, which cannot be sent as one line", "Input")
    return line


def _check_reads_nothing(command: str, case: golden.Block) -> None:
    """Fails ``case`` if it has an Input, for a command that reads nothing."""
    if "Input" in case:
        raise case.error(f"{command} reads no input, but the case has one", "Input")


def _answer(command: str, case: golden.Block, line: str) -> Answer:
    """The Output (and Output-Hex) the adapter's answer ``line`` means for ``case``."""
    if command == "float_info" and "Field" in case:
        field = case.get("Field")
        try:
            fields = parse_float_info(line)
        except ValueError as error:
            raise RecordError(f"{case.path}:{case.line}: {error}") from None
        if field not in fields:
            raise case.error(f"sys.float_info has no field '{field}'", "Field")
        return Answer(fields[field], golden.float_hex(fields[field]))
    if command in FLOAT_COMMANDS:
        return Answer(line, golden.float_hex(line))
    return Answer(line, None)


class _Edits:
    """Line-level changes to a file's text: replaced, deleted and inserted lines."""

    def __init__(self, text: str) -> None:
        self._lines = text.split("\n")
        self._replace: dict[int, list[str]] = {}
        self._insert_after: dict[int, list[str]] = defaultdict(list)

    def set(self, block: golden.Block, key: str, value: str, anchor: int) -> None:
        """Sets ``key`` in ``block``: replaces its line, or inserts one after line ``anchor``."""
        line = f"{key} = {golden.quote_value(value)}"
        if key in block:
            self._replace[block.line_of(key)] = [line]
        else:
            self._insert_after[anchor].append(line)

    def delete(self, block: golden.Block, key: str) -> None:
        """Deletes ``key``'s line from ``block`` if it has one."""
        if key in block:
            self._replace[block.line_of(key)] = []

    def text(self) -> str:
        lines: list[str] = []
        for number, line in enumerate(self._lines, start=1):
            lines.extend(self._replace.get(number, [line]))
            lines.extend(self._insert_after.get(number, []))
        return "\n".join(lines)


def _write_answer(edits: _Edits, case: golden.Block, answer: Answer) -> bool:
    """Puts ``answer`` into ``case``; whether that changes anything."""
    old_output = case.attribute("Output").value if "Output" in case else None
    old_hex = case.attribute("Output-Hex").value if "Output-Hex" in case else None
    # parse() checked that an Output-Hex denotes its Output's float, however written.
    if old_output == answer.output and (old_hex is None) == (answer.output_hex is None):
        return False
    input_keys = [key for key in ("Input", "Input-Repeat") if key in case] or case.keys()
    anchor = max(case.line_of(key) for key in input_keys)
    if old_output != answer.output:
        edits.set(case, "Output", answer.output, anchor)
    if answer.output_hex is None:
        edits.delete(case, "Output-Hex")
    elif old_hex is None or old_output != answer.output:
        # A new Output-Hex follows Output, whether Output is new or not.
        hex_anchor = case.line_of("Output") if old_output is not None else anchor
        edits.set(case, "Output-Hex", answer.output_hex, hex_anchor)
    return True


def record_file(
    golden_file: golden.GoldenFile, text: str, note: str, adapter: Adapter, update: bool
) -> Result:
    """Records the Outputs of ``golden_file`` (whose text is ``text``), as the module says."""
    header = golden_file.header
    command = header.get("Command") or ""
    groups: dict[str, list[golden.Block]] = defaultdict(list)
    session = command in SESSION_COMMANDS
    for case in golden_file.cases:
        if session or _to_record(case, update):
            groups[golden.python_version(golden_file, case)].append(case)

    edits = _Edits(text)
    recorded = 0
    for python, cases in groups.items():
        if command in NO_INPUT_COMMANDS:
            for case in cases:
                _check_reads_nothing(command, case)
            answers = adapter.ask(command, python, None) * len(cases)
        else:
            answers = adapter.ask(command, python, [_line_to_send(command, c) for c in cases])
        for case, line in zip(cases, answers):
            if not session or _to_record(case, update):
                recorded += _write_answer(edits, case, _answer(command, case, line))

    if recorded:
        header_python = header.get("Python") or ""
        for key, value in [
            ("Oracle", adapter.oracle(note, header_python)),
            ("Recorded-By", f"tools/record {'--update ' if update else ''}{note}"),
        ]:
            if header.attribute(key).value != value:
                edits.set(header, key, value, header.line)
    return Result(edits.text(), recorded, len(golden_file.cases) - recorded)


def _golden_paths(root: Path, notes: list[str]) -> list[Path]:
    """golden/NOTE/*.txt of each note (of every note with such files if none is
    named), relative to ``root``; ValueError for a note without golden files."""
    golden_dir = root / "golden"
    if not notes:
        notes = sorted(path.name for path in golden_dir.iterdir() if any(path.glob("*.txt")))
    paths = []
    for note in notes:
        files = sorted((golden_dir / note).glob("*.txt"))
        if not files:
            raise ValueError(f"no golden files for note '{note}' (golden/{note}/*.txt)")
        paths.extend(path.relative_to(root) for path in files)
    return paths


def main(argv: list[str], root: Path) -> int:
    """Runs ``tools/record argv`` on the repository at ``root``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="tools/record", description="Fill golden files' Outputs from CPython."
    )
    parser.add_argument("--update", action="store_true", help="re-record every case without Source")
    parser.add_argument(
        "--check", action="store_true", help="re-record in memory; print a diff; exit 1 on changes"
    )
    parser.add_argument("notes", nargs="*", metavar="NOTE")
    options = parser.parse_args(argv)
    update = options.update or options.check
    # The window note records event transcripts and a frame from pyglet
    # programs under Xvfb: tools/pynotes/record_window.py.
    window_status = 0
    if "window" in options.notes or (not options.notes and _has_goldens(root, "window")):
        from pynotes import record_window

        window_status = record_window.main(root, options.update, options.check)
        notes = [note for note in options.notes if note != "window"]
        if not notes and options.notes:
            return window_status
        options.notes = notes or [p.name for p in sorted((root / "golden").iterdir())
                                  if p.name != "window" and _has_goldens(root, p.name)]
    # The servers note records conversations with servers, not answer lines:
    # tools/pynotes/record_servers.py.
    servers_status = 0
    if "servers" in options.notes or (not options.notes and _has_goldens(root, "servers")):
        from pynotes import record_servers

        servers_status = record_servers.main(root, options.update, options.check)
        notes = [note for note in options.notes if note != "servers"]
        if not notes and options.notes:
            return servers_status
        options.notes = notes or [p.name for p in sorted((root / "golden").iterdir())
                                  if p.name != "servers" and _has_goldens(root, p.name)]
    # The import note's IPython sessions are transcripts of stdin and stdout,
    # recorded with its line cases: tools/pynotes/record_ipython.py.
    ipython_status = 0
    if "import" in options.notes or not options.notes:
        from pynotes import record_ipython

        ipython_status = record_ipython.main(root, options.update, options.check)
    try:
        paths = _golden_paths(root, options.notes)
    except ValueError as error:
        parser.error(str(error))

    adapter = Adapter(root / "tools" / "adapters" / "cpython")
    changed = False
    try:
        parsed = []
        for path in paths:
            text = golden_edit.read(root / path)
            parsed.append((path, text, golden.parse(path, text)))
        for path, text, golden_file in parsed:
            result = record_file(golden_file, text, path.parent.name, adapter, update)
            verb = "would be recorded" if options.check else "recorded"
            changed |= golden_edit.apply(root / path, path, text, result.text, options.check)
            print(f"{path}: {result.recorded} {verb}, {result.unchanged} unchanged", flush=True)
    except (golden.GoldenError, RecordError) as error:
        print(error, file=sys.stderr)
        return 1
    return 1 if options.check and changed else servers_status or window_status or ipython_status


def _has_goldens(root: Path, note: str) -> bool:
    return any((root / "golden" / note).glob("*.txt"))
