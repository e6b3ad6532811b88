/*
 * The HelmChart artifact, as Flux's reconcileArtifact and notify: a build that is the
 * stored artifact already writes nothing (Trace ArtifactUpToDate); otherwise the built .tgz
 * is copied under the object's lock into storage as <name>-<version>.tgz, older ones are
 * collected, the latest.tar.gz link is pointed at it (status.url), status.artifact (revision
 * = the version built), observedChartName and, with ignoreMissingValuesFiles, the values
 * files found are recorded. ArtifactInStorage and Ready say the build's summary with
 * ChartPullSucceeded or ChartPackageSucceeded; a Normal event with the same words goes out
 * when the digest is new or a failure is over.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "controllers/helmchart/helmchart.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "source/storage.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/banned.h"

static const char *reason_for_build(const struct chart_build *b)
{
	return b->packaged ? REASON_PACKAGE_SUCCEEDED : REASON_PULL_SUCCEEDED;
}

static void mark_stored(struct helmchart *c, const char *summary)
{
	const char *reason = reason_for_build(&c->build);
	rt_cond_delete(c->obj, COND_ARTIFACT_OUTDATED);
	rt_cond_delete(c->obj, COND_STORAGE_FAILED);
	rt_cond_delete(c->obj, RT_COND_RECONCILING);
	rt_cond_mark_true(c->a, c->obj, COND_ARTIFACT_IN_STORAGE, reason, "%s", summary);
	rt_cond_mark_true(c->a, c->obj, RT_COND_READY, reason, "%s", summary);
}

static void notify(struct helmchart *c, const char *summary)
{
	const char *digest = doc_get_str(c->obj, "status.artifact.digest");
	bool fresh = !c->old_digest || !digest || strcmp(c->old_digest, digest);
	if (!fresh && !c->failing)
		return;
	const char *const annotations[] = {
		"source.toolkit.fluxcd.io/revision", c->build.version,
		"source.toolkit.fluxcd.io/digest", digest ? digest : "",
		NULL,
	};
	rt_eventf(c->r, "Normal", reason_for_build(&c->build), annotations, "%s", summary);
	rt_log(c->r, LOG_INFO, summary, NULL);
}

/* Copies the file at from into storage at the local path to, atomically. */
static int copy_into(const char *from, const char *to, struct artifact_info *info)
{
	int fd = open(from, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(ERR_IO, "open %s: %s", from, strerror(errno));
	struct storage_file *f = NULL;
	int rc = storage_file_create(&f, to);
	char chunk[65536];
	while (!rc) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = err_set(ERR_IO, "read %s: %s", from, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		rc = storage_file_write(f, chunk, (size_t)n);
	}
	close(fd);
	if (rc) {
		storage_file_abort(f);
		return rc;
	}
	return storage_file_commit(f, info);
}

static void record_values_files(struct helmchart *c)
{
	if (!c->spec.ignore_missing_values_files) {
		doc_delete(c->obj, "status.observedValuesFiles");
		return;
	}
	struct doc_node *seq = doc_new_seq(c->a);
	for (size_t i = 0; i < c->build.nvalues_files; i++)
		doc_seq_push(c->a, seq, doc_new_str(c->a, c->build.values_files[i]));
	doc_set(c->a, c->obj, "status.observedValuesFiles", seq);
}

int helmchart_artifact(struct helmchart *c)
{
	struct arena *a = c->a;
	struct chart_build *b = &c->build;
	const char *summary = helmchart_build_summary(c);
	const char *file = arena_sprintf(a, "%s-%s.tgz", b->name, b->version);
	char *rel = storage_artifact_path(&c->sobj, file);
	const char *path = arena_strdup(a, rel);
	free(rel);
	if (b->cached) {
		rt_eventf(c->r, "Trace", "ArtifactUpToDate", NULL,
			  "artifact up-to-date with remote revision: '%s'", b->version);
		mark_stored(c, summary);
		notify(c, summary);
		return 0;
	}
	struct storage_lock *lock = NULL;
	struct artifact_info info;
	int rc = storage_mkdir(c->ctl->st, &c->sobj);
	if (rc) {
		const char *msg = arena_sprintf(a, "failed to create artifact directory: %s", err_msg());
		helmchart_mark_failed(c, COND_STORAGE_FAILED, REASON_DIR_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	if ((rc = storage_lock(c->ctl->st, &c->sobj, false, &lock))) {
		const char *msg = arena_sprintf(a, "failed to acquire lock for artifact: %s", err_msg());
		helmchart_mark_failed(c, COND_STORAGE_FAILED, REASON_LOCK_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	char *full = storage_local_path(c->ctl->st, path);
	rc = copy_into(b->path, full, &info);
	free(full);
	if (rc) {
		const char *msg = arena_sprintf(a, "unable to copy Helm chart to storage: %s", err_msg());
		storage_unlock(lock);
		helmchart_mark_failed(c, COND_STORAGE_FAILED, REASON_ARCHIVE_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	storage_gc(c->ctl->st, &c->sobj, file, NULL);
	err_clear();
	char when[32];
	clock_rfc3339(when, sizeof(when), time(NULL));
	struct doc_node *art = doc_new_map(a);
	doc_map_set(a, art, "digest", doc_new_str(a, info.digest));
	doc_map_set(a, art, "lastUpdateTime", doc_new_str(a, when));
	doc_map_set(a, art, "path", doc_new_str(a, path));
	doc_map_set(a, art, "revision", doc_new_str(a, b->version));
	doc_map_set(a, art, "size", doc_new_int(a, (int64_t)info.size));
	doc_map_set(a, art, "url", doc_new_str(a, ctl_storage_url(c->ctl->svc, a, path)));
	doc_set(a, c->obj, "status.artifact", art);
	doc_set(a, c->obj, "status.observedChartName", doc_new_str(a, b->name));
	record_values_files(c);
	const char *url = ctl_storage_latest(c->ctl->svc, a, &c->sobj, file, "latest.tar.gz");
	if (url)
		doc_set(a, c->obj, "status.url", doc_new_str(a, url));
	else
		rt_eventf(c->r, "Trace", "SymlinkUpdateFailed", NULL,
			  "failed to update status URL symlink: %s", err_msg());
	storage_unlock(lock);
	mark_stored(c, summary);
	notify(c, summary);
	return 0;
}
