/*
 * libFuzzer target: the tar unpacker (util/untar; a source server's tarball is outside
 * input). Nothing may crash or leak, and nothing may be written outside the fresh
 * destination directory: every entry the unpacker creates must resolve under it (checked
 * with realpath).
 */
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/untar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64], real_root[4096];

static int check(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)type;
	(void)f;
	char r[4096];
	if (realpath(p, r) && strncmp(r, real_root, strlen(real_root)) != 0)
		abort();
	return 0;
}

/* One pass: check, then remove (depth first), keeping the root for the next input. */
static int check_rm(const char *p, const struct stat *st, int type, struct FTW *f)
{
	check(p, st, type, f);
	return f->level > 0 ? remove(p) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	/* A root made once and emptied after each input: a directory per input would make the
	 * target I/O-bound. */
	if (!root[0]) {
		snprintf(root, sizeof root, "/tmp/fuzz_untar.XXXXXX");
		if (!mkdtemp(root) || !realpath(root, real_root))
			abort();
	}
	struct untar_limits lim = { .max_bytes = 1 << 20, .max_entries = 256 };
	(void)untar_to_dir(data, size, root, &lim);
	nftw(root, check_rm, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
