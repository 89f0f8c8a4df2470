#include "ref/floats/printf_shortest.h"

#include <stdio.h>
#include <stdlib.h>

int printf_shortest_digits(double x, char digits[18], int *decpt) {
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
