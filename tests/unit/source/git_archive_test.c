/* Artifacts packed from Git trees (git_archive.h) are the same bytes as the artifact of a
 * libgit2 checkout of the same commit, for a tree with the awkward cases: "a" beside "a.txt"
 * (Git's tree order differs from the artifact's), executables, symlinks, a submodule gitlink,
 * .sourceignore files at two depths, default excludes; and the caps and unsafe names. */
#include "test.h"
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/artifact.h"
#include "source/git.h"
#include "source/git_archive.h"
#include "util/error.h"

static char root[] = "/tmp/tide-git-archive-test-XXXXXX";
static char url[600], cache[600];

static void setup(void)
{
	if (!mkdtemp(root))
		abort();
	fixture_sh("cd %s && git init -q -b main up && cd up && git config user.email t@t && git config user.name t"
	   " && mkdir -p a/b deep/x/y .github sub && echo 1 > a.txt && echo 2 > a/b/c.yaml && echo 3 > a-b"
	   " && printf '#!/bin/sh\\n' > run.sh && chmod +x run.sh && ln -s ../../etc/passwd escape"
	   " && ln -s a link-dir && echo ci > .github/ci.yml && echo png > logo.png"
	   " && printf '*.skip\\n!keep.skip\\n' > .sourceignore && echo s > x.skip && echo k > keep.skip"
	   " && printf 'y/\\n' > deep/.sourceignore && echo z > deep/x/y/z.yaml && echo w > deep/x/w.yaml"
	   " && echo crlf > deep/x/dos.txt && printf '*.txt text eol=crlf\\n' > .gitattributes"
	   " && echo empty > sub/f && git add -A && git commit -qm one"
	   " && git checkout -qb sub"
	   " && git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,gitlink"
	   " && git commit -qm two && git checkout -q main", root);
	snprintf(url, sizeof(url), "file://%s/up", root);
	snprintf(cache, sizeof(cache), "%s/cache", root);
}

static struct ignore_rules *rules(const char *commit, const char *dir)
{
	struct ignore_rules *ign = ignore_new();
	ignore_add_defaults(ign);
	if (dir) {
		/* as the controller loads them from a checkout: the same files, read from disk */
		char cmd[900];
		snprintf(cmd, sizeof(cmd), "cd %s && find . -name .sourceignore -type f | sort", dir);
		FILE *p = popen(cmd, "r");
		char line[512];
		while (p && fgets(line, sizeof(line), p)) {
			line[strcspn(line, "\n")] = '\0';
			char path[1024], domain[512];
			snprintf(path, sizeof(path), "%s/%s", dir, line + 2);
			snprintf(domain, sizeof(domain), "%s", line + 2);
			char *slash = strrchr(domain, '/');
			if (slash)
				*slash = '\0';
			else
				domain[0] = '\0';
			FILE *f = fopen(path, "r");
			char text[4096];
			size_t n = f ? fread(text, 1, sizeof(text), f) : 0;
			if (f)
				fclose(f);
			ignore_add(ign, domain, text, n);
		}
		if (p)
			pclose(p);
	} else {
		REQUIRE(gitsrc_load_ignore(cache, commit, ign, 1 << 20) == 0);
	}
	return ign;
}

TEST(same_bytes_as_checkout)
{
	struct gitsrc_ref_spec ref = {.branch = "main"};
	struct gitsrc_fetch_result r;
	REQUIRE(gitsrc_fetch(url, cache, &ref, NULL, &r) == 0);
	char co[700], one[700], two[700];
	snprintf(co, sizeof(co), "%s/co", root);
	snprintf(one, sizeof(one), "%s/checkout.tar.gz", root);
	snprintf(two, sizeof(two), "%s/tree.tar.gz", root);
	fixture_sh("mkdir -p %s/co", root);
	int crc = gitsrc_checkout(cache, r.commit, co);
	if (crc)
		printf("# checkout: %s\n", err_msg());
	REQUIRE(crc == 0);
	struct ignore_rules *ia = rules(r.commit, co), *ib = rules(r.commit, NULL);
	struct artifact_info a, b;
	REQUIRE(artifact_archive(co, ia, NULL, one, &a) == 0);
	REQUIRE(gitsrc_archive(cache, r.commit, ib, NULL, two, &b) == 0);
	CHECK_STR(b.digest, a.digest);
	CHECK(a.size == b.size);
	char cmd[1600];
	snprintf(cmd, sizeof(cmd), "cmp -s %s %s", one, two);
	CHECK(system(cmd) == 0);
	/* what is in it: ignored, excluded and symlinked paths are not */
	snprintf(cmd, sizeof(cmd), "tar -tzf %s | tr '\\n' ' '", two);
	FILE *p = popen(cmd, "r");
	char list[2048] = "";
	if (p) {
		if (!fgets(list, sizeof(list), p))
			list[0] = '\0';
		pclose(p);
	}
	CHECK_STR(list, ".sourceignore a/ a/b/ a/b/c.yaml a-b a.txt deep/ deep/.sourceignore deep/x/ "
			"deep/x/dos.txt deep/x/w.yaml keep.skip run.sh sub/ sub/f ");
	ignore_free(ia);
	ignore_free(ib);
}

/* A submodule is the empty directory go-git's checkout leaves (a libgit2 checkout into a
 * directory of a bare cache refuses it). */
TEST(submodule_is_an_empty_directory)
{
	struct gitsrc_ref_spec ref = {.branch = "sub"};
	struct gitsrc_fetch_result r;
	REQUIRE(gitsrc_fetch(url, cache, &ref, NULL, &r) == 0);
	char out[700], cmd[1600], list[2048] = "";
	snprintf(out, sizeof(out), "%s/sub.tar.gz", root);
	struct artifact_info info;
	REQUIRE(gitsrc_archive(cache, r.commit, NULL, NULL, out, &info) == 0);
	snprintf(cmd, sizeof(cmd), "tar -tzf %s | grep -c '^gitlink/$'", out);
	FILE *p = popen(cmd, "r");
	if (p) {
		if (!fgets(list, sizeof(list), p))
			list[0] = '\0';
		pclose(p);
	}
	CHECK_STR(list, "1\n");
}

TEST(caps_and_missing_commit)
{
	struct gitsrc_ref_spec ref = {.branch = "main"};
	struct gitsrc_fetch_result r;
	REQUIRE(gitsrc_fetch(url, cache, &ref, NULL, &r) == 0);
	char out[700];
	snprintf(out, sizeof(out), "%s/capped.tar.gz", root);
	struct artifact_info info;
	struct artifact_limits files = {0, 3}, bytes = {4, 0};
	CHECK(gitsrc_archive(cache, r.commit, NULL, &files, out, &info) == ERR_TOOBIG);
	CHECK(strstr(err_msg(), "more than 3 files") != NULL);
	CHECK(gitsrc_archive(cache, r.commit, NULL, &bytes, out, &info) == ERR_TOOBIG);
	CHECK(access(out, F_OK) != 0);
	char tmp[720];
	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	CHECK(access(tmp, F_OK) != 0);
	CHECK(gitsrc_archive(cache, "0123456789012345678901234567890123456789", NULL, NULL, out,
				 &info) == ERR_NOTFOUND);
	struct ignore_rules *ign = ignore_new();
	CHECK(gitsrc_load_ignore(cache, r.commit, ign, 4) == ERR_TOOBIG);
	ignore_free(ign);
}

int main(void)
{
	setup();
	RUN(same_bytes_as_checkout);
	RUN(submodule_is_an_empty_directory);
	RUN(caps_and_missing_commit);
	fixture_sh("rm -rf %s", root);
	return test_done();
}
