"""A submodule whose body raises (mirror: ctree/pkg/bad.c)."""
raise ValueError("bad submodule")
