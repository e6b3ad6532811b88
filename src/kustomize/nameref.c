/*
 * Name references: after every rename (prefix, suffix, hash, namespace, patches), fields
 * that name another object (a Deployment's configMapKeyRef, a RoleBinding's subjects...)
 * are updated to the referred object's final name. Follows kustomize's nameref filter: a
 * referral is a resource whose previous names include the old value, whose previous ids
 * have the kind the field refers to, that the referrer can see (same namespace, cluster
 * scoped, RoleBinding subjects' namespaces), narrowed by matching prefix/suffix history.
 */
#include <stdint.h>
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

#include "util/banned.h"

/* Every previous name of every resource, hashed: a reference is resolved among the
 * resources that ever had its name, not by scanning them all (O(n) builds, not O(n^2)). */
struct name_index {
	size_t *heads;  /* per bucket: entry number plus one; 0 = empty */
	size_t mask;
	struct name_entry {
		const char *name;
		size_t res;  /* index into the resmap */
		size_t next; /* entry number plus one */
	} *e;
	size_t ne;
};

/* What every reference of one referrer shares. */
struct scope {
	struct kust_resmap *m;
	const struct kust_id *ids; /* per resource, before any reference is fixed */
	const bool *cluster;       /* per resource: cluster scoped */
	size_t self;               /* the referrer */
	const char *ns;            /* its namespace when it was reached */
	const struct doc_node *subj; /* RoleBinding subjects, whose namespaces it can also see */
	const struct name_index *idx;
	struct kust_res **all; /* every visible resource, made on first need */
	size_t nall;
	bool all_ready;
	struct kust_res **tmp; /* scratch of m->len + 1 */
};

struct nr {
	struct kust_ctx *c;
	struct kust_res *referrer;
	struct kust_id referrer_id;
	const struct kust_gvk *target;
	const char *path;
	struct scope *sc;
	int err;
};

static uint64_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void index_build(struct arena *a, struct name_index *x, const struct kust_resmap *m)
{
	size_t total = 0;
	for (size_t j = 0; j < m->len; j++)
		total += m->v[j]->nprev;
	size_t cap = 16;
	while (cap < 2 * total)
		cap *= 2;
	x->heads = arena_alloc(a, cap * sizeof(*x->heads));
	x->mask = cap - 1;
	x->e = arena_alloc(a, (total + 1) * sizeof(*x->e));
	x->ne = 0;
	for (size_t j = 0; j < m->len; j++) {
		for (size_t k = 0; k < m->v[j]->nprev; k++) {
			const char *name = m->v[j]->prev[k].name;
			size_t b = (size_t)name_hash(name) & x->mask;
			x->e[x->ne] = (struct name_entry){ name, j, x->heads[b] };
			x->heads[b] = ++x->ne;
		}
	}
}

/* Whether the referrer can see resource j (kustomize's candidates by namespace). */
static bool visible(const struct scope *sc, size_t j)
{
	if (sc->cluster[sc->self] || sc->cluster[j] || kust_ns_equal(sc->ids[j].ns, sc->ns))
		return true;
	for (size_t k = 0; sc->subj && sc->subj->kind == DOC_SEQ && k < sc->subj->u.seq.len; k++) {
		const char *sns = kust_scalar(doc_map_get(sc->subj->u.seq.items[k], "namespace"));
		if (sns && !strcmp(sns, sc->ids[j].ns))
			return true;
	}
	return false;
}

static struct kust_res **all_visible(struct arena *a, struct scope *sc, size_t *len)
{
	if (!sc->all_ready) {
		sc->all = arena_alloc(a, (sc->m->len + 1) * sizeof(*sc->all));
		for (size_t j = 0; j < sc->m->len; j++)
			if (visible(sc, j))
				sc->all[sc->nall++] = sc->m->v[j];
		sc->all_ready = true;
	}
	*len = sc->nall;
	return sc->all;
}

/* The visible resources that ever had the name, in resmap order, in sc->tmp. */
static struct kust_res **named_visible(struct scope *sc, const char *name, size_t *len)
{
	size_t n = 0;
	size_t last = (size_t)-1;
	for (size_t e = sc->idx->heads[(size_t)name_hash(name) & sc->idx->mask]; e; e = sc->idx->e[e - 1].next) {
		const struct name_entry *x = &sc->idx->e[e - 1];
		/* entries come newest first: a resource's names are adjacent in the chain order */
		if (x->res == last || strcmp(x->name, name))
			continue;
		last = x->res;
		bool dup = false;
		for (size_t i = 0; i < n && !dup; i++)
			dup = sc->tmp[i] == sc->m->v[x->res];
		if (!dup && visible(sc, x->res))
			sc->tmp[n++] = sc->m->v[x->res];
	}
	for (size_t i = 0; i < n / 2; i++) { /* back to resmap order */
		struct kust_res *t = sc->tmp[i];
		sc->tmp[i] = sc->tmp[n - 1 - i];
		sc->tmp[n - 1 - i] = t;
	}
	*len = n;
	return sc->tmp;
}

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
	size_t nc;
	struct kust_res **cands = named_visible(n->sc, old, &nc);
	struct kust_res *ref = select_referral(n, old, cands, nc, false);
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
	size_t ncands;
	struct kust_res **cands;
	const char *ns = kust_scalar(doc_map_get(node, "namespace"));
	if (!ns) {
		cands = named_visible(n->sc, old, &ncands);
	} else {
		/* every visible resource: whether any is in ns decides the pass, whatever its name */
		cands = all_visible(a, n->sc, &ncands);
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
	struct name_index idx;
	index_build(a, &idx, m);
	struct kust_res **tmp = arena_alloc(a, (m->len + 1) * sizeof(*tmp));
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
		const struct doc_node *subj = !strcmp(cur.gvk.kind, "RoleBinding") ? doc_map_get(r->node, "subjects") : NULL;
		for (size_t k = 0; subj && subj->kind == DOC_SEQ && k < subj->u.seq.len; k++) {
			const struct doc_node *sj = subj->u.seq.items[k];
			const struct doc_node *sns = doc_map_get(sj, "namespace");
			const char *skind = kust_scalar(doc_map_get(sj, "kind"));
			if (sns && skind && !strcmp(skind, "ServiceAccount") && sns->kind != DOC_STR)
				return err_set(ERR_INVALID, "Invalid Input: namespace is blank for resource \"%s\"",
					       kust_id_string(a, &cur));
		}
		/* the candidates this referrer can see, found through the name index */
		struct scope sc = { m, ids, cluster, i, cur.ns, subj, &idx, NULL, 0, false, tmp };
		for (size_t b = 0; b < acc->cfg->nnameref; b++) {
			const struct kust_nameref *br = &acc->cfg->nameref[b];
			for (size_t f = 0; f < br->referrers.len; f++) {
				const struct kust_fieldspec *fs = &br->referrers.v[f];
				if (!kust_gvk_selected(&org.gvk, &fs->gvk))
					continue;
				struct nr n = { c, r, cur, &br->gvk, fs->path, &sc, 0 };
				int rc = kust_fs_apply_path(a, r->node, fs->path, false, DOC_NULL, visit, &n);
				if (rc)
					return rc;
				cur = kust_res_id(a, r);
			}
		}
	}
	return 0;
}
