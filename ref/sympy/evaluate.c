/* sympy's rules installed into a context (evaluate.h). */
#include "ref/sympy/evaluate.h"

#include "ref/sympy/expr.h"
#include "ref/sympy/functions.h"
#include "ref/sympy/order.h"
#include "ref/sympy/powers.h"
#include "ref/sympy/special.h"

static const sy_rules kSympyRules = {
    .sort_by_key = sy_sort_by_key,
    .add_special = sy_add_special,
    .mul_special = sy_mul_special,
    .pow_special = sy_pow_special,
    .pow_symbolic = sy_pow_symbolic,
    .func = sy_eval_function,
};

void sy_ctx_init(sy_ctx *ctx, size_t limit) {
  sy_arena_init(ctx, limit);
  ctx->rules = &kSympyRules;
}
