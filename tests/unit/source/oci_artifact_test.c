/*
 * source/oci_artifact against Debian's docker-registry on loopback (anonymous, plain http;
 * test/oci/registry-start, run from the repository root as scripts/test runs the tests):
 * Flux artifacts pushed with oci_flux_push under several tags, then listed (reverse name
 * order, cosign tags left out, semver and regex filters, bad filters), tagged (same digest)
 * and pulled into directories: a fresh one (the tree back byte for byte), one with files
 * of the same names (replaced, others kept), one with a symlink where the artifact has a
 * directory (refused, nothing written through it), a missing one; and a manifest without
 * layers and one whose layer is not gzip.
 */
#include "test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/artifact.h"
#include "source/oci_artifact.h"
#include "source/oci_registry.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

static char root[] = "/tmp/tide-oci-artifact-XXXXXX";
static char tgz[600], src[600];
static struct oci_client *c;
static char digest[OCI_DIGEST_MAX + 1];

static int run(const char *cmd)
{
	int rc = system(cmd);
	if (rc != 0)
		printf("# command failed: %s\n", cmd);
	return rc;
}

static bool same_tree(const char *a, const char *b)
{
	char cmd[1600];
	snprintf(cmd, sizeof(cmd), "diff -r %s %s", a, b);
	return run(cmd) == 0;
}

static void mkdirf(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", root, name);
	mkdir(out, 0755);
}

TEST(push_tags)
{
	struct oci_flux_meta meta = { .created = "2024-05-06T07:08:09Z", .source = "https://x/org/app",
				      .revision = "main@sha1:0123" };
	const char *tags[] = { "v1.0.0", "v1.2.0", "1.10.0", "latest", "sha256-abc.sig", "v2", "2.0.0-rc.1" };
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		int rc = oci_flux_push(c, "tide/app", tags[i], tgz, &meta, digest);
		if (rc)
			printf("# push %s: %s\n", tags[i], err_msg());
		REQUIRE(rc == 0);
	}
}

TEST(list_all)
{
	struct arena *a = arena_new();
	struct oci_artifact_meta *l = NULL;
	size_t n = 0;
	REQUIRE(oci_artifact_list(c, "tide/app", NULL, a, &l, &n) == 0);
	const char *want[] = { "v2", "v1.2.0", "v1.0.0", "latest", "2.0.0-rc.1", "1.10.0" };
	REQUIRE(n == sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++) {
		CHECK_STR(l[i].tag, want[i]);
		CHECK_STR(l[i].digest, digest);
		CHECK_STR(l[i].source, "https://x/org/app");
		CHECK_STR(l[i].revision, "main@sha1:0123");
		CHECK_STR(l[i].created, "2024-05-06T07:08:09Z");
	}
	struct oci_list_opts o = { .include_cosign = true };
	REQUIRE(oci_artifact_list(c, "tide/app", &o, a, &l, &n) == 0);
	CHECK(n == 7);
	CHECK_STR(l[0].tag, "v2");
	CHECK_STR(l[1].tag, "v1.2.0");
	CHECK_STR(l[3].tag, "sha256-abc.sig");
	arena_free(a);
}

TEST(list_filters)
{
	struct arena *a = arena_new();
	struct oci_artifact_meta *l = NULL;
	size_t n = 0;
	/* "v2" has no three parts: left out, as fluxcd/pkg's version.ParseVersion leaves it */
	struct oci_list_opts o = { .semver = ">=1.1.0" };
	REQUIRE(oci_artifact_list(c, "tide/app", &o, a, &l, &n) == 0);
	REQUIRE(n == 2);
	CHECK_STR(l[0].tag, "v1.2.0");
	CHECK_STR(l[1].tag, "1.10.0");
	o = (struct oci_list_opts){ .regex = "^v1\\." };
	REQUIRE(oci_artifact_list(c, "tide/app", &o, a, &l, &n) == 0);
	REQUIRE(n == 2);
	CHECK_STR(l[0].tag, "v1.2.0");
	CHECK_STR(l[1].tag, "v1.0.0");
	o = (struct oci_list_opts){ .semver = ">=1.0.0", .regex = "^v" };
	REQUIRE(oci_artifact_list(c, "tide/app", &o, a, &l, &n) == 0);
	CHECK(n == 2);
	o = (struct oci_list_opts){ .semver = "nope" };
	CHECK(oci_artifact_list(c, "tide/app", &o, a, &l, &n) == ERR_INVALID);
	CHECK(strncmp(err_msg(), "semver 'nope' parse error: ", 27) == 0);
	o = (struct oci_list_opts){ .regex = "(" };
	CHECK(oci_artifact_list(c, "tide/app", &o, a, &l, &n) == ERR_INVALID);
	CHECK_STR(err_msg(), "regex '(' parse error: error parsing regexp: missing closing ): `(`");
	CHECK(oci_artifact_list(c, "tide/none", NULL, a, &l, &n) == ERR_NOTFOUND);
	CHECK(strncmp(err_msg(), "listing tags failed: ", 21) == 0);
	arena_free(a);
}

TEST(tag)
{
	char got[OCI_DIGEST_MAX + 1];
	REQUIRE(oci_artifact_tag(c, "tide/app", "v1.0.0", "stable", got) == 0);
	CHECK_STR(got, digest);
	struct oci_manifest_info info;
	REQUIRE(oci_manifest_head(c, "tide/app", "stable", &info) == 0);
	CHECK_STR(info.digest, digest);
	REQUIRE(oci_artifact_tag(c, "tide/app", digest, "by-digest", got) == 0);
	CHECK_STR(got, digest);
	CHECK(oci_artifact_tag(c, "tide/app", "v1.0.0", "bad tag", got) == ERR_INVALID);
	CHECK(oci_artifact_tag(c, "tide/app", "nope", "x", got) == ERR_NOTFOUND);
}

TEST(pull_fresh)
{
	char dir[700];
	mkdirf(dir, sizeof(dir), "fresh");
	struct arena *a = arena_new();
	struct oci_artifact_meta m;
	int rc = oci_artifact_pull(c, "tide/app", "v1.0.0", dir, NULL, a, &m);
	if (rc)
		printf("# pull: %s\n", err_msg());
	REQUIRE(rc == 0);
	CHECK_STR(m.digest, digest);
	CHECK_STR(m.source, "https://x/org/app");
	CHECK_STR(m.revision, "main@sha1:0123");
	CHECK(same_tree(src, dir));
	arena_free(a);
}

TEST(pull_over_files)
{
	char dir[700], cmd[4000];
	mkdirf(dir, sizeof(dir), "over");
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/deploy && echo old > %s/deploy/cm.yaml && echo mine > %s/mine.txt",
		 dir, dir, dir);
	REQUIRE(run(cmd) == 0);
	struct arena *a = arena_new();
	struct oci_artifact_meta m;
	REQUIRE(oci_artifact_pull(c, "tide/app", digest, dir, NULL, a, &m) == 0);
	snprintf(cmd, sizeof(cmd), "cmp %s/deploy/cm.yaml %s/deploy/cm.yaml && test -f %s/mine.txt", src, dir, dir);
	CHECK(run(cmd) == 0);
	/* nothing left of the staging directory */
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A %s | grep tide-pull)\"", dir);
	CHECK(run(cmd) == 0);
	arena_free(a);
}

TEST(pull_refuses_symlinks_and_types)
{
	char dir[700], away[700], cmd[4000];
	mkdirf(dir, sizeof(dir), "linked");
	mkdirf(away, sizeof(away), "away");
	snprintf(cmd, sizeof(cmd), "ln -s %s %s/deploy", away, dir);
	REQUIRE(run(cmd) == 0);
	struct arena *a = arena_new();
	struct oci_artifact_meta m;
	CHECK(oci_artifact_pull(c, "tide/app", "v1.0.0", dir, NULL, a, &m) == ERR_CONFLICT);
	CHECK_STR(err_msg(), "'deploy' is a symlink in the output directory and a directory in the artifact: not replaced");
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A %s)\"", away);
	CHECK(run(cmd) == 0);
	/* a file where the artifact has a directory */
	mkdirf(dir, sizeof(dir), "typed");
	snprintf(cmd, sizeof(cmd), "echo x > %s/deploy", dir);
	REQUIRE(run(cmd) == 0);
	CHECK(oci_artifact_pull(c, "tide/app", "v1.0.0", dir, NULL, a, &m) == ERR_CONFLICT);
	/* a missing directory, a file */
	snprintf(dir, sizeof(dir), "%s/missing", root);
	CHECK(oci_artifact_pull(c, "tide/app", "v1.0.0", dir, NULL, a, &m) == ERR_NOTFOUND);
	CHECK(oci_artifact_pull(c, "tide/app", "v1.0.0", tgz, NULL, a, &m) == ERR_INVALID);
	/* caps */
	mkdirf(dir, sizeof(dir), "capped");
	struct oci_pull_limits lim = { .max_layer = 10 };
	CHECK(oci_artifact_pull(c, "tide/app", "v1.0.0", dir, &lim, a, &m) == ERR_TOOBIG);
	lim = (struct oci_pull_limits){ .max_bytes = 1000 };
	CHECK(oci_artifact_pull(c, "tide/app", "v1.0.0", dir, &lim, a, &m) == ERR_TOOBIG);
	arena_free(a);
}

TEST(pull_odd_manifests)
{
	/* a layer that is not gzip, and a manifest without layers */
	static const char text[] = "not gzip\n";
	char ld[OCI_DIGEST_MAX + 1], cd[OCI_DIGEST_MAX + 1], md[OCI_DIGEST_MAX + 1];
	bool up;
	REQUIRE(oci_blob_push_mem(c, "tide/odd", text, sizeof(text) - 1, ld, &up) == 0);
	REQUIRE(oci_blob_push_mem(c, "tide/odd", "{}", 2, cd, &up) == 0);
	struct oci_descriptor config = { .media_type = OCI_MT_FLUX_CONFIG, .digest = cd, .size = 2 };
	struct oci_descriptor layer = { .media_type = OCI_MT_FLUX_CONTENT, .digest = ld,
					.size = (int64_t)sizeof(text) - 1 };
	struct buf man = BUF_INIT;
	oci_manifest_json(&man, &config, &layer, 1, NULL, 0);
	REQUIRE(oci_manifest_put(c, "tide/odd", "plain", OCI_MT_MANIFEST, man.ptr, man.len, md) == 0);
	buf_reset(&man);
	oci_manifest_json(&man, &config, NULL, 0, NULL, 0);
	REQUIRE(oci_manifest_put(c, "tide/odd", "empty", OCI_MT_MANIFEST, man.ptr, man.len, md) == 0);
	buf_release(&man);
	char dir[700];
	mkdirf(dir, sizeof(dir), "odd");
	struct arena *a = arena_new();
	struct oci_artifact_meta m;
	CHECK(oci_artifact_pull(c, "tide/odd", "plain", dir, NULL, a, &m) == ERR_INVALID);
	CHECK(strstr(err_msg(), "is not a gzip tarball") != NULL);
	CHECK(oci_artifact_pull(c, "tide/odd", "empty", dir, NULL, a, &m) == ERR_NOTFOUND);
	CHECK_STR(err_msg(), "no layers found in artifact");
	char cmd[800];
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A %s)\"", dir);
	CHECK(run(cmd) == 0);
	arena_free(a);
}

int main(void)
{
	if (access("/usr/bin/docker-registry", X_OK) != 0) {
		printf("not ok - %s: docker-registry is not installed (scripts/install-deps)\n", __FILE__);
		printf("# 0 passed, 1 failed\n");
		return 1;
	}
	if (!mkdtemp(root))
		return 1;
	snprintf(src, sizeof(src), "%s/src", root);
	snprintf(tgz, sizeof(tgz), "%s/artifact.tgz", root);
	char cmd[4096];
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/deploy/nested %s/reg && printf 'kind: ConfigMap\\n' > %s/deploy/cm.yaml && "
		 "echo deep > %s/deploy/nested/deep.txt && head -c 5000 /dev/urandom > %s/blob.bin && "
		 "test/oci/registry-start %s/reg none",
		 src, root, src, src, src, root);
	if (run(cmd) != 0 || artifact_archive(src, NULL, NULL, tgz, &(struct artifact_info){ 0 }) != 0) {
		printf("# set-up failed: %s\n", err_msg());
		return 1;
	}
	char p[700], host[64];
	snprintf(p, sizeof(p), "%s/reg/registry-port", root);
	struct buf port = BUF_INIT;
	fs_read_file(p, 64, &port);
	snprintf(host, sizeof(host), "127.0.0.1:%d", (int)strtol(port.ptr, NULL, 10));
	buf_release(&port);
	struct oci_client_opts o = { .insecure = true, .backoff_ms = 50, .tags_page = 3 };
	if (oci_client_new(&c, host, &o) != 0)
		return 1;
	RUN(push_tags);
	RUN(list_all);
	RUN(list_filters);
	RUN(tag);
	RUN(pull_fresh);
	RUN(pull_over_files);
	RUN(pull_refuses_symlinks_and_types);
	RUN(pull_odd_manifests);
	oci_client_free(c);
	snprintf(cmd, sizeof(cmd), "test/oci/registry-stop %s/reg; rm -rf %s", root, root);
	run(cmd);
	return test_done();
}
