/*
 * Prune: deleting the objects that left the set (ssa manager_delete.go DeleteAll with the
 * kustomize-controller's options).
 */
#include "apply/apply.h"
#include "apply/internal.h"
#include "util/error.h"

int apply_delete_all(struct apply_changeset *out, struct apply_manager *m, struct arena *a,
		     const struct apply_ref *refs, size_t n)
{
	(void)out, (void)m, (void)a, (void)refs, (void)n;
	return err_set(ERR_UNSUPPORTED, "apply_delete_all: not written yet");
}
