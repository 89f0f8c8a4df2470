/* The sympy benchmark's inputs (sympy_texts.h). */
#include "tools/benchmarks/sympy_texts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *pn_sympy_bench_text10k(const char *pow_op) {
  size_t cap = 10240 + 128, len = 0;
  char *text = malloc(cap);
  for (int k = 0; text != NULL && len < 10240; k++) {
    len += (size_t)snprintf(text + len, cap - len, "%s%d*x%s%d*y%s%d*z", k ? " + " : "",
                            k * 7919 % 1000 + 1, pow_op, k % 9, pow_op, k % 7);
  }
  return text;
}
