#include "test.h"

#include "source/ignore.h"
#include "util/error.h"

static struct ignore_rules *rules(const char *text)
{
	struct ignore_rules *r = ignore_new();
	ignore_add(r, "", text, strlen(text));
	return r;
}

TEST(names_match_at_any_depth)
{
	struct ignore_rules *r = rules("# comment\n\nfoo\n*.log\n");
	CHECK_INT(ignore_match(r, "foo", 0), 1);
	CHECK_INT(ignore_match(r, "a/b/foo", 0), 1);
	CHECK_INT(ignore_match(r, "a/foo/b.yaml", 0), 1);
	CHECK_INT(ignore_match(r, "x/debug.log", 0), 1);
	CHECK_INT(ignore_match(r, "foobar", 0), 0);
	CHECK_INT(ignore_match(r, "# comment", 0), 0);
	ignore_free(r);
}

TEST(negation_last_match_wins)
{
	struct ignore_rules *r = rules("*.yaml\n!keep.yaml\n");
	CHECK_INT(ignore_match(r, "a.yaml", 0), 1);
	CHECK_INT(ignore_match(r, "dir/keep.yaml", 0), 0);
	ignore_free(r);
	r = rules("!keep.yaml\n*.yaml\n");
	CHECK_INT(ignore_match(r, "keep.yaml", 0), 1);
	ignore_free(r);
	r = rules("\\!bang\n\\#hash\n");
	CHECK_INT(ignore_match(r, "!bang", 0), 1);
	CHECK_INT(ignore_match(r, "#hash", 0), 1);
	ignore_free(r);
}

TEST(dir_only)
{
	struct ignore_rules *r = rules("build/\n");
	CHECK_INT(ignore_match(r, "build", 1), 1);
	CHECK_INT(ignore_match(r, "build", 0), 0);
	CHECK_INT(ignore_match(r, "x/build/out.yaml", 0), 1);
	ignore_free(r);
}

TEST(anchored_and_double_star)
{
	struct ignore_rules *r = rules("/top.yaml\ndeploy/*.yaml\n**/secret.txt\nlogs/**\na/**/z\n");
	CHECK_INT(ignore_match(r, "top.yaml", 0), 1);
	CHECK_INT(ignore_match(r, "sub/top.yaml", 0), 0);
	CHECK_INT(ignore_match(r, "deploy/app.yaml", 0), 1);
	CHECK_INT(ignore_match(r, "x/deploy/app.yaml", 0), 0);
	CHECK_INT(ignore_match(r, "deploy/sub/app.yaml", 0), 0);
	CHECK_INT(ignore_match(r, "secret.txt", 0), 1);
	CHECK_INT(ignore_match(r, "a/b/secret.txt", 0), 1);
	CHECK_INT(ignore_match(r, "logs/a/b.txt", 0), 1);
	CHECK_INT(ignore_match(r, "logs", 1), 0);
	CHECK_INT(ignore_match(r, "a/z", 0), 1);
	CHECK_INT(ignore_match(r, "a/b/c/z", 0), 1);
	CHECK_INT(ignore_match(r, "a/b/c/y", 0), 0);
	ignore_free(r);
}

TEST(domains_from_nested_sourceignore)
{
	struct ignore_rules *r = ignore_new();
	const char *t = "*.txt\n/only-here.yaml\n";
	CHECK_INT(ignore_add(r, "apps/dev", t, strlen(t)), 0);
	CHECK_INT(ignore_match(r, "apps/dev/notes.txt", 0), 1);
	CHECK_INT(ignore_match(r, "apps/dev/x/notes.txt", 0), 1);
	CHECK_INT(ignore_match(r, "apps/prod/notes.txt", 0), 0);
	CHECK_INT(ignore_match(r, "notes.txt", 0), 0);
	CHECK_INT(ignore_match(r, "apps/dev/only-here.yaml", 0), 1);
	CHECK_INT(ignore_match(r, "apps/dev/x/only-here.yaml", 0), 0);
	ignore_free(r);
}

TEST(flux_defaults)
{
	struct ignore_rules *r = ignore_new();
	ignore_add_defaults(r);
	CHECK_INT(ignore_match(r, ".git", 1), 1);
	CHECK_INT(ignore_match(r, ".git/config", 0), 1);
	CHECK_INT(ignore_match(r, ".github/workflows/ci.yaml", 0), 1);
	CHECK_INT(ignore_match(r, "img/logo.png", 0), 1);
	CHECK_INT(ignore_match(r, "charts/app.tar.gz", 0), 1);
	CHECK_INT(ignore_match(r, "clusters/prod/.sops.yaml", 0), 1);
	CHECK_INT(ignore_match(r, ".gitlab-ci.yml", 0), 1);
	CHECK_INT(ignore_match(r, "apps/deploy.yaml", 0), 0);
	CHECK_INT(ignore_match(r, ".gitkeep", 0), 0);
	const char *user = "!*.png\n";
	ignore_add(r, "", user, strlen(user));
	CHECK_INT(ignore_match(r, "img/logo.png", 0), 0);
	ignore_free(r);
}

TEST(caps_pattern_count)
{
	struct ignore_rules *r = ignore_new();
	char line[] = "x\n";
	int rc = 0;
	for (int i = 0; i < 10001 && rc == 0; i++)
		rc = ignore_add(r, "", line, 2);
	CHECK_INT(rc, ERR_TOOBIG);
	ignore_free(r);
}

int main(void)
{
	RUN(names_match_at_any_depth);
	RUN(negation_last_match_wins);
	RUN(dir_only);
	RUN(anchored_and_double_star);
	RUN(domains_from_nested_sourceignore);
	RUN(flux_defaults);
	RUN(caps_pattern_count);
	return test_done();
}
