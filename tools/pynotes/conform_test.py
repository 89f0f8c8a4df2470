"""Tests of conform's result handling: GoogleTest XML, known-failure lists,
filters, the table and the reports."""

import json
import os
import re
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from pynotes import conform, impls, report

GTEST_XML = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="4" failures="1" disabled="0" errors="0" name="AllTests">
  <testsuite name="sha256" tests="4" failures="1" skipped="1">
    <testcase name="abc" file="golden/hashes/sha256.txt" line="15" status="run"
              result="completed" classname="sha256" />
    <testcase name="L20" status="run" result="completed" classname="sha256">
      <failure message="golden/hashes/sha256.txt:20&#x0A;expected the answer == Output"
               type=""><![CDATA[details]]></failure>
    </testcase>
    <testcase name="note_b1" status="run" result="skipped" classname="sha256">
      <skipped message="refused"><![CDATA[refused]]></skipped>
    </testcase>
    <testcase name="empty" status="run" result="completed" classname="sha256" />
  </testsuite>
</testsuites>
"""


def parse_sample() -> list:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "test.xml"
        path.write_text(GTEST_XML)
        return conform.parse_test_xml("hashes", path)


class ParseTestXmlTest(unittest.TestCase):
    def test_statuses_and_messages(self):
        results = {r.case: r for r in parse_sample()}
        self.assertEqual(results["sha256.abc"].status, "passed")
        self.assertEqual(results["sha256.L20"].status, "failed")
        self.assertIn("sha256.txt:20", results["sha256.L20"].message)
        self.assertEqual(results["sha256.note_b1"].status, "skipped")
        self.assertEqual(results["sha256.empty"].case_id, "hashes/sha256.empty")
        self.assertEqual((results["sha256.abc"].file, results["sha256.abc"].line),
                         ("golden/hashes/sha256.txt", 15))
        self.assertEqual((results["sha256.empty"].file, results["sha256.empty"].line), ("", 0))


def fake_interpreter(path: Path, version: str) -> Path:
    """An executable that answers any command line as an interpreter of
    version X.Y asked for its version, release and pointer size does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {version} {version}.0 8\n")
    path.chmod(0o755)
    return path


class FindCpythonTest(unittest.TestCase):
    def test_newest_pyenv_patch_level_of_the_version(self):
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            versions = home / ".pyenv" / "versions"
            for patch in ("3.99.9", "3.99.10", "3.98.20"):
                fake_interpreter(versions / patch / "bin" / "python3.99", "3.99")
            # Newer, but broken (as a pyenv shim of an unselected version is).
            broken = versions / "3.99.11" / "bin" / "python3.99"
            fake_interpreter(broken, "3.99").write_text("#!/bin/sh\nexit 127\n")
            interpreter, version = conform.find_cpython("3.99", home)
            self.assertEqual(interpreter, versions / "3.99.10" / "bin" / "python3.99")
            self.assertEqual(version, "3.99")

    def test_no_such_version_or_a_bad_one_is_an_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            for bad in ("3.97", "3", "3.x", "three"):
                with self.subTest(bad), self.assertRaises(SystemExit):
                    conform.find_cpython(bad, Path(tmp))

    def test_a_path_declares_the_version_the_interpreter_says(self):
        with tempfile.TemporaryDirectory() as tmp:
            interpreter = fake_interpreter(Path(tmp) / "bin" / "python", "3.99")
            self.assertEqual(conform.find_cpython(str(interpreter)), (interpreter, "3.99"))
            impl = conform.resolve("cpython", None, str(interpreter))
            self.assertEqual(impl.python, "3.99")
            self.assertTrue(impl.command.startswith(str(interpreter) + " "))
            self.assertTrue(impl.command.endswith(os.path.join("tools", "adapters", "cpython")))

    def test_an_ad_hoc_command_declares_the_version_given(self):
        impl = conform.resolve("my-python-adapter", None, "3.12")
        self.assertEqual((impl.command, impl.python), ("my-python-adapter", "3.12"))
        self.assertIsNone(conform.resolve("my-python-adapter", None).python)


class DescriptionTest(unittest.TestCase):
    def test_shipped_descriptions(self):
        self.assertEqual(impls.names(conform.ROOT), ["cpython", "pyodide", "pypy", "ref"])
        for name in impls.names(conform.ROOT):
            with self.subTest(name):
                description = impls.load(impls.directory(conform.ROOT) / f"{name}.toml")
                self.assertEqual(description.name, name)
        pypy = conform.resolve("pypy", None)
        self.assertEqual((pypy.kind, pypy.python, pypy.pointer_size), ("pypy", "3.9", "8"))
        self.assertEqual(pypy.command, str(conform.ROOT / "tools" / "adapters" / "pypy"))
        pyodide = conform.resolve("pyodide", None)
        self.assertEqual((pyodide.kind, pyodide.python, pyodide.pointer_size),
                         ("cpython", "3.14", "4"))
        # Pyodide loads itself in each process: its answers get more time.
        self.assertEqual((pypy.timeout_factor, pyodide.timeout_factor), (1.0, 3.0))
        # Flags override a description's values.
        declared = conform.resolve("pypy", None, "3.10", "other", "4")
        self.assertEqual((declared.kind, declared.python, declared.pointer_size),
                         ("other", "3.10", "4"))

    def test_cpython_runs_under_the_interpreter_of_the_version(self):
        with tempfile.TemporaryDirectory() as tmp:
            interpreter = fake_interpreter(Path(tmp) / "bin" / "python", "3.99")
            impl = conform.resolve("cpython", None, str(interpreter))
            self.assertEqual((impl.python, impl.kind, impl.pointer_size), ("3.99", "cpython", "8"))
            self.assertEqual(impl.command, f"{interpreter} {conform.ROOT}/tools/adapters/cpython")

    def test_malformed_descriptions(self):
        good = dict(name='"x"', description='"d"', kind='"cpython"', command='"{root}/x"',
                    python='"3.9"', pointer_size="8", known_failures='"k.txt"')
        for change, problem in [
            ({"name": '"y"'}, "not the file's 'x'"),
            ({"python": '"3"'}, "python must be a version"),
            ({"pointer_size": "2"}, "pointer_size must be 4 or 8"),
            ({"pointer_size": '"8"'}, "pointer_size must be a int"),
            ({"command": '"{nope}"'}, "command has an unknown {nope}"),
            ({"extra": '"1"'}, "unknown keys ['extra']"),
            ({"kind": None}, "missing keys ['kind']"),
            ({"timeout_factor": "0.5"}, "timeout_factor must be a number from 1 to 100"),
            ({"timeout_factor": '"3"'}, "timeout_factor must be a number from 1 to 100"),
            ({"version": "7"}, "version must be a str"),
        ]:
            with self.subTest(change), tempfile.TemporaryDirectory() as tmp:
                values = {**good, **change}
                path = Path(tmp) / "x.toml"
                path.write_text("".join(f"{k} = {v}\n" for k, v in values.items() if v))
                with self.assertRaisesRegex(impls.DescriptionError, re.escape(problem)):
                    impls.load(path)


class FactsTest(unittest.TestCase):
    def test_cpython_is_what_the_interpreter_says(self):
        with tempfile.TemporaryDirectory() as tmp:
            interpreter = fake_interpreter(Path(tmp) / "bin" / "python", "3.99")
            impl = conform.resolve("cpython", None, str(interpreter))
            facts = conform.facts_of(impl)
        self.assertEqual((facts.name, facts.version, facts.python, facts.kind,
                          facts.pointer_size), ("CPython", "3.99.0", "3.99", "cpython", 8))
        self.assertIn("CPython", facts.about)

    def test_a_command_is_what_the_flags_declare(self):
        impl = conform.resolve("./port", None, "3.12", None, "4")
        facts = conform.facts_of(impl)
        self.assertEqual((facts.name, facts.version, facts.python, facts.kind,
                          facts.pointer_size, facts.command),
                         ("./port", "", "3.12", "cpython", 4, "./port"))

    def test_a_description_says_its_declaration_and_line(self):
        facts = conform.facts_of(conform.resolve("pyodide", None))
        self.assertEqual((facts.name, facts.python, facts.kind, facts.pointer_size),
                         ("Pyodide", "3.14", "cpython", 4))
        # Its version is the one the repository pins for ci/install.
        package = json.loads((conform.ROOT / "tools" / "adapters" / "pyodide_npm"
                              / "package.json").read_text())
        self.assertEqual(facts.version, package["dependencies"]["pyodide"])
        self.assertIn("Pyodide", facts.about)

    def test_pypy_version_is_what_pypy_says(self):
        facts = conform.facts_of(conform.resolve("pypy", None))
        self.assertEqual(facts.name, "PyPy")
        if not Path("/usr/bin/pypy3").exists():
            self.skipTest("no /usr/bin/pypy3 here")
        said = subprocess.run(["/usr/bin/pypy3", "--version"], capture_output=True, text=True,
                              check=True, timeout=60).stdout
        self.assertRegex(said, r"\[PyPy " + re.escape(facts.version) + r"[ \]]")

    def test_matrix_chooses_the_implementations(self):
        for extra in (["--impl", "cpython"], ["--python", "3.12"]):
            with self.subTest(extra), self.assertRaises(SystemExit):
                conform.parse_args(["--matrix", *extra])
        self.assertTrue(conform.parse_args(["--matrix", "hashes"]).matrix)


class SkipReasonsTest(unittest.TestCase):
    def test_counts_each_reason_without_the_case_name(self):
        newer = "holds for Python 3.12-; checking Python 3.11"
        results = [
            conform.CaseResult("floats", "sum.a", "skipped", "golden/floats/sum.txt:9\n" + newer),
            conform.CaseResult("floats", "sum.b", "skipped", newer),
            conform.CaseResult("floats", "repr.c", "skipped",
                               "repr.c: repr --python=3.6: refused\nmore"),
            conform.CaseResult("floats", "repr.d", "passed"),
        ]
        self.assertEqual(conform.skip_reasons(results), [
            (2, "holds for Python 3.12-; checking Python 3.11"),
            (1, "repr --python=3.6: refused"),
        ])
        table = conform.summarize("x", results)
        self.assertIn("skipped      2: holds for Python 3.12-; checking Python 3.11", table)


class KnownFailuresTest(unittest.TestCase):
    def test_listed_failure_is_known_and_listed_pass_is_stale(self):
        results = parse_sample()
        conform.apply_known_failures(results, ["hashes/sha256.L20", "hashes/sha256.a*"])
        by_case = {r.case: r.status for r in results}
        self.assertEqual(by_case["sha256.L20"], "xfail")
        self.assertEqual(by_case["sha256.abc"], "xpass")
        self.assertEqual(by_case["sha256.empty"], "passed")

    def test_reads_comments_and_blank_lines(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "list.txt"
            path.write_text("# why\nhashes/sha256.L20  # float formatting\n\n"
                            "  # an input keeps its '#':\nhashes/sha256 Input = 61 # 62  \n")
            self.assertEqual(conform.read_known_failures(path),
                             ["hashes/sha256.L20", "hashes/sha256 Input = 61 # 62"])
            self.assertEqual(conform.read_known_failures(Path(tmp) / "absent"), [])

    def test_a_case_listed_by_its_input_stays_listed_when_cases_come_before_it(self):
        header = "Command = sha256\nRecorded-By = hand\nOracle = none\nPython = 3.6-\n\n"
        cases = ('Input = 61\nOutput = x\n\nInput = "\\xff"\nOutput = y\n\n'
                 "Input = 6162636465666768\nOutput = z\n\nInput = 6162636465\nOutput = w\n")
        known = ['hashes/t Input = "\\xff"', "hashes/t Input = 61626364656667 ...",
                 "hashes/t Input = 6"]
        for before in ("", "Input = 00\nOutput = v\n\n" * 3):
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "golden" / "hashes" / "t.txt"
                path.parent.mkdir(parents=True)
                path.write_text(header + before + cases)
                first = 6 + before.count("\n")
                results = [conform.CaseResult("hashes", f"t.L{line}", status,
                                              file="golden/hashes/t.txt", line=line)
                           for line, status in ((first, "failed"), (first + 3, "failed"),
                                                (first + 6, "passed"), (first + 9, "failed"))]
                conform.apply_known_failures(results, known, root=Path(tmp))
                # "6" names no Input (not a prefix without ' ...'); the prefix
                # names 6162636465666768 only; "\xff" as the file writes it.
                self.assertEqual([r.status for r in results],
                                 ["failed", "xfail", "xpass", "failed"], before)


class FilterTest(unittest.TestCase):
    def test_gtest_filter(self):
        self.assertIsNone(conform.gtest_filter([], []))
        self.assertEqual(conform.gtest_filter(["sha256.*"], []), "sha256.*")
        self.assertEqual(conform.gtest_filter([], ["*.note_*"]), "*-*.note_*")
        self.assertEqual(conform.gtest_filter(["a.*", "b.*"], ["*.x"]), "a.*:b.*-*.x")


class SummaryAndReportsTest(unittest.TestCase):
    def test_table_counts_and_first_diff(self):
        table = conform.summarize("ref", parse_sample())
        self.assertIn("hashes          4       2       1        1", table)
        self.assertIn("FAIL hashes/sha256.L20", table)

    def test_reports(self):
        results = {"ref": parse_sample(), "cpython": parse_sample()}
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            doc = report.matrix(results, root=out)
            report.write_json(out / "r.json", doc)
            report.write_junit(out / "r.xml", results)
            report.write_html(out / "r.html", doc, out)
            data = json.loads((out / "r.json").read_text())
            ref = data["implementations"][0]
            self.assertEqual((ref["label"], ref["totals"]["failed"]), ("ref", 1))
            # Without GoogleTest's file and line, the place comes from the message.
            self.assertEqual([(f["case"], f["file"], f["line"])
                              for f in ref["notes"]["hashes"]["failures"]],
                             [("sha256.L20", "golden/hashes/sha256.txt", 20)])
            suites = ET.parse(out / "r.xml").getroot().findall("testsuite")
            self.assertEqual([s.get("name") for s in suites], ["ref/hashes", "cpython/hashes"])
            page = (out / "r.html").read_text()
            self.assertIn("golden/hashes/sha256.txt#L20'>L20</a>", page)
            self.assertNotIn(">abc<", page)  # a passing case is only counted


class FramesTest(unittest.TestCase):
    def test_frames_are_copied_and_shown_beside_the_golden_one(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            outputs = root / "logs" / "conformance" / "window" / "window_test" / "test.outputs"
            outputs.mkdir(parents=True)
            with zipfile.ZipFile(outputs / "outputs.zip", "w") as archive:
                archive.writestr("impl_hello_frame.png", b"drawn")
                archive.writestr("notes.txt", b"ignored")
            frames = conform.collect_frames(root / "logs", "window", 0, root / "report" / "f")
            self.assertEqual([(f.note, f.name) for f in frames], [("window", "hello_frame.png")])
            self.assertEqual(frames[0].path.read_bytes(), b"drawn")
            (root / "golden" / "window").mkdir(parents=True)
            (root / "golden" / "window" / "hello_frame.png").write_bytes(b"golden")
            page = root / "report" / "conform.html"
            doc = report.matrix({"ref": parse_sample()}, frames={"ref": frames},
                                report_dir=page.parent)
            report.write_html(page, doc, root)
            text = page.read_text()
            self.assertIn("<h2>Frames</h2>", text)
            self.assertIn("src='f/window/hello_frame.png'", text)
            self.assertIn("src='../golden/window/hello_frame.png'", text)


if __name__ == "__main__":
    unittest.main()
