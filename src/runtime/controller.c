/*
 * The manager and the reconcile loop (see controller.h for the contract). The pieces:
 * shared informers feed event handlers (predicates, then the controller's queue); workers
 * take keys and run process(), which wraps the controller's callback with finalizers,
 * suspend, requestedAt, observedGeneration, status writes, metrics and the requeue policy.
 */
#include "runtime/controller.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "runtime/conditions.h"
#include "util/clock.h"
#include "util/duration.h"
#include "runtime/events.h"
#include "runtime/http.h"
#include "runtime/informer.h"
#include "runtime/leader.h"
#include "runtime/metrics.h"
#include "runtime/queue.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct shared {
	char *api_version, *kind;
	struct rt_informer *inf;
};

struct rt_mapper {
	struct ctl *ctl;
	rt_map_fn fn;
	const struct rt_watch *watch;
};

struct ctl {
	const struct rt_controller *c;
	struct rt_manager *m;
	char *api_version;
	struct rt_queue *q;
	struct rt_informer *inf;
	struct rt_recorder *rec;
	void *data;
	bool set_up;
	struct rt_mapper *mappers;
	size_t nmappers;
	pthread_t *workers;
	int nworkers;
	atomic_int active;
};

struct rt_manager {
	struct rt_manager_opts o;
	struct ctl *ctls;
	size_t nctls, ctls_cap;
	struct shared *infs;
	size_t ninfs, infs_cap;
	struct rt_metrics *metrics;
	struct rt_metric *m_duration, *m_condition, *m_suspend, *m_total, *m_errors, *m_active,
		*m_max;
	struct rt_http *metrics_srv, *health_srv;
	atomic_int ready;
	atomic_int running;
	struct rt_leader *leader; /* with leader election, set before any worker starts */
};

struct rt_reconcile {
	struct ctl *ctl;
	struct arena *arena;
	struct doc_node *doc;
	struct doc_node *written_status; /* status as the API server has it, or NULL */
	const char *ns, *name, *key;
	char id[40];
};

/* ---- Small helpers --------------------------------------------------------------------*/

static void new_uuid(char out[40])
{
	unsigned char b[16];
	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		for (size_t i = 0; i < sizeof(b); i++)
			b[i] = (unsigned char)random();
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *annotation(const struct doc_node *obj, const char *name)
{
	const struct doc_node *an = doc_get(obj, "metadata.annotations");
	const struct doc_node *v = doc_map_get(an, name);
	return v && v->kind == DOC_STR ? v->u.str.ptr : NULL;
}

/* The finalizer controller c adds: its own, or Flux's finalizers.fluxcd.io. */
static const char *finalizer_of(const struct rt_controller *c)
{
	return c->finalizer ? c->finalizer : RT_FINALIZER;
}

static bool has_finalizer(const struct doc_node *obj, const char *name)
{
	const struct doc_node *f = doc_get(obj, "metadata.finalizers");
	for (size_t i = 0; f && f->kind == DOC_SEQ && i < f->u.seq.len; i++) {
		const struct doc_node *s = f->u.seq.items[i];
		if (s->kind == DOC_STR && !strcmp(s->u.str.ptr, name))
			return true;
	}
	return false;
}

static bool str_eq(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static struct shared *find_shared(struct rt_manager *m, const char *api_version, const char *kind)
{
	for (size_t i = 0; i < m->ninfs; i++)
		if (!strcmp(m->infs[i].api_version, api_version) && !strcmp(m->infs[i].kind, kind))
			return &m->infs[i];
	return NULL;
}

/* ---- Manager construction -------------------------------------------------------------*/

int rt_manager_new(struct rt_manager **out, const struct rt_manager_opts *opts)
{
	if (!opts || !opts->client)
		return err_set(ERR_INVALID, "the manager needs a client");
	struct rt_manager *m = xcalloc(1, sizeof(*m));
	m->o = *opts;
	if (m->o.concurrent <= 0)
		m->o.concurrent = 4;
	if (m->o.requeue_dependency_ms <= 0)
		m->o.requeue_dependency_ms = 30000;
	if (m->o.interval_jitter <= 0)
		m->o.interval_jitter = 0.05;
	if (!m->o.namespace)
		m->o.namespace = kube_client_namespace(opts->client);
	if (!m->o.leader_election_id)
		m->o.leader_election_id = "tide-controller-leader-election";
	m->metrics = rt_metrics_new();
	static const char *const l3[] = { "kind", "name", "namespace", NULL };
	static const char *const l5[] = { "kind", "name", "namespace", "type", "status", NULL };
	static const char *const lc[] = { "controller", NULL };
	static const char *const lcr[] = { "controller", "result", NULL };
	m->m_duration = rt_metrics_histogram(
		m->metrics, "gotk_reconcile_duration_seconds",
		"The duration in seconds of a GitOps Toolkit resource reconciliation.", l3,
		(const double[]){ 0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600 }, 12);
	m->m_condition = rt_metrics_gauge(m->metrics, "gotk_reconcile_condition",
					  "The current condition status of a GitOps Toolkit resource reconciliation.",
					  l5);
	m->m_suspend = rt_metrics_gauge(m->metrics, "gotk_suspend_status",
					"The current suspend status of a GitOps Toolkit resource.", l3);
	m->m_total = rt_metrics_counter(m->metrics, "controller_runtime_reconcile_total",
					"Total number of reconciliations per controller", lcr);
	m->m_errors = rt_metrics_counter(m->metrics, "controller_runtime_reconcile_errors_total",
					 "Total number of reconciliation errors per controller", lc);
	m->m_active = rt_metrics_gauge(m->metrics, "controller_runtime_active_workers",
				       "Number of currently used workers per controller", lc);
	m->m_max = rt_metrics_gauge(m->metrics, "controller_runtime_max_concurrent_reconciles",
				    "Maximum number of concurrent reconciles per controller", lc);
	*out = m;
	return 0;
}

int rt_manager_add(struct rt_manager *m, const struct rt_controller *c)
{
	if (!c || !c->name || !c->version || !c->kind || !c->reconcile)
		return err_set(ERR_INVALID, "a controller needs a name, a version, a kind and a reconcile function");
	for (size_t i = 0; i < m->nctls; i++)
		if (!strcmp(m->ctls[i].c->name, c->name))
			return err_set(ERR_INVALID, "'%s': controller added twice", c->name);
	m->ctls = xgrow(m->ctls, &m->ctls_cap, m->nctls + 1, sizeof(*m->ctls));
	struct ctl *ctl = &m->ctls[m->nctls++];
	memset(ctl, 0, sizeof(*ctl));
	ctl->c = c;
	ctl->m = m;
	ctl->api_version = c->group && *c->group ? xasprintf("%s/%s", c->group, c->version)
						 : xstrdup(c->version);
	return 0;
}

const struct rt_manager_opts *rt_manager_opts(const struct rt_manager *m)
{
	return &m->o;
}

struct rt_metrics *rt_manager_metrics(struct rt_manager *m)
{
	return m->metrics;
}

struct rt_informer *rt_manager_informer(struct rt_manager *m, const char *api_version,
					const char *kind)
{
	struct shared *s = find_shared(m, api_version, kind);
	return s ? s->inf : NULL;
}

void rt_manager_enqueue(struct rt_manager *m, const char *controller, const char *key)
{
	for (size_t i = 0; i < m->nctls; i++)
		if (!strcmp(m->ctls[i].c->name, controller) && m->ctls[i].q)
			rt_queue_add(m->ctls[i].q, key);
}

/* ---- Event handlers -------------------------------------------------------------------*/

static void delete_object_metrics(struct ctl *ctl, const struct rt_object *obj)
{
	struct rt_manager *m = ctl->m;
	const char *v3[] = { ctl->c->kind, obj->name, obj->namespace };
	rt_metric_delete(m->m_duration, v3);
	rt_metric_delete(m->m_suspend, v3);
	static const char *const types[] = { RT_COND_READY, RT_COND_RECONCILING, RT_COND_STALLED };
	static const char *const statuses[] = { "True", "False", "Unknown", "Deleted" };
	for (size_t t = 0; t < 3; t++)
		for (size_t s = 0; s < 4; s++) {
			const char *v5[] = { ctl->c->kind, obj->name, obj->namespace, types[t], statuses[s] };
			rt_metric_delete(m->m_condition, v5);
		}
}

/* Flux's predicates: GenerationChangedPredicate || ReconcileRequestedPredicate, plus the
 * start of a deletion. */
static void own_event(void *ud, enum rt_event_type type, const struct rt_object *old,
		      const struct rt_object *obj)
{
	struct ctl *ctl = ud;
	switch (type) {
	case RT_EVENT_ADD:
		rt_queue_add(ctl->q, obj->key);
		break;
	case RT_EVENT_UPDATE:
		if (old->generation != obj->generation || old->deleting != obj->deleting ||
		    !str_eq(annotation(old->doc, RT_ANNOTATION_REQUESTED_AT),
			    annotation(obj->doc, RT_ANNOTATION_REQUESTED_AT)))
			rt_queue_add(ctl->q, obj->key);
		break;
	case RT_EVENT_DELETE:
		rt_queue_forget(ctl->q, obj->key);
		delete_object_metrics(ctl, obj);
		break;
	}
}

static void watch_event(void *ud, enum rt_event_type type, const struct rt_object *old,
			const struct rt_object *obj)
{
	(void)type;
	struct rt_mapper *mp = ud;
	mp->fn(mp, old, obj);
}

void rt_map_enqueue(struct rt_mapper *m, const char *ns, const char *name)
{
	char *key = ns && *ns ? xasprintf("%s/%s", ns, name) : xstrdup(name);
	rt_queue_add(m->ctl->q, key);
	free(key);
}

int rt_map_each(struct rt_mapper *m, int (*fn)(void *ud, const struct rt_object *obj), void *ud)
{
	return rt_informer_each(m->ctl->inf, fn, ud);
}

void *rt_map_data(struct rt_mapper *m)
{
	return m->ctl->data;
}

const struct rt_watch *rt_map_watch(struct rt_mapper *m)
{
	return m->watch;
}

/* ---- Inside a reconcile ---------------------------------------------------------------*/

struct doc_node *rt_object_doc(struct rt_reconcile *r)
{
	return r->doc;
}

struct arena *rt_arena(struct rt_reconcile *r)
{
	return r->arena;
}

struct kube_client *rt_client(struct rt_reconcile *r)
{
	return r->ctl->m->o.client;
}

struct rt_manager *rt_manager(struct rt_reconcile *r)
{
	return r->ctl->m;
}

void *rt_data(struct rt_reconcile *r)
{
	return r->ctl->data;
}

const char *rt_reconcile_id(struct rt_reconcile *r)
{
	return r->id;
}

const char *rt_namespace(struct rt_reconcile *r)
{
	return r->ns;
}

const char *rt_name(struct rt_reconcile *r)
{
	return r->name;
}

#define MAX_LOG_FIELDS 32

void rt_log(struct rt_reconcile *r, enum log_level level, const char *msg, ...)
{
	const char *kv[2 * MAX_LOG_FIELDS];
	size_t n = 0;
	const struct rt_controller *c = r->ctl->c;
	const char *base[] = { "controller", c->name, "controllerGroup", c->group ? c->group : "",
			       "controllerKind", c->kind, "name", r->name, "namespace", r->ns,
			       "reconcileID", r->id };
	for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i += 2, n++) {
		kv[2 * n] = base[i];
		kv[2 * n + 1] = base[i + 1];
	}
	va_list ap;
	va_start(ap, msg);
	const char *k;
	while ((k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);
		if (n < MAX_LOG_FIELDS) {
			kv[2 * n] = k;
			kv[2 * n + 1] = v;
			n++;
		}
	}
	va_end(ap);
	log_fields(level, msg, kv, n);
}

void rt_eventf(struct rt_reconcile *r, const char *type, const char *reason,
	       const char *const *annotations, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	rt_event(r->ctl->rec, r->doc, type, reason, annotations, "%s", msg.ptr);
	buf_release(&msg);
}

/* The resource of the reconciled kind, from the informer. */
static const struct kube_resource *own_resource(struct rt_reconcile *r)
{
	return rt_informer_resource(r->ctl->inf);
}

int rt_write_status(struct rt_reconcile *r)
{
	struct doc_node *status = doc_map_get(r->doc, "status");
	if (!status || (r->written_status && doc_equal(status, r->written_status)))
		return 0;
	struct kube_opts o = { .subresource = "status", .field_manager = r->ctl->c->component };
	for (int attempt = 0;; attempt++) {
		struct doc_node *got = NULL;
		int rc = kube_update(&got, rt_client(r), r->arena, r->doc, &o);
		if (rc == 0) {
			const char *rv = doc_get_str(got, "metadata.resourceVersion");
			if (rv)
				doc_set(r->arena, r->doc, "metadata.resourceVersion", doc_new_str(r->arena, rv));
			r->written_status = doc_clone(r->arena, status);
			return 0;
		}
		if (rc != ERR_CONFLICT || attempt >= 3)
			return rc;
		/* Someone changed the object meanwhile: write our status onto the latest. */
		struct doc_node *latest = NULL;
		rc = kube_get(&latest, rt_client(r), r->arena, own_resource(r), r->ns, r->name, NULL);
		if (rc)
			return rc;
		const char *rv = doc_get_str(latest, "metadata.resourceVersion");
		if (rv)
			doc_set(r->arena, r->doc, "metadata.resourceVersion", doc_new_str(r->arena, rv));
	}
}

int rt_get(struct rt_reconcile *r, const char *api_version, const char *kind, const char *ns,
	   const char *name, struct doc_node **out)
{
	struct shared *s = find_shared(r->ctl->m, api_version, kind);
	if (s) {
		char *key = ns && *ns ? xasprintf("%s/%s", ns, name) : xstrdup(name);
		struct rt_object *o = rt_informer_get(s->inf, key);
		free(key);
		if (!o)
			return err_set(ERR_NOTFOUND, "%s '%s/%s' not found", kind, ns ? ns : "", name);
		*out = doc_clone(r->arena, o->doc);
		rt_object_unref(o);
		return 0;
	}
	const struct kube_resource *res;
	int rc = kube_mapper_find(&res, rt_client(r), api_version, kind);
	if (rc)
		return rc;
	return kube_get(out, rt_client(r), r->arena, res, ns, name, NULL);
}

/* ---- Finalizers -----------------------------------------------------------------------*/

/* Adds or removes our finalizer with a merge patch guarded by resourceVersion. */
static int patch_finalizers(struct rt_reconcile *r, bool add)
{
	struct buf b = BUF_INIT;
	const char *name = finalizer_of(r->ctl->c);
	buf_adds(&b, "{\"metadata\":{\"finalizers\":[");
	const struct doc_node *f = doc_get(r->doc, "metadata.finalizers");
	bool first = true;
	for (size_t i = 0; f && f->kind == DOC_SEQ && i < f->u.seq.len; i++) {
		const struct doc_node *s = f->u.seq.items[i];
		if (s->kind != DOC_STR || !strcmp(s->u.str.ptr, name))
			continue;
		buf_addf(&b, "%s", first ? "" : ",");
		doc_emit_json(&b, s, 0);
		first = false;
	}
	if (add)
		buf_addf(&b, "%s\"%s\"", first ? "" : ",", name);
	const char *rv = doc_get_str(r->doc, "metadata.resourceVersion");
	buf_addf(&b, "],\"resourceVersion\":\"%s\"}}", rv ? rv : "");
	struct doc_node *got = NULL;
	int rc = kube_patch(&got, rt_client(r), r->arena, own_resource(r), r->ns, r->name,
			    KUBE_PATCH_MERGE, b.ptr, b.len, NULL);
	buf_release(&b);
	if (rc == 0 && got) {
		doc_map_set(r->arena, r->doc, "metadata", doc_clone(r->arena, doc_map_get(got, "metadata")));
	}
	return rc;
}

/* ---- The reconcile loop ---------------------------------------------------------------*/

static void record_conditions(struct ctl *ctl, const struct doc_node *obj, const char *ns,
			      const char *name)
{
	static const char *const types[] = { RT_COND_READY, RT_COND_RECONCILING, RT_COND_STALLED };
	static const char *const statuses[] = { "True", "False", "Unknown" };
	for (size_t t = 0; t < 3; t++) {
		struct rt_condition c;
		bool have = rt_cond_get(obj, types[t], &c);
		for (size_t s = 0; s < 3; s++) {
			const char *v[] = { ctl->c->kind, name, ns, types[t], statuses[s] };
			if (have)
				rt_metric_set(ctl->m->m_condition, v, !strcmp(c.status, statuses[s]) ? 1 : 0);
			else
				rt_metric_delete(ctl->m->m_condition, v);
		}
	}
}

static void count_result(struct ctl *ctl, const char *result)
{
	const char *v[] = { ctl->c->name, result };
	rt_metric_add(ctl->m->m_total, v, 1);
	if (!strcmp(result, "error")) {
		const char *e[] = { ctl->c->name };
		rt_metric_add(ctl->m->m_errors, e, 1);
	}
}

static void process(struct ctl *ctl, const char *key)
{
	struct rt_object *obj = rt_informer_get(ctl->inf, key);
	if (!obj) {
		rt_queue_forget(ctl->q, key);
		return;
	}
	struct rt_reconcile r = { .ctl = ctl, .arena = arena_new(), .key = key };
	r.doc = doc_clone(r.arena, obj->doc);
	r.ns = arena_strdup(r.arena, obj->namespace);
	r.name = arena_strdup(r.arena, obj->name);
	struct doc_node *st = doc_map_get(obj->doc, "status");
	r.written_status = st ? doc_clone(r.arena, st) : NULL;
	int64_t generation = obj->generation;
	bool deleting = obj->deleting;
	rt_object_unref(obj);
	new_uuid(r.id);
	double t0 = now_s();
	const char *v3[] = { ctl->c->kind, r.name, r.ns };
	err_clear();

	if (deleting) {
		if (has_finalizer(r.doc, finalizer_of(ctl->c))) {
			int rc = ctl->c->finalize ? ctl->c->finalize(&r) : 0;
			if (rc == 0)
				rc = patch_finalizers(&r, false);
			if (rc && rc != ERR_NOTFOUND) {
				rt_log(&r, LOG_ERROR, "Reconciler error", "error", err_msg(), NULL);
				count_result(ctl, "error");
				rt_queue_add_backoff(ctl->q, key);
				goto done;
			}
		}
		count_result(ctl, "success");
		rt_queue_forget(ctl->q, key);
		goto done;
	}

	/* The finalizer comes before the suspend check, as in Flux's controllers. */
	if (ctl->c->finalize && !has_finalizer(r.doc, finalizer_of(ctl->c))) {
		int rc = patch_finalizers(&r, true);
		if (rc) {
			rt_log(&r, LOG_ERROR, "Reconciler error", "error", err_msg(), NULL);
			count_result(ctl, "error");
			rt_queue_add_backoff(ctl->q, key);
			goto done;
		}
	}

	const struct doc_node *suspend = doc_get(r.doc, "spec.suspend");
	bool suspended = suspend && suspend->kind == DOC_BOOL && suspend->u.boolean;
	rt_metric_set(ctl->m->m_suspend, v3, suspended ? 1 : 0);
	if (suspended) {
		rt_log(&r, LOG_INFO, "Reconciliation is suspended for this object", NULL);
		count_result(ctl, "success");
		rt_queue_forget(ctl->q, key);
		goto done;
	}

	struct rt_result res = { RT_SUCCESS, 0 };
	int rc = ctl->c->reconcile(&r, &res);
	char *failure = NULL;
	if (rc < 0) {
		res.outcome = RT_RETRY;
		failure = xstrdup(*err_msg() ? err_msg() : err_name(rc));
		if (!rt_cond_is_false(r.doc, RT_COND_READY))
			rt_cond_mark_false(r.arena, r.doc, RT_COND_READY, RT_REASON_RECONCILIATION_FAILED,
					   "%s", failure);
	}
	const char *requested = annotation(r.doc, RT_ANNOTATION_REQUESTED_AT);
	if (requested || res.outcome == RT_SUCCESS || res.outcome == RT_STALLED) {
		struct doc_node *status = doc_map_get(r.doc, "status");
		if (!status) {
			status = doc_new_map(r.arena);
			doc_map_set(r.arena, r.doc, "status", status);
		}
		if (requested)
			doc_map_set(r.arena, status, RT_STATUS_LAST_HANDLED, doc_new_str(r.arena, requested));
		if ((res.outcome == RT_SUCCESS || res.outcome == RT_STALLED) && !ctl->c->no_observed_generation)
			doc_map_set(r.arena, status, "observedGeneration", doc_new_int(r.arena, generation));
	}
	int wrc = rt_write_status(&r);
	if (wrc && wrc != ERR_NOTFOUND) {
		rt_log(&r, LOG_ERROR, "failed to update status", "error", err_msg(), NULL);
		if (res.outcome != RT_RETRY) {
			res.outcome = RT_RETRY;
			failure = failure ? failure : xstrdup(err_msg());
		}
	}
	rt_metric_observe(ctl->m->m_duration, v3, now_s() - t0);
	record_conditions(ctl, r.doc, r.ns, r.name);

	switch (res.outcome) {
	case RT_SUCCESS: {
		rt_queue_forget(ctl->q, key);
		int64_t after = res.requeue_after_ms;
		const char *interval = doc_get_str(r.doc, "spec.interval");
		if (after <= 0 && interval && duration_parse(interval, &after) == 0)
			after = rt_duration_jitter(after, ctl->m->o.interval_jitter);
		if (after > 0)
			rt_queue_add_after(ctl->q, key, after);
		count_result(ctl, after > 0 ? "requeue_after" : "success");
		break;
	}
	case RT_REQUEUE:
		rt_queue_forget(ctl->q, key);
		rt_queue_add_after(ctl->q, key,
				   res.requeue_after_ms > 0 ? res.requeue_after_ms : ctl->m->o.requeue_dependency_ms);
		count_result(ctl, "requeue_after");
		break;
	case RT_RETRY:
		rt_log(&r, LOG_ERROR, "Reconciler error", "error", failure ? failure : "reconcile failed", NULL);
		rt_queue_add_backoff(ctl->q, key);
		count_result(ctl, "error");
		break;
	case RT_STALLED:
		rt_queue_forget(ctl->q, key);
		count_result(ctl, "success");
		break;
	}
	free(failure);
done:
	arena_free(r.arena);
}

static bool leader_gate(void *leader)
{
	return rt_leader_valid(leader);
}

static void *worker(void *p)
{
	struct ctl *ctl = p;
	char *key;
	const char *v[] = { ctl->c->name };
	while (rt_queue_get(ctl->q, &key) == 0) {
		/* No write unless still the leader: one resumed after a pause past its renew
		 * deadline drops the item (the manager exits at once, the new leader lists all). */
		if (ctl->m->leader && !rt_leader_valid(ctl->m->leader)) {
			rt_queue_done(ctl->q, key);
			free(key);
			continue;
		}
		rt_metric_set(ctl->m->m_active, v, (double)(atomic_fetch_add(&ctl->active, 1) + 1));
		process(ctl, key);
		rt_queue_done(ctl->q, key);
		free(key);
		rt_metric_set(ctl->m->m_active, v, (double)(atomic_fetch_sub(&ctl->active, 1) - 1));
	}
	return NULL;
}

/* ---- HTTP endpoints -------------------------------------------------------------------*/

static int serve_metrics(void *ud, const struct rt_http_request *req, struct rt_http_response *resp)
{
	(void)req;
	struct rt_manager *m = ud;
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
	rt_metrics_write(m->metrics, &resp->body);
	return 0;
}

static int serve_healthz(void *ud, const struct rt_http_request *req, struct rt_http_response *resp)
{
	(void)ud;
	(void)req;
	buf_adds(&resp->body, "ok");
	return 0;
}

static int serve_readyz(void *ud, const struct rt_http_request *req, struct rt_http_response *resp)
{
	(void)req;
	struct rt_manager *m = ud;
	if (atomic_load(&m->ready)) {
		buf_adds(&resp->body, "ok");
	} else {
		resp->status = 500;
		buf_adds(&resp->body, "[-]informers not synced\nreadyz check failed");
	}
	return 0;
}

static int start_servers(struct rt_manager *m)
{
	int rc;
	if (m->o.metrics_addr && *m->o.metrics_addr) {
		if ((rc = rt_http_new(&m->metrics_srv, m->o.metrics_addr)))
			return rc;
		rt_http_route(m->metrics_srv, "/metrics", serve_metrics, m);
		if ((rc = rt_http_start(m->metrics_srv)))
			return rc;
		log_info("starting metrics server", "addr", m->o.metrics_addr, NULL);
	}
	if (m->o.health_addr && *m->o.health_addr) {
		if ((rc = rt_http_new(&m->health_srv, m->o.health_addr)))
			return rc;
		rt_http_route(m->health_srv, "/healthz", serve_healthz, m);
		rt_http_route(m->health_srv, "/readyz", serve_readyz, m);
		if ((rc = rt_http_start(m->health_srv)))
			return rc;
		log_info("starting health probes", "addr", m->o.health_addr, NULL);
	}
	return 0;
}

/* ---- Run ------------------------------------------------------------------------------*/

static int shared_informer(struct rt_manager *m, const char *api_version, const char *kind,
			   struct rt_informer **out)
{
	struct shared *s = find_shared(m, api_version, kind);
	if (s) {
		*out = s->inf;
		return 0;
	}
	const struct kube_resource *res;
	int rc = kube_mapper_find(&res, m->o.client, api_version, kind);
	if (rc)
		return rc;
	struct rt_informer_opts io = {
		.namespace = m->o.watch_all_namespaces ? NULL : m->o.namespace,
		.all_namespaces = m->o.watch_all_namespaces,
		.label_selector = m->o.watch_label_selector,
	};
	struct rt_informer *inf;
	if ((rc = rt_informer_new(&inf, m->o.client, res, &io)))
		return rc;
	m->infs = xgrow(m->infs, &m->infs_cap, m->ninfs + 1, sizeof(*m->infs));
	m->infs[m->ninfs++] = (struct shared){ xstrdup(api_version), xstrdup(kind), inf };
	*out = inf;
	return 0;
}

static int setup_controllers(struct rt_manager *m)
{
	for (size_t i = 0; i < m->nctls; i++) {
		struct ctl *ctl = &m->ctls[i];
		if (ctl->c->setup) {
			int rc = ctl->c->setup(m, &ctl->data);
			if (rc)
				return rc;
		}
		ctl->set_up = true;
		ctl->q = rt_queue_new(ctl->c->name, &(struct rt_queue_opts){ .metrics = m->metrics });
		ctl->rec = rt_recorder_new(m->o.client, ctl->c->component ? ctl->c->component : ctl->c->name,
					   NULL);
	}
	/* Informers after every queue exists: a watch handler may queue into any controller. */
	for (size_t i = 0; i < m->nctls; i++) {
		struct ctl *ctl = &m->ctls[i];
		int rc = shared_informer(m, ctl->api_version, ctl->c->kind, &ctl->inf);
		if (rc)
			return rc;
		rt_informer_add_handler(ctl->inf, own_event, ctl);
		size_t n = 0;
		while (ctl->c->watches && ctl->c->watches[n].kind)
			n++;
		ctl->mappers = xcalloc(n ? n : 1, sizeof(*ctl->mappers));
		for (size_t w = 0; w < n; w++) {
			const struct rt_watch *wt = &ctl->c->watches[w];
			struct rt_informer *inf;
			if ((rc = shared_informer(m, wt->api_version, wt->kind, &inf)))
				return rc;
			ctl->mappers[w] = (struct rt_mapper){ ctl, wt->map, wt };
			rt_informer_add_handler(inf, watch_event, &ctl->mappers[w]);
		}
		ctl->nmappers = n;
	}
	return 0;
}

int rt_manager_run(struct rt_manager *m, const atomic_int *stop)
{
	struct rt_leader *leader = NULL;
	int rc = 0;
	atomic_store(&m->running, 1);
	if ((rc = start_servers(m)) || (rc = setup_controllers(m)))
		goto out;
	for (size_t i = 0; i < m->ninfs; i++)
		if ((rc = rt_informer_start(m->infs[i].inf)))
			goto out;
	for (size_t i = 0; i < m->ninfs; i++) {
		rc = rt_informer_wait_synced(m->infs[i].inf, stop, 120000);
		if (rc) {
			if (stop && atomic_load(stop))
				rc = 0;
			goto out;
		}
	}
	atomic_store(&m->ready, 1);
	if (m->o.leader_election) {
		struct rt_leader_opts lo = {
			.namespace = m->o.namespace,
			.name = m->o.leader_election_id,
			.lease_duration_ms = m->o.lease_duration_ms,
			.renew_deadline_ms = m->o.renew_deadline_ms,
			.retry_period_ms = m->o.retry_period_ms,
			.metrics = m->metrics,
		};
		if ((rc = rt_leader_new(&leader, m->o.client, &lo)))
			goto out;
		if (rt_leader_acquire(leader, stop) != 0)
			goto out; /* stopped while waiting */
		m->leader = leader;
		kube_client_set_write_gate(m->o.client, leader_gate, leader);
	}
	for (size_t i = 0; i < m->nctls; i++) {
		struct ctl *ctl = &m->ctls[i];
		const char *v[] = { ctl->c->name };
		rt_metric_set(m->m_max, v, m->o.concurrent);
		rt_metric_set(m->m_active, v, 0);
		ctl->workers = xcalloc((size_t)m->o.concurrent, sizeof(pthread_t));
		for (int w = 0; w < m->o.concurrent; w++)
			if (pthread_create(&ctl->workers[w], NULL, worker, ctl) == 0)
				ctl->nworkers++;
		log_info("Starting workers", "controller", ctl->c->name, "controllerGroup",
			 ctl->c->group ? ctl->c->group : "", "controllerKind", ctl->c->kind, NULL);
	}
	while (clock_nap_ms(stop, 100)) {
		if (leader && rt_leader_lost(leader)) {
			rc = err_set(ERR_UNAVAIL, "leader election lost");
			break;
		}
	}
	log_info("Stopping and waiting for non leader election runnables", NULL);
out:
	/* Workers finish what they are doing; the queue hands out nothing more. */
	for (size_t i = 0; i < m->nctls; i++)
		if (m->ctls[i].q)
			rt_queue_shutdown(m->ctls[i].q);
	for (size_t i = 0; i < m->nctls; i++) {
		struct ctl *ctl = &m->ctls[i];
		for (int w = 0; w < ctl->nworkers; w++)
			pthread_join(ctl->workers[w], NULL);
		ctl->nworkers = 0;
	}
	for (size_t i = 0; i < m->ninfs; i++)
		rt_informer_stop(m->infs[i].inf);
	m->leader = NULL;
	if (leader) {
		kube_client_set_write_gate(m->o.client, NULL, NULL);
		rt_leader_free(leader);
	}
	rt_http_free(m->metrics_srv);
	rt_http_free(m->health_srv);
	m->metrics_srv = m->health_srv = NULL;
	for (size_t i = 0; i < m->nctls; i++) {
		struct ctl *ctl = &m->ctls[i];
		if (ctl->set_up && ctl->c->teardown)
			ctl->c->teardown(ctl->data);
		ctl->set_up = false;
	}
	atomic_store(&m->ready, 0);
	atomic_store(&m->running, 0);
	return rc;
}

void rt_manager_free(struct rt_manager *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nctls; i++) {
		struct ctl *ctl = &m->ctls[i];
		rt_queue_free(ctl->q);
		rt_recorder_free(ctl->rec);
		free(ctl->workers);
		free(ctl->mappers);
		free(ctl->api_version);
	}
	for (size_t i = 0; i < m->ninfs; i++) {
		rt_informer_free(m->infs[i].inf);
		free(m->infs[i].api_version);
		free(m->infs[i].kind);
	}
	free(m->infs);
	free(m->ctls);
	rt_metrics_free(m->metrics);
	free(m);
}
