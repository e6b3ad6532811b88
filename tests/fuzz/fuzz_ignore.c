/*
 * libFuzzer target: .sourceignore / spec.ignore text (user input). The input is pattern text,
 * then a line "---", then paths to match (a trailing '/' marks a directory). Nothing may
 * crash or leak; matching must be deterministic.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "source/ignore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size, 4096);
	if (!s)
		return 0;
	char *sep = strstr(s, "\n---\n");
	size_t plen = sep ? (size_t)(sep - s) : size;
	struct ignore_rules *r = ignore_new();
	ignore_add(r, "", s, plen);
	ignore_add(r, "sub/dir", s, plen);
	if (sep) {
		char *line = sep + 5, *nl;
		int n = 0;
		do {
			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			size_t l = strlen(line);
			int dir = l > 0 && line[l - 1] == '/';
			if (dir)
				line[l - 1] = '\0';
			if (ignore_match(r, line, dir) != ignore_match(r, line, dir))
				abort();
			line = nl ? nl + 1 : NULL;
		} while (line && ++n < 64);
	}
	ignore_free(r);
	free(s);
	return 0;
}
