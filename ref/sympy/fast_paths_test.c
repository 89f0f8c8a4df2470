/* The fast paths against the general ones they stand in for. The
 * polynomial path (ref/sympy/mpoly.h): sy_mpoly_to_expr must build exactly
 * the node sy_add and sy_mul build from the same terms (args in the same
 * order, so the same printing), the multinomial power must equal repeated
 * multiplication, and conversion must round-trip. The monomial product in
 * sy_mul2 must be the node sy_mul builds. Random inputs over generators
 * whose sort keys interleave (x1 < x10 < x2 by code point, calls). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/shim/ctest.h"
#include "ref/sympy/evaluate.h"
#include "ref/sympy/expr.h"
#include "ref/sympy/mpoly.h"
#include "ref/sympy/print.h"

static uint64_t next_random(uint64_t *state) {
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return *state;
}

static long pick(uint64_t *state, long lo, long hi) {
  return lo + (long)(next_random(state) % (uint64_t)(hi - lo + 1));
}

/* A pool of generator expressions, built in ctx. */
static size_t make_pool(sy_ctx *ctx, const sy_expr **pool) {
  static const char *const kNames[] = {"x",  "y",   "z",  "w",     "a", "B",
                                       "x1", "x10", "x2", "alpha", "_t"};
  size_t n = 0;
  for (size_t i = 0; i < sizeof kNames / sizeof kNames[0]; i++) {
    pool[n++] = sy_symbol(ctx, kNames[i], strlen(kNames[i]));
  }
  pool[n++] = sy_func(ctx, SY_COS, pool[0]);
  pool[n++] = sy_func(ctx, SY_SIN, pool[1]);
  pool[n++] = sy_func(ctx, SY_LOG, pool[2]);
  pool[n++] = sy_func(ctx, SY_COS, sy_mul2(ctx, pool[0], pool[1]));
  return n;
}

/* Random generators from the pool, sorted as Poly sorts them. */
static void random_gens(sy_ctx *ctx, uint64_t *rng, sy_gens *gens) {
  const sy_expr *pool[16];
  size_t size = make_pool(ctx, pool);
  const sy_expr *chosen[6];
  size_t count = (size_t)pick(rng, 1, 5);
  for (size_t i = 0; i < count; i++) {
    chosen[i] = pool[pick(rng, 0, (long)size - 1)];
  }
  const sy_expr *product = sy_mul(ctx, chosen, count);
  CT_ASSERT_TRUE(product != NULL);
  CT_ASSERT_TRUE(1 == sy_mpoly_collect_gens(ctx, &product, 1, gens));
}

/* A random polynomial over gens with terms/den, and the same terms added
 * up through sy_add and sy_mul (*evaluated). */
static void random_poly(sy_ctx *ctx, uint64_t *rng, const sy_gens *gens, sy_mpoly *p, mpz_t den,
                        const sy_expr **evaluated) {
  size_t nterms = (size_t)pick(rng, 1, 12);
  mpz_set_si(den, pick(rng, 1, 6));
  const sy_expr *terms[12];
  sy_mpoly_init(p, gens->count);
  mpz_t c;
  mpz_init(c);
  for (size_t t = 0; t < nterms; t++) {
    uint32_t exps[8] = {0};
    const sy_expr *factors[9];
    size_t nf = 0;
    mpz_set_si(c, pick(rng, -20, 20));
    mpq_t q;
    mpq_init(q);
    mpz_set(mpq_numref(q), c);
    mpz_set(mpq_denref(q), den);
    mpq_canonicalize(q);
    factors[nf++] = sy_number(ctx, q);
    mpq_clear(q);
    for (size_t v = 0; v < gens->count; v++) {
      exps[v] = (uint32_t)pick(rng, 0, 4) * (uint32_t)pick(rng, 0, 1);
      factors[nf++] = sy_pow(ctx, gens->items[v], sy_integer(ctx, exps[v]));
    }
    CT_ASSERT_TRUE(0 == sy_mpoly_add_term(p, exps, c));
    terms[t] = sy_mul(ctx, factors, nf);
  }
  mpz_clear(c);
  *evaluated = sy_add(ctx, terms, nterms);
}

CT_TEST(SympyFastPaths, ToExprIsTheEvaluatedSum) {
  uint64_t rng = 0x243f6a8885a308d3ULL;
  for (int round = 0; round < 3000; round++) {
    sy_ctx ctx;
    sy_ctx_init(&ctx, (size_t)64 << 20);
    sy_gens gens;
    random_gens(&ctx, &rng, &gens);
    sy_mpoly p;
    mpz_t den;
    mpz_init(den);
    const sy_expr *evaluated;
    random_poly(&ctx, &rng, &gens, &p, den, &evaluated);
    const sy_expr *fast = sy_mpoly_to_expr(&ctx, &gens, &p, den);
    CT_ASSERT_TRUE(!ctx.failed && fast != NULL && evaluated != NULL);
    if (!sy_equal(fast, evaluated)) {
      CT_FAIL("round %d: the fast path's sum differs from sy_add's", round);
      round = 1 << 30; /* one report is enough */
    }
    mpz_clear(den);
    sy_mpoly_clear(&p);
    sy_ctx_free(&ctx);
  }
}

CT_TEST(SympyFastPaths, ConversionRoundTrips) {
  uint64_t rng = 0x13198a2e03707344ULL;
  for (int round = 0; round < 1000; round++) {
    sy_ctx ctx;
    sy_ctx_init(&ctx, (size_t)64 << 20);
    sy_gens gens;
    random_gens(&ctx, &rng, &gens);
    sy_mpoly p, back;
    mpz_t den, back_den;
    mpz_inits(den, back_den, NULL);
    const sy_expr *evaluated;
    random_poly(&ctx, &rng, &gens, &p, den, &evaluated);
    sy_mpoly_init(&back, gens.count);
    CT_ASSERT_TRUE(0 == sy_mpoly_from_expr(&ctx, &gens, evaluated, &back, back_den));
    /* p/den and back/back_den are the same fraction, the latter reduced */
    mpz_t g;
    mpz_init_set(g, den);
    for (size_t i = 0; i < p.count; i++) {
      mpz_gcd(g, g, p.coeffs[i]);
    }
    if (p.count > 0) {
      for (size_t i = 0; i < p.count; i++) {
        mpz_divexact(p.coeffs[i], p.coeffs[i], g);
      }
      mpz_divexact(den, den, g);
    } else {
      mpz_set_ui(den, 1);
    }
    CT_EXPECT_TRUE(sy_mpoly_equal(&p, &back));
    CT_EXPECT_TRUE(mpz_cmp(den, back_den) == 0);
    mpz_clears(den, back_den, g, NULL);
    sy_mpoly_clear(&p);
    sy_mpoly_clear(&back);
    sy_ctx_free(&ctx);
  }
}

CT_TEST(SympyFastPaths, PowerIsRepeatedMultiplication) {
  uint64_t rng = 0xa4093822299f31d0ULL;
  for (int round = 0; round < 300; round++) {
    sy_ctx ctx;
    sy_ctx_init(&ctx, (size_t)64 << 20);
    sy_gens gens;
    random_gens(&ctx, &rng, &gens);
    sy_mpoly p, power, product, tmp;
    mpz_t den;
    mpz_init(den);
    const sy_expr *evaluated;
    random_poly(&ctx, &rng, &gens, &p, den, &evaluated);
    unsigned long n = (unsigned long)pick(&rng, 0, 7);
    sy_mpoly_init(&power, gens.count);
    sy_mpoly_init(&product, gens.count);
    sy_mpoly_init(&tmp, gens.count);
    CT_ASSERT_TRUE(0 == sy_mpoly_pow(&power, &p, n));
    uint32_t zero[8] = {0};
    mpz_t one;
    mpz_init_set_ui(one, 1);
    CT_ASSERT_TRUE(0 == sy_mpoly_add_term(&product, zero, one));
    for (unsigned long i = 0; i < n; i++) {
      CT_ASSERT_TRUE(0 == sy_mpoly_mul(&tmp, &product, &p));
      sy_mpoly_swap(&tmp, &product);
    }
    CT_EXPECT_TRUE(sy_mpoly_equal(&power, &product));
    mpz_clears(den, one, NULL);
    sy_mpoly_clear(&p);
    sy_mpoly_clear(&power);
    sy_mpoly_clear(&product);
    sy_mpoly_clear(&tmp);
    sy_ctx_free(&ctx);
  }
}

CT_TEST(SympyFastPaths, PowersBeyondTheLimitFailCleanly) {
  sy_ctx ctx;
  sy_ctx_init(&ctx, (size_t)64 << 20);
  sy_mpoly sum, power;
  sy_mpoly_init(&sum, 20);
  sy_mpoly_init(&power, 20);
  mpz_t one;
  mpz_init_set_ui(one, 1);
  for (size_t v = 0; v < 20; v++) {
    uint32_t exps[20] = {0};
    exps[v] = 1;
    CT_ASSERT_TRUE(0 == sy_mpoly_add_term(&sum, exps, one));
  }
  /* C(49, 19) terms: far past SY_MPOLY_MAX_TERMS */
  CT_EXPECT_INT_EQ(-1, sy_mpoly_pow(&power, &sum, 30));
  CT_EXPECT_INT_EQ(0, (long)power.count);
  mpz_clear(one);
  sy_mpoly_clear(&sum);
  sy_mpoly_clear(&power);
  sy_ctx_free(&ctx);
}

/* A random monomial: a Rational (maybe 0 or 1) times powers of symbols
 * with exponents in -3..3, built by the general sy_mul. */
static const sy_expr *random_monomial(sy_ctx *ctx, uint64_t *rng) {
  static const char *const kNames[] = {"x", "y", "z", "B", "x1", "x10", "x2", "alpha"};
  const sy_expr *factors[6];
  size_t n = 0;
  if (pick(rng, 0, 2) > 0) {
    mpq_t q;
    mpq_init(q);
    mpq_set_si(q, pick(rng, -4, 4), (unsigned long)pick(rng, 1, 3));
    mpq_canonicalize(q);
    factors[n++] = sy_number(ctx, q);
    mpq_clear(q);
  }
  size_t count = (size_t)pick(rng, 0, 4);
  for (size_t i = 0; i < count; i++) {
    const char *name = kNames[pick(rng, 0, 7)];
    const sy_expr *s = sy_symbol(ctx, name, strlen(name));
    factors[n++] = sy_pow(ctx, s, sy_integer(ctx, pick(rng, -3, 3)));
  }
  return n == 0 ? sy_integer(ctx, 1) : sy_mul(ctx, factors, n);
}

CT_TEST(SympyFastPaths, MonomialProductIsTheEvaluatedProduct) {
  uint64_t rng = 0x082efa98ec4e6c89ULL;
  sy_ctx ctx;
  sy_ctx_init(&ctx, (size_t)256 << 20);
  for (int round = 0; round < 20000; round++) {
    const sy_expr *a = random_monomial(&ctx, &rng), *b = random_monomial(&ctx, &rng);
    CT_ASSERT_TRUE(a != NULL && b != NULL);
    const sy_expr *args[2] = {a, b};
    const sy_expr *fast = sy_mul2(&ctx, a, b), *general = sy_mul(&ctx, args, 2);
    CT_ASSERT_TRUE(!ctx.failed && fast != NULL && general != NULL);
    if (!sy_equal(fast, general)) {
      pn_strbuf text = {0};
      sy_print(&ctx, a, &text);
      pn_strbuf_append(&text, " * ", 3);
      sy_print(&ctx, b, &text);
      pn_strbuf_append(&text, " -> ", 4);
      sy_print(&ctx, fast, &text);
      pn_strbuf_append(&text, " vs ", 4);
      sy_print(&ctx, general, &text);
      CT_FAIL("round %d: sy_mul2's monomial product differs from sy_mul's: %s", round,
              text.data ? text.data : "");
      pn_strbuf_free(&text);
      break;
    }
    if (round % 1000 == 999) {
      sy_ctx_reset(&ctx);
    }
  }
  sy_ctx_free(&ctx);
}
