/*
 * The hashes note's benchmark: ns per message for pyref's hexdigest path
 * (ref/hashes: fetched EVP_MD, reused context, hex output) and for a plain-C
 * floor (OpenSSL's EVP_Digest on the same fetched EVP_MD, raw bytes out), on
 * the same messages, interleaved round by round. Prints one line per
 * measurement: `NAME IMPL NS_PER_MESSAGE` (IMPL pyref or c:EVP_Digest) with
 * the median of the rounds.
 * tools/bench runs it beside CPython's hashlib and makes the table.
 *
 *   hashes_bench [ROUNDS]
 */
#define _POSIX_C_SOURCE 200809L

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tools/benchmarks/bench_clock.h"

#include "ref/hashes/hashes.h"

#define MAX_ROUNDS 64

/* Keeps results alive so the compiler cannot drop the work. */
static volatile unsigned char g_sink;

static double time_pyref(pn_hasher *hasher, const unsigned char *data, size_t len, long count) {
  char hex[PN_HEXDIGEST_MAX];
  double start = pn_bench_now_ns();
  for (long i = 0; i < count; i++) {
    pn_hasher_hexdigest(hasher, data, len, hex);
    g_sink ^= (unsigned char)hex[0];
  }
  return (pn_bench_now_ns() - start) / (double)count;
}

static double time_floor(const EVP_MD *md, const unsigned char *data, size_t len, long count) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len;
  double start = pn_bench_now_ns();
  for (long i = 0; i < count; i++) {
    EVP_Digest(data, len, digest, &digest_len, md, NULL);
    g_sink ^= digest[0];
  }
  return (pn_bench_now_ns() - start) / (double)count;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 7;
  if (rounds < 1 || rounds > MAX_ROUNDS) {
    fprintf(stderr, "usage: hashes_bench [ROUNDS 1..%d]\n", MAX_ROUNDS);
    return 2;
  }
  static const struct {
    const char *name;
    size_t len;
  } kSizes[] = {{"sha256/64B", 64}, {"sha256/1KiB", 1024}, {"sha256/1MiB", 1 << 20}};
  unsigned char *data = malloc(1 << 20);
  pn_hasher *hasher = pn_hasher_new("sha256");
  EVP_MD *md = EVP_MD_fetch(NULL, "SHA2-256", NULL);
  if (data == NULL || hasher == NULL || md == NULL) {
    fprintf(stderr, "hashes_bench: setup failed\n");
    return 1;
  }
  for (size_t i = 0; i < (1 << 20); i++) {
    data[i] = (unsigned char)(i * 2654435761u >> 24);
  }
  for (size_t s = 0; s < sizeof kSizes / sizeof kSizes[0]; s++) {
    /* About 50 ms per measurement. */
    long count = (long)(50e6 / (5.0 + (double)kSizes[s].len * 0.6));
    if (count < 3) {
      count = 3;
    }
    double pyref[MAX_ROUNDS], plain[MAX_ROUNDS];
    time_pyref(hasher, data, kSizes[s].len, count / 10 + 1); /* warm up */
    for (int r = 0; r < rounds; r++) {
      pyref[r] = time_pyref(hasher, data, kSizes[s].len, count);
      plain[r] = time_floor(md, data, kSizes[s].len, count);
    }
    printf("%s pyref %.1f\n", kSizes[s].name, pn_bench_median(pyref, rounds));
    printf("%s c:EVP_Digest %.1f\n", kSizes[s].name, pn_bench_median(plain, rounds));
  }
  EVP_MD_free(md);
  pn_hasher_free(hasher);
  free(data);
  return 0;
}
