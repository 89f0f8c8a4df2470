#include "ref/floats/fsum.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

pn_fsum_status pn_fsum_partials(const double *values, size_t count, double *result) {
  /* The structure and every floating-point operation follow math_fsum, so
   * that the same intermediate sums overflow. */
  size_t capacity = 32, n = 0;
  double *p = malloc(capacity * sizeof *p);
  if (p == NULL) {
    return PN_FSUM_NO_MEMORY;
  }
  double special_sum = 0.0, inf_sum = 0.0;
  double hi, yr, lo = 0.0;
  for (size_t k = 0; k < count; k++) {
    double x = values[k];
    double xsave = x;
    size_t i = 0;
    for (size_t j = 0; j < n; j++) {
      double y = p[j];
      if (fabs(x) < fabs(y)) {
        double t = x;
        x = y;
        y = t;
      }
      hi = x + y;
      yr = hi - x;
      lo = y - yr;
      if (lo != 0.0) {
        p[i++] = lo;
      }
      x = hi;
    }
    n = i;
    if (x != 0.0) {
      if (!isfinite(x)) {
        /* Non-finite from finite summands: an intermediate overflow. */
        if (isfinite(xsave)) {
          free(p);
          return PN_FSUM_OVERFLOW;
        }
        if (isinf(xsave)) {
          inf_sum += xsave;
        }
        special_sum += xsave;
        n = 0;
      } else {
        if (n >= capacity) {
          double *grown = realloc(p, 2 * capacity * sizeof *p);
          if (grown == NULL) {
            free(p);
            return PN_FSUM_NO_MEMORY;
          }
          p = grown;
          capacity *= 2;
        }
        p[n++] = x;
      }
    }
  }
  if (special_sum != 0.0) {
    free(p);
    if (isnan(inf_sum)) {
      return PN_FSUM_INF_MINUS_INF;
    }
    *result = special_sum;
    return PN_FSUM_OK;
  }
  hi = 0.0;
  if (n > 0) {
    hi = p[--n];
    /* Add the partials from the top while the sum stays exact. */
    while (n > 0) {
      double x = hi;
      double y = p[--n];
      hi = x + y;
      yr = hi - x;
      lo = y - yr;
      if (lo != 0.0) {
        break;
      }
    }
    /* Half-way cases: round by what the partials below say. */
    if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
      double y = lo * 2.0;
      double x = hi + y;
      yr = x - hi;
      if (y == yr) {
        hi = x;
      }
    }
  }
  free(p);
  *result = hi;
  return PN_FSUM_OK;
}

/*
 * The superaccumulator: the exact sum as an integer multiple of 2^-1074 (every
 * double is one), in CHUNKS signed 64-bit words of 32-bit digits. Summands go
 * first into one bucket per biased exponent e: the signed 53-bit integer
 * significand m, worth m * 2^(e-1075) (e taken as 1 for subnormals). A bucket
 * takes BUCKET_ROOM summands before it could overflow; it is then moved into
 * the words (at bit position p = e - 1: its value << (p % 32) into words
 * p / 32 .. p / 32 + 2), as are all buckets in use at the end. So the words
 * see one update per 2^10 summands of an exponent, however wide the spread.
 */
#define CHUNKS 72
#define EXPONENTS 2048
#define BUCKET_ROOM 1024
/* Moves into the words between carry propagations: each adds below 2^32 to
 * two words and below 2^30 to a third. */
#define MOVES_PER_CARRY 1000000

typedef struct superacc {
  int64_t words[CHUNKS];
  int64_t buckets[EXPONENTS];
  uint16_t used[EXPONENTS];
  long moves;
} superacc;

static void propagate_carries(superacc *acc) {
  for (int j = 0; j < CHUNKS - 1; j++) {
    int64_t carry = acc->words[j] >> 32; /* floor: arithmetic shift */
    acc->words[j] = (int64_t)((uint64_t)acc->words[j] & 0xFFFFFFFFu);
    acc->words[j + 1] += carry;
  }
  acc->moves = 0;
}

/* Moves bucket e into the words and empties it. */
static void move_bucket(superacc *acc, int e) {
  __extension__ typedef __int128 i128;
  int64_t value = acc->buckets[e];
  acc->buckets[e] = 0;
  acc->used[e] = 0;
  int position = e - (e != 0);
  i128 wide = (i128)value * ((i128)1 << (position & 31)); /* below 2^94 */
  int word = position >> 5;
  acc->words[word] += (int64_t)((uint64_t)wide & 0xFFFFFFFFu);
  acc->words[word + 1] += (int64_t)((uint64_t)(wide >> 32) & 0xFFFFFFFFu);
  acc->words[word + 2] += (int64_t)(wide >> 64);
  if (++acc->moves == MOVES_PER_CARRY) {
    propagate_carries(acc);
  }
}

/* Adds values[0..n) into the buckets; returns the smallest and largest
 * biased exponents seen in *low and *high (high < low when n is 0). */
static void add_values(superacc *acc, const double *values, size_t n, int *low, int *high) {
  int max_exponent = 0, min_exponent = EXPONENTS - 1;
  for (size_t i = 0; i < n; i++) {
    uint64_t bits;
    memcpy(&bits, &values[i], sizeof bits);
    int exponent = (int)(bits >> 52) & 0x7FF;
    /* Branch-free: the hidden bit for normal numbers only. */
    int64_t mantissa =
        (int64_t)((bits & ((UINT64_C(1) << 52) - 1)) | (uint64_t)(exponent != 0) << 52);
    int64_t sign = (int64_t)bits >> 63; /* 0 or -1 */
    acc->buckets[exponent] += (mantissa ^ sign) - sign;
    if (++acc->used[exponent] == BUCKET_ROOM) {
      move_bucket(acc, exponent);
    }
    max_exponent = exponent > max_exponent ? exponent : max_exponent;
    min_exponent = exponent < min_exponent ? exponent : min_exponent;
  }
  *low = min_exponent;
  *high = max_exponent;
}

/* The double nearest to the accumulated integer times 2^-1074 (ties to
 * even). Needs |sum| < 2^1023: no overflow handling. */
static double round_superacc(superacc *acc) {
  propagate_carries(acc);
  uint32_t digits[CHUNKS];
  int negative = acc->words[CHUNKS - 1] < 0;
  /* Magnitude: negate the two's complement number word by word. */
  int64_t borrow = 0;
  for (int j = 0; j < CHUNKS; j++) {
    int64_t word = acc->words[j];
    if (negative) {
      int64_t digit = -word - borrow;
      borrow = digit < 0;
      digit += borrow ? (INT64_C(1) << 32) : 0;
      digits[j] = (uint32_t)digit;
    } else {
      digits[j] = (uint32_t)word;
    }
  }
  int top = CHUNKS - 1;
  while (top >= 0 && digits[top] == 0) {
    top--;
  }
  if (top < 0) {
    return 0.0; /* an exact zero is +0.0, as math_fsum returns */
  }
  int msb = 32 * top + 31 - __builtin_clz(digits[top]); /* bit position */
  if (msb < 53) {
    /* Below 2^-1021: the integer has at most 53 bits and is exact. */
    uint64_t m = (uint64_t)digits[0] | (top >= 1 ? (uint64_t)digits[1] << 32 : 0);
    double value = ldexp((double)m, -1074);
    return negative ? -value : value;
  }
  /* A 96-bit window of the top three digits, and whether anything below. */
  __extension__ typedef unsigned __int128 u128;
  u128 window = 0;
  int bottom = top - 2; /* word index of the window's last digit */
  for (int j = top; j >= bottom; j--) {
    window = window << 32 | (j >= 0 ? digits[j] : 0);
  }
  int sticky = 0;
  for (int j = bottom - 1; j >= 0; j--) {
    sticky |= digits[j] != 0;
  }
  int drop = msb - 52 - 32 * bottom; /* bits of the window below the mantissa */
  uint64_t mantissa = (uint64_t)(window >> drop);
  u128 rest = window & (((u128)1 << drop) - 1);
  u128 half = (u128)1 << (drop - 1);
  if (rest > half || (rest == half && (sticky || (mantissa & 1)))) {
    mantissa++;
  }
  double value = ldexp((double)mantissa, msb - 52 - 1074);
  return negative ? -value : value;
}

pn_fsum_status pn_fsum(const double *values, size_t n, double *result) {
  superacc *acc = calloc(1, sizeof *acc);
  if (acc == NULL) {
    return PN_FSUM_NO_MEMORY;
  }
  int low, high;
  add_values(acc, values, n, &low, &high);
  /* Each summand is below 2^(high - 1022), so every intermediate value of
   * math_fsum's partials (bounded by the sum of the magnitudes, up to a
   * factor 1 + 2^-51) stays below 2^1022 when n * 2^(high - 1022) does: then
   * it cannot overflow, and with no inf or nan (exponent 2047) its result is
   * just the correctly rounded sum. */
  if (high == 0x7FF || ldexp((double)n, high - 1022) >= 0x1p1022) {
    free(acc);
    return pn_fsum_partials(values, n, result);
  }
  for (int e = low; e <= high; e++) {
    move_bucket(acc, e);
  }
  *result = round_superacc(acc);
  free(acc);
  return PN_FSUM_OK;
}
