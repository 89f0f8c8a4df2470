#include "ref/newton/pyprint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ref/floats/float_repr.h"

#define INT_MAX_STR_DIGITS 4300

/* One part of a complex repr: the 'r' format without the ".0" that float's
 * repr adds to integral values; `sign` forces a '+' on non-negatives. */
static int complex_part(double x, int sign, pn_strbuf *out) {
  char text[PN_FLOAT_REPR_MAX];
  int n = pn_float_repr(x, text);
  if (n >= 2 && strcmp(text + n - 2, ".0") == 0) {
    text[n -= 2] = '\0';
  }
  if (sign && text[0] != '-' && pn_strbuf_puts(out, "+") != 0) {
    return -1;
  }
  return pn_strbuf_puts(out, text);
}

int pn_print_value(const pn_value *v, pn_strbuf *out, py_error *error) {
  error->type = NULL;
  char text[PN_FLOAT_REPR_MAX];
  switch (v->kind) {
    case PN_FLOAT:
      pn_float_repr(v->re, text);
      return pn_strbuf_puts(out, text);
    case PN_COMPLEX:
      if (v->re == 0.0 && !signbit(v->re)) {
        if (complex_part(v->im, 0, out) != 0) {
          return -1;
        }
        return pn_strbuf_puts(out, "j");
      }
      if (pn_strbuf_puts(out, "(") != 0 || complex_part(v->re, 0, out) != 0 ||
          complex_part(v->im, 1, out) != 0) {
        return -1;
      }
      return pn_strbuf_puts(out, "j)");
    case PN_BOOL:
      return pn_strbuf_puts(out, mpz_sgn(v->big) ? "True" : "False");
    case PN_INT: {
      /* sizeinbase may overcount by one: check the exact digits. */
      if (mpz_sizeinbase(v->big, 10) > INT_MAX_STR_DIGITS + 1) {
        goto too_long;
      }
      char *digits = mpz_get_str(NULL, 10, v->big);
      if (digits == NULL) {
        return -1;
      }
      if (strlen(digits) - (digits[0] == '-') > INT_MAX_STR_DIGITS) {
        free(digits);
        goto too_long;
      }
      int status = pn_strbuf_puts(out, digits);
      free(digits);
      return status;
    }
    case PN_NONE:
      return pn_strbuf_puts(out, "None");
    case PN_MODULE:
      return pn_strbuf_puts(out, "<module 'math' (built-in)>");
    case PN_BUILTIN:
      return pn_strbuf_puts(out, "<built-in function>");
    case PN_LIST:
    case PN_TUPLE:
      /* No script of the subset prints one: Newton's step subtracts it first. */
      return py_raise(error, "NotImplementedError",
                      "printing a %s is outside the newton expression subset of pyref",
                      pn_type_name(v));
  }
  return -1;
too_long:
  return py_raise(error, "ValueError",
                  "Exceeds the limit (%d digits) for integer string conversion; use "
                  "sys.set_int_max_str_digits() to increase the limit",
                  INT_MAX_STR_DIGITS);
}
