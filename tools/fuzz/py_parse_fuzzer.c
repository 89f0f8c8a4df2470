/* libFuzzer target: ref/py's tokenizer and parser (py_parse_expression) on
 * any bytes answer a tree whose every child and argument index names a node
 * of the tree, or exactly one exception with a one-line message; no crash,
 * leak or undefined behaviour. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ref/py/parse.h"

/* Whether index is a node of expr or -1 (none). */
static int is_index(const py_expr *expr, int index) {
  return index >= -1 && index < expr->count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  py_expr expr;
  memset(&expr, 0, sizeof expr);
  py_error error = PY_ERROR_INIT;
  if (py_parse_expression(&expr, (const char *)data, size, "fuzzed", &error) == 0) {
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
