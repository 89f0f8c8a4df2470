/* Rational powers of positive integers in a product (radicals.h), step by
 * step as Mul.flatten takes them. */
#include "ref/sympy/radicals.h"

#include <stdlib.h>
#include <string.h>

/* Numbers above this many bits are refused, as expr.c refuses them. */
enum { MAX_BITS = 1 << 22 };

typedef struct list {
  sy_radical *items;
  size_t count, cap;
} list;

static int push(sy_ctx *ctx, list *l, mpz_srcptr base, mpq_srcptr exp) {
  if (l->count == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 8;
    sy_radical *items = realloc(l->items, cap * sizeof *items);
    if (items == NULL) {
      sy_fail(ctx, "MemoryError", "%s", "");
      return -1;
    }
    l->items = items;
    l->cap = cap;
  }
  sy_radical *r = &l->items[l->count++];
  mpz_init_set(r->base, base);
  mpq_init(r->exp);
  mpq_set(r->exp, exp);
  return 0;
}

static void list_free(list *l) {
  for (size_t i = 0; i < l->count; i++) {
    mpz_clear(l->items[i].base);
    mpq_clear(l->items[i].exp);
  }
  free(l->items);
  *l = (list){0};
}

int sy_radicals_add(sy_ctx *ctx, sy_radicals *r, mpz_srcptr base, mpq_srcptr exp) {
  list l = {r->items, r->count, r->cap};
  int status = push(ctx, &l, base, exp);
  r->items = l.items;
  r->count = l.count;
  r->cap = l.cap;
  return status;
}

void sy_radicals_free(sy_radicals *r) {
  list l = {r->items, r->count, r->cap};
  list_free(&l);
  *r = (sy_radicals){0};
}

/* coeff *= base**k, refusing results too large to hold. */
static int multiply_power(sy_ctx *ctx, mpq_t coeff, mpz_srcptr base, mpz_srcptr k) {
  if (!mpz_fits_ulong_p(k) || (double)mpz_sizeinbase(base, 2) * mpz_get_d(k) > (double)MAX_BITS) {
    sy_fail(ctx, "MemoryError", "%s", "");
    return -1;
  }
  mpz_t p;
  mpz_init(p);
  mpz_pow_ui(p, base, mpz_get_ui(k));
  mpz_mul(mpq_numref(coeff), mpq_numref(coeff), p);
  mpq_canonicalize(coeff);
  mpz_clear(p);
  return 0;
}

/* Takes the integer part out of an exponent above 1 (coeff *= b**(p//q),
 * e becomes (p%q)/q); returns whether a non-integer exponent remains. */
static int reduce(sy_ctx *ctx, mpq_t coeff, mpz_srcptr b, mpq_t e, bool *remains) {
  *remains = false;
  if (mpz_cmp_ui(mpq_denref(e), 1) == 0) {
    return multiply_power(ctx, coeff, b, mpq_numref(e));
  }
  if (mpz_cmp(mpq_numref(e), mpq_denref(e)) > 0) {
    mpz_t whole;
    mpz_init(whole);
    mpz_fdiv_qr(whole, mpq_numref(e), mpq_numref(e), mpq_denref(e));
    int status = multiply_power(ctx, coeff, b, whole);
    mpz_clear(whole);
    if (status != 0) {
      return -1;
    }
  }
  *remains = true;
  return 0;
}

/* Adds base to the product kept for exp in l (a dict exp -> Mul(bases)). */
static int group_by_exp(sy_ctx *ctx, list *l, mpz_srcptr base, mpq_srcptr exp) {
  for (size_t i = 0; i < l->count; i++) {
    if (mpq_equal(l->items[i].exp, exp)) {
      mpz_mul(l->items[i].base, l->items[i].base, base);
      return 0;
    }
  }
  return push(ctx, l, base, exp);
}

/* Pow(base, exp) evaluated, its numbers multiplied into coeff and its
 * powers of integers grouped into pnew by exponent. */
typedef struct factors {
  const sy_expr **items;
  size_t count, cap;
} factors;

static int append(sy_ctx *ctx, factors *f, const sy_expr *e) {
  if (f->count == f->cap) {
    size_t cap = f->cap ? f->cap * 2 : 8;
    const sy_expr **items = realloc(f->items, cap * sizeof *items);
    if (items == NULL) {
      sy_fail(ctx, "MemoryError", "%s", "");
      return -1;
    }
    f->items = items;
    f->cap = cap;
  }
  f->items[f->count++] = e;
  return 0;
}

static int evaluate_into(sy_ctx *ctx, sy_pow_fn power, mpz_srcptr base, mpq_srcptr exp, mpq_t coeff,
                         list *pnew, factors *others) {
  const sy_expr *b = sy_integer_z(ctx, base), *e = sy_number(ctx, exp);
  const sy_expr *p = power(ctx, b, e);
  if (p == NULL) {
    return -1;
  }
  const sy_expr *const *parts = &p;
  size_t n = 1;
  if (p->kind == SY_MUL) {
    parts = p->args;
    n = p->n;
  }
  for (size_t i = 0; i < n; i++) {
    const sy_expr *f = parts[i];
    if (f->kind == SY_NUM) {
      mpq_mul(coeff, coeff, f->q);
    } else if (f->kind == SY_POW && f->args[0]->kind == SY_NUM && f->args[1]->kind == SY_NUM &&
               mpz_cmp_ui(mpq_denref(f->args[0]->q), 1) == 0) {
      if (group_by_exp(ctx, pnew, mpq_numref(f->args[0]->q), f->args[1]->q) != 0) {
        return -1;
      }
    } else if (append(ctx, others, f) != 0) {
      return -1;
    }
  }
  return 0;
}

int sy_radicals_combine(sy_ctx *ctx, const sy_radicals *r, mpq_t coeff, sy_pow_fn power,
                        const sy_expr ***out, size_t *count) {
  list sums = {0}, comb = {0}, num_rat = {0}, pnew = {0};
  factors others = {0}, result = {0};
  mpz_t g;
  mpq_t e;
  mpz_init(g);
  mpq_init(e);
  int status = -1;
  /* pnum_rat: each base with the sum of its exponents. */
  for (size_t i = 0; i < r->count; i++) {
    size_t j = 0;
    while (j < sums.count && mpz_cmp(sums.items[j].base, r->items[i].base) != 0) {
      j++;
    }
    if (j < sums.count) {
      mpq_add(sums.items[j].exp, sums.items[j].exp, r->items[i].exp);
    } else if (push(ctx, &sums, r->items[i].base, r->items[i].exp) != 0) {
      goto done;
    }
  }
  /* comb_e: bases with equal exponent sums multiplied together. */
  for (size_t i = 0; i < sums.count; i++) {
    if (group_by_exp(ctx, &comb, sums.items[i].base, sums.items[i].exp) != 0) {
      goto done;
    }
  }
  for (size_t i = 0; i < comb.count; i++) {
    bool remains;
    if (reduce(ctx, coeff, comb.items[i].base, comb.items[i].exp, &remains) != 0 ||
        (remains && push(ctx, &num_rat, comb.items[i].base, comb.items[i].exp) != 0)) {
      goto done;
    }
  }
  /* Common factors of the bases pooled: 4**r1*6**r2 -> 2**(r1+r2)*2**r1*3**r2.
   * num_rat grows while it is walked. */
  for (size_t i = 0; i < num_rat.count; i++) {
    mpz_t bi;
    mpz_init_set(bi, num_rat.items[i].base);
    list grow = {0};
    bool failed = false;
    for (size_t j = i + 1; j < num_rat.count && !failed; j++) {
      mpz_gcd(g, bi, num_rat.items[j].base);
      if (mpz_cmp_ui(g, 1) == 0) {
        continue;
      }
      bool remains;
      mpq_add(e, num_rat.items[i].exp, num_rat.items[j].exp);
      failed = reduce(ctx, coeff, g, e, &remains) != 0 || (remains && push(ctx, &grow, g, e) != 0);
      mpz_divexact(num_rat.items[j].base, num_rat.items[j].base, g);
      mpz_divexact(bi, bi, g);
      if (mpz_cmp_ui(bi, 1) == 0) {
        break;
      }
    }
    if (!failed && mpz_cmp_ui(bi, 1) != 0) {
      failed = evaluate_into(ctx, power, bi, num_rat.items[i].exp, coeff, &pnew, &others) != 0;
    }
    for (size_t k = 0; !failed && k < grow.count; k++) {
      failed = push(ctx, &num_rat, grow.items[k].base, grow.items[k].exp) != 0;
    }
    list_free(&grow);
    mpz_clear(bi);
    if (failed) {
      goto done;
    }
  }
  /* pnew: the bases sharing an exponent multiplied under one power. */
  for (size_t i = 0; i < pnew.count; i++) {
    const sy_expr *p =
        power(ctx, sy_integer_z(ctx, pnew.items[i].base), sy_number(ctx, pnew.items[i].exp));
    if (p == NULL) {
      goto done;
    }
    const sy_expr *const *parts = &p;
    size_t n = 1;
    if (p->kind == SY_MUL) {
      parts = p->args;
      n = p->n;
    }
    for (size_t k = 0; k < n; k++) {
      if (parts[k]->kind == SY_NUM) {
        mpq_mul(coeff, coeff, parts[k]->q);
      } else if (append(ctx, &result, parts[k]) != 0) {
        goto done;
      }
    }
  }
  for (size_t i = 0; i < others.count; i++) {
    if (append(ctx, &result, others.items[i]) != 0) {
      goto done;
    }
  }
  *count = result.count;
  *out = sy_alloc(ctx, (result.count + 1) * sizeof **out);
  if (*out == NULL) {
    goto done;
  }
  if (result.count > 0) {
    memcpy(*out, result.items, result.count * sizeof **out);
  }
  status = ctx->failed ? -1 : 0;
done:
  list_free(&sums);
  list_free(&comb);
  list_free(&num_rat);
  list_free(&pnew);
  free(others.items);
  free(result.items);
  mpz_clear(g);
  mpq_clear(e);
  return status;
}
