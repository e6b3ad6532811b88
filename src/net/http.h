/*
 * net: the HTTP client over libcurl that the kube client, the source fetchers and the
 * notification providers share, so that only this module decides how tide talks HTTP(S).
 *
 * It owns libcurl's process-wide initialisation (once, thread safe), the setup of an easy
 * handle for one endpoint (trust: a CA bundle from memory, or none when insecure; a client
 * certificate and key from memory; a proxy; connect and whole-transfer time limits; http
 * and https only; no signals), and a GET whose body is capped, for downloads. Certificates
 * and keys are passed as blobs, never written to temporary files.
 *
 * It also owns connection reuse for clients that talk to one server many times from many
 * threads: a pool (struct net_pool) of easy handles that share one connection cache, TLS
 * session cache and DNS cache, so every request reuses the same HTTP/2 connections.
 *
 * What a caller adds on top stays with it: the kube client sets the URL, authentication,
 * impersonation and content headers, the callbacks and HTTP/2 on the handle it takes from
 * its pool, and keeps rate limiting, retries and the wording of transfer errors.
 * NEEDSWORK: a request type of net's own (method, headers, body, sink) would let kube stop
 * calling curl_easy_setopt itself; it waits for the second user (notify) to shape it.
 */
#ifndef TIDE_NET_HTTP_H
#define TIDE_NET_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

struct buf;

/* How to reach one endpoint. Every pointer is borrowed and must stay valid for as long as
 * the handle it was set on is used (the blobs are not copied). Zero values mean: system
 * trust store, no client certificate, no proxy, curl's connect time limit, no overall
 * time limit, curl's user agent. */
struct net_opts {
	const char *ca_pem;        /* trusted CAs (PEM); NULL = the system's */
	size_t ca_pem_len;
	bool insecure;             /* no verification of the peer at all */
	const char *cert_pem;      /* client certificate and key (PEM), used when both are set */
	size_t cert_pem_len;
	const char *key_pem;
	size_t key_pem_len;
	const char *proxy_url;
	const char *proxy_username; /* with proxy_url; NULL = none (or those in the URL) */
	const char *proxy_password;
	long connect_timeout_ms;
	long timeout_ms;           /* the whole transfer */
	bool tcp_keepalive;
	const char *user_agent;
	char *errbuf;              /* CURL_ERROR_SIZE bytes for curl's detail, or NULL */
};

/* curl_global_init, once per process. Every function here calls it; callers that make
 * their own curl handles call it before the first. */
void net_global_init(void);

/* Applies o to the easy handle h (fresh or curl_easy_reset): transport, TLS, proxy and
 * time limits. The URL, method, headers and callbacks are the caller's to set. */
void net_handle_setup(CURL *h, const struct net_opts *o);

/* Easy handles sharing one connection, TLS session and DNS cache; thread safe. */
struct net_pool;

struct net_pool *net_pool_new(void);

/* Frees the idle handles and the share. Every handle taken must have been given back. */
void net_pool_free(struct net_pool *pool);

/* A handle attached to the pool's share: an idle one reset (curl_easy_reset), or a new
 * one. Set it up (net_handle_setup and the request's own options), perform, then give it
 * back. Never NULL (aborts when curl cannot make a handle). */
CURL *net_pool_take(struct net_pool *pool);

/* Returns h to the pool (kept idle, up to a bound, or cleaned up). */
void net_pool_give(struct net_pool *pool, CURL *h);

/* What a GET saw: the HTTP status (0 when no response arrived) and, when the transfer
 * failed, curl's description of why. */
struct net_get_result {
	long status;
	char detail[CURL_ERROR_SIZE];
};

/* GETs url (http or https, redirects not followed) into out (appended), at most max bytes.
 * Returns 0 when a response arrived, whatever its status (see res->status); ERR_TOOBIG when
 * the body is larger than max; ERR_TIMEOUT or ERR_UNAVAIL when the transfer failed, with
 * res->detail saying why. The message is set in every failure; callers that word their own
 * use res. */
int net_get(struct buf *out, const char *url, const struct net_opts *o, size_t max,
	    struct net_get_result *res);

/* What a download from a chart repository or a web server needs beyond net_get's. */
struct net_get_opts {
	const char *username;  /* HTTP basic auth; NULL for none */
	const char *password;
	bool follow_redirects; /* at most 10, http and https only */
	bool pass_credentials; /* send the credentials to the hosts redirected to as well (Helm's
				* passCredentials); else only to the first host */
};

/* net_get with g (NULL: net_get's defaults); the status is the last response's. */
int net_get_with(struct buf *out, const char *url, const struct net_opts *o, size_t max,
		 const struct net_get_opts *g, struct net_get_result *res);

#endif
