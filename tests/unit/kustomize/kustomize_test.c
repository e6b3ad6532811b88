/* Unit tests for src/kustomize: the name hash, Go JSON quoting, ids, field specs, label
 * selectors, JSON patches, strategic merge and the legacy sort. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

static struct doc_node *parse1(struct arena *a, const char *y)
{
	struct doc_stream st = { 0 };
	if (doc_parse_yaml(a, "test", y, strlen(y), NULL, &st) || st.len != 1)
		return NULL;
	return st.docs[0];
}

TEST(sha256_known_vectors)
{
	unsigned char d[32];
	kust_sha256("abc", 3, d);
	CHECK_INT(d[0], 0xba);
	CHECK_INT(d[31], 0xad);
	/* 56 bytes: padding spills into a second block */
	kust_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	CHECK_INT(d[0], 0x24);
	CHECK_INT(d[31], 0xc1);
}

TEST(hash_encode_matches_kustomize)
{
	char h[11];
	const char *e = "{\"data\":\"\",\"kind\":\"ConfigMap\",\"name\":\"\"}";
	kust_hash_encode(e, strlen(e), h);
	CHECK_STR(h, "6ct58987ht");
	const char *one = "{\"data\":{\"one\":\"\"},\"kind\":\"ConfigMap\",\"name\":\"\"}";
	kust_hash_encode(one, strlen(one), h);
	CHECK_STR(h, "9g67k2htb6");
}

TEST(hash_object_configmap)
{
	struct arena *a = arena_new();
	char h[11];
	struct doc_node *cm = parse1(a, "apiVersion: v1\nkind: ConfigMap\ndata:\n  two: 2\n  one: \"\"\n  three: 3\n");
	REQUIRE(cm);
	kust_hash_object(a, cm, h);
	CHECK_STR(h, "7757f9kkct");
	cm = parse1(a, "apiVersion: v1\nkind: ConfigMap\ndata:\n  one: \"\"\nbinaryData:\n  two: \"\"\n");
	REQUIRE(cm);
	kust_hash_object(a, cm, h);
	CHECK_STR(h, "698h7c7t9m");
	arena_free(a);
}

TEST(go_json_escapes_html)
{
	struct buf b = BUF_INIT;
	kust_go_json_string(&b, "a<b>&\"\n\x01", 8);
	CHECK_STR(b.ptr, "\"a\\u003cb\\u003e\\u0026\\\"\\n\\u0001\"");
	buf_release(&b);
}

TEST(ids_print_like_kustomize)
{
	struct arena *a = arena_new();
	struct doc_node *d = parse1(a, "apiVersion: v1\nkind: Deployment\nmetadata:\n  name: proxy\n");
	REQUIRE(d);
	struct kust_id id = kust_id_of(a, d);
	CHECK_STR(kust_id_string(a, &id), "Deployment.v1.[noGrp]/proxy.[noNs]");
	d = parse1(a, "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\n  namespace: x\n");
	REQUIRE(d);
	id = kust_id_of(a, d);
	CHECK_STR(kust_id_string(a, &id), "StatefulSet.v1.apps/s.x");
	struct kust_gvk ns = { "", "v1", "Namespace" }, cns = { "custom", "v1", "Namespace" };
	CHECK(kust_gvk_cluster_scoped(&ns));
	CHECK(!kust_gvk_cluster_scoped(&cns));
	CHECK(kust_ns_equal("", "default"));
	arena_free(a);
}

static int count_fn(void *ud, struct doc_node *parent, const char *key, struct doc_node **slot)
{
	(void)parent;
	(void)key;
	(void)slot;
	(*(int *)ud)++;
	return 0;
}

TEST(fieldspec_walks_sequences_and_creates)
{
	struct arena *a = arena_new();
	struct doc_node *d = parse1(a, "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
				       "      containers:\n      - name: a\n        image: x\n      - name: b\n        image: y\n");
	REQUIRE(d);
	int n = 0;
	struct kust_fieldspec fs = { { "", "", "Deployment" }, "spec/template/spec/containers[]/image", false };
	kust_fs_apply(a, d, &fs, DOC_NULL, count_fn, &n);
	CHECK_INT(n, 2);
	n = 0;
	struct kust_fieldspec other = { { "", "", "Service" }, "spec/template/spec/containers/image", false };
	kust_fs_apply(a, d, &other, DOC_NULL, count_fn, &n);
	CHECK_INT(n, 0);
	n = 0;
	kust_fs_apply_path(a, d, "spec/selector/matchLabels", true, DOC_MAP, count_fn, &n);
	CHECK_INT(n, 1);
	CHECK(doc_get(d, "spec.selector.matchLabels") != NULL);
	arena_free(a);
}

TEST(builtin_tables_loaded)
{
	struct arena *a = arena_new();
	struct kust_tconfig *c = kust_tconfig_builtin(a);
	CHECK(c->common_labels.len > 20);
	CHECK(c->images.len == 4); /* v5.6: containers and initContainers, in pods and templates */
	CHECK(c->nnameref > 10);
	CHECK_STR(c->prefix.v[0].path, "metadata/name");
	arena_free(a);
}

TEST(label_selectors)
{
	struct arena *a = arena_new();
	struct doc_node *l = parse1(a, "app: web\ntier: front\n");
	REQUIRE(l);
	bool ok;
	CHECK(kust_label_selector_match("app=web", l, &ok) == 0 && ok);
	CHECK(kust_label_selector_match("app=web,tier!=front", l, &ok) == 0 && !ok);
	CHECK(kust_label_selector_match("tier in (back, front)", l, &ok) == 0 && ok);
	CHECK(kust_label_selector_match("!missing", l, &ok) == 0 && ok);
	CHECK(kust_label_selector_match("app", l, &ok) == 0 && ok);
	arena_free(a);
}

TEST(json_patch_ops)
{
	struct arena *a = arena_new();
	struct doc_node *d = parse1(a, "a:\n  b: [1, 2]\n");
	struct doc_node *ops = parse1(a, "- op: add\n  path: /a/b/1\n  value: 9\n- op: replace\n  path: /a/c\n  value: x\n");
	REQUIRE(d && ops);
	CHECK(kust_jsonpatch_apply(a, &d, ops) == ERR_NOTFOUND);
	d = parse1(a, "a:\n  b: [1, 2]\n");
	ops = parse1(a, "- op: add\n  path: /a/b/1\n  value: 9\n- op: remove\n  path: /a/b/0\n- op: add\n  path: /a/x~1y\n  value: z\n");
	REQUIRE(kust_jsonpatch_apply(a, &d, ops) == 0);
	struct doc_node *want = parse1(a, "a:\n  b: [9, 2]\n  x/y: z\n");
	CHECK(doc_equal(d, want));
	arena_free(a);
}

TEST(strategic_merge_by_key)
{
	struct arena *a = arena_new();
	struct doc_node *d = parse1(a, "spec:\n  containers:\n  - name: a\n    image: x\n  - name: b\n    image: y\n  replicas: 1\n");
	struct doc_node *p = parse1(a, "spec:\n  containers:\n  - name: b\n    image: z\n  - name: c\n    image: w\n  - name: a\n    $patch: delete\n  replicas: null\n");
	REQUIRE(d && p);
	bool del;
	REQUIRE(kust_smp_apply(a, d, p, &del) == 0);
	CHECK(!del);
	struct doc_node *want = parse1(a, "spec:\n  containers:\n  - name: b\n    image: z\n  - name: c\n    image: w\n");
	CHECK(doc_equal(d, want));
	arena_free(a);
}

TEST(legacy_sort_order)
{
	struct arena *a = arena_new();
	const char *objs[] = {
		"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n",
		"apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: w\n",
		"apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n",
		"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n",
		"apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n",
		"apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\n",
	};
	struct kust_resmap m = { 0 };
	for (size_t i = 0; i < 6; i++) {
		struct doc_node *d = parse1(a, objs[i]);
		REQUIRE(d);
		kust_resmap_push(a, &m, kust_res_new(a, d));
	}
	kust_sort_legacy(a, &m, NULL);
	const char *want[] = { "n", "a", "b", "d", "f", "w" };
	for (size_t i = 0; i < 6; i++)
		CHECK_STR(kust_res_name(m.v[i]), want[i]);
	arena_free(a);
}

int main(void)
{
	RUN(sha256_known_vectors);
	RUN(hash_encode_matches_kustomize);
	RUN(hash_object_configmap);
	RUN(go_json_escapes_html);
	RUN(ids_print_like_kustomize);
	RUN(fieldspec_walks_sequences_and_creates);
	RUN(builtin_tables_loaded);
	RUN(label_selectors);
	RUN(json_patch_ops);
	RUN(strategic_merge_by_key);
	RUN(legacy_sort_order);
	return test_done();
}
