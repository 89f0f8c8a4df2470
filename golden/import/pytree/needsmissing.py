"""A module whose body imports a module that does not exist (mirror: ctree/needsmissing.c)."""
import missing_dependency
