/*
 * Inside the OCI registry client: the client's state and one request through the transport
 * (oci_transport.c: authentication, redirects, retries, error wording), for the operations
 * in oci_registry.c. Not for use outside src/source/oci_*.c.
 */
#ifndef TIDE_SOURCE_OCI_INT_H
#define TIDE_SOURCE_OCI_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "net/http.h"
#include "source/oci_auth.h"
#include "source/oci_registry.h"
#include "util/buf.h"

#define OCI_TOKENS_MAX 32
#define OCI_ERRBODY_MAX (64u << 10) /* go-containerregistry's maxErrorBodySize */
#define OCI_TOKEN_BODY_MAX (1u << 20)

struct oci_token {
	char *scope;  /* "repository:org/app:pull" ("" for none) */
	char *token;
	int64_t expires_ms; /* clock_mono_ms() time to stop using it */
};

struct oci_client {
	char *host;           /* "h[:port]" */
	char *hostname;       /* without the port or brackets, for the realm check */
	bool insecure;
	struct net_opts net;  /* blobs and strings point at the copies below */
	char *ca, *cert, *key, *proxy, *proxy_username, *proxy_password, *user_agent;
	char *username, *password, *registry_token;
	struct net_pool *pool;
	int max_attempts;
	long backoff_ms;
	size_t max_manifest, max_tags;
	unsigned tags_page;
	int64_t deadline_ms;  /* 0 = none; set by the owner between operations */

	pthread_mutex_t lock; /* guards everything below */
	char scheme[8];       /* "https" or "http"; "" until the insecure ping decided */
	enum oci_auth_scheme auth; /* what the registry asked for, once it did */
	char *realm, *service;
	struct oci_token tokens[OCI_TOKENS_MAX];
	size_t ntokens;
};

/* Where a 2xx response body goes. write returns 0 or an error code (message set); reset
 * starts it again (before a retry). */
struct oci_sink {
	int (*write)(void *ud, const char *p, size_t n);
	void (*reset)(void *ud);
	void *ud;
};

/* A body into a buf, at most max bytes (ERR_TOOBIG naming what). */
struct oci_mem_sink {
	struct oci_sink sink;
	struct buf *out;
	size_t max;
	const char *what;
};
void oci_mem_sink_init(struct oci_mem_sink *s, struct buf *out, size_t max, const char *what);

/* A body into a file descriptor, hashed (sha256) as it is written, at most max bytes. */
struct oci_file_sink {
	struct oci_sink sink;
	int fd;
	uint64_t max, written;
	const char *what;
	EVP_MD_CTX *md;
};
void oci_file_sink_init(struct oci_file_sink *s, int fd, uint64_t max, const char *what);
void oci_file_sink_release(struct oci_file_sink *s);

struct oci_req {
	/* what to send */
	const char *method;       /* GET, HEAD, PUT, POST */
	const char *path;         /* "/v2/..." on the registry, or NULL and: */
	const char *url;          /* an absolute URL (an upload location, the realm) */
	const char *repo;         /* the scope's repository; NULL = no scope */
	bool push;                /* scope pull,push */
	const char *accept;
	const char *content_type;
	bool has_body;            /* PUT/POST: body[0..body_len), or body_fd when >= 0 */
	const void *body;
	size_t body_len;
	int body_fd;
	uint64_t body_fd_len;
	struct oci_sink *sink;    /* the 2xx body; NULL = dropped */
	bool token_request;       /* to the realm: authorization as given, no challenge */
	const char *authorization;

	/* what came back (the last response) */
	long status;
	struct buf final_url;     /* the URL that answered (after redirects) */
	struct buf ctype, location, link, www_auth, digest;
	int64_t content_length;   /* -1 when absent */
	long retry_after;         /* seconds, -1 when absent */
	struct buf errbody;       /* a non-2xx body, at most OCI_ERRBODY_MAX */
	int sink_rc;
	int curl_code;            /* the last transfer's CURLcode */

	/* internal: upload position */
	uint64_t body_pos;
};

void oci_req_init(struct oci_req *r, const char *method);
void oci_req_release(struct oci_req *r);

/* Sends r (authentication, redirects, retries as oci_registry.h says). 0 when a response
 * arrived, whatever its status (r->status; only a 2xx body reached the sink); an error code
 * when no response did, the sink failed or the deadline passed. */
int oci_do(struct oci_client *c, struct oci_req *r);

/* Sets the message for r's non-2xx response from its status and JSON errors and returns
 * the code (see oci_registry.h). */
int oci_status_error(const struct oci_req *r);

/* Appends the registry's base URL ("https://host") to out (after the insecure ping). */
int oci_base_url(struct oci_client *c, struct buf *out);

/* "sha256:<hex>" of a finished digest context / of memory. */
void oci_digest_final(EVP_MD_CTX *md, char out[OCI_DIGEST_MAX + 1]);
void oci_digest_mem(const void *p, size_t n, char out[OCI_DIGEST_MAX + 1]);

/* Whether two absolute URLs have the same scheme, host and port (default ports dropped). */
bool oci_same_origin(const char *a, const char *b);

/* Appends s percent-encoded (all but unreserved characters) to out. */
void oci_url_escape(struct buf *out, const char *s);

/* Appends url to out without its query string and fragment, for messages. */
void oci_redact_url(struct buf *out, const char *url);

#endif
