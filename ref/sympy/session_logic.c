/* Relationals and Boolean logic (session_logic.h), after sympy 1.11's
 * core/relational.py, logic/boolalg.py and printing/str.py. */
#include "ref/sympy/session_logic.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ref/sympy/expr.h"
#include "ref/sympy/node.h"
#include "ref/sympy/ops.h"
#include "ref/sympy/order.h"
#include "ref/sympy/print.h"

/* A decision of is_ge or is_eq: sympy's fuzzy bool, or a refusal. */
typedef enum decision { D_REFUSED = -2, D_FALSE = -1, D_UNKNOWN = 0, D_TRUE = 1 } decision;

static const value *refuse(sy_ctx *ctx, const char *what) {
  return sy_fail(ctx, "NotImplementedError", "%s " SY_OUTSIDE, what);
}

static const value *sympy_bool(sy_ctx *ctx, bool truth) {
  value *v = sy_new_value(ctx, V_BOOL);
  if (v != NULL) {
    v->truth = truth;
    v->sympy_bool = true;
  }
  return v;
}

bool sy_is_boolean(const value *v) {
  return v->kind == V_REL || v->kind == V_LOGIC || (v->kind == V_BOOL && v->sympy_bool);
}

static bool is_const(const sy_expr *e, int which) {
  return e->kind == SY_CONST && e->fn == which;
}

static bool is_abs(const sy_expr *e) {
  return e->kind == SY_FN && e->fn == SY_ABS;
}

/* A node is_eq follows through as_numer_denom without surprises: sums,
 * products and non-negative integer powers of symbols and numbers (no
 * functions, no reciprocals, no symbolic exponents). */
static bool is_not_polynomial(const sy_expr *e) {
  if (e->kind == SY_FN || e->kind == SY_FLOAT) {
    return true;
  }
  if (e->kind != SY_POW) {
    return false;
  }
  const sy_expr *n = e->args[1];
  if (sy_is_number(e->args[0])) {
    return !sy_is_number(n);
  }
  return n->kind != SY_NUM || mpq_sgn(n->q) < 0 || mpz_cmp_ui(mpq_denref(n->q), 1) != 0;
}

/* The sign of a real number expression free of symbols: exact for a
 * Rational, from its double otherwise when clear of zero (evalf(2)'s sign
 * in _n2); D_REFUSED when not real or too close to zero to tell. */
static decision sign_of(sy_ctx *ctx, const sy_expr *a, const sy_expr *b, int *sign) {
  const sy_expr *d = sy_sub(ctx, a, b);
  if (d == NULL) {
    return D_REFUSED;
  }
  if (d->kind == SY_NUM) {
    *sign = mpq_sgn(d->q);
    return D_TRUE;
  }
  double v, va = 0, vb = 0;
  if (!sy_real_value(d, &v) || !sy_real_value(a, &va) || !sy_real_value(b, &vb) || !isfinite(v)) {
    return D_REFUSED;
  }
  double scale = 1 + fabs(va) + fabs(vb);
  if (!(fabs(v) > 1e-9 * scale)) {
    return D_REFUSED;
  }
  *sign = v > 0 ? 1 : -1;
  return D_TRUE;
}

/* is_ge(a, b) on sides already checked by check_side: sympy's answer for
 * two real numbers (_n2, and oo and -oo by their rules), None (unknown)
 * when a side has a symbol, whose realness sympy does not know without
 * assumptions. */
static decision is_ge(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  if (!sy_is_number(a) || !sy_is_number(b)) {
    return D_UNKNOWN;
  }
  if (is_const(a, SY_OO) || is_const(b, SY_NEG_OO)) {
    return D_TRUE;
  }
  if (is_const(a, SY_NEG_OO) || is_const(b, SY_OO)) {
    return D_FALSE;
  }
  int sign;
  if (sign_of(ctx, a, b, &sign) != D_TRUE) {
    return D_REFUSED;
  }
  return sign >= 0 ? D_TRUE : D_FALSE;
}

/* _Inequality.__new__'s checks of a side: zoo (not real) and nan are
 * sympy's TypeErrors; I and special Numbers inside a side, Abs of
 * symbols (real, so that sympy may decide) and Floats beside symbols are
 * refused. Returns 0, or -1 with the error set. */
static int check_side(sy_ctx *ctx, const sy_expr *e) {
  if (is_const(e, SY_ZOO)) {
    sy_fail(ctx, "TypeError", "Invalid comparison of non-real zoo");
    return -1;
  }
  if (is_const(e, SY_NAN)) {
    sy_fail(ctx, "TypeError", "Invalid NaN comparison");
    return -1;
  }
  if (e->has_i || (e->has_special && !is_const(e, SY_OO) && !is_const(e, SY_NEG_OO)) ||
      (!sy_is_number(e) && (sy_any_node(e, is_abs) || e->has_float))) {
    refuse(ctx, "this comparison");
    return -1;
  }
  return 0;
}

/* is_eq(a, b): structurally equal is True; a difference that is a nonzero
 * number is False (is_zero, or _n2); a polynomial difference in symbols
 * is None. Anything else is refused. */
static decision is_eq(sy_ctx *ctx, const sy_expr *a, const sy_expr *b) {
  if (is_const(a, SY_NAN) || is_const(b, SY_NAN)) {
    return D_REFUSED; /* nan == nan, but Eq(nan, nan) is False */
  }
  if (sy_equal(a, b)) {
    return D_TRUE;
  }
  if (a->has_i || b->has_i || a->has_special || b->has_special || a->has_float || b->has_float) {
    return D_REFUSED;
  }
  const sy_expr *d = sy_sub(ctx, a, b);
  if (d == NULL) {
    return D_REFUSED;
  }
  if (sy_is_number(d)) {
    int sign;
    if (sign_of(ctx, a, b, &sign) != D_TRUE) {
      return D_REFUSED;
    }
    return sign == 0 ? D_TRUE : D_FALSE;
  }
  return sy_any_node(d, is_not_polynomial) ? D_REFUSED : D_UNKNOWN;
}

static const value *new_rel(sy_ctx *ctx, sy_rel_op op, const sy_expr *lhs, const sy_expr *rhs) {
  value *v = sy_new_value(ctx, V_REL);
  if (v != NULL) {
    v->op = (int)op;
    v->e = lhs;
    v->rhs = rhs;
  }
  return v;
}

/* The relational op(lhs, rhs) as its class's __new__ evaluates it. */
static const value *relational(evaluator *ev, sy_rel_op op, const sy_expr *lhs,
                               const sy_expr *rhs) {
  sy_ctx *ctx = ev->ctx;
  decision d;
  if (op == SY_REL_EQ || op == SY_REL_NE) {
    d = is_eq(ctx, lhs, rhs);
    if (op == SY_REL_NE) {
      d = (decision)-d;
    }
  } else {
    if (check_side(ctx, lhs) != 0 || check_side(ctx, rhs) != 0) {
      return NULL;
    }
    /* is_le(a, b) is is_ge(b, a); is_lt(a, b) not is_ge(a, b); is_gt(a,
     * b) not is_ge(b, a). */
    bool swap = op == SY_REL_LE || op == SY_REL_GT;
    d = is_ge(ctx, swap ? rhs : lhs, swap ? lhs : rhs);
    if (d != D_REFUSED && (op == SY_REL_LT || op == SY_REL_GT)) {
      d = (decision)-d;
    }
  }
  if (ctx->failed) {
    return NULL;
  }
  if (d == D_REFUSED || d == -D_REFUSED) {
    return refuse(ctx, "this relational");
  }
  return d == D_UNKNOWN ? new_rel(ctx, op, lhs, rhs) : sympy_bool(ctx, d == D_TRUE);
}

/* The operator as the other side sees it: a < b is b > a. */
static sy_rel_op reversed_op(sy_rel_op op) {
  switch (op) {
    case SY_REL_LT:
      return SY_REL_GT;
    case SY_REL_LE:
      return SY_REL_GE;
    case SY_REL_GT:
      return SY_REL_LT;
    case SY_REL_GE:
      return SY_REL_LE;
    default:
      return op;
  }
}

static sy_rel_op negated_op(sy_rel_op op) {
  static const sy_rel_op kNegated[] = {SY_REL_GE, SY_REL_GT, SY_REL_LE,
                                       SY_REL_LT, SY_REL_NE, SY_REL_EQ};
  return kNegated[op];
}

/* A sympy expression operand of a relational (sympify's strict form), or
 * NULL with a refusal. */
static const sy_expr *operand(sy_ctx *ctx, const value *v) {
  if (v->kind == V_EXPR || v->kind == V_INT) {
    return v->e;
  }
  if (v->kind == V_PYFLOAT && v->e->kind == SY_FLOAT) {
    return v->e;
  }
  (void)refuse(ctx, "comparing these values");
  return NULL;
}

const value *sy_compare(evaluator *ev, sy_rel_op op, const value *a, const value *b) {
  sy_ctx *ctx = ev->ctx;
  bool python_a = a->kind == V_INT || a->kind == V_PYFLOAT;
  bool python_b = b->kind == V_INT || b->kind == V_PYFLOAT;
  if (ev->s != NULL && a->kind == V_INT && b->kind == V_INT) {
    int c = mpq_cmp(a->e->q, b->e->q);
    value *v = sy_new_value(ctx, V_BOOL);
    if (v != NULL) {
      v->truth = op == SY_REL_LT   ? c < 0
                 : op == SY_REL_LE ? c <= 0
                 : op == SY_REL_GT ? c > 0
                                   : c >= 0;
    }
    return v;
  }
  if (python_a && python_b) {
    return refuse(ctx, "comparing Python floats");
  }
  const sy_expr *x = operand(ctx, a), *y = x == NULL ? NULL : operand(ctx, b);
  if (y == NULL) {
    return NULL;
  }
  if (python_a && ev->s != NULL) {
    /* int.__lt__ declines a sympy expression: Python asks b.__gt__(a). */
    return relational(ev, reversed_op(op), y, x);
  }
  return relational(ev, op, x, y);
}

/* ---- canonical forms (Relational.canonical) ---- */

typedef struct canon {
  sy_rel_op op;
  const sy_expr *lhs, *rhs;
} canon;

/* Relational.canonical for a relational with a number on one side: the
 * number on the right, then the signs reversed when the left side could
 * extract a minus sign (a product with a negative coefficient). Returns
 * false for the forms not followed (a number on neither side, a sum on
 * the left). */
static bool canonical(sy_ctx *ctx, const value *r, canon *out) {
  sy_rel_op op = (sy_rel_op)r->op;
  const sy_expr *lhs = r->e, *rhs = r->rhs;
  if (!sy_is_number(rhs)) {
    if (!sy_is_number(lhs)) {
      return false;
    }
    const sy_expr *t = lhs;
    lhs = rhs;
    rhs = t;
    op = reversed_op(op);
  }
  if (lhs->kind == SY_ADD) {
    return false;
  }
  if (lhs->kind == SY_MUL && lhs->args[0]->kind == SY_NUM && mpq_sgn(lhs->args[0]->q) < 0) {
    lhs = sy_neg(ctx, lhs);
    rhs = sy_neg(ctx, rhs);
    op = reversed_op(op);
    if (lhs == NULL || rhs == NULL) {
      return false;
    }
  }
  *out = (canon){op, lhs, rhs};
  return true;
}

static bool has_common_symbol_in(const sy_expr *e, const sy_expr *a, const sy_expr *b) {
  if (e->kind == SY_SYM) {
    return sy_has_symbol(a, e) || sy_has_symbol(b, e);
  }
  for (size_t i = 0; i < e->n; i++) {
    if (has_common_symbol_in(e->args[i], a, b)) {
      return true;
    }
  }
  return false;
}

/* How two relationals of one And, Or or Xor relate through their
 * canonical forms: 1 the same, -1 each the other's negation, 0 neither;
 * -2 when they share a symbol but their forms are not followed. */
static int relate(sy_ctx *ctx, const value *a, const value *b) {
  if (!has_common_symbol_in(a->e, b->e, b->rhs) && !has_common_symbol_in(a->rhs, b->e, b->rhs)) {
    return 0;
  }
  canon ca, cb;
  if (!canonical(ctx, a, &ca) || !canonical(ctx, b, &cb)) {
    return -2;
  }
  if (!sy_equal(ca.lhs, cb.lhs) || !sy_equal(ca.rhs, cb.rhs)) {
    return 0;
  }
  return ca.op == cb.op ? 1 : negated_op(ca.op) == cb.op ? -1 : 0;
}

/* ---- order (sympy's ordered: _nodes, then default_sort_key) ---- */

/* _node_count in halves: a Float counts half a node. */
static size_t expr_nodes(const sy_expr *e) {
  if (e->kind == SY_FLOAT) {
    return 1;
  }
  size_t n = 2;
  for (size_t i = 0; i < e->n; i++) {
    n += expr_nodes(e->args[i]);
  }
  return n;
}

static size_t nodes(const value *v) {
  if (v->kind == V_REL) {
    return 2 + expr_nodes(v->e) + expr_nodes(v->rhs);
  }
  size_t n = 2;
  for (size_t i = 0; v->kind == V_LOGIC && i < v->n; i++) {
    n += nodes(v->items[i]);
  }
  return n;
}

static const char *class_name(const value *v) {
  static const char *const kRel[] = {"StrictLessThan", "LessThan", "StrictGreaterThan",
                                     "GreaterThan",    "Equality", "Unequality"};
  static const char *const kLogic[] = {"And", "Or", "Xor", "Not"};
  return v->kind == V_REL ? kRel[v->op] : kLogic[v->op];
}

/* Basic.sort_key's order: class_key (by class name), then the args' keys
 * (their count first). */
static int sort_key_cmp(sy_ctx *ctx, const value *a, const value *b) {
  int c = strcmp(class_name(a), class_name(b));
  if (c != 0) {
    return c;
  }
  if (a->kind == V_REL) {
    c = sy_sort_key_cmp(ctx, a->e, b->e);
    return c != 0 ? c : sy_sort_key_cmp(ctx, a->rhs, b->rhs);
  }
  if (a->n != b->n) {
    return a->n < b->n ? -1 : 1;
  }
  for (size_t i = 0; i < a->n; i++) {
    if ((c = sort_key_cmp(ctx, a->items[i], b->items[i])) != 0) {
      return c;
    }
  }
  return 0;
}

static int ordered_cmp(sy_ctx *ctx, const value *a, const value *b) {
  size_t na = nodes(a), nb = nodes(b);
  if (na != nb) {
    return na < nb ? -1 : 1;
  }
  return sort_key_cmp(ctx, a, b);
}

static bool same_boolean(sy_ctx *ctx, const value *a, const value *b) {
  if (a->kind != b->kind || a->op != b->op) {
    return false;
  }
  if (a->kind == V_REL) {
    return sy_equal(a->e, b->e) && sy_equal(a->rhs, b->rhs);
  }
  return nodes(a) == nodes(b) && sort_key_cmp(ctx, a, b) == 0;
}

/* Sorts items[0..n) by sympy's ordered() (insertion sort: few args). */
static void order_args(sy_ctx *ctx, const value **items, size_t n) {
  for (size_t i = 1; i < n; i++) {
    const value *t = items[i];
    size_t j = i;
    while (j > 0 && ordered_cmp(ctx, items[j - 1], t) > 0) {
      items[j] = items[j - 1];
      j--;
    }
    items[j] = t;
  }
}

/* ---- And, Or, Xor, Not ---- */

static const value *new_logic(sy_ctx *ctx, sy_logic_op op, const value **items, size_t n) {
  value *v = (value *)sy_new_tuple(ctx, V_LOGIC, n);
  if (v != NULL) {
    v->op = (int)op;
    memcpy((void *)v->items, items, n * sizeof *items);
  }
  return v;
}

/* An argument of a logic function: a Boolean, or a Python bool (as_Boolean
 * makes it true or false). NULL with a refusal for anything else. */
static const value *logic_arg(sy_ctx *ctx, const value *v) {
  if (v->kind == V_BOOL) {
    return v->sympy_bool ? v : sympy_bool(ctx, v->truth);
  }
  if (v->kind == V_REL && (v->e->has_special || v->rhs->has_special)) {
    /* _print_And moves x > -oo first, and the special Numbers' sort keys
     * are not followed */
    return refuse(ctx, "infinities in And, Or, Xor and Not");
  }
  if (v->kind == V_REL || v->kind == V_LOGIC) {
    return v;
  }
  return refuse(ctx, "this operand of And, Or, Xor or Not");
}

/* Whether the relational r, kept, repeats one of kept[0..n) by canonical
 * form (1), is the negation of one (-1), or neither (0); -2 when not
 * followed. */
static int canonical_duplicate(sy_ctx *ctx, const value *const *kept, size_t n, const value *r) {
  bool same = false, negation = false;
  for (size_t j = 0; j < n; j++) {
    if (kept[j]->kind != V_REL) {
      continue;
    }
    int rel = relate(ctx, kept[j], r);
    if (rel == -2) {
      return -2;
    }
    same |= rel == 1;
    negation |= rel == -1;
  }
  return same ? 1 : negation ? -1 : 0; /* `c in rel` is asked first */
}

/* And or Or of args, as their _new_args_filter and LatticeOp.__new__ make
 * them: nested args of the same class flattened, the identity dropped,
 * the zero short-circuiting; a relational whose canonical form is already
 * there dropped, one whose negation is there the zero; the rest once
 * each, in ordered() order. And flattens first and checks the canonical
 * forms in ordered() order, Or checks its own args in their order first
 * and flattens after. One arg is itself, none the identity. */
static const value *lattice(evaluator *ev, sy_logic_op op, const value *const *args, size_t n) {
  sy_ctx *ctx = ev->ctx;
  bool is_and = op == SY_LOGIC_AND;
  size_t cap = 0;
  for (size_t i = 0; i < n; i++) {
    cap += args[i]->kind == V_LOGIC && args[i]->op == (int)op ? args[i]->n : 1;
  }
  const value **given = sy_alloc(ctx, (n ? n : 1) * sizeof *given);
  const value **flat = sy_alloc(ctx, (cap ? cap : 1) * sizeof *flat);
  if (given == NULL || flat == NULL) {
    return NULL;
  }
  size_t ngiven = 0;
  for (size_t i = 0; i < n; i++) {
    const value *a = logic_arg(ctx, args[i]);
    if (a == NULL) {
      return NULL;
    }
    if (!is_and && a->kind == V_REL) {
      int dup = canonical_duplicate(ctx, given, ngiven, a);
      if (dup == -2) {
        return refuse(ctx, "these relationals together");
      }
      if (dup == -1) {
        return sympy_bool(ctx, true);
      }
      if (dup == 1) {
        continue;
      }
    }
    given[ngiven++] = a;
  }
  size_t count = 0;
  for (size_t i = 0; i < ngiven; i++) {
    const value *a = given[i];
    if (a->kind == V_LOGIC && a->op == (int)op) {
      for (size_t k = 0; k < a->n; k++) {
        flat[count++] = a->items[k];
      }
    } else if (a->kind == V_BOOL) {
      if (a->truth != is_and) {
        return sympy_bool(ctx, !is_and); /* the zero: false for And, true for Or */
      }
    } else {
      flat[count++] = a;
    }
  }
  order_args(ctx, flat, count);
  size_t kept = 0;
  for (size_t i = 0; i < count; i++) {
    bool duplicate = false;
    if (is_and && flat[i]->kind == V_REL) {
      int dup = canonical_duplicate(ctx, flat, kept, flat[i]);
      if (dup == -2) {
        return refuse(ctx, "these relationals together");
      }
      if (dup == -1) {
        return sympy_bool(ctx, false);
      }
      duplicate = dup == 1;
    }
    for (size_t j = 0; j < kept && !duplicate; j++) {
      duplicate = same_boolean(ctx, flat[j], flat[i]);
    }
    if (!duplicate) {
      flat[kept++] = flat[i];
    }
  }
  if (ctx->failed) {
    return NULL;
  }
  if (kept == 0) {
    return sympy_bool(ctx, is_and);
  }
  return kept == 1 ? flat[0] : new_logic(ctx, op, flat, kept);
}

static const value *logic_not(evaluator *ev, const value *a) {
  sy_ctx *ctx = ev->ctx;
  if ((a = logic_arg(ctx, a)) == NULL) {
    return NULL;
  }
  if (a->kind == V_BOOL) {
    return sympy_bool(ctx, !a->truth);
  }
  if (a->kind == V_REL) {
    return new_rel(ctx, negated_op((sy_rel_op)a->op), a->e, a->rhs);
  }
  if (a->op == SY_LOGIC_NOT) {
    return a->items[0];
  }
  return new_logic(ctx, SY_LOGIC_NOT, &a, 1);
}

/* Xor.__new__: nested Xors and repeated args cancel in pairs, true
 * toggles and false drops out; a relational beside its negation is a
 * pair that toggles true, beside itself one that cancels. None left is
 * false, one is itself, and with true left the rest is Not(Xor(rest)). */
static const value *logic_xor(evaluator *ev, const value *const *args, size_t n) {
  sy_ctx *ctx = ev->ctx;
  size_t cap = 0;
  for (size_t i = 0; i < n; i++) {
    cap += args[i]->kind == V_LOGIC && args[i]->op == SY_LOGIC_XOR ? args[i]->n : 1;
  }
  const value **set = sy_alloc(ctx, (cap ? cap : 1) * sizeof *set);
  if (set == NULL) {
    return NULL;
  }
  size_t count = 0;
  bool odd_true = false;
  for (size_t i = 0; i < n; i++) {
    const value *a = logic_arg(ctx, args[i]);
    if (a == NULL) {
      return NULL;
    }
    const value *const *parts = a->kind == V_LOGIC && a->op == SY_LOGIC_XOR ? a->items : &a;
    size_t nparts = a->kind == V_LOGIC && a->op == SY_LOGIC_XOR ? a->n : 1;
    for (size_t k = 0; k < nparts; k++) {
      if (parts[k]->kind == V_BOOL) {
        odd_true ^= parts[k]->truth;
        continue;
      }
      size_t j = 0;
      while (j < count && !same_boolean(ctx, set[j], parts[k])) {
        j++;
      }
      if (j < count) {
        set[j] = set[--count]; /* a repeated arg cancels */
      } else {
        set[count++] = parts[k];
      }
    }
  }
  for (size_t i = 0; i < count; i++) {
    for (size_t j = i + 1; j < count; j++) {
      if (set[i]->kind == V_REL && set[j]->kind == V_REL) {
        int r = relate(ctx, set[i], set[j]);
        if (r != 0) {
          /* complementary or equal forms: sympy removes such pairs, and a
           * third of the same form would raise; not followed */
          return refuse(ctx, "these relationals in Xor");
        }
      }
    }
  }
  if (ctx->failed) {
    return NULL;
  }
  if (count == 0) {
    return sympy_bool(ctx, odd_true);
  }
  order_args(ctx, set, count);
  const value *rest = count == 1 ? set[0] : new_logic(ctx, SY_LOGIC_XOR, set, count);
  return rest == NULL || !odd_true ? rest : logic_not(ev, rest);
}

const value *sy_logic_op_values(evaluator *ev, sy_logic_op op, const value *a, const value *b) {
  const value *args[2] = {a, b};
  switch (op) {
    case SY_LOGIC_AND:
    case SY_LOGIC_OR:
      return lattice(ev, op, args, 2);
    case SY_LOGIC_XOR:
      return logic_xor(ev, args, 2);
    case SY_LOGIC_NOT:
      return logic_not(ev, a);
  }
  return NULL;
}

const value *sy_logic_call(evaluator *ev, func_id fn, const value *const *args, size_t n) {
  sy_ctx *ctx = ev->ctx;
  switch (fn) {
    case F_AND:
      return lattice(ev, SY_LOGIC_AND, args, n);
    case F_OR:
      return lattice(ev, SY_LOGIC_OR, args, n);
    case F_XOR:
      return logic_xor(ev, args, n);
    case F_NOT:
      return n == 1 ? logic_not(ev, args[0]) : refuse(ctx, "Not with these arguments");
    default:
      break;
  }
  static const sy_rel_op kOps[] = {[F_EQ] = SY_REL_EQ, [F_NE] = SY_REL_NE, [F_LT] = SY_REL_LT,
                                   [F_LE] = SY_REL_LE, [F_GT] = SY_REL_GT, [F_GE] = SY_REL_GE};
  if (fn < F_EQ || fn > F_GE || n != 2) {
    return refuse(ctx, "this relational call");
  }
  const sy_expr *lhs = operand(ctx, args[0]), *rhs = lhs == NULL ? NULL : operand(ctx, args[1]);
  return rhs == NULL ? NULL : relational(ev, kOps[fn], lhs, rhs);
}

/* ---- printing ---- */

/* precedence() of a Boolean for StrPrinter: Eq and Ne print as calls
 * (Mul's 50), the inequalities Relational's 35. */
static int precedence(const value *v) {
  if (v->kind == V_REL) {
    return v->op == SY_REL_EQ || v->op == SY_REL_NE ? 50 : 35;
  }
  if (v->kind != V_LOGIC) {
    return 1000;
  }
  static const int kLogic[] = {30, 20, 10, 100}; /* And, Or, Xor, Not */
  return kLogic[v->op];
}

/* parenthesize(item, level): brackets when its precedence is at most level. */
static int print_paren(sy_ctx *ctx, const value *v, int level, pn_strbuf *out) {
  bool paren = precedence(v) <= level;
  if ((paren && pn_strbuf_puts(out, "(") != 0) || sy_logic_repr(ctx, v, out) != 0 ||
      (paren && pn_strbuf_puts(out, ")") != 0)) {
    return -1;
  }
  return 0;
}

int sy_logic_repr(sy_ctx *ctx, const value *v, pn_strbuf *out) {
  if (v->kind == V_BOOL) {
    return pn_strbuf_puts(out, v->truth ? "True" : "False");
  }
  if (v->kind == V_REL) {
    static const char *const kOps[] = {"<", "<=", ">", ">="};
    if (v->op == SY_REL_EQ || v->op == SY_REL_NE) {
      if (pn_strbuf_puts(out, v->op == SY_REL_EQ ? "Eq(" : "Ne(") != 0 ||
          sy_print_inside(ctx, v->e, out) != 0 || pn_strbuf_puts(out, ", ") != 0 ||
          sy_print_inside(ctx, v->rhs, out) != 0 || pn_strbuf_puts(out, ")") != 0) {
        return -1;
      }
      return 0;
    }
    /* the sides are Exprs, whose precedence is above Relational's: never
     * bracketed */
    if (sy_print_inside(ctx, v->e, out) != 0 || pn_strbuf_printf(out, " %s ", kOps[v->op]) != 0 ||
        sy_print_inside(ctx, v->rhs, out) != 0) {
      return -1;
    }
    return 0;
  }
  if (v->op == SY_LOGIC_NOT) {
    return pn_strbuf_puts(out, "~") != 0 ? -1 : print_paren(ctx, v->items[0], 100, out);
  }
  /* _print_And moves a relational whose canonical rhs is -oo first: the
   * sides of these hold no special Numbers (check_side) */
  static const char *const kSeparators[] = {" & ", " | ", " ^ "};
  static const int kLevels[] = {38, 36, 37}; /* BitwiseAnd, BitwiseOr, BitwiseXor */
  for (size_t i = 0; i < v->n; i++) {
    if ((i > 0 && pn_strbuf_puts(out, kSeparators[v->op]) != 0) ||
        print_paren(ctx, v->items[i], kLevels[v->op], out) != 0) {
      return -1;
    }
  }
  return 0;
}
