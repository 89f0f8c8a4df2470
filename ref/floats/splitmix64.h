/* The seeded generator of the floats note's tests: splitmix64 (Steele, Lea
 * and Flood), the same sequence tools/benchmarks and peers.py draw, so that a
 * failing seed reproduces anywhere. */
#ifndef PYNOTES_REF_FLOATS_SPLITMIX64_H_
#define PYNOTES_REF_FLOATS_SPLITMIX64_H_

#include <stdint.h>

/* Advances *state and returns its next 64 pseudo-random bits. */
static inline uint64_t pn_splitmix64(uint64_t *state) {
  uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

#endif /* PYNOTES_REF_FLOATS_SPLITMIX64_H_ */
