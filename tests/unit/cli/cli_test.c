/* Unit tests for src/cli: flag parsing, durations, the flux-style table. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/flags.h"
#include "cli/table.h"
#include "test.h"
#include "util/error.h"

TEST(parses_long_short_and_positional)
{
	struct cli_globals g;
	bool export = false;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 1] = {
		{ "export", 0, FLAG_BOOL, &export, "", NULL },
	};
	cli_global_flags(flags + 1, &g);
	char a0[] = "get", a1[] = "-n", a2[] = "apps", a3[] = "name1", a4[] = "--timeout=90s",
	     a5[] = "--export", a6[] = "-A", a7[] = "--kubeconfig", a8[] = "/k";
	char *argv[] = { a0, a1, a2, a3, a4, a5, a6, a7, a8 };
	const char *args[2];
	size_t n;
	REQUIRE(cli_parse(9, argv, flags, CLI_GLOBAL_FLAG_COUNT + 1, args, 2, &n) == 0);
	CHECK_INT(n, 1);
	CHECK_STR(args[0], "name1");
	CHECK_STR(g.namespace, "apps");
	CHECK_INT(g.timeout_ms, 90000);
	CHECK(export);
	CHECK(g.all_namespaces);
	CHECK_STR(g.kubeconfig, "/k");
}

TEST(rejects_unknown_and_bad_values)
{
	struct cli_globals g;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT];
	cli_global_flags(flags, &g);
	const char *args[1];
	size_t n;
	char a0[] = "x", a1[] = "--nope";
	char *argv1[] = { a0, a1 };
	CHECK_INT(cli_parse(2, argv1, flags, CLI_GLOBAL_FLAG_COUNT, args, 1, &n), ERR_INVALID);
	CHECK_STR(err_msg(), "unknown flag: --nope");
	char b1[] = "--timeout", b2[] = "soon";
	char *argv2[] = { a0, b1, b2 };
	CHECK_INT(cli_parse(3, argv2, flags, CLI_GLOBAL_FLAG_COUNT, args, 1, &n), ERR_INVALID);
	char c1[] = "--context";
	char *argv3[] = { a0, c1 };
	CHECK_INT(cli_parse(2, argv3, flags, CLI_GLOBAL_FLAG_COUNT, args, 1, &n), ERR_INVALID);
	CHECK_STR(err_msg(), "flag needs an argument: --context");
}

/* Parses --timeout=<s> as cli_parse does; the value in *ms. */
static int parse_timeout(const char *s, int64_t *ms)
{
	struct cli_globals g;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT];
	cli_global_flags(flags, &g);
	char a0[] = "x", a1[64];
	snprintf(a1, sizeof(a1), "--timeout=%s", s);
	char *argv[] = { a0, a1 };
	const char *args[1];
	size_t n;
	int rc = cli_parse(2, argv, flags, CLI_GLOBAL_FLAG_COUNT, args, 1, &n);
	*ms = g.timeout_ms;
	return rc;
}

/* Duration flags are pflag's, which parse with Go's time.ParseDuration. */
TEST(durations_like_go)
{
	int64_t ms;
	CHECK_INT(parse_timeout("1h30m", &ms), 0);
	CHECK_INT(ms, 5400000);
	CHECK_INT(parse_timeout("250ms", &ms), 0);
	CHECK_INT(ms, 250);
	CHECK_INT(parse_timeout("1.5s", &ms), 0);
	CHECK_INT(ms, 1500);
	CHECK_INT(parse_timeout("-1s", &ms), 0);
	CHECK_INT(ms, -1000);
	CHECK_INT(parse_timeout("1500us", &ms), 0);
	CHECK_INT(ms, 1);
	CHECK_INT(parse_timeout("10", &ms), ERR_INVALID);
	CHECK_STR(err_msg(), "invalid argument \"10\" for \"--timeout\" flag: time: missing unit in duration \"10\"");
	CHECK_INT(parse_timeout("", &ms), ERR_INVALID);
	CHECK_STR(err_msg(), "invalid argument \"\" for \"--timeout\" flag: time: invalid duration \"\"");
	CHECK_INT(parse_timeout("1e3s", &ms), ERR_INVALID);
	CHECK_STR(err_msg(), "invalid argument \"1e3s\" for \"--timeout\" flag: time: unknown unit \"e\" in duration \"1e3s\"");
}

TEST(table_matches_flux_layout)
{
	const char *header[] = { "Name", "Ready", "Message" };
	struct table *t = table_new(header, 3);
	table_add(t, (const char *[]){ "flux-system", "True", "Applied revision: main@sha1:ab" });
	table_add(t, (const char *[]){ "apps", "False", NULL });
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	table_print(t, f);
	fclose(f);
	CHECK_STR(text, "NAME       \tREADY\tMESSAGE                        \n"
			"flux-system\tTrue \tApplied revision: main@sha1:ab\t\n"
			"apps       \tFalse\t                              \t\n");
	free(text);
	table_free(t);
}

int main(void)
{
	RUN(parses_long_short_and_positional);
	RUN(rejects_unknown_and_bad_values);
	RUN(durations_like_go);
	RUN(table_matches_flux_layout);
	return test_done();
}
