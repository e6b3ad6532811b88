/*
 * The pull, as the second half of Flux's reconcileSource: the manifest of the resolved
 * digest (an index resolved to its linux/amd64 entry, as go-containerregistry's
 * remote.Image does), its annotations kept as the artifact's metadata, the layer of
 * spec.layerSelector.mediaType (else the first), downloaded into the scratch directory with
 * its digest and size checked while it streams, then unpacked (extract: files and
 * directories only, confined, capped) or kept as it is (copy).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "controllers/ocirepository/ocirepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/untar.h"
#include "util/banned.h"

static int failed(struct ocirepo *o, const char *reason, int rc, const char *msg)
{
	ocirepo_mark_failed(o, COND_FETCH_FAILED, reason, msg);
	return err_set(rc ? rc : ERR_GENERIC, "%s", msg);
}

static struct doc_node *annotations_map(struct arena *a, const struct oci_manifest *m)
{
	if (!m->nannotations)
		return NULL;
	struct doc_node *map = doc_new_map(a);
	for (size_t i = 0; i < m->nannotations; i++)
		doc_map_set(a, map, m->annotations[i].key, doc_new_str(a, m->annotations[i].value));
	return map;
}

static const struct oci_descriptor *select_layer(struct ocirepo *o, const struct oci_manifest *m,
						 const char **why)
{
	if (!m->nlayers) {
		*why = "no layers found in artifact";
		return NULL;
	}
	if (!o->spec.media_type)
		return &m->layers[0];
	for (size_t i = 0; i < m->nlayers; i++)
		if (!strcmp(m->layers[i].media_type, o->spec.media_type))
			return &m->layers[i];
	*why = arena_sprintf(o->a, "failed to find layer with media type '%s' in artifact",
			     o->spec.media_type);
	return NULL;
}

int ocirepo_pull(struct ocirepo *o)
{
	const struct ocirepo_spec *s = &o->spec;
	if (s->operation && strcmp(s->operation, "extract") && strcmp(s->operation, "copy"))
		return failed(o, REASON_LAYER_FAILED, ERR_INVALID,
			      arena_sprintf(o->a, "unsupported layer operation: %s", s->operation));
	struct oci_resolved res;
	int rc = oci_resolve(o->client, o->url.repo, o->digest, NULL, o->a, &res);
	if (rc)
		return failed(o, REASON_PULL_FAILED, rc,
			      arena_sprintf(o->a, "failed to pull artifact from '%s': %s", s->url, err_msg()));
	o->metadata = annotations_map(o->a, res.manifest);
	const char *why = NULL;
	const struct oci_descriptor *layer = select_layer(o, res.manifest, &why);
	if (!layer)
		return failed(o, REASON_LAYER_FAILED, ERR_NOTFOUND, why);

	const char *blob = arena_sprintf(o->a, "%s/layer.tgz", o->dir);
	rc = oci_blob_get(o->client, o->url.repo, layer->digest, layer->size, OCIREPO_MAX_LAYER_BYTES,
			  blob);
	if (rc)
		return failed(o, REASON_LAYER_FAILED, rc,
			      arena_sprintf(o->a, s->copy ? "failed to copy layer from artifact: %s"
							  : "failed to extract layer contents from artifact: %s",
					    err_msg()));
	if (s->copy) {
		o->content = blob;
		rt_cond_delete(o->obj, COND_FETCH_FAILED);
		return 0;
	}
	const char *content = arena_sprintf(o->a, "%s/content", o->dir);
	if (mkdir(content, 0755) != 0)
		return failed(o, REASON_LAYER_FAILED, ERR_IO,
			      arena_sprintf(o->a, "failed to extract layer contents from artifact: mkdir: %s",
					    strerror(errno)));
	struct untar_limits lim = { OCIREPO_MAX_UNPACKED_BYTES, OCIREPO_MAX_FILES };
	rc = untar_file_to_dir(blob, content, &lim);
	unlink(blob);
	if (rc)
		return failed(o, REASON_LAYER_FAILED, rc,
			      arena_sprintf(o->a, "failed to extract layer contents from artifact: %s",
					    err_msg()));
	o->content = content;
	rt_cond_delete(o->obj, COND_FETCH_FAILED);
	return 0;
}
