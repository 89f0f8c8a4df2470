"""A module whose functions raise (mirror: ctree/failing.c)."""


def divide(a, b):
    return a // b


def fail():
    raise ValueError("failed on purpose")
