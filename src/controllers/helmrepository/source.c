/*
 * The HelmRepository's source, as Flux's reconcileSource: an oci:// URL on a default-type
 * repository and a URL that is not http(s) are refused (Stalled URLInvalid); the
 * credentials are read (secretRef: basic auth `username`/`password`, and TLS keys there as
 * Flux's deprecated fallback; certSecretRef: `ca.crt`, `tls.crt`, `tls.key`); index.yaml is
 * downloaded under spec.timeout, at most --helm-index-max-size bytes, redirects followed
 * with the credentials kept to the repository's host unless spec.passCredentials. The
 * revision is the sha256 of the bytes downloaded (Flux's ChartRepository.Digest), so an
 * unchanged index stops here with the stored artifact; a changed one must read as a Helm
 * index (JSON or YAML, not empty, an apiVersion, entries a mapping of lists) before it is
 * stored.
 */
#include <stdio.h>
#include <string.h>

#include "controllers/helmrepository/helmrepository.h"
#include "doc/doc.h"
#include "helm/repoindex.h"
#include "net/http.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/log.h"
#include "util/sha256.h"
#include "util/banned.h"

static int stalled_url(struct helmrepo *h, struct rt_result *res, const char *why)
{
	const char *msg = arena_sprintf(h->a, "invalid Helm repository URL: %s", why);
	helmrepo_mark_failed(h, COND_FETCH_FAILED, REASON_URL_INVALID, msg);
	rt_cond_mark_stalled(h->a, h->obj, REASON_URL_INVALID, "%s", msg);
	res->outcome = RT_STALLED;
	return 1;
}

static const char *value(const struct secret_value *v)
{
	return v->ptr && v->len ? v->ptr : NULL;
}

static int read_secrets(struct helmrepo *h)
{
	struct doc_node *secret = NULL;
	int rc;
	if (h->spec.cert_secret_ref) {
		if ((rc = secret_fetch(h->r, h->ns, h->spec.cert_secret_ref, &secret)))
			return err_set(rc, "failed to get TLS authentication secret '%s/%s': %s", h->ns,
				       h->spec.cert_secret_ref, err_msg());
		h->tls.ns = h->ns;
		h->tls.name = h->spec.cert_secret_ref;
		if ((rc = secret_creds(h->a, secret, &h->tls)) || (rc = secret_require_tls(&h->tls)))
			return err_set(rc, "failed to construct Helm client's TLS config: %s", err_msg());
	}
	if (h->spec.secret_ref) {
		if ((rc = secret_fetch(h->r, h->ns, h->spec.secret_ref, &secret)))
			return err_set(rc, "failed to get authentication secret '%s/%s': %s", h->ns,
				       h->spec.secret_ref, err_msg());
		h->auth.ns = h->ns;
		h->auth.name = h->spec.secret_ref;
		if ((rc = secret_creds(h->a, secret, &h->auth)))
			return err_set(rc, "failed to detect authentication methods: %s", err_msg());
		if ((h->auth.username.ptr != NULL) != (h->auth.password.ptr != NULL) &&
		    (rc = secret_require_basic_auth(&h->auth)))
			return err_set(rc, "failed to detect authentication methods: %s", err_msg());
		/* TLS keys in secretRef: Flux's deprecated fallback when certSecretRef is unset */
		if (!h->spec.cert_secret_ref && (h->auth.ca.ptr || h->auth.cert.ptr)) {
			rt_log(h->r, LOG_INFO, "warning: specifying TLS authentication data via `.spec.secretRef` "
			       "is deprecated, please use `.spec.certSecretRef` instead", NULL);
			h->tls.ca = h->auth.ca;
			h->tls.cert = h->auth.cert;
			h->tls.key = h->auth.key;
		}
	}
	return 0;
}

/* Flux's IndexFromBytes checks (helm/repoindex.h). */
static int check_index(struct helmrepo *h)
{
	const struct doc_node *idx = NULL;
	return helm_index_parse(h->a, h->index.ptr, h->index.len, (size_t)helmrepo_index_max_size, &idx);
}

int helmrepo_source(struct helmrepo *h, struct rt_result *res)
{
	const char *url = h->spec.url ? h->spec.url : "";
	if (!strncmp(url, "oci://", 6))
		return stalled_url(h, res, "'oci' URL scheme cannot be used with 'default' HelmRepository type");
	if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
		return stalled_url(h, res, arena_sprintf(h->a, "scheme \"%.*s\" not supported",
							 (int)strcspn(url, ":"), url));
	size_t n = strlen(url);
	while (n && url[n - 1] == '/')
		n--;
	h->index_url = arena_sprintf(h->a, "%.*s/index.yaml", (int)n, url);

	int rc = read_secrets(h);
	if (rc) {
		const char *msg = arena_strdup(h->a, err_msg());
		helmrepo_mark_failed(h, COND_FETCH_FAILED, REASON_AUTH_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	struct net_opts o = {
		.ca_pem = value(&h->tls.ca),
		.ca_pem_len = h->tls.ca.len,
		.cert_pem = value(&h->tls.cert),
		.cert_pem_len = h->tls.cert.len,
		.key_pem = value(&h->tls.key),
		.key_pem_len = h->tls.key.len,
		.connect_timeout_ms = 30000,
		.timeout_ms = h->spec.timeout_ms > 0 ? h->spec.timeout_ms : HELMREPO_DEFAULT_TIMEOUT_MS,
	};
	struct net_get_opts g = {
		.username = value(&h->auth.username),
		.password = value(&h->auth.password),
		.follow_redirects = true,
		.pass_credentials = h->spec.pass_credentials,
	};
	struct net_get_result got;
	size_t max = (size_t)helmrepo_index_max_size;
	rc = net_get_with(&h->index, h->index_url, &o, max, &g, &got);
	if (rc == ERR_TOOBIG)
		rc = err_set(ERR_TOOBIG, "index exceeds the maximum index file size of %zu bytes", max);
	else if (rc)
		rc = err_set(rc, "looks like \"%s\" is not a valid chart repository or cannot be reached: %s",
			     url, got.detail);
	else if (got.status != 200)
		rc = err_set(got.status == 401 || got.status == 403 ? ERR_AUTH : ERR_UNAVAIL,
			     "failed to fetch %s : %ld %s", h->index_url, got.status,
			     got.status == 404 ? "Not Found" : got.status == 401 ? "Unauthorized"
			     : got.status == 403 ? "Forbidden" : "error");
	if (rc) {
		const char *msg = arena_sprintf(h->a, "failed to fetch Helm repository index: %s", err_msg());
		helmrepo_mark_failed(h, COND_FETCH_FAILED, RT_REASON_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	unsigned char d[32];
	sha256(h->index.ptr, h->index.len, d);
	char hex[65];
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	h->revision = arena_sprintf(h->a, "sha256:%s", hex);

	const char *cur = doc_get_str(h->obj, "status.artifact.revision");
	if (cur && !strcmp(cur, h->revision)) {
		rt_cond_delete(h->obj, COND_FETCH_FAILED);
		return 0;
	}
	if ((rc = check_index(h))) {
		const char *msg = arena_sprintf(h->a, "failed to load Helm repository from index YAML: %s",
						err_msg());
		helmrepo_mark_failed(h, COND_FETCH_FAILED, REASON_INDEXATION_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	rt_cond_delete(h->obj, COND_FETCH_FAILED);
	const char *message = arena_sprintf(h->a, "new index revision '%s'", h->revision);
	if (doc_get(h->obj, "status.artifact"))
		rt_cond_mark_true(h->a, h->obj, COND_ARTIFACT_OUTDATED, "NewRevision", "%s", message);
	rt_cond_mark_reconciling(h->a, h->obj, RT_REASON_PROGRESSING, "building artifact: %s", message);
	if (!rt_cond_get(h->obj, RT_COND_READY, &(struct rt_condition){ 0 }))
		rt_cond_mark_unknown(h->a, h->obj, RT_COND_READY, RT_REASON_PROGRESSING,
				     "building artifact: %s", message);
	rt_write_status(h->r);
	err_clear();
	return 0;
}
