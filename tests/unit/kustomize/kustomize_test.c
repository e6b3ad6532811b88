/*
 * The kustomize engine's sharp edges: generator name hashes against hashes kubectl 1.33
 * (kustomize v5.6) printed, resource id strings, the load restrictor and escapes through
 * '..' and symlinks, cycles and the depth cap, remote resources. Trees are written to a
 * temporary directory; the full behaviour is covered by tests/conformance/kustomize.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "kustomize/kustomize.h"
#include "test.h"
#include "fixture.h"
#include "build_fixture.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

static char *root;

static void put(const char *rel, const char *text)
{
	fixture_write(root, rel, text);
}

/* Builds root/rel; returns the error code, the output or message in *out (static). */
static int build(const char *rel, bool restrictor_none, const char **out)
{
	return fixture_kust_build(root, rel, restrictor_none, out);
}

static void hash_of(const char *json, char out[11])
{
	struct arena *a = arena_new();
	struct doc_node *n = NULL;
	out[0] = '\0';
	if (doc_parse_json(a, "t", json, strlen(json), NULL, &n) == 0)
		kust_hash_object(a, n, out);
	arena_free(a);
}

TEST(generator_hashes_match_kustomize)
{
	char h[11];
	hash_of("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"e\"}}", h);
	CHECK_STR(h, "6ct58987ht");
	/* Go >= 1.22 writes \b and \f short; <, >, & and U+2028 as \u escapes */
	hash_of("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"A\":\"x\\by\"}}", h);
	CHECK_STR(h, "h65d7fk7m8");
	hash_of("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"A\":\"x\\fy\"}}", h);
	CHECK_STR(h, "2hf476kkb2");
	hash_of("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"A\":\"z<&>\"}}", h);
	CHECK_STR(h, "5f2ckm945d");
	hash_of("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"A\":\"a\\u2028\"}}", h);
	CHECK_STR(h, "5kh8m2b6c5");
	hash_of("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"A\":\"a\\u0001\"}}", h);
	CHECK_STR(h, "t7b87f9447");
	hash_of("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"u\"},\"data\":{\"K\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}}", h);
	CHECK_STR(h, "4tb7mt94bd");
	hash_of("{\"kind\":\"Secret\",\"type\":\"kubernetes.io/tls\",\"metadata\":{\"name\":\"s\"},"
		"\"data\":{\"tls.crt\":\"Q0VSVA==\",\"tls.key\":\"S0VZ\"}}", h);
	CHECK_STR(h, "4b255hm948");
}

TEST(generated_name_carries_the_hash)
{
	put("gen/kustomization.yaml", "configMapGenerator:\n- name: c\n  literals:\n  - \"A=z<&>\"\n");
	const char *out;
	REQUIRE(build("gen", false, &out) == 0);
	CHECK(strstr(out, "name: c-5f2ckm945d\n") != NULL);
}

TEST(resource_id_strings)
{
	struct arena *a = arena_new();
	struct kust_id id = { { "apps", "v1", "Deployment" }, "web", "prod" };
	CHECK_STR(kust_id_string(a, &id), "Deployment.v1.apps/web.prod");
	struct kust_id core = { { "", "v1", "ConfigMap" }, "c", "" };
	CHECK_STR(kust_id_string(a, &core), "ConfigMap.v1.[noGrp]/c.[noNs]");
	arena_free(a);
}

TEST(duplicate_ids_are_refused)
{
	put("dup/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
	put("dup/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
	put("dup/kustomization.yaml", "resources:\n- a.yaml\n- b.yaml\n");
	const char *out;
	CHECK(build("dup", false, &out) == ERR_INVALID);
	CHECK(strstr(out, "merging resources from 'b.yaml'") != NULL);
	CHECK(strstr(out, "already registered id: ConfigMap.v1.[noGrp]/x.[noNs]") != NULL);
}

TEST(dotdot_escape_and_load_restrictor)
{
	put("outside/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: out\n");
	put("dd/kustomization.yaml", "resources:\n- ../outside/cm.yaml\n");
	const char *out;
	CHECK(build("dd", false, &out) != 0);
	CHECK(strstr(out, "security; file") != NULL && strstr(out, "is not in or below") != NULL);
	CHECK(build("dd", true, &out) == 0);
	CHECK(strstr(out, "name: out") != NULL);
}

TEST(symlink_escape)
{
	put("sl/kustomization.yaml", "resources:\n- cm.yaml\n");
	char target[512], link[512];
	snprintf(target, sizeof(target), "%s/outside/cm.yaml", root);
	snprintf(link, sizeof(link), "%s/sl/cm.yaml", root);
	REQUIRE(symlink(target, link) == 0);
	const char *out;
	CHECK(build("sl", false, &out) != 0);
	CHECK(strstr(out, "is not in or below") != NULL);
	/* a symlink that stays inside the root is fine */
	put("sl2/real.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: in\n");
	put("sl2/kustomization.yaml", "resources:\n- cm.yaml\n");
	snprintf(link, sizeof(link), "%s/sl2/cm.yaml", root);
	REQUIRE(symlink("real.yaml", link) == 0);
	CHECK(build("sl2", false, &out) == 0);
}

TEST(cycles)
{
	const char *out;
	put("self/kustomization.yaml", "resources:\n- .\n");
	CHECK(build("self", false, &out) != 0);
	CHECK(strstr(out, "cycle detected") != NULL);
	put("ca/kustomization.yaml", "resources:\n- ../cb\n");
	put("cb/kustomization.yaml", "resources:\n- ../ca\n");
	CHECK(build("ca", false, &out) != 0);
	CHECK(strstr(out, "cycle detected") != NULL);
}

TEST(depth_cap)
{
	/* 70 nested bases, each its own directory below the last: no cycle, too deep */
	char rel[400] = "deep", file[450];
	for (int i = 0; i < 70; i++) {
		snprintf(file, sizeof(file), "%s/kustomization.yaml", rel);
		put(file, "resources:\n- d\n");
		size_t l = strlen(rel);
		if (l + 3 >= sizeof(rel))
			break;
		memcpy(rel + l, "/d", 3);
	}
	snprintf(file, sizeof(file), "%s/kustomization.yaml", rel);
	put(file, "resources: []\n");
	const char *out;
	CHECK(build("deep", false, &out) != 0);
}

TEST(remote_resources_refused)
{
	const char *out;
	put("rem/kustomization.yaml", "resources:\n- https://example.com/app//deploy?ref=v1\n");
	CHECK(build("rem", false, &out) == ERR_UNSUPPORTED);
	CHECK(strstr(out, "remote resources are not supported") != NULL);
	put("rem/kustomization.yaml", "resources:\n- github.com/example/app/deploy?ref=v1\n");
	CHECK(build("rem", false, &out) != 0);
}

TEST(helm_charts_refused)
{
	const char *out;
	put("helm/kustomization.yaml", "helmCharts:\n- name: x\n  repo: https://example.com\n");
	CHECK(build("helm", false, &out) == ERR_UNSUPPORTED);
	CHECK(strstr(out, "helmCharts are not supported") != NULL);
	put("helm2/kustomization.yaml", "helmCharts: []\n");
	CHECK(build("helm2", false, &out) == 0);
}

TEST(missing_and_malformed)
{
	const char *out;
	put("mis/kustomization.yaml", "resources:\n- nope.yaml\n");
	CHECK(build("mis", false, &out) == ERR_NOTFOUND);
	CHECK(strstr(out, "nope.yaml") != NULL);
	put("mal/kustomization.yaml", "resources:\n- cm.yaml\n");
	put("mal/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n");
	CHECK(build("mal", false, &out) == ERR_INVALID);
	CHECK(strstr(out, "cm.yaml") != NULL);
	put("unk/kustomization.yaml", "resourcez: []\n");
	CHECK(build("unk", false, &out) == ERR_INVALID);
	CHECK(strstr(out, "unknown field \"resourcez\"") != NULL);
}

/* Issue 16 row 9: a FIFO where a file is expected is refused at once (alarm: a blocked
 * open would otherwise hang the test, which is the bug). */
TEST(non_regular_files_refused)
{
	char p[512];
	const char *out;
	alarm(20);
	put("fifo/r/kustomization.yaml", "resources:\n- cm.yaml\n");
	snprintf(p, sizeof(p), "%s/fifo/r/cm.yaml", root);
	REQUIRE(mkfifo(p, 0644) == 0);
	CHECK_INT(build("fifo/r", false, &out), ERR_INVALID);
	CHECK(strstr(out, "not a regular file") != NULL);

	put("fifo/p/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
	put("fifo/p/kustomization.yaml", "resources:\n- cm.yaml\npatches:\n- path: patch.yaml\n");
	snprintf(p, sizeof(p), "%s/fifo/p/patch.yaml", root);
	REQUIRE(mkfifo(p, 0644) == 0);
	CHECK_INT(build("fifo/p", false, &out), ERR_INVALID);
	CHECK(strstr(out, "not a regular file") != NULL);

	put("fifo/g/kustomization.yaml", "configMapGenerator:\n- name: g\n  files:\n  - data.txt\n");
	snprintf(p, sizeof(p), "%s/fifo/g/data.txt", root);
	REQUIRE(mkfifo(p, 0644) == 0);
	CHECK(build("fifo/g", false, &out) != 0);
	CHECK(strstr(out, "not a regular file") != NULL);

	snprintf(p, sizeof(p), "%s/fifo/k", root);
	REQUIRE(mkdir(p, 0755) == 0);
	snprintf(p, sizeof(p), "%s/fifo/k/kustomization.yaml", root);
	REQUIRE(mkfifo(p, 0644) == 0);
	CHECK_INT(build("fifo/k", false, &out), ERR_INVALID);
	CHECK(strstr(out, "not a regular file") != NULL);

	CHECK(build("fifo/k/kustomization.yaml", false, &out) != 0);
	alarm(0);
}

/* Issue 16 row 5: a 40-op JSON 6902 patch whose every "copy" doubles a list, and
 * replacements copying a large value into many targets, fail with ERR_TOOBIG at the build's
 * memory budget instead of growing until the process dies. */
TEST(build_memory_budget)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "resources:\n- cm.yaml\npatches:\n- target:\n    kind: ConfigMap\n  patch: |-\n");
	for (int i = 0; i < 40; i++)
		buf_adds(&b, "    - op: copy\n      from: /spec/l\n      path: /spec/l/-\n");
	put("budget/j/kustomization.yaml", b.ptr);
	put("budget/j/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nspec:\n  l: [aaaaaaaaaaaaaaaa]\n");
	const char *out;
	CHECK_INT(build("budget/j", false, &out), ERR_TOOBIG);
	CHECK(strstr(out, "--max-build-memory") != NULL);

	/* A lower budget is honoured: 30 bytes times 2^16 copies passes 1 MiB. */
	char p[512];
	snprintf(p, sizeof(p), "%s/budget/j", root);
	struct kust_options o = KUST_OPTIONS_INIT;
	o.max_memory = 1u << 20;
	buf_reset(&b);
	buf_adds(&b, "resources:\n- cm.yaml\npatches:\n- target:\n    kind: ConfigMap\n  patch: |-\n");
	for (int i = 0; i < 16; i++)
		buf_adds(&b, "    - op: copy\n      from: /spec/l\n      path: /spec/l/-\n");
	put("budget/j/kustomization.yaml", b.ptr);
	struct buf y = BUF_INIT;
	CHECK_INT(kust_build_yaml(p, &o, &y), ERR_TOOBIG);
	CHECK(strstr(err_msg(), "more memory than its budget") != NULL);
	/* ... and the same build fits the default. */
	buf_reset(&y);
	CHECK_INT(kust_build_yaml(p, NULL, &y), 0);
	buf_release(&y);

	/* Replacements: one 1 MiB value copied into 400 objects (400 MiB). */
	buf_reset(&b);
	buf_adds(&b, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: src\ndata:\n  v: ");
	for (int i = 0; i < (1 << 20); i++)
		buf_addch(&b, 'v');
	buf_adds(&b, "\n");
	for (int i = 0; i < 400; i++)
		buf_addf(&b, "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: t%d\n", i);
	put("budget/r/res.yaml", b.ptr);
	put("budget/r/kustomization.yaml",
	    "resources:\n- res.yaml\nreplacements:\n- source:\n    kind: ConfigMap\n    name: src\n"
	    "    fieldPath: data.v\n  targets:\n  - select:\n      kind: Secret\n    fieldPaths:\n"
	    "    - stringData.v\n    options:\n      create: true\n");
	CHECK_INT(build("budget/r", false, &out), ERR_TOOBIG);
	CHECK(strstr(out, "256 MiB") != NULL);
	buf_release(&b);
}

/* Issue 16 row 7: large mappings, strategic-merge lists and JSON 6902 op lists give the
 * right output (timings are in bench/large_inputs.sh; the bound here is only generous). */
TEST(large_inputs)
{
	enum { N = 20000 };
	time_t t0 = time(NULL);
	struct buf b = BUF_INIT, k = BUF_INIT;
	buf_adds(&b, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n");
	for (int i = 0; i < N; i++)
		buf_addf(&b, "      - name: c%d\n        image: a\n", i);
	put("large/d.yaml", b.ptr);
	buf_reset(&b);
	buf_adds(&b, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n");
	for (int i = N - 1; i >= 0; i -= 2)
		buf_addf(&b, "      - name: c%d\n        image: b\n", i);
	put("large/p.yaml", b.ptr);
	buf_reset(&b);
	buf_adds(&b, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n");
	for (int i = 0; i < N; i++)
		buf_addf(&b, "  k%d: v\n", i);
	put("large/cm.yaml", b.ptr);
	buf_reset(&b);
	for (int i = 0; i < N; i++)
		buf_addf(&b, "- op: %s\n  path: /data/%c%d\n  value: w\n", i % 2 ? "replace" : "add", i % 2 ? 'k' : 'n', i);
	put("large/ops.yaml", b.ptr);
	put("large/kustomization.yaml", "resources:\n- d.yaml\n- cm.yaml\npatches:\n- path: p.yaml\n"
	    "- path: ops.yaml\n  target:\n    kind: ConfigMap\n");
	const char *out;
	REQUIRE(build("large", false, &out) == 0);
	/* The patched containers first, in the patch's order, then the rest in theirs. */
	const char *c1 = strstr(out, "name: c19999\n"), *c2 = strstr(out, "name: c19997\n"),
		   *c0 = strstr(out, "name: c0\n");
	CHECK(c1 && c2 && c0 && c1 < c2 && c2 < c0);
	size_t images_b = 0, added = 0, replaced = 0;
	for (const char *p = out; (p = strstr(p, "image: b\n")); p++)
		images_b++;
	CHECK_INT((long)images_b, N / 2);
	const int sample[] = { 0, 1, 2, 3, N / 2, N / 2 + 1, N - 2, N - 1 };
	for (size_t j = 0; j < sizeof(sample) / sizeof(sample[0]); j++) {
		int i = sample[j];
		buf_reset(&k);
		buf_addf(&k, "  %c%d: w\n", i % 2 ? 'k' : 'n', i);
		if (strstr(out, k.ptr))
			*(i % 2 ? &replaced : &added) += 1;
	}
	CHECK(added == 4 && replaced == 4);
	CHECK(strstr(out, "  k0: v\n") != NULL);
	CHECK(time(NULL) - t0 < 60);
	buf_release(&b);
	buf_release(&k);
}

int main(void)
{
	root = fixture_tmpdir("kust-unit");
	RUN(generator_hashes_match_kustomize);
	RUN(generated_name_carries_the_hash);
	RUN(resource_id_strings);
	RUN(duplicate_ids_are_refused);
	RUN(dotdot_escape_and_load_restrictor);
	RUN(symlink_escape);
	RUN(cycles);
	RUN(depth_cap);
	RUN(remote_resources_refused);
	RUN(helm_charts_refused);
	RUN(missing_and_malformed);
	RUN(non_regular_files_refused);
	RUN(build_memory_budget);
	RUN(large_inputs);
	fixture_rmdir(root);
	return test_done();
}
