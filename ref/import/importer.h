/*
 * An import system for modules written in C (ref/import/pn_module.h):
 * CPython 3.11's `__import__` rules over shared objects found on a search
 * path, each initialised once and kept in the importer's cache (its
 * sys.modules).
 *
 * Searching a folder for the name component C: C/__init__.so makes C a
 * package whose submodules are searched in the folder C; else C.so is a plain
 * module. A folder without __init__.so is not a package here (CPython would
 * make it a namespace package), and an empty component is never found.
 */
#ifndef PYNOTES_REF_IMPORT_IMPORTER_H_
#define PYNOTES_REF_IMPORT_IMPORTER_H_

#include <stdbool.h>
#include <stddef.h>

#include "ref/import/pn_module.h"
#include "ref/protocol/pyversion.h"
#include "ref/protocol/strbuf.h"

typedef struct pn_importer pn_importer;

/* An exception: CPython's type name and message; for ModuleNotFoundError
 * also the exception's `name` (the module that was not found). Strings are
 * owned by the error (pn_import_error_clear frees them). */
typedef struct pn_import_error {
  char *type;
  char *message;
  char *module_name;
} pn_import_error;

void pn_import_error_clear(pn_import_error *error);

/* Who calls __import__: the `__package__` of its globals (NULL for None) and
 * its `__name__` (NULL when absent), and whether it has a `__path__`. */
typedef struct pn_import_caller {
  const char *package;
  const char *name;
  bool has_path;
} pn_import_caller;

typedef enum pn_value_kind {
  PN_VALUE_INT,
  PN_VALUE_STR,
  PN_VALUE_FUNCTION,
  PN_VALUE_MODULE,
} pn_value_kind;

/* A name bound in a module. */
typedef struct pn_binding {
  char *name;
  pn_value_kind kind;
  long long int_value;
  char *str_value;
  pn_cfunction function;
  char **params; /* the function's parameter names */
  size_t param_count;
  pn_module *module;
} pn_binding;

/* Makes an importer searching the folders of search_path (separated by ':',
 * empty entries skipped, as PYTHONPATH; NULL: none), with an empty cache.
 * Returns NULL when memory runs out. */
pn_importer *pn_importer_new(const char *search_path);

/* Makes the importer answer as CPython `python` (a new importer answers as
 * 3.11). Where older versions differ on the goldens' steps: up to 3.8 a
 * relative import beyond the top-level package is a ValueError (importlib's
 * _resolve_name; ImportError from 3.9), and 3.6's relative import from a
 * caller without __package__ is refused (NotImplementedError): it resolves
 * against __name__ without 3.7's "no known parent package" check, which is
 * not modelled. */
void pn_importer_set_python(pn_importer *importer, pn_pyversion python);

/* Frees the importer, its modules, and unloads their shared objects. */
void pn_importer_free(pn_importer *importer);

/*
 * `__import__(name, <caller's globals>, None, fromlist, level)`: fromlist has
 * fromlist_len names (0: no fromlist). Returns 0 and sets *result to the
 * module __import__ returns; or -1 and fills *error (MemoryError when memory
 * runs out).
 */
int pn_import(pn_importer *importer, const char *name, const char *const *fromlist,
              size_t fromlist_len, long level, const pn_import_caller *caller, pn_module **result,
              pn_import_error *error);

/* sys.modules[name]: the cached module, or NULL. */
pn_module *pn_importer_lookup(pn_importer *importer, const char *name);

/* The module's __name__. */
const char *pn_module_name(const pn_module *module);

/* The binding of name in module, or NULL. */
const pn_binding *pn_module_get(const pn_module *module, const char *name);

/* The module's public names (not starting with '_'), sorted by byte value,
 * in a NULL-terminated array that the caller frees (the names stay the
 * module's). Returns NULL when memory runs out. */
const char **pn_module_public_names(const pn_module *module, size_t *count);

/*
 * Calls module.function_name(*args) and appends repr() of its result, or its
 * exception line (CPython's AttributeError and TypeError wording for a
 * missing name, a value that is not callable, a wrong argument count), to
 * out. Returns 0, or -1 when memory runs out.
 */
int pn_module_call(const pn_module *module, const char *function_name, const long long *args,
                   size_t nargs, pn_strbuf *out);

/* Appends Python's repr() of a binding's value: 42, 'text', <function f>,
 * <module 'pkg.sub'>. Returns 0 or -1 (out of memory). */
int pn_binding_repr(const pn_binding *binding, pn_strbuf *out);

#endif /* PYNOTES_REF_IMPORT_IMPORTER_H_ */
