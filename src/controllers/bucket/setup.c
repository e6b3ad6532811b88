/*
 * The Bucket controller's settings and per-process state: the storage flags and the
 * artifact service every source kind shares (controllers/common/storage.h), registered from
 * the kinds table (controllers/table.c).
 */
#include <stdlib.h>

#include "controllers/bucket/bucket.h"
#include "controllers/common/options.h"
#include "controllers/common/storage.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const struct ctl_gate gates[] = {
	{ "ObjectLevelWorkloadIdentity", NULL },
	{ "CacheSecretsAndConfigMaps", NULL },
	{ 0 },
};

const struct ctl_options bucket_options = { ctl_storage_flags, gates };

int bucket_setup(struct rt_manager *m, void **data)
{
	(void)m;
	struct bucket_ctl *ctl = xcalloc(1, sizeof(*ctl));
	int rc = ctl_storage_acquire(&ctl->svc);
	if (rc) {
		free(ctl);
		return rc;
	}
	ctl->st = ctl->svc->st;
	*data = ctl;
	return 0;
}

void bucket_teardown(void *data)
{
	struct bucket_ctl *ctl = data;
	if (!ctl)
		return;
	ctl_storage_release(ctl->svc);
	free(ctl);
}
