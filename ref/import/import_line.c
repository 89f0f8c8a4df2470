#define _POSIX_C_SOURCE 200809L

#include "ref/import/import_line.h"

#include <stdlib.h>
#include <string.h>

/* A word of a step: [start, start + len) of the line. */
typedef struct word {
  const char *start;
  size_t len;
} word;

enum { SYNTAX = 1, NO_MEMORY = -1 };

static int syntax(pn_strbuf *message, const char *format, const word *w) {
  return pn_strbuf_printf(message, format, (int)w->len, w->start) == 0 ? SYNTAX : NO_MEMORY;
}

static bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.';
}

/* [A-Za-z0-9_.]* (with_dots) or [A-Za-z0-9_]+ (without). */
static bool is_name(const char *s, size_t len, bool with_dots) {
  if (!with_dots && len == 0) {
    return false;
  }
  for (size_t i = 0; i < len; i++) {
    if (!is_name_char(s[i]) || (!with_dots && s[i] == '.')) {
      return false;
    }
  }
  return true;
}

/* -?[0-9]{1,max_digits} */
static bool is_int(const char *s, size_t len, size_t max_digits) {
  size_t i = len > 0 && s[0] == '-' ? 1 : 0;
  if (len - i < 1 || len - i > max_digits) {
    return false;
  }
  for (; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
  }
  return true;
}

static long long to_int(const char *s, size_t len) {
  long long value = 0;
  bool negative = s[0] == '-';
  for (size_t i = negative ? 1 : 0; i < len; i++) {
    value = value * 10 + (s[i] - '0');
  }
  return negative ? -value : value;
}

static char *copy_word(const char *s, size_t len) {
  char *copy = malloc(len + 1);
  if (copy != NULL) {
    memcpy(copy, s, len);
    copy[len] = '\0';
  }
  return copy;
}

static void free_step(pn_import_step *step) {
  free(step->name);
  for (size_t i = 0; i < step->fromlist_len; i++) {
    free(step->fromlist[i]);
  }
  free(step->fromlist);
  free(step->package);
  free(step->function);
  free(step->args);
  memset(step, 0, sizeof *step);
}

void pn_import_line_free(pn_import_line *parsed) {
  for (size_t i = 0; i < parsed->count; i++) {
    free_step(&parsed->steps[i]);
  }
  free(parsed->steps);
  parsed->steps = NULL;
  parsed->count = 0;
}

/* Splits [s, end) at spaces into words (at most cap; returns how many, or
 * cap + 1 when there are more). */
static size_t split_words(const char *s, const char *end, word *words, size_t cap) {
  size_t n = 0;
  while (s < end) {
    while (s < end && *s == ' ') {
      s++;
    }
    if (s == end) {
      break;
    }
    const char *start = s;
    while (s < end && *s != ' ') {
      s++;
    }
    if (n == cap) {
      return cap + 1;
    }
    words[n].start = start;
    words[n].len = (size_t)(s - start);
    n++;
  }
  return n;
}

static int check_name(const word *w, pn_strbuf *message) {
  return is_name(w->start, w->len, true) ? 0 : syntax(message, "bad name '%.*s'", w);
}

/* fromlist=A,B: the items split at ',' (an empty value is the empty list). */
static int parse_fromlist(const word *value, pn_import_step *step, pn_strbuf *message) {
  if (value->len == 0) {
    return 0;
  }
  size_t items = 1;
  for (size_t i = 0; i < value->len; i++) {
    items += value->start[i] == ',';
  }
  step->fromlist = calloc(items, sizeof *step->fromlist);
  if (step->fromlist == NULL) {
    return NO_MEMORY;
  }
  const char *p = value->start, *end = value->start + value->len;
  for (;;) {
    const char *comma = memchr(p, ',', (size_t)(end - p));
    word item = {p, (size_t)((comma != NULL ? comma : end) - p)};
    int rc = check_name(&item, message);
    if (rc != 0) {
      return rc;
    }
    step->fromlist[step->fromlist_len] = copy_word(item.start, item.len);
    if (step->fromlist[step->fromlist_len] == NULL) {
      return NO_MEMORY;
    }
    step->fromlist_len++;
    if (comma == NULL) {
      return 0;
    }
    p = comma + 1;
  }
}

static int parse_import(const word *words, size_t count, pn_import_step *step, pn_strbuf *message) {
  static const char *const kKeys[] = {"name", "fromlist", "level", "package"};
  word values[4];
  bool seen[4] = {false, false, false, false};
  for (size_t i = 0; i < count; i++) {
    const char *equals = memchr(words[i].start, '=', words[i].len);
    size_t key_len = equals != NULL ? (size_t)(equals - words[i].start) : 0;
    size_t k = 0;
    while (k < 4 && !(equals != NULL && strlen(kKeys[k]) == key_len &&
                      memcmp(kKeys[k], words[i].start, key_len) == 0)) {
      k++;
    }
    if (k == 4 || seen[k]) {
      return syntax(message, "bad field '%.*s'", &words[i]);
    }
    seen[k] = true;
    values[k].start = equals + 1;
    values[k].len = words[i].len - key_len - 1;
  }
  if (!seen[0]) {
    return pn_strbuf_puts(message, "import needs name=") == 0 ? SYNTAX : NO_MEMORY;
  }
  int rc = check_name(&values[0], message);
  if (rc != 0) {
    return rc;
  }
  step->kind = PN_STEP_IMPORT;
  step->name = copy_word(values[0].start, values[0].len);
  if (step->name == NULL) {
    return NO_MEMORY;
  }
  if (seen[1] && (rc = parse_fromlist(&values[1], step, message)) != 0) {
    return rc;
  }
  if (seen[2]) {
    if (!is_int(values[2].start, values[2].len, 4)) {
      return syntax(message, "bad level '%.*s'", &values[2]);
    }
    step->level = (long)to_int(values[2].start, values[2].len);
  }
  if (seen[3]) {
    if ((rc = check_name(&values[3], message)) != 0) {
      return rc;
    }
    step->package = copy_word(values[3].start, values[3].len);
    if (step->package == NULL) {
      return NO_MEMORY;
    }
  }
  return 0;
}

static int usage(pn_strbuf *message, const char *text) {
  return pn_strbuf_puts(message, text) == 0 ? SYNTAX : NO_MEMORY;
}

static int parse_call(const word *words, size_t count, pn_import_step *step, pn_strbuf *message) {
  bool ok = count >= 2 && is_name(words[0].start, words[0].len, true) &&
            is_name(words[1].start, words[1].len, false);
  for (size_t i = 2; ok && i < count; i++) {
    ok = is_int(words[i].start, words[i].len, 18);
  }
  if (!ok) {
    return usage(message, "usage: call MODULE FUNCTION [INT...]");
  }
  step->kind = PN_STEP_CALL;
  step->name = copy_word(words[0].start, words[0].len);
  step->function = copy_word(words[1].start, words[1].len);
  step->nargs = count - 2;
  step->args = calloc(step->nargs + 1, sizeof *step->args);
  if (step->name == NULL || step->function == NULL || step->args == NULL) {
    return NO_MEMORY;
  }
  for (size_t i = 2; i < count; i++) {
    step->args[i - 2] = to_int(words[i].start, words[i].len);
  }
  return 0;
}

/* One step: the text between two ';'. words has room for max_words. */
static int parse_step(const char *s, const char *end, word *words, size_t max_words,
                      pn_import_step *step, pn_strbuf *message) {
  size_t count = split_words(s, end, words, max_words);
  if (count == 0) {
    return usage(message, "empty step");
  }
  const word *kind = &words[0];
  if (kind->len == 6 && memcmp(kind->start, "import", 6) == 0) {
    return parse_import(words + 1, count - 1, step, message);
  }
  if (kind->len == 5 && memcmp(kind->start, "names", 5) == 0) {
    if (count != 2 || !is_name(words[1].start, words[1].len, true)) {
      return usage(message, "usage: names MODULE");
    }
    step->kind = PN_STEP_NAMES;
    step->name = copy_word(words[1].start, words[1].len);
    return step->name != NULL ? 0 : NO_MEMORY;
  }
  if (kind->len == 4 && memcmp(kind->start, "call", 4) == 0) {
    return parse_call(words + 1, count - 1, step, message);
  }
  return syntax(message, "unknown step '%.*s'", kind);
}

int pn_import_line_parse(const char *line, size_t len, pn_import_line *parsed, pn_strbuf *message) {
  parsed->steps = NULL;
  parsed->count = 0;
  size_t steps = 1;
  for (size_t i = 0; i < len; i++) {
    if (line[i] < ' ' || line[i] > '~') {
      return usage(message, "line is not printable ASCII");
    }
    steps += line[i] == ';';
  }
  /* A step has at most (len + 1) / 2 words: room for all of them, so that
   * split_words never runs out. */
  size_t max_words = len / 2 + 2;
  word *words = malloc(max_words * sizeof *words);
  parsed->steps = calloc(steps, sizeof *parsed->steps);
  if (words == NULL || parsed->steps == NULL) {
    free(words);
    free(parsed->steps);
    parsed->steps = NULL;
    return NO_MEMORY;
  }
  const char *p = line, *end = line + len;
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < steps; i++) {
    const char *semicolon = memchr(p, ';', (size_t)(end - p));
    const char *step_end = semicolon != NULL ? semicolon : end;
    parsed->count++;
    rc = parse_step(p, step_end, words, max_words, &parsed->steps[i], message);
    p = step_end + (semicolon != NULL);
  }
  free(words);
  if (rc != 0) {
    pn_import_line_free(parsed);
  }
  return rc;
}
