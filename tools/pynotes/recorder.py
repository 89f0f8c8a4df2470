"""tools/record: fills golden files' Outputs from every real CPython, through the CPython adapter.

    tools/record [--update] [--check] [--python X.Y|PATH|pyodide]... [NOTE...]

The interpreters: one per minor version 3.6 to 3.13, found as tools/conform
--python finds them (tools/pynotes/cpythons.py: pythonX.Y on PATH, /usr/bin,
the newest ~/.pyenv/versions/X.Y.*), and for the sizes (SIZE_COMMANDS)
Pyodide, CPython 3.14 on 32-bit WebAssembly, when it is installed
(tools/pynotes/pyodide.py); or those --python names. So one patch release
answers for each minor version and pointer size, and the files' Oracle says
which. An interpreter that cannot answer a note (``cpython oracle NOTE``
fails: a library it lacks) is not asked that note's cases. Each runs the
CPython adapter's code itself (``tools/adapters/cpython``; Pyodide's
``tools/adapters/pyodide``), which answers as that interpreter only.

For every golden/NOTE/*.txt (every note with golden files when none is named),
each case without an ``Output`` (with ``--update``: every case) is sent to
every interpreter, all of a file's inputs in one batch per interpreter, and
written **once per range of versions that answer it alike**: a case whose
answer changed between versions becomes consecutive blocks with disjoint
``Python`` ranges (``-3.7``, ``3.8-3.11``, ``3.12-``), each with the same other
keys; the block whose range holds 3.11 keeps the case's Name, the others get
``_py3N`` after it (N their lowest minor version). Sizes are written per
pointer size (Pyodide's 4-byte blocks after the 64-bit ones); other answers
hold for every pointer size, one block while the 32-bit 3.14 answers as the
64-bit 3.13 did (``_merge`` has the rules, and those of the ranges open at
the top). What a file says for a version no interpreter was asked of stays:
re-recording with fewer interpreters never drops what others recorded. The header's ``Python`` becomes
the range most blocks hold for, and a block says its own only when it differs.

Outputs get an ``Output-Hex`` when the command answers floats (``repr``,
``sum``, ``fsum``) and the answer is one. In floats/float_info.txt, a case with
``Field = NAME`` records that field of the ``sys.float_info(...)`` line. The
recorder marks implementation details itself: a ``getsizeof`` size (a plain
integer answer) is ``Impl = cpython`` with the answering interpreter's
``Pointer-Size``; a case any version of which answers with one of CPython's
parser or compiler limits or a C extension's loading error (CPYTHON_LIMITS) is
``Impl = cpython`` in all its blocks; an ``Impl = cpython`` written by hand is
kept.

- ``--update`` re-records every case, except those with a ``Source`` (values
  from the notes or from documentation, never overwritten).
- ``--check`` re-records as ``--update`` does but into memory: prints a unified
  diff of what would change and exits 1 if anything would, else 0. Writes
  nothing.

Cases with a Source or an ``Impl`` other than ``cpython`` are left as they are.
A session file (sympy: one interpreter session per file) is sent whole to the
interpreter of its cases' version and only Outputs change. Files are edited
line by line: comments, order and layout stay; a new Output goes right after
the case's Input (or Input-Repeat, whichever comes later; after its last
attribute if it has neither), Output-Hex right after Output, and Python, Impl
and Pointer-Size last. When a file's outputs change, its header's ``Oracle``
lists each version's interpreter (``CPython 3.12.1 (PATH)`` and the note's
libraries, ``; ``-separated) and ``Recorded-By`` the command that re-records
the file (``tools/record --update hashes``). One summary line per file.

Exit status: 0; 1 for a malformed golden file (its ``PATH:LINE: message``),
an adapter failure, or changes under ``--check``; 2 for a bad command line.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple, Optional

from pynotes import cpythons, golden, golden_edit, pyodide
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
    """The CPython adapter's code run by one real CPython, which answers as
    itself: a native interpreter running tools/adapters/cpython (``script``),
    or Pyodide's tools/adapters/pyodide (``script`` None: the interpreter's
    path is the adapter), which is asked for sizes only (``sizes_only``)."""

    def __init__(self, script: Path | None,
                 interpreter: cpythons.Interpreter | pyodide.Pyodide) -> None:
        self.script = script
        self.interpreter = interpreter
        self.sizes_only = script is None
        self._oracles: dict[str, str | None] = {}

    @property
    def minor(self) -> int:
        return self.interpreter.minor

    @property
    def pointer_size(self) -> int:
        return self.interpreter.pointer_size

    def label(self) -> str:
        """How a summary line names it: ``3.12.1``, ``Pyodide 314.0.8 (3.14.2)``."""
        if isinstance(self.interpreter, pyodide.Pyodide):
            return self.interpreter.label()
        return self.interpreter.release

    def serves(self, command: str) -> bool:
        """Whether it is asked ``command``'s cases: Pyodide only sizes, the
        32-bit truths no other interpreter here has; its other answers are its
        3.14's, which the goldens check it on (tools/known-failures/pyodide.txt)
        rather than take from one WebAssembly build."""
        return not self.sizes_only or command in SIZE_COMMANDS

    def ask(self, command: str, lines: list[bytes] | None) -> list[str]:
        """The adapter's answers to ``lines`` (None: a command that reads nothing,
        answered once), decoded as UTF-8 with surrogateescape."""
        stdin = b"" if lines is None else b"".join(line + b"\n" for line in lines)
        answers = self._run([command, f"--python={self.interpreter.version}"], stdin)
        expected = 1 if lines is None else len(lines)
        if len(answers) != expected:
            raise RecordError(
                f"{self._name()} {command} answered {len(answers)} lines for {expected} cases"
            )
        return answers

    def oracle(self, note: str) -> str | None:
        """What answers ``note`` here: ``CPython 3.12.1 (PATH)`` (or Pyodide's
        describe()) and the note's libraries (``hashlib (OpenSSL 3.0.19)``);
        None when this interpreter cannot answer the note (a library it lacks:
        only /usr/bin/python3 has sympy, SQLAlchemy, gevent, ...)."""
        if note not in self._oracles:
            try:
                (line,) = self._run(["oracle", note, f"--python={self.interpreter.version}"], b"")
            except RecordError:
                self._oracles[note] = None
            else:
                libraries = line.split(" ", 2)[2:]  # after "CPython X.Y.Z"
                self._oracles[note] = " ".join([self.interpreter.describe(), *libraries])
        return self._oracles[note]

    def _command(self) -> list[str]:
        command = [str(self.interpreter.path)]
        return command if self.script is None else [*command, str(self.script)]

    def _name(self) -> str:
        return " ".join(self._command())

    def _run(self, arguments: list[str], stdin: bytes) -> list[str]:
        process = subprocess.run(
            [*self._command(), *arguments], input=stdin, capture_output=True, check=False
        )
        if process.returncode != 0:
            raise RecordError(
                f"{self._name()} {' '.join(arguments)} failed (exit status"
                f" {process.returncode}): {process.stderr.decode('utf-8', 'replace').strip()}"
            )
        text = process.stdout.decode("utf-8", "surrogateescape")
        if not text.endswith("\n"):
            raise RecordError(f"{self._name()} {' '.join(arguments)}: its output does not end in a"
                              " newline")
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
        self.lines = text.split("\n")
        self._replace: dict[int, list[str]] = {}
        self._insert_after: dict[int, list[str]] = defaultdict(list)

    def set(self, block: golden.Block, key: str, value: str, anchor: int) -> None:
        """Sets ``key`` in ``block``: replaces its line, or inserts one after line ``anchor``."""
        line = f"{key} = {golden.quote_value(value)}"
        if key in block:
            self._replace[block.line_of(key)] = [line]
        else:
            self._insert_after[anchor].append(line)

    def replace(self, number: int, lines: list[str]) -> None:
        """Replaces line ``number`` (1-based) by ``lines`` (none: deletes it)."""
        self._replace[number] = lines

    def text(self) -> str:
        lines: list[str] = []
        for number, line in enumerate(self.lines, start=1):
            lines.extend(self._replace.get(number, [line]))
            lines.extend(self._insert_after.get(number, []))
        return "\n".join(lines)


# Answers that are limits of CPython's parser and compiler or its C-extension
# loading, not of the language: a case that gets one in any version is
# ``Impl = cpython`` in all of its blocks.
CPYTHON_LIMITS = re.compile(
    r"SyntaxError: too many nested parentheses"
    r"|MemoryError"
    r"|RecursionError: maximum recursion depth exceeded during compilation"
    r"|s_push: parser stack overflow"
    r"|too many statically nested blocks"
    r"|Exceeds the limit \(4300"  # int/str conversion digits (sys.set_int_max_str_digits)
    r"|\(PyInit_[A-Za-z0-9_]+\)"
)
# Commands whose plain-integer answers are object sizes: such a block is
# ``Impl = cpython`` (a layout of CPython's) with the answering interpreter's
# ``Pointer-Size``. Their exception lines (syntax errors, NameErrors raised
# before any size is taken) are the language's and carry neither.
SIZE_COMMANDS = frozenset({"getsizeof"})
_SIZE = re.compile(r"[0-9]+\Z")
# The suffix tools/record gives the Name of a case's blocks for other versions
# than the one keeping the case's own Name (``name_py36``).
_VERSION_SUFFIX = re.compile(r"_py3[0-9]+\Z")
# Keys tools/record writes; a case's other keys are copied to every block of it.
_RECORDED_KEYS = ("Output", "Output-Hex", "Python", "Impl", "Pointer-Size")


class _Known(NamedTuple):
    """What one version answers a case: the Output, and the block it is
    already written in (None: a new answer)."""

    answer: Answer
    block: golden.Block | None


# Where an answer is written: for a pointer size ("4", "8": a size, written
# with that Pointer-Size), or None, for every pointer size (any other answer:
# the language's, like an exception line). A case's answers are kept per
# (lane, minor version).
Lane = Optional[str]
# The order of a case's blocks that start at the same version.
_LANE_ORDER = {None: 0, "8": 1, "4": 2}


def _identity(case: golden.Block) -> tuple:
    """What makes blocks one case: the same line sent (and float_info field asked)."""
    return (case.get("Input"), case.get("Input-Repeat"), case.get("Field"))


def _families(golden_file: golden.GoldenFile) -> list[list[golden.Block]]:
    """The recordable cases of the file: runs of consecutive blocks with the
    same identity (one case's blocks for several version ranges), neither with
    a Source nor meant for another implementation."""
    families: list[list[golden.Block]] = []
    previous = None
    for case in golden_file.cases:
        if "Source" in case or case.get("Impl", "cpython") != "cpython":
            previous = None
            continue
        identity = _identity(case)
        if previous is not None and identity == previous:
            families[-1].append(case)
        else:
            families.append([case])
        previous = identity
    return families


def range_text(lowest: int, highest: int) -> str:
    """The Python value for minor versions lowest..highest (highest
    golden.NEWEST_MINOR or above: open at the top): ``3.11``, ``3.8-3.11``,
    ``3.12-``, ``-3.7``."""
    if highest >= golden.NEWEST_MINOR:
        return f"3.{lowest}-"
    if lowest == highest:
        return f"3.{lowest}"
    if lowest <= golden.OLDEST_MINOR:
        return f"-3.{highest}"
    return f"3.{lowest}-3.{highest}"


def _send_minor(lowest: int, highest: int) -> int:
    """The version the harness sends a case of these versions with, undeclared:
    3.11 if it holds, else the end nearest 3.11."""
    return 11 if lowest <= 11 <= highest else highest if highest < 11 else lowest


def _known_answers(
    golden_file: golden.GoldenFile, family: list[golden.Block], sized: bool
) -> dict[tuple[Lane, int], _Known]:
    """What the family's blocks already say, per lane and minor version
    (``sized``: a size command, whose blocks' Pointer-Size is their lane). A
    range open at the top says it up to golden.NEWEST_MINOR."""
    known: dict[tuple[Lane, int], _Known] = {}
    for block in family:
        if "Output" not in block:
            continue
        lowest, highest = golden.python_range(golden_file, block)
        output = block.attribute("Output").value
        output_hex = block.attribute("Output-Hex").value if "Output-Hex" in block else None
        lane = block.get("Pointer-Size", golden_file.header.get("Pointer-Size")) if sized else None
        for minor in range(lowest, min(highest, golden.NEWEST_MINOR) + 1):
            known.setdefault((lane, minor), _Known(Answer(output, output_hex), block))
    return known


def _is_size(command: str, block: golden.Block) -> bool:
    """Whether the block's Output is a size (a plain integer answer of a size command)."""
    return (command in SIZE_COMMANDS and "Output" in block
            and _SIZE.match(block.attribute("Output").value) is not None)


def _lane(command: str, pointer_size: int, answer: Answer) -> Lane:
    """The lane of an answer of an interpreter with pointers of ``pointer_size`` bytes."""
    if command in SIZE_COMMANDS and _SIZE.match(answer.output) is not None:
        return str(pointer_size)
    return None


def _merge(known: dict[tuple[Lane, int], _Known], command: str,
           answers: list[tuple[int, int, Answer]]) -> None:
    """Puts the answers asked now, (minor, pointer size, answer) each, into
    ``known``, what the file says; then claims the later versions.

    An answer of version M on pointers of P bytes replaces what the file said
    of M for P: its lane P and the shared lane (a shared answer is one claim
    for every pointer size), and keeps its block when it is the same answer.
    The newest answer of each pointer size, if it is of the newest native
    CPython the recorder asks (cpythons.NEWEST_MINOR) or later, is then
    claimed for the later versions (to golden.NEWEST_MINOR, so its range is
    written open at the top, as before 3.14 was named) where nothing is
    known for that pointer size: not where the file or another interpreter
    says what they answer (Pyodide's 3.14 error lines beyond the 64-bit
    CPythons' 3.13), and not in the shared lane where another pointer size
    has its own answer (a size). What the file says for versions no
    interpreter was asked of stays, as what was recorded or claimed before
    (so a 3.13 that changes its answer leaves the 3.14 claim of the old one
    on 8-byte pointers: review it in the diff)."""
    newest: dict[int, int] = {}
    for minor, pointer_size, answer in answers:
        size = str(pointer_size)
        own, shared = known.pop((size, minor), None), known.pop((None, minor), None)
        before = own or shared
        same = before is not None and before.answer.output == answer.output
        known[(_lane(command, pointer_size, answer), minor)] = _Known(
            answer, before.block if same else None)
        newest[pointer_size] = max(minor, newest.get(pointer_size, minor))
    for pointer_size, top in newest.items():
        if top < cpythons.NEWEST_MINOR:
            continue  # a version the recorder has a newer interpreter of: no claim
        size = str(pointer_size)
        lane: Lane = size if (size, top) in known else None
        claim = known[(lane, top)]
        for minor in range(top + 1, golden.NEWEST_MINOR + 1):
            if (size, minor) in known or (None, minor) in known:
                continue
            if lane is None and any(m == minor for _, m in known):
                continue
            known[(lane, minor)] = claim


def _runs(known: dict[tuple[Lane, int], _Known]) -> list[tuple[int, int, _Known, Lane]]:
    """Maximal runs of consecutive versions with the same answer in one lane,
    in the order the blocks are written: by their lowest version, shared
    lane first, then 8-byte and 4-byte pointers."""
    runs: list[tuple[int, int, _Known, Lane]] = []
    for lane, minor in sorted(known, key=lambda key: (_LANE_ORDER.get(key[0], 3), key[1])):
        entry = known[(lane, minor)]
        if runs:
            lowest, highest, first, run_lane = runs[-1]
            if (run_lane == lane and highest == minor - 1
                    and first.answer.output == entry.answer.output):
                runs[-1] = (lowest, minor, first, lane)
                continue
        runs.append((minor, minor, entry, lane))
    return sorted(runs, key=lambda run: (run[0], _LANE_ORDER.get(run[3], 3)))


class _NewBlock(NamedTuple):
    lowest: int
    highest: int
    known: _Known
    impl: str | None
    pointer_size: str | None
    name: str | None


def _new_blocks(command: str, family: list[golden.Block],
                runs: list[tuple[int, int, _Known, Lane]], names: set[str]) -> list[_NewBlock]:
    """The blocks a family is written as, one per run, with their Impl,
    Pointer-Size (the run's lane) and Name (``names``: the file's other
    names, updated). The Name stays on the block that holds for an undeclared
    run, 3.11 on 8-byte pointers (else on the last that holds for 8-byte
    pointers); the others get ``_py3N``, N their lowest minor version."""
    limit = any(CPYTHON_LIMITS.search(entry.answer.output) for _, _, entry, _ in runs)
    # An Impl written by hand is kept; a size's is the rule's own, and is not.
    family_impl = next((b.get("Impl") for b in family if "Impl" in b and not _is_size(command, b)),
                       None)
    base = next((b.get("Name") for b in family if "Name" in b), None)
    if base is not None:
        base = _VERSION_SUFFIX.sub("", base)
        names.difference_update(b.get("Name") for b in family if "Name" in b)
    default_lanes = (None, "8")
    keeper = next((i for i, (lo, hi, _, lane) in enumerate(runs)
                   if lo <= 11 <= hi and lane in default_lanes),
                  max((i for i, run in enumerate(runs) if run[3] in default_lanes),
                      default=len(runs) - 1))
    blocks = []
    for index, (lowest, highest, entry, lane) in enumerate(runs):
        size = command in SIZE_COMMANDS and _SIZE.match(entry.answer.output) is not None
        impl = "cpython" if limit or size else family_impl
        name = None
        if base is not None:
            name = base if index == keeper else f"{base}_py3{lowest}"
            while name in names:
                name += "_"
            names.add(name)
        blocks.append(_NewBlock(lowest, highest, entry, impl, lane, name))
    return blocks


def _render(edits: _Edits, template: golden.Block, new: _NewBlock, default: str) -> list[str]:
    """The lines of one new block: the template's other keys as written, the
    recorded ones (Output after Input/Input-Repeat, then Output-Hex) set."""
    answer = new.known.answer
    output_hex = answer.output_hex
    if output_hex is not None and new.known.block is not None and "Output-Hex" in new.known.block:
        output_hex = new.known.block.attribute("Output-Hex").value  # as it was written
    recorded = {
        "Output": answer.output,
        "Output-Hex": output_hex,
        "Python": None if range_text(new.lowest, new.highest) == default
        else range_text(new.lowest, new.highest),
        "Impl": new.impl,
        "Pointer-Size": new.pointer_size,
    }
    keys = template.keys()
    anchors = [key for key in ("Input", "Input-Repeat") if key in template] or keys[-1:]
    lines: list[str] = []
    for key in keys:
        if key == "Name" and new.name is not None:
            lines.append(f"Name = {new.name}")
        elif key not in _RECORDED_KEYS:
            lines.append(edits.lines[template.line_of(key) - 1])
        if key == anchors[-1]:
            lines.extend(f"{k} = {golden.quote_value(recorded[k])}"
                         for k in ("Output", "Output-Hex") if recorded[k] is not None)
    lines.extend(f"{k} = {golden.quote_value(recorded[k])}"
                 for k in ("Python", "Impl", "Pointer-Size") if recorded[k] is not None)
    return lines


def _oracle(header: golden.Block, asked: list[Adapter], note: str) -> str:
    """The Oracle line: one entry per minor version and pointer size, the
    interpreters asked now and, for those none was asked of, the earlier
    entries. An entry is of the CPython version it names (``CPython 3.12.1
    (PATH)``, ``Pyodide 314.0.8 (CPython 3.14.2, 32-bit ...)``) and of 4-byte
    pointers when it says ``32-bit``, else of 8-byte ones."""
    entries: dict[tuple[int, int], str] = {}
    for entry in header.attribute("Oracle").value.split("; "):
        match = re.search(r"CPython 3\.([0-9]+)\.", entry)
        if match:
            entries[(int(match.group(1)), 4 if "32-bit" in entry else 8)] = entry
    for adapter in asked:
        entries[(adapter.minor, adapter.pointer_size)] = adapter.oracle(note) or ""
    # By version, then 8-byte pointers before 4-byte, as the blocks are written.
    return "; ".join(entries[key] for key in sorted(entries, key=lambda k: (k[0], -k[1])))


def _record_session(golden_file: golden.GoldenFile, edits: _Edits, command: str,
                    adapters: list[Adapter], update: bool) -> tuple[int, list[Adapter]]:
    """A session file (sympy): every case, in order, to one adapter per version
    of the file's cases; the Outputs of those to record are written."""
    by_minor = {adapter.minor: adapter for adapter in adapters}
    groups: dict[int, list[golden.Block]] = defaultdict(list)
    for case in golden_file.cases:
        groups[_send_minor(*golden.python_range(golden_file, case))].append(case)
    recorded = 0
    asked = []
    for minor, cases in groups.items():
        if minor not in by_minor:
            continue
        asked.append(by_minor[minor])
        answers = by_minor[minor].ask(command, [_line_to_send(command, c) for c in cases])
        for case, line in zip(cases, answers):
            if _to_record(case, update):
                recorded += _write_answer(edits, case, _answer(command, case, line))
    return recorded, asked


def _write_answer(edits: _Edits, case: golden.Block, answer: Answer) -> bool:
    """Puts ``answer`` into ``case`` (a session file's); whether that changes anything."""
    old_output = case.attribute("Output").value if "Output" in case else None
    old_hex = case.attribute("Output-Hex").value if "Output-Hex" in case else None
    if old_output == answer.output and (old_hex is None) == (answer.output_hex is None):
        return False
    input_keys = [key for key in ("Input", "Input-Repeat") if key in case] or case.keys()
    anchor = max(case.line_of(key) for key in input_keys)
    if old_output != answer.output:
        edits.set(case, "Output", answer.output, anchor)
    if answer.output_hex is None:
        if "Output-Hex" in case:
            edits.replace(case.line_of("Output-Hex"), [])
    elif old_hex is None or old_output != answer.output:
        hex_anchor = case.line_of("Output") if old_output is not None else anchor
        edits.set(case, "Output-Hex", answer.output_hex, hex_anchor)
    return True


def _ask_all(golden_file: golden.GoldenFile, command: str, families: list[list[golden.Block]],
             adapters: list[Adapter]) -> dict[int, list[tuple[int, int, Answer]]]:
    """Every adapter's answer to each family (by index), with the adapter's
    minor version and pointer size."""
    asked: dict[int, list[tuple[int, int, Answer]]] = defaultdict(list)
    if not families:
        return asked
    for adapter in adapters:
        if command in NO_INPUT_COMMANDS:
            for family in families:
                _check_reads_nothing(command, family[0])
            lines = adapter.ask(command, None) * len(families)
        else:
            lines = adapter.ask(command, [_line_to_send(command, f[0]) for f in families])
        for index, (family, line) in enumerate(zip(families, lines)):
            asked[index].append((adapter.minor, adapter.pointer_size,
                                 _answer(command, family[0], line)))
    return asked


def record_file(golden_file: golden.GoldenFile, text: str, note: str, adapters: list[Adapter],
                update: bool) -> Result:
    """Records the Outputs of ``golden_file`` (whose text is ``text``): every
    case (with ``update``; else those lacking an Output) is asked of every
    adapter, and written once per range of versions that answer it alike;
    what the file says for versions no adapter was asked of stays."""
    header = golden_file.header
    command = header.get("Command") or ""
    edits = _Edits(text)
    if command in SESSION_COMMANDS:
        recorded, asked_adapters = _record_session(golden_file, edits, command, adapters, update)
        return _finish(golden_file, edits, note, asked_adapters, update, recorded, None)

    families = [f for f in _families(golden_file) if update or any("Output" not in b for b in f)]
    asked = _ask_all(golden_file, command, families, adapters)
    plans = []
    for index, family in enumerate(families):
        known = _known_answers(golden_file, family, command in SIZE_COMMANDS)
        _merge(known, command, asked[index])
        plans.append((family, _runs(known)))

    # The header's range is the one most of the file's blocks hold for.
    old_default = header.get("Python") or ""
    ranges: dict[str, int] = defaultdict(int)
    planned = {id(block) for family, _ in plans for block in family}
    for family, runs in plans:
        for lowest, highest, _, _ in runs:
            ranges[range_text(lowest, highest)] += 1
    for case in golden_file.cases:
        if id(case) not in planned:
            ranges[case.get("Python", old_default) or old_default] += 1
    default = max(ranges, key=lambda text: ranges[text]) if ranges else old_default

    names = {case.get("Name") for case in golden_file.cases if "Name" in case}
    recorded = 0
    for family, runs in plans:
        blocks = _new_blocks(command, family, runs, names)
        lines: list[str] = []
        for new in blocks:
            if lines:
                lines.append("")
            lines.extend(_render(edits, family[0], new, default))
        old = [edits.lines[block.line_of(key) - 1] for block in family for key in block.keys()]
        same_text = [line for line in lines if line] == old and len(blocks) == len(family)
        if same_text and default == old_default:  # else a block without Python moved
            continue
        recorded += 1
        # The new blocks stand where the first one did; comments stay.
        for index, block in enumerate(family):
            for key in block.keys():
                number = block.line_of(key)
                edits.replace(number, lines if index == 0 and number == block.line else [])
            if index > 0 and not edits.lines[block.line - 2].strip(" \t"):
                edits.replace(block.line - 1, [])  # the blank line before it
    # Re-asked whole (--update), the file's answers are those adapters' even
    # where nothing changed: the Oracle says so.
    refreshed = update and bool(families) and bool(adapters)
    return _finish(golden_file, edits, note, adapters, update, recorded,
                   (old_default, default, planned), refreshed)


def _finish(golden_file: golden.GoldenFile, edits: _Edits, note: str, asked: list[Adapter],
            update: bool, recorded: int, defaults: tuple[str, str, set[int]] | None,
            refreshed: bool = False) -> Result:
    """Sets the header after ``recorded`` cases changed (or, ``refreshed``,
    every case was asked again): Oracle, Recorded-By and (``defaults``: the
    old and new default range, the blocks rewritten) its Python, giving the
    blocks left as they were the old default."""
    header = golden_file.header
    if recorded and defaults is not None:
        old_default, default, rewritten = defaults
        if default != old_default:
            edits.set(header, "Python", default, header.line)
            for case in golden_file.cases:
                if id(case) not in rewritten and "Python" not in case:
                    last = max(case.line_of(key) for key in case.keys())
                    edits.set(case, "Python", old_default, last)
    values = [("Oracle", _oracle(header, asked, note))] if recorded or refreshed else []
    if recorded:
        values.append(("Recorded-By", f"tools/record {'--update ' if update else ''}{note}"))
    for key, value in values:
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
    parser.add_argument(
        "--python", action="append", default=[], metavar="X.Y|PATH",
        help="ask only this CPython (repeatable; 'pyodide': the installed Pyodide); default:"
             " every CPython 3.6 to 3.13 found, one per minor version as tools/conform --python"
             " finds it, and Pyodide (CPython 3.14, 32-bit) for sizes when it is installed",
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

    changed = False
    try:
        parsed = []
        for path in paths:
            text = golden_edit.read(root / path)
            parsed.append((path, text, golden.parse(path, text)))
        sizes = any(golden_file.header.get("Command") in SIZE_COMMANDS
                    for _, _, golden_file in parsed)
        adapters = _adapters(root, options.python, sizes, parser)
        for path, text, golden_file in parsed:
            note = path.parent.name
            command = golden_file.header.get("Command") or ""
            serving = [adapter for adapter in adapters
                       if adapter.serves(command) and adapter.oracle(note) is not None]
            result = record_file(golden_file, text, note, serving, update)
            verb = "would be recorded" if options.check else "recorded"
            changed |= golden_edit.apply(root / path, path, text, result.text, options.check)
            asked = ", ".join(adapter.label() for adapter in serving) or "none"
            print(f"{path}: {result.recorded} {verb}, {result.unchanged} unchanged"
                  f" (CPython {asked})", flush=True)
    except (golden.GoldenError, RecordError) as error:
        print(error, file=sys.stderr)
        return 1
    return 1 if options.check and changed else servers_status or window_status or ipython_status


def _adapters(root: Path, pythons: list[str], sizes: bool,
              parser: argparse.ArgumentParser) -> list[Adapter]:
    """The interpreters to ask: those ``--python`` names (``pyodide``: the
    installed Pyodide), else every CPython 3.6-3.13 found and, when there are
    sizes to record (``sizes``), Pyodide if it is installed (ci/install
    installs it; looking it up starts it, which takes seconds)."""
    script = root / "tools" / "adapters" / "cpython"
    if not pythons:
        adapters = [Adapter(script, interpreter) for interpreter in cpythons.find_all()]
    else:
        adapters = []
        for python in pythons:
            if python != "pyodide":
                path, _ = cpythons.find_cpython(python)
                interpreter = cpythons.ask(path)
                assert interpreter is not None  # find_cpython asked it already
                adapters.append(Adapter(script, interpreter))
    if (sizes and not pythons) or "pyodide" in pythons:
        found_pyodide = pyodide.find(root)
        if found_pyodide is not None:
            adapters.append(Adapter(None, found_pyodide))
        elif pythons:
            parser.error("--python pyodide: Pyodide is not installed or does not answer"
                         " (ci/install installs it)")
    return adapters


def _has_goldens(root: Path, note: str) -> bool:
    return any((root / "golden" / note).glob("*.txt"))
