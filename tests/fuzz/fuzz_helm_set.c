/*
 * libFuzzer target: helm's --set parser (src/helm/strvals.c; flags come from users and
 * from HelmRelease-like inputs). The first byte picks the flag (--set, --set-string,
 * --set-json, --set-literal; --set-file is left out, it reads files), the rest is the
 * argument, applied twice to one map so that the second pass meets the first's values
 * (the type-assertion paths). Nothing may crash or leak; the result is always a map.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "helm/values.h"
#include "template/value.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const enum helm_set_kind kinds[] = { HELM_SET, HELM_SET_STRING, HELM_SET_JSON,
						    HELM_SET_LITERAL };
	enum helm_set_kind kind = kinds[data[0] % 4];
	char *s = fuzz_string(data + 1, size - 1, 8192);
	if (!s)
		return 0;
	struct arena *a = arena_new();
	struct tv *m = tv_map_new(a);
	helm_values_apply_set(a, m, kind, s);
	helm_values_apply_set(a, m, kind, s);
	if (m->kind != TV_MAP)
		abort();
	arena_free(a);
	free(s);
	return 0;
}
