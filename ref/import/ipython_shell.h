/*
 * `pyref embed` without a module: the note's `__import__('IPython').embed()`
 * as IPython 8.5 on CPython 3.11 runs it with stdin piped (not a terminal:
 * IPython's simple prompt). It prints IPython's banner (pyref's own Python
 * version and compiler in the first line), `In [N]: ` prompts each after a
 * blank line, `   ...: ` continuation prompts while brackets are open, and
 * for each cell what IPython prints: `Out[N]: repr` for an expression,
 * print's output, nothing for an assignment, IPython's traceback block for
 * an exception and its SyntaxError block (the line and a caret). `ls` runs
 * IPython's alias, `ls -F`, through $SHELL; exit, quit, exit() and quit()
 * leave, and so does end of input after IPython's `Do you really want to
 * exit ([y]/n)? `. A blank line runs nothing and keeps the count.
 *
 * What the cells may hold is ipython_eval.h's subset, on one line or on
 * several inside brackets (`(1 +` then `2)`). Anything else (str operators,
 * magics and escapes, other statements, blocks and backslash continuations,
 * errors in a cell of several lines, a SyntaxError whose place ref/py does
 * not know) is refused in IPython's
 * error block as `NotImplementedError: ... outside the IPython subset of
 * pyref`, after reading the cell as IPython would, so the count and the
 * prompts stay in step with IPython's.
 */
#ifndef PYNOTES_REF_IMPORT_IPYTHON_SHELL_H_
#define PYNOTES_REF_IMPORT_IPYTHON_SHELL_H_

#include <stddef.h>

#include "ref/protocol/strbuf.h"

typedef struct pn_ipython pn_ipython;

/* Runs a shell command line for a cell (the `ls` alias) as IPython's
 * system_raw does, after writing out what *pending holds (and clearing it),
 * so the command's output follows it. Returns the status IPython stores in
 * _exit_code: the exit code, or minus the signal that ended the command. */
typedef int (*pn_ipython_system)(void *context, const char *command, pn_strbuf *pending);

/* What the session says of a line or of the end of input. */
typedef enum pn_ipython_state {
  PN_IPYTHON_READING, /* it waits for the next line */
  PN_IPYTHON_ENDED,   /* it has left (exit, quit, end of input) */
} pn_ipython_state;

/* A new session, or NULL. system runs `ls` (context is its first argument). */
pn_ipython *pn_ipython_new(pn_ipython_system system, void *context);
void pn_ipython_free(pn_ipython *session);

/* Appends the banner and the first prompt to *out. Returns 0 or -1 (memory). */
int pn_ipython_start(pn_ipython *session, pn_strbuf *out);

/* Feeds one input line (len bytes, without its newline), appending what
 * IPython prints after reading it, up to and with the next prompt. Returns
 * the state, or -1 when memory runs out. */
int pn_ipython_line(pn_ipython *session, const char *line, size_t len, pn_strbuf *out);

/* The end of input: appends what IPython prints then (the exit question,
 * its newline, the exit message). Returns PN_IPYTHON_ENDED, or -1. */
int pn_ipython_end_of_input(pn_ipython *session, pn_strbuf *out);

/* The program: argv = {"embed"} or {"embed", "--python=3.11"}. Reads stdin
 * to its end (or to exit) and exits 0; 2 with one line on stderr for another
 * version or option. */
int pn_ipython_main(int argc, char **argv);

#endif /* PYNOTES_REF_IMPORT_IPYTHON_SHELL_H_ */
