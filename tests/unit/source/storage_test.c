/* source/storage: layout, atomic writes and their digest, garbage collection by TTL and
 * record count (the current artifact kept), leftovers of a crash cleaned, the object lock,
 * and serving the root through runtime/http (what source/server.c's test checked). */
#include "test.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/http.h"
#include "source/storage.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"

static char root[] = "/tmp/tide-storage-test-XXXXXX";
static char store[100];

static void put(const char *rel, const char *text, int age_s)
{
	char p[900];
	snprintf(p, sizeof(p), "%s/%s", store, rel);
	FILE *f = fopen(p, "w");
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
	struct timespec t[2];
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= age_s;
	t[1] = t[0];
	utimensat(AT_FDCWD, p, t, 0);
}

static int exists(const char *rel)
{
	char p[900];
	snprintf(p, sizeof(p), "%s/%s", store, rel);
	return access(p, F_OK) == 0;
}

TEST(layout_and_atomic_write)
{
	struct storage *s;
	REQUIRE(storage_open(&s, store, NULL) == 0);
	const struct storage_object o = { "GitRepository", "flux-system", "app" };
	char *rel = storage_artifact_path(&o, "abc.tar.gz");
	CHECK_STR(rel, "gitrepository/flux-system/app/abc.tar.gz");
	REQUIRE(storage_mkdir(s, &o) == 0);
	CHECK(!storage_exists(s, rel));
	char *full = storage_local_path(s, rel);
	struct artifact_info info;
	REQUIRE(storage_write_file(full, "hello\n", 6, &info) == 0);
	CHECK(storage_exists(s, rel));
	CHECK_INT(info.size, 6);
	/* sha256 of "hello\n" */
	CHECK_STR(info.digest, "sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
	/* an aborted write leaves nothing, under any name */
	struct storage_file *f;
	REQUIRE(storage_file_create(&f, full) == 0);
	REQUIRE(storage_file_write(f, "partial", 7) == 0);
	storage_file_abort(f);
	char cmd[4096];
	snprintf(cmd, sizeof(cmd), "test \"$(ls -A '%s/gitrepository/flux-system/app')\" = abc.tar.gz", store);
	CHECK(system(cmd) == 0);
	CHECK_INT(storage_write_file("/nonexistent/dir/x", "x", 1, &info), ERR_IO);
	free(full);
	free(rel);
	storage_free(s);
}

TEST(garbage_collection)
{
	struct storage *s;
	struct storage_opts so = { .retention_ttl_ms = 60000, .retention_records = 2 };
	REQUIRE(storage_open(&s, store, &so) == 0);
	const struct storage_object o = { "GitRepository", "ns", "gc" };
	REQUIRE(storage_mkdir(s, &o) == 0);
	/* records: five fresh artifacts, the current one the oldest: the current and the
	 * newest other are kept */
	put("gitrepository/ns/gc/a.tar.gz", "a", 50);
	put("gitrepository/ns/gc/b.tar.gz", "b", 40);
	put("gitrepository/ns/gc/c.tar.gz", "c", 30);
	put("gitrepository/ns/gc/d.tar.gz", "d", 20);
	put("gitrepository/ns/gc/e.tar.gz", "e", 10);
	put("gitrepository/ns/gc/.x.tar.gz.abc123.tmp", "partial", 1); /* a crash's leftover */
	struct storage_lock *l;
	REQUIRE(storage_lock(s, &o, false, &l) == 0);
	size_t n = 0;
	REQUIRE(storage_gc(s, &o, "a.tar.gz", &n) == 0);
	storage_unlock(l);
	CHECK_INT(n, 3);
	CHECK(exists("gitrepository/ns/gc/a.tar.gz"));
	CHECK(exists("gitrepository/ns/gc/e.tar.gz"));
	CHECK(!exists("gitrepository/ns/gc/b.tar.gz") && !exists("gitrepository/ns/gc/c.tar.gz") &&
	      !exists("gitrepository/ns/gc/d.tar.gz"));
	CHECK(!exists("gitrepository/ns/gc/.x.tar.gz.abc123.tmp"));
	CHECK(exists("gitrepository/ns/gc/.lock"));
	/* ttl: a non-current artifact older than the TTL goes even under the record count; an
	 * expired current one stays */
	put("gitrepository/ns/gc/a.tar.gz", "a", 3600);
	put("gitrepository/ns/gc/e.tar.gz", "e", 120);
	REQUIRE(storage_gc(s, &o, "a.tar.gz", &n) == 0);
	CHECK_INT(n, 1);
	CHECK(exists("gitrepository/ns/gc/a.tar.gz"));
	CHECK(!exists("gitrepository/ns/gc/e.tar.gz"));
	/* no current artifact: everything past the TTL goes */
	REQUIRE(storage_gc(s, &o, NULL, &n) == 0);
	CHECK_INT(n, 1);
	CHECK(!exists("gitrepository/ns/gc/a.tar.gz"));
	/* a missing directory is nothing to collect */
	const struct storage_object none = { "GitRepository", "ns", "none" };
	CHECK_INT(storage_gc(s, &none, NULL, &n), 0);
	storage_remove_all(s, &o);
	CHECK(!exists("gitrepository/ns/gc"));
	storage_free(s);
}

TEST(scratch_of_dead_processes_is_cleaned)
{
	char cmd[4096];
	/* a dead process's run directory (its lock file unlocked) and an older tide's checkout */
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/.tmp/run-dead00/checkout-1' '%s/.tmp/checkout-old' && "
		 "touch '%s/.tmp/run-dead00.lock'", store, store, store);
	REQUIRE(system(cmd) == 0);
	struct storage *s;
	REQUIRE(storage_open(&s, store, NULL) == 0);
	CHECK(!exists(".tmp/run-dead00") && !exists(".tmp/run-dead00.lock"));
	CHECK(!exists(".tmp/checkout-old"));
	/* a live one (this storage) survives a second open */
	char *dir = NULL;
	REQUIRE(storage_tmpdir(s, "checkout", &dir) == 0);
	struct storage *s2;
	REQUIRE(storage_open(&s2, store, NULL) == 0);
	struct stat st;
	CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
	storage_free(s2);
	storage_free(s);
	CHECK(stat(dir, &st) != 0); /* freed with its storage */
	free(dir);
}

struct locker {
	struct storage *s;
	volatile int got;
};

static void *take_lock(void *ud)
{
	struct locker *k = ud;
	const struct storage_object o = { "GitRepository", "ns", "locked" };
	struct storage_lock *l;
	if (storage_lock(k->s, &o, true, &l) == 0) {
		k->got = 1;
		storage_unlock(l);
	}
	return NULL;
}

TEST(object_lock_excludes)
{
	struct storage *s;
	REQUIRE(storage_open(&s, store, NULL) == 0);
	const struct storage_object o = { "GitRepository", "ns", "locked" };
	struct storage_lock *l;
	REQUIRE(storage_lock(s, &o, false, &l) == 0);
	struct locker k = { s, 0 };
	pthread_t t;
	REQUIRE(pthread_create(&t, NULL, take_lock, &k) == 0);
	clock_sleep_ms(200);
	CHECK_INT(k.got, 0); /* a reader waits for the writer */
	storage_unlock(l);
	pthread_join(t, NULL);
	CHECK_INT(k.got, 1);
	storage_free(s);
}

static size_t sink(char *p, size_t size, size_t n, void *ud)
{
	buf_add(ud, p, size * n);
	return size * n;
}

static long get(int port, const char *path, struct buf *out)
{
	CURL *c = curl_easy_init();
	char url[256];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	long status = -1;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	return status;
}

TEST(serves_artifacts_confined_to_root)
{
	struct storage *s;
	REQUIRE(storage_open(&s, store, NULL) == 0);
	const struct storage_object o = { "GitRepository", "default", "app" };
	REQUIRE(storage_mkdir(s, &o) == 0);
	put("gitrepository/default/app/x.tar.gz", "tarball\n", 0);
	char cmd[4096];
	snprintf(cmd, sizeof(cmd), "echo outside > '%s/secret' && ln -sf '%s/secret' "
		 "'%s/gitrepository/default/app/escape' && mkdir -p '%s/.cache' && echo c > '%s/.cache/HEAD'",
		 root, root, store, store, store);
	REQUIRE(system(cmd) == 0);
	struct rt_http *h;
	REQUIRE(rt_http_new(&h, "127.0.0.1:0") == 0);
	REQUIRE(storage_serve(s, h) == 0);
	REQUIRE(rt_http_start(h) == 0);
	int port = rt_http_port(h);
	struct buf b = BUF_INIT;
	CHECK_INT(get(port, "/gitrepository/default/app/x.tar.gz", &b), 200);
	CHECK_STR(b.ptr, "tarball\n");
	static const char *const refused[] = {
		"/gitrepository/default/app/missing", "/gitrepository/default/app", "/../secret",
		"/gitrepository/../../secret", "/gitrepository/default/app/escape", "/.cache/HEAD",
		"/gitrepository/default/app/.lock",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		buf_reset(&b);
		CHECK_INT(get(port, refused[i], &b), 404);
		CHECK(strstr(b.ptr, "outside") == NULL);
	}
	buf_release(&b);
	rt_http_free(h);
	storage_free(s);
}

TEST(verify_by_digest)
{
	struct storage *s;
	REQUIRE(storage_open(&s, store, NULL) == 0);
	const struct storage_object o = { "GitRepository", "ns", "v" };
	REQUIRE(storage_mkdir(s, &o) == 0);
	char *rel = storage_artifact_path(&o, "a.tar.gz");
	char *full = storage_local_path(s, rel);
	struct artifact_info info;
	REQUIRE(storage_write_file(full, "hello\n", 6, &info) == 0);
	CHECK_INT(storage_verify(s, rel, info.digest, 6), 0);
	CHECK_INT(storage_verify(s, rel, info.digest, -1), 0);
	/* sha512 of "hello\n": another algorithm named by the digest */
	CHECK_INT(storage_verify(s, rel, "sha512:e7c22b994c59d9cf2b48e549b1e24666636045930d3da7c1acb299d1c3b7f931f94aae41edda2c2b207a36e10f8bcb8d45223e54878f5b316e7ce3b6bc019629", -1), 0);
	/* truncated: told by the size without reading, and by the digest without it */
	put("gitrepository/ns/v/a.tar.gz", "hel", 0);
	CHECK_INT(storage_verify(s, rel, info.digest, 6), ERR_INVALID);
	CHECK_INT(storage_verify(s, rel, info.digest, -1), ERR_INVALID);
	char want[200];
	snprintf(want, sizeof(want), "computed digest doesn't match '%s'", info.digest);
	CHECK_STR(err_msg(), want);
	/* altered at the same size */
	put("gitrepository/ns/v/a.tar.gz", "hellO\n", 0);
	CHECK_INT(storage_verify(s, rel, info.digest, 6), ERR_INVALID);
	CHECK_INT(storage_verify(s, rel, "", 6), ERR_INVALID);
	CHECK_STR(err_msg(), "artifact has no digest");
	CHECK_INT(storage_verify(s, rel, "md5:abc", 6), ERR_INVALID);
	CHECK_INT(storage_verify(s, rel, "sha256:XYZ", 6), ERR_INVALID);
	CHECK_INT(storage_remove(s, rel), 0);
	CHECK(!storage_exists(s, rel));
	CHECK_INT(storage_remove(s, rel), 0);
	CHECK_INT(storage_verify(s, rel, info.digest, 6), ERR_NOTFOUND);
	/* a symlink at the name is not followed */
	put("gitrepository/ns/v/target", "hello\n", 0);
	char link[900];
	snprintf(link, sizeof(link), "%s/gitrepository/ns/v/a.tar.gz", store);
	REQUIRE(symlink("target", link) == 0);
	CHECK(storage_verify(s, rel, info.digest, 6) != 0);
	/* paths read back from status */
	CHECK(storage_owns_path(&o, "gitrepository/ns/v/a.tar.gz"));
	CHECK(!storage_owns_path(&o, "gitrepository/ns/v/"));
	CHECK(!storage_owns_path(&o, "gitrepository/ns/v/.lock"));
	CHECK(!storage_owns_path(&o, "gitrepository/ns/v/../w/a.tar.gz"));
	CHECK(!storage_owns_path(&o, "gitrepository/ns/v/sub/a.tar.gz"));
	CHECK(!storage_owns_path(&o, "gitrepository/ns/vv/a.tar.gz"));
	CHECK(!storage_owns_path(&o, "../gitrepository/ns/v/a.tar.gz"));
	CHECK(!storage_owns_path(&o, NULL));
	free(full);
	free(rel);
	storage_free(s);
}

TEST(latest_symlink)
{
	struct storage *s;
	REQUIRE(storage_open(&s, store, NULL) == 0);
	const struct storage_object o = { "OCIRepository", "default", "app" };
	REQUIRE(storage_mkdir(s, &o) == 0);
	put("ocirepository/default/app/a.tar.gz", "first\n", 0);
	put("ocirepository/default/app/b.tar.gz", "second\n", 0);
	REQUIRE(storage_symlink(s, &o, "a.tar.gz", "latest.tar.gz") == 0);
	struct rt_http *h;
	REQUIRE(rt_http_new(&h, "127.0.0.1:0") == 0);
	REQUIRE(storage_serve(s, h) == 0);
	REQUIRE(rt_http_start(h) == 0);
	int port = rt_http_port(h);
	struct buf b = BUF_INIT;
	CHECK_INT(get(port, "/ocirepository/default/app/latest.tar.gz", &b), 200);
	CHECK_STR(b.ptr, "first\n");
	/* replaced in place, no temporary left */
	REQUIRE(storage_symlink(s, &o, "b.tar.gz", "latest.tar.gz") == 0);
	buf_reset(&b);
	CHECK_INT(get(port, "/ocirepository/default/app/latest.tar.gz", &b), 200);
	CHECK_STR(b.ptr, "second\n");
	char p[900], target[64] = "";
	snprintf(p, sizeof(p), "%s/ocirepository/default/app/latest.tar.gz", store);
	ssize_t n = readlink(p, target, sizeof(target) - 1);
	CHECK(n > 0);
	CHECK_STR(target, "b.tar.gz"); /* relative: the root may move */
	/* the collector neither counts nor removes the link */
	size_t deleted = 0;
	REQUIRE(storage_gc(s, &o, "b.tar.gz", &deleted) == 0);
	CHECK(exists("ocirepository/default/app/latest.tar.gz"));
	CHECK(storage_symlink(s, &o, "../x", "latest.tar.gz") == ERR_INVALID);
	CHECK(storage_symlink(s, &o, "a.tar.gz", ".lock") == ERR_INVALID);
	CHECK(storage_symlink(s, &o, "a.tar.gz", "x/y") == ERR_INVALID);
	err_clear();
	buf_release(&b);
	rt_http_free(h);
	storage_free(s);
}

int main(void)
{
	if (!mkdtemp(root))
		return 1;
	snprintf(store, sizeof(store), "%s/store", root);
	curl_global_init(CURL_GLOBAL_ALL);
	RUN(layout_and_atomic_write);
	RUN(garbage_collection);
	RUN(scratch_of_dead_processes_is_cleaned);
	RUN(object_lock_excludes);
	RUN(serves_artifacts_confined_to_root);
	RUN(verify_by_digest);
	RUN(latest_symlink);
	curl_global_cleanup();
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		return 1;
	return test_done();
}
