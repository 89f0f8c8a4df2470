"""Random differential testing of the sympy note: generates session lines
from a small grammar (symbols, numbers, pi, E, I, sqrt(2), the note's
functions, + - * / **, wrapped in expand, diff, subs, factor, cancel,
integrate, simplify, solve or N, expand_power_base with force; imports of sympy's names and of
sympy.abc's Symbols; relationals, logic on them, integer bitwise operators,
subscripts, * arguments, Integer, Rational and symbols of other arguments; and one line
in five a form sympy rewrites on construction: powers sharing an exponent, of 0, of powers,
b**(y/log(b)), Float multiples of pi, N and sympify of strings), runs them through an
implementation and
the CPython adapter, and reports every line where the implementation gave
an answer other than NotImplementedError that differs from sympy's: a
silent wrong answer, the one thing the subset must never give.

    tools/sympy_diff [--seed N] [--lines N] [--impl CMD]

Exit status 1 when a difference is found (the lines are printed, ready to
be pasted as golden Inputs), 0 otherwise. Runs on /usr/bin/python3."""
import argparse
import os
import random
import sys

from pynotes.sympy_session import answers

ATOMS = ["x", "y", "z", "1", "2", "3", "-1", "Rational(1, 2)", "Rational(-2, 3)", "pi", "E", "I",
         "sqrt(2)", "x**2", "y**3", "0"]
FUNCTIONS = ["sin", "cos", "exp", "log", "sqrt", "Abs", "tan"]
WRAPPERS = ["{}", "expand({})", "diff({}, x)", "({}).subs(x, 2)", "({}).subs(x, y)", "factor({})",
            "cancel({})", "integrate({}, x)", "simplify({})", "solve({}, x)", "expand(({})**2)",
            "N({})", "({}).subs(y, Rational(1, 3))", "expand_power_base(({}*y)**z, force=True)"]
# (expand_log with force=True is left out: sympy 1.11 runs for minutes on
# the log of a negative number forced, log(cos(2)).)


def expression(rnd: random.Random, depth: int) -> str:
    """A random expression of at most depth levels."""
    if depth <= 0 or rnd.random() < 0.3:
        return rnd.choice(ATOMS)
    r = rnd.random()
    if r < 0.55:
        op = rnd.choice(["+", "-", "*", "/", "*", "+"])
        return f"({expression(rnd, depth - 1)} {op} {expression(rnd, depth - 1)})"
    if r < 0.7:
        exponent = rnd.choice(["2", "3", "-1", "Rational(1, 2)", "-2", "0"])
        return f"({expression(rnd, depth - 1)})**{exponent}"
    return f"{rnd.choice(FUNCTIONS)}({expression(rnd, depth - 1)})"


# Names to import: sympy's (the subset's and others, which stay refused when
# used) and sympy.abc's Symbols, some of them clashing with sympy's (pi, E, I,
# S, N, gamma), so a later line meets whichever import came last.
SYMPY_NAMES = ["sin", "cos", "exp", "log", "sqrt", "pi", "E", "I", "S", "N", "Rational", "expand",
               "symbols", "oo", "gamma", "Matrix"]
ABC_NAMES = ["x", "y", "z", "a", "b", "pi", "E", "I", "S", "N", "alpha", "lamda", "gamma"]


def import_line(rnd: random.Random) -> str:
    """`from sympy import ...` or `from sympy.abc import ...` of 1 to 3 names."""
    module, names = rnd.choice([("sympy", SYMPY_NAMES), ("sympy.abc", ABC_NAMES)])
    chosen = ", ".join(rnd.sample(names, rnd.randint(1, 3)))
    return f"from {module} import {rnd.choice(['{}', '({})', '({},)']).format(chosen)}"


RELATIONS = ["{} < {}", "{} <= {}", "{} > {}", "{} >= {}", "Eq({}, {})", "Ne({}, {})",
             "Lt({}, {})", "Le({}, {})", "Gt({}, {})", "Ge({}, {})"]
# Sides of relationals: numbers sympy decides (pi, sqrt(2), oo) and symbols it leaves.
SIDES = ATOMS + ["oo", "-oo", "nan", "zoo", "S(1)/3", "1.5", "x + 1", "2*x", "-x", "x*y",
                 "sqrt(3)", "pi/4", "E**2"]


def relation(rnd: random.Random, depth: int = 1) -> str:
    """A relational of two random sides, or logic (& | ^ ~, And, Or, Xor, Not) on them."""
    if depth <= 0 or rnd.random() < 0.5:
        side = lambda: rnd.choice(SIDES) if rnd.random() < 0.7 else expression(rnd, 1)
        return rnd.choice(RELATIONS).format(side(), side())
    r = rnd.random()
    a, b = relation(rnd, depth - 1), relation(rnd, depth - 1)
    if r < 0.5:
        return f"({a}) {rnd.choice(['&', '|', '^'])} ({b})"
    if r < 0.65:
        return f"~({a})"
    if r < 0.8:
        return f"{rnd.choice(['And', 'Or', 'Xor'])}({a}, {b}, {relation(rnd, 0)})"
    return rnd.choice(["Not({})", "And({})", "Or({}, True)", "And({}, False)"]).format(a)


INTEGERS = ["0", "1", "5", "-3", "12", "255", "0b1010", "0x1f", "Integer(6)", "Integer(-7)",
            "S(9)", "2**40"]


def other_line(rnd: random.Random) -> str:
    """An integer bitwise expression, a subscript, a constructor of other arguments (Integer of
    floats, Rational of strings, symbols of sequences) or a call with * arguments."""
    r = rnd.random()
    if r < 0.4:
        a, b = rnd.choice(INTEGERS), rnd.choice(INTEGERS)
        op = rnd.choice(["&", "|", "^", "<<", ">>"])
        if op in ("<<", ">>"):
            b = rnd.choice(["0", "1", "3", "-1", "Integer(2)", "64"])
        return rnd.choice(["{} {} {}", "~({} {} {})", "~{} {} {}"]).format(a, op, b)
    if r < 0.7:
        items = [expression(rnd, 1) for _ in range(rnd.randint(1, 3))]
        seq = rnd.choice(["({},)", "[{}]"]).format(", ".join(items))
        return f"{seq}[{rnd.choice(['0', '1', '-1', '2', '-3', 'Integer(1)'])}]"
    if r < 0.85:
        decimal = rnd.choice(["0.5", "-2.25", "1e-3", ".1", "3.", "12", "-7", "2.5e3", "0.3"])
        return rnd.choice([f"Integer({decimal})", f"Rational({decimal})", f"Rational('{decimal}')",
                           f"Rational('{decimal}/{rnd.choice(['3', '0.4', '-2e1'])}')",
                           f"Integer(Rational({rnd.choice(INTEGERS)}, 3))",
                           f"Integer('{rnd.choice(['12', '-5', ' 7'])}')",
                           "symbols(('a', 'b:d'))", "symbols(['x', ('y', 'z')])",
                           f"symbols('{rnd.choice(['x', 'x,', 'x y', 'x:2'])}', "
                           f"seq={rnd.choice(['True', 'False'])})"])
    f = rnd.choice(["sin", "cos", "expand", "Eq", "Lt", "diff", "Rational", "And"])
    args = [expression(rnd, 1) for _ in range(rnd.randint(1, 2))]
    return f"{f}(*{rnd.choice(['[{}]', '({},)'])})".format(", ".join(args))


# The forms of issue 18 where sympy combines or rewrites what it is given:
# powers of numbers with one exponent (2**x*3**x is 6**x), powers of 0,
# b**(y/log(b)) (exp(y)), powers of powers, Float multiples of pi in cos, sin
# and tan, and N and sympify of strings.
POWER_BASES = ["2", "3", "6", "Rational(2, 3)", "Rational(1, 2)", "4", "(-2)"]
SYMBOLIC_EXPONENTS = ["x", "y", "(x*y)", "(x + 1)", "pi", "sqrt(2)", "(2*x)", "(-x)", "I", "(x/2)"]
ZERO_EXPONENTS = ["x", "(2*x)", "(-x)", "I", "(2 + I)", "pi", "(-pi)", "(x*y)", "(x + 1)",
                  "(pi - 3)", "(I*x)", "(x/2)", "(-2*x*y)", "log(2)", "(sqrt(2)*I)", "Abs(x)",
                  "(Abs(x) + 1)", "exp(x)", "cos(1)"]
LOG_BASES = ["2", "3", "x", "pi", "4", "(x + 1)", "sqrt(2)"]
LOG_NUMERATORS = ["y", "(2*y)", "(-y)", "(x*y)", "y**2", "(sqrt(2)*y)", "1", "(y/z)", "exp(y)",
                  "exp(-y)", "cos(y)", "(y + 1)", "z**(-y)"]
POWER_OF_POWER_BASES = ["sqrt(x)", "sqrt(-x)", "x**2", "x**3", "x**Rational(3, 2)", "x**Rational(-1, 2)",
                        "(1/x)", "x**pi", "x**(1/pi)", "pi**2", "(1 - pi)**2", "2**pi", "exp(2)",
                        "exp(x)", "exp(pi)", "sqrt(x + 1)", "sqrt(x*y)", "x**x", "exp(Rational(1, 3))"]
OUTER_EXPONENTS = ["y", "pi", "x", "(2*y)", "Rational(1, 2)", "Rational(1, 3)", "sqrt(2)", "(y/2)"]
FLOAT_PI_COEFFS = ["4.0", "0.5", "0.25", "1.5", "0.75", "2.75", "3.1", "1.0", "0.125", "-0.5",
                   "2.0625", "0.0625", "2.5", "0.375", "1e20", "-4.0"]
FLOAT_PI_RESTS = ["", "*x", "*x*y", "*(x + 1)", "*sqrt(2)", "*x**2"]
DECIMAL_STRINGS = ["2**.5", "2**0.5", "0.1", "1/3", "x + 0.5", "1.5e3", ".25*pi", "sqrt(0.5)",
                   "2.5**2", "1e-3", "0.1 + 0.2"]
SPLIT_STRINGS = ["x+\\ny", "x +\\n y", "\\nx", "x**2\\n", "sin(\\nx)", "2*\\n\\nx"]


def rewrite_form(rnd: random.Random) -> str:
    """One of the forms sympy rewrites on construction (issue 18)."""
    kind = rnd.randrange(7)
    if kind == 0:
        e = rnd.choice(SYMBOLIC_EXPONENTS)
        f = rnd.choice([e, rnd.choice(SYMBOLIC_EXPONENTS)])
        return f"{rnd.choice(POWER_BASES)}**{e}*{rnd.choice(POWER_BASES)}**{f}"
    if kind == 1:
        return f"0**{rnd.choice(ZERO_EXPONENTS)}"
    if kind == 2:
        b = rnd.choice(LOG_BASES)
        return f"{b}**({rnd.choice(LOG_NUMERATORS)}/log({b}))"
    if kind == 3:
        return f"({rnd.choice(POWER_OF_POWER_BASES)})**{rnd.choice(OUTER_EXPONENTS)}"
    if kind == 4:
        fn = rnd.choice(["cos", "sin", "tan"])
        return f"{fn}({rnd.choice(FLOAT_PI_COEFFS)}*pi{rnd.choice(FLOAT_PI_RESTS)})"
    if kind == 5:
        return f"N('{rnd.choice(DECIMAL_STRINGS)}', {rnd.choice([15, 20, 30])})"
    return f"sympify('{rnd.choice(SPLIT_STRINGS)}')"


REWRITE_WRAPPERS = ["{}", "{}", "expand({})", "diff({}, x)", "({}).subs(x, 2)", "({}).subs(x, y)",
                    "({}) * ({})"]


def rewrite_line(rnd: random.Random) -> str:
    """A rewrite form, as it is or inside an operation."""
    wrapper = rnd.choice(REWRITE_WRAPPERS)
    if wrapper.count("{}") == 2:
        return wrapper.format(rewrite_form(rnd), rewrite_form(rnd))
    form = rewrite_form(rnd)
    return form if form.startswith(("N(", "sympify(")) else wrapper.format(form)


def session(seed: int, lines: int) -> list:
    """The session's lines: the imports, then `lines` random lines."""
    rnd = random.Random(seed)
    out = ["from sympy import *",
           rnd.choice(["x, y, z = symbols('x y z')", "from sympy.abc import x, y, z"])]
    for _ in range(lines):
        if rnd.random() < 0.04:
            out.append(import_line(rnd))
            if rnd.random() < 0.5:
                out.append("from sympy import *")  # pi, E, I back to sympy's for most lines
            continue
        r = rnd.random()
        if r < 0.15:
            out.append(relation(rnd, rnd.randint(0, 2)))
        elif r < 0.22:
            out.append(other_line(rnd))
        elif r < 0.42:
            out.append(rewrite_line(rnd))
        else:
            out.append(rnd.choice(WRAPPERS).format(expression(rnd, rnd.randint(1, 4))))
    return out


def main() -> int:
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--impl", default=os.path.join(root, "bazel-bin/ref/pyref"),
                        help="the implementation's adapter command (default: pyref)")
    args = parser.parse_args()
    lines = session(args.seed, args.lines)
    impl = answers(args.impl.split(), lines, timeout=3600)
    oracle = answers(["/usr/bin/python3", os.path.join(root, "tools/adapters/cpython")], lines,
                     timeout=3600)
    refused = same = 0
    different = []
    for line, mine, theirs in zip(lines, impl, oracle):
        if mine.startswith("NotImplementedError"):
            refused += 1
        elif mine == theirs:
            same += 1
        else:
            different.append((line, mine, theirs))
    for line, mine, theirs in different:
        print(f"Input = {line}\n# impl:  {mine}\n# sympy: {theirs}\n")
    print(f"sympy_diff: seed {args.seed}, {len(lines)} lines: {same} same, {refused} refused, "
          f"{len(different)} different", file=sys.stderr)
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
