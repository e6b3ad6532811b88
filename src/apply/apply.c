/*
 * One stage of the server-side apply (fluxcd/pkg ssa manager_apply.go ApplyAll); the staged
 * order is in staged.c, the manager in manager.c.
 *
 * A stage goes through four steps, each over all its objects: prepare (normalise, stamp the
 * owner labels, map the kind), read the live objects (a LIST per kind and namespace shared by
 * several objects, by the owner's labels when there is an owner, else a GET), decide (skipped
 * by annotation, or unchanged by the read-only rule of diff.c), dry-run what is left (the
 * stage's validation: one failure and nothing of the stage is applied), then apply what the
 * dry-run shows drifted. The requests of a step run on a few threads (the client is
 * thread-safe); each job allocates in its own arena, and results that outlive the job are
 * copied into the stage's arena by the main thread.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "apply/apply.h"
#include "apply/internal.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/banned.h"

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
	} else if (!it->live || apply_drifted(it->live, dry)) {
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
		const char *patch = apply_cleanup_patch(ja, m, it->live);
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

/* ---- Preparing objects ------------------------------------------------------------------*/

/* Sets it->ref, res, ns and subject from it->obj, normalised and stamped with the owner
 * labels. */
static int prepare(struct apply_manager *m, struct arena *a, struct item *it)
{
	int rc = apply_ref_of(&it->ref, a, it->obj);
	if (rc)
		return rc;
	apply_normalize(a, it->obj, &it->ref);
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
		const char *on = apply_meta_value(live, "metadata.labels", m->label_name);
		const char *ons = apply_meta_value(live, "metadata.labels", m->label_namespace);
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
		it->cleanup = apply_cleanup_patch(ca, m, live) != NULL;
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

/* See internal.h. */
int apply_stage(struct apply_changeset *out, struct apply_manager *m, struct arena *a,
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
	return apply_stage(out, m, a, objs, n, NULL, NULL);
}
