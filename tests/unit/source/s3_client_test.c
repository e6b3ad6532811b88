/* source/s3: the S3 client against a scripted HTTP server on loopback (a thread that
 * answers each connection with the next canned response and keeps the request it read):
 * the requests it sends (path and virtual-host addressing, the encoded path and query,
 * the signature headers or none when anonymous), pagination, caps, S3's error bodies, and
 * which failures are retried (5xx, refused connections) and which are not (4xx). The
 * bytes of the signature itself are checked against AWS's SDK in s3rver_test.c. */
#include "test.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "source/s3.h"
#include "util/buf.h"
#include "util/error.h"

#define MAXR 8

struct server {
	int fd, port;
	const char *resp[MAXR];
	size_t nresp, served;
	char *req[MAXR];
	pthread_t thread;
};

static void *serve(void *ud)
{
	struct server *s = ud;
	while (s->served < s->nresp) {
		int c = accept(s->fd, NULL, NULL);
		if (c < 0)
			break;
		struct buf r = BUF_INIT;
		char chunk[4096];
		while (!strstr(r.ptr, "\r\n\r\n")) {
			ssize_t n = read(c, chunk, sizeof chunk);
			if (n <= 0)
				break;
			buf_add(&r, chunk, (size_t)n);
		}
		s->req[s->served] = buf_detach(&r, NULL);
		const char *resp = s->resp[s->served++];
		size_t len = strlen(resp);
		if (send(c, resp, len, MSG_NOSIGNAL) != (ssize_t)len) {
		}
		close(c);
	}
	return NULL;
}

static int bind_loopback(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
		return -1;
	socklen_t al = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &al);
	*port = ntohs(a.sin_port);
	return fd;
}

static void server_start(struct server *s, const char *const *resp, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->fd = bind_loopback(&s->port);
	if (s->fd < 0 || listen(s->fd, 8) != 0) {
		printf("# cannot listen\n");
		exit(1);
	}
	for (size_t i = 0; i < n && i < MAXR; i++)
		s->resp[i] = resp[i];
	s->nresp = n;
	pthread_create(&s->thread, NULL, serve, s);
}

/* Stops the server (whether or not every response was asked for); returns how many were. */
static size_t server_stop(struct server *s)
{
	shutdown(s->fd, SHUT_RDWR);
	pthread_join(s->thread, NULL);
	close(s->fd);
	return s->served;
}

static void server_free(struct server *s)
{
	for (size_t i = 0; i < s->served; i++)
		free(s->req[i]);
}

/* An HTTP/1.1 response with a body (static storage, one per slot). */
static char respbuf[MAXR][8192];
static const char *response(int slot, int status, const char *extra, const char *body)
{
	snprintf(respbuf[slot], sizeof respbuf[slot],
		 "HTTP/1.1 %d X\r\nContent-Length: %zu\r\nConnection: close\r\n%s\r\n%s", status,
		 strlen(body), extra ? extra : "", body);
	return respbuf[slot];
}

static time_t fixed_now(void)
{
	return (time_t)1369353600; /* 20130524T000000Z */
}

static void config(struct s3_config *cfg, int port, char *endpoint, size_t n)
{
	*cfg = (struct s3_config)S3_CONFIG_INIT;
	snprintf(endpoint, n, "127.0.0.1:%d", port);
	cfg->endpoint = endpoint;
	cfg->bucket = "bkt";
	cfg->insecure = true;
	cfg->access_key = "AKIDEXAMPLE";
	cfg->secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	cfg->now = fixed_now;
	cfg->lim.backoff_ms = 1;
	cfg->net.timeout_ms = 10000;
}

static const char page1[] =
	"<ListBucketResult><IsTruncated>true</IsTruncated>"
	"<Contents><Key>dir/a</Key><ETag>&quot;e1&quot;</ETag><Size>1</Size>"
	"<LastModified>2024-01-01T00:00:00.000Z</LastModified></Contents>"
	"<NextContinuationToken>t/1+=</NextContinuationToken></ListBucketResult>";
static const char page2[] =
	"<ListBucketResult><IsTruncated>false</IsTruncated>"
	"<Contents><Key>dir/b%20c</Key><ETag>\"e2\"</ETag><Size>22</Size></Contents>"
	"<EncodingType>url</EncodingType></ListBucketResult>";

TEST(list_path_style_two_pages)
{
	struct server s;
	const char *r[] = { response(0, 200, NULL, page1), response(1, 200, NULL, page2) };
	server_start(&s, r, 2);
	struct s3_config cfg;
	char ep[64];
	config(&cfg, s.port, ep, sizeof ep);
	cfg.lim.max_keys = 1;
	struct s3_client *c;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	struct s3_list l = S3_LIST_INIT;
	int rc = s3_list_objects(c, "dir/", &l);
	CHECK_INT(rc, 0);
	if (rc)
		printf("# %s\n", err_msg());
	CHECK_INT(server_stop(&s), 2);
	REQUIRE(l.n == 2);
	CHECK_STR(l.obj[0].key, "dir/a");
	CHECK_STR(l.obj[0].etag, "e1");
	CHECK_STR(l.obj[0].last_modified, "2024-01-01T00:00:00.000Z");
	CHECK_STR(l.obj[1].key, "dir/b c");
	CHECK_INT(l.obj[1].size, 22);
	CHECK_INT(l.pages, 2);
	CHECK_INT(l.max_page_len, sizeof page1 - 1);
	CHECK(strstr(s.req[0], "GET /bkt/?encoding-type=url&list-type=2&max-keys=1&prefix=dir%2F "
			       "HTTP/1.1\r\n") == s.req[0]);
	CHECK(strstr(s.req[1], "GET /bkt/?continuation-token=t%2F1%2B%3D&encoding-type=url&"
			       "list-type=2&max-keys=1&prefix=dir%2F HTTP/1.1\r\n") == s.req[1]);
	char host[80];
	snprintf(host, sizeof host, "\r\nHost: 127.0.0.1:%d\r\n", s.port);
	CHECK(strstr(s.req[0], host) != NULL);
	CHECK(strstr(s.req[0], "\r\nX-Amz-Date: 20130524T000000Z\r\n") != NULL);
	CHECK(strstr(s.req[0], "\r\nX-Amz-Content-Sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\r\n"));
	CHECK(strstr(s.req[0], "\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/"
			       "us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;"
			       "x-amz-date, Signature=") != NULL);
	CHECK(strstr(s.req[0], "wJalrXUtnFEMI") == NULL);
	CHECK(strstr(s.req[0], "X-Amz-Security-Token") == NULL);
	s3_list_release(&l);
	s3_client_free(c);
	server_free(&s);
}

TEST(anonymous_virtual_host_get)
{
	struct server s;
	const char *r[] = { response(0, 200, "ETag: \"abc123\"\r\n", "hello") };
	server_start(&s, r, 1);
	struct s3_config cfg;
	char ep[64], ct[80];
	config(&cfg, s.port, ep, sizeof ep);
	cfg.access_key = cfg.secret_key = NULL;
	cfg.endpoint = NULL;
	cfg.region = "eu-west-1";
	cfg.addressing = S3_VIRTUAL_HOST;
	snprintf(ct, sizeof ct, "::127.0.0.1:%d", s.port);
	cfg.connect_to = ct;
	struct s3_client *c;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	char path[] = "/tmp/tide-s3-get-XXXXXX";
	int fd = mkstemp(path);
	REQUIRE(fd >= 0);
	struct s3_get_result res;
	int rc = s3_get_object(c, "a b/c+d/../e", fd, &res);
	CHECK_INT(rc, 0);
	if (rc)
		printf("# %s\n", err_msg());
	CHECK_INT(server_stop(&s), 1);
	CHECK_INT(res.status, 200);
	CHECK_INT(res.size, 5);
	CHECK_STR(res.etag, "abc123");
	char got[16] = "";
	CHECK_INT(pread(fd, got, sizeof got - 1, 0), 5);
	CHECK_STR(got, "hello");
	CHECK(strstr(s.req[0], "GET /a%20b/c%2Bd/../e HTTP/1.1\r\n") == s.req[0]);
	CHECK(strstr(s.req[0], "\r\nHost: bkt.s3.eu-west-1.amazonaws.com\r\n") != NULL);
	CHECK(strstr(s.req[0], "Authorization") == NULL);
	CHECK(strstr(s.req[0], "X-Amz-") == NULL);
	close(fd);
	unlink(path);
	s3_client_free(c);
	server_free(&s);
}

static const char no_such_key[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
	"<Message>The specified key does not exist.</Message></Error>";
static const char access_denied[] =
	"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>";
static const char slow_down[] =
	"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";

TEST(retries_5xx_then_succeeds)
{
	struct server s;
	const char *r[] = { response(0, 503, NULL, slow_down), response(1, 502, NULL, "<html>bad gateway"),
			    response(2, 200, "ETag: \"e\"\r\n", "second body") };
	server_start(&s, r, 3);
	struct s3_config cfg;
	char ep[64];
	config(&cfg, s.port, ep, sizeof ep);
	struct s3_client *c;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	char path[] = "/tmp/tide-s3-get-XXXXXX";
	int fd = mkstemp(path);
	REQUIRE(fd >= 0);
	/* Left over from before: emptied. */
	REQUIRE(write(fd, "stale stale stale stale", 23) == 23);
	struct s3_get_result res;
	CHECK_INT(s3_get_object(c, "k", fd, &res), 0);
	CHECK_INT(server_stop(&s), 3);
	CHECK_INT(res.size, 11);
	char got[64] = "";
	CHECK_INT(pread(fd, got, sizeof got - 1, 0), 11);
	CHECK_STR(got, "second body");
	/* Each attempt is signed again. */
	CHECK(strstr(s.req[2], "Authorization: AWS4-HMAC-SHA256") != NULL);
	close(fd);
	unlink(path);
	s3_client_free(c);
	server_free(&s);
}

TEST(no_retry_on_4xx)
{
	struct server s;
	const char *r[] = { response(0, 403, NULL, access_denied), response(1, 200, NULL, page2) };
	server_start(&s, r, 2);
	struct s3_config cfg;
	char ep[64];
	config(&cfg, s.port, ep, sizeof ep);
	struct s3_client *c;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	struct s3_list l = S3_LIST_INIT;
	CHECK_INT(s3_list_objects(c, NULL, &l), ERR_AUTH);
	CHECK_STR(err_msg(), "bucket 'bkt': listing objects: AccessDenied: Access Denied (HTTP 403)");
	CHECK(strstr(err_msg(), "wJalr") == NULL);
	CHECK_INT(server_stop(&s), 1);
	CHECK_INT(l.n, 0);
	s3_list_release(&l);
	s3_client_free(c);
	server_free(&s);

	/* 404 with S3's body, on a GET: not found, the file left empty. */
	const char *r2[] = { response(0, 404, NULL, no_such_key) };
	server_start(&s, r2, 1);
	config(&cfg, s.port, ep, sizeof ep);
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	char path[] = "/tmp/tide-s3-get-XXXXXX";
	int fd = mkstemp(path);
	struct s3_get_result res;
	CHECK_INT(s3_get_object(c, "missing.txt", fd, &res), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "bucket 'bkt': GET object 'missing.txt': NoSuchKey: The specified key "
			     "does not exist. (HTTP 404)");
	CHECK_INT(res.status, 404);
	CHECK_INT(res.size, 0);
	CHECK_INT(lseek(fd, 0, SEEK_END), 0);
	CHECK_INT(server_stop(&s), 1);
	server_free(&s);
	/* A key from a listing goes into messages without its control characters. */
	const char *r2b[] = { response(0, 404, NULL, no_such_key) };
	server_start(&s, r2b, 1);
	s3_client_free(c);
	config(&cfg, s.port, ep, sizeof ep);
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	CHECK_INT(s3_get_object(c, "a\nb\x1b[31m", fd, &res), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "GET object 'a?b?[31m': NoSuchKey") != NULL);
	CHECK(strstr(s.req[0] ? s.req[0] : "", "GET /bkt/a%0Ab%1B%5B31m HTTP/1.1") == s.req[0]);
	CHECK_INT(server_stop(&s), 1);
	close(fd);
	unlink(path);
	s3_client_free(c);
	server_free(&s);

	/* A redirect (the bucket lives in another region) is not followed, nor retried. */
	const char *r3[] = { response(0, 301, "Location: http://elsewhere/\r\n",
				      "<Error><Code>PermanentRedirect</Code><Message>use the other "
				      "endpoint</Message></Error>"),
			     response(1, 200, NULL, page2) };
	server_start(&s, r3, 2);
	config(&cfg, s.port, ep, sizeof ep);
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	CHECK_INT(s3_list_objects(c, NULL, &l), ERR_INVALID);
	CHECK(strstr(err_msg(), "PermanentRedirect") != NULL);
	CHECK_INT(server_stop(&s), 1);
	s3_list_release(&l);
	s3_client_free(c);
	server_free(&s);
}

TEST(gives_up_after_attempts)
{
	struct server s;
	const char *r[] = { response(0, 500, NULL, "<Error><Code>InternalError</Code></Error>"),
			    response(1, 500, NULL, "<Error><Code>InternalError</Code></Error>"),
			    response(2, 500, NULL, "<Error><Code>InternalError</Code></Error>"),
			    response(3, 200, NULL, page2) };
	server_start(&s, r, 4);
	struct s3_config cfg;
	char ep[64];
	config(&cfg, s.port, ep, sizeof ep);
	cfg.lim.attempts = 3;
	struct s3_client *c;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	struct s3_list l = S3_LIST_INIT;
	CHECK_INT(s3_list_objects(c, NULL, &l), ERR_UNAVAIL);
	CHECK_STR(err_msg(), "bucket 'bkt': listing objects: InternalError (HTTP 500)");
	CHECK_INT(server_stop(&s), 3);
	s3_list_release(&l);
	s3_client_free(c);
	server_free(&s);

	/* Nobody listening: refused, retried, then unavailable. */
	int port;
	int fd = bind_loopback(&port); /* bound, never listening: connections are refused */
	REQUIRE(fd >= 0);
	config(&cfg, port, ep, sizeof ep);
	cfg.lim.attempts = 2;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	CHECK_INT(s3_list_objects(c, NULL, &l), ERR_UNAVAIL);
	CHECK(strstr(err_msg(), "bucket 'bkt': listing objects: ") == err_msg());
	close(fd);
	s3_list_release(&l);
	s3_client_free(c);
}

TEST(caps)
{
	/* A page larger than max_page_bytes. */
	struct server s;
	const char *r[] = { response(0, 200, NULL, page1) };
	server_start(&s, r, 1);
	struct s3_config cfg;
	char ep[64];
	config(&cfg, s.port, ep, sizeof ep);
	cfg.lim.max_page_bytes = 64;
	struct s3_client *c;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	struct s3_list l = S3_LIST_INIT;
	CHECK_INT(s3_list_objects(c, NULL, &l), ERR_TOOBIG);
	CHECK_INT(server_stop(&s), 1);
	s3_list_release(&l);
	s3_client_free(c);
	server_free(&s);

	/* An object larger than max_object_bytes: not retried. */
	const char *r2[] = { response(0, 200, NULL, "0123456789"), response(1, 200, NULL, "0") };
	server_start(&s, r2, 2);
	config(&cfg, s.port, ep, sizeof ep);
	cfg.lim.max_object_bytes = 9;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	char path[] = "/tmp/tide-s3-get-XXXXXX";
	int fd = mkstemp(path);
	struct s3_get_result res;
	CHECK_INT(s3_get_object(c, "big", fd, &res), ERR_TOOBIG);
	CHECK_STR(err_msg(), "bucket 'bkt': GET object 'big': larger than 9 bytes");
	CHECK_INT(server_stop(&s), 1);
	close(fd);
	unlink(path);
	s3_client_free(c);
	server_free(&s);

	/* The same continuation token twice is a loop. */
	const char *r3[] = { response(0, 200, NULL, page1), response(1, 200, NULL, page1),
			     response(2, 200, NULL, page2) };
	server_start(&s, r3, 3);
	config(&cfg, s.port, ep, sizeof ep);
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	CHECK_INT(s3_list_objects(c, NULL, &l), ERR_INVALID);
	CHECK(strstr(err_msg(), "same continuation token") != NULL);
	CHECK_INT(server_stop(&s), 2);
	s3_list_release(&l);
	s3_client_free(c);
	server_free(&s);

	/* A page that is not a listing. */
	const char *r4[] = { response(0, 200, NULL, "<html>captive portal</html>") };
	server_start(&s, r4, 1);
	config(&cfg, s.port, ep, sizeof ep);
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	CHECK_INT(s3_list_objects(c, NULL, &l), ERR_INVALID);
	CHECK_STR(err_msg(), "bucket 'bkt': listing objects: expected a ListBucketResult, got 'html'");
	CHECK_INT(server_stop(&s), 1);
	s3_list_release(&l);
	s3_client_free(c);
	server_free(&s);
}

TEST(session_token_sent)
{
	struct server s;
	const char *r[] = { response(0, 200, NULL, page2) };
	server_start(&s, r, 1);
	struct s3_config cfg;
	char ep[64];
	config(&cfg, s.port, ep, sizeof ep);
	cfg.session_token = "FQoGZXIvYXdzEXAMPLE";
	struct s3_client *c;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	struct s3_list l = S3_LIST_INIT;
	CHECK_INT(s3_list_objects(c, NULL, &l), 0);
	CHECK_INT(server_stop(&s), 1);
	CHECK(strstr(s.req[0], "\r\nX-Amz-Security-Token: FQoGZXIvYXdzEXAMPLE\r\n") != NULL);
	CHECK(strstr(s.req[0], "SignedHeaders=host;x-amz-content-sha256;x-amz-date;"
			       "x-amz-security-token, ") != NULL);
	s3_list_release(&l);
	s3_client_free(c);
	server_free(&s);
}

TEST(config_refusals)
{
	struct s3_config cfg;
	char ep[64];
	struct s3_client *c = (struct s3_client *)1;
	config(&cfg, 9000, ep, sizeof ep);
	cfg.bucket = NULL;
	CHECK_INT(s3_client_new(&c, &cfg), ERR_INVALID);
	CHECK(c == NULL);
	const char *bad_buckets[] = { "", "a/b", "a b", "..", "a..b", "a?b", "a%2F" };
	for (size_t i = 0; i < sizeof(bad_buckets) / sizeof(*bad_buckets); i++) {
		cfg.bucket = bad_buckets[i];
		CHECK_INT(s3_client_new(&c, &cfg), ERR_INVALID);
	}
	cfg.bucket = "Old_Bucket";
	CHECK_INT(s3_client_new(&c, &cfg), 0);
	s3_client_free(c);
	cfg.addressing = S3_VIRTUAL_HOST;
	CHECK_INT(s3_client_new(&c, &cfg), ERR_INVALID); /* not a DNS label */
	cfg.addressing = S3_PATH_STYLE;
	cfg.bucket = "b";
	const char *bad_ep[] = { "http://minio:9000", "minio/x", "minio:", "minio:abc", "user@minio",
				 ":9000", "[::1", "minio:123456", "a b" };
	for (size_t i = 0; i < sizeof(bad_ep) / sizeof(*bad_ep); i++) {
		cfg.endpoint = bad_ep[i];
		if (s3_client_new(&c, &cfg) != ERR_INVALID) {
			printf("#   accepted endpoint %s\n", bad_ep[i]);
			CHECK(0);
			s3_client_free(c);
		}
	}
	const char *good_ep[] = { "minio.minio.svc:9000", "s3.amazonaws.com", "[::1]:9000", "10.0.0.1" };
	for (size_t i = 0; i < sizeof(good_ep) / sizeof(*good_ep); i++) {
		cfg.endpoint = good_ep[i];
		CHECK_INT(s3_client_new(&c, &cfg), 0);
		s3_client_free(c);
	}
	cfg.endpoint = NULL;
	CHECK_INT(s3_client_new(&c, &cfg), ERR_INVALID); /* path style needs one */
	cfg.endpoint = "minio:9000";
	cfg.secret_key = NULL;
	CHECK_INT(s3_client_new(&c, &cfg), ERR_INVALID);
	cfg.secret_key = "s";
	cfg.region = "us/east";
	CHECK_INT(s3_client_new(&c, &cfg), ERR_INVALID);
}

int main(void)
{
	RUN(list_path_style_two_pages);
	RUN(anonymous_virtual_host_get);
	RUN(retries_5xx_then_succeeds);
	RUN(no_retry_on_4xx);
	RUN(gives_up_after_attempts);
	RUN(caps);
	RUN(session_token_sent);
	RUN(config_refusals);
	return test_done();
}
