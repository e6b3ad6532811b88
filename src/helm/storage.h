/*
 * Helm 3's release records as its Secret storage driver keeps them (helm's pkg/storage/driver):
 * one Secret per revision, named sh.helm.release.v1.<release>.v<version>, type
 * helm.sh/release.v1, whose `release` value is base64 (standard alphabet) of the gzipped JSON
 * of the release ({name, namespace, version, manifest, info, chart, config, ...}). Readers
 * such as `tide tree` decode them; the Helm engine will write them.
 */
#ifndef TIDE_HELM_STORAGE_H
#define TIDE_HELM_STORAGE_H

#include <stddef.h>

struct arena;
struct doc_node;

/* The storage Secret's name of a release's revision. Allocated in a. */
const char *helm_storage_name(struct arena *a, const char *release, long version);

/* Decodes a `release` value (the Secret's data bytes, i.e. the base64 text) into the
 * release's JSON document in a. A value that is not gzipped after base64 is taken as plain
 * JSON, as helm does. ERR_INVALID with a message saying which layer is malformed,
 * ERR_TOOBIG when the record expands past 64 MiB. */
int helm_release_decode(struct arena *a, const char *value, size_t len, struct doc_node **out);

#endif
