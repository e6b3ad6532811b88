/* runtime/http: POST bodies and their cap, the file handler's confinement, and the
 * connection limits (hardening issue 16 row 11: a thousand idle connections from one client
 * do not keep another client out). */
#include "test.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/http.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"

static char root[] = "/tmp/tide-http-test-XXXXXX";

static int echo(void *ud, const struct rt_http_request *req, struct rt_http_response *resp)
{
	(void)ud;
	const char *sig = rt_http_header(req, "x-signature");
	buf_addf(&resp->body, "%s %zu [%.*s] sig=%s", req->method, req->body_len, (int)req->body_len,
		 req->body ? req->body : "", sig ? sig : "-");
	return 0;
}

static size_t sink(char *p, size_t size, size_t n, void *ud)
{
	buf_add(ud, p, size * n);
	return size * n;
}

/* A request with curl: body (NULL for none) as POST, chunked when asked. Returns the status
 * (-1 when the connection failed), the response headers and body in out. */
static long req(const char *ip, int port, const char *path, const char *body, size_t len,
		int chunked, struct buf *out)
{
	CURL *c = curl_easy_init();
	char url[256];
	snprintf(url, sizeof(url), "http://%s:%d%s", ip, port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
	struct curl_slist *h = curl_slist_append(NULL, "X-Signature: sha1=abc");
	if (chunked)
		h = curl_slist_append(h, "Transfer-Encoding: chunked");
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		if (!chunked)
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	}
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	long status = -1;
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return status;
}

static struct rt_http *srv;
static int port;

TEST(post_bodies_and_their_cap)
{
	struct buf b = BUF_INIT;
	CHECK_INT(req("127.0.0.1", port, "/hook/x", "hello", 5, 0, &b), 200);
	CHECK(strstr(b.ptr, "POST 5 [hello] sig=sha1=abc") != NULL);
	buf_reset(&b);
	CHECK_INT(req("127.0.0.1", port, "/hook/x", "0123456789abcdef", 16, 0, &b), 200); /* = cap */
	buf_reset(&b);
	CHECK_INT(req("127.0.0.1", port, "/hook/x", "0123456789abcdefX", 17, 0, &b), 413);
	CHECK(strstr(b.ptr, "request body too large") != NULL);
	buf_reset(&b);
	CHECK_INT(req("127.0.0.1", port, "/hook/x", "0123456789abcdefX", 17, 1, &b), 413);
	buf_reset(&b);
	CHECK_INT(req("127.0.0.1", port, "/hook/x", "abc", 3, 1, &b), 200);
	CHECK(strstr(b.ptr, "POST 3 [abc]") != NULL);
	buf_reset(&b);
	/* A chunked body far past the cap: discarded, then the connection is dropped. */
	size_t big = 3u << 20;
	char *huge = malloc(big + 1);
	memset(huge, 'x', big);
	huge[big] = '\0';
	long st = req("127.0.0.1", port, "/hook/x", huge, big, 1, &b);
	CHECK(st == 413 || st == -1);
	free(huge);
	buf_reset(&b);
	CHECK_INT(req("127.0.0.1", port, "/hook/x", NULL, 0, 0, &b), 405); /* GET on a POST route */
	buf_reset(&b);
	CHECK_INT(req("127.0.0.1", port, "/store/a.txt", "x", 1, 0, &b), 405); /* POST on a GET route */
	buf_reset(&b);
	CHECK_INT(req("127.0.0.1", port, "/nothing", "x", 1, 0, &b), 404);
	buf_release(&b);
}

TEST(files_confined_to_their_root)
{
	struct buf b = BUF_INIT;
	CHECK_INT(req("127.0.0.1", port, "/store/a.txt", NULL, 0, 0, &b), 200);
	CHECK(strstr(b.ptr, "Content-Length: 8\r\n") != NULL);
	CHECK(strstr(b.ptr, "Content-Type: application/octet-stream") != NULL);
	CHECK(strstr(b.ptr, "\r\n\r\ntarball\n") != NULL);
	static const char *const refused[] = {
		"/store/missing", "/store/dir", "/store/dir/", "/store/../secret",
		"/store/dir/../a.txt", "/store//a.txt", "/store/.hidden", "/store/.cache/x",
		"/store/escape", "/store/fifo", "/store/",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		buf_reset(&b);
		long st = req("127.0.0.1", port, refused[i], NULL, 0, 0, &b);
		if (st != 404)
			printf("#   %s: %ld\n", refused[i], st);
		CHECK_INT(st, 404);
		CHECK(strstr(b.ptr, "outside") == NULL);
	}
	buf_reset(&b);
	CHECK_INT(req("127.0.0.1", port, "/store/inside", NULL, 0, 0, &b), 200); /* a symlink within */
	CHECK(strstr(b.ptr, "tarball") != NULL);
	buf_release(&b);
}

TEST(idle_connections_do_not_starve_others)
{
	/* Client and server share this process's descriptors: room for both. */
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < 2600 && rl.rlim_max >= 2600) {
		rl.rlim_cur = rl.rlim_max < 8192 ? rl.rlim_max : 8192;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	getrlimit(RLIMIT_NOFILE, &rl);
	REQUIRE(rl.rlim_cur >= 2600);
	enum { N = 1100 };
	static int fds[N];
	int opened = 0;
	struct sockaddr_in from = { .sin_family = AF_INET }, to = { .sin_family = AF_INET };
	inet_pton(AF_INET, "127.0.0.2", &from.sin_addr); /* one client: its own address */
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	to.sin_port = htons((uint16_t)port);
	for (int i = 0; i < N; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fds[i] < 0)
			break;
		if (bind(fds[i], (struct sockaddr *)&from, sizeof(from)) != 0 ||
		    connect(fds[i], (struct sockaddr *)&to, sizeof(to)) != 0) {
			close(fds[i]);
			break;
		}
		opened++;
	}
	CHECK_INT(opened, N);
	/* The idle client holds its connections open (sending nothing); another client still
	 * gets its download at once. */
	int64_t t0 = clock_mono_ms();
	struct buf b = BUF_INIT;
	CHECK_INT(req("127.0.0.1", port, "/store/a.txt", NULL, 0, 0, &b), 200);
	CHECK(strstr(b.ptr, "tarball") != NULL);
	int64_t took = clock_mono_ms() - t0;
	printf("#   download beside %d idle connections: %lld ms\n", opened, (long long)took);
	CHECK(took < 3000);
	buf_release(&b);
	for (int i = 0; i < opened; i++)
		close(fds[i]);
}

static void sh(const char *cmd)
{
	char full[2048];
	snprintf(full, sizeof(full), "cd %s && %s", root, cmd);
	if (system(full) != 0)
		printf("# failed: %s\n", full);
}

int main(void)
{
	if (!mkdtemp(root))
		return 1;
	sh("mkdir -p store/dir store/.cache && echo tarball > store/a.txt && echo outside > secret"
	   " && ln -s \"$PWD/secret\" store/escape && ln -s a.txt store/inside && mkfifo store/fifo");
	sh("echo hidden > store/.hidden && echo cache > store/.cache/x");
	curl_global_init(CURL_GLOBAL_ALL);
	REQUIRE(rt_http_new(&srv, "127.0.0.1:0") == 0);
	struct rt_http_limits lim = { .threads = 2, .max_conns_per_ip = 50 };
	rt_http_set_limits(srv, &lim);
	rt_http_route_post(srv, "/hook/", 16, echo, NULL);
	char store[600];
	snprintf(store, sizeof(store), "%s/store", root);
	CHECK_INT(rt_http_route_files(srv, "/store/", "/nonexistent/dir"), ERR_NOTFOUND);
	REQUIRE(rt_http_route_files(srv, "/store/", store) == 0);
	if (rt_http_start(srv) != 0) {
		printf("# %s\n", err_msg());
		return 1;
	}
	port = rt_http_port(srv);
	RUN(post_bodies_and_their_cap);
	RUN(files_confined_to_their_root);
	RUN(idle_connections_do_not_starve_others);
	rt_http_free(srv);
	curl_global_cleanup();
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		return 1;
	return test_done();
}
