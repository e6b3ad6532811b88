/* helm's chartutil.Save as src/helm/save.h lists it: the entries of a packaged chart, in
 * helm's order and with helm's bytes (Chart.yaml and Chart.lock marshaled again), compared
 * with what the reference helm v4.1.4's `helm package` wrote for the charts under
 * tests/unit/helm/data/save/ (the golden archives in data/save/golden/, made as that
 * folder's README says), and, when that helm is on this machine ($HELM, or where
 * test/helm/helm-bin keeps it), with a fresh `helm package` of each. Then the checks Save
 * makes (version, name, schema JSON, Chart.lock's times) with helm's messages, and
 * encoding/json's Valid. */
#include "test.h"
#include "fixture.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include "helm/chart.h"
#include "helm/save.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

static const char *DATA = "tests/unit/helm/data/save";
/* Every chart of DATA, its golden archive golden/<name>-<version>.tgz. */
static const char *const CASES[] = { "full", "v1", "quoting", "lock", "nolock", "inner", "scalars" };
#define NCASES (sizeof CASES / sizeof *CASES)

/* A .tgz's regular files, in archive order (what helm package wrote). */
static int read_tgz(struct arena *a, const char *path, struct helm_saved_file **out, size_t *n)
{
	struct archive *r = archive_read_new();
	archive_read_support_filter_gzip(r);
	archive_read_support_format_tar(r);
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	if (archive_read_open_filename(r, path, 1 << 16) != ARCHIVE_OK) {
		archive_read_free(r);
		return -1;
	}
	struct archive_entry *e;
	int rc = 0;
	while ((rc = archive_read_next_header(r, &e)) == ARCHIVE_OK) {
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		size_t len = (size_t)archive_entry_size(e);
		char *data = arena_alloc_bytes(a, len + 1);
		if (len && archive_read_data(r, data, len) != (la_ssize_t)len) {
			rc = -1;
			break;
		}
		data[len] = '\0';
		*out = arena_grow(a, *out, &cap, *n + 1, sizeof **out);
		(*out)[(*n)++] = (struct helm_saved_file){ arena_strdup(a, archive_entry_pathname(e)), data, len };
	}
	archive_read_free(r);
	return rc == ARCHIVE_EOF ? 0 : -1;
}

/* The entries helm_chart_save_entries gives for the chart at dir, or NULL with the error
 * printed. */
static struct helm_saved_file *saved(struct arena *a, const char *dir, struct helm_chart **cp,
				     size_t *n)
{
	struct helm_chart *c;
	int rc = helm_chart_load(a, dir, NULL, &c);
	if (rc) {
		printf("#   load %s: %s\n", dir, err_msg());
		return NULL;
	}
	struct helm_saved_file *f;
	if ((rc = helm_chart_save_entries(a, c, &f, n))) {
		printf("#   save %s: %s\n", dir, err_msg());
		return NULL;
	}
	if (cp)
		*cp = c;
	return f;
}

/* Same names in the same order, same bytes; the differences printed. */
static bool same_entries(const char *what, const struct helm_saved_file *got, size_t ngot,
			 const struct helm_saved_file *want, size_t nwant)
{
	bool ok = ngot == nwant;
	if (!ok)
		printf("#   %s: %zu entries, helm wrote %zu\n", what, ngot, nwant);
	for (size_t i = 0; i < ngot || i < nwant; i++) {
		const char *g = i < ngot ? got[i].name : "(none)", *w = i < nwant ? want[i].name : "(none)";
		if (strcmp(g, w)) {
			printf("#   %s: entry %zu is %s, helm's is %s\n", what, i, g, w);
			ok = false;
			continue;
		}
		if (got[i].len != want[i].len || memcmp(got[i].data, want[i].data, got[i].len)) {
			printf("#   %s: %s differs\n#   got:\n%.*s\n#   helm:\n%.*s\n", what, g,
			       (int)got[i].len, got[i].data, (int)want[i].len, want[i].data);
			ok = false;
		}
	}
	return ok;
}

static void compare_with(const char *golden_dir)
{
	for (size_t k = 0; k < NCASES; k++) {
		struct arena *a = arena_new();
		char *dir = xasprintf("%s/%s", DATA, CASES[k]);
		struct helm_chart *c = NULL;
		size_t n = 0, nw = 0;
		struct helm_saved_file *got = saved(a, dir, &c, &n), *want = NULL;
		CHECK(got != NULL);
		if (got) {
			char *g = xasprintf("%s/%s-%s.tgz", golden_dir, c->metadata.name, c->metadata.version);
			CHECK(read_tgz(a, g, &want, &nw) == 0);
			CHECK(same_entries(CASES[k], got, n, want, nw));
			free(g);
		}
		free(dir);
		arena_free(a);
	}
}

TEST(entries_match_helm_package_golden)
{
	char *g = xasprintf("%s/golden", DATA);
	compare_with(g);
	free(g);
}

/* The reference helm, when this machine has it (never fetched from here). */
static const char *reference_helm(void)
{
	static char path[4096];
	const char *h = getenv("HELM");
	if (h && *h)
		snprintf(path, sizeof path, "%s", h);
	else
		snprintf(path, sizeof path, "%s/.cache/tide/helm/helm4", getenv("HOME") ? getenv("HOME") : "");
	return access(path, X_OK) == 0 ? path : NULL;
}

TEST(entries_match_helm_package_now)
{
	const char *helm = reference_helm();
	if (!helm) {
		printf("# skipped: no reference helm (test/helm/helm-bin fetches it)\n");
		return;
	}
	char *tmp = fixture_tmpdir("helm-save");
	for (size_t k = 0; k < NCASES; k++)
		fixture_sh("'%s' package '%s/%s' -d '%s' >/dev/null", helm, DATA, CASES[k], tmp);
	compare_with(tmp);
	fixture_rmdir(tmp);
}

/* The order writeTarContents writes, spelled out for the chart that has every kind of
 * entry: Chart.yaml, Chart.lock, values.yaml, values.schema.json, the templates, the other
 * files (load order: the directory walk's), then each subchart as a directory. */
TEST(entry_order)
{
	struct arena *a = arena_new();
	size_t n;
	char *dir = xasprintf("%s/full", DATA);
	struct helm_saved_file *f = saved(a, dir, NULL, &n);
	REQUIRE(f);
	static const char *const want[] = {
		"demo/Chart.yaml", "demo/Chart.lock", "demo/values.yaml", "demo/values.schema.json",
		"demo/templates/_helpers.tpl", "demo/templates/a.yaml", "demo/templates/b.yaml",
		"demo/.helmignore", "demo/README.md", "demo/crds/crd.yaml", "demo/files/z.txt",
		"demo/charts/sub/Chart.yaml", "demo/charts/sub/values.yaml",
		"demo/charts/sub/templates/p.yaml",
	};
	CHECK_INT(n, sizeof want / sizeof *want);
	for (size_t i = 0; i < n && i < sizeof want / sizeof *want; i++)
		CHECK_STR(f[i].name, want[i]);
	free(dir);
	arena_free(a);
}

/* Chart.yaml as helm v4.1.4 wrote it for data/save/full (sorted keys, omitempty, the
 * unknown key dropped, the description sanitized, tags' YAML 1.1 `y` a string "true"). */
TEST(chart_yaml_marshaled_as_helm)
{
	struct arena *a = arena_new();
	size_t n;
	char *dir = xasprintf("%s/full", DATA);
	struct helm_saved_file *f = saved(a, dir, NULL, &n);
	REQUIRE(f);
	CHECK_STR(f[0].data, "annotations:\n"
			     "  a.b/c: hello\n"
			     "  z: \"1\"\n"
			     "apiVersion: v2\n"
			     "appVersion: \"1.0\"\n"
			     "condition: top.enabled\n"
			     "dependencies:\n"
			     "- alias: subalias\n"
			     "  condition: sub.enabled\n"
			     "  import-values:\n"
			     "  - child: data\n"
			     "    parent: imported\n"
			     "  - simple\n"
			     "  name: sub\n"
			     "  repository: \"\"\n"
			     "  tags:\n"
			     "  - x\n"
			     "  - \"true\"\n"
			     "  version: 0.1.0\n"
			     "deprecated: true\n"
			     "description: A chart with tab\n"
			     "home: https://example.com\n"
			     "icon: https://example.com/i.png\n"
			     "keywords:\n"
			     "- b\n"
			     "- a\n"
			     "kubeVersion: '>=1.20.0'\n"
			     "maintainers:\n"
			     "- email: z@example.com\n"
			     "  name: Zed\n"
			     "- name: Amy\n"
			     "  url: https://amy.example.com\n"
			     "name: demo\n"
			     "sources:\n"
			     "- https://src.example.com\n"
			     "tags: t1\n"
			     "type: application\n"
			     "version: 1.2.3\n");
	/* Chart.lock: the time cut to nanoseconds, its offset kept */
	CHECK_STR(f[1].data, "dependencies:\n"
			     "- name: sub\n"
			     "  repository: \"\"\n"
			     "  version: 0.1.0\n"
			     "digest: sha256:abc\n"
			     "generated: \"2024-03-05T10:11:12.123456789+02:00\"\n");
	free(dir);
	arena_free(a);
}

/* A chart of the given Chart.yaml, Chart.lock (NULL: none) and values.yaml (NULL: none),
 * loaded from a scratch directory. */
static struct helm_chart *chart_of(struct arena *a, const char *chart_yaml, const char *lock,
				   const char *values)
{
	char *tmp = fixture_tmpdir("helm-save");
	fixture_write(tmp, "c/Chart.yaml", chart_yaml);
	if (lock)
		fixture_write(tmp, "c/Chart.lock", lock);
	if (values)
		fixture_write(tmp, "c/values.yaml", values);
	char *dir = xasprintf("%s/c", tmp);
	struct helm_chart *c = NULL;
	int rc = helm_chart_load(a, dir, NULL, &c);
	if (rc)
		printf("#   load: %s\n", err_msg());
	free(dir);
	fixture_rmdir(tmp);
	return rc ? NULL : c;
}

static const char *MINIMAL = "apiVersion: v2\nname: c\nversion: 1.0.0\n";

/* The version callers change (build metadata) is checked again, with Validate's words. */
TEST(version_checked_again)
{
	struct arena *a = arena_new();
	struct helm_chart *c = chart_of(a, MINIMAL, NULL, "a: 1\n");
	REQUIRE(c);
	struct helm_saved_file *f;
	size_t n;
	c->metadata.version = "1.0.0+abc.1";
	REQUIRE(helm_chart_save_entries(a, c, &f, &n) == 0);
	CHECK_STR(f[0].data, "apiVersion: v2\nname: c\nversion: 1.0.0+abc.1\n");
	c->metadata.version = "one";
	CHECK_INT(helm_chart_save_entries(a, c, &f, &n), ERR_INVALID);
	CHECK_STR(err_msg(), "chart validation: validation: chart.metadata.version \"one\" is invalid");
	CHECK(f == NULL && n == 0);
	c->metadata.version = "";
	CHECK_INT(helm_chart_save_entries(a, c, &f, &n), ERR_INVALID);
	CHECK_STR(err_msg(), "chart validation: validation: chart.metadata.version is required");
	arena_free(a);
}

/* validateName: a name with a separator is refused (the loader refuses it first; Save
 * checks it again for a name set in memory). */
TEST(name_with_separator_refused)
{
	struct arena *a = arena_new();
	struct helm_chart *c = chart_of(a, MINIMAL, NULL, NULL);
	REQUIRE(c);
	struct helm_saved_file *f;
	size_t n;
	c->metadata.name = "../x";
	CHECK_INT(helm_chart_save_entries(a, c, &f, &n), ERR_INVALID);
	CHECK_STR(err_msg(), "\"../x\" is not a valid chart name");
	arena_free(a);
}

/* No values.yaml: no entry (helm writes values.yaml only from the chart's raw files). The
 * bytes of values.yaml are the file's, comments and all, not the values marshaled. */
TEST(values_yaml_as_loaded)
{
	struct arena *a = arena_new();
	struct helm_chart *c = chart_of(a, MINIMAL, NULL, NULL);
	REQUIRE(c);
	struct helm_saved_file *f;
	size_t n;
	REQUIRE(helm_chart_save_entries(a, c, &f, &n) == 0);
	CHECK_INT(n, 1);
	CHECK_STR(f[0].name, "c/Chart.yaml");
	c = chart_of(a, MINIMAL, NULL, "# defaults\nb: 2   # two\na: 1\n");
	REQUIRE(c);
	REQUIRE(helm_chart_save_entries(a, c, &f, &n) == 0);
	REQUIRE(n == 2);
	CHECK_STR(f[1].name, "c/values.yaml");
	CHECK_STR(f[1].data, "# defaults\nb: 2   # two\na: 1\n");
	arena_free(a);
}

/* values.schema.json must be JSON (json.Valid), else helm's message. */
TEST(schema_must_be_json)
{
	struct arena *a = arena_new();
	struct helm_chart *c = chart_of(a, MINIMAL, NULL, NULL);
	REQUIRE(c);
	struct helm_saved_file *f;
	size_t n;
	c->schema = "{\"type\": \"object\",}";
	c->schema_len = strlen(c->schema);
	CHECK_INT(helm_chart_save_entries(a, c, &f, &n), ERR_INVALID);
	CHECK_STR(err_msg(), "invalid JSON in values.schema.json");
	c->schema = " {\"type\": [\"object\", null]} \n";
	c->schema_len = strlen(c->schema);
	REQUIRE(helm_chart_save_entries(a, c, &f, &n) == 0);
	REQUIRE(n == 2);
	CHECK_STR(f[1].name, "c/values.schema.json");
	CHECK_STR(f[1].data, c->schema);
	arena_free(a);
}

/* Chart.lock read as helm reads it (sigs.k8s.io/yaml into chart.Lock: time.Time's lenient
 * RFC 3339 parser, encoding/json's types) and written again; every expectation is what
 * helm v4.1.4's `helm package` wrote or printed for that Chart.lock (its "Error: " cut). */
#define LOCK_ERR "cannot load Chart.lock: error unmarshaling JSON: while decoding JSON: "
#define TIME_AS " as \"2006-01-02T15:04:05Z07:00\": cannot parse "
static const struct {
	const char *lock, *out; /* out NULL: no Chart.lock written; "!msg": the error */
} LOCKS[] = {
	{ "generated: \"2024-03-05T10:11:12.123456789123+02:00\"\n",
	  "dependencies: null\ndigest: \"\"\ngenerated: \"2024-03-05T10:11:12.123456789+02:00\"\n" },
	{ "generated: \"2023-07-08T09:10:11.120+00:00\"\n",
	  "dependencies: null\ndigest: \"\"\ngenerated: \"2023-07-08T09:10:11.12Z\"\n" },
	{ "generated: \"2024-02-29T23:59:59.1234567891-07:30\"\n",
	  "dependencies: null\ndigest: \"\"\ngenerated: \"2024-02-29T23:59:59.123456789-07:30\"\n" },
	{ "generated: \"2023-07-08T09:10:11,5Z\"\n",
	  "dependencies: null\ndigest: \"\"\ngenerated: \"2023-07-08T09:10:11.5Z\"\n" },
	{ "generated: \"2023-07-08T9:10:11Z\"\n",
	  "dependencies: null\ndigest: \"\"\ngenerated: \"2023-07-08T09:10:11Z\"\n" },
	{ "generated: \"2023-07-08T09:10:11-00:00\"\n",
	  "dependencies: null\ndigest: \"\"\ngenerated: \"2023-07-08T09:10:11Z\"\n" },
	{ "generated: 2023-07-08T09:10:11Z\n",
	  "dependencies: null\ndigest: \"\"\ngenerated: \"2023-07-08T09:10:11Z\"\n" },
	{ "generated: \"2023-07-08T09:10:11.000000000001Z\"\n",
	  "dependencies: null\ndigest: \"\"\ngenerated: \"2023-07-08T09:10:11Z\"\n" },
	{ "generated: null\n", "dependencies: null\ndigest: \"\"\ngenerated: \"0001-01-01T00:00:00Z\"\n" },
	{ "extra: 1\n", "dependencies: null\ndigest: \"\"\ngenerated: \"0001-01-01T00:00:00Z\"\n" },
	{ "digest: 5\n", "dependencies: null\ndigest: \"5\"\ngenerated: \"0001-01-01T00:00:00Z\"\n" },
	{ "dependencies: [null]\n",
	  "dependencies:\n- null\ndigest: \"\"\ngenerated: \"0001-01-01T00:00:00Z\"\n" },
	{ "dependencies: [{name: 5, version: 1.0, tags: [yes, 1]}]\n",
	  "dependencies:\n- name: \"5\"\n  repository: \"\"\n  tags:\n  - \"true\"\n  - \"1\"\n"
	  "  version: \"1\"\ndigest: \"\"\ngenerated: \"0001-01-01T00:00:00Z\"\n" },
	{ "", NULL },
	{ "null\n", NULL },
	{ "generated: \"2023-02-29T00:00:00Z\"\n",
	  "!" LOCK_ERR "parsing time \"2023-02-29T00:00:00Z\": day out of range" },
	{ "generated: \"2023-02-28T25:00:00Z\"\n",
	  "!" LOCK_ERR "parsing time \"2023-02-28T25:00:00Z\": hour out of range" },
	{ "generated: \"2023-02-28\"\n",
	  "!" LOCK_ERR "parsing time \"2023-02-28\"" TIME_AS "\"\" as \"T\"" },
	{ "generated: 2023-07-08\n",
	  "!" LOCK_ERR "parsing time \"2023-07-08\"" TIME_AS "\"\" as \"T\"" },
	{ "generated: 5\n", "!" LOCK_ERR "Time.UnmarshalJSON: input is not a JSON string" },
	{ "generated: [1]\n", "!" LOCK_ERR "Time.UnmarshalJSON: input is not a JSON string" },
	{ "generated: true\n", "!" LOCK_ERR "Time.UnmarshalJSON: input is not a JSON string" },
	{ "generated: \"2023-07-08t09:10:11z\"\n",
	  "!" LOCK_ERR "parsing time \"2023-07-08t09:10:11z\"" TIME_AS "\"t09:10:11z\" as \"T\"" },
	{ "generated: \"2023-07-08T09:10:11+24:00\"\n",
	  "!error marshaling into JSON: json: error calling MarshalJSON for type time.Time: "
	  "Time.MarshalJSON: timezone hour outside of range [0,23]" },
	{ "generated: \"2023-07-08T09:10:11+25:00\"\n",
	  "!" LOCK_ERR "parsing time \"2023-07-08T09:10:11+25:00\": time zone offset hour out of range" },
	{ "generated: \"2023-07-08T09:10:11+01:61\"\n",
	  "!" LOCK_ERR "parsing time \"2023-07-08T09:10:11+01:61\": time zone offset minute out of range" },
	{ "generated: \"2023-07-08T09:10:11Zjunk\"\n",
	  "!" LOCK_ERR "parsing time \"2023-07-08T09:10:11Zjunk\": extra text: \"junk\"" },
	{ "generated: \"2023-13-08T09:10:11Z\"\n",
	  "!" LOCK_ERR "parsing time \"2023-13-08T09:10:11Z\": month out of range" },
	{ "generated: \"2023-07-08T09:60:11Z\"\n",
	  "!" LOCK_ERR "parsing time \"2023-07-08T09:60:11Z\": minute out of range" },
	{ "generated: \"2023-07-08T09:10:60Z\"\n",
	  "!" LOCK_ERR "parsing time \"2023-07-08T09:10:60Z\": second out of range" },
	{ "generated: \"20a3-07-08T09:10:11Z\"\n",
	  "!" LOCK_ERR "parsing time \"20a3-07-08T09:10:11Z\"" TIME_AS "\"20a3-07-08T09:10:11Z\" as \"2006\"" },
	{ "generated: \"2023-07-08T09:10:11+0100\"\n",
	  "!" LOCK_ERR "parsing time \"2023-07-08T09:10:11+0100\"" TIME_AS "\"+0100\" as \"Z07:00\"" },
	{ "generated: \"2023-07-08T09:10:11 Z\"\n",
	  "!" LOCK_ERR "parsing time \"2023-07-08T09:10:11 Z\"" TIME_AS "\" Z\" as \"Z07:00\"" },
	{ "generated: \"2023-07-8T09:10:11Z\"\n",
	  "!" LOCK_ERR "parsing time \"2023-07-8T09:10:11Z\"" TIME_AS "\"8T09:10:11Z\" as \"02\"" },
	{ "generated: \"2023-07-08T09:10:11.5\"\n",
	  "!" LOCK_ERR "parsing time \"2023-07-08T09:10:11.5\"" TIME_AS "\"\" as \"Z07:00\"" },
	{ "generated: \"2023-07-08T09:10:11.Z\"\n",
	  "!" LOCK_ERR "parsing time \"2023-07-08T09:10:11.Z\"" TIME_AS "\".Z\" as \"Z07:00\"" },
	{ "generated: \"\xc3\xa9" "2023\"\n",
	  "!" LOCK_ERR "parsing time \"\\xc3\\xa92023\"" TIME_AS "\"\\xc3\\xa92023\" as \"2006\"" },
	{ "generated: \"a\\\"b\"\n",
	  "!" LOCK_ERR "parsing time \"a\\\\\\\"b\"" TIME_AS "\"a\\\\\\\"b\" as \"2006\"" },
	{ "generated: \"<&>\"\n",
	  "!" LOCK_ERR "parsing time \"\\\\u003c\\\\u0026\\\\u003e\"" TIME_AS
	  "\"\\\\u003c\\\\u0026\\\\u003e\" as \"2006\"" },
	{ "- a\n", "!" LOCK_ERR "json: cannot unmarshal array into Go value of type v2.Lock" },
	{ "\"str\"\n", "!" LOCK_ERR "json: cannot unmarshal string into Go value of type v2.Lock" },
	{ "5\n", "!" LOCK_ERR "json: cannot unmarshal number into Go value of type v2.Lock" },
	{ "dependencies: {a: 1}\n",
	  "!" LOCK_ERR "json: cannot unmarshal object into Go struct field Lock.dependencies of type "
	  "[]*v2.Dependency" },
	{ "dependencies: [5]\n",
	  "!" LOCK_ERR "json: cannot unmarshal number into Go struct field Lock.dependencies of type "
	  "v2.Dependency" },
	{ "dependencies: [[1]]\n",
	  "!" LOCK_ERR "json: cannot unmarshal array into Go struct field Lock.dependencies of type "
	  "v2.Dependency" },
	{ "dependencies: [\"x\"]\n",
	  "!" LOCK_ERR "json: cannot unmarshal string into Go struct field Lock.dependencies of type "
	  "v2.Dependency" },
	{ "dependencies: [{name: [1]}]\n",
	  "!" LOCK_ERR "json: cannot unmarshal array into Go struct field Dependency.dependencies.name "
	  "of type string" },
	{ "dependencies: [{name: x, enabled: \"true\"}]\n",
	  "!" LOCK_ERR "json: cannot unmarshal string into Go struct field "
	  "Dependency.dependencies.enabled of type bool" },
	{ "dependencies: [{name: x, import-values: {a: 1}}]\n",
	  "!" LOCK_ERR "json: cannot unmarshal object into Go struct field "
	  "Dependency.dependencies.import-values of type []interface {}" },
	{ "dependencies: [{name: x, tags: \"t\"}]\n",
	  "!" LOCK_ERR "json: cannot unmarshal string into Go struct field Dependency.dependencies.tags "
	  "of type []string" },
	{ "a: [\n",
	  "!cannot load Chart.lock: error converting YAML to JSON: yaml: line 1: did not find "
	  "expected node content" },
	{ "a: b\n c: d\n  e\n",
	  "!cannot load Chart.lock: error converting YAML to JSON: yaml: line 2: mapping values are "
	  "not allowed in this context" },
	{ "digest: [1]\n",
	  "!" LOCK_ERR "json: cannot unmarshal array into Go struct field Lock.digest of type string" },
};

TEST(lock_as_helm_reads_it)
{
	for (size_t i = 0; i < sizeof LOCKS / sizeof *LOCKS; i++) {
		struct arena *a = arena_new();
		struct helm_chart *c = chart_of(a, MINIMAL, LOCKS[i].lock, NULL);
		REQUIRE(c);
		struct helm_saved_file *f;
		size_t n;
		int rc = helm_chart_save_entries(a, c, &f, &n);
		const char *want = LOCKS[i].out;
		if (want && want[0] == '!') {
			CHECK_INT(rc, ERR_INVALID);
			CHECK_STR(rc ? err_msg() : "(saved)", want + 1);
		} else if (!want) {
			CHECK_INT(rc, 0);
			CHECK_INT(n, 1); /* Chart.yaml alone */
		} else {
			CHECK_INT(rc, 0);
			CHECK_INT(n, 2);
			CHECK_STR(!rc && n == 2 ? f[1].data : "(none)", want);
		}
		if (test_cur_failed)
			printf("#   lock %zu: %s", i, LOCKS[i].lock);
		arena_free(a);
		if (test_cur_failed)
			break;
	}
}

/* The table above against a fresh `helm package` of each lock, when that helm is here. */
TEST(locks_match_helm_package_now)
{
	const char *helm = reference_helm();
	if (!helm) {
		printf("# skipped: no reference helm (test/helm/helm-bin fetches it)\n");
		return;
	}
	for (size_t i = 0; i < sizeof LOCKS / sizeof *LOCKS; i++) {
		char *tmp = fixture_tmpdir("helm-lock");
		fixture_write(tmp, "c/Chart.yaml", MINIMAL);
		fixture_write(tmp, "c/Chart.lock", LOCKS[i].lock);
		fixture_sh("cd '%s' && '%s' package c -d out >/dev/null 2>err; "
			   "tar -xzOf out/c-1.0.0.tgz c/Chart.lock >lock 2>/dev/null; true", tmp, helm);
		char *err = fixture_read(tmp, "err"), *lock = fixture_read(tmp, "lock");
		const char *want = LOCKS[i].out;
		if (want && want[0] == '!') {
			/* helm package prefixes Save's own errors with "failed to save: " */
			char *got = err && !strncmp(err, "Error: ", 7) ? err + 7 : err;
			if (got && !strncmp(got, "failed to save: ", 16))
				got += 16;
			if (got && *got && got[strlen(got) - 1] == '\n')
				got[strlen(got) - 1] = '\0';
			CHECK_STR(got, want + 1);
		} else {
			CHECK_STR(lock, want ? want : "");
		}
		if (test_cur_failed)
			printf("#   lock %zu: %s", i, LOCKS[i].lock);
		free(err);
		free(lock);
		fixture_rmdir(tmp);
	}
}

/* Values.Encode (sigs.k8s.io/yaml.Marshal): keys sorted at every level, lists kept. */
TEST(values_marshal)
{
	struct arena *a = arena_new();
	struct tv *m = tv_map_new(a), *in = tv_map_new(a), *l = tv_list(a, 2);
	tv_map_set(a, in, "z", tv_str(a, "yes"));
	tv_map_set(a, in, "a", &tv_nil_value);
	tv_list_push(a, l, tv_str(a, "x"));
	tv_list_push(a, l, tv_bool(false));
	tv_map_set(a, m, "list", l);
	tv_map_set(a, m, "inner", in);
	tv_map_set(a, m, "empty", tv_map_new(a));
	tv_map_set(a, m, "Upper", tv_str(a, ""));
	struct buf b = BUF_INIT;
	REQUIRE(helm_values_marshal(a, m, &b) == 0);
	CHECK_STR(b.ptr, "Upper: \"\"\nempty: {}\ninner:\n  a: null\n  z: \"yes\"\nlist:\n- x\n- false\n");
	buf_release(&b);
	arena_free(a);
}

TEST(json_valid)
{
	static const char *const good[] = {
		"{}", " [ ] ", "0", "-0.5e+10", "\"\\u00e9\\n\"", "null", "true",
		"{\"a\":[1,{\"b\":null}],\"c\":\"\xc3\xa9\"}", "\"\xff\"",
	};
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "+1", "\"\\x\"", "\"\\u12\"",
		"\"a\nb\"", "tru", "nul", "{} {}", "{a:1}", "'a'", "[1 2]", "{\"a\" 1}", "1e",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (!helm_json_valid(good[i], strlen(good[i]))) {
			CHECK(!"valid JSON refused");
			printf("#   %s\n", good[i]);
		}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (helm_json_valid(bad[i], strlen(bad[i]))) {
			CHECK(!"invalid JSON accepted");
			printf("#   %s\n", bad[i]);
		}
	/* nesting: Go's 10,000 levels */
	struct buf b = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_addch(&b, '[');
	for (int i = 0; i < 10000; i++)
		buf_addch(&b, ']');
	CHECK(helm_json_valid(b.ptr, b.len));
	buf_release(&b);
	for (int i = 0; i < 10001; i++)
		buf_addch(&b, '[');
	for (int i = 0; i < 10001; i++)
		buf_addch(&b, ']');
	CHECK(!helm_json_valid(b.ptr, b.len));
	buf_release(&b);
	/* a NUL inside the text is no JSON whitespace */
	CHECK(!helm_json_valid("{}\0", 3));
}

int main(void)
{
	RUN(entries_match_helm_package_golden);
	RUN(entries_match_helm_package_now);
	RUN(entry_order);
	RUN(chart_yaml_marshaled_as_helm);
	RUN(version_checked_again);
	RUN(name_with_separator_refused);
	RUN(values_yaml_as_loaded);
	RUN(schema_must_be_json);
	RUN(lock_as_helm_reads_it);
	RUN(locks_match_helm_package_now);
	RUN(values_marshal);
	RUN(json_valid);
	return test_done();
}
