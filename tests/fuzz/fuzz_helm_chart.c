/*
 * libFuzzer target: chart archives (src/helm/chart.c; a HelmChart artifact or a chart's
 * charts/ .tgz files are tenant input). The bytes are given to helm_chart_load_archive under
 * small caps; a chart that loads is coalesced with empty user values and validated
 * against its own schema, so Chart.yaml, values.yaml, requirements and the schema
 * interpreter are reached too. Nothing may crash, leak or run away.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "helm/chart.h"
#include "helm/values.h"
#include "template/value.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1 << 20))
		return 0;
	struct helm_load_limits lim = { 0 };
	lim.max_archive_bytes = 1 << 20;
	lim.max_total_bytes = 4 << 20;
	lim.max_file_bytes = 1 << 20;
	lim.max_files = 500;
	lim.max_depth = 4;
	struct arena *a = arena_new();
	struct helm_chart *c;
	if (helm_chart_load_archive(a, data, size, &lim, &c) == 0) {
		if (!c || !c->metadata.name)
			abort();
		struct tv *vals;
		if (helm_values_coalesce(a, c, tv_map_new(a), &vals) == 0)
			helm_values_validate(a, c, vals);
	}
	arena_free(a);
	return 0;
}
