"""Tests of the CPython adapter's getsizeof (tools/pynotes/cpython_sizeof.py).

    bazel test //tools:cpython_sizeof_test
    cd tools && /usr/bin/python3 -m unittest pynotes.cpython_sizeof_test

The oracle is plain ``eval``: for allowed lines the adapter must answer
``sys.getsizeof(eval(line))``, for malformed lines eval's own exception, and
anything else must be refused without being evaluated.
"""

import sys
import unittest
from unittest import mock

from pynotes import cpython_sizeof
from pynotes.cpython_adapter import exception_line

PYTHON = tuple(sys.version_info[:2])


def answer(line):
    try:
        return cpython_sizeof.getsizeof(line, PYTHON)
    except Exception as error:  # the answer of a failing case
        return exception_line(error)


def eval_answer(line):
    try:
        return str(sys.getsizeof(eval(line)))
    except Exception as error:
        return exception_line(error)


class GetsizeofTest(unittest.TestCase):
    def test_allowed_lines_answer_what_eval_gives(self):
        for line in ["0", "-1", "1_000", "1.5", "1+2j", "'\\xe9'", "b'ab'",
                     "(1, 2)", "[1, [2]]", "{1: 2}", "{1, 2, 3}", "frozenset({1})",
                     "list(range(5))", "tuple(range(3))", "set(range(9))",
                     "dict.fromkeys(range(7))", "bytearray(3)", "bytearray(b'ab')",
                     "[x for x in range(9)]", "{i: i for i in range(6)}", "range(4)",
                     "slice(1, 2)", "[None]*4", "float('inf')", "  [1]"]:
            with self.subTest(line=line):
                self.assertEqual(answer(line), eval_answer(line))

    def test_malformed_lines_answer_evals_exception(self):
        for line in ["", "[1, 2", "[1 2]", "1 +", "]", "[1, 2)", "'abc", "0123", "1_", "0x",
                     "foo", "{[1]: 2}", "{[1]}", "range(1.5)", "range()", "float('x')",
                     "bytearray(-1)", "1\x00", "\udcff", "'\\x4'", "b'\\x4'", "1\\"]:
            with self.subTest(line=line):
                self.assertEqual(answer(line), eval_answer(line))

    def test_other_expressions_are_refused_without_evaluation(self):
        refused = "ValueError: " + cpython_sizeof.UNSUPPORTED
        with mock.patch("builtins.eval", side_effect=AssertionError("evaluated")):
            for line in ["__import__('os').system('true')", "().__class__", "open('x')",
                         "list", "1 + 2", "[x for x in range(3)] + []", "lambda: 1",
                         "(x for x in range(3))", "{**{}}", "[*()]", "dict(a=1)",
                         "list(range(3), x=1)", "[y for x in range(3)]", "'a' * 3"]:
                with self.subTest(line=line):
                    self.assertEqual(answer(line), refused)

    def test_names_are_looked_up_in_an_empty_namespace(self):
        for line in ["len", "__import__", "x", "[os]"]:
            with self.subTest(line=line):
                name = line.strip("[]")
                self.assertEqual(answer(line), "NameError: name '%s' is not defined" % name)

    def test_huge_constructions_are_refused(self):
        too_large = "ValueError: " + cpython_sizeof.TOO_LARGE
        for line in ["list(range(100000000))", "[None]*10000001", "bytearray(10000001)",
                     "set(range(20000000))",
                     "{i: i for i in range(-1, 99999999)}"]:
            with self.subTest(line=line):
                self.assertEqual(answer(line), too_large)


if __name__ == "__main__":
    unittest.main()
