/*
 * libFuzzer target: Go durations (spec.interval, spec.timeout and the like come from users'
 * objects). Nothing may crash; a parsed duration, written back with duration_format,
 * must parse to the same value.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/duration.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256)
		return 0;
	char s[257];
	memcpy(s, data, size);
	s[size] = '\0';
	int64_t ms;
	if (duration_parse(s, &ms) != 0)
		return 0;
	char out[64];
	duration_format(out, sizeof(out), ms);
	int64_t again;
	if (duration_parse(out, &again) != 0 || again != ms)
		abort();
	return 0;
}
