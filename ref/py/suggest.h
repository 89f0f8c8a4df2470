/*
 * CPython 3.11's "Did you mean" for NameError and AttributeError
 * (Python/suggestions.c): the closest candidate by a Levenshtein distance
 * where a case flip costs 1 and any other edit 2, accepted only when at most
 * about a third of the characters change.
 */
#ifndef PYNOTES_REF_PY_SUGGEST_H_
#define PYNOTES_REF_PY_SUGGEST_H_

#include <stddef.h>

/* The candidate CPython would suggest for name (len bytes) among the
 * count candidates, in their order, or NULL. */
const char *py_suggest(const char *name, size_t len, const char *const *candidates, size_t count);

#endif /* PYNOTES_REF_PY_SUGGEST_H_ */
