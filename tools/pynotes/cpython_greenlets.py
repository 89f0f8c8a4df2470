"""The greenlets note's protocol command for the CPython adapter: a scenario
line (conformance/PROTOCOL.md, "Greenlet scenarios") run by real gevent.

``answer(line, python)`` parses the line (``SyntaxError`` for a malformed
one, with the same messages as ref/greenlets/scenario.c) and runs the program
in a fresh ``/usr/bin/python3`` process, so that gevent's hub, its loop and
its clock never carry over from one case to the next. The child replaces
``sys.stdout`` and ``sys.stderr`` by recorders before importing gevent (the
hub's ``exception_stream`` reads ``sys.stderr`` at each error), so printed
lines and gevent's error reports keep their relative order; it writes the
answer line on its real stdout.

Runs on every CPython from 3.6 (imported by cpython_commands).
"""

import os
import re
import subprocess
import sys
from typing import Dict, List, Optional, Tuple

# The exceptions a `raise` step may name: builtins whose str() is the message,
# and gevent's GreenletExit (a "successful" death).
EXCEPTIONS = (
    "Exception",
    "ValueError",
    "TypeError",
    "RuntimeError",
    "ZeroDivisionError",
    "IndexError",
    "AssertionError",
    "LookupError",
    "ArithmeticError",
    "GreenletExit",
)
KEYWORDS = frozenset(
    ["print", "sleep", "raise", "return", "spawn", "join", "joinall", "kill", "show", "timeout",
     "nowait"]
)
# A scenario spawns at most this many greenlets; the next spawn raises
# RuntimeError("too many greenlets") in the spawning greenlet.
MAX_GREENLETS = 10000
SEPARATOR = " | "
ERROR_PREFIX = "! "

Step = tuple
Program = Dict[str, List[Step]]


class _Token(object):
    __slots__ = ("kind", "text", "column", "value")

    def __init__(self, kind: str, text: bytes, column: int, value=None) -> None:
        self.kind = kind  # "word", "number", "string", "punct", "end"
        self.text = text
        self.column = column
        self.value = value


def _error(message: str, column: int) -> SyntaxError:
    return SyntaxError("%s at column %d" % (message, column))


def _tokenize(line: bytes) -> List[_Token]:
    """The tokens of ``line``; SyntaxError for an unexpected byte or a bad string."""
    tokens = []
    i = 0
    n = len(line)
    while i < n:
        byte = line[i]
        if byte in b" \t":
            i += 1
        elif byte in b"{};=":
            tokens.append(_Token("punct", line[i:i + 1], i + 1))
            i += 1
        elif 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A or byte == 0x5F:
            start = i
            while i < n and (line[i:i + 1].isalnum() or line[i] == 0x5F):
                i += 1
            tokens.append(_Token("word", line[start:i], start + 1))
        elif 0x30 <= byte <= 0x39:
            start = i
            while i < n and 0x30 <= line[i] <= 0x39:
                i += 1
            if i + 1 < n and line[i] == 0x2E and 0x30 <= line[i + 1] <= 0x39:
                i += 1
                while i < n and 0x30 <= line[i] <= 0x39:
                    i += 1
            tokens.append(_Token("number", line[start:i], start + 1, float(line[start:i])))
        elif byte == 0x22:
            start = i
            i += 1
            text = bytearray()
            while True:
                if i >= n:
                    raise _error("unterminated string", start + 1)
                byte = line[i]
                if byte == 0x22:
                    i += 1
                    break
                if byte == 0x5C:
                    if i + 1 < n and line[i + 1] in b'\\"':
                        text.append(line[i + 1])
                        i += 2
                        continue
                    raise _error("bad escape", i + 1)
                if byte < 0x20 or byte == 0x7F:
                    raise _error("unexpected character", i + 1)
                text.append(byte)
                i += 1
            tokens.append(_Token("string", line[start:i], start + 1, bytes(text)))
        else:
            raise _error("unexpected character", i + 1)
    tokens.append(_Token("end", b"", n + 1))
    return tokens


class _Parser(object):
    def __init__(self, tokens: List[_Token]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def punct(self, char: bytes) -> bool:
        token = self.peek()
        if token.kind == "punct" and token.text == char:
            self.at += 1
            return True
        return False

    def expect_punct(self, char: bytes, what: str) -> None:
        if not self.punct(char):
            raise _error("expected " + what, self.peek().column)

    def name(self, what: str) -> _Token:
        token = self.peek()
        if token.kind != "word" or token.text.decode("ascii") in KEYWORDS:
            raise _error("expected " + what, token.column)
        return self.take()

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token.kind == "word" and token.text == word.encode("ascii"):
            self.at += 1
            return True
        return False

    def value(self, kind: str, what: str) -> _Token:
        token = self.peek()
        if token.kind != kind:
            raise _error("expected " + what, token.column)
        return self.take()

    def timeout(self) -> Optional[float]:
        if self.keyword("timeout"):
            return self.value("number", "a number").value
        return None

    def step(self) -> Tuple[Step, Optional[_Token]]:
        """One step, and the token naming a spawned task (for the checks)."""
        token = self.peek()
        word = token.text.decode("ascii") if token.kind == "word" else ""
        if word == "print":
            self.take()
            return ("print", self.value("string", "a string").value), None
        if word == "sleep":
            self.take()
            return ("sleep", self.value("number", "a number").value), None
        if word == "raise":
            self.take()
            name = self.peek()
            if name.kind != "word":
                raise _error("expected an exception name", name.column)
            if name.text.decode("ascii") not in EXCEPTIONS:
                raise _error("unknown exception '%s'" % name.text.decode("ascii"), name.column)
            self.take()
            message = self.take().value if self.peek().kind == "string" else None
            return ("raise", name.text.decode("ascii"), message), None
        if word == "return":
            self.take()
            return ("return", self.value("string", "a string").value), None
        if word == "spawn":
            self.take()
            task = self.name("a task name")
            return ("spawn", None, task.text.decode("ascii")), task
        if word == "join":
            self.take()
            var = self.name("a variable").text.decode("ascii")
            return ("join", var, self.timeout()), None
        if word == "joinall":
            self.take()
            names = []
            while self.peek().kind == "word" and self.peek().text.decode("ascii") not in KEYWORDS:
                names.append(self.take().text.decode("ascii"))
            return ("joinall", names, self.timeout()), None
        if word == "kill":
            self.take()
            var = self.name("a variable").text.decode("ascii")
            return ("kill", var, not self.keyword("nowait")), None
        if word == "show":
            self.take()
            return ("show", self.name("a variable").text.decode("ascii")), None
        if token.kind == "word" and word not in KEYWORDS:
            var = self.take().text.decode("ascii")
            self.expect_punct(b"=", "'='")
            if not self.keyword("spawn"):
                raise _error("expected 'spawn'", self.peek().column)
            task = self.name("a task name")
            return ("spawn", var, task.text.decode("ascii")), task
        raise _error("expected a step", token.column)


def parse(line: bytes) -> Program:
    """The program of a scenario line: task name -> list of steps (``main``
    included). SyntaxError, with the message PROTOCOL.md defines, otherwise."""
    parser = _Parser(_tokenize(line))
    blocks = []  # (name token, steps, spawned task tokens)
    while True:
        name = parser.name("a task name")
        parser.expect_punct(b"{", "'{'")
        steps = []
        spawned = []
        if not parser.punct(b"}"):
            while True:
                step, task = parser.step()
                steps.append(step)
                if task is not None:
                    spawned.append(task)
                if parser.punct(b"}"):
                    break
                parser.expect_punct(b";", "';' or '}'")
        blocks.append((name, steps, spawned))
        if parser.peek().kind == "end":
            break
    defined = set(name.text for name, _, _ in blocks)
    program = {}  # type: Program
    for name, steps, spawned in blocks:
        text = name.text.decode("ascii")
        if text in program:
            raise _error("duplicate task '%s'" % text, name.column)
        program[text] = steps
        for task in spawned:
            if task.text not in defined:
                raise _error("unknown task '%s'" % task.text.decode("ascii"), task.column)
    if "main" not in program:
        raise SyntaxError("no main task")
    return program


def quote(text: str) -> str:
    """A printed value in a `show` line: double quotes, with \\ and " escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(value: object) -> str:
    """A greenlet's value or exception in a `show` line."""
    if value is None:
        return "None"
    if isinstance(value, BaseException):
        message = str(value)
        return "%s(%s)" % (type(value).__name__, quote(message) if message else "")
    return quote(str(value))


def _run_in_child(program: Program) -> str:
    """Runs ``program`` with gevent in this process; returns the answer line."""
    events = []  # (stream, text) in the order written

    class Recorder(object):
        def __init__(self, stream: str) -> None:
            self.stream = stream

        def write(self, text: str) -> int:
            events.append((self.stream, text))
            return len(text)

        def flush(self) -> None:
            pass

    sys.stdout = Recorder("out")
    sys.stderr = Recorder("err")
    import gevent
    from gevent import GreenletExit

    import builtins

    classes = dict((name, getattr(builtins, name, GreenletExit)) for name in EXCEPTIONS)
    names = {}  # type: Dict[str, object]
    spawned = [0]

    def lookup(var: str):
        if var not in names:
            raise NameError("name '%s' is not defined" % var)
        return names[var]

    def task_function(task: str):
        def body():
            return execute(program[task])

        body.__name__ = task  # what gevent's Greenlet repr shows
        return body

    def execute(steps: List[Step]):
        for step in steps:
            kind = step[0]
            if kind == "print":
                print(step[1].decode("utf-8", "surrogateescape"))
            elif kind == "sleep":
                gevent.sleep(step[1])
            elif kind == "raise":
                message = step[2]
                if message:
                    raise classes[step[1]](message.decode("utf-8", "surrogateescape"))
                raise classes[step[1]]()
            elif kind == "return":
                return step[1].decode("utf-8", "surrogateescape")
            elif kind == "spawn":
                if spawned[0] >= MAX_GREENLETS:
                    raise RuntimeError("too many greenlets")
                spawned[0] += 1
                greenlet = gevent.spawn(task_function(step[2]))
                if step[1] is not None:
                    names[step[1]] = greenlet
            elif kind == "join":
                lookup(step[1]).join(step[2])
            elif kind == "joinall":
                gevent.joinall([lookup(var) for var in step[1]], timeout=step[2])
            elif kind == "kill":
                lookup(step[1]).kill(block=step[2])
            elif kind == "show":
                g = lookup(step[1])
                print(
                    "%s: dead=%s ready=%s successful=%s value=%s exception=%s"
                    % (step[1], bool(g.dead), bool(g.ready()), bool(g.successful()),
                       render(g.value), render(g.exception))
                )
        return None

    try:
        execute(program["main"])
    except BaseException as error:  # main's uncaught exception ends the program
        message = str(error).split("\n")[0]
        line = type(error).__name__ + (": " + message if message else "")
        events.append(("err", line + "\n"))
    return _answer_line(events)


_TRACEBACK_FRAME = re.compile(r"\s")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
# gevent's gmctime() before the context of a report: 2022-11-25T09:23:48Z.
_TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z ")


def _answer_line(events: List[Tuple[str, str]]) -> str:
    """Joins the program's lines in order: stdout lines as printed, stderr
    lines (gevent's reports) without traceback frames, prefixed ``! ``, with
    addresses as ``0x?`` and the report's timestamp as ``<time>``."""
    lines = []
    partial = {"out": "", "err": ""}
    for stream, text in events:
        pieces = (partial[stream] + text).split("\n")
        partial[stream] = pieces.pop()
        for piece in pieces:
            if stream == "out":
                lines.append(piece)
            elif piece and piece != "Traceback (most recent call last):" and not \
                    _TRACEBACK_FRAME.match(piece):
                piece = _TIMESTAMP.sub("<time> ", _ADDRESS.sub("0x?", piece))
                lines.append(ERROR_PREFIX + piece)
    for stream in ("out", "err"):
        if partial[stream]:
            lines.append(("" if stream == "out" else ERROR_PREFIX) + partial[stream])
    return SEPARATOR.join(lines)


def answer(line: Optional[str], python: Tuple[int, int]) -> str:
    """The `greenlets` command: the scenario's answer line, run by gevent."""
    assert line is not None
    raw = line.encode("utf-8", "surrogateescape")
    parse(raw)  # a malformed line is answered here, without a child
    tools = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    child = subprocess.run(
        [sys.executable, "-c", "from pynotes.cpython_greenlets import child_main; child_main()"],
        input=raw,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, PYTHONPATH=tools),
        cwd="/",
    )
    if child.returncode != 0 or not child.stdout.endswith(b"\n"):
        raise RuntimeError(
            "gevent child failed (%d): %s"
            % (child.returncode, child.stderr.decode("utf-8", "replace").strip()[-500:])
        )
    return child.stdout[:-1].decode("utf-8", "surrogateescape")


def child_main() -> None:
    """The child process: scenario line on stdin, answer line on stdout."""
    stdout = sys.stdout.buffer
    program = parse(sys.stdin.buffer.read())
    result = _run_in_child(program)
    stdout.write(result.encode("utf-8", "surrogateescape") + b"\n")
    stdout.flush()


def gevent_version() -> str:
    """``gevent 22.10.2 (greenlet 2.0.2)`` for the golden files' Oracle."""
    import gevent
    import greenlet

    return "gevent %s (greenlet %s)" % (gevent.__version__, greenlet.__version__)
