/*
 * The HelmRepository artifact, as Flux's reconcileArtifact and notify: nothing is written
 * when status names the revision already; otherwise the index, as downloaded, is stored
 * under the object's lock as index-<hex>.yaml (the hex of its revision), the index.yaml link
 * pointed at it (status.url), status.artifact recorded, and an event sent: NewArtifact
 * "stored fetched index of size 1.234kB from '<url>'" when the digest is new, Succeeded when
 * a failure is over. Flux re-marshals the index to JSON before storing it; tide keeps the
 * bytes as fetched (docs/differences.md), so the stored digest is the revision.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "controllers/helmrepository/helmrepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/banned.h"

/* docker/go-units' HumanSize: decimal units, four significant digits ("%.4g"). */
static void human_size(char *out, size_t n, double size)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB" };
	size_t i = 0;
	while (size >= 1000 && i + 1 < sizeof(units) / sizeof(units[0])) {
		size /= 1000;
		i++;
	}
	snprintf(out, n, "%.4g%s", size, units[i]);
}

static void mark_stored(struct helmrepo *h)
{
	rt_cond_delete(h->obj, COND_ARTIFACT_OUTDATED);
	rt_cond_delete(h->obj, COND_STORAGE_FAILED);
	rt_cond_delete(h->obj, RT_COND_RECONCILING);
	rt_cond_mark_true(h->a, h->obj, COND_ARTIFACT_IN_STORAGE, RT_REASON_SUCCEEDED,
			  "stored artifact: revision '%s'", h->revision);
	rt_cond_mark_true(h->a, h->obj, RT_COND_READY, RT_REASON_SUCCEEDED,
			  "stored artifact: revision '%s'", h->revision);
}

static void notify(struct helmrepo *h)
{
	const char *digest = doc_get_str(h->obj, "status.artifact.digest");
	bool fresh = !h->old_digest || !digest || strcmp(h->old_digest, digest);
	if (!fresh && !h->failing)
		return;
	int64_t size = -1;
	char hs[32] = "unknown size";
	if (doc_int64(doc_get(h->obj, "status.artifact.size"), &size) == 0 && size >= 0) {
		char v[24];
		human_size(v, sizeof(v), (double)size);
		snprintf(hs, sizeof(hs), "size %s", v);
	}
	const char *msg = arena_sprintf(h->a, "stored fetched index of %s from '%s'", hs, h->spec.url);
	const char *const annotations[] = {
		"source.toolkit.fluxcd.io/revision", h->revision,
		"source.toolkit.fluxcd.io/digest", digest ? digest : "",
		NULL,
	};
	rt_eventf(h->r, "Normal", fresh ? REASON_NEW_ARTIFACT : RT_REASON_SUCCEEDED, annotations, "%s", msg);
	rt_log(h->r, LOG_INFO, msg, NULL);
}

int helmrepo_artifact(struct helmrepo *h)
{
	struct arena *a = h->a;
	const char *hex = strchr(h->revision, ':') + 1;
	const char *file = arena_sprintf(a, "index-%s.yaml", hex);
	char *rel = storage_artifact_path(&h->sobj, file);
	const char *path = arena_strdup(a, rel);
	free(rel);
	const char *cur = doc_get_str(h->obj, "status.artifact.revision");
	if (cur && !strcmp(cur, h->revision) && storage_exists(h->ctl->st, path)) {
		ctl_storage_collect(h->ctl->svc, h->r, &h->sobj, file);
		rt_log(h->r, LOG_DEBUG, "artifact up-to-date with remote revision", "revision", h->revision,
		       NULL);
		mark_stored(h);
		notify(h);
		return 0;
	}
	struct storage_lock *lock = NULL;
	struct artifact_info info;
	int rc = storage_mkdir(h->ctl->st, &h->sobj);
	if (rc) {
		const char *msg = arena_sprintf(a, "failed to create artifact directory: %s", err_msg());
		helmrepo_mark_failed(h, COND_STORAGE_FAILED, REASON_DIR_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	if ((rc = storage_lock(h->ctl->st, &h->sobj, false, &lock))) {
		const char *msg = arena_sprintf(a, "failed to acquire lock for artifact: %s", err_msg());
		rt_cond_mark_false(a, h->obj, RT_COND_READY, RT_REASON_FAILED, "%s", msg);
		return err_set(rc, "%s", msg);
	}
	char *full = storage_local_path(h->ctl->st, path);
	rc = storage_write_file(full, h->index.ptr, h->index.len, &info);
	free(full);
	if (rc) {
		const char *msg = arena_sprintf(a, "unable to save artifact to storage: %s", err_msg());
		storage_unlock(lock);
		helmrepo_mark_failed(h, COND_STORAGE_FAILED, REASON_ARCHIVE_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	storage_gc(h->ctl->st, &h->sobj, file, NULL);
	err_clear();
	char when[32];
	clock_rfc3339(when, sizeof(when), time(NULL));
	struct doc_node *art = doc_new_map(a);
	doc_map_set(a, art, "digest", doc_new_str(a, info.digest));
	doc_map_set(a, art, "lastUpdateTime", doc_new_str(a, when));
	doc_map_set(a, art, "path", doc_new_str(a, path));
	doc_map_set(a, art, "revision", doc_new_str(a, h->revision));
	doc_map_set(a, art, "size", doc_new_int(a, (int64_t)info.size));
	doc_map_set(a, art, "url", doc_new_str(a, ctl_storage_url(h->ctl->svc, a, path)));
	doc_set(a, h->obj, "status.artifact", art);
	const char *url = ctl_storage_latest(h->ctl->svc, a, &h->sobj, file, "index.yaml");
	if (url)
		doc_set(a, h->obj, "status.url", doc_new_str(a, url));
	storage_unlock(lock);
	mark_stored(h);
	notify(h);
	return 0;
}
