/*
 * The artifact step: the source revision's files into the reconcile's private directory
 * (through the controller's cache of unpacked revisions, cache.h), and spec.path found in
 * it, as the kustomize-controller's reconcile does before building.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "controllers/kustomization/cache.h"
#include "controllers/kustomization/ks.h"
#include "runtime/conditions.h"
#include "runtime/controller.h"
#include "source/fetch.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "util/banned.h"

int ks_workdir(struct ks_run *run)
{
	const char *base = getenv("TMPDIR");
	char *tmp = xasprintf("%s/kustomization-%s-%s-XXXXXX", base && *base ? base : "/tmp", run->spec->namespace,
			      run->spec->name);
	if (!mkdtemp(tmp)) {
		int e = errno;
		free(tmp);
		return err_set(ERR_IO, "failed to create temporary working directory: %s", strerror(e));
	}
	run->tmp = tmp;
	return 0;
}

int ks_artifact_step(struct ks_run *run)
{
	struct fetch_limits lim = FETCH_LIMITS_INIT;
	int rc = ks_cache_checkout(rt_data(run->r), run->url, run->digest, run->tmp, &lim);
	if (rc)
		return rc;
	const char *path = *run->spec->path ? run->spec->path : ".";
	struct stat st;
	if (fs_join_confined(&run->dir, run->tmp, path) || stat(run->dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return err_set(ERR_NOTFOUND, "kustomization path not found: stat %s: no such file or directory",
			       *run->spec->path ? run->spec->path : ".");
	run->status->last_attempted_revision = run->revision;
	rt_cond_mark_reconciling(run->a, run->obj, RT_REASON_PROGRESSING,
				 "Building manifests for revision %s with a timeout of %s", run->revision,
				 run->timeout_str);
	return 0;
}
