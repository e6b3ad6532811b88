/* Library-level Git fetches over file:// against repositories made with the git CLI. */
#include "test.h"
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "source/artifact.h"
#include "source/git.h"
#include "util/error.h"

static char root[] = "/tmp/tide-git-test-XXXXXX";
static char url[600], cache[600];

static void setup(void)
{
	if (!mkdtemp(root))
		abort();
	fixture_sh("cd %s && git init -q -b main up && cd up && git config user.email t@t && git config user.name t"
	   " && echo a > a.yaml && git add . && git commit -qm one && git tag v1.0.0"
	   " && echo b > b.yaml && git add . && git commit -qm two && git tag -a v1.2.0 -m rel"
	   " && git tag v2.0.0-rc.1 && git checkout -qb dev && echo c > c.yaml && git add . && git commit -qm three"
	   " && git update-ref refs/pull/1/head HEAD && git checkout -q main", root);
	snprintf(url, sizeof(url), "file://%s/up", root);
	snprintf(cache, sizeof(cache), "%s/cache", root);
}

static char *rev_of(const char *what)
{
	static char out[64];
	char cmd[900];
	snprintf(cmd, sizeof(cmd), "git -C %s/up rev-parse '%s'", root, what);
	FILE *p = popen(cmd, "r");
	if (!p || !fgets(out, sizeof(out), p))
		abort();
	pclose(p);
	out[40] = '\0';
	return out;
}

TEST(branch_then_unchanged_shortcut)
{
	struct gitsrc_ref_spec ref = {.branch = "main"};
	struct gitsrc_fetch_result r;
	REQUIRE(gitsrc_fetch(url, cache, &ref, NULL, &r) == 0);
	CHECK_STR(r.commit, rev_of("main"));
	CHECK_STR(r.ref, "main");
	CHECK_INT(r.downloaded, 1);
	REQUIRE(gitsrc_fetch(url, cache, &ref, NULL, &r) == 0);
	CHECK_INT(r.downloaded, 0);
	char *rev = artifact_revision(r.ref, r.commit);
	char want[80];
	snprintf(want, sizeof(want), "main@sha1:%s", rev_of("main"));
	CHECK_STR(rev, want);
	free(rev);
}

TEST(tags_semver_name_commit_head)
{
	struct gitsrc_fetch_result r;
	struct gitsrc_ref_spec tag = {.tag = "v1.2.0"};
	REQUIRE(gitsrc_fetch(url, cache, &tag, NULL, &r) == 0);
	CHECK_STR(r.commit, rev_of("v1.2.0^{commit}"));
	struct gitsrc_ref_spec sv = {.semver = ">=1.0.0 <2.0.0"};
	REQUIRE(gitsrc_fetch(url, cache, &sv, NULL, &r) == 0);
	CHECK_STR(r.ref, "v1.2.0");
	CHECK_STR(r.commit, rev_of("v1.2.0^{commit}"));
	struct gitsrc_ref_spec name = {.name = "refs/pull/1/head"};
	REQUIRE(gitsrc_fetch(url, cache, &name, NULL, &r) == 0);
	CHECK_STR(r.ref, "refs/pull/1/head");
	CHECK_STR(r.commit, rev_of("dev"));
	char c[41];
	snprintf(c, sizeof(c), "%s", rev_of("v1.0.0"));
	struct gitsrc_ref_spec commit = {.commit = c};
	REQUIRE(gitsrc_fetch(url, cache, &commit, NULL, &r) == 0);
	CHECK_STR(r.ref, "");
	CHECK_STR(r.commit, c);
	struct gitsrc_ref_spec none = {0};
	REQUIRE(gitsrc_fetch(url, cache, &none, NULL, &r) == 0);
	CHECK_STR(r.ref, "main");
}

TEST(missing_refs)
{
	struct gitsrc_fetch_result r;
	struct gitsrc_ref_spec b = {.branch = "nope"};
	CHECK_INT(gitsrc_fetch(url, cache, &b, NULL, &r), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "couldn't find remote ref 'refs/heads/nope'") != NULL);
	struct gitsrc_ref_spec sv = {.semver = ">=5"};
	CHECK_INT(gitsrc_fetch(url, cache, &sv, NULL, &r), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "no match found for semver: >=5") != NULL);
	char bad[700];
	snprintf(bad, sizeof(bad), "file://%s/missing", root);
	CHECK(gitsrc_fetch(bad, cache, &b, NULL, &r) != 0);
}

TEST(checkout_tree)
{
	struct gitsrc_fetch_result r;
	struct gitsrc_ref_spec ref = {.branch = "dev"};
	REQUIRE(gitsrc_fetch(url, cache, &ref, NULL, &r) == 0);
	char dest[700], p[800];
	snprintf(dest, sizeof(dest), "%s/co", root);
	fixture_sh("mkdir -p %s/co", root);
	REQUIRE(gitsrc_checkout(cache, r.commit, dest) == 0);
	snprintf(p, sizeof(p), "%s/c.yaml", dest);
	CHECK(access(p, F_OK) == 0);
	snprintf(p, sizeof(p), "%s/.git", dest);
	CHECK(access(p, F_OK) != 0);
}

int main(void)
{
	setup();
	RUN(branch_then_unchanged_shortcut);
	RUN(tags_semver_name_commit_head);
	RUN(missing_refs);
	RUN(checkout_tree);
	fixture_sh("rm -rf %s", root);
	return test_done();
}
