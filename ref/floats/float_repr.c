#include "ref/floats/float_repr.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "ref/floats/float_tables.h"

/*
 * Shortest digits, the Schubfach way (R. Giulietti, "The Schubfach way to
 * render doubles", 2020), written from the paper's description.
 *
 * Proof sketch. A finite positive double is v = c * 2^q. Every real in the
 * rounding interval R_v (the reals that round to v: half-way to each
 * neighbour, ends included iff c is even) reads back as v, so the task is to
 * pick from R_v a decimal with the fewest digits, and among those the one
 * closest to v. Work in units of 2^(q-2) so that v, and the ends of R_v, are
 * the integers cb = 4c, cbl = cb - 2 (cb - 1 when c = 2^52 and the lower
 * neighbour is nearer) and cbr = cb + 2.
 *
 * Let k = floor(log10(width of R_v)) (floor(log10(2^q)), or of 3/4 * 2^q
 * for the irregular interval). Then 10^k <= width < 10^(k+1): R_v holds at
 * least one multiple of 10^k, and at most one multiple of 10^(k+1). Scaling
 * by 10^-k gives vb = cb * 2^(q-2) * 10^-k (and vbl, vbr) as reals of at
 * most 2 integer digits above the units the decimal is looked for in. With
 * s = floor(vb), the candidates of length len(s) are s and t = s + 1 (the
 * only ones that can be closest to v); the candidates one digit shorter are
 * floor(s / 10) * 10 and that plus 10. Because R_v holds at most one
 * multiple of 10^(k+1), if exactly one of the shorter candidates is in R_v it
 * is the unique shortest (any shorter decimal in R_v is also a multiple of
 * 10^(k+1), hence that same one, whose trailing zeros are then dropped).
 * Otherwise the shortest have the length of s: take whichever of s, t lies in
 * R_v, or the closer to vb if both do (ties to even, which cannot happen for
 * a double but is defined). This is exactly what CPython's repr (David Gay's
 * dtoa, mode 0) picks: shortest, then closest.
 *
 * The products vb = cb * 2^(q-2) * 10^-k are computed with g, 10^-k scaled
 * to 126 bits and rounded up (the table in float_tables.c), as
 * floor(cp * g / 2^127) with cp = cb << h, and the discarded bits folded into
 * the lowest bit ("round to odd"). The paper (section 9) proves that for
 * every double the comparisons of s, t and their neighbours with vbl and vbr
 * come out the same on these approximations as on the exact reals: the
 * approximation error is below the distance from any candidate to the
 * interval's ends, except where the exact value is an integer, which round to
 * odd keeps distinguishable from its neighbours.
 *
 * Two shortcuts keep the proof's assumptions: a double that is an integer
 * below 2^53 is its own shortest decimal (f = c >> -q, exact), and the two
 * smallest subnormals (c < 3) are scaled by 10 first so that s has at least
 * two digits, as the paper's section 8.2.1 requires.
 */

#define MANTISSA_BITS 52
#define Q_MIN (-1074)
#define C_MIN (UINT64_C(1) << MANTISSA_BITS)
#define C_TINY 3

__extension__ typedef unsigned __int128 u128;

/* floor(log10(2^q)) for |q| <= 1100 (gen_tables.py checks the constants). */
static int floor_log10_pow2(int q) {
  return (int)(((int64_t)q * 661971961083) >> 41);
}

/* floor(log10(3/4 * 2^q)) for |q| <= 1100. */
static int floor_log10_three_quarters_pow2(int q) {
  return (int)(((int64_t)q * 661971961083 - 274743187321) >> 41);
}

/* floor(log2(10^e)) for |e| <= 400. */
static int floor_log2_pow10(int e) {
  return (int)(((int64_t)e * 913124641741) >> 38);
}

/* floor(cp * g / 2^127), its lowest bit set when any (kept) bit below was. */
static uint64_t round_to_odd(const uint64_t g[2], uint64_t cp) {
  u128 low = (u128)g[1] * cp;
  u128 high = (u128)g[0] * cp;
  u128 middle = (low >> 64) + (uint64_t)high;
  u128 top = (high >> 64) + (middle >> 64);
  uint64_t middle_bits = (uint64_t)middle;
  uint64_t value = ((uint64_t)top << 1) | (middle_bits >> 63);
  return value | ((middle_bits & (UINT64_MAX >> 1)) != 0);
}

static const char kDigitPairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Writes f * 10^e as digits without trailing zeros; returns their count and
 * sets *decpt. f > 0 and f < 10^17. */
static int write_digits(uint64_t f, int e, char digits[18], int *decpt) {
  while (f % 10 == 0) {
    f /= 10;
    e++;
  }
  char buffer[20];
  char *end = buffer + sizeof buffer;
  char *p = end;
  while (f >= 100) {
    unsigned pair = (unsigned)(f % 100);
    f /= 100;
    p -= 2;
    memcpy(p, kDigitPairs + 2 * pair, 2);
  }
  if (f >= 10) {
    p -= 2;
    memcpy(p, kDigitPairs + 2 * f, 2);
  } else {
    *--p = (char)('0' + f);
  }
  int n = (int)(end - p);
  memcpy(digits, p, (size_t)n);
  digits[n] = '\0';
  *decpt = n + e;
  return n;
}

/* The shortest-then-closest decimal f * 10^e in the rounding interval of
 * c * 2^q (see the proof sketch above); dk is added to e. */
static int schubfach(uint64_t c, int q, int dk, char digits[18], int *decpt) {
  uint64_t is_odd = c & 1;
  uint64_t cb = c << 2;
  uint64_t cbr = cb + 2;
  uint64_t cbl;
  int k;
  if (c != C_MIN || q == Q_MIN) {
    cbl = cb - 2;
    k = floor_log10_pow2(q);
  } else {
    cbl = cb - 1;
    k = floor_log10_three_quarters_pow2(q);
  }
  int h = q + floor_log2_pow10(-k) + 2;
  const uint64_t *g = pn_schubfach_g[-k - PN_SCHUBFACH_G_MIN_E];
  uint64_t vb = round_to_odd(g, cb << h);
  uint64_t vbl = round_to_odd(g, cbl << h);
  uint64_t vbr = round_to_odd(g, cbr << h);
  uint64_t s = vb >> 2;
  /* (Schubfach proper asks s >= 100: Java wants at least two digits, CPython
   * does not, so 5e-324 is tried as a one-digit candidate too.) */
  if (s >= 10) {
    uint64_t shorter_low = s / 10 * 10;
    uint64_t shorter_high = shorter_low + 10;
    int low_in = vbl + is_odd <= shorter_low << 2;
    int high_in = (shorter_high << 2) + is_odd <= vbr;
    if (low_in != high_in) {
      return write_digits(low_in ? shorter_low : shorter_high, k + dk, digits, decpt);
    }
  }
  uint64_t t = s + 1;
  int s_in = vbl + is_odd <= s << 2;
  int t_in = (t << 2) + is_odd <= vbr;
  if (s_in != t_in) {
    return write_digits(s_in ? s : t, k + dk, digits, decpt);
  }
  /* Both in: the closer to vb (4s and 4t bracket it). */
  int64_t cmp = (int64_t)(vb - ((s + t) << 1));
  int take_t = cmp > 0 || (cmp == 0 && (s & 1) != 0);
  return write_digits(take_t ? t : s, k + dk, digits, decpt);
}

int pn_shortest_digits(double x, char digits[18], int *decpt) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  uint64_t fraction = bits & (C_MIN - 1);
  int biased_exponent = (int)(bits >> MANTISSA_BITS) & 0x7ff;
  if (biased_exponent == 0) {
    if (fraction < C_TINY) {
      return schubfach(10 * fraction, Q_MIN, -1, digits, decpt);
    }
    return schubfach(fraction, Q_MIN, 0, digits, decpt);
  }
  uint64_t c = fraction | C_MIN;
  int minus_q = 1075 - biased_exponent;
  if (minus_q > 0 && minus_q <= MANTISSA_BITS) {
    uint64_t integer = c >> minus_q;
    if (integer << minus_q == c) {
      return write_digits(integer, 0, digits, decpt);
    }
  }
  return schubfach(c, -minus_q, 0, digits, decpt);
}

int pn_float_repr(double x, char out[PN_FLOAT_REPR_MAX]) {
  if (isnan(x)) {
    memcpy(out, "nan", 4);
    return 3;
  }
  char *p = out;
  if (signbit(x)) {
    *p++ = '-';
    x = -x;
  }
  if (isinf(x)) {
    memcpy(p, "inf", 4);
    return (int)(p - out) + 3;
  }
  if (x == 0) {
    memcpy(p, "0.0", 4);
    return (int)(p - out) + 3;
  }
  char digits[18];
  int decpt;
  int n = pn_shortest_digits(x, digits, &decpt);
  /* CPython's 'r' layout (Python/pystrtod.c, format_float_short) switches to
   * exponent notation outside 1e-4 <= |x| < 1e16. */
  if (decpt <= -4 || decpt > 16) {
    *p++ = digits[0];
    if (n > 1) {
      *p++ = '.';
      memcpy(p, digits + 1, (size_t)n - 1);
      p += n - 1;
    }
    int exponent = decpt - 1;
    *p++ = 'e';
    *p++ = exponent < 0 ? '-' : '+';
    unsigned magnitude = (unsigned)(exponent < 0 ? -exponent : exponent);
    if (magnitude >= 100) {
      *p++ = (char)('0' + magnitude / 100);
      magnitude %= 100;
    }
    memcpy(p, kDigitPairs + 2 * magnitude, 2);
    p += 2;
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
