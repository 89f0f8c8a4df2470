/*
 * math.fsum exactly as CPython 3.11 computes it (Modules/mathmodule.c
 * math_fsum): the correctly rounded sum, +0.0 for an exact zero, nan or an
 * infinity when one is summed, and its two errors.
 */
#ifndef PYNOTES_REF_FLOATS_FSUM_H_
#define PYNOTES_REF_FLOATS_FSUM_H_

#include <stddef.h>

typedef enum pn_fsum_status {
  PN_FSUM_OK = 0,
  PN_FSUM_INF_MINUS_INF, /* ValueError: -inf + inf in fsum */
  PN_FSUM_OVERFLOW,      /* OverflowError: intermediate overflow in fsum */
  PN_FSUM_NO_MEMORY,
} pn_fsum_status;

/*
 * Sets *result to math.fsum(values[0..n)) and returns PN_FSUM_OK, or returns
 * the error CPython raises. O(n) time: a superaccumulator (exact integer
 * arithmetic: per-exponent buckets emptied into 32-bit chunks) when no
 * intermediate sum can come near overflow and nothing is inf or nan;
 * otherwise CPython's own partials algorithm, whose intermediate overflows
 * are part of its behaviour.
 */
pn_fsum_status pn_fsum(const double *values, size_t n, double *result);

/* CPython's partials algorithm alone (Shewchuk's msum with CPython's special
 * value and overflow handling); same contract as pn_fsum, but O(n * p) for p
 * partials (p <= 40 for finite sums). For tests and benchmarks. */
pn_fsum_status pn_fsum_partials(const double *values, size_t n, double *result);

#endif /* PYNOTES_REF_FLOATS_FSUM_H_ */
