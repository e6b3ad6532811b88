/*
 * Manifest and index parsing, platform choice, and the JSON of a Flux artifact's manifest and
 * config; see oci_manifest.h. The parser reads the doc tree of the JSON and copies nothing it
 * need not: strings stay in the arena the tree lives in.
 */
#include "source/oci_manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc/doc.h"
#include "source/oci_ref.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/json_escape.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char *const known_types[] = {
	OCI_MT_MANIFEST, OCI_MT_INDEX, OCI_MT_DOCKER_MANIFEST, OCI_MT_DOCKER_LIST,
};

/* The known media type equal to s[0..n) (any case), or NULL. */
static const char *known_type(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(known_types) / sizeof(known_types[0]); i++)
		if (strlen(known_types[i]) == n && strncasecmp(known_types[i], s, n) == 0)
			return known_types[i];
	return NULL;
}

static bool is_schema1(const char *s, size_t n)
{
	static const char p[] = "application/vnd.docker.distribution.manifest.v1+";
	return n >= sizeof(p) - 1 && strncasecmp(s, p, sizeof(p) - 1) == 0;
}

static bool type_is_index(const char *t)
{
	return t == known_types[1] || t == known_types[3];
}

static int get_str(const struct doc_node *m, const char *key, const char *where, bool required,
		   const char **out)
{
	*out = NULL;
	const struct doc_node *v = doc_map_get(m, key);
	if (!v || v->kind == DOC_NULL) {
		if (required)
			return err_set(ERR_INVALID, "manifest: %s: missing '%s'", where, key);
		return 0;
	}
	if (v->kind != DOC_STR)
		return err_set(ERR_INVALID, "manifest: %s: '%s' is not a string", where, key);
	*out = v->u.str.ptr;
	return 0;
}

static int parse_kv(struct arena *a, const struct doc_node *m, const char *where, size_t max,
		    struct oci_kv **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	const struct doc_node *v = doc_map_get(m, "annotations");
	if (!v || v->kind == DOC_NULL)
		return 0;
	if (v->kind != DOC_MAP)
		return err_set(ERR_INVALID, "manifest: %s: 'annotations' is not an object", where);
	if (v->u.map.len > max)
		return err_set(ERR_TOOBIG, "manifest: %s: more than %zu annotations", where, max);
	struct oci_kv *kv = arena_alloc(a, (v->u.map.len ? v->u.map.len : 1) * sizeof(*kv));
	for (size_t i = 0; i < v->u.map.len; i++) {
		const struct doc_pair *p = &v->u.map.items[i];
		if (!p->value || p->value->kind != DOC_STR)
			return err_set(ERR_INVALID, "manifest: %s: annotation '%.100s' is not a string",
				       where, p->key);
		kv[i].key = p->key;
		kv[i].value = p->value->u.str.ptr;
	}
	*out = kv;
	*n = v->u.map.len;
	return 0;
}

static int parse_descriptor(struct arena *a, const struct doc_node *d, const char *where,
			    bool platform, size_t max, struct oci_descriptor *out)
{
	memset(out, 0, sizeof(*out));
	if (!d || d->kind != DOC_MAP)
		return err_set(ERR_INVALID, "manifest: %s is not an object", where);
	int rc = get_str(d, "mediaType", where, true, &out->media_type);
	if (!rc)
		rc = get_str(d, "digest", where, true, &out->digest);
	if (!rc)
		rc = get_str(d, "artifactType", where, false, &out->artifact_type);
	if (rc)
		return rc;
	if (!out->media_type[0])
		return err_set(ERR_INVALID, "manifest: %s: empty 'mediaType'", where);
	rc = oci_digest_check(where, out->digest, strlen(out->digest));
	if (rc)
		return err_wrap(rc, "manifest");
	const struct doc_node *size = doc_map_get(d, "size");
	if (!size)
		return err_set(ERR_INVALID, "manifest: %s: missing 'size'", where);
	if (size->kind != DOC_INT || doc_int64(size, &out->size) || out->size < 0)
		return err_set(ERR_INVALID, "manifest: %s: 'size' is not a non-negative integer", where);
	rc = parse_kv(a, d, where, max, &out->annotations, &out->nannotations);
	if (rc || !platform)
		return rc;
	const struct doc_node *p = doc_map_get(d, "platform");
	if (!p || p->kind == DOC_NULL)
		return 0;
	if (p->kind != DOC_MAP)
		return err_set(ERR_INVALID, "manifest: %s: 'platform' is not an object", where);
	out->has_platform = true;
	rc = get_str(p, "os", where, false, &out->platform.os);
	if (!rc)
		rc = get_str(p, "architecture", where, false, &out->platform.arch);
	if (!rc)
		rc = get_str(p, "variant", where, false, &out->platform.variant);
	if (!rc)
		rc = get_str(p, "os.version", where, false, &out->platform.os_version);
	return rc;
}

static int parse_list(struct arena *a, const struct doc_node *m, const char *key, bool required,
		      bool platform, size_t max, struct oci_descriptor **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	const struct doc_node *v = doc_map_get(m, key);
	if (!v || v->kind == DOC_NULL) {
		if (required)
			return err_set(ERR_INVALID, "manifest: missing '%s'", key);
		return 0;
	}
	if (v->kind != DOC_SEQ)
		return err_set(ERR_INVALID, "manifest: '%s' is not an array", key);
	if (v->u.seq.len > max)
		return err_set(ERR_TOOBIG, "manifest: more than %zu %s", max, key);
	struct oci_descriptor *d = arena_alloc(a, (v->u.seq.len ? v->u.seq.len : 1) * sizeof(*d));
	for (size_t i = 0; i < v->u.seq.len; i++) {
		char where[48];
		snprintf(where, sizeof(where), "%s[%zu]", key, i);
		int rc = parse_descriptor(a, v->u.seq.items[i], where, platform, max, &d[i]);
		if (rc)
			return rc;
	}
	*out = d;
	*n = v->u.seq.len;
	return 0;
}

int oci_manifest_parse(struct arena *a, const char *data, size_t len, const char *content_type,
		       const struct oci_manifest_limits *lim, struct oci_manifest **out)
{
	*out = NULL;
	size_t max_bytes = lim && lim->max_bytes ? lim->max_bytes : OCI_MANIFEST_MAX_DEFAULT;
	size_t max_entries = lim && lim->max_entries ? lim->max_entries : 1000;
	if (len > max_bytes)
		return err_set(ERR_TOOBIG, "manifest larger than %zu bytes", max_bytes);
	struct doc_limits dl = { .max_bytes = max_bytes, .max_depth = 32,
				 .max_nodes = 16 * max_entries + 10000 };
	struct doc_node *root = NULL;
	int rc = doc_parse_json(a, "manifest", data, len, &dl, &root);
	if (rc)
		return rc;
	if (root->kind != DOC_MAP)
		return err_set(ERR_INVALID, "manifest: expected a JSON object");

	/* the media type: the document's, else the Content-Type's, else by shape */
	const char *doc_mt = NULL, *ct_mt = NULL, *mt = NULL;
	rc = get_str(root, "mediaType", "manifest", false, &doc_mt);
	if (rc)
		return rc;
	size_t ctn = 0;
	if (content_type) {
		while (*content_type == ' ')
			content_type++;
		ctn = strcspn(content_type, "; \t");
		ct_mt = known_type(content_type, ctn);
	}
	if (doc_mt && doc_mt[0]) {
		size_t dn = strlen(doc_mt);
		mt = known_type(doc_mt, dn);
		if (!mt && is_schema1(doc_mt, dn))
			return err_set(ERR_UNSUPPORTED, "Docker schema 1 manifests are not supported");
		if (!mt)
			return err_set(ERR_UNSUPPORTED, "unsupported manifest media type '%.200s'", doc_mt);
		if (ct_mt && type_is_index(ct_mt) != type_is_index(mt))
			return err_set(ERR_INVALID,
				       "manifest media type '%s' does not match the content type '%s'",
				       mt, ct_mt);
	} else if (ct_mt) {
		mt = ct_mt;
	} else if (content_type && is_schema1(content_type, ctn)) {
		return err_set(ERR_UNSUPPORTED, "Docker schema 1 manifests are not supported");
	} else {
		mt = doc_map_get(root, "manifests") ? OCI_MT_INDEX : OCI_MT_MANIFEST;
	}

	const struct doc_node *sv = doc_map_get(root, "schemaVersion");
	int64_t version = 0;
	if (!sv)
		return err_set(ERR_INVALID, "manifest: missing 'schemaVersion'");
	if (sv->kind != DOC_INT || doc_int64(sv, &version))
		return err_set(ERR_INVALID, "manifest: 'schemaVersion' is not an integer");
	if (version == 1)
		return err_set(ERR_UNSUPPORTED, "Docker schema 1 manifests are not supported");
	if (version != 2)
		return err_set(ERR_UNSUPPORTED, "unsupported manifest schemaVersion %lld",
			       (long long)version);

	struct oci_manifest *m = arena_alloc(a, sizeof(*m));
	m->media_type = mt;
	m->kind = type_is_index(mt) ? OCI_IMAGE_INDEX : OCI_IMAGE_MANIFEST;
	rc = get_str(root, "artifactType", "manifest", false, &m->artifact_type);
	if (!rc)
		rc = parse_kv(a, root, "manifest", max_entries, &m->annotations, &m->nannotations);
	if (rc)
		return rc;
	if (m->kind == OCI_IMAGE_INDEX) {
		rc = parse_list(a, root, "manifests", true, true, max_entries, &m->manifests,
				&m->nmanifests);
	} else {
		const struct doc_node *cfg = doc_map_get(root, "config");
		if (!cfg)
			return err_set(ERR_INVALID, "manifest: missing 'config'");
		rc = parse_descriptor(a, cfg, "config", false, max_entries, &m->config);
		if (!rc)
			rc = parse_list(a, root, "layers", false, false, max_entries, &m->layers,
					&m->nlayers);
	}
	if (rc)
		return rc;
	*out = m;
	return 0;
}

static bool empty(const char *s) { return !s || !*s; }

static bool str_eq(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

const struct oci_descriptor *oci_index_select(const struct oci_manifest *idx,
					      const struct oci_platform *want)
{
	if (!idx || idx->kind != OCI_IMAGE_INDEX)
		return NULL;
	const char *os = want && !empty(want->os) ? want->os : "linux";
	const char *arch = want && !empty(want->arch) ? want->arch : "amd64";
	for (size_t i = 0; i < idx->nmanifests; i++) {
		const struct oci_descriptor *d = &idx->manifests[i];
		struct oci_platform have = { "linux", "amd64", NULL, NULL };
		if (d->has_platform)
			have = d->platform;
		if (!str_eq(have.os, os) || !str_eq(have.arch, arch))
			continue;
		if (want && !empty(want->variant) && !str_eq(have.variant, want->variant))
			continue;
		if (want && !empty(want->os_version) && !str_eq(have.os_version, want->os_version))
			continue;
		return d;
	}
	return NULL;
}

const char *oci_kv_get(const struct oci_kv *kv, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].value;
	return NULL;
}

/* ---- Writing -----------------------------------------------------------------------------*/

static void jstr(struct buf *out, const char *s)
{
	json_escape_go(out, s, strlen(s));
}

void oci_flux_config_json(struct buf *out, const char *created, const char *diff_id)
{
	buf_adds(out, "{\"architecture\":\"\",\"created\":");
	jstr(out, created);
	buf_adds(out, ",\"history\":[{\"created\":\"0001-01-01T00:00:00Z\"}],\"os\":\"\","
		      "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
	jstr(out, diff_id);
	buf_adds(out, "]},\"config\":{}}");
}

struct kv_sorted {
	const struct oci_kv *kv;
	size_t order;
};

static int kv_cmp(const void *a, const void *b)
{
	const struct kv_sorted *x = a, *y = b;
	int c = strcmp(x->kv->key, y->kv->key);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* ,"annotations":{...} with the keys sorted (Go's json.Marshal of a map), the last value
 * of a repeated key winning; nothing when n is 0. */
static void annotations_json(struct buf *out, const struct oci_kv *kv, size_t n)
{
	if (!n)
		return;
	struct kv_sorted *s = xcalloc(n, sizeof(*s));
	for (size_t i = 0; i < n; i++) {
		s[i].kv = &kv[i];
		s[i].order = i;
	}
	qsort(s, n, sizeof(*s), kv_cmp);
	buf_adds(out, ",\"annotations\":{");
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && strcmp(s[i].kv->key, s[i + 1].kv->key) == 0)
			continue;
		if (!first)
			buf_addch(out, ',');
		first = false;
		jstr(out, s[i].kv->key);
		buf_addch(out, ':');
		jstr(out, s[i].kv->value ? s[i].kv->value : "");
	}
	buf_addch(out, '}');
	free(s);
}

/* A descriptor as go-containerregistry's v1.Descriptor marshals: mediaType, size, digest,
 * annotations (cosign keeps its signature there). */
static void descriptor_json(struct buf *out, const struct oci_descriptor *d)
{
	buf_adds(out, "{\"mediaType\":");
	jstr(out, d->media_type);
	buf_addf(out, ",\"size\":%lld,\"digest\":", (long long)d->size);
	jstr(out, d->digest);
	annotations_json(out, d->annotations, d->nannotations);
	buf_addch(out, '}');
}

void oci_manifest_json(struct buf *out, const struct oci_descriptor *config,
		       const struct oci_descriptor *layers, size_t nlayers,
		       const struct oci_kv *annotations, size_t nannotations)
{
	buf_adds(out, "{\"schemaVersion\":2,\"mediaType\":\"" OCI_MT_MANIFEST "\",\"config\":");
	descriptor_json(out, config);
	buf_adds(out, ",\"layers\":[");
	for (size_t i = 0; i < nlayers; i++) {
		if (i)
			buf_addch(out, ',');
		descriptor_json(out, &layers[i]);
	}
	buf_addch(out, ']');
	annotations_json(out, annotations, nannotations);
	buf_addch(out, '}');
}
