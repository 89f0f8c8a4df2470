"""ref/sympy/names.c and ref/py/builtin_names.c (the builtins a session also
sees) must be what their generators write from the installed CPython and sympy: the NameError and AttributeError suggestions
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
    def test_tables_are_generated_from_the_installed_libraries(self) -> None:
        for generator, table in [("ref/sympy/gen_names.py", "ref/sympy/names.c"),
                                 ("ref/py/gen_builtin_names.py", "ref/py/builtin_names.c")]:
            with self.subTest(table=table):
                generated = subprocess.run(["/usr/bin/python3", runfile(generator)], check=True,
                                           capture_output=True, text=True).stdout
                with open(runfile(table), encoding="utf-8") as f:
                    committed = f.read()
                self.assertEqual(committed, generated,
                                 f"regenerate: /usr/bin/python3 {generator} > {table}")


if __name__ == "__main__":
    unittest.main()
