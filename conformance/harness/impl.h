/*
 * How the suite reaches the implementation under test: one harness, two
 * transports.
 *
 * - In-process (the default): the C reference's commands (ref/pyref) are
 *   called directly.
 * - External: any command speaking the adapter protocol
 *   (conformance/PROTOCOL.md), given as a shell command line in the
 *   environment variable PYNOTES_IMPL (bazel test --test_env=PYNOTES_IMPL=...).
 *   It is started as
 *   `IMPL COMMAND --python=X.Y`, kept running while cases go to the same
 *   command and version, and restarted after a crash or a hang.
 *
 * Each answer has a time limit: the larger of PYNOTES_CASE_TIMEOUT seconds
 * (default 20) and the case's own, times PYNOTES_TIMEOUT_FACTOR (default 1;
 * a slow implementation or a busy machine raises it). A crash, a hang or a
 * protocol violation is reported for that case only.
 */
#ifndef PYNOTES_CONFORMANCE_HARNESS_IMPL_H_
#define PYNOTES_CONFORMANCE_HARNESS_IMPL_H_

#include <stddef.h>
#include <sys/types.h>

#include "ref/protocol/strbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pn_ask_status {
  PN_ASK_OK,          /* *answer holds the answer line, without its newline */
  PN_ASK_UNSUPPORTED, /* the implementation refused the command or version (exit status 2) */
  PN_ASK_FAILED,      /* crash, hang, missing command, ...: *problem says what */
} pn_ask_status;

/* Chooses the transport: external_command NULL or "" means in-process. The
 * command string is kept (not copied). timeout_seconds (<= 0: 20) is the
 * default limit on each answer of an external implementation, and every limit
 * is multiplied by timeout_factor (<= 0: 1). Call before any pn_impl_ask. */
void pn_impl_configure(const char *external_command, double timeout_seconds, double timeout_factor);

/* Describes the transport for messages: "the C reference (in-process)" or
 * the external command. */
const char *pn_impl_describe(void);

/*
 * Asks `command` under --python=`python` for the answer to one input line
 * (len bytes, no newline). input NULL means a command that reads nothing
 * (float_info): its one line of output is the answer. case_timeout is the
 * case's own limit in seconds (0: none; the default applies when larger).
 * Appends the answer to *answer, or a description of what went wrong to
 * *problem. After PN_ASK_FAILED the session is gone: the next ask of the
 * same command and version starts a new process.
 */
pn_ask_status pn_impl_ask(const char *command, const char *python, const char *input, size_t len,
                          double case_timeout, pn_strbuf *answer, pn_strbuf *problem);

/* Which process answers `command` under `python` now: a number that differs
 * for every session the harness has started (in-process or external), or 0
 * when there is none. A caller whose cases build on each other's state (a
 * session file) compares it with the number it saw last to learn that the
 * state it built is gone. */
unsigned long pn_impl_session_generation(const char *command, const char *python);

/* The shell command line that starts the implementation's processes:
 * PYNOTES_IMPL, or `ref/pyref` (the test must have //ref:pyref in its data).
 * For tests of program commands (serve, orm-note, ...), which always run the
 * implementation as a process. */
const char *pn_impl_command(void);

/*
 * Starts `IMPL ARGS...` (args is NULL-terminated) through /bin/sh in its own
 * process group (kill(-pid, ...) stops all it started), with stdin, stdout
 * and stderr on pipes whose parent ends are returned (blocking, close-on-
 * exec). Returns the pid, or -1 with the reason appended to *problem.
 */
pid_t pn_impl_spawn(char *const args[], int *to_child, int *from_child, int *err_child,
                    pn_strbuf *problem);

/* As pn_impl_spawn, with the process started in directory dir (NULL: this
 * one); the default command, ref/pyref, is named by its absolute path. */
pid_t pn_impl_spawn_in(const char *dir, char *const args[], int *to_child, int *from_child,
                       int *err_child, pn_strbuf *problem);

/* Closes every session: stdin is closed, each process gets a moment to exit
 * and is then killed. Safe to call more than once. */
void pn_impl_shutdown(void);

#ifdef __cplusplus
}
#endif

#endif /* PYNOTES_CONFORMANCE_HARNESS_IMPL_H_ */
