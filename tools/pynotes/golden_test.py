"""Tests of pynotes.golden, the Python reader of golden files.

    bazel test //tools:golden_test
    cd tools && /usr/bin/python3 -m unittest pynotes.golden_test

The malformed examples in conformance/golden_reader/testdata/ are shared with the C
reader's tests: each bad_*.txt starts with `# expect-error: LINE: substring`.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
import unittest
from pathlib import Path

from pynotes import golden

HEADER = """\
Command = sha256
Recorded-By = hand
Oracle = CPython 3.11.2 hashlib (OpenSSL 3.0.22)
Python = 3.11
"""

_EXPECT_ERROR = re.compile(r"# expect-error: ([0-9]+): (.+)\Z")


def testdata_dir() -> Path:
    """conformance/golden_reader/testdata, from Bazel's runfiles or from the source tree."""
    srcdir = os.environ.get("TEST_SRCDIR")
    workspace = os.environ.get("TEST_WORKSPACE")
    if srcdir and workspace:
        return Path(srcdir, workspace, "conformance", "golden_reader", "testdata")
    return Path(__file__).resolve().parents[2] / "conformance" / "golden_reader" / "testdata"


def parse(text: str) -> golden.GoldenFile:
    return golden.parse("t.txt", text)


class SharedExamplesTest(unittest.TestCase):
    def test_bad_files_fail_at_the_line_they_name(self) -> None:
        paths = sorted(testdata_dir().glob("bad_*.txt"))
        self.assertGreaterEqual(len(paths), 20)
        for path in paths:
            with self.subTest(path.name):
                first_line = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
                expect = _EXPECT_ERROR.match(first_line)
                self.assertIsNotNone(expect, "first line is not # expect-error: LINE: text")
                assert expect is not None
                with self.assertRaises(golden.GoldenError) as caught:
                    golden.load(path)
                self.assertEqual(caught.exception.line, int(expect.group(1)), caught.exception)
                self.assertIn(expect.group(2), caught.exception.message)
                self.assertTrue(str(caught.exception).startswith(f"{path}:{expect.group(1)}: "))

    def test_good_files_parse(self) -> None:
        paths = sorted(testdata_dir().glob("good_*.txt"))
        self.assertGreaterEqual(len(paths), 2)
        for path in paths:
            with self.subTest(path.name):
                self.assertTrue(golden.load(path).cases)

    def test_good_layout_values(self) -> None:
        layout = golden.load(testdata_dir() / "good_layout.txt")
        self.assertEqual(layout.header.get("Command"), "repr")
        self.assertEqual(layout.header.line, 4)
        self.assertEqual([case.line for case in layout.cases], [10, 16, 20, 25, 30, 35, 40])
        self.assertEqual(layout.cases[1].get("Output-Hex"), "0x3p-1")
        self.assertEqual(layout.cases[4].get("Input"), " 1e308 ")
        self.assertEqual(layout.cases[4].get("Source"), 'a value = with " = " inside')
        self.assertEqual(layout.cases[6].get("Input"), "")
        last = layout.cases[5]
        self.assertEqual(
            golden.value_bytes(last.get("Input") or ""),
            b'\\ " \n \r \t \x00\xff\xc3\xa9 \xc3\xa9',
        )
        self.assertEqual(last.get("Input"), '\\ " \n \r \t \x00\udcffé é')
        self.assertEqual(last.keys(), ["Input", "Output", "Field"])


class ParseTest(unittest.TestCase):
    def test_blocks_lines_and_values(self) -> None:
        text = HEADER + (
            "\n"
            "# first case\n"
            "Name = abc\n"
            "# a comment inside a block\n"
            "Input = 616263\n"
            "Output = ba78\n"
            "\n"
            "Input = 61\n"
            "Input-Repeat = 3\n"
            "Python = 3.6\n"
        )
        parsed = parse(text)
        self.assertEqual(parsed.path, "t.txt")
        self.assertEqual(parsed.header.line, 1)
        self.assertEqual(parsed.header.keys(), list(golden.HEADER_KEYS))
        first, second = parsed.cases
        self.assertEqual((first.line, second.line), (7, 12))
        self.assertEqual(first.keys(), ["Name", "Input", "Output"])
        self.assertEqual(first.line_of("Output"), 10)
        self.assertEqual(first.attribute("Input"), golden.Attribute("Input", "616263", 9))
        self.assertEqual(first.get("Input"), "616263")
        self.assertIsNone(first.get("Python"))
        self.assertEqual(first.get("Python", "x"), "x")
        self.assertEqual(golden.input_line(second), b"616161")
        self.assertIsNone(golden.input_line(parsed.header))
        self.assertEqual(golden.python_version(parsed, first), "3.11")
        self.assertEqual(golden.python_version(parsed, second), "3.6")

    def test_plain_values_are_literal(self) -> None:
        case = parse(HEADER + '\nInput = a\\n "b" \\x41  \n').cases[0]
        self.assertEqual(case.get("Input"), 'a\\n "b" \\x41  ')

    def test_empty_values(self) -> None:
        parsed = parse(HEADER + '\nInput = \nOutput =\n\nInput = ""\n\nInput = ')
        self.assertEqual([case.get("Input") for case in parsed.cases], ["", "", ""])
        self.assertEqual(parsed.cases[0].get("Output"), "")

    def test_header_values_other_than_its_keys_and_python_are_not_checked(self) -> None:
        parse(HEADER + "Name = a-b\nInput-Repeat = 0\nOutput-Hex = x\n\nInput = 31\n")


class ErrorTest(unittest.TestCase):
    def assert_error(self, text: str, line: int, message: str) -> None:
        with self.assertRaises(golden.GoldenError) as caught:
            parse(text)
        self.assertEqual(str(caught.exception), f"t.txt:{line}: {message}")
        self.assertEqual(caught.exception.line, line)
        self.assertEqual(caught.exception.message, message)

    def test_line_syntax(self) -> None:
        self.assert_error(HEADER + "\nInput 31\n", 6, "expected 'Key = value'")
        self.assert_error(HEADER + "\nInput=31\n", 6, "expected 'Key = value'")
        self.assert_error(HEADER + "\nInput =31\n", 6, "expected 'Key = value'")
        self.assert_error(HEADER + "\n  # not a comment\n", 6, "expected 'Key = value'")
        for key in ["In/put", "Input_Repeat", "Input ", "1x", "-x", "", "Ké"]:
            with self.subTest(key):
                self.assert_error(
                    HEADER + f"\n{key} = 31\n", 6, f"bad key '{key}' (letters, digits and '-')"
                )
        self.assert_error(HEADER + "\n =\n", 6, "bad key '' (letters, digits and '-')")

    def test_not_utf8(self) -> None:
        data = HEADER.encode() + b"\nInput = 31\n# caf\xe9\n"
        self.assert_error(
            data.decode("utf-8", "surrogateescape"),
            7,
            "not valid UTF-8 (write such bytes as \\xHH in a quoted value)",
        )
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch, "t.txt")
            path.write_bytes(b"Command = \xed\xa0\x80\n")
            with self.assertRaisesRegex(golden.GoldenError, r"t\.txt:1: not valid UTF-8"):
                golden.load(path)

    def test_duplicate_key(self) -> None:
        self.assert_error(
            HEADER + "\nInput = 31\n# c\nInput = 32\n",
            8,
            "duplicate key 'Input' in one block (first on line 6)",
        )

    def test_quoting(self) -> None:
        self.assert_error(HEADER + '\nInput = "31\n', 6, "unterminated quoted value")
        self.assert_error(HEADER + '\nInput = "31\\\n', 6, "unterminated quoted value")
        self.assert_error(HEADER + '\nInput = "31\\"\n', 6, "unterminated quoted value")
        self.assert_error(HEADER + '\nInput = "\\a"\n', 6, "bad escape '\\a' in quoted value")
        self.assert_error(HEADER + '\nInput = "\\xg0"\n', 6, "bad escape '\\xg0' in quoted value")
        self.assert_error(HEADER + '\nInput = "\\x0"\n', 6, "bad escape '\\x0\"' in quoted value")
        self.assert_error(HEADER + '\nInput = "\\x0', 6, "bad escape '\\x0' in quoted value")
        self.assert_error(HEADER + '\nInput = "a"b\n', 6, "text after the closing quote")
        self.assert_error(HEADER + '\nInput = "a" \n', 6, "text after the closing quote")

    def test_header(self) -> None:
        self.assert_error("", 1, "no header: the file has no blocks")
        self.assert_error("# c\n\n", 1, "no header: the file has no blocks")
        for key in golden.HEADER_KEYS:
            with self.subTest(key):
                text = "".join(
                    line + "\n" for line in HEADER.splitlines() if not line.startswith(key)
                )
                self.assert_error(
                    "# c\n" + text + "\nInput = 31\n", 2, f"missing header key '{key}'"
                )
        self.assert_error(HEADER, 1, "no cases: the file has only a header")
        self.assert_error("# c\n" + HEADER + "\n# c", 2, "no cases: the file has only a header")

    def test_python_ranges(self) -> None:
        good = {
            "3.11": (11, 11),
            "3.6": (6, 6),
            "3.10": (10, 10),
            "3.8-3.11": (8, 11),
            "3.12-": (12, golden.OPEN_MINOR),
            "-3.7": (6, 7),
        }
        for text, expected in good.items():
            self.assertEqual(golden.parse_python_range(text), expected, text)
        for bad in ["", "-", "3", "3.5", "3.15", "3.06", "3.11-3.8", "3.8 -3.11", "3.8--3.11",
                    "-3.7-", "4.0", "3.11x", "3.113.12"]:
            self.assertIsNone(golden.parse_python_range(bad), bad)
        parsed = parse(HEADER.replace("3.11\n", "3.6-\n") + "\nInput = 31\nPython = -3.7\n"
                              "\nInput = 32\n")
        self.assertEqual(golden.python_range(parsed, parsed.cases[0]), (6, 7))
        self.assertEqual(golden.python_range(parsed, parsed.cases[1]), (6, golden.OPEN_MINOR))

    def test_python_version(self) -> None:
        for bad in ["3.5", "3.15", "2.7", "3", "3.06", "3.11.2", " 3.11", "4.0"]:
            with self.subTest(bad):
                self.assert_error(
                    HEADER.replace("3.11\n", f"{bad}\n") + "\nInput = 31\n",
                    4,
                    f"bad Python version '{bad}' (3.6 to 3.14, written X.Y, X.Y-X.Y, X.Y- or -X.Y)",
                )
        self.assert_error(
            HEADER + "\nInput = 31\n\nInput = 32\nPython = 3.5\n",
            9,
            "bad Python version '3.5' (3.6 to 3.14, written X.Y, X.Y-X.Y, X.Y- or -X.Y)",
        )
        for good in ["3.6", "3.9", "3.10", "3.13", "3.14"]:
            parse(HEADER + f"\nInput = 31\nPython = {good}\n")

    def test_input_repeat(self) -> None:
        for bad in ["0", "-1", "01", "1.0", "1e6", ""]:
            with self.subTest(bad):
                self.assert_error(
                    HEADER + f"\nInput = 61\nInput-Repeat = {bad}\n",
                    7,
                    f"bad Input-Repeat '{bad}' (a positive integer)",
                )
        self.assert_error(HEADER + "\nInput-Repeat = 2\n", 6, "Input-Repeat without Input")
        self.assert_error(
            HEADER + "\nInput = 6162\nInput-Repeat = 16777217\n",
            7,
            f"Input-Repeat makes the input longer than {golden.MAX_INPUT} bytes",
        )
        parse(HEADER + "\nInput = 6162\nInput-Repeat = 16777216\n")
        parse(HEADER + '\nInput = ""\nInput-Repeat = 99999999999999999999\n')

    def test_name(self) -> None:
        self.assert_error(
            HEADER + "\nName = a-b\n", 6, "bad Name 'a-b' (letters, digits and '_')"
        )
        self.assert_error(
            HEADER + "\nName = x\n\nInput = 1\n\nName = y\n\nName = x\n",
            12,
            "duplicate Name 'x' (also on line 6)",
        )

    def test_output_hex(self) -> None:
        def case(output: str, output_hex: str) -> str:
            return HEADER + f"\nInput = 1\nOutput = {output}\nOutput-Hex = {output_hex}\n"

        for output, output_hex in [
            ("0.1", "0x1.999999999999ap-4"),
            ("0.1", "0x1.999999999999a000p-4"),
            ("-0.0", "-0x0.0p+0"),
            ("1e+16", "0x1.1c37937e08000p+53"),
            ("0.5", "0X1P-1"),
            ("1", "0x1p0"),
            ("inf", "inf"),
            ("-inf", "-inf"),
            ("nan", "nan"),
        ]:
            with self.subTest(output=output, output_hex=output_hex):
                parse(case(output, output_hex))
        for output, output_hex, problem in [
            ("0.1", "0x1.999999999999bp-4",
             "Output is 0x1.999999999999ap-4, Output-Hex is 0x1.999999999999bp-4"),
            ("0.0", "-0x0.0p+0", "Output is 0x0.0p+0, Output-Hex is -0x0.0p+0"),
            ("inf", "nan", "Output is inf, Output-Hex is nan"),
            ("0.5", "0.5", "Output is 0x1.0000000000000p-1, Output-Hex is 0x1.4000000000000p-2"),
            ("ValueError: x", "nan", "Output 'ValueError: x' is not a float"),
            ("1.0", "zz", "Output-Hex 'zz' is not a float in hex"),
            ("inf", "0x1p+1024", "Output-Hex '0x1p+1024' is not a float in hex"),
        ]:
            with self.subTest(output=output, output_hex=output_hex):
                self.assert_error(
                    case(output, output_hex), 8, f"Output and Output-Hex disagree: {problem}"
                )
        self.assert_error(
            HEADER + "\nInput = 1\nOutput-Hex = 0x1.0p+0\n",
            7,
            "Output and Output-Hex disagree: there is no Output",
        )

    def test_errors_come_in_file_order(self) -> None:
        # A block is checked when it ends, before the lines after it are read.
        self.assert_error(
            HEADER + "\nInput = 1\nPython = 3.5\n\nInput 2\n",
            7,
            "bad Python version '3.5' (3.6 to 3.14, written X.Y, X.Y-X.Y, X.Y- or -X.Y)",
        )
        self.assert_error(
            HEADER + "\nInput = 1\nPython = 3.5\nInput 2\n", 8, "expected 'Key = value'"
        )


class UnusedTest(unittest.TestCase):
    def test_keys_not_read_are_reported_with_their_lines(self) -> None:
        parsed = parse(
            HEADER + "\nName = n\nInput = 61\nInput-Repeat = 2\nOuput = x\nPython = 3.6\n"
        )
        case = parsed.cases[0]
        self.assertEqual(
            case.unused(),
            [("Name", 6), ("Input", 7), ("Input-Repeat", 8), ("Ouput", 9), ("Python", 10)],
        )
        self.assertIsNone(case.get("Output"))
        self.assertTrue("Name" in case)
        case.attribute("Name")
        case.line_of("Name")
        self.assertEqual(len(case.unused()), 5, "only get() marks a key read")
        golden.input_line(case)
        golden.python_version(parsed, case)
        case.get("Name")
        self.assertEqual(case.unused(), [("Ouput", 9)])
        self.assertEqual(
            str(case.error("unused key 'Ouput'", "Ouput")), "t.txt:9: unused key 'Ouput'"
        )
        self.assertEqual(str(case.error("no such key", "Missing")), "t.txt:6: no such key")

    def test_header_python_is_read_by_python_version(self) -> None:
        parsed = parse(HEADER + "\nInput = 31\n")
        parsed.header.get("Command")
        self.assertEqual(parsed.header.unused(), [("Recorded-By", 2), ("Oracle", 3), ("Python", 4)])
        golden.python_version(parsed, parsed.cases[0])
        self.assertEqual(parsed.header.unused(), [("Recorded-By", 2), ("Oracle", 3)])


class QuotingTest(unittest.TestCase):
    def read_back(self, value: str) -> str:
        case = parse(HEADER + "\nInput = " + golden.quote_value(value) + "\n").cases[0]
        return case.get("Input") or ""

    def test_plain_when_possible(self) -> None:
        for value in ["616263", "31 32", "x1é", "ValueError: a \\ b", 'say "hi"', "a = b"]:
            with self.subTest(value):
                self.assertEqual(golden.quote_value(value), value)

    def test_quoted_when_needed(self) -> None:
        for value, quoted in [
            ("", '""'),
            (" 31", '" 31"'),
            ("31 ", '"31 "'),
            ("\t31", '"\\t31"'),
            ('"31"', '"\\"31\\""'),
            ("3\x001", '"3\\x001"'),
            ("a\\b\n", '"a\\\\b\\n"'),
            ("\r", '"\\r"'),
            ("\x7f\x0b\x0c", '"\\x7f\\x0b\\x0c"'),
            ("\udcff", '"\\xff"'),
            ("x\udcc3", '"x\\xc3"'),
            ("a\u00a0b", '"a\\xc2\\xa0b"'),
            ("a\u200bb", '"a\\xe2\\x80\\x8bb"'),
            ("a\u2028b", '"a\\xe2\\x80\\xa8b"'),
            ("\x85", '"\\xc2\\x85"'),
        ]:
            with self.subTest(value):
                self.assertEqual(golden.quote_value(value), quoted)
                self.assertEqual(self.read_back(value), value)

    def test_every_byte_string_round_trips(self) -> None:
        generator = random.Random(20240611)
        samples = [bytes([byte]) for byte in range(256)]
        samples += [bytes([a, b]) for a in (0x20, 0x5C, 0xC3, 0xE2, 0xED, 0xFF) for b in range(256)]
        samples += [generator.randbytes(generator.randint(0, 40)) for _ in range(2000)]
        for data in samples:
            value = data.decode("utf-8", "surrogateescape")
            read = self.read_back(value)
            self.assertEqual(read, value, data)
            self.assertEqual(golden.value_bytes(read), data)

    def test_lone_surrogates_that_are_no_bytes_cannot_be_written(self) -> None:
        with self.assertRaises(UnicodeEncodeError):
            golden.quote_value("\ud800")


class FloatHexTest(unittest.TestCase):
    def test_float_hex(self) -> None:
        self.assertEqual(golden.float_hex("0.1"), "0x1.999999999999ap-4")
        self.assertEqual(golden.float_hex("1e+16"), "0x1.1c37937e08000p+53")
        self.assertEqual(golden.float_hex("-inf"), "-inf")
        self.assertEqual(golden.float_hex("nan"), "nan")
        self.assertEqual(golden.float_hex("2.2250738585072014e-308"), "0x1.0000000000000p-1022")
        for not_a_float in ["1024", "-3", "", "1_0.0", " 1.0", "0x1p0", "infinity", "KeyError"]:
            with self.subTest(not_a_float):
                self.assertIsNone(golden.float_hex(not_a_float))


if __name__ == "__main__":
    unittest.main()
