"""A module whose body raises: its initialiser fails (mirror: ctree/broken.c)."""
raise RuntimeError("broken on purpose")
