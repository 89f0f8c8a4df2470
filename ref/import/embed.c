#define _POSIX_C_SOURCE 200809L

#include "ref/import/embed.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <editline/readline.h>

#include "ref/import/import_run.h"
#include "ref/import/importer.h"
#include "ref/protocol/command.h"
#include "ref/py/syntax_messages.h"

enum {
  PROBE_IMPORT_FAILED = 3, /* the child's exit status for an exception */
  MAX_ARGS = 16,
};

typedef struct alias {
  char *name;
  pn_module *module;
} alias;

struct pn_shell {
  pn_importer *importer;
  pn_module *module; /* the embedded one */
  alias *aliases;    /* what `import` bound, newest last */
  size_t alias_count;
};

/* Imports name in a forked child on a copy of the importer. Returns 0 when
 * the child finished (the import succeeded or raised), or -1 after
 * appending a line about its crash to *out. */
static int probe(pn_importer *importer, const char *name, pn_strbuf *out) {
  fflush(NULL);
  pid_t child = fork();
  if (child < 0) {
    return pn_strbuf_printf(out, "cannot probe %s: fork: %s\n", name, strerror(errno)), -1;
  }
  if (child == 0) {
    pn_import_caller caller = {NULL, "__main__", false};
    pn_import_error error = {NULL, NULL, NULL};
    pn_module *module;
    _exit(pn_import(importer, name, NULL, 0, 0, &caller, &module, &error) == 0
              ? 0
              : PROBE_IMPORT_FAILED);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) &&
      (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == PROBE_IMPORT_FAILED)) {
    return 0;
  }
  if (WIFSIGNALED(status)) {
    pn_strbuf_printf(out, "crashed: the initialiser of %s was killed by signal %d (%s)\n", name,
                     WTERMSIG(status), strsignal(WTERMSIG(status)));
  } else {
    pn_strbuf_printf(out, "crashed: the initialiser of %s exited with status %d\n", name,
                     WEXITSTATUS(status));
  }
  return -1;
}

/* Probes, then imports name in this process. Returns the module, or NULL
 * after appending the crash or the exception line to *out. */
static pn_module *import_probed(pn_importer *importer, const char *name, pn_strbuf *out) {
  if (probe(importer, name, out) != 0) {
    return NULL;
  }
  pn_import_caller caller = {NULL, "__main__", false};
  pn_import_error error = {NULL, NULL, NULL};
  pn_module *module = NULL;
  if (pn_import(importer, name, NULL, 0, 0, &caller, &module, &error) != 0) {
    pn_import_error_answer(&error, out);
    pn_strbuf_puts(out, "\n");
    pn_import_error_clear(&error);
    return NULL;
  }
  return module;
}

pn_shell *pn_shell_new(const char *search_path, const char *module_name, pn_strbuf *out) {
  pn_shell *shell = calloc(1, sizeof *shell);
  if (shell == NULL || (shell->importer = pn_importer_new(search_path)) == NULL) {
    free(shell);
    pn_strbuf_puts(out, "MemoryError\n");
    return NULL;
  }
  /* `import a.b` in Python binds a; the shell embeds a.b itself. */
  if (import_probed(shell->importer, module_name, out) == NULL ||
      (shell->module = pn_importer_lookup(shell->importer, module_name)) == NULL) {
    pn_shell_free(shell);
    return NULL;
  }
  return shell;
}

void pn_shell_free(pn_shell *shell) {
  if (shell == NULL) {
    return;
  }
  for (size_t i = 0; i < shell->alias_count; i++) {
    free(shell->aliases[i].name);
  }
  free(shell->aliases);
  pn_importer_free(shell->importer);
  free(shell);
}

/* ---- reading a line ---- */

static const char *skip_spaces(const char *p) {
  while (*p == ' ' || *p == '\t') {
    p++;
  }
  return p;
}

static bool is_identifier_start(char c) {
  return isalpha((unsigned char)c) || c == '_';
}

static bool is_identifier_char(char c) {
  return isalnum((unsigned char)c) || c == '_';
}

/* A dotted name at *p ([A-Za-z_][A-Za-z0-9_]*, dots between): its length,
 * 0 if there is none. */
static size_t dotted_name_length(const char *p) {
  size_t n = 0;
  for (;;) {
    if (!is_identifier_start(p[n])) {
      return n > 0 && p[n - 1] == '.' ? 0 : n;
    }
    while (is_identifier_char(p[n])) {
      n++;
    }
    if (p[n] != '.') {
      return n;
    }
    n++;
  }
}

/* Parses "(INT, INT, ...)" at p up to the end of the line. Returns the
 * argument count, or -1 for a syntax error. */
static int parse_args(const char *p, long long *args) {
  p = skip_spaces(p + 1);
  int n = 0;
  if (*p == ')') {
    return *skip_spaces(p + 1) == '\0' ? 0 : -1;
  }
  for (;;) {
    char *end;
    errno = 0;
    if (!(isdigit((unsigned char)*p) ||
          ((*p == '-' || *p == '+') && isdigit((unsigned char)p[1])))) {
      return -1;
    }
    long long value = strtoll(p, &end, 10);
    if (errno != 0 || n == MAX_ARGS) {
      return -1;
    }
    args[n++] = value;
    p = skip_spaces(end);
    if (*p == ')') {
      return *skip_spaces(p + 1) == '\0' ? n : -1;
    }
    if (*p != ',') {
      return -1;
    }
    p = skip_spaces(p + 1);
  }
}

/* ---- evaluating ---- */

static pn_module *find_alias(const pn_shell *shell, const char *name) {
  for (size_t i = shell->alias_count; i-- > 0;) {
    if (strcmp(shell->aliases[i].name, name) == 0) {
      return shell->aliases[i].module;
    }
  }
  return NULL;
}

static int list_names(const pn_module *module, pn_strbuf *out) {
  size_t count = 0;
  const char **names = pn_module_public_names(module, &count);
  if (names == NULL) {
    return -1;
  }
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < count; i++) {
    rc = pn_strbuf_printf(out, "%s = ", names[i]);
    rc = rc == 0 ? pn_binding_repr(pn_module_get(module, names[i]), out) : -1;
    rc = rc == 0 ? pn_strbuf_puts(out, "\n") : -1;
  }
  free(names);
  return rc;
}

static int error_line(pn_strbuf *out, const char *type, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends `TYPE: message` and a newline. Returns 0 or -1 (out of memory). */
static int error_line(pn_strbuf *out, const char *type, const char *format, ...) {
  pn_strbuf message = PN_STRBUF_INIT;
  va_list args;
  va_start(args, format);
  int rc = pn_strbuf_vprintf(&message, format, args);
  va_end(args);
  rc =
      rc == 0 ? pn_answer_exception(out, type, "%s", message.data != NULL ? message.data : "") : -1;
  pn_strbuf_free(&message);
  return rc == 0 ? pn_strbuf_puts(out, "\n") : -1;
}

/*
 * Evaluates a dotted name, called with args when nargs >= 0. The first
 * component is an alias (a module) or a name of the embedded module; each
 * later one an attribute of the module before it.
 */
static int evaluate(pn_shell *shell, char *path, const long long *args, int nargs, pn_strbuf *out) {
  char *rest = strchr(path, '.');
  if (rest != NULL) {
    *rest++ = '\0';
  }
  pn_module *owner = shell->module; /* the module the current name is looked up in */
  pn_binding alias_value = {.name = path, .kind = PN_VALUE_MODULE};
  const pn_binding *value = NULL;
  if ((alias_value.module = find_alias(shell, path)) != NULL) {
    value = &alias_value;
  } else if ((value = pn_module_get(owner, path)) == NULL) {
    return error_line(out, "NameError", "name '%s' is not defined", path);
  }
  while (rest != NULL) {
    char *name = rest;
    rest = strchr(name, '.');
    if (rest != NULL) {
      *rest++ = '\0';
    }
    if (value->kind != PN_VALUE_MODULE) {
      static const char *const kTypes[] = {"int", "str", "function", "module"};
      return error_line(out, "AttributeError", "'%s' object has no attribute '%s'",
                        kTypes[value->kind], name);
    }
    owner = value->module;
    if ((value = pn_module_get(owner, name)) == NULL) {
      return error_line(out, "AttributeError", "module '%s' has no attribute '%s'",
                        pn_module_name(owner), name);
    }
    path = name;
  }
  int rc;
  if (nargs < 0) {
    rc = pn_binding_repr(value, out);
  } else if (value == &alias_value) {
    rc = pn_answer_exception(out, "TypeError", "'module' object is not callable");
  } else {
    rc = pn_module_call(owner, path, args, (size_t)nargs, out);
  }
  return rc == 0 ? pn_strbuf_puts(out, "\n") : -1;
}

static int add_alias(pn_shell *shell, const char *name, pn_module *module) {
  alias *grown = realloc(shell->aliases, (shell->alias_count + 1) * sizeof *grown);
  if (grown == NULL) {
    return -1;
  }
  shell->aliases = grown;
  char *copy = strdup(name);
  if (copy == NULL) {
    return -1;
  }
  shell->aliases[shell->alias_count++] = (alias){copy, module};
  return 0;
}

static int import_command(pn_shell *shell, const char *name, pn_strbuf *out) {
  if (probe(shell->importer, name, out) != 0) {
    return 0;
  }
  pn_import_caller caller = {NULL, "__main__", false};
  pn_import_error error = {NULL, NULL, NULL};
  pn_module *module = NULL;
  if (pn_import(shell->importer, name, NULL, 0, 0, &caller, &module, &error) != 0) {
    int rc = pn_import_error_answer(&error, out);
    pn_import_error_clear(&error);
    return rc == 0 ? pn_strbuf_puts(out, "\n") : -1;
  }
  /* As `import a.b` binds a (the module __import__ returns) under "a". */
  size_t first = strcspn(name, ".");
  char *bound = strndup(name, first);
  int rc = bound != NULL ? add_alias(shell, bound, module) : -1;
  free(bound);
  return rc;
}

static const char kHelp[] =
    "ls [MODULE]            the module's names and values\n"
    "import NAME            import a module (its initialiser is tried in a child first)\n"
    "NAME[.NAME...]         show a value\n"
    "NAME[.NAME...](1, 2)   call a function with int arguments\n"
    "exit, quit, Ctrl-D     leave\n";

int pn_shell_eval(pn_shell *shell, const char *line, pn_strbuf *out) {
  char *text = strdup(skip_spaces(line));
  if (text == NULL) {
    return -1;
  }
  size_t len = strlen(text);
  while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t')) {
    text[--len] = '\0';
  }
  int rc = 0;
  size_t name_len = dotted_name_length(text);
  if (len == 0) {
    rc = 0;
  } else if (strcmp(text, "exit") == 0 || strcmp(text, "quit") == 0) {
    rc = 1;
  } else if (strcmp(text, "help") == 0) {
    rc = pn_strbuf_puts(out, kHelp);
  } else if (strcmp(text, "ls") == 0) {
    rc = list_names(shell->module, out);
  } else if (strncmp(text, "ls ", 3) == 0 || strncmp(text, "import ", 7) == 0) {
    bool is_ls = text[0] == 'l';
    const char *name = skip_spaces(text + (is_ls ? 3 : 7));
    if (dotted_name_length(name) != strlen(name)) {
      rc = error_line(out, "SyntaxError", PY_SYNTAX_INVALID);
    } else if (!is_ls) {
      rc = import_command(shell, name, out);
    } else {
      pn_module *module = pn_importer_lookup(shell->importer, name);
      rc = module != NULL ? list_names(module, out) : error_line(out, "KeyError", "'%s'", name);
    }
  } else if (name_len > 0 && (text[name_len] == '\0' || text[name_len] == '(')) {
    long long args[MAX_ARGS];
    int nargs = -1;
    if (text[name_len] == '(' && (nargs = parse_args(text + name_len, args)) < 0) {
      rc = error_line(out, "SyntaxError", PY_SYNTAX_INVALID);
    } else {
      text[name_len] = '\0';
      rc = evaluate(shell, text, args, nargs, out);
    }
  } else {
    rc = error_line(out, "SyntaxError", PY_SYNTAX_INVALID);
  }
  free(text);
  return rc;
}

/* ---- the program ---- */

int pn_embed_main(int argc, char **argv) {
  if (argc != 2 || argv[1][0] == '-') {
    fputs("usage: pyref embed MODULE\n", stderr);
    return 2;
  }
  const char *search_path = getenv("PYREF_PATH");
  pn_strbuf out = PN_STRBUF_INIT;
  pn_shell *shell = pn_shell_new(search_path, argv[1], &out);
  if (shell == NULL) {
    fwrite(out.data, 1, out.len, stderr);
    pn_strbuf_free(&out);
    return 1;
  }
  printf("pyref embed: in module %s; help lists the commands\n", argv[1]);
  using_history();
  char prompt[64];
  int status = 0;
  for (int n = 1;; n++) {
    snprintf(prompt, sizeof prompt, "In [%d]: ", n);
    char *line = readline(prompt);
    if (line == NULL) {
      putchar('\n');
      break;
    }
    if (*skip_spaces(line) != '\0') {
      add_history(line);
    }
    pn_strbuf_clear(&out);
    int rc = pn_shell_eval(shell, line, &out);
    free(line);
    if (out.len > 0) {
      fwrite(out.data, 1, out.len, stdout);
    }
    fflush(stdout);
    if (rc != 0) {
      status = rc < 0 ? 1 : 0;
      break;
    }
  }
  pn_strbuf_free(&out);
  pn_shell_free(shell);
  return status;
}
