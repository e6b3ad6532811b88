/*
 * The HTTP transport of the Kubernetes client, over libcurl.
 *
 * One net_pool per kube_client_new (net/http.h: easy handles over one share of the
 * connection cache, TLS sessions and DNS), so every request of every thread (and of every
 * impersonating child client) reuses the same HTTP/2 connections. Before each attempt a
 * token is taken from the client's token bucket.
 *
 * Retries (as client-go's rest.Request does, with a capped exponential backoff):
 *   - 429 Too Many Requests: any verb (the server did not act on it); Retry-After honoured.
 *   - 5xx except 501, and dropped connections: idempotent requests only (GET, PUT, DELETE,
 *     server-side apply), Retry-After honoured when given.
 *   - connection refused: any verb (nothing was sent).
 * Certificates, keys and the CA come from memory, never temporary files: net (net/http.h)
 * sets up each handle's TLS, proxy and time limits, as for every other HTTP user; this file
 * adds what is the API server's (HTTP/2, authentication, impersonation, callbacks).
 */
#include "kube/client_impl.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "kube/config.h"
#include "kube/status.h"
#include "net/http.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "util/banned.h"

#ifndef TIDE_VERSION
#define TIDE_VERSION "dev"
#endif

#define ERRBODY_MAX (1u << 20)

static char *dupmem(const char *p, size_t n)
{
	if (!p)
		return NULL;
	char *r = xmalloc(n + 1);
	memcpy(r, p, n);
	r[n] = '\0';
	return r;
}

static char *dupstr(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static struct kube_config *config_copy(const struct kube_config *c)
{
	struct kube_config *r = xcalloc(1, sizeof(*r));
	r->context = dupstr(c->context);
	r->source = dupstr(c->source);
	r->server = dupstr(c->server);
	r->namespace = dupstr(c->namespace ? c->namespace : "default");
	r->ca_pem = dupmem(c->ca_pem, c->ca_pem_len);
	r->ca_pem_len = c->ca_pem_len;
	r->insecure = c->insecure;
	r->tls_server_name = dupstr(c->tls_server_name);
	r->proxy_url = dupstr(c->proxy_url);
	r->cert_pem = dupmem(c->cert_pem, c->cert_pem_len);
	r->cert_pem_len = c->cert_pem_len;
	r->key_pem = dupmem(c->key_pem, c->key_pem_len);
	r->key_pem_len = c->key_pem_len;
	r->token = dupstr(c->token);
	r->token_file = dupstr(c->token_file);
	r->username = dupstr(c->username);
	r->password = dupstr(c->password);
	return r;
}

int kube_client_new(struct kube_client **out, const struct kube_config *cfg,
		    const struct kube_client_opts *opts)
{
	struct kube_client_opts o = opts ? *opts : (struct kube_client_opts){ 0 };
	if (!cfg || !cfg->server || (strncmp(cfg->server, "https://", 8) != 0 &&
				     strncmp(cfg->server, "http://", 7) != 0))
		return err_set(ERR_INVALID, "invalid server URL '%s'",
			       cfg && cfg->server ? cfg->server : "");
	struct kube_shared *sh = xcalloc(1, sizeof(*sh));
	atomic_init(&sh->refs, 1);
	sh->cfg = config_copy(cfg);
	sh->qps = o.qps == 0 ? 50 : o.qps;
	sh->burst = o.burst > 0 ? o.burst : 100;
	sh->connect_timeout_ms = o.connect_timeout_ms > 0 ? o.connect_timeout_ms : 10000;
	sh->timeout_ms = o.timeout_ms > 0 ? o.timeout_ms : 60000;
	sh->max_body = o.max_body ? o.max_body : (size_t)256 << 20;
	sh->max_retries = o.max_retries == 0 ? 4 : o.max_retries < 0 ? 0 : o.max_retries;
	sh->max_backoff_ms = o.max_backoff_ms > 0 ? o.max_backoff_ms : 5000;
	sh->user_agent = o.user_agent ? xstrdup(o.user_agent) : xstrdup("tide/" TIDE_VERSION);
	pthread_mutex_init(&sh->token_lock, NULL);
	ratelimit_init(&sh->rl, sh->qps, sh->burst);
	sh->pool = net_pool_new();
	sh->mapper = mapper_new();

	struct kube_client *c = xcalloc(1, sizeof(*c));
	c->sh = sh;
	*out = c;
	if (o.impersonate_user) {
		struct kube_client *imp;
		kube_client_impersonate(&imp, c, o.impersonate_user, o.impersonate_groups);
		/* the impersonating client holds a reference of its own */
		kube_client_free(c);
		*out = imp;
	}
	return 0;
}

int kube_client_impersonate(struct kube_client **out, struct kube_client *base,
			    const char *user, const char *const *groups)
{
	struct kube_client *c = xcalloc(1, sizeof(*c));
	c->sh = base->sh;
	atomic_fetch_add(&c->sh->refs, 1);
	c->imp_user = user ? xstrdup(user) : NULL;
	if (groups) {
		size_t n = 0;
		while (groups[n])
			n++;
		c->imp_groups = xcalloc(n + 1, sizeof(char *));
		for (size_t i = 0; i < n; i++)
			c->imp_groups[i] = xstrdup(groups[i]);
	}
	*out = c;
	return 0;
}

static void shared_free(struct kube_shared *sh)
{
	net_pool_free(sh->pool);
	mapper_free(sh->mapper);
	ratelimit_release(&sh->rl);
	pthread_mutex_destroy(&sh->token_lock);
	free(sh->token);
	free(sh->user_agent);
	kube_config_free(sh->cfg);
	free(sh);
}

void kube_client_free(struct kube_client *c)
{
	if (!c)
		return;
	if (atomic_fetch_sub(&c->sh->refs, 1) == 1)
		shared_free(c->sh);
	free(c->imp_user);
	if (c->imp_groups)
		for (char **g = c->imp_groups; *g; g++)
			free(*g);
	free(c->imp_groups);
	free(c);
}

const char *kube_client_namespace(const struct kube_client *c)
{
	return c->sh->cfg->namespace;
}

const char *kube_client_server(const struct kube_client *c)
{
	return c->sh->cfg->server;
}

/* ---- Bearer token, re-read from its file when the file changes ---------------------------*/

static int current_token(struct kube_shared *sh, char **out)
{
	*out = NULL;
	if (!sh->cfg->token_file) {
		*out = dupstr(sh->cfg->token);
		return 0;
	}
	int rc = 0;
	pthread_mutex_lock(&sh->token_lock);
	struct stat st;
	if (stat(sh->cfg->token_file, &st) == 0 &&
	    (!sh->token || st.st_mtim.tv_sec != sh->token_mtime.tv_sec ||
	     st.st_mtim.tv_nsec != sh->token_mtime.tv_nsec || st.st_size != sh->token_size)) {
		struct buf b = BUF_INIT;
		if (fs_read_file(sh->cfg->token_file, 1 << 20, &b) == 0) {
			while (b.len && (b.ptr[b.len - 1] == '\n' || b.ptr[b.len - 1] == '\r' ||
					 b.ptr[b.len - 1] == ' '))
				b.ptr[--b.len] = '\0';
			free(sh->token);
			sh->token = buf_detach(&b, NULL);
			sh->token_mtime = st.st_mtim;
			sh->token_size = (long long)st.st_size;
		}
		buf_release(&b);
	}
	if (sh->token)
		*out = xstrdup(sh->token);
	else if (sh->cfg->token)
		*out = xstrdup(sh->cfg->token);
	else
		rc = err_set(ERR_AUTH, "'%s': cannot read the token file", sh->cfg->token_file);
	pthread_mutex_unlock(&sh->token_lock);
	return rc;
}

/* ---- One attempt ------------------------------------------------------------------------*/

struct attempt {
	struct kube_shared *sh;
	struct kube_client *client;
	struct transport_call *call;
	CURL *h;
	long status;        /* known once headers arrived */
	struct buf errbody; /* body of a non-2xx response */
	int sink_rc;        /* an error returned by the sink, or ERR_TOOBIG */
	long retry_after;   /* seconds, -1 = none */
};

static size_t on_write(char *data, size_t size, size_t nmemb, void *ud)
{
	struct attempt *at = ud;
	size_t n = size * nmemb;
	if (at->status == 0)
		curl_easy_getinfo(at->h, CURLINFO_RESPONSE_CODE, &at->status);
	if (at->status < 200 || at->status > 299) {
		buf_add(&at->errbody, data, n);
		return n;
	}
	if (at->call->sink) {
		int rc = at->call->sink(at->call->sink_ud, data, n);
		if (rc != 0) {
			at->sink_rc = rc;
			return 0;
		}
		return n;
	}
	if (at->call->body->len + n > at->sh->max_body) {
		at->sink_rc = err_set(ERR_TOOBIG, "response body larger than %zu bytes",
				      at->sh->max_body);
		return 0;
	}
	buf_add(at->call->body, data, n);
	return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct attempt *at = ud;
	size_t n = size * nmemb;
	static const char name[] = "retry-after:";
	if (n > sizeof(name) - 1 && strncasecmp(data, name, sizeof(name) - 1) == 0) {
		char tmp[32];
		size_t m = n - (sizeof(name) - 1);
		if (m >= sizeof(tmp))
			m = sizeof(tmp) - 1;
		memcpy(tmp, data + sizeof(name) - 1, m);
		tmp[m] = '\0';
		char *end;
		long v = strtol(tmp, &end, 10);
		if (end != tmp && v >= 0)
			at->retry_after = v;
	}
	return n;
}

static int on_progress(void *ud, curl_off_t dlt, curl_off_t dln, curl_off_t ult, curl_off_t uln)
{
	(void)dlt;
	(void)dln;
	(void)ult;
	(void)uln;
	struct attempt *at = ud;
	return at->call->stop && atomic_load(at->call->stop) ? 1 : 0;
}

/* The server URL with the host replaced by tls-server-name, and the CONNECT_TO entry that
 * sends the connection to the real host: curl then uses the name for SNI and for checking
 * the certificate, as Go's tls.Config.ServerName does. */
static void tls_name_url(struct buf *url, struct curl_slist **connect_to, const char *server,
			 const char *name)
{
	const char *hoststart = strstr(server, "://") + 3;
	const char *hostend = hoststart;
	if (*hostend == '[')
		hostend = strchr(hostend, ']') ? strchr(hostend, ']') + 1 : hostend + strlen(hostend);
	else
		hostend += strcspn(hostend, ":/");
	const char *port = *hostend == ':' ? hostend + 1 : "443";
	size_t portlen = strcspn(port, "/");
	buf_add(url, server, (size_t)(hoststart - server));
	buf_adds(url, name);
	buf_adds(url, hostend);
	struct buf ct = BUF_INIT;
	buf_addf(&ct, "%s:%.*s:%.*s:%.*s", name, (int)portlen, port,
		 (int)(hostend - hoststart), hoststart, (int)portlen, port);
	*connect_to = curl_slist_append(*connect_to, ct.ptr);
	buf_release(&ct);
}

static void lower_first(char *s)
{
	if (s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z'))
		s[0] = (char)(s[0] - 'A' + 'a');
}

/* One line for a failed transfer, naming the server and the cause. */
static int transfer_error(struct attempt *at, CURLcode cc, const char *errbuf)
{
	const char *server = at->sh->cfg->server;
	long oserr = 0;
	curl_easy_getinfo(at->h, CURLINFO_OS_ERRNO, &oserr);
	char detail[CURL_ERROR_SIZE + 1];
	snprintf(detail, sizeof(detail), "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
	lower_first(detail);
	switch (cc) {
	case CURLE_COULDNT_CONNECT:
		if (oserr) {
			char e[128];
			snprintf(e, sizeof(e), "%s", strerror((int)oserr));
			lower_first(e);
			return err_set(ERR_UNAVAIL, "cannot reach %s: %s", server, e);
		}
		return err_set(ERR_UNAVAIL, "cannot reach %s: %s", server, detail);
	case CURLE_COULDNT_RESOLVE_HOST:
		return err_set(ERR_UNAVAIL, "cannot reach %s: no such host", server);
	case CURLE_COULDNT_RESOLVE_PROXY:
		return err_set(ERR_UNAVAIL, "cannot reach proxy %s: no such host",
			       at->sh->cfg->proxy_url ? at->sh->cfg->proxy_url : "");
	case CURLE_OPERATION_TIMEDOUT:
		return err_set(ERR_TIMEOUT, "request to %s timed out: %s", server, detail);
	case CURLE_PEER_FAILED_VERIFICATION: {
		const char *p = detail;
		if (strncmp(p, "sSL certificate problem: ", 25) == 0)
			p += 25;
		const char *what = strstr(p, "issuer") || strstr(p, "self-signed") ||
						   strstr(p, "self signed")
					   ? "certificate signed by unknown authority"
					   : "certificate is not valid for this server";
		return err_set(ERR_AUTH, "x509: %s: %s (%s)", server, what, p);
	}
	case CURLE_SSL_CACERT_BADFILE:
		return err_set(ERR_INVALID, "certificate-authority for %s cannot be used: %s",
			       server, detail);
	case CURLE_SSL_CERTPROBLEM:
		return err_set(ERR_INVALID, "client certificate for %s cannot be used: %s", server,
			       detail);
	case CURLE_SSL_CONNECT_ERROR:
		return err_set(ERR_UNAVAIL, "tls: handshake with %s failed: %s", server, detail);
	default:
		return err_set(ERR_UNAVAIL, "cannot reach %s: %s", server, detail);
	}
}

static bool retryable_transfer(CURLcode cc, bool idempotent)
{
	if (cc == CURLE_COULDNT_CONNECT)
		return true;
	if (!idempotent)
		return false;
	switch (cc) {
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_PARTIAL_FILE:
		return true;
	default:
		return false;
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Sets up and performs one attempt on at->h. Returns 0 when a response arrived (any
 * status), else the error code (with *cc_out the curl code, for the retry decision). */
static int attempt_once(struct attempt *at, CURLcode *cc_out)
{
	struct kube_shared *sh = at->sh;
	const struct kube_request *req = at->call->req;
	const struct kube_config *cfg = sh->cfg;
	struct curl_slist *hdrs = NULL, *connect_to = NULL;
	struct buf url = BUF_INIT, tmp = BUF_INIT;
	char errbuf[CURL_ERROR_SIZE] = "";
	char *token = NULL;
	*cc_out = CURLE_OK;
	int rc = current_token(sh, &token);
	if (rc < 0)
		return rc;
	CURL *h = at->h;

	if (cfg->tls_server_name && strncmp(cfg->server, "https://", 8) == 0)
		tls_name_url(&url, &connect_to, cfg->server, cfg->tls_server_name);
	else
		buf_adds(&url, cfg->server);
	buf_adds(&url, req->path);
	curl_easy_setopt(h, CURLOPT_URL, url.ptr);
	if (connect_to)
		curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to);
	long tmo = at->call->timeout_ms == 0 ? sh->timeout_ms : at->call->timeout_ms;
	struct net_opts opts = {
		.ca_pem = cfg->ca_pem, .ca_pem_len = cfg->ca_pem_len, .insecure = cfg->insecure,
		.cert_pem = cfg->cert_pem, .cert_pem_len = cfg->cert_pem_len,
		.key_pem = cfg->key_pem, .key_pem_len = cfg->key_pem_len,
		.proxy_url = cfg->proxy_url, .connect_timeout_ms = sh->connect_timeout_ms,
		.timeout_ms = tmo > 0 ? tmo : 0, .tcp_keepalive = true,
		.user_agent = sh->user_agent, .errbuf = errbuf,
	};
	net_handle_setup(h, &opts);
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	if (token && *token) {
		buf_addf(&tmp, "Authorization: Bearer %s", token);
		hdrs = curl_slist_append(hdrs, tmp.ptr);
		buf_reset(&tmp);
	} else if (cfg->username) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(h, CURLOPT_USERNAME, cfg->username);
		curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->password ? cfg->password : "");
	}
	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	if (req->body) {
		buf_addf(&tmp, "Content-Type: %s",
			 req->content_type ? req->content_type : "application/json");
		hdrs = curl_slist_append(hdrs, tmp.ptr);
		buf_reset(&tmp);
	}
	if (at->client->imp_user) {
		buf_addf(&tmp, "Impersonate-User: %s", at->client->imp_user);
		hdrs = curl_slist_append(hdrs, tmp.ptr);
		buf_reset(&tmp);
	}
	if (at->client->imp_groups)
		for (char **g = at->client->imp_groups; *g; g++) {
			buf_addf(&tmp, "Impersonate-Group: %s", *g);
			hdrs = curl_slist_append(hdrs, tmp.ptr);
			buf_reset(&tmp);
		}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);

	if (strcmp(req->method, "GET") == 0) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
		if (req->body) {
			curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
			curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		}
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, at);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, at);
	if (at->call->stop) {
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, at);
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	}

	CURLcode cc = curl_easy_perform(h);
	*cc_out = cc;
	if (cc == CURLE_OK || cc == CURLE_WRITE_ERROR || cc == CURLE_ABORTED_BY_CALLBACK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &at->status);
	if (cc == CURLE_WRITE_ERROR && at->sink_rc != 0)
		rc = at->sink_rc > 0 ? 0 : at->sink_rc; /* > 0: the sink asked to stop */
	else if (cc == CURLE_ABORTED_BY_CALLBACK && at->call->stop && atomic_load(at->call->stop))
		rc = 0;
	else if (cc != CURLE_OK)
		rc = transfer_error(at, cc, errbuf);
	curl_slist_free_all(hdrs);
	curl_slist_free_all(connect_to);
	if (token) {
		memset(token, 0, strlen(token));
		free(token);
	}
	buf_release(&tmp);
	buf_release(&url);
	return rc;
}

static long backoff_ms(struct kube_shared *sh, int attempt, long retry_after)
{
	if (retry_after >= 0) {
		long ms = retry_after * 1000;
		long cap = sh->max_backoff_ms * 6; /* honour the server, within reason */
		return ms > cap ? cap : ms;
	}
	long ms = 100L << (attempt < 16 ? attempt : 16);
	if (ms > sh->max_backoff_ms)
		ms = sh->max_backoff_ms;
	/* jitter: up to +25% */
	return ms + (long)((unsigned long)rand() % (unsigned long)(ms / 4 + 1));
}

static bool write_allowed(struct kube_shared *sh, const struct kube_request *req)
{
	kube_write_gate_fn gate = atomic_load(&sh->write_gate);
	if (!gate || strcmp(req->method, "GET") == 0 ||
	    strncmp(req->path, "/apis/coordination.k8s.io/", 26) == 0)
		return true;
	return gate(atomic_load(&sh->write_gate_ud));
}

void kube_client_set_write_gate(struct kube_client *c, kube_write_gate_fn gate, void *ud)
{
	atomic_store(&c->sh->write_gate_ud, ud);
	atomic_store(&c->sh->write_gate, gate);
}

int kube_transport_perform(struct kube_client *c, struct transport_call *call, long *status_out)
{
	struct kube_shared *sh = c->sh;
	const struct kube_request *req = call->req;
	bool idempotent = req->idempotent || strcmp(req->method, "GET") == 0;
	int rc = 0;
	size_t body_start = call->body ? call->body->len : 0;
	if (status_out)
		*status_out = 0;
	for (int attempt = 0;; attempt++) {
		struct attempt at = { .sh = sh, .client = c, .call = call, .retry_after = -1 };
		buf_init(&at.errbody, ERRBODY_MAX);
		ratelimit_wait(&sh->rl);
		if (!write_allowed(sh, req)) {
			buf_release(&at.errbody);
			rc = err_set(ERR_GENERIC, "%s %s: not sent: this replica is no longer the leader",
				     req->method, req->path);
			break;
		}
		at.h = net_pool_take(sh->pool);
		CURLcode cc;
		rc = attempt_once(&at, &cc);
		net_pool_give(sh->pool, at.h);
		if (status_out)
			*status_out = at.status;
		bool retry = false;
		if (rc == 0 && call->stop && atomic_load(call->stop)) {
			buf_release(&at.errbody);
			break; /* the caller asked to stop */
		} else if (rc < 0) {
			retry = !call->no_retry && retryable_transfer(cc, idempotent) &&
				at.sink_rc == 0 && at.status == 0 && (!call->body || call->body->len == body_start);
		} else if (at.status < 200 || at.status > 299) {
			char what[512];
			snprintf(what, sizeof(what), "%s %s%s", req->method, sh->cfg->server,
				 req->path);
			rc = kube_status_error(at.status, at.errbody.ptr, at.errbody.len, what);
			retry = !call->no_retry &&
				(at.status == 429 ||
				 (idempotent && at.status >= 500 && at.status != 501));
		}
		long wait = retry && attempt < sh->max_retries
				    ? backoff_ms(sh, attempt, at.retry_after) : -1;
		buf_release(&at.errbody);
		if (wait < 0)
			break;
		if (call->body)
			call->body->len = body_start, call->body->ptr[body_start] = '\0';
		sleep_ms(wait);
	}
	return rc;
}

int kube_request(struct buf *out, struct kube_client *c, const struct kube_request *req,
		 long *status_out)
{
	struct transport_call call = { .req = req, .body = out };
	return kube_transport_perform(c, &call, status_out);
}

int kube_request_stream(struct kube_client *c, const struct kube_request *req,
			int (*sink)(void *ud, const char *data, size_t n), void *ud,
			const atomic_int *stop, long *status_out)
{
	struct transport_call call = { .req = req, .sink = sink, .sink_ud = ud,
				       .timeout_ms = -1, .stop = stop, .no_retry = true };
	return kube_transport_perform(c, &call, status_out);
}
