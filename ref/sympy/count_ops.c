/* fraction and count_ops for the subset of simplify (count_ops.h). */
#include "ref/sympy/count_ops.h"

#include <string.h>

#include "ref/sympy/simplify_terms.h"

#define OUTSIDE "outside the sympy subset of pyref"

/* fraction(e): numerator and denominator, by the signs of exponents. */
int sy_fraction(sy_ctx *ctx, const sy_expr *e, const sy_expr **num, const sy_expr **den) {
  const sy_expr *const *terms = &e;
  size_t n = 1;
  if (e->kind == SY_MUL) {
    terms = e->args;
    n = e->n;
  }
  const sy_expr **nu = sy_alloc(ctx, (n + 1) * sizeof *nu);
  const sy_expr **de = sy_alloc(ctx, (n + 1) * sizeof *de);
  if (nu == NULL || de == NULL) {
    return -1;
  }
  size_t nn = 0, nd = 0;
  for (size_t i = 0; i < n; i++) {
    const sy_expr *t = terms[i];
    if (t->kind == SY_POW && sy_st_is_negative_num(t->args[1])) {
      de[nd++] = sy_is_int(t->args[1], -1) ? t->args[0]
                                           : sy_pow(ctx, t->args[0], sy_st_neg(ctx, t->args[1]));
    } else if (t->kind == SY_NUM && mpz_cmp_ui(mpq_denref(t->q), 1) != 0) {
      if (mpz_cmp_ui(mpq_numref(t->q), 1) != 0) {
        mpq_t p;
        mpq_init(p);
        mpq_set_z(p, mpq_numref(t->q));
        nu[nn++] = sy_number(ctx, p);
        mpq_clear(p);
      }
      mpq_t q;
      mpq_init(q);
      mpq_set_z(q, mpq_denref(t->q));
      de[nd++] = sy_number(ctx, q);
      mpq_clear(q);
    } else {
      nu[nn++] = t;
    }
  }
  if (ctx->failed) {
    return -1;
  }
  *num = nn == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, nu, nn);
  *den = nd == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, de, nd);
  return ctx->failed ? -1 : 0;
}

long sy_count_ops(sy_ctx *ctx, const sy_expr *e) {
  if (!sy_st_in_subset(e)) {
    sy_fail(ctx, "NotImplementedError", "count_ops of this expression is " OUTSIDE);
    return -1;
  }
  size_t cap = 64, top = 0;
  const sy_expr **stack = sy_alloc(ctx, cap * sizeof *stack);
  if (stack == NULL) {
    return -1;
  }
  long ops = 0;
#define PUSH(x)                                                     \
  do {                                                              \
    if (top == cap) {                                               \
      const sy_expr **more = sy_alloc(ctx, 2 * cap * sizeof *more); \
      if (more == NULL) {                                           \
        return -1;                                                  \
      }                                                             \
      memcpy(more, stack, cap * sizeof *more);                      \
      stack = more;                                                 \
      cap *= 2;                                                     \
    }                                                               \
    stack[top++] = (x);                                             \
  } while (0)
  PUSH(e);
  while (top > 0) {
    const sy_expr *a = stack[--top];
    if (a == NULL) {
      return -1;
    }
    if (a->kind == SY_NUM) {
      if (!sy_st_is_one(a)) {
        ops += mpq_sgn(a->q) < 0;
        ops += mpz_cmp_ui(mpq_denref(a->q), 1) != 0;
        continue;
      }
    } else if (a->kind == SY_MUL) {
      if (sy_st_coeff_isneg(a)) {
        ops++; /* NEG */
        if (sy_is_int(a->args[0], -1)) {
          a = a->n == 2 ? a->args[1]
                        : sy_st_mul_from_args(ctx, (const sy_expr **)a->args + 1, a->n - 1);
        } else {
          a = sy_st_neg(ctx, a);
        }
        if (a == NULL) {
          return -1;
        }
      }
      const sy_expr *n, *d;
      if (sy_fraction(ctx, a, &n, &d) != 0) {
        return -1;
      }
      if (sy_st_is_integer(n)) {
        ops++; /* DIV */
        ops += mpq_sgn(n->q) < 0;
        PUSH(d);
        continue;
      } else if (!sy_st_is_one(d)) {
        if (!sy_st_is_integer(d)) {
          PUSH(d);
        }
        ops++; /* DIV */
        PUSH(n);
        continue;
      }
    } else if (a->kind == SY_ADD) {
      size_t negs = 0;
      for (size_t i = 0; i < a->n; i++) {
        if (sy_st_coeff_isneg(a->args[i])) {
          negs++;
          PUSH(sy_st_neg(ctx, a->args[i]));
        } else {
          PUSH(a->args[i]);
        }
        if (i > 0) {
          ops++; /* ADD or SUB */
        }
      }
      if (negs == a->n) {
        ops++; /* NEG */
      }
      continue;
    }
    if (a->kind == SY_POW && sy_is_int(a->args[1], -1)) {
      ops++; /* DIV */
      PUSH(a->args[0]);
      continue;
    }
    if (a->kind == SY_MUL) {
      ops += (long)a->n - 1;
    } else if (a->kind == SY_POW) {
      ops++;
    }
    if (a->kind != SY_SYM) {
      for (size_t i = 0; i < a->n; i++) {
        PUSH(a->args[i]);
      }
    }
  }
#undef PUSH
  return ops;
}
