"""pyref answers a SyntaxError only where CPython 3.11 raises that SyntaxError.

Random lines of Python tokens (operators the subsets leave out, keywords,
brackets, literals, string prefixes) go to pyref's newton command (eval()
of an expression) and sympy command (one prompt line, compiled in 'single'
mode); every SyntaxError pyref answers must be the one this interpreter's
compile() raises for the line. Valid Python outside a subset is a refusal
(NotImplementedError), and so is an error whose wording depends on grammar
the subset does not model. The seeds are fixed: the lines are the same on
every run.
"""
import os
import random
import subprocess
import sys
import unittest
import warnings

VOCABULARY = [
    "x", "y", "abs", "1", "2.5", "1j", "0x1", "(", ")", "(", ")", ",", "+", "-", "*", "**", "/",
    "//", "%", "@", "<", "<=", "==", "!=", ">", ">=", "<<", ">>", "&", "|", "^", "~", "not",
    "and", "or", "if", "else", "in", "is", "for", "lambda", ":", "=", ":=", ".", "...", "[", "]",
    "{", "}", "*", "'s'", "r's'", "None", "True", ".real", ";", "yield", "await",
]
# Names whose lines CPython's error pass treats apart (soft keywords,
# Python 2's print statement): the newton command's lines take them too.
NEWTON_VOCABULARY = VOCABULARY + ["print", "_", "match", "[", "]", ","]


def lines(seed, count, vocabulary=VOCABULARY):
    rng = random.Random(seed)
    return [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 7)))
            for _ in range(count)]


def cpython_error(line, mode):
    source = line + "\n" if mode == "single" else line
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(source, "<stdin>", mode)
        except SyntaxError as error:
            return "SyntaxError: " + error.msg
    return None


def pyref_answers(command, inputs):
    pyref = os.path.join(os.environ["TEST_SRCDIR"], os.environ["TEST_WORKSPACE"], "ref", "pyref")
    done = subprocess.run([pyref, command], input="\n".join(inputs) + "\n",
                          capture_output=True, text=True, timeout=600, check=True)
    answers = done.stdout.splitlines()
    assert len(answers) == len(inputs), (len(answers), len(inputs))
    return answers


class SyntaxRefusalTest(unittest.TestCase):
    def setUp(self):
        self.assertEqual(sys.version_info[:2], (3, 11), "the wording checked is CPython 3.11's")

    def check(self, command, mode, seed, vocabulary=VOCABULARY):
        inputs = lines(seed, 3000, vocabulary)
        wrong = []
        for line, answer in zip(inputs, pyref_answers(command, inputs)):
            if answer.startswith("SyntaxError") and answer != cpython_error(line, mode):
                wrong.append(f"{line!r}: pyref {answer!r}, CPython {cpython_error(line, mode)!r}")
        self.assertEqual(wrong, [])

    def test_newton(self):
        for seed in (1, 2):
            self.check("newton", "eval", seed)
            self.check("newton", "eval", seed, NEWTON_VOCABULARY)

    def test_sympy(self):
        for seed in (1, 2):
            self.check("sympy", "single", seed)

    def test_valid_python_is_refused(self):
        # The docstring corpus's lines that were SyntaxErrors before.
        valid = ["solve(x < 3)", "sol[0][x]", "symbols(r'x(:1\\,:2)')", "15./8 > 1.7",
                 "FiniteSet(*[x*y, x**2])", "Eq(x, 1) | Eq(x, 2)", "Ne(x, 1) & Ne(x, 2)", "..."]
        for line in valid:
            self.assertIsNone(cpython_error(line, "single"), line)
        # Some are in the subset now (comparisons, | and &, * arguments): answered
        # without sympy's names (NameError) or refused, never a SyntaxError.
        for line, answer in zip(valid, pyref_answers("sympy", valid)):
            self.assertTrue(answer.startswith(("NotImplementedError", "NameError")),
                            f"{line!r}: {answer}")
        newton = ["x << 1", "(x := 1)", "(i for i in x)", "(*x,)", "abs(x for x in y)",
                  "[x for x in y]", "[*x]", "x[0]", "[x][0]", "x | 1"]
        for line in newton:
            self.assertIsNone(cpython_error(line, "eval"), line)
        for answer in pyref_answers("newton", newton):
            self.assertTrue(answer.startswith("NotImplementedError"), answer)


if __name__ == "__main__":
    unittest.main()
