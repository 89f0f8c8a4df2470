/*
 * math.gamma and math.lgamma as CPython 3.11 computes them (its own Lanczos
 * approximation, not libm's), so results agree bit for bit.
 */
#ifndef PYNOTES_REF_NEWTON_MATH_GAMMA_H_
#define PYNOTES_REF_NEWTON_MATH_GAMMA_H_

/* Gamma(x); sets *err to EDOM or ERANGE where CPython's m_tgamma sets errno,
 * and leaves it alone otherwise. */
double pn_gamma(double x, int *err);

/* log|Gamma(x)|; *err as for pn_gamma (m_lgamma). */
double pn_lgamma(double x, int *err);

#endif /* PYNOTES_REF_NEWTON_MATH_GAMMA_H_ */
