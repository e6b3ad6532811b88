#include "test.h"
#include "fixture.h"

#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "doc/doc.h"
#include "kustomize/fluxgen.h"
#include "kustomize/kustomize.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

/* The scratch directory of the current test: fresh() makes one, cleanup() removes it. */
static char *dir;

static void put(const char *rel, const char *body)
{
	fixture_write(dir, rel, body);
}

static void fresh(void)
{
	dir = fixture_tmpdir("fluxgen");
}

static void cleanup(void)
{
	fixture_rmdir(dir);
	dir = NULL;
}

#define CM(n) "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " n "\n"

TEST(generates_and_applies_spec)
{
	fresh();
	put("a.yaml", CM("a"));
	put("sub/b.yml", CM("b"));
	put("sub/README.md", "not yaml: [");
	put("base/kustomization.yaml", "resources:\n- x.yaml\n");
	put("base/x.yaml", CM("x"));
	put("base/ignored.yaml", CM("ignored"));
	struct arena *a = arena_new();
	const char *sy = "targetNamespace: apps\nnamePrefix: p-\nnameSuffix: -s\n"
			 "commonMetadata:\n  labels:\n    team: t1\n";
	struct doc_stream s = { 0 };
	REQUIRE(doc_parse_yaml(a, "spec", sy, strlen(sy), NULL, &s) == 0);
	bool gen = false;
	REQUIRE(fluxgen_prepare(a, dir, s.docs[0], &gen) == 0);
	CHECK(gen);
	struct kust_options o = KUST_OPTIONS_INIT;
	o.confine_root = dir;
	struct doc_node **objs;
	size_t n = 0;
	int rc = kust_build(a, dir, &o, &objs, &n);
	if (rc)
		printf("# %s\n", err_msg());
	REQUIRE(rc == 0);
	REQUIRE(n == 3);
	const char *want[] = { "p-a-s", "p-x-s", "p-b-s" };
	for (size_t i = 0; i < n; i++) {
		fluxgen_common_metadata(a, objs[i], s.docs[0]);
		CHECK_STR(doc_get_str(objs[i], "metadata.namespace"), "apps");
		CHECK_STR(doc_get_str(objs[i], "metadata.labels.team"), "t1");
		bool found = false;
		for (size_t j = 0; j < 3; j++)
			found |= !strcmp(doc_get_str(objs[i], "metadata.name"), want[j]);
		CHECK(found);
	}
	arena_free(a);
	cleanup();
}

TEST(existing_kustomization_images)
{
	fresh();
	put("kustomization.yml", "resources:\n- d.yaml\nimages:\n- name: nginx\n  newTag: '1'\n");
	put("d.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
		      "  - name: c\n    image: nginx\n  - name: d\n    image: redis\n");
	struct arena *a = arena_new();
	const char *sy = "images:\n- name: nginx\n  newTag: '2'\n- name: redis\n  newName: valkey\n";
	struct doc_stream s = { 0 };
	REQUIRE(doc_parse_yaml(a, "spec", sy, strlen(sy), NULL, &s) == 0);
	bool gen = true;
	REQUIRE(fluxgen_prepare(a, dir, s.docs[0], &gen) == 0);
	CHECK(!gen);
	struct kust_options o = KUST_OPTIONS_INIT;
	struct doc_node **objs;
	size_t n = 0;
	REQUIRE(kust_build(a, dir, &o, &objs, &n) == 0 && n == 1);
	CHECK_STR(doc_get_str(objs[0], "spec.containers[0].image"), "nginx:2");
	CHECK_STR(doc_get_str(objs[0], "spec.containers[1].image"), "valkey");
	arena_free(a);
	cleanup();
}

TEST(bad_yaml_named)
{
	fresh();
	put("ok.yaml", CM("a"));
	put("deep/bad.yaml", "a: [\n");
	struct arena *a = arena_new();
	bool gen;
	CHECK(fluxgen_prepare(a, dir, NULL, &gen) == ERR_INVALID);
	CHECK(strstr(err_msg(), "failed to decode Kubernetes YAML from ./deep/bad.yaml") != NULL);
	CHECK(fluxgen_prepare(a, "/nonexistent/x", NULL, &gen) == ERR_NOTFOUND);
	arena_free(a);
	cleanup();
}

int main(void)
{
	RUN(generates_and_applies_spec);
	RUN(existing_kustomization_images);
	RUN(bad_yaml_named);
	return test_done();
}
