/*
 * The `crds:` field: OpenAPI definitions of custom types (a map of Go type name to
 * {Schema: ...}) whose properties carry kustomize's x-kubernetes-* extensions, turned into
 * field specs: x-kubernetes-object-ref-kind/-api-version (a name reference),
 * x-kubernetes-annotation, x-kubernetes-label-selector and x-kubernetes-identity.
 */
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

#include "util/banned.h"

#define CRD_MAX_DEPTH 32

static bool looks_like_k8s_type(const struct doc_node *props)
{
	return doc_map_get(props, "kind") && doc_map_get(props, "apiVersion") &&
	       doc_map_get(props, "metadata");
}

static void add_fs(struct arena *a, struct kust_fsv *v, const char *kind, const char *path)
{
	struct kust_fieldspec fs = { { "", "", kind }, path, false };
	kust_fsv_add(a, v, &fs);
}

static void load_type(struct arena *a, struct kust_tconfig *tc, const char *kind,
		      const struct doc_node *defs, const char *type, const char *path, int depth)
{
	const struct doc_node *props = doc_map_get(doc_map_get(doc_map_get(defs, type), "Schema"), "properties");
	if (!props || props->kind != DOC_MAP || depth > CRD_MAX_DEPTH)
		return;
	for (size_t i = 0; i < props->u.map.len; i++) {
		const char *name = props->u.map.items[i].key;
		const struct doc_node *p = props->u.map.items[i].value;
		const char *fpath = *path ? arena_sprintf(a, "%s/%s", path, name) : arena_strdup(a, name);
		if (doc_map_get(p, "x-kubernetes-annotation"))
			add_fs(a, &tc->common_annotations, kind, fpath);
		if (doc_map_get(p, "x-kubernetes-label-selector"))
			add_fs(a, &tc->common_labels, kind, fpath);
		if (doc_map_get(p, "x-kubernetes-identity"))
			add_fs(a, &tc->prefix, kind, fpath);
		const char *ver = kust_scalar(doc_map_get(p, "x-kubernetes-object-ref-api-version"));
		const char *rkind = kust_scalar(doc_map_get(p, "x-kubernetes-object-ref-kind"));
		if (ver && rkind) {
			const char *key = kust_scalar(doc_map_get(p, "x-kubernetes-object-ref-name-key"));
			struct kust_tconfig one = { 0 };
			one.nameref = arena_alloc(a, sizeof(*one.nameref));
			one.nnameref = one.cap_nameref = 1;
			one.nameref[0].gvk = (struct kust_gvk){ "", ver, rkind };
			add_fs(a, &one.nameref[0].referrers, kind,
			       arena_sprintf(a, "%s/%s", fpath, key ? key : "name"));
			kust_tconfig_merge(a, tc, &one);
		}
		const char *ref = kust_scalar(doc_map_get(p, "$ref"));
		if (ref)
			load_type(a, tc, kind, defs, ref, fpath, depth + 1);
	}
}

int kust_load_crds(struct kust_ctx *c, const struct kust_loader *ldr, const struct doc_node *list,
		   struct kust_tconfig *tc)
{
	struct arena *a = c->a;
	for (size_t i = 0; list && list->kind == DOC_SEQ && i < list->u.seq.len; i++) {
		const char *path = kust_scalar(list->u.seq.items[i]);
		if (!path)
			continue;
		struct doc_stream st = { 0 };
		int rc = kust_load_yaml(c, ldr, path, &st);
		if (rc)
			return err_wrap(rc, "unable to parse open API definition from '%s'", path);
		const struct doc_node *defs = st.len ? st.docs[0] : NULL;
		for (size_t j = 0; defs && defs->kind == DOC_MAP && j < defs->u.map.len; j++) {
			const char *type = defs->u.map.items[j].key;
			const struct doc_node *props =
				doc_map_get(doc_map_get(defs->u.map.items[j].value, "Schema"), "properties");
			if (!looks_like_k8s_type(props))
				continue;
			const char *dot = strrchr(type, '.');
			load_type(a, tc, dot ? dot + 1 : type, defs, type, "", 0);
		}
	}
	return 0;
}
