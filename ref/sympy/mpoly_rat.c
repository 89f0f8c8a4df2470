/* Expressions into rational functions over Z[symbols] (mpoly_rat.h). */
#include "ref/sympy/mpoly_rat.h"

#include <string.h>

#include "ref/sympy/mpoly_gcd.h"
#include "ref/sympy/order.h"

#define OUTSIDE "outside the sympy subset of pyref"

enum { MAX_SYMBOLS = 64 };

int sy_rat_fail(sy_ctx *ctx, int status) {
  if (status == SY_MPOLY_NOMEM) {
    sy_fail(ctx, "MemoryError", "%s", "");
  } else {
    sy_fail(ctx, "NotImplementedError", "polynomials this large are " OUTSIDE);
  }
  return -1;
}

static bool small_integer(const sy_expr *e) {
  return e->kind == SY_NUM && mpz_cmp_ui(mpq_denref(e->q), 1) == 0 &&
         mpz_cmpabs_ui(mpq_numref(e->q), SY_RAT_MAX_POWER) <= 0;
}

/* Node visits before walk gives up (shared subtrees can make the tree it
 * walks exponentially larger than the expression). */
enum { VISIT_BUDGET = 1000000 };

/* Adds e's Symbols to items; false when e is not a rational function or
 * *budget (visits left) runs out. */
static bool walk(const sy_expr *e, const sy_expr **items, size_t *count, long *budget) {
  if (--*budget < 0) {
    return false;
  }
  switch (e->kind) {
    case SY_NUM:
      return true;
    case SY_SYM:
      for (size_t i = 0; i < *count; i++) {
        if (sy_equal(items[i], e)) {
          return true;
        }
      }
      if (*count == MAX_SYMBOLS) {
        return false;
      }
      items[(*count)++] = e;
      return true;
    case SY_ADD:
    case SY_MUL:
      for (size_t i = 0; i < e->n; i++) {
        if (!walk(e->args[i], items, count, budget)) {
          return false;
        }
      }
      return true;
    case SY_POW:
      return small_integer(e->args[1]) && walk(e->args[0], items, count, budget);
    default:
      return false;
  }
}

/* _sort_gens's key of a symbol's name: (rank, prefix, index) with the
 * trailing digits as index and the rank of a one-letter prefix from
 * polyutils._gens_order (others 1000). */
typedef struct gen_key {
  int rank;
  const char *name;
  size_t prefix_len;
  const char *digits; /* without leading zeros */
  size_t digits_len;
} gen_key;

static gen_key key_of(const char *name) {
  static const int kRanks[26] = {301, 302, 303, 304, 305, 306, 307, 308, 309, 310, 311, 312, 313,
                                 314, 315, 216, 217, 218, 219, 220, 221, 222, 223, 124, 125, 126};
  size_t len = strlen(name), prefix = len;
  while (prefix > 0 && name[prefix - 1] >= '0' && name[prefix - 1] <= '9') {
    prefix--;
  }
  gen_key k = {1000, name, prefix, name + prefix, len - prefix};
  while (k.digits_len > 0 && k.digits[0] == '0') {
    k.digits++;
    k.digits_len--;
  }
  if (prefix == 1 && name[0] >= 'a' && name[0] <= 'z') {
    k.rank = kRanks[name[0] - 'a'];
  }
  return k;
}

static int key_cmp(const gen_key *a, const gen_key *b) {
  if (a->rank != b->rank) {
    return a->rank < b->rank ? -1 : 1;
  }
  size_t n = a->prefix_len < b->prefix_len ? a->prefix_len : b->prefix_len;
  int c = memcmp(a->name, b->name, n); /* code point order, as str's */
  if (c != 0 || a->prefix_len != b->prefix_len) {
    return c != 0 ? c : (a->prefix_len < b->prefix_len ? -1 : 1);
  }
  if (a->digits_len != b->digits_len) {
    return a->digits_len < b->digits_len ? -1 : 1;
  }
  return memcmp(a->digits, b->digits, a->digits_len);
}

int sy_rat_gens(sy_ctx *ctx, const sy_expr *e, sy_rat_vars *vars) {
  const sy_expr **items = sy_alloc(ctx, MAX_SYMBOLS * sizeof *items);
  const sy_expr **printed = sy_alloc(ctx, MAX_SYMBOLS * sizeof *printed);
  size_t *position = sy_alloc(ctx, MAX_SYMBOLS * sizeof *position);
  size_t count = 0;
  if (items == NULL || printed == NULL || position == NULL) {
    return -1;
  }
  long budget = VISIT_BUDGET;
  if (!walk(e, items, &count, &budget)) {
    sy_fail(ctx, "NotImplementedError", "%s",
            budget < 0 ? "expressions this large are " OUTSIDE
                       : "this expression as a rational function is " OUTSIDE);
    return -1;
  }
  /* insertion sort by _sort_gens's key: at most 64 symbols */
  for (size_t i = 1; i < count; i++) {
    const sy_expr *item = items[i];
    gen_key k = key_of(item->name);
    size_t j = i;
    for (; j > 0; j--) {
      gen_key prev = key_of(items[j - 1]->name);
      int c = key_cmp(&prev, &k);
      if (c == 0) {
        sy_fail(ctx, "NotImplementedError", "symbols named alike (%s, %s) are " OUTSIDE,
                items[j - 1]->name, item->name);
        return -1;
      }
      if (c < 0) {
        break;
      }
      items[j] = items[j - 1];
    }
    items[j] = item;
  }
  memcpy(printed, items, count * sizeof *printed);
  sy_sort_by_key(ctx, printed, count, false);
  for (size_t i = 0; i < count; i++) {
    for (size_t j = 0; j < count; j++) {
      if (printed[j] == items[i]) {
        position[i] = j;
      }
    }
  }
  vars->gens.items = items;
  vars->gens.count = count;
  vars->printed.items = printed;
  vars->printed.count = count;
  vars->position = position;
  return ctx->failed ? -1 : 0;
}

const sy_expr *sy_rat_to_expr(sy_ctx *ctx, const sy_rat_vars *vars, const sy_mpoly *p) {
  size_t nv = vars->gens.count;
  sy_mpoly q;
  sy_mpoly_init(&q, nv);
  uint32_t exps[MAX_SYMBOLS];
  mpz_t one;
  mpz_init_set_ui(one, 1);
  const sy_expr *result = NULL;
  bool ok = true;
  for (size_t i = 0; i < p->count && ok; i++) {
    for (size_t v = 0; v < nv; v++) {
      exps[vars->position[v]] = p->exps[i * nv + v];
    }
    ok = sy_mpoly_add_term(&q, exps, p->coeffs[i]) == 0;
  }
  if (ok) {
    result = sy_mpoly_to_expr(ctx, &vars->printed, &q, one);
  } else {
    sy_fail(ctx, "MemoryError", "%s", "");
  }
  mpz_clear(one);
  sy_mpoly_clear(&q);
  return result;
}

void sy_ratpoly_clear(sy_ratpoly *r) {
  sy_mpoly_clear(&r->num);
  sy_mpoly_clear(&r->den);
}

static void rat_init(sy_ratpoly *r, size_t nvars) {
  sy_mpoly_init(&r->num, nvars);
  sy_mpoly_init(&r->den, nvars);
}

/* a = a + b or a * b; mpoly status. */
/* Whether multiplying polynomials of these term counts is past the work
 * limit anyway (refused before the work is done). */
static bool too_many_products(size_t a, size_t b) {
  return (double)a * (double)b > 64.0 * SY_MPOLY_WORK_TERMS;
}

/* a = a * b. */
static int multiply(sy_ratpoly *a, const sy_ratpoly *b) {
  size_t nv = a->num.nvars;
  sy_mpoly num, den;
  sy_mpoly_init(&num, nv);
  sy_mpoly_init(&den, nv);
  int status = 0;
  if (too_many_products(a->num.count, b->num.count) ||
      too_many_products(a->den.count, b->den.count)) {
    status = SY_MPOLY_TOO_BIG;
  } else if (sy_mpoly_mul(&num, &a->num, &b->num) != 0 ||
             sy_mpoly_mul(&den, &a->den, &b->den) != 0) {
    status = SY_MPOLY_NOMEM;
  } else {
    sy_mpoly_swap(&a->num, &num);
    sy_mpoly_swap(&a->den, &den);
  }
  sy_mpoly_clear(&num);
  sy_mpoly_clear(&den);
  return status;
}

/* a = a + b over the least common denominator (the product of two
 * denominators would grow with every term of a long sum). */
static int add(sy_ratpoly *a, const sy_ratpoly *b) {
  size_t nv = a->num.nvars;
  sy_mpoly g, ca, cb, t1, t2;
  sy_mpoly *all[] = {&g, &ca, &cb, &t1, &t2};
  for (size_t i = 0; i < 5; i++) {
    sy_mpoly_init(all[i], nv);
  }
  int status = 0;
  if (sy_mpoly_equal(&a->den, &b->den)) {
    if (sy_mpoly_add(&t1, &a->num, &b->num) != 0) {
      status = SY_MPOLY_NOMEM;
    } else {
      sy_mpoly_swap(&a->num, &t1);
    }
  } else if ((status = sy_mpoly_gcd(&g, &a->den, &b->den)) != 0 ||
             (status = sy_mpoly_divexact(&ca, &b->den, &g)) != 0 ||
             (status = sy_mpoly_divexact(&cb, &a->den, &g)) != 0) {
    status = status == 1 ? SY_MPOLY_TOO_BIG : status; /* the gcd divides */
  } else if (too_many_products(a->num.count, ca.count) ||
             too_many_products(b->num.count, cb.count) ||
             too_many_products(a->den.count, ca.count)) {
    status = SY_MPOLY_TOO_BIG;
  } else if (sy_mpoly_mul(&t1, &a->num, &ca) != 0 || sy_mpoly_mul(&t2, &b->num, &cb) != 0 ||
             sy_mpoly_add(&g, &t1, &t2) != 0 || sy_mpoly_mul(&t1, &a->den, &ca) != 0) {
    status = SY_MPOLY_NOMEM;
  } else {
    sy_mpoly_swap(&a->num, &g);
    sy_mpoly_swap(&a->den, &t1);
  }
  for (size_t i = 0; i < 5; i++) {
    sy_mpoly_clear(all[i]);
  }
  return status;
}

/* a = a + b or a * b; mpoly status. */
static int combine(sy_ratpoly *a, const sy_ratpoly *b, bool product) {
  int status = product ? multiply(a, b) : add(a, b);
  if (status == 0 && (a->num.count > SY_MPOLY_WORK_TERMS || a->den.count > SY_MPOLY_WORK_TERMS)) {
    status = SY_MPOLY_TOO_BIG;
  }
  return status;
}

/* Whether p**n has more terms than the work limit allows for sure: a
 * sum of t terms to the n has up to C(n + t - 1, t - 1) of them, and at
 * least n + 1 when t > 1; refused when that bound is past 64 times the
 * limit (sparse powers rarely fall that far short of it). */
static bool power_too_big(const sy_mpoly *p, long n) {
  if (p->count <= 1) {
    return false;
  }
  double bound = 1.0;
  for (size_t i = 1; i < p->count && bound <= 64.0 * SY_MPOLY_WORK_TERMS; i++) {
    bound = bound * (double)(n + (long)i) / (double)i;
  }
  return bound > 64.0 * SY_MPOLY_WORK_TERMS;
}

static long gen_index(const sy_gens *gens, const sy_expr *e) {
  for (size_t i = 0; i < gens->count; i++) {
    if (sy_equal(gens->items[i], e)) {
      return (long)i;
    }
  }
  return -1;
}

/* mpoly status, or 1 for an expression outside rational functions. */
static int convert(const sy_gens *gens, const sy_expr *e, sy_ratpoly *out) {
  size_t nv = gens->count;
  switch (e->kind) {
    case SY_NUM: {
      int status = sy_mpoly_set_const(&out->num, nv, mpq_numref(e->q));
      return status != 0 ? status : sy_mpoly_set_const(&out->den, nv, mpq_denref(e->q));
    }
    case SY_SYM: {
      long v = gen_index(gens, e);
      if (v < 0) {
        return 1;
      }
      uint32_t exps[MAX_SYMBOLS] = {0};
      exps[v] = 1;
      mpz_t one;
      mpz_init_set_ui(one, 1);
      sy_mpoly_clear(&out->num);
      int status = sy_mpoly_add_term(&out->num, exps, one) != 0 ? SY_MPOLY_NOMEM : 0;
      if (status == 0) {
        status = sy_mpoly_set_const(&out->den, nv, one);
      }
      mpz_clear(one);
      return status;
    }
    case SY_ADD:
    case SY_MUL: {
      int status = convert(gens, e->args[0], out);
      sy_ratpoly b;
      rat_init(&b, nv);
      for (size_t i = 1; i < e->n && status == 0; i++) {
        if ((status = convert(gens, e->args[i], &b)) == 0) {
          status = combine(out, &b, e->kind == SY_MUL);
        }
      }
      sy_ratpoly_clear(&b);
      return status;
    }
    case SY_POW: {
      const sy_expr *k = e->args[1];
      if (!small_integer(k)) {
        return 1;
      }
      sy_ratpoly b;
      rat_init(&b, nv);
      int status = convert(gens, e->args[0], &b);
      long n = mpz_get_si(mpq_numref(k->q));
      if (status == 0 && n < 0) {
        sy_mpoly_swap(&b.num, &b.den);
        n = -n;
      }
      if (status == 0 && b.den.count == 0) {
        status = 1; /* 1/0 would be zoo in sympy */
      }
      if (status == 0 && (power_too_big(&b.num, n) || power_too_big(&b.den, n))) {
        status = SY_MPOLY_TOO_BIG;
      }
      if (status == 0 && (sy_mpoly_pow(&out->num, &b.num, (unsigned long)n) != 0 ||
                          sy_mpoly_pow(&out->den, &b.den, (unsigned long)n) != 0)) {
        status = SY_MPOLY_TOO_BIG;
      }
      sy_ratpoly_clear(&b);
      if (status == 0 &&
          (out->num.count > SY_MPOLY_WORK_TERMS || out->den.count > SY_MPOLY_WORK_TERMS)) {
        status = SY_MPOLY_TOO_BIG;
      }
      return status;
    }
    default:
      return 1;
  }
}

int sy_rat_from_expr(sy_ctx *ctx, const sy_gens *gens, const sy_expr *e, sy_ratpoly *out) {
  rat_init(out, gens->count);
  int status = convert(gens, e, out);
  for (size_t v = 0; v < gens->count && status == 0; v++) {
    if (sy_mpoly_degree(&out->num, v) > SY_RAT_MAX_DEGREE ||
        sy_mpoly_degree(&out->den, v) > SY_RAT_MAX_DEGREE) {
      status = SY_MPOLY_TOO_BIG; /* the remainder sequences are quadratic in it */
    }
  }
  if (status == 0) {
    return 0;
  }
  sy_ratpoly_clear(out);
  if (status == 1) {
    sy_fail(ctx, "NotImplementedError", "this expression as a rational function is " OUTSIDE);
    return -1;
  }
  return sy_rat_fail(ctx, status);
}

int sy_rat_reduce(sy_ctx *ctx, sy_ratpoly *r) {
  size_t nv = r->num.nvars;
  sy_mpoly g, t;
  sy_mpoly_init(&g, nv);
  sy_mpoly_init(&t, nv);
  int status = sy_mpoly_gcd(&g, &r->num, &r->den);
  if (status == 0 && !(g.count == 1 && sy_mpoly_is_const(&g) && mpz_cmp_ui(g.coeffs[0], 1) == 0)) {
    if ((status = sy_mpoly_divexact(&t, &r->num, &g)) == 0) {
      sy_mpoly_swap(&r->num, &t);
      status = sy_mpoly_divexact(&t, &r->den, &g);
      sy_mpoly_swap(&r->den, &t);
    }
  }
  sy_mpoly_clear(&g);
  sy_mpoly_clear(&t);
  if (status == 1) {
    status = SY_MPOLY_TOO_BIG; /* the gcd always divides */
  }
  if (status != 0) {
    return sy_rat_fail(ctx, status);
  }
  if (sy_mpoly_make_lc_positive(&r->den)) {
    for (size_t i = 0; i < r->num.count; i++) {
      mpz_neg(r->num.coeffs[i], r->num.coeffs[i]);
    }
  }
  return 0;
}
