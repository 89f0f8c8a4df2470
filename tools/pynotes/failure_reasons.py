"""Why a golden case failed, in words that group alike failures together.

The conformance harness reports a wrong answer as (conformance/shim/gtest_bridge.cc)::

    golden/floats/repr.txt:14273
    expected the answer == Output
      expected: "ValueError: could not convert string to float: '1\\\\udcff'"
      got:      "UnicodeEncodeError: <exception str() failed>"

and anything else (a timeout, a lost session, a crash) as a line of its own
after the place. ``parse`` takes such a message apart; ``reason`` names the
kind of difference so that the report can show, say, all 40 "ValueError:
message differs" cases of one golden file under one heading instead of 40
unrelated lines.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# A line that only says where: PATH:LINE.
PLACE = re.compile(r"\S+:[0-9]+\Z")
# CPython's exception line, as the protocol carries it: "TypeName: message" or "TypeName".
_EXCEPTION = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*(?:Error|Exception|Exit|Interrupt|Warning|"
                        r"StopIteration|StopAsyncIteration))(?::\s(.*))?\Z", re.S)
# In a message template: quoted text and numbers stand for "some value".
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NUMBER = re.compile(r"(?<![A-Za-z_])[-+]?[0-9][0-9.e+x]*")
TEMPLATE_CHARS = 120


class Failure(NamedTuple):
    """A failure message taken apart: where, and either the expected and
    actual answers (as the harness printed them, C-literal escapes included,
    without the outer quotes) or the harness's own words."""

    place: str               # "golden/NOTE/FILE.txt:LINE", or "" when the message has none
    expected: str | None
    got: str | None
    text: str                # the message without its place line


def _unquote(shown: str) -> str:
    shown = shown.strip()
    if len(shown) >= 2 and shown[0] == '"' and shown.endswith('"'):
        return shown[1:-1]
    if shown.startswith('"') and '" ... (' in shown:  # a long answer the harness cut
        return shown[1:shown.rindex('" ... (')] + " …"
    return shown


def parse(message: str) -> Failure:
    """Splits a harness failure message (see the module docstring)."""
    lines = message.splitlines()
    place = lines[0] if lines and PLACE.match(lines[0]) else ""
    rest = lines[1:] if place else lines
    expected = got = None
    for line in rest:
        stripped = line.strip()
        if expected is None and stripped.startswith("expected: "):
            expected = _unquote(stripped[len("expected: "):])
        elif got is None and stripped.startswith("got: "):
            got = _unquote(stripped[len("got: "):])
    return Failure(place, expected, got, "\n".join(rest).strip())


def exception(answer: str) -> tuple[str, str] | None:
    """(type, message) when the answer is an exception line, else None."""
    match = _EXCEPTION.match(answer)
    if match is None:
        return None
    return match.group(1), match.group(2) or ""


def template(text: str) -> str:
    """The text with quoted values as '…' and numbers as N, so that messages
    that differ only in the value they name read the same."""
    text = _NUMBER.sub("N", _QUOTED.sub("'…'", text))
    return text if len(text) <= TEMPLATE_CHARS else text[:TEMPLATE_CHARS - 1] + "…"


def reason(message: str, case: str = "") -> str:
    """One line naming the kind of failure (the grouping key of the report).

    For a wrong answer it compares the expected and actual answers:
    "another answer", "ValueError instead of an answer", "an answer instead of
    OverflowError", "TypeError instead of ValueError", or, for the same
    exception type, "ValueError: message differs: “A” → “B”" with the two
    messages as templates. Otherwise it is the harness's first line, without
    a leading ``case: `` and cut to a line."""
    failure = parse(message)
    if failure.expected is not None and failure.got is not None:
        want, have = exception(failure.expected), exception(failure.got)
        if want is None and have is None:
            return "another answer"
        if want is None:
            return f"{have[0]} instead of an answer"
        if have is None:
            return f"an answer instead of {want[0]}"
        if want[0] != have[0]:
            return f"{have[0]} instead of {want[0]}"
        want_text, have_text = template(want[1]), template(have[1])
        if want_text == have_text:
            return f"{want[0]}: message differs in a value: “{want_text}”"
        return f"{want[0]}: message differs: “{want_text}” → “{have_text}”"
    first = failure.text.splitlines()[0] if failure.text else "(no message)"
    if case and first.startswith(case + ": "):
        first = first[len(case) + 2:]
    return first if len(first) <= 2 * TEMPLATE_CHARS else first[:2 * TEMPLATE_CHARS - 1] + "…"


def skip_reason(message: str, case: str = "") -> str:
    """Why a case was skipped: the skip message's first line that is not its
    place (``golden/NOTE/FILE.txt:LINE``), without a leading case name
    (``FILE.CASE: ``), so one refused command counts as one reason."""
    lines = [line for line in message.splitlines() if not PLACE.match(line)]
    first = lines[0] if lines else ""
    if case and first.startswith(case + ": "):
        first = first[len(case) + 2:]
    return first
