/*
 * The ArtifactGenerator controller's settings, per-process state and watches: source-
 * watcher's --no-cross-namespace-refs (one flag with the other controllers' of that name)
 * and feature gate, the storage flags and the artifact service every source kind shares,
 * and a watch on each source kind an ArtifactGenerator may read (GitRepository,
 * OCIRepository, Bucket, HelmChart, ExternalArtifact): a new artifact revision queues the
 * generators that list that source, as source-watcher's sourceChangePredicate and its
 * index of spec.sources do (tide walks the informer cache instead of keeping an index).
 */
#include <stdlib.h>
#include <string.h>

#include "controllers/artifactgenerator/ag.h"
#include "controllers/common/options.h"
#include "controllers/common/sourceref.h"
#include "doc/doc.h"
#include "util/xalloc.h"
#include "util/banned.h"

bool ag_no_cross_namespace_refs;

static const struct ctl_option own_flags[] = {
	{ "no-cross-namespace-refs", CTL_OPT_BOOL, &ag_no_cross_namespace_refs,
	  "When set to true, references between custom resources are allowed only if the reference and the referee are in the same namespace.",
	  "false" },
	{ 0 },
};

/* source-watcher's gate; tide reads sources from its informer cache either way. */
static const struct ctl_gate gates[] = {
	{ "DirectSourceFetch", NULL },
	{ 0 },
};

const struct ctl_options artifactgenerator_options = { ctl_storage_flags, gates, own_flags };

int ag_setup(struct rt_manager *m, void **data)
{
	(void)m;
	struct ag_ctl *ctl = xcalloc(1, sizeof(*ctl));
	int rc = ctl_storage_acquire(&ctl->svc);
	if (rc) {
		free(ctl);
		return rc;
	}
	ctl->st = ctl->svc->st;
	*data = ctl;
	return 0;
}

void ag_teardown(void *data)
{
	struct ag_ctl *ctl = data;
	if (!ctl)
		return;
	ctl_storage_release(ctl->svc);
	free(ctl);
}

struct source_match {
	struct rt_mapper *m;
	const char *kind, *ns, *name;
};

/* indexBySourceRef's "<kind>/<namespace>/<name>" of each spec.sources entry */
static int lists_it(void *ud, const struct rt_object *o)
{
	struct source_match *sm = ud;
	const struct doc_node *sources = doc_get(o->doc, "spec.sources");
	for (size_t i = 0; sources && sources->kind == DOC_SEQ && i < sources->u.seq.len; i++) {
		const struct doc_node *s = sources->u.seq.items[i];
		const char *kind = doc_get_str(s, "kind"), *name = doc_get_str(s, "name");
		const char *ns = doc_get_str(s, "namespace");
		if (!ns || !*ns)
			ns = o->namespace;
		if (kind && name && !strcmp(kind, sm->kind) && !strcmp(name, sm->name) && !strcmp(ns, sm->ns)) {
			rt_map_enqueue(sm->m, o->namespace, o->name);
			break;
		}
	}
	return 0;
}

static void source_changed(struct rt_mapper *m, const struct rt_object *old, const struct rt_object *obj)
{
	const char *a = old ? doc_get_str(old->doc, "status.artifact.revision") : NULL;
	const char *b = doc_get_str(obj->doc, "status.artifact.revision");
	if (!b || (a && !strcmp(a, b)))
		return;
	struct source_match sm = { m, rt_map_watch(m)->kind, obj->namespace, obj->name };
	rt_map_each(m, lists_it, &sm);
}

const struct rt_watch ag_watches[] = {
	{ CTL_SOURCE_API_VERSION, "GitRepository", source_changed, NULL },
	{ CTL_SOURCE_API_VERSION, "OCIRepository", source_changed, NULL },
	{ CTL_SOURCE_API_VERSION, "Bucket", source_changed, NULL },
	{ CTL_SOURCE_API_VERSION, "HelmChart", source_changed, NULL },
	{ CTL_SOURCE_API_VERSION, EA_KIND, source_changed, NULL },
	{ 0 },
};
