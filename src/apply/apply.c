/*
 * Staged server-side apply (fluxcd/pkg ssa manager_apply.go ApplyAllStaged / ApplyAll).
 *
 * One stage goes through four steps, each over all its objects: prepare (normalise, stamp the
 * owner labels, map the kind), read the live objects (a LIST per kind and namespace shared by
 * several objects, by the owner's labels when there is an owner, else a GET), decide (skipped
 * by annotation, or unchanged by the read-only rule of diff.c), dry-run what is left (the
 * stage's validation: one failure and nothing of the stage is applied), then apply what the dry-run shows drifted. The requests of a step run on
 * a few threads (the client is thread-safe); each job allocates in its own arena, and results
 * that outlive the job are copied into the stage's arena by the main thread.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "apply/apply.h"
#include "apply/internal.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "util/clock.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/log.h"
#include "kube/mapper.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include <pthread.h>
#include <stdatomic.h>
#include "util/banned.h"

/* Threads of one step: the API server, not the client, is the bottleneck beyond a few. */
enum { APPLY_CONCURRENCY = 8, APPLY_MAX_CONCURRENCY = 32 };

int apply_manager_new(struct apply_manager **out, struct kube_client *c,
		      const struct apply_opts *opts)
{
	struct apply_manager *m = xcalloc(1, sizeof *m);
	m->client = c;
	if (opts)
		m->opts = *opts;
	if (!m->opts.field_manager)
		m->opts.field_manager = APPLY_FIELD_MANAGER;
	if (!m->opts.owner_group)
		m->opts.owner_group = APPLY_OWNER_GROUP;
	if (m->opts.concurrency <= 0)
		m->opts.concurrency = APPLY_CONCURRENCY;
	if (m->opts.concurrency > APPLY_MAX_CONCURRENCY)
		m->opts.concurrency = APPLY_MAX_CONCURRENCY;
	if (m->opts.wait_interval_ms <= 0)
		m->opts.wait_interval_ms = 2000;
	if (m->opts.wait_timeout_ms <= 0)
		m->opts.wait_timeout_ms = 60000;
	const char *g = m->opts.owner_group;
	if (strlen(g) > 100) {
		free(m);
		return err_set(ERR_INVALID, "'%s': owner group too long", g);
	}
	snprintf(m->label_name, sizeof m->label_name, "%s/name", g);
	snprintf(m->label_namespace, sizeof m->label_namespace, "%s/namespace", g);
	snprintf(m->key_ssa, sizeof m->key_ssa, "%s/ssa", g);
	snprintf(m->key_reconcile, sizeof m->key_reconcile, "%s/reconcile", g);
	snprintf(m->key_prune, sizeof m->key_prune, "%s/prune", g);
	snprintf(m->key_force, sizeof m->key_force, "%s/force", g);
	*out = m;
	return 0;
}

void apply_manager_free(struct apply_manager *m)
{
	free(m);
}

unsigned long apply_manager_writes(const struct apply_manager *m)
{
	return m->writes;
}


/* ---- Helpers shared with the other files ----------------------------------------------*/

static const char *meta_value(const struct doc_node *obj, const char *where, const char *key)
{
	const struct doc_node *map = doc_get(obj, where);
	const struct doc_node *v = doc_map_get(map, key);
	return v && v->kind == DOC_STR ? v->u.str.ptr : NULL;
}

bool apply_meta_has(const struct doc_node *obj, const char *key, const char *value)
{
	if (!obj)
		return false;
	const char *l = meta_value(obj, "metadata.labels", key);
	const char *an = meta_value(obj, "metadata.annotations", key);
	return (l && !strcmp(l, value)) || (an && !strcmp(an, value));
}

const char *apply_obj_subject(struct arena *a, const struct doc_node *obj)
{
	struct apply_ref r;
	if (apply_ref_of(&r, a, obj))
		return "object";
	return apply_subject(a, &r);
}

/* ---- A small pool of threads for one step ---------------------------------------------*/


struct item;
typedef void (*item_fn)(struct apply_manager *m, struct item *it);

struct pool {
	struct apply_manager *m;
	struct item **items;
	size_t n;
	atomic_size_t next;
	item_fn fn;
};

static void *pool_main(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->n)
			break;
		p->fn(p->m, p->items[i]);
	}
	return NULL;
}

static void pool_run(struct apply_manager *m, struct item **items, size_t n, item_fn fn)
{
	struct pool p = { .m = m, .items = items, .n = n, .fn = fn };
	atomic_init(&p.next, 0);
	size_t limit = (size_t)m->opts.concurrency;
	size_t nt = n < limit ? n : limit;
	if (nt <= 1) {
		pool_main(&p);
		return;
	}
	pthread_t th[APPLY_MAX_CONCURRENCY];
	size_t started = 0;
	for (; started < nt - 1; started++)
		if (pthread_create(&th[started], NULL, pool_main, &p))
			break;
	pool_main(&p);
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
}

/* ---- One object through a stage ----------------------------------------------------------*/

enum item_state {
	IT_PENDING,   /* decide: needs a dry-run */
	IT_SKIPPED,
	IT_UNCHANGED,
	IT_APPLY,     /* the dry-run drifted (or ownership must be settled): apply */
	IT_DONE,
};

struct item {
	struct doc_node *obj;             /* desired, as sent */
	struct apply_ref ref;
	const char *subject;
	const struct kube_resource *res;
	const char *ns;                   /* NULL when cluster-scoped */
	struct doc_node *live;            /* NULL when absent; stage arena */
	bool read_done;
	bool unread;                      /* not in the LIST by owner label: the dry-run tells
	                                     whether it exists (it has a resourceVersion) */
	bool dry_found;                   /* the dry-run result had a resourceVersion */
	enum item_state state;
	enum apply_action action;
	bool exists;
	const char *previous_owner;
	/* set by jobs */
	int rc;
	char *err;                        /* malloc'd message, "" when rc == 0 */
	bool force_eligible;
	bool cleanup;                     /* Flux's metadata cleanup is due */
	bool queued;                      /* for a GET */
	struct arena *ja;                 /* a GET job's arena (live lives there) */
	bool keep_dry;                    /* apply_diff: keep the dry-run result */
	struct arena *dra;                /* ... in this arena */
	struct doc_node *dry;
};

__attribute__((format(printf, 3, 4)))
static void item_fail(struct item *it, int rc, const char *fmt, ...)
{
	struct buf b;
	buf_init(&b, 0);
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	it->rc = rc;
	free(it->err);
	it->err = xstrdup(b.ptr);
	buf_release(&b);
}

/* Flux's metadata cleanup (ssa ApplyCleanupOptions as the kustomize-controller sets them):
 * annotations and labels of older tools removed, and the fields of the managers below
 * (matched by prefix and operation, as ssa matchFieldManager does) handed to our Apply
 * entry (ssa PatchReplaceFieldsManagers), so that the apply that follows removes the ones
 * we do not send. */
static const char *const cleanup_managers[][2] = {
	{ "kubectl", "Apply" }, { "kubectl", "Update" }, { "before-first-apply", "Update" },
	{ NULL, "Update" }, /* NULL: our own field manager, as the controller before SSA */
};
static const char *const cleanup_annotations[] = {
	"kubectl.kubernetes.io/last-applied-configuration",
	"kustomize.toolkit.fluxcd.io/checksum",
	"fluxcd.io/sync-checksum",
};
static const char *const cleanup_labels[] = { "fluxcd.io/sync-gc-mark" };

static void json_pointer_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '~')
			buf_adds(b, "~0");
		else if (*s == '/')
			buf_adds(b, "~1");
		else
			buf_addch(b, *s);
	}
}

/* The union of two fieldsV1 sets, in a. */
static struct doc_node *fields_union(struct arena *a, const struct doc_node *x,
				     const struct doc_node *y)
{
	struct doc_node *u = doc_clone(a, x);
	if (!y || y->kind != DOC_MAP || u->kind != DOC_MAP)
		return u;
	for (size_t i = 0; i < y->u.map.len; i++) {
		const char *k = y->u.map.items[i].key;
		struct doc_node *mine = doc_map_get(u, k);
		doc_map_set(a, u, k, mine ? fields_union(a, mine, y->u.map.items[i].value)
					  : doc_clone(a, y->u.map.items[i].value));
	}
	return u;
}

static bool cleanup_match(const struct apply_manager *m, const struct doc_node *e)
{
	const char *mgr = doc_get_str(e, "manager"), *op = doc_get_str(e, "operation");
	const char *sub = doc_get_str(e, "subresource");
	if (!mgr || !op || (sub && *sub))
		return false;
	for (size_t c = 0; c < sizeof cleanup_managers / sizeof *cleanup_managers; c++) {
		const char *want = cleanup_managers[c][0] ? cleanup_managers[c][0] : m->opts.field_manager;
		if (!strncmp(mgr, want, strlen(want)) && !strcmp(op, cleanup_managers[c][1]))
			return true;
	}
	return false;
}

/* The JSON patch for the cleanup of live (in a), or NULL when there is nothing to do. */
static const char *cleanup_patch(struct arena *a, const struct apply_manager *m,
				 const struct doc_node *live)
{
	struct buf p;
	buf_init(&p, 0);
	for (size_t i = 0; i < sizeof cleanup_annotations / sizeof *cleanup_annotations; i++)
		if (meta_value(live, "metadata.annotations", cleanup_annotations[i])) {
			buf_adds(&p, p.len ? "," : "[");
			buf_adds(&p, "{\"op\":\"remove\",\"path\":\"/metadata/annotations/");
			json_pointer_escape(&p, cleanup_annotations[i]);
			buf_adds(&p, "\"}");
		}
	for (size_t i = 0; i < sizeof cleanup_labels / sizeof *cleanup_labels; i++)
		if (meta_value(live, "metadata.labels", cleanup_labels[i])) {
			buf_adds(&p, p.len ? "," : "[");
			buf_adds(&p, "{\"op\":\"remove\",\"path\":\"/metadata/labels/");
			json_pointer_escape(&p, cleanup_labels[i]);
			buf_adds(&p, "\"}");
		}
	const struct doc_node *mf = doc_get(live, "metadata.managedFields");
	if (mf && mf->kind == DOC_SEQ) {
		struct doc_node *ours = NULL;
		for (size_t k = 0; k < mf->u.seq.len; k++) {
			const char *mgr = doc_get_str(mf->u.seq.items[k], "manager");
			const char *op = doc_get_str(mf->u.seq.items[k], "operation");
			if (mgr && op && !strcmp(mgr, m->opts.field_manager) && !strcmp(op, "Apply"))
				ours = mf->u.seq.items[k];
		}
		struct doc_node *entries = doc_new_seq(a);
		struct doc_node *merged = ours ? doc_clone(a, ours) : NULL;
		bool edited = false;
		for (size_t k = 0; k < mf->u.seq.len; k++) {
			struct doc_node *e = mf->u.seq.items[k];
			if (e == ours)
				continue;
			if (!cleanup_match(m, e)) {
				doc_seq_push(a, entries, e);
				continue;
			}
			edited = true;
			if (!merged) {
				merged = doc_clone(a, e);
				doc_map_set(a, merged, "manager", doc_new_str(a, m->opts.field_manager));
				doc_map_set(a, merged, "operation", doc_new_str(a, "Apply"));
			} else {
				doc_map_set(a, merged, "fieldsV1",
					    fields_union(a, doc_map_get(merged, "fieldsV1"),
							 doc_map_get(e, "fieldsV1")));
			}
		}
		if (edited) {
			doc_seq_push(a, entries, merged);
			buf_adds(&p, p.len ? "," : "[");
			buf_adds(&p, "{\"op\":\"replace\",\"path\":\"/metadata/managedFields\",\"value\":");
			doc_emit_json(&p, entries, 0);
			buf_adds(&p, "}");
		}
	}
	const char *out = NULL;
	if (p.len) {
		buf_adds(&p, "]");
		out = arena_strndup(a, p.ptr, p.len);
	}
	buf_release(&p);
	return out;
}

static int write_apply(struct apply_manager *m, struct arena *ja, struct doc_node **out,
		       const struct doc_node *obj, bool dry_run)
{
	struct kube_opts o = { .dry_run = dry_run, .field_manager = m->opts.field_manager,
			       .force = true };
	atomic_fetch_add(&m->writes, 1);
	return kube_apply(out, m->client, ja, obj, &o);
}

static void job_read(struct apply_manager *m, struct item *it)
{
	/* runs on a pool thread: the live object stays in the job's own arena until the stage
	 * ends */
	it->ja = arena_new();
	int rc = kube_get(&it->live, m->client, it->ja, it->res, it->ns, it->ref.name, NULL);
	/* As Flux: a failed read (an identity allowed to patch, not to get) leaves the live
	 * object unknown and the dry-run decides; its error is the one reported. */
	if (rc)
		it->live = NULL;
	it->read_done = true;
}

/* Whether a failed dry-run is Flux's immutable error (ssaerrors.IsImmutableError: any
 * Conflict or Invalid, or a message naming an immutable field). */
static bool immutable_error(int rc, const char *msg)
{
	return rc == ERR_CONFLICT || rc == ERR_INVALID || strstr(msg, "immutable");
}

/* Flux's DryRunErr reason, from the code (the client keeps the code, not the Status). */
static const char *reason_of(int rc)
{
	switch (rc) {
	case ERR_INVALID: return " (Invalid)";
	case ERR_CONFLICT: return " (Conflict)";
	case ERR_AUTH: return " (Forbidden)";
	case ERR_TIMEOUT: return " (Timeout)";
	case ERR_TOOBIG: return " (RequestEntityTooLarge)";
	case ERR_UNAVAIL: return " (ServiceUnavailable)";
	default: return "";
	}
}

static bool drifted(const struct doc_node *live, const struct doc_node *dry);

static void job_dry_run(struct apply_manager *m, struct item *it)
{
	struct arena *ja = arena_new();
	struct doc_node *dry = NULL;
	int rc = write_apply(m, ja, &dry, it->obj, true);
	if (rc && it->exists && it->force_eligible && immutable_error(rc, err_msg())) {
		struct kube_opts del = { .propagation = "Background" };
		atomic_fetch_add(&m->writes, 1);
		rc = kube_delete(NULL, m->client, ja, it->res, it->ns, it->ref.name, &del);
		if (rc && rc != ERR_NOTFOUND) {
			item_fail(it, rc, "%s immutable field detected, failed to delete object: %s", it->subject, err_msg());
			goto done;
		}
		long long deadline = clock_mono_ms() + m->opts.wait_timeout_ms;
		for (;;) {
			struct doc_node *cur;
			rc = kube_get(&cur, m->client, ja, it->res, it->ns, it->ref.name, NULL);
			if (rc == ERR_NOTFOUND)
				break;
			if (!rc && clock_mono_ms() >= deadline)
				rc = err_set(ERR_TIMEOUT, "context deadline exceeded");
			if (rc) {
				item_fail(it, rc, "%s immutable field detected, failed to wait for object to be deleted: %s", it->subject, err_msg());
				goto done;
			}
			clock_sleep_ms(m->opts.wait_interval_ms < 500 ? m->opts.wait_interval_ms : 500);
		}
		it->exists = false;
		it->live = NULL;
		rc = write_apply(m, ja, &dry, it->obj, true);
	}
	if (rc) {
		struct buf b;
		buf_init(&b, 0);
		if (rc == ERR_NOTFOUND)
			buf_addf(&b, "%s not found: %s", it->subject, err_msg());
		else
			buf_addf(&b, "%s dry-run failed%s: %s", it->subject, reason_of(rc), err_msg());
		it->rc = rc;
		it->err = xstrdup(b.ptr);
		buf_release(&b);
		goto done;
	}
	if (it->keep_dry) {
		it->dra = ja;
		it->dry = dry;
		ja = NULL;
	}
	const char *rv = doc_get_str(dry, "metadata.resourceVersion");
	it->dry_found = rv && *rv;
	if (!rv || !*rv) {
		it->state = IT_APPLY;
		it->action = APPLY_CREATED;
	} else if (!it->live || drifted(it->live, dry)) {
		it->state = IT_APPLY;
		it->action = APPLY_CONFIGURED;
	} else {
		/* Flux says unchanged. When only our managedFields entry would change (a field set
		 * taken over, an entry at an older apiVersion), apply once anyway so that the next
		 * reconcile can decide without any request. */
		it->action = APPLY_UNCHANGED;
		if (it->cleanup) {
			it->state = IT_APPLY;
			it->action = APPLY_CONFIGURED;
		} else
			it->state = apply_is_unchanged(it->obj, dry, m->opts.field_manager) &&
					!apply_is_unchanged(it->obj, it->live, m->opts.field_manager)
				    ? IT_APPLY
				    : IT_UNCHANGED;
	}
done:
	arena_free(ja);
}

static void job_apply(struct apply_manager *m, struct item *it)
{
	struct arena *ja = arena_new();
	struct doc_node *res = NULL;
	int rc = 0;
	if (it->live && !apply_meta_has(it->obj, m->key_ssa, "Merge") &&
	    !apply_meta_has(it->live, m->key_ssa, "Merge")) {
		const char *patch = cleanup_patch(ja, m, it->live);
		if (patch) {
			atomic_fetch_add(&m->writes, 1);
			rc = kube_patch(NULL, m->client, ja, it->res, it->ns, it->ref.name,
					KUBE_PATCH_JSON, patch, strlen(patch),
					&(struct kube_opts){ .field_manager = m->opts.field_manager });
			if (rc)
				item_fail(it, rc, "%s metadata.managedFields cleanup failed: %s", it->subject, err_msg());
		}
		if (rc)
			goto done;
	}
	rc = write_apply(m, ja, &res, it->obj, false);
	if (rc)
		item_fail(it, rc, "%s apply failed: %s", it->subject, err_msg());
done:
	arena_free(ja);
}

/* ssa hasDrifted: labels, annotations, then everything but metadata and status. */
static bool drifted(const struct doc_node *live, const struct doc_node *dry)
{
	static const char *const meta[] = { "metadata.labels", "metadata.annotations" };
	for (size_t i = 0; i < 2; i++) {
		const struct doc_node *x = doc_get(live, meta[i]), *y = doc_get(dry, meta[i]);
		bool ex = x && x->kind == DOC_MAP && x->u.map.len;
		bool ey = y && y->kind == DOC_MAP && y->u.map.len;
		if (ex != ey || (ex && !doc_equal(x, y)))
			return true;
	}
	if (!live || live->kind != DOC_MAP || !dry || dry->kind != DOC_MAP)
		return true;
	for (int pass = 0; pass < 2; pass++) {
		const struct doc_node *p = pass ? dry : live, *q = pass ? live : dry;
		for (size_t i = 0; i < p->u.map.len; i++) {
			const char *k = p->u.map.items[i].key;
			if (!strcmp(k, "metadata") || !strcmp(k, "status"))
				continue;
			const struct doc_node *o = doc_map_get(q, k);
			if (!o || (!pass && !doc_equal(p->u.map.items[i].value, o)))
				return true;
		}
	}
	return false;
}

/* ---- Preparing objects ------------------------------------------------------------------*/

static void default_ports_protocol(struct arena *a, struct doc_node *ports)
{
	if (!ports || ports->kind != DOC_SEQ)
		return;
	for (size_t i = 0; i < ports->u.seq.len; i++) {
		struct doc_node *p = ports->u.seq.items[i];
		if (p && p->kind == DOC_MAP && !doc_get_str(p, "protocol"))
			doc_map_set(a, p, "protocol", doc_new_str(a, "TCP"));
	}
}

static void default_pod_spec(struct arena *a, struct doc_node *spec)
{
	struct doc_node *cs = doc_get(spec, "containers");
	if (!cs || cs->kind != DOC_SEQ)
		return;
	for (size_t i = 0; i < cs->u.seq.len; i++)
		default_ports_protocol(a, doc_map_get(cs->u.seq.items[i], "ports"));
}

/* normalize.Unstructured as the kustomize-controller calls it before applying: the TCP
 * default of ports, Secrets' stringData folded into data, no status and no
 * creationTimestamp. (Flux keeps a CRD's status in the payload; the server ignores status
 * on the main resource either way, and leaving it out lets the unchanged rule hold.) */
static void normalize(struct arena *a, struct doc_node *obj, const struct apply_ref *r)
{
	doc_map_delete(obj, "status");
	struct doc_node *meta = doc_map_get(obj, "metadata");
	if (meta && meta->kind == DOC_MAP)
		doc_map_delete(meta, "creationTimestamp");
	const char *k = r->kind;
	bool core = !*r->group, apps = !strcmp(r->group, "apps"), batch = !strcmp(r->group, "batch");
	if (core && !strcmp(k, "Pod"))
		default_pod_spec(a, doc_get(obj, "spec"));
	else if ((apps && (!strcmp(k, "Deployment") || !strcmp(k, "StatefulSet") ||
			   !strcmp(k, "DaemonSet") || !strcmp(k, "ReplicaSet"))) ||
		 (batch && !strcmp(k, "Job")))
		default_pod_spec(a, doc_get(obj, "spec.template.spec"));
	else if (batch && !strcmp(k, "CronJob"))
		default_pod_spec(a, doc_get(obj, "spec.jobTemplate.spec.template.spec"));
	else if (core && !strcmp(k, "Service"))
		default_ports_protocol(a, doc_get(obj, "spec.ports"));
	else if (core && !strcmp(k, "Secret")) {
		struct doc_node *sd = doc_map_get(obj, "stringData");
		if (sd && sd->kind == DOC_MAP && sd->u.map.len) {
			struct doc_node *data = doc_map_get(obj, "data");
			if (!data || data->kind != DOC_MAP) {
				data = doc_new_map(a);
				doc_map_set(a, obj, "data", data);
			}
			for (size_t i = 0; i < sd->u.map.len; i++) {
				const struct doc_node *v = sd->u.map.items[i].value;
				if (!v || v->kind == DOC_SEQ || v->kind == DOC_MAP)
					continue;
				struct buf e;
				buf_init(&e, 0);
				base64_encode(&e, v->kind == DOC_NULL ? "" : v->u.str.ptr,
				    v->kind == DOC_NULL || v->kind == DOC_BOOL ? 0 : v->u.str.len);
				if (v->kind == DOC_BOOL) {
					buf_reset(&e);
					base64_encode(&e, v->u.boolean ? "true" : "false", v->u.boolean ? 4 : 5);
				}
				doc_map_set(a, data, sd->u.map.items[i].key, doc_new_str(a, e.ptr));
				buf_release(&e);
			}
			doc_map_delete(obj, "stringData");
		}
	}
}

static int prepare(struct apply_manager *m, struct arena *a, struct item *it)
{
	int rc = apply_ref_of(&it->ref, a, it->obj);
	if (rc)
		return rc;
	normalize(a, it->obj, &it->ref);
	if (m->opts.owner_name) {
		doc_set(a, it->obj, "metadata.labels", doc_get(it->obj, "metadata.labels")
				? doc_get(it->obj, "metadata.labels") : doc_new_map(a));
		struct doc_node *labels = doc_get(it->obj, "metadata.labels");
		if (labels->kind != DOC_MAP)
			return err_set(ERR_INVALID, "%s: metadata.labels is not a mapping",
				       apply_subject(a, &it->ref));
		doc_map_set(a, labels, m->label_name, doc_new_str(a, m->opts.owner_name));
		doc_map_set(a, labels, m->label_namespace,
			    doc_new_str(a, m->opts.owner_namespace ? m->opts.owner_namespace : ""));
	}
	const char *api = doc_get_str(it->obj, "apiVersion");
	rc = kube_mapper_find(&it->res, m->client, api, it->ref.kind);
	if (rc == ERR_NOTFOUND)
		return err_wrap(rc, "%s dry-run failed", apply_subject(a, &it->ref));
	if (rc)
		return rc;
	if (it->res->namespaced) {
		if (!*it->ref.namespace)
			return err_set(ERR_INVALID, "%s namespace not specified",
				       apply_subject(a, &it->ref));
		it->ns = it->ref.namespace;
	} else {
		struct doc_node *meta = doc_map_get(it->obj, "metadata");
		doc_map_delete(meta, "namespace");
		it->ref.namespace = "";
		it->ns = NULL;
	}
	it->subject = apply_subject(a, &it->ref);
	return 0;
}

/* ---- A stage ----------------------------------------------------------------------------*/

static bool same_place(const struct item *x, const struct item *y)
{
	if (x->res != y->res)
		return false;
	if (!x->ns || !y->ns)
		return x->ns == y->ns;
	return !strcmp(x->ns, y->ns);
}

static int cmp_name_item(const void *pa, const void *pb)
{
	const struct doc_node *const *a = pa, *const *b = pb;
	const char *x = doc_get_str(*a, "metadata.name"), *y = doc_get_str(*b, "metadata.name");
	return strcmp(x ? x : "", y ? y : "");
}

/* Sets live on the items of items[from..n) in the place of items[from] that list holds (by
 * name); marks them read. With only_found, the others are marked unread instead. */
static void match_list(struct item *items, size_t from, size_t n, struct doc_node *list, bool only_found)
{
	struct doc_node *its = doc_map_get(list, "items");
	size_t ln = its && its->kind == DOC_SEQ ? its->u.seq.len : 0;
	if (ln > 1)
		qsort(its->u.seq.items, ln, sizeof *its->u.seq.items, cmp_name_item);
	for (size_t j = from; j < n; j++) {
		if (items[j].read_done || !same_place(&items[from], &items[j]))
			continue;
		size_t lo = 0, hi = ln;
		struct doc_node *found = NULL;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			const char *nm = doc_get_str(its->u.seq.items[mid], "metadata.name");
			int c = strcmp(items[j].ref.name, nm ? nm : "");
			if (!c) {
				found = its->u.seq.items[mid];
				break;
			}
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		items[j].live = found;
		items[j].read_done = true;
		items[j].unread = !found && only_found;
	}
}

/* Reads the live objects of items. Where a kind and namespace hold several of them: with an
 * owner, one LIST by the owner's labels reads those we applied before, whatever else the
 * namespace holds (a namespace shared by many Kustomizations is never read whole, which
 * would make every reconcile cost what the namespace weighs), and the others are left
 * unread for their dry-run to tell whether they exist (see reread_found); without an owner,
 * one LIST page a few times their number long, when the namespace holds no more than that.
 * Single objects, refused LISTs (an identity allowed to get, not to list) and big
 * namespaces without an owner are read with GETs. */
static int read_live(struct apply_manager *m, struct arena *sa, struct item *items, size_t n,
		     struct item **scratch)
{
	size_t ngets = 0;
	const char *sel = m->opts.owner_name
				  ? arena_sprintf(sa, "%s=%s,%s=%s", m->label_name, m->opts.owner_name, m->label_namespace,
						  m->opts.owner_namespace ? m->opts.owner_namespace : "")
				  : NULL;
	for (size_t i = 0; i < n; i++) {
		if (items[i].read_done || items[i].queued)
			continue;
		size_t count = 0;
		for (size_t j = i; j < n; j++)
			if (!items[j].read_done && same_place(&items[i], &items[j]))
				count++;
		struct doc_node *list = NULL;
		if (count >= 2 && sel) {
			if (!kube_list(&list, m->client, sa, items[i].res, items[i].ns, false,
				       &(struct kube_opts){ .label_selector = sel })) {
				match_list(items, i, n, list, true);
				/* an IfNotPresent object that exists is skipped, so never labelled:
				 * a GET is cheaper than a dry-run on every reconcile */
				for (size_t j = i; j < n; j++)
					if (items[j].unread && apply_meta_has(items[j].obj, m->key_ssa, "IfNotPresent")) {
						items[j].unread = false;
						items[j].read_done = false;
					}
			}
		} else if (count >= 2) {
			long probe = count * 4 + 16 < 500 ? (long)count * 4 + 16 : 500;
			if (!kube_list(&list, m->client, sa, items[i].res, items[i].ns, false,
				       &(struct kube_opts){ .limit = probe, .first_page_only = true }) &&
			    !doc_get_str(list, "metadata.continue")) {
				match_list(items, i, n, list, false);
				continue;
			}
		}
		err_clear();
		for (size_t j = i; j < n; j++)
			if (!items[j].read_done && !items[j].queued && same_place(&items[i], &items[j])) {
				scratch[ngets++] = &items[j];
				items[j].queued = true;
			}
	}
	pool_run(m, scratch, ngets, job_read);
	return 0;
}

static void decide(struct apply_manager *m, struct arena *a, struct item *it)
{
	struct doc_node *live = it->live;
	it->exists = live != NULL;
	if (live && m->opts.owner_name) {
		const char *on = meta_value(live, "metadata.labels", m->label_name);
		const char *ons = meta_value(live, "metadata.labels", m->label_namespace);
		const char *want_ns = m->opts.owner_namespace ? m->opts.owner_namespace : "";
		if ((on && strcmp(on, m->opts.owner_name)) || (ons && strcmp(ons, want_ns)))
			it->previous_owner = arena_sprintf(a, "%s/%s", ons ? ons : "", on ? on : "");
	}
	if (apply_meta_has(it->obj, m->key_reconcile, "disabled") ||
	    apply_meta_has(it->obj, m->key_ssa, "Ignore") ||
	    apply_meta_has(live, m->key_reconcile, "disabled") ||
	    apply_meta_has(live, m->key_ssa, "Ignore") ||
	    (live && apply_meta_has(it->obj, m->key_ssa, "IfNotPresent"))) {
		it->state = IT_SKIPPED;
		it->action = APPLY_SKIPPED;
		return;
	}
	it->force_eligible = m->opts.force || apply_meta_has(it->obj, m->key_force, "enabled") ||
			     apply_meta_has(live, m->key_force, "enabled");
	if (live && !apply_meta_has(it->obj, m->key_ssa, "Merge") &&
	    !apply_meta_has(live, m->key_ssa, "Merge")) {
		struct arena *ca = arena_new();
		it->cleanup = cleanup_patch(ca, m, live) != NULL;
		arena_free(ca);
	}
	if (!m->opts.dry_run_diff && live && !it->cleanup &&
	    apply_is_unchanged(it->obj, live, m->opts.field_manager)) {
		it->state = IT_UNCHANGED;
		it->action = APPLY_UNCHANGED;
		return;
	}
	it->state = IT_PENDING;
	log_debug("apply: the unchanged rule does not hold, dry-run", "object", it->subject, NULL);
}

/* decide, and for apply_diff what a diff changes in it. */
static void decide_for(struct apply_manager *m, struct arena *a, struct item *it, bool diff)
{
	decide(m, a, it);
	if (diff) {
		/* Flux's Diff compares without the metadata cleanup */
		it->cleanup = false;
		it->keep_dry = true;
		it->force_eligible = false; /* a diff never deletes */
	}
}

/* Unread objects (not in the LIST by owner label) that the dry-run found to exist, or whose
 * dry-run failed, are read with a GET and decided again as if read first (they may be
 * skipped, unchanged or another owner's), then dry-run again if they are still pending. The
 * objects that do not exist yet, the common case, cost no read at all. */
static void reread_found(struct apply_manager *m, struct arena *a, struct item *items, size_t n,
			 struct item **scratch, bool diff)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		struct item *it = &items[i];
		if (!it->unread || (!it->rc && !it->dry_found))
			continue;
		it->unread = false;
		it->rc = 0;
		free(it->err);
		it->err = NULL;
		arena_free(it->dra);
		it->dra = NULL;
		it->dry = NULL;
		it->read_done = false;
		scratch[k++] = it;
	}
	if (!k)
		return;
	pool_run(m, scratch, k, job_read);
	size_t pending = 0;
	for (size_t i = 0; i < k; i++) {
		decide_for(m, a, scratch[i], diff);
		if (scratch[i]->state == IT_PENDING)
			scratch[pending++] = scratch[i];
	}
	pool_run(m, scratch, pending, job_dry_run);
}

static int first_error(struct item *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (items[i].rc)
			return err_set(items[i].rc, "%s", items[i].err);
	return 0;
}

/* One stage; with diff_live (apply_diff), nothing is applied and the live and dry-run objects
 * of the entries are cloned into diff_live[i], diff_merged[i]. */
static int stage(struct apply_changeset *out, struct apply_manager *m, struct arena *a,
		 struct doc_node **objs, size_t n, struct doc_node **diff_live,
		 struct doc_node **diff_merged)
{
	if (!n)
		return 0;
	apply_sort_objects(objs, n);
	struct arena *sa = arena_new();
	struct item *items = arena_alloc(sa, n * sizeof *items);
	struct item **scratch = arena_alloc(sa, n * sizeof *scratch);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		items[i].obj = objs[i];
		rc = prepare(m, a, &items[i]);
		if (rc)
			goto done;
	}
	rc = read_live(m, sa, items, n, scratch);
	if (rc)
		goto done;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		decide_for(m, a, &items[i], diff_live != NULL);
		if (items[i].state == IT_PENDING)
			scratch[k++] = &items[i];
	}
	pool_run(m, scratch, k, job_dry_run);
	reread_found(m, a, items, n, scratch, diff_live != NULL);
	rc = first_error(items, n);
	if (rc)
		goto done;
	k = 0;
	for (size_t i = 0; i < n && !diff_live; i++)
		if (items[i].state == IT_APPLY)
			scratch[k++] = &items[i];
	pool_run(m, scratch, k, job_apply);
	rc = first_error(items, n);
	if (rc)
		goto done;
	for (size_t i = 0; i < n; i++) {
		struct apply_entry e = { .ref = items[i].ref, .subject = items[i].subject,
					 .action = items[i].action,
					 .previous_owner = items[i].previous_owner };
		if (items[i].state == IT_SKIPPED && items[i].live) {
			/* Flux builds a skipped entry from the live object */
			e.ref.version = arena_strdup(a, items[i].ref.version);
		}
		if (diff_live) {
			bool drift = e.action == APPLY_CREATED || e.action == APPLY_CONFIGURED;
			diff_live[i] = drift && items[i].live ? doc_clone(a, items[i].live) : NULL;
			diff_merged[i] = drift && items[i].dry ? doc_clone(a, items[i].dry) : NULL;
		}
		apply_changeset_add(a, out, &e);
	}
done:
	for (size_t i = 0; i < n; i++) {
		free(items[i].err);
		arena_free(items[i].dra);
		arena_free(items[i].ja);
	}
	arena_free(sa);
	return rc;
}

int apply_all(struct apply_changeset *out, struct apply_manager *m, struct arena *a,
	      struct doc_node **objs, size_t n)
{
	return stage(out, m, a, objs, n, NULL, NULL);
}

int apply_diff(struct apply_changeset *out, struct doc_node ***live, struct doc_node ***merged,
	       struct apply_manager *m, struct arena *a, struct doc_node **objs, size_t n)
{
	*live = arena_alloc(a, (n + 1) * sizeof **live);
	*merged = arena_alloc(a, (n + 1) * sizeof **merged);
	return stage(out, m, a, objs, n, *live, *merged);
}

static bool is_cluster_definition(const struct doc_node *o)
{
	const char *kind = doc_get_str(o, "kind"), *api = doc_get_str(o, "apiVersion");
	if (!kind || !api)
		return false;
	return (!strcasecmp(kind, "CustomResourceDefinition") &&
		!strncmp(api, "apiextensions.k8s.io/", 21)) ||
	       (!strcasecmp(kind, "Namespace") && !strcmp(api, "v1")) ||
	       (!strcasecmp(kind, "ClusterRole") && !strncmp(api, "rbac.authorization.k8s.io/", 26));
}

static bool is_class_definition(const struct doc_node *o)
{
	const char *kind = doc_get_str(o, "kind");
	size_t l = kind ? strlen(kind) : 0;
	return l >= 5 && !strcmp(kind + l - 5, "Class");
}

static int wait_stage(struct apply_manager *m, struct arena *a, const struct apply_changeset *cs,
		      size_t from)
{
	struct apply_ref *refs = arena_alloc(a, (cs->len - from + 1) * sizeof *refs);
	size_t n = 0;
	bool crds = false;
	for (size_t i = from; i < cs->len; i++) {
		/* Flux waits for skipped objects too, and times out on one that does not exist
		 * (ssa: Ignore on a CRD never applied); tide waits for what it applied or found */
		if (cs->items[i].action == APPLY_SKIPPED)
			continue;
		refs[n++] = cs->items[i].ref;
		if (!strcmp(cs->items[i].ref.kind, "CustomResourceDefinition") &&
		    apply_action_changed(cs->items[i].action))
			crds = true;
	}
	int rc = apply_wait(m, a, refs, n,
			    &(struct apply_wait_opts){ .interval_ms = m->opts.wait_interval_ms,
						       .timeout_ms = m->opts.wait_timeout_ms });
	if (!rc && crds)
		kube_mapper_reset(m->client);
	return rc;
}

/* After a CRD is Established, the API server's discovery may lag a moment behind: wait until
 * the mapper knows every served version of each CRD applied, so the next stage maps its
 * custom resources. */
static int wait_kinds(struct apply_manager *m, struct arena *a, struct doc_node **defs, size_t n)
{
	long long deadline = clock_mono_ms() + m->opts.wait_timeout_ms;
	for (size_t i = 0; i < n; i++) {
		const char *kind = doc_get_str(defs[i], "kind");
		if (!kind || strcmp(kind, "CustomResourceDefinition"))
			continue;
		const char *group = doc_get_str(defs[i], "spec.group");
		const char *ckind = doc_get_str(defs[i], "spec.names.kind");
		const struct doc_node *vs = doc_get(defs[i], "spec.versions");
		if (!group || !ckind || !vs || vs->kind != DOC_SEQ)
			continue;
		for (size_t v = 0; v < vs->u.seq.len; v++) {
			const char *name = doc_get_str(vs->u.seq.items[v], "name");
			const struct doc_node *served = doc_get(vs->u.seq.items[v], "served");
			if (!name || (served && served->kind == DOC_BOOL && !served->u.boolean))
				continue;
			const char *gv = arena_sprintf(a, "%s/%s", group, name);
			for (;;) {
				const struct kube_resource *r;
				int rc = kube_mapper_find(&r, m->client, gv, ckind);
				if (!rc)
					break;
				if (rc != ERR_NOTFOUND)
					return rc;
				if (clock_mono_ms() >= deadline)
					return err_set(ERR_TIMEOUT, "timeout waiting for: [%s in %s to be served]",
						       ckind, gv);
				clock_sleep_ms(200);
				kube_mapper_reset(m->client);
			}
		}
	}
	return 0;
}

int apply_all_staged(struct apply_changeset *out, struct apply_manager *m, struct arena *a,
		     struct doc_node **objs, size_t n)
{
	struct doc_node **defs = arena_alloc(a, (n + 1) * sizeof *defs);
	struct doc_node **classes = arena_alloc(a, (n + 1) * sizeof *classes);
	struct doc_node **rest = arena_alloc(a, (n + 1) * sizeof *rest);
	size_t nd = 0, nc = 0, nr = 0;
	for (size_t i = 0; i < n; i++) {
		if (is_cluster_definition(objs[i]))
			defs[nd++] = objs[i];
		else if (is_class_definition(objs[i]))
			classes[nc++] = objs[i];
		else
			rest[nr++] = objs[i];
	}
	if (nd) {
		size_t from = out->len;
		int rc = stage(out, m, a, defs, nd, NULL, NULL);
		if (!rc)
			rc = wait_stage(m, a, out, from);
		if (!rc)
			rc = wait_kinds(m, a, defs, nd);
		if (rc)
			return rc;
	}
	if (nc) {
		size_t from = out->len;
		int rc = stage(out, m, a, classes, nc, NULL, NULL);
		if (!rc)
			rc = wait_stage(m, a, out, from);
		if (rc)
			return rc;
	}
	return stage(out, m, a, rest, nr, NULL, NULL);
}
