/*
 * The typed OCIRepository (see ocirepository.h): the only file that reads the object's spec
 * by path. Decoded once, at the start of a reconcile, with the defaults of Flux's api/v1
 * OCIRepositorySpec (tag latest, operation extract, provider generic, timeout 60s, verify
 * provider cosign); the content observations are compared and the failures summarised here.
 */
#include <stdlib.h>
#include <string.h>

#include "controllers/common/fields.h"
#include "controllers/ocirepository/ocirepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/banned.h"

void ocirepo_spec_decode(struct ocirepo *o)
{
	const struct doc_node *obj = o->obj;
	struct ocirepo_spec *s = &o->spec;
	memset(s, 0, sizeof(*s));
	s->url = doc_get_str(obj, "spec.url");
	s->tag = field_str(obj, "spec.ref.tag");
	s->semver = field_str(obj, "spec.ref.semver");
	s->semver_filter = field_str(obj, "spec.ref.semverFilter");
	s->digest = field_str(obj, "spec.ref.digest");
	s->layer_selector = doc_get(obj, "spec.layerSelector");
	s->media_type = field_str(obj, "spec.layerSelector.mediaType");
	s->operation = field_str(obj, "spec.layerSelector.operation");
	s->copy = s->operation && !strcmp(s->operation, "copy");
	s->provider = field_str(obj, "spec.provider");
	if (!s->provider)
		s->provider = "generic";
	s->secret_ref = field_local_ref(obj, "spec.secretRef");
	s->cert_secret_ref = field_local_ref(obj, "spec.certSecretRef");
	s->proxy_secret_ref = field_local_ref(obj, "spec.proxySecretRef");
	s->service_account = field_str(obj, "spec.serviceAccountName");
	if (doc_get(obj, "spec.verify")) {
		s->verify = true;
		s->verify_provider = field_str(obj, "spec.verify.provider");
		if (!s->verify_provider)
			s->verify_provider = "cosign";
		s->verify_secret_ref = field_local_ref(obj, "spec.verify.secretRef");
		const struct doc_node *ids = doc_get(obj, "spec.verify.matchOIDCIdentity");
		s->verify_oidc = ids && ids->kind == DOC_SEQ && ids->u.seq.len;
	}
	s->interval_ms = field_duration_ms(obj, "spec.interval", 0);
	s->timeout_ms = field_duration_ms(obj, "spec.timeout", OCIREPO_DEFAULT_TIMEOUT_MS);
	s->ignore = doc_get(obj, "spec.ignore");
	if (s->ignore && s->ignore->kind == DOC_NULL)
		s->ignore = NULL;
	s->insecure = field_bool(obj, "spec.insecure");
}

void ocirepo_release(struct ocirepo *o)
{
	for (size_t i = 0; i < o->npull_secrets; i++) {
		struct secret_value *v = &o->pull_secrets[i].json;
		if (v->ptr)
			explicit_bzero(v->ptr, v->len);
	}
	o->npull_secrets = 0;
	oci_creds_release(&o->creds);
	secret_creds_wipe(&o->tls);
	secret_proxy_wipe(&o->proxy);
	oci_client_free(o->client);
	o->client = NULL;
	if (o->dir) {
		fs_rm_rf(o->dir);
		free(o->dir);
		o->dir = NULL;
	}
}

void ocirepo_mark_failed(struct ocirepo *o, const char *cond, const char *reason, const char *msg)
{
	rt_cond_mark_true(o->a, o->obj, cond, reason, "%s", msg);
	rt_cond_mark_false(o->a, o->obj, RT_COND_READY, reason, "%s", msg);
	rt_eventf(o->r, "Warning", reason, NULL, "%s", msg);
}

/* The layer selector's two fields, "" when unset (Go compares the struct by value). */
static bool same_selector(const struct doc_node *x, const struct doc_node *y)
{
	if (!x || x->kind != DOC_MAP || !y || y->kind != DOC_MAP)
		return (!x || x->kind != DOC_MAP) == (!y || y->kind != DOC_MAP);
	static const char *const fields[] = { "mediaType", "operation" };
	for (size_t i = 0; i < 2; i++) {
		const char *a = doc_get_str(x, fields[i]), *b = doc_get_str(y, fields[i]);
		if (strcmp(a ? a : "", b ? b : ""))
			return false;
	}
	return true;
}

bool ocirepo_content_config_changed(const struct ocirepo *o)
{
	const struct doc_node *observed = doc_get(o->obj, "status.observedIgnore");
	if (observed && observed->kind == DOC_NULL)
		observed = NULL;
	bool same_ignore = (!o->spec.ignore && !observed) ||
			   (o->spec.ignore && observed && doc_equal(o->spec.ignore, observed));
	return !same_ignore ||
	       !same_selector(o->spec.layer_selector, doc_get(o->obj, "status.observedLayerSelector"));
}

bool ocirepo_has_revision(const struct ocirepo *o, const char *revision)
{
	const char *cur = doc_get_str(o->obj, "status.artifact.revision");
	return cur && revision && !strcmp(cur, revision);
}
