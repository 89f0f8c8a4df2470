/*
 * The names an interactive CPython 3.11 session sees (generated into
 * names.c by gen_names.py): its builtins, in the builtins dict's order, and
 * the names `from sympy import *` binds, in binding order. NameError's
 * "Did you mean" depends on both lists and their order.
 */
#ifndef PYNOTES_REF_SYMPY_NAMES_H_
#define PYNOTES_REF_SYMPY_NAMES_H_

#include <stddef.h>

extern const char *const kBuiltinNames[];
extern const size_t kBuiltinNamesCount;
extern const char *const kSympyNames[];
extern const size_t kSympyNamesCount;

#endif /* PYNOTES_REF_SYMPY_NAMES_H_ */
