/*
 * libFuzzer target: semver versions and constraints (spec.ref.semver comes from users). The
 * first line is a constraint, the rest are candidate tag names. Nothing may crash, comparison
 * must be reflexive and antisymmetric, and the chosen tag must satisfy the constraint.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util/semver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size, 4096);
	if (!s)
		return 0;
	const char *names[64];
	size_t n = 0;
	char *line = s, *nl;
	while ((nl = strchr(line, '\n')) && n < 64) {
		*nl = '\0';
		names[n++] = line;
		line = nl + 1;
	}
	if (n < 64)
		names[n++] = line;
	struct semver a, b;
	for (size_t i = 0; i + 1 < n; i++) {
		if (semver_parse(names[i], &a) == 0 && semver_parse(names[i + 1], &b) == 0) {
			if (semver_compare(&a, &a) != 0 || semver_compare(&a, &b) != -semver_compare(&b, &a))
				abort();
		}
	}
	struct semver_constraint *c;
	if (semver_constraint_parse(names[0], &c) == 0) {
		long i = semver_latest(c, names + 1, n - 1);
		if (i >= 0) {
			if (semver_parse(names[1 + i], &a) != 0 || !semver_constraint_check(c, &a))
				abort();
		}
		semver_constraint_free(c);
	}
	free(s);
	return 0;
}
