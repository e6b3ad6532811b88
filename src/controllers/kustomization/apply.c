/*
 * The apply step: the client the Kustomization applies through (its service account,
 * its kubeConfig; controllers/common/client.h), then Flux's staged server-side apply of the
 * build with the owner labels (src/apply), logged and broadcast as the kustomize-controller
 * does. Objects moved from another Kustomization are said so (Flux is silent).
 */
#include <stddef.h>

#include "controllers/common/events.h"
#include "controllers/kustomization/ks.h"
#include "runtime/conditions.h"
#include "runtime/controller.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

int ks_apply_manager(struct apply_manager **out, struct kube_client *c, const struct ks_spec *spec)
{
	struct apply_opts ao = { 0 };
	ao.owner_name = spec->name;
	ao.owner_namespace = spec->namespace;
	ao.force = spec->force;
	return apply_manager_new(out, c, &ao);
}

/* Flux moves an object owned by another Kustomization to this one without a word (its
 * owner labels are overwritten); tide moves it too but says so, in the log and with a
 * Warning event listing the objects and their previous owners, so that two Kustomizations
 * fighting over an object are seen. */
static void warn_taken_over(struct ks_run *run)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < run->cs.len; i++) {
		if (!run->cs.items[i].previous_owner)
			continue;
		buf_addf(&b, "%s%s was owned by Kustomization %s", b.len ? "\n" : "", run->cs.items[i].subject,
			 run->cs.items[i].previous_owner);
	}
	if (b.len) {
		const char *msg = arena_sprintf(run->a, "objects taken over from another Kustomization:\n%s", b.ptr);
		rt_log(run->r, LOG_INFO, msg, "revision", run->revision, NULL);
		struct ctl_event_meta meta;
		ks_event_meta(&meta, run->revision, run->origin_revision);
		ctl_eventf(run->r, &meta, "Warning", "OwnershipChanged", "%s", msg);
	}
	buf_release(&b);
}

int ks_apply_step(struct ks_run *run)
{
	int rc = ctl_client_for(&run->client, run->r, &run->spec->client, ks_settings.refs.default_service_account);
	if (rc)
		return err_set(rc, "failed to build kube client: %s", err_msg());
	if ((rc = ks_apply_manager(&run->m, run->client.use, run->spec)))
		return rc;
	if ((rc = apply_all_staged(&run->cs, run->m, run->a, run->objs, run->nobjs))) {
		const char *log = ks_changeset_log(run->a, &run->cs);
		return *log ? err_set(rc, "%s\n%s", err_msg(), log) : rc;
	}
	warn_taken_over(run);
	const char *applied = ks_changeset_log(run->a, &run->cs);
	if (*applied) {
		rt_log(run->r, LOG_INFO, "server-side apply completed", "revision", run->revision, "output", applied,
		       NULL);
		struct ctl_event_meta meta;
		ks_event_meta(&meta, run->revision, run->origin_revision);
		ctl_eventf(run->r, &meta, "Normal", RT_REASON_PROGRESSING, "%s", applied);
	}
	return 0;
}
