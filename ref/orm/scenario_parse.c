/* The scenario parser (scenario.h): words, strings, steps, usage checks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ref/orm/pyrepr.h"
#include "ref/orm/scenario.h"

enum { kMaxPersons = 100000 };

/* Each step's usage after its name: an optional bare option in brackets,
 * or positional words NAME/POST/PREFIX (text) and N/ID (numbers). */
static const char *const kUsage[][2] = {
    {"note", "[echo]"},  {"open", "[fk]"},
    {"person", "NAME"},  {"persons", "N PREFIX"},
    {"address", "POST"}, {"address-of", "ID POST"},
    {"commit", ""},      {"rollback", ""},
    {"all", ""},         {"first", ""},
    {"find", "NAME"},    {"addresses", ""},
    {"dump", ""},        {"digest", ""},
    {"lock", ""},        {"unlock", ""},
    {"garbage", ""},
};

/* Length of the valid UTF-8 sequence at s, or 0 (Python's strict decoder:
 * no overlong forms, surrogates or code points past U+10FFFF). */
static size_t utf8_sequence(const unsigned char *s, size_t n) {
  if (s[0] < 0x80) {
    return 1;
  }
  size_t need = (s[0] & 0xe0) == 0xc0   ? 2
                : (s[0] & 0xf0) == 0xe0 ? 3
                : (s[0] & 0xf8) == 0xf0 ? 4
                                        : 0;
  if (need == 0 || need > n) {
    return 0;
  }
  uint32_t c = s[0] & (0x7f >> need);
  for (size_t i = 1; i < need; i++) {
    if ((s[i] & 0xc0) != 0x80) {
      return 0;
    }
    c = (c << 6) | (s[i] & 0x3f);
  }
  static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < kMin[need] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
    return 0;
  }
  return need;
}

static int append_utf8(pn_strbuf *out, uint32_t c) {
  char b[4];
  size_t n;
  if (c < 0x80) {
    b[0] = (char)c;
    n = 1;
  } else if (c < 0x800) {
    b[0] = (char)(0xc0 | (c >> 6));
    b[1] = (char)(0x80 | (c & 0x3f));
    n = 2;
  } else {
    b[0] = (char)(0xe0 | (c >> 12));
    b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
    b[2] = (char)(0x80 | (c & 0x3f));
    n = 3;
  }
  return pn_strbuf_append(out, b, n);
}

static int hex_digits(const char *s, size_t n, size_t width, uint32_t *value) {
  if (n < width) {
    return -1;
  }
  *value = 0;
  for (size_t i = 0; i < width; i++) {
    char c = s[i];
    int digit = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
    if (digit < 0) {
      return -1;
    }
    *value = *value * 16 + (uint32_t)digit;
  }
  return 0;
}

/* Reads the string literal at line[*i] (a quote) into text; advances *i.
 * Returns 0, 1 (malformed: message in problem) or -1. */
static int read_string(const char *line, size_t len, size_t *i, pn_strbuf *text,
                       pn_strbuf *problem) {
  char quote = line[*i];
  size_t p = *i + 1;
  while (p < len) {
    char c = line[p];
    if (c == quote) {
      *i = p + 1;
      return 0;
    }
    if (c != '\\') {
      if (pn_strbuf_append(text, &c, 1) != 0) {
        return -1;
      }
      p++;
      continue;
    }
    char code = p + 1 < len ? line[p + 1] : 0;
    const char *simple = code == '\\'   ? "\\"
                         : code == '\'' ? "'"
                         : code == '"'  ? "\""
                         : code == 'n'  ? "\n"
                         : code == 't'  ? "\t"
                                        : NULL;
    if (simple != NULL) {
      if (pn_strbuf_append(text, simple, 1) != 0) {
        return -1;
      }
      p += 2;
      continue;
    }
    size_t width = code == 'x' ? 2 : code == 'u' ? 4 : 0;
    uint32_t value = 0;
    if (width == 0 || hex_digits(line + p + 2, len - p - 2, width, &value) != 0 ||
        (value >= 0xd800 && value <= 0xdfff)) {
      return pn_strbuf_puts(problem, "bad escape in string") ? -1 : 1;
    }
    if (append_utf8(text, value) != 0) {
      return -1;
    }
    p += 2 + width;
  }
  return pn_strbuf_puts(problem, "unterminated string") ? -1 : 1;
}

static int push_word(pn_orm_step *step, pn_strbuf *text, int quoted) {
  pn_orm_word *grown = realloc(step->words, (step->count + 1) * sizeof *grown);
  if (grown == NULL) {
    return -1;
  }
  step->words = grown;
  char *copy = malloc(text->len + 1);
  if (copy == NULL) {
    return -1;
  }
  if (text->len > 0) {
    memcpy(copy, text->data, text->len);
  }
  copy[text->len] = 0;
  step->words[step->count++] = (pn_orm_word){copy, text->len, quoted};
  return 0;
}

static int push_step(pn_orm_scenario *scenario) {
  pn_orm_step *grown = realloc(scenario->steps, (scenario->count + 1) * sizeof *grown);
  if (grown == NULL) {
    return -1;
  }
  scenario->steps = grown;
  scenario->steps[scenario->count++] = (pn_orm_step){NULL, 0};
  return 0;
}

static int is_word(const pn_orm_word *w, const char *bare) {
  return !w->quoted && strlen(bare) == w->len && strcmp(w->text, bare) == 0;
}

static int is_number(const pn_orm_word *w) {
  if (w->quoted || w->len == 0 || w->len > 9) {
    return 0;
  }
  for (size_t i = 0; i < w->len; i++) {
    if (w->text[i] < '0' || w->text[i] > '9') {
      return 0;
    }
  }
  return 1;
}

/* Checks a step's words against its usage; 0, 1 (message in problem), -1. */
static int check_step(const pn_orm_step *step, pn_strbuf *problem) {
  const pn_orm_word *name = &step->words[0];
  const char *usage = NULL;
  for (size_t i = 0; i < sizeof kUsage / sizeof kUsage[0] && !name->quoted; i++) {
    if (strcmp(kUsage[i][0], name->text) == 0 && strlen(name->text) == name->len) {
      usage = kUsage[i][1];
    }
  }
  if (usage == NULL) {
    return pn_strbuf_puts(problem, "unknown step ") ||
                   pn_orm_repr_str(problem, name->text, name->len)
               ? -1
               : 1;
  }
  size_t args = step->count - 1;
  int ok = 1;
  if (usage[0] == '[') {
    char option[16];
    size_t n = strlen(usage) - 2;
    memcpy(option, usage + 1, n);
    option[n] = 0;
    ok = args == 0 || (args == 1 && is_word(&step->words[1], option));
  } else {
    char kinds[3][8] = {{0}};
    size_t expected = 0;
    for (const char *p = usage; *p && expected < 3; expected++) {
      size_t n = strcspn(p, " ");
      memcpy(kinds[expected], p, n < 7 ? n : 7);
      p += n + (p[n] == ' ');
    }
    ok = args == expected;
    for (size_t k = 0; k < expected && ok; k++) {
      const pn_orm_word *w = &step->words[k + 1];
      if (strcmp(kinds[k], "N") == 0 || strcmp(kinds[k], "ID") == 0) {
        ok = is_number(w);
      } else {
        ok = w->quoted || (is_word(w, "None") && strcmp(kinds[k], "PREFIX") != 0);
      }
    }
    if (ok && strcmp(name->text, "persons") == 0) {
      long n = strtol(step->words[1].text, NULL, 10);
      ok = n >= 1 && n <= kMaxPersons;
    }
  }
  if (ok) {
    return 0;
  }
  return pn_strbuf_printf(problem, "usage: %s%s%s", name->text, usage[0] ? " " : "", usage) ? -1
                                                                                            : 1;
}

void pn_orm_scenario_free(pn_orm_scenario *scenario) {
  for (size_t i = 0; i < scenario->count; i++) {
    for (size_t j = 0; j < scenario->steps[i].count; j++) {
      free(scenario->steps[i].words[j].text);
    }
    free(scenario->steps[i].words);
  }
  free(scenario->steps);
  scenario->steps = NULL;
  scenario->count = 0;
}

static int tokenize(const char *line, size_t len, pn_orm_scenario *scenario, pn_strbuf *problem) {
  for (size_t i = 0; i < len;) {
    size_t n = utf8_sequence((const unsigned char *)line + i, len - i);
    if (n == 0) {
      return pn_strbuf_puts(problem, "scenario is not UTF-8") ? -1 : 1;
    }
    i += n;
  }
  if (push_step(scenario) != 0) {
    return -1;
  }
  pn_strbuf text = PN_STRBUF_INIT;
  int rc = 0;
  size_t i = 0;
  while (i < len && rc == 0) {
    char c = line[i];
    pn_orm_step *step = &scenario->steps[scenario->count - 1];
    pn_strbuf_clear(&text);
    if (c == ' ') {
      i++;
    } else if (c == ';') {
      rc = push_step(scenario);
      i++;
    } else if (c == '\'' || c == '"') {
      rc = read_string(line, len, &i, &text, problem);
      rc = rc == 0 ? push_word(step, &text, 1) : rc;
    } else {
      size_t end = i;
      while (end < len && line[end] != ' ' && line[end] != ';' && line[end] != '\'' &&
             line[end] != '"') {
        end++;
      }
      rc = pn_strbuf_append(&text, line + i, end - i) || push_word(step, &text, 0) ? -1 : 0;
      i = end;
    }
  }
  pn_strbuf_free(&text);
  return rc;
}

int pn_orm_scenario_parse(const char *line, size_t len, pn_orm_scenario *scenario,
                          pn_strbuf *problem) {
  memset(scenario, 0, sizeof *scenario);
  int rc = tokenize(line, len, scenario, problem);
  for (size_t i = 0; i < scenario->count && rc == 0; i++) {
    if (scenario->steps[i].count == 0) {
      rc = pn_strbuf_puts(problem, "empty step") ? -1 : 1;
    }
  }
  for (size_t i = 0; i < scenario->count && rc == 0; i++) {
    rc = check_step(&scenario->steps[i], problem);
  }
  if (rc != 0) {
    pn_orm_scenario_free(scenario);
  }
  return rc;
}
