/*
 * The OCIRepository reconcile, the short orchestrator of Flux's source-controller
 * (source.toolkit.fluxcd.io/v1): decode the object, write progress when it changed, then the
 * steps in Flux's order (storage; source: auth, ref, verify, pull; artifact: see
 * ocirepository.h) and the deletion path. Failures keep the last artifact in status and on
 * disk; the manager retries them with backoff.
 */
#include <stdlib.h>
#include <string.h>

#include "controllers/ocirepository/ocirepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/banned.h"

/* Flux's ProgressiveStatus, written at once when the object changed since it was last
 * handled. */
static void mark_progress(struct ocirepo *o)
{
	int64_t gen = 0, observed = -1;
	doc_int64(doc_get(o->obj, "metadata.generation"), &gen);
	doc_int64(doc_get(o->obj, "status.observedGeneration"), &observed);
	if (gen == observed)
		return;
	if (observed > 0)
		rt_cond_mark_reconciling(o->a, o->obj, RT_REASON_PROGRESSING,
					 "processing object: new generation %lld -> %lld",
					 (long long)observed, (long long)gen);
	else
		rt_cond_mark_reconciling(o->a, o->obj, RT_REASON_PROGRESSING, "reconciliation in progress");
	if (!rt_cond_get(o->obj, RT_COND_READY, &(struct rt_condition){ 0 }))
		rt_cond_mark_unknown(o->a, o->obj, RT_COND_READY, RT_REASON_PROGRESSING,
				     "reconciliation in progress");
	rt_write_status(o->r);
	err_clear();
}

static void ocirepo_init(struct ocirepo *o, struct rt_reconcile *r)
{
	memset(o, 0, sizeof(*o));
	o->r = r;
	o->ctl = rt_data(r);
	o->a = rt_arena(r);
	o->obj = rt_object_doc(r);
	o->ns = rt_namespace(r);
	o->name = rt_name(r);
	o->sobj = (struct storage_object){ OCIREPO_KIND, o->ns, o->name };
	ocirepo_spec_decode(o);
	o->deadline_ms = clock_mono_ms() + (o->spec.timeout_ms > 0 ? o->spec.timeout_ms
								   : OCIREPO_DEFAULT_TIMEOUT_MS);
	o->failing = rt_cond_is_true(o->obj, COND_FETCH_FAILED) ||
		     rt_cond_is_true(o->obj, COND_STORAGE_FAILED);
	const char *d = doc_get_str(o->obj, "status.artifact.digest");
	o->old_digest = d ? arena_strdup(o->a, d) : NULL;
}

static int steps(struct ocirepo *o, struct rt_result *res)
{
	int rc;
	ctl_storage_step(o->ctl->svc, o->r, &o->sobj, o->obj);
	/* a failed verification is computed again (Flux's reconcileSource) */
	if (rt_cond_is_false(o->obj, COND_SOURCE_VERIFIED))
		rt_cond_delete(o->obj, COND_SOURCE_VERIFIED);
	if ((rc = ocirepo_auth(o, res)))
		return rc > 0 ? 0 : rc;
	if ((rc = ocirepo_ref(o, res)))
		return rc > 0 ? 0 : rc;
	bool stalled = false;
	if ((rc = ocirepo_verify(o, &stalled))) {
		if (!stalled)
			return rc;
		rt_cond_mark_stalled(o->a, o->obj, REASON_VERIFICATION_ERROR, "%s", err_msg());
		res->outcome = RT_STALLED;
		return 0;
	}
	if (ocirepo_has_revision(o, o->revision) && !ocirepo_content_config_changed(o)) {
		rt_cond_delete(o->obj, COND_FETCH_FAILED);
		return ocirepo_artifact(o);
	}
	if ((rc = storage_tmpdir(o->ctl->st, "oci", &o->dir))) {
		const char *msg = arena_sprintf(o->a, "failed to create temporary working directory: %s",
						err_msg());
		ocirepo_mark_failed(o, COND_STORAGE_FAILED, REASON_DIR_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	if ((rc = ocirepo_pull(o)))
		return rc;
	return ocirepo_artifact(o);
}

static int reconcile(struct rt_reconcile *r, struct rt_result *res)
{
	struct ocirepo o;
	ocirepo_init(&o, r);
	rt_cond_delete(o.obj, RT_COND_STALLED);
	mark_progress(&o);
	int rc = steps(&o, res);
	ocirepo_release(&o);
	return rc;
}

/* Deleting the object removes its artifacts. */
static int finalize(struct rt_reconcile *r)
{
	struct ocirepo_ctl *ctl = rt_data(r);
	const struct storage_object sobj = { OCIREPO_KIND, rt_namespace(r), rt_name(r) };
	storage_remove_all(ctl->st, &sobj);
	return 0;
}

const struct rt_controller ocirepository_controller = {
	.name = "ocirepository",
	.group = "source.toolkit.fluxcd.io",
	.version = "v1",
	.kind = OCIREPO_KIND,
	.component = "source-controller",
	.reconcile = reconcile,
	.finalize = finalize,
	.setup = ocirepo_setup,
	.teardown = ocirepo_teardown,
};
