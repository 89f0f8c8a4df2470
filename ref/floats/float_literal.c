#include "ref/floats/float_literal.h"

#include <math.h>
#include <mpfr.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ref/floats/float_tables.h"
#include "ref/protocol/command.h"
#include "ref/unicode/py_unicode.h"

/* The one-pass reader's pieces are inlined into it: calls cost it as much
 * as some of the pieces themselves. */
#define HOT_INLINE static inline __attribute__((always_inline))

/* Significant digits kept for the exact path. A double's halfway points have
 * at most 767 significant digits, so digits beyond 800 only matter through
 * whether any of them is non-zero (a sticky '1' stands for them). */
#define MAX_SIGNIFICANT 800
/* Exponents are clamped here: far beyond where every value is 0 or inf. */
#define EXPONENT_CAP 1000000000

/* Literals up to this long are parsed without allocating. */
#define SHORT_LITERAL 64

/* Frees buffer unless it is the caller's stack buffer. */
static void release(char *buffer, char *stack_buffer) {
  if (buffer != stack_buffer) {
    free(buffer);
  }
}

/* Py_ISSPACE: the ASCII whitespace float() strips and fromhex skips. */
static int is_ascii_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

static char lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* Whether p[0..n) is word, ignoring ASCII case. */
static int matches_word(const char *p, size_t n, const char *word) {
  size_t len = strlen(word);
  if (n < len) {
    return 0;
  }
  for (size_t i = 0; i < len; i++) {
    if (lower(p[i]) != word[i]) {
      return 0;
    }
  }
  return 1;
}

/* Python/pystrtod.c _Py_parse_inf_or_nan, after the sign: the length of the
 * `inf`, `infinity` or `nan` at p (n bytes), setting *value; 0 if none. */
static size_t parse_inf_or_nan(const char *p, size_t n, double *value) {
  if (matches_word(p, n, "inf")) {
    *value = INFINITY;
    return matches_word(p, n, "infinity") ? 8 : 3;
  }
  if (matches_word(p, n, "nan")) {
    *value = NAN;
    return 3;
  }
  return 0;
}

static const double kExactPowersOfTen[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/*
 * The double nearest to D * 10^exponent, D the decimal integer of text
 * (digits, no leading zero), written into text as "De<exponent>" for MPFR.
 * MPFR rounds correctly to any precision; a double's precision is 53 bits
 * only down to 2^-1022, so the exponent is found first (rounding toward
 * zero keeps it) and subnormals are rounded to the bits they have.
 */
static double round_with_mpfr(const char *text) {
  /* MPFR's exponent range is per-thread state its other users may narrow:
   * widen it for this computation and put it back. */
  mpfr_exp_t saved_emin = mpfr_get_emin(), saved_emax = mpfr_get_emax();
  mpfr_set_emin(mpfr_get_emin_min());
  mpfr_set_emax(mpfr_get_emax_max());
  mpfr_t x;
  mpfr_init2(x, 53);
  int inexact = mpfr_strtofr(x, text, NULL, 10, MPFR_RNDZ);
  mpfr_exp_t e = mpfr_get_exp(x); /* x in [2^(e-1), 2^e) */
  double result;
  if (e >= -1021) {
    mpfr_strtofr(x, text, NULL, 10, MPFR_RNDN);
    result = mpfr_get_d(x, MPFR_RNDN); /* inf past the largest double */
  } else if (e + 1074 >= 1) {
    mpfr_set_prec(x, (mpfr_prec_t)(e + 1074));
    mpfr_strtofr(x, text, NULL, 10, MPFR_RNDN);
    result = mpfr_get_d(x, MPFR_RNDN); /* exact: a subnormal */
  } else if (e + 1074 == 0) {
    /* In [2^-1075, 2^-1074): the smallest subnormal, but exactly half of it
     * ties to even, which is zero. */
    int half = inexact == 0 && mpfr_cmp_ui_2exp(x, 1, -1075) == 0;
    result = half ? 0.0 : 0x1p-1074;
  } else {
    result = 0.0;
  }
  mpfr_clear(x);
  mpfr_set_emin(saved_emin);
  mpfr_set_emax(saved_emax);
  return result;
}

__extension__ typedef unsigned __int128 u128;

/* floor(log2(10^e)) for |e| <= 400 (checked by gen_tables.py). */
static int floor_log2_pow10(int e) {
  return (int)(((int64_t)e * 913124641741) >> 38);
}

/*
 * mantissa * 2^e, exactly, for the values eisel_lemire rounds to: either
 * 2^52 <= mantissa <= 2^53 and e >= -1074, or e == -1074 and mantissa <
 * 2^52 (a subnormal); infinity past the largest double. It is ldexp without
 * ldexp's general case: a normal (2^52 + f) * 2^e has the biased exponent
 * e + 1075, so its bits are ((e + 1075) << 52) + f = ((e + 1074) << 52) +
 * mantissa; a subnormal's bits are its mantissa, the same formula at e =
 * -1074; and mantissa = 2^53 (a rounding carry) gives the bits of 2^(e+53),
 * the formula again. From 2^1024 on the formula reaches infinity's bits or
 * beyond, and is clamped to them.
 */
HOT_INLINE double double_from_grid(uint64_t mantissa, int e) {
  const uint64_t infinity_bits = UINT64_C(0x7FF) << 52;
  uint64_t bits = e > 1024 ? infinity_bits : ((uint64_t)(e + 1074) << 52) + mantissa;
  if (bits > infinity_bits) {
    bits = infinity_bits;
  }
  double result;
  memcpy(&result, &bits, sizeof result);
  return result;
}

/*
 * Where the double's last place falls in a product hi * 2^64 + lo (hi > 0)
 * whose unit is 2^unit_exponent: sets *hi_bits to hi's bit length and
 * *hi_shift to that place's bit position within hi (the double's 53 bits,
 * or fewer for a subnormal, whose last place is 2^-1074) and returns 1, or
 * returns 0 for a product far below half the smallest subnormal, which is
 * left to the exact path. For the products eisel_lemire makes (hi >= 2^124:
 * W >= 2^63 and g[0] >= 2^61), *hi_shift is 72 to 126.
 */
HOT_INLINE int last_place(u128 hi, int unit_exponent, int *hi_bits, int *hi_shift) {
  uint64_t hi_high = (uint64_t)(hi >> 64);
  *hi_bits = hi_high != 0 ? 128 - __builtin_clzll(hi_high) : 64 - __builtin_clzll((uint64_t)hi | 1);
  /* The bit position (in product units) of the double's last place. */
  int shift = 64 + *hi_bits - 53;
  if (shift < -1074 - unit_exponent) {
    shift = -1074 - unit_exponent; /* subnormal: the last place is 2^-1074 */
  }
  if (shift - 64 >= 127) {
    return 0; /* far below the smallest subnormal's half: leave it */
  }
  *hi_shift = shift - 64;
  return 1;
}

/*
 * The fast exact path, in the manner of Eisel and Lemire: w * 10^q for a
 * non-zero w < 2^64 and q in the table's range, using the 126-bit rounded-up
 * power of ten g(q) = g[0] * 2^64 + g[1] that repr's Schubfach uses (10^q =
 * G * 2^r with G <= g < G + 1). With W = w shifted left so its top bit is
 * set, the exact product W * G lies in (W*g - W, W*g]: an interval shorter
 * than 2^64 in a product of at least 188 bits. If no rounding boundary of the
 * double (a half-way point between neighbours, or a power of two changing
 * the spacing) falls in that interval, every value in it rounds alike, so
 * rounding W*g is correct; otherwise returns 0 and the caller takes the
 * exact path. Returns 1 with *value set when it decides.
 *
 * Most inputs are decided by the first half of the product alone: W*g lies
 * in [W*g[0] * 2^64, (W*g[0] + W) * 2^64), so, in units of 2^64, W * G lies
 * in (W*g[0] - 1, W*g[0] + 2^64). Unless W*g[0]'s bits below the last place
 * are within 2^64 of a half-way point (a chance of 2^-6 or less), that
 * interval holds no half-way point, and a power of two at its low end
 * changes nothing (the value is within one unit of it, far nearer than any
 * neighbour), nor one at its high end (W*g[0] is then just under it and
 * rounds up to it, a carry that double_from_grid takes); then W*g[0] rounds
 * as W * G does.
 */
HOT_INLINE int eisel_lemire(uint64_t w, int64_t q, double *value) {
  if ((uint64_t)(q - PN_SCHUBFACH_G_MIN_E) >= PN_SCHUBFACH_G_COUNT) {
    return 0; /* q < PN_SCHUBFACH_G_MIN_E wraps around to a large value */
  }
  const uint64_t *g = pn_schubfach_g[q - PN_SCHUBFACH_G_MIN_E];
  int lz = __builtin_clzll(w);
  uint64_t W = w << lz;
  int unit_exponent = floor_log2_pow10((int)q) - 125 - lz;
  int hi_bits, hi_shift;
  u128 hi = (u128)W * g[0];
  if (!last_place(hi, unit_exponent, &hi_bits, &hi_shift)) {
    return 0;
  }
  /* In 64-bit words: hi's bits below the last place are upper_rest * 2^64 +
   * (uint64_t)hi and the half-way point's are half_upper * 2^64, so an
   * upper_rest other than half_upper - 1 and half_upper puts that point
   * 2^64 or more away (hi_shift - 64 is 8 to 62). */
  uint64_t upper = (uint64_t)(hi >> 64);
  int upper_shift = hi_shift - 64;
  uint64_t upper_rest = upper & ((UINT64_C(1) << upper_shift) - 1);
  uint64_t half_upper = UINT64_C(1) << (upper_shift - 1);
  /* One comparison, not two: which side of the half-way point is a coin
   * toss the branch predictor cannot learn. */
  if (upper_rest - (half_upper - 1) > 1) {
    uint64_t mantissa = (upper >> upper_shift) + (upper_rest > half_upper);
    *value = double_from_grid(mantissa, hi_shift + 64 + unit_exponent);
    return 1;
  }
  /* The whole product = hi * 2^64 + lo. */
  u128 low_product = (u128)W * g[1];
  hi += low_product >> 64;
  uint64_t lo = (uint64_t)low_product;
  if (!last_place(hi, unit_exponent, &hi_bits, &hi_shift)) {
    return 0;
  }
  /* The product minus W must not drop below the power of two at its top:
   * the spacing changes there. */
  u128 top_bit = (u128)1 << (hi_bits - 1);
  if (hi == top_bit && lo < W) {
    return 0;
  }
  u128 hi_rest = hi & ((((u128)1) << hi_shift) - 1);
  u128 half = (u128)1 << (hi_shift - 1);
  /* Distance from the product down to the nearest half-way point below it,
   * as dist_hi * 2^64 + lo: ambiguous when it is at most W. */
  u128 dist_hi = hi_rest >= half ? hi_rest - half : hi_rest + half;
  if (dist_hi == 0 && lo <= W) {
    return 0;
  }
  uint64_t mantissa = (uint64_t)(hi >> hi_shift) + (hi_rest >= half);
  *value = double_from_grid(mantissa, hi_shift + 64 + unit_exponent);
  return 1;
}

/* w * 10^exponent for w > 0 by Clinger's fast path (w and 10^|exponent|
 * both exact doubles, so the one operation rounds once) or eisel_lemire:
 * returns 1 with *value set, 0 when neither decides. */
HOT_INLINE int exact_fast_path(uint64_t w, int64_t exponent, double *value) {
  /* The exponent first: it rules out most inputs predictably. */
  if (exponent >= -22 && exponent <= 22 && w <= (UINT64_C(1) << 53)) {
    double m = (double)w;
    *value = exponent < 0 ? m / kExactPowersOfTen[-exponent] : m * kExactPowersOfTen[exponent];
    return 1;
  }
  return eisel_lemire(w, exponent, value);
}

/*
 * The correctly rounded value of the decimal whose significant digits are
 * digits[0..n) (first non-zero, n >= 1) with the decimal point decpt digits
 * from their start (value = 0.digits * 10^decpt), plus a sticky digit when
 * truncated. Returns -1 when out of memory.
 */
static int decimal_to_double(const char *digits, size_t n, int sticky, int64_t decpt,
                             double *value) {
  while (n > 1 && digits[n - 1] == '0' && !sticky) {
    n--;
  }
  if (decpt > 310) {
    *value = INFINITY;
    return 0;
  }
  if (decpt < -324) {
    *value = 0.0;
    return 0;
  }
  int64_t exponent = decpt - (int64_t)n; /* value = D * 10^exponent */
  if (n <= 19 && !sticky) {
    uint64_t mantissa = 0;
    for (size_t i = 0; i < n; i++) {
      mantissa = mantissa * 10 + (uint64_t)(digits[i] - '0');
    }
    if (exact_fast_path(mantissa, exponent, value)) {
      return 0;
    }
  }
  char *text = malloc(n + 1 + 1 + 24);
  if (text == NULL) {
    return -1;
  }
  memcpy(text, digits, n);
  size_t len = n;
  if (sticky) {
    text[len++] = '1';
    exponent--;
  }
  text[len++] = 'e';
  /* Manual formatting: exponent is within +-(310 + 802). */
  int64_t magnitude = exponent < 0 ? -exponent : exponent;
  if (exponent < 0) {
    text[len++] = '-';
  }
  char reversed[24];
  int count = 0;
  do {
    reversed[count++] = (char)('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude > 0);
  while (count > 0) {
    text[len++] = reversed[--count];
  }
  text[len] = '\0';
  *value = round_with_mpfr(text);
  free(text);
  return 0;
}

/*
 * The decimal grammar of CPython's dtoa (Python/dtoa.c _Py_dg_strtod), or
 * inf/nan, on a whole ASCII string a[0..n) that is already stripped and free
 * of underscores: [sign] (digits [. [digits]] | . digits) [(e|E) [sign]
 * digits], nothing after.
 */
static pn_literal_status parse_decimal(const char *a, size_t n, double *value) {
  size_t i = 0;
  int negative = 0;
  if (i < n && (a[i] == '+' || a[i] == '-')) {
    negative = a[i] == '-';
    i++;
  }
  size_t sign_end = i;
  /* Significant digits, starting at the first non-zero one. */
  /* Short literals (nearly all) keep their digits on the stack. */
  char short_digits[SHORT_LITERAL];
  size_t digits_size = n + 1 < MAX_SIGNIFICANT ? n + 1 : MAX_SIGNIFICANT;
  char *digits = digits_size <= sizeof short_digits ? short_digits : malloc(digits_size);
  if (digits == NULL) {
    return PN_LITERAL_NO_MEMORY;
  }
  size_t count = 0, mantissa_digits = 0;
  int sticky = 0, seen_point = 0;
  int64_t decpt = 0;
  for (; i < n; i++) {
    char c = a[i];
    if (c == '.' && !seen_point) {
      seen_point = 1;
      continue;
    }
    if (!is_digit(c)) {
      break;
    }
    mantissa_digits++;
    if (count == 0 && c == '0') {
      decpt -= seen_point; /* a leading zero after the point */
      continue;
    }
    if (!seen_point && decpt < EXPONENT_CAP) {
      decpt++;
    }
    if (count < MAX_SIGNIFICANT) {
      digits[count++] = c;
    } else if (c != '0') {
      sticky = 1;
    }
  }
  if (decpt < -EXPONENT_CAP) {
    decpt = -EXPONENT_CAP;
  }
  if (mantissa_digits == 0) {
    release(digits, short_digits);
    double special;
    size_t used = parse_inf_or_nan(a + sign_end, n - sign_end, &special);
    if (used == 0 || sign_end + used != n) {
      return PN_LITERAL_INVALID;
    }
    *value = negative ? -special : special;
    return PN_LITERAL_OK;
  }
  if (i < n && (a[i] == 'e' || a[i] == 'E')) {
    size_t j = i + 1;
    int exponent_negative = 0;
    if (j < n && (a[j] == '+' || a[j] == '-')) {
      exponent_negative = a[j] == '-';
      j++;
    }
    if (j < n && is_digit(a[j])) {
      int64_t exponent = 0;
      for (; j < n && is_digit(a[j]); j++) {
        if (exponent < EXPONENT_CAP) {
          exponent = exponent * 10 + (a[j] - '0');
        }
      }
      decpt += exponent_negative ? -exponent : exponent;
      i = j;
    }
  }
  if (i != n) {
    release(digits, short_digits);
    return PN_LITERAL_INVALID;
  }
  double magnitude = 0.0;
  if (count > 0 && decimal_to_double(digits, count, sticky, decpt, &magnitude) != 0) {
    release(digits, short_digits);
    return PN_LITERAL_NO_MEMORY;
  }
  release(digits, short_digits);
  *value = negative ? -magnitude : magnitude;
  return PN_LITERAL_OK;
}

/* Whether the 8 bytes of chunk (in memory order) are all ASCII digits: no
 * byte has a high nibble other than 3, and adding 6 carries none of the low
 * nibbles out of 0..9. */
HOT_INLINE int eight_digits(uint64_t chunk) {
  const uint64_t threes = UINT64_C(0x3030303030303030), high = UINT64_C(0xF0F0F0F0F0F0F0F0);
  return (chunk & high) == threes && ((chunk + UINT64_C(0x0606060606060606)) & high) == threes;
}

/* The integer of the 8 ASCII digits in chunk, first digit in the lowest
 * byte (a little-endian load): pairs, then fours, then the eight combined
 * in place, three multiplications instead of eight dependent ones. */
HOT_INLINE uint64_t eight_digits_value(uint64_t chunk) {
  chunk -= UINT64_C(0x3030303030303030);
  /* byte 2k = 10 * digit 2k + digit 2k+1 (two digits, at most 99) */
  chunk = (chunk * 10 + (chunk >> 8)) & UINT64_C(0x00FF00FF00FF00FF);
  /* 16-bit lane 2k = 100 * pair 2k + pair 2k+1 (four digits) */
  chunk = (chunk * 100 + (chunk >> 16)) & UINT64_C(0x0000FFFF0000FFFF);
  /* 10^4 * the first four + the last four */
  return (chunk * 10000 + (chunk >> 32)) & UINT64_C(0xFFFFFFFF);
}

/* Reads the ASCII digits from *p up to end into *w (w = 10 w + digit,
 * wrapping past 2^64: the caller counts digits), eight at a time where eight
 * bytes remain; advances *p past them and returns how many there were. */
HOT_INLINE size_t read_ascii_digits(const char **p, const char *end, uint64_t *w) {
  const char *q = *p;
  uint64_t value = *w;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  while (end - q >= 8) {
    uint64_t chunk;
    memcpy(&chunk, q, sizeof chunk);
    if (!eight_digits(chunk)) {
      break;
    }
    value = value * 100000000 + eight_digits_value(chunk);
    q += 8;
  }
#endif
  while (q < end && is_digit(*q)) {
    value = value * 10 + (uint64_t)(*q - '0');
    q++;
  }
  size_t count = (size_t)(q - *p);
  *p = q;
  *w = value;
  return count;
}

/*
 * The protocol's common case in one pass over s, without copying: s[0..len)
 * is exactly [sign] digits [. digits] [(e|E) [sign] digits] in ASCII (or
 * [sign] . digits ...), with at most 19 significant digits (so that their
 * integer w < 10^19 fits in 64 bits) and a value that Clinger's path or
 * eisel_lemire decides. Returns 1 with *value set, or 0 for anything else —
 * spaces, underscores, non-ASCII digits, inf and nan, invalid text, more
 * digits, the rare undecided product — which the general reader below then
 * reads from the start. It accepts a subset of that reader's grammar and
 * gives the same correctly rounded value for it.
 */
HOT_INLINE int read_plain_decimal(const char *s, size_t len, double *value) {
  const char *p = s, *end = s + len;
  int negative = p < end && *p == '-';
  p += p < end && (*p == '+' || *p == '-');
  const char *mantissa_start = p;
  uint64_t w = 0;
  size_t digit_count = read_ascii_digits(&p, end, &w);
  int64_t exponent = 0;
  if (p < end && *p == '.') {
    p++;
    size_t fraction_digits = read_ascii_digits(&p, end, &w);
    digit_count += fraction_digits;
    exponent = -(int64_t)fraction_digits;
  }
  if (digit_count == 0) {
    return 0;
  }
  if (digit_count > 19) {
    /* Leading zeros leave w at 0 and do not count; past 19 other digits w
     * may have wrapped. */
    size_t significant = digit_count;
    for (const char *q = mantissa_start; q < p && (*q == '0' || *q == '.'); q++) {
      significant -= *q == '0';
    }
    if (significant > 19) {
      return 0;
    }
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    int exponent_negative = 0;
    if (p < end && (*p == '+' || *p == '-')) {
      exponent_negative = *p == '-';
      p++;
    }
    if (p == end || !is_digit(*p)) {
      return 0;
    }
    int64_t written = 0;
    for (; p < end && is_digit(*p); p++) {
      if (written < EXPONENT_CAP) {
        written = written * 10 + (*p - '0');
      }
    }
    exponent += exponent_negative ? -written : written;
  }
  if (p != end) {
    return 0;
  }
  double magnitude = 0.0;
  if (w != 0 && !exact_fast_path(w, exponent, &magnitude)) {
    return 0;
  }
  /* The sign as a bit, not a branch on a coin toss. */
  uint64_t bits;
  memcpy(&bits, &magnitude, sizeof bits);
  bits |= (uint64_t)negative << 63;
  memcpy(value, &bits, sizeof bits);
  return 1;
}

/*
 * Objects/floatobject.c PyFloat_FromString, 3.11: non-ASCII text is turned
 * into ASCII first (Unicode whitespace to ' ', Unicode digits to '0'..'9',
 * anything else ends the text with '?', which no float contains), then
 * underscores are checked and dropped (Python/pystrtod.c
 * _Py_string_to_number_with_underscores: only between digits), then ASCII
 * whitespace is stripped and the rest must be one literal.
 */
static __attribute__((noinline)) pn_literal_status read_python_literal(const char *s, size_t len,
                                                                       double *value) {
  char short_text[SHORT_LITERAL];
  char *a = len + 1 <= sizeof short_text ? short_text : malloc(len + 1);
  if (a == NULL) {
    return PN_LITERAL_NO_MEMORY;
  }
  size_t n = 0, i = 0;
  int has_underscore = 0;
  while (i < len) {
    unsigned char byte = (unsigned char)s[i];
    char c;
    if (byte < 0x7F) {
      c = (char)byte;
      i++;
    } else {
      uint32_t cp = pn_utf8_next(s, len, &i);
      int decimal = pn_unicode_decimal(cp);
      c = pn_unicode_is_space(cp) ? ' ' : decimal >= 0 ? (char)('0' + decimal) : '?';
    }
    if (c == '\0' || c == '?') {
      release(a, short_text);
      return PN_LITERAL_INVALID; /* no literal holds either */
    }
    has_underscore |= c == '_';
    a[n++] = c;
  }
  if (has_underscore) {
    size_t kept = 0;
    char previous = '\0';
    for (size_t j = 0; j < n; j++) {
      char c = a[j];
      if (c == '_' ? !is_digit(previous) : previous == '_' && !is_digit(c)) {
        release(a, short_text);
        return PN_LITERAL_INVALID;
      }
      if (c != '_') {
        a[kept++] = c;
      }
      previous = c;
    }
    if (previous == '_') {
      release(a, short_text);
      return PN_LITERAL_INVALID;
    }
    n = kept;
  }
  size_t start = 0;
  while (start < n && is_ascii_space(a[start])) {
    start++;
  }
  while (n > start && is_ascii_space(a[n - 1])) {
    n--;
  }
  pn_literal_status status =
      start == n ? PN_LITERAL_BLANK : parse_decimal(a + start, n - start, value);
  release(a, short_text);
  return status;
}

/* The one-pass reader first: the general one is a function of its own, so
 * that the common case's entry saves only the registers it uses. */
pn_literal_status pn_float_from_string(const char *s, size_t len, double *value) {
  if (read_plain_decimal(s, len, value)) {
    return PN_LITERAL_OK;
  }
  return read_python_literal(s, len, value);
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  c = lower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Whether line s holds a byte that is not UTF-8 (a lone surrogate once
 * decoded); if so sets *position to its index in code points and *cp to the
 * surrogate (either may be NULL). */
/* Whether s holds an escaped byte, which str.encode('utf-8') refuses. */
static bool has_escaped_byte(const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    uint32_t c = pn_utf8_next(s, len, &i);
    if (c >= 0xDC80 && c <= 0xDCFF) {
      return true;
    }
  }
  return false;
}

/* The byte at i, or NUL past the end: CPython reads a NUL-terminated copy. */
static char at(const char *s, size_t len, size_t i) {
  return i < len ? s[i] : '\0';
}

/*
 * Objects/floatobject.c float_fromhex, 3.11, on the bytes of s. The value is
 * rounded half to even at the double's precision (53 bits, fewer below
 * 2^-1022); a result of 2^1024 or more is the OverflowError, as is an
 * exponent above LONG_MAX / 2, both raised before trailing text is looked at.
 */
pn_literal_status pn_float_fromhex(const char *s, size_t len, pn_pyversion python, double *value) {
  size_t i = 0;
  if (has_escaped_byte(s, len)) {
    return PN_LITERAL_NOT_UTF8; /* str.encode('utf-8') fails before parsing */
  }
  while (is_ascii_space(at(s, len, i))) {
    i++;
  }
  double special;
  size_t sign_end = i + (at(s, len, i) == '+' || at(s, len, i) == '-');
  size_t used = parse_inf_or_nan(s + sign_end, sign_end <= len ? len - sign_end : 0, &special);
  double x = 0.0;
  int negative = at(s, len, i) == '-';
  if (used > 0) {
    /* _Py_parse_inf_or_nan takes the sign itself. */
    x = special;
    i = sign_end + used;
  } else {
    i = sign_end;
    if (at(s, len, i) == '0' && lower(at(s, len, i + 1)) == 'x') {
      i += 2;
    }
    size_t coefficient_start = i;
    while (hex_value(at(s, len, i)) >= 0) {
      i++;
    }
    size_t integer_end = i;
    size_t fraction_start = i, fraction_end = i;
    if (at(s, len, i) == '.') {
      i++;
      fraction_start = i;
      while (hex_value(at(s, len, i)) >= 0) {
        i++;
      }
      fraction_end = i;
    }
    size_t integer_digits = integer_end - coefficient_start;
    size_t fraction_digits = fraction_end - fraction_start;
    if (integer_digits + fraction_digits == 0) {
      return PN_LITERAL_HEX_INVALID;
    }
    /* exponent: strtol, which saturates; only its size past +-2^62 matters. */
    int64_t exponent = 0;
    if (lower(at(s, len, i)) == 'p') {
      i++;
      int exponent_negative = 0;
      if (at(s, len, i) == '+' || at(s, len, i) == '-') {
        exponent_negative = at(s, len, i) == '-';
        i++;
      }
      if (!is_digit(at(s, len, i))) {
        return PN_LITERAL_HEX_INVALID;
      }
      for (; is_digit(at(s, len, i)); i++) {
        /* Past LONG_MAX / 2 only "too large" matters: saturate there. */
        exponent = exponent < (INT64_C(1) << 58) ? exponent * 10 + (at(s, len, i) - '0')
                                                 : (INT64_C(1) << 62) + 1;
      }
      if (exponent_negative) {
        exponent = -exponent;
      }
    }
    /* The coefficient's digits, most significant first, leading zeros
     * dropped: up to 16 of them in a 64-bit integer, the rest as sticky. */
    uint64_t mantissa = 0;
    int kept = 0, sticky = 0, nonzero = 0;
    int64_t scale = exponent; /* value = mantissa * 2^scale (+ sticky) */
    for (size_t j = coefficient_start; j < fraction_end; j++) {
      if (j == integer_end) {
        continue; /* the point */
      }
      int digit = hex_value(s[j]);
      int in_fraction = j > integer_end;
      if (!nonzero && digit == 0) {
        scale -= 4 * in_fraction;
        continue;
      }
      nonzero = 1;
      if (kept < 16) {
        mantissa = mantissa << 4 | (uint64_t)digit;
        kept++;
        scale -= 4 * in_fraction;
      } else {
        sticky |= digit != 0;
        scale += 4 * !in_fraction;
      }
    }
    if (!nonzero || exponent < -(INT64_C(1) << 62)) {
      x = 0.0;
    } else if (exponent > (INT64_C(1) << 62) - 1) {
      return PN_LITERAL_HEX_OVERFLOW;
    } else {
      int bits = 64 - __builtin_clzll(mantissa);
      int64_t top = scale + bits; /* value in [2^(top-1), 2^top) */
      if (top < -1074) {
        x = 0.0;
      } else if (top > 1024) {
        return PN_LITERAL_HEX_OVERFLOW;
      } else {
        int64_t lsb = (top > -1021 ? top : -1021) - 53;
        int64_t shift = lsb - scale;
        if (shift <= 0) {
          x = ldexp((double)mantissa, (int)scale); /* at most 53 bits: exact */
        } else {
          uint64_t kept_bits = shift >= 64 ? 0 : mantissa >> shift;
          uint64_t rest = shift >= 64 ? mantissa : mantissa & ((UINT64_C(1) << shift) - 1);
          uint64_t half = shift > 64 ? 0 : UINT64_C(1) << (shift - 1);
          int round_up =
              shift <= 64 && (rest > half || (rest == half && (sticky || (kept_bits & 1))));
          if (pn_pyversion_cmp(python, 3, 9) < 0 && top == -1074 && !sticky && bits % 4 == 0 &&
              (mantissa & (mantissa - 1)) == 0) {
            /* 2^-1075 whose top hex digit is 8. Before bpo-44954's fix the
             * parity of the digit above that 8 was read even when there was
             * none: a leading zero digit read as even (to 0.0), the 'x' of
             * 0x before the first digit as odd (up to 2^-1074). */
            size_t first_digit = integer_digits > 0 ? coefficient_start : fraction_start;
            round_up = hex_value(s[first_digit]) != 0;
          }
          x = ldexp((double)(kept_bits + (uint64_t)round_up), (int)lsb);
          if (isinf(x)) {
            return PN_LITERAL_HEX_OVERFLOW;
          }
        }
      }
    }
  }
  while (is_ascii_space(at(s, len, i))) {
    i++;
  }
  if (i != len) {
    return PN_LITERAL_HEX_INVALID;
  }
  *value = negative ? -x : x;
  return PN_LITERAL_OK;
}

int pn_float_literal_is_hex(const char *s, size_t len) {
  size_t i = 0;
  while (i < len && is_ascii_space(s[i])) {
    i++;
  }
  if (i < len && (s[i] == '+' || s[i] == '-')) {
    i++;
  }
  return i + 1 < len && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
}

pn_literal_status pn_float_parse_literal(const char *s, size_t len, pn_pyversion python,
                                         double *value) {
  if (pn_float_literal_is_hex(s, len)) {
    return pn_float_fromhex(s, len, python, value);
  }
  if (pn_pyversion_cmp(python, 3, 7) < 0 && has_escaped_byte(s, len)) {
    return PN_LITERAL_NOT_UTF8;
  }
  return pn_float_from_string(s, len, value);
}

int pn_float_literal_error(pn_strbuf *out, pn_literal_status status, const char *s, size_t len,
                           pn_pyversion python) {
  switch (status) {
    case PN_LITERAL_BLANK:
      /* Before 3.10, PyOS_string_to_double's own error named the stripped
       * (empty) text: with %.200s up to 3.7, with %R in 3.8 and 3.9. */
      if (pn_pyversion_cmp(python, 3, 8) < 0) {
        return pn_answer_exception(out, "ValueError", "could not convert string to float: ");
      }
      if (pn_pyversion_cmp(python, 3, 10) < 0) {
        return pn_answer_exception(out, "ValueError", "could not convert string to float: ''");
      }
      /* From 3.10, the line's repr like any other. */
      /* fall through */
    case PN_LITERAL_INVALID: {
      pn_strbuf text = PN_STRBUF_INIT;
      int rc = pn_py_str_repr(&text, s, len);
      if (rc == 0) {
        rc = pn_answer_exception(out, "ValueError", "could not convert string to float: %s",
                                 text.data);
      }
      pn_strbuf_free(&text);
      return rc;
    }
    case PN_LITERAL_HEX_INVALID:
      return pn_answer_exception(out, "ValueError", "invalid hexadecimal floating-point string");
    case PN_LITERAL_HEX_OVERFLOW:
      return pn_answer_exception(out, "OverflowError",
                                 "hexadecimal value too large to represent as a float");
    case PN_LITERAL_NOT_UTF8: {
      pn_strbuf message = PN_STRBUF_INIT;
      int rc = pn_utf8_encode_error(&message, s, len) == 1 ? 0 : -1;
      if (rc == 0) {
        rc = pn_answer_exception(out, "UnicodeEncodeError", "%s", message.data);
      }
      pn_strbuf_free(&message);
      return rc;
    }
    case PN_LITERAL_OK:
    case PN_LITERAL_NO_MEMORY:
      break;
  }
  return -1;
}
