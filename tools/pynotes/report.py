"""conform's reports: JSON, JUnit XML and an HTML matrix of cases by implementation."""

from __future__ import annotations

import html
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Mapping, Sequence

STATUSES = ("passed", "failed", "skipped", "xfail", "xpass")


def write_json(path: Path, results: Mapping[str, Sequence]) -> None:
    data = {
        "implementations": {
            label: {
                "counts": {s: sum(1 for r in rs if r.status == s) for s in STATUSES},
                "cases": [{"id": r.case_id, "status": r.status, "message": r.message}
                          for r in rs],
            }
            for label, rs in results.items()
        }
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


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


_CSS = """
body { font-family: sans-serif; margin: 2em; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ccc; padding: 2px 6px; font-size: 13px; }
.passed { background: #dfd; } .failed, .xpass { background: #fbb; }
.skipped { background: #eee; } .xfail { background: #ffd; }
pre { margin: 0; white-space: pre-wrap; max-width: 60em; }
"""


def _frames_html(path: Path, frames: Mapping[str, Sequence], golden_dir: Path) -> list:
    """Pictures side by side: the golden one, then each implementation's."""
    by_frame: dict = {}
    for label, label_frames in frames.items():
        for f in label_frames:
            by_frame.setdefault((f.note, f.name), {})[label] = f.path
    if not by_frame:
        return []
    parts = ["<h2>Frames</h2><table>"]
    for (note, name), drawn in sorted(by_frame.items()):
        golden = golden_dir / note / name
        cells = [("golden", golden)] + sorted(drawn.items())
        parts.append(f"<tr><th colspan={len(cells)}>{html.escape(note)}/{html.escape(name)}"
                     "</th></tr><tr>" + "".join(f"<td>{html.escape(label)}</td>"
                                                for label, _ in cells) + "</tr><tr>")
        for _, picture in cells:
            if picture.exists():
                src = os.path.relpath(picture, path.parent)
                parts.append(f"<td><img src='{html.escape(src)}' width=320></td>")
            else:
                parts.append("<td>(none)</td>")
        parts.append("</tr>")
    parts.append("</table>")
    return parts


def write_html(path: Path, results: Mapping[str, Sequence],
               frames: Mapping[str, Sequence] = None, golden_dir: Path = None) -> None:
    """A summary per implementation, the pictures implementations drew beside the
    golden ones, then a matrix: one row per case, one column per implementation;
    failing rows first, with their messages."""
    labels = list(results)
    parts = ["<!doctype html><meta charset=utf-8><title>pynotes conformance</title>",
             f"<style>{_CSS}</style><h1>pynotes conformance</h1><h2>Summary</h2><table>",
             "<tr><th>implementation</th>" + "".join(f"<th>{s}</th>" for s in STATUSES)
             + "</tr>"]
    for label in labels:
        counts = {s: sum(1 for r in results[label] if r.status == s) for s in STATUSES}
        parts.append(f"<tr><td>{html.escape(label)}</td>"
                     + "".join(f"<td>{counts[s]}</td>" for s in STATUSES) + "</tr>")
    parts.append("</table>")
    if frames and golden_dir is not None:
        parts += _frames_html(path, frames, golden_dir)
    parts.append("<h2>Cases</h2><table><tr><th>case</th>"
                 + "".join(f"<th>{html.escape(label)}</th>" for label in labels) + "</tr>")
    matrix: dict[str, dict[str, object]] = {}
    for label in labels:
        for r in results[label]:
            matrix.setdefault(r.case_id, {})[label] = r
    def badness(item):
        case_id, row = item
        return (not any(getattr(r, "status", "") in ("failed", "xpass") for r in row.values()),
                case_id)
    for case_id, row in sorted(matrix.items(), key=badness):
        cells = []
        for label in labels:
            r = row.get(label)
            if r is None:
                cells.append("<td>-</td>")
                continue
            detail = f"<pre>{html.escape(r.message)}</pre>" if r.message and \
                r.status != "passed" else ""
            cells.append(f"<td class={r.status}>{r.status}{detail}</td>")
        parts.append(f"<tr><td>{html.escape(case_id)}</td>{''.join(cells)}</tr>")
    parts.append("</table>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
