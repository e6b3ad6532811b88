/* The Bucket controller's pure parts: Flux's revision of an index (internal/index
 * Digester.Digest: sorted "key etag\n" lines, sha256), the key check that keeps objects
 * inside the scratch directory, the typed spec with Flux's defaults, and the ignore rules
 * as the index applies them to keys (go-git's Match with isDir false). The expected digests
 * were computed apart, with Python's hashlib over the lines Flux's writeLine makes. */
#include "test.h"

#include <string.h>

#include "controllers/bucket/bucket.h"
#include "doc/doc.h"
#include "source/ignore.h"
#include "util/arena.h"

TEST(digest_of_empty_index)
{
	struct bucket_index ix = { 0 };
	char rev[72];
	bucket_index_digest(&ix, rev);
	/* docs/spec/v1/buckets.md's example of an empty bucket */
	CHECK_STR(rev, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(digest_sorted_by_key_whatever_the_order)
{
	struct bucket_index ix = { 0 };
	bucket_index_add(&ix, "manifests/b.yaml", "9b2cf535f27731c974343645a3985328", 1);
	bucket_index_add(&ix, "a b", "\"q\"", 1);
	bucket_index_add(&ix, "manifests/a.yaml", "d41d8cd98f00b204e9800998ecf8427e", 1);
	bucket_index_add(&ix, "B", "old", 1);
	bucket_index_add(&ix, "B", "x", 1); /* replaced, as Digester.Add */
	CHECK_INT(ix.n, 4);
	bucket_index_sort(&ix);
	CHECK_STR(ix.e[0].key, "B"); /* byte order: upper case first */
	CHECK_STR(ix.e[1].key, "a b");
	char rev[72];
	bucket_index_digest(&ix, rev);
	CHECK_STR(rev, "sha256:26ee7a1c1b5ac3d24971b98665c4888b63ca385aa925c870d48825fe3fe2bc0d");
	bucket_index_release(&ix);
	CHECK_INT(ix.n, 0);
}

TEST(safe_keys)
{
	CHECK(bucket_key_is_safe("a"));
	CHECK(bucket_key_is_safe("dir/sub/file.yaml"));
	CHECK(bucket_key_is_safe("..a/b..c/.d"));
	CHECK(bucket_key_is_safe("with space/\xc3\xbc.txt"));
	CHECK(!bucket_key_is_safe(""));
	CHECK(!bucket_key_is_safe("/etc/passwd"));
	CHECK(!bucket_key_is_safe(".."));
	CHECK(!bucket_key_is_safe("../x"));
	CHECK(!bucket_key_is_safe("a/../../x"));
	CHECK(!bucket_key_is_safe("a/.."));
	CHECK(!bucket_key_is_safe("./a"));
	CHECK(!bucket_key_is_safe("a//b"));
	CHECK(!bucket_key_is_safe("a/"));
	CHECK(!bucket_key_is_safe("a\nb"));
	CHECK(!bucket_key_is_safe("a\x7f"));
}

static struct doc_node *parse(struct arena *a, const char *yaml)
{
	struct doc_stream s = { 0 };
	if (doc_parse_yaml(a, "t", yaml, strlen(yaml), NULL, &s) != 0 || s.len != 1)
		return NULL;
	return s.docs[0];
}

TEST(spec_defaults)
{
	struct arena *a = arena_new();
	struct bucket b;
	memset(&b, 0, sizeof(b));
	b.a = a;
	b.obj = parse(a, "spec: {bucketName: podinfo, endpoint: 'minio:9000', interval: 5m}\n");
	REQUIRE(b.obj != NULL);
	bucket_spec_decode(&b);
	CHECK_STR(b.spec.provider, "generic");
	CHECK_STR(b.spec.bucket_name, "podinfo");
	CHECK_STR(b.spec.endpoint, "minio:9000");
	CHECK_INT(b.spec.timeout_ms, 60000);
	CHECK_INT(b.spec.interval_ms, 300000);
	CHECK(!b.spec.insecure && !b.spec.sts && !b.spec.prefix && !b.spec.ignore);
	b.obj = parse(a, "spec: {provider: aws, bucketName: x, endpoint: e, prefix: p/, insecure: true,\n"
			 "  timeout: 30s, secretRef: {name: s}, sts: {provider: aws, endpoint: 'https://sts'},\n"
			 "  ignore: '*.txt'}\n");
	REQUIRE(b.obj != NULL);
	bucket_spec_decode(&b);
	CHECK_STR(b.spec.provider, "aws");
	CHECK_STR(b.spec.prefix, "p/");
	CHECK_STR(b.spec.secret_ref, "s");
	CHECK_INT(b.spec.timeout_ms, 30000);
	CHECK(b.spec.insecure && b.spec.sts && b.spec.ignore);
	arena_free(a);
}

/* Keys are matched as files: a directory pattern excludes what is under it. */
TEST(ignore_rules_on_keys)
{
	struct ignore_rules *r = ignore_new();
	const char *text = "*.txt\nsecret/\n!keep.txt\n/top.yaml\n";
	REQUIRE(ignore_add(r, "", text, strlen(text)) == 0);
	CHECK_INT(ignore_match(r, "a/notes.txt", 0), 1);
	CHECK_INT(ignore_match(r, "keep.txt", 0), 0);
	CHECK_INT(ignore_match(r, "secret/key.yaml", 0), 1);
	CHECK_INT(ignore_match(r, "a/secret/key.yaml", 0), 1);
	CHECK_INT(ignore_match(r, "secret", 0), 0);
	CHECK_INT(ignore_match(r, "top.yaml", 0), 1);
	CHECK_INT(ignore_match(r, "sub/top.yaml", 0), 0);
	CHECK_INT(ignore_match(r, "deploy/cm.yaml", 0), 0);
	ignore_free(r);
}

int main(void)
{
	RUN(digest_of_empty_index);
	RUN(digest_sorted_by_key_whatever_the_order);
	RUN(safe_keys);
	RUN(spec_defaults);
	RUN(ignore_rules_on_keys);
	return test_done();
}
