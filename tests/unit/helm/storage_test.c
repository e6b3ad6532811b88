/* Helm release records (src/helm/storage.h); the records were made with Python's gzip and
 * base64 modules, as helm's driver writes them (base64 of gzipped JSON). */
#include "test.h"

#include "doc/doc.h"
#include "helm/storage.h"
#include "util/arena.h"
#include "util/error.h"

#define GZIPPED "H4sIAAAAAAACA6tWykvMTVWyUipPTVLSUSpLLSrOzM9TsjLWUcpNzMtMSy0uAUpmZ+alWCk45+elZab7JhbE5CnVAgCDkRAaOQAAAA=="
#define PLAIN "eyJuYW1lIjoid2ViIiwidmVyc2lvbiI6MywibWFuaWZlc3QiOiJraW5kOiBDb25maWdNYXBcbiJ9"
#define TRUNCATED "H4sIAAAAAAACA6tWykvMTVWyUio="
#define ARRAY "WzEsMl0="

static int decode(struct arena *a, const char *value, struct doc_node **rel)
{
	return helm_release_decode(a, value, strlen(value), rel);
}

TEST(gzipped_and_plain_records)
{
	struct arena *a = arena_new();
	struct doc_node *rel;
	CHECK_INT(decode(a, GZIPPED, &rel), 0);
	CHECK_STR(doc_get_str(rel, "name"), "web");
	CHECK_STR(doc_get_str(rel, "manifest"), "kind: ConfigMap\n");
	int64_t v = 0;
	CHECK_INT(doc_int64(doc_get(rel, "version"), &v), 0);
	CHECK_INT(v, 3);
	CHECK_INT(decode(a, PLAIN, &rel), 0);
	CHECK_STR(doc_get_str(rel, "name"), "web");
	arena_free(a);
}

TEST(bad_records)
{
	struct arena *a = arena_new();
	struct doc_node *rel;
	CHECK_INT(decode(a, "not base64!", &rel), ERR_INVALID);
	CHECK_STR(err_msg(), "helm release: illegal base64 data");
	CHECK(rel == NULL);
	CHECK_INT(decode(a, TRUNCATED, &rel), ERR_INVALID);
	CHECK_STR(err_msg(), "helm release: gzip: unexpected EOF");
	CHECK_INT(decode(a, ARRAY, &rel), ERR_INVALID);
	CHECK_STR(err_msg(), "helm release: not a JSON object");
	CHECK_INT(decode(a, "", &rel), ERR_INVALID);
	arena_free(a);
}

TEST(storage_names)
{
	struct arena *a = arena_new();
	CHECK_STR(helm_storage_name(a, "podinfo", 12), "sh.helm.release.v1.podinfo.v12");
	arena_free(a);
}

int main(void)
{
	RUN(gzipped_and_plain_records);
	RUN(bad_records);
	RUN(storage_names);
	return test_done();
}
