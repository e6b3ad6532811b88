#include "test.h"

#include "util/semver.h"
#include "util/error.h"

static int sat(const char *con, const char *ver)
{
	struct semver_constraint *c;
	struct semver v;
	if (semver_constraint_parse(con, &c) != 0)
		return -1;
	if (semver_parse(ver, &v) != 0) {
		semver_constraint_free(c);
		return -2;
	}
	int r = semver_constraint_check(c, &v);
	semver_constraint_free(c);
	return r;
}

/* A constraint, a version, and what sat() should say (1 satisfied, 0 not). */
struct sat_case {
	const char *constraint, *version;
	int want;
};

/* Checks sat() on each of the n cases; a failure names its case. */
static void check_sat(const struct sat_case *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int got = sat(t[i].constraint, t[i].version);
		if (got != t[i].want) {
			test_cur_failed = 1;
			printf("#   %s: sat(\"%s\", \"%s\"): got %d, want %d\n", __FILE__, t[i].constraint,
			       t[i].version, got, t[i].want);
		}
	}
}

static int cmp(const char *a, const char *b)
{
	struct semver x, y;
	if (semver_parse(a, &x) || semver_parse(b, &y))
		return 99;
	return semver_compare(&x, &y);
}

TEST(parses_lax_versions)
{
	struct semver v;
	CHECK_INT(semver_parse("v1.2.3", &v), 0);
	CHECK_INT(v.major, 1);
	CHECK_INT(v.patch, 3);
	CHECK_INT(semver_parse("1.2", &v), 0);
	CHECK_INT(v.minor, 2);
	CHECK_INT(v.patch, 0);
	CHECK_INT(semver_parse("1.0.0-rc.1+build.5", &v), 0);
	CHECK_STR(v.pre, "rc.1");
	CHECK_INT(semver_parse("", &v), ERR_INVALID);
	CHECK_INT(semver_parse("latest", &v), ERR_INVALID);
	CHECK_INT(semver_parse("1.2.3.4", &v), ERR_INVALID);
	CHECK_INT(semver_parse("1.2.3-", &v), ERR_INVALID);
	CHECK_INT(semver_parse("1.2.3-a..b", &v), ERR_INVALID);
	CHECK_INT(semver_parse("99999999999999999999999.0.0", &v), ERR_INVALID);
}

TEST(compares_per_semver_2)
{
	CHECK_INT(cmp("1.0.0", "1.0.0"), 0);
	CHECK_INT(cmp("v1.0.0", "1.0.0+meta"), 0);
	CHECK_INT(cmp("1.0.0-alpha", "1.0.0"), -1);
	CHECK_INT(cmp("1.0.0-alpha", "1.0.0-alpha.1"), -1);
	CHECK_INT(cmp("1.0.0-alpha.1", "1.0.0-alpha.beta"), -1);
	CHECK_INT(cmp("1.0.0-beta.2", "1.0.0-beta.11"), -1);
	CHECK_INT(cmp("1.0.0-rc.1", "1.0.0-beta.11"), 1);
	CHECK_INT(cmp("1.10.0", "1.9.9"), 1);
	CHECK_INT(cmp("2.0.0", "10.0.0"), -1);
}

TEST(operators)
{
	static const struct sat_case cases[] = {
		{ "1.2.3", "1.2.3", 1 },
		{ "=1.2.3", "1.2.4", 0 },
		{ "!=1.2.3", "1.2.4", 1 },
		{ "!=1.2.3", "1.2.3", 0 },
		{ ">1.2.3", "1.2.4", 1 },
		{ ">1.2.3", "1.2.3", 0 },
		{ ">=1.2.3", "1.2.3", 1 },
		{ "<1.2.3", "1.2.2", 1 },
		{ "<1.2.3", "1.2.3", 0 },
		{ "<=1.2.3", "1.2.3", 1 },
		{ "=<1.2.3", "1.2.4", 0 },
		{ ">= 1.0.0, < 2.0.0", "1.9.9", 1 },
		{ ">= 1.0.0 < 2.0.0", "2.0.0", 0 },
		{ "<1.0.0 || >=3.0.0", "3.1.0", 1 },
		{ "<1.0.0 || >=3.0.0", "2.1.0", 0 },
	};
	check_sat(cases, sizeof(cases) / sizeof(*cases));
}

TEST(wildcards_tilde_caret_hyphen)
{
	static const struct sat_case cases[] = {
		{ "*", "4.5.6", 1 },
		{ "1.2.x", "1.2.9", 1 },
		{ "1.2.x", "1.3.0", 0 },
		{ "1.2", "1.2.7", 1 },
		{ "1.x", "1.99.0", 1 },
		{ "1.x", "2.0.0", 0 },
		{ ">1.2.x", "1.2.9", 0 },
		{ ">1.2.x", "1.3.0", 1 },
		{ "<=1.2", "1.2.9", 1 },
		{ "<=1.2", "1.3.0", 0 },
		{ "~1.2.3", "1.2.9", 1 },
		{ "~1.2.3", "1.3.0", 0 },
		{ "~1", "1.9.0", 1 },
		{ "~>1.2", "1.3.0", 0 },
		{ "^1.2.3", "1.9.0", 1 },
		{ "^1.2.3", "2.0.0", 0 },
		{ "^0.2.3", "0.2.9", 1 },
		{ "^0.2.3", "0.3.0", 0 },
		{ "^0.0.3", "0.0.4", 0 },
		{ "1.2 - 1.4.5", "1.4.5", 1 },
		{ "1.2 - 1.4.5", "1.4.6", 0 },
		{ "1.2.3 - 2.3", "2.3.9", 1 },
		{ "1.2.3 - 2.3", "1.2.2", 0 },
	};
	check_sat(cases, sizeof(cases) / sizeof(*cases));
}

TEST(prereleases_need_a_prerelease_constraint)
{
	static const struct sat_case cases[] = {
		{ ">=1.0.0", "1.5.0-rc.1", 0 },
		{ "1.x", "1.5.0-rc.1", 0 },
		{ ">=1.0.0-0", "1.5.0-rc.1", 1 },
		{ ">=1.5.0-rc.2", "1.5.0-rc.1", 0 },
	};
	check_sat(cases, sizeof(cases) / sizeof(*cases));
}

TEST(rejects_bad_constraints)
{
	struct semver_constraint *c = (struct semver_constraint *)1;
	CHECK_INT(semver_constraint_parse("", &c), ERR_INVALID);
	CHECK(c == NULL);
	CHECK_INT(semver_constraint_parse("abc", &c), ERR_INVALID);
	CHECK_INT(semver_constraint_parse(">>1.0", &c), ERR_INVALID);
	CHECK_INT(semver_constraint_parse("1.0 ||", &c), ERR_INVALID);
	CHECK_INT(semver_constraint_parse("1.0.0abc", &c), ERR_INVALID);
	CHECK_INT(semver_constraint_parse("!1.0", &c), ERR_INVALID);
	CHECK(strstr(err_msg(), "improper constraint: !1.0") != NULL);
}

TEST(picks_latest_tag)
{
	const char *tags[] = {"v1.0.0", "v1.2.0", "latest", "v1.10.0-rc.1", "v1.9.3", "v2.0.0", "1.9.3"};
	struct semver_constraint *c;
	REQUIRE(semver_constraint_parse("1.x", &c) == 0);
	CHECK_INT(semver_latest(c, tags, 7), 4);
	semver_constraint_free(c);
	REQUIRE(semver_constraint_parse(">=3", &c) == 0);
	CHECK_INT(semver_latest(c, tags, 7), -1);
	semver_constraint_free(c);
}

int main(void)
{
	RUN(parses_lax_versions);
	RUN(compares_per_semver_2);
	RUN(operators);
	RUN(wildcards_tilde_caret_hyphen);
	RUN(prereleases_need_a_prerelease_constraint);
	RUN(rejects_bad_constraints);
	RUN(picks_latest_tag);
	return test_done();
}
