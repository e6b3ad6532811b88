/* The read-only unchanged rule (apply_is_unchanged) on live objects shaped as the API server
 * returns them, managedFields included. */
#include "test.h"

#include <stdlib.h>

#include "apply/apply.h"
#include "doc/doc.h"
#include "util/arena.h"

static struct arena *A;

static struct doc_node *yaml(const char *s)
{
	struct doc_stream st = { 0 };
	if (doc_parse_yaml(A, "t", s, strlen(s), NULL, &st) || st.len != 1)
		abort();
	return st.docs[0];
}

static const char *cm_desired =
	"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: n\n  labels:\n    a: b\n"
	"data:\n  x: \"1\"\n";

/* live with our entry's fieldsV1 and the data given */
static struct doc_node *cm_live(const char *fields, const char *data, const char *manager,
				const char *api)
{
	char buf[2048];
	snprintf(buf, sizeof buf,
		 "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"namespace\":\"n\","
		 "\"uid\":\"u\",\"resourceVersion\":\"5\",\"creationTimestamp\":\"2024-01-01T00:00:00Z\","
		 "\"labels\":{\"a\":\"b\",\"other\":\"x\"},\"managedFields\":["
		 "{\"manager\":\"%s\",\"operation\":\"Apply\",\"apiVersion\":\"%s\",\"time\":\"2024-01-01T00:00:00Z\","
		 "\"fieldsType\":\"FieldsV1\",\"fieldsV1\":%s},"
		 "{\"manager\":\"kubectl-label\",\"operation\":\"Update\",\"apiVersion\":\"v1\",\"fieldsType\":\"FieldsV1\","
		 "\"fieldsV1\":{\"f:metadata\":{\"f:labels\":{\"f:other\":{}}}}}]},"
		 "\"data\":%s}",
		 manager, api, fields, data);
	return yaml(buf);
}

static const char *cm_fields = "{\"f:data\":{\".\":{},\"f:x\":{}},\"f:metadata\":{\"f:labels\":{\".\":{},\"f:a\":{}}}}";

TEST(configmap_in_desired_state)
{
	CHECK(apply_is_unchanged(yaml(cm_desired), cm_live(cm_fields, "{\"x\":\"1\"}", "kustomize-controller", "v1"), NULL));
}

TEST(value_differs)
{
	CHECK(!apply_is_unchanged(yaml(cm_desired), cm_live(cm_fields, "{\"x\":\"2\"}", "kustomize-controller", "v1"), NULL));
}

TEST(we_own_a_field_no_longer_sent)
{
	const char *f = "{\"f:data\":{\"f:x\":{},\"f:y\":{}},\"f:metadata\":{\"f:labels\":{\"f:a\":{}}}}";
	CHECK(!apply_is_unchanged(yaml(cm_desired), cm_live(f, "{\"x\":\"1\",\"y\":\"2\"}", "kustomize-controller", "v1"), NULL));
}

TEST(a_field_sent_not_owned_yet)
{
	const char *f = "{\"f:data\":{\"f:x\":{}}}";
	CHECK(!apply_is_unchanged(yaml(cm_desired), cm_live(f, "{\"x\":\"1\"}", "kustomize-controller", "v1"), NULL));
}

TEST(another_manager_or_version)
{
	CHECK(!apply_is_unchanged(yaml(cm_desired), cm_live(cm_fields, "{\"x\":\"1\"}", "kubectl", "v1"), NULL));
	CHECK(apply_is_unchanged(yaml(cm_desired), cm_live(cm_fields, "{\"x\":\"1\"}", "kubectl", "v1"), "kubectl"));
	CHECK(!apply_is_unchanged(yaml(cm_desired), cm_live(cm_fields, "{\"x\":\"1\"}", "kustomize-controller", "v2"), NULL));
}

TEST(no_managed_fields)
{
	struct doc_node *live = yaml("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"namespace\":\"n\","
				     "\"labels\":{\"a\":\"b\"}},\"data\":{\"x\":\"1\"}}");
	CHECK(!apply_is_unchanged(yaml(cm_desired), live, NULL));
	CHECK(!apply_is_unchanged(yaml(cm_desired), NULL, NULL));
}

TEST(null_in_desired_is_in_doubt)
{
	const char *d = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: n\n  labels:\n    a: b\n"
			"data:\n  x: \"1\"\n  y: null\n";
	CHECK(!apply_is_unchanged(yaml(d), cm_live(cm_fields, "{\"x\":\"1\"}", "kustomize-controller", "v1"), NULL));
}

/* A Deployment as a v1.20 API server returned it after tide applied it. */
static const char *deploy_live =
	"{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"app\",\"namespace\":\"n\","
	"\"generation\":1,\"annotations\":{\"deployment.kubernetes.io/revision\":\"1\"},"
	"\"labels\":{\"kustomize.toolkit.fluxcd.io/name\":\"app\",\"kustomize.toolkit.fluxcd.io/namespace\":\"flux-system\"},"
	"\"managedFields\":[{\"manager\":\"kustomize-controller\",\"operation\":\"Apply\",\"apiVersion\":\"apps/v1\","
	"\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:labels\":{\"f:kustomize.toolkit.fluxcd.io/name\":{},"
	"\"f:kustomize.toolkit.fluxcd.io/namespace\":{}}},\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},\"f:template\":"
	"{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"c\\\"}\":{\".\":{},"
	"\"f:image\":{},\"f:name\":{},\"f:ports\":{\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},"
	"\"f:containerPort\":{},\"f:protocol\":{}}}}}}}}}},"
	"{\"manager\":\"kube-controller-manager\",\"operation\":\"Update\",\"apiVersion\":\"apps/v1\",\"fieldsType\":\"FieldsV1\","
	"\"fieldsV1\":{\"f:status\":{\"f:replicas\":{}}}}]},"
	"\"spec\":{\"progressDeadlineSeconds\":600,\"replicas\":1,\"revisionHistoryLimit\":10,"
	"\"selector\":{\"matchLabels\":{\"app\":\"x\"}},\"strategy\":{\"type\":\"RollingUpdate\"},"
	"\"template\":{\"metadata\":{\"creationTimestamp\":null,\"labels\":{\"app\":\"x\"}},\"spec\":{\"containers\":[{"
	"\"image\":\"nginx:1.25\",\"imagePullPolicy\":\"IfNotPresent\",\"name\":\"c\",\"ports\":[{\"containerPort\":80,"
	"\"protocol\":\"TCP\"}],\"resources\":{},\"terminationMessagePath\":\"/dev/termination-log\"}],"
	"\"dnsPolicy\":\"ClusterFirst\",\"restartPolicy\":\"Always\"}}},\"status\":{\"replicas\":1}}";

static const char *deploy_desired(const char *image, const char *app, const char *extra)
{
	static char buf[2048];
	snprintf(buf, sizeof buf,
		 "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  namespace: n\n  labels:\n"
		 "    kustomize.toolkit.fluxcd.io/name: app\n    kustomize.toolkit.fluxcd.io/namespace: flux-system\n"
		 "spec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: %s\n  template:\n    metadata:\n"
		 "      labels:\n        app: x\n    spec:\n      containers:\n      - name: c\n        image: %s\n"
		 "        ports:\n        - containerPort: 80\n          protocol: TCP\n        resources: {}\n%s",
		 app, image, extra);
	return buf;
}

TEST(deployment_keyed_lists_atomic_selector_empty_map)
{
	CHECK(apply_is_unchanged(yaml(deploy_desired("nginx:1.25", "x", "")), yaml(deploy_live), NULL));
}

TEST(deployment_image_changed)
{
	CHECK(!apply_is_unchanged(yaml(deploy_desired("nginx:1.26", "x", "")), yaml(deploy_live), NULL));
}

TEST(deployment_atomic_selector_changed)
{
	CHECK(!apply_is_unchanged(yaml(deploy_desired("nginx:1.25", "y", "")), yaml(deploy_live), NULL));
}

TEST(deployment_container_added)
{
	CHECK(!apply_is_unchanged(yaml(deploy_desired("nginx:1.25", "x", "      - name: d\n        image: busybox\n")),
				  yaml(deploy_live), NULL));
}

TEST(set_lists_by_value)
{
	const char *d = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: n\n  finalizers:\n  - a/b\n  - c/d\n";
	const char *live =
		"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"namespace\":\"n\","
		"\"finalizers\":[\"a/b\",\"c/d\"],\"managedFields\":[{\"manager\":\"kustomize-controller\",\"operation\":\"Apply\","
		"\"apiVersion\":\"v1\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:finalizers\":{\".\":{},"
		"\"v:\\\"a/b\\\"\":{},\"v:\\\"c/d\\\"\":{}}}}}]}}";
	CHECK(apply_is_unchanged(yaml(d), yaml(live), NULL));
	const char *d2 = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: n\n  finalizers:\n  - a/b\n";
	CHECK(!apply_is_unchanged(yaml(d2), yaml(live), NULL));
}

TEST(object_being_deleted)
{
	struct doc_node *live = cm_live(cm_fields, "{\"x\":\"1\"}", "kustomize-controller", "v1");
	doc_set(A, live, "metadata.deletionTimestamp", doc_new_str(A, "2024-01-01T00:00:00Z"));
	CHECK(!apply_is_unchanged(yaml(cm_desired), live, NULL));
}

TEST(metadata_with_name_only)
{
	const char *d = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: n\ndata:\n  x: \"1\"\n";
	const char *live =
		"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"namespace\":\"n\","
		"\"managedFields\":[{\"manager\":\"kustomize-controller\",\"operation\":\"Apply\",\"apiVersion\":\"v1\","
		"\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\"f:x\":{}}}}]},\"data\":{\"x\":\"1\"}}";
	CHECK(apply_is_unchanged(yaml(d), yaml(live), NULL));
}

int main(void)
{
	A = arena_new();
	RUN(configmap_in_desired_state);
	RUN(value_differs);
	RUN(we_own_a_field_no_longer_sent);
	RUN(a_field_sent_not_owned_yet);
	RUN(another_manager_or_version);
	RUN(no_managed_fields);
	RUN(null_in_desired_is_in_doubt);
	RUN(deployment_keyed_lists_atomic_selector_empty_map);
	RUN(deployment_image_changed);
	RUN(deployment_atomic_selector_changed);
	RUN(deployment_container_added);
	RUN(set_lists_by_value);
	RUN(object_being_deleted);
	RUN(metadata_with_name_only);
	arena_free(A);
	return test_done();
}
