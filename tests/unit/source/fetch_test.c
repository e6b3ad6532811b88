/* source/fetch: digest checks, the artifact download (through net) and its unpacking. */
#include "test.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "source/fetch.h"
#include "runtime/http.h"
#include "tar_fixture.h"
#include "util/error.h"
#include "util/fs.h"

TEST(digest)
{
	const char *abc_sha256 = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	CHECK(fetch_verify_digest("abc", 3, abc_sha256) == 0);
	CHECK(fetch_verify_digest("abd", 3, abc_sha256) == ERR_INVALID);
	CHECK(strstr(err_msg(), "computed digest doesn't match") != NULL);
	CHECK(fetch_verify_digest("abc", 3, "md5:x") == ERR_INVALID);
	CHECK(fetch_verify_digest("abc", 3, "") == 0);
}

TEST(untar_takes_fetch_limits)
{
	struct ent e[] = { { "a", "0123456789" }, { "b", "0123456789" } };
	make_tar(e, 2, true);
	struct fetch_limits lim = FETCH_LIMITS_INIT;
	lim.max_files = 1;
	fresh();
	CHECK(fetch_untar(tarbuf, tarlen, dir, &lim) == ERR_TOOBIG);
	cleanup();
	lim.max_files = 0;
	lim.max_untar = 15;
	fresh();
	CHECK(fetch_untar(tarbuf, tarlen, dir, &lim) == ERR_TOOBIG);
	CHECK(strstr(err_msg(), "max untar size") != NULL);
	cleanup();
	fresh();
	CHECK(fetch_untar(tarbuf, tarlen, dir, NULL) == 0);
	CHECK(has("b", "0123456789"));
	cleanup();
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
	RUN(digest);
	RUN(untar_takes_fetch_limits);
	RUN(download_refused);
	RUN(download_verify_unpack);
	return test_done();
}
