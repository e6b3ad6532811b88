/*
 * Strategic merge patches, as kyaml's merge2 applies them for kustomize: mappings merge
 * key by key, a null in the patch deletes, scalars and unkeyed lists are replaced, and
 * lists of mappings with a merge key (containers by name, volumeMounts by mountPath...)
 * merge element by element, new elements appended. Directives: `$patch: delete` and
 * `$patch: replace` on mappings (also on list elements and on the whole object);
 * `$setElementOrder`, `$retainKeys` and `$deleteFromPrimitiveList` are dropped.
 *
 * NEEDSWORK: merge keys come from a compact table of the core kinds' fields plus kyaml's
 * inference for other lists, not from the OpenAPI schema.
 */
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/error.h"

#include "util/banned.h"

static const struct {
	const char *field, *key;
} merge_keys[] = {
	{ "containers", "name" },
	{ "initContainers", "name" },
	{ "ephemeralContainers", "name" },
	{ "env", "name" },
	{ "volumes", "name" },
	{ "volumeMounts", "mountPath" },
	{ "volumeDevices", "devicePath" },
	{ "imagePullSecrets", "name" },
	{ "hostAliases", "ip" },
	{ "topologySpreadConstraints", "topologyKey" },
	{ "conditions", "type" },
	{ "secrets", "name" },
	{ "ownerReferences", "uid" },
	{ "webhooks", "name" },
	{ "resourceClaims", "name" },
};


static bool has_key(const struct doc_node *n, const char *key)
{
	return n && n->kind == DOC_MAP && doc_map_get(n, key) != NULL;
}

static const char *patch_directive(const struct doc_node *n)
{
	if (!n || n->kind != DOC_MAP)
		return NULL;
	return kust_scalar(doc_map_get(n, "$patch"));
}

/* The merge key of list field `field` given its elements, or NULL for replace. Only
 * Kubernetes' own types have merge keys: kustomize merges without inferring keys, so the
 * lists of custom resources are replaced (unless a custom schema says otherwise). */
static const char *list_key(bool known, const char *field, const struct doc_node *dst,
			    const struct doc_node *src)
{
	const struct doc_node *lists[2] = { dst, src };
	if (!known)
		return NULL;
	if (!strcmp(field, "ports")) {
		for (int l = 0; l < 2; l++)
			for (size_t i = 0; lists[l] && lists[l]->kind == DOC_SEQ && i < lists[l]->u.seq.len; i++)
				if (has_key(lists[l]->u.seq.items[i], "containerPort"))
					return "containerPort";
		for (int l = 0; l < 2; l++)
			for (size_t i = 0; lists[l] && lists[l]->kind == DOC_SEQ && i < lists[l]->u.seq.len; i++)
				if (has_key(lists[l]->u.seq.items[i], "port"))
					return "port";
		return NULL;
	}
	for (size_t i = 0; i < sizeof(merge_keys) / sizeof(merge_keys[0]); i++)
		if (!strcmp(merge_keys[i].field, field))
			return merge_keys[i].key;
	return NULL;
}

/* API groups of the builtin Kubernetes schema. */
static const char *const builtin_groups[] = {
	"", "apps", "batch", "extensions", "networking.k8s.io", "policy",
	"rbac.authorization.k8s.io", "autoscaling", "storage.k8s.io",
	"admissionregistration.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io",
	"coordination.k8s.io", "certificates.k8s.io", "discovery.k8s.io", "events.k8s.io",
	"node.k8s.io", "flowcontrol.apiserver.k8s.io", "apiregistration.k8s.io",
	"authentication.k8s.io", "authorization.k8s.io",
};

static bool known_type(struct arena *a, const struct doc_node *obj)
{
	struct kust_gvk g = kust_gvk_of(a, obj);
	if (!*g.kind || !*g.version)
		return false;
	for (size_t i = 0; i < sizeof(builtin_groups) / sizeof(builtin_groups[0]); i++)
		if (!strcmp(builtin_groups[i], g.group))
			return true;
	return false;
}

static bool is_directive_key(const char *k)
{
	return !strcmp(k, "$patch") || !strncmp(k, "$setElementOrder/", 17) ||
	       !strcmp(k, "$retainKeys") || !strncmp(k, "$deleteFromPrimitiveList/", 25);
}

/* A copy of a patch subtree with directives removed; NULL when it deletes itself. */
static struct doc_node *clean(struct arena *a, const struct doc_node *n)
{
	if (!n)
		return NULL;
	if (n->kind == DOC_MAP) {
		const char *d = patch_directive(n);
		if (d && !strcmp(d, "delete"))
			return NULL;
		struct doc_node *m = doc_new_map(a);
		m->style = n->style;
		for (size_t i = 0; i < n->u.map.len; i++) {
			const struct doc_pair *p = &n->u.map.items[i];
			if (is_directive_key(p->key))
				continue;
			if (p->value && p->value->kind == DOC_NULL)
				continue;
			struct doc_node *v = clean(a, p->value);
			if (v)
				doc_map_set(a, m, p->key, v);
		}
		return m;
	}
	if (n->kind == DOC_SEQ) {
		struct doc_node *s = doc_new_seq(a);
		s->style = n->style;
		for (size_t i = 0; i < n->u.seq.len; i++) {
			struct doc_node *v = clean(a, n->u.seq.items[i]);
			if (v)
				doc_seq_push(a, s, v);
		}
		return s;
	}
	return doc_clone(a, n);
}

struct smp {
	struct arena *a;
	const struct doc_node *defs; /* a custom schema's definitions, or NULL */
	bool known;                  /* a Kubernetes type: the builtin merge-key table applies */
};

static struct doc_node *merge_node(struct smp *m, struct doc_node *dst, const struct doc_node *src,
				   const char *field, const struct doc_node *schema);

/* Stands for a Kubernetes type a custom schema refers to without defining it: kustomize
 * resolves those in its builtin schema, approximated here by the merge-key table. */
static const struct doc_node builtin_type;

/* Follows "$ref": "#/definitions/X" links of a custom schema. */
static const struct doc_node *resolve(const struct smp *m, const struct doc_node *s)
{
	for (int i = 0; s && i < 32; i++) {
		const char *ref = kust_scalar(doc_map_get(s, "$ref"));
		if (!ref)
			return s;
		const char *slash = strrchr(ref, '/');
		const char *name = slash ? slash + 1 : ref;
		s = doc_map_get(doc_map_get(m->defs, "definitions"), name);
		if (!s && !strncmp(name, "io.k8s.", 7))
			return &builtin_type;
	}
	return s;
}

/* The custom schema to merge with: none for builtin_type, which also turns the builtin
 * merge-key table on (the node is a Kubernetes type). */
static const struct doc_node *custom_schema(struct smp *m, const struct doc_node *schema)
{
	if (schema != &builtin_type)
		return schema;
	m->known = true;
	return NULL;
}

/* An original's field with no value at all (`a:`): kyaml's merge walks every field of the
 * original too (walk.go walkMap over the union of keys) and clears such a field; a null
 * written out (`a: null`, `a: ~`) is kept (merge2.go VisitMap, MakePersistentNullNode). */
static bool empty_null(const struct doc_node *v)
{
	return !v || (v->kind == DOC_NULL && v->u.str.ptr && !*v->u.str.ptr);
}

/* Removes the empty nulls of an original subtree the patch does not touch, so
 * `affinity: {nodeAffinity: {a: }}` comes out `nodeAffinity: {}`. Lists are walked into
 * only where they merge by key (walkAssociativeSequence); other lists are kept whole. */
static void prune_nulls(struct smp *m, struct doc_node *n, const char *field)
{
	if (!n)
		return;
	if (n->kind == DOC_MAP) {
		for (size_t i = 0; i < n->u.map.len;) {
			struct doc_pair *p = &n->u.map.items[i];
			if (empty_null(p->value)) {
				doc_map_delete(n, p->key);
				continue;
			}
			prune_nulls(m, p->value, p->key);
			i++;
		}
		return;
	}
	if (n->kind == DOC_SEQ && field && list_key(m->known, field, n, NULL))
		for (size_t i = 0; i < n->u.seq.len; i++)
			prune_nulls(m, n->u.seq.items[i], NULL);
}

/* Lists with a merge key merge as kyaml's associative walk does with kustomize's
 * "prepend" option: elements named by the patch come first, in patch order (merged with
 * the original element of the same key, or new), then the original elements the patch does
 * not name, in their order; original elements without the key go last. */
/* The elements of a merged list grouped by merge-key value (compared as text, so 80 and
 * "80" are one key): a hash from the value to the first element of the original and
 * of the patch that carry it, so that merging lists of n elements is O(n), not O(n^2). */
struct key_group {
	const char *key;
	struct doc_node *d;       /* first with this key in dst, or NULL */
	const struct doc_node *s; /* first with this key in src, or NULL */
	bool done;                    /* merged already (every element with the key is used) */
};

struct key_groups {
	struct key_group *g;
	size_t cap; /* a power of two, at least twice the elements */
};

static size_t text_hash(const char *s)
{
	size_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static struct key_group *group_of(struct key_groups *t, const char *k)
{
	size_t m = t->cap - 1;
	size_t h = text_hash(k) & m;
	while (t->g[h].key && strcmp(t->g[h].key, k))
		h = (h + 1) & m;
	if (!t->g[h].key)
		t->g[h].key = k;
	return &t->g[h];
}

static void groups_build(struct arena *a, struct key_groups *t, const struct doc_node *dst,
			 const struct doc_node *src, const char *key)
{
	size_t n = dst->u.seq.len + src->u.seq.len, cap = 16;
	while (cap < 2 * n + 2)
		cap *= 2;
	t->cap = cap;
	t->g = arena_alloc(a, cap * sizeof(*t->g));
	for (int l = 0; l < 2; l++) {
		const struct doc_node *list = l == 0 ? dst : src;
		for (size_t i = 0; i < list->u.seq.len; i++) {
			struct doc_node *e = list->u.seq.items[i];
			const char *k = has_key(e, key) ? kust_scalar(doc_map_get(e, key)) : NULL;
			if (!k)
				continue;
			struct key_group *g = group_of(t, k);
			if (l == 0 && !g->d)
				g->d = e;
			if (l == 1 && !g->s)
				g->s = e;
		}
	}
}

static struct doc_node *merge_list(struct smp *m, struct doc_node *dst, const struct doc_node *src,
				   const char *field, const struct doc_node *schema)
{
	struct arena *a = m->a;
	schema = custom_schema(m, schema);
	if (!dst || dst->kind != DOC_SEQ)
		return clean(a, src);
	const char *key;
	if (schema) {
		const char *strategy = kust_scalar(doc_map_get(schema, "x-kubernetes-patch-strategy"));
		key = strategy && strstr(strategy, "merge") ? kust_scalar(doc_map_get(schema, "x-kubernetes-patch-merge-key")) : NULL;
	} else {
		key = list_key(m->known, field, dst, src);
	}
	if (!key)
		return clean(a, src);
	const struct doc_node *items = schema ? resolve(m, doc_map_get(schema, "items")) : NULL;
	for (size_t j = 0; j < src->u.seq.len; j++) {
		const struct doc_node *s = src->u.seq.items[j];
		const char *dir = patch_directive(s);
		if (dir && !strcmp(dir, "replace") && s->u.map.len == 1) {
			/* `- $patch: replace` alone: the list is the rest of the patch list */
			struct doc_node *r = doc_new_seq(a);
			for (size_t k = 0; k < src->u.seq.len; k++) {
				struct doc_node *v = k == j ? NULL : clean(a, src->u.seq.items[k]);
				if (v)
					doc_seq_push(a, r, v);
			}
			return r;
		}
	}
	struct doc_node *out = doc_new_seq(a);
	out->style = dst->style;
	struct key_groups groups;
	groups_build(a, &groups, dst, src, key);
	/* the keys in order: the patch's, then the original's; the first element with a key
	 * stands for all that share it (later ones are dropped, as kustomize's merge does) */
	for (int pass = 0; pass < 2; pass++) {
		const struct doc_node *from = pass == 0 ? src : dst;
		for (size_t i = 0; i < from->u.seq.len; i++) {
			const struct doc_node *e = from->u.seq.items[i];
			if (!has_key(e, key))
				continue;
			const char *kv = kust_scalar(doc_map_get(e, key));
			struct doc_node *d = NULL;
			const struct doc_node *s = NULL;
			if (kv) {
				/* A key that is not a scalar matches nothing, itself included. */
				struct key_group *g = group_of(&groups, kv);
				if (g->done)
					continue;
				g->done = true;
				d = g->d;
				s = g->s;
			}
			struct doc_node *merged;
			const char *dir = patch_directive(s);
			if (dir && !strcmp(dir, "delete"))
				merged = NULL;
			else if (dir && !strcmp(dir, "replace"))
				merged = clean(a, s);
			else if (d && s)
				merged = merge_node(m, d, s, NULL, items);
			else if (d) {
				merged = d;
				prune_nulls(m, d, NULL);
			} else {
				merged = clean(a, s);
			}
			if (merged && !(merged->kind == DOC_MAP && merged->u.map.len == 0))
				doc_seq_push(a, out, merged);
		}
	}
	for (size_t k = 0; k < dst->u.seq.len; k++)
		if (!has_key(dst->u.seq.items[k], key))
			doc_seq_push(a, out, dst->u.seq.items[k]);
	return out;
}

static struct doc_node *merge_node(struct smp *m, struct doc_node *dst, const struct doc_node *src,
				   const char *field, const struct doc_node *schema)
{
	struct arena *a = m->a;
	schema = custom_schema(m, schema);
	if (!src)
		return dst;
	if (src->kind == DOC_MAP) {
		const char *dir = patch_directive(src);
		if (dir && !strcmp(dir, "delete"))
			return NULL;
		if (dir && !strcmp(dir, "replace"))
			return clean(a, src);
		if (!dst || dst->kind != DOC_MAP)
			return clean(a, src);
		for (size_t i = 0; i < src->u.map.len; i++) {
			const struct doc_pair *p = &src->u.map.items[i];
			if (is_directive_key(p->key))
				continue;
			if (!p->value || p->value->kind == DOC_NULL) {
				doc_map_delete(dst, p->key);
				continue;
			}
			struct doc_node *cur = doc_map_get(dst, p->key);
			const struct doc_node *sub = schema ? resolve(m, doc_map_get(doc_map_get(schema, "properties"), p->key)) : NULL;
			struct doc_node *v = merge_node(m, cur, p->value, p->key, sub);
			if (v)
				doc_map_set(a, dst, p->key, v);
			else
				doc_map_delete(dst, p->key);
		}
		/* the original's own fields, which the patch does not name */
		for (size_t i = 0; i < dst->u.map.len;) {
			struct doc_pair *p = &dst->u.map.items[i];
			if (doc_map_get(src, p->key)) {
				i++;
			} else if (empty_null(p->value)) {
				doc_map_delete(dst, p->key);
			} else {
				prune_nulls(m, p->value, p->key);
				i++;
			}
		}
		return dst;
	}
	if (src->kind == DOC_SEQ)
		return merge_list(m, dst, src, field ? field : "", schema);
	return doc_clone(a, src);
}

/* The definition of obj's type in a custom schema (x-kubernetes-group-version-kind). */
static const struct doc_node *find_definition(struct arena *a, const struct doc_node *defs,
					      const struct doc_node *obj)
{
	const struct doc_node *d = doc_map_get(defs, "definitions");
	struct kust_gvk g = kust_gvk_of(a, obj);
	for (size_t i = 0; d && d->kind == DOC_MAP && i < d->u.map.len; i++) {
		const struct doc_node *gvks = doc_map_get(d->u.map.items[i].value, "x-kubernetes-group-version-kind");
		for (size_t j = 0; gvks && gvks->kind == DOC_SEQ && j < gvks->u.seq.len; j++) {
			const struct doc_node *e = gvks->u.seq.items[j];
			const char *gg = kust_scalar(doc_map_get(e, "group"));
			const char *vv = kust_scalar(doc_map_get(e, "version"));
			const char *kk = kust_scalar(doc_map_get(e, "kind"));
			if (kk && !strcmp(kk, g.kind) && vv && !strcmp(vv, g.version) &&
			    !strcmp(gg ? gg : "", g.group))
				return d->u.map.items[i].value;
		}
	}
	return NULL;
}

int kust_smp_apply(struct arena *a, struct doc_node *obj, const struct doc_node *patch,
		   const struct doc_node *defs, bool *deleted)
{
	*deleted = false;
	if (!obj || obj->kind != DOC_MAP || !patch || patch->kind != DOC_MAP)
		return err_set(ERR_INVALID, "strategic merge patch: expected mappings");
	const char *dir = patch_directive(patch);
	if (dir && !strcmp(dir, "delete")) {
		*deleted = true;
		return 0;
	}
	if (dir && !strcmp(dir, "replace")) {
		struct doc_node *r = clean(a, patch);
		obj->u.map = r->u.map;
		return 0;
	}
	struct smp m = { a, defs, known_type(a, obj) || known_type(a, patch) };
	const struct doc_node *schema = defs ? find_definition(a, defs, obj) : NULL;
	merge_node(&m, obj, patch, NULL, schema ? resolve(&m, schema) : NULL);
	return 0;
}
