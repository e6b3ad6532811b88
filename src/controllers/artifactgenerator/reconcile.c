/*
 * One reconcile of an ArtifactGenerator, in source-watcher's order (Reconcile and
 * reconcile in internal/controller/artifactgenerator_controller.go): the reconcile
 * annotation's "disabled" stops everything; the spec is validated (terminal); the sources
 * are observed and, when nothing drifted, the reconcile ends there; otherwise Reconciling
 * is written, the sources fetched, the artifacts expanded (pathPattern), built, stored and
 * published as ExternalArtifacts, those that left the spec deleted with their storage, and
 * the inventory recorded. Deleting the generator deletes its ExternalArtifacts (finalize).
 */
#include <stdlib.h>
#include <string.h>

#include "controllers/artifactgenerator/ag.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/log.h"
#include "util/banned.h"

static int64_t requeue_dependency(struct ag *g)
{
	int64_t ms = rt_manager_opts(rt_manager(g->r))->requeue_dependency_ms;
	return ms > 0 ? ms : 30000;
}

/* GetRequeueAfter with the manager's interval jitter (JitteredIntervalDuration). */
static int64_t jittered(struct ag *g)
{
	double j = rt_manager_opts(rt_manager(g->r))->interval_jitter;
	if (j <= 0)
		j = 0.05;
	return AG_REQUEUE_MS + (int64_t)((double)AG_REQUEUE_MS * j * ((double)random() / (double)RAND_MAX));
}

/* addFinalizer's initial conditions, on the first reconcile (the manager added the
 * finalizer already). */
static void init_conditions(struct ag *g)
{
	if (doc_get(g->obj, "status.conditions"))
		return;
	if (ag_disabled(g)) {
		rt_cond_mark_true(g->a, g->obj, RT_COND_READY, AG_REASON_DISABLED, "%s", AG_MSG_INIT_SUSPENDED);
		return;
	}
	rt_cond_mark_unknown(g->a, g->obj, RT_COND_READY, RT_REASON_PROGRESSING, "%s", AG_MSG_IN_PROGRESS);
	rt_cond_mark_reconciling(g->a, g->obj, RT_REASON_PROGRESSING, "%s", AG_MSG_IN_PROGRESS);
}

static int wait_sources(struct ag *g, struct rt_result *res, const char *what, const char *log)
{
	const char *msg = arena_sprintf(g->a, "%s: %s", what, err_msg());
	ag_fail(g, AG_REASON_SOURCE_FETCH, msg);
	rt_log(g->r, LOG_ERROR, log, "error", err_msg(), NULL);
	res->outcome = RT_REQUEUE;
	res->requeue_after_ms = requeue_dependency(g);
	return 0;
}

/* notify: a Normal event listing the ExternalArtifacts whose digest is new. */
static void notify(struct ag *g, const struct ag_ref *refs, size_t n)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (ag_in_inventory(g->inventory, g->ninventory, refs[i].name, refs[i].namespace, refs[i].digest))
			continue;
		buf_addf(&b, "%s%s/%s (%s)", b.len ? "\n" : "", refs[i].namespace, refs[i].name, refs[i].digest);
	}
	if (b.len)
		rt_eventf(g->r, "Normal", RT_COND_READY, NULL, "external artifacts reconciled: %s", b.ptr);
	buf_release(&b);
}

/* findOrphanedReferences + finalizeExternalArtifacts */
static void collect_orphans(struct ag *g, const struct ag_ref *refs, size_t n)
{
	struct ag_ref *orphans = arena_alloc(g->a, (g->ninventory ? g->ninventory : 1) * sizeof(*orphans));
	size_t no = 0;
	for (size_t i = 0; i < g->ninventory; i++) {
		bool kept = false;
		for (size_t j = 0; j < n && !kept; j++)
			kept = !strcmp(refs[j].name, g->inventory[i].name) && !strcmp(refs[j].namespace, g->inventory[i].namespace);
		if (!kept)
			orphans[no++] = g->inventory[i];
	}
	if (no)
		ag_ea_delete(g, orphans, no);
}

static int generate(struct ag *g, struct rt_result *res, const char *sources_digest)
{
	struct arena *a = g->a;
	int rc;
	if ((rc = ag_sources_fetch(g)))
		return wait_sources(g, res, "fetch sources failed", "failed to fetch sources, retrying");
	struct ag_output *outs;
	size_t n;
	bool terminal;
	if ((rc = ag_expand(g, &outs, &n, &terminal))) {
		const char *msg = arena_sprintf(a, "failed to expand path pattern: %s", err_msg());
		if (terminal) {
			ag_stall(g, RT_REASON_BUILD_FAILED, msg);
			res->outcome = RT_STALLED;
			return 0;
		}
		rt_cond_delete(g->obj, RT_COND_STALLED);
		ag_fail(g, RT_REASON_BUILD_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	struct ag_ref *refs = arena_alloc(a, (n ? n : 1) * sizeof(*refs));
	for (size_t i = 0; i < n; i++) {
		struct ag_built b;
		if ((rc = ag_build(g, &outs[i], &b))) {
			const char *msg = arena_sprintf(a, "%s build failed: %s", outs[i].name, err_msg());
			ag_fail(g, RT_REASON_BUILD_FAILED, msg);
			return err_set(rc, "%s", msg);
		}
		if ((rc = ag_ea_apply(g, &outs[i], &b, &refs[i]))) {
			const char *msg = arena_sprintf(a, "%s reconcile failed: %s", outs[i].name, err_msg());
			ag_fail(g, RT_REASON_RECONCILIATION_FAILED, msg);
			return err_set(rc, "%s", msg);
		}
	}
	collect_orphans(g, refs, n);
	ag_status_store(g, refs, n, sources_digest);
	const char *msg = arena_sprintf(a, "reconciliation succeeded, generated %zu artifact(s)", n);
	rt_cond_mark_true(a, g->obj, RT_COND_READY, RT_REASON_SUCCEEDED, "%s", msg);
	ag_trace(g, RT_COND_READY, msg);
	notify(g, refs, n);
	res->requeue_after_ms = jittered(g);
	return 0;
}

static int steps(struct ag *g, struct rt_result *res)
{
	const char *reason;
	init_conditions(g);
	if (ag_disabled(g)) {
		rt_log(g->r, LOG_ERROR, AG_MSG_DISABLED, "error", "can't reconcile", NULL);
		ag_trace(g, AG_REASON_DISABLED, AG_MSG_DISABLED);
		res->requeue_after_ms = 0; /* no spec.interval: not requeued */
		return 0;
	}
	if (ag_validate(g, &reason)) {
		ag_stall(g, reason, arena_strdup(g->a, err_msg()));
		res->outcome = RT_STALLED;
		return 0;
	}
	if (ag_sources_observe(g))
		return wait_sources(g, res, "get sources failed", "failed to get sources, retrying");
	const char *digest = ag_sources_digest(g);
	const char *drift = ag_drift(g, digest);
	if (!drift) {
		const char *msg = arena_sprintf(g->a, "No drift detected, %zu artifact(s) up to date", g->ninventory);
		rt_log(g->r, LOG_INFO, msg, NULL);
		ag_trace(g, RT_COND_READY, msg);
		res->requeue_after_ms = AG_REQUEUE_MS;
		return 0;
	}
	rt_cond_mark_reconciling(g->a, g->obj, RT_REASON_PROGRESSING, "%s", AG_MSG_IN_PROGRESS);
	rt_cond_mark_unknown(g->a, g->obj, RT_COND_READY, RT_REASON_PROGRESSING, "%s", AG_MSG_IN_PROGRESS);
	rt_log(g->r, LOG_INFO, AG_MSG_IN_PROGRESS, "reason", drift, NULL);
	int rc = rt_write_status(g->r);
	if (rc)
		return err_set(rc, "failed to update status: %s", err_msg());
	return generate(g, res, digest);
}

static int reconcile(struct rt_reconcile *r, struct rt_result *res)
{
	struct ag g;
	ag_init(&g, r);
	int rc = steps(&g, res);
	ag_summarize(&g);
	ag_release(&g);
	return rc;
}

static int finalize(struct rt_reconcile *r)
{
	struct ag g;
	ag_init(&g, r);
	ag_ea_delete(&g, g.inventory, g.ninventory);
	rt_log(r, LOG_INFO, "Removed finalizer", "finalizer", AG_FINALIZER, NULL);
	return 0;
}

const struct rt_controller artifactgenerator_controller = {
	.name = "artifactgenerator",
	.group = AG_GROUP,
	.version = "v1beta1",
	.kind = AG_KIND,
	.component = AG_COMPONENT,
	.reconcile = reconcile,
	.finalize = finalize,
	.finalizer = AG_FINALIZER,
	.no_observed_generation = true,
	.watches = ag_watches,
	.setup = ag_setup,
	.teardown = ag_teardown,
};
