#include "test.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/fetch.h"
#include "runtime/http.h"
#include <openssl/evp.h>
#include "util/fs.h"
#include "util/error.h"

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

static char dir[64];
static void fresh(void)
{
	snprintf(dir, sizeof dir, "/tmp/fetch_test.XXXXXX");
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

TEST(unpacks_gzip_tree)
{
	struct ent e[] = { { "deploy", NULL }, { "deploy/a.yaml", "kind: A\n" },
			   { "./b/c/d.yaml", "x" }, { "top.txt", "t" } };
	make_tar(e, 4, true);
	fresh();
	REQUIRE(fetch_untar(tarbuf, tarlen, dir, NULL) == 0);
	CHECK(has("deploy/a.yaml", "kind: A\n"));
	CHECK(has("b/c/d.yaml", "x"));
	CHECK(has("top.txt", "t"));
	cleanup();
}

TEST(refuses_dotdot_and_absolute)
{
	struct ent e1[] = { { "a/../../evil", "x" } };
	make_tar(e1, 1, false);
	fresh();
	CHECK(fetch_untar(tarbuf, tarlen, dir, NULL) == ERR_ESCAPE);
	cleanup();
	struct ent e2[] = { { "/etc/evil", "x" } };
	make_tar(e2, 1, false);
	fresh();
	int rc = fetch_untar(tarbuf, tarlen, dir, NULL);
	/* libarchive may strip the leading "/" when writing; either way nothing lands in /etc. */
	CHECK(rc == ERR_ESCAPE || (rc == 0 && has("etc/evil", "x")));
	cleanup();
}

TEST(skips_symlinks)
{
	struct ent e[] = { { "link", "->/etc" }, { "link/passwd", "x" } };
	make_tar(e, 2, true);
	fresh();
	REQUIRE(fetch_untar(tarbuf, tarlen, dir, NULL) == 0);
	struct stat st;
	char p[128];
	snprintf(p, sizeof p, "%s/link", dir);
	CHECK(lstat(p, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(has("link/passwd", "x"));
	cleanup();
}

TEST(caps)
{
	struct ent e[] = { { "a", "0123456789" }, { "b", "0123456789" } };
	make_tar(e, 2, true);
	struct fetch_limits lim = FETCH_LIMITS_INIT;
	lim.max_untar = 15;
	fresh();
	CHECK(fetch_untar(tarbuf, tarlen, dir, &lim) == ERR_TOOBIG);
	CHECK(strstr(err_msg(), "max untar size") != NULL);
	cleanup();
	lim.max_untar = 0;
	lim.max_files = 1;
	fresh();
	CHECK(fetch_untar(tarbuf, tarlen, dir, &lim) == ERR_TOOBIG);
	cleanup();
}

TEST(garbage)
{
	fresh();
	CHECK(fetch_untar("not a tarball at all", 20, dir, NULL) == ERR_INVALID);
	cleanup();
}

TEST(digest)
{
	const char *abc_sha256 = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	CHECK(fetch_verify_digest("abc", 3, abc_sha256) == 0);
	CHECK(fetch_verify_digest("abd", 3, abc_sha256) == ERR_INVALID);
	CHECK(strstr(err_msg(), "computed digest doesn't match") != NULL);
	CHECK(fetch_verify_digest("abc", 3, "md5:x") == ERR_INVALID);
	CHECK(fetch_verify_digest("abc", 3, "") == 0);
}

TEST(download_refused)
{
	fresh();
	CHECK(fetch_artifact("http://127.0.0.1:1/x.tar.gz", NULL, dir, NULL) == ERR_UNAVAIL);
	CHECK(fetch_artifact("file:///etc/passwd", NULL, dir, NULL) == ERR_UNAVAIL);
	cleanup();
}

TEST(download_verify_unpack)
{
	struct ent e[] = { { "deploy/a.yaml", "kind: A\n" } };
	make_tar(e, 1, true);
	char root[64];
	snprintf(root, sizeof root, "/tmp/fetch_srv.XXXXXX");
	REQUIRE(mkdtemp(root) != NULL);
	char p[128];
	snprintf(p, sizeof p, "%s/a.tar.gz", root);
	REQUIRE(fs_write_atomic(p, tarbuf, tarlen, 0644) == 0);
	unsigned char h[32];
	unsigned hn;
	EVP_Digest(tarbuf, tarlen, h, &hn, EVP_sha256(), NULL);
	char digest[80] = "sha256:";
	for (int i = 0; i < 32; i++)
		snprintf(digest + 7 + 2 * i, 3, "%02x", h[i]);
	struct rt_http *srv;
	REQUIRE(rt_http_new(&srv, "127.0.0.1:0") == 0);
	REQUIRE(rt_http_route_files(srv, "/", root) == 0 && rt_http_start(srv) == 0);
	char url[128], missing[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/a.tar.gz", rt_http_port(srv));
	snprintf(missing, sizeof missing, "http://127.0.0.1:%d/b.tar.gz", rt_http_port(srv));
	fresh();
	CHECK(fetch_artifact(url, digest, dir, NULL) == 0);
	CHECK(has("deploy/a.yaml", "kind: A\n"));
	cleanup();
	fresh();
	digest[10] = digest[10] == '0' ? '1' : '0';
	CHECK(fetch_artifact(url, digest, dir, NULL) == ERR_INVALID);
	CHECK(fetch_artifact(missing, NULL, dir, NULL) == ERR_NOTFOUND);
	struct fetch_limits lim = FETCH_LIMITS_INIT;
	lim.max_download = 10;
	CHECK(fetch_artifact(url, NULL, dir, &lim) == ERR_TOOBIG);
	cleanup();
	rt_http_free(srv);
	remove(p);
	rmdir(root);
}

int main(void)
{
	RUN(unpacks_gzip_tree);
	RUN(refuses_dotdot_and_absolute);
	RUN(skips_symlinks);
	RUN(caps);
	RUN(garbage);
	RUN(digest);
	RUN(download_refused);
	RUN(download_verify_unpack);
	return test_done();
}
