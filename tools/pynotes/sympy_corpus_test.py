"""Tests of tools/sympy_corpus's replay: how an implementation's answers are
sorted into right, refused, unchecked and wrong, and that the shipped corpus
reads."""

import stat
import tempfile
import unittest
from pathlib import Path

from pynotes import sympy_corpus

CORPUS = """Command = sympy
Recorded-By = test
Oracle = test
Python = 3.11
Session = file

Input = globals().clear()
Name = first
Output = ""

Input = from sympy import *
Output = ""

Input = a
Output = 1

Input = b
Output = 2

Input = c
Output = 3

Input = d
Output = 4

Input = e
Output = 5

Input = globals().clear()
Name = Basic_subs
Output = ""

Input = from sympy import *
Output = ""

Input = f
Output = 6
"""

# A fake session: a right answer, a wrong one, a refusal, then a differing
# answer (unchecked: state may differ after a refusal) and a SyntaxError
# (wrong whatever came before); the second session answers f wrongly.
FAKE_IMPL = """#!/bin/sh
while read -r line; do
  case "$line" in
    a) echo 1 ;;
    b) echo 20 ;;
    c) echo 'NotImplementedError: c is outside' ;;
    d) echo "NameError: name 'd' is not defined" ;;
    e) echo 'SyntaxError: invalid syntax' ;;
    f) echo 7 ;;
    *) echo ;;
  esac
done
"""


class ReplayTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.corpus = Path(self.tmp.name) / "corpus.txt"
        self.corpus.write_text(CORPUS)
        self.impl = Path(self.tmp.name) / "impl"
        self.impl.write_text(FAKE_IMPL)
        self.impl.chmod(self.impl.stat().st_mode | stat.S_IXUSR)

    def test_sorts_each_line(self):
        sessions = sympy_corpus.read_corpus(self.corpus)
        self.assertEqual([name for name, _ in sessions], ["sympy.first", "sympy.Basic.subs"])
        tally = sympy_corpus.replay([str(self.impl)], sessions)
        self.assertEqual((tally.right, tally.refused, tally.unchecked), (1, 1, 1))
        self.assertEqual(
            [(line, answer) for _, line, answer, _ in tally.wrong],
            [("b", "20"), ("e", "SyntaxError: invalid syntax"), ("f", "7")],
        )

    def test_lost_lines_are_wrong(self):
        self.impl.write_text("#!/bin/sh\nexit 3\n")
        tally = sympy_corpus.replay([str(self.impl)], sympy_corpus.read_corpus(self.corpus))
        self.assertEqual(len(tally.wrong), 2)  # the first lost line of each session
        self.assertTrue(tally.wrong[0][2].startswith("<lost: exit 3"))

    def test_shipped_corpus_reads(self):
        sessions = sympy_corpus.read_corpus(sympy_corpus.CORPUS)  # a data file of the test
        self.assertEqual([name for name, _ in sessions],
                         ["sympy." + name for name in sympy_corpus.DOCSTRINGS])


if __name__ == "__main__":
    unittest.main()
