/*
 * The server-side-apply manager (fluxcd/pkg ssa manager.go ResourceManager): one object per
 * client and owner, holding the options with their defaults filled in, the owner's label and
 * annotation keys built once, and the count of write requests. The verbs live in their own
 * files: apply.c (one stage of the apply), staged.c (the staged apply), diff.c, prune.c
 * (delete) and wait.c; normalize.c and cleanup.c prepare what they send.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply/apply.h"
#include "apply/internal.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

int apply_manager_new(struct apply_manager **out, struct kube_client *c,
		      const struct apply_opts *opts)
{
	struct apply_manager *m = xcalloc(1, sizeof *m);
	m->client = c;
	if (opts)
		m->opts = *opts;
	if (!m->opts.field_manager)
		m->opts.field_manager = APPLY_FIELD_MANAGER;
	if (!m->opts.owner_group)
		m->opts.owner_group = APPLY_OWNER_GROUP;
	if (m->opts.concurrency <= 0)
		m->opts.concurrency = APPLY_CONCURRENCY;
	if (m->opts.concurrency > APPLY_MAX_CONCURRENCY)
		m->opts.concurrency = APPLY_MAX_CONCURRENCY;
	if (m->opts.wait_interval_ms <= 0)
		m->opts.wait_interval_ms = 2000;
	if (m->opts.wait_timeout_ms <= 0)
		m->opts.wait_timeout_ms = 60000;
	const char *g = m->opts.owner_group;
	if (strlen(g) > 100) {
		free(m);
		return err_set(ERR_INVALID, "'%s': owner group too long", g);
	}
	snprintf(m->label_name, sizeof m->label_name, "%s/name", g);
	snprintf(m->label_namespace, sizeof m->label_namespace, "%s/namespace", g);
	snprintf(m->key_ssa, sizeof m->key_ssa, "%s/ssa", g);
	snprintf(m->key_reconcile, sizeof m->key_reconcile, "%s/reconcile", g);
	snprintf(m->key_prune, sizeof m->key_prune, "%s/prune", g);
	snprintf(m->key_force, sizeof m->key_force, "%s/force", g);
	*out = m;
	return 0;
}

void apply_manager_free(struct apply_manager *m)
{
	free(m);
}

unsigned long apply_manager_writes(const struct apply_manager *m)
{
	return m->writes;
}

/* ---- Helpers shared with the other files ----------------------------------------------*/

const char *apply_meta_value(const struct doc_node *obj, const char *where, const char *key)
{
	const struct doc_node *map = doc_get(obj, where);
	const struct doc_node *v = doc_map_get(map, key);
	return v && v->kind == DOC_STR ? v->u.str.ptr : NULL;
}

bool apply_meta_has(const struct doc_node *obj, const char *key, const char *value)
{
	if (!obj)
		return false;
	const char *l = apply_meta_value(obj, "metadata.labels", key);
	const char *an = apply_meta_value(obj, "metadata.annotations", key);
	return (l && !strcmp(l, value)) || (an && !strcmp(an, value));
}

const char *apply_obj_subject(struct arena *a, const struct doc_node *obj)
{
	struct apply_ref r;
	if (apply_ref_of(&r, a, obj))
		return "object";
	return apply_subject(a, &r);
}
