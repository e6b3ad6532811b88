/*
 * Health: kstatus computed from live objects (fluxcd/cli-utils kstatus/status: core.go's
 * rules per kind and generic.go's conditions and observedGeneration), and the wait for a set
 * of objects (ssa manager_wait.go WaitForSet), polling with GETs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "apply/apply.h"
#include "apply/internal.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "util/clock.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

static const char *const status_names[] = {
	[APPLY_STATUS_CURRENT] = "Current",         [APPLY_STATUS_IN_PROGRESS] = "InProgress",
	[APPLY_STATUS_FAILED] = "Failed",           [APPLY_STATUS_TERMINATING] = "Terminating",
	[APPLY_STATUS_NOT_FOUND] = "NotFound",      [APPLY_STATUS_UNKNOWN] = "Unknown",
};

const char *apply_status_name(enum apply_status s)
{
	if ((unsigned)s >= sizeof status_names / sizeof *status_names)
		return "Unknown";
	return status_names[s];
}


static int64_t num(const struct doc_node *obj, const char *path, int64_t dflt)
{
	int64_t v;
	const struct doc_node *n = doc_get(obj, path);
	if (!n || doc_int64(n, &v))
		return dflt;
	return v;
}

/* The condition of type in status.conditions, or NULL. */
static const struct doc_node *condition(const struct doc_node *obj, const char *type)
{
	const struct doc_node *cs = doc_get(obj, "status.conditions");
	if (!cs || cs->kind != DOC_SEQ)
		return NULL;
	for (size_t i = 0; i < cs->u.seq.len; i++) {
		const char *t = doc_get_str(cs->u.seq.items[i], "type");
		if (t && !strcmp(t, type))
			return cs->u.seq.items[i];
	}
	return NULL;
}

static bool cond_is(const struct doc_node *obj, const char *type, const char *status)
{
	const struct doc_node *c = condition(obj, type);
	const char *s = c ? doc_get_str(c, "status") : NULL;
	return s && !strcmp(s, status);
}

static const char *cond_msg(const struct doc_node *obj, const char *type)
{
	const char *m = doc_get_str(condition(obj, type), "message");
	return m ? m : "";
}

#define RET(st, ...)                                              \
	do {                                                      \
		if (message)                                      \
			*message = arena_sprintf(a, __VA_ARGS__); \
		return st;                                        \
	} while (0)

/* kstatus's "fewer than wanted" rule: InProgress with "<label>: have/want" when have < want. */
#define BEHIND(label, have, want)                                                         \
	do {                                                                              \
		if ((want) > (have))                                                      \
			RET(APPLY_STATUS_IN_PROGRESS, label ": %" PRId64 "/%" PRId64, (have), \
			    (want));                                                      \
	} while (0)

/* ... and its "more than wanted" rule, replicas still to go away. */
#define SURPLUS(have, want)                                                                  \
	do {                                                                                 \
		if ((have) > (want))                                                         \
			RET(APPLY_STATUS_IN_PROGRESS, "Pending termination: %" PRId64, (have) - (want)); \
	} while (0)

static enum apply_status deployment(const struct doc_node *o, struct arena *a, const char **message)
{
	bool progressing = false, available = false;
	const struct doc_node *cs = doc_get(o, "status.conditions");
	for (size_t i = 0; cs && cs->kind == DOC_SEQ && i < cs->u.seq.len; i++) {
		const struct doc_node *c = cs->u.seq.items[i];
		const char *t = doc_get_str(c, "type"), *st = doc_get_str(c, "status");
		const char *r = doc_get_str(c, "reason");
		if (!t || !st)
			continue;
		if (!strcmp(t, "Progressing")) {
			if (r && !strcmp(r, "ProgressDeadlineExceeded"))
				RET(APPLY_STATUS_FAILED, "Progress deadline exceeded");
			if (!strcmp(st, "True") && r && !strcmp(r, "NewReplicaSetAvailable"))
				progressing = true;
		} else if (!strcmp(t, "Available") && !strcmp(st, "True"))
			available = true;
	}
	int64_t spec = num(o, "spec.replicas", 1), replicas = num(o, "status.replicas", 0);
	int64_t updated = num(o, "status.updatedReplicas", 0);
	int64_t ready = num(o, "status.readyReplicas", 0);
	int64_t avail = num(o, "status.availableReplicas", 0);
	BEHIND("Replicas", replicas, spec);
	BEHIND("Updated", updated, spec);
	SURPLUS(replicas, spec);
	BEHIND("Available", avail, spec);
	BEHIND("Ready", ready, spec);
	if (!progressing)
		RET(APPLY_STATUS_IN_PROGRESS, "ReplicaSet not Available");
	if (!available)
		RET(APPLY_STATUS_IN_PROGRESS, "Deployment not Available");
	RET(APPLY_STATUS_CURRENT, "Deployment is available. Replicas: %" PRId64, replicas);
}

static enum apply_status statefulset(const struct doc_node *o, struct arena *a, const char **message)
{
	const char *strategy = doc_get_str(o, "spec.updateStrategy.type");
	if (strategy && *strategy && strcmp(strategy, "RollingUpdate"))
		RET(APPLY_STATUS_CURRENT, "StatefulSet is using the ondelete update strategy");
	int64_t spec = num(o, "spec.replicas", 1), replicas = num(o, "status.replicas", 0);
	int64_t ready = num(o, "status.readyReplicas", 0);
	int64_t current = num(o, "status.currentReplicas", 0);
	int64_t updated = num(o, "status.updatedReplicas", 0);
	BEHIND("Replicas", replicas, spec);
	BEHIND("Ready", ready, spec);
	SURPLUS(replicas, spec);
	const struct doc_node *part = doc_get(o, "spec.updateStrategy.rollingUpdate.partition");
	if (part) {
		int64_t p = num(o, "spec.updateStrategy.rollingUpdate.partition", 0);
		BEHIND("updated", updated, spec - p);
		RET(APPLY_STATUS_CURRENT, "Partition rollout complete. updated: %" PRId64, updated);
	}
	BEHIND("current", current, spec);
	const char *cr = doc_get_str(o, "status.currentRevision");
	const char *ur = doc_get_str(o, "status.updateRevision");
	if (cr && ur && strcmp(cr, ur))
		RET(APPLY_STATUS_IN_PROGRESS, "Waiting for updated revision %s", ur);
	RET(APPLY_STATUS_CURRENT, "All replicas scheduled as expected. Replicas: %" PRId64, replicas);
}

static enum apply_status daemonset(const struct doc_node *o, struct arena *a, const char **message)
{
	if (!doc_get(o, "status.observedGeneration"))
		RET(APPLY_STATUS_IN_PROGRESS, "%s generation is %" PRId64 ", but latest observed generation is unknown",
		    "DaemonSet", num(o, "metadata.generation", 0));
	int64_t desired = num(o, "status.desiredNumberScheduled", 0);
	int64_t current = num(o, "status.currentNumberScheduled", 0);
	int64_t updated = num(o, "status.updatedNumberScheduled", 0);
	int64_t avail = num(o, "status.numberAvailable", 0);
	int64_t ready = num(o, "status.numberReady", 0);
	BEHIND("Current", current, desired);
	BEHIND("Updated", updated, desired);
	BEHIND("Available", avail, desired);
	BEHIND("Ready", ready, desired);
	RET(APPLY_STATUS_CURRENT, "All replicas scheduled as expected. Replicas: %" PRId64, desired);
}

static enum apply_status replicaset(const struct doc_node *o, struct arena *a, const char **message)
{
	if (cond_is(o, "ReplicaFailure", "True"))
		RET(APPLY_STATUS_IN_PROGRESS, "Replica Failure condition. %s", cond_msg(o, "ReplicaFailure"));
	int64_t spec = num(o, "spec.replicas", 1), replicas = num(o, "status.replicas", 0);
	int64_t labelled = num(o, "status.fullyLabeledReplicas", 0);
	int64_t avail = num(o, "status.availableReplicas", 0);
	int64_t ready = num(o, "status.readyReplicas", 0);
	BEHIND("Labelled", labelled, spec);
	BEHIND("Available", avail, spec);
	BEHIND("Ready", ready, spec);
	SURPLUS(replicas, spec);
	RET(APPLY_STATUS_CURRENT, "ReplicaSet is available. Replicas: %" PRId64, replicas);
}

static enum apply_status job(const struct doc_node *o, struct arena *a, const char **message)
{
	int64_t completions = num(o, "spec.completions", num(o, "spec.parallelism", 1));
	int64_t succeeded = num(o, "status.succeeded", 0), active = num(o, "status.active", 0);
	int64_t failed = num(o, "status.failed", 0);
	if (cond_is(o, "Complete", "True"))
		RET(APPLY_STATUS_CURRENT, "Job Completed. succeeded: %" PRId64 "/%" PRId64, succeeded, completions);
	if (cond_is(o, "Failed", "True"))
		RET(APPLY_STATUS_FAILED, "Job Failed. failed: %" PRId64 "/%" PRId64, failed, completions);
	if (!doc_get(o, "status.startTime"))
		RET(APPLY_STATUS_IN_PROGRESS, "Job not started");
	RET(APPLY_STATUS_IN_PROGRESS, "Job in progress. success:%" PRId64 ", active: %" PRId64 ", failed: %" PRId64,
	    succeeded, active, failed);
}

static enum apply_status pod(const struct doc_node *o, struct arena *a, const char **message)
{
	const char *phase = doc_get_str(o, "status.phase");
	phase = phase ? phase : "";
	if (!strcmp(phase, "Succeeded"))
		RET(APPLY_STATUS_CURRENT, "Pod has completed successfully");
	if (!strcmp(phase, "Failed"))
		RET(APPLY_STATUS_FAILED, "Pod has completed, but not successfully");
	if (!strcmp(phase, "Running")) {
		if (cond_is(o, "Ready", "True"))
			RET(APPLY_STATUS_CURRENT, "Pod is Ready");
		RET(APPLY_STATUS_IN_PROGRESS, "Pod is running but is not Ready");
	}
	const struct doc_node *sc = condition(o, "PodScheduled");
	const char *r = doc_get_str(sc, "reason");
	if (sc && cond_is(o, "PodScheduled", "False") && r && !strcmp(r, "Unschedulable"))
		RET(APPLY_STATUS_IN_PROGRESS, "Pod could not be scheduled");
	RET(APPLY_STATUS_IN_PROGRESS, "Pod is in the Pending phase");
}

static enum apply_status generic_ready(const struct doc_node *o, struct arena *a,
				       const char **message)
{
	const struct doc_node *c = condition(o, "Ready");
	const char *st = doc_get_str(c, "status");
	if (c && st && strcmp(st, "True"))
		RET(APPLY_STATUS_IN_PROGRESS, "%s", cond_msg(o, "Ready"));
	RET(APPLY_STATUS_CURRENT, "Resource is current");
}

enum apply_status apply_status_of(const struct doc_node *o, struct arena *a, const char **message)
{
	const char *kind = doc_get_str(o, "kind");
	const char *api = doc_get_str(o, "apiVersion");
	if (!kind || !api)
		RET(APPLY_STATUS_UNKNOWN, "object without apiVersion or kind");
	const char *slash = strchr(api, '/');
	size_t gl = slash ? (size_t)(slash - api) : 0;
	bool core = !slash, apps = gl == 4 && !strncmp(api, "apps", 4);
	bool batch = gl == 5 && !strncmp(api, "batch", 5);
	if (doc_get(o, "metadata.deletionTimestamp"))
		RET(APPLY_STATUS_TERMINATING, "Resource scheduled for deletion");
	/* generic properties: observedGeneration, Reconciling, Stalled */
	const struct doc_node *og = doc_get(o, "status.observedGeneration");
	if (og) {
		int64_t gen = num(o, "metadata.generation", 0), seen = num(o, "status.observedGeneration", 0);
		if (gen != seen)
			RET(APPLY_STATUS_IN_PROGRESS, "%s generation is %" PRId64 ", but latest observed generation is %" PRId64,
			    kind, gen, seen);
	}
	if (cond_is(o, "Reconciling", "True"))
		RET(APPLY_STATUS_IN_PROGRESS, "%s", cond_msg(o, "Reconciling"));
	if (cond_is(o, "Stalled", "True"))
		RET(APPLY_STATUS_FAILED, "%s", cond_msg(o, "Stalled"));
	if (apps && !strcmp(kind, "Deployment"))
		return deployment(o, a, message);
	if (apps && !strcmp(kind, "StatefulSet"))
		return statefulset(o, a, message);
	if (apps && !strcmp(kind, "DaemonSet"))
		return daemonset(o, a, message);
	if (apps && !strcmp(kind, "ReplicaSet"))
		return replicaset(o, a, message);
	if (batch && !strcmp(kind, "Job"))
		return job(o, a, message);
	if (core && !strcmp(kind, "Pod"))
		return pod(o, a, message);
	if (core && !strcmp(kind, "PersistentVolumeClaim")) {
		const char *phase = doc_get_str(o, "status.phase");
		if (!phase || strcmp(phase, "Bound"))
			RET(APPLY_STATUS_IN_PROGRESS, "PVC is not Bound. phase: %s", phase ? phase : "");
		RET(APPLY_STATUS_CURRENT, "PVC is Bound");
	}
	if (core && !strcmp(kind, "Service")) {
		const char *type = doc_get_str(o, "spec.type");
		if (type && !strcmp(type, "LoadBalancer")) {
			const struct doc_node *ing = doc_get(o, "status.loadBalancer.ingress");
			if (!ing || ing->kind != DOC_SEQ || !ing->u.seq.len)
				RET(APPLY_STATUS_IN_PROGRESS, "Pending LoadBalancer");
		}
		RET(APPLY_STATUS_CURRENT, "Service is ready");
	}
	if (!strcmp(kind, "PodDisruptionBudget") && gl == 6 && !strncmp(api, "policy", 6)) {
		int64_t cur = num(o, "status.currentHealthy", 0), want = num(o, "status.desiredHealthy", 0);
		if (!og)
			RET(APPLY_STATUS_IN_PROGRESS, "PodDisruptionBudget generation is %" PRId64 ", but latest observed generation is unknown",
			    num(o, "metadata.generation", 0));
		if (cur < want)
			RET(APPLY_STATUS_IN_PROGRESS, "Budget not met. healthy replicas: %" PRId64 "/%" PRId64, cur, want);
		RET(APPLY_STATUS_CURRENT, "Budget is met. healthy replicas: %" PRId64 "/%" PRId64, cur, want);
	}
	if (!strcmp(kind, "CustomResourceDefinition") && gl == 20 &&
	    !strncmp(api, "apiextensions.k8s.io", 20)) {
		if (cond_is(o, "NamesAccepted", "False"))
			RET(APPLY_STATUS_FAILED, "%s", cond_msg(o, "NamesAccepted"));
		if (cond_is(o, "Established", "True"))
			RET(APPLY_STATUS_CURRENT, "CRD is established");
		RET(APPLY_STATUS_IN_PROGRESS, "Install in progress");
	}
	if (core && !strcmp(kind, "Namespace")) {
		const char *phase = doc_get_str(o, "status.phase");
		if (phase && !strcmp(phase, "Terminating"))
			RET(APPLY_STATUS_TERMINATING, "Namespace is terminating");
		RET(APPLY_STATUS_CURRENT, "Resource is current");
	}
	return generic_ready(o, a, message);
}

static bool gone_ok(const struct apply_wait_opts *opts, const struct apply_ref *r)
{
	for (size_t i = 0; opts && i < opts->n_gone_ok; i++) {
		const struct apply_ref *g = &opts->gone_ok[i];
		if (!strcmp(g->group, r->group) && !strcmp(g->kind, r->kind) &&
		    !strcmp(g->namespace, r->namespace) && !strcmp(g->name, r->name))
			return true;
	}
	return false;
}

int apply_wait(struct apply_manager *m, struct arena *a, const struct apply_ref *refs, size_t n,
	       const struct apply_wait_opts *opts)
{
	if (!n)
		return 0;
	long interval = opts && opts->interval_ms > 0 ? opts->interval_ms : 5000;
	long timeout = opts && opts->timeout_ms > 0 ? opts->timeout_ms : 60000;
	bool fail_fast = opts && opts->fail_fast;
	enum apply_status *st = arena_alloc(a, n * sizeof *st);
	bool *known = arena_alloc(a, n * sizeof *known);
	long long deadline = clock_mono_ms() + timeout;
	bool timed_out = false;
	for (;;) {
		size_t current = 0, failed = 0;
		for (size_t i = 0; i < n; i++) {
			if (known[i] && st[i] == APPLY_STATUS_CURRENT)
				{ current++; continue; }
			const struct kube_resource *r;
			/* one arena a poll of one object: a long wait must not grow the caller's */
			struct arena *pa = arena_new();
			const char *gv = *refs[i].group ? arena_sprintf(pa, "%s/%s", refs[i].group, refs[i].version)
							 : refs[i].version;
			struct doc_node *obj = NULL;
			int rc = kube_mapper_find(&r, m->client, gv, refs[i].kind);
			if (!rc)
				rc = kube_get(&obj, m->client, pa, r, *refs[i].namespace ? refs[i].namespace : NULL,
					      refs[i].name, NULL);
			if (rc == ERR_NOTFOUND) {
				st[i] = gone_ok(opts, &refs[i]) ? APPLY_STATUS_CURRENT : APPLY_STATUS_NOT_FOUND;
				known[i] = true;
			} else if (!rc) {
				st[i] = apply_status_of(obj, pa, NULL);
				known[i] = true;
			}
			arena_free(pa);
			if (known[i] && st[i] == APPLY_STATUS_CURRENT)
				current++;
			if (known[i] && st[i] == APPLY_STATUS_FAILED)
				failed++;
		}
		if (current == n || current + failed == n || (fail_fast && failed))
			break;
		if (clock_mono_ms() >= deadline) {
			timed_out = true;
			break;
		}
		long left = (long)(deadline - clock_mono_ms());
		clock_sleep_ms(interval < left ? interval : left > 0 ? left : 0);
	}
	struct buf b;
	buf_init(&b, 0);
	size_t nerr = 0;
	for (size_t i = 0; i < n; i++) {
		const char *subject = apply_subject(a, &refs[i]);
		if (!known[i])
			buf_addf(&b, "%scan't determine status for %s", nerr++ ? ", " : "", subject);
		else if (st[i] == APPLY_STATUS_FAILED || (timed_out && st[i] != APPLY_STATUS_CURRENT))
			buf_addf(&b, "%s%s status: '%s'", nerr++ ? ", " : "", subject,
				 apply_status_name(st[i]));
	}
	int rc = 0;
	if (nerr)
		rc = err_set(timed_out ? ERR_TIMEOUT : ERR_GENERIC, "%s: [%s]",
			     timed_out ? "timeout waiting for" : "failed early due to stalled resources", b.ptr);
	buf_release(&b);
	return rc;
}
