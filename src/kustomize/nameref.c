/*
 * Name references: after every rename (prefix, suffix, hash, namespace, patches), fields
 * that name another object (a Deployment's configMapKeyRef, a RoleBinding's subjects...)
 * are updated to the referred object's final name. Follows kustomize's nameref filter: a
 * referral is a resource whose previous names include the old value, whose previous ids
 * have the kind the field refers to, that the referrer can see (same namespace, cluster
 * scoped, RoleBinding subjects' namespaces), narrowed by matching prefix/suffix history.
 */
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

#include "util/banned.h"

struct nr {
	struct kust_ctx *c;
	struct kust_res *referrer;
	struct kust_id referrer_id;
	const struct kust_gvk *target;
	const char *path;
	struct kust_res **cands;
	size_t ncands;
	int err;
};

typedef bool (*sieve_fn)(struct nr *n, struct kust_res *r, const void *arg);

static size_t sieve(struct nr *n, struct kust_res **v, size_t len, sieve_fn fn, const void *arg)
{
	size_t j = 0;
	for (size_t i = 0; i < len; i++)
		if (fn(n, v[i], arg))
			v[j++] = v[i];
	return j;
}

static bool prev_name_matches(struct nr *n, struct kust_res *r, const void *arg)
{
	(void)n;
	for (size_t i = 0; i < r->nprev; i++)
		if (!strcmp(r->prev[i].name, (const char *)arg))
			return true;
	return false;
}

static bool prev_gvk_selected(struct nr *n, struct kust_res *r, const void *arg)
{
	(void)n;
	for (size_t i = 0; i < r->nprev; i++)
		if (kust_gvk_selected(&r->prev[i].gvk, (const struct kust_gvk *)arg))
			return true;
	return false;
}

static bool same_ns(struct nr *n, struct kust_res *r, const void *arg)
{
	(void)arg;
	if (kust_gvk_cluster_scoped(&n->referrer_id.gvk))
		return true;
	struct kust_id id = kust_res_id(n->c->a, r);
	if (kust_gvk_cluster_scoped(&id.gvk) || !strcmp(id.gvk.kind, "ServiceAccount"))
		return true;
	return kust_ns_equal(id.ns, n->referrer_id.ns);
}

static bool same_ending(const struct kust_strv *x, const struct kust_strv *y)
{
	const struct kust_strv *s = x, *l = y;
	if (s->len > l->len) {
		s = y;
		l = x;
	}
	size_t diff = l->len - s->len;
	if (!s->len)
		return diff == 0;
	for (size_t i = s->len; i-- > 0;)
		if (strcmp(l->v[i + diff], s->v[i]))
			return false;
	return true;
}

static bool affix_equal(struct nr *n, struct kust_res *r, const void *arg)
{
	bool allow_empty = arg != NULL;
	const struct kust_res *o = n->referrer;
	if (allow_empty) {
		bool pe = !r->prefixes.len || !o->prefixes.len;
		bool se = !r->suffixes.len || !o->suffixes.len;
		return (pe || same_ending(&r->prefixes, &o->prefixes)) &&
		       (se || same_ending(&r->suffixes, &o->suffixes));
	}
	return same_ending(&r->prefixes, &o->prefixes) && same_ending(&r->suffixes, &o->suffixes);
}

static struct kust_res *select_referral(struct nr *n, const char *old, struct kust_res **cands,
					size_t len, bool with_ns)
{
	struct arena *a = n->c->a;
	/* the name sieve first, while copying: few candidates survive it */
	struct kust_res **v = NULL;
	size_t nv = 0, cap = 0;
	for (size_t i = 0; i < len; i++) {
		if (!prev_name_matches(n, cands[i], old))
			continue;
		if (nv == cap)
			v = arena_grow(a, v, &cap, nv + 1, sizeof(*v));
		v[nv++] = cands[i];
	}
	len = nv;
	if (!len)
		return NULL;
	len = sieve(n, v, len, prev_gvk_selected, n->target);
	size_t pl = strlen(n->path);
	if (pl >= 12 && !strcmp(n->path + pl - 12, "roleRef/name")) {
		const struct doc_node *rr = doc_map_get(n->referrer->node, "roleRef");
		const char *g = kust_scalar(doc_map_get(rr, "apiGroup"));
		const char *k = kust_scalar(doc_map_get(rr, "kind"));
		if (g && k) {
			struct kust_gvk sel = { g, "", k };
			len = sieve(n, v, len, prev_gvk_selected, &sel);
		}
	}
	len = sieve(n, v, len, same_ns, NULL);
	if (len == 1)
		return v[0];
	len = sieve(n, v, len, affix_equal, "allow-empty");
	if (len > 1)
		len = sieve(n, v, len, affix_equal, NULL);
	if (len == 1)
		return v[0];
	if (len == 0)
		return NULL;
	bool same = true;
	for (size_t i = 1; i < len; i++) {
		if (strcmp(kust_res_name(v[i]), kust_res_name(v[0])))
			same = false;
		if (with_ns && strcmp(kust_res_ns(v[i]), kust_res_ns(v[0])))
			same = false;
	}
	if (same)
		return v[0];
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < len; i++) {
		struct kust_id id = kust_res_id(a, v[i]);
		buf_addf(&b, "%s%s", i ? ", " : "", kust_id_string(a, &id));
	}
	n->err = err_set(ERR_INVALID, "found multiple possible referrals: %s", b.ptr);
	buf_release(&b);
	return NULL;
}

static void set_scalar(struct nr *n, struct doc_node **slot)
{
	const char *old = kust_scalar(*slot);
	if (!old)
		return;
	struct kust_res *ref = select_referral(n, old, n->cands, n->ncands, false);
	if (!ref)
		return;
	const char *name = kust_res_name(ref);
	if (strcmp(name, old))
		*slot = kust_str_like(n->c->a, name, *slot);
}

static void set_mapping(struct nr *n, struct doc_node *node)
{
	struct arena *a = n->c->a;
	const char *old = kust_scalar(doc_map_get(node, "name"));
	if (!old)
		return;
	struct kust_res **cands = n->cands;
	size_t ncands = n->ncands;
	const char *ns = kust_scalar(doc_map_get(node, "namespace"));
	if (ns) {
		/* by original namespace first, else by current namespace */
		struct kust_res **v = arena_alloc(a, (ncands + 1) * sizeof(*v));
		size_t len = 0;
		for (int pass = 0; pass < 2 && !len; pass++) {
			for (size_t i = 0; i < ncands; i++) {
				struct kust_id id = pass ? kust_res_id(a, cands[i]) : kust_res_orgid(a, cands[i]);
				if (kust_gvk_cluster_scoped(&id.gvk))
					continue;
				if (kust_ns_equal(id.ns, ns))
					v[len++] = cands[i];
			}
		}
		cands = v;
		ncands = len;
	}
	struct kust_res *ref = select_referral(n, old, cands, ncands, true);
	if (!ref)
		return;
	const char *name = kust_res_name(ref);
	const char *rns = kust_res_ns(ref);
	if (!strcmp(name, old) && !*rns)
		return;
	doc_map_set(a, node, "name", kust_str_like(a, name, doc_map_get(node, "name")));
	if (*rns)
		doc_map_set(a, node, "namespace", kust_str(a, rns));
}

static int visit(void *ud, struct doc_node *parent, const char *key, struct doc_node **slot)
{
	struct nr *n = ud;
	(void)parent;
	(void)key;
	struct doc_node *v = *slot;
	if (v->kind == DOC_MAP) {
		set_mapping(n, v);
	} else if (v->kind == DOC_SEQ) {
		for (size_t i = 0; i < v->u.seq.len; i++) {
			if (v->u.seq.items[i]->kind == DOC_MAP)
				set_mapping(n, v->u.seq.items[i]);
			else
				set_scalar(n, &v->u.seq.items[i]);
			if (n->err)
				break;
		}
	} else if (v->kind != DOC_NULL) {
		set_scalar(n, slot);
	}
	return n->err;
}

int kust_fix_name_references(struct kust_ctx *c, struct kust_acc *acc)
{
	struct arena *a = c->a;
	struct kust_resmap *m = &acc->rm;
	struct kust_res **cands = arena_alloc(a, (m->len + 1) * sizeof(*cands));
	/* ids and scopes do not change while references are fixed: compute them once */
	struct kust_id *ids = arena_alloc(a, (m->len + 1) * sizeof(*ids));
	bool *cluster = arena_alloc(a, (m->len + 1) * sizeof(*cluster));
	for (size_t j = 0; j < m->len; j++) {
		ids[j] = kust_res_id(a, m->v[j]);
		cluster[j] = kust_gvk_cluster_scoped(&ids[j].gvk);
	}
	for (size_t i = 0; i < m->len; i++) {
		struct kust_res *r = m->v[i];
		struct kust_id org = kust_res_orgid(a, r);
		struct kust_id cur = kust_res_id(a, r);
		/* the candidates this referrer can see */
		size_t nc = 0;
		const struct doc_node *subj = !strcmp(cur.gvk.kind, "RoleBinding") ? doc_map_get(r->node, "subjects") : NULL;
		for (size_t k = 0; subj && subj->kind == DOC_SEQ && k < subj->u.seq.len; k++) {
			const struct doc_node *sj = subj->u.seq.items[k];
			const struct doc_node *sns = doc_map_get(sj, "namespace");
			const char *skind = kust_scalar(doc_map_get(sj, "kind"));
			if (sns && skind && !strcmp(skind, "ServiceAccount") && sns->kind != DOC_STR)
				return err_set(ERR_INVALID, "Invalid Input: namespace is blank for resource \"%s\"",
					       kust_id_string(a, &cur));
		}
		for (size_t j = 0; j < m->len; j++) {
			const struct kust_id id = ids[j];
			bool ok = cluster[i] || cluster[j] || kust_ns_equal(id.ns, cur.ns);
			for (size_t k = 0; !ok && subj && subj->kind == DOC_SEQ && k < subj->u.seq.len; k++) {
				const char *sns = kust_scalar(doc_map_get(subj->u.seq.items[k], "namespace"));
				if (sns && !strcmp(sns, id.ns))
					ok = true;
			}
			if (ok)
				cands[nc++] = m->v[j];
		}
		for (size_t b = 0; b < acc->cfg->nnameref; b++) {
			const struct kust_nameref *br = &acc->cfg->nameref[b];
			for (size_t f = 0; f < br->referrers.len; f++) {
				const struct kust_fieldspec *fs = &br->referrers.v[f];
				if (!kust_gvk_selected(&org.gvk, &fs->gvk))
					continue;
				struct nr n = { c, r, cur, &br->gvk, fs->path, cands, nc, 0 };
				int rc = kust_fs_apply_path(a, r->node, fs->path, false, DOC_NULL, visit, &n);
				if (rc)
					return rc;
				cur = kust_res_id(a, r);
			}
		}
	}
	return 0;
}
