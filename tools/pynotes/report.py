"""conform's reports: the matrix of notes by implementations as JSON and as an
HTML page, JUnit XML of every case, and the README's copy of the matrix.

``matrix()`` makes the one data model all of them are written from (its
schema is documented in conformance/PROTOCOL.md, "The results"): for each
implementation, what it is (name, version, kind, pointer size) and, for each
note, how many golden cases applied to it and how many of those it passed,
with every case that did not pass — its golden file and line, its status, why
(failure_reasons.reason) and the harness's message — and the skips counted by
reason. Passing cases are only counted, so the JSON and the page grow with
the failures, not with the cases; conform.junit.xml lists every case.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Mapping, Sequence

from pynotes import failure_reasons, golden

SCHEMA = "pynotes-conform-2"
STATUSES = ("passed", "failed", "skipped", "xfail", "xpass")
# How much of one answer or message the page shows (the JSON keeps it whole).
SHOWN_CHARS = 240
SHOWN_LINES = 12
# The failures the page lists under one golden file and reason; the rest are
# counted (conform.json lists them all).
SHOWN_PER_REASON = 100
README_BEGIN = "<!-- conform-matrix:begin (written by tools/readme_matrix; do not edit) -->"
README_END = "<!-- conform-matrix:end -->"


@dataclasses.dataclass
class Facts:
    """What an implementation is, as the report's column header names it."""
    label: str                   # what --impl called it
    name: str = ""               # CPython, PyPy, pyref, ...
    version: str = ""            # the implementation's own version: 3.12.1, 7.3.11, a commit
    python: str = ""             # the language version checked (X.Y), "" when not declared
    kind: str = ""               # the Impl family its cases are chosen by: cpython, pypy, ...
    pointer_size: int | None = None  # bytes
    command: str = ""            # the command line the harness ran
    about: str = ""              # one line for people (its description's)


# --- the data model ----------------------------------------------------------

def _place(result) -> tuple[str, int]:
    """The golden file and line of a case result: the testcase's own, else its
    message's first line (PATH:LINE)."""
    file, line = getattr(result, "file", ""), getattr(result, "line", 0)
    if file:
        return file, line
    place = failure_reasons.parse(result.message).place
    if place:
        path, _, number = place.rpartition(":")
        return path, int(number)
    return "", 0


class GoldenInputs:
    """The Input line of each golden case, as its file writes it (quotes and
    escapes included), by file and the case's first line; files are read once.
    The report shows it for failures; known-failures entries name cases by it."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.files: dict[str, dict[int, str]] = {}

    def get(self, file: str, line: int) -> str | None:
        if self.root is None or not file:
            return None
        if file not in self.files:
            by_line: dict[int, str] = {}
            try:
                text = (self.root / file).read_bytes().decode("utf-8", "surrogateescape")
                loaded = golden.parse(self.root / file, text)
            except (OSError, golden.GoldenError):
                loaded = None
            lines = text.split("\n") if loaded else []
            for case in loaded.cases if loaded else []:
                if "Input" in case:
                    by_line[case.line] = lines[case.line_of("Input") - 1][len("Input = "):]
            self.files[file] = by_line
        return self.files[file].get(line)


def _counts(results: Sequence) -> dict:
    """cases, applicable (not skipped), passed (answered right, a stale known
    failure included), failed, xfail (known failures), xpass (stale entries),
    skipped."""
    by_status = {s: sum(1 for r in results if r.status == s) for s in STATUSES}
    return {
        "cases": len(results),
        "applicable": len(results) - by_status["skipped"],
        "passed": by_status["passed"] + by_status["xpass"],
        "failed": by_status["failed"],
        "xfail": by_status["xfail"],
        "xpass": by_status["xpass"],
        "skipped": by_status["skipped"],
    }


def _note_entry(results: Sequence, inputs: GoldenInputs) -> dict:
    entry = _counts(results)
    skips: dict[str, int] = {}
    failures = []
    for r in results:
        if r.status == "skipped":
            why = failure_reasons.skip_reason(r.message, r.case)
            skips[why] = skips.get(why, 0) + 1
        elif r.status != "passed":
            file, line = _place(r)
            failure = failure_reasons.parse(r.message)
            item = {"case": r.case, "file": file, "line": line, "status": r.status,
                    "reason": failure_reasons.reason(r.message, r.case)
                    if r.status != "xpass" else "listed as a known failure, passes now",
                    "message": r.message}
            if failure.expected is not None and failure.got is not None:
                item["expected"], item["got"] = failure.expected, failure.got
            shown_input = inputs.get(file, line)
            if shown_input is not None:
                item["input"] = shown_input
            failures.append(item)
    entry["skips"] = [{"reason": why, "count": n}
                      for why, n in sorted(skips.items(), key=lambda i: (-i[1], i[0]))]
    entry["failures"] = failures
    return entry


def matrix(results: Mapping[str, Sequence], facts: Mapping[str, Facts] | None = None,
           notes: Sequence[str] | None = None, root: Path | None = None,
           frames: Mapping[str, Sequence] | None = None, report_dir: Path | None = None,
           made_by: str = "", commit: str = "", generated: str | None = None) -> dict:
    """The report's data model (schema: conformance/PROTOCOL.md, "The results").

    results: each implementation's case results (objects with note, case,
    status, message and, optionally, file and line), keyed by label; facts:
    what each one is; notes: the rows, in order (default: the notes met in
    results); root: the repository, where the golden files are read for the
    failing cases' inputs; frames: pictures drawn (objects with note, name,
    path), shown relative to report_dir."""
    facts = dict(facts or {})
    if notes is None:
        notes = []
        for r in (r for rs in results.values() for r in rs):
            if r.note not in notes:
                notes.append(r.note)
    inputs = GoldenInputs(root)
    implementations = []
    for label, rs in results.items():
        fact = facts.get(label) or Facts(label)
        by_note: dict[str, list] = {}
        for r in rs:
            by_note.setdefault(r.note, []).append(r)
        entry = {
            "label": label, "name": fact.name or label, "version": fact.version,
            "python": fact.python, "kind": fact.kind, "pointer_size": fact.pointer_size,
            "command": fact.command, "about": fact.about,
            "totals": _counts(rs),
            "notes": {note: _note_entry(note_results, inputs)
                      for note, note_results in by_note.items()},
        }
        implementations.append(entry)
    pictures = []
    for label, label_frames in (frames or {}).items():
        for f in label_frames:
            shown = os.path.relpath(f.path, report_dir) if report_dir else str(f.path)
            pictures.append({"implementation": label, "note": f.note, "name": f.name,
                             "picture": shown})
    return {
        "schema": SCHEMA,
        "generated": generated or datetime.datetime.now(datetime.timezone.utc)
        .strftime("%Y-%m-%d %H:%M UTC"),
        "made_by": made_by,
        "commit": commit,
        "notes": list(notes),
        "implementations": implementations,
        "frames": pictures,
    }


def write_json(path: Path, doc: Mapping) -> None:
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_junit(path: Path, results: Mapping[str, Sequence]) -> None:
    """One <testsuite> per implementation and note; known failures count as skipped."""
    root = ET.Element("testsuites")
    for label, rs in results.items():
        by_note: dict[str, list] = {}
        for r in rs:
            by_note.setdefault(r.note, []).append(r)
        for note, note_results in by_note.items():
            suite = ET.SubElement(root, "testsuite", name=f"{label}/{note}",
                                  tests=str(len(note_results)),
                                  failures=str(sum(r.status in ("failed", "xpass")
                                                   for r in note_results)),
                                  skipped=str(sum(r.status in ("skipped", "xfail")
                                                  for r in note_results)))
            for r in note_results:
                case = ET.SubElement(suite, "testcase", classname=f"{label}.{note}", name=r.case)
                if r.status in ("failed", "xpass"):
                    ET.SubElement(case, "failure", message=r.message.splitlines()[0]
                                  if r.message else r.status).text = r.message
                elif r.status in ("skipped", "xfail"):
                    ET.SubElement(case, "skipped", message=r.status + ": " + r.message)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


# --- words and numbers shared by the page and the README ------------------------

def header_lines(impl: Mapping) -> list[str]:
    """The column header of an implementation, a line each: name, version,
    the language version when the version does not start with it, then kind
    and pointer size."""
    lines = [impl["name"], impl["version"]]
    python = impl.get("python") or ""
    if python and not (impl["version"] or "").startswith(python):
        lines.append(f"Python {python}")
    details = []
    if impl.get("kind"):
        details.append(impl["kind"])
    if impl.get("pointer_size"):
        details.append(f"{8 * int(impl['pointer_size'])}-bit")
    if details:
        lines.append(", ".join(details))
    return [line for line in lines if line]


def cell_text(entry: Mapping | None) -> str:
    """passed/applicable, or why there is no such figure."""
    if entry is None:
        return "not run"
    if entry["applicable"] == 0:
        return "all skipped" if entry["cases"] else "no cases"
    return f"{entry['passed']}/{entry['applicable']}"


def _grade(entry: Mapping | None) -> str:
    """The cell's colour class: all passed, nearly all, most, some, none;
    'bad' whenever an unlisted failure or a stale entry fails the run."""
    if entry is None or entry["applicable"] == 0:
        return "none"
    share = entry["passed"] / entry["applicable"]
    if share == 1:
        return "all"
    if share >= 0.99:
        return "p99"
    if share >= 0.9:
        return "p90"
    if share >= 0.5:
        return "p50"
    return "p0"


# --- the README's copy ---------------------------------------------------------

def by_version_columns(impls: Sequence[Mapping]) -> tuple[list[int], list[int]]:
    """The matrix's two tables, as indices into impls: the implementations
    (pyref once, as its default version), and pyref as each version it was
    checked as, oldest first (empty when it was checked as one version only)."""
    pyrefs = [i for i, impl in enumerate(impls) if impl["name"] == "pyref"]
    if len(pyrefs) < 2:
        return list(range(len(impls))), []
    main = [i for i in range(len(impls)) if i not in pyrefs[1:]]
    def version_key(i: int) -> tuple[int, ...]:
        return tuple(int(part) for part in (impls[i].get("python") or "0").split("."))
    return main, sorted(pyrefs, key=version_key)


def _readme_header(impl: Mapping) -> list[str]:
    """header_lines with name and version on one line."""
    lines = header_lines(impl)
    if impl["name"] and impl["version"]:
        lines[:2] = [f"{lines[0]} {lines[1]}"]
    return lines


def _version_header(impl: Mapping) -> list[str]:
    """pyref's column in the table by version: its version, and its pointer
    size when it is not 64-bit."""
    lines = [f"Python {impl.get('python') or '?'}"]
    if impl.get("pointer_size") and int(impl["pointer_size"]) != 8:
        lines.append(f"{8 * int(impl['pointer_size'])}-bit")
    return lines


def _markdown_table(doc: Mapping, columns: Sequence[int], header) -> list[str]:
    impls = [doc["implementations"][i] for i in columns]
    head = ["note"] + ["<br>".join(header(impl)) for impl in impls]
    rows = [head, ["---"] + ["---:"] * len(impls)]
    for note in doc["notes"]:
        rows.append([f"`{note}`"] + [cell_text(impl["notes"].get(note)) for impl in impls])
    rows.append(["total"] + [cell_text(impl["totals"]) for impl in impls])
    return ["| " + " | ".join(row) + " |" for row in rows]


def readme_table(doc: Mapping) -> str:
    """The matrix as a Markdown table, with a line on how and when it was made;
    then, when pyref was checked as several versions, their table."""
    main, versions = by_version_columns(doc["implementations"])
    lines = _markdown_table(doc, main, _readme_header)
    if versions:
        lines += ["", "pyref as each CPython version (`tools/conform --impl ref --python X.Y`):",
                  ""]
        lines += _markdown_table(doc, versions, _version_header)
    made = f"`{doc['made_by']}`" if doc.get("made_by") else "tools/conform"
    at = f" at {doc['commit']}" if doc.get("commit") else ""
    lines.append("")
    lines.append(f"Golden cases passed / cases that apply to each implementation (its language "
                 f"version, kind and pointer size); made by {made} on {doc['generated']}{at}.")
    return "\n".join(lines)


def update_readme(text: str, doc: Mapping) -> str:
    """text with the matrix between README_BEGIN and README_END replaced by
    readme_table(doc); ValueError when the markers are missing or out of order."""
    begin, end = text.find(README_BEGIN), text.find(README_END)
    if begin < 0 or end < begin:
        raise ValueError(f"the README needs the lines {README_BEGIN!r} and {README_END!r}, "
                         "in that order")
    return (text[:begin + len(README_BEGIN)] + "\n" + readme_table(doc) + "\n"
            + text[end:])


# --- the page --------------------------------------------------------------------

_CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #222; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 6px; }
p.about { margin: 0 0 12px; color: #555; max-width: 75em; }
code, pre, .mono { font: 12px/1.35 ui-monospace, monospace; }
table.matrix { border-collapse: collapse; }
.matrix th, .matrix td { border: 1px solid #d0d0d0; padding: 4px 8px; }
.matrix thead th { vertical-align: bottom; font-weight: normal; text-align: center;
  background: #f6f6f6; }
.matrix thead th b { display: block; font-size: 14px; }
.matrix thead th span { display: block; font-size: 12px; color: #555; }
.matrix thead th code { display: block; font-size: 11px; color: #777; }
.matrix tbody th, .matrix tfoot th { text-align: left; font-weight: normal; }
.matrix tfoot th, .matrix tfoot td { border-top: 2px solid #999; font-weight: bold; }
.matrix td b { font-weight: inherit; }
.matrix td { text-align: center; font-variant-numeric: tabular-nums; min-width: 6.5em; }
.matrix td a { color: inherit; text-decoration: none; display: block; }
.matrix td small { display: block; font-size: 11px; color: #444; font-weight: normal; }
.matrix td b, .matrix td small span, .matrix thead th span { white-space: nowrap; }
.all { background: #b9e6b9; } .p99 { background: #dcf0c0; } .p90 { background: #f6eaa8; }
.p50 { background: #f7c99a; } .p0 { background: #f2a3a3; } .none { background: #eee; color: #777; }
td.bad { box-shadow: inset 4px 0 0 #c62828; }
section.impl { margin-top: 22px; }
section.impl > h2 small { font-weight: normal; color: #555; font-size: 13px; }
details.cell { margin: 6px 0; border: 1px solid #ddd; border-radius: 4px; padding: 2px 10px; }
details.cell > summary { cursor: pointer; padding: 4px 0; }
details.cell:target { border-color: #1a73e8; box-shadow: 0 0 0 2px #c6dafc; }
details.reason { margin: 2px 0 6px 12px; }
details.reason > summary { cursor: pointer; }
h4 { margin: 10px 0 2px; font-size: 13px; }
ul.skips { margin: 4px 0; color: #555; font-size: 13px; }
table.fails { border-collapse: collapse; margin: 2px 0 4px 12px; table-layout: fixed; width: 96%; }
.fails td, .fails th { border-bottom: 1px solid #eee; padding: 2px 6px; vertical-align: top;
  text-align: left; overflow-wrap: anywhere; }
.fails th { font-weight: normal; color: #777; font-size: 12px; }
.fails col.case { width: 16em; } .fails col.input { width: 18%; }
.fails span.line { color: #888; } mark { background: #ffe08a; } .fails td.known { color: #8a6d00; }
.fails pre { margin: 0; white-space: pre-wrap; }
a.up { font-size: 12px; margin-left: 8px; }
table.frames td { border: 1px solid #ddd; padding: 4px; text-align: center; }
"""

# Opens the failures a cell links to (#ID of a <details>), also when the page
# is opened at such an address.
_SCRIPT = """
function openTarget() {
  var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target && target.tagName === "DETAILS") target.open = true;
}
window.addEventListener("hashchange", openTarget);
openTarget();
"""


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _cut(text: str, chars: int = SHOWN_CHARS) -> str:
    lines = text.splitlines() or [""]
    if len(lines) > SHOWN_LINES:
        lines = lines[:SHOWN_LINES] + [f"… ({len(text.splitlines()) - SHOWN_LINES} more lines)"]
    text = "\n".join(lines)
    return text if len(text) <= chars * 4 else text[:chars * 4] + " …"


def _short(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + " …"


def _cell_id(index: int, note: str) -> str:
    return f"i{index}-{re.sub(r'[^A-Za-z0-9_-]', '_', note)}"


def _link(root_rel: str, file: str, line: int) -> str:
    return f"{root_rel}/{file}" + (f"#L{line}" if line else "")


def _matrix_table(doc: Mapping, columns: Sequence[int]) -> list[str]:
    """The matrix's table of the implementations at indices columns; cells
    and headers link to the sections of those indices."""
    impls = doc["implementations"]
    parts = ["<table class=matrix><thead><tr><th>note</th>"]
    for index in columns:
        impl = impls[index]
        lines = header_lines(impl)
        about = f": {impl['about']}" if impl.get("about") else ""
        parts.append(f"<th title='--impl {_esc(impl['label'] + about)}'><a href='#i{index}'>"
                     f"<b>{_esc(lines[0])}</b></a>"
                     + "".join(f"<span>{_esc(line)}</span>" for line in lines[1:]) + "</th>")
    parts.append("</tr></thead><tbody>")
    for note in doc["notes"]:
        parts.append(f"<tr><th>{_esc(note)}</th>")
        for index in columns:
            parts.append(_matrix_cell(impls[index]["notes"].get(note), _cell_id(index, note)))
        parts.append("</tr>")
    parts.append("</tbody><tfoot><tr><th>total</th>")
    for index in columns:
        parts.append(_matrix_cell(impls[index]["totals"], f"i{index}"))
    parts.append("</tr></tfoot></table>")
    return parts


def _matrix_cell(entry: Mapping | None, target: str) -> str:
    if entry is None:
        return "<td class=none>not run</td>"
    notes = []
    if entry["failed"]:
        notes.append(f"{entry['failed']} failed")
    if entry["xfail"]:
        notes.append(f"{entry['xfail']} known")
    if entry["xpass"]:
        notes.append(f"{entry['xpass']} stale")
    if entry["skipped"]:
        notes.append(f"{entry['skipped']} skipped")
    classes = _grade(entry) + (" bad" if entry["failed"] or entry["xpass"] else "")
    # The figures never break inside (the totals wrapped "9218 /" above
    # "9218" at 1,400 px); the small line breaks only between its items.
    text = (f"<b>{_esc(cell_text(entry)).replace('/', ' / ')}</b>" if entry["applicable"]
            else "—")
    small = (f"<small>{' · '.join(f'<span>{_esc(n)}</span>' for n in notes)}</small>"
             if notes else "")
    if entry["applicable"] == entry["passed"] and not entry["skipped"]:
        return f"<td class='{classes}'>{text}</td>"
    return f"<td class='{classes}'><a href='#{target}'>{text}{small}</a></td>"


def _marked(expected: str, got: str) -> tuple[str, str]:
    """Both answers as HTML, cut to SHOWN_CHARS, with the part where they
    differ (between their common beginning and end) marked."""
    expected, got = _short(expected), _short(got)
    start = 0
    while start < min(len(expected), len(got)) and expected[start] == got[start]:
        start += 1
    end = 0
    while (end < min(len(expected), len(got)) - start
           and expected[-1 - end] == got[-1 - end]):
        end += 1

    def mark(text: str) -> str:
        middle = text[start:len(text) - end]
        return (_esc(text[:start]) + (f"<mark>{_esc(middle)}</mark>" if middle else "")
                + _esc(text[len(text) - end:]))
    return mark(expected), mark(got)


def _failure_row(item: Mapping, root_rel: str) -> str:
    href = _link(root_rel, item["file"], item["line"])
    name = item["case"].split(".", 1)[-1]
    known = " known" if item["status"] == "xfail" else ""
    case = (f"<td class='mono{known}'><a href='{_esc(href)}'>{_esc(name)}</a>"
            f"<span class=line>:{item['line']}</span>{' (known)' if known else ''}</td>")
    shown_input = f"<td class=mono>{_esc(_short(item['input']))}</td>" \
        if "input" in item else "<td></td>"
    if "expected" in item:
        expected, got = _marked(item["expected"], item["got"])
        return f"<tr>{case}{shown_input}<td class=mono>{expected}</td><td class=mono>{got}</td></tr>"
    text = failure_reasons.parse(item["message"]).text
    return f"<tr>{case}{shown_input}<td colspan=2><pre>{_esc(_cut(text))}</pre></td></tr>"


def _unserved_line(note: str, entry: Mapping, target: str) -> str:
    """One list item: a note whose every case was skipped, and why."""
    skips = entry["skips"]
    if len(skips) == 1 and skips[0]["count"] == entry["skipped"]:
        why = ": " + _short(skips[0]["reason"])
    else:
        why = "".join(f"; {s['count']} {_short(s['reason'])}" for s in skips)
    return f"<li id='{target}'><b>{_esc(note)}</b>: {entry['skipped']} skipped{_esc(why)}</li>"


def _note_details(note: str, entry: Mapping, target: str, root_rel: str) -> list[str]:
    counts = [f"{entry['passed']} of {entry['applicable']} passed"]
    for key, word in (("failed", "failed"), ("xfail", "known failures"),
                      ("xpass", "stale known-failure entries"), ("skipped", "skipped")):
        if entry[key]:
            counts.append(f"{entry[key]} {word}")
    parts = [f"<details class=cell id='{target}'><summary><b>{_esc(note)}</b>: "
             f"{_esc(', '.join(counts))}</summary>"]
    if entry["skips"]:
        parts.append("<ul class=skips>" + "".join(
            f"<li>{s['count']} skipped: {_esc(_short(s['reason']))}</li>"
            for s in entry["skips"]) + "</ul>")
    by_file: dict[str, dict[str, list]] = {}
    for item in entry["failures"]:
        by_file.setdefault(item["file"], {}).setdefault(item["reason"], []).append(item)
    for file, reasons in sorted(by_file.items()):
        total = sum(len(items) for items in reasons.values())
        heading = (f"<a href='{_esc(_link(root_rel, file, 0))}'>{_esc(file)}</a>" if file
                   else "(no golden file)")
        parts.append(f"<h4>{heading}: {total} not passed</h4>")
        for why, items in sorted(reasons.items(), key=lambda i: (-len(i[1]), i[0])):
            shown_open = " open" if len(items) <= 10 or len(reasons) == 1 else ""
            parts.append(f"<details class=reason{shown_open}><summary>{_esc(why)} "
                         f"({len(items)})</summary><table class=fails><col class=case><col class=input>"
                         "<col><col><tr><th>case</th><th>input</th><th>expected</th>"
                         "<th>got</th></tr>")
            parts += [_failure_row(item, root_rel) for item in items[:SHOWN_PER_REASON]]
            if len(items) > SHOWN_PER_REASON:
                parts.append(f"<tr><td colspan=4>… and {len(items) - SHOWN_PER_REASON} more "
                             "for this reason (conform.json lists them all)</td></tr>")
            parts.append("</table></details>")
    parts.append("</details>")
    return parts


def _frames_html(doc: Mapping, root_rel: str) -> list[str]:
    """Pictures side by side: the golden one, then each implementation's."""
    by_frame: dict = {}
    for f in doc.get("frames", []):
        by_frame.setdefault((f["note"], f["name"]), {})[f["implementation"]] = f["picture"]
    if not by_frame:
        return []
    parts = ["<h2>Frames</h2><table class=frames>"]
    for (note, name), drawn in sorted(by_frame.items()):
        cells = [("golden", f"{root_rel}/golden/{note}/{name}")] + sorted(drawn.items())
        parts.append(f"<tr><th colspan={len(cells)}>{_esc(note)}/{_esc(name)}</th></tr><tr>"
                     + "".join(f"<td>{_esc(_short(label))}</td>" for label, _ in cells)
                     + "</tr><tr>")
        parts += [f"<td><img src='{_esc(src)}' width=320 alt='{_esc(label)}'></td>"
                  for label, src in cells]
        parts.append("</tr>")
    parts.append("</table>")
    return parts


def write_html(path: Path, doc: Mapping, root: Path) -> None:
    """The page: the matrix (a cell is passed / applicable, coloured by the
    share passed, marked when something fails the run), then each
    implementation's failures, one closed <details> per note, grouped by
    golden file and reason, each case linked to its golden file and line
    (relative to root, the repository); then the frames drawn. No external
    assets; a few lines of script open the failures a cell links to."""
    root_rel = os.path.relpath(root, path.parent).replace(os.sep, "/")
    impls = doc["implementations"]
    made = f" by <code>{_esc(doc['made_by'])}</code>" if doc.get("made_by") else ""
    at = f" at commit <code>{_esc(doc['commit'])}</code>" if doc.get("commit") else ""
    parts = ["<!doctype html><html lang=en><meta charset=utf-8>",
             "<meta name=viewport content='width=device-width, initial-scale=1'>",
             "<title>pynotes conformance</title>", f"<style>{_CSS}</style>",
             "<h1>pynotes conformance</h1>",
             f"<p class=about>Made{made} on {_esc(doc['generated'])}{at}. Each cell: the "
             "golden cases the implementation passed / the cases that apply to it (its "
             "language version, kind and pointer size); skipped cases are counted apart. A red "
             "edge marks a failure that fails the run (not a listed known failure). Click a "
             "cell for its failures, grouped by golden file and reason.</p>"]
    main, versions = by_version_columns(impls)
    parts += _matrix_table(doc, main)
    if versions:
        parts.append("<h2>pyref as each CPython version</h2><p class=about>The C reference "
                     "checked as each version (<code>--impl ref --python X.Y</code>): each "
                     "command answers for the versions it models and refuses the others "
                     "(exit 2: skipped).</p>")
        parts += _matrix_table(doc, versions)
    for index, impl in enumerate(impls):
        lines = header_lines(impl)
        parts.append(f"<section class=impl id='i{index}'><h2>{_esc(' '.join(lines[:2]))} "
                     f"<small>{_esc(' · '.join(lines[2:]))}</small>"
                     "<a class=up href='#'>↑ matrix</a></h2>")
        if impl.get("about"):
            parts.append(f"<p>{_esc(impl['about'])}</p>")
        parts.append(f"<p><code>--impl {_esc(_short(impl['label']))}</code>"
                     + (f" runs <code>{_esc(_short(impl['command']))}</code>"
                        if impl.get("command") else "") + "</p>")
        shown = 0
        # A note none of whose cases apply is one line of its skip reasons
        # (the cell's target), not a closed box to open for them.
        unserved = []
        for note in doc["notes"]:
            entry = impl["notes"].get(note)
            if entry is None or (entry["passed"] == entry["applicable"] and not entry["skipped"]):
                continue
            if entry["applicable"] == 0 and entry["skipped"]:
                unserved.append(_unserved_line(note, entry, _cell_id(index, note)))
                continue
            parts += _note_details(note, entry, _cell_id(index, note), root_rel)
            shown += 1
        if unserved:
            parts.append("<p>Nothing applies in:</p><ul class=skips>" + "".join(unserved)
                         + "</ul>")
        elif not shown:
            parts.append("<p>Every case passed.</p>")
        parts.append("</section>")
    parts += _frames_html(doc, root_rel)
    parts.append(f"<script>{_SCRIPT}</script>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def readme_main(root: Path, argv: Sequence[str]) -> int:
    """tools/readme_matrix [REPORT.json]: copies the matrix of a tools/conform
    run (default root/reports/conform.json) into root/README.md between its
    markers. Exit status 2 when the report or the markers are missing."""
    source = Path(argv[0]) if argv else root / "reports" / "conform.json"
    try:
        doc = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"readme_matrix: {source}: {error} (run tools/conform --matrix first)")
        return 2
    if doc.get("schema") != SCHEMA:
        print(f"readme_matrix: {source} is not a {SCHEMA} report")
        return 2
    readme = root / "README.md"
    try:
        updated = update_readme(readme.read_text(encoding="utf-8"), doc)
    except ValueError as error:
        print(f"readme_matrix: {readme}: {error}")
        return 2
    readme.write_text(updated, encoding="utf-8")
    print(f"readme_matrix: {readme}: the matrix of {len(doc['implementations'])} "
          f"implementations by {len(doc['notes'])} notes from {source} ({doc['made_by']})")
    return 0
