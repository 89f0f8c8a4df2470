/*
 * expand and its hints as sympy 1.11's Expr.expand applies them: each
 * enabled hint once over the whole tree (log, multinomial, mul, power_base,
 * then power_exp), bottom-up, and then multinomial, mul and log again
 * until nothing changes. The hints follow the _eval_expand_* methods of Mul,
 * Pow, exp and log without `force`: only what holds for complex symbols.
 */
#ifndef PYNOTES_REF_SYMPY_EXPAND_H_
#define PYNOTES_REF_SYMPY_EXPAND_H_

#include <stdbool.h>

#include "ref/sympy/expr.h"

typedef struct sy_hints {
  bool deep;        /* into the arguments, not only the top node */
  bool mul;         /* products of sums multiplied out */
  bool multinomial; /* rational powers of sums above 1 expanded */
  bool power_exp;   /* a**(n + m) -> a**n*a**m, exp(x + y) -> exp(x)*exp(y) */
  bool power_base;  /* (2*x)**y -> 2**y*x**y */
  bool log;         /* log(2*x) -> log(x) + log(2), log(8) -> 3*log(2) */
  bool force;       /* log and power_base without their assumptions on signs */
} sy_hints;

/* expand(e) with every hint: NULL with ctx's error set on failure. */
const sy_expr *sy_expand(sy_ctx *ctx, const sy_expr *e);

/* expand(e, **hints). NULL with ctx's error set on failure. */
const sy_expr *sy_expand_with(sy_ctx *ctx, const sy_expr *e, const sy_hints *hints);

#endif /* PYNOTES_REF_SYMPY_EXPAND_H_ */
