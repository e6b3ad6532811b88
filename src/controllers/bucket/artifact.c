/*
 * The artifact step, as Flux's reconcileArtifact and notify: nothing is built when status
 * already names the revision; otherwise, under the object's lock, the scratch directory (the
 * objects as the index kept them, and the bucket's .sourceignore) is archived as
 * "<hex>.tar.gz" beside the object's older artifacts; then the latest.tar.gz link
 * (status.url), status.artifact, status.observedIgnore, and the event: NewArtifact for a new
 * digest, Succeeded for the recovery from a failure, both "stored artifact with N fetched
 * files from 'BUCKET' bucket".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "controllers/bucket/bucket.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "source/artifact.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/banned.h"

static void mark_stored(struct bucket *b)
{
	rt_cond_delete(b->obj, COND_ARTIFACT_OUTDATED);
	rt_cond_delete(b->obj, COND_STORAGE_FAILED);
	rt_cond_delete(b->obj, RT_COND_RECONCILING);
	rt_cond_mark_true(b->a, b->obj, COND_ARTIFACT_IN_STORAGE, RT_REASON_SUCCEEDED,
			  "stored artifact: revision '%s'", b->revision);
	/* Flux's summarize takes Ready from ArtifactInStorage */
	rt_cond_mark_true(b->a, b->obj, RT_COND_READY, RT_REASON_SUCCEEDED,
			  "stored artifact: revision '%s'", b->revision);
}

/* Flux's notify: NewArtifact when the digest is new, Succeeded when a failure is over. */
static void notify(struct bucket *b)
{
	const char *digest = doc_get_str(b->obj, "status.artifact.digest");
	bool fresh = !b->old_digest || !digest || strcmp(b->old_digest, digest);
	if (!fresh && !b->failing)
		return;
	const char *msg = arena_sprintf(b->a, "stored artifact with %zu fetched files from '%s' bucket",
					b->index.n, b->spec.bucket_name);
	const char *const annotations[] = {
		"source.toolkit.fluxcd.io/revision", b->revision,
		"source.toolkit.fluxcd.io/digest", digest ? digest : "",
		NULL,
	};
	rt_eventf(b->r, "Normal", fresh ? REASON_NEW_ARTIFACT : RT_REASON_SUCCEEDED, annotations, "%s",
		  msg);
	rt_log(b->r, LOG_INFO, msg, NULL);
}

static void write_status(struct bucket *b, const char *file, const char *path,
			 const struct artifact_info *info)
{
	struct arena *a = b->a;
	char when[32];
	clock_rfc3339(when, sizeof(when), time(NULL));
	struct doc_node *art = doc_new_map(a);
	doc_map_set(a, art, "digest", doc_new_str(a, info->digest));
	doc_map_set(a, art, "lastUpdateTime", doc_new_str(a, when));
	doc_map_set(a, art, "path", doc_new_str(a, path));
	doc_map_set(a, art, "revision", doc_new_str(a, b->revision));
	doc_map_set(a, art, "size", doc_new_int(a, (int64_t)info->size));
	doc_map_set(a, art, "url", doc_new_str(a, ctl_storage_url(b->ctl->svc, a, path)));
	doc_set(a, b->obj, "status.artifact", art);
	if (b->spec.ignore)
		doc_set(a, b->obj, "status.observedIgnore", doc_clone(a, b->spec.ignore));
	else
		doc_delete(b->obj, "status.observedIgnore");
	const char *url = ctl_storage_latest(b->ctl->svc, a, &b->sobj, file, "latest.tar.gz");
	if (url)
		doc_set(a, b->obj, "status.url", doc_new_str(a, url));
	else
		rt_log(b->r, LOG_DEBUG, "failed to update status URL symlink", NULL);
}

int bucket_artifact(struct bucket *b, bool fetched)
{
	struct arena *a = b->a;
	const char *hex = strchr(b->revision, ':') ? strchr(b->revision, ':') + 1 : b->revision;
	const char *file = arena_sprintf(a, "%s.tar.gz", hex);
	char *rel = storage_artifact_path(&b->sobj, file);
	const char *path = arena_strdup(a, rel);
	free(rel);
	if (!fetched || bucket_has_revision(b, b->revision)) {
		ctl_storage_collect(b->ctl->svc, b->r, &b->sobj, file);
		rt_log(b->r, LOG_DEBUG, "artifact up-to-date with remote revision", "revision", b->revision,
		       NULL);
		mark_stored(b);
		notify(b);
		return 0;
	}
	const char *reason = NULL, *prefix = NULL;
	bool cond = true;
	struct storage_lock *lock = NULL;
	struct artifact_info info;
	int rc = storage_mkdir(b->ctl->st, &b->sobj);
	if (rc) {
		reason = REASON_DIR_FAILED;
		prefix = "failed to create artifact directory: ";
	} else if ((rc = storage_lock(b->ctl->st, &b->sobj, false, &lock))) {
		reason = RT_REASON_FAILED;
		prefix = "failed to acquire lock for artifact: ";
		cond = false;
	} else {
		char *full = storage_local_path(b->ctl->st, path);
		/* the index already left out what the ignore rules exclude (Flux archives the
		 * directory without a filter) */
		struct artifact_limits lim = { BUCKET_MAX_TOTAL_BYTES + BUCKET_MAX_SOURCEIGNORE_BYTES,
					       BUCKET_MAX_OBJECTS + 1 };
		rc = artifact_archive(b->dir, NULL, &lim, full, &info);
		reason = REASON_ARCHIVE_FAILED;
		prefix = "unable to archive artifact to storage: ";
		free(full);
		if (!rc) {
			storage_gc(b->ctl->st, &b->sobj, file, NULL);
			err_clear();
		}
	}
	if (rc) {
		const char *msg = arena_sprintf(a, "%s%s", prefix, err_msg());
		storage_unlock(lock);
		if (cond) {
			bucket_mark_failed(b, COND_STORAGE_FAILED, reason, msg);
		} else {
			rt_cond_mark_false(a, b->obj, RT_COND_READY, reason, "%s", msg);
			rt_eventf(b->r, "Warning", reason, NULL, "%s", msg);
		}
		return err_set(rc, "%s", msg);
	}
	write_status(b, file, path, &info);
	storage_unlock(lock);
	mark_stored(b);
	notify(b);
	char size[32];
	snprintf(size, sizeof(size), "%llu", (unsigned long long)info.size);
	rt_log(b->r, LOG_INFO, "stored artifact", "revision", b->revision, "digest", info.digest, "size",
	       size, NULL);
	return 0;
}
