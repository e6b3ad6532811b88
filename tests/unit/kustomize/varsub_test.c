#include "test.h"

#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "kustomize/varsub.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

static const struct varsub_var V[] = {
	{ "env", "prod" }, { "region", "eu-west-1" }, { "empty", "" }, { "env", "staging" },
	{ "Name", "hello world" },
};
static const struct varsub_vars VARS = { V, 5, false };
static const struct varsub_vars STRICT = { V, 5, true };

static char got[512];

static const char *ev(const char *in, const struct varsub_vars *v)
{
	struct buf b = BUF_INIT;
	int rc = varsub_eval(in, strlen(in), v, &b);
	snprintf(got, sizeof got, "%s", rc ? "ERR" : b.ptr);
	buf_release(&b);
	return got;
}

TEST(plain_and_override) { CHECK_STR(ev("a ${env} b", &VARS), "a staging b"); }
TEST(undefined_is_empty) { CHECK_STR(ev("x${nope}y", &VARS), "xy"); }
TEST(shell_var_kept) { CHECK_STR(ev("echo $HOME $1 $", &VARS), "echo $HOME $1 $"); }
TEST(escape) { CHECK_STR(ev("$${env} $$x", &VARS), "${env} $x"); }
TEST(defaults)
{
	CHECK_STR(ev("${nope:=dev}", &VARS), "dev");
	CHECK_STR(ev("${nope:-dev}", &VARS), "dev");
	CHECK_STR(ev("${empty:=dev}", &VARS), "dev");
	CHECK_STR(ev("${empty=dev}", &VARS), "");
	CHECK_STR(ev("${env:=dev}", &VARS), "staging");
	CHECK_STR(ev("${nope:=${region}}", &VARS), "eu-west-1");
	CHECK_STR(ev("${env:+yes}${nope:+no}", &VARS), "yes");
}
TEST(string_functions)
{
	CHECK_STR(ev("${#region}", &VARS), "9");
	CHECK_STR(ev("${region:3}", &VARS), "west-1");
	CHECK_STR(ev("${region:3:4}", &VARS), "west");
	CHECK_STR(ev("${region/-/_}", &VARS), "eu_west-1");
	CHECK_STR(ev("${region//-/_}", &VARS), "eu_west_1");
	CHECK_STR(ev("${region#eu-}", &VARS), "west-1");
	CHECK_STR(ev("${region%-1}", &VARS), "eu-west");
	CHECK_STR(ev("${env^}", &VARS), "Staging");
	CHECK_STR(ev("${env^^}", &VARS), "STAGING");
	CHECK_STR(ev("${Name,}", &VARS), "hello world");
}
TEST(errors)
{
	CHECK_STR(ev("${env", &VARS), "ERR");
	CHECK_STR(ev("${}", &VARS), "ERR");
	CHECK_STR(ev("${env:x}", &VARS), "ERR");
}
TEST(strict)
{
	CHECK_STR(ev("${nope}", &STRICT), "ERR");
	CHECK(strstr(err_msg(), "variable not set (strict mode): \"nope\"") != NULL);
	CHECK_STR(ev("${nope:=d}", &STRICT), "d");
	CHECK_STR(ev("${empty}", &STRICT), "");
}
TEST(names)
{
	CHECK(varsub_valid_name("_a1"));
	CHECK(varsub_valid_name("cluster_env"));
	CHECK(!varsub_valid_name("1a"));
	CHECK(!varsub_valid_name("a-b"));
	CHECK(!varsub_valid_name(""));
}
TEST(object)
{
	struct arena *a = arena_new();
	const char *y = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${env}\n"
			"data:\n  replicas: \"${n:=3}\"\n  s: $${keep}\n";
	struct doc_stream s = { 0 };
	REQUIRE(doc_parse_yaml(a, "t", y, strlen(y), NULL, &s) == 0 && s.len == 1);
	struct doc_node *out;
	REQUIRE(varsub_object(a, s.docs[0], &VARS, &out) == 0);
	CHECK_STR(doc_get_str(out, "metadata.name"), "cm-staging");
	CHECK_STR(doc_get_str(out, "data.replicas"), "3");
	CHECK_STR(doc_get_str(out, "data.s"), "${keep}");

	const char *d = "kind: ConfigMap\nmetadata:\n  name: x-${env}\n  labels:\n"
			"    kustomize.toolkit.fluxcd.io/substitute: disabled\n";
	struct doc_stream s2 = { 0 };
	REQUIRE(doc_parse_yaml(a, "t", d, strlen(d), NULL, &s2) == 0);
	REQUIRE(varsub_object(a, s2.docs[0], &VARS, &out) == 0);
	CHECK(out == s2.docs[0]);
	CHECK_STR(doc_get_str(out, "metadata.name"), "x-${env}");
	arena_free(a);
}

/* Issue 16 row 8: the cap is checked while substituting, not after the whole result. */
TEST(output_cap_while_substituting)
{
	size_t vn = 1u << 20;
	char *big = malloc(vn + 1);
	REQUIRE(big != NULL);
	memset(big, 'x', vn);
	big[vn] = '\0';
	struct varsub_var v[] = { { "big", big } };
	struct varsub_vars vars = { v, 1, false, 0 };
	struct buf in = BUF_INIT;
	for (int i = 0; i < 2048; i++) /* 2 GiB if it were all built */
		buf_adds(&in, "${big}");
	struct buf out;
	buf_init(&out, 4u << 20);
	CHECK_INT(varsub_eval(in.ptr, in.len, &vars, &out), ERR_TOOBIG);
	CHECK(strstr(err_msg(), "larger than 4194304 bytes") != NULL);
	CHECK(out.len <= 4u << 20);
	buf_release(&out);

	/* varsub_object caps at 64 MiB by default, or at max_output. */
	struct arena *a = arena_new();
	struct buf y = BUF_INIT;
	buf_adds(&y, "kind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  v: \"");
	buf_add(&y, in.ptr, in.len);
	buf_adds(&y, "\"\n");
	struct doc_stream s = { 0 };
	REQUIRE(doc_parse_yaml(a, "t", y.ptr, y.len, NULL, &s) == 0 && s.len == 1);
	struct doc_node *o;
	CHECK_INT(varsub_object(a, s.docs[0], &vars, &o), ERR_TOOBIG);
	CHECK(strstr(err_msg(), "larger than 67108864 bytes") != NULL);
	vars.max_output = 1u << 20;
	CHECK_INT(varsub_object(a, s.docs[0], &vars, &o), ERR_TOOBIG);
	CHECK(strstr(err_msg(), "ConfigMap/cm") != NULL);
	arena_free(a);
	buf_release(&y);
	buf_release(&in);
	free(big);
}

int main(void)
{
	RUN(plain_and_override);
	RUN(undefined_is_empty);
	RUN(shell_var_kept);
	RUN(escape);
	RUN(defaults);
	RUN(string_functions);
	RUN(errors);
	RUN(strict);
	RUN(names);
	RUN(object);
	RUN(output_cap_while_substituting);
	return test_done();
}
