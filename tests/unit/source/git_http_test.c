/* Library-level Git fetches over smart HTTP with basic auth (lighttpd + git http-backend on
 * loopback, started by test/git/http-start; run from the repository root). */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "source/git.h"
#include "util/error.h"

static char root[] = "/tmp/tide-git-http-XXXXXX";
static char url[600], cache[600];

static int run(const char *cmd)
{
	int rc = system(cmd);
	if (rc != 0)
		printf("# command failed: %s\n", cmd);
	return rc;
}

TEST(basic_auth)
{
	struct gitsrc_ref_spec ref = {.branch = "main"};
	struct gitsrc_auth good = {.username = "alice", .password = "s3cret"};
	struct gitsrc_auth bad = {.username = "alice", .password = "bad-pass-xyz"};
	struct gitsrc_fetch_result r;
	CHECK_INT(gitsrc_fetch(url, cache, &ref, &bad, &r), ERR_AUTH);
	CHECK(strstr(err_msg(), "bad-pass-xyz") == NULL);
	CHECK(gitsrc_fetch(url, cache, &ref, NULL, &r) != 0);
	REQUIRE(gitsrc_fetch(url, cache, &ref, &good, &r) == 0);
	CHECK_STR(r.ref, "main");
	CHECK_INT(r.downloaded, 1);
	REQUIRE(gitsrc_fetch(url, cache, &ref, &good, &r) == 0);
	CHECK_INT(r.downloaded, 0);
}

int main(void)
{
	char cmd[2048];
	if (!mkdtemp(root))
		return 1;
	snprintf(cmd, sizeof(cmd),
		 "test/git/http-start %s alice:s3cret && cd %s && git init -q -b main w && cd w"
		 " && git -c user.email=t@t -c user.name=t commit -q --allow-empty -m one"
		 " && git clone -q --bare . %s/repos/app.git",
		 root, root, root);
	if (run(cmd) != 0)
		return 1;
	FILE *f;
	char port[32] = "";
	snprintf(cmd, sizeof(cmd), "%s/http-port", root);
	if (!(f = fopen(cmd, "r")) || !fgets(port, sizeof(port), f))
		return 1;
	fclose(f);
	port[strcspn(port, "\n")] = '\0';
	snprintf(url, sizeof(url), "http://127.0.0.1:%s/app.git", port);
	snprintf(cache, sizeof(cache), "%s/cache", root);
	RUN(basic_auth);
	snprintf(cmd, sizeof(cmd), "test/git/http-stop %s; rm -rf %s", root, root);
	run(cmd);
	return test_done();
}
