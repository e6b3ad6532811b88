/* The typed Kustomization (controllers/kustomization/spec.c) and the Kustomization's options
 * (setup.c): Flux's defaults, the refused kinds, status written from the struct, the
 * feature gates. */
#include <string.h>

#include "test.h"

#include "controllers/common/options.h"
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
	RUN(defaults_follow_interval);
	RUN(fields_and_status);
	RUN(unsupported_source_kind);
	RUN(feature_gates);
	return test_done();
}
