/*
 * The Lanczos approximation with N = 13 and g = 6.024680040776729583740234375
 * (Boost's parameters), the sum written as a rational function, a correction
 * for the rounding of x + g - 1/2, and the reflection formula for x < 0: the
 * method and constants of CPython 3.11's Modules/mathmodule.c, evaluated in
 * the same order so that every rounding is the same.
 */
#include "ref/newton/math_gamma.h"

#include <errno.h>
#include <math.h>

#define LANCZOS_TERMS 13
static const double kLanczosG = 6.024680040776729583740234375;
static const double kLanczosGMinusHalf = 5.524680040776729583740234375;
static const double kLanczosNumerator[LANCZOS_TERMS] = {
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408};
/* x (x+1) ... (x+11) expanded. */
static const double kLanczosDenominator[LANCZOS_TERMS] = {
    0.0,       39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0,
    2637558.0, 357423.0,   32670.0,     1925.0,      66.0,        1.0};

static const double kPi = 3.141592653589793238462643383279502884197;
static const double kLogPi = 1.144729885849400174143427351353058711647;

/* (k-1)! for k = 1..23, exact in a double. */
#define EXACT_GAMMAS 23
static const double kExactGamma[EXACT_GAMMAS] = {1.0,
                                                 1.0,
                                                 2.0,
                                                 6.0,
                                                 24.0,
                                                 120.0,
                                                 720.0,
                                                 5040.0,
                                                 40320.0,
                                                 362880.0,
                                                 3628800.0,
                                                 39916800.0,
                                                 479001600.0,
                                                 6227020800.0,
                                                 87178291200.0,
                                                 1307674368000.0,
                                                 20922789888000.0,
                                                 355687428096000.0,
                                                 6402373705728000.0,
                                                 121645100408832000.0,
                                                 2432902008176640000.0,
                                                 51090942171709440000.0,
                                                 1124000727777607680000.0};

/* sin(pi x) for finite x, reduced to [0, 2) first so the result is exact at
 * the integers and half-integers. */
static double sin_pi(double x) {
  double y = fmod(fabs(x), 2.0);
  double r;
  switch ((int)round(2.0 * y)) {
    case 0:
      r = sin(kPi * y);
      break;
    case 1:
      r = cos(kPi * (y - 0.5));
      break;
    case 2:
      r = sin(kPi * (1.0 - y)); /* +0.0, not -0.0, at y == 1 */
      break;
    case 3:
      r = -cos(kPi * (y - 1.5));
      break;
    default:
      r = sin(kPi * (y - 2.0));
      break;
  }
  return copysign(1.0, x) * r;
}

/* The Lanczos sum for x > 0; in 1/x from 5 on, where x^12 could overflow. */
static double lanczos_sum(double x) {
  double num = 0.0, den = 0.0;
  if (x < 5.0) {
    for (int i = LANCZOS_TERMS - 1; i >= 0; i--) {
      num = num * x + kLanczosNumerator[i];
      den = den * x + kLanczosDenominator[i];
    }
  } else {
    for (int i = 0; i < LANCZOS_TERMS; i++) {
      num = num / x + kLanczosNumerator[i];
      den = den / x + kLanczosDenominator[i];
    }
  }
  return num / den;
}

double pn_gamma(double x, int *err) {
  if (!isfinite(x)) {
    if (isnan(x) || x > 0.0) {
      return x;
    }
    *err = EDOM;
    return NAN;
  }
  if (x == 0.0) {
    *err = EDOM;
    return copysign(HUGE_VAL, x);
  }
  if (x == floor(x)) {
    if (x < 0.0) {
      *err = EDOM;
      return NAN;
    }
    if (x <= EXACT_GAMMAS) {
      return kExactGamma[(int)x - 1];
    }
  }
  double absx = fabs(x);
  if (absx < 1e-20) {
    double r = 1.0 / x;
    if (isinf(r)) {
      *err = ERANGE;
    }
    return r;
  }
  if (absx > 200.0) {
    if (x < 0.0) {
      return 0.0 / sin_pi(x);
    }
    *err = ERANGE;
    return HUGE_VAL;
  }
  double y = absx + kLanczosGMinusHalf;
  /* z: the rounding error of y, scaled into the correction factor. */
  double z =
      absx > kLanczosGMinusHalf ? (y - absx) - kLanczosGMinusHalf : (y - kLanczosGMinusHalf) - absx;
  z = z * kLanczosG / y;
  double r;
  if (x < 0.0) {
    r = -kPi / sin_pi(absx) / absx * exp(y) / lanczos_sum(absx);
    r -= z * r;
    if (absx < 140.0) {
      r /= pow(y, absx - 0.5);
    } else {
      double half_power = pow(y, absx / 2.0 - 0.25);
      r /= half_power;
      r /= half_power;
    }
  } else {
    r = lanczos_sum(absx) / exp(y);
    r += z * r;
    if (absx < 140.0) {
      r *= pow(y, absx - 0.5);
    } else {
      double half_power = pow(y, absx / 2.0 - 0.25);
      r *= half_power;
      r *= half_power;
    }
  }
  if (isinf(r)) {
    *err = ERANGE;
  }
  return r;
}

double pn_lgamma(double x, int *err) {
  if (!isfinite(x)) {
    return isnan(x) ? x : HUGE_VAL;
  }
  if (x == floor(x) && x <= 2.0) {
    if (x <= 0.0) {
      *err = EDOM;
      return HUGE_VAL;
    }
    return 0.0;
  }
  double absx = fabs(x);
  if (absx < 1e-20) {
    return -log(absx);
  }
  double r = log(lanczos_sum(absx)) - kLanczosG;
  r += (absx - 0.5) * (log(absx + kLanczosG - 0.5) - 1);
  if (x < 0.0) {
    r = kLogPi - log(fabs(sin_pi(absx))) - log(absx) - r;
  }
  if (isinf(r)) {
    *err = ERANGE;
  }
  return r;
}
