/*
 * The names of CPython 3.11's builtins module as a script sees them, in the
 * builtins dict's order (generated into builtin_names.c by
 * gen_builtin_names.py): where eval looks a name up after the globals, and
 * the order NameError's "Did you mean" walks them in.
 */
#ifndef PYNOTES_REF_PY_BUILTIN_NAMES_H_
#define PYNOTES_REF_PY_BUILTIN_NAMES_H_

#include <stddef.h>

extern const char *const py_builtin_names[];
extern const size_t py_builtin_name_count;

#endif /* PYNOTES_REF_PY_BUILTIN_NAMES_H_ */
