#include "ref/floats/floats_command.h"

#include <stdlib.h>
#include <string.h>

#include "ref/floats/builtin_sum.h"
#include "ref/floats/float_info.h"
#include "ref/floats/float_literal.h"
#include "ref/floats/float_repr.h"
#include "ref/floats/fsum.h"

/* float_info has no state; any non-NULL pointer marks an open session. */
static void *open_stateless(const pn_command *command, pn_target target) {
  (void)target;
  return (void *)command;
}

static void close_stateless(void *state) {
  (void)state;
}

static int answer_float_info(void *state, const char *line, size_t len, pn_strbuf *out) {
  (void)state;
  (void)line;
  (void)len;
  /* Unchanged from 3.6 to 3.13: the fields come from the C double. */
  pn_float_info info = pn_float_info_get();
  return pn_float_info_repr(&info, out);
}

static int put_float(pn_strbuf *out, double x) {
  char text[PN_FLOAT_REPR_MAX];
  int n = pn_float_repr(x, text);
  return pn_strbuf_append(out, text, (size_t)n);
}

/* A repr session holds only its version, whose float() error wording it
 * follows. */
static void *open_repr(const pn_command *command, pn_target target) {
  (void)command;
  pn_pyversion *state = malloc(sizeof *state);
  if (state != NULL) {
    *state = target.python;
  }
  return state;
}

/* repr(float(x)), the literal read as conformance/PROTOCOL.md says. */
static int answer_repr(void *state, const char *line, size_t len, pn_strbuf *out) {
  const pn_pyversion *python = state;
  double x;
  pn_literal_status status = pn_float_parse_literal(line, len, *python, &x);
  if (status == PN_LITERAL_OK) {
    return put_float(out, x);
  }
  return pn_float_literal_error(out, status, line, len, *python);
}

/* A sum or fsum session: the list's values, reused from line to line. */
typedef struct sum_session {
  const pn_command *command;
  pn_pyversion python;
  double *values;
  size_t capacity;
} sum_session;

static void *open_sum(const pn_command *command, pn_target target) {
  sum_session *s = calloc(1, sizeof *s);
  if (s != NULL) {
    s->command = command;
    s->python = target.python;
  }
  return s;
}

static void close_sum(void *state) {
  sum_session *s = state;
  free(s->values);
  free(s);
}

/*
 * The list of a sum/fsum line: empty for an empty line, else line.split(' '),
 * each piece read as a literal. Returns the count, or -1 after writing the
 * first bad piece's exception to out (or -2 when out of memory).
 */
static long read_list(sum_session *s, const char *line, size_t len, pn_strbuf *out) {
  size_t pieces = 1;
  for (size_t i = 0; i < len; i++) {
    pieces += line[i] == ' ';
  }
  if (len == 0) {
    return 0;
  }
  if (pieces > s->capacity) {
    double *grown = realloc(s->values, pieces * sizeof *grown);
    if (grown == NULL) {
      return -2;
    }
    s->values = grown;
    s->capacity = pieces;
  }
  size_t count = 0, start = 0;
  while (start <= len) {
    const char *space = memchr(line + start, ' ', len - start);
    size_t end = space != NULL ? (size_t)(space - line) : len;
    pn_literal_status status =
        pn_float_parse_literal(line + start, end - start, s->python, &s->values[count]);
    if (status != PN_LITERAL_OK) {
      return pn_float_literal_error(out, status, line + start, end - start, s->python) == 0 ? -1
                                                                                            : -2;
    }
    count++;
    start = end + 1;
  }
  return (long)count;
}

static int answer_sum(void *state, const char *line, size_t len, pn_strbuf *out) {
  sum_session *s = state;
  long count = read_list(s, line, len, out);
  if (count < 0) {
    return count == -1 ? 0 : -1;
  }
  double total;
  if (!pn_builtin_sum(s->values, (size_t)count, s->python, &total)) {
    return pn_strbuf_puts(out, "0"); /* the int start of an empty sum */
  }
  return put_float(out, total);
}

static int answer_fsum(void *state, const char *line, size_t len, pn_strbuf *out) {
  sum_session *s = state;
  long count = read_list(s, line, len, out);
  if (count < 0) {
    return count == -1 ? 0 : -1;
  }
  double total;
  switch (pn_fsum(s->values, (size_t)count, &total)) {
    case PN_FSUM_OK:
      return put_float(out, total);
    case PN_FSUM_INF_MINUS_INF:
      return pn_answer_exception(out, "ValueError", "-inf + inf in fsum");
    case PN_FSUM_OVERFLOW:
      return pn_answer_exception(out, "OverflowError", "intermediate overflow in fsum");
    case PN_FSUM_NO_MEMORY:
      break;
  }
  return -1;
}

const pn_command pn_floats_commands[] = {
    {"float_info", PN_INPUT_NONE, open_stateless, answer_float_info, close_stateless, NULL,
     PN_PYVERSIONS(3, 6, 3, 13)},
    {"repr", PN_INPUT_LINES, open_repr, answer_repr, free, NULL, PN_PYVERSIONS(3, 6, 3, 13)},
    {"sum", PN_INPUT_LINES, open_sum, answer_sum, close_sum, NULL, PN_PYVERSIONS(3, 6, 3, 13)},
    {"fsum", PN_INPUT_LINES, open_sum, answer_fsum, close_sum, NULL, PN_PYVERSIONS(3, 6, 3, 13)},
};
const size_t pn_floats_command_count = sizeof pn_floats_commands / sizeof pn_floats_commands[0];
