/*
 * Manifests compiled into the binary from manifests/ (see scripts/embed-manifests):
 * manifests/crds/ holds Flux's CRDs, manifests/install/ the objects
 * `tide install` adds around them (namespace, RBAC, the controller Deployment).
 */
#ifndef TIDE_CLI_MANIFESTS_H
#define TIDE_CLI_MANIFESTS_H

#include <stddef.h>

struct embedded_manifest {
	const char *name; /* path below manifests/, e.g. "crds/x.yaml" */
	const char *data; /* NUL-terminated */
	size_t len;
};

extern const struct embedded_manifest embedded_manifests[];
extern const size_t embedded_manifests_len;

#endif
