/*
 * The inputs of the sympy benchmark, shared by sympy_bench.c and the GiNaC
 * floor and generated the same way in peers.py: a 10 KB sum of products,
 * with the power operator given ("**" for sympy, "^" for GiNaC's parser).
 */
#ifndef PYNOTES_TOOLS_BENCHMARKS_SYMPY_TEXTS_H_
#define PYNOTES_TOOLS_BENCHMARKS_SYMPY_TEXTS_H_

#ifdef __cplusplus
extern "C" {
#endif

/* (k*7919 % 1000 + 1)*x**(k % 9)*y**(k % 7)*z for k = 0, 1, ... joined by
 * " + " until the text reaches 10,240 bytes; malloc'd, or NULL. */
char *pn_sympy_bench_text10k(const char *pow_op);

#ifdef __cplusplus
}
#endif

#endif /* PYNOTES_TOOLS_BENCHMARKS_SYMPY_TEXTS_H_ */
