"""tools/conform: run the golden suite against one or more implementations.

    tools/conform [--impl NAME|'COMMAND']... [--matrix] [--run GLOB]... [--skip GLOB]...
                  [--kind FAMILY] [--python X.Y|PATH] [--pointer-size 4|8]
                  [--timeout SECONDS] [--timeout-factor F] [--known-failures FILE]
                  [--report-dir DIR] [NOTE...]

``--impl NAME`` checks a declared implementation, tools/impls/NAME.toml
(tools/pynotes/impls.py: its command, family, language version, pointer size
and known-failures list): ref, cpython, pypy, pyodide. Any other --impl is a
command line, declared by the flags: ``--kind`` its family (default cpython),
``--python`` the one language version it is checked as (default 3.11),
``--pointer-size`` its pointer size (default 8), ``--known-failures`` its list;
given with a description, they override its values. The harness sends only the
cases that hold for the declaration (golden/README.md, "Applicability") and
reports the others skipped, with the reason; the table counts the skips by
reason. With ``--impl cpython --python X.Y`` the real CPython X.Y runs the
adapter (tools/pynotes/cpythons.py finds it: pythonX.Y on PATH, /usr/bin,
the newest ~/.pyenv/versions/X.Y.*, never a pyenv shim); ``--python PATH``
names the interpreter, and its version is declared.

The suite is the note's conformance test target (//conformance/NOTE:NOTE_test),
the same one `bazel test //...` runs against the C reference in-process. Here
it always drives the implementation as an external command through the
adapter protocol (PYNOTES_IMPL), so a crash or a hang of the implementation is
reported for that case and the run goes on.

``--matrix`` checks every implementation this machine has
(matrix_implementations): pyref, each real CPython 3.6 to 3.13 found, and the
other descriptions whose programs are there (PyPy, Pyodide), then pyref as
each other version 3.6 to 3.13.

Results: a table per implementation (note, cases, passed, failed, skipped,
known failures) with the first few diffs, and reports in --report-dir
(default reports/, written by report.py): conform.html (the matrix of notes by
implementations, each cell opening its failures), conform.json (the same
matrix; schema in conformance/PROTOCOL.md, "The results") and
conform.junit.xml (every case). Exit status 0 when every case
passed or was skipped, 1 on any failure (including a known failure that now
passes: its list is stale), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import dataclasses
import fnmatch
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from pynotes import cpythons, failure_reasons, golden, impls, report
from pynotes.cpythons import find_cpython
from pynotes.notes import NOTES

ROOT = Path(__file__).resolve().parents[2]
SHOWN_DIFFS = 5


@dataclasses.dataclass
class CaseResult:
    """One golden case's outcome for one implementation."""
    note: str
    case: str        # FILESTEM.NAME, as GoogleTest names it
    status: str      # passed, failed, skipped, xfail (known failure), xpass (listed, passed)
    message: str = ""
    file: str = ""   # the golden file, relative to the repository
    line: int = 0    # the case's first line in it

    @property
    def case_id(self) -> str:
        return f"{self.note}/{self.case}"


@dataclasses.dataclass
class Implementation:
    label: str       # what the user called it: ref, cpython, or the command
    command: str     # the shell command line the harness runs
    known_failures: list[str]
    python: str | None = None  # the declared language version X.Y (None: the harness's 3.11)
    kind: str = "cpython"      # the declared family (Impl)
    pointer_size: str | None = None  # the declared pointer size (None: the harness's 8)
    interpreter: Path | None = None  # the real CPython that runs it, for a {cpython} command
    about: str = ""  # its description's one line
    timeout_factor: float = 1.0  # its description's, times --timeout-factor
    title: str = ""    # its description's name for people (PyPy), "" if none
    version: str = ""  # its description's own version (7.3.11), "" if none


def notes_available() -> list[str]:
    """Notes whose conformance target exists, in the canonical order."""
    return [n for n in NOTES if (ROOT / "conformance" / n / "BUILD").exists()]


def bazel(*args: str, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(["bazel", *args], cwd=ROOT, text=True,
                          stdout=subprocess.PIPE if capture else None,
                          stderr=subprocess.PIPE if capture else None)


def _pyref() -> str:
    """The C reference's binary, built now."""
    built = bazel("build", "--noshow_progress", "//ref:pyref", capture=True)
    if built.returncode != 0:
        sys.exit("conform: building //ref:pyref failed:\n" + built.stderr)
    bin_dir = bazel("info", "bazel-bin", capture=True).stdout.strip()
    return str(Path(bin_dir) / "ref" / "pyref")


def describe(name: str) -> impls.Description | None:
    """The shipped description tools/impls/NAME.toml, if ``name`` is one."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name) or name not in impls.names(ROOT):
        return None
    try:
        return impls.load(impls.directory(ROOT) / f"{name}.toml")
    except impls.DescriptionError as error:
        sys.exit(f"conform: {error}")


def resolve(label: str, known_failures_file: str | None, python: str | None = None,
            kind: str | None = None, pointer_size: str | None = None) -> Implementation:
    """Turns --impl (a description's name, or a command line) and the flags
    that declare what it is into the command the harness runs and the
    declaration it checks (flags given override a description's values)."""
    description = describe(label)
    if description is None:
        if python is not None and os.sep in python:
            sys.exit(f"conform: --python {python}: a path names an interpreter only for an "
                     "implementation run by CPython (--impl cpython)")
        path = Path(known_failures_file) if known_failures_file else None
        return Implementation(label, label, read_known_failures(path) if path else [], python,
                              kind or "cpython", pointer_size)
    declared = python or description.python
    size = pointer_size or str(description.pointer_size)
    values = {"root": str(ROOT), "python": declared, "cpython": "", "pyref": ""}
    if description.needs_cpython:
        interpreter, declared = find_cpython(declared)
        asked = cpythons.ask(interpreter)
        values.update(python=declared, cpython=str(interpreter))
        size = pointer_size or (str(asked.pointer_size) if asked else size)
    elif python is not None and os.sep in python:
        sys.exit(f"conform: --python {python}: {label} is not run by an interpreter --python "
                 "can name")
    if "{pyref}" in description.command:
        values["pyref"] = _pyref()
    command = impls.expand(description.command,
                           {key: shlex.quote(value) for key, value in values.items()})
    path = Path(known_failures_file or ROOT / impls.expand(description.known_failures, values))
    return Implementation(label, command, read_known_failures(path), declared,
                          kind or description.kind, size,
                          Path(values["cpython"]) if values["cpython"] else None,
                          description.description, description.timeout_factor,
                          description.title, description.version)


def matrix_implementations() -> list[Implementation]:
    """What --matrix checks: pyref (the ref description); the cpython
    description under each real CPython 3.6 to 3.13 found here
    (cpythons.find_all), labelled ``cpython --python X.Y``; every other
    shipped description whose program (its command's first word) is there;
    then pyref as each other version 3.6 to 3.13, labelled ``ref --python
    X.Y`` (it needs no interpreter: the goldens hold every version's
    answers), and as Pyodide's 32-bit CPython 3.14, ``ref --python 3.14
    --pointer-size 4`` (the goldens' 32-bit sizes)."""
    chosen = [resolve("ref", None)]
    for interpreter in cpythons.find_all():
        impl = resolve("cpython", None, interpreter.version)
        impl.label = f"cpython --python {interpreter.version}"
        chosen.append(impl)
    for name in impls.names(ROOT):
        if name in ("ref", "cpython"):
            continue
        impl = resolve(name, None)
        program = shlex.split(impl.command)[0] if impl.command.strip() else ""
        if os.access(program, os.X_OK) or shutil.which(program):
            chosen.append(impl)
    for minor in range(cpythons.OLDEST_MINOR, cpythons.NEWEST_MINOR + 1):
        version = f"3.{minor}"
        if version != chosen[0].python:
            impl = resolve("ref", None, version)
            impl.label = f"ref --python {version}"
            chosen.append(impl)
    impl = resolve("ref", None, "3.14", pointer_size="4")
    impl.label = "ref --python 3.14 --pointer-size 4"
    chosen.append(impl)
    return chosen


def commit() -> str:
    """The repository's commit (short), with '+' when tracked files have
    changes; "" outside a git checkout."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", "-C", str(ROOT), *args], text=True,
                                  capture_output=True, timeout=60).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    head = git("rev-parse", "--short", "HEAD")
    return head + ("+" if head and git("status", "--porcelain", "--untracked-files=no")
                   else "")


def facts_of(impl: Implementation) -> report.Facts:
    """What the report's column header says the implementation is: pyref at
    this commit; the CPython that runs it, as the interpreter says; else its
    label and declaration, with its description's line."""
    size = int(impl.pointer_size) if impl.pointer_size else None
    facts = report.Facts(impl.label, impl.label, "", impl.python or "", impl.kind, size,
                         impl.command, impl.about)
    if impl.label == "ref" or impl.label.startswith("ref --python "):
        facts.name, facts.version = "pyref", commit()
    elif impl.interpreter is not None:
        asked = cpythons.ask(impl.interpreter)
        if asked is not None:
            facts.name, facts.version = "CPython", asked.release
            facts.pointer_size = size or asked.pointer_size
    elif impl.title or impl.version:
        facts.name, facts.version = impl.title or impl.label, impl.version
    elif len(impl.label) > 24:
        facts.name = "command"
    return facts


def read_known_failures(path: Path) -> list[str]:
    """The entries of a known-failures list (conformance/PROTOCOL.md, "Known
    failures"), one per line: a case id NOTE/FILE.CASE (globs allowed), after
    which '#' starts a comment; or NOTE/FILE Input = TEXT, the cases of that
    golden file whose Input line is written TEXT (the rest of the line, so its
    comment goes on a line of its own; TEXT ending in ' ...' names the Inputs
    that start with what precedes it). A line starting with '#' is a comment."""
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#"):
            continue
        if INPUT_ENTRY.match(line):
            entries.append(line.strip())
            continue
        line = line.split("#", 1)[0].strip()
        if line:
            entries.append(line)
    return entries


# NOTE/FILE Input = TEXT: cases named by their input, which stays put when cases
# are added above them (an unnamed case's id, FILE.L<line>, does not).
INPUT_ENTRY = re.compile(r"\s*([a-z]+/[A-Za-z0-9_]+) Input = (.*)\Z")
INPUT_PREFIX = " ..."


def _listed(result: CaseResult, known: list[str], inputs: report.GoldenInputs) -> bool:
    for entry in known:
        match = INPUT_ENTRY.match(entry)
        if match is None:
            if fnmatch.fnmatchcase(result.case_id, entry):
                return True
            continue
        note_file, text = match.groups()
        if note_file != f"{result.note}/{Path(result.file).stem}":
            continue
        written = inputs.get(result.file, result.line)
        if written is None:
            continue
        if text.endswith(INPUT_PREFIX):
            if written.startswith(text[:-len(INPUT_PREFIX)]):
                return True
        elif written == text:
            return True
    return False


def gtest_filter(run: list[str], skip: list[str]) -> str | None:
    if not run and not skip:
        return None
    return ":".join(run or ["*"]) + ("-" + ":".join(skip) if skip else "")


def parse_test_xml(note: str, path: Path) -> list[CaseResult]:
    """Reads GoogleTest's XML report (what Bazel keeps as test.xml)."""
    results = []
    for testcase in ET.parse(path).getroot().iter("testcase"):
        name = f"{testcase.get('classname')}.{testcase.get('name')}"
        place = {"file": testcase.get("file", ""), "line": int(testcase.get("line") or 0)}
        failures = testcase.findall("failure")
        if failures:
            message = "\n".join(f.get("message", "") for f in failures)
            results.append(CaseResult(note, name, "failed", message, **place))
        elif testcase.get("result") == "skipped" or testcase.find("skipped") is not None:
            skipped = testcase.find("skipped")
            results.append(CaseResult(note, name, "skipped",
                                      skipped.get("message", "") if skipped is not None else "",
                                      **place))
        elif testcase.get("status") == "run" or testcase.get("result") == "completed":
            results.append(CaseResult(note, name, "passed", **place))
    return results


def apply_known_failures(results: list[CaseResult], known: list[str],
                         root: Path = ROOT) -> None:
    """Marks listed failures xfail, and listed passes xpass (a stale list);
    results name golden files relative to root."""
    inputs = report.GoldenInputs(root)
    for r in results:
        if r.status not in ("failed", "passed") or not _listed(r, known, inputs):
            continue
        if r.status == "failed":
            r.status = "xfail"
        else:
            r.status = "xpass"
            r.message = ("listed as a known failure but passes now: remove it from the "
                         "implementation's known-failures list")


@dataclasses.dataclass
class Frame:
    """A picture an implementation drew (a test's undeclared output `impl_NAME.png`),
    shown in the HTML report beside the golden picture golden/NOTE/NAME."""
    note: str
    name: str        # NAME.png
    path: Path       # the implementation's picture, copied into the report folder


def collect_frames(testlogs: Path, note: str, started: float, dest: Path) -> list[Frame]:
    """Copies the `impl_*.png` outputs of NOTE's suite run (Bazel zips a test's
    TEST_UNDECLARED_OUTPUTS_DIR as test.outputs/outputs.zip) into dest/NOTE/."""
    frames = []
    for archive in glob.glob(str(testlogs / "conformance" / note / f"{note}_test" / "**" /
                                 "test.outputs" / "outputs.zip"), recursive=True):
        if os.path.getmtime(archive) < started - 1:
            continue
        with zipfile.ZipFile(archive) as outputs:
            for member in outputs.namelist():
                name = Path(member).name
                if name.startswith("impl_") and name.endswith(".png"):
                    target = dest / note / name[len("impl_"):]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(outputs.read(member))
                    frames.append(Frame(note, target.name, target))
    return frames


def run_suite(impl: Implementation, notes: list[str], args: argparse.Namespace,
              frames_dir: Path) -> tuple[list[CaseResult], list[Frame]]:
    targets = [f"//conformance/{n}:{n}_test" for n in notes]
    command = ["test", "--noshow_progress", "--nocache_test_results", "--test_output=summary",
               "--test_timeout=3600",
               f"--test_env=PYNOTES_IMPL={impl.command}",
               f"--test_env=PYNOTES_IMPL_KIND={impl.kind}",
               f"--test_env=PYNOTES_CASE_TIMEOUT={args.timeout}",
               f"--test_env=PYNOTES_TIMEOUT_FACTOR={args.timeout_factor * impl.timeout_factor}",
               *targets]
    if impl.python is not None:
        command.insert(-len(targets), f"--test_env=PYNOTES_PYTHON={impl.python}")
    if impl.pointer_size is not None:
        command.insert(-len(targets), f"--test_env=PYNOTES_POINTER_SIZE={impl.pointer_size}")
    flt = gtest_filter(args.run, args.skip)
    if flt:
        command.insert(1, f"--test_filter={flt}")
    print(f"conform: {impl.label}: bazel {' '.join(shlex.quote(c) for c in command)}",
          file=sys.stderr)
    started = time.time()
    finished = bazel(*command, capture=True)
    # 0: all passed; 3: some tests failed. Anything else means the suite did
    # not run as asked, and the reports on disk are an earlier run's.
    ran = finished.returncode in (0, 3)
    testlogs = Path(bazel("info", "bazel-testlogs", capture=True).stdout.strip())
    results: list[CaseResult] = []
    frames: list[Frame] = []
    for note in notes:
        if ran:
            frames += collect_frames(testlogs, note, started, frames_dir)
        xml_files = sorted(glob.glob(str(testlogs / "conformance" / note / f"{note}_test" /
                                         "**" / "test.xml"), recursive=True))
        xml_files = [x for x in xml_files if ran and os.path.getmtime(x) >= started - 1]
        note_results = []
        for xml in xml_files:
            try:
                note_results += parse_test_xml(note, Path(xml))
            except ET.ParseError:
                pass
        if not note_results:
            # No per-case report: the test binary itself failed to build or run.
            tail = "\n".join(finished.stderr.splitlines()[-15:])
            note_results.append(CaseResult(note, "(suite)", "failed",
                                           f"the suite for {note} did not run:\n{tail}"))
        results += note_results
    apply_known_failures(results, impl.known_failures)
    return results, frames


def skip_reasons(results: list[CaseResult]) -> list[tuple[int, str]]:
    """How many cases were skipped for each reason, the most common first. A
    reason is the skip message's first line that is not its place
    (``golden/NOTE/FILE.txt:LINE``), without a leading case name
    (``FILE.CASE: ``), so one refused command counts as one reason."""
    counts: dict[str, int] = {}
    for r in results:
        if r.status != "skipped":
            continue
        reason = failure_reasons.skip_reason(r.message, r.case)
        counts[reason] = counts.get(reason, 0) + 1
    return sorted(((n, reason) for reason, n in counts.items()),
                  key=lambda item: (-item[0], item[1]))


def summarize(label: str, results: list[CaseResult]) -> str:
    columns = ("passed", "failed", "skipped", "xfail", "xpass")
    rows = []
    by_note: dict[str, list[CaseResult]] = {}
    for r in results:
        by_note.setdefault(r.note, []).append(r)
    header = f"{'note':<10} {'cases':>6} {'passed':>7} {'failed':>7} {'skipped':>8} " \
             f"{'known':>6} {'stale':>6}"
    rows.append(f"implementation: {label}")
    rows.append(header)
    totals = dict.fromkeys(columns, 0)
    for note, note_results in by_note.items():
        counts = {c: sum(1 for r in note_results if r.status == c) for c in columns}
        for c in columns:
            totals[c] += counts[c]
        rows.append(f"{note:<10} {len(note_results):>6} {counts['passed']:>7} "
                    f"{counts['failed']:>7} {counts['skipped']:>8} {counts['xfail']:>6} "
                    f"{counts['xpass']:>6}")
    rows.append(f"{'total':<10} {len(results):>6} {totals['passed']:>7} {totals['failed']:>7} "
                f"{totals['skipped']:>8} {totals['xfail']:>6} {totals['xpass']:>6}")
    for count, reason in skip_reasons(results)[:SHOWN_DIFFS]:
        rows.append(f"  skipped {count:>6}: {reason}")
    bad = [r for r in results if r.status in ("failed", "xpass")]
    for r in bad[:SHOWN_DIFFS]:
        rows.append("")
        rows.append(f"FAIL {r.case_id}")
        rows.extend("  " + line for line in r.message.splitlines()[:12])
    if len(bad) > SHOWN_DIFFS:
        rows.append(f"\n... and {len(bad) - SHOWN_DIFFS} more failures (see the reports)")
    return "\n".join(rows)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="tools/conform",
        description="Run the golden suite against implementations of the adapter protocol.")
    parser.add_argument("notes", nargs="*", metavar="NOTE",
                        help="notes to check (default: all): " + " ".join(NOTES))
    parser.add_argument("--impl", action="append", default=[],
                        help="a description in tools/impls (ref, the C reference, the default; "
                             "cpython; pypy; pyodide) or a command line speaking the protocol; "
                             "repeat for a matrix")
    parser.add_argument("--matrix", action="store_true",
                        help="check every implementation found on this machine: pyref, the "
                             "real CPython of each version 3.6 to 3.13 there is, and each other "
                             "description in tools/impls whose program is there (instead of "
                             "--impl and --python)")
    parser.add_argument("--run", action="append", default=[], metavar="GLOB",
                        help="only cases whose FILE.CASE matches (e.g. 'sha256.*')")
    parser.add_argument("--skip", action="append", default=[], metavar="GLOB",
                        help="leave out cases whose FILE.CASE matches")
    parser.add_argument("--kind",
                        help="implementation family for 'Impl =' cases (default: the "
                             "description's, or cpython for a command line)")
    parser.add_argument("--python", metavar="X.Y|PATH",
                        help="the one language version the implementation is checked as "
                             "(only cases that hold for it are sent); with --impl cpython, the "
                             "real CPython X.Y (or the interpreter at PATH) runs the adapter")
    parser.add_argument("--pointer-size", choices=("4", "8"),
                        help="the implementation's pointer size in bytes (default 8): cases "
                             "with another Pointer-Size are skipped")
    parser.add_argument("--timeout", type=float, default=20.0,
                        help="seconds allowed per case (default 20; a case's Timeout can "
                             "raise it)")
    parser.add_argument("--timeout-factor", type=float, default=1.0, metavar="F",
                        help="multiplies every time limit, for a slow implementation or a "
                             "busy machine (default 1)")
    parser.add_argument("--known-failures", metavar="FILE",
                        help="known-failures list for a COMMAND implementation")
    parser.add_argument("--report-dir", default=str(ROOT / "reports"), metavar="DIR")
    parser.add_argument("--no-install", action="store_true",
                        help="do not install missing Debian packages first (tools/conform "
                             "runs ci/install before Python starts)")
    args = parser.parse_args(argv)
    available = notes_available()
    unknown = [n for n in args.notes if n not in NOTES]
    if unknown:
        parser.error(f"unknown note {unknown[0]!r}; notes: {' '.join(NOTES)}")
    missing = [n for n in args.notes if n not in available]
    if missing:
        parser.error(f"note {missing[0]!r} has no conformance suite yet; "
                     f"available: {' '.join(available)}")
    args.notes = args.notes or available
    if args.matrix and (args.impl or args.python or args.known_failures):
        parser.error("--matrix chooses the implementations and their versions itself: "
                     "no --impl, --python or --known-failures with it")
    args.impl = args.impl or ["ref"]
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    report_dir = Path(args.report_dir)
    shutil.rmtree(report_dir / "frames", ignore_errors=True)
    all_results: dict[str, list[CaseResult]] = {}
    all_frames: dict[str, list[Frame]] = {}
    if args.matrix:
        chosen = matrix_implementations()
    else:
        chosen = [resolve(label, args.known_failures, args.python, args.kind, args.pointer_size)
                  for label in args.impl]
    facts: dict[str, report.Facts] = {}
    for index, impl in enumerate(chosen):
        label = impl.label
        facts[label] = facts_of(impl)
        all_results[label], all_frames[label] = run_suite(
            impl, args.notes, args, report_dir / "frames" / f"impl{index}")
        print(summarize(label, all_results[label]))
        print()
    report_dir.mkdir(parents=True, exist_ok=True)
    made_by = " ".join(["tools/conform"] + [shlex.quote(a) for a in argv])
    doc = report.matrix(all_results, facts, args.notes, ROOT, all_frames, report_dir,
                        made_by=made_by, commit=commit())
    report.write_json(report_dir / "conform.json", doc)
    report.write_junit(report_dir / "conform.junit.xml", all_results)
    report.write_html(report_dir / "conform.html", doc, ROOT)
    print(f"reports: {report_dir}/conform.html, conform.json, conform.junit.xml")
    failed = any(r.status in ("failed", "xpass") for rs in all_results.values() for r in rs)
    return 1 if failed else 0
