/* Checks of a getsizeof line's tokens that decide what the reader refuses
 * (sizeof_token_checks.h). */
#include "ref/sizeof/sizeof_token_checks.h"

#include <stdlib.h>
#include <string.h>

#include "ref/py/literal.h"
#include "ref/py/syntax_messages.h"

/* Whether the token can begin an expression (for the forgotten-comma hint). */
bool pn_token_starts_expression(const py_token *t) {
  if (t->kind == PY_T_NUMBER || t->kind == PY_T_STRING) {
    return true;
  }
  if (t->kind == PY_T_NAME) {
    return !py_token_is_keyword(t) || py_token_is_word(t, "True") || py_token_is_word(t, "False") ||
           py_token_is_word(t, "None") || py_token_is_word(t, "not") ||
           py_token_is_word(t, "lambda") || py_token_is_word(t, "await");
  }
  return py_token_is_op(t, "(") || py_token_is_op(t, "[") || py_token_is_op(t, "{") ||
         py_token_is_op(t, "-") || py_token_is_op(t, "+") || py_token_is_op(t, "~") ||
         py_token_is_op(t, "...");
}

/* Whether the tokens hold a mistake 3.13's parser names where 3.11's says
 * "invalid syntax", not modelled: `not` right after an operator
 * (invalid_arithmetic, invalid_factor: "'not' after an operator must be
 * parenthesized") or a `*` before what cannot start an expression
 * (invalid_starred_expression: "Invalid star expression"). */
bool pn_has_py313_mistake(const py_tokens *toks) {
  for (size_t i = 0; i + 1 < (size_t)toks->count; i++) {
    const py_token *t = &toks->items[i], *next = &toks->items[i + 1];
    if (t->kind != PY_T_OP) {
      continue;
    }
    if (py_token_is_word(next, "not") && strchr("+-*/%@~", t->text[0]) != NULL) {
      return true;
    }
    if (py_token_is_op(t, "*") && !pn_token_starts_expression(next)) {
      return true;
    }
  }
  return false;
}

/* What the reader refuses wherever it stands: `yield` (valid in a lambda,
 * its errors elsewhere not modelled) and `:=` (whose targets and places
 * are not). NULL when no token is. */
const char *pn_refused_token(const py_tokens *toks) {
  for (size_t i = 0; i < (size_t)toks->count; i++) {
    if (py_token_is_word(&toks->items[i], "yield")) {
      return "yield is";
    }
    if (py_token_is_op(&toks->items[i], ":=")) {
      return "':=' is";
    }
  }
  return NULL;
}

/* After the parser's own SyntaxError (not the tokenizer's, not a literal's):
 * whether CPython's error pass, whose probes the reader models only in part,
 * may reach something that raises another error instead — a stray
 * backslash, a literal that does not decode (or a decimal int past the
 * digit limit), the end of the line inside brackets — or parse `print` or
 * `exec` not called (invalid_legacy_expression: "Missing parentheses in
 * call to 'print'"). */
bool pn_parser_error_unsure(const py_tokens *toks, const char *message) {
  if (strncmp(message, PY_SYNTAX_IN_EXPECTED_PY313, strlen(PY_SYNTAX_IN_EXPECTED_PY313)) == 0) {
    return false; /* raised where the targets end, before any probe runs */
  }
  bool linecont_error = strstr(message, "line continuation") != NULL;
  bool never_closed = strstr(message, "was never closed") != NULL;
  if (toks->open_count > 0 && !never_closed && !linecont_error) {
    return true;
  }
  for (size_t i = 0; i < (size_t)toks->count; i++) {
    const py_token *t = &toks->items[i];
    if (t->kind == PY_T_LINECONT && !linecont_error) {
      return true;
    }
    if ((py_token_is_word(t, "print") || py_token_is_word(t, "exec")) &&
        !py_token_is_op(&toks->items[i + 1], "(")) {
      return true;
    }
    if (t->kind == PY_T_NUMBER && t->number == PY_NUM_INT && t->base == 10 && t->len > 4300) {
      return true;
    }
    if (t->kind == PY_T_STRING && !linecont_error) {
      /* Decoding only checks here. A
       * backslash reached after a run of literals is reported before they
       * are decoded (3.11) or the run was decoded first (3.12). */
      char *bytes = malloc(t->body_len + 1);
      uint32_t *chars = malloc((t->body_len + 1) * sizeof *chars);
      size_t n;
      py_error error = PY_ERROR_INIT;
      bool ok = bytes != NULL && chars != NULL &&
                (t->bytes ? py_decode_bytes(t, bytes, &n, &error)
                          : py_decode_str(t, chars, &n, &error)) == 0;
      free(bytes);
      free(chars);
      if (!ok) {
        return true;
      }
    }
  }
  return false;
}

/* Whether a token is `async` or `await`, names outside a coroutine in 3.6. */
bool pn_has_async_word(const py_tokens *toks) {
  for (int i = 0; i < toks->count; i++) {
    if (py_token_is_word(&toks->items[i], "async") || py_token_is_word(&toks->items[i], "await")) {
      return true;
    }
  }
  return false;
}
