/*
 * spec.include, as Flux's reconcileInclude and Storage.CopyToPath: the artifacts of other
 * GitRepositories in the namespace, waited for while one has none, compared with
 * status.includedArtifacts (a change rebuilds the artifact although the revision is the
 * same), and copied into the checkout at toPath from fromPath. Also the watch that queues
 * the includers of a repository whose revision changed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "controllers/gitrepository/gitrepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/untar.h"
#include "util/xalloc.h"
#include "util/banned.h"

int gitrepo_include(struct gitrepo *g, struct rt_result *res)
{
	struct arena *a = g->a;
	g->included = doc_new_seq(a);
	for (size_t i = 0; i < g->spec.ninclude; i++) {
		const char *dep_name = g->spec.include[i].repository;
		struct doc_node *dep = NULL;
		const char *reason = NULL, *msg = NULL;
		int rc = dep_name ? rt_get(g->r, GITREPO_API_VERSION, GITREPO_KIND, g->ns, dep_name, &dep)
				  : ERR_INVALID;
		if (rc) {
			reason = "NotFound";
			msg = rc == ERR_NOTFOUND
				      ? arena_sprintf(a, "could not get resource for include '%s': gitrepositories.source.toolkit.fluxcd.io \"%s\" not found",
						      dep_name, dep_name)
				      : arena_sprintf(a, "could not get resource for include '%s': %s",
						      dep_name ? dep_name : "", err_msg());
		} else if (!doc_get_str(dep, "status.artifact.path")) {
			reason = "NoArtifact";
			msg = arena_sprintf(a, "no artifact available for include '%s'", dep_name);
		}
		if (reason) {
			const struct rt_manager_opts *mo = rt_manager_opts(rt_manager(g->r));
			rt_cond_mark_true(a, g->obj, COND_INCLUDE_UNAVAILABLE, reason, "%s", msg);
			rt_cond_mark_false(a, g->obj, RT_COND_READY, reason, "%s", msg);
			rt_log(g->r, LOG_INFO, msg, NULL);
			res->outcome = RT_REQUEUE;
			res->requeue_after_ms = mo->requeue_dependency_ms ? mo->requeue_dependency_ms : 30000;
			return 1;
		}
		doc_seq_push(a, g->included, doc_clone(a, doc_get(dep, "status.artifact")));
	}
	rt_cond_delete(g->obj, COND_INCLUDE_UNAVAILABLE);
	return 0;
}

static bool same_str(const char *x, const char *y)
{
	return (!x && !y) || (x && y && !strcmp(x, y));
}

bool gitrepo_includes_differ(const struct gitrepo *g)
{
	const struct doc_node *cur = doc_get(g->obj, "status.includedArtifacts");
	const struct doc_node *arts = g->included;
	size_t n = arts ? arts->u.seq.len : 0, m = cur && cur->kind == DOC_SEQ ? cur->u.seq.len : 0;
	if (n != m)
		return true;
	for (size_t i = 0; i < n; i++) {
		const struct doc_node *x = arts->u.seq.items[i], *y = cur->u.seq.items[i];
		if (!same_str(doc_get_str(x, "revision"), doc_get_str(y, "revision")) ||
		    !same_str(doc_get_str(x, "digest"), doc_get_str(y, "digest")))
			return true;
	}
	return false;
}

/* Refuses a path inside root that goes through a symlink (a checked-out repository may
 * hold symlinks pointing anywhere): securejoin's guarantee for the copy target. */
static int no_symlink_below(const char *root, const char *path)
{
	size_t rl = strlen(root);
	char *p = xstrdup(path);
	int rc = 0;
	for (char *c = p + rl + 1; !rc; c++) {
		char save = *c;
		if (save != '/' && save != '\0')
			continue;
		*c = '\0';
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode))
			rc = err_set(ERR_ESCAPE, "'%s' is a symlink", p + rl + 1);
		*c = save;
		if (!save)
			break;
	}
	free(p);
	return rc;
}

/* Reads the included artifact under its object's shared lock, so that its garbage
 * collection cannot remove the file half-way. */
static int read_artifact(struct gitrepo *g, const struct gitrepo_include *in,
			 const char *path, struct buf *data)
{
	char *src = NULL;
	const struct storage_object dep = { GITREPO_KIND, g->ns, in->repository };
	struct storage_lock *lock = NULL;
	int rc = fs_join_confined(&src, storage_root(g->ctl->st), path);
	if (!rc)
		rc = storage_lock(g->ctl->st, &dep, true, &lock);
	if (!rc)
		rc = fs_read_file(src, GITREPO_MAX_ARTIFACT_BYTES, data);
	storage_unlock(lock);
	free(src);
	return rc;
}

/* Flux's Storage.CopyToPath: unpacks the included artifact into a scratch directory and
 * moves its fromPath to toPath inside dir. */
static int copy_one(struct gitrepo *g, const struct gitrepo_include *in,
		    const struct doc_node *art, const char *dir, const char **reason)
{
	const char *dep_name = in->repository, *from = in->from_path, *to = in->to_path;
	char *to_full = NULL, *from_full = NULL, *scratch = NULL;
	struct buf data = BUF_INIT;
	int rc;
	*reason = "IllegalPath";
	if ((rc = fs_join_confined(&to_full, dir, to)) || (rc = no_symlink_below(dir, to_full))) {
		rc = err_set(rc, "path calculation for include '%s' failed: %s", dep_name, err_msg());
		goto done;
	}
	*reason = "CopyFailure";
	const char *fail = NULL;
	if ((rc = read_artifact(g, in, doc_get_str(art, "path"), &data)) ||
	    (rc = storage_tmpdir(g->ctl->st, "include", &scratch))) {
		fail = err_msg();
		goto copy_failed;
	}
	struct untar_limits lim = UNTAR_LIMITS_INIT;
	lim.max_bytes = GITREPO_MAX_ARTIFACT_BYTES;
	lim.max_entries = GITREPO_MAX_ARTIFACT_FILES;
	if ((rc = untar_to_dir(data.ptr, data.len, scratch, &lim)) ||
	    (rc = fs_join_confined(&from_full, scratch, from))) {
		fail = err_msg();
		goto copy_failed;
	}
	char *parent = xstrdup(to_full);
	char *slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	rc = fs_mkdir_p(parent);
	free(parent);
	if (rc) {
		fail = err_msg();
		goto copy_failed;
	}
	if (rename(from_full, to_full) != 0) {
		rc = err_set(ERR_IO, "rename %s %s: %s", from_full, to_full, strerror(errno));
		fail = err_msg();
	}
copy_failed:
	if (rc)
		rc = err_set(rc, "failed to copy '%s' include from %s to %s: %s", dep_name, from, to, fail);
done:
	if (scratch) {
		fs_rm_rf(scratch);
		free(scratch);
	}
	buf_release(&data);
	free(from_full);
	free(to_full);
	return rc;
}

int gitrepo_include_copy(struct gitrepo *g, const char *dir, const char **reason)
{
	for (size_t i = 0; i < g->spec.ninclude; i++) {
		int rc = copy_one(g, &g->spec.include[i], g->included->u.seq.items[i], dir, reason);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- The watch on included repositories ------------------------------------------------*/

struct include_match {
	struct rt_mapper *m;
	const char *ns, *name;
};

static int includes_it(void *ud, const struct rt_object *o)
{
	struct include_match *im = ud;
	const struct doc_node *incl = doc_get(o->doc, "spec.include");
	if (strcmp(o->namespace, im->ns) || !incl || incl->kind != DOC_SEQ)
		return 0;
	for (size_t i = 0; i < incl->u.seq.len; i++) {
		const char *n = doc_get_str(incl->u.seq.items[i], "repository.name");
		if (n && !strcmp(n, im->name)) {
			rt_map_enqueue(im->m, o->namespace, o->name);
			break;
		}
	}
	return 0;
}

void gitrepo_artifact_changed(struct rt_mapper *m, const struct rt_object *old,
			      const struct rt_object *obj)
{
	const char *x = old ? doc_get_str(old->doc, "status.artifact.revision") : NULL;
	const char *y = doc_get_str(obj->doc, "status.artifact.revision");
	if (!y || same_str(x, y))
		return;
	struct include_match im = { m, obj->namespace, obj->name };
	rt_map_each(m, includes_it, &im);
}
