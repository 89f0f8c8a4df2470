"""A submodule that imports its sibling relatively (mirror: ctree/pkg/sibling.c)."""
from . import sub
