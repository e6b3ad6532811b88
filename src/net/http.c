/* libcurl set-up shared by every HTTP user, the handle pool and the capped GET; see http.h. */
#include "net/http.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void net_global_init(void)
{
	pthread_once(&global_once, global_init);
}

void net_handle_setup(CURL *h, const struct net_opts *o)
{
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	/* Threads: no SIGALRM for DNS time limits. */
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	if (o->errbuf) {
		o->errbuf[0] = '\0';
		curl_easy_setopt(h, CURLOPT_ERRORBUFFER, o->errbuf);
	}
	if (o->tcp_keepalive)
		curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	if (o->connect_timeout_ms > 0)
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 0L);
	if (o->proxy_url) {
		curl_easy_setopt(h, CURLOPT_PROXY, o->proxy_url);
		if (o->proxy_username)
			curl_easy_setopt(h, CURLOPT_PROXYUSERNAME, o->proxy_username);
		if (o->proxy_password)
			curl_easy_setopt(h, CURLOPT_PROXYPASSWORD, o->proxy_password);
	}
	if (o->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	} else if (o->ca_pem) {
		struct curl_blob ca = { (void *)o->ca_pem, o->ca_pem_len, CURL_BLOB_NOCOPY };
		curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &ca);
	}
	if (o->cert_pem && o->key_pem) {
		struct curl_blob cert = { (void *)o->cert_pem, o->cert_pem_len, CURL_BLOB_NOCOPY };
		struct curl_blob key = { (void *)o->key_pem, o->key_pem_len, CURL_BLOB_NOCOPY };
		curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
		curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &cert);
		curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
		curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &key);
	}
	if (o->user_agent)
		curl_easy_setopt(h, CURLOPT_USERAGENT, o->user_agent);
}

/* ---- Pool of easy handles over one share ------------------------------------------------*/

#define POOL_IDLE_MAX 32
#define SHARE_LOCKS 8

struct net_pool {
	CURLSH *share;
	pthread_mutex_t share_locks[SHARE_LOCKS]; /* by curl_lock_data */
	pthread_mutex_t idle_lock;
	CURL **idle;
	size_t nidle, idle_cap;
};

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access access, void *ud)
{
	(void)h;
	(void)access;
	struct net_pool *pool = ud;
	pthread_mutex_lock(&pool->share_locks[(unsigned)data % SHARE_LOCKS]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *ud)
{
	(void)h;
	struct net_pool *pool = ud;
	pthread_mutex_unlock(&pool->share_locks[(unsigned)data % SHARE_LOCKS]);
}

struct net_pool *net_pool_new(void)
{
	net_global_init();
	struct net_pool *pool = xcalloc(1, sizeof(*pool));
	for (int i = 0; i < SHARE_LOCKS; i++)
		pthread_mutex_init(&pool->share_locks[i], NULL);
	pthread_mutex_init(&pool->idle_lock, NULL);
	pool->share = curl_share_init();
	curl_share_setopt(pool->share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(pool->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(pool->share, CURLSHOPT_USERDATA, pool);
	curl_share_setopt(pool->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	curl_share_setopt(pool->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(pool->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	return pool;
}

void net_pool_free(struct net_pool *pool)
{
	if (!pool)
		return;
	/* The handles first: they hold connections that live in the share. */
	for (size_t i = 0; i < pool->nidle; i++)
		curl_easy_cleanup(pool->idle[i]);
	free(pool->idle);
	curl_share_cleanup(pool->share);
	for (int i = 0; i < SHARE_LOCKS; i++)
		pthread_mutex_destroy(&pool->share_locks[i]);
	pthread_mutex_destroy(&pool->idle_lock);
	free(pool);
}

CURL *net_pool_take(struct net_pool *pool)
{
	CURL *h = NULL;
	pthread_mutex_lock(&pool->idle_lock);
	if (pool->nidle)
		h = pool->idle[--pool->nidle];
	pthread_mutex_unlock(&pool->idle_lock);
	if (h)
		curl_easy_reset(h);
	else
		h = curl_easy_init();
	if (!h) {
		fprintf(stderr, "fatal: curl_easy_init failed\n");
		abort();
	}
	curl_easy_setopt(h, CURLOPT_SHARE, pool->share);
	return h;
}

void net_pool_give(struct net_pool *pool, CURL *h)
{
	pthread_mutex_lock(&pool->idle_lock);
	if (pool->nidle < POOL_IDLE_MAX) {
		pool->idle = xgrow(pool->idle, &pool->idle_cap, pool->nidle + 1, sizeof(*pool->idle));
		pool->idle[pool->nidle++] = h;
		h = NULL;
	}
	pthread_mutex_unlock(&pool->idle_lock);
	if (h)
		curl_easy_cleanup(h);
}

/* ---- The capped GET ---------------------------------------------------------------------*/

struct capped_sink {
	struct buf *out;
	size_t start, max;
	bool over;
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct capped_sink *s = ud;
	size_t n = size * nmemb;
	if (s->out->len - s->start + n > s->max) {
		s->over = true;
		return 0; /* curl stops with CURLE_WRITE_ERROR */
	}
	buf_add(s->out, p, n);
	return n;
}

int net_get(struct buf *out, const char *url, const struct net_opts *o, size_t max,
	    struct net_get_result *res)
{
	return net_get_with(out, url, o, max, NULL, res);
}

int net_get_with(struct buf *out, const char *url, const struct net_opts *o, size_t max,
		 const struct net_get_opts *g, struct net_get_result *res)
{
	res->status = 0;
	res->detail[0] = '\0';
	net_global_init();
	CURL *h = curl_easy_init();
	if (!h)
		return err_set(ERR_GENERIC, "curl_easy_init failed");
	struct net_opts opts = *o;
	opts.errbuf = res->detail;
	net_handle_setup(h, &opts);
	struct capped_sink sink = { out, out->len, max, false };
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, g && g->follow_redirects ? 1L : 0L);
	if (g && g->follow_redirects) {
		curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
		curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
		/* credentials go to the first host only, unless the caller says otherwise */
		curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, g->pass_credentials ? 1L : 0L);
	}
	if (g && (g->username || g->password)) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(h, CURLOPT_USERNAME, g->username ? g->username : "");
		curl_easy_setopt(h, CURLOPT_PASSWORD, g->password ? g->password : "");
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
	CURLcode cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res->status);
	curl_easy_cleanup(h);
	if (sink.over)
		return err_set(ERR_TOOBIG, "GET '%s': body larger than %zu bytes", url, max);
	if (cc == CURLE_OK)
		return 0;
	if (!res->detail[0])
		snprintf(res->detail, sizeof res->detail, "%s", curl_easy_strerror(cc));
	return err_set(cc == CURLE_OPERATION_TIMEDOUT ? ERR_TIMEOUT : ERR_UNAVAIL, "GET '%s': %s",
		       url, res->detail);
}
