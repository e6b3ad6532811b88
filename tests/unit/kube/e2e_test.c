/* End-to-end tests of the REST client against a real API server. Skipped (prints ok/skip)
 * unless TIDE_TEST_KUBECONFIG names an admin kubeconfig; the non-admin user's kubeconfig
 * is TIDE_TEST_KUBECONFIG_USER, or "kubeconfig-user" beside the admin one (as
 * test/cluster/start writes them). Every object lives in a namespace made for this run. */
#include "test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "doc/doc.h"
#include "kube/client.h"
#include "kube/config.h"
#include "kube/mapper.h"
#include "kube/watch.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"

static struct kube_client *admin;
static struct kube_config *admin_cfg;
static char ns[64];
static const struct kube_resource *cm_res, *ns_res;

static struct doc_node *parse(struct arena *a, const char *yaml)
{
	struct doc_stream s;
	if (doc_parse_yaml(a, "test", yaml, strlen(yaml), NULL, &s) != 0 || s.len != 1) {
		fprintf(stderr, "bad test yaml: %s\n", err_msg());
		abort();
	}
	return s.docs[0];
}

static struct doc_node *configmap(struct arena *a, const char *name, const char *k,
				  const char *v)
{
	char *y = arena_sprintf(a, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, "
				"namespace: %s}\ndata: {%s: '%s'}\n", name, ns, k, v);
	return parse(a, y);
}

TEST(setup_namespace)
{
	struct arena *a = arena_new();
	snprintf(ns, sizeof(ns), "tide-e2e-%ld-%d", (long)time(NULL), (int)getpid());
	REQUIRE(kube_mapper_find(&cm_res, admin, "v1", "ConfigMap") == 0);
	REQUIRE(kube_mapper_find(&ns_res, admin, "v1", "Namespace") == 0);
	CHECK(!ns_res->namespaced);
	char *y = arena_sprintf(a, "apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n", ns);
	struct doc_node *out = NULL;
	int rc = kube_create(&out, admin, a, parse(a, y), NULL);
	if (rc)
		printf("# %s\n", err_msg());
	REQUIRE(rc == 0);
	CHECK_STR(doc_get_str(out, "metadata.name"), ns);
	/* creating it again: AlreadyExists -> ERR_CONFLICT with the server's message */
	CHECK_INT(kube_create(&out, admin, a, parse(a, y), NULL), ERR_CONFLICT);
	CHECK(strstr(err_msg(), "already exists") != NULL);
	arena_free(a);
}

TEST(get_list_paging)
{
	struct arena *a = arena_new();
	struct doc_node *out;
	for (int i = 0; i < 250; i++) {
		char name[32];
		snprintf(name, sizeof(name), "page-%03d", i);
		int rc = kube_create(&out, admin, a, configmap(a, name, "i", name), NULL);
		if (rc)
			printf("# %s\n", err_msg());
		REQUIRE(rc == 0);
	}
	REQUIRE(kube_get(&out, admin, a, cm_res, ns, "page-042", NULL) == 0);
	CHECK_STR(doc_get_str(out, "data.i"), "page-042");
	CHECK_INT(kube_get(&out, admin, a, cm_res, ns, "nope", NULL), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "configmaps \"nope\" not found");
	struct doc_node *list = NULL;
	struct kube_opts o = { .limit = 100 };
	REQUIRE(kube_list(&list, admin, a, cm_res, ns, false, &o) == 0);
	struct doc_node *items = doc_get(list, "items");
	REQUIRE(items && items->kind == DOC_SEQ);
	/* 250 ours plus kube-root-ca.crt, when the controller manager runs */
	size_t ours = 0;
	for (size_t i = 0; i < items->u.seq.len; i++) {
		const char *n = doc_get_str(items->u.seq.items[i], "metadata.name");
		if (n && strncmp(n, "page-", 5) == 0)
			ours++;
	}
	CHECK_INT(ours, 250);
	CHECK_STR(doc_get_str(list, "items[0].kind"), "ConfigMap");
	CHECK(doc_get_str(list, "metadata.resourceVersion") != NULL);
	arena_free(a);
}

struct watch_state {
	struct buf log;
	char last_rv[64];
	char added_rv[64];
	int bookmarks;
	atomic_int started;
	atomic_int stop;
};

static int on_event(void *ud, struct kube_event *ev)
{
	struct watch_state *w = ud;
	const char *name = doc_get_str(ev->object, "metadata.name");
	snprintf(w->last_rv, sizeof(w->last_rv), "%s", ev->resource_version);
	if (ev->type == KUBE_EVENT_BOOKMARK) {
		w->bookmarks++;
		return 0;
	}
	if (!name || strcmp(name, "watched") != 0)
		return 0;
	static const char *names[] = { "ADDED", "MODIFIED", "DELETED", "BOOKMARK" };
	buf_addf(&w->log, "%s;", names[ev->type]);
	if (ev->type == KUBE_EVENT_ADDED)
		snprintf(w->added_rv, sizeof(w->added_rv), "%s", ev->resource_version);
	return ev->type == KUBE_EVENT_DELETED ? 1 : 0;
}

struct watch_thread {
	struct watch_state *w;
	const char *rv;
	int rc;
};

static void *watch_main(void *ud)
{
	struct watch_thread *t = ud;
	struct kube_watch_opts o = { .resource_version = t->rv, .bookmarks = true,
				     .timeout_seconds = 60, .stop = &t->w->stop };
	t->rc = kube_watch(admin, cm_res, ns, false, &o, on_event, t->w);
	return NULL;
}

TEST(watch_events_resume_gone)
{
	struct arena *a = arena_new();
	struct doc_node *list, *out;
	struct kube_opts lo = { .limit = 1 };
	REQUIRE(kube_list(&list, admin, a, cm_res, ns, false, &lo) == 0);
	const char *rv = doc_get_str(list, "metadata.resourceVersion");
	REQUIRE(rv != NULL);
	struct watch_state w = { .log = BUF_INIT };
	struct watch_thread t = { &w, rv, -100 };
	pthread_t th;
	pthread_create(&th, NULL, watch_main, &t);
	REQUIRE(kube_create(&out, admin, a, configmap(a, "watched", "k", "1"), NULL) == 0);
	struct doc_node *upd = configmap(a, "watched", "k", "2");
	REQUIRE(kube_update(&out, admin, a, upd, NULL) == 0);
	REQUIRE(kube_delete(NULL, admin, a, cm_res, ns, "watched", NULL) == 0);
	pthread_join(th, NULL);
	CHECK_INT(t.rc, 0);
	CHECK_STR(w.log.ptr, "ADDED;MODIFIED;DELETED;");
	/* resume after the ADDED event: only what followed */
	buf_reset(&w.log);
	struct watch_thread t2 = { &w, w.added_rv, -100 };
	watch_main(&t2);
	CHECK_INT(t2.rc, 0);
	CHECK_STR(w.log.ptr, "MODIFIED;DELETED;");
	/* a resourceVersion older than the server keeps: ERR_GONE */
	struct kube_watch_opts o = { .resource_version = "1", .timeout_seconds = 5 };
	int rc = kube_watch(admin, cm_res, ns, false, &o, on_event, &w);
	if (rc == 0) {
		/* etcd not compacted since the server started: "1" is still served */
		printf("# skip 410 check: the server still serves resourceVersion 1\n");
	} else {
		CHECK_INT(rc, ERR_GONE);
		CHECK(strstr(err_msg(), "too old resource version") != NULL);
	}
	/* bookmarks: the server sends one before it closes a watch that allowed them */
	w.bookmarks = 0;
	struct kube_watch_opts bo = { .resource_version = w.last_rv, .bookmarks = true,
				      .timeout_seconds = 3 };
	CHECK_INT(kube_watch(admin, cm_res, ns, false, &bo, on_event, &w), 0);
	printf("# bookmarks seen in a 3 s watch: %d\n", w.bookmarks);
	/* the stop flag ends an idle watch */
	atomic_store(&w.stop, 1);
	struct kube_watch_opts so = { .resource_version = w.last_rv, .stop = &w.stop };
	CHECK_INT(kube_watch(admin, cm_res, ns, false, &so, on_event, &w), 0);
	buf_release(&w.log);
	arena_free(a);
}

TEST(server_side_apply)
{
	struct arena *a = arena_new();
	struct doc_node *out;
	struct kube_opts o = { .field_manager = "tide-a" };
	REQUIRE(kube_apply(&out, admin, a, configmap(a, "ssa", "k", "v1"), &o) == 0);
	CHECK_STR(doc_get_str(out, "data.k"), "v1");
	const char *rv1 = doc_get_str(out, "metadata.resourceVersion");
	REQUIRE(kube_apply(&out, admin, a, configmap(a, "ssa", "k", "v2"), &o) == 0);
	CHECK_STR(doc_get_str(out, "data.k"), "v2");
	const char *rv2 = doc_get_str(out, "metadata.resourceVersion");
	CHECK(strcmp(rv1, rv2) != 0);
	/* no-op: same content, same resourceVersion */
	REQUIRE(kube_apply(&out, admin, a, configmap(a, "ssa", "k", "v2"), &o) == 0);
	CHECK_STR(doc_get_str(out, "metadata.resourceVersion"), rv2);
	/* another manager changing the same field: conflict, then force */
	struct kube_opts ob = { .field_manager = "tide-b" };
	CHECK_INT(kube_apply(&out, admin, a, configmap(a, "ssa", "k", "b"), &ob), ERR_CONFLICT);
	CHECK(strstr(err_msg(), "conflict") != NULL);
	CHECK(strstr(err_msg(), "tide-a") != NULL);
	ob.force = true;
	REQUIRE(kube_apply(&out, admin, a, configmap(a, "ssa", "k", "b"), &ob) == 0);
	CHECK_STR(doc_get_str(out, "data.k"), "b");
	/* merge, JSON and strategic patches */
	const char *merge = "{\"data\":{\"m\":\"1\"}}";
	REQUIRE(kube_patch(&out, admin, a, cm_res, ns, "ssa", KUBE_PATCH_MERGE, merge,
			   strlen(merge), NULL) == 0);
	CHECK_STR(doc_get_str(out, "data.m"), "1");
	const char *jp = "[{\"op\":\"replace\",\"path\":\"/data/m\",\"value\":\"2\"}]";
	REQUIRE(kube_patch(&out, admin, a, cm_res, ns, "ssa", KUBE_PATCH_JSON, jp, strlen(jp),
			   NULL) == 0);
	CHECK_STR(doc_get_str(out, "data.m"), "2");
	const char *sp = "{\"data\":{\"s\":\"3\"}}";
	REQUIRE(kube_patch(&out, admin, a, cm_res, ns, "ssa", KUBE_PATCH_STRATEGIC, sp,
			   strlen(sp), NULL) == 0);
	CHECK_STR(doc_get_str(out, "data.s"), "3");
	/* an invalid object: ERR_INVALID with the server's message */
	struct doc_node *bad = configmap(a, "Bad_Name", "k", "v");
	CHECK_INT(kube_apply(&out, admin, a, bad, &o), ERR_INVALID);
	CHECK(strstr(err_msg(), "Bad_Name") != NULL);
	/* an unknown kind */
	struct doc_node *w = parse(a, "apiVersion: example.com/v1\nkind: Widget\n"
				      "metadata: {name: w}\n");
	CHECK_INT(kube_apply(&out, admin, a, w, &o), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "no matches for kind \"Widget\" in version \"example.com/v1\"");
	arena_free(a);
}

TEST(dry_run_writes_nothing)
{
	struct arena *a = arena_new();
	struct doc_node *out;
	struct kube_opts dry = { .dry_run = true, .field_manager = "tide" };
	REQUIRE(kube_create(&out, admin, a, configmap(a, "dry", "k", "v"), &dry) == 0);
	CHECK_STR(doc_get_str(out, "data.k"), "v");
	CHECK_INT(kube_get(&out, admin, a, cm_res, ns, "dry", NULL), ERR_NOTFOUND);
	REQUIRE(kube_apply(&out, admin, a, configmap(a, "dry", "k", "v"), &dry) == 0);
	CHECK_INT(kube_get(&out, admin, a, cm_res, ns, "dry", NULL), ERR_NOTFOUND);
	dry.force = true;
	REQUIRE(kube_apply(&out, admin, a, configmap(a, "ssa", "k", "dry"), &dry) == 0);
	CHECK_STR(doc_get_str(out, "data.k"), "dry");
	REQUIRE(kube_get(&out, admin, a, cm_res, ns, "ssa", NULL) == 0);
	CHECK_STR(doc_get_str(out, "data.k"), "b");
	REQUIRE(kube_delete(NULL, admin, a, cm_res, ns, "ssa", &dry) == 0);
	REQUIRE(kube_get(&out, admin, a, cm_res, ns, "ssa", NULL) == 0);
	arena_free(a);
}

static const char *crd =
	"apiVersion: apiextensions.k8s.io/v1\n"
	"kind: CustomResourceDefinition\n"
	"metadata: {name: gadgets.e2e.tide.dev}\n"
	"spec:\n"
	"  group: e2e.tide.dev\n"
	"  names: {kind: Gadget, plural: gadgets, singular: gadget, shortNames: [gd]}\n"
	"  scope: Namespaced\n"
	"  versions:\n"
	"  - name: v1\n"
	"    served: true\n"
	"    storage: true\n"
	"    subresources: {status: {}}\n"
	"    schema:\n"
	"      openAPIV3Schema:\n"
	"        type: object\n"
	"        x-kubernetes-preserve-unknown-fields: true\n";

TEST(status_subresource_on_crd)
{
	struct arena *a = arena_new();
	struct doc_node *out;
	struct kube_opts o = { .field_manager = "tide-e2e", .force = true };
	REQUIRE(kube_apply(&out, admin, a, parse(a, crd), &o) == 0);
	const struct kube_resource *crd_res;
	REQUIRE(kube_mapper_find(&crd_res, admin, "apiextensions.k8s.io/v1",
				 "CustomResourceDefinition") == 0);
	CHECK(!crd_res->namespaced);
	/* wait until Established */
	for (int i = 0; i < 100; i++) {
		REQUIRE(kube_get(&out, admin, a, crd_res, NULL, "gadgets.e2e.tide.dev", NULL) == 0);
		const struct doc_node *conds = doc_get(out, "status.conditions");
		bool est = false;
		for (size_t j = 0; conds && conds->kind == DOC_SEQ && j < conds->u.seq.len; j++) {
			const char *t = doc_get_str(conds->u.seq.items[j], "type");
			const char *s = doc_get_str(conds->u.seq.items[j], "status");
			est |= t && s && !strcmp(t, "Established") && !strcmp(s, "True");
		}
		if (est)
			break;
		usleep(100000);
	}
	/* the kind is new to the cached discovery: the mapper refreshes once */
	char *y = arena_sprintf(a, "apiVersion: e2e.tide.dev/v1\nkind: Gadget\n"
				"metadata: {name: g1, namespace: %s}\nspec: {size: 3}\n", ns);
	int rc = kube_apply(&out, admin, a, parse(a, y), &o);
	if (rc)
		printf("# %s\n", err_msg());
	REQUIRE(rc == 0);
	const struct kube_resource *g;
	REQUIRE(kube_mapper_find_name(&g, admin, "gd") == 0);
	CHECK_STR(g->kind, "Gadget");
	/* status via update on the subresource */
	doc_set(a, out, "status", parse(a, "{phase: Ready, observedGeneration: 1}"));
	struct kube_opts so = { .subresource = "status" };
	REQUIRE(kube_update(&out, admin, a, out, &so) == 0);
	CHECK_STR(doc_get_str(out, "status.phase"), "Ready");
	/* status is ignored by the main resource */
	doc_set(a, out, "status", parse(a, "{phase: Ignored}"));
	REQUIRE(kube_update(&out, admin, a, out, NULL) == 0);
	CHECK_STR(doc_get_str(out, "status.phase"), "Ready");
	/* patch and get the status subresource */
	const char *mp = "{\"status\":{\"phase\":\"Patched\"}}";
	REQUIRE(kube_patch(&out, admin, a, g, ns, "g1", KUBE_PATCH_MERGE, mp, strlen(mp), &so) ==
		0);
	REQUIRE(kube_get(&out, admin, a, g, ns, "g1", &so) == 0);
	CHECK_STR(doc_get_str(out, "status.phase"), "Patched");
	CHECK(doc_get(out, "spec.size") != NULL);
	/* apply to the status subresource (SSA of status, as controllers do) */
	char *sy = arena_sprintf(a, "apiVersion: e2e.tide.dev/v1\nkind: Gadget\n"
				 "metadata: {name: g1, namespace: %s}\nstatus: {phase: Applied}\n",
				 ns);
	struct doc_node *sobj = parse(a, sy);
	struct buf body = BUF_INIT;
	doc_emit_json(&body, sobj, 0);
	struct kube_opts sa = { .subresource = "status", .field_manager = "tide-e2e",
				.force = true };
	REQUIRE(kube_patch(&out, admin, a, g, ns, "g1", KUBE_PATCH_APPLY, body.ptr, body.len,
			   &sa) == 0);
	CHECK_STR(doc_get_str(out, "status.phase"), "Applied");
	buf_release(&body);
	REQUIRE(kube_delete(NULL, admin, a, crd_res, NULL, "gadgets.e2e.tide.dev", NULL) == 0);
	arena_free(a);
}

TEST(delete_propagation_preconditions)
{
	struct arena *a = arena_new();
	struct doc_node *out;
	REQUIRE(kube_create(&out, admin, a, configmap(a, "del", "k", "v"), NULL) == 0);
	const char *uid = doc_get_str(out, "metadata.uid");
	struct kube_opts bad = { .precondition_uid = "00000000-0000-0000-0000-000000000000" };
	CHECK_INT(kube_delete(NULL, admin, a, cm_res, ns, "del", &bad), ERR_CONFLICT);
	CHECK(strstr(err_msg(), "recondition") != NULL);
	printf("# %s\n", err_msg());
	struct kube_opts fg = { .propagation = "Foreground" };
	REQUIRE(kube_create(&out, admin, a, configmap(a, "fg", "k", "v"), NULL) == 0);
	REQUIRE(kube_delete(&out, admin, a, cm_res, ns, "fg", &fg) == 0);
	/* foreground: the object stays, marked, until the garbage collector finishes */
	CHECK(doc_get_str(out, "metadata.deletionTimestamp") != NULL);
	CHECK_STR(doc_get_str(out, "metadata.finalizers[0]"), "foregroundDeletion");
	struct kube_opts good = { .precondition_uid = uid, .propagation = "Background" };
	REQUIRE(kube_delete(&out, admin, a, cm_res, ns, "del", &good) == 0);
	for (int i = 0; i < 50; i++) {
		if (kube_get(&out, admin, a, cm_res, ns, "del", NULL) == ERR_NOTFOUND)
			break;
		usleep(100000);
	}
	CHECK_INT(kube_get(&out, admin, a, cm_res, ns, "del", NULL), ERR_NOTFOUND);
	CHECK_INT(kube_delete(NULL, admin, a, cm_res, ns, "del", NULL), ERR_NOTFOUND);
	struct kube_opts orphan = { .propagation = "Orphan" };
	REQUIRE(kube_create(&out, admin, a, configmap(a, "del2", "k", "v"), NULL) == 0);
	REQUIRE(kube_delete(NULL, admin, a, cm_res, ns, "del2", &orphan) == 0);
	arena_free(a);
}

static char *user_kubeconfig(void)
{
	const char *u = getenv("TIDE_TEST_KUBECONFIG_USER");
	if (u && *u)
		return xstrdup(u);
	const char *adm = getenv("TIDE_TEST_KUBECONFIG");
	const char *slash = strrchr(adm, '/');
	if (!slash)
		return xstrdup("kubeconfig-user");
	return xasprintf("%.*s/kubeconfig-user", (int)(slash - adm), adm);
}

TEST(impersonation_and_rbac)
{
	struct arena *a = arena_new();
	struct doc_node *out;
	/* admin impersonating the tester: denied by RBAC, with the server's message */
	struct kube_client *imp = NULL;
	REQUIRE(kube_client_impersonate(&imp, admin, "tide-tester", NULL) == 0);
	CHECK_INT(kube_get(&out, imp, a, cm_res, ns, "page-001", NULL), ERR_AUTH);
	char *want = arena_sprintf(a, "configmaps \"page-001\" is forbidden: User \"tide-tester\" "
				   "cannot get resource \"configmaps\" in API group \"\" in the "
				   "namespace \"%s\"", ns);
	CHECK_STR(err_msg(), want);
	kube_client_free(imp);
	/* a service account, as Flux's spec.serviceAccountName does */
	char *sa = arena_sprintf(a, "system:serviceaccount:%s:deployer", ns);
	const char *groups[] = { "system:serviceaccounts", NULL };
	REQUIRE(kube_client_impersonate(&imp, admin, sa, groups) == 0);
	CHECK_INT(kube_list(&out, imp, a, cm_res, ns, false, NULL), ERR_AUTH);
	CHECK(strstr(err_msg(), sa) != NULL);
	kube_client_free(imp);
	/* the non-admin user: denied, and may not impersonate */
	char *path = user_kubeconfig();
	struct kube_config *cfg = NULL;
	struct kube_config_opts co = { .kubeconfig = path };
	int rc = kube_config_load(&cfg, &co);
	if (rc) {
		printf("# skip non-admin part: %s\n", err_msg());
	} else {
		struct kube_client *user = NULL;
		REQUIRE(kube_client_new(&user, cfg, NULL) == 0);
		CHECK_INT(kube_get(&out, user, a, cm_res, ns, "page-001", NULL), ERR_AUTH);
		CHECK(strstr(err_msg(), "is forbidden: User \"tide-tester\"") != NULL);
		struct kube_client *uimp = NULL;
		REQUIRE(kube_client_impersonate(&uimp, user, "admin", NULL) == 0);
		CHECK_INT(kube_get(&out, uimp, a, cm_res, ns, "page-001", NULL), ERR_AUTH);
		CHECK(strstr(err_msg(), "cannot impersonate") != NULL);
		kube_client_free(uimp);
		kube_client_free(user);
		kube_config_free(cfg);
	}
	free(path);
	arena_free(a);
}

TEST(connection_errors)
{
	struct arena *a = arena_new();
	struct doc_node *out;
	struct kube_client_opts fast = { .max_retries = -1, .connect_timeout_ms = 2000 };
	/* an unreachable server */
	struct kube_config bad = *admin_cfg;
	bad.server = (char *)"https://127.0.0.1:1";
	struct kube_client *c = NULL;
	REQUIRE(kube_client_new(&c, &bad, &fast) == 0);
	CHECK_INT(kube_get(&out, c, a, cm_res, ns, "x", NULL), ERR_UNAVAIL);
	CHECK_STR(err_msg(), "cannot reach https://127.0.0.1:1: connection refused");
	kube_client_free(c);
	/* a CA that did not sign the server's certificate */
	bad = *admin_cfg;
	bad.ca_pem = bad.cert_pem ? bad.cert_pem : (char *)"";
	bad.ca_pem_len = bad.cert_pem ? bad.cert_pem_len : 0;
	bad.insecure = false;
	REQUIRE(kube_client_new(&c, &bad, &fast) == 0);
	int rc = kube_get(&out, c, a, cm_res, ns, "x", NULL);
	CHECK(rc == ERR_AUTH || rc == ERR_INVALID);
	printf("# wrong CA: %s\n", err_msg());
	CHECK(strstr(err_msg(), "x509") != NULL || strstr(err_msg(), "certificate") != NULL);
	kube_client_free(c);
	/* an invalid token */
	bad = *admin_cfg;
	bad.cert_pem = bad.key_pem = NULL;
	bad.cert_pem_len = bad.key_pem_len = 0;
	bad.token = (char *)"not-a-valid-token";
	bad.token_file = NULL;
	REQUIRE(kube_client_new(&c, &bad, &fast) == 0);
	CHECK_INT(kube_get(&out, c, a, cm_res, ns, "x", NULL), ERR_AUTH);
	CHECK_STR(err_msg(), "Unauthorized");
	kube_client_free(c);
	/* a malformed kubeconfig: one line naming the file */
	char tmp[] = "/tmp/tide-badkc-XXXXXX";
	int fd = mkstemp(tmp);
	REQUIRE(fd >= 0);
	CHECK(write(fd, "clusters: [\n", 12) == 12);
	close(fd);
	struct kube_config *cfg = NULL;
	struct kube_config_opts co = { .kubeconfig = tmp };
	CHECK_INT(kube_config_load(&cfg, &co), ERR_INVALID);
	CHECK(strstr(err_msg(), tmp) != NULL);
	CHECK(strchr(err_msg(), '\n') == NULL);
	unlink(tmp);
	arena_free(a);
}

TEST(cleanup_namespace)
{
	struct arena *a = arena_new();
	struct kube_opts o = { .propagation = "Background" };
	CHECK_INT(kube_delete(NULL, admin, a, ns_res, NULL, ns, &o), 0);
	arena_free(a);
}

int main(void)
{
	const char *kc = getenv("TIDE_TEST_KUBECONFIG");
	if (!kc || !*kc) {
		printf("ok - %s: skip (TIDE_TEST_KUBECONFIG is not set)\n", __FILE__);
		printf("# 0 passed, 0 failed\n");
		return 0;
	}
	struct kube_config_opts co = { .kubeconfig = kc };
	if (kube_config_load(&admin_cfg, &co) != 0 || kube_client_new(&admin, admin_cfg, NULL)) {
		printf("not ok - %s: %s\n", __FILE__, err_msg());
		return 1;
	}
	RUN(setup_namespace);
	RUN(get_list_paging);
	RUN(watch_events_resume_gone);
	RUN(server_side_apply);
	RUN(dry_run_writes_nothing);
	/* NEEDSWORK: the 1.20.2 build made with Go 1.19 crashes (reflect2 map iteration) on
	 * any custom-resource request; TIDE_TEST_NO_CRS=1 skips this test until it is fixed. */
	if (getenv("TIDE_TEST_NO_CRS"))
		printf("ok - %s: status_subresource_on_crd # skip TIDE_TEST_NO_CRS\n", __FILE__);
	else
		RUN(status_subresource_on_crd);
	RUN(delete_propagation_preconditions);
	RUN(impersonation_and_rbac);
	RUN(connection_errors);
	RUN(cleanup_namespace);
	kube_client_free(admin);
	kube_config_free(admin_cfg);
	return test_done();
}
