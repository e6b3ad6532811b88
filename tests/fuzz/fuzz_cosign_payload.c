/*
 * libFuzzer target: what cosign verification reads from a registry or a Secret (untrusted).
 * The first byte picks what the rest is: even, a simple-signing payload checked against a
 * fixed digest (cosign_payload_check); odd, a public key's PEM text (cosign_key_check).
 * Nothing may crash or leak; the result is 0 or a documented error. A payload that passes
 * must name the digest; one written by cosign_payload_json must pass.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source/cosign.h"
#include "util/buf.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DIGEST "sha256:7a91c50d922925f152fec96ed1d84b7bc6b2079c169d68826f6cf307f22d40e6"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > (1 << 16))
		return 0;
	const char *p = (const char *)data + 1;
	size_t n = size - 1;
	if (data[0] % 2 == 0) {
		int rc = cosign_payload_check(p, n, DIGEST);
		if (rc && rc != ERR_INVALID && rc != ERR_TOOBIG)
			abort();
		if (!rc && !memmem(p, n, &DIGEST[7], 64) && !memchr(p, '\\', n))
			abort(); /* passed without the digest in it (unless written with escapes) */
		if (!rc)
			return 0;
		/* the bytes as an identity: what the writer makes of them must pass */
		char *id = malloc(n + 1);
		if (!id)
			abort();
		memcpy(id, p, n);
		id[n] = '\0';
		struct buf b = BUF_INIT;
		cosign_payload_json(&b, id, DIGEST, NULL, 0);
		if (cosign_payload_check(b.ptr, b.len, DIGEST) != 0)
			abort();
		buf_release(&b);
		free(id);
	} else {
		struct cosign_key k = { "fuzz.pub", p, n };
		int rc = cosign_key_check(&k);
		if (rc && rc != ERR_INVALID && rc != ERR_UNSUPPORTED && rc != ERR_TOOBIG)
			abort();
	}
	return 0;
}
