#include "test.h"

#include "source/ignore.h"
#include "util/error.h"

static struct ignore_rules *rules(const char *text)
{
	struct ignore_rules *r = ignore_new();
	ignore_add(r, "", text, strlen(text));
	return r;
}

/* A path, whether it is a directory, and what ignore_match should say (1 ignored). */
struct match_case {
	const char *path;
	int dir, want;
};

/* Checks ignore_match on each of the n cases; a failure names its path. */
static void check_matches(const struct ignore_rules *r, const struct match_case *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int got = ignore_match(r, t[i].path, t[i].dir);
		if (got != t[i].want) {
			test_cur_failed = 1;
			printf("#   %s: ignore_match(\"%s\", %d): got %d, want %d\n", __FILE__, t[i].path,
			       t[i].dir, got, t[i].want);
		}
	}
}
#define CHECK_MATCHES(r, cases) check_matches(r, cases, sizeof(cases) / sizeof(*(cases)))

TEST(names_match_at_any_depth)
{
	struct ignore_rules *r = rules("# comment\n\nfoo\n*.log\n");
	static const struct match_case m[] = {
		{ "foo", 0, 1 },
		{ "a/b/foo", 0, 1 },
		{ "a/foo/b.yaml", 0, 1 },
		{ "x/debug.log", 0, 1 },
		{ "foobar", 0, 0 },
		{ "# comment", 0, 0 },
	};
	CHECK_MATCHES(r, m);
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
	static const struct match_case m[] = {
		{ "build", 1, 1 },
		{ "build", 0, 0 },
		{ "x/build/out.yaml", 0, 1 },
	};
	CHECK_MATCHES(r, m);
	ignore_free(r);
}

TEST(anchored_and_double_star)
{
	struct ignore_rules *r = rules("/top.yaml\ndeploy/*.yaml\n**/secret.txt\nlogs/**\na/**/z\n");
	static const struct match_case m[] = {
		{ "top.yaml", 0, 1 },
		{ "sub/top.yaml", 0, 0 },
		{ "deploy/app.yaml", 0, 1 },
		{ "x/deploy/app.yaml", 0, 0 },
		{ "deploy/sub/app.yaml", 0, 0 },
		{ "secret.txt", 0, 1 },
		{ "a/b/secret.txt", 0, 1 },
		{ "logs/a/b.txt", 0, 1 },
		{ "logs", 1, 0 },
		{ "a/z", 0, 1 },
		{ "a/b/c/z", 0, 1 },
		{ "a/b/c/y", 0, 0 },
	};
	CHECK_MATCHES(r, m);
	ignore_free(r);
}

TEST(domains_from_nested_sourceignore)
{
	struct ignore_rules *r = ignore_new();
	const char *t = "*.txt\n/only-here.yaml\n";
	CHECK_INT(ignore_add(r, "apps/dev", t, strlen(t)), 0);
	static const struct match_case m[] = {
		{ "apps/dev/notes.txt", 0, 1 },
		{ "apps/dev/x/notes.txt", 0, 1 },
		{ "apps/prod/notes.txt", 0, 0 },
		{ "notes.txt", 0, 0 },
		{ "apps/dev/only-here.yaml", 0, 1 },
		{ "apps/dev/x/only-here.yaml", 0, 0 },
	};
	CHECK_MATCHES(r, m);
	ignore_free(r);
}

TEST(flux_defaults)
{
	struct ignore_rules *r = ignore_new();
	ignore_add_defaults(r);
	static const struct match_case m[] = {
		{ ".git", 1, 1 },
		{ ".git/config", 0, 1 },
		{ ".github/workflows/ci.yaml", 0, 1 },
		{ "img/logo.png", 0, 1 },
		{ "charts/app.tar.gz", 0, 1 },
		{ "clusters/prod/.sops.yaml", 0, 1 },
		{ ".gitlab-ci.yml", 0, 1 },
		{ "apps/deploy.yaml", 0, 0 },
		{ ".gitkeep", 0, 0 },
	};
	CHECK_MATCHES(r, m);
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
