/* Expr.sort_key (sympy/core/expr.py with the class keys of Basic, Atom,
 * Number, Add, Mul, Pow and Function), as expr.h declares it. A key is
 * built once per expression as a tree and then compared without
 * allocating, so that sorting n items builds n keys, not n log n pairs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/sympy/expr.h"

typedef struct skey skey;
struct skey {
  mpq_srcptr number; /* a Number: compared by value, before everything */
  int major, minor;  /* the class key of the expression part */
  const char *name;
  char *atom;       /* str() of an atomic expression part (malloc'd) */
  size_t nargs;     /* the key's args: a sum's terms in printing order, */
  skey **args;      /* a product's factors in key order, a call's args */
  skey *exp;        /* the exponent (NULL: 1) */
  mpq_srcptr coeff; /* the Rational coefficient (NULL: 1) */
};

typedef struct class_key {
  int major, minor;
  const char *name;
} class_key;

static class_key class_key_of(const sy_expr *e) {
  static const int kFnMinor[SY_FN_COUNT] = {21, 20, 10, 11, 22, 10000};
  switch (e->kind) {
    case SY_NUM:
    case SY_FLOAT:
      return (class_key){1, 0, "Number"};
    case SY_SYM:
      return (class_key){2, 0, "Symbol"};
    case SY_CONST:
      if (e->fn >= SY_OO) {
        return (class_key){1, 0, "Number"};
      }
      return (class_key){2, 0, e->fn == SY_E ? "Exp1" : e->fn == SY_PI ? "Pi" : "ImaginaryUnit"};
    case SY_ADD:
      return (class_key){3, 1, "Add"};
    case SY_MUL:
      return (class_key){3, 0, "Mul"};
    case SY_POW:
      return (class_key){3, 2, "Pow"};
    case SY_FN:
    default:
      return (class_key){4, kFnMinor[e->fn], sy_fn_name((sy_fn)e->fn)};
  }
}

static void skey_free(skey *k) {
  if (k == NULL) {
    return;
  }
  for (size_t i = 0; i < k->nargs; i++) {
    skey_free(k->args[i]);
  }
  free(k->args);
  skey_free(k->exp);
  free(k->atom);
  free(k);
}

static int cmp_int(long a, long b) {
  return a < b ? -1 : a > b;
}

static int skey_cmp(const skey *a, const skey *b) {
  if (a == b) {
    return 0;
  }
  if (a->number != NULL || b->number != NULL) {
    if (a->number != NULL && b->number != NULL) {
      int c = mpq_cmp(a->number, b->number);
      return c < 0 ? -1 : c > 0;
    }
    /* Any other key's class is greater than Number's, or is Number (a
     * power of a number: 2**x) with args (1, ...) after (0, ()). */
    return a->number != NULL ? -1 : 1;
  }
  int c = cmp_int(a->major, b->major);
  if (c == 0) {
    c = cmp_int(a->minor, b->minor);
  }
  if (c == 0) {
    c = strcmp(a->name, b->name);
  }
  if (c != 0) {
    return c < 0 ? -1 : 1;
  }
  if (a->atom != NULL || b->atom != NULL) {
    c = a->atom != NULL && b->atom != NULL ? strcmp(a->atom, b->atom) : 0;
  } else {
    c = cmp_int((long)a->nargs, (long)b->nargs);
    for (size_t i = 0; c == 0 && i < a->nargs; i++) {
      c = skey_cmp(a->args[i], b->args[i]);
    }
  }
  if (c == 0 && (a->exp != NULL || b->exp != NULL)) {
    /* a missing exponent is Integer 1 */
    if (a->exp != NULL && b->exp != NULL) {
      c = skey_cmp(a->exp, b->exp);
    } else {
      const skey *present = a->exp != NULL ? a->exp : b->exp;
      int sign = a->exp != NULL ? 1 : -1;
      /* compare present against the key of Integer 1 */
      if (present->number != NULL) {
        c = sign * mpq_cmp_si(present->number, 1, 1);
      } else {
        c = sign; /* any non-number key is above a Number's */
      }
    }
  }
  if (c == 0 && (a->coeff != NULL || b->coeff != NULL)) {
    if (a->coeff != NULL && b->coeff != NULL) {
      c = mpq_cmp(a->coeff, b->coeff);
    } else {
      c = a->coeff != NULL ? mpq_cmp_si(a->coeff, 1, 1) : -mpq_cmp_si(b->coeff, 1, 1);
    }
  }
  return c < 0 ? -1 : c > 0;
}

static skey *skey_build(sy_ctx *ctx, const sy_expr *e);

/* Stable merge sort of keys (with their items alongside) by skey_cmp. */
static void sort_keys(skey **keys, const sy_expr **items, skey **kbuf, const sy_expr **ibuf,
                      size_t n) {
  if (n < 2) {
    return;
  }
  size_t half = n / 2;
  sort_keys(keys, items, kbuf, ibuf, half);
  sort_keys(keys + half, items + half, kbuf, ibuf, n - half);
  size_t i = 0, j = half, k = 0;
  while (i < half && j < n) {
    bool right = skey_cmp(keys[j], keys[i]) < 0;
    size_t from = right ? j++ : i++;
    kbuf[k] = keys[from];
    ibuf[k++] = items[from];
  }
  while (i < half) {
    kbuf[k] = keys[i];
    ibuf[k++] = items[i++];
  }
  while (j < n) {
    kbuf[k] = keys[j];
    ibuf[k++] = items[j++];
  }
  memcpy(keys, kbuf, n * sizeof *keys);
  memcpy(items, ibuf, n * sizeof *items);
}

/* The keys of items (n of them, or NULL and the error set). */
static skey **build_all(sy_ctx *ctx, const sy_expr *const *items, size_t n) {
  skey **keys = calloc(n ? n : 1, sizeof *keys);
  if (keys == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    if ((keys[i] = skey_build(ctx, items[i])) == NULL) {
      for (size_t j = 0; j < i; j++) {
        skey_free(keys[j]);
      }
      free(keys);
      return NULL;
    }
  }
  return keys;
}

/* The key's args for the expression part e: a sum's terms in printing
 * order, a product's factors sorted by key (given as factors/nfactors, so
 * that a product without its coefficient needs no node), a call's args. */
static int build_args(sy_ctx *ctx, skey *k, const sy_expr *e, const sy_expr *const *factors,
                      size_t nfactors) {
  const sy_expr **args = malloc((nfactors ? nfactors : 1) * sizeof *args);
  if (args == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
    return -1;
  }
  if (e->kind == SY_ADD) {
    if (sy_ordered_terms(ctx, e, args) != 0) {
      free(args);
      return -1;
    }
  } else {
    memcpy(args, factors, nfactors * sizeof *args);
  }
  k->args = build_all(ctx, args, nfactors);
  k->nargs = k->args == NULL ? 0 : nfactors;
  int status = k->args == NULL ? -1 : 0;
  if (status == 0 && e->kind == SY_MUL) {
    skey **kbuf = malloc(nfactors * sizeof *kbuf);
    const sy_expr **ibuf = malloc(nfactors * sizeof *ibuf);
    if (kbuf == NULL || ibuf == NULL) {
      sy_fail(ctx, "MemoryError", "%s", "");
      status = -1;
    } else {
      sort_keys(k->args, args, kbuf, ibuf, nfactors);
    }
    free(kbuf);
    free(ibuf);
  }
  free(args);
  return status;
}

static char *atom_string(const sy_expr *e) {
  if (e->kind == SY_NUM) {
    char *s = NULL;
    if (gmp_asprintf(&s, "%Qd", e->q) < 0) {
      return NULL;
    }
    size_t n = strlen(s);
    char *copy = malloc(n + 1);
    if (copy != NULL) {
      memcpy(copy, s, n + 1);
    }
    void (*gmp_free)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &gmp_free);
    gmp_free(s, n + 1);
    return copy;
  }
  char number[32];
  if (e->kind == SY_FLOAT) {
    snprintf(number, sizeof number, "%.17g", e->f);
  }
  const char *name = e->kind == SY_SYM     ? e->name
                     : e->kind == SY_FLOAT ? number
                                           : sy_const_name(e->fn);
  size_t n = strlen(name);
  char *s = malloc(n + 1);
  if (s != NULL) {
    memcpy(s, name, n + 1);
  }
  return s;
}

static skey *skey_build(sy_ctx *ctx, const sy_expr *e) {
  skey *k = calloc(1, sizeof *k);
  if (k == NULL) {
    sy_fail(ctx, "MemoryError", "%s", "");
    return NULL;
  }
  if (e->kind == SY_NUM) {
    k->number = e->q;
    return k;
  }
  /* as_coeff_Mul, then as_base_exp of the rest, without building nodes */
  const sy_expr *const *factors = &e;
  size_t nfactors = 1;
  if (e->kind == SY_MUL && e->args[0]->kind == SY_NUM) {
    k->coeff = mpq_cmp_si(e->args[0]->q, 1, 1) == 0 ? NULL : e->args[0]->q;
    factors = e->args + 1;
    nfactors = e->n - 1;
  }
  const sy_expr *expr = nfactors == 1 ? factors[0] : e; /* e: a product */
  if (nfactors == 1 && expr->kind == SY_POW) {
    if ((k->exp = skey_build(ctx, expr->args[1])) == NULL) {
      skey_free(k);
      return NULL;
    }
    if (k->exp->number != NULL && mpq_cmp_si(k->exp->number, 1, 1) == 0) {
      skey_free(k->exp);
      k->exp = NULL;
    }
    expr = expr->args[0];
  }
  class_key ck = class_key_of(expr);
  k->major = ck.major;
  k->minor = ck.minor;
  k->name = ck.name;
  int status = 0;
  if (expr->kind == SY_NUM || expr->kind == SY_SYM || expr->kind == SY_CONST ||
      expr->kind == SY_FLOAT) {
    k->atom = atom_string(expr);
    if (k->atom == NULL) {
      sy_fail(ctx, "MemoryError", "%s", "");
      status = -1;
    }
  } else if (expr == e && nfactors != 1) {
    status = build_args(ctx, k, e, factors, nfactors); /* the product without its coefficient */
  } else {
    status = build_args(ctx, k, expr, expr->args, expr->n);
  }
  if (status != 0) {
    skey_free(k);
    return NULL;
  }
  return k;
}

int sy_sort_key_cmp(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  if (a == b) {
    return 0;
  }
  skey *ka = skey_build(ctx, a), *kb = ka == NULL ? NULL : skey_build(ctx, b);
  int c = ka != NULL && kb != NULL ? skey_cmp(ka, kb) : 0;
  skey_free(ka);
  skey_free(kb);
  return c;
}

void sy_sort_by_key(sy_ctx *ctx, const sy_expr **items, size_t n, bool hash_ties) {
  if (n < 2 || ctx->failed) {
    return;
  }
  skey **keys = build_all(ctx, items, n);
  skey **kbuf = malloc(n * sizeof *kbuf);
  const sy_expr **ibuf = malloc(n * sizeof *ibuf);
  if (keys != NULL && kbuf != NULL && ibuf != NULL) {
    sort_keys(keys, items, kbuf, ibuf, n);
    if (hash_ties) {
      /* equal keys (a total order for Add and Mul's args): by hash */
      for (size_t i = 1; i < n; i++) {
        size_t j = i;
        while (j > 0 && skey_cmp(keys[j - 1], keys[j]) == 0 &&
               items[j - 1]->hash > items[j]->hash) {
          skey *tk = keys[j];
          keys[j] = keys[j - 1];
          keys[j - 1] = tk;
          const sy_expr *ti = items[j];
          items[j] = items[j - 1];
          items[j - 1] = ti;
          j--;
        }
      }
    }
  } else if (!ctx->failed) {
    sy_fail(ctx, "MemoryError", "%s", "");
  }
  for (size_t i = 0; keys != NULL && i < n; i++) {
    skey_free(keys[i]);
  }
  free(keys);
  free(kbuf);
  free(ibuf);
}
