/*
 * The HelmRepository reconcile, the short orchestrator of Flux's source-controller: a
 * repository of type oci is a static object (Flux's migrationToStatic: its artifacts
 * removed, its status emptied, nothing fetched; HelmCharts read its spec directly); a
 * default one goes through storage, source and artifact (helmrepository.h), and its
 * artifacts are removed when it is deleted.
 */
#include <stdlib.h>
#include <string.h>

#include "controllers/helmrepository/helmrepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

static void mark_progress(struct helmrepo *h)
{
	int64_t gen = 0, observed = -1;
	doc_int64(doc_get(h->obj, "metadata.generation"), &gen);
	doc_int64(doc_get(h->obj, "status.observedGeneration"), &observed);
	if (gen == observed)
		return;
	if (observed > 0)
		rt_cond_mark_reconciling(h->a, h->obj, RT_REASON_PROGRESSING,
					 "processing object: new generation %lld -> %lld",
					 (long long)observed, (long long)gen);
	else
		rt_cond_mark_reconciling(h->a, h->obj, RT_REASON_PROGRESSING, "reconciliation in progress");
	if (!rt_cond_get(h->obj, RT_COND_READY, &(struct rt_condition){ 0 }))
		rt_cond_mark_unknown(h->a, h->obj, RT_COND_READY, RT_REASON_PROGRESSING,
				     "reconciliation in progress");
	rt_write_status(h->r);
	err_clear();
}

static int reconcile(struct rt_reconcile *r, struct rt_result *res)
{
	struct helmrepo h;
	memset(&h, 0, sizeof(h));
	h.r = r;
	h.ctl = rt_data(r);
	h.a = rt_arena(r);
	h.obj = rt_object_doc(r);
	h.ns = rt_namespace(r);
	h.name = rt_name(r);
	h.sobj = (struct storage_object){ HELMREPO_KIND, h.ns, h.name };
	helmrepo_spec_decode(&h);
	if (!strcmp(h.spec.type, "oci")) {
		storage_remove_all(h.ctl->st, &h.sobj);
		doc_delete(h.obj, "status.artifact");
		doc_delete(h.obj, "status.url");
		doc_delete(h.obj, "status.conditions");
		return 0;
	}
	h.failing = rt_cond_is_true(h.obj, COND_FETCH_FAILED) ||
		    rt_cond_is_true(h.obj, COND_STORAGE_FAILED);
	const char *d = doc_get_str(h.obj, "status.artifact.digest");
	h.old_digest = d ? arena_strdup(h.a, d) : NULL;
	rt_cond_delete(h.obj, RT_COND_STALLED);
	mark_progress(&h);
	ctl_storage_step(h.ctl->svc, r, &h.sobj, h.obj);
	int rc = helmrepo_source(&h, res);
	if (!rc)
		rc = helmrepo_artifact(&h);
	helmrepo_release(&h);
	return rc > 0 ? 0 : rc;
}

static int finalize(struct rt_reconcile *r)
{
	struct helmrepo_ctl *ctl = rt_data(r);
	const struct storage_object sobj = { HELMREPO_KIND, rt_namespace(r), rt_name(r) };
	storage_remove_all(ctl->st, &sobj);
	return 0;
}

const struct rt_controller helmrepository_controller = {
	.name = "helmrepository",
	.group = "source.toolkit.fluxcd.io",
	.version = "v1",
	.kind = HELMREPO_KIND,
	.component = "source-controller",
	.reconcile = reconcile,
	.finalize = finalize,
	.setup = helmrepo_setup,
	.teardown = helmrepo_teardown,
};
