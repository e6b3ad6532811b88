/*
 * libFuzzer target: a Helm repository index as a chart repository serves it (untrusted).
 * Nothing may crash; a parsed index answers version choices with an entry of its own or a
 * documented error.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "helm/repoindex.h"
#include "util/arena.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1 << 16))
		return 0;
	struct arena *a = arena_new();
	const struct doc_node *idx = NULL;
	if (helm_index_parse(a, (const char *)data, size, 0, &idx) == 0) {
		static const char *const names[] = { "a", "podinfo", "" };
		static const char *const vers[] = { "", "*", ">=1.0.0", "1.0.0", "~0.1", "not a range" };
		for (size_t i = 0; i < 3; i++)
			for (size_t j = 0; j < 6; j++) {
				struct helm_index_entry e;
				int rc = helm_index_get(a, idx, names[i], vers[j], &e);
				if (rc == 0 && (!e.node || !e.name))
					abort();
				if (rc && rc != ERR_NOTFOUND && rc != ERR_INVALID)
					abort();
			}
	}
	err_clear();
	arena_free(a);
	return 0;
}
