#define _POSIX_C_SOURCE 200809L

#include "ref/import/ipython_shell.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ref/import/ipython_eval.h"
#include "ref/import/ipython_names.h"
#include "ref/py/parse.h"

#define OUTSIDE "outside the IPython subset of pyref"
#define EXIT_QUESTION "Do you really want to exit ([y]/n)? "
/* IPython's alias `ls` (TerminalInteractiveShell drops the --color of its
 * default), as Alias.__call__ words it with no arguments. */
#define LS_COMMAND "ls -F "

#ifdef __clang__
#define PN_COMPILER "[Clang " __clang_version__ "]"
#else
#define PN_COMPILER "[GCC " __VERSION__ "]"
#endif

typedef enum reading { READ_CELL, READ_MORE, CONFIRM_EXIT, ENDED } reading;

struct pn_ipython {
  pn_ipython_system system;
  void *context;
  pn_ipy_namespace *ns;
  int count; /* IPython's execution_count: the N of the next In [N] */
  reading state;
  pn_strbuf cell; /* the cell's lines so far, joined by \n */
  int cell_lines;
};

pn_ipython *pn_ipython_new(pn_ipython_system system, void *context) {
  pn_ipython *s = calloc(1, sizeof *s);
  if (s == NULL) {
    return NULL;
  }
  s->ns = pn_ipy_namespace_new();
  if (s->ns == NULL) {
    free(s);
    return NULL;
  }
  s->system = system;
  s->context = context;
  s->count = 1;
  return s;
}

void pn_ipython_free(pn_ipython *s) {
  if (s != NULL) {
    pn_ipy_namespace_free(s->ns);
    pn_strbuf_free(&s->cell);
    free(s);
  }
}

/* IPython's separate_in and prompt: a blank line, then `In [N]: `. */
static int prompt(pn_ipython *s, pn_strbuf *out) {
  return pn_strbuf_printf(out, "\nIn [%d]: ", s->count);
}

int pn_ipython_start(pn_ipython *s, pn_strbuf *out) {
  if (pn_strbuf_printf(out,
                       "Python 3.11 (pyref) %s\n"
                       "Type 'copyright', 'credits' or 'license' for more information\n"
                       "IPython 8.5.0 -- An enhanced Interactive Python. Type '?' for help.\n",
                       PN_COMPILER) != 0) {
    return -1;
  }
  return prompt(s, out);
}

/* ---- when a cell is complete (IPython's check_complete, for what it reads) ---- */

/* Whether IPython reads another line into the cell: brackets still open
 * (and on one line, never more closed than opened), a backslash or a string
 * left open, a line ending with ':' (a block, which goes on while its lines
 * are indented). Strings and comments are skipped so that their brackets do
 * not count; the cells it keeps reading are refused. */
static int incomplete(const char *cell, size_t len, int lines) {
  int level = 0, sunken = 0, block = 0;
  char last = 0; /* the last character outside strings, comments and blanks */
  const char *line_start = cell;
  for (size_t i = 0; i < len; i++) {
    char c = cell[i];
    if (c == '#') {
      while (i + 1 < len && cell[i + 1] != '\n') {
        i++;
      }
    } else if (c == '\'' || c == '"') {
      int triple = i + 2 < len && cell[i + 1] == c && cell[i + 2] == c;
      size_t j = i + (triple ? 3 : 1);
      int closed = 0;
      for (; j < len; j++) {
        if (cell[j] == '\\') {
          j++;
          if (j >= len) {
            return 1; /* a string continued on the next line */
          }
        } else if (cell[j] == '\n' && !triple) {
          break;
        } else if (cell[j] == c &&
                   (!triple || (j + 2 < len && cell[j + 1] == c && cell[j + 2] == c))) {
          j += triple ? 2 : 0;
          closed = 1;
          break;
        }
      }
      if (!closed && triple) {
        return 1;
      }
      i = j < len && cell[j] == '\n' ? j - 1 : j;
      last = c;
    } else if (c == '\n') {
      block |= last == ':';
      line_start = cell + i + 1;
    } else if (c == '(' || c == '[' || c == '{') {
      level++;
      last = c;
    } else if (c == ')' || c == ']' || c == '}') {
      level--;
      sunken |= level < 0;
      last = c;
    } else if (c != ' ' && c != '\t' && c != '\f') {
      last = c;
    }
  }
  if (len > 0 && cell[len - 1] == '\\') {
    return 1;
  }
  if (level > 0 && (lines > 1 || !sunken)) {
    return 1;
  }
  if (last == ':' && level <= 0) {
    return 1;
  }
  int indented = line_start < cell + len && (*line_start == ' ' || *line_start == '\t');
  return block && lines > 1 && indented;
}

/* ---- what a cell prints ---- */

/* IPython's traceback of an exception raised by a one-line cell. */
static int error_block(pn_strbuf *out, int count, const char *line, size_t len, const char *type,
                       const char *message) {
  if (pn_strbuf_printf(out, "%.75s\n%-42sTraceback (most recent call last)\nCell In [%d], line 1\n",
                       "---------------------------------------------------------------------------"
                       "---------",
                       type, count) != 0) {
    return -1;
  }
  /* The cell's other lines, for a refused multi-line cell. */
  int number = 1;
  size_t start = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i == len || line[i] == '\n') {
      if (pn_strbuf_printf(out, "%s %d %.*s\n", number == 1 ? "---->" : "     ", number,
                           (int)(i - start), line + start) != 0) {
        return -1;
      }
      number++;
      start = i + 1;
    }
  }
  return message[0] != '\0' ? pn_strbuf_printf(out, "\n%s: %s\n", type, message)
                            : pn_strbuf_printf(out, "\n%s\n", type);
}

static int refuse(pn_strbuf *out, int count, const char *line, size_t len, const char *message) {
  return error_block(out, count, line, len, "NotImplementedError", message);
}

/* IPython's SyntaxError block: the line stripped, a caret under column
 * offset (the line's blanks kept, everything else a space), the message. */
static int syntax_error_block(pn_strbuf *out, int count, const char *line, size_t len, int offset,
                              const char *message) {
  size_t from = 0, to = len;
  while (from < to && isspace((unsigned char)line[from])) {
    from++;
  }
  while (to > from && isspace((unsigned char)line[to - 1])) {
    to--;
  }
  if (pn_strbuf_printf(out, "  Cell In [%d], line 1\n    %.*s\n    ", count, (int)(to - from),
                       line + from) != 0) {
    return -1;
  }
  for (size_t i = from; (long)i < (long)offset - 1 && i < len; i++) {
    if (pn_strbuf_append(out, isspace((unsigned char)line[i]) ? &line[i] : " ", 1) != 0) {
      return -1;
    }
  }
  return pn_strbuf_printf(out, "^\nSyntaxError: %s\n\n", message);
}

/* Runs a parsed cell of `lines` lines: its output, value or error. An
 * error in a cell of several lines is refused: IPython's block then points
 * at the line that raised it, which is not modelled. */
static int run_python(pn_ipython *s, const char *line, size_t len, int lines, pn_strbuf *out) {
  py_stmt stmt;
  memset(&stmt, 0, sizeof stmt);
  py_error error = PY_ERROR_INIT;
  int rc = 0;
  if (py_parse_statement(&stmt, line, len, "IPython", &error) != 0) {
    if (strcmp(error.type, "NotImplementedError") == 0) {
      rc = refuse(out, s->count, line, len, error.message); /* ref/py's refusal */
    } else if (lines > 1) {
      rc = refuse(out, s->count, line, len, "errors in cells of more than one line are " OUTSIDE);
    } else if (strcmp(error.type, "SyntaxError") == 0 && stmt.error_offset > 0) {
      rc = syntax_error_block(out, s->count, line, len, stmt.error_offset, error.message);
    } else {
      rc = refuse(out, s->count, line, len, "this compile error is " OUTSIDE);
    }
    py_expr_free(&stmt.expr);
    return rc;
  }
  pn_strbuf printed = PN_STRBUF_INIT, shown = PN_STRBUF_INIT;
  int has_value = 0;
  if (pn_ipy_run(s->ns, &stmt, s->count, &printed, &shown, &has_value, &error) != 0) {
    rc =
        strcmp(error.type, "MemoryError") == 0 ? -1
        : lines > 1 && strcmp(error.type, "NotImplementedError") != 0
            ? refuse(out, s->count, line, len, "errors in cells of more than one line are " OUTSIDE)
            : error_block(out, s->count, line, len, error.type, error.message);
  } else if (has_value) {
    rc = pn_strbuf_printf(out, "Out[%d]: %.*s\n", s->count, (int)shown.len,
                          shown.data ? shown.data : "");
  } else if (printed.len > 0) {
    rc = pn_strbuf_append(out, printed.data, printed.len);
  }
  pn_strbuf_free(&printed);
  pn_strbuf_free(&shown);
  py_expr_free(&stmt.expr);
  return rc;
}

/* IPython's split_user_input: the first word (ifun: letters, digits, '_',
 * '.', '*', after up to two '%') and what follows it, blanks stripped. */
static void split_first_word(const char *line, size_t len, size_t *word_len, const char **rest,
                             size_t *rest_len) {
  size_t i = 0;
  while (i < len &&
         (isalnum((unsigned char)line[i]) || line[i] == '_' || line[i] == '.' || line[i] == '*')) {
    i++;
  }
  *word_len = i;
  while (i < len && isspace((unsigned char)line[i])) {
    i++;
  }
  *rest = line + i;
  *rest_len = len - i;
}

static int is_blank(const char *text, size_t len) {
  for (size_t i = 0; i < len; i++) {
    if (!isspace((unsigned char)text[i])) {
      return 0;
    }
  }
  return 1;
}

static int word_is(const char *word, size_t len, const char *name) {
  return len == strlen(name) && memcmp(word, name, len) == 0;
}

/* Runs `ls` as IPython's alias does, binding _exit_code. */
static int run_ls(pn_ipython *s, pn_strbuf *out) {
  int status = s->system(s->context, LS_COMMAND, out);
  return pn_ipy_bind_int(s->ns, "_exit_code", 10, status);
}

/* What IPython's transformers and prefilter make of a cell of `lines`
 * lines, then the cell itself. Returns 1 when the cell leaves the shell. */
static int run_line(pn_ipython *s, const char *line, size_t len, int lines, pn_strbuf *out) {
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)line[i];
    if ((c < 0x20 && c != '\t' && !(c == '\n' && lines > 1)) || c >= 0x7f) {
      return refuse(out, s->count, line, len, "control and non-ASCII characters are " OUTSIDE);
    }
  }
  /* Escapes (! % ? / , ;), help (?), prompts pasted with the line (>>> ...
   * In [N]:), and `x = %magic` or `x = !cmd` are IPython's, not Python. */
  if (strchr(",;/%!?", line[0]) != NULL || memchr(line, '?', len) != NULL ||
      memchr(line, '!', len) != NULL || (len >= 3 && memcmp(line, ">>>", 3) == 0) ||
      (len >= 3 && memcmp(line, "...", 3) == 0) || (len >= 4 && memcmp(line, "In [", 4) == 0)) {
    return refuse(out, s->count, line, len, "IPython's escapes, help and prompts are " OUTSIDE);
  }
  size_t word_len;
  const char *rest;
  size_t rest_len;
  split_first_word(line, len, &word_len, &rest, &rest_len);
  /* The prefilter's autocall of exit and quit and its magics act on a
   * cell's first line alone; those of several lines are not modelled. */
  if (lines > 1 &&
      (word_is(line, word_len, "exit") || word_is(line, word_len, "quit") ||
       pn_ipython_name_in(pn_ipython_line_magics, pn_ipython_line_magics_count, line, word_len))) {
    return refuse(out, s->count, line, len,
                  "exit, quit and magics in cells of more than one line are " OUTSIDE);
  }
  if (word_len > 0 && rest_len > 0 && rest[0] == '=') {
    const char *value = rest + 1;
    while (value < rest + rest_len && isspace((unsigned char)*value)) {
      value++;
    }
    if (value < rest + rest_len && *value == '%') {
      return refuse(out, s->count, line, len, "magics' values are " OUTSIDE);
    }
  }
  /* exit and quit are IPython's autocalled objects: the line `exit` is
   * exit() (before any check of assignment). */
  if (word_is(line, word_len, "exit") || word_is(line, word_len, "quit")) {
    if (is_blank(rest, rest_len) || (rest_len == 2 && memcmp(rest, "()", 2) == 0)) {
      return 1;
    }
    return refuse(out, s->count, line, len, "calling exit or quit so is " OUTSIDE);
  }
  /* A magic's name first, unless an assignment or a name bound shadows it. */
  if (!(rest_len > 0 && (rest[0] == '=' || rest[0] == ',')) &&
      pn_ipython_name_in(pn_ipython_line_magics, pn_ipython_line_magics_count, line, word_len)) {
    const char *dot = memchr(line, '.', word_len);
    size_t head = dot != NULL ? (size_t)(dot - line) : word_len;
    if (!pn_ipy_is_shadowed(s->ns, line, head)) {
      if (word_is(line, word_len, "ls") && rest_len == 0) {
        return run_ls(s, out) != 0 ? -1 : 0;
      }
      return refuse(out, s->count, line, len, "magics other than a bare ls are " OUTSIDE);
    }
  }
  return run_python(s, line, len, lines, out);
}

/* Runs the cell read: IPython's run_cell. Returns 1 when it leaves. */
static int run_cell(pn_ipython *s, pn_strbuf *out) {
  const char *cell = s->cell.data ? s->cell.data : "";
  size_t len = s->cell.len;
  if (is_blank(cell, len)) {
    return 0; /* nothing runs, and the count stays */
  }
  /* IPython's leading_indent: the first line's indent comes off. */
  while (len > 0 && (*cell == ' ' || *cell == '\t')) {
    cell++;
    len--;
  }
  int rc = run_line(s, cell, len, s->cell_lines, out);
  s->count++;
  return rc;
}

/* The end of the session: IPython's embed prints its exit message, ''. */
static int leave(pn_ipython *s, pn_strbuf *out) {
  s->state = ENDED;
  return pn_strbuf_puts(out, "\n") != 0 ? -1 : PN_IPYTHON_ENDED;
}

int pn_ipython_line(pn_ipython *s, const char *line, size_t len, pn_strbuf *out) {
  if (s->state == ENDED) {
    return PN_IPYTHON_ENDED;
  }
  if (s->state == CONFIRM_EXIT) {
    /* ask_yes_no: y, yes or nothing leave; n or no go on; else ask again. */
    char answer[8] = "";
    if (len < sizeof answer) {
      for (size_t i = 0; i < len; i++) {
        answer[i] = (char)tolower((unsigned char)line[i]);
      }
      answer[len] = '\0';
    }
    if (len == 0 || strcmp(answer, "y") == 0 || strcmp(answer, "yes") == 0) {
      return leave(s, out);
    }
    if (strcmp(answer, "n") == 0 || strcmp(answer, "no") == 0) {
      s->state = READ_CELL;
      return prompt(s, out) != 0 ? -1 : PN_IPYTHON_READING;
    }
    return pn_strbuf_puts(out, EXIT_QUESTION) != 0 ? -1 : PN_IPYTHON_READING;
  }
  if (s->state == READ_MORE && pn_strbuf_puts(&s->cell, "\n") != 0) {
    return -1;
  }
  if (s->state == READ_CELL) {
    pn_strbuf_clear(&s->cell);
    s->cell_lines = 0;
  }
  if (pn_strbuf_append(&s->cell, line, len) != 0) {
    return -1;
  }
  s->cell_lines++;
  if (incomplete(s->cell.data ? s->cell.data : "", s->cell.len, s->cell_lines)) {
    s->state = READ_MORE;
    int width = snprintf(NULL, 0, "In [%d]: ", s->count);
    return pn_strbuf_printf(out, "%*s...: ", width - 5, "") != 0 ? -1 : PN_IPYTHON_READING;
  }
  s->state = READ_CELL;
  int rc = run_cell(s, out);
  if (rc < 0) {
    return -1;
  }
  if (rc == 1) {
    return leave(s, out);
  }
  return prompt(s, out) != 0 ? -1 : PN_IPYTHON_READING;
}

int pn_ipython_end_of_input(pn_ipython *s, pn_strbuf *out) {
  if (s->state == ENDED) {
    return PN_IPYTHON_ENDED;
  }
  /* The cell read so far is dropped; the question's input() meets the end
   * of input too, and ask_yes_no takes its default (y) after a newline. */
  if (s->state != CONFIRM_EXIT && pn_strbuf_puts(out, EXIT_QUESTION) != 0) {
    return -1;
  }
  if (pn_strbuf_puts(out, "\n") != 0) {
    return -1;
  }
  return leave(s, out);
}

/* ---- the program ---- */

static void write_out(pn_strbuf *out) {
  if (out->len > 0) {
    fwrite(out->data, 1, out->len, stdout);
  }
  fflush(stdout);
  pn_strbuf_clear(out);
}

/* subprocess.call(command, shell=True, executable=$SHELL), as system_raw. */
static int run_system(void *context, const char *command, pn_strbuf *pending) {
  (void)context;
  write_out(pending);
  const char *shell = getenv("SHELL");
  if (shell == NULL || shell[0] == '\0') {
    shell = "/bin/sh";
  }
  pid_t child = fork();
  if (child < 0) {
    return 127;
  }
  if (child == 0) {
    execl(shell, "/bin/sh", "-c", command, (char *)NULL);
    _exit(127);
  }
  int status;
  while (waitpid(child, &status, 0) < 0) {
  }
  if (WIFSIGNALED(status)) {
    return -WTERMSIG(status);
  }
  int code = WEXITSTATUS(status);
  return code > 128 ? -(code - 128) : code;
}

int pn_ipython_main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--python=3.11") != 0) {
      fprintf(stderr,
              "pyref embed: %s: the IPython session is IPython 8.5's on CPython 3.11 only "
              "(usage: pyref embed [--python=3.11] | pyref embed MODULE)\n",
              argv[i]);
      return 2;
    }
  }
  pn_ipython *s = pn_ipython_new(run_system, NULL);
  pn_strbuf out = PN_STRBUF_INIT;
  if (s == NULL || pn_ipython_start(s, &out) != 0) {
    fputs("pyref embed: out of memory\n", stderr);
    pn_ipython_free(s);
    return 1;
  }
  write_out(&out);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int state = PN_IPYTHON_READING;
  while (state == PN_IPYTHON_READING && (n = getline(&line, &cap, stdin)) >= 0) {
    size_t len = (size_t)n;
    if (len > 0 && line[len - 1] == '\n') {
      len--;
    }
    state = pn_ipython_line(s, line, len, &out);
    write_out(&out);
  }
  if (state == PN_IPYTHON_READING) {
    state = pn_ipython_end_of_input(s, &out);
    write_out(&out);
  }
  free(line);
  pn_strbuf_free(&out);
  pn_ipython_free(s);
  if (state < 0) {
    fputs("pyref embed: out of memory\n", stderr);
    return 1;
  }
  return 0;
}
