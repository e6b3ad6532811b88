/*
 * source/oci_registry over a fake registry in this process (runtime/http on loopback): what a
 * real registry is not easily made to do. Retries on 503 and 429 (Retry-After), connection
 * refused, the registry's JSON errors, the bearer challenge (token per scope, cached) and the
 * basic one, a redirect of a blob to another host (no Authorization sent there), a blob that
 * does not match its digest or size (refused, file removed), tags in pages (Link), an index
 * resolved to linux/amd64, a realm on a private address refused, the deadline. Pushes need
 * PUT, which runtime/http does not take: oci_registry_test.c pushes to docker-registry.
 */
#include "test.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/http.h"
#include "source/oci_int.h"
#include "source/oci_registry.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"

enum mode { MODE_NONE, MODE_BASIC, MODE_BEARER };

static struct {
	int port;
	atomic_int mode;
	char realm[256];
	atomic_int heads, gets, tokens, flaky, limited, storage, storage_with_auth;
	atomic_int token_scope_app, token_scope_other;
} S;

static char manifest[1024], manifest_digest[80], index_doc[1024], index_digest[80];
static const char blob[] = "the blob's bytes\n";
static char blob_digest[80];
static const char bad_digest[] =
	"sha256:0000000000000000000000000000000000000000000000000000000000000000";

static __thread char hv[4][1100];

/* The next free header slot (runtime/http stops at the first empty one). */
static void set_hdr(struct rt_http_response *resp, const char *name, const char *val)
{
	int slot = 0;
	while (slot < 3 && resp->headers[2 * slot])
		slot++;
	snprintf(hv[slot], sizeof(hv[slot]), "%s", val);
	resp->headers[2 * slot] = name;
	resp->headers[2 * slot + 1] = hv[slot];
}

static void json_error(struct rt_http_response *resp, int status, const char *code,
		       const char *msg)
{
	resp->status = status;
	resp->content_type = "application/json";
	buf_addf(&resp->body, "{\"errors\":[{\"code\":\"%s\",\"message\":\"%s\",\"detail\":{}}]}", code,
		 msg);
}

static bool authorized(const struct rt_http_request *req, struct rt_http_response *resp,
		       const char *repo)
{
	const char *auth = rt_http_header(req, "Authorization");
	int mode = atomic_load(&S.mode);
	if (mode == MODE_NONE)
		return true;
	if (mode == MODE_BASIC) {
		/* alice:s3cret */
		if (auth && strcmp(auth, "Basic YWxpY2U6czNjcmV0") == 0)
			return true;
		set_hdr(resp, "WWW-Authenticate", "Basic realm=\"fake\"");
	} else {
		char want[300];
		snprintf(want, sizeof(want), "Bearer tok-repository:%s:pull", repo);
		if (auth && strcmp(auth, want) == 0)
			return true;
		char ch[600];
		snprintf(ch, sizeof(ch), "Bearer realm=\"%s\",service=\"fake\",scope=\"repository:%s:pull\"",
			 S.realm, repo);
		set_hdr(resp, "WWW-Authenticate", ch);
	}
	json_error(resp, 401, "UNAUTHORIZED", "authentication required");
	return false;
}

static int on_v2(void *ud, const struct rt_http_request *req, struct rt_http_response *resp)
{
	(void)ud;
	const char *p = req->path + 4; /* after "/v2/" */
	char repo[64] = "";
	size_t rl = strcspn(p, "/");
	if (rl < sizeof(repo))
		snprintf(repo, sizeof(repo), "%.*s", (int)rl, p);
	if (!*p) {
		if (authorized(req, resp, "")) /* the ping */
			buf_adds(&resp->body, "{}");
		return 0;
	}
	if (!authorized(req, resp, repo))
		return 0;
	const char *rest = p + rl;
	bool head = strcmp(req->method, "HEAD") == 0;
	if (strncmp(rest, "/manifests/", 11) == 0) {
		const char *ref = rest + 11;
		if (head)
			atomic_fetch_add(&S.heads, 1);
		else
			atomic_fetch_add(&S.gets, 1);
		if (!strcmp(repo, "flaky") && atomic_fetch_add(&S.flaky, 1) < 2) {
			json_error(resp, 503, "UNAVAILABLE", "try later");
			return 0;
		}
		if (!strcmp(repo, "down")) {
			resp->status = 502;
			buf_adds(&resp->body, "<html>bad gateway</html>");
			return 0;
		}
		if (!strcmp(repo, "limited") && atomic_fetch_add(&S.limited, 1) < 1) {
			set_hdr(resp, "Retry-After", "1");
			json_error(resp, 429, "TOOMANYREQUESTS", "slow down");
			return 0;
		}
		const char *doc = NULL, *dg = NULL, *ct = OCI_MT_MANIFEST;
		if (!strcmp(repo, "index") && (!strcmp(ref, "v1") || !strcmp(ref, index_digest)))
			doc = index_doc, dg = index_digest, ct = OCI_MT_INDEX;
		else if (!strcmp(ref, "v1") || !strcmp(ref, manifest_digest))
			doc = manifest, dg = manifest_digest;
		else if (!strcmp(ref, blob_digest))
			doc = manifest, dg = blob_digest; /* bytes that do not hash to the digest */
		else if (!strcmp(ref, "lying"))
			doc = manifest, dg = bad_digest; /* a wrong Docker-Content-Digest on a tag */
		if (!doc) {
			json_error(resp, 404, "MANIFEST_UNKNOWN", "manifest unknown");
			return 0;
		}
		resp->content_type = ct;
		set_hdr(resp, "Docker-Content-Digest", dg);
		buf_adds(&resp->body, doc);
		return 0;
	}
	if (strncmp(rest, "/blobs/", 7) == 0) {
		const char *d = rest + 7;
		if (!strcmp(d, blob_digest)) {
			/* to "storage" on another host name: localhost, not 127.0.0.1 */
			char loc[200];
			snprintf(loc, sizeof(loc), "http://localhost:%d/storage/blob", S.port);
			set_hdr(resp, "Location", loc);
			resp->status = 307;
			return 0;
		}
		if (!strcmp(d, bad_digest)) {
			buf_adds(&resp->body, blob); /* served for a digest it does not have */
			return 0;
		}
		json_error(resp, 404, "BLOB_UNKNOWN", "blob unknown to registry");
		return 0;
	}
	if (!strcmp(rest, "/tags/list")) {
		const char *last = rt_http_query(req, "last");
		resp->content_type = "application/json";
		if (!last) {
			buf_addf(&resp->body, "{\"name\":\"%s\",\"tags\":[\"v1\",\"v2\",\"bad tag\"]}", repo);
			char link[200];
			snprintf(link, sizeof(link), "</v2/%s/tags/list?n=2&last=v2>; rel=\"next\"", repo);
			set_hdr(resp, "Link", link);
		} else if (!strcmp(repo, "evil")) {
			buf_adds(&resp->body, "{\"tags\":[\"v3\"]}");
			set_hdr(resp, "Link", "<http://10.9.9.9/v2/evil/tags/list?last=v3>; rel=\"next\"");
		} else {
			buf_adds(&resp->body, "{\"name\":\"x\",\"tags\":[\"v3\"]}");
		}
		return 0;
	}
	json_error(resp, 404, "NAME_UNKNOWN", "repository name not known to registry");
	return 0;
}

static int on_storage(void *ud, const struct rt_http_request *req, struct rt_http_response *resp)
{
	(void)ud;
	atomic_fetch_add(&S.storage, 1);
	if (rt_http_header(req, "Authorization")) {
		atomic_fetch_add(&S.storage_with_auth, 1);
		resp->status = 400;
		return 0;
	}
	buf_adds(&resp->body, blob);
	return 0;
}

static int on_token(void *ud, const struct rt_http_request *req, struct rt_http_response *resp)
{
	(void)ud;
	atomic_fetch_add(&S.tokens, 1);
	if (rt_http_query(req, "hop")) {
		set_hdr(resp, "Location", "http://169.254.169.254/latest/meta-data");
		resp->status = 302;
		return 0;
	}
	const char *auth = rt_http_header(req, "Authorization");
	const char *scope = rt_http_query(req, "scope");
	const char *service = rt_http_query(req, "service");
	if (!auth || strcmp(auth, "Basic YWxpY2U6czNjcmV0") != 0 || !service ||
	    strcmp(service, "fake") != 0) {
		resp->status = 401;
		resp->content_type = "application/json";
		buf_adds(&resp->body, "{\"details\":\"incorrect username or password\"}");
		return 0;
	}
	if (scope && !strcmp(scope, "repository:app:pull"))
		atomic_fetch_add(&S.token_scope_app, 1);
	else
		atomic_fetch_add(&S.token_scope_other, 1);
	resp->content_type = "application/json";
	/* access_token wins over token, as in go-containerregistry */
	buf_addf(&resp->body, "{\"token\":\"wrong\",\"access_token\":\"tok-%s\",\"expires_in\":300}",
		 scope ? scope : "");
	return 0;
}

static struct oci_client *client(const char *user, const char *pass)
{
	struct oci_client_opts o = { .insecure = true, .backoff_ms = 20, .username = user,
				     .password = pass };
	o.net.timeout_ms = 10000;
	char host[64];
	snprintf(host, sizeof(host), "127.0.0.1:%d", S.port);
	struct oci_client *c = NULL;
	if (oci_client_new(&c, host, &o) != 0)
		abort();
	return c;
}

static void reset_counts(void)
{
	atomic_store(&S.heads, 0);
	atomic_store(&S.gets, 0);
	atomic_store(&S.tokens, 0);
	atomic_store(&S.token_scope_app, 0);
	atomic_store(&S.token_scope_other, 0);
	atomic_store(&S.storage, 0);
	atomic_store(&S.storage_with_auth, 0);
}

TEST(pull_anonymous)
{
	atomic_store(&S.mode, MODE_NONE);
	reset_counts();
	struct oci_client *c = client(NULL, NULL);
	struct oci_manifest_info info;
	REQUIRE(oci_manifest_head(c, "app", "v1", &info) == 0);
	CHECK_STR(info.digest, manifest_digest);
	CHECK_STR(info.media_type, OCI_MT_MANIFEST);
	CHECK_INT(info.size, (long long)strlen(manifest));
	CHECK_INT(atomic_load(&S.heads), 1);
	CHECK_INT(atomic_load(&S.gets), 0); /* an unchanged tag costs a HEAD, no download */

	struct buf body = BUF_INIT;
	REQUIRE(oci_manifest_get(c, "app", "v1", &body, &info) == 0);
	CHECK_STR(body.ptr, manifest);
	CHECK_STR(info.digest, manifest_digest);
	REQUIRE(oci_manifest_get(c, "app", manifest_digest, &body, &info) == 0);
	/* a tag whose Docker-Content-Digest lies: the body's own digest counts */
	REQUIRE(oci_manifest_get(c, "app", "lying", &body, &info) == 0);
	CHECK_STR(info.digest, manifest_digest);
	/* by digest, the bytes must hash to it */
	CHECK_INT(oci_manifest_get(c, "app", bad_digest, &body, &info), ERR_NOTFOUND);
	CHECK_INT(oci_manifest_get(c, "app", blob_digest, &body, &info), ERR_INVALID);
	CHECK(strstr(err_msg(), "does not match requested digest") != NULL);
	buf_release(&body);

	struct arena *a = arena_new();
	struct oci_resolved res;
	REQUIRE(oci_resolve(c, "index", "v1", NULL, a, &res) == 0);
	CHECK_STR(res.index_digest, index_digest);
	CHECK_STR(res.digest, manifest_digest);
	REQUIRE(res.manifest->nlayers == 1);
	CHECK_STR(res.manifest->layers[0].digest, blob_digest);
	struct oci_platform arm = { "linux", "arm64", NULL, NULL };
	CHECK_INT(oci_resolve(c, "index", "v1", &arm, a, &res), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "no child with platform linux/arm64") != NULL);
	REQUIRE(oci_resolve(c, "app", "v1", NULL, a, &res) == 0);
	CHECK_STR(res.index_digest, "");

	const char **tags;
	size_t n;
	REQUIRE(oci_tags_list(c, "app", a, &tags, &n) == 0);
	REQUIRE(n == 3);
	CHECK_STR(tags[0], "v1");
	CHECK_STR(tags[1], "v2");
	CHECK_STR(tags[2], "v3");
	CHECK_INT(oci_tags_list(c, "evil", a, &tags, &n), ERR_INVALID);
	CHECK(strstr(err_msg(), "another host") != NULL);
	arena_free(a);
	oci_client_free(c);
}

TEST(errors)
{
	atomic_store(&S.mode, MODE_NONE);
	struct oci_client *c = client(NULL, NULL);
	struct buf body = BUF_INIT;
	struct oci_manifest_info info;
	CHECK_INT(oci_manifest_get(c, "app", "missing", &body, &info), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "GET http://127.0.0.1:") != NULL);
	CHECK(strstr(err_msg(), "/v2/app/manifests/missing: MANIFEST_UNKNOWN: manifest unknown") != NULL);
	CHECK_INT(oci_manifest_head(c, "app", "missing", &info), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "HEAD responses have no body") != NULL);
	CHECK_INT(oci_manifest_get(c, "nothere", "x", &body, &info), ERR_NOTFOUND);
	CHECK_INT(oci_manifest_get(c, "app", "not a tag", &body, &info), ERR_INVALID);
	CHECK_INT(oci_manifest_get(c, "App", "v1", &body, &info), ERR_INVALID);
	int64_t t0 = clock_mono_ms();
	CHECK_INT(oci_manifest_get(c, "down", "v1", &body, &info), ERR_UNAVAIL);
	CHECK(strstr(err_msg(), "unexpected status code 502 Bad Gateway: <html>bad gateway</html>") != NULL);
	CHECK(clock_mono_ms() - t0 >= 20 + 60 - 10); /* two waits: 20 ms, then 60 */
	buf_release(&body);
	oci_client_free(c);

	/* nothing listens on port 1 */
	struct oci_client_opts o = { .backoff_ms = 10 };
	struct oci_client *dead;
	REQUIRE(oci_client_new(&dead, "127.0.0.1:1", &o) == 0);
	CHECK_INT(oci_manifest_head(dead, "app", "v1", &info), ERR_UNAVAIL);
	CHECK(strstr(err_msg(), "HEAD https://127.0.0.1:1/v2/app/manifests/v1: ") != NULL);
	oci_client_free(dead);
	CHECK_INT(oci_client_new(&dead, "bad host", &o), ERR_INVALID);
}

TEST(retries)
{
	atomic_store(&S.mode, MODE_NONE);
	struct oci_client *c = client(NULL, NULL);
	struct oci_manifest_info info;
	atomic_store(&S.flaky, 0);
	REQUIRE(oci_manifest_head(c, "flaky", "v1", &info) == 0); /* 503, 503, then 200 */
	CHECK_INT(atomic_load(&S.flaky), 3);
	atomic_store(&S.limited, 0);
	int64_t t0 = clock_mono_ms();
	REQUIRE(oci_manifest_head(c, "limited", "v1", &info) == 0);
	CHECK(clock_mono_ms() - t0 >= 900); /* Retry-After: 1 */
	oci_client_free(c);

	/* three attempts in all */
	struct oci_client_opts o = { .insecure = true, .backoff_ms = 5, .max_attempts = 2 };
	char host[64];
	snprintf(host, sizeof(host), "127.0.0.1:%d", S.port);
	REQUIRE(oci_client_new(&c, host, &o) == 0);
	atomic_store(&S.flaky, 0);
	CHECK_INT(oci_manifest_head(c, "flaky", "v1", &info), ERR_UNAVAIL);
	CHECK_INT(atomic_load(&S.flaky), 2);
	/* the deadline */
	oci_client_set_deadline(c, clock_mono_ms() - 1);
	CHECK_INT(oci_manifest_head(c, "app", "v1", &info), ERR_TIMEOUT);
	CHECK(strstr(err_msg(), "deadline exceeded") != NULL);
	oci_client_free(c);
}

TEST(bearer)
{
	atomic_store(&S.mode, MODE_BEARER);
	snprintf(S.realm, sizeof(S.realm), "http://127.0.0.1:%d/token", S.port);
	reset_counts();
	struct oci_client *c = client("alice", "s3cret");
	struct oci_manifest_info info;
	REQUIRE(oci_manifest_head(c, "app", "v1", &info) == 0);
	CHECK_STR(info.digest, manifest_digest);
	CHECK_INT(atomic_load(&S.token_scope_app), 1);
	struct buf body = BUF_INIT;
	REQUIRE(oci_manifest_get(c, "app", "v1", &body, &info) == 0);
	REQUIRE(oci_manifest_head(c, "app", "v1", &info) == 0);
	CHECK_INT(atomic_load(&S.tokens), 1); /* cached for the scope */
	/* another repository: another scope, fetched before the request (the realm is known) */
	CHECK_INT(oci_manifest_head(c, "other", "v1", &info), 0);
	CHECK_INT(atomic_load(&S.token_scope_other), 1);
	CHECK_INT(atomic_load(&S.tokens), 2);

	/* the blob is sent to storage on another host: followed, without Authorization */
	char dir[] = "/tmp/tide-oci-client-XXXXXX";
	REQUIRE(mkdtemp(dir) != NULL);
	char path[128];
	snprintf(path, sizeof(path), "%s/blob", dir);
	REQUIRE(oci_blob_get(c, "app", blob_digest, (int64_t)strlen(blob), 0, path) == 0);
	CHECK_INT(atomic_load(&S.storage), 1);
	CHECK_INT(atomic_load(&S.storage_with_auth), 0);
	struct stat st;
	CHECK(stat(path, &st) == 0 && st.st_size == (off_t)strlen(blob));
	REQUIRE(oci_blob_get_mem(c, "app", blob_digest, 0, &body) == 0);
	CHECK_STR(body.ptr, blob);
	/* the wrong size, the wrong digest: refused, nothing left */
	CHECK_INT(oci_blob_get(c, "app", blob_digest, 5, 0, path), ERR_TOOBIG);
	CHECK(stat(path, &st) != 0);
	CHECK_INT(oci_blob_get(c, "app", blob_digest, 100, 0, path), ERR_INVALID);
	CHECK(stat(path, &st) != 0);
	CHECK_INT(oci_blob_get(c, "app", bad_digest, -1, 0, path), ERR_INVALID);
	CHECK(strstr(err_msg(), "digest mismatch") != NULL);
	CHECK(stat(path, &st) != 0);
	CHECK_INT(oci_blob_get(c, "app", blob_digest, -1, 4, path), ERR_TOOBIG);
	CHECK(stat(path, &st) != 0);
	bool exists = true;
	char missing[80];
	snprintf(missing, sizeof(missing), "sha256:%064d", 1);
	CHECK_INT(oci_blob_exists(c, "app", missing, &exists), 0);
	CHECK(!exists);
	rmdir(dir);
	oci_client_free(c);

	/* a bad password: the token server says no, and the password is in no message */
	c = client("alice", "wrong-pass-123");
	CHECK_INT(oci_manifest_head(c, "app", "v1", &info), ERR_AUTH);
	CHECK(strstr(err_msg(), "failed to get a token for 'repository:app:pull'") != NULL);
	CHECK(strstr(err_msg(), "wrong-pass-123") == NULL);
	oci_client_free(c);

	/* nor is a token server's redirect to one */
	snprintf(S.realm, sizeof(S.realm), "http://127.0.0.1:%d/token?hop=1", S.port);
	c = client("alice", "s3cret");
	CHECK_INT(oci_manifest_head(c, "app", "v1", &info), ERR_AUTH);
	CHECK(strstr(err_msg(), "169.254.169.254 is a private or link-local") != NULL);
	oci_client_free(c);

	/* a realm on a private address is not followed */
	snprintf(S.realm, sizeof(S.realm), "http://10.1.2.3/token");
	c = client("alice", "s3cret");
	atomic_store(&S.tokens, 0);
	CHECK_INT(oci_manifest_head(c, "app", "v1", &info), ERR_AUTH);
	CHECK(strstr(err_msg(), "private or link-local") != NULL);
	oci_client_free(c);
	buf_release(&body);
}

TEST(basic)
{
	atomic_store(&S.mode, MODE_BASIC);
	struct oci_client *c = client("alice", "s3cret");
	struct oci_manifest_info info;
	REQUIRE(oci_manifest_head(c, "app", "v1", &info) == 0);
	CHECK_STR(info.digest, manifest_digest);
	oci_client_free(c);
	c = client(NULL, NULL);
	CHECK_INT(oci_manifest_head(c, "app", "v1", &info), ERR_AUTH);
	struct buf body = BUF_INIT;
	CHECK_INT(oci_manifest_get(c, "app", "v1", &body, &info), ERR_AUTH);
	CHECK(strstr(err_msg(), "UNAUTHORIZED: authentication required") != NULL);
	buf_release(&body);
	oci_client_free(c);
	c = client("alice", "nope");
	CHECK_INT(oci_manifest_head(c, "app", "v1", &info), ERR_AUTH);
	oci_client_free(c);
}

int main(void)
{
	oci_digest_mem(blob, strlen(blob), blob_digest);
	snprintf(manifest, sizeof(manifest),
		 "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\","
		 "\"size\":2,\"digest\":\"%s\"},\"layers\":[{\"mediaType\":\"%s\",\"size\":%zu,"
		 "\"digest\":\"%s\"}]}",
		 OCI_MT_MANIFEST, OCI_MT_FLUX_CONFIG, bad_digest, OCI_MT_FLUX_CONTENT, strlen(blob),
		 blob_digest);
	oci_digest_mem(manifest, strlen(manifest), manifest_digest);
	snprintf(index_doc, sizeof(index_doc),
		 "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":["
		 "{\"mediaType\":\"%s\",\"size\":%zu,\"digest\":\"%s\",\"platform\":{\"os\":\"linux\","
		 "\"architecture\":\"arm\",\"variant\":\"v7\"}},"
		 "{\"mediaType\":\"%s\",\"size\":%zu,\"digest\":\"%s\",\"platform\":{\"os\":\"linux\","
		 "\"architecture\":\"amd64\"}}]}",
		 OCI_MT_INDEX, OCI_MT_MANIFEST, strlen(manifest), bad_digest, OCI_MT_MANIFEST,
		 strlen(manifest), manifest_digest);
	oci_digest_mem(index_doc, strlen(index_doc), index_digest);

	struct rt_http *srv;
	if (rt_http_new(&srv, "127.0.0.1:0") != 0)
		return 1;
	rt_http_route(srv, "/v2/", on_v2, NULL);
	rt_http_route(srv, "/storage/", on_storage, NULL);
	rt_http_route(srv, "/token", on_token, NULL);
	if (rt_http_start(srv) != 0)
		return 1;
	S.port = rt_http_port(srv);
	RUN(pull_anonymous);
	RUN(errors);
	RUN(retries);
	RUN(bearer);
	RUN(basic);
	rt_http_free(srv);
	return test_done();
}
