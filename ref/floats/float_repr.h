/*
 * repr(float) exactly as CPython writes it: the shortest decimal digits that
 * read back to the same double, laid out as Python/pystrtod.c's 'r' format
 * does (`1e+16`, `1e-05`, `0.0001`, `-0.0`, `inf`, `nan`).
 */
#ifndef PYNOTES_REF_FLOATS_FLOAT_REPR_H_
#define PYNOTES_REF_FLOATS_FLOAT_REPR_H_

/* Longest repr: sign, 17 digits, point, "e-308" and NUL fit in 32. */
#define PN_FLOAT_REPR_MAX 32

/*
 * Finds the shortest digit string d1..dn (no leading or trailing zeros) and
 * the decimal exponent decpt with x == 0.d1..dn * 10^decpt after rounding to
 * nearest. x must be finite and positive. Returns n.
 */
int pn_shortest_digits(double x, char digits[18], int *decpt);

/* Writes repr(x) and a NUL into out (PN_FLOAT_REPR_MAX bytes). Returns the
 * length. */
int pn_float_repr(double x, char out[PN_FLOAT_REPR_MAX]);

#endif /* PYNOTES_REF_FLOATS_FLOAT_REPR_H_ */
