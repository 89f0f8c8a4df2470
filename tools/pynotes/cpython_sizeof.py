"""The ``getsizeof`` protocol command as CPython answers it: ``sys.getsizeof(eval(line))``.

The line is evaluated the way the builtin ``eval`` evaluates a string (leading
spaces and tabs skipped, compiled as ``<string>``, so syntax errors read as
eval's do), but only the forms the adapter protocol lists are allowed
(conformance/PROTOCOL.md, the ``getsizeof`` row), so that a case line
can never run arbitrary code:

- literals: int, float, complex (``1j``, ``1+2j``, ``-1``), str, bytes,
  ``True``/``False``/``None``, and tuple, list, dict and set displays of
  allowed forms;
- calls of ``list``, ``tuple``, ``set`` and ``frozenset`` with no argument or
  with one argument that is a ``range(...)`` call or a list, tuple or set
  display; ``dict.fromkeys(range(...))``; ``bytearray()`` and ``bytearray(X)``
  with X an int or bytes literal; ``float(S)`` with S a str literal;
  ``range(...)`` with one to three arguments and ``slice(a, b)``, with allowed
  forms as arguments;
- ``[x for x in range(...)]`` and ``{x: x for x in range(...)}``;
- a list display times an int literal (``[None]*n``).

A name outside these forms is looked up in an empty namespace, so it raises
``NameError`` as eval would. Any other valid expression answers
``ValueError: unsupported getsizeof input``. A construction of more than
``MAX_ITEMS`` items (``list(range(10**12))`` as a literal) answers
``ValueError: constructions of more than 10000000 items are not evaluated``
rather than exhausting memory. The C reference (ref/sizeof) answers the same.

Runs on every CPython from 3.6 (see cpython_commands), though the adapter only
answers getsizeof for the version it runs on.
"""

import ast
import sys
from typing import Optional, Tuple

Version = Tuple[int, int]

MAX_ITEMS = 10000000
UNSUPPORTED = "unsupported getsizeof input"
TOO_LARGE = "constructions of more than %d items are not evaluated" % MAX_ITEMS

# The constructors a listed call may name; anything else in the namespace is
# unknown, so a stray name raises NameError exactly as under plain eval.
_COLLECTIONS = ("list", "tuple", "set", "frozenset")
_NAMESPACE = {
    "__builtins__": {},
    "list": list,
    "tuple": tuple,
    "set": set,
    "frozenset": frozenset,
    "dict": dict,
    "bytearray": bytearray,
    "float": float,
    "range": range,
    "slice": slice,
}


class _Unsupported(Exception):
    """The expression is valid Python but not a form getsizeof accepts."""


def _is_call(node: ast.AST, name: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == name
        and not node.keywords
    )


def _literal(node: ast.AST) -> Tuple[bool, object]:
    """Whether ``node`` is a literal, and its value (Constant from 3.8; Num,
    Str, Bytes and NameConstant before)."""
    kind = type(node).__name__
    if kind in ("Constant", "NameConstant"):
        return True, node.value
    if kind == "Num":
        return True, node.n
    if kind in ("Str", "Bytes"):
        return True, node.s
    return False, None


def _is_literal(node: ast.AST, kinds: tuple) -> bool:
    is_literal, value = _literal(node)
    return is_literal and type(value) in kinds


def _is_number(node: ast.AST) -> bool:
    return _is_literal(node, (int, float, complex))


def _int_literal(node: ast.AST) -> Optional[int]:
    """The value of an int literal, signed or not (``3``, ``-3``); None for anything else."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        sign = -1 if isinstance(node.op, ast.USub) else 1
        node = node.operand
    if _is_literal(node, (int,)):
        return sign * _literal(node)[1]
    return None


def _check_range(node: ast.AST) -> None:
    if not _is_call(node, "range"):
        raise _Unsupported()
    for arg in node.args:
        _check(arg)


def _check_comprehension(node: ast.AST) -> str:
    """The loop variable of ``... for x in range(...)``; _Unsupported otherwise."""
    if len(node.generators) != 1:
        raise _Unsupported()
    generator = node.generators[0]
    if generator.ifs or getattr(generator, "is_async", 0) or not isinstance(generator.target, ast.Name):
        raise _Unsupported()
    _check_range(generator.iter)
    return generator.target.id


def _is_loop_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _check(node: ast.AST) -> None:
    """Raises _Unsupported unless ``node`` is one of the listed forms."""
    kind = type(node).__name__
    if _literal(node)[0]:
        if _is_literal(node, (int, float, complex, str, bytes, bool, type(None))):
            return
        raise _Unsupported()
    if kind == "Name":
        if node.id in _NAMESPACE:  # a constructor is only allowed when called
            raise _Unsupported()
        return
    if kind == "UnaryOp" and isinstance(node.op, (ast.UAdd, ast.USub)) and _is_number(node.operand):
        return
    if kind == "BinOp" and isinstance(node.op, (ast.Add, ast.Sub)):
        # A complex literal as repr writes it: (1+2j), (-1-2j).
        left = node.left.operand if isinstance(node.left, ast.UnaryOp) else node.left
        right = node.right
        if (
            (left is node.left or isinstance(node.left.op, (ast.UAdd, ast.USub)))
            and _is_number(left)
            and _is_number(right)
            and _is_literal(right, (complex,))
        ):
            return
        raise _Unsupported()
    if kind == "BinOp" and isinstance(node.op, ast.Mult):
        if isinstance(node.left, ast.List) and _int_literal(node.right) is not None:
            _check(node.left)
            return
        raise _Unsupported()
    if kind in ("Tuple", "List", "Set"):
        for element in node.elts:
            _check(element)
        return
    if kind == "Dict":
        for key, value in zip(node.keys, node.values):
            if key is None:  # {**x}
                raise _Unsupported()
            _check(key)
            _check(value)
        return
    if kind == "ListComp":
        name = _check_comprehension(node)
        if not _is_loop_name(node.elt, name):
            raise _Unsupported()
        return
    if kind == "DictComp":
        name = _check_comprehension(node)
        if not (_is_loop_name(node.key, name) and _is_loop_name(node.value, name)):
            raise _Unsupported()
        return
    if kind == "Call":
        _check_call(node)
        return
    raise _Unsupported()


def _check_call(node: ast.Call) -> None:
    if node.keywords:
        raise _Unsupported()
    if (
        isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "dict"
        and node.func.attr == "fromkeys"
        and len(node.args) == 1
    ):
        _check_range(node.args[0])
        return
    if not isinstance(node.func, ast.Name):
        raise _Unsupported()
    name, args = node.func.id, node.args
    if any(type(arg).__name__ == "Starred" for arg in args):
        raise _Unsupported()
    if name in _COLLECTIONS and len(args) <= 1:
        if args and not (
            _is_call(args[0], "range") or isinstance(args[0], (ast.List, ast.Tuple, ast.Set))
        ):
            raise _Unsupported()
        for arg in args:
            _check(arg)
        return
    if name == "bytearray" and (
        not args or (len(args) == 1 and (_is_literal(args[0], (bytes,)) or _int_literal(args[0]) is not None))
    ):
        return
    if name == "float" and len(args) == 1 and _is_literal(args[0], (str,)):
        return
    if name == "range" or (name == "slice" and len(args) == 2):
        for arg in args:
            _check(arg)
        return
    raise _Unsupported()


def _count_guard(node: ast.AST) -> None:
    """Refuses, before evaluating, any construction of more than MAX_ITEMS items."""
    for child in ast.walk(node):
        count = None
        if isinstance(child, ast.Call) and isinstance(child.func, ast.Name):
            if child.func.id == "bytearray" and child.args:
                count = _int_literal(child.args[0])
        if isinstance(child, ast.BinOp) and isinstance(child.op, ast.Mult):
            count = len(child.left.elts) * max(_int_literal(child.right), 0)
        if count is not None and count > MAX_ITEMS:
            raise ValueError(TOO_LARGE)


class _GuardedRange:
    """Stands for ``range`` where a range is consumed (list(range(n)), ...):
    refuses more than MAX_ITEMS items, otherwise returns the real range."""

    def __call__(self, *args):  # type: ignore
        made = range(*args)
        if len(made) > MAX_ITEMS:
            raise ValueError(TOO_LARGE)
        return made


def getsizeof(line: Optional[str], python: Version) -> str:
    """``sys.getsizeof`` of the value the line denotes, for the running CPython.

    Raises what eval raises for the line (SyntaxError, NameError, TypeError,
    ValueError, ...), or ValueError for a valid expression outside the listed
    forms or a construction over MAX_ITEMS items.
    """
    assert line is not None
    # builtin eval skips leading spaces and tabs of a string source.
    source = line.lstrip(" \t")
    tree = compile(source, "<string>", "eval", ast.PyCF_ONLY_AST)
    try:
        _check(tree.body)
    except _Unsupported:
        raise ValueError(UNSUPPORTED) from None
    _count_guard(tree.body)
    namespace = dict(_NAMESPACE)
    consumed = set()
    for child in ast.walk(tree.body):
        if isinstance(child, ast.Call) and child.args and _is_call(child.args[0], "range"):
            consumed.add(id(child.args[0]))
        if isinstance(child, (ast.ListComp, ast.DictComp)):
            consumed.add(id(child.generators[0].iter))
    if consumed:
        # Only a range that is iterated is guarded: range(10**20) alone is fine.
        for child in ast.walk(tree.body):
            if id(child) in consumed:
                child.func.id = "_guarded_range"
        namespace["_guarded_range"] = _GuardedRange()
    code = compile(tree, "<string>", "eval")
    return str(sys.getsizeof(eval(code, namespace)))
