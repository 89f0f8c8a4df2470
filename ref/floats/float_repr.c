#include "ref/floats/float_repr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Shortest digits by trying each precision until the text reads back: glibc's
 * printf and strtod are correctly rounded, so the first precision that round
 * trips gives the shortest correctly rounded digits. This is slow (up to 17
 * printf/strtod pairs) and stands until the floats note's shortest-digits
 * algorithm replaces it (issue 3); it stays correct meanwhile.
 */
int pn_shortest_digits(double x, char digits[18], int *decpt) {
  char text[40];
  for (int precision = 1; precision <= 17; precision++) {
    snprintf(text, sizeof text, "%.*e", precision - 1, x);
    if (precision == 17 || strtod(text, NULL) == x) {
      break;
    }
  }
  /* text is "d.ddde[+-]XX": keep the digits, drop trailing zeros. */
  int n = 0;
  const char *p = text;
  for (; *p != 'e'; p++) {
    if (*p != '.') {
      digits[n++] = *p;
    }
  }
  while (n > 1 && digits[n - 1] == '0') {
    n--;
  }
  digits[n] = '\0';
  *decpt = atoi(p + 1) + 1;
  return n;
}

int pn_float_repr(double x, char out[PN_FLOAT_REPR_MAX]) {
  if (isnan(x)) {
    return snprintf(out, PN_FLOAT_REPR_MAX, "nan");
  }
  if (isinf(x)) {
    return snprintf(out, PN_FLOAT_REPR_MAX, x < 0 ? "-inf" : "inf");
  }
  char *p = out;
  if (signbit(x)) {
    *p++ = '-';
    x = -x;
  }
  if (x == 0) {
    strcpy(p, "0.0");
    return (int)(p - out) + 3;
  }
  char digits[18];
  int decpt;
  int n = pn_shortest_digits(x, digits, &decpt);
  /* CPython's 'r' layout switches to exponent notation outside
   * 1e-4 <= |x| < 1e16. */
  if (decpt <= -4 || decpt > 16) {
    *p++ = digits[0];
    if (n > 1) {
      *p++ = '.';
      memcpy(p, digits + 1, (size_t)n - 1);
      p += n - 1;
    }
    int exponent = decpt - 1;
    p += sprintf(p, "e%c%02d", exponent < 0 ? '-' : '+', abs(exponent));
  } else if (decpt <= 0) {
    *p++ = '0';
    *p++ = '.';
    memset(p, '0', (size_t)-decpt);
    p += -decpt;
    memcpy(p, digits, (size_t)n);
    p += n;
  } else if (decpt >= n) {
    memcpy(p, digits, (size_t)n);
    p += n;
    memset(p, '0', (size_t)(decpt - n));
    p += decpt - n;
    *p++ = '.';
    *p++ = '0';
  } else {
    memcpy(p, digits, (size_t)decpt);
    p += decpt;
    *p++ = '.';
    memcpy(p, digits + decpt, (size_t)(n - decpt));
    p += n - decpt;
  }
  *p = '\0';
  return (int)(p - out);
}
