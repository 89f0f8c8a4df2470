"""The CPython adapter's ``serve`` program: the note's real Twisted servers.

``serve NAME --port N`` (conformance/PROTOCOL.md) replaces the adapter
process with ``PYTHON golden/servers/twisted_NAME.py --port N``, PYTHON being
the interpreter that runs the adapter, so that the readiness line, the bytes
on the wire and the exit on SIGTERM or SIGINT are the Twisted program's own,
and a signal sent to the adapter's pid reaches the server directly.

Runs on every CPython from 3.6, like cpython_commands.
"""

import os
import sys
from typing import List

SERVERS = ("echo", "web", "pubsub")
# The interpreter being checked, the one running the adapter (which has
# checked that it can import the note's library).
INTERPRETER = sys.executable
_PROGRAMS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "golden",
    "servers",
)


def program_path(name: str) -> str:
    """The Twisted program that serves ``name`` (one of SERVERS)."""
    return os.path.join(_PROGRAMS, "twisted_%s.py" % name)


def _usage(problem: str) -> int:
    sys.stderr.write(
        "cpython adapter: %s (usage: cpython serve %s --port N)\n" % (problem, "|".join(SERVERS))
    )
    return 2


def serve(options: List[str]) -> int:
    """Runs ``serve NAME --port N``: never returns on success (exec); returns 2
    with one line on stderr for a bad command line."""
    if len(options) != 3 or options[0] not in SERVERS or options[1] != "--port":
        return _usage("bad options " + " ".join(options))
    port = options[2]
    if not port.isdigit() or int(port) > 65535:
        return _usage("bad port " + port)
    sys.stdout.flush()
    os.execv(INTERPRETER, [INTERPRETER, program_path(options[0]), "--port", str(int(port))])
    return 1  # not reached: execv raises on failure
