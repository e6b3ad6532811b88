/*
 * source/oci_registry against a real registry: Debian's docker-registry (distribution 2.8) on
 * loopback, started by test/oci/registry-start (run from the repository root, as scripts/test
 * runs the tests), four times:
 *
 *   none      anonymous, over plain http (insecure: the https ping fails, http is used)
 *   htpasswd  basic auth, with blobs redirected to storage on another host name (the
 *             registry's "redirect" middleware; the storage refuses Authorization)
 *   token     the bearer token flow, JWTs from test/oci/helper that the registry verifies
 *   tls       anonymous over https, trusting the test CA given in memory
 *
 * Each run pushes a Flux artifact (a deterministic .tar.gz of a directory) with the client,
 * pulls it back (same digest, same bytes), HEADs the unchanged tag (no blob fetched), asks
 * for a tag that does not exist, lists tags page by page, and reads a blob the registry's
 * storage was made to corrupt (refused, the file removed).
 */
#include "test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/artifact.h"
#include "source/oci_registry.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

static char root[] = "/tmp/tide-oci-registry-XXXXXX";
static char tgz[600];
static struct artifact_info tgz_info;

static int run(const char *cmd)
{
	int rc = system(cmd);
	if (rc != 0)
		printf("# command failed: %s\n", cmd);
	return rc;
}

static int read_int(const char *dir, const char *name)
{
	char p[700];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "r");
	int v = 0;
	if (!f || fscanf(f, "%d", &v) != 1)
		v = 0;
	if (f)
		fclose(f);
	return v;
}

/* Lines of DIR/storage.log (the redirected storage's requests), and those with auth=1. */
static int storage_lines(const char *dir, int *with_auth)
{
	char p[700];
	snprintf(p, sizeof(p), "%s/storage.log", dir);
	struct buf b = BUF_INIT;
	int n = 0;
	*with_auth = 0;
	if (fs_read_file(p, 1 << 20, &b) == 0)
		for (const char *s = b.ptr; (s = strchr(s, '\n')); s++)
			n++;
	for (const char *s = b.ptr; (s = strstr(s, "auth=1")); s++)
		(*with_auth)++;
	buf_release(&b);
	return n;
}

static bool same_file(const char *a, const char *b)
{
	struct buf x = BUF_INIT, y = BUF_INIT;
	bool same = fs_read_file(a, 1 << 26, &x) == 0 && fs_read_file(b, 1 << 26, &y) == 0 &&
		    x.len == y.len && memcmp(x.ptr, y.ptr, x.len) == 0;
	buf_release(&x);
	buf_release(&y);
	return same;
}

struct mode {
	const char *name;
	const char *args;   /* registry-start's MODE [USER:PASSWORD] [OPTION...] */
	bool creds, redirect, tls;
};

static struct oci_client *client(const char *dir, const struct mode *m, const char *user,
				 const char *pass, struct buf *ca)
{
	struct oci_client_opts o = { .backoff_ms = 50, .tags_page = 2 };
	o.insecure = !m->tls;
	o.net.timeout_ms = 30000;
	if (m->tls) {
		char p[700];
		snprintf(p, sizeof(p), "%s/ca.crt", dir);
		if (fs_read_file(p, 1 << 20, ca) != 0)
			return NULL;
		o.net.ca_pem = ca->ptr;
		o.net.ca_pem_len = ca->len;
	}
	o.username = user;
	o.password = pass;
	char host[64];
	snprintf(host, sizeof(host), "127.0.0.1:%d", read_int(dir, "registry-port"));
	struct oci_client *c = NULL;
	if (oci_client_new(&c, host, &o) != 0)
		return NULL;
	return c;
}

static void scenario(const struct mode *m)
{
	char dir[700], cmd[2400];
	snprintf(dir, sizeof(dir), "%s/%s", root, m->name);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && test/oci/registry-start %s %s", dir, dir, m->args);
	REQUIRE(run(cmd) == 0);
	struct buf ca = BUF_INIT, body = BUF_INIT;
	struct arena *a = arena_new();
	struct oci_client *c = client(dir, m, m->creds ? "alice" : NULL, m->creds ? "s3cret" : NULL,
				      &ca);
	REQUIRE(c);

	/* push */
	struct oci_kv extra[] = { { "tide.test/mode", m->name } };
	struct oci_flux_meta meta = { .created = "2024-05-06T07:08:09Z",
				      .source = "https://github.com/org/repo",
				      .revision = "main@sha1:0123456789abcdef0123456789abcdef01234567",
				      .annotations = extra, .nannotations = 1 };
	char pushed[OCI_DIGEST_MAX + 1];
	int rc = oci_flux_push(c, "tide/app", "v1.0.0", tgz, &meta, pushed);
	if (rc)
		printf("# push: %s\n", err_msg());
	REQUIRE(rc == 0);
	CHECK(oci_digest_valid(pushed));
	/* again: the same digest, the blobs are there already */
	char again[OCI_DIGEST_MAX + 1];
	REQUIRE(oci_flux_push(c, "tide/app", "v1.0.0", tgz, &meta, again) == 0);
	CHECK_STR(again, pushed);
	char layer_digest[OCI_DIGEST_MAX + 1];
	int64_t size = 0;
	bool uploaded = true;
	REQUIRE(oci_blob_push_file(c, "tide/app", tgz, layer_digest, &size, &uploaded) == 0);
	CHECK(!uploaded);
	CHECK_STR(layer_digest, tgz_info.digest);
	CHECK_INT(size, (long long)tgz_info.size);

	/* pull back */
	struct oci_resolved res;
	REQUIRE(oci_resolve(c, "tide/app", "v1.0.0", NULL, a, &res) == 0);
	CHECK_STR(res.digest, pushed);
	CHECK_STR(res.manifest->media_type, OCI_MT_MANIFEST);
	CHECK_STR(res.manifest->config.media_type, OCI_MT_FLUX_CONFIG);
	REQUIRE(res.manifest->nlayers == 1);
	const struct oci_descriptor *l = &res.manifest->layers[0];
	CHECK_STR(l->media_type, OCI_MT_FLUX_CONTENT);
	CHECK_STR(l->digest, tgz_info.digest);
	CHECK_STR(oci_kv_get(res.manifest->annotations, res.manifest->nannotations, OCI_ANN_REVISION),
		  meta.revision);
	CHECK_STR(oci_kv_get(res.manifest->annotations, res.manifest->nannotations, "tide.test/mode"),
		  m->name);
	char out[800];
	snprintf(out, sizeof(out), "%s/pulled.tgz", dir);
	rc = oci_blob_get(c, "tide/app", l->digest, l->size, 0, out);
	if (rc)
		printf("# blob: %s\n", err_msg());
	REQUIRE(rc == 0);
	CHECK(same_file(out, tgz));
	REQUIRE(oci_blob_get_mem(c, "tide/app", res.manifest->config.digest, 0, &body) == 0);
	CHECK(strstr(body.ptr, "\"created\":\"2024-05-06T07:08:09Z\"") != NULL);
	CHECK(strstr(body.ptr, "\"diff_ids\":[\"sha256:") != NULL);
	int with_auth = 0, before = storage_lines(dir, &with_auth);
	if (m->redirect) {
		CHECK(before >= 2); /* the layer and the config came from storage */
		CHECK_INT(with_auth, 0);
	}

	/* an unchanged tag: HEAD gives the digest, nothing is downloaded */
	struct oci_manifest_info info;
	REQUIRE(oci_manifest_head(c, "tide/app", "v1.0.0", &info) == 0);
	CHECK_STR(info.digest, pushed);
	CHECK_STR(info.media_type, OCI_MT_MANIFEST);
	CHECK_INT(storage_lines(dir, &with_auth), before);

	/* what is not there */
	CHECK_INT(oci_manifest_head(c, "tide/app", "v9.9.9", &info), ERR_NOTFOUND);
	CHECK_INT(oci_manifest_get(c, "tide/app", "v9.9.9", &body, &info), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "MANIFEST_UNKNOWN: manifest unknown") != NULL);
	const char **tags;
	size_t n;
	CHECK_INT(oci_tags_list(c, "tide/none", a, &tags, &n), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "NAME_UNKNOWN") != NULL);

	/* tags, two a page */
	struct buf man = BUF_INIT;
	REQUIRE(oci_manifest_get(c, "tide/app", "v1.0.0", &man, &info) == 0);
	const char *more[] = { "v1.1.0", "v2.0.0", "latest" };
	for (size_t i = 0; i < 3; i++) {
		char d[OCI_DIGEST_MAX + 1];
		REQUIRE(oci_manifest_put(c, "tide/app", more[i], OCI_MT_MANIFEST, man.ptr, man.len, d) == 0);
		CHECK_STR(d, pushed);
	}
	buf_release(&man);
	REQUIRE(oci_tags_list(c, "tide/app", a, &tags, &n) == 0);
	CHECK_INT(n, 4);
	struct buf all = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_addf(&all, "%s ", tags[i]);
	CHECK_STR(all.ptr, "latest v1.0.0 v1.1.0 v2.0.0 "); /* the registry sorts them */
	buf_release(&all);

	/* the registry's storage corrupts the layer (same size): refused, nothing left */
	snprintf(cmd, sizeof(cmd), "f=%s/storage/docker/registry/v2/blobs/sha256/%.2s/%s/data && "
		 "printf X | dd of=$f bs=1 seek=20 conv=notrunc status=none",
		 dir, l->digest + 7, l->digest + 7);
	REQUIRE(run(cmd) == 0);
	CHECK_INT(oci_blob_get(c, "tide/app", l->digest, l->size, 0, out), ERR_INVALID);
	CHECK(strstr(err_msg(), "digest mismatch") != NULL);
	struct stat st;
	CHECK(stat(out, &st) != 0);
	/* a size the descriptor does not give */
	CHECK_INT(oci_blob_get(c, "tide/app", l->digest, l->size - 1, 0, out), ERR_TOOBIG);
	CHECK(stat(out, &st) != 0);
	oci_client_free(c);

	if (m->creds) {
		/* no credentials, wrong ones: refused, the password in no message */
		c = client(dir, m, NULL, NULL, &ca);
		REQUIRE(c);
		CHECK_INT(oci_manifest_head(c, "tide/app", "v1.0.0", &info), ERR_AUTH);
		oci_client_free(c);
		c = client(dir, m, "alice", "not-the-password", &ca);
		REQUIRE(c);
		CHECK_INT(oci_manifest_get(c, "tide/app", "v1.0.0", &body, &info), ERR_AUTH);
		CHECK(strstr(err_msg(), "not-the-password") == NULL);
		oci_client_free(c);
	}
	if (m->tls) {
		/* the system's trust store does not know the test CA */
		struct oci_client_opts o = { .backoff_ms = 10 };
		char host[64];
		snprintf(host, sizeof(host), "127.0.0.1:%d", read_int(dir, "registry-port"));
		REQUIRE(oci_client_new(&c, host, &o) == 0);
		CHECK_INT(oci_manifest_head(c, "tide/app", "v1.0.0", &info), ERR_AUTH);
		oci_client_free(c);
	}
	if (m->redirect) {
		storage_lines(dir, &with_auth);
		CHECK_INT(with_auth, 0);
	}
	buf_release(&ca);
	buf_release(&body);
	arena_free(a);
	snprintf(cmd, sizeof(cmd), "test/oci/registry-stop %s", dir);
	run(cmd);
}

static const struct mode modes[] = {
	{ "none", "none", false, false, false },
	{ "htpasswd", "htpasswd alice:s3cret redirect", true, true, false },
	{ "token", "token alice:s3cret", true, false, false },
	{ "tls", "none tls", false, false, true },
};

TEST(anonymous) { scenario(&modes[0]); }
TEST(basic_auth_and_redirect) { scenario(&modes[1]); }
TEST(bearer_token) { scenario(&modes[2]); }
TEST(tls) { scenario(&modes[3]); }

int main(void)
{
	if (access("/usr/bin/docker-registry", X_OK) != 0) {
		printf("not ok - %s: docker-registry is not installed (scripts/install-deps)\n",
		       __FILE__);
		printf("# 0 passed, 1 failed\n");
		return 1;
	}
	if (!mkdtemp(root))
		return 1;
	char src[700];
	snprintf(src, sizeof(src), "%s/src", root);
	snprintf(tgz, sizeof(tgz), "%s/artifact.tgz", root);
	char cmd[4096];
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/deploy && printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n"
		 "  name: app\\n' > %s/deploy/cm.yaml && head -c 200000 /dev/urandom > %s/blob.bin",
		 src, src, src);
	if (run(cmd) != 0 || artifact_archive(src, NULL, NULL, tgz, &tgz_info) != 0) {
		printf("# set-up failed: %s\n", err_msg());
		return 1;
	}
	RUN(anonymous);
	RUN(basic_auth_and_redirect);
	RUN(bearer_token);
	RUN(tls);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		snprintf(cmd, sizeof(cmd), "test/oci/registry-stop %s/%s 2>/dev/null", root,
			 modes[i].name);
		run(cmd);
	}
	if (getenv("OCI_TEST_KEEP")) /* to look at the registries' logs */
		printf("# kept %s\n", root);
	else {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
		run(cmd);
	}
	return test_done();
}
