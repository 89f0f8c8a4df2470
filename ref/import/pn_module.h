/*
 * What a module written in C sees of pyref's importer (the only header a
 * module includes).
 *
 * A module is a shared object NAME.so (a package: a folder NAME holding
 * __init__.so) on pyref's search path. It exports, as CPython's extension
 * modules do, one function named after the last component of its name:
 *
 *   int PyInit_alpha(const pn_module_api *api, pn_module *module);
 *
 * The importer calls it once, the first time the module is imported, after
 * putting the module in its cache (so an import cycle finds the module being
 * initialised, as CPython's sys.modules does). It fills the module through
 * api: names bound to ints, strings, functions, and other modules it imports.
 * It returns 0, or -1 after api->raise (the import then fails with that
 * exception, and the module leaves the cache; returning -1 without raising
 * is a SystemError). The same export name as CPython's is what lets a shared
 * object without it be reported in CPython's words; the signature is pyref's
 * own, so these are not CPython extension modules.
 *
 * Strings passed to api are copied. A module keeps no state of its own
 * between initialisations: the importer may unload and load it again.
 */
#ifndef PYNOTES_REF_IMPORT_PN_MODULE_H_
#define PYNOTES_REF_IMPORT_PN_MODULE_H_

#include <stddef.h>

#define PN_MODULE_API_VERSION 1

typedef struct pn_module pn_module;

/* What a function returns: an int, a string (static storage: not freed), or
 * an exception (type name and message, static storage). */
typedef struct pn_result {
  enum { PN_RESULT_INT, PN_RESULT_STR, PN_RESULT_EXCEPTION } kind;
  long long int_value;
  const char *str_value;
  const char *exc_type;
  const char *exc_message;
} pn_result;

/* A function of a module. It is called only with as many arguments as its
 * parameter list names (the importer answers other calls with CPython's
 * TypeError), and fills *result. */
typedef void (*pn_cfunction)(const long long *args, pn_result *result);

typedef struct pn_module_api {
  int version; /* PN_MODULE_API_VERSION */
  /* Binds name to a value. Return 0, or -1 when memory runs out (an
   * exception is then set: return -1 from the initialiser). */
  int (*add_int)(pn_module *module, const char *name, long long value);
  int (*add_str)(pn_module *module, const char *name, const char *value);
  /* params: the parameters' names, NULL-terminated (NULL: none). */
  int (*add_function)(pn_module *module, const char *name, pn_cfunction function,
                      const char *const *params);
  /*
   * The module's own import statement: `__import__(name, <this module's
   * globals>, None, (attr,) if attr else (), level)`, then binds bind_as to
   * the result (attr NULL) or to the result's attribute attr. So `import
   * alpha` is ("alpha", "alpha", 0, NULL) and `from . import sub` is ("sub",
   * "", 1, "sub"). Returns 0, or -1 with the import's exception set.
   */
  int (*import_name)(pn_module *module, const char *bind_as, const char *name, int level,
                     const char *attr);
  /* Sets the exception the initialiser fails with. Returns -1. */
  int (*raise)(pn_module *module, const char *type, const char *message);
} pn_module_api;

typedef int (*pn_module_init)(const pn_module_api *api, pn_module *module);

#endif /* PYNOTES_REF_IMPORT_PN_MODULE_H_ */
