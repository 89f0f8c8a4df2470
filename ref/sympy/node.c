/* The node and its atoms, raw nodes and questions (node.h). */
#include "ref/sympy/node.h"

#include <math.h>
#include <mpfr.h>
#include <string.h>

static const char *const kFnNames[SY_FN_COUNT] = {"cos", "sin", "exp", "log", "tan", "Abs"};

const char *sy_const_name(int which) {
  static const char *const kNames[] = {"E", "pi", "I", "oo", "-oo", "zoo", "nan"};
  return kNames[which];
}

const char *sy_fn_name(sy_fn fn) {
  return kFnNames[fn];
}

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdULL;
}

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) {
    h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  }
  return h;
}

sy_expr *sy_node(sy_ctx *ctx, sy_kind kind, int fn, const sy_expr *const *args, size_t n) {
  sy_expr *e = sy_alloc(ctx, sizeof *e);
  if (e == NULL) {
    return NULL;
  }
  e->kind = kind;
  e->fn = fn;
  e->n = n;
  e->depth = 1;
  e->hash = mix((uint64_t)kind * 31 + (uint64_t)fn, n);
  if (n > 0) {
    const sy_expr **copy = sy_alloc(ctx, n * sizeof *copy);
    if (copy == NULL) {
      return NULL;
    }
    for (size_t i = 0; i < n; i++) {
      copy[i] = args[i];
      if (args[i]->depth + 1 > e->depth) {
        e->depth = args[i]->depth + 1;
      }
      e->hash = mix(e->hash, args[i]->hash);
      e->has_i |= args[i]->has_i;
      e->has_special |= args[i]->has_special;
      e->has_float |= args[i]->has_float;
    }
    e->args = copy;
  }
  if (e->depth > SY_MAX_DEPTH) {
    return sy_fail(ctx, "RecursionError", "maximum recursion depth exceeded");
  }
  return e;
}

#define OUTSIDE_SUBSET "is outside the sympy subset of pyref"

const sy_expr *sy_number(sy_ctx *ctx, const mpq_t q) {
  if (mpz_sizeinbase(mpq_numref(q), 2) > SY_MAX_NUMBER_BITS ||
      mpz_sizeinbase(mpq_denref(q), 2) > SY_MAX_NUMBER_BITS) {
    return sy_fail(ctx, "MemoryError", "%s", "");
  }
  sy_expr *e = sy_node(ctx, SY_NUM, 0, NULL, 0);
  if (e == NULL) {
    return NULL;
  }
  mpq_init(e->q);
  mpq_set(e->q, q);
  sy_arena_keep_rational(ctx, &e->number_link, e->q);
  size_t count = mpz_size(mpq_numref(q)) + mpz_size(mpq_denref(q));
  ctx->arena.bytes += count * sizeof(mp_limb_t);
  for (size_t i = 0; i < mpz_size(mpq_numref(q)); i++) {
    e->hash = mix(e->hash, mpz_getlimbn(mpq_numref(q), (mp_size_t)i));
  }
  e->hash = mix(e->hash, (uint64_t)mpz_sgn(mpq_numref(q)) + 7);
  for (size_t i = 0; i < mpz_size(mpq_denref(q)); i++) {
    e->hash = mix(e->hash, mpz_getlimbn(mpq_denref(q), (mp_size_t)i));
  }
  return e;
}

const sy_expr *sy_float(sy_ctx *ctx, double value) {
  /* mpmath's exponents are unbounded: near the double range's ends (or
   * past them) the two would part ways. */
  if (!isfinite(value) || (value != 0 && (fabs(value) < 1e-290 || fabs(value) > 1e290))) {
    return sy_fail(ctx, "NotImplementedError", "a Float of this magnitude " OUTSIDE_SUBSET);
  }
  sy_expr *e = sy_node(ctx, SY_FLOAT, 0, NULL, 0);
  if (e == NULL) {
    return NULL;
  }
  e->f = value == 0 ? 0.0 : value; /* -0.0 is 0.0 to mpmath */
  e->has_float = true;
  uint64_t bits;
  memcpy(&bits, &e->f, sizeof bits);
  e->hash = mix(e->hash, bits);
  return e;
}

double sy_q_to_double(const mpq_t q) {
  mpfr_t r;
  mpfr_init2(r, 53);
  mpfr_set_q(r, q, MPFR_RNDN);
  double d = mpfr_get_d(r, MPFR_RNDN);
  mpfr_clear(r);
  if (mpq_sgn(q) != 0 && (d == 0 || !isnormal(d))) {
    return NAN; /* sy_float refuses it */
  }
  return d;
}

const sy_expr *sy_integer(sy_ctx *ctx, long value) {
  mpq_t q;
  mpq_init(q);
  mpq_set_si(q, value, 1);
  const sy_expr *e = sy_number(ctx, q);
  mpq_clear(q);
  return e;
}

const sy_expr *sy_symbol(sy_ctx *ctx, const char *name, size_t len) {
  sy_expr *e = sy_node(ctx, SY_SYM, 0, NULL, 0);
  if (e == NULL || (e->name = sy_strdup(ctx, name, len)) == NULL) {
    return NULL;
  }
  e->hash = mix(e->hash, hash_bytes(name, len));
  return e;
}

const sy_expr *sy_const(sy_ctx *ctx, int which) {
  sy_expr *e = sy_node(ctx, SY_CONST, which, NULL, 0);
  if (e != NULL) {
    e->has_i = which == SY_I;
    e->has_special = which >= SY_OO;
  }
  return e;
}

bool sy_is_special(const sy_expr *e) {
  return e->kind == SY_CONST && e->fn >= SY_OO;
}

bool sy_is_int(const sy_expr *e, long value) {
  return e->kind == SY_NUM && mpz_cmp_ui(mpq_denref(e->q), 1) == 0 &&
         mpz_cmp_si(mpq_numref(e->q), value) == 0;
}

bool sy_is_integer(const sy_expr *e) {
  return e->kind == SY_NUM && mpz_cmp_ui(mpq_denref(e->q), 1) == 0;
}

bool sy_equal(const sy_expr *a, const sy_expr *b) {
  if (a == b) {
    return true;
  }
  if (a->hash != b->hash || a->kind != b->kind || a->fn != b->fn || a->n != b->n) {
    return false;
  }
  switch (a->kind) {
    case SY_NUM:
      return mpq_equal(a->q, b->q) != 0;
    case SY_FLOAT:
      return a->f == b->f;
    case SY_SYM:
      return strcmp(a->name, b->name) == 0;
    default:
      for (size_t i = 0; i < a->n; i++) {
        if (!sy_equal(a->args[i], b->args[i])) {
          return false;
        }
      }
      return true;
  }
}

const sy_expr *sy_coeff_mul(sy_ctx *ctx, const sy_expr *e, const sy_expr **rest) {
  if (e->kind == SY_NUM) {
    *rest = sy_integer(ctx, 1);
    return e;
  }
  if (e->kind == SY_MUL && e->args[0]->kind == SY_NUM) {
    if (e->n == 2) {
      *rest = e->args[1];
    } else {
      *rest = sy_node(ctx, SY_MUL, 0, e->args + 1, e->n - 1);
    }
    return e->args[0];
  }
  *rest = e;
  return sy_integer(ctx, 1);
}

bool sy_could_extract_minus_sign(const sy_expr *e) {
  switch (e->kind) {
    case SY_NUM:
      return mpq_sgn(e->q) < 0;
    case SY_MUL:
      if (sy_is_special(e->args[0])) {
        return e->args[0]->fn == SY_NEG_OO;
      }
      if (e->args[0]->kind == SY_FLOAT) {
        return e->args[0]->f < 0;
      }
      return e->args[0]->kind == SY_NUM && mpq_sgn(e->args[0]->q) < 0;
    case SY_CONST:
      return e->fn == SY_NEG_OO;
    case SY_FLOAT:
      return e->f < 0;
    case SY_ADD: {
      /* Only the count: precedence and printing never ask a tie. */
      size_t negative = 0;
      for (size_t i = 0; i < e->n; i++) {
        negative += sy_could_extract_minus_sign(e->args[i]);
      }
      return 2 * negative > e->n;
    }
    default:
      return false;
  }
}

const sy_expr *sy_mul_unevaluated(sy_ctx *ctx, const sy_expr *const *args, size_t n) {
  if (ctx->failed) {
    return NULL;
  }
  return n == 1 ? args[0] : sy_node(ctx, SY_MUL, 0, args, n);
}

const sy_expr *sy_add_unevaluated(sy_ctx *ctx, const sy_expr *const *args, size_t n) {
  if (ctx->failed) {
    return NULL;
  }
  return n == 1 ? args[0] : sy_node(ctx, SY_ADD, 0, args, n);
}

const sy_expr *sy_func_unevaluated(sy_ctx *ctx, sy_fn fn, const sy_expr *arg) {
  if (arg == NULL) {
    return NULL;
  }
  return sy_node(ctx, SY_FN, (int)fn, &arg, 1);
}

const sy_expr *sy_integer_z(sy_ctx *ctx, const mpz_t z) {
  mpq_t q;
  mpq_init(q);
  mpq_set_z(q, z);
  const sy_expr *e = sy_number(ctx, q);
  mpq_clear(q);
  return e;
}

const sy_expr *sy_rational_si(sy_ctx *ctx, long p, unsigned long q) {
  mpq_t r;
  mpq_init(r);
  mpq_set_si(r, p, q);
  mpq_canonicalize(r);
  const sy_expr *e = sy_number(ctx, r);
  mpq_clear(r);
  return e;
}

bool sy_any_node(const sy_expr *e, bool (*match)(const sy_expr *node)) {
  if (match(e)) {
    return true;
  }
  for (size_t i = 0; i < e->n; i++) {
    if (sy_any_node(e->args[i], match)) {
      return true;
    }
  }
  return false;
}

bool sy_has_imaginary(const sy_expr *e) {
  return e->has_i;
}

bool sy_is_number(const sy_expr *e) {
  if (e->kind == SY_SYM) {
    return false;
  }
  for (size_t i = 0; i < e->n; i++) {
    if (!sy_is_number(e->args[i])) {
      return false;
    }
  }
  return true;
}

/* ---- numeric values ---- */

bool sy_real_value(const sy_expr *e, double *out) {
  double x, y;
  switch (e->kind) {
    case SY_NUM:
      *out = mpq_get_d(e->q);
      return isfinite(*out);
    case SY_CONST:
      if (e->fn >= SY_I) {
        return false;
      }
      *out = e->fn == SY_E ? 2.718281828459045 : 3.141592653589793;
      return true;
    case SY_FLOAT:
      *out = e->f;
      return true;
    case SY_SYM:
      return false;
    case SY_ADD:
    case SY_MUL:
      x = e->kind == SY_ADD ? 0.0 : 1.0;
      for (size_t i = 0; i < e->n; i++) {
        if (!sy_real_value(e->args[i], &y)) {
          return false;
        }
        x = e->kind == SY_ADD ? x + y : x * y;
      }
      *out = x;
      return isfinite(x);
    case SY_POW:
      if (!sy_real_value(e->args[0], &x) || !sy_real_value(e->args[1], &y)) {
        return false;
      }
      if (x < 0 && y != floor(y)) {
        return false;
      }
      *out = pow(x, y);
      return isfinite(*out);
    case SY_FN:
      if (!sy_real_value(e->args[0], &x)) {
        return false;
      }
      switch ((sy_fn)e->fn) {
        case SY_COS:
          *out = cos(x);
          break;
        case SY_SIN:
          *out = sin(x);
          break;
        case SY_EXP:
          *out = exp(x);
          break;
        case SY_LOG:
          if (x <= 0) {
            return false;
          }
          *out = log(x);
          break;
        case SY_TAN:
          *out = tan(x);
          break;
        case SY_ABS:
          *out = fabs(x);
          break;
        default:
          return false;
      }
      return isfinite(*out);
  }
  return false;
}
