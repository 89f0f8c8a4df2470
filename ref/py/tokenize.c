/*
 * The tokenizer (tokenize.h): Parser/tokenizer.c of CPython 3.11 for one
 * line, with a subset's refusals.
 */
#include "ref/py/tokenize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/py/syntax_messages.h"
#include "ref/unicode/py_unicode.h"

/* A refusal's wording, after what is refused and with the caller's subset. */
#define PY_OUTSIDE "outside the %s subset of pyref"

size_t py_utf8_decode(const unsigned char *p, size_t n, uint32_t *out) {
  size_t len = 0;
  uint32_t c = pn_utf8_next((const char *)p, n, &len);
  /* pn_utf8_next reads a byte that starts no valid character as the lone
   * surrogate surrogateescape makes of it, which UTF-8 never encodes. */
  if (c >= 0xDC80 && c <= 0xDCFF) {
    return 0;
  }
  *out = c;
  return len;
}

static int is_digit(int c) {
  return c >= '0' && c <= '9';
}
static int is_xdigit(int c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static int is_ident_start(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 128;
}
static int is_ident_char(int c) {
  return is_ident_start(c) || is_digit(c);
}

/* A rough stand-in for Unicode's XID classes: common letters of the Latin,
 * Greek, Cyrillic, Hebrew, Arabic, CJK, kana and Hangul blocks. Other
 * non-ASCII characters outside strings are reported as invalid. */
static int is_unicode_letter(uint32_t c) {
  return c == 0xAA || c == 0xB5 || c == 0xBA ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
         (c >= 0x370 && c <= 0x3FF && c != 0x37E && c != 0x387) || (c >= 0x400 && c <= 0x52F) ||
         (c >= 0x5D0 && c <= 0x5EA) || (c >= 0x620 && c <= 0x64A) || (c >= 0x3041 && c <= 0x30FF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3);
}

typedef struct scanner {
  const unsigned char *s;
  size_t len;
  size_t pos;
  /* With an error message returned: the SyntaxError's 1-based column as
   * CPython's tokenizer reports it (where its read position stood). */
  size_t error_at;
  int into_name; /* the error is verify_end_of_number's */
} scanner;

static int peekc(const scanner *sc, size_t ahead) {
  return sc->pos + ahead < sc->len ? sc->s[sc->pos + ahead] : -1;
}

static int starts_with(const scanner *sc, size_t at, const char *word) {
  size_t n = strlen(word);
  return at + n <= sc->len && memcmp(sc->s + at, word, n) == 0;
}

/* Whether word is at `at`, not followed by a name's character. */
static int whole_word(const scanner *sc, size_t at, const char *word) {
  size_t n = strlen(word);
  return starts_with(sc, at, word) && (at + n >= sc->len || !is_ident_char(sc->s[at + n]));
}

/* verify_end_of_number: a literal may run into a keyword that can follow it
 * (with a DeprecationWarning) but not into any other name. tokenizer.c's
 * lookahead wants the whole keyword (`1andx` is an invalid literal); after
 * an 'i' it looks at the next character only. */
static const char *end_of_number(scanner *sc, const char *kind, char *buffer, size_t size) {
  int c = peekc(sc, 0);
  size_t at = sc->pos + 1;
  int keyword = (c == 'a' && whole_word(sc, at, "nd")) || (c == 'e' && whole_word(sc, at, "lse")) ||
                (c == 'f' && whole_word(sc, at, "or")) ||
                (c == 'i' && (peekc(sc, 1) == 'f' || peekc(sc, 1) == 'n' || peekc(sc, 1) == 's')) ||
                (c == 'o' && whole_word(sc, at, "r")) || (c == 'n' && whole_word(sc, at, "ot"));
  if (!keyword && c >= 0 && is_ident_char(c)) {
    snprintf(buffer, size, PY_SYNTAX_INVALID_LITERAL, kind);
    sc->error_at = sc->pos;
    sc->into_name = 1;
    return buffer;
  }
  return NULL;
}

/* Digits and single underscores between them; the first digit is at pos. */
static const char *decimal_tail(scanner *sc) {
  for (;;) {
    while (is_digit(peekc(sc, 0))) {
      sc->pos++;
    }
    if (peekc(sc, 0) != '_') {
      return NULL;
    }
    sc->pos++;
    if (!is_digit(peekc(sc, 0))) {
      sc->error_at = sc->pos;
      return PY_SYNTAX_INVALID_DECIMAL;
    }
  }
}

/* Prefixed ints: 0x, 0o, 0b (pos after the prefix). */
static const char *radix_tail(scanner *sc, int radix, const char *kind, char *buffer, size_t size) {
  do {
    if (peekc(sc, 0) == '_') {
      sc->pos++;
    }
    int c = peekc(sc, 0);
    int ok = radix == 16 ? is_xdigit(c) : (c >= '0' && c < '0' + radix);
    if (!ok) {
      /* CPython reads a bad digit past it, and backs up before anything else. */
      if (radix != 16 && is_digit(c)) {
        snprintf(buffer, size, PY_SYNTAX_INVALID_DIGIT, c, kind);
        sc->error_at = sc->pos + 1;
      } else {
        snprintf(buffer, size, PY_SYNTAX_INVALID_LITERAL, kind);
        sc->error_at = sc->pos;
      }
      return buffer;
    }
    while (radix == 16 ? is_xdigit(peekc(sc, 0))
                       : (peekc(sc, 0) >= '0' && peekc(sc, 0) < '0' + radix)) {
      sc->pos++;
    }
  } while (peekc(sc, 0) == '_');
  if (radix != 16 && is_digit(peekc(sc, 0))) {
    snprintf(buffer, size, PY_SYNTAX_INVALID_DIGIT, peekc(sc, 0), kind);
    sc->error_at = sc->pos + 1;
    return buffer;
  }
  return end_of_number(sc, kind, buffer, size);
}

/* The fraction, exponent and imaginary suffix of a decimal number whose
 * integer part (if any) was read, as tokenizer.c's fraction, exponent and
 * imaginary labels; `dot_read` when the '.' was. */
static const char *float_tail(scanner *sc, py_token *t, int dot_read) {
  char *buffer = t->buffer;
  size_t size = sizeof t->buffer;
  const char *error;
  if (!dot_read && peekc(sc, 0) == '.') {
    sc->pos++;
    dot_read = 1;
  }
  if (dot_read) {
    t->number = PY_NUM_FLOAT;
    if (is_digit(peekc(sc, 0)) && (error = decimal_tail(sc)) != NULL) {
      return error;
    }
  }
  int c = peekc(sc, 0);
  if (c == 'e' || c == 'E') {
    int sign = peekc(sc, 1) == '+' || peekc(sc, 1) == '-';
    if (sign && !is_digit(peekc(sc, 2))) {
      sc->error_at = sc->pos + 2;
      return PY_SYNTAX_INVALID_DECIMAL;
    }
    if (!sign && !is_digit(peekc(sc, 1))) {
      /* "1else" is 1 followed by else; "1e" and "1ex" are errors. */
      return end_of_number(sc, "decimal", buffer, size);
    }
    t->number = PY_NUM_FLOAT;
    sc->pos += sign ? 2 : 1;
    if ((error = decimal_tail(sc)) != NULL) {
      return error;
    }
    c = peekc(sc, 0);
  }
  if (c == 'j' || c == 'J') {
    t->number = PY_NUM_IMAG;
    sc->pos++;
    return end_of_number(sc, "imaginary", buffer, size);
  }
  return end_of_number(sc, "decimal", buffer, size);
}

/* Scans a number starting at pos into t; returns an error message or NULL. */
static const char *scan_number(scanner *sc, py_token *t) {
  char *buffer = t->buffer;
  size_t size = sizeof t->buffer;
  const char *error;
  t->number = PY_NUM_INT;
  t->base = 10;
  int c = peekc(sc, 0);
  if (c == '.') {
    sc->pos++;
    return float_tail(sc, t, 1);
  }
  if (c == '0' && (peekc(sc, 1) | 32) == 'x') {
    sc->pos += 2;
    t->base = 16;
    return radix_tail(sc, 16, "hexadecimal", buffer, size);
  }
  if (c == '0' && (peekc(sc, 1) | 32) == 'o') {
    sc->pos += 2;
    t->base = 8;
    return radix_tail(sc, 8, "octal", buffer, size);
  }
  if (c == '0' && (peekc(sc, 1) | 32) == 'b') {
    sc->pos += 2;
    t->base = 2;
    return radix_tail(sc, 2, "binary", buffer, size);
  }
  if (c != '0') {
    if ((error = decimal_tail(sc)) != NULL) {
      return error;
    }
    return float_tail(sc, t, 0);
  }
  /* Zeros, maybe with underscores; then an old-style octal is an error
   * unless the number turns out to be a float or imaginary. */
  sc->pos++;
  for (;;) {
    if (peekc(sc, 0) == '_') {
      sc->pos++;
      if (!is_digit(peekc(sc, 0))) {
        sc->error_at = sc->pos;
        return PY_SYNTAX_INVALID_DECIMAL;
      }
    }
    if (peekc(sc, 0) != '0') {
      break;
    }
    sc->pos++;
  }
  int nonzero = 0;
  if (is_digit(peekc(sc, 0))) {
    nonzero = 1;
    if ((error = decimal_tail(sc)) != NULL) {
      return error;
    }
  }
  c = peekc(sc, 0);
  if (c == '.' || c == 'e' || c == 'E' || c == 'j' || c == 'J') {
    return float_tail(sc, t, 0);
  }
  if (nonzero) {
    return PY_SYNTAX_LEADING_ZEROS;
  }
  return end_of_number(sc, "decimal", buffer, size);
}

/* A subset's string literal at the scanner's quote, for statements: a plain
 * one-line '...' or "..." without backslashes becomes t (PY_T_STRING, its
 * text between the quotes); an unterminated one is CPython's error at its
 * quote; any other (a prefix, triple quotes, escapes) is outside the subset.
 * Returns 0, or 1 when t became a PY_T_ERROR. */
static int scan_plain_string(scanner *sc, py_token *t, const char *subset) {
  size_t start = sc->pos;
  unsigned char quote = sc->s[start];
  const char *outside = NULL;
  if (start > 0 && is_ident_char(sc->s[start - 1])) {
    outside = "string prefixes are";
  } else if (peekc(sc, 1) == quote && peekc(sc, 2) == quote) {
    outside = "triple-quoted strings are";
  }
  size_t end = start + 1;
  while (outside == NULL && end < sc->len && sc->s[end] != quote) {
    if (sc->s[end] == '\\') {
      outside = "backslashes in strings are";
    }
    end++;
  }
  t->kind = PY_T_ERROR;
  if (outside != NULL) {
    snprintf(t->buffer, sizeof t->buffer, "%s " PY_OUTSIDE, outside, subset);
    t->message = t->buffer;
    t->refusal = 1;
    return 1;
  }
  if (end >= sc->len) {
    t->message = PY_SYNTAX_UNTERMINATED_STRING;
    t->error_offset = start + 1;
    return 1;
  }
  t->kind = PY_T_STRING;
  t->text = (const char *)sc->s + start + 1;
  t->len = end - start - 1;
  sc->pos = end + 1;
  return 0;
}

/* A string literal's quotes and body at pos (after its prefix) into t;
 * returns an error message or NULL. */
static const char *scan_string(scanner *sc, py_token *t, int minor) {
  int quote = peekc(sc, 0);
  size_t quote_size = (peekc(sc, 1) == quote && peekc(sc, 2) == quote) ? 3 : 1;
  sc->pos += quote_size;
  t->body = (const char *)sc->s + sc->pos;
  for (;;) {
    int c = peekc(sc, 0);
    if (c < 0 || (quote_size == 1 && (c == '\n' || c == '\r'))) {
      if (t->fstring && minor >= 12) {
        /* 3.12's tokenizer reads a replacement field's expression inside
         * the literal: not modelled. */
        size_t rest = sc->len - (size_t)(t->body - (const char *)sc->s);
        if (memchr(t->body, '{', rest) != NULL || memchr(t->body, '}', rest) != NULL) {
          t->refusal = 1;
          return PY_FSTRING_FIELDS;
        }
        return quote_size == 3 ? PY_SYNTAX_UNTERMINATED_TRIPLE_FSTRING_PY312
                               : PY_SYNTAX_UNTERMINATED_FSTRING_PY312;
      }
      return quote_size == 3 ? PY_SYNTAX_UNTERMINATED_TRIPLE : PY_SYNTAX_UNTERMINATED_STRING;
    }
    if (c == quote && (quote_size == 1 || (peekc(sc, 1) == quote && peekc(sc, 2) == quote))) {
      t->body_len = (size_t)((const char *)sc->s + sc->pos - t->body);
      sc->pos += quote_size;
      return NULL;
    }
    sc->pos += (c == '\\' && sc->pos + 1 < sc->len) ? 2 : 1;
  }
}

/* The letters of a string prefix (any case of b, r, u, f and the pairs rb,
 * br, fr, rf) at pos right before a quote: their count, and t's flags; 0
 * when the name there is no prefix. */
static size_t string_prefix(const scanner *sc, py_token *t) {
  int saw_b = 0, saw_r = 0, saw_u = 0, saw_f = 0;
  size_t q = sc->pos;
  for (; q < sc->len; q++) {
    int l = sc->s[q] | 0x20;
    if (l == 'b' && !saw_b && !saw_u && !saw_f) {
      saw_b = 1;
    } else if (l == 'r' && !saw_r && !saw_u) {
      saw_r = 1;
    } else if (l == 'u' && !saw_b && !saw_r && !saw_u && !saw_f) {
      saw_u = 1;
    } else if (l == 'f' && !saw_f && !saw_b && !saw_u) {
      saw_f = 1;
    } else {
      break;
    }
  }
  if (q >= sc->len || (sc->s[q] != '\'' && sc->s[q] != '"')) {
    return 0;
  }
  t->bytes = saw_b;
  t->raw = saw_r;
  t->fstring = saw_f;
  return q - sc->pos;
}

/* The subset's operators, longest first where one starts another. */
static const char *const kSubsetOperators[] = {"**", "//", "==", "!=", "<=", ">=", "<", ">",
                                               "+",  "-",  "*",  "/",  "%",  "@",  "~", "(",
                                               ")",  ",",  ".",  "=",  ":",  ";",  "[", "]"};

/* Operators of Python the subsets do not parse: refused where they start,
 * as '[' or '|' is, so that valid Python is never a SyntaxError (`x << 1`,
 * `...`, `(x := 1)`). */
static const char *const kRefusedOperators[] = {"<<", ">>", "...", ":="};

/* Every operator of more than one character (without a subset). */
static const char *const kOperators[] = {
    "**=", "//=", ">>=", "<<=", "...", "!=", "%=", "&=", "**", "*=", "+=", "-=", "->",
    "//",  "/=",  ":=",  "<<",  "<=",  "<>", "==", ">=", ">>", "@=", "^=", "|="};

static py_token *push(py_tokens *list) {
  if (list->count == list->cap) {
    int cap = list->cap ? list->cap * 2 : 64;
    py_token *grown = realloc(list->items, (size_t)cap * sizeof *grown);
    if (grown == NULL) {
      return NULL;
    }
    list->items = grown;
    list->cap = cap;
  }
  py_token *t = &list->items[list->count++];
  memset(t, 0, sizeof *t);
  return t;
}

/* Makes t the error message at column offset (0: unknown); returns 0, for
 * `return error_token(...)` in the tokenizer's loop. */
static int error_token(py_token *t, const char *message, size_t offset) {
  t->kind = PY_T_ERROR;
  t->message = message;
  t->error_offset = offset;
  return 0;
}

/* A subset's refusal of what starts at t: "WHAT is outside ...". */
static int refuse(py_token *t, const char *subset, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#include <stdarg.h>

static int refuse(py_token *t, const char *subset, const char *format, ...) {
  char what[64];
  va_list args;
  va_start(args, format);
  vsnprintf(what, sizeof what, format, args);
  va_end(args);
  snprintf(t->buffer, sizeof t->buffer, "%s " PY_OUTSIDE, what, subset);
  t->refusal = 1;
  return error_token(t, t->buffer, 0);
}

/* An operator or bracket at pos: its length, and the bracket stack kept in
 * tokens; returns 1 when t became a PY_T_ERROR. */
static int scan_operator(scanner *sc, py_token *t, const py_token_options *options,
                         py_tokens *tokens) {
  int c = peekc(sc, 0);
  const char *subset = options->subset;
  if (subset != NULL) {
    for (size_t i = 0; i < sizeof kRefusedOperators / sizeof kRefusedOperators[0]; i++) {
      if (starts_with(sc, sc->pos, kRefusedOperators[i])) {
        return !refuse(t, subset, "'%s' is", kRefusedOperators[i]);
      }
    }
    for (size_t i = 0; i < sizeof kSubsetOperators / sizeof kSubsetOperators[0]; i++) {
      if (starts_with(sc, sc->pos, kSubsetOperators[i])) {
        t->len = strlen(kSubsetOperators[i]);
        break;
      }
    }
    if ((c == '[' || c == ']') && !options->brackets) {
      t->len = 0;
    }
    if (t->len == 0) {
      if (strchr("!$?`", c) != NULL) {
        /* Not an error of the tokenizer's own: a token the parser fails at. */
        return !error_token(t, PY_SYNTAX_INVALID, sc->pos + 1);
      }
      if (c >= 32 && c < 127) {
        return !refuse(t, subset, "'%c' is", c);
      }
      return !refuse(t, subset, "byte 0x%02x is", (unsigned)c);
    }
  } else {
    t->len = 1;
    for (size_t i = 0; i < sizeof kOperators / sizeof kOperators[0]; i++) {
      if (starts_with(sc, sc->pos, kOperators[i])) {
        t->len = strlen(kOperators[i]);
        break;
      }
    }
  }
  sc->pos += t->len;
  int *level = &tokens->open_count;
  if (c == '(' || c == '[' || c == '{') {
    if (*level >= PY_MAX_PAREN_LEVEL) {
      return !error_token(t, PY_SYNTAX_TOO_MANY_NESTED, sc->pos);
    }
    tokens->opened[(*level)++] = (char)c;
  } else if (c == ')' || c == ']' || c == '}') {
    if (*level == 0) {
      snprintf(t->buffer, sizeof t->buffer, PY_SYNTAX_UNMATCHED, c);
      return !error_token(t, t->buffer, sc->pos);
    }
    char opening = tokens->opened[--*level];
    if ((opening == '(') != (c == ')') || (opening == '[') != (c == ']')) {
      snprintf(t->buffer, sizeof t->buffer, PY_SYNTAX_MISMATCHED, c, opening);
      return !error_token(t, t->buffer, 0);
    }
    t->level = *level;
  }
  return 0;
}

/* A name (or, without a subset, a string with its prefix) at pos; returns 1
 * when t became a PY_T_ERROR. */
static int scan_name(scanner *sc, py_token *t, const py_token_options *options) {
  if (options->subset != NULL) {
    while (peekc(sc, 0) >= 0 && peekc(sc, 0) < 128 && is_ident_char(peekc(sc, 0))) {
      sc->pos++;
    }
    t->kind = PY_T_NAME;
    return 0;
  }
  size_t prefix = string_prefix(sc, t);
  if (prefix > 0) {
    sc->pos += prefix;
    t->kind = PY_T_STRING;
    const char *error = scan_string(sc, t, options->minor);
    return error != NULL ? !error_token(t, error, 0) : 0;
  }
  t->kind = PY_T_NAME;
  while (sc->pos < sc->len) {
    uint32_t u;
    size_t n = py_utf8_decode(sc->s + sc->pos, sc->len - sc->pos, &u);
    if (n == 0 || !is_ident_char(u < 128 ? (int)u : 128)) {
      break;
    }
    if (u >= 0x80 && !is_unicode_letter(u)) {
      snprintf(t->buffer, sizeof t->buffer, PY_SYNTAX_INVALID_CHARACTER, (int)n,
               (const char *)sc->s + sc->pos, (unsigned)u);
      return !error_token(t, t->buffer, 0);
    }
    sc->pos += n;
  }
  return 0;
}

int py_tokenize(const char *source, size_t len, const py_token_options *options,
                py_tokens *tokens) {
  scanner sc = {(const unsigned char *)source, len, 0, 0, 0};
  const char *subset = options->subset;
  for (;;) {
    while (peekc(&sc, 0) == ' ' || peekc(&sc, 0) == '\t' || peekc(&sc, 0) == '\f') {
      sc.pos++;
    }
    int c = peekc(&sc, 0);
    size_t comment = len; /* where a subset's comment before the token starts */
    if (subset != NULL && c == '#') {
      comment = sc.pos;
      while (peekc(&sc, 0) >= 0 && peekc(&sc, 0) != '\n') {
        sc.pos++;
      }
      c = peekc(&sc, 0);
    }
    if (subset != NULL && c == '\n' && tokens->open_count > 0) {
      /* Inside brackets a subset's line break is a blank (an NL token). */
      sc.pos++;
      continue;
    }
    if (subset == NULL && c == '#') {
      /* A comment runs to the line break a CR makes. */
      while (peekc(&sc, 0) >= 0 && peekc(&sc, 0) != '\r') {
        sc.pos++;
      }
      continue;
    }
    if (subset == NULL && c == '\r') {
      /* translate_newlines turns a CR into a line break; inside brackets
       * lines join. */
      sc.pos++;
      if (tokens->open_count == 0) {
        py_token *t = push(tokens);
        if (t == NULL) {
          return -1;
        }
        t->kind = PY_T_NEWLINE;
        t->text = source + sc.pos - 1;
        t->len = 1;
      }
      continue;
    }
    py_token *t = push(tokens);
    if (t == NULL) {
      return -1;
    }
    t->level = tokens->open_count;
    /* The end of a line stands where its comment starts, as CPython's
     * NEWLINE token does (a SyntaxError at the end is reported there). */
    t->text = source + (comment < len ? comment : sc.pos);
    size_t start = sc.pos;
    if (subset != NULL && c == '\n') {
      /* The end of a subset's first logical line: only blank lines may follow. */
      size_t at = sc.pos;
      while (at < len && (source[at] == '\n' || source[at] == ' ' || source[at] == '\t')) {
        at++;
      }
      if (at < len) {
        return refuse(t, subset, "several logical lines are");
      }
      c = -1;
    }
    if (c < 0 || c == '#') {
      if (subset != NULL && tokens->open_count > 0) {
        t->at_end = 1;
        snprintf(t->buffer, sizeof t->buffer, PY_SYNTAX_NEVER_CLOSED,
                 tokens->opened[tokens->open_count - 1]);
        return error_token(t, t->buffer, 0);
      }
      t->kind = PY_T_END;
      return 0;
    }
    if (subset == NULL && c == '\\') {
      /* E_LINECONT is reported only if the parser gets this far, and the
       * tokenizer stops here. */
      t->kind = PY_T_LINECONT;
      t->len = 1;
      py_token *end = push(tokens);
      if (end == NULL) {
        return -1;
      }
      end->kind = PY_T_END;
      end->text = source + len;
      end->level = tokens->open_count;
      return 0;
    }
    int stop = 0;
    if (c == '\'' || c == '"') {
      if (subset != NULL && !options->strings) {
        stop = !refuse(t, subset, "'%c' is", c);
      } else if (subset != NULL) {
        stop = scan_plain_string(&sc, t, subset);
      } else {
        t->kind = PY_T_STRING;
        const char *error = scan_string(&sc, t, options->minor);
        stop = error != NULL && !error_token(t, error, 0);
      }
    } else if (is_digit(c) || (c == '.' && is_digit(peekc(&sc, 1)))) {
      t->kind = PY_T_NUMBER;
      const char *error = scan_number(&sc, t);
      if (error != NULL) {
        t->into_name = sc.into_name;
        /* Leading zeros are reported at the literal's start. */
        stop = !error_token(t, error,
                            strcmp(error, PY_SYNTAX_LEADING_ZEROS) == 0 ? start + 1 : sc.error_at);
      }
    } else if (is_ident_start(c) && (c < 128 || subset == NULL)) {
      stop = scan_name(&sc, t, options);
      if (!stop && sc.pos == start) {
        /* A byte that starts no UTF-8 character (callers check the
         * encoding first): one character the parser fails at. */
        t->kind = PY_T_OP;
        sc.pos++;
      }
    } else {
      t->kind = PY_T_OP;
      stop = scan_operator(&sc, t, options, tokens);
    }
    if (stop) {
      return 0;
    }
    if (t->kind != PY_T_STRING || subset == NULL) {
      t->len = sc.pos - start;
    }
  }
}

int py_tokens_depth(const py_tokens *tokens) {
  int deepest = 0;
  for (int i = 0; i < tokens->count; i++) {
    const py_token *t = &tokens->items[i];
    char c = t->kind == PY_T_OP ? t->text[0] : 0;
    /* A token's level is the depth before it: an opening bracket's one more. */
    int depth = t->level + (c == '(' || c == '[' || c == '{' ? 1 : 0);
    if (depth > deepest) {
      deepest = depth;
    }
  }
  return deepest;
}

bool py_token_is_op(const py_token *t, const char *op) {
  return t->kind == PY_T_OP && t->len == strlen(op) && memcmp(t->text, op, t->len) == 0;
}

bool py_token_is_word(const py_token *t, const char *word) {
  return t->kind == PY_T_NAME && t->len == strlen(word) && memcmp(t->text, word, t->len) == 0;
}

bool py_token_is_keyword(const py_token *t) {
  static const char *const keywords[] = {
      "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
      "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
      "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};
  for (size_t i = 0; t->kind == PY_T_NAME && i < sizeof keywords / sizeof keywords[0]; i++) {
    if (py_token_is_word(t, keywords[i])) {
      return true;
    }
  }
  return false;
}

void py_tokens_free(py_tokens *tokens) {
  free(tokens->items);
  tokens->items = NULL;
  tokens->count = tokens->cap = 0;
}
