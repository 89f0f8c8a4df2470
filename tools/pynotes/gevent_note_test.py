"""The greenlets scenario ``note_program`` is the gevent note's program.

Runs golden/greenlets/gevent_note.py (the notebook's code) on
/usr/bin/python3 with real gevent and checks that what it prints, its lines
joined by `` | `` as scenarios answer, is the Output recorded for the
scenario that stands for it, so the scenario cannot drift from the note.
"""

import subprocess
import unittest
from pathlib import Path

from pynotes import golden

ROOT = Path(__file__).resolve().parent.parent.parent
PROGRAM = ROOT / "golden" / "greenlets" / "gevent_note.py"
SCENARIOS = ROOT / "golden" / "greenlets" / "scenarios.txt"


class GeventNoteTest(unittest.TestCase):
    def test_note_program_scenario_prints_what_the_note_prints(self):
        cases = [c for c in golden.load(SCENARIOS).cases if c.get("Name") == "note_program"]
        self.assertEqual(len(cases), 1)
        printed = subprocess.run(
            ["/usr/bin/python3", str(PROGRAM)], capture_output=True, text=True, check=True
        ).stdout
        self.assertEqual(" | ".join(printed.splitlines()), cases[0].get("Output"))


if __name__ == "__main__":
    unittest.main()
