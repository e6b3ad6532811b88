/*
 * Artifact storage (see storage.h): Flux's layout, atomic writes with their digest, flock
 * per object, Flux's garbage collection by TTL and record count, scratch directories that
 * survive nothing but their process, and serving through runtime/http.
 */
#include "source/storage.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/http.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define TMP_SUFFIX ".tmp"

struct storage {
	char *root;
	int64_t ttl_ms;
	int records;
	char *run_dir;  /* <root>/.tmp/run-XXXXXX, removed by storage_free */
	char *run_lock; /* <run_dir>.lock, held (flock) while the process lives */
	int run_lock_fd;
};

struct storage_lock {
	int fd;
};

struct storage_file {
	char *path, *tmp;
	int fd;
	EVP_MD_CTX *md;
	uint64_t size;
};

/* ---- Scratch directories of processes that are gone ------------------------------------*/

/* Removes <tmp>/run-* directories whose lock file no process holds, and what an older tide
 * left directly in .tmp (its checkouts had no run directory). */
static void clean_scratch(const char *tmp)
{
	DIR *d = opendir(tmp);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (!strcmp(n, ".") || !strcmp(n, ".."))
			continue;
		size_t len = strlen(n);
		char *p = xasprintf("%s/%s", tmp, n);
		if (len > 5 && !strcmp(n + len - 5, ".lock")) {
			/* A lock nobody holds: its directory is a dead process's. */
			int fd = open(p, O_RDWR | O_CLOEXEC);
			if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
				char *dir = xstrndup(p, strlen(p) - 5);
				fs_rm_rf(dir);
				free(dir);
				unlink(p);
			}
			if (fd >= 0)
				close(fd);
		} else if (strncmp(n, "run-", 4) != 0) {
			fs_rm_rf(p);
		} else {
			/* run-* without its lock: removed after its lock was, or a crash
			 * between the two; a live process always has the lock first */
			char *lock = xasprintf("%s.lock", p);
			struct stat st;
			if (lstat(lock, &st) != 0)
				fs_rm_rf(p);
			free(lock);
		}
		free(p);
	}
	closedir(d);
}

/* Makes this process's run directory: the lock file first (created, locked, and checked to
 * still be the file at its name, so a concurrent cleaner cannot have removed it), then the
 * directory of the same stem. */
static int make_run_dir(struct storage *s, const char *tmp)
{
	for (int tries = 0; tries < 10; tries++) {
		char *lock = xasprintf("%s/run-XXXXXX.lock", tmp);
		int fd = mkostemps(lock, 5, O_CLOEXEC);
		if (fd < 0) {
			int rc = err_set(ERR_IO, "create '%s': %s", lock, strerror(errno));
			free(lock);
			return rc;
		}
		struct stat a, b;
		if (flock(fd, LOCK_EX) == 0 && fstat(fd, &a) == 0 && stat(lock, &b) == 0 &&
		    a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
			char *dir = xstrndup(lock, strlen(lock) - 5);
			if (mkdir(dir, 0700) == 0) {
				s->run_dir = dir;
				s->run_lock = lock;
				s->run_lock_fd = fd;
				return 0;
			}
			int rc = err_set(ERR_IO, "mkdir '%s': %s", dir, strerror(errno));
			free(dir);
			unlink(lock);
			free(lock);
			close(fd);
			return rc;
		}
		close(fd);
		free(lock);
	}
	return err_set(ERR_IO, "'%s': cannot make a scratch directory", tmp);
}

int storage_open(struct storage **out, const char *root, const struct storage_opts *o)
{
	int rc = fs_mkdir_p(root);
	if (rc)
		return err_set(ERR_IO, "storage path: %s", err_msg());
	char real[PATH_MAX];
	if (!realpath(root, real))
		return err_set(ERR_IO, "storage path '%s': %s", root, strerror(errno));
	struct storage *s = xcalloc(1, sizeof(*s));
	s->root = xstrdup(real);
	s->ttl_ms = o && o->retention_ttl_ms > 0 ? o->retention_ttl_ms : STORAGE_DEFAULT_RETENTION_TTL_MS;
	s->records = o && o->retention_records > 0 ? o->retention_records
						   : STORAGE_DEFAULT_RETENTION_RECORDS;
	s->run_lock_fd = -1;
	char *tmp = xasprintf("%s/.tmp", s->root);
	if ((rc = fs_mkdir_p(tmp)) == 0) {
		clean_scratch(tmp);
		rc = make_run_dir(s, tmp);
	} else {
		rc = err_set(ERR_IO, "storage path: %s", err_msg());
	}
	free(tmp);
	if (rc) {
		storage_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void storage_free(struct storage *s)
{
	if (!s)
		return;
	if (s->run_dir) {
		fs_rm_rf(s->run_dir);
		unlink(s->run_lock);
	}
	if (s->run_lock_fd >= 0)
		close(s->run_lock_fd);
	free(s->run_dir);
	free(s->run_lock);
	free(s->root);
	free(s);
}

const char *storage_root(const struct storage *s)
{
	return s->root;
}

/* ---- Layout ----------------------------------------------------------------------------*/

static char *object_dir(const struct storage *s, const struct storage_object *obj)
{
	char *rel = storage_artifact_path(obj, "");
	char *dir = xasprintf("%s/%s", s->root, rel);
	free(rel);
	dir[strlen(dir) - 1] = '\0'; /* the trailing '/' of the empty file name */
	return dir;
}

char *storage_artifact_path(const struct storage_object *obj, const char *file)
{
	char *k = xstrdup(obj->kind);
	for (char *p = k; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	char *r = xasprintf("%s/%s/%s/%s", k, obj->ns, obj->name, file);
	free(k);
	return r;
}

char *storage_local_path(const struct storage *s, const char *rel)
{
	return xasprintf("%s/%s", s->root, rel);
}

bool storage_exists(const struct storage *s, const char *rel)
{
	char *p = storage_local_path(s, rel);
	struct stat st;
	bool ok = lstat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	return ok;
}

bool storage_owns_path(const struct storage_object *obj, const char *rel)
{
	char *dir = storage_artifact_path(obj, "");
	size_t n = strlen(dir);
	bool ok = rel && !strncmp(rel, dir, n) && rel[n] && rel[n] != '.' && !strchr(rel + n, '/');
	free(dir);
	return ok;
}

int storage_verify(const struct storage *s, const char *rel, const char *digest, int64_t size)
{
	if (!digest || !*digest)
		return err_set(ERR_INVALID, "artifact has no digest");
	const char *colon = strchr(digest, ':');
	char algo[16];
	size_t alen = colon ? (size_t)(colon - digest) : 0;
	const EVP_MD *md = NULL;
	if (alen && alen < sizeof(algo)) {
		memcpy(algo, digest, alen);
		algo[alen] = '\0';
		if (!strcmp(algo, "sha256"))
			md = EVP_sha256();
		else if (!strcmp(algo, "sha384"))
			md = EVP_sha384();
		else if (!strcmp(algo, "sha512"))
			md = EVP_sha512();
		else if (!strcmp(algo, "sha1"))
			md = EVP_sha1();
	}
	size_t hexlen = colon ? strlen(colon + 1) : 0;
	if (!md)
		return err_set(ERR_INVALID, "failed to parse artifact digest '%s': unsupported digest algorithm", digest);
	if (hexlen != 2 * (size_t)EVP_MD_size(md) || strspn(colon + 1, "0123456789abcdef") != hexlen)
		return err_set(ERR_INVALID, "failed to parse artifact digest '%s': invalid checksum digest format", digest);
	char *path = storage_local_path(s, rel);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	int rc = 0;
	if (fd < 0)
		rc = err_set(errno == ENOENT ? ERR_NOTFOUND : ERR_IO, "open %s: %s", path, strerror(errno));
	else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		rc = err_set(ERR_IO, "'%s': not a regular file", path);
	else if (size >= 0 && st.st_size != size)
		rc = err_set(ERR_INVALID, "computed digest doesn't match '%s'", digest);
	if (rc) {
		if (fd >= 0)
			close(fd);
		free(path);
		return rc;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, md, NULL);
	char b[65536];
	for (;;) {
		ssize_t n = read(fd, b, sizeof(b));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = err_set(ERR_IO, "read %s: %s", path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		EVP_DigestUpdate(ctx, b, (size_t)n);
	}
	close(fd);
	free(path);
	unsigned char sum[EVP_MAX_MD_SIZE];
	unsigned int sumlen = 0;
	EVP_DigestFinal_ex(ctx, sum, &sumlen);
	EVP_MD_CTX_free(ctx);
	if (rc)
		return rc;
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	for (unsigned int i = 0; i < sumlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", sum[i]);
	if (strcmp(hex, colon + 1))
		return err_set(ERR_INVALID, "computed digest doesn't match '%s'", digest);
	return 0;
}

int storage_remove(const struct storage *s, const char *rel)
{
	char *path = storage_local_path(s, rel);
	int rc = 0;
	if (unlink(path) != 0 && errno != ENOENT)
		rc = err_set(ERR_IO, "remove '%s': %s", path, strerror(errno));
	free(path);
	return rc;
}

int storage_mkdir(struct storage *s, const struct storage_object *obj)
{
	char *dir = object_dir(s, obj);
	int rc = fs_mkdir_p(dir);
	if (rc)
		rc = err_set(ERR_IO, "%s", err_msg());
	free(dir);
	return rc;
}

/* ---- Locks ----------------------------------------------------------------------------*/

int storage_lock(struct storage *s, const struct storage_object *obj, bool shared,
		 struct storage_lock **out)
{
	int rc = storage_mkdir(s, obj);
	if (rc)
		return rc;
	char *dir = object_dir(s, obj);
	char *path = xasprintf("%s/.lock", dir);
	free(dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		rc = err_set(ERR_IO, "open '%s': %s", path, strerror(errno));
		free(path);
		return rc;
	}
	int r;
	while ((r = flock(fd, shared ? LOCK_SH : LOCK_EX)) != 0 && errno == EINTR)
		;
	if (r != 0) {
		rc = err_set(ERR_IO, "lock '%s': %s", path, strerror(errno));
		close(fd);
		free(path);
		return rc;
	}
	free(path);
	struct storage_lock *l = xcalloc(1, sizeof(*l));
	l->fd = fd;
	*out = l;
	return 0;
}

void storage_unlock(struct storage_lock *l)
{
	if (!l)
		return;
	close(l->fd); /* releases the flock */
	free(l);
}

/* ---- Writing --------------------------------------------------------------------------*/

int storage_file_create(struct storage_file **out, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) : 0;
	const char *base = slash ? slash + 1 : path;
	struct storage_file *f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(path);
	f->tmp = slash ? xasprintf("%.*s/.%s.XXXXXX" TMP_SUFFIX, (int)dirlen, path, base)
		       : xasprintf(".%s.XXXXXX" TMP_SUFFIX, base);
	f->fd = mkostemps(f->tmp, (int)strlen(TMP_SUFFIX), O_CLOEXEC);
	if (f->fd < 0) {
		int rc = err_set(ERR_IO, "create '%s': %s", path, strerror(errno));
		free(f->tmp);
		free(f->path);
		free(f);
		return rc;
	}
	/* mkstemp's 0600: artifacts are read by the file server only, but keep the mode
	 * artifacts always had */
	fchmod(f->fd, 0644);
	f->md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(f->md, EVP_sha256(), NULL);
	*out = f;
	return 0;
}

int storage_file_write(struct storage_file *f, const void *data, size_t len)
{
	const char *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t n = write(f->fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return err_set(ERR_IO, "write '%s': %s", f->path, n < 0 ? strerror(errno) : "short write");
		p += n;
		left -= (size_t)n;
	}
	EVP_DigestUpdate(f->md, data, len);
	f->size += len;
	return 0;
}

static void file_free(struct storage_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	EVP_MD_CTX_free(f->md);
	free(f->tmp);
	free(f->path);
	free(f);
}

void storage_file_abort(struct storage_file *f)
{
	if (!f)
		return;
	unlink(f->tmp);
	file_free(f);
}

/* Makes a rename in dir durable (the directory entry itself). Best effort: some file
 * systems refuse fsync on a directory, and the data is already safe. */
static void sync_dir(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int storage_file_commit(struct storage_file *f, struct artifact_info *info)
{
	int rc = 0;
	if (fsync(f->fd) != 0 || close(f->fd) != 0)
		rc = err_set(ERR_IO, "write '%s': %s", f->path, strerror(errno));
	f->fd = -1;
	if (!rc && rename(f->tmp, f->path) != 0)
		rc = err_set(ERR_IO, "rename to '%s': %s", f->path, strerror(errno));
	if (rc) {
		storage_file_abort(f);
		return rc;
	}
	sync_dir(f->path);
	unsigned char md[32];
	EVP_DigestFinal_ex(f->md, md, NULL);
	info->size = f->size;
	memcpy(info->digest, "sha256:", 7);
	for (int i = 0; i < 32; i++)
		snprintf(info->digest + 7 + 2 * i, 3, "%02x", md[i]);
	file_free(f);
	return 0;
}

int storage_write_file(const char *path, const void *data, size_t len, struct artifact_info *info)
{
	struct storage_file *f;
	int rc = storage_file_create(&f, path);
	if (rc)
		return rc;
	if ((rc = storage_file_write(f, data, len))) {
		storage_file_abort(f);
		return rc;
	}
	return storage_file_commit(f, info);
}

/* ---- Collecting -----------------------------------------------------------------------*/

struct gc_entry {
	char *path;
	struct timespec mtime;
	bool current, garbage;
};

static int older_first(const void *x, const void *y)
{
	const struct gc_entry *a = x, *b = y;
	if (a->mtime.tv_sec != b->mtime.tv_sec)
		return a->mtime.tv_sec < b->mtime.tv_sec ? -1 : 1;
	if (a->mtime.tv_nsec != b->mtime.tv_nsec)
		return a->mtime.tv_nsec < b->mtime.tv_nsec ? -1 : 1;
	return strcmp(a->path, b->path);
}

static bool is_tmp_name(const char *n)
{
	size_t len = strlen(n), sl = strlen(TMP_SUFFIX);
	return n[0] == '.' && len > sl && !strcmp(n + len - sl, TMP_SUFFIX);
}

int storage_gc(struct storage *s, const struct storage_object *obj, const char *current,
	       size_t *deleted)
{
	if (deleted)
		*deleted = 0;
	char *dir = object_dir(s, obj);
	DIR *d = opendir(dir);
	if (!d) {
		int rc = errno == ENOENT ? 0 : err_set(ERR_IO, "opendir '%s': %s", dir, strerror(errno));
		free(dir);
		return rc;
	}
	struct gc_entry *e = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *name = de->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		char *p = xasprintf("%s/%s", dir, name);
		struct stat st;
		if (is_tmp_name(name)) {
			/* under the object's lock no write is in progress: a crash's leftover */
			unlink(p);
			free(p);
			continue;
		}
		/* Flux counts regular files only (no symlinks, no lock files) */
		if (name[0] == '.' || lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		e = xgrow(e, &cap, n + 1, sizeof(*e));
		e[n++] = (struct gc_entry){ p, st.st_mtim, current && !strcmp(name, current), false };
	}
	closedir(d);
	free(dir);

	/* Expired first, then the oldest while more than `records` remain: what Flux's
	 * getGarbageFiles aims at (its count in the second pass is off by the files already
	 * collected; tide keeps exactly `records` where Flux may keep one more). */
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	size_t remaining = n;
	for (size_t i = 0; i < n; i++) {
		int64_t age = now_ms - ((int64_t)e[i].mtime.tv_sec * 1000 + e[i].mtime.tv_nsec / 1000000);
		if (!e[i].current && age > s->ttl_ms) {
			e[i].garbage = true;
			remaining--;
		}
	}
	if (n > 1)
		qsort(e, n, sizeof(*e), older_first);
	for (size_t i = 0; i < n && remaining > (size_t)s->records; i++)
		if (!e[i].current && !e[i].garbage) {
			e[i].garbage = true;
			remaining--;
		}
	for (size_t i = 0; i < n; i++) {
		if (e[i].garbage && unlink(e[i].path) == 0 && deleted)
			(*deleted)++;
		free(e[i].path);
	}
	free(e);
	return 0;
}

static bool plain_name(const char *n)
{
	return *n && n[0] != '.' && !strchr(n, '/');
}

int storage_symlink(struct storage *s, const struct storage_object *obj, const char *file,
		    const char *name)
{
	if (!plain_name(file) || !plain_name(name))
		return err_set(ERR_INVALID, "invalid link '%s' -> '%s'", name, file);
	char *dir = object_dir(s, obj);
	char *link = xasprintf("%s/%s", dir, name);
	char *tmp = NULL;
	int rc = 0;
	static atomic_uint seq;
	for (int attempt = 0; attempt < 100 && !rc; attempt++) {
		free(tmp);
		tmp = xasprintf("%s/.%s.%d-%u" TMP_SUFFIX, dir, name, (int)getpid(),
				atomic_fetch_add(&seq, 1));
		if (symlink(file, tmp) == 0)
			break;
		if (errno != EEXIST || attempt == 99)
			rc = err_set(ERR_IO, "symlink '%s': %s", link, strerror(errno));
	}
	if (!rc && rename(tmp, link) != 0) {
		rc = err_set(ERR_IO, "rename '%s': %s", link, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	free(link);
	free(dir);
	return rc;
}

void storage_remove_all(struct storage *s, const struct storage_object *obj)
{
	char *dir = object_dir(s, obj);
	fs_rm_rf(dir);
	free(dir);
}

int storage_tmpdir(struct storage *s, const char *prefix, char **out)
{
	char *dir = xasprintf("%s/%s-XXXXXX", s->run_dir, prefix);
	if (!mkdtemp(dir)) {
		int rc = err_set(ERR_IO, "mkdir '%s': %s", dir, strerror(errno));
		free(dir);
		return rc;
	}
	*out = dir;
	return 0;
}

/* ---- Serving --------------------------------------------------------------------------*/

int storage_serve(struct storage *s, struct rt_http *h)
{
	return rt_http_route_files(h, "/", s->root);
}
