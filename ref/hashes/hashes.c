#include "ref/hashes/hashes.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

struct pn_hasher {
  EVP_MD *md;
  EVP_MD_CTX *ctx;
};

/* hashlib's names and OpenSSL's, which differ only in case and dashes. */
static const struct {
  const char *hashlib_name;
  const char *openssl_name;
} kAlgorithms[] = {
    {"sha256", "SHA2-256"}, {"sha224", "SHA2-224"}, {"sha384", "SHA2-384"},
    {"sha512", "SHA2-512"}, {"md5", "MD5"},         {"sha1", "SHA1"},
};

static const char *openssl_name(const char *algorithm) {
  for (size_t i = 0; i < sizeof kAlgorithms / sizeof kAlgorithms[0]; i++) {
    if (strcmp(kAlgorithms[i].hashlib_name, algorithm) == 0) {
      return kAlgorithms[i].openssl_name;
    }
  }
  return NULL;
}

int pn_hasher_supports(const char *algorithm) {
  return openssl_name(algorithm) != NULL;
}

pn_hasher *pn_hasher_new(const char *algorithm) {
  const char *name = openssl_name(algorithm);
  if (name == NULL) {
    return NULL;
  }
  pn_hasher *hasher = calloc(1, sizeof *hasher);
  if (hasher == NULL) {
    return NULL;
  }
  hasher->md = EVP_MD_fetch(NULL, name, NULL);
  hasher->ctx = EVP_MD_CTX_new();
  if (hasher->md == NULL || hasher->ctx == NULL) {
    pn_hasher_free(hasher);
    return NULL;
  }
  return hasher;
}

int pn_hasher_hexdigest(pn_hasher *hasher, const uint8_t *data, size_t len, char *hex) {
  static const char kDigits[] = "0123456789abcdef";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_DigestInit_ex2(hasher->ctx, hasher->md, NULL) != 1 ||
      EVP_DigestUpdate(hasher->ctx, data, len) != 1 ||
      EVP_DigestFinal_ex(hasher->ctx, digest, &digest_len) != 1) {
    return -1;
  }
  for (unsigned int i = 0; i < digest_len; i++) {
    hex[2 * i] = kDigits[digest[i] >> 4];
    hex[2 * i + 1] = kDigits[digest[i] & 15];
  }
  hex[2 * digest_len] = '\0';
  return 0;
}

void pn_hasher_free(pn_hasher *hasher) {
  if (hasher == NULL) {
    return;
  }
  EVP_MD_CTX_free(hasher->ctx);
  EVP_MD_free(hasher->md);
  free(hasher);
}
