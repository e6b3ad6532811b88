/*
 * libFuzzer target: an OCI/Docker manifest or index as a registry serves it (untrusted). The
 * first byte picks the Content-Type passed with it; the rest is the body. Nothing may crash;
 * the result is 0 or a documented error; a parsed image manifest's descriptors are valid,
 * and a parsed index answers a platform choice with one of its entries. A parsed manifest
 * written back by oci_manifest_json must parse again with the same descriptors.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source/oci_manifest.h"
#include "source/oci_ref.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const types[] = {
	NULL, OCI_MT_MANIFEST, OCI_MT_INDEX, OCI_MT_DOCKER_MANIFEST, OCI_MT_DOCKER_LIST,
	"application/json", "application/vnd.docker.distribution.manifest.v1+prettyjws",
	OCI_MT_INDEX "; charset=utf-8",
};

static void check_desc(const struct oci_descriptor *d)
{
	if (!d->media_type || !oci_digest_valid(d->digest) || d->size < 0)
		abort();
	for (size_t i = 0; i < d->nannotations; i++)
		if (!d->annotations[i].key || !d->annotations[i].value)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > (1 << 16))
		return 0;
	const char *ct = types[data[0] % (sizeof(types) / sizeof(types[0]))];
	struct arena *a = arena_new();
	struct oci_manifest *m = NULL;
	struct oci_manifest_limits lim = { .max_entries = 64 };
	int rc = oci_manifest_parse(a, (const char *)data + 1, size - 1, ct, &lim, &m);
	if (rc && rc != ERR_INVALID && rc != ERR_UNSUPPORTED && rc != ERR_TOOBIG)
		abort();
	if (!rc) {
		if (m->kind == OCI_IMAGE_INDEX) {
			for (size_t i = 0; i < m->nmanifests; i++)
				check_desc(&m->manifests[i]);
			const struct oci_descriptor *d = oci_index_select(m, NULL);
			if (d && (d < m->manifests || d >= m->manifests + m->nmanifests))
				abort();
		} else {
			check_desc(&m->config);
			for (size_t i = 0; i < m->nlayers; i++)
				check_desc(&m->layers[i]);
			struct buf b = BUF_INIT;
			oci_manifest_json(&b, &m->config, m->layers, m->nlayers, m->annotations,
					  m->nannotations);
			struct oci_manifest *again = NULL;
			if (oci_manifest_parse(a, b.ptr, b.len, NULL, &lim, &again) != 0 ||
			    again->nlayers != m->nlayers ||
			    strcmp(again->config.digest, m->config.digest) != 0)
				abort();
			for (size_t i = 0; i < m->nlayers; i++)
				if (again->layers[i].size != m->layers[i].size ||
				    strcmp(again->layers[i].media_type, m->layers[i].media_type) != 0)
					abort();
			buf_release(&b);
		}
	}
	arena_free(a);
	return 0;
}
