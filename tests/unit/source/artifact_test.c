#include "test.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/artifact.h"
#include "util/error.h"

static char root[] = "/tmp/tide-artifact-test-XXXXXX";

static void put(const char *rel, const char *text)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	FILE *f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
}

static void setup(void)
{
	char p[512];
	if (!mkdtemp(root))
		abort();
	snprintf(p, sizeof(p), "%s/tree", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/tree/b", root);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/tree/.git", root);
	mkdir(p, 0755);
	put("tree/a.yaml", "a: 1\n");
	put("tree/b/c.yaml", "c: 2\n");
	put("tree/b/run.sh", "#!/bin/sh\n");
	put("tree/.git/HEAD", "ref\n");
	put("tree/logo.png", "png");
	put("secret", "outside\n");
	snprintf(p, sizeof(p), "%s/tree/b/run.sh", root);
	chmod(p, 0700);
	snprintf(p, sizeof(p), "%s/secret", root);
	char l[512];
	snprintf(l, sizeof(l), "%s/tree/escape", root);
	if (symlink(p, l) != 0)
		abort();
	snprintf(l, sizeof(l), "%s/tree/up", root);
	if (symlink("..", l) != 0)
		abort();
}

/* Lists "name mode" lines of a tarball. */
static void list(const char *path, char *out, size_t cap)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	out[0] = '\0';
	if (archive_read_open_filename(a, path, 4096) == ARCHIVE_OK) {
		struct archive_entry *e;
		while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
			size_t l = strlen(out);
			snprintf(out + l, cap - l, "%s %o %lld %lld\n", archive_entry_pathname(e),
				 (unsigned)archive_entry_perm(e), (long long)archive_entry_mtime(e),
				 (long long)archive_entry_uid(e));
		}
	}
	archive_read_free(a);
}

TEST(deterministic_and_confined)
{
	char tree[512], out1[512], out2[512], got[4096];
	snprintf(tree, sizeof(tree), "%s/tree", root);
	snprintf(out1, sizeof(out1), "%s/one.tar.gz", root);
	snprintf(out2, sizeof(out2), "%s/two.tar.gz", root);
	struct ignore_rules *ign = ignore_new();
	ignore_add_defaults(ign);
	struct artifact_info i1, i2;
	REQUIRE(artifact_archive(tree, ign, NULL, out1, &i1) == 0);
	sleep(1);
	put("tree/a.yaml", "a: 1\n"); /* same content, new mtime */
	REQUIRE(artifact_archive(tree, ign, NULL, out2, &i2) == 0);
	CHECK_STR(i1.digest, i2.digest);
	CHECK_INT(i1.size, i2.size);
	CHECK(strncmp(i1.digest, "sha256:", 7) == 0 && strlen(i1.digest) == 71);
	list(out1, got, sizeof(got));
	CHECK_STR(got, "a.yaml 644 0 0\nb/ 755 0 0\nb/c.yaml 644 0 0\nb/run.sh 744 0 0\n");
	char tmp[600];
	snprintf(tmp, sizeof(tmp), "%s.tmp", out1);
	CHECK(access(tmp, F_OK) != 0);
	put("tree/a.yaml", "a: 2\n");
	REQUIRE(artifact_archive(tree, ign, NULL, out2, &i2) == 0);
	CHECK(strcmp(i1.digest, i2.digest) != 0);
	ignore_free(ign);
}

TEST(caps)
{
	char tree[512], out[512], tmp[600];
	snprintf(tree, sizeof(tree), "%s/tree", root);
	snprintf(out, sizeof(out), "%s/cap.tar.gz", root);
	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	struct artifact_info info;
	struct artifact_limits files = {.max_files = 2};
	CHECK_INT(artifact_archive(tree, NULL, &files, out, &info), ERR_TOOBIG);
	CHECK(strstr(err_msg(), "more than 2 files") != NULL);
	struct artifact_limits bytes = {.max_bytes = 8};
	CHECK_INT(artifact_archive(tree, NULL, &bytes, out, &info), ERR_TOOBIG);
	CHECK(access(out, F_OK) != 0);
	CHECK(access(tmp, F_OK) != 0);
}

TEST(revisions)
{
	char *r = artifact_revision("main", "0123abcd");
	CHECK_STR(r, "main@sha1:0123abcd");
	free(r);
	r = artifact_revision("refs/pull/1/head", "ff");
	CHECK_STR(r, "refs/pull/1/head@sha1:ff");
	free(r);
	r = artifact_revision(NULL, "ff");
	CHECK_STR(r, "sha1:ff");
	free(r);
}

int main(void)
{
	setup();
	RUN(deterministic_and_confined);
	RUN(caps);
	RUN(revisions);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		return 1;
	return test_done();
}
