"""ref/sympy/names.c must be what ref/sympy/gen_names.py writes from the
installed CPython and sympy: the NameError and AttributeError suggestions
depend on those lists and their order, so a library upgrade that changes
them must show up as a failing test, not as drifting goldens."""
import os
import subprocess
import sys
import unittest


def runfile(path: str) -> str:
    """The runfiles location of a workspace-relative path."""
    root = os.environ.get("RUNFILES_DIR") or os.path.join(os.path.dirname(sys.argv[0]), "..")
    return os.path.join(root, "pynotes", path)


class NamesTest(unittest.TestCase):
    def test_names_c_is_generated_from_the_installed_libraries(self) -> None:
        generated = subprocess.run(["/usr/bin/python3", runfile("ref/sympy/gen_names.py")],
                                   check=True, capture_output=True, text=True).stdout
        with open(runfile("ref/sympy/names.c"), encoding="utf-8") as f:
            committed = f.read()
        self.assertEqual(committed, generated,
                         "regenerate: /usr/bin/python3 ref/sympy/gen_names.py > ref/sympy/names.c")


if __name__ == "__main__":
    unittest.main()
