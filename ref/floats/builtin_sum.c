#include "ref/floats/builtin_sum.h"

#include <math.h>

int pn_builtin_sum(const double *values, size_t n, pn_pyversion python, double *result) {
  if (n == 0) {
    return 0;
  }
  /* The int start meets the first float: int + float is float(0) + x. */
  double total = 0.0 + values[0];
  if (pn_pyversion_cmp(python, 3, 12) < 0) {
    for (size_t i = 1; i < n; i++) {
      total += values[i];
    }
    *result = total;
    return 1;
  }
  double compensation = 0.0;
  for (size_t i = 1; i < n; i++) {
    double x = values[i];
    double t = total + x;
    if (fabs(total) >= fabs(x)) {
      compensation += (total - t) + x;
    } else {
      compensation += (x - t) + total;
    }
    total = t;
  }
  if (compensation != 0.0 && isfinite(compensation)) {
    total += compensation;
  }
  *result = total;
  return 1;
}
