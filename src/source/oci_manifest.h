/*
 * OCI and Docker manifests: reading what a registry serves (an image manifest, or an image
 * index / manifest list to choose a platform from), and writing the manifest and config of
 * a Flux artifact (what `flux push artifact` writes, fluxcd/pkg oci Push).
 *
 * Read (untrusted): OCI image manifest and index (image-spec 1.1) and Docker's schema 2
 * manifest and manifest list, all `schemaVersion: 2`, parsed through doc's JSON reader
 * under caps (bytes, depth, entries per list). Every descriptor is checked: a media type,
 * a sha256 digest, a non-negative integer size; annotations must map strings to strings.
 * Docker schema 1 and other media types are refused as unsupported.
 *
 * Platform choice follows go-containerregistry's remote.Image on an index (what Flux runs):
 * the first entry whose os and architecture equal the wanted ones, and whose variant and
 * os.version equal the wanted ones when those are given; an entry without a platform counts
 * as linux/amd64; the default want is linux/amd64.
 *
 * Flux's artifact (fluxcd/pkg oci, go-containerregistry v0.21): an OCI image manifest with
 * config media type application/vnd.cncf.flux.config.v1+json, one layer of
 * application/vnd.cncf.flux.content.v1.tar+gzip, and the annotations
 * org.opencontainers.image.created / .source / .revision (plus any the caller adds), keys
 * sorted, strings quoted as Go's json.Marshal quotes them. The config is the image config
 * go-containerregistry writes for an empty image with one layer:
 *   {"architecture":"","created":"<created>","history":[{"created":"0001-01-01T00:00:00Z"}],
 *    "os":"","rootfs":{"type":"layers","diff_ids":["sha256:<uncompressed tar digest>"]},
 *    "config":{}}
 */
#ifndef TIDE_SOURCE_OCI_MANIFEST_H
#define TIDE_SOURCE_OCI_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;

#define OCI_MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define OCI_MT_INDEX "application/vnd.oci.image.index.v1+json"
#define OCI_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define OCI_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
/* The Accept header of a manifest request: the four kinds read here. */
#define OCI_MANIFEST_ACCEPT \
	OCI_MT_MANIFEST ", " OCI_MT_INDEX ", " OCI_MT_DOCKER_MANIFEST ", " OCI_MT_DOCKER_LIST

#define OCI_MT_FLUX_CONFIG "application/vnd.cncf.flux.config.v1+json"
#define OCI_MT_FLUX_CONTENT "application/vnd.cncf.flux.content.v1.tar+gzip"
#define OCI_ANN_CREATED "org.opencontainers.image.created"
#define OCI_ANN_SOURCE "org.opencontainers.image.source"
#define OCI_ANN_REVISION "org.opencontainers.image.revision"

struct oci_kv {
	const char *key;
	const char *value;
};

struct oci_platform {
	const char *os;         /* "linux"; NULL or "" = any (in a want: linux) */
	const char *arch;       /* "amd64"; in a want: amd64 */
	const char *variant;    /* "v8"; NULL or "" = not asked for */
	const char *os_version; /* NULL or "" = not asked for */
};

struct oci_descriptor {
	const char *media_type;    /* never NULL */
	const char *digest;        /* a valid sha256 digest */
	int64_t size;              /* >= 0 */
	const char *artifact_type; /* NULL when absent */
	struct oci_kv *annotations;
	size_t nannotations;
	bool has_platform;         /* index entries only */
	struct oci_platform platform;
};

enum oci_manifest_kind {
	OCI_IMAGE_MANIFEST, /* OCI image manifest or Docker schema 2 manifest */
	OCI_IMAGE_INDEX,    /* OCI image index or Docker manifest list */
};

struct oci_manifest {
	enum oci_manifest_kind kind;
	const char *media_type;    /* the effective one, one of the four OCI_MT_* above */
	const char *artifact_type; /* NULL when absent */
	struct oci_descriptor config;       /* image manifests */
	struct oci_descriptor *layers;      /* image manifests */
	size_t nlayers;
	struct oci_descriptor *manifests;   /* indexes */
	size_t nmanifests;
	struct oci_kv *annotations;
	size_t nannotations;
};

struct oci_manifest_limits {
	size_t max_bytes;   /* 0 = 4 MiB (distribution's own cap on a manifest) */
	size_t max_entries; /* layers or manifests; 0 = 1000 */
};

#define OCI_MANIFEST_MAX_DEFAULT ((size_t)4 << 20)

/* Parses data[0..len) into *out (everything in a). The kind comes from the document's
 * mediaType, else from content_type (the response's Content-Type, parameters ignored; may
 * be NULL), else from its shape ("manifests" means an index); a Content-Type of one of the
 * four kinds that contradicts the document's mediaType is refused. ERR_INVALID for a
 * malformed manifest (the message says which field), ERR_UNSUPPORTED for Docker schema 1,
 * another media type or schemaVersion, or a digest that is not sha256, ERR_TOOBIG past a
 * cap. lim may be NULL. */
int oci_manifest_parse(struct arena *a, const char *data, size_t len, const char *content_type,
		       const struct oci_manifest_limits *lim, struct oci_manifest **out);

/* The entry of index idx for want (NULL: linux/amd64), by the rule above, or NULL. */
const struct oci_descriptor *oci_index_select(const struct oci_manifest *idx,
					      const struct oci_platform *want);

/* The value of key in kv[0..n), or NULL. */
const char *oci_kv_get(const struct oci_kv *kv, size_t n, const char *key);

/* Appends the config JSON of a Flux artifact (see above). created is RFC 3339; diff_id the
 * "sha256:<hex>" of the uncompressed layer. */
void oci_flux_config_json(struct buf *out, const char *created, const char *diff_id);

/* Appends an OCI image manifest (mediaType OCI_MT_MANIFEST) with config, the nlayers
 * layers and the annotations (sorted by key; for a repeated key the last value wins; none:
 * no "annotations" member), written as go-containerregistry writes it. Descriptor
 * annotations are written the same way (cosign's signature layers carry theirs);
 * platforms and artifact types are not. */
void oci_manifest_json(struct buf *out, const struct oci_descriptor *config,
		       const struct oci_descriptor *layers, size_t nlayers,
		       const struct oci_kv *annotations, size_t nannotations);

#endif
