"""The orm note's commands as CPython and SQLAlchemy 1.4 answer them.

- ``orm-note --db PATH [--echo]`` (a program): runs the note's program,
  golden/orm/orm_note.py, on the sqlite file PATH and writes what it prints.
- ``orm-commits --db PATH --count N`` (a program): a long series of small
  commits, for the test that kills it at random points.
- ``orm`` (a batch command): one scenario per line, answered with everything
  the scenario printed on one line (``\\`` as ``\\\\``, newlines as ``\\n``).

Both write SQLAlchemy's output in a comparable form (the placeholders, which
ref/orm writes too):

- an echo log record starts with ``[echo] `` instead of
  ``2026-11-25 09:19:45,427 INFO sqlalchemy.engine.Engine ``;
- the statement cache's timings are ``*``: ``[generated in *s]``,
  ``[cached since *s ago]``, ``[no key *s]``;
- an object's address in a repr is ``ADDRESS`` in a scenario's output
  (``<__main__.Person object at ADDRESS>``); the ``orm-note`` program
  prints the real one, as the note's program does (``0x7f...``).

An exception that escapes the note's program is written as its last line,
the protocol's exception line (``IntegrityError: (sqlite3.IntegrityError)
NOT NULL constraint failed: ...``), and ``orm-note`` then exits 1.

A scenario is steps separated by ``;``; a step is words separated by spaces.
A word is bare (no space, ``;`` or quote) or a Python-like string literal in
``'`` or ``"`` with the escapes ``\\\\ \\' \\" \\n \\t \\xHH \\uHHHH``. The bare
word ``None`` is SQL NULL where a name or post code is expected. Every
scenario runs in a new empty directory on the database file ``note.db``:

  note [echo]         the note's program (orm-note), on the scenario's file
  open [fk]           a new engine (``PRAGMA foreign_keys=ON`` on connect
                      with fk), ``create_all`` and a session
  person NAME         session.add(Person(person_name=NAME))
  persons N PREFIX    N persons named PREFIX0 .. PREFIX(N-1) (N <= 100000)
  address POST        session.add(Address(post_code=POST, person=<the last
                      person added>))
  address-of ID POST  session.add(Address(post_code=POST, person_id=ID))
  commit              session.commit(); if it raises: the exception line,
                      then session.rollback()
  rollback            session.rollback()
  all                 each of query(Person).all() as (person_id, person_name)
  first               query(Person).first() as above, or None
  find NAME           each of query(Person).filter_by(person_name=NAME).all()
  addresses           each of query(Address).all() as (id_, street_name,
                      street_number, post_code, person_id, person's name)
  dump                through a separate plain sqlite3 connection: the repr of
                      each (type, name, tbl_name, sql) of sqlite_master in
                      rowid order, then ``TABLE: repr(row)`` for each row of
                      each table (sqlite_master order, rows in rowid order)
  digest              ``dump: N lines, sha256 HEX`` of the text dump writes
                      (its lines, each ending in a newline)
  lock, unlock        another connection takes (releases) an exclusive lock
  garbage             replaces the database file with 1024 bytes of text

A step that raises prints the exception line and the scenario goes on. A
malformed scenario is answered ``ScenarioError: ...`` before any step runs.

Runs on CPython 3.6+ syntax (see cpython_commands); SQLAlchemy is imported
only when a scenario runs.
"""

import hashlib
import io
import os
import re
import runpy
import shutil
import sqlite3
import sys
import tempfile
from typing import Any, Callable, Dict, List, Optional, Tuple

NOTE_PROGRAM = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "golden",
    "orm",
    "orm_note.py",
)
DATABASE_NAME = "note.db"
MAX_PERSONS = 100000
GARBAGE = (b"this is not an sqlite database\n" * 34)[:1024]

_LOG_PREFIX = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ sqlalchemy\.engine\.Engine ", re.M
)
_CACHE_STATS = re.compile(
    r"^\[echo\] \[(generated in|no key|cached since) [0-9.e+-]+s( ago)?\]", re.M
)
_ADDRESS = re.compile(r"( object at )0x[0-9a-f]+>")


class ScenarioError(Exception):
    """A scenario line that cannot be run as written."""


def comparable(text: str, addresses: bool = False) -> str:
    """``text`` written by the note's program with the placeholders of the
    module docstring in place of times and (unless ``addresses``) addresses."""
    text = _LOG_PREFIX.sub("[echo] ", text)
    text = _CACHE_STATS.sub(lambda m: "[echo] [%s *s%s]" % (m.group(1), m.group(2) or ""), text)
    return text if addresses else _ADDRESS.sub(r"\1ADDRESS>", text)


def _exception_line(error: BaseException) -> str:
    message = str(error).replace("\\", "\\\\").replace("\n", "\\n")
    name = type(error).__name__
    return name + ": " + message if message else name


def _quiet_sqlalchemy() -> None:
    # The 2.0 deprecation banner goes to stderr and is not the note's output.
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


def _echo_to(stream: Any) -> Any:
    """What ``create_engine(..., echo=True)`` sets up (SQLAlchemy 1.4's
    log.instance_logger): the ``sqlalchemy.engine.Engine`` logger at INFO,
    writing to ``stream`` with its format. The note's program takes no echo
    flag, so the adapter asks for the log this way. Returns the handler."""
    import logging

    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("sqlalchemy.engine.Engine")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    return handler


def _forget_echo(handler: Any) -> None:
    import logging

    logger = logging.getLogger("sqlalchemy.engine.Engine")
    logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)


def _run_program(url: str) -> Dict[str, Any]:
    """Runs the note's program as ``python3 orm_note.py URL``: its globals."""
    saved_argv = sys.argv
    sys.argv = [NOTE_PROGRAM, url]
    try:
        return runpy.run_path(NOTE_PROGRAM, run_name="__main__")
    finally:
        sys.argv = saved_argv


def run_note(path: str, echo: bool, addresses: bool = False) -> Tuple[str, bool]:
    """Runs the note's program on the database file ``path``: its output
    (ending with the exception line if it raised) in the comparable form,
    with real object addresses if ``addresses``, and whether it succeeded."""
    _quiet_sqlalchemy()
    captured = io.StringIO()
    saved = sys.stdout
    sys.stdout = captured
    handler = _echo_to(captured) if echo else None
    succeeded = True
    try:
        _run_program("sqlite:///" + path)
    except Exception as error:  # the program's traceback ends with this line
        print(_exception_line(error))
        succeeded = False
    finally:
        sys.stdout = saved
        if handler is not None:
            _forget_echo(handler)
    return comparable(captured.getvalue(), addresses), succeeded


def note_model() -> Dict[str, Any]:
    """The note's Base, Person and Address: its globals after one run on an
    in-memory database (its prints discarded)."""
    _quiet_sqlalchemy()
    saved = sys.stdout
    sys.stdout = io.StringIO()
    try:
        return _run_program("sqlite://")
    finally:
        sys.stdout = saved


def orm_note_program(options: List[str]) -> int:
    """``orm-note --db PATH [--echo]``: exit status 0, 1 when the program
    raised, 2 for a bad command line."""
    path = None
    echo = False
    rest = list(options)
    while rest:
        option = rest.pop(0)
        if option == "--db" and rest:
            path = rest.pop(0)
        elif option == "--echo":
            echo = True
        else:
            path = None
            break
    if path is None or rest:
        sys.stderr.write("usage: orm-note --db PATH [--echo]\n")
        return 2
    output, succeeded = run_note(path, echo, addresses=True)
    sys.stdout.write(output)
    sys.stdout.flush()
    return 0 if succeeded else 1


def orm_commits_program(options: List[str]) -> int:
    """``orm-commits --db PATH --count N``: N commits, each of
    Person(person_name='row I') with Address(post_code='I', person=it),
    writing ``committed I`` after each; the exception line and exit status 1
    on an error; 2 for a bad command line."""
    if (
        len(options) != 4
        or options[0] != "--db"
        or options[2] != "--count"
        or not re.match(r"[0-9]+\Z", options[3])
    ):
        sys.stderr.write("usage: orm-commits --db PATH --count N\n")
        return 2
    _quiet_sqlalchemy()
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    note = note_model()
    try:
        engine = create_engine("sqlite:///" + options[1])
        note["Base"].metadata.create_all(engine)
        for i in range(int(options[3])):
            session = sessionmaker(bind=engine)()
            person = note["Person"](person_name="row %d" % i)
            session.add(note["Address"](post_code="%d" % i, person=person))
            session.commit()
            session.close()
            sys.stdout.write("committed %d\n" % i)
            sys.stdout.flush()
    except Exception as error:
        sys.stdout.write(_exception_line(error) + "\n")
        return 1
    return 0


# --- scenarios ---------------------------------------------------------------

_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "t": "\t"}


def _read_string(line: str, start: int) -> Tuple[str, int]:
    """The string literal at ``line[start]`` (a quote) and the index after it."""
    quote = line[start]
    chars = []
    i = start + 1
    while i < len(line):
        char = line[i]
        if char == quote:
            return "".join(chars), i + 1
        if char != "\\":
            chars.append(char)
            i += 1
            continue
        code = line[i + 1 : i + 2]
        if code in _ESCAPES:
            chars.append(_ESCAPES[code])
            i += 2
            continue
        width = {"x": 2, "u": 4}.get(code)
        digits = line[i + 2 : i + 2 + width] if width else ""
        if not width or not re.match(r"[0-9a-fA-F]{%d}\Z" % width, digits):
            raise ScenarioError("bad escape in string")
        value = int(digits, 16)
        if 0xD800 <= value <= 0xDFFF:
            raise ScenarioError("bad escape in string")
        chars.append(chr(value))
        i += 2 + width
    raise ScenarioError("unterminated string")


def parse_scenario(line: str) -> List[List[Any]]:
    """The steps of a scenario line: each a list of words, a quoted word as
    ``("str", text)`` and a bare one as its text. ScenarioError if malformed."""
    if any(0xD800 <= ord(char) <= 0xDFFF for char in line):
        raise ScenarioError("scenario is not UTF-8")
    steps = [[]]  # type: List[List[Any]]
    i = 0
    while i < len(line):
        char = line[i]
        if char == " ":
            i += 1
        elif char == ";":
            steps.append([])
            i += 1
        elif char in "'\"":
            text, i = _read_string(line, i)
            steps[-1].append(("str", text))
        else:
            end = i
            while end < len(line) and line[end] not in " ;'\"":
                end += 1
            steps[-1].append(line[i:end])
            i = end
    if any(not step for step in steps):
        raise ScenarioError("empty step")
    for step in steps:
        _check_step(step)
    return steps


# Each step's usage: its words after the name, as kinds: "text" (a string or
# None), "count", "id", or a literal option word (optional, in brackets).
_USAGE = {
    "note": "[echo]",
    "open": "[fk]",
    "person": "NAME",
    "persons": "N PREFIX",
    "address": "POST",
    "address-of": "ID POST",
    "commit": "",
    "rollback": "",
    "all": "",
    "first": "",
    "find": "NAME",
    "addresses": "",
    "dump": "",
    "digest": "",
    "lock": "",
    "unlock": "",
    "garbage": "",
}


def _is_text(word: Any) -> bool:
    return isinstance(word, tuple) or word == "None"


def _check_step(step: List[Any]) -> None:
    name = step[0]
    if not isinstance(name, str) or name not in _USAGE:
        raise ScenarioError("unknown step %r" % (name[1] if isinstance(name, tuple) else name))
    args = step[1:]
    usage = _USAGE[name].split()
    if usage and usage[0].startswith("["):
        ok = len(args) <= 1 and all(arg == usage[0][1:-1] for arg in args)
    elif len(args) != len(usage):
        ok = False
    else:
        ok = True
        for kind, arg in zip(usage, args):
            if kind in ("NAME", "POST", "PREFIX"):
                ok = ok and _is_text(arg) and not (kind == "PREFIX" and arg == "None")
            else:  # N or ID: a decimal integer
                ok = ok and isinstance(arg, str) and re.match(r"[0-9]{1,9}\Z", arg) is not None
        if ok and name == "persons" and not 1 <= int(args[0]) <= MAX_PERSONS:
            ok = False
    if not ok:
        raise ScenarioError(("usage: %s %s" % (name, _USAGE[name])).rstrip())


def _text(word: Any) -> Optional[str]:
    return word[1] if isinstance(word, tuple) else None


def _dump_lines(path: str) -> List[str]:
    connection = sqlite3.connect(path)
    try:
        lines = []
        master = connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid"
        ).fetchall()
        lines.extend(repr(row) for row in master)
        for kind, name, _, _ in master:
            if kind == "table":
                quoted = '"' + name.replace('"', '""') + '"'
                for row in connection.execute("SELECT * FROM %s ORDER BY rowid" % quoted):
                    lines.append("%s: %r" % (name, row))
        return lines
    finally:
        connection.close()


class _Scenario:
    """The state of one scenario: its directory, engine, session, lock."""

    def __init__(self, directory: str) -> None:
        self.path = os.path.join(directory, DATABASE_NAME)
        self.out = []  # type: List[str]
        self.note = None  # type: Optional[Dict[str, Any]]
        self.engine = None  # type: Any
        self.session = None  # type: Any
        self.last_person = None  # type: Any
        self.lock = None  # type: Optional[sqlite3.Connection]

    def model(self) -> Dict[str, Any]:
        if self.note is None:
            _quiet_sqlalchemy()
            self.note = note_model()
        return self.note

    def close_session(self) -> None:
        if self.session is not None:
            self.session.close()
            self.engine.dispose()
        self.session = self.engine = self.last_person = None

    def require_session(self) -> Any:
        if self.session is None:
            raise ScenarioError("no open session")
        return self.session

    def run(self, step: List[Any]) -> None:
        name, args = step[0], step[1:]
        getattr(self, "step_" + name.replace("-", "_"))(*args)

    def step_note(self, *echo: str) -> None:
        output, _ = run_note(self.path, bool(echo))
        self.out.extend(output.split("\n")[:-1])

    def step_open(self, *fk: str) -> None:
        from sqlalchemy import create_engine, event
        from sqlalchemy.orm import sessionmaker

        self.close_session()
        engine = create_engine("sqlite:///" + self.path)
        if fk:

            def foreign_keys_on(connection: Any, record: Any) -> None:
                connection.execute("PRAGMA foreign_keys=ON")

            event.listen(engine, "connect", foreign_keys_on)
        try:
            self.model()["Base"].metadata.create_all(engine)
        except Exception:
            engine.dispose()
            raise
        self.engine = engine
        self.session = sessionmaker(bind=engine)()

    def step_person(self, name: Any) -> None:
        session = self.require_session()
        self.last_person = self.model()["Person"](person_name=_text(name))
        session.add(self.last_person)

    def step_persons(self, count: str, prefix: Any) -> None:
        session = self.require_session()
        Person = self.model()["Person"]
        for i in range(int(count)):
            self.last_person = Person(person_name="%s%d" % (_text(prefix), i))
            session.add(self.last_person)

    def step_address(self, post: Any) -> None:
        session = self.require_session()
        if self.last_person is None:
            raise ScenarioError("no person added yet")
        session.add(self.model()["Address"](post_code=_text(post), person=self.last_person))

    def step_address_of(self, person_id: str, post: Any) -> None:
        session = self.require_session()
        session.add(self.model()["Address"](post_code=_text(post), person_id=int(person_id)))

    def step_commit(self) -> None:
        session = self.require_session()
        try:
            session.commit()
        except Exception:
            session.rollback()
            raise

    def step_rollback(self) -> None:
        self.require_session().rollback()

    def _persons(self, query: Any) -> None:
        self.out.extend(repr((p.person_id, p.person_name)) for p in query)

    def step_all(self) -> None:
        self._persons(self.require_session().query(self.model()["Person"]).all())

    def step_first(self) -> None:
        first = self.require_session().query(self.model()["Person"]).first()
        self.out.append(repr(None if first is None else (first.person_id, first.person_name)))

    def step_find(self, name: Any) -> None:
        query = self.require_session().query(self.model()["Person"])
        self._persons(query.filter_by(person_name=_text(name)).all())

    def step_addresses(self) -> None:
        for a in self.require_session().query(self.model()["Address"]).all():
            owner = a.person.person_name if a.person is not None else None
            row = (a.id_, a.street_name, a.street_number, a.post_code, a.person_id, owner)
            self.out.append(repr(row))

    def step_dump(self) -> None:
        self.out.extend(_dump_lines(self.path))

    def step_digest(self) -> None:
        lines = _dump_lines(self.path)
        text = "".join(line + "\n" for line in lines)
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        self.out.append("dump: %d lines, sha256 %s" % (len(lines), digest))

    def step_lock(self) -> None:
        if self.lock is None:
            self.lock = sqlite3.connect(self.path, isolation_level=None)
            self.lock.execute("BEGIN EXCLUSIVE")

    def step_unlock(self) -> None:
        if self.lock is not None:
            self.lock.close()
            self.lock = None

    def step_garbage(self) -> None:
        with open(self.path, "wb") as garbage:
            garbage.write(GARBAGE)


def run_scenario(line: str) -> str:
    """Everything the scenario ``line`` prints, its lines joined by newlines."""
    steps = parse_scenario(line)
    directory = tempfile.mkdtemp(prefix="pynotes-orm-")
    scenario = _Scenario(directory)
    try:
        for step in steps:
            try:
                scenario.run(step)
            except Exception as error:
                scenario.out.append(_exception_line(error))
    finally:
        scenario.close_session()
        scenario.step_unlock()
        shutil.rmtree(directory, ignore_errors=True)
    return "\n".join(scenario.out)


def answer_scenario(line: Optional[str], python: Tuple[int, int]) -> str:
    """The ``orm`` command's answer: the scenario's output on one line."""
    assert line is not None
    return run_scenario(line).replace("\\", "\\\\").replace("\n", "\\n")


def command_rows(command: Callable[..., Any]) -> List[Any]:
    """The orm note's rows for cpython_commands.COMMANDS, built with its
    ``Command`` class."""
    return [
        command("orm", "orm", answer_scenario, True),
        command("orm-note", "orm", None, False, orm_note_program),
        command("orm-commits", "orm", None, False, orm_commits_program),
    ]


def sqlalchemy_version() -> str:
    """``SQLAlchemy 1.4.46 (sqlite 3.40.1)``: the libraries orm's outputs depend on."""
    _quiet_sqlalchemy()
    import sqlalchemy

    return "SQLAlchemy %s (sqlite %s)" % (sqlalchemy.__version__, sqlite3.sqlite_version)
