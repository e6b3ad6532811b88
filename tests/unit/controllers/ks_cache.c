/* The Kustomization controller's shared artifact cache (controllers/kustomization/cache.h),
 * against an artifact served over HTTP by runtime/http's file handler (as storage serves it). */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"

#include "controllers/kustomization/cache.h"
#include "source/artifact.h"
#include "source/fetch.h"
#include "runtime/http.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static char base[] = "/tmp/ks-cache-test-XXXXXX";
static char url[256];
static struct artifact_info info;

static void put(const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", base, rel);
	fs_write_atomic(p, text, strlen(text), 0644);
	free(p);
}

static char *slurp(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel);
	struct buf b = BUF_INIT;
	char *s = fs_read_file(p, 1 << 20, &b) ? NULL : xstrdup(b.ptr ? b.ptr : "");
	buf_release(&b);
	free(p);
	return s;
}

static ino_t inode(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel);
	struct stat st;
	ino_t i = stat(p, &st) ? 0 : st.st_ino;
	free(p);
	return i;
}

static char *newdir(const char *name)
{
	char *p = xasprintf("%s/%s", base, name);
	mkdir(p, 0755);
	return p;
}

TEST(two_checkouts_share_one_unpacked_copy)
{
	struct ks_cache *c = NULL;
	REQUIRE(ks_cache_new(&c) == 0);
	struct fetch_limits lim = FETCH_LIMITS_INIT;
	char *d1 = newdir("w1"), *d2 = newdir("w2");
	REQUIRE(ks_cache_checkout(c, url, info.digest, d1, &lim) == 0);
	REQUIRE(ks_cache_checkout(c, url, info.digest, d2, &lim) == 0);
	char *a = slurp(d1, "app/cm.yaml"), *b = slurp(d2, "app/sub/x.yaml");
	CHECK(a && !strcmp(a, "kind: ConfigMap\n"));
	CHECK(b && !strcmp(b, "x: 1\n"));
	CHECK(inode(d1, "app/cm.yaml") != 0 && inode(d1, "app/cm.yaml") == inode(d2, "app/cm.yaml"));
	/* the build writes new files atomically: the other copy and the cache keep theirs */
	char *k = xasprintf("%s/app/cm.yaml", d1);
	CHECK(fs_write_atomic(k, "changed\n", 8, 0644) == 0);
	char *again = slurp(d2, "app/cm.yaml");
	CHECK(again && !strcmp(again, "kind: ConfigMap\n"));
	char *d3 = newdir("w3");
	CHECK(ks_cache_checkout(c, url, info.digest, d3, &lim) == 0);
	char *third = slurp(d3, "app/cm.yaml");
	CHECK(third && !strcmp(third, "kind: ConfigMap\n"));
	free(a), free(b), free(k), free(again), free(third), free(d1), free(d2), free(d3);
	ks_cache_free(c);
}

TEST(a_wrong_digest_is_refused_and_not_cached)
{
	struct ks_cache *c = NULL;
	REQUIRE(ks_cache_new(&c) == 0);
	struct fetch_limits lim = FETCH_LIMITS_INIT;
	char *d1 = newdir("v1"), *d2 = newdir("v2");
	const char *bad = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
	CHECK(ks_cache_checkout(c, url, bad, d1, &lim) != 0);
	CHECK(strstr(err_msg(), "doesn't match") != NULL);
	CHECK(ks_cache_checkout(c, url, info.digest, d2, &lim) == 0);
	CHECK(inode(d2, "app/cm.yaml") != 0);
	/* a digest that could name a path is not used as one */
	char *d3 = newdir("v3");
	CHECK(ks_cache_checkout(c, url, "sha256:../../x", d3, &lim) != 0);
	free(d1), free(d2), free(d3);
	ks_cache_free(c);
}

int main(void)
{
	if (!mkdtemp(base))
		return 1;
	char *p;
	p = xasprintf("%s/src", base), mkdir(p, 0755), free(p);
	p = xasprintf("%s/src/app", base), mkdir(p, 0755), free(p);
	p = xasprintf("%s/src/app/sub", base), mkdir(p, 0755), free(p);
	p = xasprintf("%s/storage", base), mkdir(p, 0755), free(p);
	put("src/app/cm.yaml", "kind: ConfigMap\n");
	put("src/app/sub/x.yaml", "x: 1\n");
	char *src = xasprintf("%s/src", base), *out = xasprintf("%s/storage/a.tar.gz", base);
	char *storage = xasprintf("%s/storage", base);
	struct rt_http *srv = NULL;
	struct artifact_limits alim = { 0 };
	if (artifact_archive(src, NULL, &alim, out, &info) || rt_http_new(&srv, "127.0.0.1:0") ||
	    rt_http_route_files(srv, "/", storage) || rt_http_start(srv)) {
		fprintf(stdout, "not ok - setup: %s\n", err_msg());
		return 1;
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/a.tar.gz", rt_http_port(srv));
	RUN(two_checkouts_share_one_unpacked_copy);
	RUN(a_wrong_digest_is_refused_and_not_cached);
	rt_http_free(srv);
	free(src), free(out), free(storage);
	int rc = test_done();
	if (nftw(base, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		rc = 1;
	return rc;
}
