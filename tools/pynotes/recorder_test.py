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

from pynotes import golden, recorder
from pynotes.float_info import parse_float_info

TOOLS = Path(__file__).resolve().parent.parent
if "TEST_SRCDIR" in os.environ:
    TOOLS = Path(os.environ["TEST_SRCDIR"], os.environ["TEST_WORKSPACE"], "tools")


class FakeAdapter:
    """Answers from a table instead of running CPython; records what was asked."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, str, list[bytes] | None]] = []

    def ask(self, command: str, python: str, lines: list[bytes] | None) -> list[str]:
        self.asked.append((command, python, lines))
        if lines is None:
            return [self.answers[command]]
        return [self.answers[line.decode()] for line in lines]

    def oracle(self, note: str, python: str) -> str:
        return f"Fake {note} {python}"


def record(text: str, answers: dict[str, str], update: bool = False) -> tuple[str, FakeAdapter]:
    adapter = FakeAdapter(answers)
    parsed = golden.parse("golden/note/t.txt", text)
    result = recorder.record_file(parsed, text, "note", adapter, update)  # type: ignore[arg-type]
    return result.text, adapter


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
            REPR_HEADER.replace("hand", "tools/record note").replace("old", "Fake note 3.11")
            + (
                "\n"
                "Name = a\n"
                "Input = 0.1\n"
                "Output = 0.1\n"
                "Output-Hex = 0x1.999999999999ap-4\n"
                "# trailing comment\n"
                "Python = 3.6\n"
                "\n"
                "Input = 1e999\n"
                "Output = inf\n"
                "\n"
                "Input = x\n"
                f"Output = {error}\n"
            ),
        )
        self.assertEqual(
            adapter.asked, [("repr", "3.6", [b"0.1"]), ("repr", "3.11", [b"x"])]
        )

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
            .replace("old", "Fake note 3.11")
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
        self.assertEqual(adapter.asked, [("repr", "3.11", [b"0.5", b"2.0", b"bad"])])

    def test_unchanged_file_keeps_its_header(self) -> None:
        text = REPR_HEADER + "\nInput = 0.5\nOutput = 0.5\nOutput-Hex = 0x1p-1\n"
        new_text, _ = record(text, {"0.5": "0.5"}, update=True)
        self.assertEqual(new_text, text)

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
        self.assertEqual(adapter.asked, [("float_info", "3.11", None)])
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


SHA256_FILE = """\
# sha256 cases
Command = sha256
Recorded-By = hand
Oracle = old
Python = 3.11

Name = abc
Input = 616263

Name = tab_36
Input = "31\\t32"
Python = 3.6
"""


class MainTest(unittest.TestCase):
    """tools/record end to end, with the real CPython adapter on a scratch golden/."""

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
                status = recorder.main(list(argv), self.root)
            except SystemExit as exit:
                status = int(exit.code or 0)
        return status, out.getvalue(), err.getvalue()

    def test_check_record_check(self) -> None:
        status, out, _ = self.run_main("--check")
        self.assertEqual(status, 1)
        self.assertIn("+Output = " + hashlib.sha256(b"abc").hexdigest(), out)
        self.assertIn("\n+Recorded-By = tools/record --update hashes\n", out)
        self.assertIn("golden/hashes/sha256.txt: 2 would be recorded, 0 unchanged", out)
        self.assertEqual(self.path.read_text(encoding="utf-8"), SHA256_FILE)

        status, out, _ = self.run_main("hashes")
        self.assertEqual((status, out), (0, "golden/hashes/sha256.txt: 2 recorded, 0 unchanged\n"))
        recorded = golden.load(self.path)
        self.assertEqual(recorded.header.get("Recorded-By"), "tools/record hashes")
        self.assertRegex(
            recorded.header.get("Oracle") or "", r"^CPython 3\.[0-9]+\.[0-9]+ hashlib \(OpenSSL "
        )
        self.assertEqual(
            [case.get("Output") for case in recorded.cases],
            [
                hashlib.sha256(b"abc").hexdigest(),
                "ValueError: non-hexadecimal number found in fromhex() arg at position 2",
            ],
        )

        status, out, _ = self.run_main("--check", "hashes")
        self.assertEqual(
            (status, out), (0, "golden/hashes/sha256.txt: 0 would be recorded, 2 unchanged\n")
        )

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
