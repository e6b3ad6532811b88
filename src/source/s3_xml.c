/*
 * S3's response documents, read with source/xml.h: a ListObjectsV2 page (ListBucketResult:
 * IsTruncated, NextContinuationToken, EncodingType and each Contents' Key, ETag, Size,
 * LastModified; the rest is skipped) and the Error document (Code, Message). The element
 * names are the API reference's ("ListObjectsV2", "Error responses"). Every value is capped
 * before it is kept, and keys are checked after decoding; see s3.h.
 */
#include "source/s3.h"

#include <stdlib.h>
#include <string.h>

#include "source/xml.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define DEF_MAX_OBJECTS 100000
#define DEF_MAX_KEY 1024
#define MAX_ETAG 255
#define MAX_TOKEN 4096
#define MAX_DATE 64

void s3_list_release(struct s3_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->obj[i].key);
		free(l->obj[i].etag);
		free(l->obj[i].last_modified);
	}
	free(l->obj);
	*l = (struct s3_list)S3_LIST_INIT;
}

void s3_page_release(struct s3_page *page)
{
	free(page->next_token);
	page->next_token = NULL;
}

static bool name_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && !memcmp(name, want, len);
}

/* ---- ListBucketResult -------------------------------------------------------------------*/

struct list_state {
	struct s3_list *out;
	struct s3_page *page;
	size_t max_objects, max_key;
	size_t first;          /* out->n when the page began */
	bool in_contents;
	bool have_key, have_size;
	bool url_encoded;      /* EncodingType url */
	struct s3_object cur;
};

static int parse_size(const char *s, size_t n, int64_t *out)
{
	if (!n || n > 18)
		return err_set(ERR_INVALID, "object size '%.*s' is not a number", (int)(n > 32 ? 32 : n), s);
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return err_set(ERR_INVALID, "object size '%.*s' is not a number",
				       (int)(n > 32 ? 32 : n), s);
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static char *strip_quotes(const char *s, size_t n)
{
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		return xstrndup(s + 1, n - 2);
	/* Some servers write &quot; as it is, already decoded by the reader; others none. */
	return xstrndup(s, n);
}

static int list_start(void *ud, size_t depth, const char *name, size_t len)
{
	struct list_state *st = ud;
	if (depth == 1 && !name_is(name, len, "ListBucketResult"))
		return err_set(ERR_INVALID, "expected a ListBucketResult, got '%.*s'",
			       (int)(len > 64 ? 64 : len), name);
	if (depth == 2 && name_is(name, len, "Contents")) {
		if (st->out->n >= st->max_objects)
			return err_set(ERR_TOOBIG, "the bucket lists more than %zu objects",
				       st->max_objects);
		st->in_contents = true;
		st->have_key = st->have_size = false;
		memset(&st->cur, 0, sizeof(st->cur));
	}
	return 0;
}

static int list_end(void *ud, size_t depth, const char *name, size_t len, const char *text,
		    size_t tlen)
{
	struct list_state *st = ud;
	if (depth == 3 && st->in_contents && text) {
		if (name_is(name, len, "Key")) {
			/* Encoded keys are up to three times longer; checked again once decoded. */
			if (tlen > 3 * st->max_key)
				return err_set(ERR_TOOBIG, "an object key is longer than %zu bytes",
					       st->max_key);
			free(st->cur.key);
			st->cur.key = xstrndup(text, tlen);
			st->have_key = true;
		} else if (name_is(name, len, "ETag")) {
			if (tlen > MAX_ETAG)
				return err_set(ERR_TOOBIG, "an ETag is longer than %d bytes", MAX_ETAG);
			free(st->cur.etag);
			st->cur.etag = strip_quotes(text, tlen);
		} else if (name_is(name, len, "Size")) {
			int rc = parse_size(text, tlen, &st->cur.size);
			if (rc)
				return rc;
			st->have_size = true;
		} else if (name_is(name, len, "LastModified")) {
			if (tlen > MAX_DATE)
				return err_set(ERR_INVALID, "LastModified is longer than %d bytes", MAX_DATE);
			free(st->cur.last_modified);
			st->cur.last_modified = xstrndup(text, tlen);
		}
		return 0;
	}
	if (depth == 2 && name_is(name, len, "Contents")) {
		st->in_contents = false;
		if (!st->have_key) {
			free(st->cur.etag);
			free(st->cur.last_modified);
			memset(&st->cur, 0, sizeof(st->cur));
			return err_set(ERR_INVALID, "a listed object has no Key");
		}
		if (!st->cur.etag)
			st->cur.etag = xstrdup("");
		if (!st->cur.last_modified)
			st->cur.last_modified = xstrdup("");
		struct s3_list *l = st->out;
		l->obj = xgrow(l->obj, &l->cap, l->n + 1, sizeof(*l->obj));
		l->obj[l->n++] = st->cur;
		memset(&st->cur, 0, sizeof(st->cur));
		st->page->objects++;
		return 0;
	}
	if (depth == 2 && text) {
		if (name_is(name, len, "IsTruncated")) {
			if (tlen == 4 && !memcmp(text, "true", 4))
				st->page->truncated = true;
			else if (tlen == 5 && !memcmp(text, "false", 5))
				st->page->truncated = false;
			else
				return err_set(ERR_INVALID, "IsTruncated is neither true nor false");
		} else if (name_is(name, len, "NextContinuationToken")) {
			if (tlen > MAX_TOKEN)
				return err_set(ERR_TOOBIG, "NextContinuationToken is longer than %d bytes",
					       MAX_TOKEN);
			free(st->page->next_token);
			st->page->next_token = xstrndup(text, tlen);
		} else if (name_is(name, len, "EncodingType")) {
			st->url_encoded = tlen == 3 && !memcmp(text, "url", 3);
		}
	}
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Percent-decodes s in place (encoding-type=url: '+' is a space, as Go's
 * url.QueryUnescape reads it, which minio-go uses). Returns the new length; a '%' not
 * followed by two hex digits is an error. */
static int url_decode(char *s, size_t *len)
{
	size_t n = strlen(s), o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
				return err_set(ERR_INVALID, "a url-encoded key has a bad escape");
			s[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			s[o++] = s[i] == '+' ? ' ' : s[i];
		}
	}
	s[o] = '\0';
	*len = o;
	return 0;
}

int s3_parse_list_page(const char *xml, size_t len, const struct s3_limits *lim,
		       struct s3_list *out, struct s3_page *page)
{
	memset(page, 0, sizeof(*page));
	struct list_state st = {
		.out = out, .page = page,
		.max_objects = lim && lim->max_objects ? lim->max_objects : DEF_MAX_OBJECTS,
		.max_key = lim && lim->max_key_len ? lim->max_key_len : DEF_MAX_KEY,
		.first = out->n,
	};
	struct xml_limits xl = XML_LIMITS_INIT;
	if (3 * st.max_key + 16 > 64 * 1024)
		xl.max_text = 3 * st.max_key + 16;
	struct xml_handler h = { list_start, list_end };
	int rc = xml_read(xml, len, &xl, &h, &st);
	free(st.cur.key);
	free(st.cur.etag);
	free(st.cur.last_modified);
	for (size_t i = st.first; !rc && i < out->n; i++) {
		char *k = out->obj[i].key;
		size_t klen = strlen(k);
		if (st.url_encoded && (rc = url_decode(k, &klen)))
			break;
		if (!klen)
			rc = err_set(ERR_INVALID, "a listed object has an empty key");
		else if (klen > st.max_key)
			rc = err_set(ERR_TOOBIG, "an object key is longer than %zu bytes", st.max_key);
		else if (memchr(k, '\0', klen)) /* decoded from %00 */
			rc = err_set(ERR_INVALID, "an object key has a NUL byte");
	}
	if (!rc && page->truncated && (!page->next_token || !*page->next_token))
		rc = err_set(ERR_INVALID, "a truncated listing without a NextContinuationToken");
	if (rc)
		s3_page_release(page);
	return rc;
}

/* ---- Error ------------------------------------------------------------------------------*/

struct error_state {
	struct s3_error *err;
};

static void copy_clean(char *dst, size_t cap, const char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	dst[o] = '\0';
}

static int error_start(void *ud, size_t depth, const char *name, size_t len)
{
	(void)ud;
	if (depth == 1 && !name_is(name, len, "Error"))
		return ERR_INVALID;
	return 0;
}

static int error_end(void *ud, size_t depth, const char *name, size_t len, const char *text,
		     size_t tlen)
{
	struct error_state *st = ud;
	if (depth != 2 || !text)
		return 0;
	if (name_is(name, len, "Code"))
		copy_clean(st->err->code, sizeof st->err->code, text, tlen);
	else if (name_is(name, len, "Message"))
		copy_clean(st->err->message, sizeof st->err->message, text, tlen);
	return 0;
}

int s3_parse_error(const char *xml, size_t len, struct s3_error *err)
{
	err->code[0] = err->message[0] = '\0';
	struct error_state st = { err };
	struct xml_handler h = { error_start, error_end };
	struct xml_limits xl = { 8, 64, 4096 };
	int rc = xml_read(xml, len, &xl, &h, &st);
	if (rc) {
		err->code[0] = err->message[0] = '\0';
		return ERR_INVALID;
	}
	return 0;
}
