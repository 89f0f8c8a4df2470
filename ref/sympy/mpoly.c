/* Sparse multivariate polynomials over Z (mpoly.h): exponent vectors in
 * one array, GMP coefficients beside them, and a transient open-addressing
 * map from monomial to term for the operations that combine terms. */
#include "ref/sympy/mpoly.h"

#include "ref/sympy/index_sort.h"

#include <stdlib.h>
#include <string.h>

/* More generators than this make sy_mpoly_collect_gens answer "not a
 * polynomial" (the callers' general paths take over). */
enum { MAX_GENS = 64 };

bool sy_mpoly_is_generator(const sy_expr *e) {
  if (e->kind == SY_SYM) {
    return true;
  }
  /* A call of a number (cos(1)) is left out: Mul and Pow treat numbers
   * apart (2**x, cos(1) among the coefficients), which sort keys of
   * generators do not model. */
  return e->kind == SY_FN &&
         (e->fn == SY_COS || e->fn == SY_SIN || e->fn == SY_TAN || e->fn == SY_LOG) && !e->has_i &&
         !e->has_special && !e->has_float && !sy_is_number(e->args[0]);
}

/* ---- storage ---- */

void sy_mpoly_init(sy_mpoly *p, size_t nvars) {
  memset(p, 0, sizeof *p);
  p->nvars = nvars;
}

void sy_mpoly_clear(sy_mpoly *p) {
  for (size_t i = 0; i < p->count; i++) {
    mpz_clear(p->coeffs[i]);
  }
  free(p->exps);
  free(p->coeffs);
  size_t nvars = p->nvars;
  sy_mpoly_init(p, nvars);
}

void sy_mpoly_swap(sy_mpoly *a, sy_mpoly *b) {
  sy_mpoly t = *a;
  *a = *b;
  *b = t;
}

static int reserve(sy_mpoly *p, size_t want) {
  if (want <= p->cap) {
    return 0;
  }
  if (want > SY_MPOLY_MAX_TERMS) {
    return -1;
  }
  size_t cap = p->cap < 8 ? 8 : p->cap;
  while (cap < want) {
    cap *= 2;
  }
  size_t width = p->nvars ? p->nvars : 1;
  uint32_t *exps = realloc(p->exps, cap * width * sizeof *exps);
  if (exps == NULL) {
    return -1;
  }
  p->exps = exps;
  mpz_t *coeffs = realloc(p->coeffs, cap * sizeof *coeffs);
  if (coeffs == NULL) {
    return -1;
  }
  p->coeffs = coeffs;
  p->cap = cap;
  return 0;
}

/* Appends a term with a zero coefficient; returns its index or -1. */
static long push_term(sy_mpoly *p, const uint32_t *exps) {
  if (reserve(p, p->count + 1) != 0) {
    return -1;
  }
  size_t i = p->count++;
  if (p->nvars > 0) {
    memcpy(p->exps + i * p->nvars, exps, p->nvars * sizeof *exps);
  }
  mpz_init(p->coeffs[i]);
  return (long)i;
}

/* Drops the terms whose coefficient is zero, keeping the others' order. */
static void drop_zeros(sy_mpoly *p) {
  size_t kept = 0;
  for (size_t i = 0; i < p->count; i++) {
    if (mpz_sgn(p->coeffs[i]) == 0) {
      mpz_clear(p->coeffs[i]);
      continue;
    }
    if (kept != i) {
      memcpy(p->coeffs[kept], p->coeffs[i], sizeof(mpz_t));
      memmove(p->exps + kept * p->nvars, p->exps + i * p->nvars, p->nvars * sizeof *p->exps);
    }
    kept++;
  }
  p->count = kept;
}

/* ---- the monomial map ---- */

typedef struct monomap {
  size_t *slots; /* term index + 1; 0 is empty */
  size_t mask;
} monomap;

static uint64_t monomial_hash(const uint32_t *e, size_t nvars) {
  uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (size_t i = 0; i < nvars; i++) {
    h = (h ^ e[i]) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  return h;
}

static int map_init(monomap *m, size_t expected) {
  size_t size = 16;
  while (size < expected * 2) {
    size *= 2;
  }
  m->slots = calloc(size, sizeof *m->slots);
  m->mask = size - 1;
  return m->slots == NULL ? -1 : 0;
}

static void map_free(monomap *m) {
  free(m->slots);
  m->slots = NULL;
}

static size_t *map_slot(const monomap *m, const sy_mpoly *p, const uint32_t *exps) {
  size_t i = monomial_hash(exps, p->nvars) & m->mask;
  while (m->slots[i] != 0 &&
         memcmp(p->exps + (m->slots[i] - 1) * p->nvars, exps, p->nvars * sizeof *exps) != 0) {
    i = (i + 1) & m->mask;
  }
  return &m->slots[i];
}

static int map_grow(monomap *m, const sy_mpoly *p) {
  monomap bigger;
  if (map_init(&bigger, (m->mask + 1)) != 0) {
    return -1;
  }
  for (size_t t = 0; t < p->count; t++) {
    *map_slot(&bigger, p, p->exps + t * p->nvars) = t + 1;
  }
  map_free(m);
  *m = bigger;
  return 0;
}

/* The coefficient of exps in p, a new zero term when p has none; NULL on
 * memory exhaustion. */
static mpz_ptr map_coeff(monomap *m, sy_mpoly *p, const uint32_t *exps) {
  if ((p->count + 1) * 2 > m->mask + 1 && map_grow(m, p) != 0) {
    return NULL;
  }
  size_t *slot = map_slot(m, p, exps);
  if (*slot == 0) {
    long t = push_term(p, exps);
    if (t < 0) {
      return NULL;
    }
    *slot = (size_t)t + 1;
  }
  return p->coeffs[*slot - 1];
}

/* ---- arithmetic ---- */

int sy_mpoly_push_term(sy_mpoly *p, const uint32_t *exps, const mpz_t coeff) {
  long t = push_term(p, exps);
  if (t < 0) {
    return -1;
  }
  mpz_set(p->coeffs[t], coeff);
  return 0;
}

int sy_mpoly_add_term(sy_mpoly *p, const uint32_t *exps, const mpz_t coeff) {
  for (size_t i = 0; i < p->count; i++) {
    if (memcmp(p->exps + i * p->nvars, exps, p->nvars * sizeof *exps) == 0) {
      mpz_add(p->coeffs[i], p->coeffs[i], coeff);
      drop_zeros(p);
      return 0;
    }
  }
  if (mpz_sgn(coeff) == 0) {
    return 0;
  }
  long t = push_term(p, exps);
  if (t < 0) {
    return -1;
  }
  mpz_set(p->coeffs[t], coeff);
  return 0;
}

static int add_signed(sy_mpoly *out, const sy_mpoly *a, const sy_mpoly *b, int sign) {
  sy_mpoly_clear(out);
  out->nvars = a->nvars;
  monomap m;
  if (map_init(&m, a->count + b->count) != 0) {
    return -1;
  }
  int status = 0;
  for (size_t i = 0; i < a->count && status == 0; i++) {
    mpz_ptr c = map_coeff(&m, out, a->exps + i * a->nvars);
    status = c == NULL ? -1 : (mpz_add(c, c, a->coeffs[i]), 0);
  }
  for (size_t i = 0; i < b->count && status == 0; i++) {
    mpz_ptr c = map_coeff(&m, out, b->exps + i * b->nvars);
    if (c == NULL) {
      status = -1;
    } else if (sign > 0) {
      mpz_add(c, c, b->coeffs[i]);
    } else {
      mpz_sub(c, c, b->coeffs[i]);
    }
  }
  map_free(&m);
  drop_zeros(out);
  return status;
}

int sy_mpoly_sum(sy_mpoly *out, const sy_mpoly *parts, const mpz_t *scales, size_t n) {
  size_t nvars = out->nvars, total = 0;
  sy_mpoly_clear(out);
  out->nvars = n > 0 ? parts[0].nvars : nvars;
  for (size_t i = 0; i < n; i++) {
    total += parts[i].count;
  }
  monomap m;
  if (map_init(&m, total) != 0) {
    return -1;
  }
  int status = 0;
  for (size_t i = 0; i < n && status == 0; i++) {
    const sy_mpoly *part = &parts[i];
    for (size_t t = 0; t < part->count && status == 0; t++) {
      mpz_ptr c = map_coeff(&m, out, part->exps + t * part->nvars);
      status = c == NULL ? -1 : (mpz_addmul(c, part->coeffs[t], scales[i]), 0);
    }
  }
  map_free(&m);
  drop_zeros(out);
  return status;
}

int sy_mpoly_add(sy_mpoly *out, const sy_mpoly *a, const sy_mpoly *b) {
  return add_signed(out, a, b, 1);
}

int sy_mpoly_sub(sy_mpoly *out, const sy_mpoly *a, const sy_mpoly *b) {
  return add_signed(out, a, b, -1);
}

/* The largest exponent of each generator in p, into most (nvars). */
static void max_exps(const sy_mpoly *p, uint32_t *most) {
  memset(most, 0, p->nvars * sizeof *most);
  for (size_t t = 0; t < p->count; t++) {
    for (size_t v = 0; v < p->nvars; v++) {
      uint32_t e = p->exps[t * p->nvars + v];
      most[v] = e > most[v] ? e : most[v];
    }
  }
}

/* Whether exponents up to a_most + b_most (times n for b) stay in range. */
static bool exps_fit(const sy_mpoly *a, const sy_mpoly *b, unsigned long n) {
  uint32_t most_a[MAX_GENS], most_b[MAX_GENS];
  if (a->nvars > MAX_GENS) {
    return false;
  }
  max_exps(a, most_a);
  max_exps(b, most_b);
  for (size_t v = 0; v < a->nvars; v++) {
    if ((double)most_a[v] + (double)most_b[v] * (double)n > SY_MPOLY_MAX_EXP) {
      return false;
    }
  }
  return true;
}

int sy_mpoly_mul(sy_mpoly *out, const sy_mpoly *a, const sy_mpoly *b) {
  sy_mpoly_clear(out);
  out->nvars = a->nvars;
  if (!exps_fit(a, b, 1) || (double)a->count * (double)b->count > 64.0 * SY_MPOLY_MAX_TERMS) {
    return -1;
  }
  monomap m;
  uint32_t sum[MAX_GENS];
  if (map_init(&m, a->count + b->count) != 0) {
    return -1;
  }
  int status = 0;
  for (size_t i = 0; i < a->count && status == 0; i++) {
    const uint32_t *ea = a->exps + i * a->nvars;
    for (size_t j = 0; j < b->count && status == 0; j++) {
      const uint32_t *eb = b->exps + j * b->nvars;
      for (size_t v = 0; v < a->nvars; v++) {
        sum[v] = ea[v] + eb[v];
      }
      mpz_ptr c = map_coeff(&m, out, sum);
      status = c == NULL ? -1 : (mpz_addmul(c, a->coeffs[i], b->coeffs[j]), 0);
    }
  }
  map_free(&m);
  drop_zeros(out);
  return status;
}

/* The multinomial expansion of (c_0 m_0 + ... + c_{k-1} m_{k-1})**n: every
 * split n = j_0 + ... + j_{k-1} contributes
 *   n! / (j_0! ... j_{k-1}!) * prod c_i**j_i * prod m_i**j_i,
 * built one term of the base at a time, so that each level multiplies the
 * running coefficient by C(r, j) * c_i**j for the r still to place. The
 * binomials are stepped (C(r, j-1) = C(r, j) * j / (r - j + 1)) and the
 * powers c_i**j tabled, so a leaf costs one multiplication. */
typedef struct multinomial {
  const sy_mpoly *base;
  unsigned long n;
  mpz_t *powers;     /* powers[i * (n + 1) + j] = c_i ** j */
  mpz_t *running;    /* running[i]: the coefficient before term i */
  mpz_t *binomials;  /* binomials[i]: C(r_i, j) at level i */
  uint32_t *partial; /* partial[i * nvars]: the monomial before term i */
  monomap map;
  sy_mpoly *out;
} multinomial;

static int expand_level(multinomial *mn, size_t i, unsigned long r) {
  const sy_mpoly *a = mn->base;
  size_t nv = a->nvars;
  const uint32_t *before = mn->partial + i * nv;
  const uint32_t *mono = a->exps + i * nv;
  if (i + 1 == a->count) {
    /* the last term takes the remaining r */
    uint32_t *e = mn->partial + (i + 1) * nv;
    for (size_t v = 0; v < nv; v++) {
      e[v] = before[v] + mono[v] * (uint32_t)r;
    }
    mpz_ptr c = map_coeff(&mn->map, mn->out, e);
    if (c == NULL) {
      return -1;
    }
    mpz_addmul(c, mn->running[i], mn->powers[i * (mn->n + 1) + r]);
    return 0;
  }
  mpz_ptr binomial = mn->binomials[i];
  mpz_set_ui(binomial, 1); /* C(r, r) */
  for (unsigned long j = r;; j--) {
    uint32_t *e = mn->partial + (i + 1) * nv;
    for (size_t v = 0; v < nv; v++) {
      e[v] = before[v] + mono[v] * (uint32_t)j;
    }
    mpz_mul(mn->running[i + 1], mn->running[i], binomial);
    mpz_mul(mn->running[i + 1], mn->running[i + 1], mn->powers[i * (mn->n + 1) + j]);
    if (expand_level(mn, i + 1, r - j) != 0) {
      return -1;
    }
    if (j == 0) {
      break;
    }
    /* C(r, j - 1) from C(r, j) */
    mpz_mul_ui(binomial, binomial, j);
    mpz_divexact_ui(binomial, binomial, r - j + 1);
  }
  return 0;
}

/* The recursion above is as deep as the base has terms. */
enum { MAX_MULTINOMIAL_TERMS = 64 };

static int pow_multinomial(sy_mpoly *out, const sy_mpoly *a, unsigned long n) {
  size_t k = a->count, nv = a->nvars;
  multinomial mn = {.base = a, .n = n, .out = out};
  mn.powers = malloc(k * (n + 1) * sizeof *mn.powers);
  mn.running = malloc((k + 1) * sizeof *mn.running);
  mn.binomials = malloc(k * sizeof *mn.binomials);
  mn.partial = calloc((k + 1) * (nv ? nv : 1), sizeof *mn.partial);
  int status = -1;
  if (mn.powers != NULL && mn.running != NULL && mn.binomials != NULL && mn.partial != NULL &&
      map_init(&mn.map, 64) == 0) {
    for (size_t i = 0; i < k; i++) {
      mpz_ptr p = mn.powers[i * (n + 1)];
      mpz_init_set_ui(p, 1);
      for (unsigned long j = 1; j <= n; j++) {
        mpz_init(mn.powers[i * (n + 1) + j]);
        mpz_mul(mn.powers[i * (n + 1) + j], mn.powers[i * (n + 1) + j - 1], a->coeffs[i]);
      }
      mpz_init(mn.binomials[i]);
    }
    for (size_t i = 0; i <= k; i++) {
      mpz_init_set_ui(mn.running[i], 1);
    }
    status = expand_level(&mn, 0, n);
    for (size_t i = 0; i < k * (n + 1); i++) {
      mpz_clear(mn.powers[i]);
    }
    for (size_t i = 0; i < k; i++) {
      mpz_clear(mn.binomials[i]);
    }
    for (size_t i = 0; i <= k; i++) {
      mpz_clear(mn.running[i]);
    }
  }
  map_free(&mn.map);
  free(mn.powers);
  free(mn.running);
  free(mn.binomials);
  free(mn.partial);
  drop_zeros(out);
  return status;
}

int sy_mpoly_eval_at(sy_mpoly *out, mpz_t scale, const sy_mpoly *p, size_t var, const mpq_t value) {
  sy_mpoly_clear(out);
  out->nvars = p->nvars;
  uint32_t most[MAX_GENS], exps[MAX_GENS];
  if (p->nvars > MAX_GENS || var >= p->nvars) {
    return -1;
  }
  max_exps(p, most);
  uint32_t top = most[var];
  /* a**k * b**(top - k), tabled for k = 0..top */
  mpz_t *weights = malloc((top + 1) * sizeof *weights);
  monomap m;
  if (weights == NULL || map_init(&m, p->count) != 0) {
    free(weights);
    return -1;
  }
  mpz_t a_power;
  mpz_init_set_ui(a_power, 1);
  for (uint32_t k = 0; k <= top; k++) {
    mpz_init(weights[k]);
    mpz_pow_ui(weights[k], mpq_denref(value), top - k);
    mpz_mul(weights[k], weights[k], a_power);
    mpz_mul(a_power, a_power, mpq_numref(value));
  }
  mpz_pow_ui(scale, mpq_denref(value), top);
  int status = 0;
  for (size_t t = 0; t < p->count && status == 0; t++) {
    memcpy(exps, p->exps + t * p->nvars, p->nvars * sizeof *exps);
    uint32_t k = exps[var];
    exps[var] = 0;
    mpz_ptr c = map_coeff(&m, out, exps);
    status = c == NULL ? -1 : (mpz_addmul(c, p->coeffs[t], weights[k]), 0);
  }
  for (uint32_t k = 0; k <= top; k++) {
    mpz_clear(weights[k]);
  }
  mpz_clear(a_power);
  free(weights);
  map_free(&m);
  drop_zeros(out);
  return status;
}

/* C(n + k - 1, k - 1) as a double: the number of splits of n over k. */
static double splits(unsigned long n, size_t k) {
  double count = 1;
  for (size_t i = 1; i < k; i++) {
    count = count * (double)(n + i) / (double)i;
  }
  return count;
}

int sy_mpoly_pow(sy_mpoly *out, const sy_mpoly *a, unsigned long n) {
  sy_mpoly_clear(out);
  out->nvars = a->nvars;
  uint32_t zero[MAX_GENS] = {0};
  if (a->nvars > MAX_GENS || (n > 0 && !exps_fit(out, a, n))) {
    return -1;
  }
  if (n == 0 || a->count == 0) {
    /* 0**0 is 1, as sympy has it */
    mpz_t one;
    mpz_init_set_ui(one, n == 0 ? 1 : 0);
    int status = n == 0 ? sy_mpoly_add_term(out, zero, one) : 0;
    mpz_clear(one);
    return status;
  }
  if (splits(n, a->count) > SY_MPOLY_MAX_TERMS) {
    return -1;
  }
  if (a->count <= MAX_MULTINOMIAL_TERMS) {
    return pow_multinomial(out, a, n);
  }
  /* square and multiply */
  sy_mpoly result, square, tmp;
  sy_mpoly_init(&result, a->nvars);
  sy_mpoly_init(&square, a->nvars);
  sy_mpoly_init(&tmp, a->nvars);
  mpz_t one;
  mpz_init_set_ui(one, 1);
  int status = sy_mpoly_add_term(&result, zero, one);
  status = status != 0 ? -1 : sy_mpoly_add(&square, a, &tmp); /* a copy of a */
  for (unsigned long bits = n; status == 0 && bits > 0; bits >>= 1) {
    if (bits & 1) {
      status = sy_mpoly_mul(&tmp, &result, &square);
      sy_mpoly_swap(&tmp, &result);
    }
    if (status == 0 && bits > 1) {
      status = sy_mpoly_mul(&tmp, &square, &square);
      sy_mpoly_swap(&tmp, &square);
    }
  }
  mpz_clear(one);
  sy_mpoly_swap(out, &result);
  sy_mpoly_clear(&result);
  sy_mpoly_clear(&square);
  sy_mpoly_clear(&tmp);
  return status;
}

/* ---- ordering and comparison ---- */

static int lex_desc(const void *ctx, size_t a, size_t b) {
  const sy_mpoly *p = ctx;
  const uint32_t *ea = p->exps + a * p->nvars, *eb = p->exps + b * p->nvars;
  for (size_t v = 0; v < p->nvars; v++) {
    if (ea[v] != eb[v]) {
      return ea[v] > eb[v] ? -1 : 1;
    }
  }
  return 0;
}

/* Puts p's terms in the order of perm (perm[i] is the new term i). */
static int permute(sy_mpoly *p, const size_t *perm) {
  size_t nv = p->nvars;
  uint32_t *exps = malloc((p->count ? p->count : 1) * (nv ? nv : 1) * sizeof *exps);
  mpz_t *coeffs = malloc((p->count ? p->count : 1) * sizeof *coeffs);
  if (exps == NULL || coeffs == NULL) {
    free(exps);
    free(coeffs);
    return -1;
  }
  for (size_t i = 0; i < p->count; i++) {
    memcpy(exps + i * nv, p->exps + perm[i] * nv, nv * sizeof *exps);
    memcpy(coeffs[i], p->coeffs[perm[i]], sizeof(mpz_t));
  }
  free(p->exps);
  free(p->coeffs);
  p->exps = exps;
  p->coeffs = coeffs;
  p->cap = p->count;
  return 0;
}

void sy_mpoly_sort_lex(sy_mpoly *p) {
  size_t *perm = malloc((p->count ? p->count : 1) * sizeof *perm);
  if (perm != NULL) {
    for (size_t i = 0; i < p->count; i++) {
      perm[i] = i;
    }
    if (sy_sort_indices(perm, p->count, lex_desc, p) == 0) {
      (void)permute(p, perm); /* on failure p keeps its order */
    }
  }
  free(perm);
}

bool sy_mpoly_equal(const sy_mpoly *a, const sy_mpoly *b) {
  if (a->nvars != b->nvars || a->count != b->count) {
    return false;
  }
  monomap m;
  if (map_init(&m, a->count) != 0) {
    return false;
  }
  for (size_t i = 0; i < a->count; i++) {
    *map_slot(&m, a, a->exps + i * a->nvars) = i + 1;
  }
  bool equal = true;
  for (size_t j = 0; j < b->count && equal; j++) {
    size_t slot = *map_slot(&m, a, b->exps + j * b->nvars);
    equal = slot != 0 && mpz_cmp(a->coeffs[slot - 1], b->coeffs[j]) == 0;
  }
  map_free(&m);
  return equal;
}
