/*
 * What the files of the apply engine share; not part of the public API.
 */
#ifndef TIDE_APPLY_INTERNAL_H
#define TIDE_APPLY_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>

#include "apply/apply.h"

struct kube_opts;
struct kube_resource;

struct apply_manager {
	struct kube_client *client;
	struct apply_opts opts;   /* defaults filled in */
	atomic_ulong writes;
	/* "<group>/name", "<group>/namespace", "<group>/ssa", ... built once */
	char label_name[128], label_namespace[128];
	char key_ssa[128], key_reconcile[128], key_prune[128], key_force[128];
};

/* Whether obj's labels or annotations hold key with value (utils.AnyInMetadata for one
 * pair). */
bool apply_meta_has(const struct doc_node *obj, const char *key, const char *value);

/* "<subject>" for messages, from an object (falls back to kind/name). */
const char *apply_obj_subject(struct arena *a, const struct doc_node *obj);

/* Monotonic milliseconds. */

#endif
