/* The source -> referrers mapping (see watchindex.h). */
#include "controllers/common/watchindex.h"

#include <string.h>

#include "doc/doc.h"
#include "util/banned.h"

struct match {
	struct rt_mapper *m;
	const char *path, *kind, *ns, *name;
};

static int match_one(void *ud, const struct rt_object *o)
{
	struct match *sm = ud;
	struct ctl_source_ref ref;
	ctl_source_ref_decode(&ref, doc_get(o->doc, sm->path), o->namespace);
	if (!strcmp(ref.kind, sm->kind) && !strcmp(ref.name, sm->name) && !strcmp(ref.namespace, sm->ns))
		rt_map_enqueue(sm->m, o->namespace, o->name);
	return 0;
}

void ctl_watch_source_revision(struct rt_mapper *m, const struct rt_object *old,
			       const struct rt_object *obj)
{
	const struct rt_watch *w = rt_map_watch(m);
	const struct ctl_source_index *idx = w->ud;
	const char *a = old ? doc_get_str(old->doc, "status.artifact.revision") : NULL;
	const char *b = doc_get_str(obj->doc, "status.artifact.revision");
	if (!b || (a && !strcmp(a, b)))
		return;
	struct match sm = { m, idx->ref_path, w->kind, obj->namespace, obj->name };
	rt_map_each(m, match_one, &sm);
}
