"""The import note's protocol command for the CPython adapter: one line of
``__import__`` calls (conformance/PROTOCOL.md, "The import command") run by
CPython against the fixture tree golden/import/pytree.

``answer(line, python)`` parses the line (``SyntaxError`` for a malformed one,
with the same messages as ref/import/import_line.c) and runs its steps in a
fresh interpreter (the running one, ``-I -B``: no user site, no environment,
no bytecode written into the tree) whose ``sys.path`` starts with a staged
copy of the tree, so every line starts with an empty module cache and nothing
of the adapter's own modules is visible. The staged copy adds ``notmod.so``:
a link to a shared object that is not the module ``notmod`` (an extension
module of the interpreter's own standard library, which defines another
``PyInit_`` function), mirroring the C tree's shared object without an
initialiser.

Runs on every CPython from 3.6 (imported by cpython_commands).
"""

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
from typing import List, Optional, Tuple

PYTREE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "golden",
    "import",
    "pytree",
)
NOT_A_MODULE = "notmod"

_NAME = re.compile(r"[A-Za-z0-9_.]*\Z")
_IDENTIFIER = re.compile(r"[A-Za-z0-9_]+\Z")
_LEVEL = re.compile(r"-?[0-9]{1,4}\Z")
_INT = re.compile(r"-?[0-9]{1,18}\Z")

Step = tuple


def _check_name(text: str) -> str:
    if not _NAME.match(text):
        raise SyntaxError("bad name '%s'" % text)
    return text


def _parse_import(words: List[str]) -> Step:
    fields = {}
    for word in words:
        key, equals, value = word.partition("=")
        if not equals or key not in ("name", "fromlist", "level", "package") or key in fields:
            raise SyntaxError("bad field '%s'" % word)
        fields[key] = value
    if "name" not in fields:
        raise SyntaxError("import needs name=")
    name = _check_name(fields["name"])
    fromlist = None
    if "fromlist" in fields:
        text = fields["fromlist"]
        fromlist = [_check_name(item) for item in text.split(",")] if text else []
    level = 0
    if "level" in fields:
        if not _LEVEL.match(fields["level"]):
            raise SyntaxError("bad level '%s'" % fields["level"])
        level = int(fields["level"])
    package = _check_name(fields["package"]) if "package" in fields else None
    return ("import", name, fromlist, level, package)


def parse_line(line: str) -> List[Step]:
    """The steps of an import line, or SyntaxError (the whole line is checked
    before any step runs)."""
    if any(not " " <= char <= "~" for char in line):
        raise SyntaxError("line is not printable ASCII")
    steps = []
    for text in line.split(";"):
        words = text.split()
        if not words:
            raise SyntaxError("empty step")
        kind = words[0]
        if kind == "import":
            steps.append(_parse_import(words[1:]))
        elif kind == "names":
            if len(words) != 2 or not _NAME.match(words[1]):
                raise SyntaxError("usage: names MODULE")
            steps.append(("names", words[1]))
        elif kind == "call":
            if (
                len(words) < 3
                or not _NAME.match(words[1])
                or not _IDENTIFIER.match(words[2])
                or not all(_INT.match(word) for word in words[3:])
            ):
                raise SyntaxError("usage: call MODULE FUNCTION [INT...]")
            steps.append(("call", words[1], words[2], [int(word) for word in words[3:]]))
        else:
            raise SyntaxError("unknown step '%s'" % kind)
    return steps


# Run by a fresh interpreter: argv[1] the tree, argv[2] the steps' repr.
_CHILD = r"""
import ast, sys
tree, steps = sys.argv[1], ast.literal_eval(sys.argv[2])
sys.path[:] = [tree] + [p for p in sys.path if p not in ("", tree)]

def exception_line(error):
    message = str(error).replace("\\", "\\\\").replace("\n", "\\n")
    name = type(error).__name__
    return name + ": " + message if message else name

answers, returned = [], []
for step in steps:
    try:
        if step[0] == "import":
            _, name, fromlist, level, package = step
            if package is None:
                caller = {"__name__": "__main__", "__package__": None}
            else:
                caller = {"__package__": package}
            module = __import__(name, caller, None, () if fromlist is None else fromlist, level)
            again = any(module is earlier for earlier in returned)
            returned.append(module)
            answers.append(module.__name__ + (" (again)" if again else ""))
        elif step[0] == "names":
            module = sys.modules[step[1]]
            answers.append(repr(sorted(n for n in vars(module) if not n.startswith("_"))))
        else:
            function = getattr(sys.modules[step[1]], step[2])
            answers.append(repr(function(*step[3])))
    except Exception as error:
        answers.append(exception_line(error))
sys.stdout.write(" | ".join(answers) + "\n")
"""

_staged = []  # type: List[str]


def _not_a_module_target() -> str:
    """A shared object that is not the module ``notmod``: the standard
    library's _ctypes extension (it defines PyInit__ctypes only)."""
    import _ctypes

    return _ctypes.__file__


def staged_tree() -> str:
    """A temporary copy of the Python fixture tree plus ``notmod.so`` (made
    once per process, removed at exit)."""
    if not _staged:
        root = tempfile.mkdtemp(prefix="pynotes-import-")
        atexit.register(shutil.rmtree, root, True)
        tree = os.path.join(root, "tree")
        shutil.copytree(PYTREE, tree, ignore=shutil.ignore_patterns("__pycache__"))
        os.symlink(_not_a_module_target(), os.path.join(tree, NOT_A_MODULE + ".so"))
        _staged.append(tree)
    return _staged[0]


def answer(line: Optional[str], python: Tuple[int, int]) -> str:
    """The answer to one import line: each step's answer joined by `` | ``."""
    assert line is not None
    steps = parse_line(line)
    child = subprocess.run(
        [sys.executable, "-I", "-B", "-c", _CHILD, staged_tree(), repr(steps)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
    )
    if child.returncode != 0 or not child.stdout.endswith("\n"):
        raise RuntimeError("the import child failed: " + child.stderr.strip()[-500:])
    return child.stdout[:-1]
