/*
 * The OCI registry client's operations (oci_registry.h): the client's life, manifests (HEAD,
 * GET, resolution of an index to a platform's manifest, PUT), the tags list with its pages,
 * blobs (download to a file hashed as it streams, existence, monolithic upload) and the push
 * of a Flux artifact. Every request goes through oci_do (oci_transport.c), which owns
 * authentication, redirects and retries; this file owns the API's paths, the checks on what
 * comes back and the wording of the operation's errors.
 */
#include "source/oci_registry.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "doc/doc.h"
#include "source/oci_int.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

#ifndef TIDE_VERSION
#define TIDE_VERSION "dev"
#endif

#define GIB ((uint64_t)1 << 30)
#define TAGS_PAGE_MAX ((size_t)4 << 20)
#define TAGS_PAGES_MAX 10000

/* ---- The client -----------------------------------------------------------------------------*/

int oci_client_new(struct oci_client **out, const char *host, const struct oci_client_opts *o)
{
	*out = NULL;
	if (!host || !oci_host_valid(host))
		return err_set(ERR_INVALID, "invalid registry host '%.300s'", host ? host : "");
	struct oci_client_opts none = { 0 };
	if (!o)
		o = &none;
	struct oci_client *c = xcalloc(1, sizeof(*c));
	c->host = xstrdup(host);
	if (host[0] == '[')
		c->hostname = xstrndup(host + 1, strcspn(host + 1, "]"));
	else
		c->hostname = xstrndup(host, strcspn(host, ":"));
	c->insecure = o->insecure;
	c->net = o->net;
	c->net.errbuf = NULL;
	c->ca = o->net.ca_pem ? xstrndup(o->net.ca_pem, o->net.ca_pem_len) : NULL;
	c->cert = o->net.cert_pem ? xstrndup(o->net.cert_pem, o->net.cert_pem_len) : NULL;
	c->key = o->net.key_pem ? xstrndup(o->net.key_pem, o->net.key_pem_len) : NULL;
	c->proxy = o->net.proxy_url ? xstrdup(o->net.proxy_url) : NULL;
	c->proxy_username = o->net.proxy_username ? xstrdup(o->net.proxy_username) : NULL;
	c->proxy_password = o->net.proxy_password ? xstrdup(o->net.proxy_password) : NULL;
	c->user_agent = xstrdup(o->net.user_agent ? o->net.user_agent : "tide/" TIDE_VERSION);
	c->net.ca_pem = c->ca;
	c->net.cert_pem = c->cert;
	c->net.key_pem = c->key;
	c->net.proxy_url = c->proxy;
	c->net.proxy_username = c->proxy_username;
	c->net.proxy_password = c->proxy_password;
	c->net.user_agent = c->user_agent;
	if (c->net.connect_timeout_ms <= 0)
		c->net.connect_timeout_ms = 30000; /* Go's dialer, as go-containerregistry uses it */
	if (o->insecure)
		c->net.insecure = true;
	else
		snprintf(c->scheme, sizeof(c->scheme), "https");
	c->username = o->username && *o->username ? xstrdup(o->username) : NULL;
	c->password = o->password ? xstrdup(o->password) : NULL;
	c->registry_token = o->registry_token && *o->registry_token ? xstrdup(o->registry_token)
								     : NULL;
	if (c->registry_token)
		c->auth = OCI_AUTH_BEARER;
	c->pool = net_pool_new();
	c->max_attempts = o->max_attempts > 0 ? o->max_attempts : 3;
	c->backoff_ms = o->backoff_ms > 0 ? o->backoff_ms : 1000;
	c->max_manifest = o->max_manifest ? o->max_manifest : OCI_MANIFEST_MAX_DEFAULT;
	c->max_tags = o->max_tags ? o->max_tags : 100000;
	c->tags_page = o->tags_page ? o->tags_page : 1000;
	pthread_mutex_init(&c->lock, NULL);
	*out = c;
	return 0;
}

void oci_client_free(struct oci_client *c)
{
	if (!c)
		return;
	net_pool_free(c->pool);
	for (size_t i = 0; i < c->ntokens; i++) {
		free(c->tokens[i].scope);
		xfree_secret(c->tokens[i].token);
	}
	pthread_mutex_destroy(&c->lock);
	xfree_secret(c->username);
	xfree_secret(c->password);
	xfree_secret(c->registry_token);
	if (c->key)
		explicit_bzero(c->key, c->net.key_pem_len);
	free(c->key);
	free(c->cert);
	free(c->ca);
	xfree_secret(c->proxy); /* may hold credentials */
	xfree_secret(c->proxy_username);
	xfree_secret(c->proxy_password);
	free(c->user_agent);
	free(c->realm);
	free(c->service);
	free(c->hostname);
	free(c->host);
	free(c);
}

const char *oci_client_host(const struct oci_client *c)
{
	return c->host;
}

void oci_client_set_deadline(struct oci_client *c, int64_t mono_ms)
{
	c->deadline_ms = mono_ms;
}

/* ---- Checks ---------------------------------------------------------------------------------*/

static int check_repo(const char *repo)
{
	if (!repo || !oci_repo_valid(repo))
		return err_set(ERR_INVALID, "invalid repository name '%.300s'", repo ? repo : "");
	return 0;
}

static int check_ref(const char *ref)
{
	if (ref && (oci_tag_valid(ref) || oci_digest_valid(ref)))
		return 0;
	if (ref && strchr(ref, ':'))
		return oci_digest_check("reference", ref, strlen(ref));
	return err_set(ERR_INVALID, "invalid tag or digest '%.200s'", ref ? ref : "");
}

static int check_digest(const char *digest)
{
	if (digest && oci_digest_valid(digest))
		return 0;
	int rc = oci_digest_check("blob", digest ? digest : "", digest ? strlen(digest) : 0);
	return rc ? rc : err_set(ERR_INVALID, "invalid digest '%.100s'", digest ? digest : "");
}

static void set_info(struct oci_manifest_info *info, const struct oci_req *r)
{
	size_t n = strcspn(r->ctype.ptr, "; \t");
	if (n >= sizeof(info->media_type))
		n = 0;
	memcpy(info->media_type, r->ctype.ptr, n);
	info->media_type[n] = '\0';
}

/* ---- Manifests ------------------------------------------------------------------------------*/

/* "/v2/REPO/manifests/REF" into path, once both are checked. */
static int manifest_path(const char *repo, const char *ref, struct buf *path)
{
	int rc = check_repo(repo);
	if (!rc)
		rc = check_ref(ref);
	if (!rc)
		buf_addf(path, "/v2/%s/manifests/%s", repo, ref);
	return rc;
}

int oci_manifest_get(struct oci_client *c, const char *repo, const char *ref, struct buf *body,
		     struct oci_manifest_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = -1;
	struct buf path = BUF_INIT;
	int rc = manifest_path(repo, ref, &path);
	if (rc)
		return rc;
	struct oci_mem_sink sink;
	oci_mem_sink_init(&sink, body, c->max_manifest, "manifest");
	struct oci_req r;
	oci_req_init(&r, "GET");
	r.path = path.ptr;
	r.repo = repo;
	r.accept = OCI_MANIFEST_ACCEPT;
	r.sink = &sink.sink;
	rc = oci_do(c, &r);
	if (!rc && r.status != 200)
		rc = oci_status_error(&r);
	if (!rc) {
		set_info(info, &r);
		info->size = (int64_t)body->len;
		oci_digest_mem(body->ptr, body->len, info->digest);
		if (oci_digest_valid(ref) && strcmp(ref, info->digest) != 0)
			rc = err_set(ERR_INVALID, "manifest digest: '%s' does not match requested digest: '%s'",
				     info->digest, ref);
	}
	if (rc)
		buf_reset(body);
	oci_req_release(&r);
	buf_release(&path);
	return rc;
}

int oci_manifest_head(struct oci_client *c, const char *repo, const char *ref,
		      struct oci_manifest_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = -1;
	struct buf path = BUF_INIT;
	int rc = manifest_path(repo, ref, &path);
	if (rc)
		return rc;
	struct oci_req r;
	oci_req_init(&r, "HEAD");
	r.path = path.ptr;
	r.repo = repo;
	r.accept = OCI_MANIFEST_ACCEPT;
	rc = oci_do(c, &r);
	bool fallback = false;
	if (!rc && r.status != 200)
		rc = oci_status_error(&r);
	else if (!rc && oci_digest_valid(r.digest.ptr)) {
		set_info(info, &r);
		memcpy(info->digest, r.digest.ptr, OCI_DIGEST_MAX + 1);
		info->size = r.content_length;
	} else if (!rc) {
		fallback = true;
	}
	oci_req_release(&r);
	buf_release(&path);
	if (fallback) {
		/* no usable Docker-Content-Digest: hash the manifest itself */
		struct buf body = BUF_INIT;
		rc = oci_manifest_get(c, repo, ref, &body, info);
		buf_release(&body);
	}
	return rc;
}

/* The manifest ref names, fetched and parsed (a's copy). */
static int get_parsed(struct oci_client *c, const char *repo, const char *ref, struct arena *a,
		      struct oci_manifest **m, struct oci_manifest_info *info)
{
	struct buf body = BUF_INIT;
	int rc = oci_manifest_get(c, repo, ref, &body, info);
	if (!rc) {
		struct oci_manifest_limits lim = { .max_bytes = c->max_manifest };
		rc = oci_manifest_parse(a, body.ptr, body.len, info->media_type, &lim, m);
		if (rc)
			rc = err_wrap(rc, "%s/%s@%s", c->host, repo, info->digest);
	}
	buf_release(&body);
	return rc;
}

int oci_resolve(struct oci_client *c, const char *repo, const char *ref,
		const struct oci_platform *platform, struct arena *a, struct oci_resolved *out)
{
	memset(out, 0, sizeof(*out));
	struct oci_manifest *m = NULL;
	struct oci_manifest_info info;
	int rc = get_parsed(c, repo, ref, a, &m, &info);
	if (rc)
		return rc;
	if (m->kind == OCI_IMAGE_MANIFEST) {
		out->manifest = m;
		memcpy(out->digest, info.digest, sizeof(out->digest));
		return 0;
	}
	const struct oci_descriptor *d = oci_index_select(m, platform);
	if (!d) {
		const char *os = platform && platform->os && *platform->os ? platform->os : "linux";
		const char *arch = platform && platform->arch && *platform->arch ? platform->arch
										 : "amd64";
		const char *var = platform && platform->variant ? platform->variant : "";
		return err_set(ERR_NOTFOUND, "no child with platform %s/%s%s%s in index %s/%s@%s", os,
			       arch, *var ? "/" : "", var, c->host, repo, info.digest);
	}
	memcpy(out->index_digest, info.digest, sizeof(out->index_digest));
	char child[OCI_DIGEST_MAX + 1];
	snprintf(child, sizeof(child), "%s", d->digest);
	int64_t want_size = d->size;
	struct oci_manifest *cm = NULL;
	rc = get_parsed(c, repo, child, a, &cm, &info);
	if (rc)
		return rc;
	if (cm->kind != OCI_IMAGE_MANIFEST)
		return err_set(ERR_UNSUPPORTED, "%s/%s@%s: an index inside an index is not supported",
			       c->host, repo, child);
	if (info.size != want_size)
		return err_set(ERR_INVALID, "%s/%s@%s: manifest of %lld bytes, the index says %lld",
			       c->host, repo, child, (long long)info.size, (long long)want_size);
	out->manifest = cm;
	memcpy(out->digest, child, sizeof(out->digest));
	return 0;
}

int oci_manifest_put(struct oci_client *c, const char *repo, const char *ref,
		     const char *media_type, const void *data, size_t len,
		     char digest_out[OCI_DIGEST_MAX + 1])
{
	digest_out[0] = '\0';
	int rc = check_repo(repo);
	if (!rc)
		rc = check_ref(ref);
	if (rc)
		return rc;
	if (len > c->max_manifest)
		return err_set(ERR_TOOBIG, "manifest larger than %zu bytes", c->max_manifest);
	char digest[OCI_DIGEST_MAX + 1];
	oci_digest_mem(data, len, digest);
	if (oci_digest_valid(ref) && strcmp(ref, digest) != 0)
		return err_set(ERR_INVALID, "manifest digest '%s' is not '%s'", digest, ref);
	struct buf path = BUF_INIT;
	buf_addf(&path, "/v2/%s/manifests/%s", repo, ref);
	struct oci_req r;
	oci_req_init(&r, "PUT");
	r.path = path.ptr;
	r.repo = repo;
	r.push = true;
	r.content_type = media_type;
	r.has_body = true;
	r.body = data;
	r.body_len = len;
	rc = oci_do(c, &r);
	if (!rc && (r.status < 200 || r.status > 299))
		rc = oci_status_error(&r);
	if (!rc && oci_digest_valid(r.digest.ptr) && strcmp(r.digest.ptr, digest) != 0)
		rc = err_set(ERR_INVALID, "the registry computed digest '%s' for the manifest, not '%s'",
			     r.digest.ptr, digest);
	if (!rc)
		memcpy(digest_out, digest, OCI_DIGEST_MAX + 1);
	oci_req_release(&r);
	buf_release(&path);
	return rc;
}

/* ---- Tags -----------------------------------------------------------------------------------*/

/* The URL of a Link: <...>; rel="next" header (heap), or NULL when there is none. */
static int next_link(struct oci_client *c, const char *link, const char *base, char **out)
{
	*out = NULL;
	const char *lt = strchr(link, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;
	if (!lt || !gt)
		return 0;
	if (!strstr(gt, "rel=\"next\"") && !strstr(gt, "rel=next"))
		return 0;
	size_t n = (size_t)(gt - lt - 1);
	const char *u = lt + 1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)u[i] <= 0x20 || u[i] == 0x7f)
			return err_set(ERR_INVALID, "%s: malformed Link header", c->host);
	if (n && u[0] == '/' && (n < 2 || u[1] != '/')) {
		*out = xasprintf("%s%.*s", base, (int)n, u);
		return 0;
	}
	char *abs = xstrndup(u, n);
	if ((strncmp(abs, "https://", 8) == 0 || strncmp(abs, "http://", 7) == 0) &&
	    oci_same_origin(abs, base)) {
		*out = abs;
		return 0;
	}
	free(abs);
	return err_set(ERR_INVALID, "%s: refusing a tags page on another host", c->host);
}

int oci_tags_list(struct oci_client *c, const char *repo, struct arena *a, const char ***tags,
		  size_t *n)
{
	*tags = NULL;
	*n = 0;
	int rc = check_repo(repo);
	if (rc)
		return rc;
	struct buf base = BUF_INIT, body = BUF_INIT;
	rc = oci_base_url(c, &base);
	if (rc) {
		buf_release(&base);
		return rc;
	}
	char *url = xasprintf("%s/v2/%s/tags/list?n=%u", base.ptr, repo, c->tags_page);
	const char **list = NULL;
	size_t len = 0, cap = 0;
	for (int page = 0; url && !rc; page++) {
		if (page >= TAGS_PAGES_MAX) {
			rc = err_set(ERR_TOOBIG, "%s/%s: more than %d pages of tags", c->host, repo,
				     TAGS_PAGES_MAX);
			break;
		}
		struct oci_mem_sink sink;
		oci_mem_sink_init(&sink, &body, TAGS_PAGE_MAX, "tags list");
		struct oci_req r;
		oci_req_init(&r, "GET");
		r.url = url;
		r.repo = repo;
		r.accept = "application/json";
		r.sink = &sink.sink;
		rc = oci_do(c, &r);
		if (!rc && r.status != 200)
			rc = oci_status_error(&r);
		struct arena *pa = NULL;
		if (!rc) {
			pa = arena_new();
			struct doc_limits lim = { .max_bytes = TAGS_PAGE_MAX, .max_depth = 8 };
			struct doc_node *root = NULL;
			rc = doc_parse_json(pa, "tags list", body.ptr, body.len, &lim, &root);
			const struct doc_node *t = rc ? NULL : doc_map_get(root, "tags");
			if (!rc && root->kind != DOC_MAP)
				rc = err_set(ERR_INVALID, "%s/%s: tags list is not a JSON object", c->host,
					     repo);
			else if (!rc && t && t->kind != DOC_NULL && t->kind != DOC_SEQ)
				rc = err_set(ERR_INVALID, "%s/%s: 'tags' is not an array", c->host, repo);
			for (size_t i = 0; !rc && t && t->kind == DOC_SEQ && i < t->u.seq.len; i++) {
				const struct doc_node *v = t->u.seq.items[i];
				if (v->kind != DOC_STR || !oci_tag_valid(v->u.str.ptr))
					continue;
				if (len >= c->max_tags) {
					rc = err_set(ERR_TOOBIG, "%s/%s: more than %zu tags", c->host, repo,
						     c->max_tags);
					break;
				}
				list = arena_grow(a, list, &cap, len + 1, sizeof(*list));
				list[len++] = arena_strdup(a, v->u.str.ptr);
			}
		}
		char *next = NULL;
		if (!rc)
			rc = next_link(c, r.link.ptr, base.ptr, &next);
		if (!rc && next && strcmp(next, url) == 0) {
			free(next);
			next = NULL; /* a page that names itself: the end */
		}
		arena_free(pa);
		oci_req_release(&r);
		free(url);
		url = next;
	}
	free(url);
	buf_release(&body);
	buf_release(&base);
	if (rc)
		return rc;
	*tags = list;
	*n = len;
	return 0;
}

/* ---- Blobs ----------------------------------------------------------------------------------*/

int oci_blob_get(struct oci_client *c, const char *repo, const char *digest, int64_t size,
		 uint64_t max, const char *path)
{
	int rc = check_repo(repo);
	if (!rc)
		rc = check_digest(digest);
	if (rc)
		return rc;
	if (!max)
		max = GIB;
	if (size >= 0 && (uint64_t)size > max)
		return err_set(ERR_TOOBIG, "blob %s of %lld bytes is larger than the limit of %llu bytes",
			       digest, (long long)size, (unsigned long long)max);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(ERR_IO, "'%s': %s", path, strerror(errno));
	struct buf p = BUF_INIT;
	buf_addf(&p, "/v2/%s/blobs/%s", repo, digest);
	struct oci_file_sink sink;
	char what[OCI_DIGEST_MAX + 16];
	snprintf(what, sizeof(what), "blob %s", digest);
	oci_file_sink_init(&sink, fd, size >= 0 ? (uint64_t)size : max, what);
	struct oci_req r;
	oci_req_init(&r, "GET");
	r.path = p.ptr;
	r.repo = repo;
	r.sink = &sink.sink;
	rc = oci_do(c, &r);
	if (rc == ERR_TOOBIG && size >= 0)
		rc = err_set(ERR_TOOBIG, "blob %s is larger than its descriptor's size %lld", digest,
			     (long long)size);
	if (!rc && r.status != 200)
		rc = oci_status_error(&r);
	if (!rc && size >= 0 && sink.written != (uint64_t)size)
		rc = err_set(ERR_INVALID, "blob %s: got %llu bytes, its descriptor says %lld", digest,
			     (unsigned long long)sink.written, (long long)size);
	if (!rc) {
		char got[OCI_DIGEST_MAX + 1];
		oci_digest_final(sink.md, got);
		if (strcmp(got, digest) != 0)
			rc = err_set(ERR_INVALID, "blob %s: digest mismatch: the download hashes to %s",
				     digest, got);
	}
	if (close(fd) != 0 && !rc)
		rc = err_set(ERR_IO, "'%s': %s", path, strerror(errno));
	if (rc)
		unlink(path);
	oci_file_sink_release(&sink);
	oci_req_release(&r);
	buf_release(&p);
	return rc;
}

int oci_blob_get_mem(struct oci_client *c, const char *repo, const char *digest, size_t max,
		     struct buf *out)
{
	int rc = check_repo(repo);
	if (!rc)
		rc = check_digest(digest);
	if (rc)
		return rc;
	struct buf p = BUF_INIT;
	buf_addf(&p, "/v2/%s/blobs/%s", repo, digest);
	char what[OCI_DIGEST_MAX + 16];
	snprintf(what, sizeof(what), "blob %s", digest);
	struct oci_mem_sink sink;
	oci_mem_sink_init(&sink, out, max ? max : OCI_MANIFEST_MAX_DEFAULT, what);
	struct oci_req r;
	oci_req_init(&r, "GET");
	r.path = p.ptr;
	r.repo = repo;
	r.sink = &sink.sink;
	rc = oci_do(c, &r);
	if (!rc && r.status != 200)
		rc = oci_status_error(&r);
	if (!rc) {
		char got[OCI_DIGEST_MAX + 1];
		oci_digest_mem(out->ptr, out->len, got);
		if (strcmp(got, digest) != 0)
			rc = err_set(ERR_INVALID, "blob %s: digest mismatch: the download hashes to %s",
				     digest, got);
	}
	if (rc)
		buf_reset(out);
	oci_req_release(&r);
	buf_release(&p);
	return rc;
}

static int blob_exists(struct oci_client *c, const char *repo, const char *digest, bool push,
		       bool *exists)
{
	*exists = false;
	struct buf p = BUF_INIT;
	buf_addf(&p, "/v2/%s/blobs/%s", repo, digest);
	struct oci_req r;
	oci_req_init(&r, "HEAD");
	r.path = p.ptr;
	r.repo = repo;
	r.push = push;
	int rc = oci_do(c, &r);
	if (!rc && r.status == 200)
		*exists = true;
	else if (!rc && r.status != 404)
		rc = oci_status_error(&r);
	oci_req_release(&r);
	buf_release(&p);
	return rc;
}

int oci_blob_exists(struct oci_client *c, const char *repo, const char *digest, bool *exists)
{
	*exists = false;
	int rc = check_repo(repo);
	if (!rc)
		rc = check_digest(digest);
	if (rc)
		return rc;
	return blob_exists(c, repo, digest, false, exists);
}

/* POST an upload, then PUT the bytes (memory, or fd when >= 0) with their digest. */
static int blob_upload(struct oci_client *c, const char *repo, const char *digest,
		       const void *data, size_t len, int fd, uint64_t flen)
{
	struct buf p = BUF_INIT, base = BUF_INIT, put = BUF_INIT;
	buf_addf(&p, "/v2/%s/blobs/uploads/", repo);
	struct oci_req r;
	oci_req_init(&r, "POST");
	r.path = p.ptr;
	r.repo = repo;
	r.push = true;
	int rc = oci_do(c, &r);
	if (!rc && r.status != 202 && r.status != 201)
		rc = oci_status_error(&r);
	if (!rc && !r.location.len)
		rc = err_set(ERR_INVALID, "POST %s%s: the registry gave no upload location", c->host,
			     p.ptr);
	if (!rc)
		rc = oci_base_url(c, &base);
	if (!rc) {
		const char *loc = r.location.ptr;
		for (const char *q = loc; *q && !rc; q++)
			if ((unsigned char)*q <= 0x20 || *q == 0x7f)
				rc = err_set(ERR_INVALID, "%s: malformed upload location", c->host);
		if (!rc && loc[0] == '/' && loc[1] != '/')
			buf_addf(&put, "%s%s", base.ptr, loc);
		else if (!rc && (strncmp(loc, "https://", 8) == 0 || strncmp(loc, "http://", 7) == 0))
			buf_adds(&put, loc);
		else if (!rc)
			rc = err_set(ERR_INVALID, "%s: unusable upload location", c->host);
	}
	oci_req_release(&r);
	if (!rc) {
		buf_addf(&put, "%cdigest=", strchr(put.ptr, '?') ? '&' : '?');
		oci_url_escape(&put, digest);
		oci_req_init(&r, "PUT");
		r.url = put.ptr;
		r.repo = repo;
		r.push = true;
		r.content_type = "application/octet-stream";
		r.has_body = true;
		r.body = data;
		r.body_len = len;
		r.body_fd = fd;
		r.body_fd_len = flen;
		rc = oci_do(c, &r);
		if (!rc && r.status != 201 && r.status != 204 && r.status != 200)
			rc = oci_status_error(&r);
		oci_req_release(&r);
	}
	buf_release(&p);
	buf_release(&base);
	buf_release(&put);
	return rc;
}

int oci_blob_push_mem(struct oci_client *c, const char *repo, const void *data, size_t len,
		      char digest_out[OCI_DIGEST_MAX + 1], bool *uploaded)
{
	*uploaded = false;
	int rc = check_repo(repo);
	if (rc)
		return rc;
	oci_digest_mem(data, len, digest_out);
	bool exists;
	rc = blob_exists(c, repo, digest_out, true, &exists);
	if (!rc && !exists) {
		rc = blob_upload(c, repo, digest_out, data, len, -1, 0);
		*uploaded = rc == 0;
	}
	return rc;
}

/* sha256 of the file fd, read from its start. */
static int hash_fd(int fd, const char *path, char digest[OCI_DIGEST_MAX + 1], uint64_t *size)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	char buf[1 << 16];
	uint64_t total = 0;
	int rc = 0;
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf), (off_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = err_set(ERR_IO, "'%s': %s", path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		EVP_DigestUpdate(md, buf, (size_t)n);
		total += (uint64_t)n;
	}
	oci_digest_final(md, digest);
	EVP_MD_CTX_free(md);
	*size = total;
	return rc;
}

int oci_blob_push_file(struct oci_client *c, const char *repo, const char *path,
		       char digest_out[OCI_DIGEST_MAX + 1], int64_t *size_out, bool *uploaded)
{
	*uploaded = false;
	digest_out[0] = '\0';
	int rc = check_repo(repo);
	if (rc)
		return rc;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(errno == ENOENT ? ERR_NOTFOUND : ERR_IO, "'%s': %s", path,
			       strerror(errno));
	uint64_t size = 0;
	rc = hash_fd(fd, path, digest_out, &size);
	bool exists = false;
	if (!rc)
		rc = blob_exists(c, repo, digest_out, true, &exists);
	if (!rc && !exists) {
		rc = blob_upload(c, repo, digest_out, NULL, 0, fd, size);
		*uploaded = rc == 0;
	}
	close(fd);
	if (size_out)
		*size_out = (int64_t)size;
	return rc;
}

/* ---- Flux artifacts -------------------------------------------------------------------------*/

/* The digest and size of the gzip file at path, and the digest of what it inflates to (the
 * layer's diff_id). Concatenated gzip members are read as gzip does. */
static int layer_digests(const char *path, char digest[OCI_DIGEST_MAX + 1], int64_t *size,
			 char diff_id[OCI_DIGEST_MAX + 1])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(errno == ENOENT ? ERR_NOTFOUND : ERR_IO, "'%s': %s", path,
			       strerror(errno));
	EVP_MD_CTX *zmd = EVP_MD_CTX_new(), *umd = EVP_MD_CTX_new();
	EVP_DigestInit_ex(zmd, EVP_sha256(), NULL);
	EVP_DigestInit_ex(umd, EVP_sha256(), NULL);
	z_stream z;
	memset(&z, 0, sizeof(z));
	int rc = 0, zr = inflateInit2(&z, 16 + MAX_WBITS);
	if (zr != Z_OK)
		rc = err_set(ERR_GENERIC, "zlib: inflateInit2 failed");
	enum { CHUNK = 1 << 16 };
	unsigned char *in = xmalloc(CHUNK), *out = xmalloc(CHUNK);
	uint64_t total = 0;
	bool ended = false;
	while (!rc) {
		ssize_t n = read(fd, in, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = err_set(ERR_IO, "'%s': %s", path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		EVP_DigestUpdate(zmd, in, (size_t)n);
		total += (uint64_t)n;
		z.next_in = in;
		z.avail_in = (uInt)n;
		while (z.avail_in && !rc) {
			if (ended) {
				inflateReset(&z);
				ended = false;
			}
			z.next_out = out;
			z.avail_out = CHUNK;
			zr = inflate(&z, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
				rc = err_set(ERR_INVALID, "'%s' is not a gzip file", path);
				break;
			}
			EVP_DigestUpdate(umd, out, CHUNK - z.avail_out);
			if (zr == Z_STREAM_END)
				ended = true;
		}
	}
	/* flush what inflate still holds */
	while (!rc && !ended && total) {
		z.next_out = out;
		z.avail_out = CHUNK;
		zr = inflate(&z, Z_FINISH);
		EVP_DigestUpdate(umd, out, CHUNK - z.avail_out);
		if (zr == Z_STREAM_END)
			ended = true;
		else if (zr != Z_OK && zr != Z_BUF_ERROR)
			rc = err_set(ERR_INVALID, "'%s' is not a gzip file", path);
		else if (CHUNK == z.avail_out)
			break;
	}
	if (!rc && (!ended || !total))
		rc = err_set(ERR_INVALID, "'%s' is not a complete gzip file", path);
	inflateEnd(&z);
	free(in);
	free(out);
	oci_digest_final(zmd, digest);
	oci_digest_final(umd, diff_id);
	EVP_MD_CTX_free(zmd);
	EVP_MD_CTX_free(umd);
	close(fd);
	*size = (int64_t)total;
	return rc;
}

int oci_flux_push(struct oci_client *c, const char *repo, const char *tag, const char *tgz_path,
		  const struct oci_flux_meta *meta, char digest_out[OCI_DIGEST_MAX + 1])
{
	digest_out[0] = '\0';
	int rc = check_repo(repo);
	if (!rc && (!tag || !oci_tag_valid(tag)))
		rc = err_set(ERR_INVALID, "invalid tag '%.200s'", tag ? tag : "");
	if (rc)
		return rc;
	struct oci_flux_meta none = { 0 };
	if (!meta)
		meta = &none;
	char now[32];
	const char *created = meta->created;
	if (!created || !*created)
		created = clock_rfc3339(now, sizeof(now), time(NULL));

	struct oci_descriptor layer = { .media_type = OCI_MT_FLUX_CONTENT };
	char layer_digest[OCI_DIGEST_MAX + 1], diff_id[OCI_DIGEST_MAX + 1];
	rc = layer_digests(tgz_path, layer_digest, &layer.size, diff_id);
	if (rc)
		return rc;
	layer.digest = layer_digest;

	struct buf cfg = BUF_INIT, man = BUF_INIT;
	oci_flux_config_json(&cfg, created, diff_id);
	struct oci_descriptor config = { .media_type = OCI_MT_FLUX_CONFIG, .size = (int64_t)cfg.len };
	char config_digest[OCI_DIGEST_MAX + 1];
	bool uploaded;
	rc = oci_blob_push_mem(c, repo, cfg.ptr, cfg.len, config_digest, &uploaded);
	config.digest = config_digest;
	if (!rc) {
		char pushed[OCI_DIGEST_MAX + 1];
		int64_t size = 0;
		rc = oci_blob_push_file(c, repo, tgz_path, pushed, &size, &uploaded);
		if (!rc && (strcmp(pushed, layer_digest) != 0 || size != layer.size))
			rc = err_set(ERR_IO, "'%s' changed while it was pushed", tgz_path);
	}
	if (!rc) {
		size_t nann = 3 + meta->nannotations;
		struct oci_kv *ann = xcalloc(nann, sizeof(*ann));
		ann[0] = (struct oci_kv){ OCI_ANN_CREATED, created };
		ann[1] = (struct oci_kv){ OCI_ANN_SOURCE, meta->source ? meta->source : "" };
		ann[2] = (struct oci_kv){ OCI_ANN_REVISION, meta->revision ? meta->revision : "" };
		for (size_t i = 0; i < meta->nannotations; i++)
			ann[3 + i] = meta->annotations[i];
		oci_manifest_json(&man, &config, &layer, 1, ann, nann);
		free(ann);
		rc = oci_manifest_put(c, repo, tag, OCI_MT_MANIFEST, man.ptr, man.len, digest_out);
	}
	buf_release(&cfg);
	buf_release(&man);
	return rc;
}
