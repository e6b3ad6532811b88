/*
 * OCIRepository credentials, in Flux's order (reconcileSource: keychain, proxy, cloud
 * provider, transport): the Docker configs of spec.secretRef and of the imagePullSecrets of
 * spec.serviceAccountName (k8schain's keyring: the first config with an entry matching the
 * repository gives the credentials, none means anonymous), spec.proxySecretRef, and the TLS
 * material of spec.certSecretRef; then the registry client made from them for the host of
 * spec.url.
 *
 * The cloud providers (aws, azure, gcp) fetch registry tokens with the cloud's workload
 * identity; tide has no cloud SDK, so such an object without static credentials fails with
 * a message saying so (docs/differences.md), as it would on a cluster without the identity.
 */
#include <string.h>

#include "controllers/ocirepository/ocirepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

/* The Docker config of one pull secret, when it has one: `.dockerconfigjson`, else the legacy
 * `.dockercfg` (k8schain reads each by the Secret's type; a Secret of another type has
 * neither and gives no credentials). */
static int add_pull_secret(struct ocirepo *o, const struct doc_node *secret)
{
	if (o->npull_secrets >= OCIREPO_MAX_PULL_SECRETS)
		return 0;
	struct ocirepo_pull_secret *p = &o->pull_secrets[o->npull_secrets];
	int rc = secret_data(o->a, secret, ".dockerconfigjson", &p->json.ptr, &p->json.len);
	p->format = OCI_DOCKERCONFIGJSON;
	if (rc == ERR_NOTFOUND) {
		rc = secret_data(o->a, secret, ".dockercfg", &p->json.ptr, &p->json.len);
		p->format = OCI_DOCKERCFG;
	}
	if (rc == ERR_NOTFOUND)
		return 0;
	o->npull_secrets++; /* counted even on error: wiped with the others */
	return rc;
}

static int read_keychain(struct ocirepo *o)
{
	int rc;
	struct doc_node *secret = NULL;
	if (o->spec.secret_ref) {
		if ((rc = secret_fetch(o->r, o->ns, o->spec.secret_ref, &secret)))
			return rc;
		if ((rc = add_pull_secret(o, secret)))
			return err_set(rc, "secret '%s/%s': %s", o->ns, o->spec.secret_ref, err_msg());
	}
	const char *sa = o->spec.service_account;
	if (!sa)
		return 0;
	struct doc_node *acct = NULL;
	rc = rt_get(o->r, "v1", "ServiceAccount", o->ns, sa, &acct);
	if (rc == ERR_NOTFOUND)
		return err_set(rc, "failed to get service account '%s/%s': serviceaccounts \"%s\" not found",
			       o->ns, sa, sa);
	if (rc)
		return err_set(rc, "failed to get service account '%s/%s': %s", o->ns, sa, err_msg());
	const struct doc_node *list = doc_get(acct, "imagePullSecrets");
	for (size_t i = 0; list && list->kind == DOC_SEQ && i < list->u.seq.len; i++) {
		const char *name = doc_get_str(list->u.seq.items[i], "name");
		if (!name || !*name)
			continue;
		if ((rc = secret_fetch(o->r, o->ns, name, &secret)))
			return rc;
		if ((rc = add_pull_secret(o, secret)))
			return err_set(rc, "secret '%s/%s': %s", o->ns, name, err_msg());
	}
	return 0;
}

static int read_tls(struct ocirepo *o)
{
	struct doc_node *secret = NULL;
	int rc = secret_fetch(o->r, o->ns, o->spec.cert_secret_ref, &secret);
	if (!rc)
		rc = secret_creds(o->a, secret, &o->tls);
	if (!rc) {
		o->tls.ns = o->ns;
		o->tls.name = o->spec.cert_secret_ref;
		rc = secret_require_tls(&o->tls);
	}
	return rc;
}

int ocirepo_auth(struct ocirepo *o, struct rt_result *res)
{
	int rc;
	if ((rc = read_keychain(o))) {
		const char *msg = arena_sprintf(o->a, "failed to get credential: %s", err_msg());
		ocirepo_mark_failed(o, COND_FETCH_FAILED, REASON_AUTH_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	if (o->spec.proxy_secret_ref &&
	    (rc = secret_proxy(o->r, o->a, o->ns, o->spec.proxy_secret_ref, "failed to get proxy address",
			       &o->proxy))) {
		const char *msg = arena_strdup(o->a, err_msg());
		ocirepo_mark_failed(o, COND_FETCH_FAILED, REASON_AUTH_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	if (strcmp(o->spec.provider, "generic") && !o->npull_secrets) {
		if (o->spec.service_account) {
			const char *msg = "to use spec.serviceAccountName for provider authentication please "
					  "enable the ObjectLevelWorkloadIdentity feature gate in the controller";
			rt_cond_mark_stalled(o->a, o->obj, REASON_FEATURE_GATE_DISABLED, "%s", msg);
			rt_cond_mark_false(o->a, o->obj, RT_COND_READY, REASON_FEATURE_GATE_DISABLED, "%s", msg);
			rt_eventf(o->r, "Warning", REASON_FEATURE_GATE_DISABLED, NULL, "%s", msg);
			res->outcome = RT_STALLED;
			return 1;
		}
		const char *msg = arena_sprintf(o->a, "failed to get credential from %s: the %s provider's "
						"workload identity is not supported by tide; use spec.secretRef",
						o->spec.provider, o->spec.provider);
		ocirepo_mark_failed(o, COND_FETCH_FAILED, REASON_AUTH_FAILED, msg);
		return err_set(ERR_UNSUPPORTED, "%s", msg);
	}
	if (o->spec.cert_secret_ref && (rc = read_tls(o))) {
		const char *msg = arena_sprintf(o->a, "failed to generate transport for '%s': %s",
						o->spec.url ? o->spec.url : "", err_msg());
		ocirepo_mark_failed(o, COND_FETCH_FAILED, REASON_AUTH_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	return 0;
}

/* The credentials of the first pull secret with an entry for the repository. */
static int lookup_creds(struct ocirepo *o)
{
	for (size_t i = 0; i < o->npull_secrets; i++) {
		const struct ocirepo_pull_secret *p = &o->pull_secrets[i];
		int rc = oci_dockerconfig_lookup(&o->creds, p->json.ptr, p->json.len, p->format,
						 o->url.host, o->url.repo);
		if (rc != ERR_NOTFOUND)
			return rc;
		err_clear();
	}
	return 0;
}

static const char *value(const struct secret_value *v)
{
	return v->ptr && v->len ? v->ptr : NULL;
}

int ocirepo_client(struct ocirepo *o)
{
	int rc = lookup_creds(o);
	if (rc) {
		const char *msg = arena_sprintf(o->a, "failed to get credential: %s", err_msg());
		ocirepo_mark_failed(o, COND_FETCH_FAILED, REASON_AUTH_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	struct oci_client_opts opts = {
		.insecure = o->spec.insecure,
		.net = {
			.ca_pem = value(&o->tls.ca),
			.ca_pem_len = o->tls.ca.len,
			.cert_pem = value(&o->tls.cert),
			.cert_pem_len = o->tls.cert.len,
			.key_pem = value(&o->tls.key),
			.key_pem_len = o->tls.key.len,
			.proxy_url = value(&o->proxy.address),
			.proxy_username = value(&o->proxy.username),
			.proxy_password = value(&o->proxy.password),
			.connect_timeout_ms = 30000,
		},
		.username = o->creds.username,
		.password = o->creds.password,
		.registry_token = o->creds.registry_token,
	};
	/* Flux: insecure without a certSecretRef skips verification; with one it only allows
	 * plain HTTP */
	if (o->spec.insecure && !o->spec.cert_secret_ref)
		opts.net.insecure = true;
	rc = oci_client_new(&o->client, o->url.host, &opts);
	if (rc) {
		const char *msg = arena_sprintf(o->a, "failed to generate transport for '%s': %s",
						o->spec.url, err_msg());
		ocirepo_mark_failed(o, COND_FETCH_FAILED, REASON_AUTH_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	oci_client_set_deadline(o->client, o->deadline_ms);
	return 0;
}
