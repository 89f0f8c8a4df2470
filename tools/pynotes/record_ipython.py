"""tools/record import: records IPython session transcripts from the real IPython.

    tools/record [--update] [--check] import

A session transcript (golden/import/ipython/*.txt, format in golden/README.md)
is a golden file with ``Command = embed`` whose header names the files of the
directory the session runs in (``Directory``) and whose blocks are the lines
piped to the note's ``__import__('IPython').embed()`` (``Input``), in order,
with an ``End-Of-Input`` block when stdin ends before the session leaves. The
recorder writes each block's ``Output``: what IPython printed after reading
that line and before reading the next one (the first block, with neither
key, holds what it printed before reading anything: the banner and the first
prompt).

It makes a fresh directory with the header's files, starts
``tools/adapters/cpython embed --python=3.11`` there (the adapter runs
``/usr/bin/python3 -c "__import__('IPython').embed()"`` under a fresh
IPYTHONDIR) with stdin and stdout on pipes, and writes one line at a time,
waiting until IPython is blocked reading stdin again (``/proc/PID/syscall``
shows ``read`` on fd 0) before it takes the output so far as the line's.
Then it runs the session again with the whole input written at once and
checks that the output is the same bytes, so the split is only a reading aid:
the harness compares the whole output.

The banner's versions, build and compiler become ``${VERSION}``, ``${BUILD}``
and ``${COMPILER}``; a ``$`` is written ``$$``. The header's ``Oracle`` is the
banner's CPython and IPython versions.

Without ``--update`` only files with a block lacking its Output are recorded;
``--check`` records every file into memory and prints a diff of what would
change (exit 1 if anything would). Exit status 0, or 1 for a malformed file
or a session that fails.
"""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pynotes import golden, golden_edit

# Seconds a line may take before IPython reads the next one, and the session in all.
STEP_LIMIT = 20.0
SESSION_LIMIT = 120.0
BANNER = re.compile(r"\APython (?P<python>\S+) \((?P<build>[^()\n]+)\) \[(?P<compiler>[^\[\]\n]+)\]\n"
                    r"(?P<middle>.*\n)IPython (?P<ipython>\S+) -- ", re.S)


class RecordError(Exception):
    """Recording cannot go on: the session failed or the file is not a transcript."""


def make_directory(listing: str, where: Path) -> None:
    """Creates the header's ``Directory`` in ``where``: ``NAME/`` a folder, ``NAME*``
    an executable script, any other NAME an empty file (``ls -F``'s notation)."""
    for entry in listing.split():
        if entry.endswith("/"):
            (where / entry[:-1]).mkdir()
        elif entry.endswith("*"):
            script = where / entry[:-1]
            script.write_text("#!/bin/sh\n")
            script.chmod(0o755)
        else:
            (where / entry).write_text("")


def steps(transcript: golden.GoldenFile) -> list[bytes | None]:
    """The blocks' inputs in order: a line, or None for the end of input (and
    for the first block, which reads nothing)."""
    header = transcript.header
    if header.get("Command") != "embed":
        raise header.error("a session transcript's header has Command = embed")
    lines: list[bytes | None] = []
    for index, block in enumerate(transcript.cases):
        has_input = "Input" in block
        ends = "End-Of-Input" in block
        if index == 0:
            if has_input or ends:
                raise block.error("the first block is the banner: no Input, no End-Of-Input")
            lines.append(None)
            continue
        if has_input == ends:
            raise block.error("a block has an Input or End-Of-Input = yes (one of them)")
        if ends and (block.get("End-Of-Input") != "yes" or index != len(transcript.cases) - 1):
            raise block.error("End-Of-Input = yes is the last block")
        line = golden.input_line(block) if has_input else None
        if line is not None and b"\n" in line:
            raise block.error("an Input is one line", "Input")
        lines.append(line)
    return lines


def _child_of(pid: int) -> int:
    """The one child process of ``pid`` (the adapter's IPython), or ``pid``."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return pid
    return int(children[0]) if children else pid


def _reading_stdin(pid: int) -> bool:
    """Whether ``pid`` is blocked in read(0, ...)."""
    try:
        fields = Path(f"/proc/{pid}/syscall").read_text().split()
    except OSError:
        return False
    return len(fields) >= 2 and fields[0] == "0" and int(fields[1], 16) == 0


def _start(adapter: Path, where: Path) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if key != "LS_COLORS"}
    return subprocess.Popen([str(adapter), "embed", "--python=3.11"], cwd=where,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                            start_new_session=True)


class _Reader:
    """Collects a process's stdout without blocking."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self.selector = selectors.DefaultSelector()
        self.selector.register(process.stdout, selectors.EVENT_READ)
        self.data = bytearray()
        self.ended = False

    def pump(self, seconds: float) -> None:
        for _key, _events in self.selector.select(seconds):
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if chunk:
                self.data += chunk
            else:
                self.ended = True
                self.selector.unregister(self.process.stdout)

    def until_reading(self, pid: int) -> None:
        """Pumps until the process waits for stdin (or ends), then drains."""
        deadline = time.monotonic() + STEP_LIMIT
        while not self.ended and time.monotonic() < deadline:
            self.pump(0.02)
            if _reading_stdin(_child_of(pid)):
                self.pump(0.05)
                if _reading_stdin(_child_of(pid)):
                    while not self.ended and self.selector.select(0):
                        self.pump(0)
                    return
        if not self.ended:
            raise RecordError(f"IPython did not ask for input within {STEP_LIMIT:.0f} s")


def _stop(process: subprocess.Popen) -> int:
    try:
        return process.wait(SESSION_LIMIT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise RecordError(f"the session did not end within {SESSION_LIMIT:.0f} s") from None


def record_session(adapter: Path, listing: str, lines: list[bytes | None]) -> tuple[list[bytes], int]:
    """Each step's output and the exit status, one line at a time."""
    with tempfile.TemporaryDirectory() as where:
        make_directory(listing, Path(where))
        process = _start(adapter, Path(where))
        reader = _Reader(process)
        outputs: list[bytes] = []
        try:
            reader.until_reading(process.pid)
            outputs.append(bytes(reader.data))
            for line in lines[1:]:
                taken = len(reader.data)
                if reader.ended:
                    raise RecordError("the session ended before its last step")
                if line is None:
                    process.stdin.close()
                    while not reader.ended:
                        reader.pump(STEP_LIMIT)
                else:
                    process.stdin.write(line + b"\n")
                    process.stdin.flush()
                    reader.until_reading(process.pid)
                outputs.append(bytes(reader.data[taken:]))
            if not process.stdin.closed:
                process.stdin.close()
            while not reader.ended:
                reader.pump(STEP_LIMIT)
            outputs[-1] += bytes(reader.data[sum(len(o) for o in outputs):])
        finally:
            if not process.stdin.closed:
                try:
                    process.stdin.close()
                except BrokenPipeError:
                    pass
            status = _stop(process)
        # The same input at once must print the same bytes.
        whole = b"".join(line + b"\n" for line in lines[1:] if line is not None)
        again = subprocess.run([str(adapter), "embed", "--python=3.11"], cwd=where, input=whole,
                               capture_output=True, timeout=SESSION_LIMIT,
                               env={k: v for k, v in os.environ.items() if k != "LS_COLORS"})
    if again.stdout != b"".join(outputs) or again.returncode != status:
        raise RecordError("the session printed differently with its input written at once")
    return outputs, status


def mask(banner: str) -> tuple[str, str]:
    """The first block's text with the banner's versions masked, and the Oracle."""
    found = BANNER.match(banner)
    if found is None:
        raise RecordError(f"not IPython's banner: {banner[:120]!r}")
    masked = ("Python ${VERSION} (${BUILD}) [${COMPILER}]\n" + found.group("middle") +
              "IPython ${VERSION} -- " + banner[found.end():])
    return masked, f"CPython {found.group('python')} IPython {found.group('ipython')}"


def record_text(path: Path, text: str, adapter: Path) -> str:
    """The transcript ``text`` (of ``path``) with every Output recorded anew."""
    transcript = golden.parse(path, text)
    lines = steps(transcript)
    listing = transcript.header.get("Directory")
    if listing is None:
        raise transcript.header.error("a session transcript's header has a Directory")
    outputs, status = record_session(adapter, listing, lines)
    texts = [output.decode("utf-8", "surrogateescape").replace("$", "$$") for output in outputs]
    texts[0], oracle = mask(texts[0])
    out: list[list[str]] = []
    blocks = iter(zip(transcript.cases, texts))
    seen_header = False
    for chunk in golden_edit.chunks(text):
        if all(line.startswith("#") for line in chunk):
            out.append(chunk)
            continue
        if not seen_header:
            seen_header = True
            header = golden_edit.set_header(chunk, oracle, "tools/record import")
            out.append([f"Exit-Status = {status}" if golden_edit.key(line) == "Exit-Status"
                        else line for line in header])
            continue
        _block, output = next(blocks)
        kept = [line for line in chunk if golden_edit.key(line) != "Output"]
        out.append(kept + [f"Output = {golden.quote_value(output)}"])
    return "\n\n".join("\n".join(chunk) for chunk in out) + "\n"


def main(root: Path, update: bool, check: bool) -> int:
    """Records golden/import/ipython/*.txt under ``root``; the exit status."""
    adapter = (root / "tools" / "adapters" / "cpython").resolve()
    changed = False
    try:
        for path in sorted((root / "golden" / "import" / "ipython").glob("*.txt")):
            relative = path.relative_to(root)
            text = golden_edit.read(path)
            parsed = golden.parse(relative, text)
            if not (update or check) and all("Output" in block for block in parsed.cases):
                print(f"{relative}: already recorded", flush=True)
                continue
            new_text = record_text(relative, text, adapter)
            differs = golden_edit.apply(path, relative, text, new_text, check)
            changed |= differs
            print(f"{relative}: {'would change' if check and differs else 'recorded'}",
                  flush=True)
    except (golden.GoldenError, RecordError, OSError, subprocess.SubprocessError) as error:
        print(error, file=sys.stderr)
        return 1
    return 1 if check and changed else 0
