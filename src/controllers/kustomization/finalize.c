/*
 * Deleting a Kustomization (the kustomize-controller's finalize): what its inventory lists
 * is pruned per spec.deletionPolicy (MirrorPrune, the default, follows spec.prune; Delete
 * always; Orphan never). A suspended Kustomization leaves everything, as Flux's does. The
 * manager removes the finalizer when this returns 0 (runtime/controller.h).
 */
#include <stddef.h>

#include "controllers/common/client.h"
#include "controllers/kustomization/ks.h"
#include "doc/doc.h"
#include "runtime/controller.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

static bool prunes(const struct ks_spec *spec)
{
	switch (spec->deletion_policy) {
	case KS_DELETE_DELETE:
		return true;
	case KS_DELETE_ORPHAN:
		return false;
	case KS_DELETE_MIRROR_PRUNE:
		break;
	}
	return spec->prune;
}

/* As Flux: when the account to impersonate is gone, the objects are left, said so, and
 * the finalization goes on (else the Kustomization could never be deleted). */
static bool account_gone(struct rt_reconcile *r, const struct ks_spec *spec, const struct apply_ref *refs,
			 size_t n)
{
	struct arena *a = rt_arena(r);
	const char *sa = ctl_service_account(&spec->client, ks_settings.refs.default_service_account);
	struct doc_node *sa_obj = NULL;
	if (!sa || rt_get(r, "v1", "ServiceAccount", spec->namespace, sa, &sa_obj) != ERR_NOTFOUND)
		return false;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? "\n" : "", apply_subject(a, &refs[i]));
	const char *msg = arena_sprintf(a, "unable to prune objects: \n%s", b.ptr);
	buf_release(&b);
	rt_log(r, LOG_ERROR, msg, "error", "skip pruning, service account not found", NULL);
	rt_eventf(r, "Warning", "PruneFailed", NULL, "%s", msg);
	return true;
}

int ks_finalize(struct rt_reconcile *r)
{
	struct arena *a = rt_arena(r);
	struct ks_spec spec;
	struct ks_status st;
	/* A sourceRef of a kind not taken does not keep the objects from being pruned. */
	ks_spec_decode(&spec, &st, a, rt_object_doc(r));
	if (!prunes(&spec) || spec.suspend)
		return 0;
	struct apply_ref *refs = NULL;
	size_t n = 0;
	if (!st.inventory_ok || apply_inventory_refs(&refs, &n, a, &st.inventory) || n == 0)
		return 0;
	if (account_gone(r, &spec, refs, n))
		return 0;
	struct ctl_client kc;
	int rc = ctl_client_for(&kc, r, &spec.client, ks_settings.refs.default_service_account);
	if (rc) {
		ctl_client_release(&kc);
		return rc;
	}
	/* Deleting never forces: the manager is made without spec.force. */
	struct ks_spec owner = spec;
	owner.force = false;
	struct apply_manager *m = NULL;
	struct apply_changeset cs = { 0 };
	rc = ks_apply_manager(&m, kc.use, &owner);
	if (!rc)
		rc = apply_delete_all(&cs, m, a, refs, n);
	const char *pruned = ks_changeset_log(a, &cs);
	if (*pruned) {
		rt_log(r, LOG_INFO, arena_sprintf(a, "garbage collection completed: %s", pruned), NULL);
		rt_eventf(r, "Normal", "PruneSucceeded", NULL, "%s", pruned);
	}
	if (rc)
		rt_eventf(r, "Warning", "PruneFailed", NULL, "pruning for deleted resource failed");
	apply_manager_free(m);
	ctl_client_release(&kc);
	return rc;
}
