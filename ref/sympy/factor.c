/* factor, cancel and solve (factor.h): the choice between the univariate
 * and multivariate layers. */
#include "ref/sympy/factor.h"

#include "ref/sympy/mpoly_factor.h"
#include "ref/sympy/mpoly_solve.h"
#include "ref/sympy/poly.h"

const sy_expr *sy_factor(sy_ctx *ctx, const sy_expr *e) {
  return e->kind != SY_NUM && sy_has_several_symbols(e) ? sy_mfactor(ctx, e)
                                                        : sy_factor_univariate(ctx, e);
}

const sy_expr *sy_cancel(sy_ctx *ctx, const sy_expr *e) {
  return e->kind != SY_NUM && sy_has_several_symbols(e) ? sy_mcancel(ctx, e)
                                                        : sy_cancel_univariate(ctx, e);
}

int sy_solve(sy_ctx *ctx, const sy_expr *e, const sy_expr *x, const sy_expr ***roots,
             size_t *count) {
  if (sy_has_several_symbols(e)) {
    *count = 0;
    *roots = NULL;
    return sy_msolve(ctx, e, x, roots, count);
  }
  return sy_solve_univariate(ctx, e, x, roots, count);
}
