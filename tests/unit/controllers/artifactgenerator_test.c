/* The ArtifactGenerator controller's pure parts and its copy engine on real directories:
 * Go's path cleaning, the copy-rule words, source-watcher's cp-like semantics (glob
 * destinations, "dir/" and "dir/\*\*", exclusions, Merge, Extract), confinement and caps, the
 * artifact's file name (dirhash with Adler-32), pathPattern placeholders and Kubernetes'
 * name checks. Expected hashes and Go behaviours were computed apart with Go 1.19 (path.Clean,
 * path.Match, fs.Glob, dirhash.HashDir with source-watcher's DirHash). */
#include "test.h"
#include "fixture.h"

#include <string.h>
#include <sys/stat.h>

#include "controllers/artifactgenerator/ag.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/glob.h"

TEST(paths_clean_join_and_escape_as_go)
{
	struct arena *a = arena_new();
	static const char *const clean[][2] = {
		{ "", "." }, { ".", "." }, { "a/b/", "a/b" }, { "a//b", "a/b" }, { "./a/./b", "a/b" },
		{ "a/../b", "b" }, { "a/../../b", "../b" }, { "..", ".." }, { "../..", "../.." },
		{ "/../a", "/a" }, { "/", "/" }, { "a/b/../../..", ".." }, { "abc/def/../ghi/.", "abc/ghi" },
	};
	for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++)
		CHECK_STR(ag_path_clean(a, clean[i][0]), clean[i][1]);
	CHECK_STR(ag_path_join(a, "base/", "podinfo"), "base/podinfo");
	CHECK_STR(ag_path_join(a, "", "x.yaml"), "x.yaml");
	CHECK_STR(ag_path_join(a, "", ""), "");
	CHECK_STR(ag_path_join(a, "apps/", "../../etc"), "../etc");
	CHECK_STR(ag_path_base(a, "a/b/"), "b");
	CHECK_STR(ag_path_base(a, ""), ".");
	CHECK(ag_path_escapes("../etc") && ag_path_escapes("..") && ag_path_escapes("/etc"));
	CHECK(!ag_path_escapes("..a") && !ag_path_escapes("a/..b") && !ag_path_escapes("."));
	arena_free(a);
}

TEST(copy_rule_words)
{
	struct arena *a = arena_new();
	const char *alias, *pattern, *rel;
	REQUIRE(ag_parse_from(a, "@monorepo/apps/base/**", &alias, &pattern) == 0);
	CHECK_STR(alias, "monorepo");
	CHECK_STR(pattern, "apps/base/**");
	REQUIRE(ag_parse_from(a, "@chart/", &alias, &pattern) == 0);
	CHECK_STR(pattern, "");
	CHECK_INT(ag_parse_from(a, "monorepo/x", &alias, &pattern), ERR_INVALID);
	CHECK_STR(err_msg(), "source must start with '@'");
	CHECK_INT(ag_parse_from(a, "@monorepo", &alias, &pattern), ERR_INVALID);
	CHECK_STR(err_msg(), "source format must be '@alias/pattern'");
	REQUIRE(ag_parse_to("@artifact/base/", &rel) == 0);
	CHECK_STR(rel, "base/");
	CHECK_INT(ag_parse_to("@other/x", &rel), ERR_INVALID);
	CHECK_STR(err_msg(), "destination must start with '@artifact/'");
	CHECK(ag_has_glob("a/*.yaml") && ag_has_glob("a]") && !ag_has_glob("a/{b,c}") && !ag_has_glob("a\\b"));
	CHECK_STR(ag_selection_root(a, "apps/base/**"), "apps/base");
	CHECK_STR(ag_selection_root(a, "*.yaml"), ".");
	CHECK_STR(ag_selection_root(a, ""), ".");
	CHECK_STR(ag_selection_root(a, "/abs/x/*"), "abs/x");
	CHECK_STR(ag_selection_root(a, "a/./b/c?/d"), "a/b");
	CHECK_STR(ag_glob_destination(a, "apps/base/**", "apps/base/podinfo", "base/"), "base/podinfo");
	CHECK_STR(ag_glob_destination(a, "**", "infrastructure", ""), "infrastructure");
	CHECK_STR(ag_glob_destination(a, "configs/*.yaml", "configs/a.yaml", "apps/"), "apps/configs/a.yaml");
	CHECK(ag_is_tarball("x/chart-1.0.0.TGZ") && ag_is_tarball("a.tar.gz") && !ag_is_tarball("a.tar"));
	arena_free(a);
}

TEST(exclusions_relative_to_the_root_or_the_selection)
{
	struct arena *a = arena_new();
	const char *ex[] = { "*.md", "**/testdata/**", "subdir/**" };
	static const struct {
		const char *path, *base;
		bool want;
	} cases[] = {
		{ "configs/README.md", "configs", true },   /* file name at any depth */
		{ "configs/x/testdata/y.yaml", "configs", true },
		{ "configs/subdir/a.yaml", "configs", true }, /* relative to the selection root */
		{ "configs/subdir", "configs", true },      /* "/\*\*" matches the directory itself */
		{ "subdir/a.yaml", ".", true },
		{ "configs/a.yaml", "configs", false },
		{ "other/subdir/a.yaml", "configs", false }, /* not below the base */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool out = !cases[i].want;
		CHECK_INT(ag_excluded(a, cases[i].path, cases[i].base, ex, 3, &out), 0);
		if (out != cases[i].want)
			printf("#   exclusion of %s (base %s) is %d\n", cases[i].path, cases[i].base, out);
		CHECK(out == cases[i].want);
	}
	const char *bad[] = { "ok/*", "[" };
	CHECK_INT(ag_excludes_check(bad, 2), ERR_INVALID);
	CHECK_STR(err_msg(), "invalid exclude pattern '['");
	const char *heavy[] = { "{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}x" };
	bool out;
	CHECK_INT(ag_excluded(a, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaay", ".", heavy, 1, &out), ERR_TOOBIG);
	arena_free(a);
}

TEST(go_glob_dialects)
{
	bool m;
	CHECK(glob_match("apps/*", "apps/base", &m) == 0 && m);
	CHECK(glob_match("**", "a/b", &m) == 0 && !m); /* Go's "**" is "*" */
	CHECK(glob_match("[^a]b", "cb", &m) == 0 && m);
	CHECK_INT(glob_match("[", "x", &m), ERR_INVALID);
	CHECK_STR(err_msg(), "syntax error in pattern");
	CHECK_INT(glob_match("x", "y", &m), 0);
	CHECK_INT(glob_match("a[", "b", &m), ERR_INVALID); /* malformed after a mismatch too */
	CHECK(glob_ds_match("a/**", "a", true, &m) == 0 && m);
	CHECK(glob_ds_match("**/testdata/**", "x/y/testdata/z", true, &m) == 0 && m);
	CHECK(glob_ds_match("{a,b}/*.md", "b/x.md", true, &m) == 0 && m);
	CHECK(glob_ds_match("[!a]", "a", true, &m) == 0 && !m);
	CHECK(glob_ds_valid("a/{b,c}") && !glob_ds_valid("a/{b") && !glob_ds_valid("[]") && !glob_ds_valid("a\\"));
}

/* The example repository's layout (fluxcd/flux2-kustomize-helm-example). */
static char *monorepo(void)
{
	char *d = fixture_tmpdir("ag-src");
	fixture_write(d, "apps/base/podinfo/kustomization.yaml", "resources: [namespace.yaml]\n");
	fixture_write(d, "apps/base/podinfo/namespace.yaml", "kind: Namespace\n");
	fixture_write(d, "apps/base/podinfo/README.md", "docs\n");
	fixture_write(d, "apps/staging/kustomization.yaml", "resources: [../base/podinfo]\n");
	fixture_write(d, "apps/staging/podinfo-values.yaml", "a: 1\n");
	fixture_write(d, "infrastructure/controllers/kustomization.yaml", "k: c\n");
	fixture_write(d, "infrastructure/configs/kustomization.yaml", "k: g\n");
	fixture_write(d, "infrastructure/configs/testdata/t.yaml", "t: 1\n");
	fixture_write(d, "values/prod.yaml", "image:\n  tag: v2\nlist: [3]\n");
	fixture_write(d, "chart/values.yaml", "image:\n  repo: x\n  tag: v1\nlist: [1, 2]\n");
	fixture_write(d, "chart/Chart.yaml", "name: chart\n");
	fixture_write(d, "README.md", "top\n");
	return d;
}

struct env {
	struct arena *a;
	char *src, *dst;
	struct ag_source sources[1];
	struct ag_stage st;
};

static void env_init(struct env *e)
{
	e->a = arena_new();
	e->src = monorepo();
	e->dst = fixture_tmpdir("ag-stage");
	e->sources[0] = (struct ag_source){ .alias = "monorepo", .dir = e->src };
	e->st = (struct ag_stage){ e->a, e->dst, 0, 0, AG_MAX_BYTES, AG_MAX_FILES };
}

static void env_release(struct env *e)
{
	fixture_rmdir(e->src);
	fixture_rmdir(e->dst);
	arena_free(e->a);
}

static int copy(struct env *e, const char *from, const char *to, const char **ex, size_t nex, enum ag_strategy s)
{
	struct ag_copy op = { from, to, ex, nex, s };
	return ag_copy_apply(&e->st, &op, e->sources, 1);
}

static bool exists(struct env *e, const char *rel)
{
	char *p = xasprintf("%s/%s", e->dst, rel);
	struct stat st;
	bool ok = lstat(p, &st) == 0;
	free(p);
	return ok;
}

TEST(the_example_layout)
{
	struct env e;
	env_init(&e);
	REQUIRE(copy(&e, "@monorepo/apps/base/**", "@artifact/base/", NULL, 0, AG_OVERWRITE) == 0);
	REQUIRE(copy(&e, "@monorepo/apps/staging/**", "@artifact/staging/", NULL, 0, AG_OVERWRITE) == 0);
	CHECK(exists(&e, "base/podinfo/kustomization.yaml"));
	CHECK(exists(&e, "base/podinfo/namespace.yaml"));
	CHECK(exists(&e, "staging/kustomization.yaml"));
	CHECK(exists(&e, "staging/podinfo-values.yaml"));
	CHECK(!exists(&e, "apps"));
	char *s = fixture_read(e.dst, "staging/kustomization.yaml");
	CHECK_STR(s, "resources: [../base/podinfo]\n");
	free(s);
	env_release(&e);

	env_init(&e);
	REQUIRE(copy(&e, "@monorepo/infrastructure/**", "@artifact/", NULL, 0, AG_OVERWRITE) == 0);
	CHECK(exists(&e, "controllers/kustomization.yaml") && exists(&e, "configs/kustomization.yaml"));
	char h[16];
	size_t files;
	uint64_t bytes;
	REQUIRE(ag_dirhash(e.dst, "infrastructure", h, &files, &bytes) == 0);
	CHECK_INT(files, 3);
	CHECK_INT(bytes, 15);
	env_release(&e);
}

TEST(cp_like_semantics)
{
	struct env e;
	env_init(&e);
	/* a file to a file, to a directory (slash), into an existing directory */
	REQUIRE(copy(&e, "@monorepo/apps/staging/podinfo-values.yaml", "@artifact/apps/app.yaml", NULL, 0, AG_OVERWRITE) == 0);
	CHECK(exists(&e, "apps/app.yaml"));
	REQUIRE(copy(&e, "@monorepo/README.md", "@artifact/docs/", NULL, 0, AG_OVERWRITE) == 0);
	CHECK(exists(&e, "docs/README.md"));
	REQUIRE(copy(&e, "@monorepo/values/prod.yaml", "@artifact/apps", NULL, 0, AG_OVERWRITE) == 0);
	CHECK(exists(&e, "apps/prod.yaml"));
	/* a directory becomes a subdirectory; "@src/" copies the root */
	REQUIRE(copy(&e, "@monorepo/infrastructure/configs/", "@artifact/infra/", NULL, 0, AG_OVERWRITE) == 0);
	CHECK(exists(&e, "infra/configs/kustomization.yaml") && exists(&e, "infra/configs/testdata/t.yaml"));
	REQUIRE(copy(&e, "@monorepo/", "@artifact/all/", NULL, 0, AG_OVERWRITE) == 0);
	CHECK(exists(&e, "all/apps/base/podinfo/namespace.yaml") && exists(&e, "all/README.md"));
	/* a glob keeps the matched path, "dir/\*\*" drops "dir/" */
	REQUIRE(copy(&e, "@monorepo/apps/*/kustomization.yaml", "@artifact/k/", NULL, 0, AG_OVERWRITE) == 0);
	CHECK(exists(&e, "k/apps/staging/kustomization.yaml"));
	env_release(&e);
}

TEST(exclude_rules_drop_files_and_directories)
{
	struct env e;
	env_init(&e);
	const char *ex[] = { "*.md", "**/testdata/**" };
	REQUIRE(copy(&e, "@monorepo/**", "@artifact/", ex, 2, AG_OVERWRITE) == 0);
	CHECK(exists(&e, "apps/base/podinfo/namespace.yaml"));
	CHECK(!exists(&e, "apps/base/podinfo/README.md") && !exists(&e, "README.md"));
	CHECK(!exists(&e, "infrastructure/configs/testdata"));
	const char *sub[] = { "podinfo/**" };
	REQUIRE(copy(&e, "@monorepo/apps/base/**", "@artifact/b/", sub, 1, AG_OVERWRITE) != 0);
	CHECK_STR(err_msg(), "failed to apply copy operation from '@monorepo/apps/base/**' to '@artifact/b/': "
			     "all files matching pattern 'apps/base/**' in source 'monorepo' were excluded");
	env_release(&e);
}

TEST(errors_say_what_failed)
{
	struct env e;
	env_init(&e);
	CHECK_INT(copy(&e, "@monorepo/nothing/**", "@artifact/", NULL, 0, AG_OVERWRITE), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "failed to apply copy operation from '@monorepo/nothing/**' to '@artifact/': "
			     "no files match pattern 'nothing/**' in source 'monorepo'");
	CHECK_INT(copy(&e, "@other/x", "@artifact/", NULL, 0, AG_OVERWRITE), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "failed to apply copy operation from '@other/x' to '@artifact/': source alias 'other' not found");
	CHECK_INT(copy(&e, "@monorepo/missing.yaml", "@artifact/", NULL, 0, AG_OVERWRITE), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "failed to apply copy operation from '@monorepo/missing.yaml' to '@artifact/': "
			     "source 'missing.yaml' does not exist");
	CHECK_INT(copy(&e, "@monorepo/x", "@elsewhere/", NULL, 0, AG_OVERWRITE), ERR_INVALID);
	CHECK_STR(err_msg(), "failed to apply copy operation from '@monorepo/x' to '@elsewhere/': invalid copy destination "
			     "'@elsewhere/': destination must start with '@artifact/'");
	CHECK_INT(copy(&e, "@monorepo/[", "@artifact/", NULL, 0, AG_OVERWRITE), ERR_INVALID);
	CHECK_STR(err_msg(), "failed to apply copy operation from '@monorepo/[' to '@artifact/': invalid glob pattern '[': "
			     "syntax error in pattern");
	env_release(&e);
}

TEST(nothing_leaves_the_roots)
{
	struct env e;
	env_init(&e);
	char *outside = xasprintf("%s-outside", e.dst);
	/* a source path or a glob that climbs out, an absolute one */
	CHECK_INT(copy(&e, "@monorepo/../../etc/passwd", "@artifact/", NULL, 0, AG_OVERWRITE), ERR_ESCAPE);
	CHECK_STR(err_msg(), "failed to apply copy operation from '@monorepo/../../etc/passwd' to '@artifact/': "
			     "failed to stat source '../../etc/passwd': path escapes from the source root");
	CHECK_INT(copy(&e, "@monorepo//etc/passwd", "@artifact/", NULL, 0, AG_OVERWRITE), ERR_ESCAPE);
	CHECK_INT(copy(&e, "@monorepo/../*", "@artifact/", NULL, 0, AG_OVERWRITE), ERR_NOTFOUND);
	CHECK_INT(copy(&e, "@monorepo/apps/../../*", "@artifact/", NULL, 0, AG_OVERWRITE), ERR_NOTFOUND);
	/* a destination that climbs out, for a file, a glob, a directory and an archive */
	CHECK_INT(copy(&e, "@monorepo/README.md", "@artifact/../x", NULL, 0, AG_OVERWRITE), ERR_ESCAPE);
	CHECK_STR(err_msg(), "failed to apply copy operation from '@monorepo/README.md' to '@artifact/../x': "
			     "destination '../x' escapes from the artifact root");
	CHECK_INT(copy(&e, "@monorepo/apps/**", "@artifact/../../", NULL, 0, AG_OVERWRITE), ERR_ESCAPE);
	CHECK_INT(copy(&e, "@monorepo/apps/", "@artifact/../", NULL, 0, AG_OVERWRITE), ERR_ESCAPE);
	fixture_sh("tar -czf %s/chart.tgz -C %s chart", e.src, e.src);
	CHECK_INT(copy(&e, "@monorepo/chart.tgz", "@artifact/../", NULL, 0, AG_EXTRACT), ERR_ESCAPE);
	struct stat st;
	CHECK(lstat(outside, &st) != 0);
	char *up = xasprintf("%s/../x", e.dst);
	CHECK(lstat(up, &st) != 0);
	free(up);
	free(outside);
	env_release(&e);
}

TEST(merge_strategy_merges_yaml_as_helm)
{
	struct env e;
	env_init(&e);
	REQUIRE(copy(&e, "@monorepo/chart/", "@artifact/", NULL, 0, AG_OVERWRITE) == 0);
	REQUIRE(copy(&e, "@monorepo/values/prod.yaml", "@artifact/chart/values.yaml", NULL, 0, AG_MERGE) == 0);
	char *s = fixture_read(e.dst, "chart/values.yaml");
	CHECK_STR(s, "image:\n  repo: x\n  tag: v2\nlist:\n- 3\n");
	free(s);
	/* onto nothing, Merge copies */
	REQUIRE(copy(&e, "@monorepo/values/prod.yaml", "@artifact/new.yaml", NULL, 0, AG_MERGE) == 0);
	s = fixture_read(e.dst, "new.yaml");
	CHECK_STR(s, "image:\n  tag: v2\nlist: [3]\n");
	free(s);
	fixture_write(e.src, "values/list.yaml", "- a\n");
	CHECK_INT(copy(&e, "@monorepo/values/list.yaml", "@artifact/chart/values.yaml", NULL, 0, AG_MERGE), ERR_INVALID);
	CHECK(strstr(err_msg(), "cannot unmarshal YAML document: error unmarshaling JSON: while decoding JSON: json: "
				"cannot unmarshal array into Go value of type map[string]interface {}") != NULL);
	env_release(&e);
}

TEST(extract_strategy_unpacks_archives)
{
	struct env e;
	env_init(&e);
	fixture_sh("mkdir -p %s/releases/v1 && tar -czf %s/releases/v1/chart-1.0.0.tgz -C %s chart", e.src, e.src, e.src);
	REQUIRE(copy(&e, "@monorepo/releases/**/*.tgz", "@artifact/charts/", NULL, 0, AG_EXTRACT) == 0);
	CHECK(exists(&e, "charts/chart/Chart.yaml"));
	REQUIRE(copy(&e, "@monorepo/releases/v1/chart-1.0.0.tgz", "@artifact/", NULL, 0, AG_EXTRACT) == 0);
	CHECK(exists(&e, "chart/values.yaml"));
	CHECK_INT(copy(&e, "@monorepo/README.md", "@artifact/", NULL, 0, AG_EXTRACT), ERR_INVALID);
	CHECK(strstr(err_msg(), "extract strategy requires tarball file (.tar.gz or .tgz), got 'README.md'") != NULL);
	CHECK_INT(copy(&e, "@monorepo/chart/", "@artifact/", NULL, 0, AG_EXTRACT), ERR_INVALID);
	CHECK(strstr(err_msg(), "extract strategy is not supported for directories, got 'chart'") != NULL);
	env_release(&e);
}

TEST(caps_on_files_and_bytes)
{
	struct env e;
	env_init(&e);
	e.st.max_files = 3;
	CHECK_INT(copy(&e, "@monorepo/**", "@artifact/", NULL, 0, AG_OVERWRITE), ERR_TOOBIG);
	CHECK(strstr(err_msg(), "artifact exceeds the limit of 3 files") != NULL);
	env_release(&e);
	env_init(&e);
	e.st.max_bytes = 20;
	CHECK_INT(copy(&e, "@monorepo/**", "@artifact/", NULL, 0, AG_OVERWRITE), ERR_TOOBIG);
	CHECK(strstr(err_msg(), "artifact exceeds the limit of 20 bytes") != NULL);
	env_release(&e);
}

TEST(the_file_name_is_source_watchers_dirhash)
{
	char *d = fixture_tmpdir("ag-hash");
	fixture_write(d, "base/podinfo/ns.yaml", "a: 1\n");
	fixture_write(d, "base/podinfo/kustomization.yaml", "kind: Kustomization\n");
	fixture_write(d, "staging/B.yaml", "x\n");
	fixture_write(d, "empty", "");
	fixture_sh("mkdir -p %s/emptydir", d);
	char h[16];
	size_t files;
	uint64_t bytes;
	REQUIRE(ag_dirhash(d, "apps", h, &files, &bytes) == 0);
	CHECK_STR(h, "1418996216"); /* Go: dirhash.HashDir(dir, "apps", builder.DirHash) */
	CHECK_INT(files, 4);
	fixture_rmdir(d);
}

TEST(globbing_as_io_fs)
{
	struct arena *a = arena_new();
	char *d = monorepo();
	const char **m;
	size_t n;
	REQUIRE(ag_fs_glob(a, d, "apps/*/kustomization.yaml", &m, &n) == 0);
	REQUIRE(n == 1);
	CHECK_STR(m[0], "apps/staging/kustomization.yaml");
	REQUIRE(ag_fs_glob(a, d, "*", &m, &n) == 0);
	CHECK_INT(n, 5); /* README.md apps chart infrastructure values, sorted */
	CHECK_STR(m[0], "README.md");
	CHECK_INT(ag_fs_glob(a, d, "apps/./*", &m, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(ag_fs_glob(a, d, "apps//*", &m, &n), 0);
	CHECK_INT(n, 0);
	REQUIRE(ag_ds_glob(a, d, "**/kustomization.yaml", &m, &n) == 0);
	CHECK_INT(n, 4);
	fixture_rmdir(d);
	arena_free(a);
}

TEST(path_pattern_placeholders)
{
	struct arena *a = arena_new();
	CHECK_INT(ag_pattern_check("@m/apps/{app}/envs/{env}", "apps/{app}/envs/{env}"), 0);
	CHECK_INT(ag_pattern_check("@m/apps/{app", "apps/{app"), ERR_INVALID);
	CHECK_STR(err_msg(), "pathPattern \"@m/apps/{app\": invalid capture starting at offset 5: missing closing brace");
	CHECK_INT(ag_pattern_check("@m/{a}/{a}", "{a}/{a}"), ERR_INVALID);
	CHECK_STR(err_msg(), "pathPattern \"@m/{a}/{a}\": duplicate capture variable \"a\"");
	CHECK_INT(ag_pattern_check("@m/{}", "{}"), ERR_INVALID);
	CHECK_STR(err_msg(), "pathPattern \"@m/{}\": empty capture variable");
	CHECK_INT(ag_pattern_check("@m/{1a}", "{1a}"), ERR_INVALID);
	CHECK_INT(ag_pattern_check("@m/a}", "a}"), ERR_INVALID);
	const char *names[] = { "app", "env" }, *values[] = { "auth", "prod" };
	const char *out;
	REQUIRE(ag_render(a, "{app}-{env}", names, values, 2, &out) == 0);
	CHECK_STR(out, "auth-prod");
	CHECK_INT(ag_render(a, "{team}", names, values, 2, &out), ERR_INVALID);
	CHECK_STR(err_msg(), "invalid template \"{team}\": capture variable \"team\" is not defined by pathPattern");
	arena_free(a);
}

TEST(kubernetes_names_and_labels)
{
	struct arena *a = arena_new();
	CHECK(ag_dns_subdomain_errors(a, "apps") == NULL);
	CHECK(ag_dns_subdomain_errors(a, "a.b-c") == NULL);
	CHECK_STR(ag_dns_subdomain_errors(a, "Apps"),
		  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
		  "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
		  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
	CHECK(ag_dns_subdomain_errors(a, "a..b") != NULL && ag_dns_subdomain_errors(a, "-a") != NULL);
	CHECK(ag_label_value_errors(a, "") == NULL && ag_label_value_errors(a, "My_value.1") == NULL);
	CHECK(ag_label_value_errors(a, ".hidden") != NULL);
	CHECK(ag_label_key_errors(a, "app") == NULL);
	CHECK_STR(ag_label_key_errors(a, "_app"),
		  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
		  "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
		  "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
	CHECK_STR(ag_quote(a, "a\"b\n"), "\"a\\\"b\\n\"");
	arena_free(a);
}

int main(void)
{
	RUN(paths_clean_join_and_escape_as_go);
	RUN(copy_rule_words);
	RUN(exclusions_relative_to_the_root_or_the_selection);
	RUN(go_glob_dialects);
	RUN(the_example_layout);
	RUN(cp_like_semantics);
	RUN(exclude_rules_drop_files_and_directories);
	RUN(errors_say_what_failed);
	RUN(nothing_leaves_the_roots);
	RUN(merge_strategy_merges_yaml_as_helm);
	RUN(extract_strategy_unpacks_archives);
	RUN(caps_on_files_and_bytes);
	RUN(the_file_name_is_source_watchers_dirhash);
	RUN(globbing_as_io_fs);
	RUN(path_pattern_placeholders);
	RUN(kubernetes_names_and_labels);
	return test_done();
}
