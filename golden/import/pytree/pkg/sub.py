"""A submodule (mirror: ctree/pkg/sub.c)."""


def where():
    return "pkg.sub"
