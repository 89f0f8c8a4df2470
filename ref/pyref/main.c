/*
 * pyref: the C reference behind the adapter protocol (conformance/PROTOCOL.md).
 *
 *   pyref COMMAND [--python=X.Y] [--pointer-size=4|8] < cases > answers
 *   pyref PROGRAM [OPTIONS...] [--python=X.Y]   (serve, orm-note, ...)
 *
 * One answer line per input line, flushed after each, so a driver can ask one
 * case at a time. Exit status 0 when stdin ends; 2 for a usage error.
 *
 * A program parses its own options, except --python. Each command serves
 * the CPython versions it reproduces (pn_command.serves: the programs and the
 * notes of libraries that Debian has on 3.11 only, 3.11; floats, hashes,
 * sizeof and import every version 3.6 to 3.13); any other is exit 2, "not
 * served", before anything is read.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/protocol/command.h"
#include "ref/pyref/commands.h"

static void list_command(const pn_command *command, void *context) {
  FILE *to = context;
  fprintf(to, " %s", command->name);
}

static int usage_error(const char *message, const char *detail) {
  fprintf(stderr,
          "pyref: %s%s (usage: pyref COMMAND [--python=X.Y] [--pointer-size=4|8]; commands:",
          message, detail);
  pn_command_each(list_command, stderr);
  fprintf(stderr, ")\n");
  return 2;
}

/* Writes one answer line. A failed answer (out of memory) is CPython's
 * MemoryError, so the line count still matches the input. */
static void write_answer(int rc, const pn_strbuf *answer) {
  if (rc != 0) {
    fputs("MemoryError", stdout);
  } else if (answer->len > 0) {
    fwrite(answer->data, 1, answer->len, stdout);
  }
  fputc('\n', stdout);
  fflush(stdout);
}

static int run_session(const pn_command *command, pn_target target) {
  void *state = command->open(command, target);
  if (state == NULL) {
    fprintf(stderr, "pyref: cannot start %s\n", command->name);
    return 1;
  }
  pn_strbuf answer = PN_STRBUF_INIT;
  if (command->input == PN_INPUT_NONE) {
    write_answer(command->answer(state, NULL, 0, &answer), &answer);
  } else {
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t n;
    while ((n = getline(&line, &line_cap, stdin)) >= 0) {
      size_t len = (size_t)n;
      if (len > 0 && line[len - 1] == '\n') {
        len--;
      }
      pn_strbuf_clear(&answer);
      write_answer(command->answer(state, line, len, &answer), &answer);
    }
    free(line);
  }
  pn_strbuf_free(&answer);
  command->close(state);
  return 0;
}

/* Refuses a version the command does not serve: exit status 2 with one
 * line on stderr, as the protocol asks. Returns 0 when it is served. */
static int refuse_unserved(const pn_command *command, pn_pyversion python) {
  if (pn_pyversion_in(python, command->serves)) {
    return 0;
  }
  pn_pyversion oldest = command->serves.oldest, newest = command->serves.newest;
  fprintf(stderr, "pyref %s: Python %d.%d not served: it reproduces CPython %d.%d", command->name,
          python.major, python.minor, oldest.major, oldest.minor);
  if (pn_pyversion_cmp(oldest, newest.major, newest.minor) != 0) {
    fprintf(stderr, " to %d.%d", newest.major, newest.minor);
  }
  fprintf(stderr, " only\n");
  return 2;
}

/* Runs a PN_PROGRAM command with its --python options checked and removed
 * (argv is reordered in place). */
static int run_program(const pn_command *command, int argc, char **argv) {
  int kept = 2;
  pn_pyversion python = PN_PYVERSION_DEFAULT;
  for (int i = 2; i < argc; i++) {
    if (strncmp(argv[i], "--python=", 9) != 0) {
      argv[kept++] = argv[i];
    } else if (pn_pyversion_parse(argv[i] + 9, &python) != 0) {
      return usage_error("unsupported Python version (3.6 to 3.14): ", argv[i] + 9);
    }
  }
  if (refuse_unserved(command, python) != 0) {
    return 2;
  }
  argv[kept] = NULL;
  return command->run(kept - 1, argv + 1);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    return usage_error("no command", "");
  }
  const pn_command *command = pn_command_find(argv[1]);
  if (command == NULL) {
    return usage_error("unknown command ", argv[1]);
  }
  if (command->input == PN_PROGRAM) {
    return run_program(command, argc, argv);
  }
  pn_target target = {PN_PYVERSION_DEFAULT, PN_POINTER_SIZE_DEFAULT};
  for (int i = 2; i < argc; i++) {
    if (strncmp(argv[i], "--python=", 9) == 0) {
      if (pn_pyversion_parse(argv[i] + 9, &target.python) != 0) {
        return usage_error("unsupported Python version (3.6 to 3.14): ", argv[i] + 9);
      }
    } else if (strncmp(argv[i], "--pointer-size=", 15) == 0) {
      /* Only getsizeof's sizes depend on it: it refuses, case by case, a
       * pointer size it does not model for the version. */
      if (pn_pointer_size_parse(argv[i] + 15, &target.pointer_size) != 0) {
        return usage_error("unsupported pointer size (4 or 8 bytes): ", argv[i] + 15);
      }
    } else {
      return usage_error("unknown option ", argv[i]);
    }
  }
  if (refuse_unserved(command, target.python) != 0) {
    return 2;
  }
  return run_session(command, target);
}
