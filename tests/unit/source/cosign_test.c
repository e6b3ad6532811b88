/*
 * source/cosign: the claims of a simple-signing payload on their own, then signatures in a
 * real registry (Debian's docker-registry on loopback, test/oci/registry-start; run from
 * the repository root), anonymous and with htpasswd:
 *
 *   - signed by cosign_sign, verified by cosign_verify: the right key, a wrong key, several
 *     keys where the second is the one, the same payload signed twice (cosign's duplicate
 *     detection), a second key's layer;
 *   - signed WITHOUT tide's signer: the payload written literally in the bytes cosign
 *     writes (its README's example), signed with the `openssl` command line (ECDSA P-256,
 *     RSA PKCS #1 v1.5, Ed25519), the manifest and config written by hand, pushed with the
 *     registry client;
 *   - a genuine cosign v3.0.4 signature (`cosign sign --key --tlog-upload=false`, the
 *     legacy .sig format, as captured byte for byte by a public project's test and checked
 *     here with `openssl dgst -verify` first): the payload, config and manifest bytes are
 *     pushed unchanged and verified with its public key; tide's signer, given the same
 *     identity and digest, writes the same payload, the same config (digest and size) and
 *     the same manifest but for the signature;
 *   - refusals: a payload for another digest, a tampered payload, a payload of another
 *     type, no .sig tag, a layer that is not a signature, too many layers, non-PEM
 *     garbage, a private key, an unsupported curve and an oversized text as keys, wrong
 *     registry credentials.
 */
#include "test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "source/artifact.h"
#include "source/cosign.h"
#include "source/oci_registry.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

static char root[] = "/tmp/tide-cosign-XXXXXX";
static char tgz[600];

static int run(const char *cmd)
{
	int rc = system(cmd);
	if (rc != 0)
		printf("# command failed: %s\n", cmd);
	return rc;
}

/* root/name into out (replaced), trailing newlines cut */
static void slurp(const char *name, struct buf *out)
{
	char p[700];
	snprintf(p, sizeof(p), "%s/%s", root, name);
	buf_reset(out);
	if (fs_read_file(p, 1 << 20, out) != 0)
		printf("# cannot read %s\n", p);
	while (out->len && out->ptr[out->len - 1] == '\n')
		out->ptr[--out->len] = '\0';
}

static void spit(const char *name, const char *data, size_t len)
{
	char p[700];
	snprintf(p, sizeof(p), "%s/%s", root, name);
	FILE *f = fopen(p, "wb");
	if (!f || fwrite(data, 1, len, f) != len)
		printf("# cannot write %s\n", p);
	if (f)
		fclose(f);
}

/* A digest nothing has: 64 copies of c. */
static void fake_digest(char c, char out[OCI_DIGEST_MAX + 1])
{
	memcpy(out, "sha256:", 7);
	memset(out + 7, c, 64);
	out[71] = '\0';
}

/* A public key file of root as a cosign_key (pem owned by b). */
static struct cosign_key key(const char *name, struct buf *b)
{
	slurp(name, b);
	struct cosign_key k = { name, b->ptr, b->len };
	return k;
}

/* ---- Payloads alone --------------------------------------------------------------------------*/

#define D1 "sha256:7a91c50d922925f152fec96ed1d84b7bc6b2079c169d68826f6cf307f22d40e6"

static int check(const char *payload)
{
	return cosign_payload_check(payload, strlen(payload), D1);
}

TEST(payload_claims)
{
	/* cosign's README, byte for byte */
	CHECK_INT(check("{\"critical\":{\"identity\":{\"docker-reference\":\"localhost:5000/tcpconnect\"},"
			"\"image\":{\"docker-manifest-digest\":\"" D1 "\"},\"type\":\"cosign container "
			"image signature\"},\"optional\":null}"), 0);
	/* the spec's example spells Docker-manifest-digest; encoding/json folds case */
	CHECK_INT(check("{\"Critical\":{\"image\":{\"Docker-manifest-digest\":\"" D1 "\"},"
			"\"type\":\"cosign container image signature\"},\"optional\":{\"creator\":"
			"\"atomic\",\"timestamp\":1458239713}}"), 0);
	/* another digest, none, another type */
	CHECK_INT(check("{\"critical\":{\"image\":{\"docker-manifest-digest\":\"sha256:00\"},"
			"\"type\":\"cosign container image signature\"}}"), ERR_INVALID);
	CHECK(strstr(err_msg(), "invalid or missing digest in claim: 'sha256:00'") != NULL);
	CHECK_INT(check("{\"critical\":{\"type\":\"cosign container image signature\"}}"),
		  ERR_INVALID);
	CHECK(strstr(err_msg(), "invalid or missing digest in claim: none") != NULL);
	CHECK_INT(check("null"), ERR_INVALID);
	CHECK_INT(check("{\"critical\":{\"image\":{\"docker-manifest-digest\":\"" D1 "\"},"
			"\"type\":\"atomic container signature\"}}"), ERR_INVALID);
	CHECK(strstr(err_msg(), "unknown type: 'atomic container signature'") != NULL);
	/* a member twice, in any case: refused rather than guessed */
	CHECK_INT(check("{\"critical\":{\"image\":{\"docker-manifest-digest\":\"" D1 "\"},"
			"\"type\":\"cosign container image signature\"},\"CRITICAL\":{}}"),
		  ERR_INVALID);
	CHECK(strstr(err_msg(), "more than once") != NULL);
	/* wrong types, as encoding/json refuses them */
	CHECK_INT(check("{\"critical\":[]}"), ERR_INVALID);
	CHECK_INT(check("{\"critical\":{\"image\":{\"docker-manifest-digest\":7}}}"), ERR_INVALID);
	CHECK_INT(check("{\"critical\":{\"image\":{\"docker-manifest-digest\":\"" D1 "\"},"
			"\"type\":\"cosign container image signature\"},\"optional\":[1]}"),
		  ERR_INVALID);
	CHECK_INT(check("[]"), ERR_INVALID);
	CHECK_INT(check("{\"critical\":"), ERR_INVALID);
	/* a digest with a NUL after the right one */
	CHECK_INT(check("{\"critical\":{\"image\":{\"docker-manifest-digest\":\"" D1 "\\u0000\"},"
			"\"type\":\"cosign container image signature\"}}"), ERR_INVALID);
	/* depth cap */
	struct buf deep = BUF_INIT;
	buf_adds(&deep, "{\"optional\":");
	for (int i = 0; i < 100; i++)
		buf_adds(&deep, "[");
	for (int i = 0; i < 100; i++)
		buf_adds(&deep, "]");
	buf_adds(&deep, "}");
	CHECK(cosign_payload_check(deep.ptr, deep.len, D1) != 0);
	buf_release(&deep);

	/* the writer: cosign's bytes */
	struct buf p = BUF_INIT;
	cosign_payload_json(&p, "localhost:5000/tcpconnect", D1, NULL, 0);
	CHECK_STR(p.ptr, "{\"critical\":{\"identity\":{\"docker-reference\":\"localhost:5000/tcpconnect\"},"
			 "\"image\":{\"docker-manifest-digest\":\"" D1 "\"},\"type\":\"cosign container "
			 "image signature\"},\"optional\":null}");
	buf_reset(&p);
	struct oci_kv ann[] = { { "z", "<1>" }, { "a", "x" }, { "z", "2" } };
	cosign_payload_json(&p, "r/x", D1, ann, 3);
	CHECK(strstr(p.ptr, "\"optional\":{\"a\":\"x\",\"z\":\"2\"}}") != NULL);
	CHECK_INT(cosign_payload_check(p.ptr, p.len, D1), 0);
	buf_release(&p);

	char tag[OCI_TAG_MAX + 1];
	CHECK_INT(cosign_signature_tag(D1, tag), 0);
	CHECK_STR(tag, "sha256-7a91c50d922925f152fec96ed1d84b7bc6b2079c169d68826f6cf307f22d40e6.sig");
	CHECK_INT(cosign_signature_tag("sha256:7A91", tag), ERR_INVALID);
}

TEST(keys)
{
	struct buf b = BUF_INIT;
	const char *good[] = { "k1.pub", "rsa.pub", "rsa1.pub", "ed.pub", "p384.pub", "p521.pub" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct cosign_key k = key(good[i], &b);
		int rc = cosign_key_check(&k);
		if (rc)
			printf("# %s: %s\n", good[i], err_msg());
		CHECK_INT(rc, 0);
	}
	struct cosign_key k = key("k1.pem", &b); /* a private key where a public one belongs */
	CHECK_INT(cosign_key_check(&k), ERR_INVALID);
	CHECK(strstr(err_msg(), "'k1.pem': unknown public key PEM file type 'PRIVATE KEY'") != NULL);
	CHECK(strstr(err_msg(), "MII") == NULL);
	k = key("k256k1.pub", &b);
	CHECK_INT(cosign_key_check(&k), ERR_INVALID);
	CHECK(strstr(err_msg(), "unsupported elliptic curve 'secp256k1'") != NULL);
	k = key("x25519.pub", &b);
	CHECK_INT(cosign_key_check(&k), ERR_UNSUPPORTED);
	CHECK(strstr(err_msg(), "unsupported public key type") != NULL);
	struct cosign_key garbage = { "junk.pub", "hello, not a key\n", 17 };
	CHECK_INT(cosign_key_check(&garbage), ERR_INVALID);
	CHECK_STR(err_msg(), "'junk.pub': PEM decoding failed");
	struct cosign_key empty = { "empty.pub", "", 0 };
	CHECK_INT(cosign_key_check(&empty), ERR_INVALID);
	/* a PEM block whose DER is not a key */
	static const char bad_der[] = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
	struct cosign_key bad = { "bad.pub", bad_der, sizeof(bad_der) - 1 };
	CHECK_INT(cosign_key_check(&bad), ERR_INVALID);
	CHECK(strstr(err_msg(), "invalid public key") != NULL);
	char *big = calloc(1, COSIGN_KEY_MAX + 2);
	memset(big, 'A', COSIGN_KEY_MAX + 1);
	struct cosign_key huge = { "huge.pub", big, COSIGN_KEY_MAX + 1 };
	CHECK_INT(cosign_key_check(&huge), ERR_TOOBIG);
	free(big);
	buf_release(&b);
}

/* ---- In a registry ---------------------------------------------------------------------------*/

struct mode {
	const char *name;
	const char *args;
	bool creds;
};

static int read_port(const char *dir)
{
	char p[700];
	snprintf(p, sizeof(p), "%s/registry-port", dir);
	FILE *f = fopen(p, "r");
	int v = 0;
	if (!f || fscanf(f, "%d", &v) != 1)
		v = 0;
	if (f)
		fclose(f);
	return v;
}

static struct oci_client *client(const char *dir, const char *user, const char *pass)
{
	struct oci_client_opts o = { .backoff_ms = 50, .insecure = true };
	o.net.timeout_ms = 30000;
	o.username = user;
	o.password = pass;
	char host[64];
	snprintf(host, sizeof(host), "127.0.0.1:%d", read_port(dir));
	struct oci_client *c = NULL;
	if (oci_client_new(&c, host, &o) != 0)
		return NULL;
	return c;
}

/* Pushes a signature manifest written by hand (not by oci_manifest_json): the payload and
 * config blobs, then the manifest with nlayers copies of the layer, at subject's .sig tag. */
static int push_by_hand(struct oci_client *c, const char *repo, const char *subject,
			const char *payload, size_t len, const char *b64sig, const char *media_type,
			size_t nlayers)
{
	char pd[OCI_DIGEST_MAX + 1], cd[OCI_DIGEST_MAX + 1], md[OCI_DIGEST_MAX + 1];
	bool up;
	int rc = oci_blob_push_mem(c, repo, payload, len, pd, &up);
	if (rc)
		return rc;
	struct buf cfg = BUF_INIT, man = BUF_INIT;
	buf_addf(&cfg, "{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":"
		 "[{\"created\":\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":"
		 "\"layers\",\"diff_ids\":[\"%s\"]},\"config\":{}}", pd);
	rc = oci_blob_push_mem(c, repo, cfg.ptr, cfg.len, cd, &up);
	buf_addf(&man, "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
		 "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":%zu,"
		 "\"digest\":\"%s\"},\"layers\":[", cfg.len, cd);
	for (size_t i = 0; i < nlayers; i++)
		buf_addf(&man, "%s{\"mediaType\":\"%s\",\"size\":%zu,\"digest\":\"%s\",\"annotations\":"
			 "{\"dev.cosignproject.cosign/signature\":\"%s\"}}", i ? "," : "", media_type,
			 len, pd, b64sig);
	buf_adds(&man, "]}");
	char tag[OCI_TAG_MAX + 1];
	if (!rc)
		rc = cosign_signature_tag(subject, tag);
	if (!rc)
		rc = oci_manifest_put(c, repo, tag, "application/vnd.oci.image.manifest.v1+json",
				      man.ptr, man.len, md);
	if (rc)
		printf("# push by hand: %s\n", err_msg());
	buf_release(&cfg);
	buf_release(&man);
	return rc;
}

/* The literal payload cosign writes for subject in repo r, signed by the openssl command line
 * with the private key file keyf (cmd: "dgst" for ECDSA and RSA with SHA-256, "ed" for
 * Ed25519), the base64 signature into b64. */
static void openssl_sign(const char *payload, const char *keyf, const char *how, struct buf *b64)
{
	spit("payload.json", payload, strlen(payload));
	char cmd[2400];
	if (strcmp(how, "ed") == 0)
		snprintf(cmd, sizeof(cmd), "cd %s && openssl pkeyutl -sign -inkey %s -rawin -in "
			 "payload.json | base64 -w0 > sig.b64", root, keyf);
	else
		snprintf(cmd, sizeof(cmd), "cd %s && openssl dgst -sha256 -sign %s payload.json | "
			 "base64 -w0 > sig.b64", root, keyf);
	run(cmd);
	slurp("sig.b64", b64);
}

static void literal_payload(struct buf *out, const char *identity, const char *subject)
{
	buf_reset(out);
	buf_addf(out, "{\"critical\":{\"identity\":{\"docker-reference\":\"%s\"},\"image\":"
		 "{\"docker-manifest-digest\":\"%s\"},\"type\":\"cosign container image signature\"},"
		 "\"optional\":null}", identity, subject);
}

/* The genuine cosign v3.0.4 artifact (see the top of the file). */
#define FX_SUBJECT "sha256:f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268"
#define FX_IDENTITY "localhost:15381/tobby/fixture"
#define FX_SIG "MEUCIEB+pz4s+9yxG+Om/bukeAfwloKFEISUhxLvIYlP02P8AiEAz1oNkilC+cprxcrEHqN0vxM+zvP34ikHFzi8e7Sevls="
static const char fx_pub[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEA9oFvTJJuu0cszKBsiuqfFYN3NLV\n"
	"meleaASYW5l+nqDxoUg4f8177owlgVD89pZQ9jUxP8dbibmDJpvcjBo9RQ==\n"
	"-----END PUBLIC KEY-----\n";
static const char fx_payload[] =
	"{\"critical\":{\"identity\":{\"docker-reference\":\"" FX_IDENTITY "\"},\"image\":"
	"{\"docker-manifest-digest\":\"" FX_SUBJECT "\"},\"type\":\"cosign container image "
	"signature\"},\"optional\":null}";
static const char fx_config[] =
	"{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{\"created\":"
	"\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":"
	"[\"sha256:3a29d26a2fc848d25ccf9c2288194ca90599e70ef69087644f186e5e7331f28b\"]},"
	"\"config\":{}}";
static const char fx_manifest[] =
	"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
	"\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":233,"
	"\"digest\":\"sha256:2122b6ad0794d3fdae43a4b477cf1d95d4a38d3c5f10631e199676039b876e37\"},"
	"\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\","
	"\"size\":245,\"digest\":\"sha256:3a29d26a2fc848d25ccf9c2288194ca90599e70ef69087644f186e5e7331f28b\","
	"\"annotations\":{\"dev.cosignproject.cosign/signature\":\"" FX_SIG "\"}}]}";

static void genuine_cosign(struct oci_client *c)
{
	/* the exact bytes, pushed as they are */
	char d[OCI_DIGEST_MAX + 1], tag[OCI_TAG_MAX + 1];
	bool up;
	REQUIRE(oci_blob_push_mem(c, "tobby/fixture", fx_payload, sizeof(fx_payload) - 1, d, &up) == 0);
	CHECK_STR(d, "sha256:3a29d26a2fc848d25ccf9c2288194ca90599e70ef69087644f186e5e7331f28b");
	REQUIRE(oci_blob_push_mem(c, "tobby/fixture", fx_config, sizeof(fx_config) - 1, d, &up) == 0);
	CHECK_STR(d, "sha256:2122b6ad0794d3fdae43a4b477cf1d95d4a38d3c5f10631e199676039b876e37");
	REQUIRE(cosign_signature_tag(FX_SUBJECT, tag) == 0);
	REQUIRE(oci_manifest_put(c, "tobby/fixture", tag, OCI_MT_MANIFEST, fx_manifest,
				 sizeof(fx_manifest) - 1, d) == 0);
	struct cosign_key k = { "cosign.pub", fx_pub, sizeof(fx_pub) - 1 };
	int rc = cosign_verify(c, "tobby/fixture", FX_SUBJECT, &k, 1, NULL, NULL);
	if (rc)
		printf("# genuine: %s\n", err_msg());
	CHECK_INT(rc, 0);
	/* relocated under another repository: the identity is not compared */
	struct buf p = BUF_INIT;
	cosign_payload_json(&p, FX_IDENTITY, FX_SUBJECT, NULL, 0);
	CHECK_STR(p.ptr, fx_payload);

	/* tide's signer, same identity and digest: the same bytes but for the signature */
	struct buf pem = BUF_INIT, man = BUF_INIT, cfg = BUF_INIT;
	slurp("k1.pem", &pem);
	struct cosign_sign_opts so = { .identity = FX_IDENTITY };
	char sd[OCI_DIGEST_MAX + 1];
	rc = cosign_sign(c, "tide/mine", FX_SUBJECT, pem.ptr, pem.len, &so, sd);
	if (rc)
		printf("# sign: %s\n", err_msg());
	REQUIRE(rc == 0);
	struct oci_manifest_info info;
	REQUIRE(oci_manifest_get(c, "tide/mine", tag, &man, &info) == 0);
	CHECK_STR(info.digest, sd);
	const char *s = strstr(man.ptr, "\"dev.cosignproject.cosign/signature\":\"");
	REQUIRE(s);
	s += strlen("\"dev.cosignproject.cosign/signature\":\"");
	const char *e = strchr(s, '"');
	REQUIRE(e);
	struct buf same = BUF_INIT;
	buf_add(&same, man.ptr, (size_t)(s - man.ptr));
	buf_adds(&same, FX_SIG);
	buf_adds(&same, e);
	CHECK_STR(same.ptr, fx_manifest);
	REQUIRE(oci_blob_get_mem(c, "tide/mine",
				 "sha256:2122b6ad0794d3fdae43a4b477cf1d95d4a38d3c5f10631e199676039b876e37",
				 0, &cfg) == 0);
	CHECK_STR(cfg.ptr, fx_config);
	buf_release(&same);
	buf_release(&p);
	buf_release(&pem);
	buf_release(&man);
	buf_release(&cfg);
}

static void scenario(const struct mode *m)
{
	char dir[700], cmd[2400];
	snprintf(dir, sizeof(dir), "%s/%s", root, m->name);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && test/oci/registry-start %s %s", dir, dir, m->args);
	REQUIRE(run(cmd) == 0);
	struct oci_client *c = client(dir, m->creds ? "alice" : NULL, m->creds ? "s3cret" : NULL);
	REQUIRE(c);
	struct buf b1 = BUF_INIT, b2 = BUF_INIT, b3 = BUF_INIT, pem = BUF_INIT, pay = BUF_INIT,
		   sig = BUF_INIT, host = BUF_INIT;
	struct cosign_key k1 = key("k1.pub", &b1), k2 = key("k2.pub", &b2);
	buf_addf(&host, "127.0.0.1:%d", read_port(dir));

	/* an artifact */
	char art[OCI_DIGEST_MAX + 1];
	int rc = oci_flux_push(c, "tide/app", "v1", tgz, NULL, art);
	if (rc)
		printf("# push: %s\n", err_msg());
	REQUIRE(rc == 0);

	/* not signed yet */
	size_t which = 99;
	CHECK_INT(cosign_verify(c, "tide/app", art, &k1, 1, NULL, &which), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "no matching signatures were found for '") != NULL);
	CHECK(strstr(err_msg(), "/tide/app@sha256:") != NULL);
	CHECK(strstr(err_msg(), "no signatures found") != NULL);

	/* signed with k1 */
	slurp("k1.pem", &pem);
	char sd[OCI_DIGEST_MAX + 1], sd2[OCI_DIGEST_MAX + 1];
	rc = cosign_sign(c, "tide/app", art, pem.ptr, pem.len, NULL, sd);
	if (rc)
		printf("# sign: %s\n", err_msg());
	REQUIRE(rc == 0);
	CHECK_INT(cosign_verify(c, "tide/app", art, &k1, 1, NULL, &which), 0);
	CHECK_INT(which, 0);
	/* a wrong key */
	CHECK_INT(cosign_verify(c, "tide/app", art, &k2, 1, NULL, &which), ERR_INVALID);
	CHECK(strstr(err_msg(), "layer 0: signature does not verify with key 'k2.pub'") != NULL);
	/* several keys, the second the one */
	struct cosign_key both[] = { k2, k1 };
	CHECK_INT(cosign_verify(c, "tide/app", art, both, 2, NULL, &which), 0);
	CHECK_INT(which, 1);
	/* garbage among the keys: refused whatever the others say */
	struct cosign_key with_junk[] = { k1, { "junk.pub", "not a key", 9 } };
	CHECK_INT(cosign_verify(c, "tide/app", art, with_junk, 2, NULL, &which), ERR_INVALID);
	CHECK_STR(err_msg(), "'junk.pub': PEM decoding failed");
	CHECK_INT(cosign_verify(c, "tide/app", art, NULL, 0, NULL, &which), ERR_INVALID);

	/* the payload as cosign writes it: identity host/repo */
	struct oci_manifest_info info;
	struct buf man = BUF_INIT;
	char tag[OCI_TAG_MAX + 1];
	REQUIRE(cosign_signature_tag(art, tag) == 0);
	REQUIRE(oci_manifest_get(c, "tide/app", tag, &man, &info) == 0);
	CHECK_STR(info.digest, sd);
	struct arena *a = arena_new();
	struct oci_manifest *sm = NULL;
	REQUIRE(oci_manifest_parse(a, man.ptr, man.len, info.media_type, NULL, &sm) == 0);
	CHECK_STR(sm->media_type, OCI_MT_MANIFEST);
	CHECK_STR(sm->config.media_type, "application/vnd.oci.image.config.v1+json");
	REQUIRE(sm->nlayers == 1);
	CHECK_STR(sm->layers[0].media_type, COSIGN_MT_SIMPLESIGNING);
	CHECK(oci_kv_get(sm->layers[0].annotations, sm->layers[0].nannotations,
			 COSIGN_ANN_SIGNATURE) != NULL);
	REQUIRE(oci_blob_get_mem(c, "tide/app", sm->layers[0].digest, 0, &pay) == 0);
	struct buf want = BUF_INIT;
	buf_addf(&host, "/tide/app");
	literal_payload(&want, host.ptr, art);
	CHECK_STR(pay.ptr, want.ptr);

	/* the same payload again with k1: cosign's duplicate detection, nothing pushed */
	REQUIRE(cosign_sign(c, "tide/app", art, pem.ptr, pem.len, NULL, sd2) == 0);
	CHECK_STR(sd2, sd);
	/* a second key: a second layer, both verify */
	slurp("k2.pem", &pem);
	REQUIRE(cosign_sign(c, "tide/app", art, pem.ptr, pem.len, NULL, sd2) == 0);
	CHECK(strcmp(sd2, sd) != 0);
	REQUIRE(oci_manifest_get(c, "tide/app", tag, &man, &info) == 0);
	REQUIRE(oci_manifest_parse(a, man.ptr, man.len, info.media_type, NULL, &sm) == 0);
	CHECK_INT(sm->nlayers, 2);
	CHECK_INT(cosign_verify(c, "tide/app", art, &k2, 1, NULL, &which), 0);
	CHECK_INT(cosign_verify(c, "tide/app", art, &k1, 1, NULL, &which), 0);
	struct buf cfg = BUF_INIT;
	REQUIRE(oci_blob_get_mem(c, "tide/app", sm->config.digest, 0, &cfg) == 0);
	CHECK(strstr(cfg.ptr, "\"history\":[{\"created\":\"0001-01-01T00:00:00Z\"},{\"created\":"
			      "\"0001-01-01T00:00:00Z\"}]") != NULL);
	CHECK(strstr(cfg.ptr, sm->layers[0].digest) && strstr(cfg.ptr, sm->layers[1].digest));
	/* an EC PRIVATE KEY (SEC 1) signs too; an encrypted key is refused */
	slurp("sec1.pem", &pem);
	CHECK(strstr(pem.ptr, "BEGIN EC PRIVATE KEY") != NULL);
	CHECK_INT(cosign_sign(c, "tide/app", art, pem.ptr, pem.len, NULL, sd2), 0);
	slurp("enc.pem", &pem);
	CHECK_INT(cosign_sign(c, "tide/app", art, pem.ptr, pem.len, NULL, sd2), ERR_INVALID);
	CHECK(strstr(err_msg(), "BEGIN") == NULL);
	static const char sigstore_key[] = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
					   "eyJrZGYiOnt9fQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
	CHECK_INT(cosign_sign(c, "tide/app", art, sigstore_key, sizeof(sigstore_key) - 1, NULL, sd2),
		  ERR_INVALID);
	CHECK(strstr(err_msg(), "encrypted") != NULL);

	/* by hand: cosign's literal payload, signed by the openssl command line */
	struct { const char *keyf, *pub, *how; char d; } hand[] = {
		{ "k3.pem", "k3.pub", "dgst", '1' },
		{ "rsa.pem", "rsa.pub", "dgst", '2' },
		{ "rsa.pem", "rsa1.pub", "dgst", '3' }, /* the same key as "RSA PUBLIC KEY" */
		{ "ed.pem", "ed.pub", "ed", '4' },
		{ "p384.pem", "p384.pub", "dgst", '5' },
	};
	for (size_t i = 0; i < sizeof(hand) / sizeof(hand[0]); i++) {
		char subject[OCI_DIGEST_MAX + 1];
		fake_digest(hand[i].d, subject);
		literal_payload(&want, "ghcr.io/org/app", subject);
		openssl_sign(want.ptr, hand[i].keyf, hand[i].how, &sig);
		REQUIRE(push_by_hand(c, "tide/hand", subject, want.ptr, want.len, sig.ptr,
				     COSIGN_MT_SIMPLESIGNING, 1) == 0);
		struct cosign_key k = key(hand[i].pub, &b3);
		struct cosign_key ks[] = { k1, k };
		rc = cosign_verify(c, "tide/hand", subject, ks, 2, NULL, &which);
		if (rc)
			printf("# by hand %s: %s\n", hand[i].pub, err_msg());
		CHECK_INT(rc, 0);
		CHECK_INT(which, 1);
		CHECK_INT(cosign_verify(c, "tide/hand", subject, &k1, 1, NULL, &which), ERR_INVALID);
	}

	/* a good signature over a payload for another digest, put under this one's tag */
	char other[OCI_DIGEST_MAX + 1], victim[OCI_DIGEST_MAX + 1];
	fake_digest('a', other);
	fake_digest('b', victim);
	literal_payload(&want, "ghcr.io/org/app", other);
	openssl_sign(want.ptr, "k3.pem", "dgst", &sig);
	REQUIRE(push_by_hand(c, "tide/hand", victim, want.ptr, want.len, sig.ptr,
			     COSIGN_MT_SIMPLESIGNING, 1) == 0);
	struct cosign_key k3 = key("k3.pub", &b3);
	CHECK_INT(cosign_verify(c, "tide/hand", victim, &k3, 1, NULL, &which), ERR_INVALID);
	CHECK(strstr(err_msg(), "invalid or missing digest in claim: 'sha256:aaaa") != NULL);
	/* a tampered payload: one byte of the identity changed, the signature kept */
	char tampered[OCI_DIGEST_MAX + 1];
	fake_digest('c', tampered);
	literal_payload(&want, "ghcr.io/org/app", tampered);
	openssl_sign(want.ptr, "k3.pem", "dgst", &sig);
	want.ptr[strlen("{\"critical\":{\"identity\":{\"docker-reference\":\"g")] = 'G';
	REQUIRE(push_by_hand(c, "tide/hand", tampered, want.ptr, want.len, sig.ptr,
			     COSIGN_MT_SIMPLESIGNING, 1) == 0);
	CHECK_INT(cosign_verify(c, "tide/hand", tampered, &k3, 1, NULL, &which), ERR_INVALID);
	CHECK(strstr(err_msg(), "signature does not verify with key 'k3.pub'") != NULL);
	/* another payload type, properly signed */
	char typed[OCI_DIGEST_MAX + 1];
	fake_digest('d', typed);
	buf_reset(&want);
	buf_addf(&want, "{\"critical\":{\"identity\":{\"docker-reference\":\"x\"},\"image\":"
		 "{\"docker-manifest-digest\":\"%s\"},\"type\":\"atomic container signature\"},"
		 "\"optional\":null}", typed);
	openssl_sign(want.ptr, "k3.pem", "dgst", &sig);
	REQUIRE(push_by_hand(c, "tide/hand", typed, want.ptr, want.len, sig.ptr,
			     COSIGN_MT_SIMPLESIGNING, 1) == 0);
	CHECK_INT(cosign_verify(c, "tide/hand", typed, &k3, 1, NULL, &which), ERR_INVALID);
	CHECK(strstr(err_msg(), "unknown type") != NULL);
	/* a layer of another media type only */
	char notsig[OCI_DIGEST_MAX + 1];
	fake_digest('e', notsig);
	literal_payload(&want, "x", notsig);
	openssl_sign(want.ptr, "k3.pem", "dgst", &sig);
	REQUIRE(push_by_hand(c, "tide/hand", notsig, want.ptr, want.len, sig.ptr,
			     "application/octet-stream", 1) == 0);
	CHECK_INT(cosign_verify(c, "tide/hand", notsig, &k3, 1, NULL, &which), ERR_INVALID);
	CHECK(strstr(err_msg(), "media type 'application/octet-stream' is not a cosign") != NULL);
	/* too many layers: a cap of 3, and the default of 1000 */
	char many[OCI_DIGEST_MAX + 1];
	fake_digest('f', many);
	literal_payload(&want, "x", many);
	openssl_sign(want.ptr, "k3.pem", "dgst", &sig);
	REQUIRE(push_by_hand(c, "tide/hand", many, want.ptr, want.len, sig.ptr,
			     COSIGN_MT_SIMPLESIGNING, 4) == 0);
	struct cosign_opts three = { .max_layers = 3 };
	CHECK_INT(cosign_verify(c, "tide/hand", many, &k3, 1, &three, &which), ERR_TOOBIG);
	CHECK(strstr(err_msg(), "number of layers (4) exceeded the limit (3)") != NULL);
	CHECK_INT(cosign_verify(c, "tide/hand", many, &k3, 1, NULL, &which), 0);
	REQUIRE(push_by_hand(c, "tide/hand", many, want.ptr, want.len, sig.ptr,
			     COSIGN_MT_SIMPLESIGNING, 1001) == 0);
	CHECK_INT(cosign_verify(c, "tide/hand", many, &k3, 1, NULL, &which), ERR_TOOBIG);
	/* a payload over the cap fails its layer */
	struct cosign_opts small = { .max_payload = 100 };
	char capped[OCI_DIGEST_MAX + 1];
	fake_digest('9', capped);
	literal_payload(&want, "x", capped);
	openssl_sign(want.ptr, "k3.pem", "dgst", &sig);
	REQUIRE(push_by_hand(c, "tide/hand", capped, want.ptr, want.len, sig.ptr,
			     COSIGN_MT_SIMPLESIGNING, 5) == 0);
	CHECK_INT(cosign_verify(c, "tide/hand", capped, &k3, 1, &small, &which), ERR_INVALID);
	CHECK(strstr(err_msg(), "exceeded the limit (100)") != NULL);
	CHECK(strstr(err_msg(), "and 2 more layers") != NULL);
	CHECK_INT(cosign_verify(c, "tide/hand", capped, &k3, 1, NULL, &which), 0);

	genuine_cosign(c);
	oci_client_free(c);

	if (m->creds) {
		c = client(dir, "alice", "not-the-password");
		REQUIRE(c);
		CHECK_INT(cosign_verify(c, "tide/app", art, &k1, 1, NULL, &which), ERR_AUTH);
		CHECK(strstr(err_msg(), "not-the-password") == NULL);
		oci_client_free(c);
	}
	arena_free(a);
	buf_release(&b1);
	buf_release(&b2);
	buf_release(&b3);
	buf_release(&pem);
	buf_release(&pay);
	buf_release(&sig);
	buf_release(&host);
	buf_release(&man);
	buf_release(&want);
	buf_release(&cfg);
	snprintf(cmd, sizeof(cmd), "test/oci/registry-stop %s", dir);
	run(cmd);
}

static const struct mode modes[] = {
	{ "none", "none", false },
	{ "htpasswd", "htpasswd alice:s3cret", true },
};

TEST(anonymous) { scenario(&modes[0]); }
TEST(basic_auth) { scenario(&modes[1]); }

int main(void)
{
	if (!mkdtemp(root))
		return 1;
	char cmd[4096];
	/* keys: ECDSA P-256 (PKCS #8, as openssl writes; SEC 1 too), P-384, P-521, RSA 2048,
	 * Ed25519; secp256k1 and X25519 public keys to be refused; an encrypted key */
	snprintf(cmd, sizeof(cmd),
		 "exec 2>/dev/null; cd %s && for k in k1 k2 k3; do openssl genpkey -algorithm EC -pkeyopt "
		 "ec_paramgen_curve:P-256 -out $k.pem && openssl pkey -in $k.pem -pubout -out $k.pub; "
		 "done && openssl ecparam -name prime256v1 -genkey -noout -out sec1.pem && "
		 "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out p384.pem && "
		 "openssl pkey -in p384.pem -pubout -out p384.pub && "
		 "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out p521.pem && "
		 "openssl pkey -in p521.pem -pubout -out p521.pub && "
		 "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem && "
		 "openssl pkey -in rsa.pem -pubout -out rsa.pub && "
		 "openssl rsa -in rsa.pem -RSAPublicKey_out -out rsa1.pub 2>/dev/null && "
		 "openssl genpkey -algorithm ED25519 -out ed.pem && openssl pkey -in ed.pem -pubout -out ed.pub && "
		 "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out k256k1.pem && "
		 "openssl pkey -in k256k1.pem -pubout -out k256k1.pub && "
		 "openssl genpkey -algorithm X25519 -out x25519.pem && "
		 "openssl pkey -in x25519.pem -pubout -out x25519.pub && "
		 "openssl pkey -in k1.pem -aes256 -passout pass:pw -out enc.pem",
		 root);
	if (run(cmd) != 0)
		return 1;
	RUN(payload_claims);
	RUN(keys);
	if (access("/usr/bin/docker-registry", X_OK) != 0) {
		printf("not ok - %s: docker-registry is not installed (scripts/install-deps)\n",
		       __FILE__);
		printf("# %d passed, %d failed\n", test_passed, test_failed + 1);
		return 1;
	}
	char src[700];
	snprintf(src, sizeof(src), "%s/src", root);
	snprintf(tgz, sizeof(tgz), "%s/artifact.tgz", root);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && printf 'kind: ConfigMap\\n' > %s/cm.yaml", src,
		 src);
	struct artifact_info info;
	if (run(cmd) != 0 || artifact_archive(src, NULL, NULL, tgz, &info) != 0) {
		printf("# set-up failed: %s\n", err_msg());
		return 1;
	}
	RUN(anonymous);
	RUN(basic_auth);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		snprintf(cmd, sizeof(cmd), "test/oci/registry-stop %s/%s 2>/dev/null", root,
			 modes[i].name);
		run(cmd);
	}
	if (getenv("OCI_TEST_KEEP"))
		printf("# kept %s\n", root);
	else {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
		run(cmd);
	}
	return test_done();
}
