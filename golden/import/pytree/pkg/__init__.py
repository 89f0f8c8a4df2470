"""A package (mirror: ctree/pkg/__init__.c)."""
VERSION = 1
