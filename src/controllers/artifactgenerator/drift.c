/*
 * Drift detection (source-watcher internal/controller/artifactgenerator_drift.go): a
 * generator rebuilds only when its last reconcile failed, its spec changed, a source has a
 * new artifact, the number of artifacts changed, an artifact is missing from storage or no
 * longer matches its digest (it is removed then, never served again), or the
 * ExternalArtifacts labelled as its own are not exactly its inventory. Otherwise nothing is
 * downloaded or written.
 */
#include <stdlib.h>
#include <string.h>

#include "controllers/artifactgenerator/ag.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "source/storage.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/log.h"
#include "util/banned.h"

static const char *storage_drift(struct ag *g)
{
	struct storage *s = g->ctl->st;
	for (size_t i = 0; i < g->ninventory; i++) {
		const struct ag_ref *e = &g->inventory[i];
		const struct storage_object sobj = { EA_KIND, e->namespace, e->name };
		char *rel = storage_artifact_path(&sobj, e->filename);
		const char *path = arena_strdup(g->a, rel);
		free(rel);
		const char *id = arena_sprintf(g->a, "%s/%s/%s", EA_KIND, e->namespace, e->name);
		if (!storage_owns_path(&sobj, path) || !storage_exists(s, path)) {
			rt_log(g->r, LOG_DEBUG, "Drift detected, artifact missing from storage", "artifact", id, "path",
			       path, NULL);
			return "ArtifactMissing";
		}
		if (storage_verify(s, path, e->digest, -1)) {
			rt_log(g->r, LOG_ERROR, "Artifact integrity verification failed, deleting corrupted artifact",
			       "artifact", id, "error", err_msg(), NULL);
			struct storage_lock *lock = NULL;
			if (storage_lock(s, &sobj, false, &lock) || storage_remove(s, path))
				rt_log(g->r, LOG_ERROR, "Failed to remove corrupted artifact from storage", "artifact", id,
				       "error", err_msg(), NULL);
			storage_unlock(lock);
			err_clear();
			return "ArtifactCorrupted";
		}
	}
	return NULL;
}

/* detectExternalArtifactsDrift */
static const char *objects_drift(struct ag *g)
{
	struct doc_node *list = NULL;
	if (ag_ea_list(g, &list)) {
		rt_log(g->r, LOG_ERROR, "Failed to verify in-cluster external artifacts for drift", "error",
		       arena_sprintf(g->a, "error listing external artifacts: %s", err_msg()), NULL);
		err_clear();
		return "ExternalArtifactsNotFound";
	}
	const struct doc_node *items = doc_map_get(list, "items");
	size_t n = items && items->kind == DOC_SEQ ? items->u.seq.len : 0;
	if (n != g->ninventory)
		return "ExternalArtifactsChanged";
	for (size_t i = 0; i < n; i++) {
		const struct doc_node *it = items->u.seq.items[i];
		const char *name = doc_get_str(it, "metadata.name"), *ns = doc_get_str(it, "metadata.namespace");
		const char *digest = doc_get_str(it, "status.artifact.digest");
		if (!name || !ns || !digest || !ag_in_inventory(g->inventory, g->ninventory, name, ns, digest))
			return "ExternalArtifactsChanged";
	}
	return NULL;
}

const char *ag_drift(struct ag *g, const char *sources_digest)
{
	struct rt_condition ready;
	bool have = rt_cond_get(g->obj, RT_COND_READY, &ready);
	if (have && !strcmp(ready.status, "False")) {
		rt_log(g->r, LOG_DEBUG, "Drift detected, previous reconciliation failed", NULL);
		return "NotReady";
	}
	if (g->generation != (have ? ready.observed_generation : 0)) {
		rt_log(g->r, LOG_DEBUG, "Drift detected, generation has changed", NULL);
		return "GenerationChanged";
	}
	const char *observed = doc_get_str(g->obj, "status.observedSourcesDigest");
	if (strcmp(observed ? observed : "", sources_digest)) {
		rt_log(g->r, LOG_DEBUG, "Drift detected, sources have changed", "old", observed ? observed : "", "new",
		       sources_digest, NULL);
		return "SourcesChanged";
	}
	if (g->ninventory != g->spec.noutputs && !*g->spec.path_pattern) {
		rt_log(g->r, LOG_DEBUG, "Drift detected, number of output artifacts has changed", NULL);
		return "ArtifactsChanged";
	}
	const char *reason = storage_drift(g);
	if (!reason && (reason = objects_drift(g)))
		rt_log(g->r, LOG_DEBUG, "Drift detected, in-cluster external artifacts have changed", NULL);
	return reason;
}
