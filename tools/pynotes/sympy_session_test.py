"""Tests of sympy_session.answers against small shell commands standing in
for an adapter."""

import unittest

from pynotes.sympy_session import answers


def shell(script: str) -> list[str]:
    """A command whose `sympy` session runs ``script`` (the `sympy` argument is $0)."""
    return ["/bin/sh", "-c", script]


class Answers(unittest.TestCase):
    def test_one_answer_per_line(self):
        self.assertEqual(answers(shell("cat"), ["1", "", "x + 1"]), ["1", "", "x + 1"])

    def test_lines_after_a_death_are_lost_with_the_reason(self):
        got = answers(shell("read a; echo $a; echo boom >&2; exit 3"), ["1", "2", "3"])
        self.assertEqual(got, ["1", "<lost: exit 3: boom>", "<lost: exit 3: boom>"])

    def test_an_unfinished_last_line_is_no_answer(self):
        got = answers(shell("printf 'a\\npartial'"), ["1", "2"])
        self.assertEqual(got, ["a", "<lost: exit 0>"])

    def test_a_hang_is_lost(self):
        self.assertEqual(answers(shell("sleep 5"), ["1"], timeout=0.2), ["<lost: timed out>"])


if __name__ == "__main__":
    unittest.main()
