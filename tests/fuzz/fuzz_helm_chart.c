/*
 * libFuzzer target: chart archives (src/helm/chart.c; a HelmChart artifact or a chart's
 * charts/ .tgz files are tenant input). The first byte picks the layer: 0 the bytes are the
 * archive; 1 the bytes are files ("name\0contents\0" repeated) that the target packs into
 * a gzipped tar under "c/", so the fuzzer reaches Chart.yaml, values.yaml, requirements,
 * the schema and the subcharts without having to find gzip. The archive is loaded under
 * small caps; a chart that loads is coalesced with empty user values and validated
 * against its own schema. Nothing may crash, leak or run away.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "helm/chart.h"
#include "helm/values.h"
#include "template/value.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned char packed[1 << 21];

/* Packs "name\0contents\0..." into a gzipped tar under "c/"; returns its length. */
static size_t pack(const uint8_t *data, size_t size)
{
	size_t used = 0;
	struct archive *w = archive_write_new();
	archive_write_set_format_pax_restricted(w);
	archive_write_add_filter_gzip(w);
	archive_write_open_memory(w, packed, sizeof packed, &used);
	size_t i = 0;
	while (i < size) {
		const uint8_t *name = data + i;
		const uint8_t *nz = memchr(name, 0, size - i);
		if (!nz)
			break;
		size_t body = (size_t)(nz - data) + 1;
		const uint8_t *bz = memchr(data + body, 0, size - body);
		size_t blen = bz ? (size_t)(bz - (data + body)) : size - body;
		char path[512];
		int pn = snprintf(path, sizeof path, "c/%s", (const char *)name);
		if (pn > 0 && (size_t)pn < sizeof path) {
			struct archive_entry *e = archive_entry_new();
			archive_entry_set_pathname(e, path);
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_size(e, (la_int64_t)blen);
			archive_write_header(w, e);
			archive_write_data(w, data + body, blen);
			archive_entry_free(e);
		}
		i = body + blen + 1;
	}
	archive_write_close(w);
	archive_write_free(w);
	return used;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > (1 << 20))
		return 0;
	if (data[0] & 1) {
		size = pack(data + 1, size - 1);
		data = packed;
	} else {
		data++;
		size--;
	}
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
