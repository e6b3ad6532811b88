/*
 * The staged apply (fluxcd/pkg ssa manager_apply.go ApplyAllStaged): cluster definitions
 * (CRDs, Namespaces, ClusterRoles) first, then classes (*Class kinds), then everything else,
 * each stage applied by apply_all and, before the next, waited for; after CRDs, until the
 * mapper serves their kinds.
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "apply/apply.h"
#include "apply/internal.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/banned.h"

static bool is_cluster_definition(const struct doc_node *o)
{
	const char *kind = doc_get_str(o, "kind"), *api = doc_get_str(o, "apiVersion");
	if (!kind || !api)
		return false;
	return (!strcasecmp(kind, "CustomResourceDefinition") &&
		!strncmp(api, "apiextensions.k8s.io/", 21)) ||
	       (!strcasecmp(kind, "Namespace") && !strcmp(api, "v1")) ||
	       (!strcasecmp(kind, "ClusterRole") && !strncmp(api, "rbac.authorization.k8s.io/", 26));
}

static bool is_class_definition(const struct doc_node *o)
{
	const char *kind = doc_get_str(o, "kind");
	size_t l = kind ? strlen(kind) : 0;
	return l >= 5 && !strcmp(kind + l - 5, "Class");
}

static int wait_stage(struct apply_manager *m, struct arena *a, const struct apply_changeset *cs,
		      size_t from)
{
	struct apply_ref *refs = arena_alloc(a, (cs->len - from + 1) * sizeof *refs);
	size_t n = 0;
	bool crds = false;
	for (size_t i = from; i < cs->len; i++) {
		/* Flux waits for skipped objects too, and times out on one that does not exist
		 * (ssa: Ignore on a CRD never applied); tide waits for what it applied or found */
		if (cs->items[i].action == APPLY_SKIPPED)
			continue;
		refs[n++] = cs->items[i].ref;
		if (!strcmp(cs->items[i].ref.kind, "CustomResourceDefinition") &&
		    apply_action_changed(cs->items[i].action))
			crds = true;
	}
	int rc = apply_wait(m, a, refs, n,
			    &(struct apply_wait_opts){ .interval_ms = m->opts.wait_interval_ms,
						       .timeout_ms = m->opts.wait_timeout_ms });
	if (!rc && crds)
		kube_mapper_reset(m->client);
	return rc;
}

/* After a CRD is Established, the API server's discovery may lag a moment behind: wait until
 * the mapper knows every served version of each CRD applied, so the next stage maps its
 * custom resources. */
static int wait_kinds(struct apply_manager *m, struct arena *a, struct doc_node **defs, size_t n)
{
	long long deadline = clock_mono_ms() + m->opts.wait_timeout_ms;
	for (size_t i = 0; i < n; i++) {
		const char *kind = doc_get_str(defs[i], "kind");
		if (!kind || strcmp(kind, "CustomResourceDefinition"))
			continue;
		const char *group = doc_get_str(defs[i], "spec.group");
		const char *ckind = doc_get_str(defs[i], "spec.names.kind");
		const struct doc_node *vs = doc_get(defs[i], "spec.versions");
		if (!group || !ckind || !vs || vs->kind != DOC_SEQ)
			continue;
		for (size_t v = 0; v < vs->u.seq.len; v++) {
			const char *name = doc_get_str(vs->u.seq.items[v], "name");
			const struct doc_node *served = doc_get(vs->u.seq.items[v], "served");
			if (!name || (served && served->kind == DOC_BOOL && !served->u.boolean))
				continue;
			const char *gv = arena_sprintf(a, "%s/%s", group, name);
			for (;;) {
				const struct kube_resource *r;
				int rc = kube_mapper_find(&r, m->client, gv, ckind);
				if (!rc)
					break;
				if (rc != ERR_NOTFOUND)
					return rc;
				if (clock_mono_ms() >= deadline)
					return err_set(ERR_TIMEOUT, "timeout waiting for: [%s in %s to be served]",
						       ckind, gv);
				clock_sleep_ms(200);
				kube_mapper_reset(m->client);
			}
		}
	}
	return 0;
}

int apply_all_staged(struct apply_changeset *out, struct apply_manager *m, struct arena *a,
		     struct doc_node **objs, size_t n)
{
	struct doc_node **defs = arena_alloc(a, (n + 1) * sizeof *defs);
	struct doc_node **classes = arena_alloc(a, (n + 1) * sizeof *classes);
	struct doc_node **rest = arena_alloc(a, (n + 1) * sizeof *rest);
	size_t nd = 0, nc = 0, nr = 0;
	for (size_t i = 0; i < n; i++) {
		if (is_cluster_definition(objs[i]))
			defs[nd++] = objs[i];
		else if (is_class_definition(objs[i]))
			classes[nc++] = objs[i];
		else
			rest[nr++] = objs[i];
	}
	if (nd) {
		size_t from = out->len;
		int rc = apply_all(out, m, a, defs, nd);
		if (!rc)
			rc = wait_stage(m, a, out, from);
		if (!rc)
			rc = wait_kinds(m, a, defs, nd);
		if (rc)
			return rc;
	}
	if (nc) {
		size_t from = out->len;
		int rc = apply_all(out, m, a, classes, nc);
		if (!rc)
			rc = wait_stage(m, a, out, from);
		if (rc)
			return rc;
	}
	return apply_all(out, m, a, rest, nr);
}
