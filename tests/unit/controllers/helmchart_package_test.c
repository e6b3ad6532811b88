/* The HelmChart builder's packaging step (controllers/helmchart/package.h): valuesFiles
 * merged as Flux merges them (internal/helm/chart: mergeFileValues for a chart from a
 * source artifact, mergeChartValues for a chart from a Helm repository, both over
 * transform.MergeMaps, then OverwriteChartDefaultValues), with Flux's messages, the
 * found/changed outputs the reconciler records, the confinement of paths to the source,
 * and the packaged .tgz read back by the chart loader with the entries helm's Save lists. */
#include "test.h"
#include "fixture.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include "controllers/helmchart/package.h"
#include "helm/chart.h"
#include "helm/save.h"
#include "source/artifact.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

/* A scratch tree: root/src is the "source artifact", root/src/chart a chart in it. */
static char *tree(void)
{
	char *root = fixture_tmpdir("hcpkg");
	fixture_write(root, "src/chart/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n");
	fixture_write(root, "src/chart/values.yaml", "# defaults\nreplicas: 1\nimage:\n  repo: app\n"
						      "  tag: v1\nlist: [a, b]\n");
	fixture_write(root, "src/chart/templates/cm.yaml", "kind: ConfigMap\n");
	fixture_write(root, "src/chart/values-prod.yaml", "replicas: 3\nimage: {tag: v2}\n");
	fixture_write(root, "src/envs/a.yaml", "image: {tag: a, pull: Always}\nlist: [x]\nkeep: 1\n");
	fixture_write(root, "src/envs/b.yaml", "image: {tag: b}\nlist: [y, z]\nkeep: null\nnew: {n: 1}\n");
	fixture_write(root, "src/outside-chart.yaml", "top: true\n");
	fixture_write(root, "secret.yaml", "password: hunter2\n");
	return root;
}

static struct helm_chart *load(struct arena *a, const char *root)
{
	char *dir = xasprintf("%s/src/chart", root);
	struct helm_chart *c = NULL;
	if (helm_chart_load(a, dir, NULL, &c))
		printf("#   load: %s\n", err_msg());
	free(dir);
	return c;
}

static char *src_of(const char *root)
{
	return xasprintf("%s/src", root);
}

static const char *values_yaml(const struct helm_chart *c)
{
	return c->values_file ? c->values_file->data : "(none)";
}

/* Left to right, a later file wins; maps merge deeply, lists and scalars are replaced, a
 * null is kept as null (MergeMaps does not delete). The result replaces values.yaml as
 * sigs.k8s.io/yaml marshals it (sorted keys, comments gone), and c->values with it. */
TEST(dir_merge_left_to_right)
{
	struct arena *a = arena_new();
	char *root = tree(), *src = src_of(root);
	struct helm_chart *c = load(a, root);
	REQUIRE(c);
	const char *paths[] = { "envs/a.yaml", "/envs/b.yaml" };
	struct helmchart_values v;
	REQUIRE(helmchart_values_from_dir(a, c, src, paths, 2, false, &v) == 0);
	CHECK(v.changed);
	REQUIRE(v.nfound == 2);
	CHECK_STR(v.found[0], "envs/a.yaml");
	CHECK_STR(v.found[1], "/envs/b.yaml"); /* as the spec names it */
	/* goyaml.v2 reads the plain y and the key n as YAML 1.1 booleans, as Flux does */
	CHECK_STR(values_yaml(c), "image:\n  pull: Always\n  tag: b\nkeep: null\nlist:\n- true\n- z\n"
				  "new:\n  \"false\": 1\n");
	CHECK(c->values == v.merged);
	CHECK(tv_map_get(c->values, "replicas") == NULL); /* the chart's defaults are not merged */
	CHECK_INT(c->values_file->len, strlen(c->values_file->data));
	free(src);
	fixture_rmdir(root);
	arena_free(a);
}

/* A file of the chart named through the source's root, and a chart's own values.yaml
 * named as a file of the source: both plain files to mergeFileValues. */
TEST(dir_paths_relative_to_source_root)
{
	struct arena *a = arena_new();
	char *root = tree(), *src = src_of(root);
	struct helm_chart *c = load(a, root);
	REQUIRE(c);
	const char *paths[] = { "chart/values.yaml", "./chart/../chart/values-prod.yaml",
				"outside-chart.yaml" };
	struct helmchart_values v;
	REQUIRE(helmchart_values_from_dir(a, c, src, paths, 3, false, &v) == 0);
	CHECK(v.changed);
	CHECK_INT(v.nfound, 3);
	CHECK_STR(values_yaml(c), "image:\n  repo: app\n  tag: v2\nlist:\n- a\n- b\nreplicas: 3\n"
				  "top: true\n");
	free(src);
	fixture_rmdir(root);
	arena_free(a);
}

/* Missing files: Flux's message with the joined path (root trimmed) and the reference;
 * skipped under ignoreMissingValuesFiles, and then not among found. A directory is never
 * skipped. */
TEST(dir_missing_files)
{
	struct arena *a = arena_new();
	char *root = tree(), *src = src_of(root);
	struct helm_chart *c = load(a, root);
	REQUIRE(c);
	struct helmchart_values v;
	const char *missing[] = { "envs/a.yaml", "nope/../x.yaml" };
	CHECK_INT(helmchart_values_from_dir(a, c, src, missing, 2, false, &v), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "no values file found at path '/x.yaml' (reference 'nope/../x.yaml')");
	CHECK_STR(values_yaml(c), "# defaults\nreplicas: 1\nimage:\n  repo: app\n  tag: v1\n"
				  "list: [a, b]\n"); /* nothing put in the chart */
	REQUIRE(helmchart_values_from_dir(a, c, src, missing, 2, true, &v) == 0);
	CHECK(v.changed);
	REQUIRE(v.nfound == 1);
	CHECK_STR(v.found[0], "envs/a.yaml");
	const char *dir[] = { "envs" };
	CHECK_INT(helmchart_values_from_dir(a, c, src, dir, 1, true, &v), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "no values file found at path '/envs' (reference 'envs')");
	/* ENOTDIR is no os.IsNotExist: not skipped either */
	const char *under_file[] = { "envs/a.yaml/x" };
	CHECK_INT(helmchart_values_from_dir(a, c, src, under_file, 1, true, &v), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "no values file found at path '/envs/a.yaml/x' (reference 'envs/a.yaml/x')");
	free(src);
	fixture_rmdir(root);
	arena_free(a);
}

/* Every file missing and ignored: an empty merge, which Flux's comparison (a nil buffer
 * against the file's bytes) never finds equal: values.yaml becomes empty, found is empty
 * and changed true. No paths at all: nothing happens. */
TEST(dir_all_missing_empties_values)
{
	struct arena *a = arena_new();
	char *root = tree(), *src = src_of(root);
	struct helm_chart *c = load(a, root);
	REQUIRE(c);
	const char *paths[] = { "a.yaml", "b.yaml" };
	struct helmchart_values v;
	REQUIRE(helmchart_values_from_dir(a, c, src, paths, 2, false, &v) == ERR_NOTFOUND);
	REQUIRE(helmchart_values_from_dir(a, c, src, paths, 2, true, &v) == 0);
	CHECK(v.changed);
	CHECK_INT(v.nfound, 0);
	CHECK_INT(c->values_file->len, 0);
	CHECK_INT(c->values->u.map.len, 0);
	struct helm_chart *d = load(a, root);
	REQUIRE(d);
	const char *before = d->values_file->data;
	REQUIRE(helmchart_values_from_dir(a, d, src, NULL, 0, false, &v) == 0);
	CHECK(!v.changed && v.merged == NULL && v.nfound == 0);
	CHECK(d->values_file->data == before);
	free(src);
	fixture_rmdir(root);
	arena_free(a);
}

/* A merge whose marshaled bytes are values.yaml's own: no change (Flux then reports no
 * observedValuesFiles), values.yaml kept as it was. */
TEST(dir_same_bytes_is_no_change)
{
	struct arena *a = arena_new();
	char *root = tree(), *src = src_of(root);
	fixture_write(root, "src/chart/values.yaml", "a: 1\nb:\n  c: true\n");
	fixture_write(root, "src/same.yaml", "b: {c: true}\na: 1\n");
	struct helm_chart *c = load(a, root);
	REQUIRE(c);
	const struct helm_file *before = c->values_file;
	const char *paths[] = { "same.yaml" };
	struct helmchart_values v;
	REQUIRE(helmchart_values_from_dir(a, c, src, paths, 1, false, &v) == 0);
	CHECK(!v.changed);
	CHECK_INT(v.nfound, 1); /* merged, but the caller records found only on a change */
	CHECK(c->values_file == before);
	free(src);
	fixture_rmdir(root);
	arena_free(a);
}

/* A chart without values.yaml: OverwriteChartDefaultValues's error. */
TEST(dir_chart_without_values_yaml)
{
	struct arena *a = arena_new();
	char *root = tree(), *src = src_of(root);
	char *vy = xasprintf("%s/src/chart/values.yaml", root);
	unlink(vy);
	struct helm_chart *c = load(a, root);
	REQUIRE(c);
	const char *paths[] = { "envs/a.yaml" };
	struct helmchart_values v;
	CHECK_INT(helmchart_values_from_dir(a, c, src, paths, 1, false, &v), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "failed to locate values file: values.yaml");
	CHECK(c->values_file == NULL);
	free(vy);
	free(src);
	fixture_rmdir(root);
	arena_free(a);
}

/* A path that climbs out of the source, or a symlink in it that leads out: refused (Flux's
 * securejoin would clamp it inside; tide refuses, as for GitRepository includes). A symlink
 * that stays inside is followed. */
TEST(dir_escapes_refused)
{
	struct arena *a = arena_new();
	char *root = tree(), *src = src_of(root);
	struct helm_chart *c = load(a, root);
	REQUIRE(c);
	struct helmchart_values v;
	const char *up[] = { "../secret.yaml" };
	CHECK_INT(helmchart_values_from_dir(a, c, src, up, 1, true, &v), ERR_ESCAPE);
	CHECK(strstr(err_msg(), "invalid values file path") != NULL);
	fixture_sh("ln -s ../secret.yaml '%s/src/link.yaml' && ln -s envs/a.yaml '%s/src/in.yaml'",
		   root, root);
	const char *link[] = { "link.yaml" };
	CHECK_INT(helmchart_values_from_dir(a, c, src, link, 1, true, &v), ERR_ESCAPE);
	CHECK_STR(err_msg(), "invalid values file path 'link.yaml': it resolves outside the source's root");
	CHECK(strstr(values_yaml(c), "hunter2") == NULL);
	const char *in[] = { "in.yaml" };
	REQUIRE(helmchart_values_from_dir(a, c, src, in, 1, false, &v) == 0);
	CHECK_STR(values_yaml(c), "image:\n  pull: Always\n  tag: a\nkeep: 1\nlist:\n- x\n");
	free(src);
	fixture_rmdir(root);
	arena_free(a);
}

/* Parse errors in sigs.k8s.io/yaml's words; only a file's first document counts. */
TEST(dir_parse_errors)
{
	struct arena *a = arena_new();
	char *root = tree(), *src = src_of(root);
	fixture_write(root, "src/bad.yaml", "a: [\n");
	fixture_write(root, "src/list.yaml", "- a\n");
	fixture_write(root, "src/two.yaml", "a: 1\n---\nb: 2\n");
	fixture_write(root, "src/empty.yaml", "");
	struct helm_chart *c = load(a, root);
	REQUIRE(c);
	struct helmchart_values v;
	const char *bad[] = { "bad.yaml" };
	CHECK_INT(helmchart_values_from_dir(a, c, src, bad, 1, false, &v), ERR_INVALID);
	CHECK_STR(err_msg(), "unmarshaling values from 'bad.yaml' failed: error converting YAML to "
			     "JSON: yaml: line 1: did not find expected node content");
	const char *list[] = { "list.yaml" };
	CHECK_INT(helmchart_values_from_dir(a, c, src, list, 1, false, &v), ERR_INVALID);
	CHECK_STR(err_msg(), "unmarshaling values from 'list.yaml' failed: error unmarshaling JSON: "
			     "while decoding JSON: json: cannot unmarshal array into Go value of type "
			     "map[string]interface {}");
	const char *two[] = { "empty.yaml", "two.yaml" };
	REQUIRE(helmchart_values_from_dir(a, c, src, two, 2, false, &v) == 0);
	CHECK_STR(values_yaml(c), "a: 1\n");
	CHECK_INT(v.nfound, 2);
	free(src);
	fixture_rmdir(root);
	arena_free(a);
}

/* One values file is read capped. */
TEST(dir_file_too_big)
{
	struct arena *a = arena_new();
	char *root = tree(), *src = src_of(root);
	fixture_sh("truncate -s %zu '%s/src/big.yaml'", HELMCHART_VALUES_FILE_MAX + 1, root);
	struct helm_chart *c = load(a, root);
	REQUIRE(c);
	const char *big[] = { "big.yaml" };
	struct helmchart_values v;
	CHECK_INT(helmchart_values_from_dir(a, c, src, big, 1, false, &v), ERR_TOOBIG);
	CHECK(strstr(err_msg(), "could not read values from file 'big.yaml'") != NULL);
	free(src);
	fixture_rmdir(root);
	arena_free(a);
}

/* mergeChartValues: the chart's own files, by filepath.Clean'd name; "values.yaml" is the
 * chart's defaults (parsed values, not the file's text). Templates, Chart.yaml and names
 * that climb are no files of the chart. found keeps the names as the spec wrote them. */
TEST(chart_merge)
{
	struct arena *a = arena_new();
	char *root = tree();
	struct helm_chart *c = load(a, root);
	REQUIRE(c);
	const char *paths[] = { "./values.yaml", "sub/../values-prod.yaml" };
	struct helmchart_values v;
	REQUIRE(helmchart_values_from_chart(a, c, paths, 2, false, &v) == 0);
	CHECK(v.changed);
	REQUIRE(v.nfound == 2);
	CHECK_STR(v.found[0], "./values.yaml");
	CHECK_STR(v.found[1], "sub/../values-prod.yaml");
	CHECK_STR(values_yaml(c), "image:\n  repo: app\n  tag: v2\nlist:\n- a\n- b\nreplicas: 3\n");
	static const char *const none[] = { "templates/cm.yaml", "Chart.yaml", "../values-prod.yaml",
					     "/values-prod.yaml", "values-prod.yaml/", "x.yaml" };
	static const char *const msgs[] = {
		"no values file found at path 'templates/cm.yaml'",
		"no values file found at path 'Chart.yaml'",
		"no values file found at path '../values-prod.yaml'",
		"no values file found at path '/values-prod.yaml'",
		NULL, /* Clean drops the slash: found */
		"no values file found at path 'x.yaml'",
	};
	for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
		struct helm_chart *d = load(a, root);
		REQUIRE(d);
		int rc = helmchart_values_from_chart(a, d, &none[i], 1, false, &v);
		if (msgs[i]) {
			CHECK_INT(rc, ERR_NOTFOUND);
			CHECK_STR(err_msg(), msgs[i]);
			REQUIRE(helmchart_values_from_chart(a, d, &none[i], 1, true, &v) == 0);
			CHECK(v.changed && v.nfound == 0 && d->values_file->len == 0);
		} else {
			CHECK_INT(rc, 0);
			CHECK_INT(v.nfound, 1);
		}
	}
	fixture_rmdir(root);
	arena_free(a);
}

/* "values.yaml" alone merges the defaults onto nothing: the marshaled defaults, which
 * differ from the file (comments, flow style), so values.yaml is rewritten. */
TEST(chart_values_yaml_alone)
{
	struct arena *a = arena_new();
	char *root = tree();
	struct helm_chart *c = load(a, root);
	REQUIRE(c);
	const char *paths[] = { "values.yaml" };
	struct helmchart_values v;
	REQUIRE(helmchart_values_from_chart(a, c, paths, 1, false, &v) == 0);
	CHECK(v.changed);
	CHECK_STR(values_yaml(c), "image:\n  repo: app\n  tag: v1\nlist:\n- a\n- b\nreplicas: 1\n");
	fixture_rmdir(root);
	arena_free(a);
}

/* The archive's regular entries, in order, with their modes and times. */
struct tgz_entry {
	char *name, *data;
	size_t len;
	int mode, type;
	long mtime;
};

static size_t read_tgz(const char *path, struct tgz_entry *out, size_t cap)
{
	struct archive *r = archive_read_new();
	archive_read_support_filter_gzip(r);
	archive_read_support_format_tar(r);
	size_t n = 0;
	if (archive_read_open_filename(r, path, 1 << 16) == ARCHIVE_OK) {
		struct archive_entry *e;
		while (n < cap && archive_read_next_header(r, &e) == ARCHIVE_OK) {
			size_t len = (size_t)archive_entry_size(e);
			char *data = xmalloc(len + 1);
			if (len)
				archive_read_data(r, data, len);
			data[len] = '\0';
			out[n++] = (struct tgz_entry){ xstrdup(archive_entry_pathname(e)), data, len,
						       (int)(archive_entry_perm(e) & 07777),
						       (int)archive_entry_filetype(e),
						       (long)archive_entry_mtime(e) };
		}
	}
	archive_read_free(r);
	return n;
}

/* The packaged chart: the entries helm's Save lists, with their bytes, every one a
 * regular 0644 file at time zero, no directories; the chart loader reads it back with
 * the merged values.yaml; the digest is the file's. */
TEST(package_roundtrip)
{
	struct arena *a = arena_new();
	char *root = tree(), *src = src_of(root);
	fixture_write(root, "src/chart/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 1.0.0\n");
	fixture_write(root, "src/chart/charts/sub/templates/x.yaml", "kind: Secret\n");
	fixture_write(root, "src/chart/files/bin.dat", "\x01\x02");
	struct helm_chart *c = load(a, root);
	REQUIRE(c);
	const char *paths[] = { "envs/a.yaml" };
	struct helmchart_values v;
	REQUIRE(helmchart_values_from_dir(a, c, src, paths, 1, false, &v) == 0);
	c->metadata.version = "0.1.0+abc123"; /* version metadata, as Flux's builders set it */
	char *out = xasprintf("%s/demo.tgz", root);
	struct artifact_info info;
	REQUIRE(helmchart_package(a, c, out, NULL, &info) == 0);
	struct stat st;
	REQUIRE(stat(out, &st) == 0);
	CHECK_INT(info.size, st.st_size);
	CHECK(!strncmp(info.digest, "sha256:", 7) && strlen(info.digest) == 71);

	struct helm_saved_file *want;
	size_t nwant;
	REQUIRE(helm_chart_save_entries(a, c, &want, &nwant) == 0);
	struct tgz_entry got[32];
	size_t n = read_tgz(out, got, 32);
	CHECK_INT(n, nwant);
	for (size_t i = 0; i < n && i < nwant; i++) {
		CHECK_STR(got[i].name, want[i].name);
		CHECK(got[i].len == want[i].len && !memcmp(got[i].data, want[i].data, got[i].len));
		CHECK_INT(got[i].type, AE_IFREG);
		CHECK_INT(got[i].mode, 0644);
		CHECK_INT(got[i].mtime, 0);
	}
	CHECK_STR(n ? got[0].name : "", "demo/Chart.yaml");
	CHECK_STR(n ? got[0].data : "", "apiVersion: v2\nname: demo\nversion: 0.1.0+abc123\n");
	for (size_t i = 0; i < n; i++)
		free(got[i].name), free(got[i].data);

	struct helm_chart *back;
	REQUIRE(helm_chart_load(a, out, NULL, &back) == 0);
	CHECK_STR(back->metadata.version, "0.1.0+abc123");
	CHECK_STR(values_yaml(back), values_yaml(c));
	CHECK_INT(back->ntemplates, c->ntemplates);
	CHECK_INT(back->nfiles, c->nfiles);
	CHECK_INT(back->ndependencies, 1);
	REQUIRE(back->ndependencies == 1);
	CHECK_STR(back->dependencies[0]->metadata.name, "sub");
	CHECK_INT(back->dependencies[0]->ntemplates, 1);
	for (size_t i = 0; i < back->nfiles && i < c->nfiles; i++) {
		CHECK_STR(back->files[i].name, c->files[i].name);
		CHECK(back->files[i].len == c->files[i].len &&
		      !memcmp(back->files[i].data, c->files[i].data, c->files[i].len));
	}

	/* the same chart packaged again: the same bytes (deterministic) */
	char *again = xasprintf("%s/again.tgz", root);
	struct artifact_info info2;
	REQUIRE(helmchart_package(a, c, again, NULL, &info2) == 0);
	CHECK_STR(info2.digest, info.digest);
	free(again);
	free(out);
	free(src);
	fixture_rmdir(root);
	arena_free(a);
}

/* Failures in packageToPath's words, and nothing left where the archive was to be. */
TEST(package_errors)
{
	struct arena *a = arena_new();
	char *root = tree();
	struct helm_chart *c = load(a, root);
	REQUIRE(c);
	char *out = xasprintf("%s/demo.tgz", root);
	struct artifact_info info;
	c->metadata.version = "not-a-version";
	CHECK_INT(helmchart_package(a, c, out, NULL, &info), ERR_INVALID);
	CHECK_STR(err_msg(), "failed to package chart: chart validation: validation: "
			     "chart.metadata.version \"not-a-version\" is invalid");
	CHECK(access(out, F_OK) != 0);
	c->metadata.version = "0.1.0";
	struct artifact_limits lim = { .max_bytes = 10 };
	CHECK_INT(helmchart_package(a, c, out, &lim, &info), ERR_TOOBIG);
	CHECK(strncmp(err_msg(), "failed to package chart: ", 25) == 0);
	CHECK(access(out, F_OK) != 0);
	char *nodir = xasprintf("%s/no/such/dir/demo.tgz", root);
	CHECK(helmchart_package(a, c, nodir, NULL, &info) != 0);
	CHECK(strncmp(err_msg(), "failed to write chart to file: ", 31) == 0);
	char *tmpdir = xasprintf("%s", root);
	/* no temporary file left behind either */
	fixture_sh("test -z \"$(ls -A '%s' | grep -v '^src$' | grep -v '^secret.yaml$')\"", tmpdir);
	free(tmpdir);
	free(nodir);
	free(out);
	fixture_rmdir(root);
	arena_free(a);
}

int main(void)
{
	RUN(dir_merge_left_to_right);
	RUN(dir_paths_relative_to_source_root);
	RUN(dir_missing_files);
	RUN(dir_all_missing_empties_values);
	RUN(dir_same_bytes_is_no_change);
	RUN(dir_chart_without_values_yaml);
	RUN(dir_escapes_refused);
	RUN(dir_parse_errors);
	RUN(dir_file_too_big);
	RUN(chart_merge);
	RUN(chart_values_yaml_alone);
	RUN(package_roundtrip);
	RUN(package_errors);
	return test_done();
}
