/*
 * The GitRepository controller's settings and per-process state: source-controller's
 * storage flags and the artifact service every source kind shares
 * (controllers/common/storage.h), registered from the kinds table (controllers/table.c).
 */
#include <stdlib.h>

#include "controllers/common/options.h"
#include "controllers/common/storage.h"
#include "controllers/gitrepository/gitrepository.h"
#include "util/xalloc.h"
#include "util/banned.h"

const struct ctl_options gitrepository_options = { ctl_storage_flags, NULL };

int gitrepo_setup(struct rt_manager *m, void **data)
{
	(void)m;
	struct gitrepo_ctl *ctl = xcalloc(1, sizeof(*ctl));
	int rc = ctl_storage_acquire(&ctl->svc);
	if (rc) {
		free(ctl);
		return rc;
	}
	ctl->st = ctl->svc->st;
	*data = ctl;
	return 0;
}

void gitrepo_teardown(void *data)
{
	struct gitrepo_ctl *ctl = data;
	if (!ctl)
		return;
	ctl_storage_release(ctl->svc);
	free(ctl);
}
