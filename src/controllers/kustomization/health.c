/*
 * The health step: with spec.wait every object applied (not skipped), else the objects of
 * spec.healthChecks, are waited for until Current (kstatus, src/apply) within spec.timeout;
 * the Healthy condition says how it went, as the kustomize-controller's checkHealth.
 * Without either, there is no Healthy condition.
 */
#include <stddef.h>

#include "controllers/kustomization/ks.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "runtime/controller.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/banned.h"

/* The refs of spec.healthChecks (entries that do not make a ref are left out, as before). */
static void health_check_refs(struct ks_run *run, struct apply_ref **out, size_t *n)
{
	struct arena *a = run->a;
	const struct ks_spec *spec = run->spec;
	*out = arena_alloc(a, spec->nhealth_checks * sizeof(**out));
	*n = 0;
	for (size_t i = 0; i < spec->nhealth_checks; i++) {
		const struct ks_health_check *hc = &spec->health_checks[i];
		/* apply_ref_of splits apiVersion into group and version as for any object. */
		struct doc_node *o = doc_new_map(a), *md = doc_new_map(a);
		doc_map_set(a, o, "apiVersion", doc_new_str(a, hc->api_version));
		doc_map_set(a, o, "kind", doc_new_str(a, hc->kind));
		doc_map_set(a, md, "name", doc_new_str(a, hc->name));
		if (hc->namespace)
			doc_map_set(a, md, "namespace", doc_new_str(a, hc->namespace));
		doc_map_set(a, o, "metadata", md);
		if (apply_ref_of(&(*out)[*n], a, o) == 0)
			(*n)++;
	}
}

int ks_health_step(struct ks_run *run)
{
	struct arena *a = run->a;
	struct doc_node *obj = run->obj;
	if (!run->spec->wait && !run->spec->nhealth_checks) {
		rt_cond_delete(obj, RT_COND_HEALTHY);
		return 0;
	}
	struct apply_ref *refs = NULL;
	size_t nrefs = 0;
	if (run->spec->wait)
		apply_changeset_refs(&refs, &nrefs, a, &run->cs, true);
	else
		health_check_refs(run, &refs, &nrefs);
	rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING, "Running health checks for revision %s with a timeout of %s",
				 run->revision, run->timeout_str);
	rt_cond_mark_unknown(a, obj, RT_COND_HEALTHY, RT_REASON_PROGRESSING,
			     "Running health checks for revision %s with a timeout of %s", run->revision, run->timeout_str);
	ks_status_store(a, obj, run->status);
	rt_write_status(run->r);
	struct apply_wait_opts wo = { .interval_ms = 2000, .timeout_ms = run->spec->timeout_ms };
	int rc = nrefs ? apply_wait(run->m, a, refs, nrefs, &wo) : 0;
	if (rc) {
		const char *msg = arena_strdup(a, err_msg());
		rt_cond_mark_false(a, obj, RT_COND_HEALTHY, RT_REASON_HEALTH_CHECK_FAILED, "%s", msg);
		return err_set(rc, "%s", msg);
	}
	rt_cond_mark_true(a, obj, RT_COND_HEALTHY, RT_REASON_SUCCEEDED, "Health check passed in %s",
			  ks_duration(a, clock_mono_ms() - run->started));
	return 0;
}
