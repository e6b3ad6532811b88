/*
 * The generator's status and events (source-watcher artifactgenerator_status.go): failures
 * as Ready=False with a Warning event, terminal ones Stalled too, summarizeStatus at the end
 * of every reconcile, Trace events (logged only: Flux's event recorder does not send Trace
 * events to the Kubernetes API, and tide has no notification controller yet), and the
 * inventory written back.
 */
#include <string.h>

#include "controllers/artifactgenerator/ag.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/log.h"
#include "util/banned.h"

void ag_fail(struct ag *g, const char *reason, const char *msg)
{
	rt_cond_mark_false(g->a, g->obj, RT_COND_READY, reason, "%s", msg);
	rt_eventf(g->r, "Warning", reason, NULL, "%s", msg);
}

void ag_stall(struct ag *g, const char *reason, const char *msg)
{
	rt_cond_mark_false(g->a, g->obj, RT_COND_READY, reason, "%s", msg);
	rt_cond_mark_stalled(g->a, g->obj, reason, "%s", msg);
	rt_eventf(g->r, "Warning", reason, NULL, "%s", msg);
}

void ag_summarize(struct ag *g)
{
	struct rt_condition rc;
	if (rt_cond_is_false(g->obj, RT_COND_READY) && rt_cond_get(g->obj, RT_COND_RECONCILING, &rc))
		rt_cond_set(g->a, g->obj, RT_COND_RECONCILING, rc.status, RT_REASON_PROGRESSING_WITH_RETRY, "%s",
			    rc.message);
	if (rt_cond_is_true(g->obj, RT_COND_READY) || rt_cond_is_true(g->obj, RT_COND_STALLED))
		rt_cond_delete(g->obj, RT_COND_RECONCILING);
}

void ag_trace(struct ag *g, const char *reason, const char *msg)
{
	rt_log(g->r, LOG_DEBUG, msg, "reason", reason, "type", "Trace", NULL);
}

void ag_status_store(struct ag *g, const struct ag_ref *refs, size_t n, const char *sources_digest)
{
	struct arena *a = g->a;
	if (n) {
		struct doc_node *inv = doc_new_seq(a);
		for (size_t i = 0; i < n; i++) {
			struct doc_node *e = doc_new_map(a);
			doc_map_set(a, e, "name", doc_new_str(a, refs[i].name));
			doc_map_set(a, e, "namespace", doc_new_str(a, refs[i].namespace));
			doc_map_set(a, e, "digest", doc_new_str(a, refs[i].digest));
			doc_map_set(a, e, "filename", doc_new_str(a, refs[i].filename));
			doc_seq_push(a, inv, e);
		}
		doc_set(a, g->obj, "status.inventory", inv);
	} else {
		doc_delete(g->obj, "status.inventory");
	}
	doc_set(a, g->obj, "status.observedSourcesDigest", doc_new_str(a, sources_digest));
}
