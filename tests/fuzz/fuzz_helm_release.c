/*
 * libFuzzer target: Helm release records (a storage Secret's `release` value is read from the
 * cluster by `tide tree`, and will be by the Helm engine). The first byte picks the layer the
 * fuzzer reaches: 0 the base64 text as given, 1 the bytes under base64 (gzip or JSON), 2 the
 * JSON under gzip and base64. Nothing may crash or leak; a decoded record is a JSON object.
 */
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "doc/doc.h"
#include "helm/storage.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned char *b64(const unsigned char *in, size_t n, size_t *out_len)
{
	unsigned char *out = malloc(4 * ((n + 2) / 3) + 1);
	*out_len = (size_t)EVP_EncodeBlock(out, in, (int)n);
	return out;
}

static unsigned char *gz(const unsigned char *in, size_t n, size_t *out_len)
{
	z_stream z = { 0 };
	deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	size_t cap = deflateBound(&z, (uLong)n) + 32;
	unsigned char *out = malloc(cap);
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	*out_len = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	int mode = data[0] % 3;
	const unsigned char *body = data + 1;
	size_t n = size - 1, len = n;
	unsigned char *value = NULL, *zipped = NULL;
	if (mode == 0) {
		value = malloc(n + 1);
		memcpy(value, body, n);
	} else if (mode == 1) {
		value = b64(body, n, &len);
	} else {
		size_t zn;
		zipped = gz(body, n, &zn);
		value = b64(zipped, zn, &len);
	}
	struct arena *a = arena_new();
	struct doc_node *rel;
	if (helm_release_decode(a, (const char *)value, len, &rel) == 0 && (!rel || rel->kind != DOC_MAP))
		abort();
	arena_free(a);
	free(value);
	free(zipped);
	return 0;
}
