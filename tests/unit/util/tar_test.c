/*
 * util/tar: archives written by libarchive in each format Go's archive/tar reads (ustar,
 * PAX, GNU, v7), gzip'd or plain, read back entry by entry; long names; links and
 * directories without bodies; malformed archives and the caps refused.
 */
#include "test.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdlib.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/tar.h"

static char big_name[300];

/* An archive in the given libarchive format, gzip'd or not, into out (malloc'd). */
static size_t make_archive(int format, bool gz, char **out)
{
	size_t cap = 1 << 20, len = 0;
	char *mem = malloc(cap);
	struct archive *w = archive_write_new();
	archive_write_set_format(w, format);
	if (gz)
		archive_write_add_filter_gzip(w);
	archive_write_open_memory(w, mem, cap, &len);
	struct {
		const char *name;
		int type;
		const char *body;
	} e[] = {
		{ "chart/", AE_IFDIR, NULL },
		{ "chart/Chart.yaml", AE_IFREG, "name: c\nversion: 1.0.0\n" },
		{ "chart/link", AE_IFLNK, "Chart.yaml" },
		{ "chart/templates/empty.yaml", AE_IFREG, "" },
		{ big_name, AE_IFREG, "deep" },
	};
	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		struct archive_entry *x = archive_entry_new();
		archive_entry_set_pathname(x, e[i].name);
		archive_entry_set_filetype(x, (unsigned)e[i].type);
		archive_entry_set_perm(x, 0644);
		if (e[i].type == AE_IFLNK)
			archive_entry_set_symlink(x, e[i].body);
		if (e[i].type == AE_IFREG)
			archive_entry_set_size(x, (la_int64_t)strlen(e[i].body));
		archive_write_header(w, x);
		if (e[i].type == AE_IFREG)
			archive_write_data(w, e[i].body, strlen(e[i].body));
		archive_entry_free(x);
	}
	archive_write_close(w);
	archive_write_free(w);
	*out = mem;
	return len;
}

static int collect(void *ctx, const struct tar_entry *e)
{
	struct buf *b = ctx;
	static const char types[] = "fdslo";
	buf_addf(b, "%c %s", types[e->type], e->name);
	if (e->type == TAR_FILE)
		buf_addf(b, " [%.*s]", (int)e->size, (const char *)e->data);
	buf_addch(b, '\n');
	return 0;
}

TEST(reads_every_format_go_reads)
{
	memset(big_name, 0, sizeof(big_name));
	strcpy(big_name, "chart/");
	for (size_t i = 6; i < 200; i++)
		big_name[i] = i % 10 == 9 ? '/' : 'a';
	strcat(big_name, "x.txt");
	char want[1024];
	snprintf(want, sizeof(want),
		 "d chart/\nf chart/Chart.yaml [name: c\nversion: 1.0.0\n]\ns chart/link\n"
		 "f chart/templates/empty.yaml []\nf %s [deep]\n",
		 big_name);
	int formats[] = { ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FORMAT_TAR_USTAR,
			  ARCHIVE_FORMAT_TAR_GNUTAR, ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE };
	for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		for (int gz = 0; gz < 2; gz++) {
			char *mem;
			size_t len = make_archive(formats[f], gz, &mem);
			struct buf b = BUF_INIT;
			int rc = tar_each(mem, len, NULL, collect, &b);
			CHECK_INT(rc, 0);
			CHECK_STR(b.ptr, want);
			buf_release(&b);
			free(mem);
		}
	}
}

TEST(refuses_malformed_archives_and_caps)
{
	char *mem;
	size_t len = make_archive(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, false, &mem);
	struct buf b = BUF_INIT;
	mem[10] ^= 1; /* the first header's checksum no longer matches */
	CHECK_INT(tar_each(mem, len, NULL, collect, &b), ERR_INVALID);
	mem[10] ^= 1;
	CHECK_INT(tar_each(mem, 700, NULL, collect, &b), ERR_INVALID); /* a body cut short */
	struct tar_limits few = { 0, 2 };
	CHECK_INT(tar_each(mem, len, &few, collect, &b), ERR_TOOBIG);
	free(mem);
	len = make_archive(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, true, &mem);
	struct tar_limits small = { 1024, 0 };
	CHECK_INT(tar_each(mem, len, &small, collect, &b), ERR_TOOBIG); /* inflates past 1 KiB */
	CHECK_INT(tar_each(mem, len / 2, NULL, collect, &b), ERR_INVALID); /* a truncated stream */
	free(mem);
	buf_release(&b);
	CHECK_INT(tar_each("", 0, NULL, collect, &b), 0); /* nothing: no entries */
}

int main(void)
{
	RUN(reads_every_format_go_reads);
	RUN(refuses_malformed_archives_and_caps);
	return test_done();
}
