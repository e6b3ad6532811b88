/*
 * Resource ids, as kustomize's resid package defines them: group/version/kind plus name and
 * namespace, printed "Kind.version.group/name.namespace" with [noGrp]-style placeholders.
 * Also the small string helpers the engine shares.
 */
#include <string.h>
#include <strings.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"

#include "util/banned.h"

void kust_strv_push(struct arena *a, struct kust_strv *sv, const char *s)
{
	if (sv->len == sv->cap)
		sv->v = arena_grow(a, sv->v, &sv->cap, sv->len + 1, sizeof(*sv->v));
	sv->v[sv->len++] = s;
}

bool kust_strv_has(const struct kust_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->len; i++)
		if (!strcmp(sv->v[i], s))
			return true;
	return false;
}

struct doc_node *kust_json_field(const struct doc_node *map, const char *key)
{
	struct doc_node *n = doc_map_get(map, key);
	if (n || !map || map->kind != DOC_MAP)
		return n;
	for (size_t i = 0; i < map->u.map.len; i++)
		if (!strcasecmp(map->u.map.items[i].key, key))
			return map->u.map.items[i].value;
	return NULL;
}

const char *kust_scalar(const struct doc_node *n)
{
	if (!n)
		return NULL;
	switch (n->kind) {
	case DOC_STR:
	case DOC_INT:
	case DOC_FLOAT:
		return n->u.str.ptr;
	case DOC_BOOL:
		return n->u.boolean ? "true" : "false";
	default:
		return NULL;
	}
}

struct doc_node *kust_str(struct arena *a, const char *s)
{
	return doc_new_str(a, s);
}

void kust_sort_keys(struct doc_node *map)
{
	/* insertion sort: these maps are small, and most come in sorted */
	for (size_t i = 1; i < map->u.map.len; i++) {
		struct doc_pair p = map->u.map.items[i];
		size_t j = i;
		while (j > 0 && strcmp(map->u.map.items[j - 1].key, p.key) > 0) {
			map->u.map.items[j] = map->u.map.items[j - 1];
			j--;
		}
		map->u.map.items[j] = p;
	}
}

struct doc_node *kust_str_like(struct arena *a, const char *s, const struct doc_node *old)
{
	struct doc_node *n = doc_new_str(a, s);
	if (old) {
		if (old->kind == DOC_STR)
			n->style = old->style;
		n->head_comment = old->head_comment;
		n->line_comment = old->line_comment;
	}
	return n;
}

void kust_split_apiversion(const char *av, const char **group, const char **version, struct arena *a)
{
	const char *slash = av ? strchr(av, '/') : NULL;
	if (!av) {
		*group = "";
		*version = "";
	} else if (slash) {
		/* Ids are computed for every object by every transformer: the common groups
		 * are not copied each time. */
		static const char *const common[] = { "apps", "batch", "policy", "autoscaling",
			"rbac.authorization.k8s.io", "networking.k8s.io", "apiextensions.k8s.io",
			"kustomize.config.k8s.io", "builtin", "storage.k8s.io", "admissionregistration.k8s.io" };
		size_t n = (size_t)(slash - av);
		*group = NULL;
		for (size_t i = 0; !*group && i < sizeof(common) / sizeof(common[0]); i++)
			if (strlen(common[i]) == n && !memcmp(common[i], av, n))
				*group = common[i];
		if (!*group)
			*group = arena_strndup(a, av, n);
		*version = slash + 1;
	} else {
		*group = "";
		*version = av;
	}
}

struct kust_gvk kust_gvk_of(struct arena *a, const struct doc_node *obj)
{
	struct kust_gvk g;
	kust_split_apiversion(kust_scalar(doc_map_get(obj, "apiVersion")), &g.group, &g.version, a);
	const char *k = kust_scalar(doc_map_get(obj, "kind"));
	g.kind = k ? k : "";
	return g;
}

struct kust_id kust_id_of(struct arena *a, const struct doc_node *obj)
{
	struct kust_id id;
	id.gvk = kust_gvk_of(a, obj);
	const struct doc_node *md = doc_map_get(obj, "metadata");
	const char *n = kust_scalar(doc_map_get(md, "name"));
	const char *ns = kust_scalar(doc_map_get(md, "namespace"));
	id.name = n ? n : "";
	id.ns = ns ? ns : "";
	return id;
}

char *kust_gvk_string(struct arena *a, const struct kust_gvk *g)
{
	return arena_sprintf(a, "%s.%s.%s", *g->kind ? g->kind : "[noKind]",
			     *g->version ? g->version : "[noVer]", *g->group ? g->group : "[noGrp]");
}

char *kust_id_string(struct arena *a, const struct kust_id *id)
{
	return arena_sprintf(a, "%s/%s.%s", kust_gvk_string(a, &id->gvk),
			     *id->name ? id->name : "[noName]", *id->ns ? id->ns : "[noNs]");
}

bool kust_gvk_selected(const struct kust_gvk *g, const struct kust_gvk *sel)
{
	if (!sel)
		return true;
	if (*sel->group && strcmp(sel->group, g->group))
		return false;
	if (*sel->version && strcmp(sel->version, g->version))
		return false;
	if (*sel->kind && strcmp(sel->kind, g->kind))
		return false;
	return true;
}

bool kust_gvk_equal(const struct kust_gvk *x, const struct kust_gvk *y)
{
	return !strcmp(x->group, y->group) && !strcmp(x->version, y->version) &&
	       !strcmp(x->kind, y->kind);
}

bool kust_ns_equal(const char *a, const char *b)
{
	if (!*a)
		a = "default";
	if (!*b)
		b = "default";
	return !strcmp(a, b);
}

bool kust_id_equal(const struct kust_id *x, const struct kust_id *y)
{
	if (strcmp(x->name, y->name) || !kust_gvk_equal(&x->gvk, &y->gvk))
		return false;
	/* kustomize compares namespaces only for namespaced kinds. */
	if (kust_gvk_cluster_scoped(&x->gvk))
		return true;
	return kust_ns_equal(x->ns, y->ns);
}

/* The cluster-scoped kinds kustomize knows, by group and version: kyaml's
 * precomputedIsNamespaceScoped (openapi/openapi.go, kyaml v0.19 in kustomize v5.6), which
 * answers for its builtin schema. Any other kind, a newer version of these included
 * (flowcontrol v1 FlowSchema), is namespaced for kustomize and gets the namespace. */
static const struct {
	const char *group, *version, *kind;
} cluster_scoped[] = {
	{ "admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration" },
	{ "admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration" },
	{ "admissionregistration.k8s.io", "v1beta1", "MutatingWebhookConfiguration" },
	{ "admissionregistration.k8s.io", "v1beta1", "ValidatingWebhookConfiguration" },
	{ "apiextensions.k8s.io", "v1", "CustomResourceDefinition" },
	{ "apiextensions.k8s.io", "v1beta1", "CustomResourceDefinition" },
	{ "apiregistration.k8s.io", "v1", "APIService" },
	{ "apiregistration.k8s.io", "v1beta1", "APIService" },
	{ "certificates.k8s.io", "v1", "CertificateSigningRequest" },
	{ "certificates.k8s.io", "v1beta1", "CertificateSigningRequest" },
	{ "flowcontrol.apiserver.k8s.io", "v1beta1", "FlowSchema" },
	{ "flowcontrol.apiserver.k8s.io", "v1beta1", "PriorityLevelConfiguration" },
	{ "networking.k8s.io", "v1", "IngressClass" },
	{ "networking.k8s.io", "v1beta1", "IngressClass" },
	{ "node.k8s.io", "v1", "RuntimeClass" },
	{ "node.k8s.io", "v1beta1", "RuntimeClass" },
	{ "policy", "v1beta1", "PodSecurityPolicy" },
	{ "rbac.authorization.k8s.io", "v1", "ClusterRole" },
	{ "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding" },
	{ "rbac.authorization.k8s.io", "v1beta1", "ClusterRole" },
	{ "rbac.authorization.k8s.io", "v1beta1", "ClusterRoleBinding" },
	{ "scheduling.k8s.io", "v1", "PriorityClass" },
	{ "scheduling.k8s.io", "v1beta1", "PriorityClass" },
	{ "storage.k8s.io", "v1", "CSIDriver" },
	{ "storage.k8s.io", "v1", "CSINode" },
	{ "storage.k8s.io", "v1", "StorageClass" },
	{ "storage.k8s.io", "v1", "VolumeAttachment" },
	{ "storage.k8s.io", "v1beta1", "CSIDriver" },
	{ "storage.k8s.io", "v1beta1", "CSINode" },
	{ "storage.k8s.io", "v1beta1", "StorageClass" },
	{ "storage.k8s.io", "v1beta1", "VolumeAttachment" },
	{ "", "v1", "ComponentStatus" },
	{ "", "v1", "Namespace" },
	{ "", "v1", "Node" },
	{ "", "v1", "NodeProxyOptions" },
	{ "", "v1", "PersistentVolume" },
};

bool kust_gvk_cluster_scoped(const struct kust_gvk *g)
{
	/* every cluster-scoped kind starts with one of these letters: a quick reject */
	if (!g->kind[0] || !strchr("ACFIMNPRSV", g->kind[0]))
		return false;
	for (size_t i = 0; i < sizeof(cluster_scoped) / sizeof(cluster_scoped[0]); i++)
		if (!strcmp(cluster_scoped[i].kind, g->kind) && !strcmp(cluster_scoped[i].group, g->group) &&
		    !strcmp(cluster_scoped[i].version, g->version))
			return true;
	return false;
}
