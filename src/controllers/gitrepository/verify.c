/*
 * GitRepository spec.verify: the OpenPGP signature of the fetched commit and/or of the tag
 * it was reached through, checked against the public key rings of spec.verify.secretRef, as
 * Flux's verifySignature (conditions, reasons and messages are Flux's). Key values are
 * decoded by controllers/common/secret, under a cap on what one Secret may hand to librnp.
 */
#include <string.h>

#include "controllers/gitrepository/gitrepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "source/pgp.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define COND_SOURCE_VERIFIED "SourceVerified"
/* Key rings are parsed by librnp on every reconcile: a Secret with more key data than any
 * sensible set of public keys is refused before it is handed over. */
#define MAX_KEY_BYTES (256 * 1024)
#define MAX_KEYS 64

struct keyrings {
	const char *pgp[MAX_KEYS]; /* decoded, in the reconcile's arena */
	size_t lens[MAX_KEYS];
	size_t npgp, nssh;
};

static bool has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && !memcmp(s + len - n, suffix, n);
}

/* Flux: keys ending in ".pub" are SSH authorized keys, every other value an armored
 * OpenPGP key ring (".asc", and the older undocumented any-name form). */
static int read_keys(struct gitrepo *g, const char *name, struct keyrings *k)
{
	struct doc_node *secret = NULL;
	int rc = rt_get(g->r, "v1", "Secret", g->ns, name, &secret);
	if (rc == ERR_NOTFOUND)
		return err_set(rc, "public keys secret error: secrets \"%s\" not found", name);
	if (rc)
		return err_set(rc, "public keys secret error: %s", err_msg());
	const struct doc_node *data = doc_map_get(secret, "data");
	size_t total = 0;
	for (size_t i = 0; data && data->kind == DOC_MAP && i < data->u.map.len; i++) {
		const struct doc_pair *p = &data->u.map.items[i];
		if (!p->value || p->value->kind != DOC_STR)
			continue;
		total += p->value->u.str.len;
		if (total > MAX_KEY_BYTES * 4 / 3 + 4 || k->npgp == MAX_KEYS)
			return err_set(ERR_TOOBIG, "public keys secret error: secret '%s/%s' holds more "
				       "than %d keys or %d bytes of key data", g->ns, name,
				       MAX_KEYS, MAX_KEY_BYTES);
		if (has_suffix(p->key, p->keylen, ".pub")) {
			k->nssh++;
			continue;
		}
		char *v = NULL;
		if (secret_data(g->a, secret, p->key, &v, &k->lens[k->npgp]))
			return err_set(ERR_INVALID, "public keys secret error: invalid key '%s'", p->key);
		k->pgp[k->npgp++] = v;
	}
	return 0;
}

static const char *sig_type(const struct buf *sig)
{
	if (!strncmp(sig->ptr, "-----BEGIN PGP SIGNATURE-----", 29))
		return "openpgp";
	if (!strncmp(sig->ptr, "-----BEGIN SSH SIGNATURE-----", 29))
		return "ssh";
	return NULL;
}

/* Flux's verifyGitObject for one object; what names the object ("commit", "tag") goes into
 * the message. Writes the key id on success. */
static int verify_object(const char *cache, const char *oid, int is_tag, const char *what,
			 const struct keyrings *k, char keyid[17], bool *unsigned_obj)
{
	struct buf sig = BUF_INIT, payload = BUF_INIT;
	int rc = gitsrc_signed_payload(cache, oid, is_tag, &sig, &payload);
	if (rc)
		goto done;
	const char *type = sig_type(&sig);
	*unsigned_obj = !sig.len;
	if (is_tag && !sig.len)
		goto done;
	if (!sig.len || (type && !strcmp(type, "openpgp"))) {
		if (sig.len && !k->npgp)
			rc = err_set(ERR_INVALID, "PGP signature detected but no PGP public keys found "
				     "in secret (keys with .asc suffix)");
		else if ((rc = pgp_verify_detached(k->pgp, k->lens, k->npgp, sig.ptr, sig.len,
						   payload.ptr, payload.len, keyid)) != 0)
			rc = err_set(rc, "unable to verify Git %s: %s", what, err_msg());
	} else if (type) {
		/* ssh: Flux verifies these against authorized keys; tide does not yet */
		rc = err_set(ERR_INVALID, k->nssh ? "SSH signature verification is not supported"
					 : "SSH signature detected but no SSH public keys found in "
					   "secret (keys with .pub suffix)");
	} else {
		rc = err_set(ERR_INVALID, "unsupported signature type: unknown");
	}
done:
	buf_release(&sig);
	buf_release(&payload);
	return rc;
}

static int fail(struct gitrepo *g, const char *reason, bool stall, bool *stalled)
{
	struct arena *a = g->a;
	struct doc_node *obj = g->obj;
	const char *msg = arena_strdup(a, err_msg());
	rt_cond_mark_false(a, obj, COND_SOURCE_VERIFIED, reason, "%s", msg);
	rt_cond_mark_false(a, obj, RT_COND_READY, reason, "%s", msg);
	if (stall)
		rt_cond_mark_stalled(a, obj, reason, "%s", msg);
	rt_eventf(g->r, "Warning", reason, NULL, "%s", msg);
	*stalled = stall;
	return err_set(ERR_INVALID, "%s", msg);
}

int gitrepo_verify(struct gitrepo *g, bool *stalled)
{
	struct arena *a = g->a;
	struct doc_node *obj = g->obj;
	const char *cache = g->cache;
	const struct gitsrc_fetch_result *fr = &g->fetched;
	*stalled = false;
	const char *mode = g->spec.verify_mode;
	if (!mode) {
		doc_delete(obj, "status.sourceVerificationMode");
		rt_cond_delete(obj, COND_SOURCE_VERIFIED);
		return 0;
	}
	bool tag = strcmp(mode, "HEAD") != 0, head = strcmp(mode, "Tag") != 0;

	struct keyrings k = { .npgp = 0 };
	const char *secret = g->spec.verify_secret_ref;
	if (read_keys(g, secret ? secret : "", &k))
		return fail(g, "VerificationError", false, stalled);
	struct buf msg = BUF_INIT;
	char keyid[17];
	int rc = 0;
	if (tag) {
		const char *name = fr->ref;
		if (!strncmp(name, "refs/tags/", 10))
			name += 10;
		if (!fr->via_tag) {
			err_set(ERR_INVALID, "cannot verify tag object's signature if a tag reference is not specified");
			rc = fail(g, "InvalidVerificationMode", true, stalled);
			goto done;
		}
		if (!fr->tag_object[0]) {
			err_set(ERR_INVALID, "cannot verify signature of tag '%s@%s' since it is not signed",
				name, fr->commit);
			rc = fail(g, "InvalidGitObject", false, stalled);
			goto done;
		}
		bool unsig = false;
		int vrc = verify_object(cache, fr->tag_object, 1, "tag", &k, keyid, &unsig);
		if (!vrc && unsig) {
			err_set(ERR_INVALID, "cannot verify signature of tag '%s@%s' since it is not signed",
				name, fr->tag_object);
			rc = fail(g, "InvalidGitObject", false, stalled);
			goto done;
		}
		if (vrc) {
			err_set(ERR_INVALID, "signature verification of tag '%s@%s' failed: %s", name,
				fr->tag_object, err_msg());
			rc = fail(g, "InvalidTagSignature", false, stalled);
			goto done;
		}
		buf_addf(&msg, "verified signature of\n\t- tag '%s@%s' with key '%s'", name,
			 fr->tag_object, keyid);
	}
	if (head) {
		bool unsig = false;
		if (verify_object(cache, fr->commit, 0, "commit", &k, keyid, &unsig)) {
			err_set(ERR_INVALID, "signature verification of commit '%s' failed: %s",
				fr->commit, err_msg());
			rc = fail(g, "InvalidCommitSignature", false, stalled);
			goto done;
		}
		buf_addf(&msg, "%s\t- commit '%s' with key '%s'",
			 msg.len ? "\n" : "verified signature of\n", fr->commit, keyid);
	}
	doc_set(a, obj, "status.sourceVerificationMode", doc_new_str(a, mode));
	rt_cond_mark_true(a, obj, COND_SOURCE_VERIFIED, RT_REASON_SUCCEEDED, "%s", msg.ptr);
done:
	buf_release(&msg);
	return rc;
}
