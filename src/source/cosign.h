/*
 * Cosign signatures of OCI artifacts with public keys, as an OCIRepository's
 *   spec.verify: { provider: cosign, secretRef: { name: keys } }
 * checks them (source-controller internal/oci/cosign, over sigstore/cosign's
 * VerifyImageSignatures), and the matching signer (`cosign sign --key`'s legacy format).
 *
 *   struct cosign_key keys[] = { { "cosign.pub", pem, pem_len } };  // the Secret's *.pub
 *   size_t which;
 *   int rc = cosign_verify(c, ref.repo, res.digest, keys, 1, NULL, &which);
 *   // 0: verified by keys[which]; ERR_NOTFOUND: no signature at all; ERR_INVALID: none
 *   // that verifies (or a key that cannot be read); registry errors as oci_registry.h
 *
 * Where the signatures are (cosign's SIGNATURE_SPEC, tag-based discovery): the image
 * manifest tagged "sha256-<hex>.sig" in the artifact's own repository. Each layer of media
 * type application/vnd.dev.cosign.simplesigning.v1+json is one signature: its blob is the
 * payload, its annotation dev.cosignproject.cosign/signature the base64 signature over the
 * payload's bytes. Layers of other media types are passed over (cosign tries every layer;
 * it writes no others into a .sig manifest). At most max_layers layers (cosign's maxLayers,
 * 1000; more is ERR_TOOBIG, as cosign refuses them), payloads of at most max_payload bytes
 * (the descriptor's size, then the download; a larger one only fails its own layer).
 *
 * What makes a signature count, per layer, keys tried in the caller's order:
 *   1. the signature verifies with one of the keys over the payload with SHA-256 (what Flux
 *      asks for: signature.LoadVerifier(key, crypto.SHA256), for every key type but
 *      Ed25519, which signs the message itself). ECDSA signatures are ASN.1 DER, or IEEE
 *      P1363 r||s when they do not parse as DER (sigstore's ECDSAVerifier reads both); RSA
 *      is PKCS #1 v1.5;
 *   2. the payload (JSON, read with caps: 1 MiB, depth 64) is a simple-signing document whose
 *      critical.image.docker-manifest-digest equals the artifact's digest and whose
 *      critical.type is "cosign container image signature". critical.identity's
 *      docker-reference is not compared (the spec says to ignore it; Flux passes no
 *      identity). Member names match without regard to ASCII case, as Go's encoding/json
 *      matches struct fields; a member named twice (in any case) is refused.
 * The first layer that passes both wins; the others are not looked at.
 *
 * Differences from Flux, on purpose:
 *   - Flux sets no ClaimVerifier in its cosign.CheckOpts, so for key-based verification
 *     it checks the signature only: a signature the key made for any other digest, copied
 *     under this digest's .sig tag, passes there. The check of step 2 is the cosign CLI's
 *     (cosign verify sets SimpleClaimVerifier: the digest), plus the type, as sigstore's
 *     payload.Cosign reads a payload.
 *   - Flux builds one verifier per key and fails the whole verification at the first key
 *     it cannot read, in Go's random map order; here every key is read first, and any
 *     unreadable one is ERR_INVALID naming it, whatever the others would have said.
 *   - the signature manifest and payloads are fetched once for all keys, not once per key.
 *
 * Keys (PEM, at most 64 KiB each), as sigstore's cryptoutils.UnmarshalPEMToPublicKey and
 * LoadVerifier read them: the first PEM block, "PUBLIC KEY" (PKIX) or "RSA PUBLIC KEY"
 * (PKCS #1); ECDSA on P-256 (what `cosign generate-key-pair` makes), P-224, P-384 or P-521,
 * RSA of 1024 to 16384 bits, Ed25519. Anything else is ERR_INVALID ("PEM decoding failed"
 * for text without a PEM block, "unknown public key PEM file type 'X'", "unsupported
 * elliptic curve", ...) or ERR_UNSUPPORTED for a key type cosign does not verify with
 * (DSA, X25519, RSA-PSS keys, Ed448).
 *
 * Transparency log and bundles: Flux verifies key-based signatures with IgnoreTlog and
 * Offline set (its NewCosignVerifier, "WithPublicKey"), so no Rekor entry is asked for or
 * checked, and neither is done here: a dev.sigstore.cosign/bundle annotation is ignored, as
 * are certificate and chain annotations (a key-signed layer normally has none; cosign would
 * check a certificate's expiry against the current time).
 *
 * Out of scope, refused by the OCIRepository controller rather than here: keyless
 * verification (no secretRef: Fulcio certificates, Rekor, matchOIDCIdentity, a trusted
 * root), provider notation. NEEDSWORK: cosign v3's default format, a Sigstore bundle
 * found through the referrers API (Flux's GetBundles / VerifyImageAttestations path, tried
 * before the .sig tag), is not read: an artifact signed by `cosign sign` v3 without
 * --new-bundle-format=false has no .sig tag and gives ERR_NOTFOUND. Also, for P-384 and
 * P-521 keys Flux (and so this) hashes with SHA-256 while `cosign sign` v2+ signs with
 * SHA-384 / SHA-512 for those curves; such signatures do not verify in Flux either.
 *
 * Messages name the reference as "<host>/<repo>@<digest>" and the keys by their names,
 * never a key's bytes; public keys are not secret, private keys never reach a message.
 * The wording follows Flux and cosign: "no matching signatures were found for '<ref>':"
 * then cosign's "no signatures found" (ERR_NOTFOUND), or, for each of the first layers,
 * why it did not count ("invalid or missing digest in claim: <digest>", "signature does not
 * verify with key 'cosign.pub'", ...). The controller puts Flux's "failed to verify the
 * signature using provider 'cosign': " in front.
 *
 * Thread safety: as the client's; no state of its own.
 */
#ifndef TIDE_SOURCE_COSIGN_H
#define TIDE_SOURCE_COSIGN_H

#include <stddef.h>

#include "source/oci_manifest.h"
#include "source/oci_ref.h"

struct oci_client;

#define COSIGN_MT_SIMPLESIGNING "application/vnd.dev.cosign.simplesigning.v1+json"
#define COSIGN_ANN_SIGNATURE "dev.cosignproject.cosign/signature"
#define COSIGN_SIGNATURE_TYPE "cosign container image signature"
#define COSIGN_MT_CONFIG "application/vnd.oci.image.config.v1+json"
#define COSIGN_KEY_MAX ((size_t)64 << 10)
#define COSIGN_PAYLOAD_MAX ((size_t)1 << 20)
#define COSIGN_LAYERS_MAX 1000

/* A public key as the Secret holds it: name is its data key ("cosign.pub"), for messages. */
struct cosign_key {
	const char *name;
	const char *pem;
	size_t len;
};

struct cosign_opts {
	size_t max_layers;  /* 0 = COSIGN_LAYERS_MAX */
	size_t max_payload; /* 0 = COSIGN_PAYLOAD_MAX */
};

/* The signature tag of digest ("sha256:<hex>" -> "sha256-<hex>.sig") into tag. ERR_INVALID
 * when digest is not a valid sha256 digest. */
int cosign_signature_tag(const char *digest, char tag[OCI_TAG_MAX + 1]);

/* Verifies that one of keys[0..nkeys) signed digest, the manifest digest of an artifact in
 * repo of c's registry, as said above. *key_index (may be NULL) gets the index of the key
 * that verified. o may be NULL.
 * Errors: ERR_NOTFOUND when there is no signature manifest (or one without layers);
 * ERR_INVALID when no signature counts, when nkeys is 0, when a key cannot be read (the
 * message names the key), or when the signature manifest is not an image manifest;
 * ERR_UNSUPPORTED for a key type cosign does not verify with; ERR_TOOBIG past max_layers
 * or for a key over COSIGN_KEY_MAX; the client's errors (ERR_AUTH, ERR_UNAVAIL,
 * ERR_TIMEOUT, ...) for the signature manifest, and for a payload download when no
 * signature counted (a failed download fails only its layer otherwise). */
int cosign_verify(struct oci_client *c, const char *repo, const char *digest,
		  const struct cosign_key *keys, size_t nkeys, const struct cosign_opts *o,
		  size_t *key_index);

/* Reads one public key as cosign_verify does, without a registry: 0, or its error. For an
 * early check of a Secret, and the fuzzer. */
int cosign_key_check(const struct cosign_key *key);

/* Whether payload[0..len) (untrusted) claims digest, as step 2 above: 0, or ERR_INVALID
 * with the reason (ERR_TOOBIG past the caps). */
int cosign_payload_check(const char *payload, size_t len, const char *digest);

/* Appends the payload `cosign sign` writes for digest (sigstore's payload.Cosign marshalled
 * by encoding/json):
 *   {"critical":{"identity":{"docker-reference":"<identity>"},"image":
 *    {"docker-manifest-digest":"<digest>"},"type":"cosign container image signature"},
 *    "optional":null}
 * with "optional" the annotations (cosign sign -a key=value) as an object, keys sorted,
 * when there are any. */
void cosign_payload_json(struct buf *out, const char *identity, const char *digest,
			 const struct oci_kv *annotations, size_t nannotations);

struct cosign_sign_opts {
	/* critical.identity.docker-reference: cosign writes the repository as
	 * go-containerregistry names it, "<registry>/<repo>" ("127.0.0.1:5000/org/app",
	 * "index.docker.io/library/app"); NULL = oci_client_host(c) + "/" + repo */
	const char *identity;
	const struct oci_kv *annotations; /* "optional"; NULL = null */
	size_t nannotations;
};

/* Signs digest (an artifact in repo) with the private key key_pem[0..key_len) (PEM,
 * unencrypted: PKCS #8 "PRIVATE KEY" or SEC 1 "EC PRIVATE KEY"; ECDSA P-256 as cosign
 * makes, or another type cosign_verify reads; SHA-256 for all) and pushes the signature as
 * `cosign sign --key k --tlog-upload=false` (v2, or v3 with --new-bundle-format=false)
 * does: the payload as a blob; the signature manifest at the .sig tag (an OCI image
 * manifest, config media type application/vnd.oci.image.config.v1+json) with the layers
 * that were there plus one for this signature, annotated with its base64 ASN.1 signature;
 * its config the image config go-containerregistry writes for those layers
 *   {"architecture":"","created":"0001-01-01T00:00:00Z","history":[{"created":
 *    "0001-01-01T00:00:00Z"},...one per layer],"os":"","rootfs":{"type":"layers",
 *    "diff_ids":[<the payload digests>]},"config":{}}
 * When a layer already holds this payload with a signature this key verifies, nothing is
 * pushed (cosign's duplicate detection). NEEDSWORK: the config of an existing manifest is
 * written anew, not extended, so a creation time cosign recorded there
 * (--record-creation-timestamp) is lost; a Docker-typed .sig manifest becomes an OCI one.
 * sig_digest (may be NULL) gets the signature manifest's digest.
 * Errors: ERR_INVALID for a key that cannot be read (encrypted ones included: cosign's
 * "ENCRYPTED SIGSTORE PRIVATE KEY" is not decrypted here), a bad digest or identity;
 * ERR_TOOBIG when the manifest would pass COSIGN_LAYERS_MAX layers; the client's errors. */
int cosign_sign(struct oci_client *c, const char *repo, const char *digest, const char *key_pem,
		size_t key_len, const struct cosign_sign_opts *o,
		char sig_digest[OCI_DIGEST_MAX + 1]);

#endif
