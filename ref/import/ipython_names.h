/*
 * The names IPython 8.5's embedded shell knows before the user binds any
 * (generated from the real shell by gen_ipython_names.py): sorted tables for
 * pn_ipython_name_in.
 */
#ifndef PYNOTES_REF_IMPORT_IPYTHON_NAMES_H_
#define PYNOTES_REF_IMPORT_IPYTHON_NAMES_H_

#include <stddef.h>

/* The user namespace of `__import__('IPython').embed()` called from
 * `python3 -c`: __main__'s dunders and IPython's In, Out, exit, quit, ... */
extern const char *const pn_ipython_user_names[];
extern const size_t pn_ipython_user_names_count;

/* The builtins module as a cell sees it (with IPython's display,
 * get_ipython and __IPYTHON__). */
extern const char *const pn_ipython_builtin_names[];
extern const size_t pn_ipython_builtin_names_count;

/* Line magics and aliases (ls, cd, pwd, ...): a line whose first word is one
 * that no variable, builtin or keyword shadows runs it (automagic). */
extern const char *const pn_ipython_line_magics[];
extern const size_t pn_ipython_line_magics_count;

/* 1 when the len bytes at name are one of the count sorted words, else 0. */
int pn_ipython_name_in(const char *const *words, size_t count, const char *name, size_t len);

#endif /* PYNOTES_REF_IMPORT_IPYTHON_NAMES_H_ */
