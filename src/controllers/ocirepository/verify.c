/*
 * spec.verify, as Flux's reconcileSource runs it: a failed verification is forgotten at the
 * start of every reconcile and computed again; the signature of the manifest digest is
 * checked when the digest is not the stored artifact's, when the object's generation changed
 * since the last verification, or when it failed last time; without spec.verify the
 * SourceVerified condition is removed. A failure is SourceVerified False with reason
 * VerificationError ("failed to verify the signature using provider 'cosign': ...") and no
 * artifact is built.
 *
 * What tide verifies: cosign signatures made with a key (spec.verify.secretRef, every `.pub`
 * key of the Secret). Keyless cosign (Fulcio certificates, Rekor) and notation need trust
 * material and services tide does not have; an object asking for them gets Ready False and
 * Stalled with a message that says so, never an unverified artifact.
 */
#include <string.h>

#include "controllers/ocirepository/ocirepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "source/cosign.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/log.h"
#include "util/banned.h"

static void mark_unverified(struct ocirepo *o, const char *provider, const char *why)
{
	const char *msg = arena_sprintf(o->a, "failed to verify the signature using provider '%s': %s",
					provider, why);
	rt_cond_mark_false(o->a, o->obj, COND_SOURCE_VERIFIED, REASON_VERIFICATION_ERROR, "%s", msg);
	rt_cond_mark_false(o->a, o->obj, RT_COND_READY, REASON_VERIFICATION_ERROR, "%s", msg);
	rt_eventf(o->r, "Warning", REASON_VERIFICATION_ERROR, NULL, "%s", msg);
	err_set(ERR_AUTH, "%s", msg);
}

#define MAX_KEYS 64

/* Flux's cosign verifier with public keys: every `.pub` entry of the Secret is tried. */
static int verify_with_keys(struct ocirepo *o)
{
	struct doc_node *secret = NULL;
	int rc = secret_fetch(o->r, o->ns, o->spec.verify_secret_ref, &secret);
	if (rc) {
		mark_unverified(o, "cosign", err_msg());
		return rc;
	}
	struct cosign_key keys[MAX_KEYS];
	size_t n = 0;
	secret_cosign_keys(o->a, secret, keys, MAX_KEYS, &n);
	if (!n) {
		mark_unverified(o, "cosign", arena_sprintf(o->a, "no public keys found in secret '%s/%s'",
							   o->ns, o->spec.verify_secret_ref));
		return ERR_INVALID;
	}
	size_t which = 0;
	rc = cosign_verify(o->client, o->url.repo, o->digest, keys, n, NULL, &which);
	if (rc) {
		mark_unverified(o, "cosign", err_msg());
		return rc;
	}
	rt_cond_mark_true(o->a, o->obj, COND_SOURCE_VERIFIED, RT_REASON_SUCCEEDED,
			  "verified signature of revision %s", o->revision);
	rt_log(o->r, LOG_INFO, "verified signature", "revision", o->revision, "key", keys[which].name,
	       NULL);
	return 0;
}

/* Whether the last verification still holds (Flux's three conditions for verifying). */
static bool verified_already(const struct ocirepo *o)
{
	struct rt_condition c;
	if (!rt_cond_get(o->obj, COND_SOURCE_VERIFIED, &c) || strcmp(c.status, "True"))
		return false;
	int64_t gen = 0;
	doc_int64(doc_get(o->obj, "metadata.generation"), &gen);
	return c.observed_generation == gen && ocirepo_has_revision(o, o->revision);
}

int ocirepo_verify(struct ocirepo *o, bool *stalled)
{
	*stalled = false;
	if (!o->spec.verify) {
		rt_cond_delete(o->obj, COND_SOURCE_VERIFIED);
		return 0;
	}
	if (verified_already(o))
		return 0;
	const char *provider = o->spec.verify_provider;
	if (!strcmp(provider, "cosign") && !o->spec.verify_secret_ref) {
		mark_unverified(o, "cosign keyless",
				"keyless verification (Fulcio, Rekor) is not supported by tide; "
				"set spec.verify.secretRef to a Secret with the cosign public keys");
		*stalled = true;
		return ERR_UNSUPPORTED;
	}
	if (strcmp(provider, "cosign")) {
		mark_unverified(o, provider, "only the cosign provider with public keys is supported by tide");
		*stalled = true;
		return ERR_UNSUPPORTED;
	}
	return verify_with_keys(o);
}
