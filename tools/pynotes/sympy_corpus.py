"""A corpus of real sympy usage, replayed: the ``>>>`` examples of sympy's own
docstrings for the names the note's subset covers, each line's answer
recorded from the real sympy, and an implementation's answers compared with
them.

    tools/sympy_corpus [--impl CMD] [--verbose]    replay (default: pyref)
    tools/sympy_corpus --record                     re-record from the real sympy

The corpus is ``tools/corpus/sympy_docstrings.txt``, in the golden-file format
(golden/README.md): one ``globals().clear()`` and ``from sympy import *`` open
each docstring's session (a comment names the docstring), then its one-line
examples in order. Multi-line examples (``...`` continuations) and those with
doctest directives are left out; each session's first case has the
docstring's name as its ``Name`` (``Basic_subs`` for ``Basic.subs``); so is every line whose answer differs between
two recordings under different hash seeds (set orders, addresses).

Replaying sends each docstring's lines to ``IMPL sympy`` as one session and
sorts every example line into one of:

- right: the recorded answer;
- refused: ``NotImplementedError``, the subset's honest refusal;
- unchecked: another answer after an earlier line of the same session was
  refused or wrong, so that the implementation's state may rightly differ
  from sympy's (``from sympy.abc import x`` refused, then ``x + 1`` is a
  NameError) -- except a SyntaxError, which no state explains;
- wrong: another answer with no refusal before it in its session, the one
  thing a reference implementation must never give.

Prints the wrong lines, ready to paste as golden cases, and a summary with the
share answered right. Exit status 1 when a line is wrong, else 0; 2 for a bad
command line or a corpus that does not read. Runs on /usr/bin/python3; only
``--record`` needs sympy.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from pynotes import golden
from pynotes.sympy_session import answers

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tools" / "corpus" / "sympy_docstrings.txt"
OPENING = ["globals().clear()", "from sympy import *"]

# The docstrings: sympy's names that the note's subset covers (its functions,
# constructors and methods), in the order the corpus lists them. A name is
# ``sympy.NAME``, or ``CLASS.METHOD`` for a method of a class sympy exports.
DOCSTRINGS = [
    "symbols", "Symbol", "S", "Integer", "Rational", "Float", "sympify",
    "cos", "sin", "tan", "exp", "log", "sqrt", "Abs",
    "expand", "expand_func", "expand_mul", "expand_multinomial", "expand_power_exp",
    "expand_power_base", "expand_log",
    "diff", "integrate", "limit", "N", "factor", "cancel", "simplify", "count_ops", "solve",
    "Basic.subs", "Expr.evalf",
]  # fmt: skip


# A case Name back to its docstring: Basic_subs is Basic.subs, expand_func stays.
_DOCSTRING_OF_NAME = {name.replace(".", "_"): name for name in DOCSTRINGS}


class Session(NamedTuple):
    """One docstring's examples: its name and its lines, OPENING first."""

    name: str
    lines: list[str]


class Tally(NamedTuple):
    right: int
    refused: int
    unchecked: int
    wrong: list[tuple[str, str, str, str]]  # docstring, line, answer, sympy's


def docstring_sessions() -> list[Session]:
    """The corpus's sessions, read from the real sympy's docstrings."""
    import doctest

    import sympy

    parser = doctest.DocTestParser()
    sessions = []
    for name in DOCSTRINGS:
        owner, _, method = name.partition(".")
        obj = getattr(sympy, owner)
        if method:
            obj = getattr(obj, method)
        examples = parser.get_examples(obj.__doc__ or "")
        lines = [e.source.rstrip("\n") for e in examples if e.source.count("\n") == 1 and not e.options]
        if lines:
            sessions.append(Session(name, OPENING + lines))
    return sessions


def record(path: Path) -> int:
    """Writes the corpus from the real sympy through the CPython adapter."""
    adapter = ["/usr/bin/python3", str(ROOT / "tools" / "adapters" / "cpython")]
    oracle = subprocess.run(adapter + ["oracle", "sympy", "--python=3.11"], capture_output=True,
                            text=True, check=True).stdout.strip()
    out = [
        "# The >>> examples of sympy's docstrings for the names the sympy note's subset",
        "# covers, one session per docstring: see tools/pynotes/sympy_corpus.py. Lines whose",
        "# answers differ between two recordings (hash seeds 1 and 2) are left out.",
        "Command = sympy",
        "Recorded-By = tools/sympy_corpus --record",
        f"Oracle = {oracle}",
        "Python = 3.11",
        "Session = file",
        "",
    ]
    kept = dropped = 0
    for session in docstring_sessions():
        runs = [answers(adapter, session.lines, dict(os.environ, PYTHONHASHSEED=seed))
                for seed in ("1", "2")]
        out.append(f"# sympy.{session.name}")
        for index, line in enumerate(session.lines):
            if runs[0][index] != runs[1][index] or runs[0][index].startswith("<lost"):
                dropped += 1
                continue
            kept += index >= len(OPENING)
            out.append(f"Input = {golden.quote_value(line)}")
            if index == 0:
                out.append(f"Name = {session.name.replace('.', '_')}")
            out += [f"Output = {golden.quote_value(runs[0][index])}", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out))
    print(f"sympy_corpus: recorded {kept} lines of {len(DOCSTRINGS)} docstrings into "
          f"{path.relative_to(ROOT)} ({dropped} left out: not the same in two runs)",
          file=sys.stderr)
    return 0


def read_corpus(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """The corpus's sessions as (name, [(input, output)]), split where OPENING starts."""
    golden_file = golden.load(path)
    sessions: list[tuple[str, list[tuple[str, str]]]] = []
    for case in golden_file.cases:
        line, output = case.get("Input"), case.get("Output")
        if line is None or output is None:
            raise golden.GoldenError(path, case.line, "a corpus case needs Input and Output")
        if line == OPENING[0]:
            name = case.get("Name", "?")
            sessions.append((f"sympy.{_DOCSTRING_OF_NAME.get(name, name)}", []))
        if not sessions:
            raise golden.GoldenError(path, case.line, f"the corpus must open with {OPENING[0]}")
        sessions[-1][1].append((line, output))
    return sessions


def replay(command: list[str], sessions: list[tuple[str, list[tuple[str, str]]]]) -> Tally:
    """Sorts every example line of ``sessions`` by ``command``'s answer (see module)."""
    right = refused = unchecked = 0
    wrong = []
    for name, cases in sessions:
        got = answers(command, [line for line, _ in cases])
        diverged = False
        for index, ((line, expected), answer) in enumerate(zip(cases, got)):
            opening = index < len(OPENING)
            if answer.startswith("NotImplementedError"):
                refused += not opening
                diverged = True
            elif answer == expected:
                right += not opening
            elif diverged and not answer.startswith("SyntaxError"):
                unchecked += not opening
            else:
                wrong.append((name, line, answer, expected))
                diverged = True
    return Tally(right, refused, unchecked, wrong)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--impl", default=str(ROOT / "bazel-bin" / "ref" / "pyref"),
                        help="the implementation's adapter command (default: pyref)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--record", action="store_true",
                        help="re-record the corpus from the real sympy")
    args = parser.parse_args()
    if args.record:
        return record(args.corpus)
    try:
        sessions = read_corpus(args.corpus)
    except (OSError, golden.GoldenError) as error:
        print(f"sympy_corpus: {error}", file=sys.stderr)
        return 2
    tally = replay(args.impl.split(), sessions)
    for name, line, answer, expected in tally.wrong:
        print(f"# {name}\nInput = {golden.quote_value(line)}\n# impl:  {answer}\n"
              f"# sympy: {expected}\n")
    total = tally.right + tally.refused + tally.unchecked + len(tally.wrong)
    share = 100.0 * tally.right / total if total else 0.0
    print(f"sympy_corpus: {total} lines of {len(sessions)} docstrings: {tally.right} right "
          f"({share:.1f}%), {tally.refused} refused, {tally.unchecked} unchecked after a "
          f"refusal, {len(tally.wrong)} wrong", file=sys.stderr)
    return 1 if tally.wrong else 0


if __name__ == "__main__":
    sys.exit(main())
