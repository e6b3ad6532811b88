/*
 * The HelmChart reconcile, the short orchestrator of Flux's source-controller: progress
 * marked, then storage (the shared step), source (which builds) and artifact
 * (helmchart.h); the scratch directory removed whatever happened, and the artifacts
 * removed when the object is deleted.
 */
#include <string.h>

#include "controllers/helmchart/helmchart.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

extern const struct rt_watch helmchart_watches[];

static void mark_progress(struct helmchart *c)
{
	if (c->generation == c->observed_generation)
		return;
	if (c->observed_generation > 0)
		rt_cond_mark_reconciling(c->a, c->obj, RT_REASON_PROGRESSING,
					 "processing object: new generation %lld -> %lld",
					 (long long)c->observed_generation, (long long)c->generation);
	else
		rt_cond_mark_reconciling(c->a, c->obj, RT_REASON_PROGRESSING, "reconciliation in progress");
	if (!rt_cond_get(c->obj, RT_COND_READY, &(struct rt_condition){ 0 }))
		rt_cond_mark_unknown(c->a, c->obj, RT_COND_READY, RT_REASON_PROGRESSING,
				     "reconciliation in progress");
	rt_write_status(c->r);
	err_clear();
}

static int reconcile(struct rt_reconcile *r, struct rt_result *res)
{
	struct helmchart c;
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.ctl = rt_data(r);
	c.a = rt_arena(r);
	c.obj = rt_object_doc(r);
	c.ns = rt_namespace(r);
	c.name = rt_name(r);
	c.sobj = (struct storage_object){ HELMCHART_KIND, c.ns, c.name };
	helmchart_spec_decode(&c);
	c.failing = rt_cond_is_true(c.obj, COND_FETCH_FAILED) ||
		    rt_cond_is_true(c.obj, COND_BUILD_FAILED) ||
		    rt_cond_is_true(c.obj, COND_STORAGE_FAILED);
	const char *d = doc_get_str(c.obj, "status.artifact.digest");
	c.old_digest = d ? arena_strdup(c.a, d) : NULL;
	rt_cond_delete(c.obj, RT_COND_STALLED);
	mark_progress(&c);
	ctl_storage_step(c.ctl->svc, r, &c.sobj, c.obj);
	int rc = helmchart_source(&c, res);
	if (!rc)
		rc = helmchart_artifact(&c);
	helmchart_release(&c);
	return rc > 0 ? 0 : rc;
}

static int finalize(struct rt_reconcile *r)
{
	struct helmchart_ctl *ctl = rt_data(r);
	const struct storage_object sobj = { HELMCHART_KIND, rt_namespace(r), rt_name(r) };
	storage_remove_all(ctl->st, &sobj);
	return 0;
}

const struct rt_controller helmchart_controller = {
	.name = "helmchart",
	.group = "source.toolkit.fluxcd.io",
	.version = "v1",
	.kind = HELMCHART_KIND,
	.component = "source-controller",
	.reconcile = reconcile,
	.finalize = finalize,
	.watches = helmchart_watches,
	.setup = helmchart_setup,
	.teardown = helmchart_teardown,
};
