"""The Newton note's script, reconstructed: Newton-Raphson on an expression in x.

    python newton.py 'x*x - 2'        # prints 1.4142135623730951

The note's own file is not in this repository. This program is rebuilt from
the note's description (issue 3): ``H = 1e-5``, a forward-difference
derivative, ``runner(f, 100)`` -- 100 Newton steps starting from the int
``1`` -- and ``print()`` of the result. The expression is ``sys.argv[1]``,
evaluated with ``x`` bound, ``math`` reachable as ``math.``, and the builtins
the note's expressions use (abs, min, max, pow, round); any other name is a
NameError. The goldens in golden/newton/newton.txt are what this program
prints (or the last line of its traceback) under CPython 3.11.
"""

import math
import sys

H = 1e-5
BUILTINS = {"abs": abs, "min": min, "max": max, "pow": pow, "round": round}


def derivative(f, x):
    """The forward difference of f at x."""
    return (f(x + H) - f(x)) / H


def runner(f, steps):
    """x after ``steps`` Newton steps from 1."""
    x = 1
    for _ in range(steps):
        x = x - f(x) / derivative(f, x)
    return x


def main():
    expression = sys.argv[1]

    def f(x):
        return eval(expression, {"__builtins__": BUILTINS, "math": math}, {"x": x})

    print(runner(f, 100))


if __name__ == "__main__":
    main()
