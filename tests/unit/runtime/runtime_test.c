/* Unit tests of the runtime's pure parts: Go durations, the work queue (dedup, processing,
 * delays, backoff), conditions and the metrics text. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "runtime/conditions.h"
#include "util/duration.h"
#include "runtime/http.h"
#include "runtime/metrics.h"
#include "runtime/queue.h"
#include "test.h"

#define FIXTURE_DOC
#define FIXTURE_HTTP
#include "fixture.h"

static int64_t parse_ms(const char *s)
{
	int64_t v = -999999;
	if (duration_parse(s, &v) != 0)
		return -999999;
	return v;
}

TEST(go_duration_parse)
{
	CHECK_INT(parse_ms("1m30s"), 90000);
	CHECK_INT(parse_ms("10m"), 600000);
	CHECK_INT(parse_ms("1h"), 3600000);
	CHECK_INT(parse_ms("1.5h"), 5400000);
	CHECK_INT(parse_ms("500ms"), 500);
	CHECK_INT(parse_ms("2h45m0.5s"), 9900500);
	CHECK_INT(parse_ms("0"), 0);
	CHECK_INT(parse_ms("-5s"), -5000);
	CHECK_INT(parse_ms("1500us"), 1);
	CHECK_INT(parse_ms("1000000ns"), 1);
	CHECK_INT(parse_ms(".5s"), 500);
	int64_t v;
	CHECK_INT(duration_parse("", &v), ERR_INVALID);
	CHECK_INT(duration_parse("10", &v), ERR_INVALID);
	CHECK_STR(err_msg(), "time: missing unit in duration \"10\"");
	CHECK_INT(duration_parse("1x", &v), ERR_INVALID);
	CHECK_STR(err_msg(), "time: unknown unit \"x\" in duration \"1x\"");
	CHECK_INT(duration_parse("s", &v), ERR_INVALID);
	CHECK_INT(duration_parse("1.s1", &v), ERR_INVALID);
	CHECK_INT(duration_parse("3000000h", &v), ERR_TOOBIG);
	CHECK_INT(duration_parse("99999999999999999999s", &v), ERR_TOOBIG);
}

TEST(go_duration_format)
{
	char b[32];
	CHECK_STR(duration_format(b, sizeof(b), 0), "0s");
	CHECK_STR(duration_format(b, sizeof(b), 500), "500ms");
	CHECK_STR(duration_format(b, sizeof(b), 1500), "1.5s");
	CHECK_STR(duration_format(b, sizeof(b), 60000), "1m0s");
	CHECK_STR(duration_format(b, sizeof(b), 90000), "1m30s");
	CHECK_STR(duration_format(b, sizeof(b), 3600000), "1h0m0s");
	CHECK_STR(duration_format(b, sizeof(b), 3723004), "1h2m3.004s");
	CHECK_STR(duration_format(b, sizeof(b), -2000), "-2s");
	for (int i = 0; i < 100; i++) {
		int64_t j = rt_duration_jitter(1000, 0.05);
		CHECK(j >= 1000 && j < 1050);
	}
	CHECK_INT(rt_duration_jitter(1000, 0), 1000);
}

static char *get_now(struct rt_queue *q)
{
	char *k = NULL;
	REQUIRE(rt_queue_len(q) > 0);
	REQUIRE(rt_queue_get(q, &k) == 0);
	return k;
}

TEST(queue_dedup)
{
	struct rt_queue *q = rt_queue_new("t", NULL);
	rt_queue_add(q, "a/x");
	rt_queue_add(q, "a/x");
	rt_queue_add(q, "a/y");
	CHECK_INT(rt_queue_len(q), 2);
	char *k = get_now(q);
	CHECK_STR(k, "a/x");
	/* Added while processing: not handed to another worker, queued again at done. */
	rt_queue_add(q, "a/x");
	rt_queue_add(q, "a/x");
	CHECK_INT(rt_queue_len(q), 1);
	rt_queue_done(q, k);
	free(k);
	CHECK_INT(rt_queue_len(q), 2);
	k = get_now(q);
	CHECK_STR(k, "a/y");
	rt_queue_done(q, k);
	free(k);
	k = get_now(q);
	CHECK_STR(k, "a/x");
	rt_queue_done(q, k);
	free(k);
	CHECK_INT(rt_queue_len(q), 0);
	rt_queue_free(q);
}

TEST(queue_delayed)
{
	struct rt_queue *q = rt_queue_new("t", NULL);
	rt_queue_add_after(q, "later", 300);
	rt_queue_add_after(q, "sooner", 50);
	rt_queue_add_after(q, "sooner", 5000); /* the earliest pending delay wins */
	CHECK_INT(rt_queue_len(q), 0);
	CHECK_INT(rt_queue_delayed(q), 2);
	int64_t t0 = clock_mono_ms();
	char *k = NULL;
	REQUIRE(rt_queue_get(q, &k) == 0);
	int64_t t1 = clock_mono_ms();
	CHECK_STR(k, "sooner");
	CHECK(t1 - t0 >= 40 && t1 - t0 < 1000);
	rt_queue_done(q, k);
	free(k);
	REQUIRE(rt_queue_get(q, &k) == 0);
	CHECK_STR(k, "later");
	CHECK(clock_mono_ms() - t0 >= 290);
	rt_queue_done(q, k);
	free(k);
	/* An immediate add of a delayed key: ready now, and the delay does not run it twice
	 * while it is still queued. */
	rt_queue_add_after(q, "k", 30);
	rt_queue_add(q, "k");
	CHECK_INT(rt_queue_len(q), 1);
	usleep(50000);
	CHECK_INT(rt_queue_len(q), 1);
	rt_queue_free(q);
}

TEST(queue_backoff)
{
	struct rt_queue *q = rt_queue_new("t", NULL);
	CHECK_INT(rt_queue_add_backoff(q, "k"), 5);
	CHECK_INT(rt_queue_add_backoff(q, "k"), 10);
	CHECK_INT(rt_queue_add_backoff(q, "k"), 20);
	CHECK_INT(rt_queue_retries(q, "k"), 3);
	for (int i = 0; i < 30; i++)
		rt_queue_add_backoff(q, "k");
	CHECK_INT(rt_queue_add_backoff(q, "k"), 1000 * 1000);
	rt_queue_forget(q, "k");
	CHECK_INT(rt_queue_retries(q, "k"), 0);
	CHECK_INT(rt_queue_add_backoff(q, "k"), 5);
	CHECK_INT(rt_queue_add_backoff(q, "other"), 5);
	rt_queue_free(q);
}

static void *shutdown_later(void *p)
{
	usleep(50000);
	rt_queue_shutdown(p);
	return NULL;
}

TEST(queue_shutdown_and_metrics)
{
	struct rt_metrics *m = rt_metrics_new();
	struct rt_queue *q = rt_queue_new("gitrepository", &(struct rt_queue_opts){ .metrics = m });
	rt_queue_add(q, "a");
	rt_queue_add(q, "b");
	rt_queue_add(q, "a");
	const char *v[] = { "gitrepository" };
	CHECK(rt_metric_value(rt_metrics_gauge(m, "workqueue_depth", "", NULL), v) == 2);
	CHECK(rt_metric_value(rt_metrics_counter(m, "workqueue_adds_total", "", NULL), v) == 3);
	char *k;
	REQUIRE(rt_queue_get(q, &k) == 0);
	rt_queue_done(q, k);
	free(k);
	REQUIRE(rt_queue_get(q, &k) == 0);
	rt_queue_done(q, k);
	free(k);
	pthread_t t;
	pthread_create(&t, NULL, shutdown_later, q);
	CHECK_INT(rt_queue_get(q, &k), 1);
	pthread_join(t, NULL);
	struct buf b = BUF_INIT;
	rt_metrics_process(m, 0);
	rt_metrics_write(m, &b);
	CHECK(strstr(b.ptr, "workqueue_depth{name=\"gitrepository\"} 0\n") != NULL);
	CHECK(strstr(b.ptr, "workqueue_adds_total{name=\"gitrepository\"} 3\n") != NULL);
	CHECK(strstr(b.ptr, "workqueue_queue_duration_seconds_count{name=\"gitrepository\"} 2\n") != NULL);
	CHECK(strstr(b.ptr, "workqueue_unfinished_work_seconds{name=\"gitrepository\"} 0\n") != NULL);
	CHECK(strstr(b.ptr, "workqueue_longest_running_processor_seconds{name=\"gitrepository\"} 0\n") != NULL);
	buf_release(&b);
	rt_queue_free(q);
	rt_metrics_free(m);
}

TEST(queue_unfinished_work)
{
	struct rt_metrics *m = rt_metrics_new();
	rt_metrics_process(m, 0);
	struct rt_queue *q = rt_queue_new("k", &(struct rt_queue_opts){ .metrics = m });
	rt_queue_add(q, "a");
	char *k;
	REQUIRE(rt_queue_get(q, &k) == 0);
	usleep(60000);
	struct buf b = BUF_INIT;
	rt_metrics_write(m, &b);
	const char *p = strstr(b.ptr, "workqueue_longest_running_processor_seconds{name=\"k\"} ");
	REQUIRE(p);
	double v = strtod(p + strlen("workqueue_longest_running_processor_seconds{name=\"k\"} "), NULL);
	CHECK(v >= 0.05 && v < 5);
	rt_queue_done(q, k);
	free(k);
	buf_reset(&b);
	rt_metrics_write(m, &b);
	CHECK(strstr(b.ptr, "workqueue_longest_running_processor_seconds{name=\"k\"} 0\n") != NULL);
	buf_release(&b);
	rt_queue_free(q);
	buf_init(&b, 0);
	rt_metrics_write(m, &b); /* the freed queue's collector is gone */
	buf_release(&b);
	rt_metrics_free(m);
}

static int hello(void *ud, const struct rt_http_request *req, struct rt_http_response *resp)
{
	(void)ud;
	const char *who = rt_http_query(req, "who");
	buf_addf(&resp->body, "hello %s at %s via %s", who ? who : "nobody", req->path, req->route);
	resp->headers[0] = "X-Test";
	resp->headers[1] = "yes";
	return 0;
}

static int file(void *ud, const struct rt_http_request *req, struct rt_http_response *resp)
{
	(void)req;
	int fd = open(ud, O_RDONLY);
	if (fd < 0) {
		resp->status = 404;
		return 0;
	}
	resp->fd = fd;
	resp->fd_size = 11;
	resp->content_type = "application/octet-stream";
	return 0;
}

/* The response's header lines and body, into out; the HTTP status. */
static long fetch(int port, const char *method, const char *path, struct buf *out)
{
	return fixture_http(port, method, path, out, true);
}

TEST(http_server)
{
	struct rt_http *s;
	CHECK_INT(rt_http_new(&s, "nope"), ERR_INVALID);
	CHECK_INT(rt_http_new(&s, "127.0.0.1:99999"), ERR_INVALID);
	REQUIRE(rt_http_new(&s, "127.0.0.1:0") == 0);
	char *dir = fixture_tmpdir("rt-http");
	fixture_write(dir, "f", "hello file!");
	char *path = xasprintf("%s/f", dir);
	rt_http_route(s, "/hello", hello, NULL);
	rt_http_route(s, "/files/", file, path);
	rt_http_route(s, "/files/special/", hello, NULL);
	REQUIRE(rt_http_start(s) == 0);
	int port = rt_http_port(s);
	CHECK(port > 0);
	struct buf b = BUF_INIT;
	CHECK_INT(fetch(port, "GET", "/hello?who=me", &b), 200);
	CHECK(strstr(b.ptr, "\r\nX-Test: yes\r\n") != NULL);
	CHECK(strstr(b.ptr, "hello me at /hello via /hello") != NULL);
	buf_reset(&b);
	CHECK_INT(fetch(port, "GET", "/hello/x", &b), 404);
	buf_reset(&b);
	CHECK_INT(fetch(port, "GET", "/files/a/b", &b), 200);
	CHECK(strstr(b.ptr, "Content-Type: application/octet-stream") != NULL);
	CHECK(strstr(b.ptr, "\r\n\r\nhello file!") != NULL);
	buf_reset(&b);
	CHECK_INT(fetch(port, "GET", "/files/special/x", &b), 200); /* the longest prefix wins */
	CHECK(strstr(b.ptr, "via /files/special/") != NULL);
	buf_reset(&b);
	CHECK_INT(fetch(port, "HEAD", "/files/a", &b), 200);
	CHECK(strstr(b.ptr, "hello file!") == NULL);
	buf_reset(&b);
	CHECK_INT(fetch(port, "POST", "/hello", &b), 405);
	buf_release(&b);
	struct rt_http *s2;
	char addr[64];
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
	REQUIRE(rt_http_new(&s2, addr) == 0);
	CHECK_INT(rt_http_start(s2), ERR_IO); /* in use */
	rt_http_free(s2);
	rt_http_free(s);
	free(path);
	fixture_rmdir(dir);
}

static const char *yaml_of(struct arena *a, const struct doc_node *n)
{
	struct buf b = BUF_INIT;
	doc_emit_yaml(&b, n, 0);
	const char *s = arena_strdup(a, b.ptr);
	buf_release(&b);
	return s;
}

TEST(conditions_set)
{
	struct arena *a = arena_new();
	struct doc_node *obj = fixture_yaml(a, "metadata:\n  name: x\n  generation: 3\n");
	REQUIRE(obj);
	rt_cond_set_clock(1000000000); /* 2001-09-09T01:46:40Z */
	rt_cond_mark_true(a, obj, "ArtifactInStorage", "Succeeded", "stored artifact for %s", "rev");
	rt_cond_mark_reconciling(a, obj, "Progressing", "reconciliation in progress");
	rt_cond_mark_false(a, obj, RT_COND_READY, "GitOperationFailed", "failed");
	CHECK_STR(yaml_of(a, obj),
		  "metadata:\n  name: x\n  generation: 3\nstatus:\n  conditions:\n"
		  "  - type: Reconciling\n    status: \"True\"\n    observedGeneration: 3\n"
		  "    lastTransitionTime: \"2001-09-09T01:46:40Z\"\n    reason: Progressing\n"
		  "    message: reconciliation in progress\n"
		  "  - type: Ready\n    status: \"False\"\n    observedGeneration: 3\n"
		  "    lastTransitionTime: \"2001-09-09T01:46:40Z\"\n    reason: GitOperationFailed\n"
		  "    message: failed\n"
		  "  - type: ArtifactInStorage\n    status: \"True\"\n    observedGeneration: 3\n"
		  "    lastTransitionTime: \"2001-09-09T01:46:40Z\"\n    reason: Succeeded\n"
		  "    message: stored artifact for rev\n");
	/* Same state later: lastTransitionTime kept; a new message: it moves. */
	rt_cond_set_clock(1000000060);
	rt_cond_mark_false(a, obj, RT_COND_READY, "GitOperationFailed", "failed");
	struct rt_condition c;
	REQUIRE(rt_cond_get(obj, RT_COND_READY, &c));
	CHECK_STR(c.last_transition_time, "2001-09-09T01:46:40Z");
	rt_cond_mark_false(a, obj, RT_COND_READY, "GitOperationFailed", "failed again");
	REQUIRE(rt_cond_get(obj, RT_COND_READY, &c));
	CHECK_STR(c.last_transition_time, "2001-09-09T01:47:40Z");
	CHECK(rt_cond_is_false(obj, RT_COND_READY));
	CHECK(!rt_cond_is_ready(obj));
	/* Stalled replaces Reconciling and sorts first. */
	rt_cond_mark_stalled(a, obj, "InvalidURL", "bad url");
	CHECK(!rt_cond_get(obj, RT_COND_RECONCILING, NULL));
	CHECK_STR(doc_get_str(obj, "status.conditions[0].type"), "Stalled");
	rt_cond_mark_reconciling(a, obj, "Progressing", "again");
	CHECK(!rt_cond_get(obj, RT_COND_STALLED, NULL));
	rt_cond_delete(obj, RT_COND_RECONCILING);
	rt_cond_mark_true(a, obj, RT_COND_READY, "Succeeded", "ok");
	CHECK(rt_cond_is_ready(obj));
	CHECK_INT(doc_get(obj, "status.conditions")->u.seq.len, 2);
	/* Long messages are cut as Flux cuts them. */
	char *big = malloc(40000);
	memset(big, 'x', 39999);
	big[39999] = 0;
	rt_cond_mark_false(a, obj, RT_COND_READY, "Failed", "%s", big);
	free(big);
	REQUIRE(rt_cond_get(obj, RT_COND_READY, &c));
	CHECK_INT(strlen(c.message), 32768);
	CHECK(!strcmp(c.message + 32765, "..."));
	/* An empty message is "", never null: the CRDs reject a null message. */
	rt_cond_mark_false(a, obj, RT_COND_READY, "Failed", "%s", "");
	REQUIRE(rt_cond_get(obj, RT_COND_READY, &c));
	CHECK_STR(c.message, "");
	const struct doc_node *conds = doc_get(obj, "status.conditions");
	for (size_t i = 0; i < conds->u.seq.len; i++) {
		const struct doc_node *m = doc_map_get(conds->u.seq.items[i], "message");
		CHECK(m && m->kind == DOC_STR && m->u.str.ptr);
	}
	rt_cond_set_clock(0);
	arena_free(a);
}

TEST(metrics_text)
{
	struct rt_metrics *m = rt_metrics_new();
	rt_metrics_process(m, 0);
	static const char *const l3[] = { "kind", "name", "namespace", NULL };
	struct rt_metric *h = rt_metrics_histogram(m, "gotk_reconcile_duration_seconds",
						   "The duration in seconds of a GitOps Toolkit resource reconciliation.",
						   l3, (const double[]){ 0.5, 1 }, 2);
	struct rt_metric *g = rt_metrics_gauge(m, "gotk_suspend_status", "The current suspend status of a GitOps Toolkit resource.", l3);
	const char *v[] = { "GitRepository", "podinfo", "flux-system" };
	rt_metric_observe(h, v, 0.25);
	rt_metric_observe(h, v, 0.75);
	rt_metric_set(g, v, 1);
	const char *w[] = { "GitRepository", "a\"b\\c\nd", "ns" };
	rt_metric_set(g, w, 0);
	struct buf b = BUF_INIT;
	rt_metrics_write(m, &b);
	CHECK_STR(b.ptr,
		  "# HELP gotk_reconcile_duration_seconds The duration in seconds of a GitOps Toolkit resource reconciliation.\n"
		  "# TYPE gotk_reconcile_duration_seconds histogram\n"
		  "gotk_reconcile_duration_seconds_bucket{kind=\"GitRepository\",name=\"podinfo\",namespace=\"flux-system\",le=\"0.5\"} 1\n"
		  "gotk_reconcile_duration_seconds_bucket{kind=\"GitRepository\",name=\"podinfo\",namespace=\"flux-system\",le=\"1\"} 2\n"
		  "gotk_reconcile_duration_seconds_bucket{kind=\"GitRepository\",name=\"podinfo\",namespace=\"flux-system\",le=\"+Inf\"} 2\n"
		  "gotk_reconcile_duration_seconds_sum{kind=\"GitRepository\",name=\"podinfo\",namespace=\"flux-system\"} 1\n"
		  "gotk_reconcile_duration_seconds_count{kind=\"GitRepository\",name=\"podinfo\",namespace=\"flux-system\"} 2\n"
		  "# HELP gotk_suspend_status The current suspend status of a GitOps Toolkit resource.\n"
		  "# TYPE gotk_suspend_status gauge\n"
		  "gotk_suspend_status{kind=\"GitRepository\",name=\"a\\\"b\\\\c\\nd\",namespace=\"ns\"} 0\n"
		  "gotk_suspend_status{kind=\"GitRepository\",name=\"podinfo\",namespace=\"flux-system\"} 1\n");
	rt_metric_delete_matching(g, "name", "podinfo");
	rt_metric_delete(h, v);
	buf_reset(&b);
	rt_metrics_write(m, &b);
	CHECK(!strstr(b.ptr, "podinfo"));
	/* Process metrics. */
	rt_metrics_process(m, 1);
	rt_metrics_counter(m, "a_total", "first", NULL);
	buf_reset(&b);
	rt_metrics_write(m, &b);
	CHECK(strstr(b.ptr, "\nprocess_resident_memory_bytes ") != NULL);
	CHECK(strstr(b.ptr, "\nprocess_start_time_seconds ") != NULL);
	CHECK(strstr(b.ptr, "# TYPE process_cpu_seconds_total counter\n") != NULL);
	CHECK(strstr(b.ptr, "a_total 0") == NULL); /* no series yet, only HELP/TYPE */
	CHECK(strstr(b.ptr, "# TYPE a_total counter\n") == b.ptr + strlen("# HELP a_total first\n"));
	buf_release(&b);
	rt_metrics_free(m);
}

int main(void)
{
	RUN(go_duration_parse);
	RUN(go_duration_format);
	RUN(queue_dedup);
	RUN(queue_delayed);
	RUN(queue_backoff);
	RUN(queue_shutdown_and_metrics);
	RUN(queue_unfinished_work);
	RUN(http_server);
	RUN(conditions_set);
	RUN(metrics_text);
	return test_done();
}
