"""ref/import/ipython_names.c must be what gen_ipython_names.py writes from the
installed CPython and IPython: the session's "Did you mean" suggestions, its
refusal of IPython's own names and its magic lines depend on those tables, so
an IPython upgrade that changes them must show up as a failing test, not as
drifting transcripts."""
import os
import subprocess
import sys
import unittest


def runfile(path: str) -> str:
    """The runfiles location of a workspace-relative path."""
    root = os.environ.get("RUNFILES_DIR") or os.path.join(os.path.dirname(sys.argv[0]), "..")
    return os.path.join(root, "pynotes", path)


class IPythonNamesTest(unittest.TestCase):
    maxDiff = None  # show the whole diff of the tables
    def test_tables_are_generated_from_the_installed_ipython(self) -> None:
        generator, table = "ref/import/gen_ipython_names.py", "ref/import/ipython_names.c"
        generated = subprocess.run(["/usr/bin/python3", runfile(generator)], check=True,
                                   capture_output=True, text=True).stdout
        with open(runfile(table), encoding="utf-8") as f:
            committed = f.read()
        self.assertEqual(committed, generated,
                         f"regenerate: /usr/bin/python3 {generator} > {table}")


if __name__ == "__main__":
    unittest.main()
