"""Pyodide as an oracle for tools/record: the 32-bit CPython of this machine.

Pyodide is CPython compiled to 32-bit WebAssembly (the npm package ``pyodide``,
installed by ci/install into tools/adapters/pyodide_npm/node_modules), run in
node by tools/adapters/pyodide, which runs the CPython adapter's own code. It
is the one CPython with 4-byte pointers here, so the recorder asks it for
what depends on the pointer size (``getsizeof``'s sizes: recorder.SIZE_COMMANDS)
and writes its answers as the 32-bit goldens. ``find`` describes the installed
Pyodide as cpythons.Interpreter describes a native CPython.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import NamedTuple


class Pyodide(NamedTuple):
    """The installed Pyodide: its adapter and what its CPython says it is."""

    path: Path         # tools/adapters/pyodide, the command that runs the adapter in it
    version: str       # X.Y of its CPython, as --python and the golden files write it
    release: str       # X.Y.Z of its CPython
    pointer_size: int  # bytes, struct.calcsize("P") inside it
    package: str       # the npm package's version (314.0.8)

    @property
    def minor(self) -> int:
        return int(self.version.split(".")[1])

    def describe(self) -> str:
        """``Pyodide 314.0.8 (CPython 3.14.2, 32-bit WebAssembly: tools/adapters/pyodide)``:
        the golden files' Oracle entry (golden/README.md: an entry saying
        ``32-bit`` is of 4-byte pointers)."""
        bits = 8 * self.pointer_size
        return (f"Pyodide {self.package} (CPython {self.release}, {bits}-bit WebAssembly:"
                f" tools/adapters/pyodide)")

    def label(self) -> str:
        """How the recorder's summary lines name it: ``Pyodide 314.0.8 (3.14.2)``."""
        return f"Pyodide {self.package} ({self.release})"


def find(root: Path) -> Pyodide | None:
    """The Pyodide installed in the checkout at ``root``, as it describes
    itself (``tools/adapters/pyodide interpreter``); None when it is not
    installed (no package, no node) or cannot answer."""
    adapter = root / "tools" / "adapters" / "pyodide"
    package = root / "tools" / "adapters" / "pyodide_npm" / "node_modules" / "pyodide"
    try:
        package_version = json.loads((package / "package.json").read_text("utf-8"))["version"]
        asked = subprocess.run([str(adapter), "interpreter"], text=True, capture_output=True,
                               timeout=300, check=True)
        version, release, pointer_size = asked.stdout.split()
        return Pyodide(adapter, version, release, int(pointer_size), str(package_version))
    except (OSError, subprocess.SubprocessError, ValueError, KeyError):
        return None
