"""The CPython adapter's ``embed`` program: the note's IPython session, the real thing.

    tools/adapters/cpython embed [--python=X.Y]

Runs ``python3 -c "__import__('IPython').embed()"`` -- the note's call, with
the interpreter that runs the adapter -- on the adapter's own stdin and
stdout, under a fresh IPYTHONDIR (so no profile, startup file or history of
the user's changes the session), and exits with its status. ``--python=X.Y``
other than the running interpreter's version (checked by cpython_adapter), or
an interpreter without IPython, is exit status 2 with one line on stderr (golden/import/ipython holds
IPython 8.5's sessions on CPython 3.11).

Runs on every CPython from 3.6, like cpython_commands.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from typing import List


def embed(options: List[str]) -> int:
    """Runs the session (the adapter has checked and removed ``--python``);
    exit status 2 for any option or without IPython."""
    if options:
        print("cpython embed: unknown option %s (usage: cpython embed [--python=X.Y])"
              % options[0], file=sys.stderr)
        return 2
    if importlib.util.find_spec("IPython") is None:
        print("cpython embed: IPython is not installed for %s" % sys.executable, file=sys.stderr)
        return 2
    ipython_dir = tempfile.mkdtemp(prefix="pynotes-ipython-")
    try:
        env = dict(os.environ, IPYTHONDIR=ipython_dir)
        return subprocess.call([sys.executable, "-c", "__import__('IPython').embed()"], env=env)
    finally:
        shutil.rmtree(ipython_dir, ignore_errors=True)
