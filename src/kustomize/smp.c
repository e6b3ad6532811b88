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

/* Fields of core kinds whose lists are replaced as a whole even though their elements
 * carry a name-like key. */
static const char *const atomic_lists[] = {
	"tolerations", "envFrom", "subjects", "rules", "args", "command", "finalizers",
	"accessModes", "sources", "items", "nodeSelectorTerms", "matchExpressions",
};

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
	{ "volumeClaimTemplates", "name" },
};

static const char *const inferred_keys[] = { "mountPath", "devicePath", "ip", "type",
					     "topologyKey", "name", "containerPort" };

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

/* The merge key of list field `field` given its elements, or NULL for replace. */
static const char *list_key(const char *field, const struct doc_node *dst, const struct doc_node *src)
{
	const struct doc_node *lists[2] = { dst, src };
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
	for (size_t i = 0; i < sizeof(atomic_lists) / sizeof(atomic_lists[0]); i++)
		if (!strcmp(atomic_lists[i], field))
			return NULL;
	/* kyaml's inference: the first associative key present in the first mapping. */
	for (int l = 0; l < 2; l++) {
		const struct doc_node *s = lists[l];
		if (!s || s->kind != DOC_SEQ)
			continue;
		for (size_t i = 0; i < s->u.seq.len; i++) {
			const struct doc_node *e = s->u.seq.items[i];
			if (!e || e->kind != DOC_MAP)
				continue;
			for (size_t k = 0; k < sizeof(inferred_keys) / sizeof(inferred_keys[0]); k++)
				if (has_key(e, inferred_keys[k]))
					return inferred_keys[k];
			break;
		}
	}
	return NULL;
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

static bool scalar_equal(const struct doc_node *x, const struct doc_node *y)
{
	const char *a = kust_scalar(x), *b = kust_scalar(y);
	return a && b && !strcmp(a, b);
}

static struct doc_node *merge_node(struct arena *a, struct doc_node *dst, const struct doc_node *src,
				   const char *field);

/* Lists with a merge key merge as kyaml's associative walk does with kustomize's
 * "prepend" option: elements named by the patch come first, in patch order (merged with
 * the original element of the same key, or new), then the original elements the patch does
 * not name, in their order; original elements without the key go last. */
static struct doc_node *merge_list(struct arena *a, struct doc_node *dst, const struct doc_node *src,
				   const char *field)
{
	if (!dst || dst->kind != DOC_SEQ)
		return clean(a, src);
	const char *key = list_key(field, dst, src);
	if (!key)
		return clean(a, src);
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
	bool *dused = arena_alloc(a, (dst->u.seq.len + 1) * sizeof(bool));
	bool *sused = arena_alloc(a, (src->u.seq.len + 1) * sizeof(bool));
	/* the keys in order: the patch's, then the original's */
	for (int pass = 0; pass < 2; pass++) {
		const struct doc_node *from = pass == 0 ? src : dst;
		for (size_t i = 0; i < from->u.seq.len; i++) {
			const struct doc_node *e = from->u.seq.items[i];
			if (!has_key(e, key) || (pass == 0 ? sused[i] : dused[i]))
				continue;
			const struct doc_node *kv = doc_map_get(e, key);
			struct doc_node *d = NULL;
			const struct doc_node *s = NULL;
			for (size_t k = 0; k < dst->u.seq.len; k++) {
				if (!dused[k] && has_key(dst->u.seq.items[k], key) &&
				    scalar_equal(doc_map_get(dst->u.seq.items[k], key), kv)) {
					dused[k] = true;
					if (!d)
						d = dst->u.seq.items[k];
				}
			}
			for (size_t k = 0; k < src->u.seq.len; k++) {
				if (!sused[k] && has_key(src->u.seq.items[k], key) &&
				    scalar_equal(doc_map_get(src->u.seq.items[k], key), kv)) {
					sused[k] = true;
					if (!s)
						s = src->u.seq.items[k];
				}
			}
			struct doc_node *merged;
			const char *dir = patch_directive(s);
			if (dir && !strcmp(dir, "delete"))
				merged = NULL;
			else if (dir && !strcmp(dir, "replace"))
				merged = clean(a, s);
			else if (d && s)
				merged = merge_node(a, d, s, NULL);
			else if (d)
				merged = d;
			else
				merged = clean(a, s);
			if (merged && !(merged->kind == DOC_MAP && merged->u.map.len == 0))
				doc_seq_push(a, out, merged);
		}
	}
	for (size_t k = 0; k < dst->u.seq.len; k++)
		if (!has_key(dst->u.seq.items[k], key))
			doc_seq_push(a, out, dst->u.seq.items[k]);
	return out;
}

static struct doc_node *merge_node(struct arena *a, struct doc_node *dst, const struct doc_node *src,
				   const char *field)
{
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
			struct doc_node *v = merge_node(a, cur, p->value, p->key);
			if (v)
				doc_map_set(a, dst, p->key, v);
			else
				doc_map_delete(dst, p->key);
		}
		return dst;
	}
	if (src->kind == DOC_SEQ)
		return merge_list(a, dst, src, field ? field : "");
	return doc_clone(a, src);
}

int kust_smp_apply(struct arena *a, struct doc_node *obj, const struct doc_node *patch,
		   bool *deleted)
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
	merge_node(a, obj, patch, NULL);
	return 0;
}
