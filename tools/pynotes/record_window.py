"""tools/record window: records the window note from the real pyglet programs.

    tools/record [--update] [--check] window

golden/window holds two kinds of golden file (format: golden/README.md,
conventions: conformance/PROTOCOL.md, "The window program"):

- an **event transcript** (header ``Command = window``, ``Program = events``):
  every block is one input step, written by hand -- ``Key = KEYS`` (xdotool
  key names or chords, ``shift+a``; several separated by spaces),
  ``Keydown = KEY``, ``Keyup = KEY``, or ``Click = BUTTON`` with
  ``At = X Y`` (window pixels from the top left) -- and its ``Output``, what the
  program printed for it (lines joined by ``\\n``; empty for nothing), which
  the recorder writes;
- a **frame** (header ``Program = hello``): one block whose ``Frame`` names a
  PNG in the same folder, which the recorder writes from pyglet's first frame.

For each file the recorder starts its own Xvfb (``-displayfd``, a free display
number), runs ``tools/adapters/cpython window PROGRAM`` (the note's pyglet
program) on it, and for a transcript finds the window, focuses it and plays
each step with xdotool exactly as conformance/window/window_test.c does,
taking as its Output every line printed until none has come for ``SETTLE``
seconds. After the last step the program must have ended with status 0 (end
a transcript with ``Key = Escape``). Xvfb is stopped whatever happens.

Without ``--update`` only files with something unrecorded are recorded;
``--check`` records every file into memory, prints a diff of what would
change and exits 1 if anything would. Exit status 0, or 1 for a malformed
file or a failure of Xvfb, xdotool or the program.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pynotes import golden, golden_edit

# Seconds without a new line after which a step's output is complete.
SETTLE = 0.4
# Seconds the window may take to appear, and the program to end.
LIMIT = 20.0
STEP_KEYS = ("Key", "Keydown", "Keyup", "Click")
WINDOW_NAME = {"events": r"events\.py$", "hello": r"hello\.py$"}


class RecordError(Exception):
    """Recording cannot go on: Xvfb, xdotool or the program failed."""


class Xvfb:
    """A private X server on a free display, stopped by ``stop``."""

    def __init__(self) -> None:
        read_end, write_end = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x1024x24",
             "-nolisten", "tcp"],
            pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_end)
        with os.fdopen(read_end) as displayfd:
            number = displayfd.readline().strip()
        if not number.isdigit():
            self.stop()
            raise RecordError("Xvfb did not start (is the xvfb package installed?)")
        self.env = dict(os.environ, DISPLAY=":" + number, MESA_SHADER_CACHE_DISABLE="true")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def xdotool(env: dict, *arguments: str) -> str:
    """Runs xdotool with ``arguments``; returns its stdout."""
    done = subprocess.run(["xdotool", *arguments], env=env, capture_output=True, text=True,
                          timeout=LIMIT)
    if done.returncode != 0:
        raise RecordError(f"xdotool {' '.join(arguments)} failed: {done.stderr.strip()}")
    return done.stdout


def step_command(block: golden.Block, window: str) -> list[str]:
    """The xdotool arguments that play the step ``block`` on ``window``."""
    present = [key for key in STEP_KEYS if key in block]
    if len(present) != 1:
        raise block.error(f"a step has exactly one of {', '.join(STEP_KEYS)}")
    action = present[0]
    value = block.get(action) or ""
    if action == "Key":
        return ["key", "--delay", "40", *value.split(" ")]
    if action in ("Keydown", "Keyup"):
        return [action.lower(), value]
    at = (block.get("At") or "").split(" ")
    if len(at) != 2 or not all(part.isdigit() for part in at) or not value.isdigit():
        raise block.error("a Click step has Click = BUTTON and At = X Y")
    return ["mousemove", "--window", window, at[0], at[1], "click", value]


def find_window(env: dict, program: str) -> str:
    """The id of the program's visible window, waiting for it to appear."""
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name",
                                WINDOW_NAME[program]], env=env, capture_output=True, text=True)
        if found.stdout.split():
            return found.stdout.split()[0]
        time.sleep(0.05)
    raise RecordError(f"the {program} window did not appear within {LIMIT} s")


class Lines:
    """The program's stdout, read line by line without blocking."""

    def __init__(self, stream) -> None:
        self.stream = stream
        os.set_blocking(stream.fileno(), False)
        self.selector = selectors.DefaultSelector()
        self.selector.register(stream, selectors.EVENT_READ)
        self.pending = b""
        self.ended = False

    def settle(self) -> list[str]:
        """Every line that arrives until none has for SETTLE seconds (or EOF)."""
        lines: list[str] = []
        while not self.ended and self.selector.select(SETTLE):
            chunk = os.read(self.stream.fileno(), 65536)
            if not chunk:
                self.ended = True
            self.pending += chunk
            *complete, self.pending = self.pending.split(b"\n")
            lines.extend(line.decode("utf-8", "surrogateescape") for line in complete)
        return lines


def record_transcript(path: Path, text: str, adapter: Path, oracle: str) -> str:
    """The transcript ``text`` (of ``path``) with every step's Output recorded anew."""
    transcript = golden.parse(path, text)
    chunks = golden_edit.chunks(text)
    xvfb = Xvfb()
    process = subprocess.Popen([str(adapter), "window", "events"], env=xvfb.env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    out: list[list[str]] = []
    try:
        lines = Lines(process.stdout)
        window = find_window(xvfb.env, "events")
        xdotool(xvfb.env, "windowfocus", "--sync", window)
        steps = iter(transcript.cases)
        seen_header = False
        for chunk in chunks:
            if all(line.startswith("#") for line in chunk):
                out.append(chunk)
                continue
            if not seen_header:
                seen_header = True
                out.append(golden_edit.set_header(chunk, oracle, "tools/record window"))
                continue
            block = next(steps)
            xdotool(xvfb.env, *step_command(block, window))
            output = "\n".join(lines.settle())
            kept = [line for line in chunk if golden_edit.key(line) != "Output"]
            out.append(kept + [f"Output = {golden.quote_value(output)}"])
        status = process.wait(LIMIT)
        trailing = lines.settle()
        if status != 0 or trailing:
            raise RecordError(f"{path}: after the last step the program printed {trailing!r} and "
                              f"exited with {status}: {process.stderr.read().decode()[-500:]}")
    except subprocess.TimeoutExpired:
        raise RecordError(f"{path}: the program did not end after the last step (end the "
                          "transcript with Key = Escape)") from None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        xvfb.stop()
    return "\n\n".join("\n".join(chunk) for chunk in out) + "\n"


def record_frame(path: Path, text: str, adapter: Path, oracle: str, root: Path,
                 write: bool) -> tuple[str, bool]:
    """Records the frame file ``path``: its new text and whether the PNG changed
    (written only when ``write``)."""
    frame_file = golden.parse(path, text)
    if len(frame_file.cases) != 1 or "Frame" not in frame_file.cases[0]:
        raise frame_file.header.error("a frame file has one block, with Frame = NAME.png")
    target = root / path.parent / (frame_file.cases[0].get("Frame") or "")
    xvfb = Xvfb()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            frame = Path(scratch) / "frame.png"
            done = subprocess.run([str(adapter), "window", "hello", "--frame", str(frame)],
                                  env=xvfb.env, capture_output=True, timeout=LIMIT)
            if done.returncode != 0 or not frame.exists():
                raise RecordError(f"{path}: window hello --frame failed: "
                                  f"{done.stderr.decode()[-500:]}")
            data = frame.read_bytes()
    finally:
        xvfb.stop()
    changed = not target.exists() or target.read_bytes() != data
    if changed and write:
        target.write_bytes(data)
    new_text = "\n\n".join("\n".join(golden_edit.set_header(c, oracle, "tools/record window") if i == 0 else c)
                           for i, c in enumerate(golden_edit.chunks(text))) + "\n"
    return new_text, changed


def _unrecorded(text: str) -> bool:
    return any(not any(golden_edit.key(line) == "Output" for line in chunk)
               for chunk in golden_edit.chunks(text)[1:] if any(golden_edit.key(line) in STEP_KEYS for line in chunk))


def _unrecorded_frame(root: Path, path: Path, text: str) -> bool:
    cases = golden.parse(path, text).cases
    name = cases[0].get("Frame") if cases else None
    return not name or not (root / path.parent / name).exists()


def main(root: Path, update: bool, check: bool) -> int:
    """Records golden/window/*.txt under ``root`` as the module says; the exit status."""
    adapter = root / "tools" / "adapters" / "cpython"
    oracle = golden_edit.oracle(adapter, "window")
    changed = False
    try:
        for path in sorted((root / "golden" / "window").glob("*.txt")):
            relative = path.relative_to(root)
            text = golden_edit.read(path)
            program = golden.parse(relative, text).header.get("Program")
            if program == "events":
                if not (update or check) and not _unrecorded(text):
                    print(f"{relative}: already recorded", flush=True)
                    continue
                new_text, frame_changed = record_transcript(relative, text, adapter, oracle), False
            elif program == "hello":
                if not (update or check) and not _unrecorded_frame(root, relative, text):
                    print(f"{relative}: already recorded", flush=True)
                    continue
                new_text, frame_changed = record_frame(relative, text, adapter, oracle, root,
                                                       write=not check)
            else:
                raise golden.GoldenError(relative, 1, "the header needs Program = events or hello")
            differs = golden_edit.apply(path, relative, text, new_text, check) or frame_changed
            changed |= differs
            if check and frame_changed:
                print(f"{relative}: the recorded frame would change")
            verb = "would change" if check and differs else "recorded"
            print(f"{relative}: {verb}", flush=True)
    except (golden.GoldenError, RecordError, OSError, subprocess.SubprocessError) as error:
        print(error, file=sys.stderr)
        return 1
    return 1 if check and changed else 0
