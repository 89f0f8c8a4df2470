"""One sympy session through an implementation's adapter: the lines go to
``COMMAND sympy`` on stdin, one answer per line comes back on stdout. Shared
by ``sympy_diff`` (random lines) and ``sympy_corpus`` (docstring examples),
so that both read a session that died or hung the same way."""

from __future__ import annotations

import subprocess

LOST = "<lost: "


def answers(command: list[str], lines: list[str], env: dict | None = None,
            timeout: float = 600) -> list[str]:
    """One answer per line from ``command``'s sympy session. A line the
    session did not reach (it died, or did not finish within ``timeout``
    seconds) answers ``<lost: exit N ...>`` or ``<lost: timed out>``, with the
    end of stderr, so that a caller counts it as a difference and shows why."""
    text = "".join(line + "\n" for line in lines)
    try:
        done = subprocess.run(command + ["sympy"], input=text, capture_output=True, text=True,
                              errors="surrogateescape", timeout=timeout, env=env, check=False)
        # Every answer ends with a newline; what follows the last one is no answer.
        got = done.stdout.split("\n")[:-1][: len(lines)]
        why = f"exit {done.returncode}"
        if len(got) < len(lines) and done.stderr.strip():
            why += ": " + done.stderr.strip().splitlines()[-1][-200:]
    except subprocess.TimeoutExpired:
        got, why = [], "timed out"
    return got + [f"{LOST}{why}>"] * (len(lines) - len(got))
