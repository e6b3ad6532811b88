/*
 * The OCI client's transport: one request to a registry over libcurl, with what the
 * distribution API asks of a client around it (oci_registry.h says the behaviour, after
 * go-containerregistry's transport package, which Flux uses):
 *
 *   - the scheme (https, or for an insecure registry the one its /v2/ answers on);
 *   - authentication: anonymous until a 401 challenge, then Basic or a Bearer token from
 *     the realm, cached per scope;
 *   - redirects followed here, hop by hop, so that Authorization never leaves the registry;
 *   - retries with backoff on the statuses and connection failures go-containerregistry
 *     retries, within the client's deadline;
 *   - the registry's JSON errors turned into one message and one code.
 *
 * The client's shared state (scheme, challenge, tokens) is under c->lock; a request holds
 * no lock while it talks to the network, so two threads may fetch the same token at once
 * (the later one wins, both are valid).
 */
#include "source/oci_int.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "doc/doc.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

#ifndef TIDE_VERSION
#define TIDE_VERSION "dev"
#endif

#define REDIRECTS_MAX 10
#define RETRY_AFTER_MAX_MS 10000
#define HEADER_MAX 8192

/* ---- Sinks -------------------------------------------------------------------------------*/

static int mem_write(void *ud, const char *p, size_t n)
{
	struct oci_mem_sink *s = ud;
	if (s->out->len + n > s->max)
		return err_set(ERR_TOOBIG, "%s larger than %zu bytes", s->what, s->max);
	buf_add(s->out, p, n);
	return 0;
}

static void mem_reset(void *ud)
{
	struct oci_mem_sink *s = ud;
	buf_reset(s->out);
}

void oci_mem_sink_init(struct oci_mem_sink *s, struct buf *out, size_t max, const char *what)
{
	s->sink = (struct oci_sink){ mem_write, mem_reset, s };
	s->out = out;
	s->max = max;
	s->what = what;
	buf_reset(out);
}

static int file_write(void *ud, const char *p, size_t n)
{
	struct oci_file_sink *s = ud;
	if (s->written + n > s->max)
		return err_set(ERR_TOOBIG, "%s larger than %llu bytes", s->what,
			       (unsigned long long)s->max);
	EVP_DigestUpdate(s->md, p, n);
	while (n) {
		ssize_t w = write(s->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return err_set(ERR_IO, "writing %s: %s", s->what, strerror(errno));
		p += w;
		n -= (size_t)w;
		s->written += (uint64_t)w;
	}
	return 0;
}

static void file_reset(void *ud)
{
	struct oci_file_sink *s = ud;
	EVP_DigestInit_ex(s->md, EVP_sha256(), NULL);
	s->written = 0;
	if (ftruncate(s->fd, 0) == 0)
		lseek(s->fd, 0, SEEK_SET);
}

void oci_file_sink_init(struct oci_file_sink *s, int fd, uint64_t max, const char *what)
{
	s->sink = (struct oci_sink){ file_write, file_reset, s };
	s->fd = fd;
	s->max = max;
	s->written = 0;
	s->what = what;
	s->md = EVP_MD_CTX_new();
	if (!s->md) {
		fprintf(stderr, "fatal: out of memory\n");
		abort();
	}
	EVP_DigestInit_ex(s->md, EVP_sha256(), NULL);
}

void oci_file_sink_release(struct oci_file_sink *s)
{
	EVP_MD_CTX_free(s->md);
	s->md = NULL;
}

void oci_digest_final(EVP_MD_CTX *md, char out[OCI_DIGEST_MAX + 1])
{
	unsigned char h[32];
	unsigned hn = 0;
	EVP_DigestFinal_ex(md, h, &hn);
	memcpy(out, "sha256:", 7);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", h[i]);
}

void oci_digest_mem(const void *p, size_t n, char out[OCI_DIGEST_MAX + 1])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, p, n);
	oci_digest_final(md, out);
	EVP_MD_CTX_free(md);
}

/* ---- Requests -----------------------------------------------------------------------------*/

void oci_req_init(struct oci_req *r, const char *method)
{
	memset(r, 0, sizeof(*r));
	r->method = method;
	r->body_fd = -1;
	struct buf *bufs[] = { &r->final_url, &r->ctype, &r->location, &r->link, &r->www_auth,
			       &r->digest, &r->errbody };
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		buf_init(bufs[i], 0);
	r->content_length = -1;
	r->retry_after = -1;
}

void oci_req_release(struct oci_req *r)
{
	struct buf *bufs[] = { &r->final_url, &r->ctype, &r->location, &r->link, &r->www_auth,
			       &r->digest, &r->errbody };
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		buf_release(bufs[i]);
}

static void reset_response(struct oci_req *r)
{
	r->status = 0;
	buf_reset(&r->ctype);
	buf_reset(&r->location);
	buf_reset(&r->link);
	buf_reset(&r->www_auth);
	buf_reset(&r->digest);
	buf_reset(&r->errbody);
	r->content_length = -1;
	r->retry_after = -1;
}

void oci_redact_url(struct buf *out, const char *url)
{
	buf_add(out, url, strcspn(url, "?#"));
}

/* One transfer's callbacks. */
struct hop {
	struct oci_req *r;
	CURL *h;
	bool status_known;
};

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct hop *hp = ud;
	struct oci_req *r = hp->r;
	size_t n = size * nmemb;
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* a new response (after a 100 Continue): forget the last one's headers */
		reset_response(r);
		hp->status_known = false;
		return n;
	}
	const char *colon = memchr(data, ':', n);
	if (!colon)
		return n;
	size_t nl = (size_t)(colon - data);
	const char *v = colon + 1;
	size_t vl = n - nl - 1;
	while (vl && (*v == ' ' || *v == '\t'))
		v++, vl--;
	while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
		vl--;
#define HDR(name) (nl == sizeof(name) - 1 && strncasecmp(data, name, nl) == 0)
	struct buf *dst = NULL;
	size_t cap = HEADER_MAX;
	if (HDR("content-type"))
		dst = &r->ctype;
	else if (HDR("location"))
		dst = &r->location;
	else if (HDR("link"))
		dst = &r->link;
	else if (HDR("docker-content-digest"))
		dst = &r->digest;
	else if (HDR("www-authenticate")) {
		dst = &r->www_auth;
		cap = OCI_CHALLENGE_MAX + 1;
		if (dst->len)
			buf_adds(dst, ", ");
	} else if (HDR("content-length") || HDR("retry-after")) {
		char tmp[24];
		if (vl && vl < sizeof(tmp)) {
			memcpy(tmp, v, vl);
			tmp[vl] = '\0';
			char *end;
			long long x = strtoll(tmp, &end, 10);
			if (*end == '\0' && x >= 0) {
				if (HDR("content-length"))
					r->content_length = x;
				else
					r->retry_after = x > 3600 ? 3600 : (long)x;
			}
		}
		return n;
	}
#undef HDR
	if (dst) {
		/* past the cap the value is dropped whole, never cut into something else */
		if (dst->len + vl > cap)
			buf_addch(dst, '\x01');
		else
			buf_add(dst, v, vl);
	}
	return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct hop *hp = ud;
	struct oci_req *r = hp->r;
	size_t n = size * nmemb;
	if (!hp->status_known) {
		curl_easy_getinfo(hp->h, CURLINFO_RESPONSE_CODE, &r->status);
		hp->status_known = true;
	}
	if (r->status >= 200 && r->status < 300) {
		if (!r->sink)
			return n;
		int rc = r->sink->write(r->sink->ud, data, n);
		if (rc) {
			r->sink_rc = rc;
			return 0; /* curl stops with CURLE_WRITE_ERROR */
		}
		return n;
	}
	size_t room = OCI_ERRBODY_MAX - r->errbody.len;
	buf_add(&r->errbody, data, n < room ? n : room);
	return n;
}

static size_t on_read(char *out, size_t size, size_t nmemb, void *ud)
{
	struct oci_req *r = ud;
	size_t want = size * nmemb;
	if (r->body_fd < 0) {
		size_t left = r->body_len - (size_t)r->body_pos;
		size_t k = want < left ? want : left;
		memcpy(out, (const char *)r->body + r->body_pos, k);
		r->body_pos += k;
		return k;
	}
	uint64_t left = r->body_fd_len - r->body_pos;
	size_t k = want < left ? want : (size_t)left;
	if (k == 0)
		return 0;
	ssize_t got;
	do
		got = pread(r->body_fd, out, k, (off_t)r->body_pos);
	while (got < 0 && errno == EINTR);
	if (got <= 0)
		return CURL_READFUNC_ABORT;
	r->body_pos += (uint64_t)got;
	return (size_t)got;
}

static int on_seek(void *ud, curl_off_t offset, int origin)
{
	struct oci_req *r = ud;
	uint64_t len = r->body_fd < 0 ? r->body_len : r->body_fd_len;
	if (origin != SEEK_SET || offset < 0 || (uint64_t)offset > len)
		return CURL_SEEKFUNC_CANTSEEK;
	r->body_pos = (uint64_t)offset;
	return CURL_SEEKFUNC_OK;
}

static void lower_first(char *s)
{
	if (s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z'))
		s[0] = (char)(s[0] - 'A' + 'a');
}

static int transfer_error(const char *method, const char *url, CURLcode cc, const char *errbuf)
{
	char detail[CURL_ERROR_SIZE + 1];
	snprintf(detail, sizeof(detail), "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
	lower_first(detail);
	struct buf u = BUF_INIT;
	oci_redact_url(&u, url);
	int code;
	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
		code = ERR_TIMEOUT;
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		code = ERR_AUTH;
		break;
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		code = ERR_INVALID;
		break;
	default:
		code = ERR_UNAVAIL;
	}
	int rc = err_set(code, "%s %s: %s", method, u.ptr, detail);
	buf_release(&u);
	return rc;
}

static bool retryable_transfer(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static bool retryable_status(long s)
{
	return s == 408 || s == 429 || s == 499 || s == 500 || s == 502 || s == 503 || s == 504 ||
	       s == 522;
}

/* The transfer time limit: the client's, cut to what is left before the deadline. 0 when
 * the deadline has passed. */
static long time_left_ms(const struct oci_client *c, bool *expired)
{
	*expired = false;
	long t = c->net.timeout_ms;
	if (c->deadline_ms > 0) {
		int64_t left = c->deadline_ms - clock_mono_ms();
		if (left <= 0) {
			*expired = true;
			return 0;
		}
		if (t <= 0 || left < t)
			t = (long)left;
	}
	return t;
}

static int deadline_error(const char *method, const char *url)
{
	struct buf u = BUF_INIT;
	oci_redact_url(&u, url);
	int rc = err_set(ERR_TIMEOUT, "%s %s: context deadline exceeded", method, u.ptr);
	buf_release(&u);
	return rc;
}

/* One HTTP exchange with url, no redirects followed. 0 when a response arrived. *next gets
 * the resolved Location of a redirect response (heap, or NULL). */
static int perform(struct oci_client *c, struct oci_req *r, const char *url, const char *auth,
		   char **next)
{
	*next = NULL;
	r->curl_code = 0;
	bool expired;
	long t = time_left_ms(c, &expired);
	if (expired)
		return deadline_error(r->method, url);
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *h = net_pool_take(c->pool);
	struct net_opts o = c->net;
	o.errbuf = errbuf;
	o.timeout_ms = t;
	net_handle_setup(h, &o);
	struct hop hp = { r, h, false };
	struct curl_slist *hdrs = NULL;
	struct buf line = BUF_INIT;
	if (r->accept) {
		buf_addf(&line, "Accept: %s", r->accept);
		hdrs = curl_slist_append(hdrs, line.ptr);
	}
	if (r->content_type) {
		buf_reset(&line);
		buf_addf(&line, "Content-Type: %s", r->content_type);
		hdrs = curl_slist_append(hdrs, line.ptr);
	}
	if (auth) {
		buf_reset(&line);
		buf_addf(&line, "Authorization: %s", auth);
		hdrs = curl_slist_append(hdrs, line.ptr);
		explicit_bzero(line.ptr, line.len);
	}
	hdrs = curl_slist_append(hdrs, "Expect:");
	buf_release(&line);

	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &hp);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &hp);
	uint64_t blen = r->body_fd >= 0 ? r->body_fd_len : r->body_len;
	r->body_pos = 0;
	if (strcmp(r->method, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else if (strcmp(r->method, "PUT") == 0 || strcmp(r->method, "POST") == 0) {
		if (r->method[1] == 'U') {
			curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
			curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE,
					 (curl_off_t)(r->has_body ? blen : 0));
		} else {
			curl_easy_setopt(h, CURLOPT_POST, 1L);
			curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
					 (curl_off_t)(r->has_body ? blen : 0));
		}
		curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(h, CURLOPT_READDATA, r);
		curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, on_seek);
		curl_easy_setopt(h, CURLOPT_SEEKDATA, r);
		if (!r->has_body) {
			r->body = "";
			r->body_len = 0;
			r->body_fd = -1;
		}
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	}
	reset_response(r);
	r->sink_rc = 0;
	CURLcode cc = curl_easy_perform(h);
	r->curl_code = (int)cc;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	if (cc == CURLE_OK && r->status >= 300 && r->status < 400) {
		char *loc = NULL;
		curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
		if (loc)
			*next = xstrdup(loc);
	}
	net_pool_give(c->pool, h);
	curl_slist_free_all(hdrs);
	buf_reset(&r->final_url);
	buf_adds(&r->final_url, url);
	if (r->sink_rc)
		return r->sink_rc;
	if (cc != CURLE_OK) {
		r->status = 0;
		return transfer_error(r->method, url, cc, errbuf);
	}
	return 0;
}

/* ---- Origins and the realm -----------------------------------------------------------------*/

/* scheme, host and port of url, lowercased, with the default port dropped. */
static void origin_of(const char *url, struct buf *out)
{
	const char *sep = strstr(url, "://");
	if (!sep)
		return;
	size_t sl = (size_t)(sep - url);
	const char *auth = sep + 3;
	size_t al = strcspn(auth, "/?#");
	/* userinfo is never part of a URL here; drop it anyway */
	const char *at = memchr(auth, '@', al);
	if (at) {
		al -= (size_t)(at + 1 - auth);
		auth = at + 1;
	}
	for (size_t i = 0; i < sl; i++)
		buf_addch(out, (char)(url[i] >= 'A' && url[i] <= 'Z' ? url[i] + 32 : url[i]));
	buf_adds(out, "://");
	size_t start = out->len;
	for (size_t i = 0; i < al; i++)
		buf_addch(out, (char)(auth[i] >= 'A' && auth[i] <= 'Z' ? auth[i] + 32 : auth[i]));
	const char *dflt = strncmp(out->ptr, "https://", 8) == 0 ? ":443"
			   : strncmp(out->ptr, "http://", 7) == 0 ? ":80" : NULL;
	size_t dl = dflt ? strlen(dflt) : 0;
	if (dflt && out->len - start > dl && strcmp(out->ptr + out->len - dl, dflt) == 0) {
		out->len -= dl;
		out->ptr[out->len] = '\0';
	}
}

bool oci_same_origin(const char *a, const char *b)
{
	struct buf x = BUF_INIT, y = BUF_INIT;
	origin_of(a, &x);
	origin_of(b, &y);
	bool same = x.len && strcmp(x.ptr, y.ptr) == 0;
	buf_release(&x);
	buf_release(&y);
	return same;
}

int oci_base_url(struct oci_client *c, struct buf *out)
{
	pthread_mutex_lock(&c->lock);
	char scheme[8];
	memcpy(scheme, c->scheme, sizeof(scheme));
	pthread_mutex_unlock(&c->lock);
	if (!scheme[0]) {
		/* the insecure ping: https (unverified) first, then http */
		static const char *const tries[] = { "https", "http" };
		int rc = 0;
		for (size_t i = 0; i < 2; i++) {
			struct oci_req r;
			oci_req_init(&r, "GET");
			struct buf url = BUF_INIT;
			buf_addf(&url, "%s://%s/v2/", tries[i], c->host);
			r.url = url.ptr;
			r.token_request = true; /* no challenge handling: only the scheme is wanted */
			rc = oci_do(c, &r);
			oci_req_release(&r);
			buf_release(&url);
			if (rc == 0) {
				pthread_mutex_lock(&c->lock);
				snprintf(c->scheme, sizeof(c->scheme), "%s", tries[i]);
				pthread_mutex_unlock(&c->lock);
				snprintf(scheme, sizeof(scheme), "%s", tries[i]);
				break;
			}
			if (rc == ERR_TIMEOUT && c->deadline_ms > 0 && clock_mono_ms() >= c->deadline_ms)
				return rc;
		}
		if (!scheme[0])
			return rc;
	}
	buf_addf(out, "%s://%s", scheme, c->host);
	return 0;
}

/* Loopback, private, link-local or unspecified (go-containerregistry's realm check). */
static bool internal_ip(const char *host)
{
	unsigned char a[16];
	if (inet_pton(AF_INET, host, a) == 1)
		return a[0] == 127 || a[0] == 10 || a[0] == 0 || (a[0] == 172 && (a[1] & 0xf0) == 16) ||
		       (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254);
	if (inet_pton(AF_INET6, host, a) == 1) {
		static const unsigned char zero[16];
		bool lo = memcmp(a, zero, 15) == 0 && (a[15] == 1 || a[15] == 0);
		bool v4mapped = memcmp(a, zero, 10) == 0 && a[10] == 0xff && a[11] == 0xff;
		if (v4mapped) {
			char v4[INET_ADDRSTRLEN];
			inet_ntop(AF_INET, a + 12, v4, sizeof(v4));
			return internal_ip(v4);
		}
		return lo || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || (a[0] & 0xfe) == 0xfc ||
		       (a[0] == 0xff && (a[1] & 0x0f) <= 2);
	}
	return false;
}

static int realm_check(const struct oci_client *c, const char *realm)
{
	bool https = strncasecmp(realm, "https://", 8) == 0;
	bool http = strncasecmp(realm, "http://", 7) == 0;
	if (!https && !(http && c->insecure))
		return err_set(ERR_AUTH, "refusing token realm '%.200s': %s", realm,
			       http ? "http is allowed for an insecure registry only"
				    : "the realm must be an https URL");
	const char *h = realm + (https ? 8 : 7);
	size_t hl = strcspn(h, "/?#");
	const char *at = memchr(h, '@', hl);
	if (at)
		return err_set(ERR_AUTH, "refusing token realm with user information");
	char host[300];
	if (hl >= sizeof(host))
		return err_set(ERR_AUTH, "refusing token realm: host too long");
	if (h[0] == '[') {
		const char *close = memchr(h, ']', hl);
		if (!close)
			return err_set(ERR_AUTH, "refusing token realm '%.200s': bad host", realm);
		snprintf(host, sizeof(host), "%.*s", (int)(close - h - 1), h + 1);
	} else {
		snprintf(host, sizeof(host), "%.*s", (int)strcspn(h, ":/?#"), h);
	}
	if (internal_ip(host) && strcasecmp(host, c->hostname) != 0)
		return err_set(ERR_AUTH, "refusing token realm '%.200s': %s is a private or link-local "
			       "address", realm, host);
	return 0;
}

/* ---- Tokens -------------------------------------------------------------------------------*/

static void scope_of(const struct oci_req *r, struct buf *out)
{
	if (r->repo)
		buf_addf(out, "repository:%s:%s", r->repo, r->push ? "pull,push" : "pull");
}

/* "Basic base64(username:password)" (heap), for the registry and for its token realm alike; the
 * joined credentials are wiped before they are freed. */
static char *basic_authorization(const struct oci_client *c)
{
	struct buf up = BUF_INIT, b = BUF_INIT;
	buf_addf(&up, "%s:%s", c->username, c->password ? c->password : "");
	buf_adds(&b, "Basic ");
	base64_encode(&b, up.ptr, up.len);
	explicit_bzero(up.ptr, up.len);
	buf_release(&up);
	return buf_detach(&b, NULL);
}

/* The Authorization value for a request of scope to the registry (heap), or NULL. *need_token
 * is set when the registry wants a bearer token and none is cached for the scope. */
static char *auth_for(struct oci_client *c, const char *scope, bool *need_token)
{
	*need_token = false;
	char *res = NULL;
	pthread_mutex_lock(&c->lock);
	if (c->auth == OCI_AUTH_BEARER && c->registry_token) {
		res = xasprintf("Bearer %s", c->registry_token);
	} else if (c->auth == OCI_AUTH_BEARER) {
		int64_t now = clock_mono_ms();
		for (size_t i = 0; i < c->ntokens; i++)
			if (strcmp(c->tokens[i].scope, scope) == 0 && c->tokens[i].expires_ms > now)
				res = xasprintf("Bearer %s", c->tokens[i].token);
		if (!res)
			*need_token = true;
	} else if (c->auth == OCI_AUTH_BASIC && c->username) {
		res = basic_authorization(c);
	}
	pthread_mutex_unlock(&c->lock);
	return res;
}

static void token_store(struct oci_client *c, const char *scope, const char *token,
			int64_t expires_ms)
{
	pthread_mutex_lock(&c->lock);
	size_t slot = c->ntokens;
	for (size_t i = 0; i < c->ntokens; i++)
		if (strcmp(c->tokens[i].scope, scope) == 0)
			slot = i;
	if (slot == OCI_TOKENS_MAX) {
		/* full: the one that expires first goes */
		slot = 0;
		for (size_t i = 1; i < c->ntokens; i++)
			if (c->tokens[i].expires_ms < c->tokens[slot].expires_ms)
				slot = i;
	}
	if (slot < c->ntokens) {
		free(c->tokens[slot].scope);
		xfree_secret(c->tokens[slot].token);
	} else {
		c->ntokens++;
	}
	c->tokens[slot].scope = xstrdup(scope);
	c->tokens[slot].token = xstrdup(token);
	c->tokens[slot].expires_ms = expires_ms;
	pthread_mutex_unlock(&c->lock);
}

static void token_drop(struct oci_client *c, const char *scope)
{
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->ntokens; i++)
		if (strcmp(c->tokens[i].scope, scope) == 0)
			c->tokens[i].expires_ms = 0;
	pthread_mutex_unlock(&c->lock);
}

void oci_url_escape(struct buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    strchr("-_.~", ch))
			buf_addch(out, (char)ch);
		else
			buf_addf(out, "%%%02X", ch);
	}
}

/* Fetches a token for scope (and extra, the challenge's scope when it differs) from the
 * realm the registry named, and caches it. */
static int fetch_token(struct oci_client *c, const char *scope, const char *extra)
{
	struct buf url = BUF_INIT;
	pthread_mutex_lock(&c->lock);
	buf_adds(&url, c->realm ? c->realm : "");
	char *service = c->service ? xstrdup(c->service) : NULL;
	pthread_mutex_unlock(&c->lock);
	char sep = strchr(url.ptr, '?') ? '&' : '?';
	if (service && *service) {
		buf_addf(&url, "%cservice=", sep);
		oci_url_escape(&url, service);
		sep = '&';
	}
	if (*scope) {
		buf_addf(&url, "%cscope=", sep);
		oci_url_escape(&url, scope);
		sep = '&';
	}
	if (extra && *extra && strcmp(extra, scope) != 0) {
		buf_addf(&url, "%cscope=", sep);
		oci_url_escape(&url, extra);
	}
	free(service);

	char *basic = c->username ? basic_authorization(c) : NULL;
	struct buf body = BUF_INIT;
	struct oci_mem_sink sink;
	oci_mem_sink_init(&sink, &body, OCI_TOKEN_BODY_MAX, "token response");
	struct oci_req r;
	oci_req_init(&r, "GET");
	r.url = url.ptr;
	r.token_request = true;
	r.authorization = basic;
	r.accept = "application/json";
	r.sink = &sink.sink;
	int64_t started = clock_mono_ms();
	int rc = oci_do(c, &r);
	if (!rc && (r.status < 200 || r.status > 299)) {
		rc = oci_status_error(&r);
		if (rc != ERR_UNAVAIL && rc != ERR_TIMEOUT)
			rc = ERR_AUTH;
		struct buf u = BUF_INIT;
		oci_redact_url(&u, url.ptr);
		rc = err_set(rc, "failed to get a token for '%s' from %s: %s", scope, u.ptr,
			     err_msg());
		buf_release(&u);
	}
	if (!rc) {
		struct arena *a = arena_new();
		struct doc_limits lim = { .max_bytes = OCI_TOKEN_BODY_MAX, .max_depth = 16 };
		struct doc_node *root = NULL;
		if (doc_parse_json(a, "token response", body.ptr, body.len, &lim, &root) ||
		    root->kind != DOC_MAP) {
			rc = err_set(ERR_AUTH, "token response for '%s' is not a JSON object", scope);
		} else {
			const char *tok = doc_get_str(root, "access_token");
			if (!tok || !*tok)
				tok = doc_get_str(root, "token");
			int64_t expires = 60;
			const struct doc_node *e = doc_map_get(root, "expires_in");
			if (e && e->kind == DOC_INT && doc_int64(e, &expires) == 0 && expires < 60)
				expires = 60; /* the token spec's minimum */
			if (expires > 86400)
				expires = 86400;
			bool printable = tok && *tok;
			for (const char *p = tok; printable && *p; p++)
				printable = (unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f;
			if (!printable)
				rc = err_set(ERR_AUTH, "token response for '%s' has no usable token",
					     scope);
			else
				/* used until 90% of its life has gone, counted from the request */
				token_store(c, scope, tok, started + expires * 900);
		}
		arena_free(a);
	}
	oci_req_release(&r);
	explicit_bzero(body.ptr, body.len);
	buf_release(&body);
	buf_release(&url);
	xfree_secret(basic);
	return rc;
}

/* Learns the challenge of a 401. */
static int learn_challenge(struct oci_client *c, const struct oci_req *r,
			   struct oci_challenge *chal)
{
	if (!r->www_auth.len) {
		return oci_status_error(r);
	}
	int rc = oci_challenge_parse(chal, r->www_auth.ptr, r->www_auth.len);
	if (rc)
		return rc;
	if (chal->scheme == OCI_AUTH_BEARER) {
		rc = realm_check(c, chal->realm);
		if (rc)
			return rc;
	}
	pthread_mutex_lock(&c->lock);
	c->auth = chal->scheme;
	free(c->realm);
	free(c->service);
	c->realm = chal->realm[0] ? xstrdup(chal->realm) : NULL;
	c->service = chal->service[0] ? xstrdup(chal->service) : NULL;
	pthread_mutex_unlock(&c->lock);
	return 0;
}

/* ---- The request loop ---------------------------------------------------------------------*/

static int64_t backoff_wait(const struct oci_client *c, int attempt, const struct oci_req *r)
{
	int64_t w = c->backoff_ms;
	for (int i = 1; i < attempt; i++)
		w *= 3;
	/* 10% jitter, from the clock's low bits: spreading, not secrecy */
	int64_t j = w / 10;
	if (j > 0)
		w += (clock_mono_ms() % (2 * j + 1)) - j;
	if (r->retry_after > 0 && (r->status == 429 || r->status == 503)) {
		int64_t ra = (int64_t)r->retry_after * 1000;
		if (ra > RETRY_AFTER_MAX_MS)
			ra = RETRY_AFTER_MAX_MS;
		if (ra > w)
			w = ra;
	}
	return w;
}

static bool is_redirect(long s)
{
	return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
}

int oci_do(struct oci_client *c, struct oci_req *r)
{
	struct buf url0 = BUF_INIT, base = BUF_INIT, scope = BUF_INIT, shown = BUF_INIT;
	int rc = 0;
	if (r->url) {
		buf_adds(&url0, r->url);
	} else {
		rc = oci_base_url(c, &base);
		if (rc)
			goto done;
		buf_addf(&url0, "%s%s", base.ptr, r->path);
	}
	if (!base.len && !r->token_request) {
		rc = oci_base_url(c, &base);
		if (rc)
			goto done;
	}
	scope_of(r, &scope);
	oci_redact_url(&shown, url0.ptr);
	bool follow = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
	bool auth_retried = false;
	int attempt = 1;
	for (;;) {
		if (r->sink)
			r->sink->reset(r->sink->ud);
		char *auth = NULL;
		if (r->token_request) {
			auth = r->authorization ? xstrdup(r->authorization) : NULL;
		} else {
			bool need_token;
			auth = auth_for(c, scope.ptr, &need_token);
			if (need_token) {
				rc = fetch_token(c, scope.ptr, NULL);
				if (rc)
					goto done;
				auth = auth_for(c, scope.ptr, &need_token);
			}
		}
		/* the hops of one attempt */
		char *url = xstrdup(url0.ptr);
		int hops = 0;
		bool at_registry = true;
		for (;;) {
			char *next = NULL;
			at_registry = r->token_request ? oci_same_origin(url, url0.ptr)
						       : oci_same_origin(url, base.ptr);
			rc = perform(c, r, url, at_registry ? auth : NULL, &next);
			if (rc || !follow || !is_redirect(r->status) || !next) {
				free(next);
				break;
			}
			if (++hops > REDIRECTS_MAX) {
				free(next);
				rc = err_set(ERR_INVALID, "%s %s: stopped after %d redirects", r->method,
					     shown.ptr, REDIRECTS_MAX);
				break;
			}
			bool to_http = strncasecmp(next, "http://", 7) == 0;
			bool to_https = strncasecmp(next, "https://", 8) == 0;
			if (!to_http && !to_https) {
				rc = err_set(ERR_INVALID, "%s %s: refusing a redirect to another scheme",
					     r->method, shown.ptr);
				free(next);
				break;
			}
			if (to_http && strncasecmp(url, "https://", 8) == 0) {
				rc = err_set(ERR_INVALID, "%s %s: refusing a redirect from https to http",
					     r->method, shown.ptr);
				free(next);
				break;
			}
			if (r->token_request && (rc = realm_check(c, next)) != 0) {
				/* a token server's redirect is held to the realm's rules */
				free(next);
				break;
			}
			free(url);
			url = next;
		}
		free(url);
		xfree_secret(auth);
		if (rc) {
			/* a transfer failure: retried when the connection failed or dropped */
			bool retry = r->curl_code != CURLE_OK && !r->sink_rc &&
				     retryable_transfer((CURLcode)r->curl_code) &&
				     attempt < c->max_attempts;
			if (!retry)
				goto done;
		} else if (r->status == 401 && at_registry && !r->token_request && !auth_retried) {
			struct oci_challenge chal;
			rc = learn_challenge(c, r, &chal);
			if (rc)
				goto done;
			if (chal.scheme == OCI_AUTH_BASIC && !c->username)
				goto status_done; /* nothing to offer: the 401 is the answer */
			if (chal.scheme == OCI_AUTH_BEARER && !c->registry_token) {
				token_drop(c, scope.ptr);
				rc = fetch_token(c, scope.ptr, chal.scope);
				if (rc)
					goto done;
			}
			auth_retried = true;
			continue;
		} else if (!(retryable_status(r->status) && attempt < c->max_attempts)) {
			goto status_done;
		}
		/* wait, then try again */
		int64_t w = backoff_wait(c, attempt, r);
		if (c->deadline_ms > 0 && clock_mono_ms() + w >= c->deadline_ms) {
			if (rc == 0)
				goto status_done;
			goto done;
		}
		clock_sleep_ms(w);
		attempt++;
		rc = 0;
	}
status_done:
	rc = 0;
done:
	buf_release(&url0);
	buf_release(&base);
	buf_release(&scope);
	buf_release(&shown);
	return rc;
}

/* ---- Errors --------------------------------------------------------------------------------*/

static const char *status_text(long s)
{
	switch (s) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 413: return "Request Entity Too Large";
	case 416: return "Requested Range Not Satisfiable";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "";
	}
}

/* Appends s[0..n) with control characters as spaces, at most max bytes. */
static void add_clean(struct buf *out, const char *s, size_t n, size_t max)
{
	if (n > max)
		n = max;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		buf_addch(out, ch < 0x20 || ch == 0x7f ? ' ' : (char)ch);
	}
}

static int code_for(const char *code, long status)
{
	if (code) {
		if (!strcmp(code, "MANIFEST_UNKNOWN") || !strcmp(code, "NAME_UNKNOWN") ||
		    !strcmp(code, "BLOB_UNKNOWN") || !strcmp(code, "BLOB_UPLOAD_UNKNOWN"))
			return ERR_NOTFOUND;
		if (!strcmp(code, "UNAUTHORIZED") || !strcmp(code, "DENIED"))
			return ERR_AUTH;
		if (!strcmp(code, "TOOMANYREQUESTS") || !strcmp(code, "UNAVAILABLE"))
			return ERR_UNAVAIL;
		if (!strcmp(code, "UNSUPPORTED"))
			return ERR_UNSUPPORTED;
	}
	if (status == 404)
		return ERR_NOTFOUND;
	if (status == 401 || status == 403)
		return ERR_AUTH;
	if (status == 429 || status >= 500)
		return ERR_UNAVAIL;
	if (code && (!strcmp(code, "UNKNOWN")))
		return ERR_UNAVAIL;
	return ERR_INVALID;
}

int oci_status_error(const struct oci_req *r)
{
	struct buf msg = BUF_INIT, u = BUF_INIT;
	oci_redact_url(&u, r->final_url.ptr);
	const char *first_code = NULL;
	char codebuf[64] = "";
	struct arena *a = arena_new();
	struct doc_limits lim = { .max_bytes = OCI_ERRBODY_MAX, .max_depth = 16 };
	struct doc_node *root = NULL;
	const struct doc_node *errs = NULL;
	if (r->errbody.len && r->errbody.ptr[0] == '{' &&
	    doc_parse_json(a, "error", r->errbody.ptr, r->errbody.len, &lim, &root) == 0)
		errs = doc_map_get(root, "errors");
	size_t nerr = errs && errs->kind == DOC_SEQ ? errs->u.seq.len : 0;
	size_t shown = 0;
	for (size_t i = 0; i < nerr && msg.len < 1024; i++) {
		const struct doc_node *e = errs->u.seq.items[i];
		const char *code = doc_get_str(e, "code"), *m = doc_get_str(e, "message");
		if (!code)
			continue;
		if (shown++)
			buf_adds(&msg, "; ");
		add_clean(&msg, code, strlen(code), 64);
		buf_adds(&msg, ": ");
		add_clean(&msg, m ? m : "", m ? strlen(m) : 0, 300);
		if (!first_code) {
			snprintf(codebuf, sizeof(codebuf), "%s", code);
			first_code = codebuf;
		}
	}
	int code = code_for(first_code, r->status);
	int rc;
	if (shown > 1)
		rc = err_set(code, "%s %s: multiple errors returned: %s", r->method, u.ptr, msg.ptr);
	else if (shown == 1)
		rc = err_set(code, "%s %s: %s", r->method, u.ptr, msg.ptr);
	else {
		buf_reset(&msg);
		buf_addf(&msg, "unexpected status code %ld", r->status);
		if (*status_text(r->status))
			buf_addf(&msg, " %s", status_text(r->status));
		if (strcmp(r->method, "HEAD") == 0) {
			buf_adds(&msg, " (HEAD responses have no body, use GET for details)");
		} else if (r->errbody.len) {
			buf_adds(&msg, ": ");
			add_clean(&msg, r->errbody.ptr, r->errbody.len, 200);
		}
		rc = err_set(code, "%s %s: %s", r->method, u.ptr, msg.ptr);
	}
	arena_free(a);
	buf_release(&msg);
	buf_release(&u);
	return rc;
}
