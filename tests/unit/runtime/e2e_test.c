/*
 * End-to-end tests of the controller runtime against a real API server, driving it with a
 * tiny reconciler on Flux's GitRepository kind (the CRDs must be installed: `tide install`).
 * Skipped (prints ok/skip) unless TIDE_TEST_KUBECONFIG names an admin kubeconfig.
 *
 *   e2e_test                      the in-process suite (tests/e2e/runtime/runtime.sh runs it);
 *                                 with TIDE_TEST_CLUSTER_DIR set it also restarts the API
 *                                 server (test/cluster/restart-apiserver) mid-way
 *   e2e_test leader ID HEALTH_PORT  a manager with leader election (lease 4 s, renew 3 s, retry
 *                                 0.5 s) in TIDE_TEST_NAMESPACE, reconciling as "ID", until
 *                                 SIGTERM (for the handover test in the shell script)
 */
#include "test.h"

#include <signal.h>
#include <stdatomic.h>
#include <time.h>

#include "kube/client.h"
#include "kube/config.h"
#include "kube/mapper.h"
#include "runtime/informer.h"

#define FIXTURE_HTTP
#define FIXTURE_RUNTIME
#include "fixture.h"

static struct kube_client *admin;
static struct kube_config *admin_cfg;
static char ns[64];
static const struct kube_resource *gr_res;
static int metrics_port, health_port;

/* ---- The test controllers --------------------------------------------------------------*/

/* The first is fixture.h's fake reconcile on GitRepository (fixture_fake_controller, named
 * "testrepo"); fixture_fake_count(name, finalize) counts its calls. */

/* A second controller on Kustomization, watching GitRepository: a source's
 * test/revision annotation changing requeues the Kustomizations whose spec.sourceRef names it,
 * which copy the revision into their Ready message (read through rt_get, from the cache). */
static int kust_reconcile(struct rt_reconcile *r, struct rt_result *res)
{
	(void)res;
	struct doc_node *obj = rt_object_doc(r);
	const char *src = doc_get_str(obj, "spec.sourceRef.name");
	struct doc_node *repo = NULL;
	if (!src || rt_get(r, "source.toolkit.fluxcd.io/v1", "GitRepository", rt_namespace(r), src, &repo)) {
		rt_cond_mark_false(rt_arena(r), obj, RT_COND_READY, "ArtifactFailed", "source not found");
		res->outcome = RT_REQUEUE;
		return 0;
	}
	const char *rev = doc_get_str(repo, "metadata.annotations.test/revision");
	rt_cond_mark_true(rt_arena(r), obj, RT_COND_READY, "ReconciliationSucceeded",
			  "Applied revision: %s", rev ? rev : "none");
	return 0;
}

struct kust_match {
	struct rt_mapper *m;
	const char *ns, *name;
};

static int kust_match_one(void *ud, const struct rt_object *k)
{
	struct kust_match *km = ud;
	const char *src = doc_get_str(k->doc, "spec.sourceRef.name");
	if (src && !strcmp(src, km->name) && !strcmp(k->namespace, km->ns))
		rt_map_enqueue(km->m, k->namespace, k->name);
	return 0;
}

static const char kust_watch_ud[] = "git watch";

static void kust_map(struct rt_mapper *m, const struct rt_object *old, const struct rt_object *obj)
{
	/* The watch entry comes with the call (one mapping function may serve several). */
	if (rt_map_watch(m)->ud != kust_watch_ud || strcmp(rt_map_watch(m)->kind, "GitRepository"))
		return;
	const char *a = old ? doc_get_str(old->doc, "metadata.annotations.test/revision") : NULL;
	const char *b = doc_get_str(obj->doc, "metadata.annotations.test/revision");
	if (old && !strcmp(a ? a : "", b ? b : ""))
		return; /* like Flux's SourceRevisionChangePredicate */
	struct kust_match km = { m, obj->namespace, obj->name };
	rt_map_each(m, kust_match_one, &km);
}

static const struct rt_watch kust_watches[] = {
	{ "source.toolkit.fluxcd.io/v1", "GitRepository", kust_map, kust_watch_ud },
	{ 0 },
};

static const struct rt_controller kust_controller = {
	.name = "testkust",
	.group = "kustomize.toolkit.fluxcd.io",
	.version = "v1",
	.kind = "Kustomization",
	.component = "kustomize-controller",
	.reconcile = kust_reconcile,
	.watches = kust_watches,
};

/* ---- Helpers ---------------------------------------------------------------------------*/


static int create_repo(const char *name, const char *interval, const char *annotations)
{
	struct arena *a = arena_new();
	char *y = arena_sprintf(a, "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\n"
				"metadata: {name: %s, namespace: %s%s%s}\n"
				"spec: {url: 'https://example.com/%s', interval: %s}\n",
				name, ns, annotations ? ", annotations: " : "", annotations ? annotations : "",
				name, interval);
	int rc = kube_create(NULL, admin, a, fixture_yaml(a, y), NULL);
	if (rc)
		printf("# create %s: %s\n", name, err_msg());
	arena_free(a);
	return rc;
}

static int patch_repo(const char *name, const char *json)
{
	struct arena *a = arena_new();
	int rc = kube_patch(NULL, admin, a, gr_res, ns, name, KUBE_PATCH_MERGE, json, strlen(json), NULL);
	if (rc)
		printf("# patch %s: %s\n", name, err_msg());
	arena_free(a);
	return rc;
}

/* The object's string at path (a heap copy), or NULL. */
static char *get_str(const char *name, const char *path)
{
	struct arena *a = arena_new();
	struct doc_node *o = NULL;
	char *s = NULL;
	if (kube_get(&o, admin, a, gr_res, ns, name, NULL) == 0) {
		struct doc_node *n = doc_get(o, path);
		if (n && (n->kind == DOC_STR || n->kind == DOC_INT || n->kind == DOC_BOOL)) {
			struct buf b = BUF_INIT;
			if (n->kind == DOC_BOOL)
				buf_adds(&b, n->u.boolean ? "true" : "false");
			else
				buf_add(&b, n->u.str.ptr, n->u.str.len);
			s = buf_detach(&b, NULL);
		}
	}
	arena_free(a);
	return s;
}

static bool str_is(const char *name, const char *path, const char *want)
{
	char *s = get_str(name, path);
	bool ok = s && !strcmp(s, want);
	free(s);
	return ok;
}

/* GET http://127.0.0.1:port/path, the body into out; the HTTP status or -1. */
static long http_get(int port, const char *path, struct buf *out)
{
	return fixture_http(port, "GET", path, out, false);
}

static bool metrics_contain(const char *needle)
{
	struct buf b = BUF_INIT;
	bool ok = http_get(metrics_port, "/metrics", &b) == 200 && strstr(b.ptr, needle);
	buf_release(&b);
	return ok;
}

/* ---- The manager in a thread -----------------------------------------------------------*/

static atomic_int stop;
static struct rt_manager *mgr;
static pthread_t mgr_thread;
static int mgr_rc = -100;

static void *run_manager(void *p)
{
	(void)p;
	mgr_rc = rt_manager_run(mgr, &stop);
	return NULL;
}

/* ---- Tests -----------------------------------------------------------------------------*/

TEST(setup)
{
	struct arena *a = arena_new();
	snprintf(ns, sizeof(ns), "rt-e2e-%ld-%d", (long)time(NULL), (int)getpid());
	REQUIRE(kube_mapper_find(&gr_res, admin, "source.toolkit.fluxcd.io/v1", "GitRepository") == 0);
	char *y = arena_sprintf(a, "apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n", ns);
	REQUIRE(kube_create(NULL, admin, a, fixture_yaml(a, y), NULL) == 0);
	arena_free(a);
	metrics_port = fixture_port();
	health_port = fixture_port();
	char maddr[64], haddr[64];
	snprintf(maddr, sizeof(maddr), "127.0.0.1:%d", metrics_port);
	snprintf(haddr, sizeof(haddr), "127.0.0.1:%d", health_port);
	struct rt_manager_opts o = {
		.client = admin,
		.namespace = ns,
		.concurrent = 2,
		.metrics_addr = xstrdup(maddr),
		.health_addr = xstrdup(haddr),
	};
	REQUIRE(rt_manager_new(&mgr, &o) == 0);
	REQUIRE(rt_manager_add(mgr, &fixture_fake_controller) == 0);
	REQUIRE(rt_manager_add(mgr, &kust_controller) == 0);
	CHECK_INT(rt_manager_add(mgr, &fixture_fake_controller), ERR_INVALID);
	REQUIRE(pthread_create(&mgr_thread, NULL, run_manager, NULL) == 0);
	struct buf b = BUF_INIT;
	CHECK(WAIT_FOR((buf_reset(&b), http_get(health_port, "/readyz", &b) == 200), 20000));
	CHECK_STR(b.ptr, "ok");
	buf_reset(&b);
	CHECK_INT(http_get(health_port, "/healthz", &b), 200);
	CHECK_STR(b.ptr, "ok");
	buf_reset(&b);
	CHECK_INT(http_get(health_port, "/nothing", &b), 404);
	buf_release(&b);
}

TEST(first_reconcile_writes_status_and_finalizer)
{
	REQUIRE(create_repo("a", "1h", NULL) == 0);
	CHECK(WAIT_FOR(str_is("a", "status.observedGeneration", "1"), 10000));
	CHECK(str_is("a", "status.conditions[0].type", "Ready"));
	CHECK(str_is("a", "status.conditions[0].status", "True"));
	CHECK(str_is("a", "status.conditions[0].reason", "Succeeded"));
	CHECK(str_is("a", "status.conditions[0].message", "reconciled by in-process"));
	CHECK(str_is("a", "status.conditions[0].observedGeneration", "1"));
	CHECK(str_is("a", "metadata.finalizers[0]", "finalizers.fluxcd.io"));
	CHECK_INT(fixture_fake_count("a", false), 1);
}

TEST(no_status_write_without_change)
{
	char *rv = get_str("a", "metadata.resourceVersion");
	/* A requeue that changes nothing must not write: force one through the queue. */
	char key[128];
	snprintf(key, sizeof(key), "%s/a", ns);
	rt_manager_enqueue(mgr, "testrepo", key);
	CHECK(WAIT_FOR(fixture_fake_count("a", false) == 2, 5000));
	usleep(300000);
	char *rv2 = get_str("a", "metadata.resourceVersion");
	CHECK_STR(rv2, rv);
	free(rv);
	free(rv2);
}

TEST(requested_at_triggers_reconcile)
{
	int before = fixture_fake_count("a", false);
	REQUIRE(patch_repo("a", "{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\"2026-11-25T06:00:00.000000000Z\"}}}") == 0);
	CHECK(WAIT_FOR(str_is("a", "status.lastHandledReconcileAt", "2026-11-25T06:00:00.000000000Z"), 10000));
	CHECK_INT(fixture_fake_count("a", false), before + 1);
}

TEST(generation_change_triggers_reconcile)
{
	REQUIRE(patch_repo("a", "{\"spec\":{\"url\":\"https://example.com/changed\"}}") == 0);
	CHECK(WAIT_FOR(str_is("a", "status.observedGeneration", "2"), 10000));
	CHECK(str_is("a", "status.conditions[0].observedGeneration", "2"));
}

TEST(suspend_is_honoured)
{
	int before = fixture_fake_count("a", false);
	REQUIRE(patch_repo("a", "{\"spec\":{\"suspend\":true}}") == 0);
	char m[256];
	snprintf(m, sizeof(m), "gotk_suspend_status{kind=\"GitRepository\",name=\"a\",namespace=\"%s\"} 1\n", ns);
	CHECK(WAIT_FOR(metrics_contain(m), 10000));
	REQUIRE(patch_repo("a", "{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\"second\"}}}") == 0);
	usleep(1000000);
	CHECK_INT(fixture_fake_count("a", false), before);
	CHECK(str_is("a", "status.lastHandledReconcileAt", "2026-11-25T06:00:00.000000000Z"));
	CHECK(str_is("a", "status.observedGeneration", "2"));
	REQUIRE(patch_repo("a", "{\"spec\":{\"suspend\":false}}") == 0);
	CHECK(WAIT_FOR(str_is("a", "status.observedGeneration", "4"), 10000));
	CHECK(str_is("a", "status.lastHandledReconcileAt", "second"));
	CHECK_INT(fixture_fake_count("a", false), before + 1);
	snprintf(m, sizeof(m), "gotk_suspend_status{kind=\"GitRepository\",name=\"a\",namespace=\"%s\"} 0\n", ns);
	CHECK(metrics_contain(m));
}

static int count_events(const char *name, long *count_out, const char **reason_out, struct arena *a)
{
	const struct kube_resource *ev;
	if (kube_mapper_find(&ev, admin, "v1", "Event"))
		return -1;
	struct doc_node *list = NULL;
	char *sel = arena_sprintf(a, "involvedObject.name=%s", name);
	if (kube_list(&list, admin, a, ev, ns, false, &(struct kube_opts){ .field_selector = sel }))
		return -1;
	struct doc_node *items = doc_map_get(list, "items");
	int n = items ? (int)items->u.seq.len : 0;
	if (n > 0) {
		int64_t c = 0;
		doc_int64(doc_get(items->u.seq.items[0], "count"), &c);
		*count_out = c;
		*reason_out = doc_get_str(items->u.seq.items[0], "reason");
	}
	return n;
}

TEST(interval_requeue_and_event_aggregation)
{
	REQUIRE(create_repo("b", "1s", NULL) == 0);
	CHECK(WAIT_FOR(fixture_fake_count("b", false) >= 3, 10000));
	struct arena *a = arena_new();
	long count = 0;
	const char *reason = NULL;
	CHECK_INT(count_events("b", &count, &reason, a), 1);
	CHECK(count >= 2);
	CHECK_STR(reason, "Succeeded");
	const struct kube_resource *ev;
	REQUIRE(kube_mapper_find(&ev, admin, "v1", "Event") == 0);
	struct doc_node *list = NULL;
	REQUIRE(kube_list(&list, admin, a, ev, ns, false,
			  &(struct kube_opts){ .field_selector = "involvedObject.name=b" }) == 0);
	struct doc_node *e = doc_get(list, "items[0]");
	CHECK_STR(doc_get_str(e, "source.component"), "source-controller");
	CHECK_STR(doc_get_str(e, "reportingComponent"), "source-controller");
	CHECK_STR(doc_get_str(e, "type"), "Normal");
	CHECK_STR(doc_get_str(e, "involvedObject.kind"), "GitRepository");
	CHECK_STR(doc_get_str(e, "metadata.annotations.source\\.toolkit\\.fluxcd\\.io/revision"), "main@sha1:0");
	arena_free(a);
	/* The requeue is at the interval, not in a loop. */
	int n1 = fixture_fake_count("b", false);
	usleep(1500000);
	int n2 = fixture_fake_count("b", false);
	CHECK(n2 - n1 >= 1 && n2 - n1 <= 3);
}

TEST(failure_backs_off_and_marks_not_ready)
{
	REQUIRE(create_repo("c", "1h", "{test/fail: 'yes'}") == 0);
	CHECK(WAIT_FOR(str_is("c", "status.conditions[0].reason", "ReconciliationFailed"), 10000));
	CHECK(str_is("c", "status.conditions[0].status", "False"));
	CHECK(str_is("c", "status.conditions[0].message", "failing on purpose"));
	CHECK(WAIT_FOR(fixture_fake_count("c", false) >= 4, 5000));
	/* Not on failure: the CRD's default (-1) stays. */
	CHECK(str_is("c", "status.observedGeneration", "-1"));
	/* Fixed: the next reconcile succeeds and the backoff is forgotten. */
	REQUIRE(patch_repo("c", "{\"metadata\":{\"annotations\":{\"test/fail\":null,\"reconcile.fluxcd.io/requestedAt\":\"fix\"}}}") == 0);
	CHECK(WAIT_FOR(str_is("c", "status.conditions[0].reason", "Succeeded"), 10000));
	CHECK(metrics_contain("controller_runtime_reconcile_errors_total{controller=\"testrepo\"} "));
}

TEST(dependency_requeue)
{
	REQUIRE(create_repo("d", "1h", "{test/dependency: 'yes'}") == 0);
	CHECK(WAIT_FOR(fixture_fake_count("d", false) >= 3, 5000));
	CHECK(str_is("d", "status.conditions[0].reason", "DependencyNotReady"));
	CHECK(str_is("d", "status.observedGeneration", "-1"));
}

static bool kust_message_is(const char *name, const char *want)
{
	struct arena *a = arena_new();
	const struct kube_resource *kr;
	struct doc_node *o = NULL;
	bool ok = kube_mapper_find(&kr, admin, "kustomize.toolkit.fluxcd.io/v1", "Kustomization") == 0 &&
		  kube_get(&o, admin, a, kr, ns, name, NULL) == 0;
	const char *msg = ok ? doc_get_str(o, "status.conditions[0].message") : NULL;
	ok = msg && !strcmp(msg, want);
	arena_free(a);
	return ok;
}

TEST(watch_maps_source_changes_to_kustomizations)
{
	REQUIRE(create_repo("src", "1h", "{test/revision: r1}") == 0);
	struct arena *a = arena_new();
	char *y = arena_sprintf(a, "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
				"metadata: {name: k, namespace: %s}\n"
				"spec: {interval: 1h, prune: true, sourceRef: {kind: GitRepository, name: src}}\n", ns);
	int rc = kube_create(NULL, admin, a, fixture_yaml(a, y), NULL);
	if (rc)
		printf("# %s\n", err_msg());
	REQUIRE(rc == 0);
	arena_free(a);
	CHECK(WAIT_FOR(kust_message_is("k", "Applied revision: r1"), 10000));
	REQUIRE(patch_repo("src", "{\"metadata\":{\"annotations\":{\"test/revision\":\"r2\"}}}") == 0);
	CHECK(WAIT_FOR(kust_message_is("k", "Applied revision: r2"), 10000));
}

static atomic_int informer_adds, informer_deletes;

static void count_informer_event(void *ud, enum rt_event_type type, const struct rt_object *old,
				 const struct rt_object *obj)
{
	(void)ud;
	(void)old;
	(void)obj;
	if (type == RT_EVENT_ADD)
		atomic_fetch_add(&informer_adds, 1);
	if (type == RT_EVENT_DELETE)
		atomic_fetch_add(&informer_deletes, 1);
}

TEST(informer_label_selector)
{
	struct arena *a = arena_new();
	const struct kube_resource *cm;
	REQUIRE(kube_mapper_find(&cm, admin, "v1", "ConfigMap") == 0);
	for (int i = 0; i < 4; i++) {
		char *y = arena_sprintf(a, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-%d, namespace: %s%s}\n",
					i, ns, i % 2 ? ", labels: {shard: one}" : "");
		REQUIRE(kube_create(NULL, admin, a, fixture_yaml(a, y), NULL) == 0);
	}
	struct rt_informer *inf;
	REQUIRE(rt_informer_new(&inf, admin, cm, &(struct rt_informer_opts){ .namespace = ns, .label_selector = "shard=one" }) == 0);
	rt_informer_add_handler(inf, count_informer_event, NULL);
	REQUIRE(rt_informer_start(inf) == 0);
	CHECK_INT(rt_informer_wait_synced(inf, NULL, 10000), 0);
	CHECK_INT(rt_informer_len(inf), 2);
	CHECK_INT(atomic_load(&informer_adds), 2);
	CHECK_INT(rt_informer_lists(inf), 1);
	char key[128];
	snprintf(key, sizeof(key), "%s/cm-1", ns);
	struct rt_object *o = rt_informer_get(inf, key);
	CHECK(o != NULL);
	if (o) {
		CHECK_STR(o->name, "cm-1");
		CHECK_STR(o->namespace, ns);
		CHECK(*o->uid && *o->resource_version);
		rt_object_unref(o);
	}
	snprintf(key, sizeof(key), "%s/cm-0", ns);
	CHECK(rt_informer_get(inf, key) == NULL);
	/* Watch events: a new labelled object appears, a deleted one goes. */
	char *y = arena_sprintf(a, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-9, namespace: %s, labels: {shard: one}}\n", ns);
	REQUIRE(kube_create(NULL, admin, a, fixture_yaml(a, y), NULL) == 0);
	REQUIRE(kube_delete(NULL, admin, a, cm, ns, "cm-1", NULL) == 0);
	CHECK(WAIT_FOR(rt_informer_len(inf) == 2 && atomic_load(&informer_deletes) == 1, 10000));
	CHECK_INT(atomic_load(&informer_adds), 3);
	rt_informer_free(inf);
	arena_free(a);
}

TEST(metrics_content)
{
	struct buf b = BUF_INIT;
	CHECK_INT(http_get(metrics_port, "/metrics", &b), 200);
	char want[512];
	snprintf(want, sizeof(want), "gotk_reconcile_condition{kind=\"GitRepository\",name=\"a\",namespace=\"%s\",type=\"Ready\",status=\"True\"} 1\n", ns);
	CHECK(strstr(b.ptr, want) != NULL);
	snprintf(want, sizeof(want), "gotk_reconcile_condition{kind=\"GitRepository\",name=\"a\",namespace=\"%s\",type=\"Ready\",status=\"False\"} 0\n", ns);
	CHECK(strstr(b.ptr, want) != NULL);
	snprintf(want, sizeof(want), "gotk_reconcile_duration_seconds_count{kind=\"GitRepository\",name=\"a\",namespace=\"%s\"} ", ns);
	CHECK(strstr(b.ptr, want) != NULL);
	CHECK(strstr(b.ptr, "# TYPE gotk_reconcile_duration_seconds histogram\n") != NULL);
	CHECK(strstr(b.ptr, "workqueue_adds_total{name=\"testrepo\"} ") != NULL);
	CHECK(strstr(b.ptr, "workqueue_depth{name=\"testrepo\"} ") != NULL);
	CHECK(strstr(b.ptr, "controller_runtime_reconcile_total{controller=\"testrepo\",result=\"success\"} ") != NULL);
	CHECK(strstr(b.ptr, "controller_runtime_max_concurrent_reconciles{controller=\"testrepo\"} 2\n") != NULL);
	CHECK(strstr(b.ptr, "\nprocess_resident_memory_bytes ") != NULL);
	CHECK(strstr(b.ptr, "\nprocess_cpu_seconds_total ") != NULL);
	CHECK(strstr(b.ptr, "\nprocess_start_time_seconds ") != NULL);
	buf_release(&b);
}

TEST(deletion_runs_finalizer)
{
	struct arena *a = arena_new();
	REQUIRE(kube_delete(NULL, admin, a, gr_res, ns, "a", NULL) == 0);
	struct doc_node *o;
	CHECK(WAIT_FOR(kube_get(&o, admin, a, gr_res, ns, "a", NULL) == ERR_NOTFOUND, 10000));
	CHECK_INT(fixture_fake_count("a", true), 1);
	char m[256];
	snprintf(m, sizeof(m), "gotk_reconcile_condition{kind=\"GitRepository\",name=\"a\",namespace=\"%s\"", ns);
	CHECK(WAIT_FOR(!metrics_contain(m), 5000));
	arena_free(a);
}

TEST(survives_apiserver_restart)
{
	const char *dir = getenv("TIDE_TEST_CLUSTER_DIR");
	if (!dir) {
		printf("# skip: TIDE_TEST_CLUSTER_DIR unset\n");
		return;
	}
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "test/cluster/restart-apiserver '%s' 2 >/dev/null", dir);
	REQUIRE(system(cmd) == 0);
	/* Objects made after the restart reach the reconciler: the watch came back. */
	REQUIRE(WAIT_FOR(create_repo("e", "1h", NULL) == 0, 20000));
	CHECK(WAIT_FOR(str_is("e", "status.observedGeneration", "1"), 30000));
	REQUIRE(patch_repo("e", "{\"spec\":{\"url\":\"https://example.com/after\"}}") == 0);
	CHECK(WAIT_FOR(str_is("e", "status.observedGeneration", "2"), 10000));
}

TEST(clean_shutdown)
{
	atomic_store(&stop, 1);
	pthread_join(mgr_thread, NULL);
	CHECK_INT(mgr_rc, 0);
	struct buf b = BUF_INIT;
	CHECK_INT(http_get(health_port, "/healthz", &b), -1); /* the servers are gone */
	buf_release(&b);
	free((char *)rt_manager_opts(mgr)->metrics_addr);
	free((char *)rt_manager_opts(mgr)->health_addr);
	rt_manager_free(mgr);
	struct arena *a = arena_new();
	const struct kube_resource *nsr;
	if (kube_mapper_find(&nsr, admin, "v1", "Namespace") == 0)
		kube_delete(NULL, admin, a, nsr, NULL, ns, NULL);
	arena_free(a);
}

/* ---- Leader mode -----------------------------------------------------------------------*/

static void on_term(int sig)
{
	(void)sig;
	atomic_store(&stop, 1);
}

static int leader_main(const char *id, int hport)
{
	fixture_fake_identity = id;
	const char *lns = getenv("TIDE_TEST_NAMESPACE");
	if (!lns)
		return 2;
	char haddr[64];
	snprintf(haddr, sizeof(haddr), "127.0.0.1:%d", hport);
	struct rt_manager_opts o = {
		.client = admin,
		.namespace = lns,
		.health_addr = haddr,
		.leader_election = true,
		.leader_election_id = "rt-e2e-leader",
		.lease_duration_ms = 4000,
		.renew_deadline_ms = 3000,
		.retry_period_ms = 500,
	};
	struct sigaction sa = { .sa_handler = on_term };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	struct rt_manager *m;
	if (rt_manager_new(&m, &o) || rt_manager_add(m, &fixture_fake_controller))
		return 2;
	int rc = rt_manager_run(m, &stop);
	rt_manager_free(m);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *kc = getenv("TIDE_TEST_KUBECONFIG");
	if (!kc) {
		printf("ok - %s: runtime e2e # skip TIDE_TEST_KUBECONFIG unset\n", __FILE__);
		return 0;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	log_setup(LOG_INFO, LOG_JSON);
	if (kube_config_load(&admin_cfg, &(struct kube_config_opts){ .kubeconfig = kc }) ||
	    kube_client_new(&admin, admin_cfg, &(struct kube_client_opts){ .timeout_ms = 15000 })) {
		printf("not ok - %s: connect: %s\n", __FILE__, err_msg());
		return 1;
	}
	int ret;
	if (argc >= 4 && !strcmp(argv[1], "leader")) {
		ret = leader_main(argv[2], atoi(argv[3]));
	} else {
		RUN(setup);
		RUN(first_reconcile_writes_status_and_finalizer);
		RUN(no_status_write_without_change);
		RUN(requested_at_triggers_reconcile);
		RUN(generation_change_triggers_reconcile);
		RUN(suspend_is_honoured);
		RUN(interval_requeue_and_event_aggregation);
		RUN(failure_backs_off_and_marks_not_ready);
		RUN(dependency_requeue);
		RUN(watch_maps_source_changes_to_kustomizations);
		RUN(informer_label_selector);
		RUN(metrics_content);
		RUN(deletion_runs_finalizer);
		RUN(survives_apiserver_restart);
		RUN(clean_shutdown);
		ret = test_done();
	}
	kube_client_free(admin);
	kube_config_free(admin_cfg);
	curl_global_cleanup();
	return ret;
}
