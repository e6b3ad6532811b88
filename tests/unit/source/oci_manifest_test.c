/* source/oci_manifest: manifests, indexes, platform choice, Flux's artifact JSON. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "source/oci_manifest.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

#define DA "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define DB "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define DC "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

static struct arena *A;

static int parse(const char *json, const char *ct, struct oci_manifest **m)
{
	return oci_manifest_parse(A, json, strlen(json), ct, NULL, m);
}

static const char flux_manifest[] =
	"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
	"\"config\":{\"mediaType\":\"application/vnd.cncf.flux.config.v1+json\",\"size\":233,"
	"\"digest\":\"" DA "\"},"
	"\"layers\":[{\"mediaType\":\"application/vnd.cncf.flux.content.v1.tar+gzip\",\"size\":1091,"
	"\"digest\":\"" DB "\",\"annotations\":{\"k\":\"v\"}}],"
	"\"annotations\":{\"org.opencontainers.image.created\":\"2024-01-02T03:04:05Z\","
	"\"org.opencontainers.image.revision\":\"main@sha1:abc\","
	"\"org.opencontainers.image.source\":\"https://github.com/org/repo\"}}";

TEST(image_manifest)
{
	struct oci_manifest *m;
	REQUIRE(parse(flux_manifest, NULL, &m) == 0);
	CHECK_INT(m->kind, OCI_IMAGE_MANIFEST);
	CHECK_STR(m->media_type, OCI_MT_MANIFEST);
	CHECK_STR(m->config.media_type, OCI_MT_FLUX_CONFIG);
	CHECK_STR(m->config.digest, DA);
	CHECK_INT(m->config.size, 233);
	REQUIRE(m->nlayers == 1);
	CHECK_STR(m->layers[0].media_type, OCI_MT_FLUX_CONTENT);
	CHECK_INT(m->layers[0].size, 1091);
	CHECK_STR(oci_kv_get(m->layers[0].annotations, m->layers[0].nannotations, "k"), "v");
	CHECK_STR(oci_kv_get(m->annotations, m->nannotations, OCI_ANN_REVISION), "main@sha1:abc");
	CHECK(oci_kv_get(m->annotations, m->nannotations, "nope") == NULL);

	/* Docker schema 2, media type from the Content-Type only; no layers is fine */
	const char docker[] = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.docker."
			      "container.image.v1+json\",\"size\":7,\"digest\":\"" DA "\"}}";
	REQUIRE(parse(docker, OCI_MT_DOCKER_MANIFEST "; charset=utf-8", &m) == 0);
	CHECK_STR(m->media_type, OCI_MT_DOCKER_MANIFEST);
	CHECK_INT(m->nlayers, 0);
	/* neither: by shape */
	REQUIRE(parse(docker, "application/json", &m) == 0);
	CHECK_STR(m->media_type, OCI_MT_MANIFEST);
}

static const char index_json[] =
	"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
	"\"manifests\":["
	"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":10,\"digest\":\"" DA "\","
	"\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}},"
	"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":11,\"digest\":\"" DB "\","
	"\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
	"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":12,\"digest\":\"" DC "\","
	"\"platform\":{\"architecture\":\"amd64\",\"os\":\"windows\",\"os.version\":\"10.0.17763\"}}"
	"]}";

TEST(index_and_platforms)
{
	struct oci_manifest *m;
	REQUIRE(parse(index_json, NULL, &m) == 0);
	CHECK_INT(m->kind, OCI_IMAGE_INDEX);
	REQUIRE(m->nmanifests == 3);
	CHECK_STR(m->manifests[0].platform.variant, "v8");
	const struct oci_descriptor *d = oci_index_select(m, NULL);
	REQUIRE(d);
	CHECK_STR(d->digest, DB); /* linux/amd64 by default */
	struct oci_platform arm = { "linux", "arm64", NULL, NULL };
	d = oci_index_select(m, &arm);
	REQUIRE(d);
	CHECK_STR(d->digest, DA); /* no variant asked for: any */
	struct oci_platform armv7 = { "linux", "arm64", "v7", NULL };
	CHECK(oci_index_select(m, &armv7) == NULL);
	struct oci_platform win = { "windows", "amd64", NULL, "10.0.17763" };
	d = oci_index_select(m, &win);
	REQUIRE(d);
	CHECK_STR(d->digest, DC);
	struct oci_platform win2 = { "windows", "amd64", NULL, "10.0.1" };
	CHECK(oci_index_select(m, &win2) == NULL);

	/* an entry without a platform counts as linux/amd64; a Docker list by Content-Type */
	const char list[] = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"size\":1,"
			    "\"digest\":\"" DC "\"}]}";
	REQUIRE(parse(list, OCI_MT_DOCKER_LIST, &m) == 0);
	CHECK_STR(m->media_type, OCI_MT_DOCKER_LIST);
	d = oci_index_select(m, NULL);
	REQUIRE(d);
	CHECK_STR(d->digest, DC);
	CHECK(oci_index_select(m, &arm) == NULL);
}

TEST(refused)
{
	struct oci_manifest *m;
	struct { const char *json, *ct; int rc; } cases[] = {
		{ "[]", NULL, ERR_INVALID },
		{ "{\"schemaVersion\":1,\"fsLayers\":[]}", NULL, ERR_UNSUPPORTED },
		{ "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v1+prettyjws\"}",
		  NULL, ERR_UNSUPPORTED },
		{ "{\"schemaVersion\":2}", "application/vnd.docker.distribution.manifest.v1+json", ERR_UNSUPPORTED },
		{ "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.artifact.manifest.v1+json\"}",
		  NULL, ERR_UNSUPPORTED },
		{ "{\"schemaVersion\":3,\"config\":{}}", NULL, ERR_UNSUPPORTED },
		{ "{\"schemaVersion\":\"2\"}", NULL, ERR_INVALID },
		{ "{\"config\":{}}", NULL, ERR_INVALID },
		{ "{\"schemaVersion\":2}", NULL, ERR_INVALID }, /* no config */
		{ "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":1}}", NULL, ERR_INVALID },
		{ "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":-1,\"digest\":\"" DA "\"}}",
		  NULL, ERR_INVALID },
		{ "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":1.5,\"digest\":\"" DA "\"}}",
		  NULL, ERR_INVALID },
		{ "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"\",\"size\":1,\"digest\":\"" DA "\"}}",
		  NULL, ERR_INVALID },
		{ "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":1,\"digest\":\"sha256:00\"}}",
		  NULL, ERR_INVALID },
		{ "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":1,\"digest\":\"sha512:"
		  "0000000000000000000000000000000000000000000000000000000000000000\"}}",
		  NULL, ERR_UNSUPPORTED },
		{ "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":1,\"digest\":\"" DA "\"},"
		  "\"layers\":{}}", NULL, ERR_INVALID },
		{ "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":1,\"digest\":\"" DA "\","
		  "\"annotations\":{\"a\":1}}}", NULL, ERR_INVALID },
		{ "{\"schemaVersion\":2,\"mediaType\":\"" OCI_MT_INDEX "\"}", NULL, ERR_INVALID },
		{ "{\"schemaVersion\":2,\"mediaType\":\"" OCI_MT_INDEX "\",\"manifests\":[{\"mediaType\":"
		  "\"x\",\"size\":1,\"digest\":\"" DA "\",\"platform\":{\"os\":7}}]}", NULL, ERR_INVALID },
		/* the document says index, the Content-Type says manifest */
		{ "{\"schemaVersion\":2,\"mediaType\":\"" OCI_MT_INDEX "\",\"manifests\":[]}",
		  OCI_MT_MANIFEST, ERR_INVALID },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = parse(cases[i].json, cases[i].ct, &m);
		if (rc != cases[i].rc)
			printf("#   case %zu: got %d (%s), want %d\n", i, rc, err_msg(), cases[i].rc);
		CHECK_INT(rc, cases[i].rc);
	}
}

TEST(caps)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"size\":1,\"digest\":\"" DA
		     "\"},\"layers\":[");
	for (int i = 0; i < 11; i++)
		buf_addf(&b, "%s{\"mediaType\":\"x\",\"size\":1,\"digest\":\"" DB "\"}", i ? "," : "");
	buf_adds(&b, "]}");
	struct oci_manifest *m;
	struct oci_manifest_limits lim = { .max_entries = 10 };
	CHECK_INT(oci_manifest_parse(A, b.ptr, b.len, NULL, &lim, &m), ERR_TOOBIG);
	lim.max_entries = 11;
	CHECK_INT(oci_manifest_parse(A, b.ptr, b.len, NULL, &lim, &m), 0);
	lim.max_bytes = b.len - 1;
	CHECK_INT(oci_manifest_parse(A, b.ptr, b.len, NULL, &lim, &m), ERR_TOOBIG);
	buf_release(&b);
	/* depth */
	buf_adds(&b, "{\"schemaVersion\":2,\"x\":");
	for (int i = 0; i < 100; i++)
		buf_addch(&b, '[');
	for (int i = 0; i < 100; i++)
		buf_addch(&b, ']');
	buf_addch(&b, '}');
	CHECK_INT(oci_manifest_parse(A, b.ptr, b.len, NULL, NULL, &m), ERR_TOOBIG);
	buf_release(&b);
}

TEST(flux_json)
{
	struct buf b = BUF_INIT;
	oci_flux_config_json(&b, "2024-01-02T03:04:05Z", DC);
	CHECK_STR(b.ptr, "{\"architecture\":\"\",\"created\":\"2024-01-02T03:04:05Z\",\"history\":"
			 "[{\"created\":\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":"
			 "\"layers\",\"diff_ids\":[\"" DC "\"]},\"config\":{}}");
	buf_reset(&b);
	struct oci_descriptor cfg = { .media_type = OCI_MT_FLUX_CONFIG, .digest = DA, .size = 233 };
	struct oci_descriptor layer = { .media_type = OCI_MT_FLUX_CONTENT, .digest = DB, .size = 1091 };
	struct oci_kv ann[] = {
		{ OCI_ANN_CREATED, "2024-01-02T03:04:05Z" },
		{ OCI_ANN_SOURCE, "https://github.com/org/repo" },
		{ OCI_ANN_REVISION, "wrong" },
		{ OCI_ANN_REVISION, "main@sha1:abc" }, /* the later one wins */
	};
	oci_manifest_json(&b, &cfg, &layer, 1, ann, 4);
	/* the layer's own annotations are not written, the manifest's are sorted */
	const char *want = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
			   "\"config\":{\"mediaType\":\"application/vnd.cncf.flux.config.v1+json\",\"size\":233,"
			   "\"digest\":\"" DA "\"},"
			   "\"layers\":[{\"mediaType\":\"application/vnd.cncf.flux.content.v1.tar+gzip\",\"size\":1091,"
			   "\"digest\":\"" DB "\"}],"
			   "\"annotations\":{\"org.opencontainers.image.created\":\"2024-01-02T03:04:05Z\","
			   "\"org.opencontainers.image.revision\":\"main@sha1:abc\","
			   "\"org.opencontainers.image.source\":\"https://github.com/org/repo\"}}";
	CHECK_STR(b.ptr, want);
	/* and it reads back */
	struct oci_manifest *m;
	REQUIRE(oci_manifest_parse(A, b.ptr, b.len, OCI_MT_MANIFEST, NULL, &m) == 0);
	CHECK_STR(oci_kv_get(m->annotations, m->nannotations, OCI_ANN_SOURCE), "https://github.com/org/repo");
	/* Go's quoting of <, > and & */
	buf_reset(&b);
	struct oci_kv odd[] = { { "a", "<&>" } };
	oci_manifest_json(&b, &cfg, NULL, 0, odd, 1);
	CHECK(strstr(b.ptr, "\"layers\":[]") != NULL);
	CHECK(strstr(b.ptr, "\"a\":\"\\u003c\\u0026\\u003e\"") != NULL);
	buf_release(&b);
}

int main(void)
{
	A = arena_new();
	RUN(image_manifest);
	RUN(index_and_platforms);
	RUN(refused);
	RUN(caps);
	RUN(flux_json);
	arena_free(A);
	return test_done();
}
