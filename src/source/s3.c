/*
 * The S3 client of source/s3.h: URLs for both addressing styles, one signed request with
 * its retries (request()), the ListObjectsV2 pagination and the streamed GET to a file.
 * Every attempt is signed anew (x-amz-date moves on); the URL's path and query are made by
 * the signer's own encoders, and curl is told to send the path as it is (PATH_AS_IS), so
 * the bytes on the wire are the bytes signed.
 */
#include "source/s3.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "net/sigv4.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define MIB ((uint64_t)1 << 20)
#define DEF_PAGE_BYTES (8 * MIB)
#define DEF_OBJECT_BYTES (100 * MIB)
#define DEF_ATTEMPTS 4
#define DEF_BACKOFF_MS 250
#define MAX_BACKOFF_MS 8000
#define ERROR_BODY_MAX (64 * 1024)
/* Pages in a row without an object before a listing is taken for a loop. */
#define MAX_EMPTY_PAGES 100

struct s3_client {
	char *scheme;    /* "https" or "http" */
	char *host;      /* the Host header: ENDPOINT or BUCKET.ENDPOINT */
	char *bucket;
	char *region;
	bool path_style;
	char *access_key, *secret_key, *session_token; /* NULL when anonymous */
	char *connect_to;
	struct net_opts net;
	time_t (*now)(void);
	struct s3_limits lim;
	CURL *h;
	char errbuf[CURL_ERROR_SIZE];
};

void s3_client_free(struct s3_client *c)
{
	if (!c)
		return;
	if (c->h)
		curl_easy_cleanup(c->h);
	free(c->scheme);
	free(c->host);
	free(c->bucket);
	free(c->region);
	free(c->access_key);
	xfree_secret(c->secret_key);
	xfree_secret(c->session_token);
	free(c->connect_to);
	free(c);
}

static bool set(const char *s)
{
	return s && *s;
}

/* A bucket name that can stand in a path segment and, for virtual hosts, a DNS name
 * without encoding: S3's rules, loosened for path style as generic servers are (upper
 * case and '_' are found on old buckets and minio). */
static int check_bucket(const char *b, bool vhost)
{
	if (!set(b))
		return err_set(ERR_INVALID, "a bucket name is required");
	size_t n = strlen(b);
	if (n > 255)
		return err_set(ERR_INVALID, "bucket name '%.64s...' is too long", b);
	for (size_t i = 0; i < n; i++) {
		char c = b[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
		if (!vhost)
			ok = ok || (c >= 'A' && c <= 'Z') || c == '_';
		if (!ok)
			return err_set(ERR_INVALID, "bucket name '%s' has a character it cannot have", b);
	}
	if (!strcmp(b, ".") || !strcmp(b, "..") || strstr(b, ".."))
		return err_set(ERR_INVALID, "bucket name '%s' is not valid", b);
	return 0;
}

/* host[:port], host a DNS name, an IPv4 address or [IPv6]. */
static int check_endpoint(const char *e)
{
	size_t n = strlen(e);
	if (strstr(e, "://"))
		return err_set(ERR_INVALID, "endpoint '%s': give host[:port], without a scheme", e);
	size_t i = 0;
	if (e[0] == '[') {
		const char *close = strchr(e, ']');
		if (!close)
			return err_set(ERR_INVALID, "endpoint '%s' is not host[:port]", e);
		for (const char *p = e + 1; p < close; p++)
			if (!strchr("0123456789abcdefABCDEF:.", *p))
				return err_set(ERR_INVALID, "endpoint '%s' is not host[:port]", e);
		i = (size_t)(close - e) + 1;
	} else {
		while (i < n && e[i] != ':') {
			char c = e[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			      c == '-' || c == '.' || c == '_'))
				return err_set(ERR_INVALID, "endpoint '%s' is not host[:port]", e);
			i++;
		}
		if (!i)
			return err_set(ERR_INVALID, "endpoint '%s' is not host[:port]", e);
	}
	if (i < n) {
		if (e[i] != ':' || i + 1 == n || n - i - 1 > 5)
			return err_set(ERR_INVALID, "endpoint '%s' is not host[:port]", e);
		for (size_t j = i + 1; j < n; j++)
			if (e[j] < '0' || e[j] > '9')
				return err_set(ERR_INVALID, "endpoint '%s' is not host[:port]", e);
	}
	return 0;
}

int s3_client_new(struct s3_client **out, const struct s3_config *cfg)
{
	*out = NULL;
	bool vhost = cfg->addressing == S3_VIRTUAL_HOST;
	int rc = check_bucket(cfg->bucket, vhost);
	if (rc)
		return rc;
	const char *region = set(cfg->region) ? cfg->region : "us-east-1";
	if (strpbrk(region, "/:@ \r\n"))
		return err_set(ERR_INVALID, "region '%s' is not valid", region);
	struct buf endpoint = BUF_INIT;
	if (set(cfg->endpoint))
		buf_adds(&endpoint, cfg->endpoint);
	else if (vhost)
		buf_addf(&endpoint, "s3.%s.amazonaws.com", region);
	else
		return err_set(ERR_INVALID, "an endpoint is required");
	if ((rc = check_endpoint(endpoint.ptr))) {
		buf_release(&endpoint);
		return rc;
	}
	if (set(cfg->access_key) != set(cfg->secret_key)) {
		buf_release(&endpoint);
		return err_set(ERR_INVALID, "an access key needs its secret key, and the other way round");
	}
	struct s3_client *c = xcalloc(1, sizeof(*c));
	c->scheme = xstrdup(cfg->insecure ? "http" : "https");
	c->host = vhost ? xasprintf("%s.%s", cfg->bucket, endpoint.ptr) : xstrdup(endpoint.ptr);
	buf_release(&endpoint);
	c->bucket = xstrdup(cfg->bucket);
	c->region = xstrdup(region);
	c->path_style = !vhost;
	if (set(cfg->access_key)) {
		c->access_key = xstrdup(cfg->access_key);
		c->secret_key = xstrdup(cfg->secret_key);
		if (set(cfg->session_token))
			c->session_token = xstrdup(cfg->session_token);
	}
	c->connect_to = cfg->connect_to ? xstrdup(cfg->connect_to) : NULL;
	c->net = cfg->net;
	c->net.errbuf = c->errbuf;
	if (!c->net.user_agent)
		c->net.user_agent = "tide/" TIDE_VERSION;
	c->now = cfg->now;
	c->lim = cfg->lim;
	if (!c->lim.max_page_bytes)
		c->lim.max_page_bytes = DEF_PAGE_BYTES;
	if (!c->lim.max_object_bytes)
		c->lim.max_object_bytes = DEF_OBJECT_BYTES;
	if (!c->lim.attempts)
		c->lim.attempts = DEF_ATTEMPTS;
	if (c->lim.backoff_ms <= 0)
		c->lim.backoff_ms = DEF_BACKOFF_MS;
	net_global_init();
	c->h = curl_easy_init();
	if (!c->h) {
		s3_client_free(c);
		return err_set(ERR_GENERIC, "curl_easy_init failed");
	}
	*out = c;
	return 0;
}

/* ---- One request, with retries ----------------------------------------------------------*/

struct request {
	const char *what;              /* "listing objects", "GET object 'k'": for messages */
	const char *key;               /* NULL: the bucket itself */
	const struct sigv4_pair *query;
	size_t nquery;
	struct buf *body;              /* a 2xx body goes here (capped at max_body) ... */
	size_t max_body;
	int fd;                        /* ... or to this file when >= 0 (capped at max_file) */
	uint64_t max_file;
	/* What one attempt saw. */
	long status;
	uint64_t written;
	bool over, io_failed;
	int io_errno;
	struct buf errbody;            /* a non-2xx body, capped */
	char etag[256];
};

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct request *rq = ud;
	size_t len = size * n;
	if (len >= 5 && !memcmp(p, "HTTP/", 5)) {
		rq->etag[0] = '\0'; /* a new response (after a 100 Continue) */
	} else if (len > 5 && !strncasecmp(p, "etag:", 5)) {
		const char *v = p + 5, *e = p + len;
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e - v >= 2 && *v == '"' && e[-1] == '"')
			v++, e--;
		size_t vl = (size_t)(e - v);
		if (vl < sizeof rq->etag) {
			memcpy(rq->etag, v, vl);
			rq->etag[vl] = '\0';
			for (size_t i = 0; i < vl; i++)
				if ((unsigned char)rq->etag[i] < 0x20)
					rq->etag[i] = '?';
		}
	}
	return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct request *rq = ud;
	size_t len = size * n;
	if (rq->status < 200 || rq->status >= 300) {
		/* An error body: keep what fits for its Code and Message, drop the rest. */
		if (rq->errbody.len < ERROR_BODY_MAX)
			buf_add(&rq->errbody, p,
				len < ERROR_BODY_MAX - rq->errbody.len ? len : ERROR_BODY_MAX - rq->errbody.len);
		return len;
	}
	if (rq->fd >= 0) {
		if (rq->written + len > rq->max_file) {
			rq->over = true;
			return 0;
		}
		for (size_t off = 0; off < len;) {
			ssize_t w = pwrite(rq->fd, p + off, len - off, (off_t)(rq->written + off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				rq->io_failed = true;
				rq->io_errno = w < 0 ? errno : EIO;
				return 0;
			}
			off += (size_t)w;
		}
		rq->written += len;
		return len;
	}
	if (rq->body->len + len > rq->max_body) {
		rq->over = true;
		return 0;
	}
	buf_add(rq->body, p, len);
	return len;
}

/* The status is known once the headers are in; on_body needs it before its first byte. */
struct hdr_ctx {
	struct request *rq;
	CURL *h;
};

static size_t on_header_status(char *p, size_t size, size_t n, void *ud)
{
	struct hdr_ctx *hc = ud;
	size_t len = size * n;
	if (len == 2 && p[0] == '\r' && p[1] == '\n') {
		long st = 0;
		curl_easy_getinfo(hc->h, CURLINFO_RESPONSE_CODE, &st);
		hc->rq->status = st;
	}
	return on_header(p, size, n, hc->rq);
}

static bool retryable_curl(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

static void build_path(struct s3_client *c, const char *key, struct buf *path)
{
	buf_addch(path, '/');
	if (c->path_style) {
		buf_adds(path, c->bucket);
		buf_addch(path, '/');
	}
	if (key)
		buf_adds(path, key);
}

/* One attempt: signs, sends, fills rq's per-attempt fields. Returns the CURLcode, or -1
 * when the request could not be signed (the message is set). */
static int attempt(struct s3_client *c, struct request *rq, const char *path)
{
	rq->status = 0;
	rq->written = 0;
	rq->over = rq->io_failed = false;
	rq->etag[0] = '\0';
	buf_reset(&rq->errbody);
	if (rq->body)
		buf_reset(rq->body);
	if (rq->fd >= 0 && ftruncate(rq->fd, 0) != 0) {
		rq->io_failed = true;
		rq->io_errno = errno;
		return CURLE_WRITE_ERROR;
	}

	struct buf url = BUF_INIT, hosthdr = BUF_INIT;
	buf_addf(&url, "%s://%s", c->scheme, c->host);
	sigv4_uri_encode(&url, path, strlen(path), true);
	if (rq->nquery) {
		buf_addch(&url, '?');
		sigv4_canonical_query(&url, rq->query, rq->nquery);
	}
	buf_addf(&hosthdr, "Host: %s", c->host);

	struct curl_slist *hdrs = curl_slist_append(NULL, hosthdr.ptr);
	/* No "Expect: 100-continue" and no Accept header the signature does not cover. */
	hdrs = curl_slist_append(hdrs, "Expect:");
	struct sigv4_result sig;
	sigv4_result_init(&sig);
	int rc = 0;
	if (c->access_key) {
		struct sigv4_pair signed_hdr[] = { { "Host", c->host } };
		struct sigv4_request sreq = {
			.method = "GET", .path = path, .query = rq->query, .nquery = rq->nquery,
			.headers = signed_hdr, .nheaders = 1, .payload_hash = sigv4_empty_sha256,
		};
		struct sigv4_creds creds = { c->access_key, c->secret_key, c->session_token };
		struct sigv4_params p = {
			.region = c->region, .service = "s3",
			.when = c->now ? c->now() : time(NULL), .add_content_sha256 = true,
		};
		if (sigv4_sign(&sig, &sreq, &creds, &p)) {
			rc = -1;
			goto done;
		}
		for (size_t i = 0; i < sig.nextra; i++)
			hdrs = curl_slist_append(hdrs, sig.extra[i].ptr);
	}
	struct curl_slist *connect_to = NULL;
	if (c->connect_to)
		connect_to = curl_slist_append(NULL, c->connect_to);

	CURL *h = c->h;
	curl_easy_reset(h);
	net_handle_setup(h, &c->net);
	curl_easy_setopt(h, CURLOPT_URL, url.ptr);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	if (connect_to)
		curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to);
	struct hdr_ctx hc = { rq, h };
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header_status);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &hc);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, rq);
	rc = (int)curl_easy_perform(h);
	long st = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &st);
	rq->status = st;
	/* The handle keeps pointers to these: unset before they go. */
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_CONNECT_TO, NULL);
	curl_slist_free_all(connect_to);
done:
	curl_slist_free_all(hdrs);
	sigv4_result_release(&sig);
	buf_release(&url);
	buf_release(&hosthdr);
	return rc;
}

static int status_error(struct s3_client *c, struct request *rq)
{
	struct s3_error e;
	int code = rq->status == 404 ? ERR_NOTFOUND
		   : rq->status == 401 || rq->status == 403 ? ERR_AUTH
		   : rq->status >= 500 ? ERR_UNAVAIL : ERR_INVALID;
	if (rq->errbody.len && s3_parse_error(rq->errbody.ptr, rq->errbody.len, &e) == 0 &&
	    e.code[0]) {
		if (e.message[0])
			return err_set(code, "bucket '%s': %s: %s: %s (HTTP %ld)", c->bucket, rq->what,
				       e.code, e.message, rq->status);
		return err_set(code, "bucket '%s': %s: %s (HTTP %ld)", c->bucket, rq->what, e.code,
			       rq->status);
	}
	return err_set(code, "bucket '%s': %s: HTTP %ld", c->bucket, rq->what, rq->status);
}

static int request(struct s3_client *c, struct request *rq)
{
	struct buf path = BUF_INIT;
	build_path(c, rq->key, &path);
	buf_init(&rq->errbody, 0);
	long backoff = c->lim.backoff_ms;
	int rc = 0;
	for (unsigned n = 1;; n++) {
		int cc = attempt(c, rq, path.ptr);
		bool retry = false;
		if (cc < 0) {
			rc = ERR_INVALID; /* the signer's message */
		} else if (rq->over) {
			rc = rq->fd >= 0
				? err_set(ERR_TOOBIG, "bucket '%s': %s: larger than %llu bytes", c->bucket,
					  rq->what, (unsigned long long)rq->max_file)
				: err_set(ERR_TOOBIG, "bucket '%s': %s: a response larger than %zu bytes",
					  c->bucket, rq->what, rq->max_body);
		} else if (rq->io_failed) {
			rc = err_set(ERR_IO, "bucket '%s': %s: writing the file: %s", c->bucket, rq->what,
				     strerror(rq->io_errno));
		} else if (cc != CURLE_OK) {
			const char *detail = c->errbuf[0] ? c->errbuf : curl_easy_strerror((CURLcode)cc);
			int code = cc == CURLE_OPERATION_TIMEDOUT ? ERR_TIMEOUT
				   : cc == CURLE_PEER_FAILED_VERIFICATION ? ERR_AUTH : ERR_UNAVAIL;
			rc = err_set(code, "bucket '%s': %s: %s", c->bucket, rq->what, detail);
			retry = retryable_curl((CURLcode)cc);
		} else if (rq->status >= 200 && rq->status < 300) {
			rc = 0;
		} else {
			rc = status_error(c, rq);
			retry = rq->status >= 500;
		}
		if (!retry || n >= c->lim.attempts)
			break;
		log_debug("s3 request failed, retrying", "bucket", c->bucket, "what", rq->what,
			  "error", err_msg(), NULL);
		clock_sleep_ms(backoff);
		backoff = backoff * 2 > MAX_BACKOFF_MS ? MAX_BACKOFF_MS : backoff * 2;
	}
	buf_release(&rq->errbody);
	buf_release(&path);
	return rc;
}

/* ---- Listing and download ---------------------------------------------------------------*/

int s3_list_objects(struct s3_client *c, const char *prefix, struct s3_list *out)
{
	char maxkeys[16];
	snprintf(maxkeys, sizeof maxkeys, "%u", c->lim.max_keys);
	struct buf body = BUF_INIT;
	char *token = NULL;
	size_t empty = 0;
	int rc = 0;
	for (;;) {
		struct sigv4_pair q[5];
		size_t nq = 0;
		q[nq++] = (struct sigv4_pair){ "list-type", "2" };
		q[nq++] = (struct sigv4_pair){ "encoding-type", "url" };
		if (set(prefix))
			q[nq++] = (struct sigv4_pair){ "prefix", prefix };
		if (c->lim.max_keys)
			q[nq++] = (struct sigv4_pair){ "max-keys", maxkeys };
		if (token)
			q[nq++] = (struct sigv4_pair){ "continuation-token", token };
		struct request rq = {
			.what = "listing objects", .query = q, .nquery = nq,
			.body = &body, .max_body = c->lim.max_page_bytes, .fd = -1,
		};
		if ((rc = request(c, &rq)))
			break;
		out->pages++;
		if (body.len > out->max_page_len)
			out->max_page_len = body.len;
		struct s3_page page;
		if ((rc = s3_parse_list_page(body.ptr, body.len, &c->lim, out, &page))) {
			err_wrap(rc, "bucket '%s': listing objects", c->bucket);
			break;
		}
		if (!page.truncated) {
			s3_page_release(&page);
			break;
		}
		empty = page.objects ? 0 : empty + 1;
		if (token && !strcmp(token, page.next_token)) {
			s3_page_release(&page);
			rc = err_set(ERR_INVALID, "bucket '%s': listing objects: the server gave the same "
				     "continuation token twice", c->bucket);
			break;
		}
		if (empty > MAX_EMPTY_PAGES) {
			s3_page_release(&page);
			rc = err_set(ERR_INVALID, "bucket '%s': listing objects: more than %d pages in a "
				     "row without objects", c->bucket, MAX_EMPTY_PAGES);
			break;
		}
		free(token);
		token = page.next_token;
		page.next_token = NULL;
	}
	free(token);
	buf_release(&body);
	return rc;
}

int s3_bucket_exists(struct s3_client *c, bool *exists)
{
	*exists = false;
	struct sigv4_pair q[] = { { "list-type", "2" }, { "max-keys", "1" } };
	struct buf body = BUF_INIT;
	struct request rq = {
		.what = "checking the bucket", .query = q, .nquery = 2,
		.body = &body, .max_body = c->lim.max_page_bytes, .fd = -1,
	};
	int rc = request(c, &rq);
	buf_release(&body);
	if (rc == ERR_NOTFOUND && rq.status == 404) {
		err_clear();
		return 0;
	}
	if (!rc)
		*exists = true;
	return rc;
}

int s3_get_object(struct s3_client *c, const char *key, int fd, struct s3_get_result *res)
{
	memset(res, 0, sizeof(*res));
	if (!set(key))
		return err_set(ERR_INVALID, "bucket '%s': an object key is required", c->bucket);
	if (fd < 0)
		return err_set(ERR_INVALID, "bucket '%s': no file to write object '%s' to", c->bucket, key);
	/* The key comes from the server's listing: no control characters into messages. */
	struct buf what = BUF_INIT;
	buf_adds(&what, "GET object '");
	for (const char *k = key; *k; k++)
		buf_addch(&what, (unsigned char)*k < 0x20 || *k == 0x7f ? '?' : *k);
	buf_addch(&what, '\'');
	struct request rq = {
		.what = what.ptr, .key = key, .fd = fd, .max_file = c->lim.max_object_bytes,
	};
	int rc = request(c, &rq);
	res->status = rq.status;
	res->size = rq.written;
	memcpy(res->etag, rq.etag, sizeof res->etag);
	buf_release(&what);
	return rc;
}
