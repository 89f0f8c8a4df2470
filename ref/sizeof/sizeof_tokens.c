/* The getsizeof reader's tokenizer and literal decoding (sizeof_tokens.h). */
#include "ref/sizeof/sizeof_tokens.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/protocol/strbuf.h"
#include "ref/py/syntax_messages.h"

void *pn_syntax_alloc(pn_syntax *s, size_t n) {
  void *p = py_arena_alloc(&s->arena, n);
  s->out_of_memory |= p == NULL;
  return p;
}

char *pn_syntax_strndup(pn_syntax *s, const char *text, size_t n) {
  char *copy = py_arena_strndup(&s->arena, text, n);
  s->out_of_memory |= copy == NULL;
  return copy;
}

/* Records the first error only: later ones are consequences. Returns false
 * so that parsers can `return pn_syntax_fail(...)`. */
bool pn_syntax_fail(pn_syntax *s, const char *type, const char *format, ...) {
  if (s->error_type != NULL) {
    return false;
  }
  pn_strbuf text = PN_STRBUF_INIT;
  va_list args;
  va_start(args, format);
  int rc = pn_strbuf_vprintf(&text, format, args);
  va_end(args);
  char *message = rc == 0 ? pn_syntax_strndup(s, text.data ? text.data : "", text.len) : NULL;
  pn_strbuf_free(&text);
  if (message == NULL) {
    s->out_of_memory = true;
    return false;
  }
  s->error_type = type;
  s->error_message = message;
  return false;
}

/* ---- UTF-8 ---- */

/* Decodes one strict UTF-8 character at p (n bytes left); returns its length
 * or 0 when the byte starts no valid character (Python would decode it to a
 * lone surrogate with surrogateescape). */
static size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *out) {
  if (p[0] < 0x80) {
    *out = p[0];
    return 1;
  }
  size_t len;
  uint32_t c, min;
  if (p[0] >= 0xC2 && p[0] <= 0xDF) {
    len = 2, c = p[0] & 0x1F, min = 0x80;
  } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
    len = 3, c = p[0] & 0x0F, min = 0x800;
  } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
    len = 4, c = p[0] & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (n < len) {
    return 0;
  }
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xC0) != 0x80) {
      return 0;
    }
    c = (c << 6) | (p[i] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    return 0;
  }
  *out = c;
  return len;
}

/* eval encodes its str source to UTF-8: bytes that were not UTF-8 (read as
 * lone surrogates) fail there, reported as one run of characters. */
bool pn_syntax_check_encoding(pn_syntax *s, const unsigned char *p, size_t n) {
  size_t chars = 0;
  for (size_t i = 0; i < n;) {
    uint32_t c;
    size_t len = utf8_decode(p + i, n - i, &c);
    if (len != 0) {
      i += len;
      chars++;
      continue;
    }
    size_t first = chars;
    unsigned first_byte = p[i];
    while (i < n && utf8_decode(p + i, n - i, &c) == 0) {
      i++;
      chars++;
    }
    if (chars - first == 1) {
      return pn_syntax_fail(s, "UnicodeEncodeError", PY_SOURCE_SURROGATE, first_byte, first);
    }
    return pn_syntax_fail(s, "UnicodeEncodeError", PY_SOURCE_SURROGATES, first, chars - 1);
  }
  if (memchr(p, 0, n) != NULL) {
    /* From 3.12 builtin eval raises it as a SyntaxError, without location. */
    return pn_syntax_fail(s, s->minor >= 12 ? "SyntaxError" : "ValueError", PY_SOURCE_NULL_BYTES);
  }
  return true;
}

/* ---- tokenizer (Parser/tokenizer.c, 3.11) ---- */

static bool is_ident_start(uint32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_ident_char(uint32_t c) {
  return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* A rough stand-in for Unicode's XID classes: common letters of the Latin,
 * Greek, Cyrillic, Hebrew, Arabic, CJK, kana and Hangul blocks. Other
 * non-ASCII characters outside strings are reported as invalid. */
static bool is_unicode_letter(uint32_t c) {
  return c == 0xAA || c == 0xB5 || c == 0xBA ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
         (c >= 0x370 && c <= 0x3FF && c != 0x37E && c != 0x387) || (c >= 0x400 && c <= 0x52F) ||
         (c >= 0x5D0 && c <= 0x5EA) || (c >= 0x620 && c <= 0x64A) || (c >= 0x3041 && c <= 0x30FF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3);
}

static bool is_digit(int c) {
  return c >= '0' && c <= '9';
}

static bool is_hex(int c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

typedef struct scanner {
  const char *p, *end;
} scanner;

static int peek(const scanner *sc, size_t ahead) {
  return sc->p + ahead < sc->end ? (unsigned char)sc->p[ahead] : -1;
}

/* verify_end_of_number: a number may run into a keyword that can follow it
 * (`1if x else y`: only a warning); any other identifier character makes it
 * an invalid literal. */
static bool verify_end_of_number(pn_syntax *s, const scanner *sc, const char *kind) {
  int c = peek(sc, 0);
  const char *rest = sc->p + 1;
  size_t left = sc->p < sc->end ? (size_t)(sc->end - rest) : 0;
  size_t word = 0; /* the keyword's length after c */
  if (c == 'a' && left >= 2 && memcmp(rest, "nd", 2) == 0) {
    word = 2;
  } else if (c == 'e' && left >= 3 && memcmp(rest, "lse", 3) == 0) {
    word = 3;
  } else if (c == 'f' && left >= 2 && memcmp(rest, "or", 2) == 0) {
    word = 2;
  } else if (c == 'i' && left >= 1 && (rest[0] == 'f' || rest[0] == 'n' || rest[0] == 's')) {
    word = 1;
  } else if (c == 'o' && left >= 1 && rest[0] == 'r') {
    word = 1;
  } else if (c == 'n' && left >= 2 && memcmp(rest, "ot", 2) == 0) {
    word = 2;
  }
  /* tokenizer.c's lookahead: the whole keyword, not the start of a name;
   * after an 'i' only the next character is looked at. */
  bool keyword =
      word > 0 && (c == 'i' || left == word || !is_ident_char((unsigned char)rest[word]));
  if (!keyword && c >= 0 && is_ident_char((uint32_t)c)) {
    return SYNTAX_ERROR(s, PY_SYNTAX_INVALID_LITERAL, kind);
  }
  return true;
}

/* tok_decimal_tail after a first digit: digits with single underscores. */
static bool decimal_tail(pn_syntax *s, scanner *sc) {
  for (;;) {
    while (is_digit(peek(sc, 0))) {
      sc->p++;
    }
    if (peek(sc, 0) != '_') {
      return true;
    }
    sc->p++;
    if (!is_digit(peek(sc, 0))) {
      return SYNTAX_ERROR(s, PY_SYNTAX_INVALID_DECIMAL);
    }
  }
}

/* Scans the fraction, exponent and imaginary suffix of a decimal number
 * whose integer part (if any) was read; `seen_dot` when the '.' was read. */
static bool scan_float_tail(pn_syntax *s, scanner *sc, token *t, bool seen_dot) {
  if (!seen_dot && peek(sc, 0) == '.') {
    sc->p++;
    seen_dot = true;
  }
  if (seen_dot) {
    t->number_kind = TOKEN_FLOAT;
    if (is_digit(peek(sc, 0)) && !decimal_tail(s, sc)) {
      return false;
    }
  }
  if (peek(sc, 0) == 'e' || peek(sc, 0) == 'E') {
    int sign = peek(sc, 1);
    size_t digit_at = (sign == '+' || sign == '-') ? 2 : 1;
    if (!is_digit(peek(sc, digit_at))) {
      if (digit_at == 2) {
        return SYNTAX_ERROR(s, PY_SYNTAX_INVALID_DECIMAL);
      }
      /* `1else`: the e starts a keyword; otherwise an invalid literal. */
      return verify_end_of_number(s, sc, "decimal");
    }
    t->number_kind = TOKEN_FLOAT;
    sc->p += digit_at;
    if (!decimal_tail(s, sc)) {
      return false;
    }
  }
  if (peek(sc, 0) == 'j' || peek(sc, 0) == 'J') {
    t->number_kind = TOKEN_IMAG;
    sc->p++;
    return verify_end_of_number(s, sc, "imaginary");
  }
  return verify_end_of_number(s, sc, "decimal");
}

static bool scan_radix(pn_syntax *s, scanner *sc, token *t, int base, const char *kind) {
  sc->p += 2; /* 0x, 0o, 0b */
  t->base = base;
  int max = base == 8 ? '8' : '2';
  do {
    if (peek(sc, 0) == '_') {
      sc->p++;
    }
    int c = peek(sc, 0);
    bool ok = base == 16 ? is_hex(c) : (c >= '0' && c < max);
    if (!ok) {
      if (base != 16 && is_digit(c)) {
        return SYNTAX_ERROR(s, PY_SYNTAX_INVALID_DIGIT, c, kind);
      }
      return SYNTAX_ERROR(s, PY_SYNTAX_INVALID_LITERAL, kind);
    }
    while (base == 16 ? is_hex(peek(sc, 0)) : (peek(sc, 0) >= '0' && peek(sc, 0) < max)) {
      sc->p++;
    }
  } while (peek(sc, 0) == '_');
  if (base != 16 && is_digit(peek(sc, 0))) {
    return SYNTAX_ERROR(s, PY_SYNTAX_INVALID_DIGIT, peek(sc, 0), kind);
  }
  return verify_end_of_number(s, sc, kind);
}

static bool scan_number(pn_syntax *s, scanner *sc, token *t) {
  t->number_kind = TOKEN_INT;
  t->base = 10;
  int c = peek(sc, 0);
  if (c == '.') {
    sc->p++;
    return scan_float_tail(s, sc, t, true);
  }
  if (c == '0') {
    int x = peek(sc, 1);
    if (x == 'x' || x == 'X') {
      return scan_radix(s, sc, t, 16, "hexadecimal");
    }
    if (x == 'o' || x == 'O') {
      return scan_radix(s, sc, t, 8, "octal");
    }
    if (x == 'b' || x == 'B') {
      return scan_radix(s, sc, t, 2, "binary");
    }
    /* Zeros, maybe with underscores; then an old-style octal is an error
     * unless the number turns out to be a float or imaginary. */
    sc->p++;
    for (;;) {
      if (peek(sc, 0) == '_') {
        sc->p++;
        if (!is_digit(peek(sc, 0))) {
          return SYNTAX_ERROR(s, PY_SYNTAX_INVALID_DECIMAL);
        }
      }
      if (peek(sc, 0) != '0') {
        break;
      }
      sc->p++;
    }
    bool nonzero = false;
    if (is_digit(peek(sc, 0))) {
      nonzero = true;
      sc->p++;
      if (!decimal_tail(s, sc)) {
        return false;
      }
    }
    c = peek(sc, 0);
    if (c == '.' || c == 'e' || c == 'E' || c == 'j' || c == 'J') {
      return scan_float_tail(s, sc, t, false);
    }
    if (nonzero) {
      return SYNTAX_ERROR(s, PY_SYNTAX_LEADING_ZEROS);
    }
    return verify_end_of_number(s, sc, "decimal");
  }
  sc->p++;
  if (!decimal_tail(s, sc)) {
    return false;
  }
  return scan_float_tail(s, sc, t, false);
}

static bool scan_string(pn_syntax *s, scanner *sc, token *t) {
  int quote = peek(sc, 0);
  size_t quote_size = (peek(sc, 1) == quote && peek(sc, 2) == quote) ? 3 : 1;
  sc->p += quote_size;
  t->body = sc->p;
  for (;;) {
    int c = peek(sc, 0);
    if (c < 0 || (quote_size == 1 && (c == '\n' || c == '\r'))) {
      if (t->fstring && s->minor >= 12) {
        /* 3.12's tokenizer reads a replacement field's expression inside
         * the literal: not modelled. */
        if (memchr(t->body, '{', (size_t)(sc->end - t->body)) != NULL ||
            memchr(t->body, '}', (size_t)(sc->end - t->body)) != NULL) {
          return pn_syntax_fail(s, "NotImplementedError", PN_FSTRING_FIELDS);
        }
        return quote_size == 3 ? SYNTAX_ERROR(s, PY_SYNTAX_UNTERMINATED_TRIPLE_FSTRING_PY312)
                               : SYNTAX_ERROR(s, PY_SYNTAX_UNTERMINATED_FSTRING_PY312);
      }
      if (quote_size == 3) {
        return SYNTAX_ERROR(s, PY_SYNTAX_UNTERMINATED_TRIPLE);
      }
      return SYNTAX_ERROR(s, PY_SYNTAX_UNTERMINATED_STRING);
    }
    if (c == quote && (quote_size == 1 || (peek(sc, 1) == quote && peek(sc, 2) == quote))) {
      t->body_len = (size_t)(sc->p - t->body);
      sc->p += quote_size;
      return true;
    }
    sc->p += (c == '\\' && sc->p + 1 < sc->end) ? 2 : 1;
  }
}

static bool push_token(pn_syntax *s, const token *t) {
  if (s->ntokens == s->tokens_cap) {
    size_t cap = s->tokens_cap ? s->tokens_cap * 2 : 64;
    token *grown = realloc(s->tokens, cap * sizeof *grown);
    if (grown == NULL) {
      s->out_of_memory = true;
      return false;
    }
    s->tokens = grown;
    s->tokens_cap = cap;
  }
  s->tokens[s->ntokens++] = *t;
  return true;
}

static const char *const kOperators[] = {
    "**=", "//=", ">>=", "<<=", "...", "!=", "%=", "&=", "**", "*=", "+=", "-=", "->",
    "//",  "/=",  ":=",  "<<",  "<=",  "<>", "==", ">=", ">>", "@=", "^=", "|=", NULL};

bool pn_syntax_tokenize(pn_syntax *s, const char *line, size_t len) {
  scanner sc = {line, line + len};
  int level = 0;
  while (sc.p < sc.end) {
    int c = peek(&sc, 0);
    if (c == ' ' || c == '\t' || c == '\f') {
      sc.p++;
      continue;
    }
    if (c == '#') {
      while (sc.p < sc.end && *sc.p != '\r') {
        sc.p++;
      }
      continue;
    }
    token t = {0};
    t.start = sc.p;
    t.level = level;
    if (c == '\r') {
      /* translate_newlines turns a CR into a line break; inside brackets
       * lines join. */
      sc.p++;
      if (level == 0) {
        t.kind = TOK_NEWLINE;
        t.len = 1;
        if (!push_token(s, &t)) {
          return false;
        }
      }
      continue;
    }
    if (c == '\\') {
      /* E_LINECONT is reported only if the parser gets this far, and the
       * tokenizer stops here. */
      t.kind = TOK_LINECONT;
      t.len = 1;
      if (!push_token(s, &t)) {
        return false;
      }
      break;
    }
    if (is_digit(c) || (c == '.' && is_digit(peek(&sc, 1)))) {
      t.kind = TOK_NUMBER;
      if (!scan_number(s, &sc, &t)) {
        return false;
      }
    } else if (c >= 0 && is_ident_start((uint32_t)c)) {
      /* A name, or a string prefix (any case of b, r, u, f and the pairs
       * rb, br, fr, rf) right before a quote. */
      bool saw_b = false, saw_r = false, saw_u = false, saw_f = false;
      const char *q = sc.p;
      for (; q < sc.end; q++) {
        int l = *q | 0x20;
        if (l == 'b' && !saw_b && !saw_u && !saw_f) {
          saw_b = true;
        } else if (l == 'r' && !saw_r && !saw_u) {
          saw_r = true;
        } else if (l == 'u' && !saw_b && !saw_r && !saw_u && !saw_f) {
          saw_u = true;
        } else if (l == 'f' && !saw_f && !saw_b && !saw_u) {
          saw_f = true;
        } else {
          break;
        }
      }
      if (q < sc.end && (*q == '\'' || *q == '"')) {
        sc.p = q;
        t.kind = TOK_STRING;
        t.bytes = saw_b;
        t.raw = saw_r;
        t.fstring = saw_f;
        if (!scan_string(s, &sc, &t)) {
          return false;
        }
      } else {
        t.kind = TOK_NAME;
        while (sc.p < sc.end) {
          uint32_t u;
          size_t n = utf8_decode((const unsigned char *)sc.p, (size_t)(sc.end - sc.p), &u);
          if (n == 0 || !is_ident_char(u)) {
            break;
          }
          if (u >= 0x80 && !is_unicode_letter(u)) {
            return SYNTAX_ERROR(s, PY_SYNTAX_INVALID_CHARACTER, (int)n, sc.p, u);
          }
          sc.p += n;
        }
      }
    } else if (c == '\'' || c == '"') {
      t.kind = TOK_STRING;
      if (!scan_string(s, &sc, &t)) {
        return false;
      }
    } else {
      t.kind = TOK_OP;
      size_t n = 1;
      for (const char *const *op = kOperators; *op != NULL; op++) {
        size_t l = strlen(*op);
        if ((size_t)(sc.end - sc.p) >= l && memcmp(sc.p, *op, l) == 0) {
          n = l;
          break;
        }
      }
      if (c == '(' || c == '[' || c == '{') {
        if (level >= MAX_LEVEL) {
          return SYNTAX_ERROR(s, PY_SYNTAX_TOO_MANY_NESTED);
        }
        s->opened[level++] = (char)c;
      } else if (c == ')' || c == ']' || c == '}') {
        if (level == 0) {
          return SYNTAX_ERROR(s, PY_SYNTAX_UNMATCHED, c);
        }
        char opening = s->opened[--level];
        if ((opening == '(') != (c == ')') || (opening == '[') != (c == ']')) {
          return SYNTAX_ERROR(s, PY_SYNTAX_MISMATCHED, c, opening);
        }
        t.level = level;
      }
      sc.p += n;
    }
    t.len = (size_t)(sc.p - t.start);
    if (!push_token(s, &t)) {
      return false;
    }
  }
  token end = {0};
  end.kind = TOK_END;
  end.start = sc.end;
  end.level = level;
  s->open_count = level;
  return push_token(s, &end);
}

/* ---- literal decoding (Parser/string_parser.c, Objects/unicodeobject.c) ---- */

static int hex_value(int c) {
  return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* The code points of a str literal's body. Non-raw bodies go through the
 * unicode-escape codec after each non-ASCII character is rewritten as
 * \UXXXXXXXX, which is why error positions count 10 bytes per such
 * character. */
bool pn_syntax_decode_str(pn_syntax *s, const token *t, uint32_t *out, size_t *out_len) {
  const unsigned char *p = (const unsigned char *)t->body;
  size_t n = t->body_len;
  size_t count = 0;
  size_t position = 0; /* in the rewritten bytes */
  for (size_t i = 0; i < n;) {
    uint32_t c;
    size_t len = utf8_decode(p + i, n - i, &c);
    if (len == 0) { /* checked before tokenizing */
      len = 1;
      c = p[i];
    }
    if (c != '\\' || t->raw) {
      out[count++] = c;
      i += len;
      position += c >= 0x80 ? 10 : 1;
      continue;
    }
    size_t start = position;
    int e = i + 1 < n ? p[i + 1] : -1;
    i += 2;
    position += 2;
    switch (e) {
      case '\\':
      case '\'':
      case '"':
        out[count++] = (uint32_t)e;
        continue;
      case 'a':
        out[count++] = 7;
        continue;
      case 'b':
        out[count++] = 8;
        continue;
      case 'f':
        out[count++] = 12;
        continue;
      case 'n':
        out[count++] = 10;
        continue;
      case 'r':
        out[count++] = 13;
        continue;
      case 't':
        out[count++] = 9;
        continue;
      case 'v':
        out[count++] = 11;
        continue;
      default:
        break;
    }
    if (e >= '0' && e <= '7') {
      uint32_t value = (uint32_t)(e - '0');
      for (int k = 0; k < 2 && i < n && p[i] >= '0' && p[i] <= '7'; k++, i++, position++) {
        value = value * 8 + (uint32_t)(p[i] - '0');
      }
      out[count++] = value;
      continue;
    }
    if (e == 'x' || e == 'u' || e == 'U') {
      int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      uint32_t value = 0;
      int k = 0;
      for (; k < digits && i < n && is_hex(p[i]); k++, i++, position++) {
        value = value * 16 + (uint32_t)hex_value(p[i]);
      }
      if (k < digits) {
        const char *what = e == 'x' ? "\\xXX" : e == 'u' ? "\\uXXXX" : "\\UXXXXXXXX";
        return SYNTAX_ERROR(s, PY_SYNTAX_TRUNCATED_ESCAPE, start, position - 1, what);
      }
      if (value > 0x10FFFF) {
        return SYNTAX_ERROR(s, PY_SYNTAX_ILLEGAL_UNICODE, start, position - 1);
      }
      out[count++] = value;
      continue;
    }
    if (e == 'N') {
      /* Needs Unicode's name database, which the reference does not carry. */
      return pn_syntax_fail(s, "NotImplementedError", "\\N{...} escapes are not modelled");
    }
    /* An unknown escape keeps its backslash (a DeprecationWarning only). */
    out[count++] = '\\';
    if (e >= 0) {
      i -= 1;
      position -= 1;
    }
  }
  *out_len = count;
  return true;
}

bool pn_syntax_decode_bytes(pn_syntax *s, const token *t, char *out, size_t *out_len) {
  const unsigned char *p = (const unsigned char *)t->body;
  size_t n = t->body_len;
  for (size_t i = 0; i < n; i++) {
    if (p[i] >= 0x80) {
      return SYNTAX_ERROR(s, PY_SYNTAX_BYTES_ASCII);
    }
  }
  size_t count = 0;
  for (size_t i = 0; i < n;) {
    if (p[i] != '\\' || t->raw) {
      out[count++] = (char)p[i++];
      continue;
    }
    size_t start = i;
    int e = i + 1 < n ? p[i + 1] : -1;
    i += 2;
    if (e == 'x') {
      if (i + 1 < n + 0 && is_hex(p[i]) && is_hex(p[i + 1])) {
        out[count++] = (char)(hex_value(p[i]) * 16 + hex_value(p[i + 1]));
        i += 2;
        continue;
      }
      return SYNTAX_ERROR(s, PY_SYNTAX_BAD_X_ESCAPE, start);
    }
    if (e >= '0' && e <= '7') {
      unsigned value = (unsigned)(e - '0');
      for (int k = 0; k < 2 && i < n && p[i] >= '0' && p[i] <= '7'; k++, i++) {
        value = value * 8 + (unsigned)(p[i] - '0');
      }
      out[count++] = (char)(value & 0xFF);
      continue;
    }
    const char *simple = strchr("\\\\''\"\"a\ab\bf\fn\nr\rt\tv\v", e > 0 ? e : 1);
    if (e > 0 && simple != NULL && (simple - "\\\\''\"\"a\ab\bf\fn\nr\rt\tv\v") % 2 == 0) {
      out[count++] = simple[1];
      continue;
    }
    out[count++] = '\\';
    if (e >= 0) {
      i -= 1;
    }
  }
  *out_len = count;
  return true;
}
