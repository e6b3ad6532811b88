/*
 * The shared artifact cache (cache.h).
 */
#include "controllers/kustomization/cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "source/fetch.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define UNUSED_TTL_SEC (10 * 60)

struct ks_cache {
	char *root;
	pthread_mutex_t lock; /* serialises fetches into the cache and evictions */
};

int ks_cache_new(struct ks_cache **out)
{
	const char *base = getenv("TMPDIR");
	struct ks_cache *c = xcalloc(1, sizeof(*c));
	c->root = xasprintf("%s/tide-kustomize-artifacts-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(c->root)) {
		int e = errno;
		free(c->root);
		free(c);
		return err_set(ERR_IO, "failed to create the artifact cache: %s", strerror(e));
	}
	pthread_mutex_init(&c->lock, NULL);
	*out = c;
	return 0;
}

void ks_cache_free(struct ks_cache *c)
{
	if (!c)
		return;
	fs_rm_rf(c->root);
	pthread_mutex_destroy(&c->lock);
	free(c->root);
	free(c);
}

/* The entry's directory name: the digest with ':' made '-' and anything unexpected refused
 * (a digest comes from a source's status: it must not name a path). */
static bool entry_name(char *out, size_t size, const char *digest)
{
	size_t n = strlen(digest);
	if (n == 0 || n + 1 > size)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = digest[i];
		if (ch == ':')
			ch = '-';
		else if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
			return false;
		out[i] = ch;
	}
	out[n] = 0;
	return true;
}

/* Removes the entries (other than keep) not used for UNUSED_TTL_SEC. Under c->lock. */
static void evict(struct ks_cache *c, const char *keep)
{
	DIR *d = opendir(c->root);
	if (!d)
		return;
	time_t now = time(NULL);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, keep))
			continue;
		char *p = xasprintf("%s/%s", c->root, e->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && now - st.st_mtime > UNUSED_TTL_SEC)
			fs_rm_rf(p);
		free(p);
	}
	closedir(d);
}

/* Hard-link copy of a tree: nftw has no user pointer, so the roots are thread-local. */
static _Thread_local const char *copy_src, *copy_dst;
static _Thread_local int copy_errno;

static int copy_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	const char *rel = path + strlen(copy_src);
	if (!*rel)
		return 0;
	char to[PATH_MAX];
	if ((size_t)snprintf(to, sizeof(to), "%s%s", copy_dst, rel) >= sizeof(to)) {
		copy_errno = ENAMETOOLONG;
		return 1;
	}
	int rc = 0;
	if (flag == FTW_D)
		rc = mkdir(to, 0755);
	else if (flag == FTW_SL) {
		char target[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			rc = -1;
		else {
			target[n] = 0;
			rc = symlink(target, to);
		}
	} else if (flag == FTW_F && S_ISREG(st->st_mode))
		rc = link(path, to);
	if (rc) {
		copy_errno = errno;
		return 1;
	}
	return 0;
}

static int link_tree(const char *src, const char *dst)
{
	copy_src = src;
	copy_dst = dst;
	copy_errno = 0;
	int rc = nftw(src, copy_entry, 16, FTW_PHYS);
	copy_src = copy_dst = NULL;
	if (rc)
		return err_set(ERR_IO, "failed to copy the artifact from the cache: %s",
			       strerror(copy_errno ? copy_errno : errno));
	return 0;
}

int ks_cache_checkout(struct ks_cache *c, const char *url, const char *digest, const char *dest,
		      const struct fetch_limits *lim)
{
	char name[256];
	if (!c || !digest || !entry_name(name, sizeof(name), digest))
		return fetch_artifact(url, digest, dest, lim);
	char *entry = xasprintf("%s/%s", c->root, name);
	int rc = 0;
	pthread_mutex_lock(&c->lock);
	struct stat st;
	if (stat(entry, &st) != 0) {
		char *tmp = xasprintf("%s/.fetch-XXXXXX", c->root);
		if (!mkdtemp(tmp))
			rc = err_set(ERR_IO, "failed to create a temporary directory: %s", strerror(errno));
		else if ((rc = fetch_artifact(url, digest, tmp, lim)) == 0 && rename(tmp, entry) != 0)
			rc = err_set(ERR_IO, "failed to store the artifact: %s", strerror(errno));
		if (rc)
			fs_rm_rf(tmp);
		free(tmp);
		if (!rc)
			evict(c, name);
	} else {
		/* The mtime says when the entry was last used (eviction). */
		utimensat(AT_FDCWD, entry, NULL, 0);
	}
	pthread_mutex_unlock(&c->lock);
	if (!rc)
		rc = link_tree(entry, dest);
	free(entry);
	return rc;
}
