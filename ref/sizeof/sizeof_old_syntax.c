/* CPython 3.6 to 3.9's SyntaxErrors of a getsizeof line (sizeof_old_syntax.h). */
#include "ref/sizeof/sizeof_old_syntax.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ref/py/syntax_messages.h"

static int is_ident_char(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9') ||
         c >= 128;
}

/* Whether an operand can end with t (so that `not in` may follow). */
static int ends_operand(const py_token *t) {
  static const char *const kKeywordOperands[] = {"True", "False", "None"};
  if (t->kind == PY_T_NUMBER || t->kind == PY_T_STRING || py_token_is_op(t, ")") ||
      py_token_is_op(t, "]") || py_token_is_op(t, "}") || py_token_is_op(t, "...")) {
    return 1;
  }
  if (t->kind != PY_T_NAME) {
    return 0;
  }
  for (size_t i = 0; i < 3; i++) {
    if (py_token_is_word(t, kKeywordOperands[i])) {
      return 1;
    }
  }
  static const char *const kKeywords[] = {"and",  "or",  "not",    "in",    "is",    "if",
                                          "else", "for", "lambda", "await", "async", "yield"};
  for (size_t i = 0; i < sizeof kKeywords / sizeof kKeywords[0]; i++) {
    if (py_token_is_word(t, kKeywords[i])) {
      return 0;
    }
  }
  return 1;
}

static int next_is_not_call(const py_tokens *tokens, int i) {
  return i + 1 >= tokens->count || !py_token_is_op(&tokens->items[i + 1], "(");
}

int pn_old_repeated_keyword(const py_tokens *tokens) {
  for (int i = 0; i + 1 < tokens->count; i++) {
    const py_token *t = &tokens->items[i];
    if (t->kind != PY_T_NAME || !py_token_is_op(&tokens->items[i + 1], "=")) {
      continue;
    }
    for (int j = i + 2; j + 1 < tokens->count; j++) {
      const py_token *u = &tokens->items[j];
      if (u->kind == PY_T_NAME && u->len == t->len && memcmp(u->text, t->text, t->len) == 0 &&
          py_token_is_op(&tokens->items[j + 1], "=")) {
        return 1;
      }
    }
  }
  return 0;
}

/* Whether the line holds what the model leaves out (see the header). */
static int unmodelled(const pn_old_parse *parse, int minor) {
  const py_tokens *tokens = parse->tokens;
  if (memchr(parse->line, '\r', parse->len) != NULL) {
    return 1;
  }
  for (int i = 0; i < tokens->count; i++) {
    const py_token *t = &tokens->items[i];
    if (t->kind == PY_T_ERROR && t->into_name &&
        (unsigned char)parse->line[t->error_offset] >= 128) {
      return 1; /* then a name with a character no identifier takes */
    }
    if (t->kind == PY_T_NAME) {
      for (size_t k = 0; k < t->len; k++) {
        if ((unsigned char)t->text[k] >= 128) {
          return 1;
        }
      }
      if (minor == 6 && t->len == 5 &&
          (memcmp(t->text, "async", 5) == 0 || memcmp(t->text, "await", 5) == 0)) {
        return 1; /* names outside a coroutine in 3.6 */
      }
    }
    if ((py_token_is_word(t, "print") || py_token_is_word(t, "exec")) &&
        next_is_not_call(tokens, i)) {
      return 1; /* "Missing parentheses in call to 'print'" */
    }
    if (py_token_is_op(t, ":=") || py_token_is_word(t, "yield")) {
      return 1; /* refused where they parse, and `:=` is two tokens before 3.8 */
    }
    const py_token *next = i + 1 < tokens->count ? &tokens->items[i + 1] : NULL;
    if ((py_token_is_op(t, "*") || py_token_is_op(t, "**")) && next != NULL &&
        (py_token_is_word(next, "not") || py_token_is_word(next, "lambda"))) {
      return 1; /* the old grammar's '*' test takes them */
    }
    if (minor == 9 && py_token_is_op(t, "*") && i > 0 &&
        (py_token_is_op(&tokens->items[i - 1], "[") || py_token_is_op(&tokens->items[i - 1], "(") ||
         py_token_is_op(&tokens->items[i - 1], "{") ||
         py_token_is_op(&tokens->items[i - 1], ","))) {
      return 1; /* 3.9's invalid_comprehension reads '*' expression further */
    }
    if (t->level > 30) {
      return 1; /* 3.6 to 3.8's parser stack */
    }
  }
  return 0;
}

/* The tokenizer's error (token t) in 3.`minor`'s wording, or NULL when not
 * modelled; *as_operator when 3.6 and 3.7 read it as an operator (an
 * unmatched bracket, which they have no error for). */
static const char *tokenizer_error(const pn_old_parse *parse, const py_token *t, int minor,
                                   int *as_operator) {
  const char *m = t->message;
  *as_operator = 0;
  if (t->refusal || strstr(m, "too many nested") != NULL) {
    return NULL;
  }
  if (strncmp(m, "invalid character", 17) == 0) {
    return minor >= 9 ? m : PY_SYNTAX_INVALID_IDENTIFIER_PY36_38;
  }
  if (strcmp(m, PY_SYNTAX_UNTERMINATED_STRING) == 0) {
    return PY_SYNTAX_EOL_PY36_39;
  }
  if (strcmp(m, PY_SYNTAX_UNTERMINATED_TRIPLE) == 0) {
    return PY_SYNTAX_EOF_TRIPLE_PY36_39;
  }
  int number = strstr(m, " literal") != NULL || strcmp(m, PY_SYNTAX_LEADING_ZEROS) == 0;
  int bracket = strstr(m, "unmatched") != NULL || strstr(m, "does not match") != NULL;
  if (minor >= 8) {
    return number || bracket ? m : NULL;
  }
  if (bracket) {
    *as_operator = 1;
    return NULL;
  }
  if (number && strncmp(m, "invalid digit", 13) == 0) {
    /* Right after the prefix it is an invalid token (a digit after the
     * prefix's first ones ends the number there: split_number). */
    size_t start = (size_t)(t->text - parse->line);
    return t->error_offset == start + 3 ? PY_SYNTAX_INVALID_TOKEN_PY36_37 : NULL;
  }
  return number ? PY_SYNTAX_INVALID_TOKEN_PY36_37 : NULL;
}

/* A target's name in 3.`minor`'s wording, or NULL when not modelled. */
static const char *target_word(const char *target, int minor) {
  int keyword =
      strcmp(target, "None") == 0 || strcmp(target, "True") == 0 || strcmp(target, "False") == 0;
  if (strcmp(target, "ellipsis") == 0) {
    return "Ellipsis";
  }
  if (keyword) {
    return minor <= 7 ? "keyword" : target;
  }
  if (strcmp(target, "literal") == 0 || strcmp(target, "function call") == 0) {
    return target;
  }
  return NULL;
}

/* The deferred error in 3.`minor`'s wording into out, or 0. */
static int deferred_error(const pn_old_parse *parse, int minor, char *out, size_t size) {
  if (parse->target != NULL) {
    const char *word = target_word(parse->target, minor);
    if (word == NULL) {
      return 0;
    }
    char message[80];
    snprintf(message, sizeof message,
             minor <= 7 ? PY_SYNTAX_CANT_ASSIGN_PY36_37 : PY_SYNTAX_CANNOT_ASSIGN, word);
    snprintf(out, size, "%s (<string>, line 1)", message);
    return 1;
  }
  const char *m = parse->deferred; /* with its location */
  if (strncmp(m, PY_SYNTAX_BYTES_ASCII " (", strlen(PY_SYNTAX_BYTES_ASCII " (")) == 0) {
    snprintf(out, size, "%s (<string>, line 1)", PY_SYNTAX_BYTES_ASCII_PY36_39);
    return 1;
  } else if (strncmp(m, "Exceeds the limit", 17) == 0 &&
             !(parse->tokens->count == 2 && parse->tokens->items[0].kind == PY_T_NUMBER)) {
    return 0; /* a lone literal's; placed otherwise by each version's parsenumber */
  }
  snprintf(out, size, "%s", m);
  return 1;
}

size_t pn_old_number_split(int minor, const py_token *t, const char *line) {
  if (t->kind != PY_T_ERROR) {
    return 0;
  }
  if (t->into_name) {
    return t->error_offset;
  }
  size_t start = (size_t)(t->text - line);
  if (minor <= 7 && strncmp(t->message, "invalid digit", 13) == 0 && t->error_offset > start + 3) {
    return t->error_offset - 1;
  }
  return 0;
}

/* Where the token after a number ends, for a number the old tokenizers end
 * before what 3.10 reads as part of it (a name: `1abc` is 1 and abc; 3.6
 * and 3.7's bad digit: `0b102` is 0b10 and 2), the next token starting at
 * `at`; 0 when not modelled. */
static size_t split_number(const pn_old_parse *parse, size_t at) {
  const char *p = parse->line, *end = parse->line + parse->len;
  size_t i = at;
  if (p[i] >= '0' && p[i] <= '9') {
    while (p + i < end && p[i] >= '0' && p[i] <= '9') {
      i++;
    }
    bool zeros = p[at] == '0' && i > at + 1; /* an error of its own */
    return zeros || (p + i < end && (is_ident_char((unsigned char)p[i]) || p[i] == '.')) ? 0 : i;
  }
  while (p + i < end && is_ident_char((unsigned char)p[i])) {
    if ((unsigned char)p[i] >= 128) {
      return 0;
    }
    i++;
  }
  /* A keyword there may go on (`(1jasync for ...`, async being one from
   * 3.7): not modelled. */
  py_token name = {.kind = PY_T_NAME, .text = p + at, .len = i - at};
  return py_token_is_keyword(&name) ? 0 : i;
}

int pn_old_syntax_error(int minor, const pn_old_parse *parse, char *out, size_t size) {
  const py_tokens *tokens = parse->tokens;
  if (unmodelled(parse, minor)) {
    return 0;
  }
  const py_token *last = &tokens->items[tokens->count - 1];
  int stop = parse->fail_pos;
  if (stop < 0 && last->kind == PY_T_ERROR) {
    stop = tokens->count; /* the tokens before the error parsed: it reads on */
  }
  if (stop > 0 && py_token_is_word(&tokens->items[stop], "not") &&
      ends_operand(&tokens->items[stop - 1])) {
    stop++; /* `x not` may go on with `in`: the LL(1) parser stops after it */
  }
  if (minor == 9 && parse->deferred != NULL && stop >= 0 && parse->deferred_pos < stop &&
      !(last->kind == PY_T_ERROR && pn_old_number_split(minor, last, parse->line) == 0 &&
        parse->deferred_pos + 1 >= tokens->count - 1)) {
    /* 3.9's parser raises a literal's or target's error where it takes it,
     * once it has read the token after it (a tokenizer error there comes
     * first). */
    return deferred_error(parse, minor, out, size);
  }
  if (last->kind == PY_T_ERROR && (stop < 0 || stop >= tokens->count - 1)) {
    /* The parser reads the tokenizer's error. */
    size_t split = pn_old_number_split(minor, last, parse->line);
    if (split > 0 && stop == tokens->count - 1) {
      /* The parser stops at the number the old tokenizer ended early;
       * reading it read the character after it, and after an 'e' one more
       * (an exponent's digit). */
      bool exponent = (parse->line[split] | 0x20) == 'e';
      snprintf(out, size, "%s (<string>, line 1)",
               exponent && split + 1 == parse->len ? PY_SYNTAX_UNEXPECTED_EOF_PY36_39
                                                   : PY_SYNTAX_INVALID);
      return 1;
    }
    if (split > 0) {
      /* The number ends there, and the parser stops at the next token,
       * which no operand takes. */
      size_t next_end = split_number(parse, split);
      if (next_end == 0) {
        return 0;
      }
      snprintf(out, size, "%s (<string>, line 1)",
               next_end == parse->len ? PY_SYNTAX_UNEXPECTED_EOF_PY36_39 : PY_SYNTAX_INVALID);
      return 1;
    }
    int as_operator;
    const char *m = tokenizer_error(parse, last, minor, &as_operator);
    if (m != NULL) {
      snprintf(out, size, "%s (<string>, line 1)", m);
      return 1;
    }
    if (!as_operator) {
      return 0;
    }
    /* 3.6 and 3.7 stop at the bracket, which no valid prefix takes. */
    int at_end = last->text + 1 == parse->line + parse->len;
    snprintf(out, size, "%s (<string>, line 1)",
             at_end ? PY_SYNTAX_UNEXPECTED_EOF_PY36_39 : PY_SYNTAX_INVALID);
    return 1;
  }
  if (parse->deferred != NULL && (stop < 0 || (minor == 9 && parse->deferred_pos < stop))) {
    /* Up to 3.8 a literal's or target's error comes after the parse; 3.9's
     * parser raises it where it takes the literal or target. */
    return deferred_error(parse, minor, out, size);
  }
  if (stop < 0) {
    return 0;
  }
  const py_token *t = &tokens->items[stop];
  if (t->kind == PY_T_LINECONT) {
    snprintf(out, size, "%s (<string>, line 1)", PY_SYNTAX_LINE_CONTINUATION);
    return 1;
  }
  /* Reading a name, a number or an operator looks at the character after
   * it; a string ends at its quote, an ellipsis at its third dot. */
  bool ends_source = t->text + t->len == parse->line + parse->len;
  if (minor == 9 && py_token_is_op(t, "{") && ends_source) {
    return 0; /* 3.9 reports a last '{' either way */
  }
  int at_end =
      t->kind == PY_T_END || (t->kind != PY_T_STRING && !py_token_is_op(t, "...") && ends_source);
  /* An empty source is reported on line 0. */
  snprintf(out, size, "%s (<string>, line %d)",
           at_end ? PY_SYNTAX_UNEXPECTED_EOF_PY36_39 : PY_SYNTAX_INVALID, parse->len == 0 ? 0 : 1);
  return 1;
}
