/* dependsOn (see dependson.h). */
#include "controllers/common/dependson.h"

#include <stdint.h>

#include "doc/doc.h"
#include "runtime/conditions.h"
#include "runtime/controller.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

void ctl_dependson_decode(struct arena *a, const struct doc_node *list, const char *default_ns,
			  struct ctl_dependency **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!list || list->kind != DOC_SEQ || !list->u.seq.len)
		return;
	*out = arena_alloc(a, list->u.seq.len * sizeof(**out));
	for (size_t i = 0; i < list->u.seq.len; i++) {
		const char *name = doc_get_str(list->u.seq.items[i], "name");
		const char *ns = doc_get_str(list->u.seq.items[i], "namespace");
		if (!name)
			continue;
		(*out)[(*n)++] = (struct ctl_dependency){ ns && *ns ? ns : default_ns, name };
	}
}

/* Flux: "len(Status.Conditions) == 0 || Generation != Status.ObservedGeneration" is not
 * ready, whatever Ready says (its status may be about an older spec). */
static bool reconciled_latest(const struct doc_node *d)
{
	const struct doc_node *conds = doc_get(d, "status.conditions");
	int64_t gen = 0, observed = -1;
	if (!conds || conds->kind != DOC_SEQ || !conds->u.seq.len)
		return false;
	if (doc_int64(doc_get(d, "metadata.generation"), &gen) ||
	    doc_int64(doc_get(d, "status.observedGeneration"), &observed))
		return false;
	return gen == observed;
}

int ctl_dependson_check(struct rt_reconcile *r, const char *api_version, const char *kind,
			const struct ctl_dependency *deps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct doc_node *d = NULL;
		int rc = rt_get(r, api_version, kind, deps[i].namespace, deps[i].name, &d);
		if (rc)
			return err_set(rc, "dependency '%s/%s' not found: %s", deps[i].namespace, deps[i].name,
				       err_msg());
		if (!reconciled_latest(d) || !rt_cond_is_ready(d))
			return err_set(ERR_UNAVAIL, "dependency '%s/%s' is not ready", deps[i].namespace, deps[i].name);
	}
	return 0;
}
