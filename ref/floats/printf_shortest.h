/*
 * The test oracle for shortest digits: try each precision with printf until
 * the text reads back (glibc's printf and strtod are correctly rounded, so
 * the first precision that round-trips gives the shortest correctly rounded
 * digits). Slow: up to 17 printf/strtod pairs. It was the reference's
 * implementation before ref/floats/float_repr.c's Schubfach.
 */
#ifndef PYNOTES_REF_FLOATS_PRINTF_SHORTEST_H_
#define PYNOTES_REF_FLOATS_PRINTF_SHORTEST_H_

/* Same contract as pn_shortest_digits: x finite and positive; writes the
 * digits without leading or trailing zeros and returns their count, with
 * x ~ 0.d1..dn * 10^decpt. */
int printf_shortest_digits(double x, char digits[18], int *decpt);

#endif /* PYNOTES_REF_FLOATS_PRINTF_SHORTEST_H_ */
