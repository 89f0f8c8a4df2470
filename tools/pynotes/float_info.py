"""Reading the line ``repr(sys.float_info)`` writes.

``sys.float_info(max=1.7976931348623157e+308, max_exp=1024, ..., rounds=1)``:
the golden file floats/float_info.txt checks the whole line and, in cases with
a ``Field = NAME`` key, each field's text on its own.
"""

from __future__ import annotations

import re

_LINE = re.compile(r"(?:sys\.)?float_info\((.*)\)\Z")  # PyPy writes no ``sys.``
_FIELD = re.compile(r"([a-z_][a-z_0-9]*)=([^,=]+)\Z")


def parse_float_info(line: str) -> dict[str, str]:
    """The fields of a ``sys.float_info(NAME=VALUE, ...)`` line (or PyPy's
    ``float_info(...)``): each NAME's VALUE text, in the line's order.
    ValueError if the line is not of that form."""
    whole = _LINE.match(line)
    if whole is None:
        raise ValueError(f"not a sys.float_info line: {line!r}")
    fields: dict[str, str] = {}
    for item in whole.group(1).split(", "):
        field = _FIELD.match(item)
        if field is None or field.group(1) in fields:
            raise ValueError(f"bad field {item!r} in sys.float_info line: {line!r}")
        fields[field.group(1)] = field.group(2)
    return fields
