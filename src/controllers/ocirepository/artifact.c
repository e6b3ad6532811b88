/*
 * The artifact step, as Flux's reconcileArtifact and notify: nothing is built when status
 * already names the revision with the same content settings (ignore, layerSelector);
 * otherwise, under the object's lock, the extracted layer is archived with the ignore rules
 * (the defaults, the .sourceignore files of the layer, spec.ignore) or the copied layer is
 * stored byte for byte, as "<digest>.tar.gz" beside the object's older artifacts; then the
 * latest.tar.gz link (status.url), status.artifact with the manifest's annotations as its
 * metadata, the observed content settings, and the event: NewArtifact for a new digest,
 * Succeeded for the recovery from a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "controllers/ocirepository/ocirepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "source/artifact.h"
#include "source/ignore.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/banned.h"

/* The stored artifact is the revision's, with the same content settings. */
static bool up_to_date(const struct ocirepo *o)
{
	return ocirepo_has_revision(o, o->revision) && !ocirepo_content_config_changed(o);
}

static void mark_stored(struct ocirepo *o)
{
	rt_cond_delete(o->obj, COND_ARTIFACT_OUTDATED);
	rt_cond_delete(o->obj, COND_STORAGE_FAILED);
	rt_cond_delete(o->obj, RT_COND_RECONCILING);
	rt_cond_mark_true(o->a, o->obj, COND_ARTIFACT_IN_STORAGE, RT_REASON_SUCCEEDED,
			  "stored artifact for digest '%s'", o->revision);
	rt_cond_mark_true(o->a, o->obj, RT_COND_READY, RT_REASON_SUCCEEDED,
			  "stored artifact for revision '%s'", o->revision);
}

/* Flux's notify: NewArtifact when the digest is new, Succeeded when a failure is over. */
static void notify(struct ocirepo *o)
{
	const char *digest = doc_get_str(o->obj, "status.artifact.digest");
	bool fresh = !o->old_digest || !digest || strcmp(o->old_digest, digest);
	if (!fresh && !o->failing)
		return;
	const char *msg = arena_sprintf(o->a, "stored artifact with revision '%s' from '%s'",
					o->revision, o->spec.url);
	/* doc_map_get: the keys hold dots, which doc_get_str would read as a path */
	const struct doc_node *src = doc_map_get(o->metadata, OCI_ANN_SOURCE);
	const struct doc_node *rev = doc_map_get(o->metadata, OCI_ANN_REVISION);
	if (src && src->kind == DOC_STR && src->u.str.len && rev && rev->kind == DOC_STR &&
	    rev->u.str.len)
		msg = arena_sprintf(o->a, "%s, origin source '%s', origin revision '%s'", msg,
				    src->u.str.ptr, rev->u.str.ptr);
	const char *const annotations[] = {
		"source.toolkit.fluxcd.io/revision", o->revision,
		"source.toolkit.fluxcd.io/digest", digest ? digest : "",
		NULL,
	};
	rt_eventf(o->r, "Normal", fresh ? REASON_NEW_ARTIFACT : RT_REASON_SUCCEEDED, annotations, "%s",
		  msg);
	rt_log(o->r, LOG_INFO, msg, NULL);
}

/* The copied layer, streamed into storage (the file is the blob, already digest-checked). */
static int store_copy(const char *from, const char *full, struct artifact_info *info)
{
	int fd = open(from, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(ERR_IO, "open layer: %s", strerror(errno));
	struct storage_file *f = NULL;
	int rc = storage_file_create(&f, full);
	char blk[65536];
	while (!rc) {
		ssize_t n = read(fd, blk, sizeof(blk));
		if (n == 0)
			break;
		if (n < 0) {
			rc = err_set(ERR_IO, "read layer: %s", strerror(errno));
			break;
		}
		rc = storage_file_write(f, blk, (size_t)n);
	}
	close(fd);
	if (rc) {
		storage_file_abort(f);
		return rc;
	}
	return storage_file_commit(f, info);
}

static int store_extracted(struct ocirepo *o, const char *full, struct artifact_info *info,
			   const char **reason, const char **prefix)
{
	struct ignore_rules *ign = ignore_new();
	ignore_add_defaults(ign);
	int rc = ignore_load_tree(ign, o->content, OCIREPO_MAX_SOURCEIGNORE_BYTES);
	const struct doc_node *ignore = o->spec.ignore;
	if (!rc && ignore && ignore->kind == DOC_STR)
		rc = ignore_add(ign, "", ignore->u.str.ptr, ignore->u.str.len);
	if (rc) {
		*reason = REASON_IGNORE_FAILED;
		*prefix = "failed to load source ignore patterns from repository: ";
	} else {
		struct artifact_limits lim = { OCIREPO_MAX_UNPACKED_BYTES, OCIREPO_MAX_FILES };
		rc = artifact_archive(o->content, ign, &lim, full, info);
		*reason = REASON_ARCHIVE_FAILED;
		*prefix = "unable to archive artifact to storage: ";
	}
	ignore_free(ign);
	return rc;
}

static void write_status(struct ocirepo *o, const char *file, const char *path,
			 const struct artifact_info *info)
{
	struct arena *a = o->a;
	char when[32];
	clock_rfc3339(when, sizeof(when), time(NULL));
	struct doc_node *art = doc_new_map(a);
	doc_map_set(a, art, "digest", doc_new_str(a, info->digest));
	doc_map_set(a, art, "lastUpdateTime", doc_new_str(a, when));
	if (o->metadata)
		doc_map_set(a, art, "metadata", o->metadata);
	doc_map_set(a, art, "path", doc_new_str(a, path));
	doc_map_set(a, art, "revision", doc_new_str(a, o->revision));
	doc_map_set(a, art, "size", doc_new_int(a, (int64_t)info->size));
	doc_map_set(a, art, "url", doc_new_str(a, ctl_storage_url(o->ctl->svc, a, path)));
	doc_set(a, o->obj, "status.artifact", art);
	if (o->spec.ignore)
		doc_set(a, o->obj, "status.observedIgnore", doc_clone(a, o->spec.ignore));
	else
		doc_delete(o->obj, "status.observedIgnore");
	if (o->spec.layer_selector && o->spec.layer_selector->kind == DOC_MAP)
		doc_set(a, o->obj, "status.observedLayerSelector", doc_clone(a, o->spec.layer_selector));
	else
		doc_delete(o->obj, "status.observedLayerSelector");
	const char *url = ctl_storage_latest(o->ctl->svc, a, &o->sobj, file, "latest.tar.gz");
	if (url)
		doc_set(a, o->obj, "status.url", doc_new_str(a, url));
	else
		rt_log(o->r, LOG_DEBUG, "failed to update status URL symlink", NULL);
}

/* The digest part of a revision ("latest@sha256:..." -> "sha256:..."), as Flux's
 * digestFromRevision. */
static const char *digest_of(const char *revision)
{
	const char *at = strrchr(revision, '@');
	return at ? at + 1 : revision;
}

int ocirepo_artifact(struct ocirepo *o)
{
	struct arena *a = o->a;
	const char *file = arena_sprintf(a, "%s.tar.gz", digest_of(o->revision));
	char *rel = storage_artifact_path(&o->sobj, file);
	const char *path = arena_strdup(a, rel);
	free(rel);
	if (up_to_date(o)) {
		ctl_storage_collect(o->ctl->svc, o->r, &o->sobj, file);
		rt_log(o->r, LOG_DEBUG, "artifact up-to-date with remote revision", "revision", o->revision,
		       NULL);
		mark_stored(o);
		notify(o);
		return 0;
	}
	const char *reason = NULL, *prefix = NULL, *cond = COND_STORAGE_FAILED;
	struct storage_lock *lock = NULL;
	struct artifact_info info;
	int rc = storage_mkdir(o->ctl->st, &o->sobj);
	if (rc) {
		reason = REASON_DIR_FAILED;
		prefix = "failed to create artifact directory: ";
	} else if ((rc = storage_lock(o->ctl->st, &o->sobj, false, &lock))) {
		reason = RT_REASON_FAILED;
		prefix = "failed to acquire lock for artifact: ";
		cond = NULL;
	} else {
		char *full = storage_local_path(o->ctl->st, path);
		if (o->spec.copy) {
			rc = store_copy(o->content, full, &info);
			reason = REASON_ARCHIVE_FAILED;
			prefix = "unable to copy artifact to storage: ";
		} else {
			rc = store_extracted(o, full, &info, &reason, &prefix);
			if (rc && !strcmp(reason, REASON_IGNORE_FAILED))
				cond = NULL;
		}
		free(full);
		if (!rc) {
			storage_gc(o->ctl->st, &o->sobj, file, NULL);
			err_clear();
		}
	}
	if (rc) {
		const char *msg = arena_sprintf(a, "%s%s", prefix, err_msg());
		storage_unlock(lock);
		if (cond) {
			ocirepo_mark_failed(o, cond, reason, msg);
		} else {
			rt_cond_mark_false(a, o->obj, RT_COND_READY, reason, "%s", msg);
			rt_eventf(o->r, "Warning", reason, NULL, "%s", msg);
		}
		return err_set(rc, "%s", msg);
	}
	write_status(o, file, path, &info);
	storage_unlock(lock);
	mark_stored(o);
	notify(o);
	char size[32];
	snprintf(size, sizeof(size), "%llu", (unsigned long long)info.size);
	rt_log(o->r, LOG_INFO, "stored artifact", "revision", o->revision, "digest", info.digest, "size",
	       size, NULL);
	return 0;
}
