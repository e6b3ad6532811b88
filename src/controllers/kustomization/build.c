/*
 * Building a Kustomization's path as the kustomize-controller does, shared by the controller
 * and `tide build|diff kustomization`: Flux's generator and spec fields (fluxgen.h), the
 * kustomize build confined to the artifact root, spec.commonMetadata, and postBuild
 * substitution with variables from substituteFrom (read through get) and substitute; and
 * the controller's build step on top of it.
 */
#include "controllers/kustomization/build.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "controllers/common/secret.h"
#include "controllers/kustomization/ks.h"
#include "doc/doc.h"
#include "kustomize/fluxgen.h"
#include "kustomize/kustomize.h"
#include "kustomize/varsub.h"
#include "runtime/controller.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct vars {
	struct varsub_var *v;
	size_t len, cap;
};

static void vars_add(struct arena *a, struct vars *vs, const char *name, const char *value)
{
	if (vs->len == vs->cap) {
		size_t cap = vs->cap ? vs->cap * 2 : 16;
		struct varsub_var *nv = arena_alloc(a, cap * sizeof(*nv));
		if (vs->len)
			memcpy(nv, vs->v, vs->len * sizeof(*nv));
		vs->v = nv;
		vs->cap = cap;
	}
	vs->v[vs->len++] = (struct varsub_var){ name, value };
}

static int load_vars(struct arena *a, const struct doc_node *post, kustomization_get_fn get, void *ud,
		     struct vars *vs)
{
	const struct doc_node *from = doc_map_get(post, "substituteFrom");
	for (size_t i = 0; from && from->kind == DOC_SEQ && i < from->u.seq.len; i++) {
		const struct doc_node *ref = from->u.seq.items[i];
		const char *kind = doc_get_str(ref, "kind"), *name = doc_get_str(ref, "name");
		const struct doc_node *opt = doc_map_get(ref, "optional");
		bool optional = opt && opt->kind == DOC_BOOL && opt->u.boolean;
		if (!kind || !name)
			continue;
		bool secret = !strcmp(kind, "Secret");
		if (!secret && strcmp(kind, "ConfigMap"))
			return err_set(ERR_INVALID, "substitute from '%s/%s' error: unsupported kind", kind, name);
		struct doc_node *src = NULL;
		int rc = get(ud, kind, name, &src);
		if (rc == ERR_NOTFOUND && optional)
			continue;
		if (rc)
			return err_set(rc, "substitute from '%s/%s' error: %s%s \"%s\" not found", kind, name,
				       secret ? "secrets" : "configmaps", "", name);
		const struct doc_node *data = doc_map_get(src, "data");
		for (size_t j = 0; data && data->kind == DOC_MAP && j < data->u.map.len; j++) {
			const struct doc_node *v = data->u.map.items[j].value;
			if (!v || v->kind != DOC_STR)
				continue;
			const char *value = v->u.str.ptr;
			if (secret) {
				char *plain;
				if (secret_data(a, src, data->u.map.items[j].key, &plain, NULL))
					return err_set(ERR_INVALID, "substitute from 'Secret/%s' error: invalid base64 in key '%s'",
						       name, data->u.map.items[j].key);
				value = plain;
			}
			vars_add(a, vs, data->u.map.items[j].key, value);
		}
	}
	const struct doc_node *inline_vars = doc_map_get(post, "substitute");
	for (size_t j = 0; inline_vars && inline_vars->kind == DOC_MAP && j < inline_vars->u.map.len; j++) {
		const struct doc_node *v = inline_vars->u.map.items[j].value;
		if (v && (v->kind == DOC_STR || v->kind == DOC_INT || v->kind == DOC_FLOAT))
			vars_add(a, vs, inline_vars->u.map.items[j].key, v->u.str.ptr);
		else if (v && v->kind == DOC_BOOL)
			vars_add(a, vs, inline_vars->u.map.items[j].key, v->u.boolean ? "true" : "false");
	}
	return 0;
}

/* ---- Where the build may write ----------------------------------------------------------*/

int kustomization_check_paths(const char *root, const char *dir)
{
	char *real = NULL;
	int rc = fs_resolve_in_root(&real, root, dir);
	free(real);
	if (rc == ERR_ESCAPE)
		return err_set(ERR_ESCAPE, "security; kustomization path '%s' is not in or below '%s'", dir, root);
	if (rc)
		return 0; /* missing: fluxgen_prepare says so in Flux's words */
	static const char *const names[] = { "kustomization.yaml", "kustomization.yml", "Kustomization" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) {
			/* A dangling link is no kustomization file: the generated one replaces the
			 * link itself (a rename), never what it names. */
			if (fs_resolve_in_root(&real, root, p) == ERR_ESCAPE) {
				char target[4096];
				ssize_t n = readlink(p, target, sizeof(target) - 1);
				target[n > 0 ? n : 0] = '\0';
				rc = err_set(ERR_ESCAPE, "security; kustomization file '%s' is a symlink to '%s', which is not in or below '%s'",
					     p, target, root);
			}
			free(real);
			real = NULL;
		}
		free(p);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- Reconcile --------------------------------------------------------------------------*/

int kustomization_build(struct arena *a, const struct doc_node *ks, const char *root, const char *dir,
			kustomization_get_fn get, void *ud, struct doc_node ***objs, size_t *n)
{
	return kustomization_build_strict(a, ks, root, dir, get, ud, false, objs, n);
}

int kustomization_build_strict(struct arena *a, const struct doc_node *ks, const char *root,
			       const char *dir, kustomization_get_fn get, void *ud, bool strict,
			       struct doc_node ***objs, size_t *n)
{
	return kustomization_build_budget(a, ks, root, dir, get, ud, strict, 0, objs, n);
}

int kustomization_build_budget(struct arena *a, const struct doc_node *ks, const char *root,
			       const char *dir, kustomization_get_fn get, void *ud, bool strict,
			       size_t max_memory, struct doc_node ***objs, size_t *n)
{
	const struct doc_node *spec = doc_get(ks, "spec");
	bool generated = false;
	/* fluxgen_prepare reads the kustomization file through a symlink and writes into dir:
	 * neither may lead outside root, whatever the later build's confinement says. */
	int rc = kustomization_check_paths(root, dir);
	if (rc || (rc = fluxgen_prepare(a, dir, spec, &generated)))
		return rc;
	struct kust_options ko = KUST_OPTIONS_INIT;
	ko.confine_root = root;
	ko.max_memory = max_memory;
	if ((rc = kust_build(a, dir, &ko, objs, n)))
		return rc;
	const struct doc_node *post = doc_map_get(spec, "postBuild");
	struct vars vs = { 0 };
	if (post && (rc = load_vars(a, post, get, ud, &vs)))
		return rc;
	for (size_t i = 0; i < *n; i++) {
		fluxgen_common_metadata(a, (*objs)[i], spec);
		if (post && vs.len) {
			struct varsub_vars vv = { vs.v, vs.len, strict };
			struct doc_node *out = NULL;
			if ((rc = varsub_object(a, (*objs)[i], &vv, &out)))
				return rc;
			(*objs)[i] = out;
		}
	}
	return 0;
}


/* ---- The controller's step --------------------------------------------------------------*/

/* Reads a ConfigMap or Secret of substituteFrom, from the informer cache or the API. */
static int get_source_object(void *ud, const char *kind, const char *name, struct doc_node **out)
{
	struct rt_reconcile *r = ud;
	return rt_get(r, "v1", kind, rt_namespace(r), name, out);
}

int ks_build_step(struct ks_run *run)
{
	size_t max = ks_settings.max_build_memory_mib > 0 ? (size_t)ks_settings.max_build_memory_mib << 20 : 0;
	return kustomization_build_budget(run->a, run->obj, run->tmp, run->dir, get_source_object, run->r,
					  ks_settings.strict_substitutions, max, &run->objs, &run->nobjs);
}
