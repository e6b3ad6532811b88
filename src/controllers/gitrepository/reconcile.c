/*
 * The GitRepository reconcile, the short orchestrator of Flux's source-controller
 * (source.toolkit.fluxcd.io/v1): decode the object, refuse a URL no transport can take
 * (Stalled), write progress when the object changed, then the steps in Flux's order
 * (storage, auth, include, fetch, verify, artifact: see gitrepository.h) and the deletion path.
 * Failures keep the last artifact in status and on disk; the manager retries them with
 * backoff.
 */
#include <stdlib.h>
#include <string.h>

#include "controllers/gitrepository/gitrepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/banned.h"

static bool url_supported(const char *url)
{
	static const char *const schemes[] = { "http://", "https://", "ssh://", "file://" };
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strncmp(url, schemes[i], strlen(schemes[i])))
			return true;
	/* scp-like: user@host:path */
	const char *at = strchr(url, '@'), *colon = strchr(url, ':');
	return at && colon && at < colon && !strstr(url, "://");
}

/* Flux's ProgressiveStatus, written at once when the object changed since it was last
 * handled (its mid-reconcile patch). */
static void mark_progress(struct gitrepo *g)
{
	int64_t gen = 0, observed = -1;
	doc_int64(doc_get(g->obj, "metadata.generation"), &gen);
	doc_int64(doc_get(g->obj, "status.observedGeneration"), &observed);
	if (gen == observed)
		return;
	if (observed > 0)
		rt_cond_mark_reconciling(g->a, g->obj, RT_REASON_PROGRESSING,
					 "processing object: new generation %lld -> %lld",
					 (long long)observed, (long long)gen);
	else
		rt_cond_mark_reconciling(g->a, g->obj, RT_REASON_PROGRESSING, "reconciliation in progress");
	if (!rt_cond_get(g->obj, RT_COND_READY, &(struct rt_condition){ 0 }))
		rt_cond_mark_unknown(g->a, g->obj, RT_COND_READY, RT_REASON_PROGRESSING,
				     "reconciliation in progress");
	rt_write_status(g->r);
}

static void gitrepo_init(struct gitrepo *g, struct rt_reconcile *r)
{
	memset(g, 0, sizeof(*g));
	g->r = r;
	g->ctl = rt_data(r);
	g->a = rt_arena(r);
	g->obj = rt_object_doc(r);
	g->ns = rt_namespace(r);
	g->name = rt_name(r);
	g->sobj = (struct storage_object){ GITREPO_KIND, g->ns, g->name };
	gitrepo_spec_decode(g);
}

/* The steps after the URL check; 0 with res set when one stops the reconcile without an
 * error. */
static int steps(struct gitrepo *g, struct rt_result *res)
{
	int rc;
	gitrepo_storage(g);
	if ((rc = gitrepo_auth(g)))
		return rc;
	/* included repositories' artifacts, before the fetch, as Flux orders it */
	if ((rc = gitrepo_include(g, res)))
		return rc > 0 ? 0 : rc;
	if (gitrepo_includes_differ(g)) {
		const char *m = "included artifacts differ from last observed includes";
		if (doc_get(g->obj, "status.includedArtifacts"))
			rt_cond_mark_true(g->a, g->obj, COND_ARTIFACT_OUTDATED, "IncludeChange", "%s", m);
		rt_cond_mark_reconciling(g->a, g->obj, RT_REASON_PROGRESSING, "building artifact: %s", m);
	}
	if ((rc = gitrepo_fetch(g)))
		return rc;
	/* spec.verify, before anything is built from the commit (no artifact on failure) */
	bool stalled = false;
	if ((rc = gitrepo_verify(g, &stalled))) {
		if (!stalled)
			return rc;
		res->outcome = RT_STALLED;
		return 0;
	}
	return gitrepo_artifact(g);
}

static int reconcile(struct rt_reconcile *r, struct rt_result *res)
{
	struct gitrepo g;
	gitrepo_init(&g, r);
	const char *url = g.spec.url;
	if (!url || !url_supported(url)) {
		const char *msg = arena_sprintf(g.a, "failed to parse url '%s': unsupported scheme",
						url ? url : "");
		gitrepo_mark_failed(&g, COND_FETCH_FAILED, REASON_URL_INVALID, msg);
		rt_cond_mark_stalled(g.a, g.obj, REASON_URL_INVALID, "%s", msg);
		res->outcome = RT_STALLED;
		return 0;
	}
	rt_cond_delete(g.obj, RT_COND_STALLED);
	mark_progress(&g);
	int rc = steps(&g, res);
	gitrepo_release(&g);
	return rc;
}

/* Deleting the object removes its artifacts and its Git cache. */
static int finalize(struct rt_reconcile *r)
{
	struct gitrepo_ctl *ctl = rt_data(r);
	const struct storage_object sobj = { GITREPO_KIND, rt_namespace(r), rt_name(r) };
	storage_remove_all(ctl->st, &sobj);
	char *cache = gitrepo_cache_dir(ctl, rt_namespace(r), rt_name(r));
	fs_rm_rf(cache);
	free(cache);
	return 0;
}

static const struct rt_watch watches[] = {
	{ GITREPO_API_VERSION, GITREPO_KIND, gitrepo_artifact_changed },
	{ 0 },
};

const struct rt_controller gitrepository_controller = {
	.name = "gitrepository",
	.group = "source.toolkit.fluxcd.io",
	.version = "v1",
	.kind = GITREPO_KIND,
	.component = "source-controller",
	.reconcile = reconcile,
	.finalize = finalize,
	.watches = watches,
	.setup = gitrepo_setup,
	.teardown = gitrepo_teardown,
};
