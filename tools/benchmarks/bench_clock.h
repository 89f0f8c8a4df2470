/* The two things every benchmark here needs: a monotonic clock and the median
 * of its rounds (medians resist the outliers a shared machine produces). */
#ifndef PYNOTES_TOOLS_BENCHMARKS_BENCH_CLOCK_H_
#define PYNOTES_TOOLS_BENCHMARKS_BENCH_CLOCK_H_

#ifdef __cplusplus
extern "C" {
#endif

/* CLOCK_MONOTONIC, in nanoseconds. */
double pn_bench_now_ns(void);

/* Sorts values[0..n) (n > 0) and returns values[n / 2]. */
double pn_bench_median(double *values, int n);

#ifdef __cplusplus
}
#endif

#endif /* PYNOTES_TOOLS_BENCHMARKS_BENCH_CLOCK_H_ */
