/* StrPrinter: _print_Add, _print_Mul, _print_Pow, _print_Rational and
 * _print_Function, with sympy's precedence table (printing/precedence.py). */
#include "ref/sympy/print.h"

#include <stdlib.h>
#include <string.h>

#include "ref/sympy/evalf.h"
#include "ref/sympy/order.h"

enum { PREC_ADD = 40, PREC_MUL = 50, PREC_POW = 60, PREC_FUNC = 70, PREC_ATOM = 1000 };

static int precedence(const sy_expr *e) {
  switch (e->kind) {
    case SY_NUM:
      if (mpq_sgn(e->q) < 0) {
        return PREC_ADD;
      }
      return mpz_cmp_ui(mpq_denref(e->q), 1) == 0 ? PREC_ATOM : PREC_MUL;
    case SY_ADD:
      return PREC_ADD;
    case SY_MUL:
      return sy_could_extract_minus_sign(e) ? PREC_ADD : PREC_MUL;
    case SY_POW:
      return PREC_POW;
    case SY_FN:
      return PREC_FUNC;
    case SY_FLOAT:
      return e->f < 0 ? PREC_ADD : PREC_ATOM;
    default:
      return PREC_ATOM;
  }
}

static int print(sy_ctx *ctx, const sy_expr *e, pn_strbuf *out);

static int oom(sy_ctx *ctx) {
  sy_fail(ctx, "MemoryError", "%s", "");
  return -1;
}

/* parenthesize(item, level, strict=False). */
static int print_paren(sy_ctx *ctx, const sy_expr *e, int level, pn_strbuf *out) {
  if (precedence(e) <= level) {
    if (pn_strbuf_puts(out, "(") != 0 || print(ctx, e, out) != 0 || pn_strbuf_puts(out, ")") != 0) {
      return oom(ctx);
    }
    return 0;
  }
  return print(ctx, e, out);
}

static int print_add(sy_ctx *ctx, const sy_expr *e, pn_strbuf *out) {
  const sy_expr **terms = malloc(e->n * sizeof *terms);
  if (terms == NULL) {
    return oom(ctx);
  }
  int status = sy_ordered_terms(ctx, e, terms);
  pn_strbuf term = {0};
  for (size_t i = 0; status == 0 && i < e->n; i++) {
    pn_strbuf_clear(&term);
    if (print(ctx, terms[i], &term) != 0) {
      status = -1;
      break;
    }
    const char *t = term.data;
    bool negative = t[0] == '-';
    if (negative) {
      t++;
    }
    const char *sign = i == 0 ? (negative ? "-" : "") : (negative ? " - " : " + ");
    if (pn_strbuf_puts(out, sign) != 0 || pn_strbuf_puts(out, t) != 0) {
      status = oom(ctx);
    }
  }
  pn_strbuf_free(&term);
  free(terms);
  return status;
}

/* The exponent negated as apow does: without its -1 factor, or with its
 * first factor negated. */
static const sy_expr *negated_exp(sy_ctx *ctx, const sy_expr *exp) {
  return sy_neg(ctx, exp);
}

static bool has_negative_coeff(sy_ctx *ctx, const sy_expr *exp) {
  const sy_expr *rest;
  const sy_expr *c = sy_coeff_mul(ctx, exp, &rest);
  return c != NULL && mpq_sgn(c->q) < 0;
}

static int print_factors(sy_ctx *ctx, const sy_expr *const *items, size_t n, pn_strbuf *out) {
  for (size_t i = 0; i < n; i++) {
    if ((i > 0 && pn_strbuf_puts(out, "*") != 0) ||
        print_paren(ctx, items[i], PREC_MUL, out) != 0) {
      return oom(ctx);
    }
  }
  return 0;
}

static int print_mul(sy_ctx *ctx, const sy_expr *e, pn_strbuf *out) {
  if (e->args[0]->kind == SY_FLOAT && e->args[0]->f < 0) {
    /* as_coeff_Mul's negative Float: "-" and the product with -c. */
    const sy_expr **args = malloc(e->n * sizeof *args);
    const sy_expr *positive = sy_float(ctx, -e->args[0]->f);
    if (args == NULL || positive == NULL) {
      free(args);
      return positive == NULL ? -1 : oom(ctx);
    }
    memcpy(args, e->args, e->n * sizeof *args);
    args[0] = positive;
    sy_expr copy = *e;
    copy.args = args;
    int status = pn_strbuf_puts(out, "-") == 0 ? print_mul(ctx, &copy, out) : oom(ctx);
    free(args);
    return status;
  }
  const sy_expr *rest;
  const sy_expr *c = sy_coeff_mul(ctx, e, &rest);
  if (c == NULL || rest == NULL) {
    return -1;
  }
  if (mpq_sgn(c->q) < 0) {
    if (pn_strbuf_puts(out, "-") != 0) {
      return oom(ctx);
    }
    const sy_expr *positive = sy_neg(ctx, c);
    if (positive == NULL) {
      return -1;
    }
    if (!sy_is_int(positive, 1)) {
      const sy_expr **args = malloc(e->n * sizeof *args);
      if (args == NULL) {
        return oom(ctx);
      }
      memcpy(args, e->args, e->n * sizeof *args);
      args[0] = positive;
      /* A product node with the coefficient replaced: built by hand so
       * that nothing is re-evaluated (sympy's _keep_coeff). */
      sy_expr copy = *e;
      copy.args = args;
      int status = print_mul(ctx, &copy, out);
      free(args);
      return status;
    }
    e = rest;
  }
  size_t n = e->kind == SY_MUL ? e->n : 1;
  const sy_expr **factors = malloc(n * sizeof *factors);
  const sy_expr **numer = malloc((n + 1) * sizeof *numer);
  const sy_expr **denom = malloc((n + 1) * sizeof *denom);
  int status = -1;
  if (factors == NULL || numer == NULL || denom == NULL) {
    oom(ctx);
    goto done;
  }
  if (e->kind == SY_MUL) {
    memcpy(factors, e->args, n * sizeof *factors);
    sy_sort_by_key(ctx, factors, n, false);
  } else {
    factors[0] = e;
  }
  size_t na = 0, nb = 0;
  for (size_t i = 0; i < n; i++) {
    const sy_expr *item = factors[i];
    if (item->kind == SY_POW && has_negative_coeff(ctx, item->args[1])) {
      if (sy_is_int(item->args[1], -1)) {
        denom[nb++] = item->args[0];
      } else {
        const sy_expr *pair[2] = {item->args[0], negated_exp(ctx, item->args[1])};
        if (pair[1] == NULL) {
          goto done;
        }
        sy_expr *p = sy_alloc(ctx, sizeof *p);
        if (p == NULL) {
          goto done;
        }
        *p = *item;
        const sy_expr **args = sy_alloc(ctx, 2 * sizeof *args);
        if (args == NULL) {
          goto done;
        }
        args[0] = pair[0];
        args[1] = pair[1];
        p->args = args;
        denom[nb++] = p;
      }
    } else if (item->kind == SY_NUM) {
      if (mpz_cmp_ui(mpq_numref(item->q), 1) != 0) {
        mpq_t z;
        mpq_init(z);
        mpz_set(mpq_numref(z), mpq_numref(item->q));
        numer[na++] = sy_number(ctx, z);
        mpq_clear(z);
      }
      if (mpz_cmp_ui(mpq_denref(item->q), 1) != 0) {
        mpq_t z;
        mpq_init(z);
        mpz_set(mpq_numref(z), mpq_denref(item->q));
        denom[nb++] = sy_number(ctx, z);
        mpq_clear(z);
      }
      if (ctx->failed) {
        goto done;
      }
    } else {
      numer[na++] = item;
    }
  }
  if (na == 0) {
    numer[na++] = sy_integer(ctx, 1);
    if (numer[0] == NULL) {
      goto done;
    }
  }
  if (print_factors(ctx, numer, na, out) != 0) {
    goto done;
  }
  if (nb == 1) {
    if (pn_strbuf_puts(out, "/") != 0 || print_paren(ctx, denom[0], PREC_MUL, out) != 0) {
      goto done;
    }
  } else if (nb > 1) {
    if (pn_strbuf_puts(out, "/(") != 0 || print_factors(ctx, denom, nb, out) != 0 ||
        pn_strbuf_puts(out, ")") != 0) {
      goto done;
    }
  }
  status = 0;
done:
  free(factors);
  free(numer);
  free(denom);
  return ctx->failed ? -1 : status;
}

static bool is_half(const sy_expr *e, int sign) {
  return e->kind == SY_NUM && mpz_cmp_si(mpq_numref(e->q), sign) == 0 &&
         mpz_cmp_ui(mpq_denref(e->q), 2) == 0;
}

static int print_pow(sy_ctx *ctx, const sy_expr *e, pn_strbuf *out) {
  const sy_expr *base = e->args[0], *exp = e->args[1];
  const char *prefix = NULL;
  if (is_half(exp, 1)) {
    prefix = "sqrt(";
  } else if (is_half(exp, -1)) {
    prefix = "1/sqrt(";
  }
  if (prefix != NULL) {
    if (pn_strbuf_puts(out, prefix) != 0 || print(ctx, base, out) != 0 ||
        pn_strbuf_puts(out, ")") != 0) {
      return oom(ctx);
    }
    return 0;
  }
  if (sy_is_int(exp, -1)) {
    if (pn_strbuf_puts(out, "1/") != 0) {
      return oom(ctx);
    }
    return print_paren(ctx, base, PREC_POW, out);
  }
  if (print_paren(ctx, base, PREC_POW, out) != 0 || pn_strbuf_puts(out, "**") != 0) {
    return oom(ctx);
  }
  return print_paren(ctx, exp, PREC_POW, out);
}

static int print(sy_ctx *ctx, const sy_expr *e, pn_strbuf *out) {
  if (ctx->failed) {
    return -1;
  }
  int status = 0;
  switch (e->kind) {
    case SY_FLOAT:
      return sy_float_str(e->f, true, out) == 0 ? 0 : oom(ctx);
    case SY_NUM: {
      char *s = NULL;
      if (gmp_asprintf(&s, "%Qd", e->q) < 0) {
        return oom(ctx);
      }
      status = pn_strbuf_puts(out, s);
      void (*gmp_free)(void *, size_t);
      mp_get_memory_functions(NULL, NULL, &gmp_free);
      gmp_free(s, strlen(s) + 1);
      return status == 0 ? 0 : oom(ctx);
    }
    case SY_SYM:
      return pn_strbuf_puts(out, e->name) == 0 ? 0 : oom(ctx);
    case SY_CONST:
      return pn_strbuf_puts(out, sy_const_name(e->fn)) == 0 ? 0 : oom(ctx);
    case SY_ADD:
      return print_add(ctx, e, out);
    case SY_MUL:
      return print_mul(ctx, e, out);
    case SY_POW:
      return print_pow(ctx, e, out);
    case SY_FN:
      if (pn_strbuf_printf(out, "%s(", sy_fn_name((sy_fn)e->fn)) != 0 ||
          print(ctx, e->args[0], out) != 0 || pn_strbuf_puts(out, ")") != 0) {
        return oom(ctx);
      }
      return 0;
  }
  return status;
}

int sy_print(sy_ctx *ctx, const sy_expr *e, pn_strbuf *out) {
  if (e->kind == SY_FLOAT) {
    /* _print_Float: every digit at the top level, stripped inside. */
    return sy_float_str(e->f, false, out) == 0 ? 0 : oom(ctx);
  }
  return print(ctx, e, out);
}

int sy_print_inside(sy_ctx *ctx, const sy_expr *e, pn_strbuf *out) {
  return print(ctx, e, out);
}
