/* libFuzzer target: ref/py's tokenizer and parser (py_parse_expression) on
 * any bytes answer a tree whose every child and argument index names a node
 * of the tree, or exactly one exception with a one-line message; the
 * tokenizer without a subset (the getsizeof reader's) ends its tokens with
 * PY_T_END or PY_T_ERROR, each inside the source, and decodes every string
 * literal of a UTF-8 source or raises; no crash, leak or undefined
 * behaviour. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ref/py/literal.h"
#include "ref/py/parse.h"
#include "ref/py/tokenize.h"

/* Whether index is a node of expr or -1 (none). */
static int is_index(const py_expr *expr, int index) {
  return index >= -1 && index < expr->count;
}

/* Every token of the whole grammar's tokenizer inside the source, and each
 * string literal decoded or refused with one exception. */
static void check_full_tokens(const uint8_t *data, size_t size) {
  py_error error = PY_ERROR_INIT;
  if (py_check_source(data, size, 11, &error) != 0) {
    return;
  }
  py_tokens tokens;
  memset(&tokens, 0, sizeof tokens);
  py_token_options options = {NULL, false, 6 + size % 8, false};
  if (py_tokenize((const char *)data, size, &options, &tokens) == 0) {
    const py_token *last = &tokens.items[tokens.count - 1];
    if (last->kind != PY_T_END && last->kind != PY_T_ERROR) {
      __builtin_trap();
    }
    for (int i = 0; i < tokens.count; i++) {
      const py_token *t = &tokens.items[i];
      if (t->text < (const char *)data || t->text + t->len > (const char *)data + size) {
        __builtin_trap();
      }
      if (t->kind != PY_T_STRING) {
        continue;
      }
      char *bytes = malloc(t->body_len + 1);
      uint32_t *chars = malloc((t->body_len + 1) * sizeof *chars);
      size_t n = 0;
      py_error decoded = PY_ERROR_INIT;
      int rc = t->bytes ? py_decode_bytes(t, bytes, &n, &decoded)
                        : py_decode_str(t, chars, &n, &decoded);
      if ((rc == 0) != (decoded.type == NULL) || n > t->body_len) {
        __builtin_trap();
      }
      free(bytes);
      free(chars);
    }
  }
  py_tokens_free(&tokens);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  check_full_tokens(data, size);
  py_expr expr;
  memset(&expr, 0, sizeof expr);
  py_error error = PY_ERROR_INIT;
  /* The first byte chooses the displays taken, so both kinds of caller are fuzzed. */
  int displays = size > 0 ? data[0] & (PY_DISPLAY_LISTS | PY_DISPLAY_TUPLES) : PY_DISPLAYS_NONE;
  if (py_parse_expression(&expr, (const char *)data, size, "fuzzed", displays, &error) == 0) {
    if (error.type != NULL || expr.root < 0 || expr.root >= expr.count) {
      __builtin_trap();
    }
    for (int i = 0; i < expr.count; i++) {
      const py_node *n = &expr.nodes[i];
      if (!is_index(&expr, n->a) || !is_index(&expr, n->b) || !is_index(&expr, n->c) ||
          !is_index(&expr, n->next)) {
        __builtin_trap();
      }
    }
  } else if (error.type == NULL || strchr(error.message, '\n') != NULL) {
    __builtin_trap();
  }
  py_expr_free(&expr);
  return 0;
}
