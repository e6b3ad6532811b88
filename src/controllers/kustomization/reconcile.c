/*
 * One reconcile of a Kustomization, as the kustomize-controller's Reconcile and
 * reconcile() do it: decode the object, resolve the source and its artifact, wait for
 * dependencies, mark progress, then run the steps (artifact, build, apply, prune, health)
 * and write Flux's conditions, events and requeue. The steps are in their own files (ks.h);
 * this file decides what a step's failure means.
 */
#include <string.h>

#include "controllers/common/artifact.h"
#include "controllers/common/events.h"
#include "controllers/kustomization/ks.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "runtime/controller.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/banned.h"

/* Ready=False with a Warning event, as Flux's failures are broadcast. */
static void fail(struct rt_reconcile *r, const char *reason, const char *msg)
{
	rt_cond_mark_false(rt_arena(r), rt_object_doc(r), RT_COND_READY, reason, "%s", msg);
	rt_eventf(r, "Warning", reason, NULL, "%s", msg);
}

/* A failure retrying cannot fix until the object changes (a refused sourceRef). */
static int stall(struct rt_reconcile *r, struct rt_result *res, const char *reason)
{
	const char *msg = arena_strdup(rt_arena(r), err_msg());
	fail(r, reason, msg);
	rt_cond_mark_stalled(rt_arena(r), rt_object_doc(r), reason, "%s", msg);
	res->outcome = RT_STALLED;
	return 0;
}

/* Not ready to run yet (no source, no artifact, dependencies): Ready=False, logged, no
 * event, tried again after ms. */
static int wait_for(struct rt_reconcile *r, struct rt_result *res, const char *reason, const char *msg,
		    const char *log, int64_t ms)
{
	rt_cond_mark_false(rt_arena(r), rt_object_doc(r), RT_COND_READY, reason, "%s", msg);
	rt_log(r, LOG_INFO, log ? log : msg, NULL);
	res->outcome = RT_REQUEUE;
	res->requeue_after_ms = ms;
	return 0;
}

void ks_event_meta(struct ctl_event_meta *out, const char *revision, const char *origin)
{
	*out = (struct ctl_event_meta){ .group = KS_GROUP, .revision = revision, .origin_revision = origin };
}

static const struct {
	int (*fn)(struct ks_run *run);
	const char *reason;
} steps[] = {
	{ ks_artifact_step, RT_REASON_ARTIFACT_FAILED },
	{ ks_build_step, RT_REASON_BUILD_FAILED },
	{ ks_apply_step, RT_REASON_RECONCILIATION_FAILED },
	{ ks_prune_step, RT_REASON_PRUNE_FAILED },
	{ ks_health_step, RT_REASON_HEALTH_CHECK_FAILED },
};

/* Writes the outcome of the steps: Ready=True with the revision applied, or, as Flux, a
 * failure broadcast and retried at spec.retryInterval (not with the work queue's backoff). */
static int finish(struct ks_run *run, struct rt_result *res, const char *fail_reason, const char *fail_msg)
{
	struct arena *a = run->a;
	struct doc_node *obj = run->obj;
	if (!fail_reason) {
		run->status->last_applied_revision = run->revision;
		run->status->last_applied_origin_revision = run->origin_revision;
		run->status->origin_set = true;
	}
	ks_status_store(a, obj, run->status);
	rt_cond_delete(obj, RT_COND_RECONCILING);
	if (fail_reason) {
		fail(run->r, fail_reason, fail_msg);
		rt_log(run->r, LOG_ERROR, arena_sprintf(a, "Reconciliation failed after %s, next try in %s",
							ks_duration(a, clock_mono_ms() - run->started),
							ks_duration(a, run->spec->retry_interval_ms)),
		       "revision", run->revision, "error", fail_msg, NULL);
		res->outcome = RT_REQUEUE;
		res->requeue_after_ms = run->spec->retry_interval_ms;
		return 0;
	}
	rt_cond_delete(obj, RT_COND_STALLED);
	rt_cond_mark_true(a, obj, RT_COND_READY, RT_REASON_RECONCILIATION_SUCCEEDED, "Applied revision: %s",
			  run->revision);
	res->outcome = RT_SUCCESS;
	return 0;
}

int ks_reconcile(struct rt_reconcile *r, struct rt_result *res)
{
	struct arena *a = rt_arena(r);
	struct doc_node *obj = rt_object_doc(r);
	const struct rt_manager_opts *mo = rt_manager_opts(rt_manager(r));
	int64_t requeue_dep = mo->requeue_dependency_ms ? mo->requeue_dependency_ms : 30000;
	struct ks_spec spec;
	struct ks_status st;
	struct ks_run run = { .r = r, .a = a, .obj = obj, .spec = &spec, .status = &st,
			      .started = clock_mono_ms() };

	/* Source. */
	if (ks_spec_decode(&spec, &st, a, obj))
		return stall(r, res, RT_REASON_ARTIFACT_FAILED);
	if (ctl_source_ref_check_access(&spec.source_ref, spec.namespace, ks_settings.refs.no_cross_namespace_refs))
		return stall(r, res, CTL_REASON_ACCESS_DENIED);
	if (!strcmp(spec.source_ref.kind, "ExternalArtifact") && !ks_settings.external_artifact) {
		err_set(ERR_AUTH, "can't access '%s/%s/%s', ExternalArtifact feature gate is disabled", spec.source_ref.kind,
			spec.source_ref.namespace, spec.source_ref.name);
		return stall(r, res, CTL_REASON_ACCESS_DENIED);
	}
	struct doc_node *src = NULL;
	if (ctl_source_get(r, &spec.source_ref, &src))
		return wait_for(r, res, RT_REASON_ARTIFACT_FAILED, arena_strdup(a, err_msg()), NULL,
				spec.retry_interval_ms);
	struct ctl_artifact art;
	if (ctl_artifact_of(&art, src)) {
		const char *msg = arena_sprintf(a, "Source artifact not found, retrying in %s", ks_duration(a, requeue_dep));
		return wait_for(r, res, RT_REASON_ARTIFACT_FAILED, msg, NULL, requeue_dep);
	}
	run.revision = art.revision;
	run.url = art.url;
	run.digest = art.digest;
	run.origin_revision = art.origin_revision;

	/* Dependencies. */
	if (ctl_dependson_check(r, KS_API_VERSION, KS_KIND, spec.depends_on, spec.ndepends_on)) {
		const char *log = arena_sprintf(a, "Dependencies do not meet ready condition, retrying in %s",
						ks_duration(a, requeue_dep));
		return wait_for(r, res, RT_REASON_DEPENDENCY_NOT_READY, arena_strdup(a, err_msg()), log, requeue_dep);
	}

	/* Progress, written at once when there is news: a new revision or not Ready. */
	run.timeout_str = ks_duration(a, spec.timeout_ms);
	if (!rt_cond_is_ready(obj) ||
	    strcmp(run.revision, st.last_applied_revision ? st.last_applied_revision : "")) {
		rt_cond_mark_unknown(a, obj, RT_COND_READY, RT_REASON_PROGRESSING, "Reconciliation in progress");
		rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING,
					 "Fetching manifests for revision %s with a timeout of %s", run.revision,
					 run.timeout_str);
		rt_write_status(r);
	}

	/* No working directory: nothing can run; retried with backoff. */
	int rc = ks_workdir(&run);
	if (rc) {
		const char *msg = arena_strdup(a, err_msg());
		fail(r, "DirCreationFailed", msg);
		return err_set(rc, "%s", msg);
	}
	const char *fail_reason = NULL;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]) && !fail_reason; i++)
		if (steps[i].fn(&run))
			fail_reason = steps[i].reason;
	const char *fail_msg = fail_reason ? arena_strdup(a, err_msg()) : NULL;
	ks_run_release(&run);
	return finish(&run, res, fail_reason, fail_msg);
}
