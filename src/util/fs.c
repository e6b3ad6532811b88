/* Capped reads, atomic writes, mkdir -p / rm -rf and root-confined paths (see fs.h). */
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

static int read_file(const char *path, size_t max, bool regular_only, struct buf *out)
{
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, and a
	 * device's open may wait too; the type is checked on the open descriptor (no race
	 * with a rename between a stat and the open). */
	int fd = open(path, O_RDONLY | O_CLOEXEC | (regular_only ? O_NONBLOCK : 0));
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return err_set(ERR_NOTFOUND, "'%s': no such file", path);
		return err_set(ERR_IO, "'%s': %s", path, strerror(errno));
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return err_set(ERR_IO, "'%s': is a directory", path);
	}
	if (regular_only && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		return err_set(ERR_INVALID, "'%s': not a regular file", path);
	}
	size_t start = out->len;
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			return err_set(ERR_IO, "'%s': %s", path, strerror(e));
		}
		if (n == 0)
			break;
		if (max && out->len - start + (size_t)n > max) {
			close(fd);
			return err_set(ERR_TOOBIG, "'%s': larger than %zu bytes", path, max);
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

int fs_read_file(const char *path, size_t max, struct buf *out)
{
	return read_file(path, max, false, out);
}

int fs_read_regular_file(const char *path, size_t max, struct buf *out)
{
	return read_file(path, max, true, out);
}

int fs_write_atomic(const char *path, const void *data, size_t len, int mode)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		int rc = err_set(ERR_IO, "'%s': %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int rc = err_set(ERR_IO, "'%s': %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			free(tmp);
			return rc;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		int rc = err_set(ERR_IO, "'%s': %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return rc;
	}
	free(tmp);
	return 0;
}

int fs_join_confined(char **out, const char *root, const char *rel)
{
	*out = NULL;
	if (rel[0] == '/')
		return err_set(ERR_ESCAPE, "'%s': absolute path not allowed", rel);
	/* Normalise rel into a stack of components. */
	struct buf b = BUF_INIT;
	size_t depth = 0;
	const char *p = rel;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* skip */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (depth == 0) {
				buf_release(&b);
				return err_set(ERR_ESCAPE, "'%s': path leaves its root", rel);
			}
			char *slash = strrchr(b.ptr, '/');
			b.len = slash ? (size_t)(slash - b.ptr) : 0;
			b.ptr[b.len] = '\0';
			depth--;
		} else {
			if (b.len)
				buf_addch(&b, '/');
			buf_add(&b, p, n);
			depth++;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	if (b.len)
		*out = xasprintf("%s/%s", root, b.ptr);
	else
		*out = xstrdup(root);
	buf_release(&b);
	return 0;
}

int fs_resolve_in_root(char **out, const char *root, const char *path)
{
	*out = NULL;
	char rroot[PATH_MAX], rpath[PATH_MAX];
	if (!realpath(root, rroot))
		return err_set(errno == ENOENT ? ERR_NOTFOUND : ERR_IO, "'%s': %s", root, strerror(errno));
	if (!realpath(path, rpath))
		return err_set(errno == ENOENT ? ERR_NOTFOUND : ERR_IO, "'%s': %s", path, strerror(errno));
	size_t n = strlen(rroot);
	if (strncmp(rpath, rroot, n) != 0 || (rpath[n] != '/' && rpath[n] != '\0' && strcmp(rroot, "/")))
		return err_set(ERR_ESCAPE, "'%s': resolves outside '%s'", path, root);
	*out = xstrdup(rpath);
	return 0;
}

char *fs_cache_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME");
	if (x && *x)
		return xstrdup(x);
	const char *h = getenv("HOME");
	return xasprintf("%s/.cache", h && *h ? h : "/tmp");
}

int fs_mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return err_set(ERR_INVALID, "path too long: '%s'", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return err_set(ERR_IO, "failed to create directory '%s': %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
		return err_set(ERR_IO, "failed to create directory '%s': %s", tmp, strerror(errno));
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void fs_rm_rf(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}
