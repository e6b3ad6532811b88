/*
 * Change sets, object references and Flux's reconcile order (fluxcd/pkg ssa changeset.go,
 * sort.go, utils/fmt.go). Everything here is pure: no requests.
 */
#include <stdlib.h>
#include <string.h>

#include "apply/apply.h"
#include "apply/internal.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

static const char *const action_names[] = {
	[APPLY_CREATED] = "created",       [APPLY_CONFIGURED] = "configured",
	[APPLY_UNCHANGED] = "unchanged",   [APPLY_DELETED] = "deleted",
	[APPLY_SKIPPED] = "skipped",       [APPLY_UNKNOWN] = "unknown",
};

const char *apply_action_name(enum apply_action action)
{
	if ((unsigned)action >= sizeof action_names / sizeof *action_names)
		return "unknown";
	return action_names[action];
}

bool apply_action_changed(enum apply_action action)
{
	return action == APPLY_CREATED || action == APPLY_CONFIGURED || action == APPLY_DELETED;
}

void apply_changeset_add(struct arena *a, struct apply_changeset *cs, const struct apply_entry *e)
{
	if (cs->len == cs->cap)
		cs->items = arena_grow(a, cs->items, &cs->cap, cs->len + 1, sizeof *cs->items);
	cs->items[cs->len++] = *e;
}

void apply_changeset_format(struct buf *out, const struct apply_changeset *cs, bool changed_only)
{
	bool first = true;
	for (size_t i = 0; i < cs->len; i++) {
		if (changed_only && !apply_action_changed(cs->items[i].action))
			continue;
		if (!first)
			buf_addch(out, '\n');
		first = false;
		buf_addf(out, "%s %s", cs->items[i].subject, apply_action_name(cs->items[i].action));
	}
}

const char *apply_subject(struct arena *a, const struct apply_ref *ref)
{
	if (ref->namespace && *ref->namespace)
		return arena_sprintf(a, "%s/%s/%s", ref->kind, ref->namespace, ref->name);
	return arena_sprintf(a, "%s/%s", ref->kind, ref->name);
}

int apply_ref_of(struct apply_ref *ref, struct arena *a, const struct doc_node *obj)
{
	const char *api = doc_get_str(obj, "apiVersion");
	const char *kind = doc_get_str(obj, "kind");
	const char *name = doc_get_str(obj, "metadata.name");
	if (!api || !*api || !kind || !*kind || !name || !*name)
		return err_set(ERR_INVALID, "object '%s/%s' lacks apiVersion, kind or metadata.name",
			       kind ? kind : "", name ? name : "");
	const char *slash = strchr(api, '/');
	ref->group = slash ? arena_strndup(a, api, (size_t)(slash - api)) : "";
	ref->version = slash ? slash + 1 : api;
	ref->kind = kind;
	const char *ns = doc_get_str(obj, "metadata.namespace");
	ref->namespace = ns ? ns : "";
	ref->name = name;
	return 0;
}

/* ssa.ReconcileOrder: the listed kinds first, in this order; webhooks last; the rest between,
 * by group and kind. */
static const char *const order_first[] = {
	"CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterClass", "RuntimeClass",
	"PriorityClass", "StorageClass", "VolumeSnapshotClass", "IngressClass", "GatewayClass",
	"ClusterRoleBinding", "ResourceQuota", "ServiceAccount", "Role", "RoleBinding",
	"ConfigMap", "Secret", "Service", "LimitRange", "Deployment", "StatefulSet", "CronJob",
	"PodDisruptionBudget",
};
static const char *const order_last[] = {
	"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
};

static int kind_index(const char *kind)
{
	int nf = (int)(sizeof order_first / sizeof *order_first);
	for (int i = 0; i < nf; i++)
		if (!strcmp(kind, order_first[i]))
			return -nf + i;
	for (int i = 0; i < (int)(sizeof order_last / sizeof *order_last); i++)
		if (!strcmp(kind, order_last[i]))
			return 1 + i;
	return 0;
}

int apply_ref_cmp(const struct apply_ref *x, const struct apply_ref *y)
{
	if (strcmp(x->group, y->group) || strcmp(x->kind, y->kind)) {
		int ix = kind_index(x->kind), iy = kind_index(y->kind);
		if (ix != iy)
			return ix < iy ? -1 : 1;
		int c = strcmp(x->group, y->group);
		return c ? c : strcmp(x->kind, y->kind);
	}
	int c = strcmp(x->namespace, y->namespace);
	return c ? c : strcmp(x->name, y->name);
}

/* A stable merge sort over an index array keeps equal items in input order, as Go's
 * sort.Sort does not promise but as makes runs reproducible. */
struct keyed {
	struct apply_ref ref;
	size_t pos;
};

static int keyed_cmp(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	int c = apply_ref_cmp(&a->ref, &b->ref);
	if (c)
		return c;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

void apply_sort_objects(struct doc_node **objs, size_t n)
{
	if (n < 2)
		return;
	struct arena *a = arena_new();
	struct keyed *k = arena_alloc(a, n * sizeof *k);
	struct doc_node **copy = arena_alloc(a, n * sizeof *copy);
	for (size_t i = 0; i < n; i++) {
		copy[i] = objs[i];
		k[i].pos = i;
		if (apply_ref_of(&k[i].ref, a, objs[i]))
			k[i].ref = (struct apply_ref){ "", "", "", "", "" };
	}
	qsort(k, n, sizeof *k, keyed_cmp);
	for (size_t i = 0; i < n; i++)
		objs[i] = copy[k[i].pos];
	arena_free(a);
}

void apply_sort_refs(struct apply_ref *refs, size_t n)
{
	if (n < 2)
		return;
	struct arena *a = arena_new();
	struct keyed *k = arena_alloc(a, n * sizeof *k);
	for (size_t i = 0; i < n; i++)
		k[i] = (struct keyed){ refs[i], i };
	qsort(k, n, sizeof *k, keyed_cmp);
	for (size_t i = 0; i < n; i++)
		refs[i] = k[i].ref;
	arena_free(a);
}

void apply_changeset_refs(struct apply_ref **out, size_t *n, struct arena *a,
			  const struct apply_changeset *cs, bool without_skipped)
{
	*out = arena_alloc(a, (cs->len + 1) * sizeof **out);
	*n = 0;
	for (size_t i = 0; i < cs->len; i++)
		if (!without_skipped || cs->items[i].action != APPLY_SKIPPED)
			(*out)[(*n)++] = cs->items[i].ref;
}
