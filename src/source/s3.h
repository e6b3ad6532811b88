/*
 * An S3 client for the Bucket source (Flux's Bucket kind, providers `generic` and `aws`):
 * list the objects under a prefix (ListObjectsV2, every page) and download one object to a
 * file, signed with AWS Signature Version 4 (net/sigv4.h) or anonymous when no
 * credentials are given, over the net module's libcurl set-up (TLS trust, client
 * certificate, proxy, time limits).
 *
 *   struct s3_config cfg = S3_CONFIG_INIT;
 *   cfg.endpoint = "minio.minio.svc:9000", cfg.bucket = "podinfo", cfg.insecure = true;
 *   cfg.access_key = ak, cfg.secret_key = sk;
 *   struct s3_client *c;
 *   struct s3_list l = S3_LIST_INIT;
 *   if (s3_client_new(&c, &cfg) == 0 && s3_list_objects(c, "manifests/", &l) == 0)
 *           for (size_t i = 0; i < l.n; i++) ... l.obj[i].key, .etag, .size ...
 *   s3_list_release(&l);
 *   s3_client_free(c);
 *
 * Addressing: path style (http(s)://ENDPOINT/BUCKET/KEY), what generic S3 servers such as
 * minio expect and Flux's generic provider uses; or virtual-hosted style
 * (http(s)://BUCKET.ENDPOINT/KEY), AWS's own, where the endpoint defaults to
 * s3.REGION.amazonaws.com. Keys are sent encoded once, unnormalized, exactly as signed.
 *
 * Listing: `list-type=2`, `prefix`, `max-keys` when set, `encoding-type=url` (keys come
 * back percent-encoded when the server honours it, so any key survives XML; a server that
 * ignores it, like s3rver, sends them as they are and says nothing, and they are taken as
 * they are), then `continuation-token` page after page until IsTruncated is false. Each
 * page's body is capped (max_page_bytes) and parsed by source/xml.h, so memory is one page
 * plus the objects kept, themselves capped in count and key length.
 *
 * Failures: a response other than 2xx is an error carrying S3's Code and Message from its
 * XML body ("NoSuchBucket: The specified bucket does not exist"): 404 is ERR_NOTFOUND,
 * 401 and 403 ERR_AUTH, a redirect (a bucket in another region) or another 4xx
 * ERR_INVALID, never retried. A 5xx or a connection failure (refused, reset, timed out) is
 * retried with doubling backoff up to `attempts`, then ERR_UNAVAIL (ERR_TIMEOUT when the
 * last attempt timed out). Secrets never appear in messages.
 *
 * A client holds one libcurl handle (connections are reused from request to request) and
 * is used by one thread at a time; make one per thread for parallel downloads.
 * NEEDSWORK: ListObjects V1 for GCS's S3 interoperability endpoint (Flux switches for
 * storage.googleapis.com), STS credentials (spec.sts), and checking a download against an
 * MD5 ETag are not here yet.
 */
#ifndef TIDE_SOURCE_S3_H
#define TIDE_SOURCE_S3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "net/http.h"

struct s3_limits {
	size_t max_objects;        /* objects one listing may return; 0 = 100000 */
	size_t max_key_len;        /* bytes of one key, decoded; 0 = 1024 (S3's own limit) */
	size_t max_page_bytes;     /* body of one ListObjectsV2 response; 0 = 8 MiB */
	unsigned max_keys;         /* max-keys asked per page; 0 = not sent (1000 on S3) */
	uint64_t max_object_bytes; /* one downloaded object; 0 = 100 MiB */
	unsigned attempts;         /* tries of one request (5xx, connection errors); 0 = 4 */
	long backoff_ms;           /* wait before the first retry, doubled each time (at most
				    * 8 s); 0 = 250 */
};

enum s3_addressing {
	S3_PATH_STYLE,   /* ENDPOINT/BUCKET/KEY: generic servers (minio), Flux's `generic` */
	S3_VIRTUAL_HOST, /* BUCKET.ENDPOINT/KEY: AWS, Flux's `aws` */
};

struct s3_config {
	const char *endpoint;    /* "host[:port]", no scheme or path; NULL or "" with
				  * S3_VIRTUAL_HOST = s3.REGION.amazonaws.com */
	const char *bucket;
	const char *region;      /* NULL or "" = us-east-1 */
	enum s3_addressing addressing;
	bool insecure;           /* http:// instead of https:// (spec.insecure) */
	const char *access_key;  /* NULL or "" (with the secret) = anonymous, unsigned */
	const char *secret_key;
	const char *session_token; /* temporary credentials; NULL = none */
	/* TLS trust, client certificate, proxy, time limits and user agent (net/http.h). Its
	 * pointers are borrowed for the client's life. Its `insecure` turns off TLS peer
	 * verification, which is not this config's `insecure` (plain HTTP). */
	struct net_opts net;
	/* Tests only: curl's CONNECT_TO ("HOST:PORT:CONNECT-HOST:CONNECT-PORT"), so that a
	 * virtual-hosted name reaches a server on loopback. NULL = none. */
	const char *connect_to;
	/* The signing time; NULL = time(NULL). Tests fix it. */
	time_t (*now)(void);
	struct s3_limits lim;
};

#define S3_CONFIG_INIT { 0 }

/* One object of a listing; the strings are the list's. */
struct s3_object {
	char *key;            /* decoded */
	char *etag;           /* without its quotes ("9b2cf535f27731c974343645a3985328") */
	int64_t size;
	char *last_modified;  /* as the server wrote it ("2009-10-12T17:50:30.000Z") */
};

struct s3_list {
	struct s3_object *obj;
	size_t n, cap;
	size_t pages;         /* responses read */
	size_t max_page_len;  /* the largest page body, in bytes */
};

#define S3_LIST_INIT { NULL, 0, 0, 0, 0 }

void s3_list_release(struct s3_list *l);

struct s3_client;

/* A client for cfg (copied: cfg's strings may go; cfg->net's blobs are borrowed).
 * ERR_INVALID for a missing or malformed bucket name or endpoint, or half credentials. */
int s3_client_new(struct s3_client **out, const struct s3_config *cfg);
void s3_client_free(struct s3_client *c);

/* Lists every object whose key starts with prefix (NULL or "" = all), appending to out in
 * the server's order (by key). ERR_TOOBIG past max_objects, max_key_len or max_page_bytes;
 * ERR_INVALID for a page that is not a ListBucketResult, a truncated page without a next
 * token, or a key that is empty or has a NUL; else as the header says. On failure out holds
 * what was read so far; the caller releases it either way. */
int s3_list_objects(struct s3_client *c, const char *prefix, struct s3_list *out);

/* Whether the bucket exists, as minio-go's BucketExists: one listing request of one key
 * (ListObjectsV2 max-keys=1). *exists is false for S3's NoSuchBucket (HTTP 404) and the
 * call returns 0; any other failure is an error as the header says. */
int s3_bucket_exists(struct s3_client *c, bool *exists);

struct s3_get_result {
	long status;          /* 200 */
	uint64_t size;        /* bytes written */
	char etag[256];       /* the response's ETag without quotes; "" when none */
};

/* GETs key into fd (a regular file opened for writing by the caller, emptied first and on
 * every retry), at most max_object_bytes (ERR_TOOBIG), streamed. ERR_IO when the file
 * cannot be written; else as the header says. */
int s3_get_object(struct s3_client *c, const char *key, int fd, struct s3_get_result *res);

/* ---- The response documents, for the client and for tests and the fuzz target ----------*/

struct s3_page {
	bool truncated;       /* IsTruncated */
	char *next_token;     /* NextContinuationToken, heap; NULL when absent */
	size_t objects;       /* Contents in this page */
};

/* Parses one ListObjectsV2 response body, appending its objects to out (lim's max_objects
 * and max_key_len apply; 0s as above). Fills page (release with s3_page_release). Errors as
 * s3_list_objects. */
int s3_parse_list_page(const char *xml, size_t len, const struct s3_limits *lim,
		       struct s3_list *out, struct s3_page *page);
void s3_page_release(struct s3_page *page);

/* S3's error document: <Error><Code>..</Code><Message>..</Message></Error>. */
struct s3_error {
	char code[64];        /* "NoSuchKey"; "" when absent */
	char message[512];    /* control characters replaced by '?'; truncated */
};

/* Parses an error body. 0 when it is an Error document; ERR_INVALID (and an empty err)
 * otherwise. */
int s3_parse_error(const char *xml, size_t len, struct s3_error *err);

#endif
