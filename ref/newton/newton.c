#include "ref/newton/newton.h"

#include "ref/newton/expr_eval.h"
#include "ref/newton/pyprint.h"
#include "ref/newton/pyvalue.h"
#include "ref/protocol/command.h"
#include "ref/py/parse.h"

#define STEPS 100

/* The values one Newton step needs, initialised once. */
typedef struct step {
  pn_value fx, shifted, fxh, diff, slope, ratio, h;
} step;

/*
 * newton(f, x) = x - (f(x) / derivative(f, x)) with derivative(f, x) =
 * (f(x + H) - f(x)) / H, in the script's order of evaluation. The subset
 * has no side effects, so the second f(x) the script computes (inside
 * derivative) is the first one's value and raises nothing the first did not.
 */
static int newton_step(const py_expr *expr, pn_newton_script script, pn_value *x, step *s,
                       py_error *error) {
  if (pn_expr_eval(expr, script, x, &s->fx, error) != 0 ||
      pn_value_binop(error, PN_ADD, x, &s->h, &s->shifted) != 0 ||
      pn_expr_eval(expr, script, &s->shifted, &s->fxh, error) != 0 ||
      pn_value_binop(error, PN_SUB, &s->fxh, &s->fx, &s->diff) != 0 ||
      pn_value_binop(error, PN_TRUEDIV, &s->diff, &s->h, &s->slope) != 0 ||
      pn_value_binop(error, PN_TRUEDIV, &s->fx, &s->slope, &s->ratio) != 0) {
    return -1;
  }
  return pn_value_binop(error, PN_SUB, x, &s->ratio, x);
}

int pn_newton_run(pn_newton_script script, const char *expression, size_t len, pn_strbuf *out) {
  py_error error = {NULL, ""};
  py_expr expr = {NULL, 0, 0, -1};
  pn_value x;
  step s;
  pn_value *values[] = {&x, &s.fx, &s.shifted, &s.fxh, &s.diff, &s.slope, &s.ratio, &s.h};
  size_t count = sizeof values / sizeof values[0];
  for (size_t i = 0; i < count; i++) {
    pn_value_init(values[i]);
  }
  pn_value_set_float(&s.h, PN_NEWTON_H);
  mpz_set_ui(x.big, 1);
  x.kind = PN_INT;
  /* eval() compiles the expression on the first call: a SyntaxError is
   * the first step's error. */
  int status = py_parse_expression(&expr, expression, len, "newton expression",
                                   PY_DISPLAY_LISTS | PY_DISPLAY_TUPLES, &error);
  /* runner: x = newton(f, 1) if itr == 0 else newton(f, x), 100 times. */
  for (int i = 0; status == 0 && i < STEPS; i++) {
    status = newton_step(&expr, script, &x, &s, &error);
  }
  int answer = 0;
  if (status == 0) {
    answer = pn_print_value(&x, out, &error);
    status = answer;
    answer = error.type == NULL ? answer : 0;
  }
  if (status != 0 && error.type != NULL) {
    answer = error.message[0] ? pn_answer_exception(out, error.type, "%s", error.message)
                              : pn_strbuf_puts(out, error.type);
  }
  py_expr_free(&expr);
  for (size_t i = 0; i < count; i++) {
    pn_value_clear(values[i]);
  }
  return answer;
}
