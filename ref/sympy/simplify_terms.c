/* The node arithmetic simplify's helpers share (simplify_terms.h). */
#include "ref/sympy/simplify_terms.h"

#include <string.h>

bool sy_st_is_num(const sy_expr *e) {
  return e != NULL && e->kind == SY_NUM;
}

bool sy_st_is_integer(const sy_expr *e) {
  return sy_st_is_num(e) && mpz_cmp_ui(mpq_denref(e->q), 1) == 0;
}

bool sy_st_is_negative_num(const sy_expr *e) {
  return sy_st_is_num(e) && mpq_sgn(e->q) < 0;
}

bool sy_st_is_one(const sy_expr *e) {
  return sy_is_int(e, 1);
}

/* The subset: Rationals, Symbols, and sums, products and integer powers
 * of them. */
bool sy_st_in_subset(const sy_expr *e) {
  if (e->has_i || e->has_special || e->has_float) {
    return false;
  }
  switch (e->kind) {
    case SY_NUM:
    case SY_SYM:
      return true;
    case SY_POW:
      if (!sy_st_is_integer(e->args[1]) || !mpz_fits_slong_p(mpq_numref(e->args[1]->q))) {
        return false;
      }
      return sy_st_in_subset(e->args[0]);
    case SY_ADD:
    case SY_MUL:
      for (size_t i = 0; i < e->n; i++) {
        if (!sy_st_in_subset(e->args[i])) {
          return false;
        }
      }
      return true;
    default:
      return false;
  }
}

const sy_expr *sy_st_num_op(sy_ctx *ctx, const sy_expr *a, const sy_expr *b,
                            void (*op)(mpq_ptr, mpq_srcptr, mpq_srcptr)) {
  if (a == NULL || b == NULL) {
    return NULL;
  }
  mpq_t r;
  mpq_init(r);
  op(r, a->q, b->q);
  const sy_expr *out = sy_number(ctx, r);
  mpq_clear(r);
  return out;
}

/* Mul._from_args: one arg is itself, none is 1. */
const sy_expr *sy_st_mul_from_args(sy_ctx *ctx, const sy_expr **args, size_t n) {
  if (n == 0) {
    return sy_integer(ctx, 1);
  }
  return sy_mul_unevaluated(ctx, args, n);
}

/* -e as sympy negates: Mul.__neg__ flips the coefficient without
 * evaluating, a Number is negated, anything else is Mul(-1, e). */
const sy_expr *sy_st_neg(sy_ctx *ctx, const sy_expr *e) {
  if (e == NULL) {
    return NULL;
  }
  if (e->kind == SY_NUM) {
    mpq_t r;
    mpq_init(r);
    mpq_neg(r, e->q);
    const sy_expr *out = sy_number(ctx, r);
    mpq_clear(r);
    return out;
  }
  if (e->kind == SY_MUL) {
    const sy_expr **args = sy_alloc(ctx, (e->n + 1) * sizeof *args);
    if (args == NULL) {
      return NULL;
    }
    size_t n = 0;
    if (sy_st_is_num(e->args[0])) {
      /* as_coeff_mul, then the negated coefficient multiplies into a
       * leading Number of the rest (Mul(-1/3, 1) negates to 1/3). */
      const sy_expr *c = sy_st_neg(ctx, e->args[0]);
      memcpy(args, e->args + 1, (e->n - 1) * sizeof *args);
      n = e->n - 1;
      if (c != NULL && !sy_st_is_one(c)) {
        if (sy_st_is_num(args[0])) {
          args[0] =
              sy_is_int(c, -1) ? sy_st_neg(ctx, args[0]) : sy_st_num_op(ctx, args[0], c, mpq_mul);
        } else {
          memmove(args + 1, args, n * sizeof *args);
          args[0] = c;
          n++;
        }
      }
    } else {
      args[n++] = sy_integer(ctx, -1);
      memcpy(args + n, e->args, e->n * sizeof *args);
      n += e->n;
    }
    return ctx->failed ? NULL : sy_st_mul_from_args(ctx, args, n);
  }
  return sy_mul2(ctx, sy_integer(ctx, -1), e);
}

/* _coeff_isneg */
bool sy_st_coeff_isneg(const sy_expr *e) {
  if (e->kind == SY_MUL) {
    e = e->args[0];
  }
  return sy_st_is_negative_num(e);
}

/* as_coeff_Mul: the Rational coefficient and the rest. */
const sy_expr *sy_st_coeff_mul(sy_ctx *ctx, const sy_expr *e, const sy_expr **rest) {
  if (e->kind == SY_NUM) {
    *rest = sy_integer(ctx, 1);
    return e;
  }
  if (e->kind == SY_MUL && sy_st_is_num(e->args[0])) {
    *rest = sy_st_mul_from_args(ctx, (const sy_expr **)e->args + 1, e->n - 1);
    return e->args[0];
  }
  *rest = e;
  return sy_integer(ctx, 1);
}

/* e's args, each through f, in an arena array; NULL when one fails. */
const sy_expr **sy_st_map_args(sy_ctx *ctx, const sy_expr *e,
                               const sy_expr *(*f)(sy_ctx *, const sy_expr *)) {
  const sy_expr **args = sy_alloc(ctx, (e->n ? e->n : 1) * sizeof *args);
  for (size_t i = 0; args != NULL && i < e->n; i++) {
    if ((args[i] = f(ctx, e->args[i])) == NULL) {
      return NULL;
    }
  }
  return args;
}
