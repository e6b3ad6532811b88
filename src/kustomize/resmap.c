/*
 * Resources and the resource map: objects in input order, each with its id history
 * (previous ids, oldest first), the name prefixes and suffixes applied to it, and for
 * generated objects their merge behavior. Invariant: no two live resources share a current
 * id once kust_resmap_append accepted them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/xalloc.h"

#include "util/banned.h"

struct kust_res *kust_res_new(struct arena *a, struct doc_node *node)
{
	struct kust_res *r = arena_alloc(a, sizeof(*r));
	r->node = node;
	return r;
}

static void strv_copy(struct arena *a, struct kust_strv *dst, const struct kust_strv *src)
{
	for (size_t i = 0; i < src->len; i++)
		kust_strv_push(a, dst, src->v[i]);
}

struct kust_res *kust_res_clone(struct arena *a, const struct kust_res *r)
{
	struct kust_res *c = kust_res_new(a, doc_clone(a, r->node));
	for (size_t i = 0; i < r->nprev; i++) {
		if (c->nprev == c->cap_prev)
			c->prev = arena_grow(a, c->prev, &c->cap_prev, c->nprev + 1, sizeof(*c->prev));
		c->prev[c->nprev++] = r->prev[i];
	}
	strv_copy(a, &c->prefixes, &r->prefixes);
	strv_copy(a, &c->suffixes, &r->suffixes);
	strv_copy(a, &c->refvars, &r->refvars);
	c->behavior = r->behavior;
	c->needs_hash = r->needs_hash;
	c->origin = r->origin;
	for (size_t i = 0; i < r->ntransforms; i++) {
		if (c->ntransforms == c->cap_transforms)
			c->transforms = arena_grow(a, c->transforms, &c->cap_transforms, c->ntransforms + 1,
						   sizeof(*c->transforms));
		c->transforms[c->ntransforms++] = r->transforms[i];
	}
	return c;
}

struct kust_id kust_res_id(struct arena *a, const struct kust_res *r)
{
	return kust_id_of(a, r->node);
}

struct kust_id kust_res_orgid(struct arena *a, const struct kust_res *r)
{
	if (r->nprev)
		return r->prev[0];
	return kust_res_id(a, r);
}

void kust_res_store_prev(struct arena *a, struct kust_res *r)
{
	struct kust_id id = kust_res_id(a, r);
	/* Strings of the id must survive later edits of the node. */
	id.name = arena_strdup(a, id.name);
	id.ns = arena_strdup(a, id.ns);
	id.gvk.kind = arena_strdup(a, id.gvk.kind);
	id.gvk.version = arena_strdup(a, id.gvk.version);
	if (r->nprev == r->cap_prev)
		r->prev = arena_grow(a, r->prev, &r->cap_prev, r->nprev + 1, sizeof(*r->prev));
	r->prev[r->nprev++] = id;
}

static const char *meta_str(const struct kust_res *r, const char *key)
{
	const char *s = kust_scalar(doc_map_get(doc_map_get(r->node, "metadata"), key));
	return s ? s : "";
}

const char *kust_res_name(const struct kust_res *r)
{
	return meta_str(r, "name");
}

const char *kust_res_ns(const struct kust_res *r)
{
	return meta_str(r, "namespace");
}

const char *kust_res_kind(const struct kust_res *r)
{
	const char *s = kust_scalar(doc_map_get(r->node, "kind"));
	return s ? s : "";
}

static struct doc_node *metadata(struct arena *a, struct kust_res *r)
{
	return doc_map_child(a, r->node, "metadata", DOC_MAP);
}

void kust_res_set_name(struct arena *a, struct kust_res *r, const char *name)
{
	doc_map_set(a, metadata(a, r), "name", kust_str(a, name));
}

void kust_res_set_ns(struct arena *a, struct kust_res *r, const char *ns)
{
	doc_map_set(a, metadata(a, r), "namespace", kust_str(a, ns));
}

void kust_resmap_push(struct arena *a, struct kust_resmap *m, struct kust_res *r)
{
	if (m->len == m->cap)
		m->v = arena_grow(a, m->v, &m->cap, m->len + 1, sizeof(*m->v));
	m->v[m->len++] = r;
}

/* NEEDSWORK: the duplicate check is quadratic (a name compare per object); an index by
 * name would make very large builds faster. */
int kust_resmap_append(struct arena *a, struct kust_resmap *m, struct kust_res *r)
{
	struct kust_id id = kust_res_id(a, r);
	const char *name = kust_res_name(r);
	for (size_t i = 0; i < m->len; i++) {
		if (strcmp(kust_res_name(m->v[i]), name))
			continue; /* a cheap reject before the full id */
		struct kust_id o = kust_res_id(a, m->v[i]);
		if (kust_id_equal(&o, &id))
			return err_set(ERR_INVALID,
				       "may not add resource with an already registered id: %s",
				       kust_id_string(a, &id));
	}
	kust_resmap_push(a, m, r);
	return 0;
}

static uint64_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

int kust_resmap_append_many(struct arena *a, struct kust_resmap *m, struct kust_res *const *v, size_t n)
{
	/* The same checks as kust_resmap_append one by one, with an index of names (which do
	 * not change while appending) instead of a scan of m per object: O(n), not O(n^2). */
	size_t base = m->len, cap = 16;
	while (cap < 2 * (base + n))
		cap *= 2;
	size_t *slots = xcalloc(cap, sizeof(*slots)); /* index into m->v, plus one; 0 = empty */
	int rc = 0;
	for (size_t i = 0; i < base + n && !rc; i++) {
		struct kust_res *r = i < base ? m->v[i] : v[i - base];
		const char *name = kust_res_name(r);
		size_t at = (size_t)name_hash(name ? name : "") & (cap - 1);
		if (i >= base) {
			struct kust_id id = kust_res_id(a, r);
			for (size_t k = at; slots[k]; k = (k + 1) & (cap - 1)) {
				const struct kust_res *o = m->v[slots[k] - 1];
				const char *oname = kust_res_name(o);
				if (strcmp(oname ? oname : "", name ? name : ""))
					continue;
				struct kust_id oid = kust_res_id(a, o);
				if (kust_id_equal(&oid, &id)) {
					rc = err_set(ERR_INVALID,
						     "may not add resource with an already registered id: %s",
						     kust_id_string(a, &id));
					break;
				}
			}
			if (rc)
				break;
			kust_resmap_push(a, m, r);
		}
		while (slots[at])
			at = (at + 1) & (cap - 1);
		slots[at] = i + 1;
	}
	free(slots);
	return rc;
}

static bool any_id_equals(struct arena *a, const struct kust_res *r, const struct kust_id *id)
{
	struct kust_id cur = kust_res_id(a, r);
	if (kust_id_equal(&cur, id))
		return true;
	for (size_t i = 0; i < r->nprev; i++)
		if (kust_id_equal(&r->prev[i], id))
			return true;
	return false;
}

/* Sets key/value pairs of from that are not in to (to's own entries win), keys sorted as
 * kustomize's Go maps come out. */
static struct doc_node *merge_string_maps(struct arena *a, const struct doc_node *old,
					  const struct doc_node *new)
{
	struct doc_node *m = doc_new_map(a);
	const struct doc_node *src[2] = { old, new };
	for (int s = 0; s < 2; s++) {
		if (!src[s] || src[s]->kind != DOC_MAP)
			continue;
		for (size_t i = 0; i < src[s]->u.map.len; i++)
			doc_map_set(a, m, src[s]->u.map.items[i].key, src[s]->u.map.items[i].value);
	}
	kust_sort_keys(m);
	return m;
}

static void set_or_delete(struct arena *a, struct doc_node *map, const char *key, struct doc_node *v)
{
	if (v && v->kind == DOC_MAP && v->u.map.len == 0)
		doc_map_delete(map, key);
	else
		doc_map_set(a, map, key, v);
}

int kust_resmap_absorb(struct arena *a, struct kust_resmap *m, struct kust_res *r)
{
	struct kust_id id = kust_res_id(a, r);
	struct kust_res *old = NULL;
	size_t idx = 0;
	int matches = 0;
	for (size_t i = 0; i < m->len; i++) {
		if (any_id_equals(a, m->v[i], &id)) {
			if (!matches) {
				old = m->v[i];
				idx = i;
			}
			matches++;
		}
	}
	if (matches == 0) {
		if (r->behavior == KUST_BEHAVIOR_MERGE || r->behavior == KUST_BEHAVIOR_REPLACE)
			return err_set(ERR_INVALID, "id %s does not exist; cannot merge or replace",
				       kust_id_string(a, &id));
		return kust_resmap_append(a, m, r);
	}
	if (matches > 1)
		return err_set(ERR_INVALID, "found multiple objects matching id %s",
			       kust_id_string(a, &id));
	if (r->behavior != KUST_BEHAVIOR_MERGE && r->behavior != KUST_BEHAVIOR_REPLACE)
		return err_set(ERR_INVALID, "id %s exists; behavior must be merge or replace",
			       kust_id_string(a, &id));
	struct doc_node *md = doc_map_get(r->node, "metadata");
	struct doc_node *omd = doc_map_get(old->node, "metadata");
	set_or_delete(a, md, "labels",
		      merge_string_maps(a, doc_map_get(omd, "labels"), doc_map_get(md, "labels")));
	set_or_delete(a, md, "annotations",
		      merge_string_maps(a, doc_map_get(omd, "annotations"),
					doc_map_get(md, "annotations")));
	kust_res_set_name(a, r, kust_res_name(old));
	const char *ons = kust_res_ns(old);
	if (*ons)
		kust_res_set_ns(a, r, ons);
	else
		doc_map_delete(md, "namespace");
	if (r->behavior == KUST_BEHAVIOR_MERGE) {
		static const char *const fields[] = { "data", "binaryData" };
		for (int f = 0; f < 2; f++) {
			struct doc_node *merged = merge_string_maps(
				a, doc_map_get(old->node, fields[f]), doc_map_get(r->node, fields[f]));
			set_or_delete(a, r->node, fields[f], merged);
		}
	}
	/* The merged object keeps the old one's history and place. */
	r->prev = old->prev;
	r->nprev = old->nprev;
	r->cap_prev = old->cap_prev;
	r->prefixes = old->prefixes;
	r->suffixes = old->suffixes;
	r->refvars = old->refvars;
	if (r->behavior == KUST_BEHAVIOR_MERGE && old->origin)
		r->origin = old->origin;
	r->transforms = old->transforms;
	r->ntransforms = old->ntransforms;
	r->cap_transforms = old->cap_transforms;
	/* build annotations (the hash request among them) come from the old object, and are
	 * dropped when the new one does not ask for a hash */
	r->needs_hash = old->needs_hash && r->needs_hash;
	m->v[idx] = r;
	return 0;
}

void kust_resmap_remove_deleted(struct kust_resmap *m)
{
	size_t j = 0;
	for (size_t i = 0; i < m->len; i++)
		if (!m->v[i]->deleted)
			m->v[j++] = m->v[i];
	m->len = j;
}
