"""Tests of the recorder (tools/record): what it asks, and how it edits golden files.

    bazel test //tools:recorder_test
    cd tools && /usr/bin/python3 -m unittest pynotes.recorder_test
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
import unittest
from pathlib import Path

from pynotes import golden, pyodide, recorder
from pynotes.float_info import parse_float_info

TOOLS = Path(__file__).resolve().parent.parent
if "TEST_SRCDIR" in os.environ:
    TOOLS = Path(os.environ["TEST_SRCDIR"], os.environ["TEST_WORKSPACE"], "tools")


class FakeInterpreter:
    def __init__(self, minor: int) -> None:
        self.release = f"3.{minor}.0"


class FakeAdapter:
    """One interpreter's answers from a table instead of running CPython;
    records what was asked."""

    def __init__(self, answers: dict[str, str], minor: int = 11, pointer_size: int = 8) -> None:
        self.answers = answers
        self.minor = minor
        self.pointer_size = pointer_size
        self.interpreter = FakeInterpreter(minor)
        self.asked: list[tuple[str, list[bytes] | None]] = []

    def ask(self, command: str, lines: list[bytes] | None) -> list[str]:
        self.asked.append((command, lines))
        if lines is None:
            return [self.answers[command]]
        return [self.answers[line.decode()] for line in lines]

    def oracle(self, note: str) -> str:
        bits = ", 32-bit" if self.pointer_size == 4 else ""
        return f"CPython 3.{self.minor}.0 (fake {note}{bits})"


def record_with(text: str, adapters: list[FakeAdapter], update: bool = False) -> str:
    parsed = golden.parse("golden/note/t.txt", text)
    return recorder.record_file(parsed, text, "note", adapters, update).text  # type: ignore[arg-type]


def record(text: str, answers: dict[str, str], update: bool = False) -> tuple[str, FakeAdapter]:
    adapter = FakeAdapter(answers)
    return record_with(text, [adapter], update), adapter


REPR_HEADER = """\
# A comment before the header.
Command = repr
Recorded-By = hand
Oracle = old
Python = 3.11
"""


class RecordFileTest(unittest.TestCase):
    def test_inserts_missing_outputs_after_input_and_keeps_layout(self) -> None:
        text = REPR_HEADER + (
            "\n"
            "Name = a\n"
            "Input = 0.1\n"
            "# trailing comment\n"
            "Python = 3.6\n"
            "\n"
            "Input = 1e999\n"
            "Output = inf\n"
            "\n"
            "Input = x\n"
        )
        error = "ValueError: could not convert string to float: 'x'"
        answers = {"0.1": "0.1", "1e999": "inf", "x": error}
        new_text, adapter = record(text, answers)
        self.assertEqual(
            new_text,
            REPR_HEADER.replace("hand", "tools/record note")
            .replace("old", "CPython 3.11.0 (fake note)")
            + (
                "\n"
                "Name = a\n"
                "Input = 0.1\n"
                "Output = 0.1\n"
                "Output-Hex = 0x1.999999999999ap-4\n"
                "# trailing comment\n"
                "\n"
                "Input = 1e999\n"
                "Output = inf\n"
                "\n"
                "Input = x\n"
                f"Output = {error}\n"
            ),
        )
        # The Python = 3.6 that an earlier recording wrote is what 3.11 answers now.
        self.assertEqual(adapter.asked, [("repr", [b"0.1", b"x"])])

    def test_update_replaces_adds_and_deletes_output_hex(self) -> None:
        text = REPR_HEADER + (
            "\n"
            "Input = 0.5\n"
            "Output = 0.25\n"
            "Output-Hex = 0x1.0p-2\n"
            "\n"
            "Input = 2.0\n"
            "Output = 2.0\n"
            "Impl = cpython\n"
            "\n"
            "Input = bad\n"
            "Output = 1.0\n"
            "Output-Hex = 0x1.0p+0\n"
            "\n"
            "Input = 3.0\n"
            "Output = 1.0\n"
            "Source = the note\n"
            "\n"
            "Input = 4.0\n"
            "Output = 1.0\n"
            "Impl = pypy\n"
        )
        answers = {"0.5": "0.5", "2.0": "2.0", "bad": "ValueError: bad"}
        new_text, adapter = record(text, answers, update=True)
        self.assertEqual(
            new_text,
            REPR_HEADER.replace("hand", "tools/record --update note")
            .replace("old", "CPython 3.11.0 (fake note)")
            + (
                "\n"
                "Input = 0.5\n"
                "Output = 0.5\n"
                "Output-Hex = 0x1.0000000000000p-1\n"
                "\n"
                "Input = 2.0\n"
                "Output = 2.0\n"
                "Output-Hex = 0x1.0000000000000p+1\n"
                "Impl = cpython\n"
                "\n"
                "Input = bad\n"
                "Output = ValueError: bad\n"
                "\n"
                "Input = 3.0\n"
                "Output = 1.0\n"
                "Source = the note\n"
                "\n"
                "Input = 4.0\n"
                "Output = 1.0\n"
                "Impl = pypy\n"
            ),
        )
        self.assertEqual(adapter.asked, [("repr", [b"0.5", b"2.0", b"bad"])])

    def test_unchanged_file_keeps_its_header(self) -> None:
        text = REPR_HEADER + "\nInput = 0.5\nOutput = 0.5\nOutput-Hex = 0x1p-1\n"
        # Asked again, its answers are the interpreters' asked: only the Oracle says so.
        new_text, _ = record(text, {"0.5": "0.5"}, update=True)
        self.assertEqual(new_text, text.replace("old", "CPython 3.11.0 (fake note)"))
        self.assertEqual(record(new_text, {"0.5": "0.5"}, update=True)[0], new_text)

    def test_output_goes_after_input_repeat_and_is_quoted_when_needed(self) -> None:
        text = REPR_HEADER.replace("repr", "echo") + (
            "\nInput = 61\nInput-Repeat = 2\nName = n\n\nName = m\nInput = 20\n"
        )
        new_text, _ = record(text, {"6161": " \udcff", "20": ""})
        self.assertTrue(
            new_text.endswith(
                'Input = 61\nInput-Repeat = 2\nOutput = " \\xff"\nName = n\n\n'
                'Name = m\nInput = 20\nOutput = ""\n'
            ),
            new_text,
        )

    def test_float_info_line_as_pypy_writes_it(self) -> None:
        line = "float_info(max=1.7976931348623157e+308, max_exp=1024)"
        self.assertEqual(
            parse_float_info(line), {"max": "1.7976931348623157e+308", "max_exp": "1024"}
        )
        with self.assertRaises(ValueError):
            parse_float_info("os.float_info(max=1.0)")

    def test_float_info_fields(self) -> None:
        line = "sys.float_info(max=1.7976931348623157e+308, max_exp=1024, radix=2)"
        text = (
            "Command = float_info\nRecorded-By = hand\nOracle = old\nPython = 3.11\n"
            "\nName = whole\n\nField = max\n\nName = e\nField = max_exp\n"
        )
        new_text, adapter = record(text, {"float_info": line})
        self.assertTrue(
            new_text.endswith(
                f"\nName = whole\nOutput = {line}\n"
                "\nField = max\nOutput = 1.7976931348623157e+308\n"
                "Output-Hex = 0x1.fffffffffffffp+1023\n"
                "\nName = e\nField = max_exp\nOutput = 1024\n"
            ),
            new_text,
        )
        self.assertEqual(adapter.asked, [("float_info", None)])
        no_field = r"t\.txt:8: sys.float_info has no field 'x'"
        with self.assertRaisesRegex(golden.GoldenError, no_field):
            record(text.replace("Field = max\n", "Field = x\n"), {"float_info": line})

    def test_cases_that_cannot_be_sent(self) -> None:
        with self.assertRaisesRegex(golden.GoldenError, r"t\.txt:7: Input holds a newline"):
            record(REPR_HEADER + '\nInput = "1\\n2"\n', {})
        with self.assertRaisesRegex(golden.GoldenError, r"t\.txt:7: repr reads one line per case"):
            record(REPR_HEADER + "\nName = x\n", {})
        with self.assertRaisesRegex(golden.GoldenError, r"t\.txt:7: float_info reads no input"):
            record(REPR_HEADER.replace("repr", "float_info") + "\nInput = 1\n", {})


SIZEOF_HEADER = """\
Command = getsizeof
Recorded-By = hand
Oracle = CPython 3.11.2 (/usr/bin/python3.11)
Python = 3.11
"""


def versions(minors: range, answers: dict[str, list[str]], pointer_size: int = 8
             ) -> list[FakeAdapter]:
    """One fake adapter per minor version, answering answers[line][i] for the i-th."""
    return [FakeAdapter({line: values[i] for line, values in answers.items()}, minor,
                        pointer_size)
            for i, minor in enumerate(minors)]


class VersionRangeTest(unittest.TestCase):
    """Every interpreter is asked; a case is written once per range of versions alike."""

    def test_a_case_splits_where_versions_differ_and_keeps_its_name_for_311(self) -> None:
        text = SIZEOF_HEADER + "\n# the empty str\nName = empty\nInput = ''\nOutput = 49\n"
        adapters = versions(range(6, 14), {"''": ["49", "49", "49", "49", "49", "49", "41", "41"]})
        self.assertEqual(
            record_with(text, adapters, update=True),
            SIZEOF_HEADER.replace("hand", "tools/record --update note")
            .replace("CPython 3.11.2 (/usr/bin/python3.11)", "; ".join(
                f"CPython 3.{minor}.0 (fake note)" for minor in range(6, 14)))
            .replace("Python = 3.11", "Python = -3.11")
            + "\n# the empty str\n"
            "Name = empty\nInput = ''\nOutput = 49\nImpl = cpython\nPointer-Size = 8\n\n"
            "Name = empty_py312\nInput = ''\nOutput = 41\nPython = 3.12-\nImpl = cpython\n"
            "Pointer-Size = 8\n",
        )

    def test_fewer_interpreters_keep_what_others_recorded(self) -> None:
        text = SIZEOF_HEADER.replace("Python = 3.11", "Python = 3.6-") + (
            "\nInput = x\nOutput = NameError: old\nPython = -3.9\n"
            "\nInput = x\nOutput = NameError: new\n"
        )
        new_text = record_with(text, [FakeAdapter({"x": "NameError: newer"}, 11)], update=True)
        parsed = golden.parse("t.txt", new_text)
        self.assertEqual(
            [(b.get("Output"), recorder.range_text(*golden.python_range(parsed, b)))
             for b in parsed.cases],
            [("NameError: old", "-3.9"), ("NameError: new", "3.10"),
             ("NameError: newer", "3.11"), ("NameError: new", "3.12-")],
        )
        # Asked again of the same interpreter: nothing changes.
        again = record_with(new_text, [FakeAdapter({"x": "NameError: newer"}, 11)], update=True)
        self.assertEqual(again, new_text)

    def test_sizes_limits_and_language_errors_are_marked_apart(self) -> None:
        text = SIZEOF_HEADER + "\nInput = 1\n\nInput = (((1\n\nInput = y\n\nInput = z\n"
        answers = {
            "1": ["28", "28"],
            "(((1": ["SyntaxError: '(' was never closed", "SyntaxError: '(' was never closed"],
            "y": ["NameError: name 'y' is not defined", "NameError: name 'y' is not defined"],
            "z": ["28", "SyntaxError: too many nested parentheses"],
        }
        new_text = record_with(text, versions(range(12, 14), answers, pointer_size=4), update=True)
        marks = [(b.get("Input"), b.get("Python"), b.get("Impl"), b.get("Pointer-Size"))
                 for b in golden.parse("t.txt", new_text).cases]
        self.assertEqual(marks, [
            ("1", None, "cpython", "4"),
            ("(((1", None, None, None),
            ("y", None, None, None),
            ("z", "3.12", "cpython", "4"),
            ("z", "3.13-", "cpython", None),
        ])
        self.assertIn("\nPython = 3.12-\n", new_text)  # the header's
        # A size in one version, a language error in another: only the size is marked,
        # and asking again changes nothing.
        mixed = record_with(SIZEOF_HEADER + "\nInput = w\n", versions(
            range(12, 14), {"w": ["28", "NameError: name 'w' is not defined"]}), update=True)
        parsed = golden.parse("t.txt", mixed)
        marks = [(recorder.range_text(*golden.python_range(parsed, b)), b.get("Impl"),
                  b.get("Pointer-Size")) for b in parsed.cases]
        self.assertEqual(marks, [("3.12", "cpython", "8"), ("3.13-", None, None)])
        self.assertEqual(record_with(mixed, versions(range(12, 14), {
            "w": ["28", "NameError: name 'w' is not defined"]}), update=True), mixed)

    def test_untouched_cases_keep_their_versions_when_the_header_changes(self) -> None:
        text = SIZEOF_HEADER + (
            "\nInput = 1\nOutput = 28\nSource = the note\n"
            "\nInput = 2\nOutput = 9\nPython = 3.6\nSource = the note\n"
            "\nInput = 3\n\nInput = 4\n"
        )
        adapters = versions(range(6, 14), {"3": ["1"] * 8, "4": ["2"] * 8})
        new_text = record_with(text, adapters)
        ranges = [(b.get("Input"), b.get("Python")) for b in golden.parse("t", new_text).cases]
        self.assertEqual(ranges, [("1", "3.11"), ("2", "3.6"), ("3", None), ("4", None)])
        self.assertIn("\nPython = 3.6-\n", new_text)

    def test_answers_alike_in_every_version_widen_the_header(self) -> None:
        text = SIZEOF_HEADER + "\nInput = x\nOutput = NameError: x\n"
        new_text = record_with(text, versions(range(6, 14), {"x": ["NameError: x"] * 8}),
                               update=True)
        self.assertIn("\nPython = 3.6-\n\nInput = x\nOutput = NameError: x\n", new_text)

    def test_session_files_go_to_their_version_only(self) -> None:
        text = ("Command = sympy\nRecorded-By = hand\nOracle = old\nPython = 3.11\n"
                "Session = file\n\nInput = a\n\nInput = b\nOutput = 2\n")
        adapters = versions(range(10, 13), {"a": ["0", "1", "9"], "b": ["0", "2", "9"]})
        new_text = record_with(text, adapters)
        self.assertTrue(new_text.endswith("\nInput = a\nOutput = 1\n\nInput = b\nOutput = 2\n"))
        self.assertEqual([len(a.asked) for a in adapters], [0, 1, 0])


class PointerSizeTest(unittest.TestCase):
    """Pyodide's 3.14 on 4-byte pointers beside the 64-bit CPythons: sizes are
    written per pointer size, other answers shared while they agree."""

    ANSWERS = {
        "1": (["28"] * 8, "16"),
        "x": (["NameError: x"] * 8, "NameError: x"),
        "{[1]}": (["TypeError: unhashable"] * 8, "TypeError: cannot use 'list'"),
        "a": (["28"] * 8, "MemoryError: 32-bit"),
        "b": (["SyntaxError: b"] * 8, "16"),
    }

    def adapters(self, which: str = "both") -> list[FakeAdapter]:
        native = versions(range(6, 14), {line: wide for line, (wide, _) in self.ANSWERS.items()})
        small = FakeAdapter({line: narrow for line, (_, narrow) in self.ANSWERS.items()}, 14, 4)
        return {"both": [*native, small], "native": native, "pyodide": [small]}[which]

    def test_sizes_per_pointer_size_and_shared_answers(self) -> None:
        text = SIZEOF_HEADER + "".join(f"\nName = n{i}\nInput = {line}\n"
                                       for i, line in enumerate(self.ANSWERS))
        new_text = record_with(text, self.adapters())
        parsed = golden.parse("t.txt", new_text)
        blocks = [(b.get("Name"), b.get("Output"), recorder.range_text(
            *golden.python_range(parsed, b)), b.get("Pointer-Size")) for b in parsed.cases]
        self.assertEqual(blocks, [
            ("n0", "28", "3.6-", "8"), ("n0_py314", "16", "3.14-", "4"),
            ("n1", "NameError: x", "3.6-", None),
            ("n2", "TypeError: unhashable", "-3.13", None),
            ("n2_py314", "TypeError: cannot use 'list'", "3.14-", None),
            # 64-bit 3.14 is not claimed where Pyodide's 3.14 says something for every size.
            ("n3", "28", "-3.13", "8"), ("n3_py314", "MemoryError: 32-bit", "3.14-", None),
            ("n4", "SyntaxError: b", "-3.13", None), ("n4_py314", "16", "3.14-", "4"),
        ])
        self.assertIn("CPython 3.13.0 (fake note); CPython 3.14.0 (fake note, 32-bit)\n",
                      new_text)
        # Asked again, of all or of either kind only: what the others said stays.
        for which in ("both", "native", "pyodide"):
            self.assertEqual(record_with(new_text, self.adapters(which), update=True), new_text,
                             which)

    def test_pyodide_is_named_as_a_32_bit_cpython(self) -> None:
        found = pyodide.Pyodide(Path("tools/adapters/pyodide"), "3.14", "3.14.2", 4, "314.0.8")
        self.assertEqual(found.minor, 14)
        entry = found.describe()
        self.assertEqual(entry, "Pyodide 314.0.8 (CPython 3.14.2, 32-bit WebAssembly:"
                                " tools/adapters/pyodide)")
        header = golden.parse("t.txt", SIZEOF_HEADER.replace(
            "Oracle = CPython 3.11.2 (/usr/bin/python3.11)", f"Oracle = {entry}")
            + "\nInput = 1\n").header
        # Its entry is of (3.14, 4 bytes): a 64-bit 3.14 asked later stands beside it.
        self.assertEqual(recorder._oracle(header, [FakeAdapter({}, 14)], "note"),
                         "CPython 3.14.0 (fake note); " + entry)
        adapter = recorder.Adapter(None, found)
        self.assertEqual((adapter.serves("getsizeof"), adapter.serves("sha256")), (True, False))

    def test_a_claim_of_3_14_made_before_stays_beside_pyodide(self) -> None:
        # Recorded from 3.6-3.13 only: "3.12-" claims 3.14 on 8-byte pointers.
        text = SIZEOF_HEADER.replace("Python = 3.11", "Python = 3.12-") + (
            "\nInput = 1\nOutput = 28\nImpl = cpython\nPointer-Size = 8\n"
            "\nInput = x\nOutput = NameError: x\n"
        )
        new_text = record_with(text, [self.adapters()[-1]], update=True)
        self.assertIn(
            "\nInput = 1\nOutput = 28\nImpl = cpython\nPointer-Size = 8\n"
            "\nInput = 1\nOutput = 16\nPython = 3.14-\nImpl = cpython\nPointer-Size = 4\n"
            "\nInput = x\nOutput = NameError: x\n", new_text)


SHA256_FILE = """\
# sha256 cases
Command = sha256
Recorded-By = hand
Oracle = old
Python = 3.11

Name = abc
Input = 616263

Name = bad
Input = "3z"
Python = 3.6
"""


class MainTest(unittest.TestCase):
    """tools/record end to end, with the real CPython adapter under /usr/bin/python3
    (the one interpreter --python names) on a scratch golden/."""

    def setUp(self) -> None:
        scratch = tempfile.TemporaryDirectory()
        self.addCleanup(scratch.cleanup)
        self.root = Path(scratch.name)
        (self.root / "tools").symlink_to(TOOLS)
        (self.root / "golden" / "hashes").mkdir(parents=True)
        self.path = self.root / "golden" / "hashes" / "sha256.txt"
        self.path.write_text(SHA256_FILE, encoding="utf-8")

    def run_main(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = recorder.main(["--python", "/usr/bin/python3", *argv], self.root)
            except SystemExit as exit:
                status = int(exit.code or 0)
        return status, out.getvalue(), err.getvalue()

    def test_check_record_check(self) -> None:
        status, out, _ = self.run_main("--check")
        self.assertEqual(status, 1)
        self.assertIn("+Output = " + hashlib.sha256(b"abc").hexdigest(), out)
        self.assertIn("\n+Recorded-By = tools/record --update hashes\n", out)
        self.assertRegex(out, r"golden/hashes/sha256.txt: 2 would be recorded, 0 unchanged"
                              r" \(CPython 3\.[0-9]+\.[0-9]+\)\n")
        self.assertEqual(self.path.read_text(encoding="utf-8"), SHA256_FILE)

        status, out, _ = self.run_main("hashes")
        self.assertEqual(status, 0)
        self.assertRegex(out, r"^golden/hashes/sha256.txt: 2 recorded, 0 unchanged \(CPython 3")
        recorded = golden.load(self.path)
        self.assertEqual(recorded.header.get("Recorded-By"), "tools/record hashes")
        self.assertRegex(
            recorded.header.get("Oracle") or "",
            r"^CPython 3\.[0-9]+\.[0-9]+ \(/usr/bin/python3\) hashlib \(OpenSSL [^;]*\Z"
        )
        self.assertEqual(
            [case.get("Output") for case in recorded.cases],
            [
                hashlib.sha256(b"abc").hexdigest(),
                "ValueError: non-hexadecimal number found in fromhex() arg at position 1",
            ],
        )

        status, out, _ = self.run_main("--check", "hashes")
        self.assertEqual(status, 0)
        self.assertRegex(out, r"^golden/hashes/sha256.txt: 0 would be recorded, 2 unchanged \(")

    def test_malformed_file_stops_before_recording(self) -> None:
        malformed = self.root / "golden" / "hashes" / "md5.txt"
        malformed.write_text("Command = md5\n", encoding="utf-8")
        status, out, err = self.run_main()
        self.assertEqual((status, out), (1, ""))
        self.assertEqual(err, "golden/hashes/md5.txt:1: missing header key 'Recorded-By'\n")
        self.assertEqual(self.path.read_text(encoding="utf-8"), SHA256_FILE)

    def test_note_without_golden_files(self) -> None:
        status, _, err = self.run_main("nosuchnote")
        self.assertEqual(status, 2)
        self.assertIn("no golden files for note 'nosuchnote'", err)


if __name__ == "__main__":
    unittest.main()
