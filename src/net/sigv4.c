/*
 * AWS Signature Version 4 over OpenSSL; see sigv4.h. This file owns the canonical forms
 * (path, query, headers), the string to sign and the key derivation. The rules are AWS's
 * ("Create a canonical request" in the IAM user guide; S3's "Signature Calculations for the
 * Authorization Header"), checked against the aws-sig-v4-test-suite vectors in
 * tests/unit/net/data/sigv4/.
 */
#include "net/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

const char sigv4_empty_sha256[65] =
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

static const char hexdig_lower[] = "0123456789abcdef";
static const char hexdig_upper[] = "0123456789ABCDEF";

static void to_hex(char *out, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexdig_lower[p[i] >> 4];
		out[2 * i + 1] = hexdig_lower[p[i] & 15];
	}
	out[2 * n] = '\0';
}

void sigv4_sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char md[32];
	unsigned mdlen = 0;
	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
		fprintf(stderr, "fatal: SHA-256 failed\n");
		abort();
	}
	to_hex(out, md, 32);
}

static void hmac(unsigned char out[32], const void *key, size_t keylen, const void *data,
		 size_t len)
{
	unsigned outlen = 0;
	if (!HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &outlen) || outlen != 32) {
		fprintf(stderr, "fatal: HMAC-SHA256 failed\n");
		abort();
	}
}

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

void sigv4_uri_encode(struct buf *out, const char *s, size_t n, bool keep_slash)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (unreserved(c) || (keep_slash && c == '/')) {
			buf_addch(out, (char)c);
		} else {
			char esc[3] = { '%', hexdig_upper[c >> 4], hexdig_upper[c & 15] };
			buf_add(out, esc, 3);
		}
	}
}

/* ---- Query ------------------------------------------------------------------------------*/

struct enc_pair {
	char *name, *value; /* encoded */
};

static int cmp_enc_pair(const void *a, const void *b)
{
	const struct enc_pair *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->value, y->value);
}

void sigv4_canonical_query(struct buf *out, const struct sigv4_pair *q, size_t n)
{
	if (!n)
		return;
	struct enc_pair *e = xcalloc(n, sizeof(*e));
	for (size_t i = 0; i < n; i++) {
		struct buf b = BUF_INIT;
		const char *v = q[i].value ? q[i].value : "";
		sigv4_uri_encode(&b, q[i].name, strlen(q[i].name), false);
		e[i].name = buf_detach(&b, NULL);
		sigv4_uri_encode(&b, v, strlen(v), false);
		e[i].value = buf_detach(&b, NULL);
	}
	qsort(e, n, sizeof(*e), cmp_enc_pair);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addch(out, '&');
		buf_addf(out, "%s=%s", e[i].name, e[i].value);
		free(e[i].name);
		free(e[i].value);
	}
	free(e);
}

/* ---- Path -------------------------------------------------------------------------------*/

/* The canonical URI: the path encoded once, after removing "." and ".." segments and empty
 * ones when normalize (the suite's normalize-path cases: "//a//" -> "/a/", "/a/b/../.." ->
 * "/"); a trailing slash stays when anything is left. */
static void canonical_path(struct buf *out, const char *path, bool normalize)
{
	if (!normalize) {
		sigv4_uri_encode(out, path, strlen(path), true);
		return;
	}
	size_t n = strlen(path), nseg = 0, cap = 0;
	struct slice *seg = NULL;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && path[j] != '/')
			j++;
		size_t len = j - i;
		if (len == 0 || (len == 1 && path[i] == '.')) {
			/* nothing */
		} else if (len == 2 && path[i] == '.' && path[i + 1] == '.') {
			if (nseg)
				nseg--;
		} else {
			seg = xgrow(seg, &cap, nseg + 1, sizeof(*seg));
			seg[nseg++] = (struct slice){ path + i, len };
		}
		i = j + 1;
	}
	buf_addch(out, '/');
	for (size_t k = 0; k < nseg; k++) {
		if (k)
			buf_addch(out, '/');
		sigv4_uri_encode(out, seg[k].ptr, seg[k].len, false);
	}
	if (nseg && n && path[n - 1] == '/')
		buf_addch(out, '/');
	free(seg);
}

/* ---- Headers ----------------------------------------------------------------------------*/

struct canon_header {
	char *name;        /* lowercase */
	struct buf value;  /* trimmed, runs of blanks made one space */
	size_t order;      /* position in the request: repeated names join in this order */
};

static int cmp_header(const void *a, const void *b)
{
	const struct canon_header *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static bool token_char(unsigned char c)
{
	return c > 32 && c < 127 && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

static void trim_value(struct buf *out, const char *v)
{
	bool space = false;
	for (; *v; v++) {
		if (*v == ' ' || *v == '\t') {
			space = out->len > 0;
			continue;
		}
		if (space)
			buf_addch(out, ' ');
		space = false;
		buf_addch(out, *v);
	}
}

static int add_header(struct canon_header *h, size_t *n, const char *name, const char *value)
{
	if (*n >= SIGV4_MAX_HEADERS)
		return err_set(ERR_TOOBIG, "more than %d headers to sign", SIGV4_MAX_HEADERS);
	if (!name || !*name)
		return err_set(ERR_INVALID, "a header to sign has no name");
	for (const char *c = name; *c; c++)
		if (!token_char((unsigned char)*c))
			return err_set(ERR_INVALID, "header name '%s' is not a token", name);
	if (!value)
		value = "";
	if (strpbrk(value, "\r\n"))
		return err_set(ERR_INVALID, "header '%s': the value has a line break", name);
	struct canon_header *c = &h[*n];
	c->name = xstrdup(name);
	for (char *p = c->name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	buf_init(&c->value, 0);
	trim_value(&c->value, value);
	c->order = *n;
	(*n)++;
	return 0;
}

static bool reserved_name(const char *lname, const struct sigv4_params *p, bool token)
{
	return !strcmp(lname, "x-amz-date") || !strcmp(lname, "authorization") ||
	       (p->add_content_sha256 && !strcmp(lname, "x-amz-content-sha256")) ||
	       (token && !strcmp(lname, "x-amz-security-token"));
}

/* ---- Signing ----------------------------------------------------------------------------*/

void sigv4_result_init(struct sigv4_result *res)
{
	memset(res, 0, sizeof(*res));
	buf_init(&res->canonical_request, 0);
	buf_init(&res->string_to_sign, 0);
	buf_init(&res->signed_headers, 0);
	buf_init(&res->authorization, 0);
	for (size_t i = 0; i < 4; i++)
		buf_init(&res->extra[i], 0);
}

void sigv4_result_release(struct sigv4_result *res)
{
	buf_release(&res->canonical_request);
	buf_release(&res->string_to_sign);
	buf_release(&res->signed_headers);
	buf_release(&res->authorization);
	for (size_t i = 0; i < 4; i++)
		buf_release(&res->extra[i]);
	res->nextra = 0;
}

static bool scope_part_ok(const char *s)
{
	return s && *s && !strchr(s, '/') && !strpbrk(s, "\r\n");
}

int sigv4_sign(struct sigv4_result *res, const struct sigv4_request *req,
	       const struct sigv4_creds *creds, const struct sigv4_params *p)
{
	buf_reset(&res->canonical_request);
	buf_reset(&res->string_to_sign);
	buf_reset(&res->signed_headers);
	buf_reset(&res->authorization);
	for (size_t i = 0; i < 4; i++)
		buf_reset(&res->extra[i]);
	res->nextra = 0;
	res->amz_date[0] = res->signature[0] = '\0';

	if (!req->method || !*req->method || strpbrk(req->method, " \r\n"))
		return err_set(ERR_INVALID, "a request to sign needs a method");
	if (!req->path || req->path[0] != '/')
		return err_set(ERR_INVALID, "the path of a request to sign must start with '/'");
	if (!creds || !creds->access_key_id || !*creds->access_key_id ||
	    !creds->secret_access_key || !*creds->secret_access_key)
		return err_set(ERR_INVALID, "signing needs an access key id and a secret access key");
	if (strpbrk(creds->access_key_id, "/, \r\n"))
		return err_set(ERR_INVALID, "the access key id has a character it cannot have");
	if (!scope_part_ok(p->region) || !scope_part_ok(p->service))
		return err_set(ERR_INVALID, "signing needs a region and a service without '/'");
	bool token = creds->session_token && *creds->session_token;
	if (token && strpbrk(creds->session_token, "\r\n"))
		return err_set(ERR_INVALID, "the session token has a line break");
	const char *payload = req->payload_hash ? req->payload_hash : sigv4_empty_sha256;
	if (strpbrk(payload, "\r\n"))
		return err_set(ERR_INVALID, "the payload hash has a line break");

	struct tm tm;
	if (!gmtime_r(&p->when, &tm))
		return err_set(ERR_INVALID, "the signing time is out of range");
	char date[9];
	if (strftime(res->amz_date, sizeof res->amz_date, "%Y%m%dT%H%M%SZ", &tm) != 16)
		return err_set(ERR_INVALID, "the signing time is out of range");
	memcpy(date, res->amz_date, 8);
	date[8] = '\0';

	struct canon_header *h = xcalloc(SIGV4_MAX_HEADERS, sizeof(*h));
	size_t nh = 0;
	int rc = 0;
	bool host = false;
	for (size_t i = 0; i < req->nheaders && !rc; i++) {
		rc = add_header(h, &nh, req->headers[i].name, req->headers[i].value);
		if (rc)
			break;
		if (reserved_name(h[nh - 1].name, p, token))
			rc = err_set(ERR_INVALID, "header '%s' is the signer's to add",
				     req->headers[i].name);
		if (!strcmp(h[nh - 1].name, "host"))
			host = true;
	}
	if (!rc && !host)
		rc = err_set(ERR_INVALID, "a request to sign needs a Host header");
	if (!rc)
		rc = add_header(h, &nh, "x-amz-date", res->amz_date);
	if (!rc && p->add_content_sha256)
		rc = add_header(h, &nh, "x-amz-content-sha256", payload);
	if (!rc && token)
		rc = add_header(h, &nh, "x-amz-security-token", creds->session_token);
	if (rc)
		goto done;
	qsort(h, nh, sizeof(*h), cmp_header);

	/* The canonical request. */
	struct buf *cr = &res->canonical_request;
	buf_adds(cr, req->method);
	buf_addch(cr, '\n');
	canonical_path(cr, req->path, p->normalize_path);
	buf_addch(cr, '\n');
	sigv4_canonical_query(cr, req->query, req->nquery);
	buf_addch(cr, '\n');
	for (size_t i = 0; i < nh; i++) {
		bool repeat = i > 0 && !strcmp(h[i].name, h[i - 1].name);
		if (repeat) {
			buf_addch(cr, ',');
		} else {
			if (i)
				buf_addch(cr, '\n');
			buf_addf(cr, "%s:", h[i].name);
			if (res->signed_headers.len)
				buf_addch(&res->signed_headers, ';');
			buf_adds(&res->signed_headers, h[i].name);
		}
		buf_add(cr, h[i].value.ptr, h[i].value.len);
	}
	buf_adds(cr, "\n\n");
	buf_add(cr, res->signed_headers.ptr, res->signed_headers.len);
	buf_addch(cr, '\n');
	buf_adds(cr, payload);

	/* The string to sign. */
	char crhash[65];
	sigv4_sha256_hex(crhash, cr->ptr, cr->len);
	struct buf scope = BUF_INIT;
	buf_addf(&scope, "%s/%s/%s/aws4_request", date, p->region, p->service);
	buf_addf(&res->string_to_sign, "AWS4-HMAC-SHA256\n%s\n%s\n%s", res->amz_date, scope.ptr,
		 crhash);

	/* The signing key: HMAC("AWS4" + secret, date), then region, service, "aws4_request". */
	struct buf k = BUF_INIT;
	buf_addf(&k, "AWS4%s", creds->secret_access_key);
	unsigned char k1[32], k2[32], sig[32];
	hmac(k1, k.ptr, k.len, date, strlen(date));
	OPENSSL_cleanse(k.ptr, k.len);
	buf_release(&k);
	hmac(k2, k1, 32, p->region, strlen(p->region));
	hmac(k1, k2, 32, p->service, strlen(p->service));
	hmac(k2, k1, 32, "aws4_request", 12);
	hmac(sig, k2, 32, res->string_to_sign.ptr, res->string_to_sign.len);
	OPENSSL_cleanse(k1, sizeof k1);
	OPENSSL_cleanse(k2, sizeof k2);
	to_hex(res->signature, sig, 32);

	buf_addf(&res->authorization,
		 "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s",
		 creds->access_key_id, scope.ptr, res->signed_headers.ptr, res->signature);
	buf_release(&scope);

	buf_addf(&res->extra[res->nextra++], "X-Amz-Date: %s", res->amz_date);
	if (p->add_content_sha256)
		buf_addf(&res->extra[res->nextra++], "X-Amz-Content-Sha256: %s", payload);
	if (token)
		buf_addf(&res->extra[res->nextra++], "X-Amz-Security-Token: %s", creds->session_token);
	buf_addf(&res->extra[res->nextra++], "Authorization: %s", res->authorization.ptr);
done:
	for (size_t i = 0; i < nh; i++) {
		free(h[i].name);
		buf_release(&h[i].value);
	}
	free(h);
	return rc;
}
