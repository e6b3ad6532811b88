/*
 * Cosign key-based signatures over the OCI registry client; see cosign.h for the format and
 * what counts. This file owns the reading of keys (OpenSSL, PEM and DER), the check of a
 * signature over a payload, the claims of a simple-signing payload (read through doc's JSON
 * parser under caps: the payload is untrusted until its signature verified, and the check
 * is also run on its own by the fuzzer), the walk over the signature manifest's layers, and
 * the signer. The client does the requests and checks every blob against its digest.
 */
#include "source/cosign.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc/doc.h"
#include "source/oci_registry.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/json_escape.h"
#include "util/sha256.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define SIG_B64_MAX ((size_t)16 << 10) /* an RSA-16384 signature is 2732 base64 bytes */
#define REASONS_SHOWN 3                 /* layers whose failure the message spells out */
#define PAYLOAD_DEPTH 64
#define PAYLOAD_NODES 100000

/* ---- Keys ------------------------------------------------------------------------------------*/

/* Whether pkey is of a type and size cosign verifies with (sigstore's LoadVerifier over what
 * Go's x509 parses). what names the key in messages. */
static int check_pkey(const char *what, EVP_PKEY *pkey)
{
	int id = EVP_PKEY_get_base_id(pkey);
	if (id == EVP_PKEY_EC) {
		char group[64] = "";
		size_t n = 0;
		if (EVP_PKEY_get_group_name(pkey, group, sizeof(group), &n) != 1)
			group[0] = '\0';
		ERR_clear_error();
		static const char *const curves[] = { "prime256v1", "secp384r1", "secp521r1",
						      "secp224r1" };
		for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
			if (strcmp(group, curves[i]) == 0)
				return 0;
		return err_set(ERR_INVALID, "'%s': unsupported elliptic curve '%s'", what,
			       group[0] ? group : "explicit parameters");
	}
	if (id == EVP_PKEY_RSA) {
		int bits = EVP_PKEY_get_bits(pkey);
		if (bits < 1024 || bits > 16384)
			return err_set(ERR_INVALID, "'%s': RSA key of %d bits (1024 to 16384 are "
				       "accepted)", what, bits);
		return 0;
	}
	if (id == EVP_PKEY_ED25519)
		return 0;
	const char *name = EVP_PKEY_get0_type_name(pkey);
	return err_set(ERR_UNSUPPORTED, "'%s': unsupported public key type '%s'", what,
		       name ? name : "unknown");
}

/* A public key as cryptoutils.UnmarshalPEMToPublicKey reads it, checked by check_pkey. */
static int read_pubkey(const struct cosign_key *k, EVP_PKEY **out)
{
	*out = NULL;
	const char *what = k->name ? k->name : "public key";
	if (k->len > COSIGN_KEY_MAX)
		return err_set(ERR_TOOBIG, "'%s': public key larger than %zu bytes", what,
			       COSIGN_KEY_MAX);
	if (!k->pem || !k->len)
		return err_set(ERR_INVALID, "'%s': PEM decoding failed", what);
	BIO *bio = BIO_new_mem_buf(k->pem, (int)k->len);
	char *name = NULL, *header = NULL;
	unsigned char *data = NULL;
	long len = 0;
	int rc = 0;
	if (!bio || PEM_read_bio(bio, &name, &header, &data, &len) != 1) {
		rc = err_set(ERR_INVALID, "'%s': PEM decoding failed", what);
		goto done;
	}
	const unsigned char *p = data;
	EVP_PKEY *pkey = NULL;
	if (strcmp(name, "PUBLIC KEY") == 0)
		pkey = d2i_PUBKEY(NULL, &p, len);
	else if (strcmp(name, "RSA PUBLIC KEY") == 0)
		pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, len);
	else {
		rc = err_set(ERR_INVALID, "'%s': unknown public key PEM file type '%.40s': are you "
			     "passing the correct public key?", what, name);
		goto done;
	}
	if (!pkey) {
		rc = err_set(ERR_INVALID, "'%s': invalid public key", what);
		goto done;
	}
	if (p != data + len) {
		EVP_PKEY_free(pkey);
		rc = err_set(ERR_INVALID, "'%s': trailing data after the public key", what);
		goto done;
	}
	rc = check_pkey(what, pkey);
	if (!rc) {
		/* OpenSSL reads an EC point off the curve; Go's x509 refuses it */
		EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
		if (!ctx || EVP_PKEY_public_check(ctx) != 1)
			rc = err_set(ERR_INVALID, "'%s': invalid public key", what);
		EVP_PKEY_CTX_free(ctx);
	}
	if (rc)
		EVP_PKEY_free(pkey);
	else
		*out = pkey;
done:
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_free(data);
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

int cosign_key_check(const struct cosign_key *key)
{
	EVP_PKEY *pkey = NULL;
	int rc = read_pubkey(key, &pkey);
	EVP_PKEY_free(pkey);
	return rc;
}

/* Never asks for a passphrase (OpenSSL's default callback would read the terminal). */
static int no_password(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static int read_private_key(const char *pem, size_t len, EVP_PKEY **out)
{
	*out = NULL;
	if (len > COSIGN_KEY_MAX)
		return err_set(ERR_TOOBIG, "private key larger than %zu bytes", COSIGN_KEY_MAX);
	if (memmem(pem, len, "ENCRYPTED SIGSTORE PRIVATE KEY", 30) ||
	    memmem(pem, len, "ENCRYPTED COSIGN PRIVATE KEY", 28))
		return err_set(ERR_INVALID, "private key: cosign's encrypted private keys are not "
			       "supported: give an unencrypted PEM key");
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	EVP_PKEY *pkey = bio ? PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL) : NULL;
	BIO_free(bio);
	ERR_clear_error();
	if (!pkey)
		return err_set(ERR_INVALID, "private key: cannot be read (an unencrypted PEM "
			       "\"PRIVATE KEY\" or \"EC PRIVATE KEY\" is expected)");
	int rc = check_pkey("private key", pkey);
	if (rc) {
		EVP_PKEY_free(pkey);
		return rc;
	}
	*out = pkey;
	return 0;
}

/* ---- Signatures ------------------------------------------------------------------------------*/

/* The DER of an IEEE P1363 ECDSA signature r||s (into *der, OPENSSL_free'd by the caller), as
 * sigstore's ECDSAVerifier reads a signature that is not DER; false when it is not one. */
static bool p1363_to_der(const unsigned char *sig, size_t len, unsigned char **der, int *derlen)
{
	*der = NULL;
	if (len == 0 || len > 132 || len % 2)
		return false;
	BIGNUM *r = BN_bin2bn(sig, (int)(len / 2), NULL);
	BIGNUM *s = BN_bin2bn(sig + len / 2, (int)(len / 2), NULL);
	ECDSA_SIG *es = ECDSA_SIG_new();
	if (!r || !s || !es || ECDSA_SIG_set0(es, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(es);
		return false;
	}
	*derlen = i2d_ECDSA_SIG(es, der);
	ECDSA_SIG_free(es);
	return *derlen > 0;
}

/* Whether sig is pkey's signature over msg: SHA-256 (Ed25519: the message itself). */
static bool verify_sig(EVP_PKEY *pkey, const unsigned char *sig, size_t siglen, const char *msg,
		       size_t len)
{
	int id = EVP_PKEY_get_base_id(pkey);
	unsigned char *der = NULL;
	if (id == EVP_PKEY_EC) {
		const unsigned char *p = sig;
		ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)siglen);
		if (es)
			ECDSA_SIG_free(es); /* DER: verified as given (OpenSSL refuses trailing bytes) */
		else {
			int derlen = 0;
			if (!p1363_to_der(sig, siglen, &der, &derlen)) {
				ERR_clear_error();
				return false;
			}
			sig = der;
			siglen = (size_t)derlen;
		}
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = ctx &&
		  EVP_DigestVerifyInit(ctx, NULL, id == EVP_PKEY_ED25519 ? NULL : EVP_sha256(),
				       NULL, pkey) == 1 &&
		  EVP_DigestVerify(ctx, sig, siglen, (const unsigned char *)msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	ERR_clear_error();
	return ok;
}

/* ---- Payloads --------------------------------------------------------------------------------*/

/* The member of map m named name, ASCII case folded as encoding/json matches struct fields;
 * NULL when absent. ERR_INVALID when two members match. */
static int member(const struct doc_node *m, const char *name, const char *where,
		  const struct doc_node **out)
{
	*out = NULL;
	size_t n = strlen(name);
	for (size_t i = 0; i < m->u.map.len; i++) {
		const struct doc_pair *p = &m->u.map.items[i];
		if (p->keylen != n || strncasecmp(p->key, name, n) != 0)
			continue;
		if (*out)
			return err_set(ERR_INVALID, "payload: '%s%s' given more than once", where, name);
		*out = p->value;
	}
	return 0;
}

/* The member as an object (NULL when absent or null). */
static int object(const struct doc_node *m, const char *name, const char *where,
		  const struct doc_node **out)
{
	int rc = member(m, name, where, out);
	if (rc)
		return rc;
	if (*out && (*out)->kind == DOC_NULL)
		*out = NULL;
	if (*out && (*out)->kind != DOC_MAP)
		return err_set(ERR_INVALID, "payload: '%s%s' is not an object", where, name);
	return 0;
}

/* The member as a string (NULL when absent or null). */
static int string(const struct doc_node *m, const char *name, const char *where,
		  const struct doc_node **out)
{
	int rc = member(m, name, where, out);
	if (rc)
		return rc;
	if (*out && (*out)->kind == DOC_NULL)
		*out = NULL;
	if (*out && (*out)->kind != DOC_STR)
		return err_set(ERR_INVALID, "payload: '%s%s' is not a string", where, name);
	return 0;
}

/* s[0..n) for a message: printable ASCII, at most 80 bytes, else a mark. */
static void quote_untrusted(struct buf *out, const char *s, size_t n)
{
	bool ok = n <= 80;
	for (size_t i = 0; ok && i < n; i++)
		ok = s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\'';
	if (ok)
		buf_addf(out, "'%.*s'", (int)n, s);
	else
		buf_addf(out, "(%zu bytes, not shown)", n);
}

static bool str_is(const struct doc_node *n, const char *want)
{
	size_t len = strlen(want);
	return n && n->u.str.len == len && memcmp(n->u.str.ptr, want, len) == 0;
}

static int check_claims(const struct doc_node *root, const char *digest)
{
	/* sigstore's payload.SimpleContainerImage as encoding/json fills it: a member of the
	 * wrong type is an error, unknown ones are ignored, null leaves the zero value */
	if (root->kind == DOC_NULL)
		root = NULL;
	else if (root->kind != DOC_MAP)
		return err_set(ERR_INVALID, "payload is not a JSON object");
	const struct doc_node *critical = NULL, *identity = NULL, *image = NULL, *ref = NULL,
			      *dgst = NULL, *type = NULL, *optional = NULL;
	int rc = 0;
	if (root) {
		rc = object(root, "critical", "", &critical);
		if (!rc)
			rc = member(root, "optional", "", &optional);
		if (!rc && optional && optional->kind != DOC_NULL && optional->kind != DOC_MAP)
			rc = err_set(ERR_INVALID, "payload: 'optional' is not an object");
	}
	if (!rc && critical) {
		rc = object(critical, "identity", "critical.", &identity);
		if (!rc)
			rc = object(critical, "image", "critical.", &image);
		if (!rc)
			rc = string(critical, "type", "critical.", &type);
	}
	if (!rc && identity)
		rc = string(identity, "docker-reference", "critical.identity.", &ref);
	if (!rc && image)
		rc = string(image, "docker-manifest-digest", "critical.image.", &dgst);
	if (rc)
		return rc;
	if (!str_is(dgst, digest)) {
		struct buf m = BUF_INIT;
		if (dgst)
			quote_untrusted(&m, dgst->u.str.ptr, dgst->u.str.len);
		else
			buf_adds(&m, "none");
		rc = err_set(ERR_INVALID, "invalid or missing digest in claim: %s", m.ptr);
		buf_release(&m);
		return rc;
	}
	if (!str_is(type, COSIGN_SIGNATURE_TYPE)) {
		struct buf m = BUF_INIT;
		if (type)
			quote_untrusted(&m, type->u.str.ptr, type->u.str.len);
		else
			buf_adds(&m, "none");
		rc = err_set(ERR_INVALID, "cosign signature payload was of an unknown type: %s",
			     m.ptr);
		buf_release(&m);
		return rc;
	}
	return 0;
}

int cosign_payload_check(const char *payload, size_t len, const char *digest)
{
	if (len > COSIGN_PAYLOAD_MAX)
		return err_set(ERR_TOOBIG, "payload of %zu bytes exceeds the limit (%zu)", len,
			       COSIGN_PAYLOAD_MAX);
	struct arena *a = arena_new();
	struct doc_limits lim = { .max_bytes = COSIGN_PAYLOAD_MAX, .max_depth = PAYLOAD_DEPTH,
				  .max_nodes = PAYLOAD_NODES, .max_documents = 1 };
	struct doc_node *root = NULL;
	int rc = doc_parse_json(a, "payload", payload, len, &lim, &root);
	if (!rc)
		rc = check_claims(root, digest);
	arena_free(a);
	return rc;
}

static void jstr(struct buf *out, const char *s)
{
	json_escape_go(out, s, strlen(s));
}

struct kv_ref {
	const struct oci_kv *kv;
	size_t order;
};

static int kv_ref_cmp(const void *x, const void *y)
{
	const struct kv_ref *a = x, *b = y;
	int c = strcmp(a->kv->key, b->kv->key);
	return c ? c : (a->order < b->order ? -1 : a->order > b->order);
}

void cosign_payload_json(struct buf *out, const char *identity, const char *digest,
			 const struct oci_kv *annotations, size_t nannotations)
{
	buf_adds(out, "{\"critical\":{\"identity\":{\"docker-reference\":");
	jstr(out, identity);
	buf_adds(out, "},\"image\":{\"docker-manifest-digest\":");
	jstr(out, digest);
	buf_adds(out, "},\"type\":\"" COSIGN_SIGNATURE_TYPE "\"},\"optional\":");
	if (!nannotations) {
		buf_adds(out, "null}");
		return;
	}
	/* a Go map: keys sorted, the last of a repeated key wins */
	struct kv_ref *s = xcalloc(nannotations, sizeof(*s));
	for (size_t i = 0; i < nannotations; i++) {
		s[i].kv = &annotations[i];
		s[i].order = i;
	}
	qsort(s, nannotations, sizeof(*s), kv_ref_cmp);
	buf_addch(out, '{');
	bool first = true;
	for (size_t i = 0; i < nannotations; i++) {
		if (i + 1 < nannotations && strcmp(s[i].kv->key, s[i + 1].kv->key) == 0)
			continue;
		if (!first)
			buf_addch(out, ',');
		first = false;
		jstr(out, s[i].kv->key);
		buf_addch(out, ':');
		jstr(out, s[i].kv->value ? s[i].kv->value : "");
	}
	buf_adds(out, "}}");
	free(s);
}

/* ---- The signature manifest ------------------------------------------------------------------*/

int cosign_signature_tag(const char *digest, char tag[OCI_TAG_MAX + 1])
{
	tag[0] = '\0';
	if (!digest || !oci_digest_valid(digest))
		return err_set(ERR_INVALID, "invalid digest '%.80s'", digest ? digest : "");
	snprintf(tag, OCI_TAG_MAX + 1, "sha256-%s.sig", digest + 7);
	return 0;
}

/* "host/repo@digest", as go-containerregistry prints a digest reference. */
static void ref_name(struct buf *out, struct oci_client *c, const char *repo, const char *digest)
{
	buf_addf(out, "%s/%s@%s", oci_client_host(c), repo, digest);
}

/* GETs and parses the signature manifest at tag: 0, ERR_NOTFOUND (err not set) when the tag
 * does not exist, or an error. */
static int get_sig_manifest(struct oci_client *c, const char *repo, const char *tag,
			    struct arena *a, size_t max_entries, struct oci_manifest **m,
			    char digest[OCI_DIGEST_MAX + 1])
{
	*m = NULL;
	struct buf body = BUF_INIT;
	struct oci_manifest_info info;
	int rc = oci_manifest_get(c, repo, tag, &body, &info);
	if (rc == ERR_NOTFOUND) {
		err_clear();
		buf_release(&body);
		return ERR_NOTFOUND;
	}
	if (!rc) {
		struct oci_manifest_limits lim = { .max_entries = max_entries };
		rc = oci_manifest_parse(a, body.ptr, body.len, info.media_type, &lim, m);
		if (rc)
			err_wrap(rc, "signature manifest '%s'", tag);
	}
	if (!rc && (*m)->kind != OCI_IMAGE_MANIFEST)
		rc = err_set(ERR_INVALID, "signature manifest '%s' is an index, not an image "
			     "manifest", tag);
	if (!rc && digest)
		snprintf(digest, OCI_DIGEST_MAX + 1, "%s", info.digest);
	buf_release(&body);
	return rc;
}

/* The layer's signature, base64-decoded into sig; false (with why in reason) when it has
 * none that decodes. */
static bool layer_signature(const struct oci_descriptor *l, struct buf *sig, struct buf *reason)
{
	const char *b64 = oci_kv_get(l->annotations, l->nannotations, COSIGN_ANN_SIGNATURE);
	if (!b64) {
		buf_adds(reason, "missing annotation '" COSIGN_ANN_SIGNATURE "'");
		return false;
	}
	size_t n = strlen(b64);
	buf_reset(sig);
	if (n > SIG_B64_MAX || base64_decode(sig, b64, n) != 0 || !sig->len) {
		err_clear();
		buf_adds(reason, "the signature annotation is not base64 of a signature");
		return false;
	}
	return true;
}

static bool transient(int rc)
{
	return rc == ERR_UNAVAIL || rc == ERR_TIMEOUT || rc == ERR_AUTH;
}

int cosign_verify(struct oci_client *c, const char *repo, const char *digest,
		  const struct cosign_key *keys, size_t nkeys, const struct cosign_opts *o,
		  size_t *key_index)
{
	if (key_index)
		*key_index = 0;
	char tag[OCI_TAG_MAX + 1];
	int rc = cosign_signature_tag(digest, tag);
	if (rc)
		return rc;
	if (!repo || !oci_repo_valid(repo))
		return err_set(ERR_INVALID, "invalid repository '%.300s'", repo ? repo : "");
	size_t max_layers = o && o->max_layers ? o->max_layers : COSIGN_LAYERS_MAX;
	size_t max_payload = o && o->max_payload ? o->max_payload : COSIGN_PAYLOAD_MAX;
	struct buf ref = BUF_INIT, reasons = BUF_INIT, reason = BUF_INIT, sig = BUF_INIT,
		   payload = BUF_INIT;
	ref_name(&ref, c, repo, digest);
	if (!nkeys) {
		rc = err_set(ERR_INVALID, "no public keys to verify '%s' with", ref.ptr);
		buf_release(&ref);
		return rc;
	}
	EVP_PKEY **pk = xcalloc(nkeys, sizeof(*pk));
	struct arena *a = arena_new();
	for (size_t i = 0; i < nkeys && !rc; i++)
		rc = read_pubkey(&keys[i], &pk[i]);
	if (rc)
		goto done;

	struct oci_manifest *m = NULL;
	rc = get_sig_manifest(c, repo, tag, a, max_layers > 1000 ? max_layers : 1000, &m, NULL);
	if (rc == ERR_NOTFOUND || (!rc && m->nlayers == 0)) {
		rc = err_set(ERR_NOTFOUND, "no matching signatures were found for '%s': no "
			     "signatures found (no tag '%s')", ref.ptr, tag);
		goto done;
	}
	if (rc)
		goto done;
	if (m->nlayers > max_layers) {
		rc = err_set(ERR_TOOBIG, "signature manifest '%s': number of layers (%zu) exceeded "
			     "the limit (%zu)", tag, m->nlayers, max_layers);
		goto done;
	}

	int saved_rc = 0; /* the first transient failure of a payload download */
	char *saved_msg = NULL;
	size_t failed = 0;
	for (size_t i = 0; i < m->nlayers; i++) {
		const struct oci_descriptor *l = &m->layers[i];
		buf_reset(&reason);
		if (strcmp(l->media_type, COSIGN_MT_SIMPLESIGNING) != 0) {
			buf_adds(&reason, "media type ");
			quote_untrusted(&reason, l->media_type, strlen(l->media_type));
			buf_adds(&reason, " is not a cosign signature");
		} else if (!layer_signature(l, &sig, &reason)) {
			/* reason set */
		} else if ((uint64_t)l->size > max_payload) {
			buf_addf(&reason, "size of layer (%lld) exceeded the limit (%zu)",
				 (long long)l->size, max_payload);
		} else if ((rc = oci_blob_get_mem(c, repo, l->digest, max_payload, &payload))) {
			if (transient(rc) && !saved_rc) {
				saved_rc = rc;
				saved_msg = xstrdup(err_msg());
			}
			buf_adds(&reason, err_msg());
			rc = 0;
		} else {
			size_t k = 0;
			while (k < nkeys && !verify_sig(pk[k], (const unsigned char *)sig.ptr, sig.len,
							payload.ptr, payload.len))
				k++;
			if (k == nkeys) {
				if (nkeys == 1)
					buf_addf(&reason, "signature does not verify with key '%s'",
						 keys[0].name ? keys[0].name : "public key");
				else
					buf_addf(&reason, "signature does not verify with any of the "
						 "%zu keys", nkeys);
			} else if (cosign_payload_check(payload.ptr, payload.len, digest) != 0) {
				buf_adds(&reason, err_msg());
			} else {
				if (key_index)
					*key_index = k;
				err_clear();
				free(saved_msg);
				goto done; /* rc is 0 */
			}
		}
		if (failed < REASONS_SHOWN)
			buf_addf(&reasons, "%slayer %zu: %s", failed ? "; " : "", i, reason.ptr);
		failed++;
	}
	if (saved_rc)
		rc = err_set(saved_rc, "%s", saved_msg);
	else if (failed > REASONS_SHOWN)
		rc = err_set(ERR_INVALID, "no matching signatures were found for '%s': %s; and %zu "
			     "more layers", ref.ptr, reasons.ptr, failed - REASONS_SHOWN);
	else
		rc = err_set(ERR_INVALID, "no matching signatures were found for '%s': %s",
			     ref.ptr, reasons.ptr);
	free(saved_msg);
done:
	for (size_t i = 0; i < nkeys; i++)
		EVP_PKEY_free(pk[i]);
	free(pk);
	arena_free(a);
	buf_release(&ref);
	buf_release(&reasons);
	buf_release(&reason);
	buf_release(&sig);
	buf_release(&payload);
	return rc;
}

/* ---- Signing ---------------------------------------------------------------------------------*/

static int sign_payload(EVP_PKEY *pkey, const char *msg, size_t len, struct buf *b64)
{
	int id = EVP_PKEY_get_base_id(pkey);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *sig = NULL;
	size_t siglen = 0;
	int rc = 0;
	if (!ctx ||
	    EVP_DigestSignInit(ctx, NULL, id == EVP_PKEY_ED25519 ? NULL : EVP_sha256(), NULL,
			       pkey) != 1 ||
	    EVP_DigestSign(ctx, NULL, &siglen, (const unsigned char *)msg, len) != 1) {
		rc = err_set(ERR_INVALID, "private key: signing failed");
		goto done;
	}
	sig = xmalloc(siglen);
	if (EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)msg, len) != 1) {
		rc = err_set(ERR_INVALID, "private key: signing failed");
		goto done;
	}
	base64_encode(b64, sig, siglen);
done:
	free(sig);
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}

/* The identity cosign writes for repo of c's registry: go-containerregistry's
 * Repository.Name(), Docker Hub spelt index.docker.io, its one-element names under library/. */
static void default_identity(struct buf *out, struct oci_client *c, const char *repo)
{
	const char *host = oci_client_host(c);
	bool hub = strcmp(host, "docker.io") == 0 || strcmp(host, "index.docker.io") == 0;
	buf_addf(out, "%s/%s%s", hub ? "index.docker.io" : host,
		 hub && !strchr(repo, '/') ? "library/" : "", repo);
}

static void config_json(struct buf *out, const struct oci_descriptor *layers, size_t n)
{
	buf_adds(out, "{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[");
	for (size_t i = 0; i < n; i++)
		buf_adds(out, i ? ",{\"created\":\"0001-01-01T00:00:00Z\"}"
				: "{\"created\":\"0001-01-01T00:00:00Z\"}");
	buf_adds(out, "],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addch(out, ',');
		jstr(out, layers[i].digest);
	}
	buf_adds(out, "]},\"config\":{}}");
}

int cosign_sign(struct oci_client *c, const char *repo, const char *digest, const char *key_pem,
		size_t key_len, const struct cosign_sign_opts *o,
		char sig_digest[OCI_DIGEST_MAX + 1])
{
	if (sig_digest)
		sig_digest[0] = '\0';
	char tag[OCI_TAG_MAX + 1];
	int rc = cosign_signature_tag(digest, tag);
	if (rc)
		return rc;
	if (!repo || !oci_repo_valid(repo))
		return err_set(ERR_INVALID, "invalid repository '%.300s'", repo ? repo : "");
	struct cosign_sign_opts none = { 0 };
	if (!o)
		o = &none;
	if (o->identity && (!o->identity[0] || strlen(o->identity) > OCI_URL_MAX))
		return err_set(ERR_INVALID, "invalid identity '%.100s'", o->identity);
	EVP_PKEY *pkey = NULL;
	rc = read_private_key(key_pem ? key_pem : "", key_pem ? key_len : 0, &pkey);
	if (rc)
		return rc;

	struct buf identity = BUF_INIT, payload = BUF_INIT, b64 = BUF_INIT, sig = BUF_INIT,
		   reason = BUF_INIT, cfg = BUF_INIT, man = BUF_INIT;
	struct arena *a = arena_new();
	struct oci_descriptor *layers = NULL;
	if (o->identity)
		buf_adds(&identity, o->identity);
	else
		default_identity(&identity, c, repo);
	cosign_payload_json(&payload, identity.ptr, digest, o->annotations, o->nannotations);
	rc = sign_payload(pkey, payload.ptr, payload.len, &b64);
	if (rc)
		goto done;

	struct oci_manifest *m = NULL;
	char existing[OCI_DIGEST_MAX + 1] = "";
	rc = get_sig_manifest(c, repo, tag, a, COSIGN_LAYERS_MAX, &m, existing);
	if (rc == ERR_NOTFOUND)
		m = NULL;
	else if (rc)
		goto done;
	rc = 0;
	size_t n = m ? m->nlayers : 0;
	char pdigest[OCI_DIGEST_MAX + 1];
	{
		unsigned char h[32];
		sha256(payload.ptr, payload.len, h);
		memcpy(pdigest, "sha256:", 7);
		for (size_t i = 0; i < 32; i++)
			snprintf(pdigest + 7 + 2 * i, 3, "%02x", h[i]);
	}
	/* cosign's duplicate detector: the same payload, signed by this key already */
	for (size_t i = 0; i < n; i++) {
		const struct oci_descriptor *l = &m->layers[i];
		if (strcmp(l->digest, pdigest) == 0 &&
		    strcmp(l->media_type, COSIGN_MT_SIMPLESIGNING) == 0 &&
		    layer_signature(l, &sig, &reason) &&
		    verify_sig(pkey, (const unsigned char *)sig.ptr, sig.len, payload.ptr,
			       payload.len)) {
			if (sig_digest)
				snprintf(sig_digest, OCI_DIGEST_MAX + 1, "%s", existing);
			goto done;
		}
	}
	if (n + 1 > COSIGN_LAYERS_MAX) {
		rc = err_set(ERR_TOOBIG, "signature manifest '%s': number of layers (%zu) exceeded "
			     "the limit (%d)", tag, n + 1, COSIGN_LAYERS_MAX);
		goto done;
	}
	char pushed[OCI_DIGEST_MAX + 1], cdigest[OCI_DIGEST_MAX + 1];
	bool uploaded;
	rc = oci_blob_push_mem(c, repo, payload.ptr, payload.len, pushed, &uploaded);
	if (rc)
		goto done;
	layers = xcalloc(n + 1, sizeof(*layers));
	for (size_t i = 0; i < n; i++)
		layers[i] = m->layers[i];
	struct oci_kv ann = { COSIGN_ANN_SIGNATURE, b64.ptr };
	layers[n] = (struct oci_descriptor){ .media_type = COSIGN_MT_SIMPLESIGNING,
					     .digest = pdigest, .size = (int64_t)payload.len,
					     .annotations = &ann, .nannotations = 1 };
	config_json(&cfg, layers, n + 1);
	rc = oci_blob_push_mem(c, repo, cfg.ptr, cfg.len, cdigest, &uploaded);
	if (rc)
		goto done;
	struct oci_descriptor config = { .media_type = COSIGN_MT_CONFIG, .digest = cdigest,
					 .size = (int64_t)cfg.len };
	oci_manifest_json(&man, &config, layers, n + 1, m ? m->annotations : NULL,
			  m ? m->nannotations : 0);
	char put[OCI_DIGEST_MAX + 1];
	rc = oci_manifest_put(c, repo, tag, OCI_MT_MANIFEST, man.ptr, man.len, put);
	if (!rc && sig_digest)
		snprintf(sig_digest, OCI_DIGEST_MAX + 1, "%s", put);
done:
	EVP_PKEY_free(pkey);
	free(layers);
	arena_free(a);
	buf_release(&identity);
	buf_release(&payload);
	buf_release(&b64);
	buf_release(&sig);
	buf_release(&reason);
	buf_release(&cfg);
	buf_release(&man);
	return rc;
}
