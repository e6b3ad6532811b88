/*
 * The REST mapper: kind <-> resource, from the API server's discovery documents (/api,
 * /apis and /apis/<group>/<version>), cached in the client (shared by clients made from one
 * another) and fetched lazily, one group-version at a time. An unknown kind or version
 * refreshes the cache once (a CRD may just have been installed) before failing.
 * Thread-safe.
 */
#ifndef TIDE_KUBE_MAPPER_H
#define TIDE_KUBE_MAPPER_H

struct kube_client;
struct kube_resource;

/* The resource for kind in api_version: "v1", "apps/v1", or a group alone ("apps",
 * "" for core) meaning the group's preferred version. *out is borrowed from the client's
 * cache. ERR_NOTFOUND `no matches for kind "X" in version "g/v"` as kubectl says;
 * transport errors as kube_request. */
int kube_mapper_find(const struct kube_resource **out, struct kube_client *c,
		     const char *api_version, const char *kind);

/* The resource kubectl would pick for name in `kubectl get <name>`: a plural, singular,
 * short name or kind, case-insensitive, optionally qualified as "<name>.<group>" or
 * "<name>.<version>.<group>"; core and then the groups in discovery order, each in its
 * preferred version. ERR_NOTFOUND `the server doesn't have a resource type "x"`. */
int kube_mapper_find_name(const struct kube_resource **out, struct kube_client *c,
			  const char *name);

/* Drops what discovery knew (after installing or removing CRDs). Pointers handed out
 * earlier stay valid. */
void kube_mapper_reset(struct kube_client *c);

#endif
