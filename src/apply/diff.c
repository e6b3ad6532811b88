/*
 * The unchanged decision (see apply.h) and `tide diff`'s dry run.
 */
#include "apply/apply.h"
#include "apply/internal.h"
#include "doc/doc.h"
#include "util/error.h"

bool apply_is_unchanged(const struct doc_node *desired, const struct doc_node *live,
			const char *field_manager)
{
	(void)desired, (void)live, (void)field_manager;
	return false;
}

int apply_diff(struct apply_changeset *out, struct doc_node ***live, struct doc_node ***merged,
	       struct apply_manager *m, struct arena *a, struct doc_node **objs, size_t n)
{
	(void)out, (void)live, (void)merged, (void)m, (void)a, (void)objs, (void)n;
	return err_set(ERR_UNSUPPORTED, "apply_diff: not written yet");
}
