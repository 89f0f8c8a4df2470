"""A plain module: a string, an int and two functions (mirror: conformance/import/ctree/alpha.c)."""
GREETING = "hello"
ANSWER = 42


def answer():
    return 42


def add(a, b):
    return a + b
