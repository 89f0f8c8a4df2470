/*
 * The namespace and evaluator of `pyref embed`'s IPython session
 * (ipython_shell.h): one parsed line (ref/py's py_parse_statement) run as
 * IPython 8.5 on CPython 3.11 runs the cell. The subset: int and float
 * literals (ints of any size, GMP), plain string literals (shown, printed,
 * bound; no operator takes them), names, assignment to a name, + - * / //
 * % ** @ and unary - + ~ (ref/newton's pyvalue: Python's arithmetic and
 * its errors, complex results of ** included), and print(...) of such values
 * as the whole line. Names are the user's, the output history (_, __, ___,
 * _N) and _exit_code; a name IPython or the builtins bind is refused, any
 * other is a NameError (no "Did you mean": IPython's traceback has none).
 */
#ifndef PYNOTES_REF_IMPORT_IPYTHON_EVAL_H_
#define PYNOTES_REF_IMPORT_IPYTHON_EVAL_H_

#include <stddef.h>

#include "ref/protocol/strbuf.h"
#include "ref/py/error.h"
#include "ref/py/parse.h"

typedef struct pn_ipy_namespace pn_ipy_namespace;

/* An empty namespace (IPython's before the first cell), or NULL. */
pn_ipy_namespace *pn_ipy_namespace_new(void);
void pn_ipy_namespace_free(pn_ipy_namespace *ns);

/* Binds name (len bytes) to the int number (the shell's _exit_code).
 * Returns 0, or -1 when memory runs out. */
int pn_ipy_bind_int(pn_ipy_namespace *ns, const char *name, size_t len, long number);

/* Whether a name shadows a magic of the same name (IPython's is_shadowed):
 * the user bound it, IPython's namespace or the builtins hold it, or it is a
 * keyword. */
int pn_ipy_is_shadowed(const pn_ipy_namespace *ns, const char *name, size_t len);

/*
 * Runs stmt (parsed from the cell In [count]) in ns. print(...) appends its
 * line to *printed; an expression's value is shown as IPython's display hook
 * shows it: its repr appended to *shown, *has_value set to 1, and recorded
 * as Out[count] (so _, __, ___ and _count); an assignment binds. Returns 0;
 * or -1 with Python's exception in error: the one CPython raises, or
 * NotImplementedError for what is outside the subset (before anything is
 * printed, shown or bound).
 */
int pn_ipy_run(pn_ipy_namespace *ns, const py_stmt *stmt, int count, pn_strbuf *printed,
               pn_strbuf *shown, int *has_value, py_error *error);

#endif /* PYNOTES_REF_IMPORT_IPYTHON_EVAL_H_ */
