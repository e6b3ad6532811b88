/*
 * The artifact step, as Flux's reconcileArtifact: nothing is built when status already names
 * the fetched revision's artifact, with the same content settings, and the file is still in
 * storage; otherwise the commit's tree is packed (straight from the Git objects, or from a
 * checkout when include, sparseCheckout or submodules need a directory), the ignore rules
 * applied, and the tarball written through the storage service under the object's lock,
 * then older artifacts collected and status.artifact recorded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "controllers/gitrepository/gitrepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "source/artifact.h"
#include "source/deadline.h"
#include "source/git_archive.h"
#include "source/ignore.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Flux's validateSparseCheckoutPaths: every listed directory exists after the checkout. */
static int check_sparse(const struct gitrepo_spec *s, const char *dir)
{
	for (size_t i = 0; i < s->nsparse; i++) {
		const char *p = s->sparse[i];
		char *full = NULL;
		int rc = fs_join_confined(&full, dir, p);
		if (rc)
			return err_set(rc, "sparse checkout dir '%s' cannot be resolved: %s", p, err_msg());
		struct stat st;
		if (lstat(full, &st) != 0) {
			rc = err_set(ERR_NOTFOUND, "sparse checkout dir '%s' does not exist in repository: lstat %s: %s",
				     p, full, strerror(errno));
			free(full);
			return rc;
		}
		free(full);
	}
	return 0;
}

/* Flux collects on every reconcile, so the TTL is honoured between new revisions too. */
static void collect(struct gitrepo *g, const char *current)
{
	ctl_storage_collect(g->ctl->svc, g->r, &g->sobj, current);
}

void gitrepo_storage(struct gitrepo *g)
{
	ctl_storage_step(g->ctl->svc, g->r, &g->sobj, g->obj);
}

/* What a failed build reports. */
struct failure {
	const char *cond, *reason, *msg;
	int rc;
};

/* The message is prefix followed by the error's. */
static void failed(struct failure *f, struct gitrepo *g, const char *cond, const char *reason,
		   int rc, const char *prefix)
{
	f->cond = cond;
	f->reason = reason;
	f->msg = arena_sprintf(g->a, "%s%s", prefix, err_msg());
	f->rc = rc ? rc : ERR_GENERIC;
}

/* Checkout, ignore rules, archive into full (an absolute storage path). Without include,
 * sparseCheckout or submodules, which need a directory to work in, the tarball is packed
 * straight from the Git tree objects (git_archive.h): the same bytes without writing,
 * reading back and deleting every file (a 50,000-file repository: see
 * bench/gitrepository.sh). */
static void build(struct gitrepo *g, const char *file, const char *full,
		  struct artifact_info *info, char *subject, size_t subject_len, struct failure *f)
{
	const struct gitrepo_spec *s = &g->spec;
	const char *commit = g->fetched.commit;
	bool from_tree = !s->ninclude && !s->nsparse && !s->recurse_submodules;
	char *dir = NULL;
	struct ignore_rules *ign = NULL;
	struct storage_lock *lock = NULL;
	int rc;
	if ((rc = storage_tmpdir(g->ctl->st, "checkout", &dir))) {
		failed(f, g, COND_STORAGE_FAILED, REASON_DIR_FAILED, rc,
		       "failed to create temporary working directory: ");
		goto out;
	}
	if (!from_tree) {
		struct gitsrc_checkout_spec cos = {
			.sparse = s->sparse,
			.nsparse = s->nsparse,
			.recurse_submodules = s->recurse_submodules,
			.url = s->url,
			.auth = &g->auth, /* submodules use the parent's credentials, as in Flux */
			.modules_dir = arena_sprintf(g->a, "%s/modules", g->cache),
		};
		int64_t left = s->timeout_ms - (clock_mono_ms() - g->started_ms);
		struct source_deadline *dl = cos.recurse_submodules ? source_deadline_arm(left > 0 ? left : 1) : NULL;
		rc = gitsrc_checkout_with(g->cache, commit, dir, &cos);
		if (source_deadline_disarm(dl) && rc)
			rc = err_set(ERR_TIMEOUT, "unable to update submodules of '%s': context deadline exceeded",
				     s->url);
		if (rc) {
			failed(f, g, COND_FETCH_FAILED, REASON_GIT_FAILED, rc,
			       "failed to checkout and determine revision: ");
			goto out;
		}
	}
	if ((rc = check_sparse(s, dir))) {
		failed(f, g, COND_FETCH_FAILED, REASON_GIT_FAILED, rc,
		       "failed to sparse checkout directories : ");
		goto out;
	}
	const char *why = NULL;
	if ((rc = gitrepo_include_copy(g, dir, &why))) {
		failed(f, g, COND_STORAGE_FAILED, why, rc, "");
		goto out;
	}
	ign = ignore_new();
	ignore_add_defaults(ign);
	if ((rc = from_tree ? gitsrc_load_ignore(g->cache, commit, ign, GITREPO_MAX_SOURCEIGNORE_BYTES)
			    : ignore_load_tree(ign, dir, GITREPO_MAX_SOURCEIGNORE_BYTES))) {
		failed(f, g, COND_STORAGE_FAILED, REASON_ARCHIVE_FAILED, rc,
		       "failed to load source ignore patterns from repository: ");
		goto out;
	}
	const struct doc_node *ignore = s->ignore;
	if (ignore && ignore->kind == DOC_STR &&
	    (rc = ignore_add(ign, "", ignore->u.str.ptr, ignore->u.str.len))) {
		failed(f, g, COND_STORAGE_FAILED, REASON_ARCHIVE_FAILED, rc,
		       "failed to load ignore patterns: ");
		goto out;
	}
	if ((rc = storage_mkdir(g->ctl->st, &g->sobj))) {
		failed(f, g, COND_STORAGE_FAILED, REASON_DIR_FAILED, rc,
		       "failed to create artifact directory: ");
		goto out;
	}
	if ((rc = storage_lock(g->ctl->st, &g->sobj, false, &lock))) {
		failed(f, g, COND_STORAGE_FAILED, REASON_LOCK_FAILED, rc,
		       "failed to acquire lock for artifact: ");
		goto out;
	}
	struct artifact_limits lim = { GITREPO_MAX_ARTIFACT_BYTES, GITREPO_MAX_ARTIFACT_FILES };
	if ((rc = from_tree ? gitsrc_archive(g->cache, commit, ign, &lim, full, info)
			    : artifact_archive(dir, ign, &lim, full, info))) {
		failed(f, g, COND_STORAGE_FAILED, REASON_ARCHIVE_FAILED, rc,
		       "unable to archive artifact to storage: ");
		goto out;
	}
	storage_gc(g->ctl->st, &g->sobj, file, NULL);
	gitsrc_commit_subject(g->cache, commit, subject, subject_len);
	err_clear();
out:
	storage_unlock(lock);
	if (ign)
		ignore_free(ign);
	if (dir) {
		fs_rm_rf(dir);
		free(dir);
	}
}

int gitrepo_artifact(struct gitrepo *g)
{
	struct arena *a = g->a;
	struct doc_node *obj = g->obj;
	char *revision = artifact_revision(g->fetched.ref, g->fetched.commit);
	const char *rev = arena_strdup(a, revision);
	free(revision);
	const char *file = arena_sprintf(a, "%s.tar.gz", g->fetched.commit);
	char *rel = storage_artifact_path(&g->sobj, file);
	const char *path = arena_strdup(a, rel);
	free(rel);

	/* Up to date: same revision, same content settings, and the file still in storage. */
	const char *cur_rev = doc_get_str(obj, "status.artifact.revision");
	if (cur_rev && !strcmp(cur_rev, rev) && !gitrepo_content_config_changed(g) &&
	    storage_exists(g->ctl->st, path)) {
		doc_set(a, obj, "status.artifact.url", doc_new_str(a, gitrepo_artifact_url(g, path)));
		collect(g, file);
		gitrepo_status_ready(g, rev);
		return 0;
	}
	if (cur_rev && strcmp(cur_rev, rev)) {
		rt_cond_mark_true(a, obj, COND_ARTIFACT_OUTDATED, "NewRevision",
				  "new upstream revision '%s'", rev);
		rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING,
					 "building artifact: new upstream revision '%s'", rev);
	} else if (!cur_rev || !rt_cond_get(obj, RT_COND_RECONCILING, &(struct rt_condition){ 0 })) {
		rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING, "building artifact");
	}

	char *full = storage_local_path(g->ctl->st, path);
	struct artifact_info info;
	char subject[256] = "";
	struct failure f = { 0 };
	build(g, file, full, &info, subject, sizeof(subject), &f);
	free(full);
	if (f.msg) {
		gitrepo_mark_failed(g, f.cond, f.reason, f.msg);
		return err_set(f.rc, "%s", f.msg);
	}
	gitrepo_status_artifact(g, path, rev, &info);
	const char *const annotations[] = { "source.toolkit.fluxcd.io/revision", rev, NULL };
	rt_eventf(g->r, "Normal", REASON_NEW_ARTIFACT, annotations, "stored artifact for commit '%s'",
		  subject);
	char size[32];
	snprintf(size, sizeof(size), "%llu", (unsigned long long)info.size);
	rt_log(g->r, LOG_INFO, "stored artifact", "revision", rev, "digest", info.digest, "size", size,
	       NULL);
	return 0;
}
