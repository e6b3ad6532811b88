/*
 * libFuzzer target: util/tar over arbitrary bytes (gzip'd or plain tar) with small caps.
 * Every entry's name and body must be readable in full; nothing may be read outside the
 * input or the inflated buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch(void *ctx, const struct tar_entry *e)
{
	size_t *sum = ctx;
	*sum += strlen(e->name);
	for (size_t i = 0; i < e->size; i++)
		*sum += ((const unsigned char *)e->data)[i];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tar_limits lim = { 1 << 20, 1000 };
	size_t sum = 0;
	tar_each(data, size, &lim, touch, &sum);
	return 0;
}
