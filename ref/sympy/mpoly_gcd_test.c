/* Properties of the multivariate gcd, exact division and square root
 * (ref/sympy/mpoly_gcd.h) that sympy's answers rely on, on random
 * polynomials in three variables: gcd(f*h, g*h) is divisible by h and
 * divides both, its cofactors are coprime, an inexact division says so,
 * and sqrt finds the root of a square and no root of a non-square. The
 * golden file golden/sympy/multivariate.txt checks the answers themselves
 * against sympy. */
#include <stdint.h>

#include "conformance/shim/ctest.h"
#include "ref/sympy/mpoly_gcd.h"

enum { NVARS = 3, ROUNDS = 150 };

static uint64_t next_random(uint64_t *state) {
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return *state;
}

/* A random polynomial of up to max_terms terms, exponents up to 2,
 * coefficients in [-3, 3]; never zero. */
static void random_poly(uint64_t *state, sy_mpoly *p, int max_terms) {
  sy_mpoly_clear(p);
  mpz_t c;
  mpz_init(c);
  int terms = 1 + (int)(next_random(state) % (uint64_t)max_terms);
  for (int t = 0; t < terms || p->count == 0; t++) {
    uint32_t e[NVARS];
    for (int v = 0; v < NVARS; v++) {
      e[v] = (uint32_t)(next_random(state) % 3);
    }
    mpz_set_si(c, (long)(next_random(state) % 7) - 3);
    if (mpz_sgn(c) == 0) {
      mpz_set_ui(c, 1);
    }
    sy_mpoly_add_term(p, e, c);
  }
  mpz_clear(c);
}

static bool is_one(const sy_mpoly *p) {
  return p->count == 1 && sy_mpoly_is_const(p) && mpz_cmp_ui(p->coeffs[0], 1) == 0;
}

CT_TEST(MpolyGcd, CommonFactorFoundAndCofactorsCoprime) {
  uint64_t state = 0x9e3779b97f4a7c15ULL;
  sy_mpoly f, g, h, fh, gh, gcd, cf, cg, rest, q;
  sy_mpoly *all[] = {&f, &g, &h, &fh, &gh, &gcd, &cf, &cg, &rest, &q};
  for (size_t i = 0; i < 10; i++) {
    sy_mpoly_init(all[i], NVARS);
  }
  for (int round = 0; round < ROUNDS; round++) {
    random_poly(&state, &f, 3);
    random_poly(&state, &g, 3);
    random_poly(&state, &h, 3);
    CT_ASSERT_TRUE(sy_mpoly_mul(&fh, &f, &h) == 0 && sy_mpoly_mul(&gh, &g, &h) == 0);
    if (fh.count == 0 || gh.count == 0) {
      continue;
    }
    CT_ASSERT_TRUE(sy_mpoly_gcd(&gcd, &fh, &gh) == 0);
    long lead = sy_mpoly_lead(&gcd);
    CT_EXPECT_TRUE(lead >= 0 && mpz_sgn(gcd.coeffs[lead]) > 0);
    CT_EXPECT_TRUE(sy_mpoly_divexact(&q, &gcd, &h) == 0);
    CT_EXPECT_TRUE(sy_mpoly_divexact(&cf, &fh, &gcd) == 0);
    CT_EXPECT_TRUE(sy_mpoly_divexact(&cg, &gh, &gcd) == 0);
    CT_EXPECT_TRUE(sy_mpoly_gcd(&rest, &cf, &cg) == 0 && is_one(&rest));
  }
  for (size_t i = 0; i < 10; i++) {
    sy_mpoly_clear(all[i]);
  }
}

CT_TEST(MpolyGcd, InexactDivisionIsReported) {
  uint64_t state = 12345;
  sy_mpoly f, h, fh, q;
  sy_mpoly *all[] = {&f, &h, &fh, &q};
  for (size_t i = 0; i < 4; i++) {
    sy_mpoly_init(all[i], NVARS);
  }
  uint32_t zero[NVARS] = {0};
  mpz_t one;
  mpz_init_set_ui(one, 1);
  for (int round = 0; round < ROUNDS; round++) {
    random_poly(&state, &f, 3);
    random_poly(&state, &h, 3);
    if (sy_mpoly_is_const(&h)) {
      continue;
    }
    CT_ASSERT_TRUE(sy_mpoly_mul(&fh, &f, &h) == 0 && sy_mpoly_add_term(&fh, zero, one) == 0);
    /* f*h + 1 is not a multiple of a nonconstant h */
    CT_EXPECT_TRUE(sy_mpoly_divexact(&q, &fh, &h) == 1);
  }
  mpz_clear(one);
  for (size_t i = 0; i < 4; i++) {
    sy_mpoly_clear(all[i]);
  }
}

CT_TEST(MpolyGcd, SquareRoots) {
  uint64_t state = 777;
  sy_mpoly p, sq, root, neg;
  sy_mpoly *all[] = {&p, &sq, &root, &neg};
  for (size_t i = 0; i < 4; i++) {
    sy_mpoly_init(all[i], NVARS);
  }
  for (int round = 0; round < ROUNDS; round++) {
    random_poly(&state, &p, 4);
    CT_ASSERT_TRUE(sy_mpoly_mul(&sq, &p, &p) == 0);
    CT_EXPECT_TRUE(sy_mpoly_sqrt(&sq, &root) == 1);
    sy_mpoly_make_lc_positive(&p);
    CT_EXPECT_TRUE(sy_mpoly_equal(&root, &p));
    /* -p**2 has a negative leading coefficient: never a square */
    CT_ASSERT_TRUE(sy_mpoly_copy(&neg, &sq) == 0);
    for (size_t i = 0; i < neg.count; i++) {
      mpz_neg(neg.coeffs[i], neg.coeffs[i]);
    }
    CT_EXPECT_TRUE(sy_mpoly_sqrt(&neg, &root) == 0);
  }
  /* x**2 + y**2 is not a square though its leading term is */
  uint32_t x2[NVARS] = {2, 0, 0}, y2[NVARS] = {0, 2, 0};
  mpz_t one;
  mpz_init_set_ui(one, 1);
  sy_mpoly_clear(&p);
  sy_mpoly_add_term(&p, x2, one);
  sy_mpoly_add_term(&p, y2, one);
  CT_EXPECT_TRUE(sy_mpoly_sqrt(&p, &root) == 0);
  mpz_clear(one);
  for (size_t i = 0; i < 4; i++) {
    sy_mpoly_clear(all[i]);
  }
}
