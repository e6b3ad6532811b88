/* Confined tar unpacking; see untar.h. */
#include "util/untar.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/banned.h"

#define MIB ((size_t)1 << 20)

static size_t lim_or(size_t v, size_t def) { return v ? v : def; }

/* Rejects what could leave the root: absolute names and ".." components. "./a" is fine. */
static int check_name(const char *name)
{
	if (!name || !*name)
		return err_set(ERR_INVALID, "tar entry with an empty name");
	if (name[0] == '/')
		return err_set(ERR_ESCAPE, "tar entry '%s': absolute path", name);
	for (const char *p = name; *p;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return err_set(ERR_ESCAPE, "tar entry '%s': path leaves the root", name);
		p += n;
		while (*p == '/')
			p++;
	}
	return 0;
}

/* mkdir -p of the parents of rel (relative to dirfd-less dest path). */
static int make_parents(const char *dest, const char *rel, bool include_last)
{
	char path[4096];
	int n = snprintf(path, sizeof path, "%s/%s", dest, rel);
	if (n < 0 || (size_t)n >= sizeof path)
		return err_set(ERR_TOOBIG, "tar entry '%s': path too long", rel);
	size_t start = strlen(dest) + 1;
	for (size_t i = start; path[i]; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return err_set(ERR_IO, "mkdir '%s': %s", path + start, strerror(errno));
		path[i] = '/';
	}
	if (include_last && mkdir(path, 0755) && errno != EEXIST)
		return err_set(ERR_IO, "mkdir '%s': %s", rel, strerror(errno));
	return 0;
}

/* Unpacks the opened archive (path: the file's name, or NULL for memory). */
static int unpack(const void *data, size_t len, const char *file, const char *dest,
		  const struct untar_limits *lim)
{
	size_t max_bytes = lim_or(lim ? lim->max_bytes : 0, 100 * MIB);
	size_t max_files = lim_or(lim ? lim->max_entries : 0, 100000);
	struct archive *ar = archive_read_new();
	/* gzip only: other filters may run external programs (lrzip, lzop, grzip). */
	archive_read_support_filter_gzip(ar);
	archive_read_support_format_tar(ar);
	int rc = 0;
	if ((file ? archive_read_open_filename(ar, file, 65536)
		  : archive_read_open_memory(ar, data, len)) != ARCHIVE_OK) {
		rc = err_set(ERR_INVALID, "failed to read the artifact archive: %s",
			     archive_error_string(ar));
		goto out;
	}
	size_t total = 0, files = 0;
	struct archive_entry *e;
	char blk[65536];
	for (;;) {
		int r = archive_read_next_header(ar, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			rc = err_set(ERR_INVALID, "failed to read the artifact archive: %s",
				     archive_error_string(ar));
			goto out;
		}
		if (++files > max_files) {
			rc = err_set(ERR_TOOBIG, "tar has more than %zu entries", max_files);
			goto out;
		}
		const char *name = archive_entry_pathname(e);
		if ((rc = check_name(name)))
			goto out;
		mode_t type = archive_entry_filetype(e);
		if (type == AE_IFDIR) {
			if ((rc = make_parents(dest, name, true)))
				goto out;
			continue;
		}
		/* Symlinks, hard links, devices: skipped, as Flux's artifacts never hold them. */
		if (type != AE_IFREG || archive_entry_hardlink(e))
			continue;
		if ((rc = make_parents(dest, name, false)))
			goto out;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dest, name);
		mode_t mode = (archive_entry_perm(e) & 0111) ? 0755 : 0644;
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd < 0) {
			rc = err_set(ERR_IO, "create '%s': %s", name, strerror(errno));
			goto out;
		}
		for (;;) {
			la_ssize_t n = archive_read_data(ar, blk, sizeof blk);
			if (n == 0)
				break;
			if (n < 0) {
				rc = err_set(ERR_INVALID, "tar entry '%s': %s", name, archive_error_string(ar));
				break;
			}
			total += (size_t)n;
			if (total > max_bytes) {
				rc = err_set(ERR_TOOBIG, "tar is larger than %zu bytes (max untar size)",
					     max_bytes);
				break;
			}
			if (write(fd, blk, (size_t)n) != n) {
				rc = err_set(ERR_IO, "write '%s': %s", name, strerror(errno));
				break;
			}
		}
		close(fd);
		if (rc)
			goto out;
	}
out:
	archive_read_free(ar);
	return rc;
}

int untar_to_dir(const void *data, size_t len, const char *dest, const struct untar_limits *lim)
{
	return unpack(data, len, NULL, dest, lim);
}

int untar_file_to_dir(const char *file, const char *dest, const struct untar_limits *lim)
{
	return unpack(NULL, 0, file, dest, lim);
}
