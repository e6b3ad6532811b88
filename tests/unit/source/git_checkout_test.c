/* Checkouts with a sparse filter and submodules (gitsrc_checkout_with), and the
 * deadline that interrupts blocked calls (deadline.h). */
#include "test.h"
#include "fixture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/deadline.h"
#include "source/git.h"
#include "util/error.h"

static char root[] = "/tmp/tide-gitco-test-XXXXXX";
static char url[600], cache[600];

static void setup(void)
{
	if (!mkdtemp(root))
		abort();
	const char *g = "git -c user.email=t@t -c user.name=t -c protocol.file.allow=always";
	fixture_sh("cd %s && git init -q -b main sub && cd sub && mkdir c && echo c > c/c.yaml && %s add . && %s commit -qm s",
	   root, g, g);
	fixture_sh("cd %s && git init -q -b main up && cd up && mkdir -p deploy/prod docs && echo a > deploy/prod/a.yaml"
	   " && echo b > deploy.yaml && echo d > docs/d.md && echo r > README.md && %s add . && %s commit -qm one"
	   " && %s submodule -q add ../sub mods/sub && %s commit -qm two",
	   root, g, g, g, g);
	snprintf(url, sizeof(url), "file://%s/up", root);
	snprintf(cache, sizeof(cache), "%s/cache", root);
}

/* The files under dir, sorted, space-separated. */
static const char *listing(const char *dir)
{
	static char out[4096];
	char cmd[900];
	snprintf(cmd, sizeof(cmd), "cd %s && find . -mindepth 1 | sed 's|^./||' | sort | tr '\\n' ' '", dir);
	FILE *p = popen(cmd, "r");
	out[0] = '\0';
	if (!p || !fgets(out, sizeof(out), p))
		out[0] = '\0';
	if (p)
		pclose(p);
	return out;
}

static const char *fresh_dir(const char *name)
{
	static char d[700];
	snprintf(d, sizeof(d), "%s/%s", root, name);
	mkdir(d, 0755);
	return d;
}

static struct gitsrc_fetch_result head;

TEST(whole_tree_leaves_submodule_dir_empty)
{
	struct gitsrc_ref_spec ref = {.branch = "main"};
	REQUIRE(gitsrc_fetch(url, cache, &ref, NULL, &head) == 0);
	const char *d = fresh_dir("plain");
	REQUIRE(gitsrc_checkout_with(cache, head.commit, d, NULL) == 0);
	CHECK_STR(listing(d), ".gitmodules README.md deploy deploy.yaml deploy/prod deploy/prod/a.yaml docs docs/d.md mods mods/sub ");
}

TEST(sparse_takes_directories_not_prefixes)
{
	const char *dirs[] = {"./deploy/", "docs"};
	struct gitsrc_checkout_spec s = {.sparse = dirs, .nsparse = 2};
	const char *d = fresh_dir("sparse");
	REQUIRE(gitsrc_checkout_with(cache, head.commit, d, &s) == 0);
	/* deploy.yaml shares the prefix "deploy" but is not in the directory */
	CHECK_STR(listing(d), "deploy deploy/prod deploy/prod/a.yaml docs docs/d.md ");
}

TEST(sparse_nested_directory)
{
	const char *dirs[] = {"deploy/prod"};
	struct gitsrc_checkout_spec s = {.sparse = dirs, .nsparse = 1};
	const char *d = fresh_dir("nested");
	REQUIRE(gitsrc_checkout_with(cache, head.commit, d, &s) == 0);
	CHECK_STR(listing(d), "deploy deploy/prod deploy/prod/a.yaml ");
}

TEST(sparse_nothing_matches)
{
	const char *dirs[] = {"nothere"};
	struct gitsrc_checkout_spec s = {.sparse = dirs, .nsparse = 1};
	const char *d = fresh_dir("none");
	REQUIRE(gitsrc_checkout_with(cache, head.commit, d, &s) == 0);
	CHECK_STR(listing(d), "");
}

TEST(submodule_with_relative_url)
{
	char modules[700];
	snprintf(modules, sizeof(modules), "%s/modules", cache);
	struct gitsrc_checkout_spec s = {.recurse_submodules = 1, .url = url, .modules_dir = modules};
	const char *d = fresh_dir("recurse");
	REQUIRE(gitsrc_checkout_with(cache, head.commit, d, &s) == 0);
	CHECK_STR(listing(d), ".gitmodules README.md deploy deploy.yaml deploy/prod deploy/prod/a.yaml docs docs/d.md mods mods/sub mods/sub/c mods/sub/c/c.yaml ");
}

TEST(submodule_unreachable_names_it)
{
	char modules[700];
	snprintf(modules, sizeof(modules), "%s/modules2", cache);
	/* resolved against another parent URL, "../sub" does not exist */
	struct gitsrc_checkout_spec s = {.recurse_submodules = 1, .url = "file:///nonexistent/up", .modules_dir = modules};
	const char *d = fresh_dir("broken");
	CHECK(gitsrc_checkout_with(cache, head.commit, d, &s) != 0);
	CHECK(strstr(err_msg(), "failed to update submodule 'mods/sub' from 'file:///nonexistent/sub'") != NULL);
}

TEST(deadline_interrupts_a_blocked_read)
{
	int fds[2];
	REQUIRE(pipe(fds) == 0);
	struct source_deadline *d = source_deadline_arm(100);
	char c;
	ssize_t n = read(fds[0], &c, 1); /* nobody writes: blocks until interrupted */
	int e = errno;
	CHECK(source_deadline_disarm(d) == 1);
	CHECK(n == -1 && e == EINTR);
	close(fds[0]);
	close(fds[1]);
}

TEST(deadline_not_reached)
{
	struct source_deadline *d = source_deadline_arm(10000);
	CHECK(source_deadline_disarm(d) == 0);
	CHECK(source_deadline_arm(0) == NULL);
	CHECK(source_deadline_disarm(NULL) == 0);
}

int main(void)
{
	setup();
	RUN(whole_tree_leaves_submodule_dir_empty);
	RUN(sparse_takes_directories_not_prefixes);
	RUN(sparse_nested_directory);
	RUN(sparse_nothing_matches);
	RUN(submodule_with_relative_url);
	RUN(submodule_unreachable_names_it);
	RUN(deadline_interrupts_a_blocked_read);
	RUN(deadline_not_reached);
	fixture_sh("rm -rf %s", root);
	return test_done();
}
