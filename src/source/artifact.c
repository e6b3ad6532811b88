/* Deterministic source tarballs and Flux's artifact naming; see artifact.h. */
#include "source/artifact.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct artifact_writer {
	struct archive *a;
	struct artifact_limits lim;
	char *path;
	struct storage_file *f; /* the atomic file, hashing as it goes */
	int failed;             /* a write to f failed: its code and message kept here */
	char *werr;
	uint64_t bytes; /* file bytes archived */
	size_t files;
};

/* libarchive's output callback: the compressed bytes go to the file and into the digest at
 * once (storage_file), so the tarball is never read back. */
static la_ssize_t write_cb(struct archive *a, void *data, const void *buf, size_t len)
{
	struct artifact_writer *w = data;
	int rc = storage_file_write(w->f, buf, len);
	if (rc) {
		w->failed = rc;
		free(w->werr);
		w->werr = xstrdup(err_msg());
		archive_set_error(a, EIO, "%s", w->werr);
		return -1;
	}
	return (la_ssize_t)len;
}

static void writer_free(struct artifact_writer *w)
{
	if (w->a)
		archive_write_free(w->a);
	storage_file_abort(w->f);
	free(w->werr);
	free(w->path);
	free(w);
}

void artifact_writer_abort(struct artifact_writer *w)
{
	if (w)
		writer_free(w);
}

int artifact_writer_open(struct artifact_writer **out, const char *out_path,
			 const struct artifact_limits *lim)
{
	struct artifact_writer *w = xcalloc(1, sizeof(*w));
	w->path = xstrdup(out_path);
	if (lim)
		w->lim = *lim;
	int rc = storage_file_create(&w->f, out_path);
	if (rc) {
		writer_free(w);
		return rc;
	}
	w->a = archive_write_new();
	/* pax-restricted keeps plain ustar headers for ordinary names; gzip without a timestamp
	 * or file name keeps the bytes reproducible; gzip's default level 6 is Go's default
	 * too (Flux's gzip.NewWriter). The last 10 KiB block is not padded, as libarchive does
	 * for a regular file opened by name (which is how earlier artifacts were written: the
	 * same tree keeps its digest). */
	if (archive_write_set_format_pax_restricted(w->a) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(w->a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(w->a, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(w->a, 1) != ARCHIVE_OK ||
	    archive_write_open2(w->a, w, NULL, write_cb, NULL, NULL) != ARCHIVE_OK) {
		rc = err_set(ERR_GENERIC, "create '%s': %s", out_path, archive_error_string(w->a));
		artifact_writer_abort(w);
		return rc;
	}
	*out = w;
	return 0;
}

static int header(struct artifact_writer *w, struct archive_entry *e, const char *rel)
{
	int rc = 0;
	if (archive_write_header(w->a, e) != ARCHIVE_OK)
		rc = err_set(ERR_GENERIC, "tar header '%s': %s", rel, archive_error_string(w->a));
	archive_entry_free(e);
	return rc;
}

int artifact_writer_dir(struct artifact_writer *w, const char *rel)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, rel);
	archive_entry_set_filetype(e, AE_IFDIR);
	archive_entry_set_perm(e, 0755);
	return header(w, e, rel);
}

int artifact_writer_file(struct artifact_writer *w, const char *rel, int executable,
			 uint64_t size)
{
	if (w->lim.max_files && ++w->files > w->lim.max_files)
		return err_set(ERR_TOOBIG, "artifact has more than %zu files", w->lim.max_files);
	w->bytes += size;
	if (w->lim.max_bytes && w->bytes > w->lim.max_bytes)
		return err_set(ERR_TOOBIG, "artifact exceeds the size limit of %llu bytes",
			       (unsigned long long)w->lim.max_bytes);
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, rel);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, executable ? 0744 : 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	return header(w, e, rel);
}

int artifact_writer_data(struct artifact_writer *w, const void *data, size_t len)
{
	if (len && archive_write_data(w->a, data, len) != (la_ssize_t)len)
		return w->failed ? err_set(w->failed, "%s", w->werr)
				 : err_set(ERR_GENERIC, "tar '%s': %s", w->path, archive_error_string(w->a));
	return 0;
}

int artifact_writer_close(struct artifact_writer *w, struct artifact_info *info)
{
	int rc = 0;
	if (archive_write_close(w->a) != ARCHIVE_OK || w->failed)
		rc = w->failed ? err_set(w->failed, "%s", w->werr)
			       : err_set(ERR_GENERIC, "write '%s': %s", w->path, archive_error_string(w->a));
	if (rc) {
		artifact_writer_abort(w);
		return rc;
	}
	struct storage_file *f = w->f;
	w->f = NULL;
	writer_free(w);
	return storage_file_commit(f, info);
}

/* ---- Archiving a directory ---------------------------------------------------------------*/

struct walk {
	struct artifact_writer *w;
	const struct ignore_rules *ign;
};

static int cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int add_file(struct walk *w, int dfd, const char *name, const char *rel, const struct stat *st)
{
	int rc = artifact_writer_file(w->w, rel, (st->st_mode & 0111) != 0, (uint64_t)st->st_size);
	if (rc)
		return rc;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_set(ERR_GENERIC, "open '%s': %s", rel, strerror(errno));
	char chunk[65536];
	off_t left = st->st_size;
	while (left > 0 && rc == 0) {
		ssize_t n = read(fd, chunk, sizeof(chunk) < (size_t)left ? sizeof(chunk) : (size_t)left);
		if (n <= 0)
			rc = err_set(ERR_GENERIC, "read '%s': %s", rel, n < 0 ? strerror(errno) : "file shrank");
		else if ((rc = artifact_writer_data(w->w, chunk, (size_t)n)) == 0)
			left -= n;
	}
	close(fd);
	return rc;
}

static int walk_dir(struct walk *w, int dfd, const char *prefix)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return err_set(ERR_GENERIC, "opendir '%s': %s", *prefix ? prefix : ".", strerror(errno));
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		names = xgrow(names, &cap, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *rel = *prefix ? xasprintf("%s/%s", prefix, names[i]) : xstrdup(names[i]);
		struct stat st;
		if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = err_set(ERR_GENERIC, "stat '%s': %s", rel, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			if (!w->ign || !ignore_match(w->ign, rel, 1)) {
				rc = artifact_writer_dir(w->w, rel);
				int sub = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (rc == 0 && sub < 0)
					rc = err_set(ERR_GENERIC, "open '%s': %s", rel, strerror(errno));
				else if (rc == 0)
					rc = walk_dir(w, sub, rel);
				else if (sub >= 0)
					close(sub);
			}
		} else if (S_ISREG(st.st_mode)) {
			if (!w->ign || !ignore_match(w->ign, rel, 0))
				rc = add_file(w, dirfd(d), names[i], rel, &st);
		}
		/* symlinks, devices, sockets, fifos: skipped, as Flux does */
		free(rel);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

int artifact_archive(const char *dir, const struct ignore_rules *ign, const struct artifact_limits *lim,
		     const char *out_path, struct artifact_info *info)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return err_set(ERR_GENERIC, "open '%s': %s", dir, strerror(errno));
	struct walk w = {.ign = ign};
	int rc = artifact_writer_open(&w.w, out_path, lim);
	if (rc) {
		close(dfd);
		return rc;
	}
	rc = walk_dir(&w, dfd, "");
	if (rc) {
		artifact_writer_abort(w.w);
		return rc;
	}
	return artifact_writer_close(w.w, info);
}

char *artifact_revision(const char *ref, const char *sha1_hex)
{
	if (!ref || !*ref)
		return xasprintf("sha1:%s", sha1_hex);
	return xasprintf("%s@sha1:%s", ref, sha1_hex);
}
