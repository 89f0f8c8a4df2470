/* simplify for rational functions (simplify.h): a port of the steps of
 * sympy 1.11's simplify() that act on sums, products and integer powers
 * of symbols, with the helpers they rest on (as_numer_denom,
 * as_content_primitive, gcd_terms, factor_terms, together, signsimp;
 * count_ops and fraction are count_ops.c's). Each helper follows the sympy function of the same
 * name for the expressions of the subset only. */
#include "ref/sympy/simplify.h"

#include <string.h>

#include "ref/sympy/expand.h"
#include "ref/sympy/factor.h"
#include "ref/sympy/ops.h"
#include "ref/sympy/order.h"
#include "ref/sympy/simplify_terms.h"

#define OUTSIDE "outside the sympy subset of pyref"

/* Whether args differ from e's: as structures, or (not structural) as
 * nodes, which tells an unevaluated node rebuilt from an equal one. */
static bool args_differ(const sy_expr *e, const sy_expr *const *args, bool structural) {
  for (size_t i = 0; i < e->n; i++) {
    if (structural ? !sy_equal(args[i], e->args[i]) : args[i] != e->args[i]) {
      return true;
    }
  }
  return false;
}

/* Rebuilds e with every node evaluated (Basic.doit, and what powsimp's
 * rebuilding does to the unevaluated products of the subset). */
static const sy_expr *rebuild(sy_ctx *ctx, const sy_expr *e) {
  if (e == NULL || e->n == 0) {
    return e;
  }
  const sy_expr **args = sy_st_map_args(ctx, e, rebuild);
  if (args == NULL) {
    return NULL;
  }
  return sy_rebuild(ctx, e, args);
}

/* The index of e's class in sympy's ordering_of_classes (Zero, One, Half,
 * NegativeOne, Integer, Rational, Symbol, Pow, Mul, Add). */
static int class_rank(const sy_expr *e) {
  switch (e->kind) {
    case SY_NUM:
      if (mpq_sgn(e->q) == 0) {
        return 0;
      }
      if (mpq_cmp_si(e->q, 1, 1) == 0) {
        return 1;
      }
      if (mpq_cmp_si(e->q, 1, 2) == 0) {
        return 2;
      }
      if (mpq_cmp_si(e->q, -1, 1) == 0) {
        return 5;
      }
      return mpz_cmp_ui(mpq_denref(e->q), 1) == 0 ? 7 : 8;
    case SY_SYM:
      return 13;
    case SY_POW:
      return 16;
    case SY_MUL:
      return 17;
    default:
      return 18;
  }
}

static int basic_compare(sy_ctx *ctx, const sy_expr *a, const sy_expr *b);

/* e's args in sympy's stored order: sorted by Basic.compare (insertion
 * sort: products and sums here are short). NULL on memory failure. */
static const sy_expr **compare_sorted_args(sy_ctx *ctx, const sy_expr *e) {
  const sy_expr **args = sy_alloc(ctx, (e->n + 1) * sizeof *args);
  if (args == NULL) {
    return NULL;
  }
  for (size_t i = 0; i < e->n; i++) {
    size_t j = i;
    while (j > 0 && basic_compare(ctx, args[j - 1], e->args[i]) > 0) {
      args[j] = args[j - 1];
      j--;
    }
    args[j] = e->args[i];
  }
  return args;
}

/* Basic.compare: the classes' order, then the hashable contents (a
 * number's (p, q), a symbol's name, the args in their stored order). */
static int basic_compare(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  int ra = class_rank(a), rb = class_rank(b);
  if (ra != rb) {
    return ra < rb ? -1 : 1;
  }
  switch (a->kind) {
    case SY_NUM: {
      int c = mpz_cmp(mpq_numref(a->q), mpq_numref(b->q));
      if (c == 0) {
        c = mpz_cmp(mpq_denref(a->q), mpq_denref(b->q));
      }
      return (c > 0) - (c < 0);
    }
    case SY_SYM: {
      int c = strcmp(a->name, b->name);
      return (c > 0) - (c < 0);
    }
    default:
      break;
  }
  if (a->n != b->n) {
    return a->n < b->n ? -1 : 1;
  }
  const sy_expr *const *x = a->args, *const *y = b->args;
  if (a->kind != SY_POW) {
    x = compare_sorted_args(ctx, a);
    y = compare_sorted_args(ctx, b);
    if (x == NULL || y == NULL) {
      return 0;
    }
  }
  for (size_t i = 0; i < a->n; i++) {
    int c = basic_compare(ctx, x[i], y[i]);
    if (c != 0) {
      return c;
    }
  }
  return 0;
}

/* powsimp's combination of opposite bases in a product: for a sum b
 * whose negation -b is also a base, in the product's order, b's exponent
 * moves to -b and (-1)**e comes out ((1 - x)*(x - 1) is -(x - 1)**2).
 * Returns m itself when there is nothing to combine. */
static const sy_expr *combine_opposites(sy_ctx *ctx, const sy_expr *m) {
  if (m == NULL || m->kind != SY_MUL) {
    return m;
  }
  size_t n = m->n;
  const sy_expr **bases = sy_alloc(ctx, n * sizeof *bases);
  const sy_expr **exps = sy_alloc(ctx, n * sizeof *exps);
  bool *gone = sy_alloc(ctx, n * sizeof *gone);
  if (bases == NULL || exps == NULL || gone == NULL) {
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    bases[i] = m->args[i]->kind == SY_POW ? m->args[i]->args[0] : m->args[i];
    exps[i] = m->args[i]->kind == SY_POW ? m->args[i]->args[1] : sy_integer(ctx, 1);
  }
  const sy_expr *sign = sy_integer(ctx, 0);
  bool any = false;
  for (size_t i = 0; i < n; i++) {
    if (gone[i] || bases[i]->kind != SY_ADD) {
      continue;
    }
    const sy_expr *minus = sy_st_neg(ctx, bases[i]);
    for (size_t j = i + 1; minus != NULL && j < n; j++) {
      if (!gone[j] && sy_equal(bases[j], minus)) {
        /* sympy walks c_powers in the order of expr.args, its stored
         * order (Basic.compare, not the sort key pyref keeps): the first
         * of the pair goes into the other. */
        size_t first = basic_compare(ctx, m->args[i], m->args[j]) < 0 ? i : j;
        size_t other = first == i ? j : i;
        exps[other] = sy_add2(ctx, exps[other], exps[first]);
        sign = sy_add2(ctx, sign, exps[first]);
        gone[first] = any = true;
        break;
      }
    }
  }
  if (!any || ctx->failed) {
    return ctx->failed ? NULL : m;
  }
  const sy_expr **args = sy_alloc(ctx, (n + 1) * sizeof *args);
  size_t k = 0;
  for (size_t i = 0; args != NULL && i < n; i++) {
    if (!gone[i]) {
      args[k++] = m->args[i]->kind == SY_NUM ? m->args[i] : sy_pow(ctx, bases[i], exps[i]);
    }
  }
  if (args == NULL) {
    return NULL;
  }
  args[k++] = sy_pow(ctx, sy_integer(ctx, -1), sign);
  return ctx->failed ? NULL : sy_mul(ctx, args, k);
}

/* powsimp(e, combine='exp', deep=True) on the subset: every node
 * evaluated again, products with their opposite bases combined. */
static const sy_expr *powsimp_exp_deep(sy_ctx *ctx, const sy_expr *e) {
  if (e == NULL || e->n == 0) {
    return e;
  }
  const sy_expr **args = sy_st_map_args(ctx, e, powsimp_exp_deep);
  if (args == NULL) {
    return NULL;
  }
  return combine_opposites(ctx, sy_rebuild(ctx, e, args));
}

/* powsimp(e) (combine='all', not deep) on the subset: products rebuilt
 * with their opposite bases combined and then their bases of equal
 * integer exponent multiplied together first, so that a Rational and a
 * sum with the same exponent distribute (the unevaluated
 * 1/2*(2*x + 3)/(x + 3) becomes (x + 3/2)/(x + 3)); powers keep their
 * bases. */
static const sy_expr *powsimp(sy_ctx *ctx, const sy_expr *e) {
  if (e == NULL || e->n == 0 || e->kind == SY_POW) {
    return e;
  }
  const sy_expr **args = sy_st_map_args(ctx, e, powsimp);
  if (args == NULL) {
    return NULL;
  }
  const sy_expr *m = combine_opposites(ctx, sy_rebuild(ctx, e, args));
  if (m == NULL || m->kind != SY_MUL) {
    return m;
  }
  size_t n = m->n, groups = 0;
  const sy_expr **exps = sy_alloc(ctx, n * sizeof *exps);
  const sy_expr ***bases = sy_alloc(ctx, n * sizeof *bases);
  size_t *sizes = sy_alloc(ctx, n * sizeof *sizes);
  const sy_expr **powers = sy_alloc(ctx, n * sizeof *powers);
  if (exps == NULL || bases == NULL || sizes == NULL || powers == NULL) {
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    const sy_expr *b = m->args[i], *k = NULL;
    if (b->kind == SY_POW) {
      k = b->args[1];
      b = b->args[0];
    }
    size_t g = 0;
    while (g < groups && !(k == NULL ? exps[g] == NULL : exps[g] != NULL && sy_equal(exps[g], k))) {
      g++;
    }
    if (g == groups) {
      exps[g] = k;
      if ((bases[g] = sy_alloc(ctx, n * sizeof **bases)) == NULL) {
        return NULL;
      }
      groups++;
    }
    bases[g][sizes[g]++] = b;
  }
  for (size_t g = 0; g < groups; g++) {
    const sy_expr *base = sy_mul(ctx, bases[g], sizes[g]);
    powers[g] = exps[g] == NULL ? base : sy_pow(ctx, base, exps[g]);
  }
  return ctx->failed ? NULL : sy_mul(ctx, powers, groups);
}

/* min(choices, key=count_ops), the first on ties, or the first when they
 * are all equal (shorter()). */
static const sy_expr *shorter(sy_ctx *ctx, const sy_expr *const *choices, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (choices[i] == NULL) {
      return NULL;
    }
  }
  const sy_expr *best = choices[0];
  long best_ops = sy_count_ops(ctx, best);
  for (size_t i = 1; i < n && best_ops >= 0; i++) {
    long ops = sy_count_ops(ctx, choices[i]);
    if (ops < 0) {
      return NULL;
    }
    if (ops < best_ops) {
      best = choices[i];
      best_ops = ops;
    }
  }
  return best_ops < 0 ? NULL : best;
}

static const sy_expr *shorter2(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  const sy_expr *c[2] = {a, b};
  return shorter(ctx, c, 2);
}

/* ---- _keep_coeff, primitive, as_numer_denom, normal ---- */

/* _keep_coeff(coeff, factors, clear, sign) for a Rational coeff. */
static const sy_expr *keep_coeff(sy_ctx *ctx, const sy_expr *coeff, const sy_expr *factors,
                                 bool clear, bool sign) {
  if (coeff == NULL || factors == NULL) {
    return NULL;
  }
  if (sy_st_is_one(factors)) {
    return coeff;
  }
  if (sy_st_is_one(coeff)) {
    return factors;
  }
  if (sy_is_int(coeff, -1) && !sign) {
    return sy_st_neg(ctx, factors);
  }
  if (factors->kind == SY_ADD) {
    if (!clear && !sy_st_is_integer(coeff)) {
      const sy_expr **terms = sy_alloc(ctx, factors->n * sizeof *terms);
      if (terms == NULL) {
        return NULL;
      }
      bool any_integer = false;
      for (size_t i = 0; i < factors->n; i++) {
        const sy_expr *m;
        const sy_expr *c =
            sy_st_num_op(ctx, sy_st_coeff_mul(ctx, factors->args[i], &m), coeff, mpq_mul);
        if (c == NULL || m == NULL) {
          return NULL;
        }
        any_integer = any_integer || sy_st_is_integer(c);
        if (sy_st_is_one(c)) {
          terms[i] = m;
        } else {
          /* Mul._from_args((c, m)) even for m == 1 or a product: sympy
           * builds these odd nodes here, and later steps evaluate them. */
          const sy_expr *pair[2] = {c, m};
          terms[i] = sy_mul_unevaluated(ctx, pair, 2);
        }
      }
      if (any_integer) {
        return ctx->failed ? NULL : sy_add_unevaluated(ctx, terms, factors->n);
      }
    }
    const sy_expr *pair[2] = {coeff, factors};
    return sy_mul_unevaluated(ctx, pair, 2);
  }
  if (factors->kind == SY_MUL) {
    const sy_expr **args = sy_alloc(ctx, (factors->n + 1) * sizeof *args);
    if (args == NULL) {
      return NULL;
    }
    size_t n = 0;
    if (sy_st_is_num(factors->args[0])) {
      const sy_expr *c = sy_st_num_op(ctx, factors->args[0], coeff, mpq_mul);
      if (c != NULL && !sy_st_is_one(c)) {
        args[n++] = c;
      }
      memcpy(args + n, factors->args + 1, (factors->n - 1) * sizeof *args);
      n += factors->n - 1;
    } else {
      args[n++] = coeff;
      memcpy(args + n, factors->args, factors->n * sizeof *args);
      n += factors->n;
    }
    return ctx->failed ? NULL : sy_st_mul_from_args(ctx, args, n);
  }
  return sy_mul2(ctx, coeff, factors);
}

/* Add.primitive() for a sum, Expr.primitive() otherwise: the positive
 * Rational content and the primitive part (a sum keeps its order). */
static int primitive(sy_ctx *ctx, const sy_expr *e, const sy_expr **content, const sy_expr **prim) {
  if (e->kind != SY_ADD) {
    if (sy_st_is_num(e) && mpq_sgn(e->q) == 0) {
      *content = sy_integer(ctx, 1);
      *prim = e;
      return ctx->failed ? -1 : 0;
    }
    const sy_expr *r;
    const sy_expr *c = sy_st_coeff_mul(ctx, e, &r);
    if (sy_st_is_negative_num(c)) {
      c = sy_st_neg(ctx, c);
      r = sy_st_neg(ctx, r);
    }
    *content = c;
    *prim = r;
    return ctx->failed ? -1 : 0;
  }
  mpz_t g, l, t;
  mpz_inits(g, l, t, NULL);
  mpz_set_ui(l, 1);
  const sy_expr **rests = sy_alloc(ctx, e->n * sizeof *rests);
  const sy_expr **coeffs = sy_alloc(ctx, e->n * sizeof *coeffs);
  for (size_t i = 0; rests != NULL && coeffs != NULL && i < e->n; i++) {
    coeffs[i] = sy_st_coeff_mul(ctx, e->args[i], &rests[i]);
    if (coeffs[i] == NULL) {
      break;
    }
    mpz_gcd(g, g, mpq_numref(coeffs[i]->q));
    mpz_lcm(l, l, mpq_denref(coeffs[i]->q));
  }
  int status = ctx->failed ? -1 : 0;
  if (status == 0 && mpz_cmp_ui(g, 1) == 0 && mpz_cmp_ui(l, 1) == 0) {
    *content = sy_integer(ctx, 1);
    *prim = e;
  } else if (status == 0) {
    const sy_expr **terms = sy_alloc(ctx, e->n * sizeof *terms);
    mpq_t k;
    mpq_init(k);
    for (size_t i = 0; terms != NULL && i < e->n; i++) {
      mpz_divexact(mpq_numref(k), mpq_numref(coeffs[i]->q), g);
      mpz_divexact(t, l, mpq_denref(coeffs[i]->q));
      mpz_mul(mpq_numref(k), mpq_numref(k), t);
      mpz_set_ui(mpq_denref(k), 1);
      terms[i] = keep_coeff(ctx, sy_number(ctx, k), rests[i], true, false);
    }
    mpz_set(mpq_numref(k), g);
    mpz_set(mpq_denref(k), l);
    mpq_canonicalize(k);
    *content = sy_number(ctx, k);
    mpq_clear(k);
    *prim = ctx->failed ? NULL : sy_add_unevaluated(ctx, terms, e->n);
  }
  mpz_clears(g, l, t, NULL);
  return ctx->failed ? -1 : status;
}

static int numer_denom(sy_ctx *ctx, const sy_expr *e, const sy_expr **n, const sy_expr **d);

/* Add.as_numer_denom: terms grouped by denominator in order of first
 * appearance, each group's numerator times the other denominators. */
static int add_numer_denom(sy_ctx *ctx, const sy_expr *e, const sy_expr **n, const sy_expr **d) {
  const sy_expr *content, *expr;
  if (primitive(ctx, e, &content, &expr) != 0) {
    return -1;
  }
  if (expr->kind != SY_ADD) {
    const sy_expr *pair[2] = {content, expr};
    return numer_denom(ctx, sy_mul_unevaluated(ctx, pair, 2), n, d);
  }
  const sy_expr *ncon, *dcon;
  if (numer_denom(ctx, content, &ncon, &dcon) != 0) {
    return -1;
  }
  size_t count = expr->n, groups = 0;
  const sy_expr **dens = sy_alloc(ctx, count * sizeof *dens);
  const sy_expr ***nums = sy_alloc(ctx, count * sizeof *nums);
  size_t *sizes = sy_alloc(ctx, count * sizeof *sizes);
  if (dens == NULL || nums == NULL || sizes == NULL) {
    return -1;
  }
  for (size_t i = 0; i < count; i++) {
    const sy_expr *ni, *di;
    if (numer_denom(ctx, expr->args[i], &ni, &di) != 0) {
      return -1;
    }
    size_t g = 0;
    while (g < groups && !sy_equal(dens[g], di)) {
      g++;
    }
    if (g == groups) {
      dens[g] = di;
      if ((nums[g] = sy_alloc(ctx, count * sizeof **nums)) == NULL) {
        return -1;
      }
      groups++;
    }
    nums[g][sizes[g]++] = ni;
  }
  if (groups == 1) {
    const sy_expr **terms = sy_alloc(ctx, sizes[0] * sizeof *terms);
    for (size_t i = 0; terms != NULL && i < sizes[0]; i++) {
      terms[i] = keep_coeff(ctx, ncon, nums[0][i], true, false);
    }
    if (ctx->failed) {
      return -1;
    }
    *n = sy_add(ctx, terms, sizes[0]);
    *d = keep_coeff(ctx, dcon, dens[0], true, false);
    return ctx->failed ? -1 : 0;
  }
  const sy_expr **summed = sy_alloc(ctx, groups * sizeof *summed);
  const sy_expr **products = sy_alloc(ctx, groups * sizeof *products);
  const sy_expr **factors = sy_alloc(ctx, groups * sizeof *factors);
  if (summed == NULL || products == NULL || factors == NULL) {
    return -1;
  }
  for (size_t g = 0; g < groups; g++) {
    summed[g] = sizes[g] == 1 ? nums[g][0] : sy_add(ctx, nums[g], sizes[g]);
  }
  for (size_t g = 0; g < groups; g++) {
    for (size_t k = 0; k < groups; k++) {
      factors[k] = k == g ? summed[g] : dens[k];
    }
    products[g] = sy_mul(ctx, factors, groups);
  }
  if (ctx->failed) {
    return -1;
  }
  *n = keep_coeff(ctx, ncon, sy_add(ctx, products, groups), true, false);
  *d = keep_coeff(ctx, dcon, sy_mul(ctx, dens, groups), true, false);
  return ctx->failed ? -1 : 0;
}

/* expr.as_numer_denom() for the subset. */
static int numer_denom(sy_ctx *ctx, const sy_expr *e, const sy_expr **n, const sy_expr **d) {
  if (e == NULL) {
    return -1;
  }
  switch (e->kind) {
    case SY_NUM: {
      mpq_t p;
      mpq_init(p);
      mpq_set_z(p, mpq_numref(e->q));
      *n = sy_number(ctx, p);
      mpq_set_z(p, mpq_denref(e->q));
      *d = sy_number(ctx, p);
      mpq_clear(p);
      break;
    }
    case SY_POW: {
      const sy_expr *bn, *bd;
      if (numer_denom(ctx, e->args[0], &bn, &bd) != 0) {
        return -1;
      }
      if (sy_st_is_num(bd) && mpq_sgn(bd->q) <= 0) {
        return sy_fail(ctx, "NotImplementedError", "this denominator is " OUTSIDE), -1;
      }
      const sy_expr *k = e->args[1];
      if (sy_st_is_negative_num(k)) {
        const sy_expr *t = bn;
        bn = bd;
        bd = t;
        k = sy_st_neg(ctx, k);
      }
      *n = sy_pow(ctx, bn, k);
      *d = sy_pow(ctx, bd, k);
      break;
    }
    case SY_MUL: {
      const sy_expr **ns = sy_alloc(ctx, e->n * sizeof *ns);
      const sy_expr **ds = sy_alloc(ctx, e->n * sizeof *ds);
      for (size_t i = 0; ns != NULL && ds != NULL && i < e->n; i++) {
        if (numer_denom(ctx, e->args[i], &ns[i], &ds[i]) != 0) {
          return -1;
        }
      }
      if (ctx->failed) {
        return -1;
      }
      *n = sy_mul(ctx, ns, e->n);
      *d = sy_mul(ctx, ds, e->n);
      break;
    }
    case SY_ADD:
      return add_numer_denom(ctx, e, n, d);
    default:
      *n = e;
      *d = sy_integer(ctx, 1);
      break;
  }
  return ctx->failed ? -1 : 0;
}

/* Expr.normal(): n/d, or the unevaluated product n*(1/d) when d is a
 * number. */
static const sy_expr *normal(sy_ctx *ctx, const sy_expr *w) {
  const sy_expr *n, *d;
  if (numer_denom(ctx, w, &n, &d) != 0) {
    return NULL;
  }
  if (sy_st_is_one(d)) {
    return n;
  }
  if (!sy_st_is_num(d)) {
    return sy_div(ctx, n, d);
  }
  /* _unevaluated_Mul(n, 1/d): the numbers into one coefficient first. */
  const sy_expr *co = sy_st_num_op(ctx, sy_integer(ctx, 1), d, mpq_div);
  const sy_expr *const *parts = &n;
  size_t count = 1;
  if (n->kind == SY_MUL) {
    parts = n->args;
    count = n->n;
  }
  const sy_expr **args = sy_alloc(ctx, (count + 1) * sizeof *args);
  if (args == NULL || co == NULL) {
    return NULL;
  }
  size_t k = 1;
  for (size_t i = 0; i < count; i++) {
    if (sy_st_is_num(parts[i])) {
      co = sy_st_num_op(ctx, co, parts[i], mpq_mul);
    } else {
      args[k++] = parts[i];
    }
  }
  if (co == NULL) {
    return NULL;
  }
  if (sy_st_is_one(co)) {
    return sy_st_mul_from_args(ctx, args + 1, k - 1);
  }
  args[0] = co;
  return sy_st_mul_from_args(ctx, args, k);
}

/* _bottom_up(e, normal) */
static const sy_expr *bottom_up_normal(sy_ctx *ctx, const sy_expr *e) {
  if (e == NULL || e->n == 0) {
    return e;
  }
  const sy_expr **args = sy_st_map_args(ctx, e, bottom_up_normal);
  if (args == NULL) {
    return NULL;
  }
  const sy_expr *rv = args_differ(e, args, true) ? sy_rebuild(ctx, e, args) : e;
  return rv == NULL ? NULL : normal(ctx, rv);
}

/* ---- as_content_primitive ---- */

static int content_primitive(sy_ctx *ctx, const sy_expr *e, bool clear, const sy_expr **c,
                             const sy_expr **p) {
  if (e == NULL) {
    return -1;
  }
  switch (e->kind) {
    case SY_NUM:
      if (mpq_sgn(e->q) > 0) {
        *c = e;
        *p = sy_integer(ctx, 1);
      } else if (mpq_sgn(e->q) < 0) {
        *c = sy_st_neg(ctx, e);
        *p = sy_integer(ctx, -1);
      } else {
        *c = sy_integer(ctx, 1);
        *p = e;
      }
      break;
    case SY_ADD: {
      const sy_expr **terms = sy_alloc(ctx, e->n * sizeof *terms);
      for (size_t i = 0; terms != NULL && i < e->n; i++) {
        const sy_expr *tc, *tp;
        if (content_primitive(ctx, e->args[i], clear, &tc, &tp) != 0) {
          return -1;
        }
        terms[i] = keep_coeff(ctx, tc, tp, true, false);
      }
      if (ctx->failed || primitive(ctx, sy_add(ctx, terms, e->n), c, p) != 0) {
        return -1;
      }
      if (!clear && !sy_st_is_integer(*c) && (*p)->kind == SY_ADD) {
        const sy_expr *cn, *cd;
        if (numer_denom(ctx, *c, &cn, &cd) != 0) {
          return -1;
        }
        const sy_expr *scaled = sy_div(ctx, *p, cd);
        if (scaled == NULL) {
          return -1;
        }
        bool any_integer = false;
        for (size_t i = 0; scaled->kind == SY_ADD && i < scaled->n; i++) {
          const sy_expr *rest;
          any_integer =
              any_integer || sy_st_is_integer(sy_st_coeff_mul(ctx, scaled->args[i], &rest));
        }
        if (any_integer) {
          *p = scaled;
          *c = cn;
        } /* else con = n/d: the content as it was */
      }
      break;
    }
    case SY_MUL: {
      const sy_expr *coef = sy_integer(ctx, 1);
      const sy_expr **args = sy_alloc(ctx, e->n * sizeof *args);
      size_t n = 0;
      for (size_t i = 0; args != NULL && i < e->n; i++) {
        const sy_expr *ac, *ap;
        if (content_primitive(ctx, e->args[i], clear, &ac, &ap) != 0) {
          return -1;
        }
        coef = sy_st_num_op(ctx, coef, ac, mpq_mul);
        if (!sy_st_is_one(ap)) {
          args[n++] = ap;
        }
      }
      if (ctx->failed) {
        return -1;
      }
      *c = coef;
      *p = n == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, args, n);
      break;
    }
    case SY_POW: {
      const sy_expr *bc, *bp;
      if (content_primitive(ctx, e->args[0], clear, &bc, &bp) != 0) {
        return -1;
      }
      const sy_expr *b = keep_coeff(ctx, bc, bp, true, false);
      if (b == NULL) {
        return -1;
      }
      if (b->kind == SY_NUM) {
        return sy_fail(ctx, "NotImplementedError", "this power is " OUTSIDE), -1;
      }
      if (b->kind == SY_MUL) {
        const sy_expr *h, *t;
        if (content_primitive(ctx, b, clear, &h, &t) != 0) {
          return -1;
        }
        *c = sy_pow(ctx, h, e->args[1]);
        *p = sy_pow(ctx, t, e->args[1]);
      } else {
        *c = sy_integer(ctx, 1);
        *p = sy_pow(ctx, b, e->args[1]);
      }
      break;
    }
    default:
      *c = sy_integer(ctx, 1);
      *p = e;
      break;
  }
  return ctx->failed ? -1 : 0;
}

/* ---- Factors and Term (exprtools) ---- */

typedef struct factors {
  const sy_expr **bases;
  long *exps;
  size_t n, cap;
} factors;

typedef struct term {
  const sy_expr *coeff; /* a Rational */
  factors numer, denom;
} term;

static int factors_init(sy_ctx *ctx, factors *f, size_t cap) {
  f->n = 0;
  f->cap = cap + 1;
  f->bases = sy_alloc(ctx, f->cap * sizeof *f->bases);
  f->exps = sy_alloc(ctx, f->cap * sizeof *f->exps);
  return f->bases == NULL || f->exps == NULL ? -1 : 0;
}

static long factors_get(const factors *f, const sy_expr *base) {
  for (size_t i = 0; i < f->n; i++) {
    if (sy_equal(f->bases[i], base)) {
      return f->exps[i];
    }
  }
  return 0;
}

/* Adds exp to base's exponent, dropping it at zero. */
static int factors_add(sy_ctx *ctx, factors *f, const sy_expr *base, long exp) {
  for (size_t i = 0; i < f->n; i++) {
    if (sy_equal(f->bases[i], base)) {
      f->exps[i] += exp;
      if (f->exps[i] == 0) {
        memmove(f->bases + i, f->bases + i + 1, (f->n - i - 1) * sizeof *f->bases);
        memmove(f->exps + i, f->exps + i + 1, (f->n - i - 1) * sizeof *f->exps);
        f->n--;
      }
      return 0;
    }
  }
  if (f->n == f->cap) {
    factors more;
    if (factors_init(ctx, &more, 2 * f->cap) != 0) {
      return -1;
    }
    memcpy(more.bases, f->bases, f->n * sizeof *f->bases);
    memcpy(more.exps, f->exps, f->n * sizeof *f->exps);
    more.n = f->n;
    *f = more;
  }
  f->bases[f->n] = base;
  f->exps[f->n++] = exp;
  return 0;
}

static int factors_copy(sy_ctx *ctx, factors *out, const factors *f, size_t extra) {
  if (factors_init(ctx, out, f->n + extra) != 0) {
    return -1;
  }
  memcpy(out->bases, f->bases, f->n * sizeof *f->bases);
  memcpy(out->exps, f->exps, f->n * sizeof *f->exps);
  out->n = f->n;
  return 0;
}

/* Factors.as_expr: the evaluated product of the powers. */
static const sy_expr *factors_expr(sy_ctx *ctx, const factors *f) {
  if (f->n == 0) {
    return sy_integer(ctx, 1);
  }
  const sy_expr **args = sy_alloc(ctx, f->n * sizeof *args);
  for (size_t i = 0; args != NULL && i < f->n; i++) {
    args[i] = f->exps[i] == 1 ? f->bases[i] : sy_pow(ctx, f->bases[i], sy_integer(ctx, f->exps[i]));
  }
  return ctx->failed ? NULL : sy_mul(ctx, args, f->n);
}

/* Factors.gcd (min == true) or Factors.lcm. */
static int factors_gcd_lcm(sy_ctx *ctx, factors *out, const factors *a, const factors *b,
                           bool min) {
  if (factors_init(ctx, out, a->n + b->n) != 0) {
    return -1;
  }
  for (size_t i = 0; i < a->n; i++) {
    long other = factors_get(b, a->bases[i]);
    if (min && other == 0) {
      continue;
    }
    long exp =
        min ? (other < a->exps[i] ? other : a->exps[i]) : (other > a->exps[i] ? other : a->exps[i]);
    out->bases[out->n] = a->bases[i];
    out->exps[out->n++] = exp;
  }
  for (size_t i = 0; !min && i < b->n; i++) {
    if (factors_get(a, b->bases[i]) == 0) {
      out->bases[out->n] = b->bases[i];
      out->exps[out->n++] = b->exps[i];
    }
  }
  return 0;
}

/* Term(t) */
static int term_of(sy_ctx *ctx, const sy_expr *t, term *out) {
  const sy_expr *const *parts = &t;
  size_t count = 1;
  out->coeff = sy_integer(ctx, 1);
  if (t->kind == SY_NUM) {
    out->coeff = t;
    count = 0;
  } else if (t->kind == SY_MUL) {
    parts = t->args;
    count = t->n;
    if (sy_st_is_num(t->args[0])) {
      out->coeff = t->args[0];
      parts++;
      count--;
    }
  }
  if (factors_init(ctx, &out->numer, count) != 0 || factors_init(ctx, &out->denom, count) != 0) {
    return -1;
  }
  for (size_t i = 0; i < count; i++) {
    const sy_expr *base = parts[i];
    long exp = 1;
    if (base->kind == SY_POW) {
      exp = mpz_get_si(mpq_numref(base->args[1]->q));
      base = base->args[0];
    }
    if (base->kind == SY_NUM || base->kind == SY_MUL) {
      return sy_fail(ctx, "NotImplementedError", "this factor is " OUTSIDE), -1;
    }
    if (base->kind == SY_ADD) {
      const sy_expr *cont, *prim;
      if (primitive(ctx, base, &cont, &prim) != 0) {
        return -1;
      }
      base = prim;
      out->coeff = sy_st_num_op(ctx, out->coeff, sy_pow(ctx, cont, sy_integer(ctx, exp)), mpq_mul);
    }
    if (factors_add(ctx, exp > 0 ? &out->numer : &out->denom, base, exp > 0 ? exp : -exp) != 0) {
      return -1;
    }
  }
  return ctx->failed ? -1 : 0;
}

/* Factors.normal: common bases cancelled between a and b. */
static void factors_normal(factors *a, factors *b) {
  for (size_t i = 0; i < a->n;) {
    long other = factors_get(b, a->bases[i]);
    if (other == 0) {
      i++;
      continue;
    }
    long diff = a->exps[i] - other;
    const sy_expr *base = a->bases[i];
    for (size_t j = 0; j < b->n; j++) {
      if (sy_equal(b->bases[j], base)) {
        b->exps[j] = diff < 0 ? -diff : 0;
        if (b->exps[j] == 0) {
          memmove(b->bases + j, b->bases + j + 1, (b->n - j - 1) * sizeof *b->bases);
          memmove(b->exps + j, b->exps + j + 1, (b->n - j - 1) * sizeof *b->exps);
          b->n--;
        }
        break;
      }
    }
    if (diff > 0) {
      a->exps[i++] = diff;
    } else {
      memmove(a->bases + i, a->bases + i + 1, (a->n - i - 1) * sizeof *a->bases);
      memmove(a->exps + i, a->exps + i + 1, (a->n - i - 1) * sizeof *a->exps);
      a->n--;
    }
  }
}

/* Term.quo: t / by. */
static int term_quo(sy_ctx *ctx, const term *t, const term *by, term *out) {
  out->coeff = sy_st_num_op(ctx, t->coeff, by->coeff, mpq_div);
  if (out->coeff == NULL || factors_copy(ctx, &out->numer, &t->numer, by->denom.n) != 0 ||
      factors_copy(ctx, &out->denom, &t->denom, by->numer.n) != 0) {
    return -1;
  }
  for (size_t i = 0; i < by->denom.n; i++) {
    if (factors_add(ctx, &out->numer, by->denom.bases[i], by->denom.exps[i]) != 0) {
      return -1;
    }
  }
  for (size_t i = 0; i < by->numer.n; i++) {
    if (factors_add(ctx, &out->denom, by->numer.bases[i], by->numer.exps[i]) != 0) {
      return -1;
    }
  }
  factors_normal(&out->numer, &out->denom);
  return 0;
}

/* Rational.gcd: gcd of the numerators over lcm of the denominators. */
static const sy_expr *rational_gcd(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  mpq_t r;
  mpq_init(r);
  mpz_gcd(mpq_numref(r), mpq_numref(a->q), mpq_numref(b->q));
  mpz_lcm(mpq_denref(r), mpq_denref(a->q), mpq_denref(b->q));
  mpq_canonicalize(r);
  const sy_expr *out = sy_number(ctx, r);
  mpq_clear(r);
  return out;
}

/* Term.as_expr */
static const sy_expr *term_expr(sy_ctx *ctx, const term *t) {
  return sy_mul2(ctx, t->coeff,
                 sy_div(ctx, factors_expr(ctx, &t->numer), factors_expr(ctx, &t->denom)));
}

/* gcd_terms(terms, isprimitive, clear, fraction) for a list of terms
 * (together's call, an Add's args for factor_terms'). */
static const sy_expr *gcd_terms(sy_ctx *ctx, const sy_expr *const *in, size_t count,
                                bool isprimitive, bool clear, bool fraction) {
  term *terms = sy_alloc(ctx, (count + 1) * sizeof *terms);
  if (terms == NULL) {
    return NULL;
  }
  size_t n = 0;
  for (size_t i = 0; i < count; i++) {
    if (in[i] == NULL) {
      return NULL;
    }
    if (!sy_is_int(in[i], 0) && term_of(ctx, in[i], &terms[n++]) != 0) {
      return NULL;
    }
  }
  if (n == 0) {
    return sy_integer(ctx, 0);
  }
  const sy_expr *cont, *numer, *denom;
  if (n == 1) {
    cont = terms[0].coeff;
    numer = factors_expr(ctx, &terms[0].numer);
    denom = factors_expr(ctx, &terms[0].denom);
  } else {
    term g = terms[0];
    for (size_t i = 1; i < n; i++) {
      term next;
      next.coeff = rational_gcd(ctx, g.coeff, terms[i].coeff);
      if (next.coeff == NULL ||
          factors_gcd_lcm(ctx, &next.numer, &g.numer, &terms[i].numer, true) != 0 ||
          factors_gcd_lcm(ctx, &next.denom, &g.denom, &terms[i].denom, true) != 0) {
        return NULL;
      }
      g = next;
    }
    for (size_t i = 0; i < n; i++) {
      term q;
      if (term_quo(ctx, &terms[i], &g, &q) != 0) {
        return NULL;
      }
      terms[i] = q;
    }
    const sy_expr **numers = sy_alloc(ctx, n * sizeof *numers);
    if (numers == NULL) {
      return NULL;
    }
    if (fraction) {
      factors lcm = terms[0].denom;
      for (size_t i = 1; i < n; i++) {
        factors next;
        if (factors_gcd_lcm(ctx, &next, &lcm, &terms[i].denom, false) != 0) {
          return NULL;
        }
        lcm = next;
      }
      for (size_t i = 0; i < n; i++) {
        /* numer * (lcm / denom_i) */
        factors f;
        if (factors_copy(ctx, &f, &terms[i].numer, lcm.n) != 0) {
          return NULL;
        }
        for (size_t j = 0; j < lcm.n; j++) {
          long rest = lcm.exps[j] - factors_get(&terms[i].denom, lcm.bases[j]);
          if (rest != 0 && factors_add(ctx, &f, lcm.bases[j], rest) != 0) {
            return NULL;
          }
        }
        numers[i] = sy_mul2(ctx, terms[i].coeff, factors_expr(ctx, &f));
      }
      denom = factors_expr(ctx, &lcm);
    } else {
      for (size_t i = 0; i < n; i++) {
        numers[i] = term_expr(ctx, &terms[i]);
      }
      denom = sy_integer(ctx, 1);
    }
    cont = term_expr(ctx, &g);
    numer = ctx->failed ? NULL : sy_add(ctx, numers, n);
  }
  if (numer == NULL || cont == NULL || denom == NULL) {
    return NULL;
  }
  if (!isprimitive && numer->kind == SY_ADD) {
    const sy_expr *c2, *p2;
    if (primitive(ctx, numer, &c2, &p2) != 0) {
      return NULL;
    }
    numer = p2;
    cont = sy_mul2(ctx, cont, c2);
  }
  const sy_expr *factor;
  const sy_expr *coeff = sy_st_coeff_mul(ctx, cont, &factor);
  if (!clear && !sy_st_is_integer(coeff) && numer->kind == SY_ADD) {
    const sy_expr *cn, *cd;
    if (numer_denom(ctx, coeff, &cn, &cd) != 0) {
      return NULL;
    }
    const sy_expr *scaled = sy_div(ctx, numer, cd);
    if (scaled == NULL) {
      return NULL;
    }
    bool any_integer = false;
    for (size_t i = 0; scaled->kind == SY_ADD && i < scaled->n; i++) {
      const sy_expr *rest;
      any_integer = any_integer || sy_st_is_integer(sy_st_coeff_mul(ctx, scaled->args[i], &rest));
    }
    if (any_integer) {
      numer = scaled;
      coeff = cn;
    }
  }
  return keep_coeff(ctx, coeff, sy_div(ctx, sy_mul2(ctx, factor, numer), denom), clear, false);
}

/* together(e, deep=True) */
static const sy_expr *together(sy_ctx *ctx, const sy_expr *e) {
  if (e == NULL || e->n == 0) {
    return e;
  }
  const sy_expr **args = sy_st_map_args(ctx, e, together);
  if (args == NULL) {
    return NULL;
  }
  if (e->kind == SY_ADD) {
    return gcd_terms(ctx, args, e->n, false, true, true);
  }
  return sy_rebuild(ctx, e, args);
}

/* factor_terms(e, sign=sign): with sign, a -1 content stays a factor
 * (-1*(6*x + 5), which the enclosing product absorbs). */
static const sy_expr *factor_terms(sy_ctx *ctx, const sy_expr *e, bool sign) {
  if (e == NULL || e->n == 0) {
    return e;
  }
  if (e->kind == SY_POW) {
    const sy_expr *b = factor_terms(ctx, e->args[0], sign);
    if (b == NULL) {
      return NULL;
    }
    return sy_equal(b, e->args[0]) ? e : sy_pow(ctx, b, e->args[1]);
  }
  const sy_expr *cont, *p;
  if (content_primitive(ctx, e, false, &cont, &p) != 0) {
    return NULL;
  }
  if (p->kind == SY_ADD) {
    const sy_expr **list = sy_alloc(ctx, p->n * sizeof *list);
    if (list == NULL) {
      return NULL;
    }
    bool all_negative = true;
    for (size_t i = 0; i < p->n; i++) {
      if ((list[i] = factor_terms(ctx, p->args[i], sign)) == NULL) {
        return NULL;
      }
      const sy_expr *rest;
      all_negative = all_negative && sy_st_is_negative_num(sy_st_coeff_mul(ctx, list[i], &rest));
    }
    if (all_negative) {
      cont = sy_st_neg(ctx, cont);
      for (size_t i = 0; i < p->n; i++) {
        list[i] = sy_st_neg(ctx, list[i]);
      }
    }
    if (ctx->failed) {
      return NULL;
    }
    p = gcd_terms(ctx, list, p->n, true, false, false);
  } else if (p->n > 0) {
    const sy_expr **args = sy_alloc(ctx, p->n * sizeof *args);
    for (size_t i = 0; args != NULL && i < p->n; i++) {
      if ((args[i] = factor_terms(ctx, p->args[i], sign)) == NULL) {
        return NULL;
      }
    }
    p = args == NULL ? NULL : sy_rebuild(ctx, p, args);
  }
  return keep_coeff(ctx, cont, p, false, sign);
}

/* ---- signs ---- */

static bool could_extract_minus_sign(sy_ctx *ctx, const sy_expr *e) {
  switch (e->kind) {
    case SY_NUM:
      return mpq_sgn(e->q) < 0;
    case SY_MUL:
      return sy_st_is_negative_num(e->args[0]);
    case SY_ADD: {
      size_t negative = 0;
      for (size_t i = 0; i < e->n; i++) {
        negative += could_extract_minus_sign(ctx, e->args[i]);
      }
      if (e->n - negative != negative) {
        return negative > e->n - negative;
      }
      const sy_expr *minus = sy_st_neg(ctx, e);
      return minus != NULL && sy_sort_key_cmp(ctx, e, minus) < 0;
    }
    default:
      return false;
  }
}

/* One xreplace pass of signsimp's sub_pre: top-down, each sum from which
 * a minus sign can be extracted becomes the unevaluated -1*(-sum) (not
 * looked into further), and the nodes above it are evaluated again, so
 * that a product or power absorbs the -1. *changed tells whether anything
 * was replaced. */
static const sy_expr *sign_pass(sy_ctx *ctx, const sy_expr *e, bool *changed) {
  if (e == NULL || e->n == 0) {
    return e;
  }
  if (e->kind == SY_ADD && could_extract_minus_sign(ctx, e)) {
    const sy_expr *pair[2] = {sy_integer(ctx, -1), sy_st_neg(ctx, e)};
    *changed = true;
    return pair[1] == NULL ? NULL : sy_mul_unevaluated(ctx, pair, 2);
  }
  const sy_expr **args = sy_alloc(ctx, e->n * sizeof *args);
  if (args == NULL) {
    return NULL;
  }
  bool any = false;
  for (size_t i = 0; i < e->n; i++) {
    bool child = false;
    if ((args[i] = sign_pass(ctx, e->args[i], &child)) == NULL) {
      return NULL;
    }
    any = any || child;
  }
  *changed = *changed || any;
  return any ? sy_rebuild(ctx, e, args) : e;
}

/* Whether e is the unevaluated -1*(-sum) a pass left at the root. */
static bool is_marked(const sy_expr *e) {
  return e->kind == SY_MUL && e->n == 2 && sy_is_int(e->args[0], -1) && e->args[1]->kind == SY_ADD;
}

/* signsimp(e): sub_pre's two passes (the second catches the sums that
 * became extractable when the first flipped a sum inside them), then a
 * sum's terms each signsimp'd again, or the product evaluated. */
static const sy_expr *signsimp(sy_ctx *ctx, const sy_expr *e) {
  if (e == NULL || e->n == 0) {
    return e;
  }
  bool unused = false;
  const sy_expr *first = sign_pass(ctx, e, &unused);
  if (first == NULL) {
    return NULL;
  }
  const sy_expr *second;
  if (is_marked(first)) {
    /* The root was replaced: the second pass looks inside the negated
     * sum, and a change there evaluates the root back into a sum. */
    bool inner = false;
    const sy_expr *sum = sign_pass(ctx, first->args[1], &inner);
    if (sum == NULL) {
      return NULL;
    }
    if (!inner) {
      return sy_st_neg(ctx, sum);
    }
    second = sy_mul2(ctx, first->args[0], sum);
  } else {
    second = sign_pass(ctx, first, &unused);
    if (second != NULL && is_marked(second)) {
      /* sub_post turns the root's 1*-1*(-a) back into a */
      second = sy_st_neg(ctx, second->args[1]);
    }
  }
  if (second == NULL) {
    return NULL;
  }
  if (second->kind != SY_ADD) {
    return rebuild(ctx, second);
  }
  const sy_expr **terms = sy_alloc(ctx, second->n * sizeof *terms);
  for (size_t i = 0; terms != NULL && i < second->n; i++) {
    if ((terms[i] = signsimp(ctx, second->args[i])) == NULL) {
      return NULL;
    }
  }
  return terms == NULL ? NULL : sy_add(ctx, terms, second->n);
}

/* The unevaluated products Rational*(sum) multiplied out, top-down
 * (simplify's hollow_mul xreplace). */
static const sy_expr *hollow_mul(sy_ctx *ctx, const sy_expr *e) {
  if (e == NULL || e->n == 0) {
    return e;
  }
  if (e->kind == SY_MUL && e->n == 2 && sy_st_is_num(e->args[0]) && e->args[1]->kind == SY_ADD) {
    return sy_mul(ctx, e->args, 2);
  }
  const sy_expr **args = sy_st_map_args(ctx, e, hollow_mul);
  if (args == NULL) {
    return NULL;
  }
  return args_differ(e, args, false) ? sy_rebuild(ctx, e, args) : e;
}

/* ---- simplify ---- */

static const sy_expr *expand_mul(sy_ctx *ctx, const sy_expr *e) {
  sy_hints hints = {0};
  hints.deep = true;
  hints.mul = true;
  return e == NULL ? NULL : sy_expand_with(ctx, e, &hints);
}

const sy_expr *sy_simplify(sy_ctx *ctx, const sy_expr *e) {
  if (e == NULL || ctx->failed) {
    return NULL;
  }
  if (!sy_st_in_subset(e)) {
    return sy_fail(ctx, "NotImplementedError", "simplify beyond rational functions is " OUTSIDE);
  }
  if (e->n == 0) {
    return e;
  }
  /* original_expr = collect_abs(signsimp(expr)); the deep replace of
   * other functions has nothing to do in the subset. */
  const sy_expr *original = signsimp(ctx, e);
  if (original == NULL) {
    return NULL;
  }
  if (original->n == 0) {
    return original;
  }
  const sy_expr *expr = bottom_up_normal(ctx, original);
  const sy_expr *c, *p;
  if (expr == NULL || content_primitive(ctx, powsimp(ctx, expr), true, &c, &p) != 0) {
    return NULL;
  }
  expr = sy_mul2(ctx, c, p);
  /* expr1 = shorter(_e, _mexpand(_e).cancel()): cancel's answer depends
   * only on the rational function, so both candidates are _e. */
  const sy_expr *expr1 = expr == NULL ? NULL : sy_cancel(ctx, expr);
  if (expr1 == NULL) {
    return NULL;
  }
  const sy_expr *expr2 = shorter2(ctx, together(ctx, expr), together(ctx, expr1));
  const sy_expr *three[3] = {expr2, expr1, expr};
  expr = factor_terms(ctx, shorter(ctx, three, 3), false);
  /* hyperexpand, trigsimp, logcombine and the rest act on functions only */
  const sy_expr *three_more[3] = {powsimp_exp_deep(ctx, expr), powsimp(ctx, expr), expr};
  const sy_expr *shortest = shorter(ctx, three_more, 3);
  shortest = shortest == NULL ? NULL : shorter2(ctx, shortest, sy_cancel(ctx, shortest));
  if (shortest == NULL) {
    return NULL;
  }
  /* expand_power_exp is the identity on integer exponents */
  const sy_expr *last[3] = {shortest, factor_terms(ctx, shortest, true), expand_mul(ctx, shortest)};
  expr = hollow_mul(ctx, shorter(ctx, last, 3));
  if (expr == NULL) {
    return NULL;
  }
  /* A denominator without radicals leaves radsimp's n at 1: no change. */
  if (could_extract_minus_sign(ctx, expr)) {
    const sy_expr *n, *d;
    if (sy_fraction(ctx, expr, &n, &d) != 0) {
      return NULL;
    }
    expr = signsimp(ctx, sy_div(ctx, sy_st_neg(ctx, n), sy_st_neg(ctx, d)));
  }
  long now = expr == NULL ? -1 : sy_count_ops(ctx, expr);
  long before = now < 0 ? -1 : sy_count_ops(ctx, original);
  if (before < 0) {
    return NULL;
  }
  if (10 * now > 17 * before) { /* measure(expr) > 1.7*measure(original) */
    expr = original;
  }
  return rebuild(ctx, expr); /* done(): doit() evaluates every node */
}
