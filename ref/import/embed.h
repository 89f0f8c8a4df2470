/*
 * `pyref embed MODULE`: a small interactive shell in a module's namespace, as
 * the note's `__import__('IPython').embed()` drops into one. Lines are read
 * with libedit (prompt, line editing, history); what a line asks:
 *
 *   ls [MODULE]          the public names of the module (default: the
 *                        embedded one), one `NAME = repr` per line
 *   import NAME          imports NAME (pn_import rules) and binds it
 *   NAME[.NAME...]       repr() of a name: the shell's imports first, then
 *                        the embedded module's names
 *   NAME[.NAME...](INT, ...)   calls a function
 *   help                 the commands; exit, quit or end of input leave
 *
 * A module's initialiser runs first in a forked child on a copy of the
 * importer: only when the child finishes does the shell import it itself, so
 * an initialiser that crashes (a signal, or ASan's report) is reported and
 * the shell goes on. Catching the crash in-process with a signal handler
 * would not be sound: after SIGSEGV the process's state is unknown. The
 * probe assumes a deterministic initialiser (one that crashes only sometimes
 * can still crash the shell).
 */
#ifndef PYNOTES_REF_IMPORT_EMBED_H_
#define PYNOTES_REF_IMPORT_EMBED_H_

#include "ref/protocol/strbuf.h"

typedef struct pn_shell pn_shell;

/* Imports module_name (probed in a child first) searching search_path.
 * Returns the shell; or NULL with what went wrong (an exception line, or the
 * crash) appended to *out as a line. */
pn_shell *pn_shell_new(const char *search_path, const char *module_name, pn_strbuf *out);

/* Runs one input line (no newline), appending what it prints (whole lines)
 * to *out. Returns 1 when the line asks to leave, 0 otherwise, -1 when
 * memory runs out. */
int pn_shell_eval(pn_shell *shell, const char *line, pn_strbuf *out);

void pn_shell_free(pn_shell *shell);

/* The program: argv = {"embed", MODULE}. Exit status 0 when the user leaves,
 * 1 when MODULE cannot be imported, 2 for a bad command line. */
int pn_embed_main(int argc, char **argv);

#endif /* PYNOTES_REF_IMPORT_EMBED_H_ */
