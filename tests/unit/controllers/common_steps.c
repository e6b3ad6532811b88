/* The controllers' shared steps that need no cluster (controllers/common/): source
 * references and the ACL, artifacts, dependsOn lists, feature gates shared by several
 * controllers; and the Kustomization's typed object on top of them
 * (controllers/kustomization/spec.c: Flux's defaults, the refused kinds, status written
 * from the struct) and its feature gates (setup.c). The steps that call the API are
 * covered by tests/e2e/kustomization. */
#include <stdbool.h>
#include <string.h>

#include "test.h"

#include "controllers/common/artifact.h"
#include "controllers/common/dependson.h"
#include "controllers/common/options.h"
#include "controllers/common/sourceref.h"
#include "controllers/kustomization/kustomization.h"
#include "controllers/kustomization/ks.h"
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

TEST(defaults_follow_interval)
{
	struct arena *a = arena_new();
	struct doc_node *o = parse(a, "metadata: {namespace: apps, name: web}\n"
				      "spec:\n  interval: 5m\n  sourceRef: {kind: GitRepository, name: repo}\n"
				      "  dependsOn: [{name: db}, {name: infra, namespace: flux-system}, {namespace: x}]\n");
	REQUIRE(o);
	struct ks_spec spec;
	struct ks_status st;
	REQUIRE(ks_spec_decode(&spec, &st, a, o) == 0);
	CHECK_INT(spec.interval_ms, 300000);
	CHECK_INT(spec.retry_interval_ms, 300000);
	CHECK_INT(spec.timeout_ms, 300000);
	CHECK_STR(spec.path, "");
	CHECK(!spec.prune && !spec.wait && !spec.force && !spec.suspend);
	CHECK_INT(spec.deletion_policy, KS_DELETE_MIRROR_PRUNE);
	CHECK_STR(spec.source_ref.namespace, "apps");
	CHECK_STR(spec.source_ref.api_version, CTL_SOURCE_API_VERSION);
	REQUIRE(spec.ndepends_on == 2);
	CHECK_STR(spec.depends_on[0].namespace, "apps");
	CHECK_STR(spec.depends_on[1].namespace, "flux-system");
	CHECK(ctl_service_account(&spec.client, "") == NULL);
	CHECK_STR(ctl_service_account(&spec.client, "fallback"), "fallback");
	arena_free(a);
}

TEST(fields_and_status)
{
	struct arena *a = arena_new();
	struct doc_node *o = parse(a, "metadata: {namespace: apps, name: web}\n"
				      "spec:\n  interval: 10m\n  retryInterval: 1m\n  timeout: 2m30s\n  path: ./deploy\n"
				      "  prune: true\n  wait: true\n  force: true\n  deletionPolicy: Orphan\n"
				      "  serviceAccountName: deployer\n  kubeConfig: {secretRef: {name: remote}}\n"
				      "  sourceRef: {kind: OCIRepository, name: repo, namespace: shared}\n"
				      "  healthChecks: [{kind: Deployment, name: web, namespace: apps}, {apiVersion: apps/v1, kind: StatefulSet, name: db}]\n"
				      "status:\n  lastAppliedRevision: main@sha1:abc\n");
	REQUIRE(o);
	struct ks_spec spec;
	struct ks_status st;
	REQUIRE(ks_spec_decode(&spec, &st, a, o) == 0);
	CHECK_INT(spec.retry_interval_ms, 60000);
	CHECK_INT(spec.timeout_ms, 150000);
	CHECK_STR(spec.path, "./deploy");
	CHECK(spec.prune && spec.wait && spec.force);
	CHECK_INT(spec.deletion_policy, KS_DELETE_ORPHAN);
	CHECK_STR(spec.source_ref.namespace, "shared");
	REQUIRE(spec.nhealth_checks == 2);
	CHECK_STR(spec.health_checks[0].api_version, "v1");
	CHECK(spec.health_checks[1].namespace == NULL);
	/* a kubeConfig keeps the default service account out, not the object's own */
	CHECK_STR(ctl_service_account(&spec.client, "fallback"), "deployer");
	spec.client.service_account_name = NULL;
	CHECK(ctl_service_account(&spec.client, "fallback") == NULL);
	CHECK_STR(st.last_applied_revision, "main@sha1:abc");
	st.last_attempted_revision = "main@sha1:def";
	ks_status_store(a, o, &st);
	CHECK_STR(doc_get_str(o, "status.lastAttemptedRevision"), "main@sha1:def");
	CHECK_STR(doc_get_str(o, "status.lastAppliedRevision"), "main@sha1:abc");
	CHECK(doc_get(o, "status.inventory") == NULL);
	st.inventory_set = true;
	ks_status_store(a, o, &st);
	CHECK(doc_get(o, "status.inventory") != NULL);
	arena_free(a);
}

TEST(unsupported_source_kind)
{
	struct arena *a = arena_new();
	struct doc_node *o = parse(a, "metadata: {namespace: apps, name: web}\n"
				      "spec: {interval: 1m, sourceRef: {kind: HelmRepository, name: x}}\n");
	REQUIRE(o);
	struct ks_spec spec;
	struct ks_status st;
	CHECK(ks_spec_decode(&spec, &st, a, o) == ERR_UNSUPPORTED);
	CHECK_STR(err_msg(), "source 'HelmRepository' kind not supported");
	o = parse(a, "metadata: {namespace: apps, name: web}\nspec: {interval: 1m}\n");
	CHECK(ks_spec_decode(&spec, &st, a, o) == ERR_UNSUPPORTED);
	CHECK_STR(err_msg(), "source '' kind not supported");
	arena_free(a);
}

TEST(feature_gates)
{
	const struct ctl_options *sets[] = { NULL, &kustomization_options };
	CHECK(ctl_feature_gates_parse(sets, 2, "") == 0);
	CHECK(ks_settings.strict_substitutions);
	CHECK(ctl_feature_gates_parse(sets, 2, "StrictPostBuildSubstitutions=false,GroupChangeLog=true") == 0);
	CHECK(!ks_settings.strict_substitutions);
	CHECK(ctl_feature_gates_parse(sets, 2, "StrictPostBuildSubstitutions=true,Nope=true") == ERR_INVALID);
	CHECK_STR(err_msg(), "unrecognized feature gate: Nope");
	CHECK(!ks_settings.strict_substitutions); /* nothing set from a refused value */
	CHECK(ctl_feature_gates_parse(sets, 2, "StrictPostBuildSubstitutions") == ERR_INVALID);
	CHECK_STR(err_msg(), "missing bool value for feature gate 'StrictPostBuildSubstitutions'");
	CHECK(ctl_feature_gates_parse(sets, 2, "StrictPostBuildSubstitutions=yes") == ERR_INVALID);
	CHECK_STR(err_msg(), "invalid value of StrictPostBuildSubstitutions: yes");
	CHECK(ctl_feature_gates_parse(sets, 2, "StrictPostBuildSubstitutions=true") == 0);
	CHECK(ks_settings.strict_substitutions);
}

int main(void)
{
	RUN(source_ref);
	RUN(artifact_of);
	RUN(depends_on_list);
	RUN(gates_of_several_controllers);
	RUN(defaults_follow_interval);
	RUN(fields_and_status);
	RUN(unsupported_source_kind);
	RUN(feature_gates);
	return test_done();
}
