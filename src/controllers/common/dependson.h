/*
 * spec.dependsOn, as Flux's kustomize- and helm-controller check it: every object named
 * must exist, have reconciled its latest generation (status.observedGeneration equal to
 * metadata.generation, with conditions) and be Ready. The kind of the dependencies is the
 * caller's (a Kustomization depends on Kustomizations, a HelmRelease on HelmReleases).
 *
 * NEEDSWORK: Flux's kustomize-controller also holds back a Kustomization whose dependency
 * uses the same source and has not applied that source's current revision yet; tide does
 * not check it (kind-specific: it belongs with the caller, after this check).
 */
#ifndef TIDE_CONTROLLERS_COMMON_DEPENDSON_H
#define TIDE_CONTROLLERS_COMMON_DEPENDSON_H

#include <stddef.h>

struct arena;
struct doc_node;
struct rt_reconcile;

struct ctl_dependency {
	const char *namespace; /* the dependent's when the entry names none */
	const char *name;
};

/* Decodes a dependsOn list ([{name, namespace?}]; NULL or not a sequence: none) into *out
 * (in a; entries without a name are skipped, as before). Strings borrow from list. */
void ctl_dependson_decode(struct arena *a, const struct doc_node *list, const char *default_ns,
			  struct ctl_dependency **out, size_t *n);

/* 0 when every dependency is ready. Otherwise the first that is not, with Flux's message:
 * ERR_NOTFOUND "dependency 'NS/NAME' not found: ..." or ERR_UNAVAIL "dependency 'NS/NAME'
 * is not ready". */
int ctl_dependson_check(struct rt_reconcile *r, const char *api_version, const char *kind,
			const struct ctl_dependency *deps, size_t n);

#endif
