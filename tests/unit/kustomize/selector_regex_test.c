/*
 * Patch target selectors are Go regular expressions, as kustomize's SelectorRegex
 * (api/types/selector.go) makes them: group, version, kind, name and namespace each anchored
 * as "^(?:" + field + ")$" and compiled with regexp.Compile before any resource is looked at.
 * An invalid one fails the build with Go's error text (it used to be ignored and the patch
 * silently not applied); a valid one selects as Go would. Trees are written to a temporary
 * directory and built with kust_build_yaml.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kustomize/kustomize.h"
#include "test.h"
#include "fixture.h"
#include "build_fixture.h"
#include "util/buf.h"
#include "util/error.h"

static char *root;

static void put(const char *rel, const char *text)
{
	fixture_write(root, rel, text);
}

static const char resources[] =
	"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-1\n"
	"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-2\n"
	"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n"
	"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aab\n";

/* Writes dir/kustomization.yaml patching the targets `target` (a YAML flow mapping) with a
 * label, builds it and returns the error code; the output or message in *out (static). */
static int build_with_target(const char *dir, const char *target, const char **out)
{
	char rel[128], k[1024];
	snprintf(rel, sizeof(rel), "%s/res.yaml", dir);
	put(rel, resources);
	snprintf(k, sizeof(k),
		 "resources: [res.yaml]\n"
		 "patches:\n"
		 "- target: %s\n"
		 "  patch: |\n"
		 "    - op: add\n"
		 "      path: /metadata/labels\n"
		 "      value: {patched: \"yes\"}\n",
		 target);
	snprintf(rel, sizeof(rel), "%s/kustomization.yaml", dir);
	put(rel, k);
	return fixture_kust_build(root, dir, false, out);
}

/* How many objects got the label. */
static int patched(const char *yaml)
{
	int n = 0;
	for (const char *s = yaml; (s = strstr(s, "patched:")); s++)
		n++;
	return n;
}

TEST(invalid_target_fails_with_gos_message)
{
	static const struct {
		const char *target, *msg;
	} t[] = {
		/* the anchored text is what Go quotes */
		{ "{name: 'app-['}", "error parsing regexp: missing closing ]: `[)$`" },
		{ "{name: '(a*)\\1'}", "error parsing regexp: invalid escape sequence: `\\1`" },
		{ "{name: 'a{1,30000}'}", "error parsing regexp: invalid repeat count: `{1,30000}`" },
		{ "{name: '(?=app)'}", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`" },
		{ "{namespace: 'a**'}", "error parsing regexp: invalid nested repetition operator: `**`" },
		{ "{kind: 'Config(Map', name: 'app-['}", "error parsing regexp: missing closing ): `^(?:Config(Map)$`" },
		/* no resource is selected, and the regexp is still compiled first */
		{ "{kind: Secret, name: '+'}", "error parsing regexp: missing argument to repetition operator: `+`" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		const char *out;
		int rc = build_with_target("bad", t[i].target, &out);
		CHECK_INT(rc, ERR_INVALID);
		CHECK_STR(out, t[i].msg);
	}
}

TEST(valid_target_selects)
{
	const char *out;
	REQUIRE(build_with_target("good", "{name: app-.*}", &out) == 0);
	CHECK_INT(patched(out), 2);
	REQUIRE(build_with_target("good", "{name: 'app-1|web'}", &out) == 0);
	CHECK_INT(patched(out), 2);
	/* anchored: "app" is not a prefix match */
	REQUIRE(build_with_target("good", "{name: app}", &out) == 0);
	CHECK_INT(patched(out), 0);
	/* a regexp, not a string: a+b matches aab */
	REQUIRE(build_with_target("good", "{name: a+b}", &out) == 0);
	CHECK_INT(patched(out), 1);
	REQUIRE(build_with_target("good", "{kind: 'Config.*', name: '(?i)WEB'}", &out) == 0);
	CHECK_INT(patched(out), 1);
	REQUIRE(build_with_target("good", "{version: 'v[0-9]+', name: '\\w+-\\d'}", &out) == 0);
	CHECK_INT(patched(out), 2);
}

int main(void)
{
	root = fixture_tmpdir("kust-regex");
	RUN(invalid_target_fails_with_gos_message);
	RUN(valid_target_selects);
	fixture_rmdir(root);
	return test_done();
}
