/*
 * The import command's line (conformance/PROTOCOL.md, "The import command"):
 * steps separated by ';', each `import name=N [fromlist=A,B] [level=L]
 * [package=P]`, `names MODULE` or `call MODULE FUNCTION [INT...]`.
 * tools/pynotes/cpython_import.py parses the same syntax with the same
 * messages.
 */
#ifndef PYNOTES_REF_IMPORT_IMPORT_LINE_H_
#define PYNOTES_REF_IMPORT_IMPORT_LINE_H_

#include <stdbool.h>
#include <stddef.h>

#include "ref/protocol/strbuf.h"

typedef enum pn_import_step_kind {
  PN_STEP_IMPORT, /* __import__(name, <globals of package>, None, fromlist, level) */
  PN_STEP_NAMES,  /* the sorted public names of sys.modules[name] */
  PN_STEP_CALL,   /* sys.modules[name].function(*args) */
} pn_import_step_kind;

typedef struct pn_import_step {
  pn_import_step_kind kind;
  char *name;      /* the module name (may be empty for import) */
  char **fromlist; /* import: fromlist_len names; fromlist_len 0 is no fromlist */
  size_t fromlist_len;
  long level;      /* import: 0 unless given */
  char *package;   /* import: NULL when not given (the caller is a script) */
  char *function;  /* call */
  long long *args; /* call: nargs ints */
  size_t nargs;
} pn_import_step;

typedef struct pn_import_line {
  pn_import_step *steps;
  size_t count;
} pn_import_line;

/*
 * Parses line (len bytes, any bytes). Returns 0 with *parsed filled (free it
 * with pn_import_line_free); 1 for a malformed line, with the SyntaxError's
 * message appended to *message and *parsed empty; -1 when memory runs out.
 */
int pn_import_line_parse(const char *line, size_t len, pn_import_line *parsed, pn_strbuf *message);

/* Frees what pn_import_line_parse filled; *parsed is empty afterwards. */
void pn_import_line_free(pn_import_line *parsed);

#endif /* PYNOTES_REF_IMPORT_IMPORT_LINE_H_ */
