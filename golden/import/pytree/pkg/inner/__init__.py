"""A package inside a package (mirror: ctree/pkg/inner/__init__.c)."""
DEPTH = 2
