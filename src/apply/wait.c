/*
 * Health: kstatus computed from live objects, and the wait for a set of objects
 * (ssa manager_wait.go WaitForSet).
 */
#include "apply/apply.h"
#include "apply/internal.h"
#include "util/error.h"

static const char *const status_names[] = {
	[APPLY_STATUS_CURRENT] = "Current",         [APPLY_STATUS_IN_PROGRESS] = "InProgress",
	[APPLY_STATUS_FAILED] = "Failed",           [APPLY_STATUS_TERMINATING] = "Terminating",
	[APPLY_STATUS_NOT_FOUND] = "NotFound",      [APPLY_STATUS_UNKNOWN] = "Unknown",
};

const char *apply_status_name(enum apply_status s)
{
	if ((unsigned)s >= sizeof status_names / sizeof *status_names)
		return "Unknown";
	return status_names[s];
}

enum apply_status apply_status_of(const struct doc_node *obj, struct arena *a,
				  const char **message)
{
	(void)obj, (void)a;
	if (message)
		*message = "";
	return APPLY_STATUS_UNKNOWN;
}

int apply_wait(struct apply_manager *m, struct arena *a, const struct apply_ref *refs, size_t n,
	       const struct apply_wait_opts *opts)
{
	(void)m, (void)a, (void)refs, (void)n, (void)opts;
	return err_set(ERR_UNSUPPORTED, "apply_wait: not written yet");
}
