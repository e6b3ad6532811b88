/*
 * AWS Signature Version 4 (docs.aws.amazon.com, "Create a signed AWS API request"), the
 * header form: the canonical request, the string to sign, the signing key derived from the
 * secret, date, region and service, and the Authorization header, over OpenSSL's
 * HMAC-SHA256 and SHA-256. The S3 client (source/s3.h) signs every request with it; it
 * knows nothing of HTTP transports, so it is tested alone against AWS's published vectors.
 *
 *   struct sigv4_pair hdr[] = {{"Host", "bucket.s3.eu-west-1.amazonaws.com"}};
 *   struct sigv4_request rq = {.method = "GET", .path = "/my key.txt",
 *                              .headers = hdr, .nheaders = 1};
 *   struct sigv4_params p = {.region = "eu-west-1", .service = "s3", .when = time(NULL),
 *                            .add_content_sha256 = true};
 *   struct sigv4_result res;
 *   sigv4_result_init(&res);
 *   if (sigv4_sign(&res, &rq, &creds, &p) == 0)
 *           ... send the request's headers and res.extra[0 .. res.nextra) ...
 *   sigv4_result_release(&res);
 *
 * The request is described decoded: the path and the query's names and values are the bytes
 * they stand for (an S3 object key as it is, "my key.txt"), and the signer encodes them once,
 * the way SigV4 wants (RFC 3986 unreserved characters kept, every other byte %XX in
 * uppercase, '/' kept in the path). A caller builds the URL it sends from the same encoders
 * (sigv4_uri_encode, sigv4_canonical_query), so what goes on the wire is what was signed.
 * S3 signs the path as it is (normalize_path false: "a//b/../c" stays); every other service
 * signs it with "." and ".." segments and repeated slashes removed (normalize_path true).
 * NEEDSWORK: services other than S3 sign the encoded path encoded a second time; only S3
 * signs through this today, and a caller of another service would add that step. Query
 * signing (presigned URLs) and chunked payload signing are not here either.
 *
 * Secrets never appear in an error message. Thread safe (no state).
 */
#ifndef TIDE_NET_SIGV4_H
#define TIDE_NET_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util/buf.h"

/* A header (name, value) or a query parameter (decoded name, decoded value; "" for none). */
struct sigv4_pair {
	const char *name;
	const char *value;
};

struct sigv4_creds {
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token; /* temporary credentials (STS); NULL or "" = none */
};

struct sigv4_request {
	const char *method;                /* "GET" */
	const char *path;                  /* decoded, starts with '/' */
	const struct sigv4_pair *query;    /* any order; sorted when signed */
	size_t nquery;
	const struct sigv4_pair *headers;  /* every header to sign, Host included; a name may repeat */
	size_t nheaders;
	/* The payload's SHA-256 in lowercase hex, or "UNSIGNED-PAYLOAD"; NULL = an empty body. */
	const char *payload_hash;
};

struct sigv4_params {
	const char *region;      /* "us-east-1" */
	const char *service;     /* "s3" */
	time_t when;             /* the signing time (UTC); x-amz-date */
	bool normalize_path;     /* remove dot segments and empty ones: every service but S3 */
	bool add_content_sha256; /* sign and send x-amz-content-sha256 (S3 requires it) */
};

/* The most headers (the request's and the signer's together) one request may sign. */
#define SIGV4_MAX_HEADERS 64

struct sigv4_result {
	struct buf canonical_request;
	struct buf string_to_sign;
	struct buf signed_headers;   /* "host;x-amz-content-sha256;x-amz-date" */
	struct buf authorization;    /* the Authorization header's value */
	char amz_date[17];           /* "20150830T123600Z" */
	char signature[65];          /* lowercase hex */
	/* The headers to send besides the request's own, as "Name: value" lines without line
	 * ends: X-Amz-Date, X-Amz-Content-Sha256 (when asked), X-Amz-Security-Token (with a
	 * session token) and Authorization, in that order. */
	struct buf extra[4];
	size_t nextra;
};

void sigv4_result_init(struct sigv4_result *res);
void sigv4_result_release(struct sigv4_result *res);

/* Signs req with creds at p->when into res (emptied first). ERR_INVALID for a request that
 * cannot be signed: no method, a path that does not start with '/', no Host header, a
 * header name that is not a token, a header value with a CR, LF or NUL, no credentials, an
 * empty region or service or one with a '/', or one of the signer's own headers
 * (x-amz-date, x-amz-content-sha256 when added, x-amz-security-token with a token, and
 * authorization) among req's; ERR_TOOBIG past SIGV4_MAX_HEADERS. */
int sigv4_sign(struct sigv4_result *res, const struct sigv4_request *req,
	       const struct sigv4_creds *creds, const struct sigv4_params *p);

/* Appends the n bytes at s percent-encoded as SigV4 wants: A-Z a-z 0-9 - . _ ~ as they are,
 * '/' too when keep_slash, every other byte as %XX with uppercase hex. */
void sigv4_uri_encode(struct buf *out, const char *s, size_t n, bool keep_slash);

/* Appends the canonical query string of q[0..n): each name and value encoded
 * (sigv4_uri_encode), "name=value" pairs sorted by encoded name then encoded value, joined
 * with '&' ("" for n == 0). Usable as the URL's query as it is. */
void sigv4_canonical_query(struct buf *out, const struct sigv4_pair *q, size_t n);

/* The SHA-256 of data in lowercase hex. */
void sigv4_sha256_hex(char out[65], const void *data, size_t len);

/* The SHA-256 of an empty payload, "e3b0c442...b855". */
extern const char sigv4_empty_sha256[65];

#endif
