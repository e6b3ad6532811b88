/*
 * What the files of the apply engine share; not part of the public API.
 */
#ifndef TIDE_APPLY_INTERNAL_H
#define TIDE_APPLY_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "apply/apply.h"

struct arena;
struct doc_node;
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

/* Threads of one step: the API server, not the client, is the bottleneck beyond a few. */
enum { APPLY_CONCURRENCY = 8, APPLY_MAX_CONCURRENCY = 32 };

/* manager.c. The string at obj's map `where` ("metadata.labels", "metadata.annotations")
 * under key, or NULL. Borrowed from obj. */
const char *apply_meta_value(const struct doc_node *obj, const char *where, const char *key);

/* Whether obj's labels or annotations hold key with value (utils.AnyInMetadata for one
 * pair). */
bool apply_meta_has(const struct doc_node *obj, const char *key, const char *value);

/* "<subject>" for messages, from an object (falls back to kind/name). */
const char *apply_obj_subject(struct arena *a, const struct doc_node *obj);

/* normalize.c. normalize.Unstructured in place (allocating in a): the TCP default of ports,
 * Secrets' stringData folded into data, no status and no creationTimestamp. */
void apply_normalize(struct arena *a, struct doc_node *obj, const struct apply_ref *r);

/* cleanup.c. The JSON patch (in a) for Flux's metadata cleanup of live, or NULL when there is
 * nothing to do. */
const char *apply_cleanup_patch(struct arena *a, const struct apply_manager *m,
				const struct doc_node *live);

/* diff.c. ssa hasDrifted: whether the dry-run result differs from the live object in labels,
 * annotations, or anything but metadata and status. */
bool apply_drifted(const struct doc_node *live, const struct doc_node *dry);

/* apply.c. One stage (sorted, prepared, read, decided, dry-run, applied), its entries added to
 * out; 0 or the first object's error. With diff_live (apply_diff), nothing is applied and
 * the live and dry-run objects of the entries are cloned into diff_live[i], diff_merged[i]
 * (NULL where the entry did not drift). */
int apply_stage(struct apply_changeset *out, struct apply_manager *m, struct arena *a,
		struct doc_node **objs, size_t n, struct doc_node **diff_live,
		struct doc_node **diff_merged);

#endif
