/*
 * The unchanged decision (the rule is in apply.h): the desired object's fields are all in the
 * live object with equal values, and our field manager's Apply entry in managedFields owns
 * exactly those fields. managedFields' fieldsV1 is read as structured-merge-diff writes it:
 * "f:<name>" for a map key, "k:<json>" for a list item by its merge keys, "v:<json>" for an
 * item of a set, "i:<n>" for an item by position, "." for the node itself; a node without
 * children is owned whole (a leaf, or an atomic map or list).
 *
 * Also what a dry-run tells: whether it drifted from the live object (ssa hasDrifted), and
 * apply_diff, a stage of apply.c that applies nothing (ssa manager_diff.go Diff).
 */
#include <string.h>

#include "apply/apply.h"
#include "apply/internal.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

/* desired's value is contained in live's: maps by key, lists item by item in order. */
static bool contained(const struct doc_node *d, const struct doc_node *l)
{
	if (!d || !l)
		return false;
	if (d->kind == DOC_MAP) {
		if (l->kind != DOC_MAP)
			return false;
		for (size_t i = 0; i < d->u.map.len; i++) {
			const struct doc_node *v = d->u.map.items[i].value;
			if (!contained(v, doc_map_get(l, d->u.map.items[i].key)))
				return false;
		}
		return true;
	}
	if (d->kind == DOC_SEQ) {
		if (l->kind != DOC_SEQ || l->u.seq.len != d->u.seq.len)
			return false;
		for (size_t i = 0; i < d->u.seq.len; i++)
			if (!contained(d->u.seq.items[i], l->u.seq.items[i]))
				return false;
		return true;
	}
	/* a null asks the server to remove a field: not something to reason about here */
	if (d->kind == DOC_NULL)
		return false;
	return doc_equal(d, l);
}

static bool has_children(const struct doc_node *f)
{
	if (!f || f->kind != DOC_MAP)
		return false;
	for (size_t i = 0; i < f->u.map.len; i++)
		if (strcmp(f->u.map.items[i].key, "."))
			return true;
	return false;
}

static bool owned(struct arena *a, const struct doc_node *d, const struct doc_node *l,
		  const struct doc_node *f, int depth);

/* A "k:{...}" key's fields all equal in item. */
static bool key_matches(struct arena *a, const char *json, const struct doc_node *item)
{
	struct doc_node *kv = NULL;
	if (doc_parse_json(a, "fieldsV1", json, strlen(json), NULL, &kv) || !kv ||
	    kv->kind != DOC_MAP || !item || item->kind != DOC_MAP)
		return false;
	for (size_t i = 0; i < kv->u.map.len; i++)
		if (!doc_equal(kv->u.map.items[i].value, doc_map_get(item, kv->u.map.items[i].key)))
			return false;
	return true;
}

static bool owned_list(struct arena *a, const struct doc_node *d, const struct doc_node *l,
		       const struct doc_node *f, int depth)
{
	size_t nkeys = 0;
	for (size_t i = 0; i < f->u.map.len; i++) {
		const char *k = f->u.map.items[i].key;
		if (!strcmp(k, "."))
			continue;
		if (strncmp(k, "k:", 2) && strncmp(k, "v:", 2))
			return false; /* "i:<n>" and anything newer: in doubt */
		nkeys++;
	}
	if (nkeys != d->u.seq.len)
		return false;
	for (size_t j = 0; j < d->u.seq.len; j++) {
		const struct doc_node *item = d->u.seq.items[j];
		const struct doc_node *match = NULL;
		for (size_t i = 0; i < f->u.map.len && !match; i++) {
			const char *k = f->u.map.items[i].key;
			if (!strncmp(k, "k:", 2)) {
				if (key_matches(a, k + 2, item))
					match = f->u.map.items[i].value;
			} else if (!strncmp(k, "v:", 2)) {
				struct doc_node *v = NULL;
				if (!doc_parse_json(a, "fieldsV1", k + 2, strlen(k + 2), NULL, &v) &&
				    doc_equal(v, item))
					match = f->u.map.items[i].value;
			}
		}
		if (!match)
			return false;
		if (match->kind == DOC_MAP && has_children(match) &&
		    !owned(a, item, l && l->kind == DOC_SEQ && j < l->u.seq.len ? l->u.seq.items[j] : NULL,
			   match, depth + 1))
			return false;
	}
	return true;
}

/* Whether metadata holds nothing but name and namespace (which no field set lists). */
static bool only_identity(const struct doc_node *meta)
{
	if (!meta || meta->kind != DOC_MAP)
		return false;
	for (size_t i = 0; i < meta->u.map.len; i++)
		if (strcmp(meta->u.map.items[i].key, "name") && strcmp(meta->u.map.items[i].key, "namespace"))
			return false;
	return true;
}

/* Our field set f at this node is exactly what d sets (l: the live node, for atomic values). */
static bool owned(struct arena *a, const struct doc_node *d, const struct doc_node *l,
		  const struct doc_node *f, int depth)
{
	if (!f || f->kind != DOC_MAP || depth > 200)
		return false;
	if (!has_children(f)) {
		/* a leaf or an atomic map or list: owned whole, so the apply replaces it whole */
		if (d->kind == DOC_MAP || d->kind == DOC_SEQ)
			return l && doc_equal(d, l);
		return true;
	}
	if (d->kind == DOC_SEQ)
		return owned_list(a, d, l, f, depth);
	if (d->kind != DOC_MAP)
		return false;
	bool top = depth == 0, meta = depth == 1;
	/* every field we send is ours */
	size_t sent = 0;
	for (size_t i = 0; i < d->u.map.len; i++) {
		const char *k = d->u.map.items[i].key;
		if (top && (!strcmp(k, "apiVersion") || !strcmp(k, "kind")))
			continue;
		if (meta && (!strcmp(k, "name") || !strcmp(k, "namespace")))
			continue;
		const struct doc_node *v = d->u.map.items[i].value;
		char fk[512];
		if (strlen(k) + 3 > sizeof fk)
			return false;
		fk[0] = 'f', fk[1] = ':';
		memcpy(fk + 2, k, strlen(k) + 1);
		const struct doc_node *sub = doc_map_get(f, fk);
		if (!sub && top && !strcmp(k, "metadata") && only_identity(v))
			continue;
		if (!sub) {
			/* an empty map or list we send may own nothing (structured-merge-diff
			 * records none for `resources: {}`) */
			if (v && ((v->kind == DOC_MAP && !v->u.map.len) ||
				  (v->kind == DOC_SEQ && !v->u.seq.len)))
				continue;
			return false;
		}
		sent++;
		if (!owned(a, v, doc_map_get(l, k), sub, top && !strcmp(k, "metadata") ? 1 : depth + 2))
			return false;
	}
	/* and nothing else is */
	size_t mine = 0;
	for (size_t i = 0; i < f->u.map.len; i++) {
		const char *k = f->u.map.items[i].key;
		if (!strcmp(k, "."))
			continue;
		if (meta && (!strcmp(k, "f:name") || !strcmp(k, "f:namespace")))
			continue;
		if (strncmp(k, "f:", 2))
			return false;
		mine++;
	}
	return mine == sent;
}

static const struct doc_node *our_fields(const struct doc_node *live, const char *manager,
					 const char *api_version)
{
	const struct doc_node *mf = doc_get(live, "metadata.managedFields");
	if (!mf || mf->kind != DOC_SEQ)
		return NULL;
	const struct doc_node *found = NULL;
	for (size_t i = 0; i < mf->u.seq.len; i++) {
		const struct doc_node *e = mf->u.seq.items[i];
		const char *m = doc_get_str(e, "manager"), *op = doc_get_str(e, "operation");
		const char *sub = doc_get_str(e, "subresource"), *api = doc_get_str(e, "apiVersion");
		const char *type = doc_get_str(e, "fieldsType");
		if (!m || strcmp(m, manager) || !op || strcmp(op, "Apply") || (sub && *sub))
			continue;
		if (found || !api || strcmp(api, api_version) || (type && strcmp(type, "FieldsV1")))
			return NULL; /* two entries, or one at another version: in doubt */
		found = doc_map_get(e, "fieldsV1");
	}
	return found;
}

bool apply_is_unchanged(const struct doc_node *desired, const struct doc_node *live,
			const char *field_manager)
{
	if (!desired || !live || desired->kind != DOC_MAP || live->kind != DOC_MAP)
		return false;
	const char *api = doc_get_str(desired, "apiVersion");
	if (!api || doc_get(live, "metadata.deletionTimestamp"))
		return false;
	const struct doc_node *f = our_fields(live, field_manager ? field_manager : APPLY_FIELD_MANAGER, api);
	if (!f)
		return false;
	for (size_t i = 0; i < desired->u.map.len; i++) {
		const char *k = desired->u.map.items[i].key;
		if (!strcmp(k, "apiVersion") || !strcmp(k, "kind"))
			continue;
		if (!contained(desired->u.map.items[i].value, doc_map_get(live, k)))
			return false;
	}
	struct arena *a = arena_new();
	bool ok = owned(a, desired, live, f, 0);
	arena_free(a);
	return ok;
}

/* ssa hasDrifted: labels, annotations, then everything but metadata and status. */
bool apply_drifted(const struct doc_node *live, const struct doc_node *dry)
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

/* ---- apply_diff (ssa manager_diff.go Diff over a set) ----------------------------------*/

int apply_diff(struct apply_changeset *out, struct doc_node ***live, struct doc_node ***merged,
	       struct apply_manager *m, struct arena *a, struct doc_node **objs, size_t n)
{
	*live = arena_alloc(a, (n + 1) * sizeof **live);
	*merged = arena_alloc(a, (n + 1) * sizeof **merged);
	return apply_stage(out, m, a, objs, n, *live, *merged);
}
