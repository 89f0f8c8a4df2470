#define _POSIX_C_SOURCE 200809L /* strndup */
#include "ref/greenlets/scenario.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The classes a `raise` step may name (PROTOCOL.md). */
static const char *const kExceptions[] = {
    "Exception",  "ValueError",     "TypeError",   "RuntimeError",    "ZeroDivisionError",
    "IndexError", "AssertionError", "LookupError", "ArithmeticError", "GreenletExit",
};
static const char *const kKeywords[] = {
    "print",   "sleep", "raise", "return",  "spawn",  "join",
    "joinall", "kill",  "show",  "timeout", "nowait",
};

typedef enum { TOKEN_WORD, TOKEN_NUMBER, TOKEN_STRING, TOKEN_PUNCT, TOKEN_END } token_kind;

typedef struct token {
  token_kind kind;
  const char *start; /* in the line; for a string, its decoded text (owned) */
  size_t len;
  size_t column; /* 1-based byte column */
  double number;
} token;

typedef struct parser {
  token *tokens;
  size_t count, at;
  pn_strbuf *error;
  bool failed;
  bool out_of_memory;
  pn_scenario *scenario;
  size_t *spawn_columns; /* per spawn step in parse order: the task token's column */
  const char **spawn_names;
  size_t *spawn_lens;
  size_t spawn_count, spawn_cap;
} parser;

static void fail(parser *p, size_t column, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(parser *p, size_t column, const char *format, ...) {
  if (p->failed) {
    return;
  }
  p->failed = true;
  va_list args;
  va_start(args, format);
  if (pn_strbuf_vprintf(p->error, format, args) != 0) {
    p->out_of_memory = true;
  }
  va_end(args);
  if (column > 0 && pn_strbuf_printf(p->error, " at column %zu", column) != 0) {
    p->out_of_memory = true;
  }
}

static void *grow_array(parser *p, void *array, size_t *cap, size_t element) {
  size_t new_cap = *cap ? *cap * 2 : 8;
  void *grown = realloc(array, new_cap * element);
  if (grown == NULL) {
    p->failed = p->out_of_memory = true;
    return NULL;
  }
  *cap = new_cap;
  return grown;
}

static bool is_letter(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

static bool push_token(parser *p, size_t *cap, token t) {
  if (p->count == *cap) {
    token *grown = grow_array(p, p->tokens, cap, sizeof *grown);
    if (grown == NULL) {
      return false;
    }
    p->tokens = grown;
  }
  p->tokens[p->count++] = t;
  return true;
}

/* Reads the string starting at line[*i] == '"' into a new token. */
static bool read_string(parser *p, const char *line, size_t len, size_t *i, token *t) {
  size_t start = *i;
  char *text = malloc(len - start + 1);
  if (text == NULL) {
    p->failed = p->out_of_memory = true;
    return false;
  }
  size_t n = 0;
  size_t at = start + 1;
  for (;;) {
    if (at >= len) {
      fail(p, start + 1, "unterminated string");
      break;
    }
    unsigned char c = (unsigned char)line[at];
    if (c == '"') {
      at++;
      break;
    }
    if (c == '\\') {
      if (at + 1 < len && (line[at + 1] == '\\' || line[at + 1] == '"')) {
        text[n++] = line[at + 1];
        at += 2;
        continue;
      }
      fail(p, at + 1, "bad escape");
      break;
    }
    if (c < 0x20 || c == 0x7f) {
      fail(p, at + 1, "unexpected character");
      break;
    }
    text[n++] = (char)c;
    at++;
  }
  if (p->failed) {
    free(text);
    return false;
  }
  text[n] = '\0';
  *t = (token){TOKEN_STRING, text, n, start + 1, 0};
  *i = at;
  return true;
}

static bool tokenize(parser *p, const char *line, size_t len) {
  size_t cap = 0;
  size_t i = 0;
  while (i < len) {
    unsigned char c = (unsigned char)line[i];
    token t;
    if (c == ' ' || c == '\t') {
      i++;
      continue;
    }
    if (c == '{' || c == '}' || c == ';' || c == '=') {
      t = (token){TOKEN_PUNCT, line + i, 1, i + 1, 0};
      i++;
    } else if (is_letter(c)) {
      size_t start = i;
      while (i < len && (is_letter((unsigned char)line[i]) || is_digit((unsigned char)line[i]))) {
        i++;
      }
      t = (token){TOKEN_WORD, line + start, i - start, start + 1, 0};
    } else if (is_digit(c)) {
      size_t start = i;
      while (i < len && is_digit((unsigned char)line[i])) {
        i++;
      }
      if (i + 1 < len && line[i] == '.' && is_digit((unsigned char)line[i + 1])) {
        i++;
        while (i < len && is_digit((unsigned char)line[i])) {
          i++;
        }
      }
      char *text = strndup(line + start, i - start);
      if (text == NULL) {
        p->failed = p->out_of_memory = true;
        return false;
      }
      t = (token){TOKEN_NUMBER, line + start, i - start, start + 1, strtod(text, NULL)};
      free(text);
    } else if (c == '"') {
      if (!read_string(p, line, len, &i, &t)) {
        return false;
      }
    } else {
      fail(p, i + 1, "unexpected character");
      return false;
    }
    if (!push_token(p, &cap, t)) {
      if (t.kind == TOKEN_STRING) {
        free((char *)t.start);
      }
      return false;
    }
  }
  return push_token(p, &cap, (token){TOKEN_END, line + len, 0, len + 1, 0});
}

static bool word_is(const token *t, const char *word) {
  return t->kind == TOKEN_WORD && strlen(word) == t->len && memcmp(t->start, word, t->len) == 0;
}

static bool is_keyword(const token *t) {
  for (size_t i = 0; i < sizeof kKeywords / sizeof kKeywords[0]; i++) {
    if (word_is(t, kKeywords[i])) {
      return true;
    }
  }
  return false;
}

static const token *peek(const parser *p) {
  return &p->tokens[p->at];
}

static bool take_punct(parser *p, char c) {
  const token *t = peek(p);
  if (t->kind == TOKEN_PUNCT && t->start[0] == c) {
    p->at++;
    return true;
  }
  return false;
}

static bool take_keyword(parser *p, const char *word) {
  if (word_is(peek(p), word)) {
    p->at++;
    return true;
  }
  return false;
}

/* A word that is not a keyword (a task or variable name), or a failure
 * `expected WHAT`. */
static const token *take_name(parser *p, const char *what) {
  const token *t = peek(p);
  if (t->kind != TOKEN_WORD || is_keyword(t)) {
    fail(p, t->column, "expected %s", what);
    return NULL;
  }
  p->at++;
  return t;
}

static const token *take_kind(parser *p, token_kind kind, const char *what) {
  const token *t = peek(p);
  if (t->kind != kind) {
    fail(p, t->column, "expected %s", what);
    return NULL;
  }
  p->at++;
  return t;
}

/* The index of name in *names, added if new; SIZE_MAX when out of memory. */
static size_t intern(parser *p, const char ***names, size_t *count, size_t *cap, const token *t) {
  for (size_t i = 0; i < *count; i++) {
    if (strlen((*names)[i]) == t->len && memcmp((*names)[i], t->start, t->len) == 0) {
      return i;
    }
  }
  if (*count == *cap) {
    const char **grown = grow_array(p, (void *)*names, cap, sizeof *grown);
    if (grown == NULL) {
      return SIZE_MAX;
    }
    *names = grown;
  }
  char *copy = strndup(t->start, t->len);
  if (copy == NULL) {
    p->failed = p->out_of_memory = true;
    return SIZE_MAX;
  }
  (*names)[(*count)++] = copy;
  return *count - 1;
}

static long variable(parser *p, const token *t, size_t *cap) {
  size_t index = intern(p, &p->scenario->vars, &p->scenario->var_count, cap, t);
  return index == SIZE_MAX ? -1 : (long)index;
}

/* Steals a string token's decoded text for a step. */
static void take_text(pn_step *step, token *t) {
  step->text = t->start;
  step->text_len = t->len;
  t->start = NULL;
  t->len = 0;
}

static bool parse_timeout(parser *p, pn_step *step) {
  if (take_keyword(p, "timeout")) {
    const token *number = take_kind(p, TOKEN_NUMBER, "a number");
    if (number == NULL) {
      return false;
    }
    step->has_timeout = true;
    step->seconds = number->number;
  }
  return true;
}

static bool note_spawn(parser *p, const token *task) {
  if (p->spawn_count == p->spawn_cap) {
    size_t cap = p->spawn_cap;
    size_t *columns = grow_array(p, p->spawn_columns, &cap, sizeof *columns);
    if (columns == NULL) {
      return false;
    }
    p->spawn_columns = columns;
    cap = p->spawn_cap;
    const char **names = grow_array(p, (void *)p->spawn_names, &cap, sizeof *names);
    if (names == NULL) {
      return false;
    }
    p->spawn_names = names;
    cap = p->spawn_cap;
    size_t *lens = grow_array(p, p->spawn_lens, &cap, sizeof *lens);
    if (lens == NULL) {
      return false;
    }
    p->spawn_lens = lens;
    p->spawn_cap = cap;
  }
  p->spawn_columns[p->spawn_count] = task->column;
  p->spawn_names[p->spawn_count] = task->start;
  p->spawn_lens[p->spawn_count] = task->len;
  p->spawn_count++;
  return true;
}

static bool parse_step(parser *p, pn_step *step, size_t *vars_cap) {
  token *t = &p->tokens[p->at];
  memset(step, 0, sizeof *step);
  step->var = -1;
  if (word_is(t, "print") || word_is(t, "return")) {
    step->kind = word_is(t, "print") ? PN_STEP_PRINT : PN_STEP_RETURN;
    p->at++;
    if (take_kind(p, TOKEN_STRING, "a string") == NULL) {
      return false;
    }
    take_text(step, &p->tokens[p->at - 1]);
    return true;
  }
  if (word_is(t, "sleep")) {
    step->kind = PN_STEP_SLEEP;
    p->at++;
    const token *number = take_kind(p, TOKEN_NUMBER, "a number");
    if (number == NULL) {
      return false;
    }
    step->seconds = number->number;
    return true;
  }
  if (word_is(t, "raise")) {
    step->kind = PN_STEP_RAISE;
    p->at++;
    const token *name = peek(p);
    if (name->kind != TOKEN_WORD) {
      fail(p, name->column, "expected an exception name");
      return false;
    }
    for (size_t i = 0; i < sizeof kExceptions / sizeof kExceptions[0]; i++) {
      if (word_is(name, kExceptions[i])) {
        step->exception = kExceptions[i];
      }
    }
    if (step->exception == NULL) {
      fail(p, name->column, "unknown exception '%.*s'", (int)name->len, name->start);
      return false;
    }
    p->at++;
    if (peek(p)->kind == TOKEN_STRING) {
      take_text(step, &p->tokens[p->at]);
      p->at++;
    }
    return true;
  }
  if (word_is(t, "join") || word_is(t, "kill") || word_is(t, "show")) {
    step->kind = word_is(t, "join")   ? PN_STEP_JOIN
                 : word_is(t, "kill") ? PN_STEP_KILL
                                      : PN_STEP_SHOW;
    p->at++;
    const token *name = take_name(p, "a variable");
    if (name == NULL || (step->var = variable(p, name, vars_cap)) < 0) {
      return false;
    }
    if (step->kind == PN_STEP_JOIN) {
      return parse_timeout(p, step);
    }
    if (step->kind == PN_STEP_KILL) {
      step->block = !take_keyword(p, "nowait");
    }
    return true;
  }
  if (word_is(t, "joinall")) {
    step->kind = PN_STEP_JOINALL;
    p->at++;
    size_t cap = 0;
    while (peek(p)->kind == TOKEN_WORD && !is_keyword(peek(p))) {
      long var = variable(p, peek(p), vars_cap);
      if (var < 0) {
        return false;
      }
      if (step->var_count == cap) {
        size_t *grown = grow_array(p, step->vars, &cap, sizeof *grown);
        if (grown == NULL) {
          return false;
        }
        step->vars = grown;
      }
      step->vars[step->var_count++] = (size_t)var;
      p->at++;
    }
    return parse_timeout(p, step);
  }
  step->kind = PN_STEP_SPAWN;
  if (!word_is(t, "spawn")) {
    if (t->kind != TOKEN_WORD || is_keyword(t)) {
      fail(p, t->column, "expected a step");
      return false;
    }
    if ((step->var = variable(p, t, vars_cap)) < 0) {
      return false;
    }
    p->at++;
    if (!take_punct(p, '=')) {
      fail(p, peek(p)->column, "expected '='");
      return false;
    }
    if (!word_is(peek(p), "spawn")) {
      fail(p, peek(p)->column, "expected 'spawn'");
      return false;
    }
  }
  p->at++; /* spawn */
  const token *task = take_name(p, "a task name");
  if (task == NULL || !note_spawn(p, task)) {
    return false;
  }
  /* The task's index is resolved once every block is known. */
  step->task = p->spawn_count - 1;
  return true;
}

static bool parse_block(parser *p, pn_task *task, size_t *vars_cap) {
  size_t steps_cap = 0;
  if (!take_punct(p, '{')) {
    fail(p, peek(p)->column, "expected '{'");
    return false;
  }
  if (take_punct(p, '}')) {
    return true;
  }
  for (;;) {
    if (task->step_count == steps_cap) {
      pn_step *grown = grow_array(p, task->steps, &steps_cap, sizeof *grown);
      if (grown == NULL) {
        return false;
      }
      task->steps = grown;
    }
    pn_step *step = &task->steps[task->step_count++];
    if (!parse_step(p, step, vars_cap)) {
      return false;
    }
    if (take_punct(p, '}')) {
      return true;
    }
    if (!take_punct(p, ';')) {
      fail(p, peek(p)->column, "expected ';' or '}'");
      return false;
    }
  }
}

static bool same_name(const char *name, const char *start, size_t len) {
  return strlen(name) == len && memcmp(name, start, len) == 0;
}

/* Duplicate blocks and spawns of unknown tasks, in the order they appear;
 * then the spawn steps' task indices. */
static bool check_names(parser *p, const size_t *block_columns) {
  pn_scenario *s = p->scenario;
  for (size_t b = 0; b < s->task_count; b++) {
    for (size_t earlier = 0; earlier < b; earlier++) {
      if (strcmp(s->tasks[earlier].name, s->tasks[b].name) == 0) {
        fail(p, block_columns[b], "duplicate task '%s'", s->tasks[b].name);
        return false;
      }
    }
    for (size_t i = 0; i < s->tasks[b].step_count; i++) {
      pn_step *step = &s->tasks[b].steps[i];
      if (step->kind != PN_STEP_SPAWN) {
        continue;
      }
      size_t which = step->task;
      size_t found = SIZE_MAX;
      for (size_t t = 0; t < s->task_count && found == SIZE_MAX; t++) {
        if (same_name(s->tasks[t].name, p->spawn_names[which], p->spawn_lens[which])) {
          found = t;
        }
      }
      if (found == SIZE_MAX) {
        fail(p, p->spawn_columns[which], "unknown task '%.*s'", (int)p->spawn_lens[which],
             p->spawn_names[which]);
        return false;
      }
      step->task = found;
    }
  }
  for (size_t b = 0; b < s->task_count; b++) {
    if (strcmp(s->tasks[b].name, "main") == 0) {
      s->main_task = b;
      return true;
    }
  }
  fail(p, 0, "no main task");
  return false;
}

static bool parse_scenario(parser *p) {
  size_t tasks_cap = 0, vars_cap = 0, columns_cap = 0;
  size_t *block_columns = NULL;
  pn_scenario *s = p->scenario;
  bool ok = true;
  for (;;) {
    const token *name = take_name(p, "a task name");
    if (name == NULL) {
      ok = false;
      break;
    }
    if (s->task_count == tasks_cap) {
      pn_task *grown = grow_array(p, s->tasks, &tasks_cap, sizeof *grown);
      size_t cap = columns_cap;
      size_t *columns = grown ? grow_array(p, block_columns, &cap, sizeof *columns) : NULL;
      if (grown != NULL) {
        s->tasks = grown;
      }
      if (columns == NULL) {
        ok = false;
        break;
      }
      block_columns = columns;
      columns_cap = cap;
    }
    pn_task *task = &s->tasks[s->task_count++];
    memset(task, 0, sizeof *task);
    block_columns[s->task_count - 1] = name->column;
    task->name = strndup(name->start, name->len);
    if (task->name == NULL) {
      p->failed = p->out_of_memory = true;
      ok = false;
      break;
    }
    if (!parse_block(p, task, &vars_cap)) {
      ok = false;
      break;
    }
    if (peek(p)->kind == TOKEN_END) {
      break;
    }
  }
  ok = ok && check_names(p, block_columns);
  free(block_columns);
  return ok;
}

void pn_scenario_free(pn_scenario *s) {
  if (s == NULL) {
    return;
  }
  for (size_t t = 0; t < s->task_count; t++) {
    for (size_t i = 0; i < s->tasks[t].step_count; i++) {
      free((char *)s->tasks[t].steps[i].text);
      free(s->tasks[t].steps[i].vars);
    }
    free(s->tasks[t].steps);
    free((char *)s->tasks[t].name);
  }
  free(s->tasks);
  for (size_t v = 0; v < s->var_count; v++) {
    free((char *)s->vars[v]);
  }
  free(s->vars);
  free(s);
}

pn_scenario *pn_scenario_parse(const char *line, size_t len, pn_strbuf *error) {
  parser p;
  memset(&p, 0, sizeof p);
  p.error = error;
  p.scenario = calloc(1, sizeof *p.scenario);
  if (p.scenario == NULL) {
    return NULL;
  }
  bool ok = tokenize(&p, line, len) && parse_scenario(&p);
  for (size_t i = 0; i < p.count; i++) {
    if (p.tokens[i].kind == TOKEN_STRING) {
      free((char *)p.tokens[i].start);
    }
  }
  free(p.tokens);
  free(p.spawn_columns);
  free((void *)p.spawn_names);
  free(p.spawn_lens);
  if (!ok) {
    pn_scenario_free(p.scenario);
    if (p.out_of_memory) {
      pn_strbuf_clear(error);
    }
    return NULL;
  }
  return p.scenario;
}
