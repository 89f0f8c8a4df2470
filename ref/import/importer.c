#define _POSIX_C_SOURCE 200809L

#include "ref/import/importer.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ref/protocol/command.h"

/* Deeper than this, an import is answered RecursionError instead of using up
 * the C stack (a name of thousands of dots recurses once per dot, as
 * CPython's importlib does until its own recursion limit). */
enum { MAX_IMPORT_DEPTH = 200 };

struct pn_module {
  pn_importer *importer;
  char *name;
  char *package_dir; /* __path__[0]; NULL for a plain module */
  char *file;
  void *handle;
  pn_binding *bindings;
  size_t binding_count, binding_cap;
  pn_import_error pending; /* what the initialiser raised */
};

struct pn_importer {
  char **path;
  size_t path_count;
  pn_module **cache; /* sys.modules, in load order */
  size_t cache_count, cache_cap;
  pn_module **all; /* every module made, cached or not: freed with the importer */
  size_t all_count, all_cap;
  int depth;
  pn_pyversion python;
};

/* ---- errors ---- */

void pn_import_error_clear(pn_import_error *error) {
  free(error->type);
  free(error->message);
  free(error->module_name);
  memset(error, 0, sizeof *error);
}

static int set_error(pn_import_error *error, const char *type, const char *module_name,
                     const char *format, ...) __attribute__((format(printf, 4, 5)));

/* Replaces *error with TYPE: message (and a ModuleNotFoundError's name).
 * Always returns -1; out of memory, the error becomes MemoryError. */
static int set_error(pn_import_error *error, const char *type, const char *module_name,
                     const char *format, ...) {
  pn_import_error_clear(error);
  pn_strbuf message = PN_STRBUF_INIT;
  va_list args;
  va_start(args, format);
  int rc = pn_strbuf_vprintf(&message, format, args);
  va_end(args);
  error->type = strdup(type);
  error->message = rc == 0 ? (message.data != NULL ? message.data : strdup("")) : NULL;
  if (rc != 0) {
    pn_strbuf_free(&message);
  }
  error->module_name = module_name != NULL ? strdup(module_name) : NULL;
  if (error->type == NULL || error->message == NULL ||
      (module_name != NULL && error->module_name == NULL)) {
    pn_import_error_clear(error); /* no type: MemoryError */
  }
  return -1;
}

static int memory_error(pn_import_error *error) {
  pn_import_error_clear(error);
  return -1; /* type NULL means MemoryError: nothing needs allocating */
}

/* ---- small strings ---- */

static char *copy_n(const char *s, size_t n) {
  char *copy = malloc(n + 1);
  if (copy != NULL) {
    memcpy(copy, s, n);
    copy[n] = '\0';
  }
  return copy;
}

static char *join3(const char *a, const char *b, const char *c) {
  size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
  char *out = malloc(la + lb + lc + 1);
  if (out != NULL) {
    memcpy(out, a, la);
    memcpy(out + la, b, lb);
    memcpy(out + la + lb, c, lc + 1);
  }
  return out;
}

/* ---- the importer ---- */

pn_importer *pn_importer_new(const char *search_path) {
  pn_importer *importer = calloc(1, sizeof *importer);
  if (importer == NULL) {
    return NULL;
  }
  importer->python = PN_PYVERSION_DEFAULT;
  const char *p = search_path != NULL ? search_path : "";
  size_t entries = 1;
  for (const char *q = p; *q != '\0'; q++) {
    entries += *q == ':';
  }
  importer->path = calloc(entries, sizeof *importer->path);
  if (importer->path == NULL) {
    free(importer);
    return NULL;
  }
  while (*p != '\0') {
    const char *end = strchr(p, ':');
    size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
    if (n > 0) {
      char *entry = copy_n(p, n);
      if (entry == NULL) {
        pn_importer_free(importer);
        return NULL;
      }
      importer->path[importer->path_count++] = entry;
    }
    p += n + (end != NULL);
  }
  return importer;
}

static void free_binding(pn_binding *binding) {
  free(binding->name);
  free(binding->str_value);
  for (size_t i = 0; i < binding->param_count; i++) {
    free(binding->params[i]);
  }
  free(binding->params);
}

static void free_module(pn_module *module) {
  for (size_t i = 0; i < module->binding_count; i++) {
    free_binding(&module->bindings[i]);
  }
  free(module->bindings);
  pn_import_error_clear(&module->pending);
  if (module->handle != NULL) {
    dlclose(module->handle);
  }
  free(module->name);
  free(module->package_dir);
  free(module->file);
  free(module);
}

void pn_importer_free(pn_importer *importer) {
  if (importer == NULL) {
    return;
  }
  for (size_t i = 0; i < importer->all_count; i++) {
    free_module(importer->all[i]);
  }
  free(importer->all);
  free(importer->cache);
  for (size_t i = 0; i < importer->path_count; i++) {
    free(importer->path[i]);
  }
  free(importer->path);
  free(importer);
}

pn_module *pn_importer_lookup(pn_importer *importer, const char *name) {
  for (size_t i = 0; i < importer->cache_count; i++) {
    if (strcmp(importer->cache[i]->name, name) == 0) {
      return importer->cache[i];
    }
  }
  return NULL;
}

static int grow(void **array, size_t *cap, size_t count, size_t item) {
  if (count < *cap) {
    return 0;
  }
  size_t new_cap = *cap != 0 ? *cap * 2 : 8;
  void *grown = realloc(*array, new_cap * item);
  if (grown == NULL) {
    return -1;
  }
  *array = grown;
  *cap = new_cap;
  return 0;
}

static int cache_add(pn_importer *importer, pn_module *module) {
  if (grow((void **)&importer->cache, &importer->cache_cap, importer->cache_count,
           sizeof *importer->cache) != 0) {
    return -1;
  }
  importer->cache[importer->cache_count++] = module;
  return 0;
}

static void cache_remove(pn_importer *importer, pn_module *module) {
  for (size_t i = 0; i < importer->cache_count; i++) {
    if (importer->cache[i] == module) {
      memmove(&importer->cache[i], &importer->cache[i + 1],
              (importer->cache_count - i - 1) * sizeof *importer->cache);
      importer->cache_count--;
      return;
    }
  }
}

/* ---- modules and bindings ---- */

const char *pn_module_name(const pn_module *module) {
  return module->name;
}

const pn_binding *pn_module_get(const pn_module *module, const char *name) {
  for (size_t i = 0; i < module->binding_count; i++) {
    if (strcmp(module->bindings[i].name, name) == 0) {
      return &module->bindings[i];
    }
  }
  return NULL;
}

/* Module attributes that every module has besides its bindings (Python's
 * module dunders), so that a fromlist naming one imports nothing. */
static bool has_attribute(const pn_module *module, const char *name) {
  static const char *const kDunders[] = {"__name__",   "__doc__",  "__package__",
                                         "__loader__", "__spec__", "__file__"};
  for (size_t i = 0; i < sizeof kDunders / sizeof kDunders[0]; i++) {
    if (strcmp(name, kDunders[i]) == 0) {
      return true;
    }
  }
  if (strcmp(name, "__path__") == 0) {
    return module->package_dir != NULL;
  }
  return pn_module_get(module, name) != NULL;
}

/* Binds name to a copy of value (replacing an earlier binding of name).
 * value may point into module's own bindings. Returns 0 or -1 (memory). */
static int bind(pn_module *module, const char *name, const pn_binding *value) {
  pn_binding copy = *value;
  copy.name = strdup(name);
  copy.str_value = value->str_value != NULL ? strdup(value->str_value) : NULL;
  copy.params = value->param_count > 0 ? calloc(value->param_count, sizeof *copy.params) : NULL;
  bool failed = copy.name == NULL || (value->str_value != NULL && copy.str_value == NULL) ||
                (value->param_count > 0 && copy.params == NULL);
  for (size_t i = 0; !failed && i < value->param_count; i++) {
    copy.params[i] = strdup(value->params[i]);
    failed = copy.params[i] == NULL;
  }
  if (failed) {
    free_binding(&copy);
    return -1;
  }
  for (size_t i = 0; i < module->binding_count; i++) {
    if (strcmp(module->bindings[i].name, name) == 0) {
      free_binding(&module->bindings[i]);
      module->bindings[i] = copy;
      return 0;
    }
  }
  if (grow((void **)&module->bindings, &module->binding_cap, module->binding_count,
           sizeof *module->bindings) != 0) {
    free_binding(&copy);
    return -1;
  }
  module->bindings[module->binding_count++] = copy;
  return 0;
}

static int bind_module(pn_module *module, const char *name, pn_module *value) {
  pn_binding binding = {.kind = PN_VALUE_MODULE, .module = value};
  return bind(module, name, &binding);
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **pn_module_public_names(const pn_module *module, size_t *count) {
  const char **names = calloc(module->binding_count + 1, sizeof *names);
  if (names == NULL) {
    return NULL;
  }
  size_t n = 0;
  for (size_t i = 0; i < module->binding_count; i++) {
    if (module->bindings[i].name[0] != '_') {
      names[n++] = module->bindings[i].name;
    }
  }
  qsort(names, n, sizeof *names, compare_names);
  *count = n;
  return names;
}

/* repr() of a str: CPython's quote choice and escapes for ASCII text; other
 * bytes as \xHH (module strings are ASCII). */
static int repr_str(const char *s, pn_strbuf *out) {
  char quote = strchr(s, '\'') != NULL && strchr(s, '"') == NULL ? '"' : '\'';
  int rc = pn_strbuf_append(out, &quote, 1);
  for (const unsigned char *p = (const unsigned char *)s; rc == 0 && *p != '\0'; p++) {
    if (*p == '\\' || *p == (unsigned char)quote) {
      rc = pn_strbuf_printf(out, "\\%c", *p);
    } else if (*p == '\n') {
      rc = pn_strbuf_puts(out, "\\n");
    } else if (*p == '\r') {
      rc = pn_strbuf_puts(out, "\\r");
    } else if (*p == '\t') {
      rc = pn_strbuf_puts(out, "\\t");
    } else if (*p < 0x20 || *p >= 0x7f) {
      rc = pn_strbuf_printf(out, "\\x%02x", *p);
    } else {
      rc = pn_strbuf_append(out, (const char *)p, 1);
    }
  }
  return rc == 0 ? pn_strbuf_append(out, &quote, 1) : -1;
}

int pn_binding_repr(const pn_binding *binding, pn_strbuf *out) {
  switch (binding->kind) {
    case PN_VALUE_INT:
      return pn_strbuf_printf(out, "%lld", binding->int_value);
    case PN_VALUE_STR:
      return repr_str(binding->str_value, out);
    case PN_VALUE_FUNCTION:
      return pn_strbuf_printf(out, "<function %s>", binding->name);
    case PN_VALUE_MODULE:
      return pn_strbuf_printf(out, "<module '%s'>", binding->module->name);
  }
  return -1;
}

static const char *type_name(pn_value_kind kind) {
  switch (kind) {
    case PN_VALUE_INT:
      return "int";
    case PN_VALUE_STR:
      return "str";
    case PN_VALUE_FUNCTION:
      return "function";
    case PN_VALUE_MODULE:
      return "module";
  }
  return "object";
}

/* CPython's "missing N required positional arguments: 'a', 'b', and 'c'". */
static int missing_arguments(const pn_binding *f, size_t nargs, pn_strbuf *out) {
  size_t missing = f->param_count - nargs;
  pn_strbuf names = PN_STRBUF_INIT;
  int rc = 0;
  for (size_t i = nargs; rc == 0 && i < f->param_count; i++) {
    const char *separator = "";
    if (i > nargs) {
      separator = missing == 2 ? " and " : (i + 1 == f->param_count ? ", and " : ", ");
    }
    rc = pn_strbuf_printf(&names, "%s'%s'", separator, f->params[i]);
  }
  if (rc == 0) {
    rc =
        pn_answer_exception(out, "TypeError", "%s() missing %zu required positional argument%s: %s",
                            f->name, missing, missing == 1 ? "" : "s", names.data);
  }
  pn_strbuf_free(&names);
  return rc;
}

int pn_module_call(const pn_module *module, const char *function_name, const long long *args,
                   size_t nargs, pn_strbuf *out) {
  const pn_binding *f = pn_module_get(module, function_name);
  if (f == NULL) {
    return pn_answer_exception(out, "AttributeError", "module '%s' has no attribute '%s'",
                               module->name, function_name);
  }
  if (f->kind != PN_VALUE_FUNCTION) {
    return pn_answer_exception(out, "TypeError", "'%s' object is not callable", type_name(f->kind));
  }
  if (nargs > f->param_count) {
    return pn_answer_exception(
        out, "TypeError", "%s() takes %zu positional argument%s but %zu %s given", f->name,
        f->param_count, f->param_count == 1 ? "" : "s", nargs, nargs == 1 ? "was" : "were");
  }
  if (nargs < f->param_count) {
    return missing_arguments(f, nargs, out);
  }
  pn_result result = {.kind = PN_RESULT_INT};
  f->function(args, &result);
  switch (result.kind) {
    case PN_RESULT_INT:
      return pn_strbuf_printf(out, "%lld", result.int_value);
    case PN_RESULT_STR:
      return repr_str(result.str_value != NULL ? result.str_value : "", out);
    case PN_RESULT_EXCEPTION:
      return result.exc_message != NULL && result.exc_message[0] != '\0'
                 ? pn_answer_exception(out, result.exc_type, "%s", result.exc_message)
                 : pn_strbuf_puts(out, result.exc_type);
  }
  return -1;
}

/* ---- the module API ---- */

static int api_raise(pn_module *module, const char *type, const char *message) {
  set_error(&module->pending, type, NULL, "%s", message);
  return -1;
}

static int api_bind_failed(pn_module *module) {
  memory_error(&module->pending);
  module->pending.type = strdup("MemoryError");
  return -1;
}

static int api_add_int(pn_module *module, const char *name, long long value) {
  pn_binding binding = {.kind = PN_VALUE_INT, .int_value = value};
  return bind(module, name, &binding) == 0 ? 0 : api_bind_failed(module);
}

static int api_add_str(pn_module *module, const char *name, const char *value) {
  pn_binding binding = {.kind = PN_VALUE_STR, .str_value = (char *)value};
  return bind(module, name, &binding) == 0 ? 0 : api_bind_failed(module);
}

static int api_add_function(pn_module *module, const char *name, pn_cfunction function,
                            const char *const *params) {
  size_t count = 0;
  while (params != NULL && params[count] != NULL) {
    count++;
  }
  pn_binding binding = {.kind = PN_VALUE_FUNCTION,
                        .function = function,
                        .params = (char **)params,
                        .param_count = count};
  return bind(module, name, &binding) == 0 ? 0 : api_bind_failed(module);
}

static int import_level(pn_importer *importer, const char *name, const char *const *fromlist,
                        size_t fromlist_len, long level, const pn_import_caller *caller,
                        pn_module **result, pn_import_error *error);

static int api_import_name(pn_module *module, const char *bind_as, const char *name, int level,
                           const char *attr) {
  /* The module's globals: a package is its own __package__; a submodule's
   * is its parent's name. */
  char *package = NULL;
  if (module->package_dir != NULL) {
    package = strdup(module->name);
  } else {
    const char *dot = strrchr(module->name, '.');
    package = copy_n(module->name, dot != NULL ? (size_t)(dot - module->name) : 0);
  }
  if (package == NULL) {
    return api_bind_failed(module);
  }
  pn_import_caller caller = {package, module->name, module->package_dir != NULL};
  const char *fromlist[1] = {attr};
  pn_module *imported = NULL;
  int rc = import_level(module->importer, name, fromlist, attr != NULL ? 1 : 0, level, &caller,
                        &imported, &module->pending);
  free(package);
  if (rc != 0) {
    if (module->pending.type == NULL) {
      return api_bind_failed(module);
    }
    return -1;
  }
  if (attr == NULL) {
    return bind_module(module, bind_as, imported) == 0 ? 0 : api_bind_failed(module);
  }
  const pn_binding *value = pn_module_get(imported, attr);
  if (value == NULL) {
    set_error(&module->pending, "ImportError", NULL,
              "cannot import name '%s' from '%s' (unknown location)", attr, imported->name);
    return -1;
  }
  return bind(module, bind_as, value) == 0 ? 0 : api_bind_failed(module);
}

static const pn_module_api kApi = {
    PN_MODULE_API_VERSION, api_add_int, api_add_str, api_add_function, api_import_name, api_raise,
};

/* ---- finding and loading ---- */

static bool is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Looks for tail in the folders dirs: sets *file (the shared object) and
 * *package_dir (NULL for a plain module). Returns 1 found, 0 not found, -1
 * out of memory. */
static int find_spec(const char *tail, char *const *dirs, size_t dir_count, char **file,
                     char **package_dir) {
  if (tail[0] == '\0' || strchr(tail, '/') != NULL) {
    return 0;
  }
  for (size_t i = 0; i < dir_count; i++) {
    char *dir = join3(dirs[i], "/", tail);
    char *init = dir != NULL ? join3(dir, "/", "__init__.so") : NULL;
    if (init == NULL) {
      free(dir);
      return -1;
    }
    if (is_file(init)) {
      *file = init;
      *package_dir = dir;
      return 1;
    }
    free(init);
    char *plain = join3(dir, ".so", "");
    free(dir);
    if (plain == NULL) {
      return -1;
    }
    if (is_file(plain)) {
      *file = plain;
      *package_dir = NULL;
      return 1;
    }
    free(plain);
  }
  return 0;
}

/* Makes, caches and initialises the module `name` from file. On failure the
 * module leaves the cache (it stays allocated: a module it imported may have
 * bound it). */
static int load(pn_importer *importer, const char *name, const char *tail, char *file,
                char *package_dir, pn_module **result, pn_import_error *error) {
  pn_module *module = calloc(1, sizeof *module);
  if (module == NULL || grow((void **)&importer->all, &importer->all_cap, importer->all_count,
                             sizeof *importer->all) != 0) {
    free(module);
    free(file);
    free(package_dir);
    return memory_error(error);
  }
  importer->all[importer->all_count++] = module;
  module->importer = importer;
  module->file = file;
  module->package_dir = package_dir;
  module->name = strdup(name);
  if (module->name == NULL || cache_add(importer, module) != 0) {
    return memory_error(error);
  }
  module->handle = dlopen(file, RTLD_NOW | RTLD_LOCAL);
  if (module->handle == NULL) {
    const char *why = dlerror();
    cache_remove(importer, module);
    return set_error(error, "ImportError", NULL, "%s", why != NULL ? why : file);
  }
  char *symbol = join3("PyInit_", tail, "");
  if (symbol == NULL) {
    cache_remove(importer, module);
    return memory_error(error);
  }
  pn_module_init init;
  *(void **)&init = dlsym(module->handle, symbol);
  free(symbol);
  if (init == NULL) {
    cache_remove(importer, module);
    return set_error(error, "ImportError", NULL,
                     "dynamic module does not define module export function (PyInit_%s)", tail);
  }
  int rc = init(&kApi, module);
  if (rc != 0 || module->pending.type != NULL) {
    cache_remove(importer, module);
    if (module->pending.type == NULL) {
      return set_error(error, "SystemError", NULL,
                       "initialization of %s failed without raising an exception", tail);
    }
    if (rc == 0) {
      return set_error(error, "SystemError", NULL,
                       "initialization of %s raised unreported exception", tail);
    }
    pn_import_error_clear(error);
    *error = module->pending;
    memset(&module->pending, 0, sizeof module->pending);
    return -1;
  }
  *result = module;
  return 0;
}

/* importlib's _find_and_load: the cached module, or the module found and
 * loaded (its parent package first), bound in its parent. */
static int find_and_load(pn_importer *importer, const char *name, pn_module **result,
                         pn_import_error *error) {
  pn_module *cached = pn_importer_lookup(importer, name);
  if (cached != NULL) {
    *result = cached;
    return 0;
  }
  const char *dot = strrchr(name, '.');
  const char *tail = dot != NULL ? dot + 1 : name;
  char *parent_name = dot != NULL ? copy_n(name, (size_t)(dot - name)) : NULL;
  if (dot != NULL && parent_name == NULL) {
    return memory_error(error);
  }
  pn_module *parent = NULL;
  if (parent_name != NULL && parent_name[0] != '\0') {
    if (pn_importer_lookup(importer, parent_name) == NULL) {
      pn_import_caller none = {NULL, NULL, false};
      pn_module *ignored;
      if (import_level(importer, parent_name, NULL, 0, 0, &none, &ignored, error) != 0) {
        free(parent_name);
        return -1;
      }
    }
    cached = pn_importer_lookup(importer, name); /* the parent may have imported it */
    if (cached != NULL) {
      free(parent_name);
      *result = cached;
      return 0;
    }
    parent = pn_importer_lookup(importer, parent_name);
    if (parent == NULL) {
      set_error(error, "KeyError", NULL, "'%s'", parent_name);
      free(parent_name);
      return -1;
    }
    if (parent->package_dir == NULL) {
      set_error(error, "ModuleNotFoundError", name, "No module named '%s'; '%s' is not a package",
                name, parent_name);
      free(parent_name);
      return -1;
    }
  }
  free(parent_name);
  char *file = NULL, *package_dir = NULL;
  int found = parent != NULL
                  ? find_spec(tail, &parent->package_dir, 1, &file, &package_dir)
                  : find_spec(tail, importer->path, importer->path_count, &file, &package_dir);
  if (found < 0) {
    return memory_error(error);
  }
  if (found == 0) {
    return set_error(error, "ModuleNotFoundError", name, "No module named '%s'", name);
  }
  pn_module *module = NULL;
  if (load(importer, name, tail, file, package_dir, &module, error) != 0) {
    return -1;
  }
  if (parent != NULL && bind_module(parent, tail, module) != 0) {
    return memory_error(error);
  }
  *result = module;
  return 0;
}

/* importlib's _handle_fromlist: imports each name of fromlist that the
 * package lacks as its submodule, ignoring submodules that do not exist. */
static int handle_fromlist(pn_importer *importer, pn_module *package, const char *const *fromlist,
                           size_t fromlist_len, pn_import_error *error) {
  for (size_t i = 0; i < fromlist_len; i++) {
    if (strcmp(fromlist[i], "*") == 0 || has_attribute(package, fromlist[i])) {
      continue; /* '*' needs __all__, which C modules do not define */
    }
    char *from_name = join3(package->name, ".", fromlist[i]);
    if (from_name == NULL) {
      return memory_error(error);
    }
    pn_module *ignored;
    int rc = find_and_load(importer, from_name, &ignored, error);
    bool missing = rc != 0 && error->type != NULL &&
                   strcmp(error->type, "ModuleNotFoundError") == 0 && error->module_name != NULL &&
                   strcmp(error->module_name, from_name) == 0;
    free(from_name);
    if (missing) {
      pn_import_error_clear(error);
    } else if (rc != 0) {
      return -1;
    }
  }
  return 0;
}

void pn_importer_set_python(pn_importer *importer, pn_pyversion python) {
  importer->python = python;
}

/* import.c's resolve_name: the absolute name of a relative import. */
static int resolve_name(const pn_importer *importer, const char *name,
                        const pn_import_caller *caller, long level, char **absolute,
                        pn_import_error *error) {
  const char *package = caller->package;
  if (package == NULL && pn_pyversion_cmp(importer->python, 3, 7) < 0) {
    return set_error(error, "NotImplementedError", NULL,
                     "a relative import from a caller without __package__ under Python 3.6 "
                     "is outside the subset");
  }
  /* importlib's _resolve_name raised ValueError up to 3.8 (bpo-37444). */
  const char *beyond_top_level =
      pn_pyversion_cmp(importer->python, 3, 9) < 0 ? "ValueError" : "ImportError";
  size_t package_len;
  if (package != NULL) {
    package_len = strlen(package);
  } else {
    if (caller->name == NULL) {
      return set_error(error, "KeyError", NULL, "'__name__' not in globals");
    }
    package = caller->name;
    package_len = strlen(package);
    if (!caller->has_path) {
      const char *dot = strrchr(package, '.');
      package_len = dot != NULL ? (size_t)(dot - package) : 0;
    }
  }
  if (package_len == 0) {
    return set_error(error, "ImportError", NULL,
                     "attempted relative import with no known parent package");
  }
  size_t last_dot = package_len;
  for (long level_up = 1; level_up < level; level_up++) {
    while (last_dot > 0 && package[last_dot - 1] != '.') {
      last_dot--;
    }
    if (last_dot == 0) {
      return set_error(error, beyond_top_level, NULL,
                       "attempted relative import beyond top-level package");
    }
    last_dot--; /* the dot itself */
  }
  pn_strbuf out = PN_STRBUF_INIT;
  int rc = pn_strbuf_append(&out, package, last_dot);
  if (rc == 0 && name[0] != '\0') {
    rc = pn_strbuf_printf(&out, ".%s", name);
  }
  if (rc == 0 && out.data == NULL) {
    rc = pn_strbuf_puts(&out, "");
  }
  if (rc != 0) {
    pn_strbuf_free(&out);
    return memory_error(error);
  }
  *absolute = out.data;
  return 0;
}

/* The rest of PyImport_ImportModuleLevelObject once the module is loaded:
 * which module __import__ returns. */
static int module_to_return(pn_importer *importer, const char *name, const char *absolute,
                            pn_module *module, const char *const *fromlist, size_t fromlist_len,
                            long level, pn_module **result, pn_import_error *error) {
  if (fromlist_len > 0) {
    if (module->package_dir != NULL &&
        handle_fromlist(importer, module, fromlist, fromlist_len, error) != 0) {
      return -1;
    }
    *result = module;
    return 0;
  }
  size_t len = strlen(name);
  const char *dot = strchr(name, '.');
  if ((level != 0 && len == 0) || dot == NULL) {
    *result = module;
    return 0;
  }
  if (level == 0) {
    char *front = copy_n(name, (size_t)(dot - name));
    if (front == NULL) {
      return memory_error(error);
    }
    pn_import_caller none = {NULL, NULL, false};
    int rc = import_level(importer, front, NULL, 0, 0, &none, result, error);
    free(front);
    return rc;
  }
  size_t cut_off = len - (size_t)(dot - name);
  char *to_return = copy_n(absolute, strlen(absolute) - cut_off);
  if (to_return == NULL) {
    return memory_error(error);
  }
  *result = pn_importer_lookup(importer, to_return);
  if (*result == NULL) {
    set_error(error, "KeyError", NULL, "\"'%s' not in sys.modules as expected\"", to_return);
  }
  free(to_return);
  return *result != NULL ? 0 : -1;
}

static int import_level(pn_importer *importer, const char *name, const char *const *fromlist,
                        size_t fromlist_len, long level, const pn_import_caller *caller,
                        pn_module **result, pn_import_error *error) {
  if (level < 0) {
    return set_error(error, "ValueError", NULL, "level must be >= 0");
  }
  char *absolute = NULL;
  if (level > 0) {
    if (resolve_name(importer, name, caller, level, &absolute, error) != 0) {
      return -1;
    }
  } else {
    if (name[0] == '\0') {
      return set_error(error, "ValueError", NULL, "Empty module name");
    }
    absolute = strdup(name);
    if (absolute == NULL) {
      return memory_error(error);
    }
  }
  if (importer->depth >= MAX_IMPORT_DEPTH) {
    free(absolute);
    return set_error(error, "RecursionError", NULL, "maximum recursion depth exceeded");
  }
  importer->depth++;
  pn_module *module = NULL;
  int rc = find_and_load(importer, absolute, &module, error);
  if (rc == 0) {
    rc = module_to_return(importer, name, absolute, module, fromlist, fromlist_len, level, result,
                          error);
  }
  importer->depth--;
  free(absolute);
  return rc;
}

int pn_import(pn_importer *importer, const char *name, const char *const *fromlist,
              size_t fromlist_len, long level, const pn_import_caller *caller, pn_module **result,
              pn_import_error *error) {
  int rc = import_level(importer, name, fromlist, fromlist_len, level, caller, result, error);
  if (rc != 0 && error->type == NULL) {
    pn_import_error_clear(error);
    error->type = strdup("MemoryError");
    error->message = strdup("");
  }
  return rc;
}
