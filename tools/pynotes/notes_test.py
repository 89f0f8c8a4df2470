"""notes.bzl's list is the one statement of the notes: the Python tools read it,
and the README's coverage table must have one row per note, in no other set.

    bazel test //tools:notes_test
"""

import re
import unittest
from pathlib import Path

from pynotes import notes


class NotesTest(unittest.TestCase):
    def test_the_list_reads_from_notes_bzl(self) -> None:
        self.assertIn("floats", notes.NOTES)
        self.assertEqual(len(notes.NOTES), len(set(notes.NOTES)))
        self.assertEqual(("a", "b"), notes.read_notes('x = 1\nNOTES = [\n  "a",\n  "b",\n]\n'))
        with self.assertRaises(ValueError):
            notes.read_notes("NAMES = []")

    def test_the_readme_covers_each_note_once(self) -> None:
        readme = Path("README.md").read_text()
        table = readme[readme.index("## What is covered"):]
        table = table[:table.index("\n## ")]
        rows = re.findall(r"^\| `([a-z]+)` \|", table, re.M)
        self.assertEqual(sorted(notes.NOTES), sorted(rows))


if __name__ == "__main__":
    unittest.main()
