/*
 * The HelmRepository controller's settings and per-process state: the storage flags with
 * --helm-index-max-size, and the artifact service every source kind shares.
 */
#include <stdlib.h>

#include "controllers/common/options.h"
#include "controllers/helmrepository/helmrepository.h"
#include "util/xalloc.h"
#include "util/banned.h"

long helmrepo_index_max_size = 50L << 20;

static const struct ctl_option own_flags[] = {
	{ "helm-index-max-size", CTL_OPT_INT, &helmrepo_index_max_size,
	  "The max allowed size in bytes of a HelmRepository index file.", "52428800" },
	{ 0 },
};

const struct ctl_options helmrepository_options = { ctl_storage_flags, NULL, own_flags };

int helmrepo_setup(struct rt_manager *m, void **data)
{
	(void)m;
	struct helmrepo_ctl *ctl = xcalloc(1, sizeof(*ctl));
	int rc = ctl_storage_acquire(&ctl->svc);
	if (rc) {
		free(ctl);
		return rc;
	}
	ctl->st = ctl->svc->st;
	*data = ctl;
	return 0;
}

void helmrepo_teardown(void *data)
{
	struct helmrepo_ctl *ctl = data;
	if (!ctl)
		return;
	ctl_storage_release(ctl->svc);
	free(ctl);
}
