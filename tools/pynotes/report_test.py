"""Tests of conform's reports on small synthetic runs: the matrix's figures,
the JSON, the page and the README's copy of the matrix, and the failure
reasons they group by.

    bazel test //tools:report_test
"""

import json
import re
import tempfile
import unittest
from pathlib import Path
from typing import NamedTuple

from pynotes import failure_reasons, report


class Result(NamedTuple):
    """What conform.CaseResult holds (report only reads these fields)."""
    note: str
    case: str
    status: str
    message: str = ""
    file: str = ""
    line: int = 0


def wrong(file: str, line: int, expected: str, got: str) -> str:
    """A wrong answer as the harness reports it."""
    return (f"{file}:{line}\nexpected the answer == Output\n  expected: \"{expected}\"\n"
            f"  got:      \"{got}\"")


GOLDEN = """# Recorded by hand for the test.
Command = sha256
Recorded-By = hand
Oracle = CPython 3.11.2 hashlib
Python = 3.11

Input = 6
Output = ValueError: non-hexadecimal number found in fromhex() arg at position 0

Input = 61
Output = ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb
"""


def sample() -> dict:
    """Two implementations over two notes: all kinds of outcome."""
    sha = "golden/hashes/sha256.txt"
    return {
        "ref": [Result("hashes", "sha256.L7", "passed", file=sha, line=7),
                Result("hashes", "sha256.L10", "passed", file=sha, line=10),
                Result("floats", "repr.L1", "passed", file="golden/floats/repr.txt", line=1)],
        "port": [
            Result("hashes", "sha256.L7", "failed", wrong(
                sha, 7, "ValueError: non-hexadecimal number found in fromhex() arg at position 0",
                "ValueError: non-hexadecimal number found in fromhex() arg at position 1"),
                file=sha, line=7),
            # No file attribute: the place comes from the message.
            Result("hashes", "sha256.L10", "xfail", wrong(sha, 10, "<b>ca97</b>", "<b>ca98</b>")),
            Result("floats", "repr.L1", "skipped",
                   "golden/floats/repr.txt:1\nrepr.L1: repr --python=3.11: refused"),
            Result("floats", "repr.L2", "xpass", "", file="golden/floats/repr.txt", line=2),
            Result("floats", "repr.L3", "failed",
                   "golden/floats/repr.txt:3\nrepr.L3: repr --python=3.11 via port: timed out",
                   file="golden/floats/repr.txt", line=3),
        ],
    }


FACTS = {"ref": report.Facts("ref", "pyref", "abc1234", "", "cpython", 8, "bazel-bin/ref/pyref"),
         "port": report.Facts("port", "Port", "0.1", "3.14", "cpython", 4, "./port")}


def make_doc(root: Path | None = None, results: dict | None = None) -> dict:
    return report.matrix(results or sample(), FACTS, notes=["floats", "hashes", "sizeof"],
                         root=root, made_by="tools/conform --matrix", commit="abc1234",
                         generated="2026-12-07 12:00 UTC")


def with_golden_root(test):
    """Runs test(self, root) with root a repository holding GOLDEN."""
    def wrapper(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "golden" / "hashes").mkdir(parents=True)
            (root / "golden" / "hashes" / "sha256.txt").write_text(GOLDEN)
            test(self, root)
    return wrapper


class MatrixTest(unittest.TestCase):
    def test_counts_per_note_and_totals(self):
        doc = make_doc()
        ref, port = doc["implementations"]
        self.assertEqual(doc["notes"], ["floats", "hashes", "sizeof"])
        self.assertEqual(ref["totals"], {"cases": 3, "applicable": 3, "passed": 3, "failed": 0,
                                         "xfail": 0, "xpass": 0, "skipped": 0})
        hashes = port["notes"]["hashes"]
        self.assertEqual((hashes["applicable"], hashes["passed"], hashes["failed"],
                          hashes["xfail"]), (2, 0, 1, 1))
        floats = port["notes"]["floats"]
        # A stale known failure answered right: passed, and listed (it fails the run).
        self.assertEqual((floats["cases"], floats["applicable"], floats["passed"],
                          floats["xpass"], floats["skipped"]), (3, 2, 1, 1, 1))
        self.assertEqual(floats["skips"], [{"reason": "repr --python=3.11: refused",
                                            "count": 1}])
        self.assertNotIn("sizeof", port["notes"])
        self.assertEqual((port["name"], port["version"], port["python"], port["pointer_size"]),
                         ("Port", "0.1", "3.14", 4))

    def test_failures_only_with_place_reason_and_answers(self):
        port = make_doc()["implementations"][1]
        listed = {f["case"]: f for note in port["notes"].values() for f in note["failures"]}
        self.assertEqual(sorted(listed), ["repr.L2", "repr.L3", "sha256.L10", "sha256.L7"])
        self.assertEqual((listed["sha256.L10"]["file"], listed["sha256.L10"]["line"]),
                         ("golden/hashes/sha256.txt", 10))
        self.assertEqual(listed["sha256.L7"]["got"],
                         "ValueError: non-hexadecimal number found in fromhex() arg at position 1")
        self.assertEqual(listed["sha256.L7"]["reason"], "ValueError: message differs in a "
                         "value: “non-hexadecimal number found in fromhex() arg at position N”")
        self.assertEqual(listed["repr.L3"]["reason"], "repr --python=3.11 via port: timed out")
        self.assertEqual(listed["repr.L2"]["reason"], "listed as a known failure, passes now")
        self.assertNotIn("failures", json.dumps(make_doc()["implementations"][0]["notes"])
                         .replace('"failures": []', ""))

    @with_golden_root
    def test_inputs_come_from_the_golden_file(self, root):
        port = make_doc(root)["implementations"][1]
        listed = {f["case"]: f for f in port["notes"]["hashes"]["failures"]}
        self.assertEqual(listed["sha256.L7"]["input"], "6")
        self.assertEqual(listed["sha256.L10"]["input"], "61")
        self.assertNotIn("input", port["notes"]["floats"]["failures"][0])  # no such file

    def test_json_round_trip(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "conform.json"
            report.write_json(path, make_doc())
            data = json.loads(path.read_text())
        self.assertEqual(data["schema"], report.SCHEMA)
        self.assertEqual([i["label"] for i in data["implementations"]], ["ref", "port"])
        self.assertEqual(data, json.loads(json.dumps(make_doc())))


class PageTest(unittest.TestCase):
    def page(self, doc=None, root=None) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            root = root or Path(tmp)
            path = root / "reports" / "conform.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            report.write_html(path, doc or make_doc(root), root)
            return path.read_text()

    def test_header_names_each_implementation(self):
        page = self.page()
        header = page[page.index("<thead>"):page.index("</thead>")]
        for text in ("<b>pyref</b>", "abc1234", "<b>Port</b>", "0.1", "Python 3.14",
                     "cpython, 32-bit", "cpython, 64-bit"):
            self.assertIn(text, header)

    def test_cells_link_to_their_failures(self):
        page = self.page()
        self.assertIn("0 / 2", page)                      # port's hashes cell
        self.assertIn("<span>1 failed</span> · <span>1 known</span>", page)
        self.assertIn("not run", page)                    # sizeof: no results
        targets = re.findall(r"<a href='#(i[0-9]+-[a-z]+)'>", page)
        self.assertEqual(sorted(targets), ["i1-floats", "i1-hashes"])
        for target in targets:
            self.assertIn(f"<details class=cell id='{target}'>", page)

    def test_note_with_nothing_applicable_is_one_line_its_cell_links_to(self):
        results = {"port": [Result("floats", "repr.L1", "skipped", "holds for Python 3.11"),
                            Result("floats", "repr.L2", "skipped", "holds for Python 3.11"),
                            Result("hashes", "sha.L1", "passed", "")]}
        page = self.page(report.matrix(results, FACTS, notes=["floats", "hashes"]))
        self.assertIn("<a href='#i0-floats'>", page)
        self.assertIn("<li id='i0-floats'><b>floats</b>: 2 skipped: holds for Python 3.11</li>",
                      page)
        self.assertNotIn("<details class=cell id='i0-floats'>", page)
        # The figures do not break inside (the totals wrapped at 1,400 px).
        self.assertIn("<b>1 / 1</b>", page)
        self.assertIn(".matrix td b, .matrix td small span, .matrix thead th span "
                      "{ white-space: nowrap; }", page)

    @with_golden_root
    def test_failures_grouped_by_file_and_reason_with_links(self, root):
        page = self.page(make_doc(root), root)
        cell = page[page.index("id='i1-hashes'"):]
        cell = cell[:cell.index("</section>")]
        self.assertIn("<a href='../golden/hashes/sha256.txt'>golden/hashes/sha256.txt</a>: "
                      "2 not passed", cell)
        self.assertIn("<a href='../golden/hashes/sha256.txt#L7'>L7</a>", cell)
        self.assertIn("message differs in a value", cell)
        self.assertIn("another answer (1)", cell)
        self.assertIn("position <mark>1</mark>", cell)   # where the answers differ
        self.assertIn("&lt;b&gt;ca9<mark>8</mark>&lt;/b&gt;", cell)  # escaped
        self.assertNotIn("<b>ca98", page)

    def test_no_external_assets(self):
        page = self.page()
        self.assertNotRegex(page, r"(src|href)=['\"]?(https?:)?//")
        self.assertNotIn("<link", page)

    def test_size_grows_with_failures_not_cases(self):
        def run(passing: int) -> dict:
            results = sample()
            results["ref"] = [Result("hashes", f"sha256.L{n}", "passed",
                                     file="golden/hashes/sha256.txt", line=n)
                              for n in range(passing)]
            return make_doc(results=results)
        few, many = self.page(run(10)), self.page(run(100000))
        self.assertLess(len(many) - len(few), 40)          # only the figures grow

    def test_a_long_group_is_cut_and_counted(self):
        results = {"port": [Result("floats", f"repr.L{n}", "failed",
                                   wrong("golden/floats/repr.txt", n, "1.0", "1.5"))
                            for n in range(report.SHOWN_PER_REASON + 7)]}
        doc = report.matrix(results, FACTS)
        self.assertEqual(doc["notes"], ["floats"])  # the notes met, each once
        page = self.page(doc)
        self.assertEqual(page.count("<tr><td class='mono'>"), report.SHOWN_PER_REASON)
        self.assertIn(f"another answer ({report.SHOWN_PER_REASON + 7})", page)
        self.assertIn("… and 7 more for this reason", page)

    def test_frames_beside_the_golden_picture(self):
        class Frame(NamedTuple):
            note: str
            name: str
            path: Path
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            frames = {"ref": [Frame("window", "hello.png", root / "reports" / "frames" / "i0"
                                    / "window" / "hello.png")]}
            doc = report.matrix(sample(), FACTS, root=root, frames=frames,
                                report_dir=root / "reports")
            page = self.page(doc, root)
        self.assertIn("<h2>Frames</h2>", page)
        self.assertIn("src='frames/i0/window/hello.png'", page)
        self.assertIn("src='../golden/window/hello.png'", page)


class ReadmeTest(unittest.TestCase):
    def test_table(self):
        self.assertEqual(report.readme_table(make_doc()), "\n".join([
            "| note | pyref abc1234<br>cpython, 64-bit | Port 0.1<br>Python 3.14<br>cpython, "
            "32-bit |",
            "| --- | ---: | ---: |",
            "| `floats` | 1/1 | 1/2 |",
            "| `hashes` | 2/2 | 0/2 |",
            "| `sizeof` | not run | not run |",
            "| total | 3/3 | 1/4 |",
            "",
            "Golden cases passed / cases that apply to each implementation (its language "
            "version, kind and pointer size); made by `tools/conform --matrix` on "
            "2026-12-07 12:00 UTC at abc1234.",
        ]))

    def test_pyref_as_each_version_is_a_table_of_its_own(self):
        results = dict(sample())
        results["ref --python 3.6"] = [Result("hashes", "sha256.L7", "failed", "x"),
                                       Result("floats", "repr.L1", "passed")]
        facts = dict(FACTS)
        facts["ref"] = report.Facts("ref", "pyref", "abc1234", "3.11", "cpython", 8, "pyref")
        facts["ref --python 3.6"] = report.Facts("ref --python 3.6", "pyref", "abc1234", "3.6",
                                                 "cpython", 8, "pyref")
        doc = report.matrix(results, facts, notes=["floats", "hashes"])
        self.assertEqual(report.by_version_columns(doc["implementations"]), ([0, 1], [2, 0]))
        table = report.readme_table(doc)
        first, second = table.split("pyref as each CPython version")
        self.assertNotIn("Python 3.6", first)
        self.assertIn("| note | Python 3.6 | Python 3.11 |", second)
        self.assertIn("| `hashes` | 0/1 | 2/2 |", second)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "conform.html"
            report.write_html(path, doc, Path(tmp))
            page = path.read_text()
        self.assertEqual(page.count("<table class=matrix>"), 2)
        self.assertIn("id='i2'", page)

    def test_one_pyref_is_one_table(self):
        self.assertEqual(report.by_version_columns(make_doc()["implementations"]), ([0, 1], []))

    def test_all_skipped_and_no_cases(self):
        results = {"port": [Result("floats", "repr.L1", "skipped", "refused")]}
        doc = report.matrix(results, FACTS, notes=["floats", "hashes"])
        self.assertIn("| `floats` | all skipped |", report.readme_table(doc))

    def test_update_between_markers(self):
        doc = make_doc()
        text = (f"# title\n\nbefore\n{report.README_BEGIN}\nold table\n{report.README_END}\n"
                "after\n")
        updated = report.update_readme(text, doc)
        self.assertTrue(updated.startswith(f"# title\n\nbefore\n{report.README_BEGIN}\n| note |"))
        self.assertTrue(updated.endswith(f"at abc1234.\n{report.README_END}\nafter\n"))
        self.assertNotIn("old table", updated)
        self.assertEqual(report.update_readme(updated, doc), updated)
        for broken in ("no markers", f"{report.README_END}\n{report.README_BEGIN}\n"):
            with self.subTest(broken), self.assertRaises(ValueError):
                report.update_readme(broken, doc)


class ReadmeToolTest(unittest.TestCase):
    def test_copies_the_report_into_the_readme(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            readme = root / "README.md"
            readme.write_text(f"x\n{report.README_BEGIN}\n{report.README_END}\n")
            self.assertEqual(report.readme_main(root, []), 2)      # no report yet
            (root / "reports").mkdir()
            report.write_json(root / "reports" / "conform.json", make_doc())
            self.assertEqual(report.readme_main(root, []), 0)
            self.assertIn("| `hashes` | 2/2 | 0/2 |", readme.read_text())
            (root / "other.json").write_text('{"schema": "old"}')
            self.assertEqual(report.readme_main(root, [str(root / "other.json")]), 2)


class ReasonTest(unittest.TestCase):
    def reason(self, expected: str, got: str) -> str:
        return failure_reasons.reason(wrong("golden/x/y.txt", 3, expected, got))

    def test_wrong_answers(self):
        self.assertEqual(self.reason("0.1", "0.2"), "another answer")
        self.assertEqual(self.reason("0.1", "NotImplementedError: no"),
                         "NotImplementedError instead of an answer")
        self.assertEqual(self.reason("OverflowError: too big", "inf"),
                         "an answer instead of OverflowError")
        self.assertEqual(self.reason("ValueError: x", "TypeError: x"),
                         "TypeError instead of ValueError")
        self.assertEqual(
            self.reason("ValueError: could not convert string to float: 'x'",
                        "ValueError: invalid literal: 'x' at 3"),
            "ValueError: message differs: “could not convert string to float: '…'” → "
            "“invalid literal: '…' at N”")
        self.assertEqual(self.reason("KeyboardInterrupt", "SystemExit"),
                         "SystemExit instead of KeyboardInterrupt")

    def test_other_messages_are_their_first_line_without_the_case(self):
        message = "golden/x/y.txt:3\ny.z: the session was lost\ndetails"
        self.assertEqual(failure_reasons.reason(message, "y.z"), "the session was lost")
        self.assertEqual(failure_reasons.reason(""), "(no message)")
        self.assertEqual(failure_reasons.skip_reason(message, "y.z"), "the session was lost")

    def test_parse(self):
        failure = failure_reasons.parse(wrong("golden/x/y.txt", 3, "a\\\"b", "c"))
        self.assertEqual((failure.place, failure.expected, failure.got),
                         ("golden/x/y.txt:3", "a\\\"b", "c"))
        cut = failure_reasons.parse('p.txt:1\nexpected the answer == Output\n'
                                    '  expected: "abc" ... (5000 bytes)\n  got:      "d"')
        self.assertEqual(cut.expected, "abc …")


if __name__ == "__main__":
    unittest.main()
