/* helm/repoindex: Helm's index checks and Flux's choice of a chart version (exact match
 * first, latest stable for "" and "*", constraints, invalid versions skipped, equal versions
 * by creation time). */
#include "test.h"

#include <string.h>

#include "helm/repoindex.h"
#include "util/arena.h"
#include "util/error.h"

static const char index_yaml[] =
	"apiVersion: v1\n"
	"entries:\n"
	"  podinfo:\n"
	"  - {name: podinfo, version: 6.1.0, urls: [podinfo-6.1.0.tgz], digest: aa, created: '2026-01-02T00:00:00Z'}\n"
	"  - {name: podinfo, version: 6.2.0-rc.1, urls: [podinfo-6.2.0-rc.1.tgz]}\n"
	"  - {name: podinfo, version: not-a-version, urls: [x.tgz]}\n"
	"  - {name: podinfo, version: 6.0.0, urls: [https://example.com/podinfo-6.0.0.tgz, podinfo-6.0.0.tgz]}\n"
	"  - {name: podinfo, version: 6.1.0+b1, urls: [b1.tgz], created: '2026-01-01T00:00:00Z'}\n"
	"  - {name: podinfo, version: 6.1.0+b2, urls: [b2.tgz], created: '2026-01-03T00:00:00Z'}\n"
	"  empty: []\n"
	"generated: '2026-01-01T00:00:00Z'\n";

static const char *pick(struct arena *a, const char *name, const char *ver)
{
	const struct doc_node *idx = NULL;
	if (helm_index_parse(a, index_yaml, strlen(index_yaml), 0, &idx))
		return "parse failed";
	struct helm_index_entry e;
	int rc = helm_index_get(a, idx, name, ver, &e);
	if (rc)
		return arena_strdup(a, err_msg());
	return arena_sprintf(a, "%s %s", e.version, e.nurls ? e.urls[0] : "");
}

TEST(chooses_versions)
{
	struct arena *a = arena_new();
	CHECK_STR(pick(a, "podinfo", ""), "6.1.0+b2 b2.tgz");
	CHECK_STR(pick(a, "podinfo", "*"), "6.1.0+b2 b2.tgz");
	CHECK_STR(pick(a, "podinfo", "6.1.0"), "6.1.0 podinfo-6.1.0.tgz"); /* exact first */
	CHECK_STR(pick(a, "podinfo", "<6.1.0"), "6.0.0 https://example.com/podinfo-6.0.0.tgz");
	CHECK_STR(pick(a, "podinfo", ">=6.2.0-0"), "6.2.0-rc.1 podinfo-6.2.0-rc.1.tgz");
	CHECK_STR(pick(a, "podinfo", "not-a-version"), "not-a-version x.tgz");
	CHECK_STR(pick(a, "podinfo", ">7"), "no 'podinfo' chart with version matching '>7' found");
	CHECK_STR(pick(a, "nginx", "*"), "no chart name found");
	CHECK_STR(pick(a, "empty", "*"), "no chart version found");
	arena_free(a);
}

TEST(refuses_bad_indexes)
{
	struct arena *a = arena_new();
	const struct doc_node *idx = NULL;
	CHECK(helm_index_parse(a, "", 0, 0, &idx) == ERR_INVALID);
	CHECK_STR(err_msg(), "empty index.yaml file");
	CHECK(helm_index_parse(a, "entries: {}\n", 12, 0, &idx) == ERR_INVALID);
	CHECK_STR(err_msg(), "no API version specified");
	CHECK(helm_index_parse(a, "[1]", 3, 0, &idx) == ERR_INVALID);
	CHECK(helm_index_parse(a, "apiVersion: v1\nentries: [1]\n", 28, 0, &idx) == ERR_INVALID);
	CHECK(helm_index_parse(a, "apiVersion: v1\n", 15, 4, &idx) == ERR_TOOBIG);
	const char *json = "{\"apiVersion\":\"v1\",\"entries\":{\"a\":[{\"version\":\"1.0.0\"}]}}";
	CHECK(helm_index_parse(a, json, strlen(json), 0, &idx) == 0);
	struct helm_index_entry e;
	CHECK(helm_index_get(a, idx, "a", "", &e) == 0);
	CHECK_STR(e.version, "1.0.0");
	CHECK(e.nurls == 0);
	err_clear();
	arena_free(a);
}

int main(void)
{
	RUN(chooses_versions);
	RUN(refuses_bad_indexes);
	return test_done();
}
