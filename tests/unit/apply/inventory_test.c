/* Inventory ids, inventory diff, Flux's sort order and change-set printing. */
#include "test.h"

#include <stdlib.h>

#include "apply/apply.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/buf.h"

static struct arena *A;

TEST(ids)
{
	struct apply_ref r = { "apps", "v1", "Deployment", "default", "app" };
	CHECK_STR(apply_inventory_id(A, &r), "default_app_apps_Deployment");
	struct apply_ref c = { "rbac.authorization.k8s.io", "v1", "ClusterRole", "", "system:foo:bar" };
	CHECK_STR(apply_inventory_id(A, &c), "_system__foo__bar_rbac.authorization.k8s.io_ClusterRole");
	struct apply_ref p;
	REQUIRE(!apply_inventory_parse(&p, A, "_system__foo__bar_rbac.authorization.k8s.io_ClusterRole", "v1"));
	CHECK_STR(p.name, "system:foo:bar");
	CHECK_STR(p.namespace, "");
	CHECK_STR(p.group, "rbac.authorization.k8s.io");
	CHECK_STR(p.kind, "ClusterRole");
	CHECK_STR(p.version, "v1");
	REQUIRE(!apply_inventory_parse(&p, A, "ns_cm__ConfigMap", "v1"));
	CHECK_STR(p.group, "");
	CHECK_STR(p.name, "cm");
	CHECK(apply_inventory_parse(&p, A, "nounderscore", "v1") != 0);
	CHECK(apply_inventory_parse(&p, A, "ns_a_b_c_d_Kind", "v1") != 0);
	CHECK(apply_inventory_parse(&p, A, "ns__g_Kind", "v1") != 0);
	CHECK_STR(apply_subject(A, &r), "Deployment/default/app");
	CHECK_STR(apply_subject(A, &c), "ClusterRole/system:foo:bar");
}

static struct apply_inventory inv_of(const char *const *ids)
{
	struct apply_inventory inv = { 0 };
	struct doc_node *root = doc_new_map(A), *entries = doc_new_seq(A);
	for (; *ids; ids++) {
		struct doc_node *e = doc_new_map(A);
		doc_map_set(A, e, "id", doc_new_str(A, *ids));
		doc_map_set(A, e, "v", doc_new_str(A, "v1"));
		doc_seq_push(A, entries, e);
	}
	doc_map_set(A, root, "entries", entries);
	if (apply_inventory_from_doc(&inv, A, root))
		abort();
	return inv;
}

TEST(diff_sorted_as_flux)
{
	const char *old_ids[] = { "ns_web_apps_Deployment", "ns_cfg__ConfigMap", "_ns__Namespace",
				  "ns_hook_admissionregistration.k8s.io_ValidatingWebhookConfiguration",
				  "ns_w_x.dev_Widget", "ns_keep__ConfigMap", NULL };
	const char *new_ids[] = { "ns_keep__ConfigMap", NULL };
	struct apply_inventory o = inv_of(old_ids), n = inv_of(new_ids);
	struct apply_ref *stale;
	size_t ns;
	REQUIRE(!apply_inventory_diff(&stale, &ns, A, &o, &n));
	REQUIRE(ns == 5);
	CHECK_STR(stale[0].kind, "Namespace");
	CHECK_STR(stale[1].kind, "ConfigMap");
	CHECK_STR(stale[2].kind, "Deployment");
	CHECK_STR(stale[3].kind, "Widget");
	CHECK_STR(stale[4].kind, "ValidatingWebhookConfiguration");
	struct apply_ref *all;
	size_t na;
	REQUIRE(!apply_inventory_refs(&all, &na, A, &o));
	REQUIRE(na == 6);
	CHECK_STR(all[0].kind, "Namespace");
	CHECK_STR(all[1].name, "cfg");
	CHECK_STR(all[2].name, "keep");
	CHECK_STR(all[5].kind, "ValidatingWebhookConfiguration");
	/* round trip through the status document */
	struct buf b = BUF_INIT;
	doc_emit_json(&b, apply_inventory_to_doc(A, &n), 0);
	CHECK_STR(b.ptr, "{\"entries\":[{\"id\":\"ns_keep__ConfigMap\",\"v\":\"v1\"}]}");
	buf_release(&b);
	struct apply_inventory empty = { 0 };
	CHECK(!apply_inventory_from_doc(&empty, A, NULL) && empty.len == 0);
}

static struct doc_node *obj(const char *api, const char *kind, const char *ns, const char *name)
{
	struct doc_node *o = doc_new_map(A);
	doc_set(A, o, "apiVersion", doc_new_str(A, api));
	doc_set(A, o, "kind", doc_new_str(A, kind));
	doc_set(A, o, "metadata.name", doc_new_str(A, name));
	if (ns)
		doc_set(A, o, "metadata.namespace", doc_new_str(A, ns));
	return o;
}

TEST(reconcile_order)
{
	struct doc_node *objs[] = {
		obj("apps/v1", "Deployment", "b", "z"),
		obj("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", NULL, "m"),
		obj("x.dev/v1", "Widget", "a", "w"),
		obj("v1", "ConfigMap", "b", "a"),
		obj("v1", "ConfigMap", "a", "b"),
		obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", NULL, "widgets.x.dev"),
		obj("v1", "Namespace", NULL, "a"),
		obj("a.dev/v1", "Zebra", "a", "z"),
	};
	size_t n = sizeof objs / sizeof *objs;
	apply_sort_objects(objs, n);
	const char *want[] = { "CustomResourceDefinition/widgets.x.dev", "Namespace/a", "ConfigMap/a/b",
			       "ConfigMap/b/a", "Deployment/b/z", "Zebra/a/z", "Widget/a/w",
			       "MutatingWebhookConfiguration/m" };
	for (size_t i = 0; i < n; i++)
		{
		struct apply_ref r;
		REQUIRE(!apply_ref_of(&r, A, objs[i]));
		CHECK_STR(apply_subject(A, &r), want[i]);
	}
}

TEST(changeset_format)
{
	struct apply_changeset cs = { 0 };
	struct apply_entry e1 = { .subject = "Deployment/default/app", .action = APPLY_CONFIGURED };
	struct apply_entry e2 = { .subject = "ConfigMap/default/c", .action = APPLY_UNCHANGED };
	struct apply_entry e3 = { .subject = "Secret/default/s", .action = APPLY_CREATED };
	apply_changeset_add(A, &cs, &e1);
	apply_changeset_add(A, &cs, &e2);
	apply_changeset_add(A, &cs, &e3);
	struct buf b = BUF_INIT;
	apply_changeset_format(&b, &cs, false);
	CHECK_STR(b.ptr, "Deployment/default/app configured\nConfigMap/default/c unchanged\nSecret/default/s created");
	buf_reset(&b);
	apply_changeset_format(&b, &cs, true);
	CHECK_STR(b.ptr, "Deployment/default/app configured\nSecret/default/s created");
	buf_release(&b);
	CHECK(apply_action_changed(APPLY_DELETED) && !apply_action_changed(APPLY_SKIPPED));
	CHECK_STR(apply_action_name(APPLY_SKIPPED), "skipped");
}

int main(void)
{
	A = arena_new();
	RUN(ids);
	RUN(diff_sorted_as_flux);
	RUN(reconcile_order);
	RUN(changeset_format);
	arena_free(A);
	return test_done();
}
