/* net/http: the handle pool, and the capped GET against a one-shot HTTP server on loopback (a thread serving one
 * canned response per connection), refused connections, other protocols, time limits. */
#include "test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/http.h"
#include "util/buf.h"
#include "util/error.h"

struct server {
	int fd, port;
	const char *response; /* NULL: accept, read, never answer (until the client gives up) */
	char request[2048];
	pthread_t thread;
};

static void *serve_one(void *ud)
{
	struct server *s = ud;
	int c = accept(s->fd, NULL, NULL);
	if (c < 0)
		return NULL;
	ssize_t n = read(c, s->request, sizeof s->request - 1);
	s->request[n > 0 ? n : 0] = '\0';
	if (s->response) {
		size_t len = strlen(s->response);
		if (write(c, s->response, len) != (ssize_t)len) {
		}
	} else {
		char sink[256];
		while (read(c, sink, sizeof sink) > 0)
			;
	}
	close(c);
	return NULL;
}

static void server_start(struct server *s, const char *response)
{
	memset(s, 0, sizeof *s);
	s->response = response;
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof a;
	if (bind(s->fd, (struct sockaddr *)&a, sizeof a) || listen(s->fd, 1) ||
	    getsockname(s->fd, (struct sockaddr *)&a, &alen))
		abort();
	s->port = ntohs(a.sin_port);
	pthread_create(&s->thread, NULL, serve_one, s);
}

static void server_stop(struct server *s)
{
	pthread_join(s->thread, NULL);
	close(s->fd);
}

static void url_of(char *out, size_t n, const struct server *s, const char *path)
{
	snprintf(out, n, "http://127.0.0.1:%d%s", s->port, path);
}

/* Serves response (NULL: none) once on a fresh server s, GETs path from it with o and cap
 * into b (appended) and res, and stops the server; net_get's code. s->request holds what the
 * client sent. */
static int serve_get(struct server *s, const char *response, const char *path,
		     const struct net_opts *o, size_t cap, struct buf *b, struct net_get_result *res)
{
	char url[64];
	server_start(s, response);
	url_of(url, sizeof url, s, path);
	int rc = net_get(b, url, o, cap, res);
	server_stop(s);
	return rc;
}

TEST(get_body_and_status)
{
	struct server s;
	struct net_opts o = { .user_agent = "tide-test/1", .timeout_ms = 5000 };
	struct net_get_result res;
	struct buf b = BUF_INIT;
	CHECK(serve_get(&s, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
			"/a.tar.gz", &o, 100, &b, &res) == 0);
	CHECK(res.status == 200);
	CHECK_STR(b.ptr, "hello");
	CHECK(strstr(s.request, "GET /a.tar.gz HTTP/1.1\r\n") == s.request);
	CHECK(strstr(s.request, "User-Agent: tide-test/1\r\n") != NULL);
	buf_release(&b);
}

TEST(status_is_the_callers)
{
	struct server s;
	struct net_opts o = { .timeout_ms = 5000 };
	struct net_get_result res;
	struct buf b = BUF_INIT;
	CHECK(serve_get(&s, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
			"/missing", &o, 100, &b, &res) == 0);
	CHECK(res.status == 404);
	buf_release(&b);
}

TEST(body_over_the_cap)
{
	static const char ten[] = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789";
	struct server s;
	struct net_opts o = { .timeout_ms = 5000 };
	struct net_get_result res;
	struct buf b = BUF_INIT;
	buf_adds(&b, "kept:"); /* appended to, and the cap counts only the body */
	CHECK(serve_get(&s, ten, "/", &o, 9, &b, &res) == ERR_TOOBIG);
	CHECK(strstr(err_msg(), "larger than 9 bytes") != NULL);
	buf_release(&b);
	buf_adds(&b, "kept:");
	CHECK(serve_get(&s, ten, "/", &o, 10, &b, &res) == 0);
	CHECK_STR(b.ptr, "kept:0123456789");
	buf_release(&b);
}

TEST(refused_and_other_protocols)
{
	struct net_opts o = { .timeout_ms = 5000 };
	struct net_get_result res;
	struct buf b = BUF_INIT;
	CHECK(net_get(&b, "http://127.0.0.1:1/", &o, 100, &res) == ERR_UNAVAIL);
	CHECK(res.status == 0 && res.detail[0] != '\0');
	CHECK(net_get(&b, "file:///etc/passwd", &o, 100, &res) == ERR_UNAVAIL);
	CHECK(b.len == 0);
	buf_release(&b);
}

TEST(time_limit)
{
	struct server s;
	struct net_opts o = { .timeout_ms = 200 };
	struct net_get_result res;
	struct buf b = BUF_INIT;
	CHECK(serve_get(&s, NULL, "/slow", &o, 100, &b, &res) == ERR_TIMEOUT);
	CHECK(res.detail[0] != '\0');
	buf_release(&b);
}

TEST(pool_reuses_handles)
{
	struct net_pool *pool = net_pool_new();
	struct server s;
	server_start(&s, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
	char url[64];
	url_of(url, sizeof url, &s, "/");
	CURL *h = net_pool_take(pool);
	struct net_opts o = { .timeout_ms = 5000 };
	net_handle_setup(h, &o);
	curl_easy_setopt(h, CURLOPT_URL, url);
	CHECK(curl_easy_perform(h) == CURLE_OK);
	server_stop(&s);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	CHECK(status == 204);
	net_pool_give(pool, h);
	CURL *again = net_pool_take(pool);
	CHECK(again == h); /* the idle handle, reset */
	CURL *other = net_pool_take(pool);
	CHECK(other != h);
	net_pool_give(pool, again);
	net_pool_give(pool, other);
	net_pool_free(pool);
}

int main(void)
{
	RUN(get_body_and_status);
	RUN(status_is_the_callers);
	RUN(body_over_the_cap);
	RUN(refused_and_other_protocols);
	RUN(time_limit);
	RUN(pool_reuses_handles);
	return test_done();
}
