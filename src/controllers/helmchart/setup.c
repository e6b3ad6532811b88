/*
 * The HelmChart controller's settings and per-process state: the storage flags with
 * --helm-chart-max-size and --helm-chart-file-max-size (Flux's names and defaults), the
 * artifact service every source kind shares, and the watches on the three source kinds
 * (a new artifact revision of the source queues the charts built from it).
 */
#include <stdlib.h>

#include "controllers/common/options.h"
#include "controllers/common/watchindex.h"
#include "controllers/helmchart/helmchart.h"
#include "util/xalloc.h"
#include "util/banned.h"

long helmchart_max_size = 10L << 20;
long helmchart_file_max_size = 5L << 20;

static const struct ctl_option own_flags[] = {
	{ "helm-chart-max-size", CTL_OPT_INT, &helmchart_max_size,
	  "The max allowed size in bytes of a Helm chart file.", "10485760" },
	{ "helm-chart-file-max-size", CTL_OPT_INT, &helmchart_file_max_size,
	  "The max allowed size in bytes of a file in a Helm chart.", "5242880" },
	{ 0 },
};

const struct ctl_options helmchart_options = { ctl_storage_flags, NULL, own_flags };

int helmchart_setup(struct rt_manager *m, void **data)
{
	(void)m;
	struct helmchart_ctl *ctl = xcalloc(1, sizeof(*ctl));
	int rc = ctl_storage_acquire(&ctl->svc);
	if (rc) {
		free(ctl);
		return rc;
	}
	ctl->st = ctl->svc->st;
	*data = ctl;
	return 0;
}

void helmchart_teardown(void *data)
{
	struct helmchart_ctl *ctl = data;
	if (!ctl)
		return;
	ctl_storage_release(ctl->svc);
	free(ctl);
}

static const struct ctl_source_index by_source_ref = { "spec.sourceRef" };

const struct rt_watch helmchart_watches[] = {
	CTL_WATCH_SOURCE("HelmRepository", &by_source_ref),
	CTL_WATCH_SOURCE("GitRepository", &by_source_ref),
	CTL_WATCH_SOURCE("Bucket", &by_source_ref),
	{ 0 },
};
