/*
 * The names an interactive CPython 3.11 session sees (generated into
 * names.c by gen_names.py) beside its builtins (ref/py/builtin_names.h):
 * the names `from sympy import *` binds, in binding order. NameError's
 * "Did you mean" depends on both lists and their order; AttributeError's on
 * the dir() of the value's type, which kAttributeDirs gives per type name.
 */
#ifndef PYNOTES_REF_SYMPY_NAMES_H_
#define PYNOTES_REF_SYMPY_NAMES_H_

#include <stddef.h>
#include <stdint.h>

/* dir() of one type's values: names[i] is kAttributeNames[names[i]]. */
typedef struct sy_attribute_dir {
  const char *type_name; /* type(value).__name__ */
  const uint16_t *names;
  size_t count;
} sy_attribute_dir;

extern const char *const kSympyNames[];
extern const size_t kSympyNamesCount;
extern const char *const kAttributeNames[];
extern const size_t kAttributeNamesCount;
extern const sy_attribute_dir kAttributeDirs[];
extern const size_t kAttributeDirsCount;

#endif /* PYNOTES_REF_SYMPY_NAMES_H_ */
