/*
 * The ExternalArtifact objects a generator owns (source-watcher reconcileExternalArtifact,
 * finalizeExternalArtifacts, detectExternalArtifactsDrift): created or updated by
 * server-side apply as the "source-watcher" field manager, forced, with the labels
 * app.kubernetes.io/managed-by=source-watcher and source.extensions.fluxcd.io/generator=<the
 * generator's UID> (how they are found again) and spec.sourceRef naming the generator; then
 * their status applied on the status subresource: the artifact and Ready=True "Artifact is
 * ready". They carry no ownerReference: the generator's finalizer and its inventory delete
 * them, with their storage, when they leave the spec or the generator goes.
 */
#include <stdlib.h>
#include <string.h>

#include "controllers/artifactgenerator/ag.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "runtime/conditions.h"
#include "source/storage.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/log.h"
#include "util/banned.h"

static struct doc_node *skeleton(struct ag *g, const char *name)
{
	struct arena *a = g->a;
	struct doc_node *ea = doc_new_map(a), *meta = doc_new_map(a);
	doc_map_set(a, ea, "apiVersion", doc_new_str(a, EA_API_VERSION));
	doc_map_set(a, ea, "kind", doc_new_str(a, EA_KIND));
	doc_map_set(a, meta, "name", doc_new_str(a, name));
	doc_map_set(a, meta, "namespace", doc_new_str(a, g->ns));
	doc_map_set(a, ea, "metadata", meta);
	return ea;
}

static void copy_strings(struct arena *a, struct doc_node *into, const struct doc_node *from)
{
	for (size_t i = 0; from && from->kind == DOC_MAP && i < from->u.map.len; i++)
		if (from->u.map.items[i].value->kind == DOC_STR)
			doc_map_set(a, into, from->u.map.items[i].key, doc_clone(a, from->u.map.items[i].value));
}

static struct doc_node *desired(struct ag *g, const struct ag_output *o)
{
	struct arena *a = g->a;
	struct doc_node *ea = skeleton(g, o->name);
	struct doc_node *meta = doc_map_get(ea, "metadata");
	struct doc_node *labels = doc_new_map(a);
	copy_strings(a, labels, g->spec.labels);
	for (size_t i = 0; i < o->nlabels; i++)
		doc_map_set(a, labels, o->label_keys[i], doc_new_str(a, o->label_values[i]));
	doc_map_set(a, labels, AG_LABEL_MANAGED_BY, doc_new_str(a, AG_COMPONENT));
	doc_map_set(a, labels, AG_LABEL_GENERATOR, doc_new_str(a, g->uid));
	doc_map_set(a, meta, "labels", labels);
	if (g->spec.annotations && g->spec.annotations->kind == DOC_MAP && g->spec.annotations->u.map.len) {
		struct doc_node *an = doc_new_map(a);
		copy_strings(a, an, g->spec.annotations);
		doc_map_set(a, meta, "annotations", an);
	}
	struct doc_node *ref = doc_new_map(a);
	doc_map_set(a, ref, "apiVersion", doc_new_str(a, AG_API_VERSION));
	doc_map_set(a, ref, "kind", doc_new_str(a, AG_KIND));
	doc_map_set(a, ref, "name", doc_new_str(a, g->name));
	doc_map_set(a, ref, "namespace", doc_new_str(a, g->ns));
	struct doc_node *spec = doc_new_map(a);
	doc_map_set(a, spec, "sourceRef", ref);
	doc_map_set(a, ea, "spec", spec);
	return ea;
}

static struct doc_node *status_of(struct ag *g, const struct ag_output *o, const struct ag_built *b,
				  int64_t generation)
{
	struct arena *a = g->a;
	struct doc_node *ea = skeleton(g, o->name);
	struct doc_node *art = doc_new_map(a);
	doc_map_set(a, art, "path", doc_new_str(a, b->path));
	doc_map_set(a, art, "url", doc_new_str(a, b->url));
	doc_map_set(a, art, "revision", doc_new_str(a, b->revision));
	doc_map_set(a, art, "digest", doc_new_str(a, b->digest));
	doc_map_set(a, art, "lastUpdateTime", doc_new_str(a, b->updated));
	doc_map_set(a, art, "size", doc_new_int(a, (int64_t)b->size));
	if (b->origin) {
		struct doc_node *md = doc_new_map(a);
		doc_map_set(a, md, AG_ORIGIN_REVISION, doc_new_str(a, b->origin));
		doc_map_set(a, art, "metadata", md);
	}
	struct doc_node *cond = doc_new_map(a), *conds = doc_new_seq(a);
	doc_map_set(a, cond, "observedGeneration", doc_new_int(a, generation));
	doc_map_set(a, cond, "type", doc_new_str(a, RT_COND_READY));
	doc_map_set(a, cond, "status", doc_new_str(a, "True"));
	doc_map_set(a, cond, "lastTransitionTime", doc_new_str(a, b->updated));
	doc_map_set(a, cond, "reason", doc_new_str(a, RT_REASON_SUCCEEDED));
	doc_map_set(a, cond, "message", doc_new_str(a, "Artifact is ready"));
	doc_seq_push(a, conds, cond);
	struct doc_node *st = doc_new_map(a);
	doc_map_set(a, st, "artifact", art);
	doc_map_set(a, st, "conditions", conds);
	doc_map_set(a, ea, "status", st);
	return ea;
}

int ag_ea_apply(struct ag *g, const struct ag_output *o, const struct ag_built *b, struct ag_ref *ref)
{
	struct kube_client *c = rt_client(g->r);
	struct doc_node *got = NULL;
	struct kube_opts opts = { .field_manager = AG_COMPONENT, .force = true };
	int rc = kube_apply(&got, c, g->a, desired(g, o), &opts);
	if (rc)
		return err_set(rc, "failed to apply ExternalArtifact: %s", err_msg());
	int64_t generation = 0;
	doc_int64(doc_get(got, "metadata.generation"), &generation);
	struct kube_opts sopts = { .field_manager = AG_COMPONENT, .force = true, .subresource = "status" };
	if ((rc = kube_apply(NULL, c, g->a, status_of(g, o, b, generation), &sopts)))
		return err_set(rc, "failed to patchStatus ExternalArtifact status: %s", err_msg());
	if (ag_in_inventory(g->inventory, g->ninventory, o->name, g->ns, b->digest)) {
		rt_log(g->r, LOG_INFO, arena_sprintf(g->a, "%s/%s/%s is up to date", EA_KIND, g->ns, o->name), NULL);
	} else {
		const char *msg = arena_sprintf(g->a, "%s/%s/%s reconciled with revision %s", EA_KIND, g->ns, o->name,
						b->revision);
		rt_log(g->r, LOG_INFO, msg, NULL);
		ag_trace(g, RT_COND_READY, msg);
	}
	*ref = (struct ag_ref){ o->name, g->ns, b->digest, b->file };
	return 0;
}

void ag_ea_delete(struct ag *g, const struct ag_ref *refs, size_t n)
{
	struct kube_client *c = rt_client(g->r);
	const struct kube_resource *res = NULL;
	int mrc = kube_mapper_find(&res, c, EA_API_VERSION, EA_KIND);
	for (size_t i = 0; i < n; i++) {
		const struct ag_ref *e = &refs[i];
		const char *id = arena_sprintf(g->a, "%s/%s/%s", EA_KIND, e->namespace, e->name);
		const struct storage_object sobj = { EA_KIND, e->namespace, e->name };
		storage_remove_all(g->ctl->st, &sobj);
		char *dir = storage_artifact_path(&sobj, "");
		rt_log(g->r, LOG_INFO, arena_sprintf(g->a, "%s deleted from storage", id), "path", dir, NULL);
		free(dir);
		int rc = mrc ? mrc : kube_delete(NULL, c, g->a, res, e->namespace, e->name, NULL);
		if (rc && rc != ERR_NOTFOUND)
			rt_log(g->r, LOG_ERROR, "Failed to delete ExternalArtifact", "error", err_msg(), NULL);
		else
			rt_log(g->r, LOG_INFO, arena_sprintf(g->a, "%s deleted from cluster", id), NULL);
		err_clear();
	}
}

int ag_ea_list(struct ag *g, struct doc_node **list)
{
	struct kube_client *c = rt_client(g->r);
	const struct kube_resource *res;
	int rc = kube_mapper_find(&res, c, EA_API_VERSION, EA_KIND);
	if (rc)
		return rc;
	struct kube_opts o = { .label_selector = arena_sprintf(g->a, "%s=%s", AG_LABEL_GENERATOR, g->uid) };
	return kube_list(list, c, g->a, res, g->ns, false, &o);
}
