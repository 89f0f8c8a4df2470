/*
 * hashlib's message digests (sha256, sha224, sha384, sha512, md5, sha1)
 * through OpenSSL's EVP interface, as the hashes note computes them.
 */
#ifndef PYNOTES_REF_HASHES_HASHES_H_
#define PYNOTES_REF_HASHES_HASHES_H_

#include <stddef.h>
#include <stdint.h>

/* Longest hex digest (sha512) plus its NUL. */
#define PN_HEXDIGEST_MAX (2 * 64 + 1)

typedef struct pn_hasher pn_hasher;

/* Returns nonzero when `algorithm` is one of the hashlib names above. */
int pn_hasher_supports(const char *algorithm);

/* Makes a hasher for one algorithm. The digest implementation is fetched
 * from OpenSSL once here, not per message (an implicit fetch costs about as
 * much as hashing 64 bytes). Returns NULL for an unsupported name or when
 * OpenSSL fails. */
pn_hasher *pn_hasher_new(const char *algorithm);

/* Writes hashlib.NAME(data).hexdigest() and a NUL into hex, which holds
 * PN_HEXDIGEST_MAX bytes. Returns 0, or -1 when OpenSSL fails. */
int pn_hasher_hexdigest(pn_hasher *hasher, const uint8_t *data, size_t len, char *hex);

void pn_hasher_free(pn_hasher *hasher);

#endif /* PYNOTES_REF_HASHES_HASHES_H_ */
