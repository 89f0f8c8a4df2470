"""tools/record servers: records network transcripts from the real Twisted programs.

    tools/record [--update] [--check] servers

A transcript (golden/servers/*.txt, format in golden/README.md) is a golden
file whose header names a server (``Command = serve``, ``Server = echo``) and
whose blocks are steps of named clients. The *script* steps -- ``Connect``,
``Send``, ``Close`` and ``Expect-Silence`` -- are written by hand; the
recorder writes the others, ``Expect`` and ``Expect-Close``: what the server
sent.

For each file the recorder starts ``tools/adapters/cpython serve NAME --port 0``
(the note's Twisted program), waits for its readiness line, and plays the
script over loopback. Every client reads all the time (so a large Send cannot
deadlock against a server that echoes). After each Connect, Send and Close it
waits until no client has received anything for ``SETTLE`` seconds, then
writes, for each client in the order they first connected, an ``Expect`` step
with the bytes that client received and an ``Expect-Close`` step if the server
closed the connection. An ``Expect-Silence`` step checks that its client
really receives nothing for its ``For-Ms``; if it does, recording fails. The
server is stopped with SIGTERM (killed if it lingers), whatever happens.

In recorded bytes a ``$`` is written ``$$``, the server's port (as a decimal
number standing alone) ``${PORT}`` and the value of an HTTP ``Date:`` header
``${DATE}``; a long run of one short unit is written once with ``Data-Repeat``.

Without ``--update`` only files with no recorded step yet are recorded.
``--check`` records every file into memory and prints a diff of what would
change (exit 1 if anything would). Comments and script steps keep their text;
recorded steps are replaced; the header's ``Oracle`` and ``Recorded-By`` are
set. Exit status 0, or 1 for a malformed file, a server that fails or a
silence that was not.
"""

from __future__ import annotations

import os
import re
import selectors
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

from pynotes import golden, golden_edit

# Seconds without any received byte after which a step's output is complete.
SETTLE = 0.25
# Seconds a step's output may take in all, and the server to become ready.
STEP_LIMIT = 15.0
READY_LIMIT = 20.0
SERVERS = ("echo", "web", "pubsub")
SCRIPT_ACTIONS = ("Connect", "Send", "Close", "Expect-Silence")
RECORDED_ACTIONS = ("Expect", "Expect-Close")
_DATE_VALUE = re.compile(
    rb"(?<=\r\nDate: )[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT"
)
_CLIENT = re.compile(r"[A-Za-z0-9_]+\Z")


class RecordError(Exception):
    """Recording a transcript failed: str() says where and why."""


def step_action(block: golden.Block) -> str:
    """The step's action key (exactly one of SCRIPT_ACTIONS + RECORDED_ACTIONS)."""
    actions = [key for key in block.keys() if key in SCRIPT_ACTIONS + RECORDED_ACTIONS]
    if len(actions) != 1:
        raise block.error("a step needs exactly one of " + ", ".join(SCRIPT_ACTIONS +
                                                                    RECORDED_ACTIONS))
    client = block.get(actions[0]) or ""
    if not _CLIENT.match(client):
        raise block.error(f"bad client name '{client}' (letters, digits and '_')", actions[0])
    return actions[0]


def expand_send(block: golden.Block, port: int) -> bytes:
    """A Send step's bytes: Data (times Data-Repeat) with ``${PORT}`` and ``$$`` replaced."""
    data = golden.value_bytes(block.get("Data") or "") * int(block.get("Data-Repeat", "1"))
    pieces = re.split(rb"(\$\$|\$\{PORT\})", data)
    out = bytearray()
    for piece in pieces:
        out += {b"$$": b"$", b"${PORT}": str(port).encode()}.get(piece, piece)
    return bytes(out)


def placeholders(received: bytes, port: int) -> bytes:
    """``received`` as an Expect's Data: ``$`` doubled, the port and Date values replaced."""
    text = received.replace(b"$", b"$$")
    text = _DATE_VALUE.sub(b"${DATE}", text)
    return re.sub(rb"(?<![0-9])%d(?![0-9])" % port, b"${PORT}", text)


def _repeat_unit(data: bytes) -> tuple[bytes, int]:
    """(unit, count) with unit * count == data, the unit as short as possible
    (at most 64 bytes) when data is long; else (data, 1)."""
    if len(data) >= 256:
        for period in range(1, 65):
            if len(data) % period == 0 and data[:period] * (len(data) // period) == data:
                return data[:period], len(data) // period
    return data, 1


def _data_lines(data: bytes) -> list[str]:
    unit, count = _repeat_unit(data)
    lines = [f"Data = {golden.quote_value(unit.decode('utf-8', 'surrogateescape'))}"]
    if count > 1:
        lines.append(f"Data-Repeat = {count}")
    return lines


class _Client:
    def __init__(self, name: str, port: int) -> None:
        self.name = name
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=STEP_LIMIT)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setblocking(False)
        self.received = bytearray()
        self.closed_by_server = False
        self.closed_by_us = False


class _Player:
    """Plays script steps against a running server and collects what arrives."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.clients: dict[str, _Client] = {}
        self.selector = selectors.DefaultSelector()

    def close_all(self) -> None:
        for client in self.clients.values():
            if not client.closed_by_us:
                client.sock.close()
        self.selector.close()

    def _read(self, client: _Client) -> bool:
        """Reads what client has; whether anything (bytes or the end) arrived."""
        try:
            data = client.sock.recv(65536)
        except BlockingIOError:
            return False
        except ConnectionResetError:
            data = b""
        if data:
            client.received += data
            return True
        client.closed_by_server = True
        self.selector.unregister(client.sock)
        return True

    def pump(self, seconds: float) -> bool:
        """Reads from every client for up to ``seconds``; whether anything arrived."""
        got = False
        for key, _ in self.selector.select(seconds):
            got |= self._read(key.data)
        return got

    def settle(self) -> None:
        deadline = time.monotonic() + STEP_LIMIT
        while self.pump(SETTLE):
            if time.monotonic() > deadline:
                raise RecordError("the server never stopped sending")

    def play(self, block: golden.Block, action: str) -> None:
        name = block.get(action) or ""
        if action == "Connect":
            if name in self.clients:
                raise block.error(f"client '{name}' is already connected", action)
            client = _Client(name, self.port)
            self.clients[name] = client
            self.selector.register(client.sock, selectors.EVENT_READ, client)
            return
        client = self.clients.get(name)
        if client is None or client.closed_by_us:
            raise block.error(f"client '{name}' is not connected", action)
        if action == "Send":
            self._send(client, expand_send(block, self.port))
        elif action == "Close":
            if block.get("How", "close") == "reset":
                client.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            elif block.get("How", "close") != "close":
                raise block.error("How is close or reset", "How")
            if not client.closed_by_server:
                self.selector.unregister(client.sock)
            client.sock.close()
            client.closed_by_us = True
        elif action == "Expect-Silence":
            milliseconds = int(block.get("For-Ms") or "0")
            end = time.monotonic() + milliseconds / 1000
            while time.monotonic() < end:
                self.pump(end - time.monotonic())
            if client.received or client.closed_by_server:
                raise block.error(f"client '{name}' received {bytes(client.received)!r}"
                                  f"{' and the end' if client.closed_by_server else ''}"
                                  f" within {milliseconds} ms", action)

    def _send(self, client: _Client, data: bytes) -> None:
        """Writes data while reading from every client; a server that has closed
        ends the write early (the recorded Expect-Close says so)."""
        view = memoryview(data)
        deadline = time.monotonic() + STEP_LIMIT
        while view:
            try:
                sent = client.sock.send(view)
                view = view[sent:]
            except BlockingIOError:
                pass
            except (BrokenPipeError, ConnectionResetError):
                return
            self.pump(0 if not view else 0.01)
            if time.monotonic() > deadline:
                raise RecordError(f"client '{client.name}' could not send within {STEP_LIMIT} s")

    def take_expectations(self) -> list[list[str]]:
        """The recorded steps for what arrived since the last call, client by client."""
        steps = []
        for client in self.clients.values():
            if client.received:
                data = placeholders(bytes(client.received), self.port)
                steps.append([f"Expect = {client.name}", *_data_lines(data)])
                client.received.clear()
            if client.closed_by_server and not client.closed_by_us:
                steps.append([f"Expect-Close = {client.name}"])
                client.closed_by_us = True
                client.sock.close()
        return steps


def _start_server(adapter: Path, server: str) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen([str(adapter), "serve", server, "--port", "0"],
                               stdout=subprocess.PIPE, start_new_session=True)
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    if not selector.select(READY_LIMIT):
        _stop_server(process)
        raise RecordError(f"serve {server}: no readiness line within {READY_LIMIT} s")
    line = process.stdout.readline().decode("utf-8", "replace")
    match = re.match(r"listening on 127\.0\.0\.1:([0-9]+)\n\Z", line)
    if not match:
        _stop_server(process)
        raise RecordError(f"serve {server}: bad readiness line {line!r}")
    return process, int(match.group(1))


def _stop_server(process: subprocess.Popen) -> int:
    """SIGTERM to the server's process group, then SIGKILL if it lingers; its status."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        return process.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait()
    except ProcessLookupError:
        return process.wait()


def _is_recorded(chunk: list[str]) -> bool:
    return any(golden_edit.key(line) in RECORDED_ACTIONS for line in chunk if not line.startswith("#"))


def record_text(path: Path, text: str, adapter: Path, oracle: str) -> str:
    """The transcript ``text`` (of ``path``) with its recorded steps made anew."""
    transcript = golden.parse(path, text)
    header = transcript.header
    server = header.get("Server") or ""
    if header.get("Command") != "serve" or server not in SERVERS:
        raise header.error(f"a transcript's header has Command = serve and Server = one of "
                           f"{' '.join(SERVERS)}")
    process, port = _start_server(adapter, server)
    player = _Player(port)
    out: list[list[str]] = []
    steps = iter(transcript.cases)
    seen_header = False
    try:
        for chunk in golden_edit.chunks(text):
            if all(line.startswith("#") for line in chunk):
                out.append(chunk)  # a comment stands where it was written
                continue
            if not seen_header:
                seen_header = True
                out.append(golden_edit.set_header(chunk, oracle, "tools/record servers"))
                continue
            block = next(steps)
            action = step_action(block)
            if action in RECORDED_ACTIONS:
                continue
            literal = golden.value_bytes(block.get("Data") or "").replace(b"${PORT}", b" ")
            if action == "Send" and re.search(rb"(?<![0-9])%d(?![0-9])" % port, literal):
                raise block.error(f"the data holds the server's port {port}: record again")
            out.append(chunk)
            player.play(block, action)
            if action != "Expect-Silence":
                player.settle()
                out.extend(player.take_expectations())
        player.pump(SETTLE)
        out.extend(player.take_expectations())
    finally:
        player.close_all()
        status = _stop_server(process)
    if status != 0:
        raise RecordError(f"{path}: serve {server} exited with status {status} on SIGTERM")
    return "\n\n".join("\n".join(chunk) for chunk in out) + "\n"


def main(root: Path, update: bool, check: bool) -> int:
    """Records golden/servers/*.txt under ``root`` as the module says; the exit status."""
    adapter = root / "tools" / "adapters" / "cpython"
    oracle = golden_edit.oracle(adapter, "servers")
    changed = False
    try:
        for path in sorted((root / "golden" / "servers").glob("*.txt")):
            relative = path.relative_to(root)
            text = golden_edit.read(path)
            if not (update or check) and any(_is_recorded(c) for c in golden_edit.chunks(text)):
                print(f"{relative}: already recorded", flush=True)
                continue
            new_text = record_text(relative, text, adapter, oracle)
            differs = golden_edit.apply(path, relative, text, new_text, check)
            changed |= differs
            print(f"{relative}: {'would change' if check and differs else 'recorded'}",
                  flush=True)
    except (golden.GoldenError, RecordError, OSError) as error:
        print(error, file=sys.stderr)
        return 1
    return 1 if check and changed else 0
