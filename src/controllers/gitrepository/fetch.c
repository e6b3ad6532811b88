/*
 * The fetch step: spec.ref resolved on the remote and its commit brought into the object's
 * bare cache (.cache/gitrepository/<ns>/<name> under the storage root), nothing downloaded
 * when the cache has it; spec.timeout bounds it, as Flux's context deadline does, also
 * against a server that never answers.
 */
#include <stdlib.h>

#include "controllers/gitrepository/gitrepository.h"
#include "runtime/conditions.h"
#include "source/deadline.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "util/banned.h"

char *gitrepo_cache_dir(const struct gitrepo_ctl *ctl, const char *ns, const char *name)
{
	return xasprintf("%s/.cache/gitrepository/%s/%s", storage_root(ctl->st), ns, name);
}

int gitrepo_fetch(struct gitrepo *g)
{
	const char *url = g->spec.url;
	free(g->cache);
	g->cache = gitrepo_cache_dir(g->ctl, g->ns, g->name);
	g->started_ms = clock_mono_ms();
	int rc = fs_mkdir_p(g->cache);
	if (!rc) {
		struct source_deadline *dl = source_deadline_arm(g->spec.timeout_ms);
		rc = gitsrc_fetch(url, g->cache, &g->spec.ref, &g->auth, &g->fetched);
		if (source_deadline_disarm(dl) && rc)
			rc = err_set(ERR_TIMEOUT, "unable to clone '%s': context deadline exceeded", url);
	}
	if (rc) {
		const char *msg = arena_sprintf(g->a, "failed to checkout and determine revision: %s",
						err_msg());
		gitrepo_mark_failed(g, COND_FETCH_FAILED, REASON_GIT_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	rt_cond_delete(g->obj, COND_FETCH_FAILED);
	return 0;
}
