/*
 * Tar archives built in memory for unit tests (libarchive's writer): a list of entries,
 * each a directory, a regular file or a symlink, optionally gzip-compressed, and a scratch
 * directory to unpack them into. Used by the unpacker's tests (util) and the artifact
 * download's (source).
 */
#ifndef TIDE_TEST_TAR_FIXTURE_H
#define TIDE_TEST_TAR_FIXTURE_H

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ent {
	const char *name;
	const char *body; /* NULL: directory; "->x": symlink to x */
};

static unsigned char tarbuf[1 << 20];
static size_t tarlen;

static void make_tar(const struct ent *e, size_t n, bool gz)
{
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	if (gz)
		archive_write_add_filter_gzip(a);
	archive_write_open_memory(a, tarbuf, sizeof tarbuf, &tarlen);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *x = archive_entry_new();
		archive_entry_set_pathname(x, e[i].name);
		if (!e[i].body) {
			archive_entry_set_filetype(x, AE_IFDIR);
			archive_entry_set_perm(x, 0755);
		} else if (!strncmp(e[i].body, "->", 2)) {
			archive_entry_set_filetype(x, AE_IFLNK);
			archive_entry_set_symlink(x, e[i].body + 2);
		} else {
			archive_entry_set_filetype(x, AE_IFREG);
			archive_entry_set_perm(x, 0644);
			archive_entry_set_size(x, (la_int64_t)strlen(e[i].body));
		}
		archive_write_header(a, x);
		if (e[i].body && strncmp(e[i].body, "->", 2))
			archive_write_data(a, e[i].body, strlen(e[i].body));
		archive_entry_free(x);
	}
	archive_write_close(a);
	archive_write_free(a);
}


/* The scratch directory of the current test: fresh() makes one, cleanup() removes it, has()
 * says whether dir/rel holds exactly want. */
static char dir[64];
static void fresh(void)
{
	snprintf(dir, sizeof dir, "/tmp/tide_test.XXXXXX");
	if (!mkdtemp(dir))
		abort();
}
static void cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd)) {
	}
}
static bool has(const char *rel, const char *want)
{
	char p[256], got[256] = "";
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	FILE *f = fopen(p, "r");
	if (!f)
		return false;
	size_t n = fread(got, 1, sizeof got - 1, f);
	fclose(f);
	got[n] = 0;
	return strcmp(got, want) == 0;
}

#endif
