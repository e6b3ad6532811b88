/* net/sigv4: AWS Signature Version 4 against AWS's published vectors. Every directory of
 * tests/unit/net/data/sigv4/ (the aws-signing-test-suite, see its README.md) is one case:
 * request.txt is parsed here into a decoded request, signed with the case's context, and
 * the canonical request, the string to sign and the signature are compared byte for byte.
 * Then the S3 examples of AWS's "Signature Calculations for the Authorization Header:
 * Transferring Payload in a Single Chunk" page (GET object with a Range header, PUT object,
 * GET bucket lifecycle, ListObjects), the encoders and the refusals. Run from the
 * repository's root. */
#include "test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/sigv4.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

#define DATA "tests/unit/net/data/sigv4"

static char *read_case(const char *name, const char *file)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s/%s", DATA, name, file);
	struct buf b = BUF_INIT;
	if (fs_read_file(path, 1 << 20, &b)) {
		printf("# cannot read %s: %s\n", path, err_msg());
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* The string value of "key": "..." in the context (no escapes in these files). */
static char *json_str(const char *json, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\"", key);
	const char *p = strstr(json, pat);
	if (!p)
		return NULL;
	p = strchr(p + strlen(pat), '"');
	if (!p)
		return NULL;
	const char *e = strchr(p + 1, '"');
	return e ? strndup(p + 1, (size_t)(e - p - 1)) : NULL;
}

static bool json_true(const char *json, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\"", key);
	const char *p = strstr(json, pat);
	if (!p)
		return false;
	p += strlen(pat);
	while (*p == ' ' || *p == ':')
		p++;
	return !strncmp(p, "true", 4);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

static char *pct_decode(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			buf_addch(&b, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
			i += 2;
		} else {
			buf_addch(&b, s[i]);
		}
	}
	return buf_detach(&b, NULL);
}

#define MAXP 16

struct parsed {
	char *method, *path, *body;
	struct sigv4_pair q[MAXP], h[MAXP];
	size_t nq, nh;
	struct buf hv[MAXP]; /* header values, folded */
};

/* request.txt: "METHOD TARGET HTTP/1.1", "Name:value" lines (a line starting with blanks
 * continues the one before: folded with a space, as RFC 7230 obs-fold says), an empty line,
 * the body. The target's path and query are written decoded or encoded; both are decoded. */
static bool parse_request(struct parsed *r, const char *text)
{
	memset(r, 0, sizeof(*r));
	const char *eol = strchr(text, '\n');
	if (!eol)
		return false;
	const char *sp = memchr(text, ' ', (size_t)(eol - text));
	const char *ver = strstr(text, " HTTP/1.1");
	if (!sp || !ver || ver > eol)
		return false;
	r->method = strndup(text, (size_t)(sp - text));
	const char *target = sp + 1, *tend = ver;
	const char *qm = memchr(target, '?', (size_t)(tend - target));
	r->path = pct_decode(target, (size_t)((qm ? qm : tend) - target));
	if (qm) {
		const char *p = qm + 1;
		while (p < tend && r->nq < MAXP) {
			const char *amp = memchr(p, '&', (size_t)(tend - p));
			const char *end = amp ? amp : tend;
			const char *eq = memchr(p, '=', (size_t)(end - p));
			r->q[r->nq].name = pct_decode(p, (size_t)((eq ? eq : end) - p));
			r->q[r->nq].value = eq ? pct_decode(eq + 1, (size_t)(end - eq - 1)) : strdup("");
			r->nq++;
			p = end + 1;
		}
	}
	const char *line = eol + 1;
	while (*line && *line != '\n') {
		const char *le = strchr(line, '\n');
		size_t len = le ? (size_t)(le - line) : strlen(line);
		if ((line[0] == ' ' || line[0] == '\t') && r->nh) {
			buf_addch(&r->hv[r->nh - 1], ' ');
			buf_add(&r->hv[r->nh - 1], line, len);
		} else if (r->nh < MAXP) {
			const char *colon = memchr(line, ':', len);
			if (!colon)
				return false;
			r->h[r->nh].name = strndup(line, (size_t)(colon - line));
			buf_init(&r->hv[r->nh], 0);
			buf_add(&r->hv[r->nh], colon + 1, len - (size_t)(colon + 1 - line));
			r->nh++;
		}
		line = le ? le + 1 : line + len;
	}
	r->body = strdup(*line == '\n' ? line + 1 : "");
	for (size_t i = 0; i < r->nh; i++)
		r->h[i].value = r->hv[i].ptr;
	return true;
}

static void parsed_free(struct parsed *r)
{
	free(r->method);
	free(r->path);
	free(r->body);
	for (size_t i = 0; i < r->nq; i++) {
		free((char *)r->q[i].name);
		free((char *)r->q[i].value);
	}
	for (size_t i = 0; i < r->nh; i++) {
		free((char *)r->h[i].name);
		buf_release(&r->hv[i]);
	}
}

static time_t parse_time(const char *s)
{
	struct tm tm = { 0 };
	if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return (time_t)-1;
	return timegm(&tm);
}

static int ncases;

static bool run_case(const char *name)
{
	bool ok = false;
	char *ctx = read_case(name, "context.json"), *req = read_case(name, "request.txt");
	char *want_cr = read_case(name, "header-canonical-request.txt");
	char *want_sts = read_case(name, "header-string-to-sign.txt");
	char *want_sig = read_case(name, "header-signature.txt");
	char *ak = NULL, *sk = NULL, *tok = NULL, *region = NULL, *service = NULL, *ts = NULL;
	struct parsed r;
	bool parsed = false;
	struct sigv4_result res;
	sigv4_result_init(&res);
	if (!ctx || !req || !want_cr || !want_sts || !want_sig)
		goto done;
	ak = json_str(ctx, "access_key_id");
	sk = json_str(ctx, "secret_access_key");
	tok = json_str(ctx, "token");
	region = json_str(ctx, "region");
	service = json_str(ctx, "service");
	ts = json_str(ctx, "timestamp");
	if (!(parsed = parse_request(&r, req))) {
		printf("# %s: request.txt not understood\n", name);
		goto done;
	}
	char body_hash[65];
	sigv4_sha256_hex(body_hash, r.body, strlen(r.body));
	struct sigv4_request rq = {
		.method = r.method, .path = r.path, .query = r.q, .nquery = r.nq,
		.headers = r.h, .nheaders = r.nh, .payload_hash = body_hash,
	};
	struct sigv4_creds creds = { ak, sk, tok };
	struct sigv4_params p = {
		.region = region, .service = service, .when = parse_time(ts),
		.normalize_path = json_true(ctx, "normalize"),
		.add_content_sha256 = json_true(ctx, "sign_body"),
	};
	if (sigv4_sign(&res, &rq, &creds, &p)) {
		printf("# %s: %s\n", name, err_msg());
		goto done;
	}
	ok = true;
	if (strcmp(res.canonical_request.ptr, want_cr)) {
		printf("# %s: canonical request\n# got:\n%s\n# want:\n%s\n", name,
		       res.canonical_request.ptr, want_cr);
		ok = false;
	}
	if (strcmp(res.string_to_sign.ptr, want_sts)) {
		printf("# %s: string to sign\n# got:\n%s\n# want:\n%s\n", name,
		       res.string_to_sign.ptr, want_sts);
		ok = false;
	}
	if (strcmp(res.signature, want_sig)) {
		printf("# %s: signature %s, want %s\n", name, res.signature, want_sig);
		ok = false;
	}
done:
	if (parsed)
		parsed_free(&r);
	sigv4_result_release(&res);
	free(ctx), free(req), free(want_cr), free(want_sts), free(want_sig);
	free(ak), free(sk), free(tok), free(region), free(service), free(ts);
	ncases++;
	return ok;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

TEST(aws_signing_test_suite)
{
	DIR *d = opendir(DATA);
	REQUIRE(d);
	char *names[64];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 64) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR)
			continue;
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (!run_case(names[i])) {
			printf("#   case %s failed\n", names[i]);
			CHECK(0);
		}
		free(names[i]);
	}
	CHECK_INT(ncases, 37);
}

/* ---- AWS's S3 examples ------------------------------------------------------------------
 * From "Examples: Signature Calculations" (Amazon S3 API reference, Signature Version 4,
 * header-based authentication, single chunk): bucket examplebucket in us-east-1, 2013-05-24
 * 00:00:00 UTC, access key AKIAIOSFODNN7EXAMPLE. */

static const struct sigv4_creds s3_creds = {
	"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", NULL };
#define S3_WHEN ((time_t)1369353600) /* 20130524T000000Z */

static void s3_sign(struct sigv4_result *res, const char *method, const char *path,
		    const struct sigv4_pair *q, size_t nq, const struct sigv4_pair *h, size_t nh,
		    const char *payload)
{
	struct sigv4_request rq = { method, path, q, nq, h, nh, payload };
	struct sigv4_params p = { "us-east-1", "s3", S3_WHEN, false, true };
	sigv4_result_init(res);
	if (sigv4_sign(res, &rq, &s3_creds, &p))
		printf("# %s\n", err_msg());
}

TEST(s3_get_object_range)
{
	struct sigv4_pair h[] = { { "Host", "examplebucket.s3.amazonaws.com" },
				  { "Range", "bytes=0-9" } };
	struct sigv4_result res;
	s3_sign(&res, "GET", "/test.txt", NULL, 0, h, 2, NULL);
	CHECK_STR(res.canonical_request.ptr,
		  "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
		  "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
		  "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_STR(res.string_to_sign.ptr,
		  "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
		  "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
	CHECK_STR(res.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
	CHECK_STR(res.authorization.ptr,
		  "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
		  "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
		  "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
	CHECK_INT(res.nextra, 3);
	CHECK_STR(res.extra[0].ptr, "X-Amz-Date: 20130524T000000Z");
	CHECK_STR(res.extra[1].ptr,
		  "X-Amz-Content-Sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK(!strncmp(res.extra[2].ptr, "Authorization: AWS4-HMAC-SHA256 Credential=", 43));
	sigv4_result_release(&res);
}

TEST(s3_put_object)
{
	struct sigv4_pair h[] = { { "Host", "examplebucket.s3.amazonaws.com" },
				  { "Date", "Fri, 24 May 2013 00:00:00 GMT" },
				  { "x-amz-storage-class", "REDUCED_REDUNDANCY" } };
	char payload[65];
	sigv4_sha256_hex(payload, "Welcome to Amazon S3.", 21);
	CHECK_STR(payload, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
	struct sigv4_result res;
	s3_sign(&res, "PUT", "/test$file.text", NULL, 0, h, 3, payload);
	CHECK(strstr(res.canonical_request.ptr, "PUT\n/test%24file.text\n\n") ==
	      res.canonical_request.ptr);
	CHECK_STR(res.signed_headers.ptr, "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class");
	CHECK_STR(res.signature, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
	sigv4_result_release(&res);
}

TEST(s3_get_bucket_lifecycle)
{
	struct sigv4_pair h[] = { { "Host", "examplebucket.s3.amazonaws.com" } };
	struct sigv4_pair q[] = { { "lifecycle", "" } };
	struct sigv4_result res;
	s3_sign(&res, "GET", "/", q, 1, h, 1, NULL);
	CHECK(strstr(res.canonical_request.ptr, "GET\n/\nlifecycle=\n") == res.canonical_request.ptr);
	CHECK_STR(res.signature, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
	sigv4_result_release(&res);
}

TEST(s3_list_objects)
{
	/* Given out of order: the canonical query sorts them. */
	struct sigv4_pair h[] = { { "Host", "examplebucket.s3.amazonaws.com" } };
	struct sigv4_pair q[] = { { "prefix", "J" }, { "max-keys", "2" } };
	struct sigv4_result res;
	s3_sign(&res, "GET", "/", q, 2, h, 1, NULL);
	CHECK_STR(res.canonical_request.ptr,
		  "GET\n/\nmax-keys=2&prefix=J\nhost:examplebucket.s3.amazonaws.com\n"
		  "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
		  "x-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n"
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_STR(res.string_to_sign.ptr,
		  "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
		  "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7");
	CHECK_STR(res.signature, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
	sigv4_result_release(&res);
}

TEST(s3_session_token_and_unsigned_payload)
{
	struct sigv4_pair h[] = { { "Host", "b.s3.eu-west-1.amazonaws.com" } };
	struct sigv4_creds c = { "AKID", "secret", "tok/en+=" };
	struct sigv4_request rq = { "GET", "/k", NULL, 0, h, 1, "UNSIGNED-PAYLOAD" };
	struct sigv4_params p = { "eu-west-1", "s3", S3_WHEN, false, true };
	struct sigv4_result res;
	sigv4_result_init(&res);
	REQUIRE(sigv4_sign(&res, &rq, &c, &p) == 0);
	CHECK_STR(res.signed_headers.ptr, "host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
	CHECK(strstr(res.canonical_request.ptr, "\nx-amz-security-token:tok/en+=\n"));
	CHECK(strstr(res.canonical_request.ptr, "\nUNSIGNED-PAYLOAD") != NULL);
	CHECK_INT(res.nextra, 4);
	CHECK_STR(res.extra[1].ptr, "X-Amz-Content-Sha256: UNSIGNED-PAYLOAD");
	CHECK_STR(res.extra[2].ptr, "X-Amz-Security-Token: tok/en+=");
	CHECK(strstr(res.string_to_sign.ptr, "\n20130524/eu-west-1/s3/aws4_request\n"));
	/* Signing again reuses the result. */
	REQUIRE(sigv4_sign(&res, &rq, &c, &p) == 0);
	CHECK_INT(res.nextra, 4);
	sigv4_result_release(&res);
}

TEST(s3_path_is_not_normalized)
{
	struct sigv4_pair h[] = { { "Host", "h" } };
	struct sigv4_request rq = { "GET", "/bucket/a//b/../c d+e%ሴ", NULL, 0, h, 1, NULL };
	struct sigv4_creds c = { "AKID", "secret", NULL };
	struct sigv4_params p = { "us-east-1", "s3", S3_WHEN, false, true };
	struct sigv4_result res;
	sigv4_result_init(&res);
	REQUIRE(sigv4_sign(&res, &rq, &c, &p) == 0);
	CHECK(strstr(res.canonical_request.ptr, "GET\n/bucket/a//b/../c%20d%2Be%25%E1%88%B4\n\n"));
	sigv4_result_release(&res);
}

TEST(encoders)
{
	struct buf b = BUF_INIT;
	const char *s = "a-Z_0.9~ /+=&?%*!'()\x01\xff";
	sigv4_uri_encode(&b, s, strlen(s), false);
	CHECK_STR(b.ptr, "a-Z_0.9~%20%2F%2B%3D%26%3F%25%2A%21%27%28%29%01%FF");
	buf_reset(&b);
	sigv4_uri_encode(&b, s, strlen(s), true);
	CHECK_STR(b.ptr, "a-Z_0.9~%20/%2B%3D%26%3F%25%2A%21%27%28%29%01%FF");
	buf_reset(&b);
	struct sigv4_pair q[] = { { "prefix", "dir/a b" }, { "list-type", "2" },
				  { "continuation-token", "1/x+y=" }, { "a", NULL }, { "a", "" } };
	sigv4_canonical_query(&b, q, 5);
	CHECK_STR(b.ptr, "a=&a=&continuation-token=1%2Fx%2By%3D&list-type=2&prefix=dir%2Fa%20b");
	buf_reset(&b);
	sigv4_canonical_query(&b, NULL, 0);
	CHECK_STR(b.ptr, "");
	buf_release(&b);
	char hex[65];
	sigv4_sha256_hex(hex, "", 0);
	CHECK_STR(hex, sigv4_empty_sha256);
}

TEST(refusals)
{
	struct sigv4_creds c = { "AKID", "secret", NULL };
	struct sigv4_params p = { "us-east-1", "s3", S3_WHEN, false, true };
	struct sigv4_result res;
	sigv4_result_init(&res);
	struct sigv4_pair host[] = { { "Host", "h" } };
	struct sigv4_pair nohost[] = { { "Range", "bytes=0-1" } };
	struct sigv4_pair crlf[] = { { "Host", "h" }, { "X-A", "a\r\nInjected: 1" } };
	struct sigv4_pair badname[] = { { "Host", "h" }, { "X A", "1" } };
	struct sigv4_pair dup[] = { { "Host", "h" }, { "X-Amz-Date", "1" } };
	struct sigv4_pair auth[] = { { "Host", "h" }, { "authorization", "1" } };
	struct sigv4_request rq = { "GET", "/", NULL, 0, host, 1, NULL };
	CHECK_INT(sigv4_sign(&res, &rq, &c, &p), 0);
	rq.headers = nohost;
	CHECK_INT(sigv4_sign(&res, &rq, &c, &p), ERR_INVALID);
	rq.headers = crlf, rq.nheaders = 2;
	CHECK_INT(sigv4_sign(&res, &rq, &c, &p), ERR_INVALID);
	rq.headers = badname;
	CHECK_INT(sigv4_sign(&res, &rq, &c, &p), ERR_INVALID);
	rq.headers = dup;
	CHECK_INT(sigv4_sign(&res, &rq, &c, &p), ERR_INVALID);
	rq.headers = auth;
	CHECK_INT(sigv4_sign(&res, &rq, &c, &p), ERR_INVALID);
	rq.headers = host, rq.nheaders = 1;
	rq.path = "bucket";
	CHECK_INT(sigv4_sign(&res, &rq, &c, &p), ERR_INVALID);
	rq.path = "/";
	struct sigv4_creds nokey = { "AKID", "", NULL };
	CHECK_INT(sigv4_sign(&res, &rq, &nokey, &p), ERR_INVALID);
	CHECK(strstr(err_msg(), "secret") == NULL || strstr(err_msg(), "secret access key"));
	struct sigv4_params badregion = { "us/east", "s3", S3_WHEN, false, true };
	CHECK_INT(sigv4_sign(&res, &rq, &c, &badregion), ERR_INVALID);
	struct sigv4_pair many[SIGV4_MAX_HEADERS + 1];
	for (size_t i = 0; i < SIGV4_MAX_HEADERS + 1; i++)
		many[i] = (struct sigv4_pair){ i ? "X-A" : "Host", "v" };
	rq.headers = many, rq.nheaders = SIGV4_MAX_HEADERS + 1;
	CHECK_INT(sigv4_sign(&res, &rq, &c, &p), ERR_TOOBIG);
	/* A failed signing leaves nothing to send. */
	CHECK_INT(res.nextra, 0);
	sigv4_result_release(&res);
}

int main(void)
{
	RUN(aws_signing_test_suite);
	RUN(s3_get_object_range);
	RUN(s3_put_object);
	RUN(s3_get_bucket_lifecycle);
	RUN(s3_list_objects);
	RUN(s3_session_token_and_unsigned_payload);
	RUN(s3_path_is_not_normalized);
	RUN(encoders);
	RUN(refusals);
	return test_done();
}
