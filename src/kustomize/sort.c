/*
 * Output order. The legacy sort (kustomize's default): by kind rank (Namespace,
 * ResourceQuota, StorageClass, CRDs, ServiceAccount ... first; webhook configurations
 * last), then by group/version/kind text, then by id text. sortOptions.legacySortOptions
 * may give other orderFirst/orderLast lists.
 */
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"

#include "util/banned.h"

static const char *const default_first[] = {
	"Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
	"PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
	"ConfigMap", "Secret", "Endpoints", "Service", "LimitRange", "PriorityClass",
	"PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob",
	"PodDisruptionBudget",
};
static const char *const default_last[] = { "MutatingWebhookConfiguration",
					    "ValidatingWebhookConfiguration" };

struct sort_item {
	struct kust_res *r;
	struct kust_id id;
	int rank;
	char *gvk_key; /* group_version_kind with ~G/~V/~K */
	char *id_key;  /* Kind.version.group|ns|name with ~X/~N */
};

static int cmp_items(const void *x, const void *y)
{
	const struct sort_item *a = x, *b = y;
	if (!kust_gvk_equal(&a->id.gvk, &b->id.gvk)) {
		if (a->rank != b->rank)
			return a->rank < b->rank ? -1 : 1;
		bool ns = !strcmp(a->id.gvk.kind, "Namespace") && !strcmp(b->id.gvk.kind, "Namespace") &&
			  (!*a->id.gvk.group || !*b->id.gvk.group);
		int c = strcmp(a->gvk_key, b->gvk_key);
		return ns ? -c : c;
	}
	return strcmp(a->id_key, b->id_key);
}

static int rank_of(const char *kind, const char *const *first, size_t nfirst,
		   const char *const *last, size_t nlast)
{
	int r = 0;
	for (size_t i = 0; i < nfirst; i++)
		if (!strcmp(first[i], kind))
			r = -(int)nfirst + (int)i;
	for (size_t i = 0; i < nlast; i++)
		if (!strcmp(last[i], kind))
			r = 1 + (int)i;
	return r;
}

static size_t strings_of(struct arena *a, const struct doc_node *seq, const char ***out)
{
	if (!seq || seq->kind != DOC_SEQ) {
		*out = NULL;
		return 0;
	}
	const char **v = arena_alloc(a, (seq->u.seq.len + 1) * sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < seq->u.seq.len; i++) {
		const char *s = kust_scalar(seq->u.seq.items[i]);
		if (s)
			v[n++] = s;
	}
	*out = v;
	return n;
}

void kust_sort_legacy(struct arena *a, struct kust_resmap *m, const struct doc_node *opts)
{
	const char *const *first = default_first, *const *last = default_last;
	size_t nfirst = sizeof(default_first) / sizeof(default_first[0]);
	size_t nlast = sizeof(default_last) / sizeof(default_last[0]);
	if (opts && opts->kind == DOC_MAP) {
		const char **f, **l;
		nfirst = strings_of(a, doc_map_get(opts, "orderFirst"), &f);
		nlast = strings_of(a, doc_map_get(opts, "orderLast"), &l);
		first = f;
		last = l;
	}
	struct sort_item *items = arena_alloc(a, (m->len + 1) * sizeof(*items));
	for (size_t i = 0; i < m->len; i++) {
		struct sort_item *it = &items[i];
		it->r = m->v[i];
		it->id = kust_res_id(a, it->r);
		it->rank = rank_of(it->id.gvk.kind, first, nfirst, last, nlast);
		const struct kust_gvk *g = &it->id.gvk;
		it->gvk_key = arena_sprintf(a, "%s_%s_%s", *g->group ? g->group : "~G",
					    *g->version ? g->version : "~V", *g->kind ? g->kind : "~K");
		it->id_key = arena_sprintf(a, "%s|%s|%s", kust_gvk_string(a, g),
					   *it->id.ns ? it->id.ns : "~X", *it->id.name ? it->id.name : "~N");
	}
	qsort(items, m->len, sizeof(*items), cmp_items);
	for (size_t i = 0; i < m->len; i++)
		m->v[i] = items[i].r;
}
