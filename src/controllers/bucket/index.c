/*
 * The Bucket's index of object keys and their ETags, and the revision Flux computes from it
 * (source-controller internal/index Digester.Digest): the keys sorted in byte order (Go's
 * sort.Strings), one "key etag\n" line each fed to sha256, written "sha256:<hex>". The same
 * objects with the same ETags give the same revision, whatever order the server lists them
 * in; an empty bucket gives the digest of nothing (sha256:e3b0c442...).
 *
 * Also the check that a key, used as a path under the scratch directory, stays inside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controllers/bucket/bucket.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include "util/banned.h"

static int by_key(const void *x, const void *y)
{
	const struct bucket_entry *a = x, *b = y;
	return strcmp(a->key, b->key);
}

void bucket_index_add(struct bucket_index *ix, const char *key, const char *etag, int64_t size)
{
	/* S3 lists each key once; a replacement only comes from a download that saw a new
	 * ETag, so a linear search on that rare path is enough */
	for (size_t i = 0; i < ix->n; i++)
		if (!strcmp(ix->e[i].key, key)) {
			free(ix->e[i].etag);
			ix->e[i].etag = xstrdup(etag);
			ix->e[i].size = size;
			return;
		}
	if (ix->n == ix->cap) {
		ix->cap = ix->cap ? ix->cap * 2 : 64;
		ix->e = xrealloc(ix->e, ix->cap * sizeof(*ix->e));
	}
	ix->e[ix->n++] = (struct bucket_entry){ xstrdup(key), xstrdup(etag), size };
}

void bucket_index_sort(struct bucket_index *ix)
{
	if (ix->n > 1)
		qsort(ix->e, ix->n, sizeof(*ix->e), by_key);
}

void bucket_index_digest(const struct bucket_index *ix, char out[72])
{
	struct sha256 s;
	sha256_init(&s);
	for (size_t i = 0; i < ix->n; i++) {
		sha256_update(&s, ix->e[i].key, strlen(ix->e[i].key));
		sha256_update(&s, " ", 1);
		sha256_update(&s, ix->e[i].etag, strlen(ix->e[i].etag));
		sha256_update(&s, "\n", 1);
	}
	unsigned char md[32];
	sha256_final(&s, md);
	memcpy(out, "sha256:", 7);
	for (size_t i = 0; i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
}

void bucket_index_release(struct bucket_index *ix)
{
	for (size_t i = 0; i < ix->n; i++) {
		free(ix->e[i].key);
		free(ix->e[i].etag);
	}
	free(ix->e);
	*ix = (struct bucket_index){ 0 };
}

bool bucket_key_is_safe(const char *key)
{
	if (!key || !*key || *key == '/')
		return false;
	for (const char *p = key; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	for (const char *seg = key;;) {
		size_t n = strcspn(seg, "/");
		if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		if (!seg[n])
			return true;
		seg += n + 1;
	}
}
