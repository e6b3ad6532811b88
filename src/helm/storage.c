/* Helm release records; see storage.h. */
#include "helm/storage.h"

#include <string.h>
#include <zlib.h>

#include "doc/doc.h"
#include "util/base64.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define RELEASE_MAX (64u << 20)

const char *helm_storage_name(struct arena *a, const char *release, long version)
{
	return arena_sprintf(a, "sh.helm.release.v1.%s.v%ld", release, version);
}

/* gzip stream in[0..n) inflated into out, at most RELEASE_MAX bytes. */
static int gunzip(struct buf *out, const unsigned char *in, size_t n)
{
	z_stream z = { 0 };
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return err_set(ERR_GENERIC, "helm release: zlib could not be initialised");
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)n;
	unsigned char chunk[16384];
	int zr;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END) {
			inflateEnd(&z);
			return err_set(ERR_INVALID, "helm release: gzip: %s", zr == Z_BUF_ERROR ? "unexpected EOF" : "invalid data");
		}
		buf_add(out, chunk, sizeof(chunk) - z.avail_out);
		if (out->len > RELEASE_MAX) {
			inflateEnd(&z);
			return err_set(ERR_TOOBIG, "helm release: larger than %u MiB once decompressed", RELEASE_MAX >> 20);
		}
	} while (zr != Z_STREAM_END);
	inflateEnd(&z);
	return out->err ? err_set(ERR_TOOBIG, "helm release: out of memory") : 0;
}

int helm_release_decode(struct arena *a, const char *value, size_t len, struct doc_node **out)
{
	*out = NULL;
	if (len > RELEASE_MAX)
		return err_set(ERR_TOOBIG, "helm release: record larger than %u MiB", RELEASE_MAX >> 20);
	struct buf raw = BUF_INIT, json = BUF_INIT;
	int rc = base64_decode(&raw, value, len);
	if (rc) {
		rc = err_set(ERR_INVALID, "helm release: illegal base64 data");
		goto out;
	}
	static const unsigned char magic[3] = { 0x1f, 0x8b, 0x08 };
	const char *text = raw.ptr ? raw.ptr : "";
	size_t text_len = raw.len;
	if (raw.len >= 3 && !memcmp(raw.ptr, magic, 3)) {
		if ((rc = gunzip(&json, (const unsigned char *)raw.ptr, raw.len)))
			goto out;
		text = json.ptr ? json.ptr : "";
		text_len = json.len;
	}
	struct doc_limits lim = { .max_bytes = RELEASE_MAX + 1 };
	rc = doc_parse_json(a, "helm release", text, text_len, &lim, out);
	if (!rc && (*out)->kind != DOC_MAP)
		rc = err_set(ERR_INVALID, "helm release: not a JSON object");
	if (rc)
		*out = NULL;
out:
	buf_release(&raw);
	buf_release(&json);
	return rc;
}
