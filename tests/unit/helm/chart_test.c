/* The chart loader (src/helm/chart.h): every chart of the Helm conformance corpus loads
 * (when ../shared is present), archives built in memory, path escapes, caps, metadata
 * validation with helm's messages, and .helmignore. */
#include "test.h"
#include "fixture.h"

#include <archive.h>
#include <archive_entry.h>

struct ent {
	const char *name;
	const char *body; /* NULL: directory; "->x": symlink to x */
};

static unsigned char tarbuf[1 << 20];
static size_t tarlen;

static void make_tar(const struct ent *e, size_t n, bool gz)
{
	struct archive *w = archive_write_new();
	archive_write_set_format_pax_restricted(w);
	if (gz)
		archive_write_add_filter_gzip(w);
	archive_write_open_memory(w, tarbuf, sizeof tarbuf, &tarlen);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *x = archive_entry_new();
		archive_entry_set_pathname(x, e[i].name);
		if (!e[i].body) {
			archive_entry_set_filetype(x, AE_IFDIR);
			archive_entry_set_perm(x, 0755);
		} else if (!strncmp(e[i].body, "->", 2)) {
			archive_entry_set_filetype(x, AE_IFLNK);
			archive_entry_set_symlink(x, e[i].body + 2);
		} else {
			archive_entry_set_filetype(x, AE_IFREG);
			archive_entry_set_perm(x, 0644);
			archive_entry_set_size(x, (la_int64_t)strlen(e[i].body));
		}
		archive_write_header(w, x);
		if (e[i].body && strncmp(e[i].body, "->", 2))
			archive_write_data(w, e[i].body, strlen(e[i].body));
		archive_entry_free(x);
	}
	archive_write_close(w);
	archive_write_free(w);
}

#include <dirent.h>
#include <sys/stat.h>

#include "helm/chart.h"
#include "helm/helmignore.h"
#include "helm/values.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

static const char *CORPUS = "../shared/conformance/helm";

/* Cases whose chart itself is the error (helm fails while loading it). */
static bool load_error_expected(const char *layer, const char *name)
{
	(void)layer;
	return !strcmp(name, "helm-err-values-invalid-yaml") || !strcmp(name, "helm-err-values-null-key");
}

static int load_layer(const char *layer, int *loaded, int *failed)
{
	char *dir = xasprintf("%s/%s", CORPUS, layer);
	DIR *d = opendir(dir);
	if (!d) {
		free(dir);
		return -1;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *chart = xasprintf("%s/%s/chart", dir, de->d_name);
		struct stat st;
		if (stat(chart, &st)) {
			free(chart);
			continue;
		}
		struct arena *a = arena_new();
		struct helm_chart *c;
		err_clear();
		int rc = helm_chart_load(a, chart, NULL, &c);
		bool want_err = load_error_expected(layer, de->d_name);
		if ((rc != 0) != want_err) {
			printf("#   %s/%s: rc %d: %s\n", layer, de->d_name, rc, err_msg());
			(*failed)++;
		} else if (!rc) {
			(*loaded)++;
			struct tv *vals;
			rc = helm_values_coalesce(a, c, tv_map_new(a), &vals);
			if (rc) {
				printf("#   %s/%s: coalesce: %s\n", layer, de->d_name, err_msg());
				(*failed)++;
			}
		}
		arena_free(a);
		free(chart);
	}
	closedir(d);
	free(dir);
	return 0;
}

TEST(corpus_charts_load)
{
	int loaded = 0, failed = 0;
	if (load_layer("cases", &loaded, &failed) < 0) {
		printf("#   no corpus at %s: skipped\n", CORPUS);
		return;
	}
	load_layer("cases-template", &loaded, &failed);
	printf("#   %d charts loaded\n", loaded);
	CHECK_INT(failed, 0);
	CHECK(loaded > 300);
}

TEST(corpus_error_messages)
{
	struct arena *a = arena_new();
	struct helm_chart *c;
	char *p = xasprintf("%s/cases-template/helm-err-values-null-key/chart", CORPUS);
	struct stat st;
	if (stat(p, &st) == 0) {
		CHECK_INT(helm_chart_load(a, p, NULL, &c), ERR_INVALID);
		CHECK(strstr(err_msg(), "cannot load values.yaml: ") != NULL);
		CHECK(strstr(err_msg(), "error converting YAML to JSON: unsupported map key of type: "
					"%!s(<nil>), key: <nil>, value: 1") != NULL);
	}
	free(p);
	p = xasprintf("%s/cases-template/helm-err-subchart-missing/chart", CORPUS);
	if (stat(p, &st) == 0) {
		REQUIRE(helm_chart_load(a, p, NULL, &c) == 0);
		CHECK_INT(helm_chart_check_dependencies(c), ERR_NOTFOUND);
		CHECK_STR(err_msg(), "found in Chart.yaml, but missing in charts/ directory: absent");
	}
	free(p);
	arena_free(a);
}

TEST(directory_chart)
{
	char *dir = fixture_tmpdir("hchart");
	fixture_write(dir, "Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\nappVersion: 1.10\n"
					 "dependencies:\n- name: sub\n  version: 0.1.0\n");
	fixture_write(dir, "values.yaml", "a: 1\nb: yes\n");
	fixture_write(dir, "values.schema.json", "{}");
	fixture_write(dir, "templates/a.yaml", "x: 1");
	fixture_write(dir, "templates/.hidden", "ignored by default");
	fixture_write(dir, "crds/c.yaml", "kind: CustomResourceDefinition");
	fixture_write(dir, "crds/notes.txt", "not a manifest");
	fixture_write(dir, "files/a.conf", "\xEF\xBB\xBFk=v");
	fixture_write(dir, "skip.me", "x");
	fixture_write(dir, ".helmignore", "# comment\n*.me\n");
	fixture_write(dir, "charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
	fixture_write(dir, "charts/sub/templates/s.yaml", "s: 1");
	fixture_write(dir, "charts/_ignored/Chart.yaml", "bad");
	struct arena *a = arena_new();
	struct helm_chart *c;
	REQUIRE(helm_chart_load(a, dir, NULL, &c) == 0);
	CHECK_STR(c->metadata.name, "web");
	CHECK_STR(c->metadata.app_version, "1.1");
	CHECK_INT(c->ntemplates, 1);
	CHECK_STR(c->templates[0].name, "templates/a.yaml");
	CHECK_INT(c->ncrds, 1);
	CHECK(c->schema && c->schema_len == 2);
	CHECK_INT(c->ndependencies, 1);
	CHECK_STR(helm_chart_path(a, c->dependencies[0]), "web/charts/sub");
	bool conf = false, skip = false;
	for (size_t i = 0; i < c->nfiles; i++) {
		if (!strcmp(c->files[i].name, "files/a.conf"))
			conf = c->files[i].len == 3 && !strcmp(c->files[i].data, "k=v");
		skip |= !strcmp(c->files[i].name, "skip.me");
	}
	CHECK(conf);
	CHECK(!skip);
	struct tv *b = tv_map_get(c->values, "b");
	CHECK(b && b->kind == TV_BOOL && b->u.b);
	struct tv *one = tv_map_get(c->values, "a");
	CHECK(one && one->kind == TV_FLOAT);
	arena_free(a);
	fixture_rmdir(dir);
}

static int load_meta(const char *chart_yaml, struct arena *a)
{
	char *dir = fixture_tmpdir("hchart");
	fixture_write(dir, "Chart.yaml", chart_yaml);
	struct helm_chart *c;
	int rc = helm_chart_load(a, dir, NULL, &c);
	fixture_rmdir(dir);
	return rc;
}

TEST(metadata_validation)
{
	struct arena *a = arena_new();
	CHECK_INT(load_meta("apiVersion: v2\nversion: 1.0.0\n", a), ERR_INVALID);
	CHECK_STR(err_msg(), "validation: chart.metadata.name is required");
	CHECK_INT(load_meta("apiVersion: v2\nname: x\n", a), ERR_INVALID);
	CHECK_STR(err_msg(), "validation: chart.metadata.version is required");
	CHECK_INT(load_meta("apiVersion: v2\nname: x\nversion: one\n", a), ERR_INVALID);
	CHECK_STR(err_msg(), "validation: chart.metadata.version \"one\" is invalid");
	CHECK_INT(load_meta("apiVersion: v2\nname: ..\nversion: 1.0.0\n", a), ERR_INVALID);
	CHECK_STR(err_msg(), "validation: chart.metadata.name \"..\" is not allowed");
	CHECK_INT(load_meta("apiVersion: v2\nname: x\nversion: 1.0.0\ntype: app\n", a), ERR_INVALID);
	CHECK_STR(err_msg(), "validation: chart.metadata.type must be application or library");
	CHECK_INT(load_meta("apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n"
			    "  alias: b.c\n", a), ERR_INVALID);
	CHECK_STR(err_msg(), "validation: dependency \"a\" has disallowed characters in the alias");
	CHECK_INT(load_meta("apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n"
			    "- name: b\n  alias: a\n", a), ERR_INVALID);
	CHECK_STR(err_msg(), "validation: more than one dependency with name or alias \"a\"");
	CHECK_INT(load_meta("name: x\nversion: 1.0.0\n", a), 0); /* apiVersion defaults to v1 */
	/* helm v4.1.4's words for a Chart.yaml that is no YAML or no mapping */
	CHECK_INT(load_meta("a: [\n", a), ERR_INVALID);
	CHECK_STR(err_msg(), "cannot load Chart.yaml: error converting YAML to JSON: yaml: line 1: "
			     "did not find expected node content");
	CHECK_INT(load_meta("- a\n", a), ERR_INVALID);
	CHECK_STR(err_msg(), "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: "
			     "json: cannot unmarshal array into Go value of type loader.chartBase");
	CHECK_INT(load_meta("yes\n", a), ERR_INVALID);
	CHECK_STR(err_msg(), "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: "
			     "json: cannot unmarshal bool into Go value of type loader.chartBase");
	char *dir = fixture_tmpdir("hchart");
	fixture_write(dir, "values.yaml", "a: 1\n");
	struct helm_chart *c;
	CHECK_INT(helm_chart_load(a, dir, NULL, &c), ERR_INVALID);
	CHECK_STR(err_msg(), "Chart.yaml file is missing");
	fixture_rmdir(dir);
	arena_free(a);
}

TEST(archives)
{
	struct ent ok[] = {
		{ "web/", NULL },
		{ "web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n" },
		{ "web/templates/a.yaml", "a: 1" },
		{ "web/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.2.0\n" },
		{ "web/link", "->/etc/passwd" },
	};
	make_tar(ok, 5, true);
	struct arena *a = arena_new();
	struct helm_chart *c;
	REQUIRE(helm_chart_load_archive(a, tarbuf, tarlen, NULL, &c) == 0);
	CHECK_STR(c->metadata.name, "web");
	CHECK_INT(c->ntemplates, 1);
	CHECK_INT(c->ndependencies, 1);
	CHECK_INT(c->nfiles, 0);

	/* a .tgz subchart inside a .tgz */
	static unsigned char inner[1 << 16];
	size_t inner_len = tarlen;
	struct ent sub[] = { { "sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n" } };
	make_tar(sub, 1, true);
	memcpy(inner, tarbuf, tarlen);
	inner_len = tarlen;
	char *body = malloc(inner_len + 1);
	memcpy(body, inner, inner_len);
	body[inner_len] = 0;
	struct archive *w = archive_write_new();
	archive_write_set_format_pax_restricted(w);
	archive_write_add_filter_gzip(w);
	archive_write_open_memory(w, tarbuf, sizeof tarbuf, &tarlen);
	const char *names[] = { "p/Chart.yaml", "p/charts/sub-0.1.0.tgz" };
	const char *bodies[] = { "apiVersion: v2\nname: p\nversion: 1.0.0\n", body };
	size_t lens[] = { strlen(bodies[0]), inner_len };
	for (int i = 0; i < 2; i++) {
		struct archive_entry *x = archive_entry_new();
		archive_entry_set_pathname(x, names[i]);
		archive_entry_set_filetype(x, AE_IFREG);
		archive_entry_set_perm(x, 0644);
		archive_entry_set_size(x, (la_int64_t)lens[i]);
		archive_write_header(w, x);
		archive_write_data(w, bodies[i], lens[i]);
		archive_entry_free(x);
	}
	archive_write_close(w);
	archive_write_free(w);
	free(body);
	REQUIRE(helm_chart_load_archive(a, tarbuf, tarlen, NULL, &c) == 0);
	REQUIRE(c->ndependencies == 1);
	CHECK_STR(c->dependencies[0]->metadata.name, "sub");

	struct ent up[] = { { "web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n" },
			    { "web/../../evil", "x" } };
	make_tar(up, 2, true);
	CHECK_INT(helm_chart_load_archive(a, tarbuf, tarlen, NULL, &c), ERR_ESCAPE);
	CHECK_STR(err_msg(), "chart illegally references parent directory");
	struct ent top[] = { { "Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n" } };
	make_tar(top, 1, true);
	/* helm's order of checks: the empty rest of the name is caught first */
	CHECK_INT(helm_chart_load_archive(a, tarbuf, tarlen, NULL, &c), ERR_ESCAPE);
	CHECK_STR(err_msg(), "chart illegally contains content outside the base directory: "
			     "\"Chart.yaml\"");
	CHECK_INT(helm_chart_load_archive(a, "plain text", 10, NULL, &c), ERR_INVALID);

	/* caps */
	make_tar(ok, 5, true);
	struct helm_load_limits lim = { 0 };
	lim.max_files = 2;
	CHECK_INT(helm_chart_load_archive(a, tarbuf, tarlen, &lim, &c), ERR_TOOBIG);
	memset(&lim, 0, sizeof lim);
	lim.max_file_bytes = 10;
	CHECK_INT(helm_chart_load_archive(a, tarbuf, tarlen, &lim, &c), ERR_TOOBIG);
	memset(&lim, 0, sizeof lim);
	lim.max_total_bytes = 50;
	CHECK_INT(helm_chart_load_archive(a, tarbuf, tarlen, &lim, &c), ERR_TOOBIG);
	memset(&lim, 0, sizeof lim);
	lim.max_archive_bytes = 16;
	CHECK_INT(helm_chart_load_archive(a, tarbuf, tarlen, &lim, &c), ERR_TOOBIG);
	memset(&lim, 0, sizeof lim);
	lim.max_depth = 1;
	CHECK_INT(helm_chart_load_archive(a, tarbuf, tarlen, &lim, &c), 0);
	arena_free(a);
}

TEST(directory_escapes)
{
	char *dir = fixture_tmpdir("hchart");
	fixture_write(dir, "Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
	char *link = xasprintf("%s/secret", dir);
	CHECK(symlink("/etc/hostname", link) == 0);
	struct arena *a = arena_new();
	struct helm_chart *c;
	CHECK_INT(helm_chart_load(a, dir, NULL, &c), ERR_ESCAPE);
	unlink(link);
	CHECK(symlink("Chart.yaml", link) == 0); /* inside: followed, as helm does */
	CHECK_INT(helm_chart_load(a, dir, NULL, &c), 0);
	free(link);
	arena_free(a);
	fixture_rmdir(dir);
}

TEST(helmignore_rules)
{
	struct arena *a = arena_new();
	struct helm_ignore *ig;
	const char *rules = "*.txt\n/top.md\ndocs/\n!keep.txt\nsub/*.yaml\n";
	REQUIRE(helm_ignore_parse(a, rules, strlen(rules), &ig) == 0);
	CHECK(helm_ignore_match(ig, "a.txt", false));
	CHECK(helm_ignore_match(ig, "x/b.txt", false));
	CHECK(helm_ignore_match(ig, "top.md", false));
	CHECK(helm_ignore_match(ig, "docs", true));
	CHECK(helm_ignore_match(ig, "sub/a.yaml", false));
	CHECK(helm_ignore_match(ig, "templates/.x", false));
	/* helm: a negated rule that does not match ignores the path */
	CHECK(helm_ignore_match(ig, "Chart.yaml", false));
	CHECK(!helm_ignore_match(ig, "", false));
	CHECK_INT(helm_ignore_parse(a, "a/**/b\n", 7, &ig), ERR_INVALID);
	CHECK_STR(err_msg(), "double-star (**) syntax is not supported");
	CHECK_INT(helm_ignore_parse(a, "[\n", 2, &ig), ERR_INVALID);
	CHECK_INT(helm_path_match("a?c", "abc"), 1);
	CHECK_INT(helm_path_match("a*", "a/b"), 0);
	CHECK_INT(helm_path_match("[a-c]x", "bx"), 1);
	CHECK_INT(helm_path_match("[^a-c]x", "bx"), 0);
	CHECK_INT(helm_path_match("\\*", "*"), 1);
	arena_free(a);
}

TEST(v1_requirements)
{
	char *d = fixture_tmpdir("hchart");
	fixture_write(d, "Chart.yaml", "name: old\nversion: 1.0.0\n");
	fixture_write(d, "requirements.yaml", "dependencies:\n- name: sub\n  version: ~0.1.0\n"
					    "  condition: sub.enabled,global.sub.enabled\n  tags: [a]\n");
	fixture_write(d, "requirements.lock", "dependencies: []\n");
	fixture_write(d, "charts/sub-0.1.0.tgz.prov", "signature");
	fixture_write(d, "charts/sub/Chart.yaml", "name: sub\nversion: 0.1.5\n");
	struct arena *a = arena_new();
	struct helm_chart *c;
	REQUIRE(helm_chart_load(a, d, NULL, &c) == 0);
	CHECK_STR(c->metadata.api_version, "v1");
	REQUIRE(c->metadata.ndependencies == 1);
	CHECK_STR(c->metadata.dependencies[0].condition, "sub.enabled,global.sub.enabled");
	CHECK_INT(c->metadata.dependencies[0].ntags, 1);
	CHECK(c->lock != NULL);
	CHECK_INT(c->nfiles, 3); /* v1 keeps requirements.* in Files, and the .prov */
	struct tv *user, *vals;
	helm_values_read(a, "u", "global: {sub: {enabled: false}}\n", 32, &user);
	REQUIRE(helm_values_coalesce(a, c, user, &vals) == 0);
	CHECK_INT(c->ndependencies, 0);
	fixture_write(d, "charts/README.md", "not a chart");
	CHECK_INT(helm_chart_load(a, d, NULL, &c), ERR_INVALID);
	CHECK_STR(err_msg(), "error unpacking subchart README.md in old: Chart.yaml file is missing");
	arena_free(a);
	fixture_rmdir(d);
}

/* A big values.yaml is read on a thread while the subcharts load: the same values, and its
 * error still comes before a subchart's. */
TEST(big_values_beside_subcharts)
{
	char *d = fixture_tmpdir("hbigvalues");
	fixture_write(d, "Chart.yaml", "apiVersion: v2\nname: big\nversion: 1.0.0\n");
	struct buf v = BUF_INIT;
	for (int i = 0; i < 4000; i++)
		buf_addf(&v, "key%d:\n  value: %d\n", i, i);
	fixture_write(d, "values.yaml", v.ptr);
	fixture_write(d, "charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
	fixture_write(d, "charts/sub/values.yaml", "s: 1\n");
	struct arena *a = arena_new();
	struct helm_chart *c;
	REQUIRE(helm_chart_load(a, d, NULL, &c) == 0);
	struct tv *k = tv_map_get(c->values, "key3999");
	CHECK(k && k->kind == TV_MAP);
	CHECK_INT(c->ndependencies, 1);
	buf_adds(&v, "bad: [\n");
	fixture_write(d, "values.yaml", v.ptr);
	fixture_write(d, "charts/sub/Chart.yaml", "name: [");
	CHECK_INT(helm_chart_load(a, d, NULL, &c), ERR_INVALID);
	CHECK(!strncmp(err_msg(), "cannot load values.yaml: ", 25));
	fixture_write(d, "charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
	CHECK_INT(helm_chart_load(a, d, NULL, &c), ERR_INVALID);
	CHECK(!strncmp(err_msg(), "cannot load values.yaml: ", 25));
	buf_release(&v);
	arena_free(a);
	fixture_rmdir(d);
}

int main(void)
{
	RUN(corpus_charts_load);
	RUN(corpus_error_messages);
	RUN(directory_chart);
	RUN(metadata_validation);
	RUN(archives);
	RUN(directory_escapes);
	RUN(helmignore_rules);
	RUN(v1_requirements);
	RUN(big_values_beside_subcharts);
	return test_done();
}
