/*
 * What the libFuzzer targets that read their input as text share.
 */
#ifndef TIDE_FUZZ_H
#define TIDE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The input as a NUL-terminated heap string (the caller frees it), or NULL when it is longer
 * than cap bytes (the target skips it: longer inputs find nothing new, only slower). */
static inline char *fuzz_string(const uint8_t *data, size_t size, size_t cap)
{
	if (size > cap)
		return NULL;
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
