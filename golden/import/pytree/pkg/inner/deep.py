"""Imports two levels up: from .. import sub (mirror: ctree/pkg/inner/deep.c)."""
from .. import sub


def depth():
    return 3
