/* cancel and factor in several symbols (mpoly_factor.h). */
#include "ref/sympy/mpoly_factor.h"

#include <stdlib.h>

#include "ref/sympy/mpoly_gcd.h"
#include "ref/sympy/mpoly_rat.h"
#include "ref/sympy/poly.h"

#define OUTSIDE "outside the sympy subset of pyref"

/* Status of the factoring steps: an mpoly_gcd.h status, or this one for a
 * factor that cannot be proved irreducible. */
enum { UNPROVEN = -3, CTX_FAILED = -4 };

/* Node visits before a walk gives up: expressions share subtrees, and a
 * walk of the tree they unfold to can be exponentially long. */
enum { VISIT_BUDGET = 1000000 };

/* The first Symbol of e other than other (NULL: any), or NULL; *budget
 * counts the visits down, and at zero the walk stops. */
static const sy_expr *first_symbol(const sy_expr *e, const sy_expr *other, long *budget) {
  if (--*budget < 0) {
    return NULL;
  }
  if (e->kind == SY_SYM) {
    return other == NULL || !sy_equal(e, other) ? e : NULL;
  }
  for (size_t i = 0; i < e->n; i++) {
    const sy_expr *found = first_symbol(e->args[i], other, budget);
    if (found != NULL) {
      return found;
    }
  }
  return NULL;
}

bool sy_has_several_symbols(const sy_expr *e) {
  long budget = VISIT_BUDGET;
  const sy_expr *one = first_symbol(e, NULL, &budget);
  /* past the budget: the multivariate path refuses it as too large */
  return one != NULL && (first_symbol(e, one, &budget) != NULL || budget < 0);
}

static bool is_one(const sy_mpoly *p) {
  return p->count == 1 && sy_mpoly_is_const(p) && mpz_cmp_ui(p->coeffs[0], 1) == 0;
}

const sy_expr *sy_mcancel(sy_ctx *ctx, const sy_expr *e) {
  sy_rat_vars vars;
  sy_ratpoly r;
  if (sy_rat_gens(ctx, e, &vars) != 0 || sy_rat_from_expr(ctx, &vars.gens, e, &r) != 0) {
    return NULL;
  }
  const sy_expr *result = NULL;
  if (sy_rat_reduce(ctx, &r) == 0) {
    const sy_expr *p = sy_rat_to_expr(ctx, &vars, &r.num);
    /* P.as_expr()/Q.as_expr(): a constant Q distributes over a sum P */
    result = p == NULL || is_one(&r.den) ? p : sy_div(ctx, p, sy_rat_to_expr(ctx, &vars, &r.den));
  }
  sy_ratpoly_clear(&r);
  return ctx->failed ? NULL : result;
}

/* ---- factoring ---- */

typedef struct mfactors {
  sy_ctx *ctx; /* for the univariate factoriser's errors */
  sy_mpoly *items;
  long *mult;
  size_t count, cap;
} mfactors;

static void mfactors_free(mfactors *l) {
  for (size_t i = 0; i < l->count; i++) {
    sy_mpoly_clear(&l->items[i]);
  }
  free(l->items);
  free(l->mult);
}

/* Takes p (its sign made positive) into l with multiplicity mult. */
static int push(mfactors *l, sy_mpoly *p, long mult) {
  if (l->count == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 8;
    sy_mpoly *items = realloc(l->items, cap * sizeof *items);
    if (items != NULL) {
      l->items = items;
    }
    long *m = realloc(l->mult, cap * sizeof *m);
    if (m != NULL) {
      l->mult = m;
    }
    if (items == NULL || m == NULL) {
      return SY_MPOLY_NOMEM;
    }
    l->cap = cap;
  }
  sy_mpoly_make_lc_positive(p);
  sy_mpoly_init(&l->items[l->count], p->nvars);
  sy_mpoly_swap(&l->items[l->count], p);
  l->mult[l->count++] = mult;
  return 0;
}

/* p = p / its content in v. */
static int make_primitive_in(sy_mpoly *p, size_t v) {
  sy_mpoly c, q;
  sy_mpoly_init(&c, p->nvars);
  sy_mpoly_init(&q, p->nvars);
  int status = sy_mpoly_content_in(&c, p, v);
  if (status == 0 && (status = sy_mpoly_divexact(&q, p, &c)) == 0) {
    sy_mpoly_swap(p, &q);
  }
  sy_mpoly_clear(&c);
  sy_mpoly_clear(&q);
  return status == 1 ? SY_MPOLY_TOO_BIG : status;
}

/* s, primitive of degree 2 in v: irreducible unless its discriminant
 * B**2 - 4*A*C is a square S**2 in Z[gens], and then the primitive parts
 * of 2*A*v + B -/+ S, linear in v, are its factors (Gauss's lemma). */
static int split_quadratic(sy_mpoly *s, size_t v, long mult, mfactors *out) {
  size_t nv = s->nvars;
  sy_mpoly a, b, c, d, t, root, lin;
  sy_mpoly *all[] = {&a, &b, &c, &d, &t, &root, &lin};
  for (size_t i = 0; i < 7; i++) {
    sy_mpoly_init(all[i], nv);
  }
  mpz_t four;
  mpz_init_set_ui(four, 4);
  int status = 0;
  if ((status = sy_mpoly_coeff_in(&a, s, v, 2)) == 0 &&
      (status = sy_mpoly_coeff_in(&b, s, v, 1)) == 0 &&
      (status = sy_mpoly_coeff_in(&c, s, v, 0)) == 0) {
    if (sy_mpoly_mul(&t, &a, &c) != 0 || sy_mpoly_mul(&d, &b, &b) != 0) {
      status = SY_MPOLY_NOMEM;
    } else {
      sy_mpoly_scale(&t, four);
      status = sy_mpoly_sub(&root, &d, &t) != 0 ? SY_MPOLY_NOMEM : 0;
      sy_mpoly_swap(&d, &root);
    }
  }
  int square = status == 0 ? sy_mpoly_sqrt(&d, &root) : status;
  if (square < 0) {
    status = square;
  } else if (square == 0) {
    status = push(out, s, mult);
  } else {
    /* 2*A*v */
    uint32_t e[64] = {0};
    mpz_t two;
    mpz_init_set_ui(two, 2);
    e[v] = 1;
    sy_mpoly_clear(&t);
    status = sy_mpoly_add_term(&t, e, two) != 0 ? SY_MPOLY_NOMEM : 0;
    mpz_clear(two);
    if (status == 0 && sy_mpoly_mul(&c, &a, &t) != 0) {
      status = SY_MPOLY_NOMEM;
    }
    for (int sign = -1; sign <= 1 && status == 0; sign += 2) {
      if (sy_mpoly_add(&t, &c, &b) != 0 ||
          (sign < 0 ? sy_mpoly_sub(&lin, &t, &root) : sy_mpoly_add(&lin, &t, &root)) != 0) {
        status = SY_MPOLY_NOMEM;
      } else if ((status = make_primitive_in(&lin, v)) == 0) {
        status = push(out, &lin, mult);
      }
    }
  }
  mpz_clear(four);
  for (size_t i = 0; i < 7; i++) {
    sy_mpoly_clear(all[i]);
  }
  return status;
}

/* What a univariate factor becomes: sum(coeffs[k] * v**k * w**(n-1-k)),
 * w homogenising it when w differs from v. */
typedef struct lift {
  mfactors *out;
  size_t nvars, v, w;
  long mult;
} lift;

static int lift_factor(void *env, const mpz_t *coeffs, long n, long mult) {
  const lift *to = env;
  sy_mpoly f;
  sy_mpoly_init(&f, to->nvars);
  uint32_t e[64] = {0};
  int status = 0;
  for (long k = 0; k < n && status == 0; k++) {
    if (mpz_sgn(coeffs[k]) != 0) {
      e[to->v] = (uint32_t)k;
      if (to->w != to->v) {
        e[to->w] = (uint32_t)(n - 1 - k);
      }
      status = sy_mpoly_add_term(&f, e, coeffs[k]) != 0 ? SY_MPOLY_NOMEM : 0;
    }
  }
  if (status == 0) {
    status = push(to->out, &f, to->mult * mult);
  }
  sy_mpoly_clear(&f);
  return status;
}

/* s in the one symbol v, or homogeneous in the two v and w (v first in
 * Poly's order): its factors are those of the univariate s(t, 1) made
 * homogeneous again, irreducible as those are (a factor of a homogeneous
 * polynomial is homogeneous, and none is a power of w since s is
 * primitive in v). 1 when s is neither, else 0 or a status. */
static int split_by_univariate(const sy_mpoly *s, long mult, mfactors *out) {
  size_t nv = s->nvars, vars[2] = {0, 0}, nvars_in = 0;
  for (size_t v = 0; v < nv; v++) {
    if (sy_mpoly_degree(s, v) > 0) {
      if (nvars_in == 2) {
        return 1;
      }
      vars[nvars_in++] = v;
    }
  }
  if (nvars_in == 0) {
    return 1; /* a constant: not this path's */
  }
  lift to = {out, nv, vars[0], nvars_in == 2 ? vars[1] : vars[0], mult};
  long degree = sy_mpoly_degree(s, to.v);
  for (size_t i = 0; nvars_in == 2 && i < s->count; i++) {
    if ((long)(s->exps[i * nv + to.v] + s->exps[i * nv + to.w]) != degree) {
      return 1; /* not homogeneous */
    }
  }
  mpz_t *coeffs = malloc((size_t)(degree + 1) * sizeof *coeffs);
  if (coeffs == NULL) {
    return SY_MPOLY_NOMEM;
  }
  for (long k = 0; k <= degree; k++) {
    mpz_init(coeffs[k]);
  }
  for (size_t i = 0; i < s->count; i++) {
    mpz_set(coeffs[s->exps[i * nv + to.v]], s->coeffs[i]);
  }
  int status = sy_factor_zpoly(out->ctx, (const mpz_t *)coeffs, degree + 1, lift_factor, &to);
  for (long k = 0; k <= degree; k++) {
    mpz_clear(coeffs[k]);
  }
  free(coeffs);
  return status == -1 && out->ctx->failed ? CTX_FAILED : status;
}

/* Counts the factors sy_factor_zpoly finds. */
typedef struct factor_count {
  long factors, degree; /* the last factor's degree */
  bool repeated;
} factor_count;

static int count_factor(void *env, const mpz_t *coeffs, long n, long mult) {
  (void)coeffs;
  factor_count *c = env;
  c->factors++;
  c->degree = n - 1;
  c->repeated = c->repeated || mult != 1;
  return 0;
}

/* Integer points tried for the symbols other than the main one. */
enum { POINTS = 8 };

/* The value at the point's k-th choice of generator w (w != v). */
static long point_value(int k, size_t w) {
  static const long kPoints[POINTS][4] = {{1, 2, 3, 5},  {2, -1, 3, -2}, {-1, 3, 2, 1},
                                          {3, 1, -2, 2}, {1, -1, 2, -3}, {2, 3, 1, 4},
                                          {-2, 1, 1, 3}, {5, 2, -1, 1}};
  return kPoints[k][w % 4] + (long)(w / 4);
}

/* Whether s (square-free, primitive in every symbol it has) is proved
 * irreducible by a specialisation: with every symbol but v set to an
 * integer where the leading coefficient in v does not vanish, a
 * factorisation s = f*g (both of positive degree in v, as s is primitive
 * in v) would give one of s(v) of the same degree. So an irreducible
 * s(v) of full degree proves s irreducible. 1 proved, 0 not, or an error
 * status. Degrees 3 to 5 only: the univariate factoriser refuses more. */
static int irreducible_by_specialisation(const sy_mpoly *s, sy_ctx *ctx) {
  size_t nv = s->nvars;
  int status = 0;
  mpz_t value, power;
  mpz_inits(value, power, NULL);
  for (size_t v = 0; v < nv && status == 0; v++) {
    long degree = sy_mpoly_degree(s, v);
    if (degree < 3 || degree > 5) {
      continue;
    }
    mpz_t coeffs[6];
    for (int i = 0; i < 6; i++) {
      mpz_init(coeffs[i]);
    }
    for (int k = 0; k < POINTS && status == 0; k++) {
      for (long i = 0; i <= degree; i++) {
        mpz_set_ui(coeffs[i], 0);
      }
      for (size_t t = 0; t < s->count; t++) {
        mpz_set(value, s->coeffs[t]);
        for (size_t w = 0; w < nv; w++) {
          uint32_t e = s->exps[t * nv + w];
          if (w != v && e > 0) {
            mpz_set_si(power, point_value(k, w));
            mpz_pow_ui(power, power, e);
            mpz_mul(value, value, power);
          }
        }
        mpz_add(coeffs[s->exps[t * nv + v]], coeffs[s->exps[t * nv + v]], value);
      }
      if (mpz_sgn(coeffs[degree]) == 0) {
        continue; /* the leading coefficient vanishes there */
      }
      factor_count c = {0, 0, false};
      if (sy_factor_zpoly(ctx, (const mpz_t *)coeffs, degree + 1, count_factor, &c) != 0) {
        status = CTX_FAILED;
      } else if (c.factors == 1 && !c.repeated && c.degree == degree) {
        status = 1;
      }
    }
    for (int i = 0; i < 6; i++) {
      mpz_clear(coeffs[i]);
    }
    if (status != 0) {
      break;
    }
  }
  mpz_clears(value, power, NULL);
  return status;
}

/* The irreducible factors of the square-free, nonconstant s. */
static int split_squarefree(sy_mpoly *s, long mult, mfactors *out) {
  size_t nv = s->nvars;
  sy_mpoly g, q;
  sy_mpoly_init(&g, nv);
  sy_mpoly_init(&q, nv);
  int status = 0;
  bool split = false;
  for (size_t v = 0; v < nv && status == 0 && !split; v++) {
    if (sy_mpoly_degree(s, v) <= 0) {
      continue;
    }
    if ((status = sy_mpoly_content_in(&g, s, v)) == 0 && !sy_mpoly_is_const(&g)) {
      split = true;
      status = sy_mpoly_divexact(&q, s, &g);
      if (status == 0 && (status = split_squarefree(&g, mult, out)) == 0) {
        status = split_squarefree(&q, mult, out);
      }
    }
  }
  if (status == 0 && !split) {
    int univariate = split_by_univariate(s, mult, out);
    split = univariate != 1;
    status = univariate == 1 ? 0 : univariate;
  }
  /* Primitive in each of its symbols now: of degree 1 in one of them it
   * is irreducible (a factorisation would put that symbol in one factor
   * and so the other in the content), of degree 2 the discriminant says. */
  for (long degree = 1; degree <= 2 && status == 0 && !split; degree++) {
    for (size_t v = 0; v < nv && !split; v++) {
      if (sy_mpoly_degree(s, v) == degree) {
        split = true;
        status = degree == 1 ? push(out, s, mult) : split_quadratic(s, v, mult, out);
      }
    }
  }
  if (status == 0 && !split) {
    int proved = irreducible_by_specialisation(s, out->ctx);
    split = proved == 1;
    status = proved == 1 ? push(out, s, mult) : proved == 0 ? UNPROVEN : proved;
  }
  sy_mpoly_clear(&g);
  sy_mpoly_clear(&q);
  return status == 1 ? SY_MPOLY_TOO_BIG : status;
}

/* out = a - b', b' the derivative in v. */
static int sub_diff(sy_mpoly *out, const sy_mpoly *a, const sy_mpoly *b, size_t v) {
  sy_mpoly db;
  sy_mpoly_init(&db, a->nvars);
  int status = sy_mpoly_diff(&db, b, v);
  if (status == 0 && sy_mpoly_sub(out, a, &db) != 0) {
    status = SY_MPOLY_NOMEM;
  }
  sy_mpoly_clear(&db);
  return status;
}

/* The irreducible factors of p (nonconstant, integer content 1): its
 * content in its first symbol v recursively, then Yun's square-free
 * decomposition of the primitive part in v, whose factors all have v. */
static int factor_primitive(const sy_mpoly *p, long mult, mfactors *out) {
  size_t nv = p->nvars, v = 0;
  while (v < nv && sy_mpoly_degree(p, v) <= 0) {
    v++;
  }
  sy_mpoly cont, f, df, a, b, c, d, t;
  sy_mpoly *all[] = {&cont, &f, &df, &a, &b, &c, &d, &t};
  for (size_t i = 0; i < 8; i++) {
    sy_mpoly_init(all[i], nv);
  }
  int status = 0;
  if ((status = sy_mpoly_content_in(&cont, p, v)) == 0 &&
      (status = sy_mpoly_divexact(&f, p, &cont)) == 0 && !sy_mpoly_is_const(&cont)) {
    status = factor_primitive(&cont, mult, out);
  }
  /* a = gcd(f, f'), b = f/a, c = f'/a, d = c - b'; then each round's
   * gcd(b, d) is the product of the factors of that multiplicity. */
  if (status == 0 && (status = sy_mpoly_diff(&df, &f, v)) == 0 &&
      (status = sy_mpoly_gcd(&a, &f, &df)) == 0 && (status = sy_mpoly_divexact(&b, &f, &a)) == 0 &&
      (status = sy_mpoly_divexact(&c, &df, &a)) == 0) {
    status = sub_diff(&d, &c, &b, v);
  }
  for (long i = 1; status == 0 && sy_mpoly_degree(&b, v) > 0; i++) {
    if ((status = sy_mpoly_gcd(&a, &b, &d)) != 0 || (status = sy_mpoly_divexact(&t, &b, &a)) != 0) {
      break;
    }
    sy_mpoly_swap(&b, &t);
    if ((status = sy_mpoly_divexact(&c, &d, &a)) != 0 || (status = sub_diff(&d, &c, &b, v)) != 0) {
      break;
    }
    if (!sy_mpoly_is_const(&a)) {
      status = split_squarefree(&a, mult * i, out);
    }
  }
  for (size_t i = 0; i < 8; i++) {
    sy_mpoly_clear(all[i]);
  }
  return status == 1 ? SY_MPOLY_TOO_BIG : status;
}

/* p's sign and integer content into coeff (p nonzero), its factors with
 * multiplicity mult (1 or -1) into out. */
static int factor_part(sy_mpoly *p, long mult, mpz_t coeff, mfactors *out) {
  sy_mpoly_int_content(coeff, p);
  sy_mpoly_divexact_z(p, coeff);
  if (sy_mpoly_make_lc_positive(p)) {
    mpz_neg(coeff, coeff);
  }
  return sy_mpoly_is_const(p) ? 0 : factor_primitive(p, mult, out);
}

/* Factors base**k (base a rational function over vars) into l and
 * multiplies coeff by its coefficient**k; *zero when base is zero. */
static int factor_power(sy_ctx *ctx, const sy_rat_vars *vars, const sy_expr *base, long k,
                        mpq_t coeff, mfactors *l, bool *zero) {
  sy_ratpoly r;
  if (sy_rat_from_expr(ctx, &vars->gens, base, &r) != 0) {
    return CTX_FAILED;
  }
  *zero = r.num.count == 0;
  int status = *zero ? 0 : sy_rat_reduce(ctx, &r) != 0 ? CTX_FAILED : 0;
  mpq_t c;
  mpq_init(c);
  if (status == 0 && !*zero && (status = factor_part(&r.num, k, mpq_numref(c), l)) == 0) {
    status = factor_part(&r.den, -k, mpq_denref(c), l);
  }
  if (status == 0 && !*zero) {
    if (mpz_sgn(mpq_denref(c)) < 0) {
      mpz_neg(mpq_denref(c), mpq_denref(c));
      mpz_neg(mpq_numref(c), mpq_numref(c));
    }
    mpq_canonicalize(c);
    mpz_pow_ui(mpq_numref(c), mpq_numref(c), (unsigned long)labs(k));
    mpz_pow_ui(mpq_denref(c), mpq_denref(c), (unsigned long)labs(k));
    if (k < 0) {
      mpq_inv(c, c);
    }
    mpq_mul(coeff, coeff, c);
  }
  mpq_clear(c);
  sy_ratpoly_clear(&r);
  return status;
}

/* The integer exponent of a power e (1 for anything else), its base into
 * *base. */
static long power_of(const sy_expr *e, const sy_expr **base) {
  const sy_expr *k = e->kind == SY_POW ? e->args[1] : NULL;
  if (k != NULL && k->kind == SY_NUM && mpz_cmp_ui(mpq_denref(k->q), 1) == 0 &&
      mpz_cmpabs_ui(mpq_numref(k->q), SY_RAT_MAX_POWER) <= 0) {
    *base = e->args[0];
    return mpz_get_si(mpq_numref(k->q));
  }
  *base = e;
  return 1;
}

const sy_expr *sy_mfactor(sy_ctx *ctx, const sy_expr *e) {
  sy_rat_vars vars;
  if (sy_rat_gens(ctx, e, &vars) != 0) {
    return NULL;
  }
  /* _symbolic_factor_list factors each factor of the product alone; the
   * result is the same, but each part is smaller to prove complete. */
  size_t parts = e->kind == SY_MUL ? e->n : 1;
  mfactors l = {.ctx = ctx};
  mpq_t coeff;
  mpq_init(coeff);
  mpq_set_ui(coeff, 1, 1);
  int status = 0;
  bool zero = false, any_zero = false;
  for (size_t i = 0; i < parts && status == 0; i++) {
    const sy_expr *base;
    long k = power_of(e->kind == SY_MUL ? e->args[i] : e, &base);
    status = factor_power(ctx, &vars, base, k, coeff, &l, &zero);
    if (zero && k < 0) {
      sy_fail(ctx, "NotImplementedError", "division by zero is " OUTSIDE);
      status = CTX_FAILED;
    }
    any_zero = any_zero || zero;
  }
  const sy_expr *result = NULL;
  if (status == CTX_FAILED || ctx->failed) {
    /* the error stands */
  } else if (status == UNPROVEN) {
    sy_fail(ctx, "NotImplementedError",
            "factors of degree 3 and more in several symbols are " OUTSIDE);
  } else if (status != 0) {
    sy_rat_fail(ctx, status);
  } else if (any_zero) {
    result = sy_integer(ctx, 0);
  } else {
    const sy_expr **powers = sy_alloc(ctx, (l.count + 1) * sizeof *powers);
    for (size_t i = 0; powers != NULL && i < l.count; i++) {
      powers[i] = sy_pow(ctx, sy_rat_to_expr(ctx, &vars, &l.items[i]), sy_integer(ctx, l.mult[i]));
    }
    const sy_expr *product = powers == NULL || ctx->failed ? NULL
                             : l.count == 0                ? sy_integer(ctx, 1)
                                                           : sy_mul(ctx, powers, l.count);
    if (product != NULL) {
      result = sy_keep_coeff(ctx, sy_number(ctx, coeff), product);
    }
  }
  mpq_clear(coeff);
  mfactors_free(&l);
  return ctx->failed ? NULL : result;
}
