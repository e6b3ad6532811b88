/* The controllers' shared steps that need no cluster (controllers/common/): source
 * references and the ACL, artifacts, dependsOn lists, feature gates shared by several
 * controllers. The steps that call the API are covered by tests/e2e/kustomization. */
#include <stdbool.h>
#include <string.h>

#include "test.h"

#include "controllers/common/artifact.h"
#include "controllers/common/dependson.h"
#include "controllers/common/options.h"
#include "controllers/common/sourceref.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"

static struct doc_node *parse(struct arena *a, const char *yaml)
{
	struct doc_stream s = { 0 };
	if (doc_parse_yaml(a, "test", yaml, strlen(yaml), NULL, &s) || s.len != 1)
		return NULL;
	return s.docs[0];
}

TEST(source_ref)
{
	struct arena *a = arena_new();
	static const char *const kinds[] = { "GitRepository", "Bucket", NULL };
	struct ctl_source_ref ref;
	ctl_source_ref_decode(&ref, parse(a, "{kind: GitRepository, name: repo, namespace: ''}"), "apps");
	CHECK_STR(ref.namespace, "apps");
	CHECK(ctl_source_ref_check_kind(&ref, kinds) == 0);
	CHECK(ctl_source_ref_check_access(&ref, "apps", true) == 0);
	ctl_source_ref_decode(&ref, parse(a, "{kind: Bucket, name: b, namespace: shared}"), "apps");
	CHECK(ctl_source_ref_check_access(&ref, "apps", false) == 0);
	CHECK(ctl_source_ref_check_access(&ref, "apps", true) == ERR_AUTH);
	CHECK_STR(err_msg(), "can't access 'Bucket/shared/b', cross-namespace references have been blocked");
	ctl_source_ref_decode(&ref, parse(a, "{kind: OCIRepository, name: o}"), "apps");
	CHECK(ctl_source_ref_check_kind(&ref, kinds) == ERR_UNSUPPORTED);
	CHECK_STR(err_msg(), "source 'OCIRepository' kind not supported");
	ctl_source_ref_decode(&ref, NULL, "apps");
	CHECK_STR(ref.kind, "");
	CHECK(ctl_source_ref_check_kind(&ref, kinds) == ERR_UNSUPPORTED);
	arena_free(a);
}

TEST(artifact_of)
{
	struct arena *a = arena_new();
	struct ctl_artifact art;
	CHECK(ctl_artifact_of(&art, parse(a, "status: {}")) == ERR_NOTFOUND);
	CHECK(ctl_artifact_of(&art, parse(a, "status: {artifact: {revision: r}}")) == ERR_NOTFOUND);
	CHECK(ctl_artifact_of(&art, parse(a, "status: {artifact: {revision: r, url: 'http://x/a.tar.gz', digest: 'sha256:00'}}")) == 0);
	CHECK_STR(art.revision, "r");
	CHECK_STR(art.digest, "sha256:00");
	CHECK(ctl_artifact_of(&art, parse(a, "status: {artifact: {revision: r, url: u}}")) == 0);
	CHECK(art.digest == NULL);
	arena_free(a);
}

TEST(depends_on_list)
{
	struct arena *a = arena_new();
	struct ctl_dependency *d = NULL;
	size_t n = 9;
	ctl_dependson_decode(a, NULL, "apps", &d, &n);
	CHECK(n == 0 && d == NULL);
	ctl_dependson_decode(a, parse(a, "[{name: a}, {namespace: x}, {name: b, namespace: infra}]"), "apps", &d, &n);
	REQUIRE(n == 2);
	CHECK_STR(d[0].name, "a");
	CHECK_STR(d[0].namespace, "apps");
	CHECK_STR(d[1].namespace, "infra");
	arena_free(a);
}

TEST(gates_of_several_controllers)
{
	bool a_strict = true, b_strict = false, b_other = false;
	const struct ctl_gate ga[] = { { "Shared", &a_strict }, { "Ignored", NULL }, { 0 } };
	const struct ctl_gate gb[] = { { "Shared", &b_strict }, { "Other", &b_other }, { 0 } };
	const struct ctl_options oa = { NULL, ga }, ob = { NULL, gb };
	const struct ctl_options *sets[] = { &oa, NULL, &ob };
	CHECK(ctl_feature_gates_parse(sets, 3, "Shared=false,Other=true,,Ignored=true") == 0);
	CHECK(!a_strict && !b_strict && b_other);
	CHECK(ctl_feature_gates_parse(sets, 3, "Other=false,Missing=true") == ERR_INVALID);
	CHECK(b_other);
	CHECK(ctl_feature_gates_parse(sets, 3, NULL) == 0);
}

int main(void)
{
	RUN(source_ref);
	RUN(artifact_of);
	RUN(depends_on_list);
	RUN(gates_of_several_controllers);
	return test_done();
}
