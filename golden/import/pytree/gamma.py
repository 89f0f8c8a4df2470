"""A module that imports another while it initialises (mirror: ctree/gamma.c)."""
import alpha


def twice(n):
    return 2 * n
