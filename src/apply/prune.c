/*
 * Prune: deleting the objects that left the set (ssa manager_delete.go DeleteAll with the
 * kustomize-controller's DeleteOptions: Background propagation, the owner labels as
 * inclusions, prune/reconcile disabled and ssa Ignore as exclusions).
 */
#include <string.h>

#include "apply/apply.h"
#include "apply/internal.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

static bool label_is(const struct doc_node *obj, const char *key, const char *value)
{
	const struct doc_node *v = doc_map_get(doc_get(obj, "metadata.labels"), key);
	return v && v->kind == DOC_STR && !strcmp(v->u.str.ptr, value);
}

/* One object: its entry's action, or an error code with the message set. */
static int delete_one(enum apply_action *action, struct apply_manager *m, struct arena *a,
		      const struct apply_ref *ref, const char *subject)
{
	const struct kube_resource *r;
	const char *gv = *ref->group ? arena_sprintf(a, "%s/%s", ref->group, ref->version)
				     : ref->version;
	struct doc_node *live = NULL;
	*action = APPLY_UNKNOWN;
	int rc = kube_mapper_find(&r, m->client, gv, ref->kind);
	if (rc == ERR_NOTFOUND) {
		/* the kind is gone (its CRD was deleted): so is the object */
		*action = APPLY_DELETED;
		return 0;
	}
	const char *ns = *ref->namespace ? ref->namespace : NULL;
	if (!rc)
		rc = kube_get(&live, m->client, a, r, ns, ref->name, NULL);
	if (rc == ERR_NOTFOUND) {
		*action = APPLY_DELETED;
		return 0;
	}
	if (rc)
		return err_wrap(rc, "%s query failed", subject);
	if (m->opts.owner_name &&
	    (!label_is(live, m->label_name, m->opts.owner_name) ||
	     !label_is(live, m->label_namespace,
		       m->opts.owner_namespace ? m->opts.owner_namespace : ""))) {
		*action = APPLY_SKIPPED;
		return 0;
	}
	if (apply_meta_has(live, m->key_prune, "disabled") ||
	    apply_meta_has(live, m->key_reconcile, "disabled") ||
	    apply_meta_has(live, m->key_ssa, "Ignore")) {
		*action = APPLY_SKIPPED;
		return 0;
	}
	if (doc_get(live, "metadata.deletionTimestamp")) {
		/* being deleted already (finalizers running): asking again changes nothing */
		*action = APPLY_DELETED;
		return 0;
	}
	struct kube_opts o = { .propagation = "Background" };
	atomic_fetch_add(&m->writes, 1);
	rc = kube_delete(NULL, m->client, a, r, ns, ref->name, &o);
	if (rc && rc != ERR_NOTFOUND)
		return err_wrap(rc, "%s delete failed", subject);
	*action = APPLY_DELETED;
	return 0;
}

int apply_delete_all(struct apply_changeset *out, struct apply_manager *m, struct arena *a,
		     const struct apply_ref *refs, size_t n)
{
	struct apply_ref *sorted = arena_alloc(a, (n + 1) * sizeof *sorted);
	memcpy(sorted, refs, n * sizeof *sorted);
	apply_sort_refs(sorted, n);
	struct buf errors;
	buf_init(&errors, 0);
	int first_rc = 0;
	/* reverse order: custom resources before their definitions, namespaces last */
	for (size_t k = n; k-- > 0;) {
		const struct apply_ref *ref = &sorted[k];
		struct apply_entry e = { .ref = *ref, .subject = apply_subject(a, ref) };
		int rc = delete_one(&e.action, m, a, ref, e.subject);
		if (rc) {
			buf_addf(&errors, "%s;", err_msg());
			if (!first_rc)
				first_rc = rc;
		}
		apply_changeset_add(a, out, &e);
	}
	if (first_rc)
		first_rc = err_set(first_rc, "delete failed, errors: %s", errors.ptr);
	buf_release(&errors);
	return first_rc;
}
