/*
 * SHA-256 (FIPS 180-4) over memory. The kustomize engine hashes every generated ConfigMap
 * and Secret; using this instead of OpenSSL keeps libcrypto (about 3.4 MiB of RSS once
 * initialised) out of `tide kustomize build`. Modules that need other digests, HMAC or
 * streaming over files use OpenSSL.
 */
#ifndef TIDE_UTIL_SHA256_H
#define TIDE_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;        /* bytes hashed so far */
	unsigned char block[64];
	size_t fill;         /* bytes waiting in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Writes the digest; s must be initialised again before reuse. */
void sha256_final(struct sha256 *s, unsigned char out[32]);
/* The digest of one buffer. */
void sha256(const void *data, size_t len, unsigned char out[32]);

#endif
