/* The floats benchmark's C and C++ peers (floats_peers.cc), each running its
 * loop over the same inputs pyref's loop in floats_bench.c gets, through the
 * library's public API. Every function returns a value derived from all its
 * results, so that the work cannot be dropped. */
#ifndef PYNOTES_TOOLS_BENCHMARKS_FLOATS_PEERS_H_
#define PYNOTES_TOOLS_BENCHMARKS_FLOATS_PEERS_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* fast_float::from_chars (libfast-float-dev) on texts[i][0..lengths[i]) for
 * i < count; the sum of the values. */
double pn_peer_fast_float_read(char *const *texts, const size_t *lengths, int count);

/* double-conversion's StringToDoubleConverter (no flags) on the same texts;
 * the sum of the values. */
double pn_peer_double_conversion_read(char *const *texts, const size_t *lengths, int count);

/* fast_float's value of text[0..length), or NaN when it reads none of it:
 * for checking, outside the timed loops, that the readers agree. */
double pn_peer_fast_float_value(const char *text, size_t length);

/* fmt::format_to with the compiled format "{}" (libfmt-dev: Dragonbox's
 * shortest digits) for values[0..count); the sum of lengths and first
 * characters. */
unsigned pn_peer_fmt_repr(const double *values, int count);

/* double-conversion's EcmaScriptConverter().ToShortest for values[0..count);
 * the sum of lengths and first characters. */
unsigned pn_peer_double_conversion_repr(const double *values, int count);

#ifdef __cplusplus
}
#endif

#endif /* PYNOTES_TOOLS_BENCHMARKS_FLOATS_PEERS_H_ */
