/*
 * One adapter-protocol command as the C reference implements it
 * (conformance/PROTOCOL.md). A command is a session: `open` makes its state
 * for one --python version, `answer` turns one input line into one output
 * line, `close` frees the state. The pyref CLI drives sessions over
 * stdin/stdout; the conformance suite drives the same sessions in-process.
 */
#ifndef PYNOTES_REF_PROTOCOL_COMMAND_H_
#define PYNOTES_REF_PROTOCOL_COMMAND_H_

#include <stddef.h>

#include "ref/protocol/pyversion.h"
#include "ref/protocol/strbuf.h"
#include "ref/protocol/target.h"

typedef enum pn_input_kind {
  PN_INPUT_LINES, /* one answer per stdin line */
  PN_INPUT_NONE,  /* reads nothing, answers once (`float_info`) */
  PN_PROGRAM,     /* a whole program with its own options (`serve`, `orm-note`): `run` */
} pn_input_kind;

typedef struct pn_command {
  const char *name;
  pn_input_kind input;
  /* Returns the session state, or NULL when memory or a library fails. */
  void *(*open)(const struct pn_command *command, pn_target target);
  /* Appends the answer to `line` (len bytes, no newline; NULL for
   * PN_INPUT_NONE) to out, without a newline. A Python exception is an answer
   * (pn_answer_exception), not a failure. Returns 0, or -1 when the answer
   * could not be produced at all (out of memory). */
  int (*answer)(void *state, const char *line, size_t len, pn_strbuf *out);
  void (*close)(void *state);
  /* PN_PROGRAM only (open, answer and close are NULL): runs the program with
   * argv[0] the command's name and argv[1..argc) its options, using stdin,
   * stdout and stderr as it likes. Returns the exit status: 2 for a usage
   * error, with one line on stderr. */
  int (*run)(int argc, char **argv);
  /* The CPython versions whose behaviour the command reproduces; any other
   * --python is not served (pyref's exit 2, before reading anything). A
   * version belongs here only when every golden of it is answered or, case
   * by case, refused (NotImplementedError): never a 3.11 answer given for
   * another version. */
  pn_pyversion_range serves;
} pn_command;

/* Appends CPython's last traceback line, `TypeName: message`, with the
 * message's newlines written as \n and backslashes as \\ so that it stays on
 * one line. Returns 0 or -1 (out of memory). */
int pn_answer_exception(pn_strbuf *out, const char *type_name, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* PYNOTES_REF_PROTOCOL_COMMAND_H_ */
