/* Unit tests for the REST client without a cluster: the rate limiter, Status -> error
 * mapping, the watch-stream decoder on canned bytes, and the transport (retries, caps,
 * headers, paging, discovery, watch) against a tiny HTTP/1.1 server on loopback. */
#include "test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "doc/doc.h"
#include "kube/client.h"
#include "kube/config.h"
#include "kube/mapper.h"
#include "kube/ratelimit.h"
#include "kube/status.h"
#include "kube/watch.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"

/* ---- Rate limiter -----------------------------------------------------------------------*/

TEST(ratelimit_bucket)
{
	struct ratelimit rl;
	ratelimit_init(&rl, 10, 3);
	int64_t t = 1000000000;
	CHECK_INT(ratelimit_reserve(&rl, t), 0);
	CHECK_INT(ratelimit_reserve(&rl, t), 0);
	CHECK_INT(ratelimit_reserve(&rl, t), 0);
	/* bucket empty: the 4th waits 100 ms, the 5th 200 ms */
	CHECK_INT(ratelimit_reserve(&rl, t) / 1000000, 100);
	CHECK_INT(ratelimit_reserve(&rl, t) / 1000000, 200);
	/* after a long pause the bucket refills to burst, no more */
	t += 10LL * 1000000000;
	for (int i = 0; i < 3; i++)
		CHECK_INT(ratelimit_reserve(&rl, t), 0);
	CHECK(ratelimit_reserve(&rl, t) > 0);
	ratelimit_release(&rl);
	ratelimit_init(&rl, -1, 0); /* unlimited */
	for (int i = 0; i < 1000; i++)
		CHECK_INT(ratelimit_reserve(&rl, t), 0);
	ratelimit_release(&rl);
}

TEST(ratelimit_wait_paces)
{
	struct ratelimit rl;
	ratelimit_init(&rl, 100, 1);
	int64_t start = ratelimit_now_ns();
	for (int i = 0; i < 6; i++)
		ratelimit_wait(&rl);
	int64_t ms = (ratelimit_now_ns() - start) / 1000000;
	CHECK(ms >= 45); /* 5 waits of 10 ms */
	CHECK(ms < 1000);
	ratelimit_release(&rl);
}

/* ---- Status mapping ---------------------------------------------------------------------*/

TEST(status_codes)
{
	CHECK_INT(kube_status_code(404, "NotFound"), ERR_NOTFOUND);
	CHECK_INT(kube_status_code(409, "AlreadyExists"), ERR_CONFLICT);
	CHECK_INT(kube_status_code(409, NULL), ERR_CONFLICT);
	CHECK_INT(kube_status_code(410, "Expired"), ERR_GONE);
	CHECK_INT(kube_status_code(422, "Invalid"), ERR_INVALID);
	CHECK_INT(kube_status_code(400, NULL), ERR_INVALID);
	CHECK_INT(kube_status_code(401, NULL), ERR_AUTH);
	CHECK_INT(kube_status_code(403, "Forbidden"), ERR_AUTH);
	CHECK_INT(kube_status_code(504, NULL), ERR_TIMEOUT);
	CHECK_INT(kube_status_code(500, "Timeout"), ERR_TIMEOUT);
	CHECK_INT(kube_status_code(429, NULL), ERR_UNAVAIL);
	CHECK_INT(kube_status_code(503, NULL), ERR_UNAVAIL);
	CHECK_INT(kube_status_code(501, NULL), ERR_UNSUPPORTED);
	CHECK_INT(kube_status_code(413, NULL), ERR_TOOBIG);
}

TEST(status_messages)
{
	const char *forbidden =
		"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
		"\"message\":\"configmaps \\\"x\\\" is forbidden: User \\\"tide-tester\\\" cannot "
		"get resource \\\"configmaps\\\" in API group \\\"\\\" in the namespace "
		"\\\"default\\\"\",\"reason\":\"Forbidden\",\"details\":{\"name\":\"x\","
		"\"kind\":\"configmaps\"},\"code\":403}";
	CHECK_INT(kube_status_error(403, forbidden, strlen(forbidden), "GET x"), ERR_AUTH);
	CHECK_STR(err_msg(), "configmaps \"x\" is forbidden: User \"tide-tester\" cannot get "
			     "resource \"configmaps\" in API group \"\" in the namespace \"default\"");
	const char *unauth = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
			     "\"status\":\"Failure\",\"message\":\"Unauthorized\","
			     "\"reason\":\"Unauthorized\",\"code\":401}";
	CHECK_INT(kube_status_error(401, unauth, strlen(unauth), "GET x"), ERR_AUTH);
	CHECK_STR(err_msg(), "Unauthorized");
	CHECK_INT(kube_status_error(502, "<html>bad gateway</html>", 24, "GET https://h/x"),
		  ERR_UNAVAIL);
	CHECK(strstr(err_msg(), "502") != NULL);
	CHECK(strstr(err_msg(), "GET https://h/x") != NULL);
	CHECK_INT(kube_status_error(404, "", 0, "GET https://h/y"), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "could not find the requested resource") != NULL);
}

/* ---- Watch decoder ----------------------------------------------------------------------*/

struct collected {
	struct buf log;
	int stop_after;
	int seen;
	struct arena *kept;
};

static int collect(void *ud, struct kube_event *ev)
{
	struct collected *c = ud;
	static const char *names[] = { "ADDED", "MODIFIED", "DELETED", "BOOKMARK" };
	const char *name = doc_get_str(ev->object, "metadata.name");
	buf_addf(&c->log, "%s %s %s;", names[ev->type], name ? name : "-", ev->resource_version);
	c->seen++;
	if (c->seen == 1 && !c->kept) {
		c->kept = ev->arena; /* keep the first event's tree */
		ev->arena = NULL;
	}
	return c->stop_after && c->seen >= c->stop_after ? 1 : 0;
}

static const char *stream =
	"{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\","
	"\"resourceVersion\":\"10\"},\"data\":{\"k\":\"}{\\\"[\"}}}\n"
	"{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"a\",\"resourceVersion\":"
	"\"11\"}}}\n"
	"{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"12\"}}}\n"
	"{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"a\",\"resourceVersion\":"
	"\"13\"},\"x\":[1,[2,{}]]}}\n";

static const char *stream_want = "ADDED a 10;MODIFIED a 11;BOOKMARK - 12;DELETED a 13;";

TEST(watch_decoder_every_split)
{
	size_t n = strlen(stream);
	for (size_t split = 0; split <= n; split++) {
		struct collected c = { BUF_INIT, 0, 0, NULL };
		struct watch_decoder d;
		watch_decoder_init(&d, 0, collect, &c);
		CHECK_INT(watch_decoder_feed(&d, stream, split), 0);
		CHECK_INT(watch_decoder_feed(&d, stream + split, n - split), 0);
		CHECK_INT(watch_decoder_finish(&d), 0);
		CHECK_STR(c.log.ptr, stream_want);
		REQUIRE(c.kept != NULL);
		watch_decoder_release(&d);
		buf_release(&c.log);
		arena_free(c.kept);
	}
	/* byte by byte, and without newlines between events */
	struct collected c = { BUF_INIT, 0, 0, NULL };
	struct watch_decoder d;
	watch_decoder_init(&d, 0, collect, &c);
	for (size_t i = 0; i < n; i++)
		if (stream[i] != '\n')
			CHECK_INT(watch_decoder_feed(&d, stream + i, 1), 0);
	CHECK_STR(c.log.ptr, stream_want);
	watch_decoder_release(&d);
	buf_release(&c.log);
	arena_free(c.kept);
}

TEST(watch_decoder_errors)
{
	struct collected c = { BUF_INIT, 0, 0, NULL };
	struct watch_decoder d;
	/* an ERROR event with 410 -> ERR_GONE with the server's message */
	const char *gone = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":"
			   "\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old "
			   "resource version: 1 (200)\",\"reason\":\"Expired\",\"code\":410}}\n";
	watch_decoder_init(&d, 0, collect, &c);
	CHECK_INT(watch_decoder_feed(&d, gone, strlen(gone)), ERR_GONE);
	CHECK_STR(err_msg(), "too old resource version: 1 (200)");
	watch_decoder_release(&d);
	/* an event over the cap */
	watch_decoder_init(&d, 64, collect, &c);
	CHECK_INT(watch_decoder_feed(&d, stream, strlen(stream)), ERR_TOOBIG);
	watch_decoder_release(&d);
	/* garbage between events */
	watch_decoder_init(&d, 0, collect, &c);
	CHECK_INT(watch_decoder_feed(&d, "xyz", 3), ERR_INVALID);
	watch_decoder_release(&d);
	/* stream cut inside an event */
	watch_decoder_init(&d, 0, collect, &c);
	CHECK_INT(watch_decoder_feed(&d, stream, 20), 0);
	CHECK_INT(watch_decoder_finish(&d), ERR_UNAVAIL);
	watch_decoder_release(&d);
	/* the callback asks to stop */
	struct collected s = { BUF_INIT, 2, 0, NULL };
	watch_decoder_init(&d, 0, collect, &s);
	CHECK(watch_decoder_feed(&d, stream, strlen(stream)) > 0);
	CHECK_INT(s.seen, 2);
	watch_decoder_release(&d);
	buf_release(&s.log);
	arena_free(s.kept);
	buf_release(&c.log);
	arena_free(c.kept);
}

/* ---- A loopback HTTP/1.1 server ---------------------------------------------------------*/

struct reply {
	int status;
	const char *headers; /* extra header lines, each ending in \r\n, or NULL */
	const char *body;
	size_t body_len;     /* 0 = strlen(body) */
};

typedef void (*handler_fn)(struct reply *out, const char *method, const char *path,
			   const char *headers, int n);

struct server {
	int fd;
	int port;
	pthread_t thread;
	handler_fn handler;
	atomic_int requests;
	pthread_mutex_t lock;
	struct buf seen; /* "METHOD path\n" per request */
	struct buf last_headers;
	atomic_int done;
};

static int read_request(int fd, struct buf *req)
{
	char tmp[4096];
	buf_reset(req);
	for (;;) {
		char *end = strstr(req->ptr, "\r\n\r\n");
		if (end) {
			size_t hdrlen = (size_t)(end - req->ptr) + 4;
			const char *cl = strcasestr(req->ptr, "content-length:");
			size_t want = cl && cl < end ? strtoul(cl + 15, NULL, 10) : 0;
			if (req->len >= hdrlen + want)
				return 0;
		}
		ssize_t n = read(fd, tmp, sizeof(tmp));
		if (n <= 0)
			return -1;
		buf_add(req, tmp, (size_t)n);
	}
}

static void *serve(void *ud)
{
	struct server *s = ud;
	while (!atomic_load(&s->done)) {
		int cfd = accept(s->fd, NULL, NULL);
		if (cfd < 0)
			break;
		struct buf req = BUF_INIT;
		while (read_request(cfd, &req) == 0) {
			char method[16] = "", path[2048] = "";
			if (sscanf(req.ptr, "%15s %2047s", method, path) != 2)
				break;
			int n = atomic_fetch_add(&s->requests, 1) + 1;
			pthread_mutex_lock(&s->lock);
			buf_addf(&s->seen, "%s %s\n", method, path);
			buf_reset(&s->last_headers);
			buf_adds(&s->last_headers, req.ptr);
			pthread_mutex_unlock(&s->lock);
			struct reply r = { 200, NULL, "{}", 0 };
			s->handler(&r, method, path, req.ptr, n);
			size_t bl = r.body_len ? r.body_len : strlen(r.body);
			struct buf resp = BUF_INIT;
			buf_addf(&resp, "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
				 "Content-Length: %zu\r\n%s\r\n", r.status, bl,
				 r.headers ? r.headers : "");
			buf_add(&resp, r.body, bl);
			ssize_t w = write(cfd, resp.ptr, resp.len);
			buf_release(&resp);
			if (w < 0)
				break;
		}
		buf_release(&req);
		close(cfd);
	}
	return NULL;
}

static void server_start(struct server *s, handler_fn h)
{
	memset(s, 0, sizeof(*s));
	s->handler = h;
	pthread_mutex_init(&s->lock, NULL);
	buf_init(&s->seen, 0);
	buf_init(&s->last_headers, 0);
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
	int one = 1;
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(s->fd, 16) != 0)
		abort();
	socklen_t len = sizeof(sa);
	getsockname(s->fd, (struct sockaddr *)&sa, &len);
	s->port = ntohs(sa.sin_port);
	pthread_create(&s->thread, NULL, serve, s);
}

static void server_stop(struct server *s)
{
	atomic_store(&s->done, 1);
	shutdown(s->fd, SHUT_RDWR);
	close(s->fd);
	pthread_join(s->thread, NULL);
	buf_release(&s->seen);
	buf_release(&s->last_headers);
	pthread_mutex_destroy(&s->lock);
}

static struct kube_client *client_for(struct server *s, const struct kube_client_opts *o)
{
	struct kube_config cfg = { 0 };
	char *server = xasprintf("http://127.0.0.1:%d", s ? s->port : 1);
	cfg.server = server;
	cfg.namespace = (char *)"default";
	cfg.token = (char *)"secret-token";
	struct kube_client *c = NULL;
	if (kube_client_new(&c, &cfg, o) != 0)
		abort();
	free(server);
	return c;
}

static const struct kube_resource cm = { "", "v1", "configmaps", "ConfigMap", "configmap",
					 true };

#define STATUS_404                                                                         \
	"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"   \
	"\"configmaps \\\"x\\\" not found\",\"reason\":\"NotFound\",\"code\":404}"

static void h_flaky(struct reply *r, const char *method, const char *path, const char *hdr,
		    int n)
{
	(void)hdr;
	if (strcmp(method, "GET") == 0 && strstr(path, "/configmaps/x") && n == 1) {
		r->status = 503;
		r->headers = "Retry-After: 0\r\n";
		r->body = "{\"kind\":\"Status\",\"message\":\"try later\",\"code\":503}";
	} else if (strstr(path, "/configmaps/x")) {
		r->body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":"
			  "\"x\"}}";
	} else if (strstr(path, "/configmaps/missing")) {
		r->status = 404;
		r->body = STATUS_404;
	} else if (strcmp(method, "POST") == 0) {
		r->status = 500;
		r->body = "{\"kind\":\"Status\",\"message\":\"boom\",\"code\":500}";
	} else if (strstr(path, "/configmaps/big")) {
		static char big[4096];
		memset(big, ' ', sizeof(big));
		big[0] = '{';
		big[sizeof(big) - 1] = '}';
		r->body = big;
		r->body_len = sizeof(big);
	} else if (strstr(path, "/configmaps/busy")) {
		r->status = 429;
		r->headers = "Retry-After: 0\r\n";
		r->body = "{\"kind\":\"Status\",\"message\":\"slow down\",\"reason\":"
			  "\"TooManyRequests\",\"code\":429}";
	}
}

TEST(transport_retries_and_errors)
{
	struct server s;
	server_start(&s, h_flaky);
	struct kube_client_opts o = { .max_backoff_ms = 20, .max_body = 1000 };
	struct kube_client *c = client_for(&s, &o);
	struct arena *a = arena_new();
	struct doc_node *obj = NULL;
	/* 503 with Retry-After, then 200 */
	REQUIRE(kube_get(&obj, c, a, &cm, NULL, "x", NULL) == 0);
	CHECK_STR(doc_get_str(obj, "metadata.name"), "x");
	CHECK_INT(atomic_load(&s.requests), 2);
	CHECK(strstr(s.seen.ptr, "GET /api/v1/namespaces/default/configmaps/x\n") != NULL);
	CHECK(strstr(s.last_headers.ptr, "Authorization: Bearer secret-token") != NULL);
	/* 404 -> the Status message */
	CHECK_INT(kube_get(&obj, c, a, &cm, "ns1", "missing", NULL), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "configmaps \"x\" not found");
	/* POST is not retried on 500 */
	int before = atomic_load(&s.requests);
	struct doc_node *o1 = doc_new_map(a);
	doc_set(a, o1, "apiVersion", doc_new_str(a, "v1"));
	struct kube_request req = { .method = "POST", .path = "/api/v1/namespaces/d/configmaps",
				    .body = "{}", .body_len = 2 };
	struct buf out = BUF_INIT;
	long status = 0;
	CHECK_INT(kube_request(&out, c, &req, &status), ERR_UNAVAIL);
	CHECK_INT(status, 500);
	CHECK_STR(err_msg(), "boom");
	CHECK_INT(atomic_load(&s.requests) - before, 1);
	/* 429 is retried (max_retries + 1 attempts), then reported */
	before = atomic_load(&s.requests);
	CHECK_INT(kube_get(&obj, c, a, &cm, NULL, "busy", NULL), ERR_UNAVAIL);
	CHECK_STR(err_msg(), "slow down");
	CHECK_INT(atomic_load(&s.requests) - before, 5);
	/* response body over the cap */
	CHECK_INT(kube_get(&obj, c, a, &cm, NULL, "big", NULL), ERR_TOOBIG);
	buf_release(&out);
	arena_free(a);
	kube_client_free(c);
	server_stop(&s);
}

TEST(transport_connection_refused)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
	bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	socklen_t len = sizeof(sa);
	getsockname(fd, (struct sockaddr *)&sa, &len);
	int port = ntohs(sa.sin_port);
	close(fd); /* nothing listens there now */
	struct kube_config cfg = { 0 };
	cfg.server = xasprintf("https://127.0.0.1:%d", port);
	struct kube_client_opts o = { .max_retries = -1 };
	struct kube_client *c = NULL;
	REQUIRE(kube_client_new(&c, &cfg, &o) == 0);
	struct arena *a = arena_new();
	struct doc_node *obj;
	CHECK_INT(kube_get(&obj, c, a, &cm, NULL, "x", NULL), ERR_UNAVAIL);
	char *want = xasprintf("cannot reach %s: connection refused", cfg.server);
	CHECK_STR(err_msg(), want);
	free(want);
	free(cfg.server);
	arena_free(a);
	kube_client_free(c);
}

static void h_echo(struct reply *r, const char *method, const char *path, const char *hdr,
		   int n)
{
	(void)method;
	(void)path;
	(void)hdr;
	(void)n;
	r->body = "{\"kind\":\"ConfigMap\"}";
}

TEST(impersonation_and_token_file)
{
	struct server s;
	server_start(&s, h_echo);
	char dir[] = "/tmp/tide-tok-XXXXXX";
	REQUIRE(mkdtemp(dir) != NULL);
	char *tf = xasprintf("%s/token", dir);
	FILE *f = fopen(tf, "w");
	fputs("first\n", f);
	fclose(f);
	struct kube_config cfg = { 0 };
	cfg.server = xasprintf("http://127.0.0.1:%d", s.port);
	cfg.token_file = tf;
	struct kube_client *base = NULL, *imp = NULL;
	REQUIRE(kube_client_new(&base, &cfg, NULL) == 0);
	const char *groups[] = { "system:serviceaccounts", "system:serviceaccounts:apps", NULL };
	REQUIRE(kube_client_impersonate(&imp, base, "system:serviceaccount:apps:deployer",
					groups) == 0);
	struct arena *a = arena_new();
	struct doc_node *obj;
	REQUIRE(kube_get(&obj, imp, a, &cm, "apps", "x", NULL) == 0);
	CHECK(strstr(s.last_headers.ptr, "Authorization: Bearer first\r\n") != NULL);
	CHECK(strstr(s.last_headers.ptr,
		     "Impersonate-User: system:serviceaccount:apps:deployer\r\n") != NULL);
	CHECK(strstr(s.last_headers.ptr, "Impersonate-Group: system:serviceaccounts\r\n") != NULL);
	CHECK(strstr(s.last_headers.ptr, "Impersonate-Group: system:serviceaccounts:apps\r\n") !=
	      NULL);
	/* the base client sends no impersonation headers */
	REQUIRE(kube_get(&obj, base, a, &cm, "apps", "x", NULL) == 0);
	CHECK(strstr(s.last_headers.ptr, "Impersonate-") == NULL);
	/* a rotated token is picked up */
	f = fopen(tf, "w");
	fputs("second-token-longer\n", f);
	fclose(f);
	REQUIRE(kube_get(&obj, base, a, &cm, "apps", "x", NULL) == 0);
	CHECK(strstr(s.last_headers.ptr, "Authorization: Bearer second-token-longer\r\n") != NULL);
	kube_client_free(imp);
	kube_client_free(base);
	arena_free(a);
	unlink(tf);
	rmdir(dir);
	free(cfg.server);
	free(tf);
	server_stop(&s);
}

static void h_pages(struct reply *r, const char *method, const char *path, const char *hdr,
		    int n)
{
	(void)method;
	(void)hdr;
	(void)n;
	if (strstr(path, "continue=tok%2B1")) {
		r->body = "{\"kind\":\"ConfigMapList\",\"apiVersion\":\"v1\",\"metadata\":"
			  "{\"resourceVersion\":\"77\"},\"items\":[{\"metadata\":{\"name\":\"c\"}}]}";
	} else if (strstr(path, "/configmaps?")) {
		r->body = "{\"kind\":\"ConfigMapList\",\"apiVersion\":\"v1\",\"metadata\":"
			  "{\"resourceVersion\":\"70\",\"continue\":\"tok+1\"},\"items\":["
			  "{\"metadata\":{\"name\":\"a\"}},{\"metadata\":{\"name\":\"b\"}}]}";
	} else if (strcmp(path, "/api") == 0) {
		r->body = "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}";
	} else if (strcmp(path, "/apis") == 0) {
		r->body = "{\"kind\":\"APIGroupList\",\"groups\":[{\"name\":\"apps\",\"versions\":"
			  "[{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}],"
			  "\"preferredVersion\":{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}}]}";
	} else if (strcmp(path, "/api/v1") == 0) {
		r->body = "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
			  "{\"name\":\"configmaps\",\"singularName\":\"\",\"namespaced\":true,"
			  "\"kind\":\"ConfigMap\",\"shortNames\":[\"cm\"]},"
			  "{\"name\":\"pods/status\",\"namespaced\":true,\"kind\":\"Pod\"},"
			  "{\"name\":\"namespaces\",\"namespaced\":false,\"kind\":\"Namespace\","
			  "\"shortNames\":[\"ns\"]}]}";
	} else if (strcmp(path, "/apis/apps/v1") == 0) {
		r->body = "{\"kind\":\"APIResourceList\",\"groupVersion\":\"apps/v1\","
			  "\"resources\":[{\"name\":\"deployments\",\"singularName\":\"deployment\","
			  "\"namespaced\":true,\"kind\":\"Deployment\",\"shortNames\":[\"deploy\"]}]}";
	} else {
		r->status = 404;
		r->body = "{\"kind\":\"Status\",\"code\":404}";
	}
}

TEST(list_paging_and_mapper)
{
	struct server s;
	server_start(&s, h_pages);
	struct kube_client *c = client_for(&s, NULL);
	struct arena *a = arena_new();
	struct doc_node *list = NULL;
	struct kube_opts o = { .limit = 2, .label_selector = "app=x,tier!=db" };
	REQUIRE(kube_list(&list, c, a, &cm, NULL, true, &o) == 0);
	CHECK_STR(doc_get_str(list, "kind"), "ConfigMapList");
	CHECK_STR(doc_get_str(list, "metadata.resourceVersion"), "77");
	CHECK_STR(doc_get_str(list, "items[0].metadata.name"), "a");
	CHECK_STR(doc_get_str(list, "items[2].metadata.name"), "c");
	CHECK_STR(doc_get_str(list, "items[2].kind"), "ConfigMap");
	CHECK_STR(doc_get_str(list, "items[1].apiVersion"), "v1");
	CHECK(strstr(s.seen.ptr, "GET /api/v1/configmaps?limit=2&labelSelector=app%3Dx%2Ctier%21"
				 "%3Ddb\n") != NULL);

	const struct kube_resource *r = NULL;
	REQUIRE(kube_mapper_find(&r, c, "v1", "ConfigMap") == 0);
	CHECK_STR(r->resource, "configmaps");
	CHECK_STR(r->singular, "configmap");
	CHECK(r->namespaced);
	REQUIRE(kube_mapper_find(&r, c, "apps/v1", "Deployment") == 0);
	CHECK_STR(r->resource, "deployments");
	REQUIRE(kube_mapper_find(&r, c, "apps", "Deployment") == 0);
	CHECK_STR(r->version, "v1");
	REQUIRE(kube_mapper_find_name(&r, c, "ns") == 0);
	CHECK_STR(r->kind, "Namespace");
	CHECK(!r->namespaced);
	REQUIRE(kube_mapper_find_name(&r, c, "deploy.apps") == 0);
	CHECK_STR(r->kind, "Deployment");
	CHECK_INT(kube_mapper_find_name(&r, c, "pods"), ERR_NOTFOUND);
	int before = atomic_load(&s.requests);
	CHECK_INT(kube_mapper_find(&r, c, "example.com/v1", "Widget"), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "no matches for kind \"Widget\" in version \"example.com/v1\"");
	CHECK(atomic_load(&s.requests) > before); /* discovery was refreshed once */
	CHECK_INT(kube_mapper_find(&r, c, "v1", "Gadget"), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "no matches for kind \"Gadget\" in version \"v1\"");
	arena_free(a);
	kube_client_free(c);
	server_stop(&s);
}

static void h_watch(struct reply *r, const char *method, const char *path, const char *hdr,
		    int n)
{
	(void)method;
	(void)hdr;
	(void)n;
	if (strstr(path, "resourceVersion=1&")) {
		r->body = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"message\":"
			  "\"too old resource version: 1 (5)\",\"reason\":\"Expired\","
			  "\"code\":410}}\n";
	} else {
		r->body = stream;
	}
}

TEST(watch_over_http)
{
	struct server s;
	server_start(&s, h_watch);
	struct kube_client *c = client_for(&s, NULL);
	struct collected col = { BUF_INIT, 0, 0, NULL };
	struct kube_watch_opts o = { .resource_version = "9", .bookmarks = true,
				     .timeout_seconds = 30 };
	REQUIRE(kube_watch(c, &cm, "apps", false, &o, collect, &col) == 0);
	CHECK_STR(col.log.ptr, stream_want);
	CHECK(strstr(s.seen.ptr, "GET /api/v1/namespaces/apps/configmaps?watch=1&resourceVersion=9"
				 "&allowWatchBookmarks=true&timeoutSeconds=30\n") != NULL);
	o.resource_version = "1";
	CHECK_INT(kube_watch(c, &cm, NULL, true, &o, collect, &col), ERR_GONE);
	CHECK_STR(err_msg(), "too old resource version: 1 (5)");
	buf_release(&col.log);
	arena_free(col.kept);
	kube_client_free(c);
	server_stop(&s);
}

int main(void)
{
	RUN(ratelimit_bucket);
	RUN(ratelimit_wait_paces);
	RUN(status_codes);
	RUN(status_messages);
	RUN(watch_decoder_every_split);
	RUN(watch_decoder_errors);
	RUN(transport_retries_and_errors);
	RUN(transport_connection_refused);
	RUN(impersonation_and_token_file);
	RUN(list_paging_and_mapper);
	RUN(watch_over_http);
	return test_done();
}
