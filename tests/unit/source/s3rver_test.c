/* source/s3 against a real S3-compatible server on loopback, and tide's signatures against
 * AWS's own signer. Run from the repository's root.
 *
 * The server is s3rver 3.7.1 (npm), started by test/s3/start on a port from test/ports and
 * stopped by test/s3/stop at the end; test/s3/tools installs it, once, into
 * ~/.cache/tide/s3-tools-r1 with npm. Before it starts, this program seeds bucket "seed"
 * by writing s3rver's on-disk layout (DIR/data/seed/KEY._S3rver_object): 10,000 objects
 * under many/ (100 directories of 100) and a few keys with characters that need encoding
 * under special/. s3rver checks the access key (S3RVER), x-amz-content-sha256 and the clock
 * of a SigV4 request, not its signature; so signature_matches_aws_sdk sends tide's requests
 * to a scripted server on loopback instead, at a fixed time, and compares them byte for byte
 * with what @smithy/signature-v4 (the signer of AWS's JavaScript SDK v3, same cache; driven
 * by test/s3/smithy-sign.js) makes of the same request.
 *
 * Memory stays bounded while 10,000 objects are listed: pages of 100 keys (max-keys), each
 * body under a cap of 64 KiB, and the count capped too (a cap of 5,000 stops the listing). */
#include "test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/s3.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/json_escape.h"

static char root[] = "/tmp/tide-s3rver-XXXXXX";
static char endpoint[64], connect_to[80], tools[512];
static int port;

static const char *special[] = {
	"special/percent%41.txt",
	"special/plus+and=equals&amp.txt",
	"special/tilde~(paren)!*'.txt",
	"special/with space/file one.txt",
	"special/\xc3\xbc-\xe1\x88\xb4.txt",
};
#define NSPECIAL (sizeof(special) / sizeof(*special))

static int run(const char *cmd)
{
	int rc = system(cmd);
	if (rc != 0)
		printf("# command failed: %s\n", cmd);
	return rc;
}

static void md5_hex(char out[33], const char *s, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_Digest(s, n, md, &mdlen, EVP_md5(), NULL);
	for (unsigned i = 0; i < mdlen && i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void content_of(char *out, size_t n, const char *key)
{
	snprintf(out, n, "content of %s\n", key);
}

static int seed_object(const char *key)
{
	char path[1024], body[600];
	snprintf(path, sizeof path, "%s/data/seed/%s._S3rver_object", root, key);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	if (fs_mkdir_p(path))
		return -1;
	*slash = '/';
	content_of(body, sizeof body, key);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(body, f);
	return fclose(f);
}

static void config(struct s3_config *cfg)
{
	*cfg = (struct s3_config)S3_CONFIG_INIT;
	cfg->endpoint = endpoint;
	cfg->bucket = "seed";
	cfg->insecure = true;
	cfg->access_key = "S3RVER";
	cfg->secret_key = "S3RVER";
	cfg->net.timeout_ms = 60000;
	cfg->lim.backoff_ms = 10;
}

TEST(list_10000_objects_in_pages)
{
	struct s3_config cfg;
	config(&cfg);
	cfg.lim.max_keys = 100;
	cfg.lim.max_page_bytes = 64 * 1024;
	struct s3_client *c;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	struct s3_list l = S3_LIST_INIT;
	int rc = s3_list_objects(c, "many/", &l);
	CHECK_INT(rc, 0);
	if (rc)
		printf("# %s\n", err_msg());
	CHECK_INT(l.n, 10000);
	CHECK_INT(l.pages, 100);
	CHECK(l.max_page_len > 0 && l.max_page_len <= 64 * 1024);
	printf("# %zu objects in %zu pages, the largest page %zu bytes\n", l.n, l.pages,
	       l.max_page_len);
	size_t wrong = 0;
	for (size_t i = 0; i < l.n && i < 10000; i++) {
		char want[64], body[600], md5[33];
		snprintf(want, sizeof want, "many/d%02zu/o%02zu", i / 100, i % 100);
		content_of(body, sizeof body, want);
		md5_hex(md5, body, strlen(body));
		if (strcmp(l.obj[i].key, want) || strcmp(l.obj[i].etag, md5) ||
		    l.obj[i].size != (int64_t)strlen(body) || !l.obj[i].last_modified[0]) {
			if (!wrong++)
				printf("# object %zu: %s %s %lld, want %s %s\n", i, l.obj[i].key,
				       l.obj[i].etag, (long long)l.obj[i].size, want, md5);
		}
	}
	CHECK_INT(wrong, 0);
	s3_list_release(&l);
	s3_client_free(c);
}

TEST(caps_stop_a_listing)
{
	struct s3_config cfg;
	config(&cfg);
	cfg.lim.max_keys = 500;
	cfg.lim.max_objects = 5000;
	struct s3_client *c;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	struct s3_list l = S3_LIST_INIT;
	CHECK_INT(s3_list_objects(c, NULL, &l), ERR_TOOBIG);
	CHECK_STR(err_msg(), "bucket 'seed': listing objects: the bucket lists more than 5000 objects");
	CHECK_INT(l.n, 5000);
	CHECK_INT(l.pages, 11);
	s3_list_release(&l);
	s3_client_free(c);

	config(&cfg);
	cfg.lim.max_keys = 100;
	cfg.lim.max_page_bytes = 4096;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	CHECK_INT(s3_list_objects(c, "many/", &l), ERR_TOOBIG);
	CHECK_INT(l.n, 0);
	s3_list_release(&l);
	s3_client_free(c);
}

static void check_get(struct s3_client *c, const char *key)
{
	char path[600], body[600], md5[33], got[600] = "";
	snprintf(path, sizeof path, "%s/download", root);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	REQUIRE(fd >= 0);
	struct s3_get_result res;
	int rc = s3_get_object(c, key, fd, &res);
	close(fd);
	if (rc)
		printf("# GET %s: %s\n", key, err_msg());
	CHECK_INT(rc, 0);
	content_of(body, sizeof body, key);
	md5_hex(md5, body, strlen(body));
	CHECK_INT(res.size, strlen(body));
	CHECK_STR(res.etag, md5);
	FILE *f = fopen(path, "r");
	REQUIRE(f);
	size_t n = fread(got, 1, sizeof got - 1, f);
	got[n] = '\0';
	fclose(f);
	CHECK_STR(got, body);
}

TEST(special_keys_listed_and_downloaded)
{
	struct s3_config cfg;
	config(&cfg);
	struct s3_client *c;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	struct s3_list l = S3_LIST_INIT;
	CHECK_INT(s3_list_objects(c, "special/", &l), 0);
	REQUIRE(l.n == NSPECIAL);
	for (size_t i = 0; i < NSPECIAL; i++) {
		CHECK_STR(l.obj[i].key, special[i]);
		check_get(c, l.obj[i].key);
	}
	check_get(c, "many/d07/o42");
	s3_list_release(&l);
	s3_client_free(c);
}

TEST(virtual_host_anonymous)
{
	struct s3_config cfg;
	config(&cfg);
	cfg.addressing = S3_VIRTUAL_HOST;
	cfg.endpoint = NULL; /* seed.s3.us-east-1.amazonaws.com, sent to loopback */
	cfg.connect_to = connect_to;
	cfg.access_key = cfg.secret_key = NULL;
	struct s3_client *c;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	struct s3_list l = S3_LIST_INIT;
	int rc = s3_list_objects(c, "many/d42/", &l);
	CHECK_INT(rc, 0);
	if (rc)
		printf("# %s\n", err_msg());
	CHECK_INT(l.n, 100);
	if (l.n)
		CHECK_STR(l.obj[0].key, "many/d42/o00");
	check_get(c, special[3]);
	s3_list_release(&l);
	s3_client_free(c);
}

TEST(server_errors)
{
	struct s3_config cfg;
	config(&cfg);
	cfg.bucket = "nope";
	struct s3_client *c;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	struct s3_list l = S3_LIST_INIT;
	CHECK_INT(s3_list_objects(c, NULL, &l), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "bucket 'nope': listing objects: NoSuchBucket: The specified bucket does "
			     "not exist (HTTP 404)");
	s3_client_free(c);

	config(&cfg);
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	char path[600];
	snprintf(path, sizeof path, "%s/download", root);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	struct s3_get_result res;
	CHECK_INT(s3_get_object(c, "many/none", fd, &res), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "bucket 'seed': GET object 'many/none': NoSuchKey: ") == err_msg());
	close(fd);
	s3_client_free(c);

	config(&cfg);
	cfg.access_key = "WRONGKEY";
	cfg.secret_key = "wrong-secret-value";
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	CHECK_INT(s3_list_objects(c, NULL, &l), ERR_AUTH);
	CHECK(strstr(err_msg(), "InvalidAccessKeyId") != NULL);
	CHECK(strstr(err_msg(), "wrong-secret-value") == NULL);
	CHECK_INT(l.n, 0);
	s3_list_release(&l);
	s3_client_free(c);
}

/* ---- tide's signature against AWS's SDK signer ------------------------------------------*/

#define MAXR 4

struct capture {
	int fd, port;
	const char *resp[MAXR];
	size_t nresp, served;
	char *req[MAXR];
	pthread_t thread;
};

static void *capture_serve(void *ud)
{
	struct capture *s = ud;
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
		if (send(c, resp, strlen(resp), MSG_NOSIGNAL) < 0) {
		}
		close(c);
	}
	return NULL;
}

static int capture_start(struct capture *s, const char *const *resp, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	if (bind(s->fd, (struct sockaddr *)&a, sizeof a) || listen(s->fd, 4) ||
	    getsockname(s->fd, (struct sockaddr *)&a, &al))
		return -1;
	s->port = ntohs(a.sin_port);
	for (size_t i = 0; i < n; i++)
		s->resp[i] = resp[i];
	s->nresp = n;
	return pthread_create(&s->thread, NULL, capture_serve, s);
}

static void capture_stop(struct capture *s)
{
	shutdown(s->fd, SHUT_RDWR);
	pthread_join(s->thread, NULL);
	close(s->fd);
}

static void capture_free(struct capture *s)
{
	for (size_t i = 0; i < s->served; i++)
		free(s->req[i]);
}

/* The value of header name (lowercase, as tide writes it: "X-Amz-Date") in req, or "". */
static void header_of(char *out, size_t n, const char *req, const char *name)
{
	out[0] = '\0';
	for (const char *line = strstr(req, "\r\n"); line && line[2]; line = strstr(line + 2, "\r\n")) {
		const char *l = line + 2, *colon = strchr(l, ':'), *end = strstr(l, "\r\n");
		if (!colon || !end || colon > end)
			continue;
		if ((size_t)(colon - l) == strlen(name) && !strncasecmp(l, name, strlen(name))) {
			const char *v = colon + 1;
			while (*v == ' ')
				v++;
			snprintf(out, n, "%.*s", (int)(end - v), v);
			return;
		}
	}
}

static time_t when(void)
{
	return (time_t)1700000000; /* 2023-11-14T22:13:20Z */
}

struct sig_case {
	const char *key;          /* NULL: a listing */
	const char *prefix;
	bool vhost;
	const char *token;
};

/* Compares tide's request req with smithy's signing of the same request. */
static bool compare_with_smithy(const struct sig_case *sc, const char *host, const char *req,
				const char *ctoken)
{
	struct buf js = BUF_INIT;
	buf_adds(&js, "{\"host\":");
	json_escape(&js, host, strlen(host));
	buf_adds(&js, ",\"bucket\":\"seed\",\"key\":");
	json_escape(&js, sc->key ? sc->key : "", sc->key ? strlen(sc->key) : 0);
	buf_addf(&js, ",\"pathStyle\":%s,\"query\":{", sc->vhost ? "false" : "true");
	if (!sc->key) {
		buf_adds(&js, "\"list-type\":\"2\",\"encoding-type\":\"url\",\"max-keys\":\"1\"");
		if (sc->prefix) {
			buf_adds(&js, ",\"prefix\":");
			json_escape(&js, sc->prefix, strlen(sc->prefix));
		}
		if (ctoken) {
			buf_adds(&js, ",\"continuation-token\":");
			json_escape(&js, ctoken, strlen(ctoken));
		}
	}
	buf_adds(&js, "},\"accessKeyId\":\"AKIDEXAMPLE\","
		      "\"secretAccessKey\":\"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\",");
	if (sc->token) {
		buf_adds(&js, "\"sessionToken\":");
		json_escape(&js, sc->token, strlen(sc->token));
		buf_addch(&js, ',');
	}
	buf_addf(&js, "\"region\":\"eu-central-1\",\"time\":%lld}", (long long)when());
	char jpath[600], cmd[2048];
	snprintf(jpath, sizeof jpath, "%s/smithy-request.json", root);
	FILE *f = fopen(jpath, "w");
	if (!f)
		return false;
	fputs(js.ptr, f);
	fclose(f);
	buf_release(&js);
	snprintf(cmd, sizeof cmd, "node test/s3/smithy-sign.js '%s' '%s'", tools, jpath);
	FILE *p = popen(cmd, "r");
	if (!p)
		return false;
	struct buf out = BUF_INIT;
	char line[4096];
	while (fgets(line, sizeof line, p))
		buf_adds(&out, line);
	if (pclose(p) != 0) {
		printf("# smithy-sign.js failed: %s\n", out.ptr);
		buf_release(&out);
		return false;
	}
	/* The request line's path (before the query) and the signer's headers. */
	bool ok = true;
	const char *sp = strchr(req, ' '), *q = sp ? strpbrk(sp + 1, "? ") : NULL;
	char want[4096];
	snprintf(want, sizeof want, "path: %.*s\n", q ? (int)(q - sp - 1) : 0, sp ? sp + 1 : "");
	if (!strstr(out.ptr, want)) {
		printf("# path differs: tide %s# smithy:\n%s", want, out.ptr);
		ok = false;
	}
	const char *names[] = { "authorization", "x-amz-date", "x-amz-content-sha256",
				"x-amz-security-token" };
	for (size_t i = 0; i < 4; i++) {
		char v[2048];
		header_of(v, sizeof v, req, names[i]);
		if (!v[0] && i == 3 && !sc->token)
			continue;
		snprintf(want, sizeof want, "%s: %s\n", names[i], v);
		if (!v[0] || !strstr(out.ptr, want)) {
			printf("# %s differs: tide [%s]\n# smithy:\n%s", names[i], v, out.ptr);
			ok = false;
		}
	}
	buf_release(&out);
	return ok;
}

TEST(signature_matches_aws_sdk)
{
	static const char empty_page[] =
		"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
		"<ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount></ListBucketResult>";
	static const char token_page[] =
		"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
		"<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>"
		"1/tok+en=\xe1\x88\xb4 ~*'!</NextContinuationToken></ListBucketResult>";
	static const char object[] =
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nETag: \"x\"\r\nConnection: close\r\n\r\nx";
	const struct sig_case cases[] = {
		{ NULL, NULL, false, NULL },
		{ NULL, "dir with space/ü+&=%/", false, NULL },
		{ NULL, "p", true, "FQoGZXIvYXdzEXAMPLE//token+=" },
		{ "special/with space/file one.txt", NULL, false, NULL },
		{ "a/b//c/../d/tilde~(paren)!*'/\xe1\x88\xb4+%41&=?#;,@$", NULL, true, NULL },
		{ "k", NULL, true, "tok" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct sig_case *sc = &cases[i];
		struct capture s;
		const char *listing[] = { token_page, empty_page };
		const char *get[] = { object };
		REQUIRE(capture_start(&s, sc->key ? get : listing, sc->key ? 1 : 2) == 0);
		struct s3_config cfg = S3_CONFIG_INIT;
		char ep[64], ct[80], host[128];
		snprintf(ep, sizeof ep, "127.0.0.1:%d", s.port);
		snprintf(ct, sizeof ct, "::127.0.0.1:%d", s.port);
		cfg.bucket = "seed";
		cfg.region = "eu-central-1";
		cfg.insecure = true;
		cfg.access_key = "AKIDEXAMPLE";
		cfg.secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
		cfg.session_token = sc->token;
		cfg.now = when;
		cfg.lim.max_keys = 1;
		if (sc->vhost) {
			cfg.addressing = S3_VIRTUAL_HOST;
			cfg.connect_to = ct;
			snprintf(host, sizeof host, "seed.s3.eu-central-1.amazonaws.com");
		} else {
			cfg.endpoint = ep;
			snprintf(host, sizeof host, "%s", ep);
		}
		struct s3_client *c;
		REQUIRE(s3_client_new(&c, &cfg) == 0);
		int rc;
		if (sc->key) {
			char path[600];
			snprintf(path, sizeof path, "%s/download", root);
			int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
			struct s3_get_result res;
			rc = s3_get_object(c, sc->key, fd, &res);
			close(fd);
		} else {
			struct s3_list l = S3_LIST_INIT;
			rc = s3_list_objects(c, sc->prefix, &l);
			s3_list_release(&l);
		}
		capture_stop(&s);
		if (rc)
			printf("# case %zu: %s\n", i, err_msg());
		CHECK_INT(rc, 0);
		for (size_t r = 0; r < s.served; r++) {
			const char *tok = r ? "1/tok+en=\xe1\x88\xb4 ~*'!" : NULL;
			if (!compare_with_smithy(sc, host, s.req[r], tok)) {
				printf("#   case %zu, request %zu:\n%s", i, r, s.req[r]);
				CHECK(0);
			}
		}
		CHECK_INT(s.served, sc->key ? 1 : 2);
		s3_client_free(c);
		capture_free(&s);
	}
}

/* s3_bucket_exists: true for "seed", false (and no error) for a bucket s3rver lacks, an
 * error for a key it does not know. */
TEST(bucket_exists)
{
	struct s3_config cfg;
	config(&cfg);
	struct s3_client *c;
	bool exists = false;
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	CHECK_INT(s3_bucket_exists(c, &exists), 0);
	CHECK(exists);
	s3_client_free(c);
	cfg.bucket = "no-such-bucket";
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	CHECK_INT(s3_bucket_exists(c, &exists), 0);
	CHECK(!exists);
	s3_client_free(c);
	cfg.bucket = "seed";
	cfg.access_key = "NOBODY";
	REQUIRE(s3_client_new(&c, &cfg) == 0);
	CHECK_INT(s3_bucket_exists(c, &exists), ERR_AUTH);
	CHECK(strstr(err_msg(), "InvalidAccessKeyId") != NULL);
	CHECK(!exists);
	s3_client_free(c);
}

int main(void)
{
	char cmd[2048];
	if (!mkdtemp(root))
		return 1;
	FILE *f = popen("test/s3/tools", "r");
	if (!f || !fgets(tools, sizeof tools, f) || pclose(f) != 0) {
		printf("# test/s3/tools failed (node and npm, see scripts/install-deps)\n");
		return 1;
	}
	tools[strcspn(tools, "\n")] = '\0';
	for (int d = 0; d < 100; d++)
		for (int o = 0; o < 100; o++) {
			char key[64];
			snprintf(key, sizeof key, "many/d%02d/o%02d", d, o);
			if (seed_object(key)) {
				printf("# cannot seed %s: %s\n", key, strerror(errno));
				return 1;
			}
		}
	for (size_t i = 0; i < NSPECIAL; i++)
		if (seed_object(special[i]))
			return 1;
	snprintf(cmd, sizeof cmd, "test/s3/start %s", root);
	if (run(cmd) != 0)
		return 1;
	char portfile[600], buf[32] = "";
	snprintf(portfile, sizeof portfile, "%s/s3-port", root);
	if (!(f = fopen(portfile, "r")) || !fgets(buf, sizeof buf, f))
		return 1;
	fclose(f);
	port = atoi(buf);
	snprintf(endpoint, sizeof endpoint, "127.0.0.1:%d", port);
	snprintf(connect_to, sizeof connect_to, "::127.0.0.1:%d", port);
	RUN(list_10000_objects_in_pages);
	RUN(caps_stop_a_listing);
	RUN(special_keys_listed_and_downloaded);
	RUN(virtual_host_anonymous);
	RUN(server_errors);
	RUN(bucket_exists);
	RUN(signature_matches_aws_sdk);
	snprintf(cmd, sizeof cmd, "test/s3/stop %s; rm -rf %s", root, root);
	run(cmd);
	return test_done();
}
