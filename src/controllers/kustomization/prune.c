/*
 * The prune step: the inventory becomes what this apply touched (Flux records every
 * change-set entry, skipped ones too), and with spec.prune what left it is deleted
 * (garbage collection, as the kustomize-controller's prune), logged and broadcast.
 */
#include <stddef.h>

#include "controllers/common/events.h"
#include "controllers/kustomization/ks.h"
#include "runtime/conditions.h"
#include "runtime/controller.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

int ks_prune_step(struct ks_run *run)
{
	struct apply_inventory old_inv = run->status->inventory, new_inv = { 0 };
	apply_inventory_add_changeset(run->a, &new_inv, &run->cs);
	run->status->inventory = new_inv;
	run->status->inventory_set = true;
	if (!run->spec->prune)
		return 0;
	struct apply_ref *stale = NULL;
	size_t nstale = 0;
	apply_inventory_diff(&stale, &nstale, run->a, &old_inv, &new_inv);
	if (!nstale)
		return 0;
	struct apply_changeset pcs = { 0 };
	int rc = apply_delete_all(&pcs, run->m, run->a, stale, nstale);
	const char *pruned = ks_changeset_log(run->a, &pcs);
	if (*pruned) {
		rt_log(run->r, LOG_INFO, arena_sprintf(run->a, "garbage collection completed: %s", pruned), NULL);
		struct ctl_event_meta meta;
		ks_event_meta(&meta, run->revision, run->origin_revision);
		ctl_eventf(run->r, &meta, "Normal", RT_REASON_PROGRESSING, "%s", pruned);
	}
	return rc;
}
