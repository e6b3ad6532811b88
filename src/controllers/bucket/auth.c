/*
 * Bucket credentials and the S3 client, in Flux's order (reconcileSource: the feature gate
 * of serviceAccountName, setupCredentials: secretRef, proxySecretRef, certSecretRef; then
 * createBucketProvider): the static keys `accesskey` and `secretkey` of spec.secretRef
 * (minio.ValidateSecret's check and message), the proxy, the TLS material, and the client
 * made from them with minio-go's addressing (virtual-hosted for Amazon, Google and Aliyun
 * endpoints, path style for every other server).
 *
 * What tide has no client for is refused with a message saying so (docs/differences.md):
 * the gcp and azure providers (their own APIs, not S3), the aws provider without a
 * secretRef (it would take the pod's cloud identity), and spec.sts (temporary credentials
 * from an STS endpoint).
 */
#include <string.h>

#include "controllers/bucket/bucket.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

static int stall(struct bucket *b, struct rt_result *res, const char *reason, const char *msg)
{
	rt_cond_mark_stalled(b->a, b->obj, reason, "%s", msg);
	bucket_mark_failed(b, COND_FETCH_FAILED, reason, msg);
	res->outcome = RT_STALLED;
	return 1;
}

static int auth_failed(struct bucket *b, int rc, const char *msg)
{
	bucket_mark_failed(b, COND_FETCH_FAILED, REASON_AUTH_FAILED, msg);
	return err_set(rc ? rc : ERR_AUTH, "%s", msg);
}

/* minio.ValidateSecret: both keys present (either may be empty: then anonymous). */
static int read_keys(struct bucket *b)
{
	struct doc_node *secret = NULL;
	int rc = secret_fetch(b->r, b->ns, b->spec.secret_ref, &secret);
	if (rc)
		return rc;
	int ra = secret_data(b->a, secret, "accesskey", &b->access_key.ptr, &b->access_key.len);
	int rs = ra && ra != ERR_NOTFOUND ? ra
		 : secret_data(b->a, secret, "secretkey", &b->secret_key.ptr, &b->secret_key.len);
	if (ra == ERR_NOTFOUND || rs == ERR_NOTFOUND)
		return err_set(ERR_INVALID, "invalid '%s' secret data: required fields 'accesskey' and "
			       "'secretkey'", b->spec.secret_ref);
	if (ra || rs)
		return err_set(ra ? ra : rs, "secret '%s/%s': %s", b->ns, b->spec.secret_ref, err_msg());
	return 0;
}

static int read_tls(struct bucket *b)
{
	struct doc_node *secret = NULL;
	int rc = secret_fetch(b->r, b->ns, b->spec.cert_secret_ref, &secret);
	if (!rc)
		rc = secret_creds(b->a, secret, &b->tls);
	if (!rc) {
		b->tls.ns = b->ns;
		b->tls.name = b->spec.cert_secret_ref;
		rc = secret_require_tls(&b->tls);
	}
	return rc;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);
	return n >= m && !memcmp(s + n - m, suffix, m);
}

/* minio-go's BucketLookupAuto (s3utils.IsVirtualHostSupported): virtual-hosted for the
 * endpoints of Amazon, Google and Aliyun, unless the bucket has a dot over https (its name
 * would not match the wildcard certificate). */
static enum s3_addressing addressing(const struct bucket *b)
{
	const char *e = b->spec.endpoint ? b->spec.endpoint : "";
	size_t n = *e == '[' ? 0 : strcspn(e, ":");
	bool cloud = ends_with(e, n, ".amazonaws.com") || ends_with(e, n, ".amazonaws.com.cn") ||
		     (n == 22 && !memcmp(e, "storage.googleapis.com", 22)) ||
		     ends_with(e, n, ".aliyuncs.com");
	if (!cloud || (!b->spec.insecure && strchr(b->spec.bucket_name, '.')))
		return S3_PATH_STYLE;
	return S3_VIRTUAL_HOST;
}

static const char *value(const struct secret_value *v)
{
	return v->ptr && v->len ? v->ptr : NULL;
}

static int make_client(struct bucket *b)
{
	struct s3_config *c = &b->cfg;
	*c = (struct s3_config)S3_CONFIG_INIT;
	c->endpoint = b->spec.endpoint;
	c->bucket = b->spec.bucket_name;
	c->region = b->spec.region;
	c->addressing = addressing(b);
	c->insecure = b->spec.insecure;
	/* minio's newCredsFromSecret: anonymous unless both keys have a value */
	if (value(&b->access_key) && value(&b->secret_key)) {
		c->access_key = b->access_key.ptr;
		c->secret_key = b->secret_key.ptr;
	}
	/* Flux sets the TLS configuration on https only */
	if (!b->spec.insecure) {
		c->net.ca_pem = value(&b->tls.ca);
		c->net.ca_pem_len = b->tls.ca.len;
		c->net.cert_pem = value(&b->tls.cert);
		c->net.cert_pem_len = b->tls.cert.len;
		c->net.key_pem = value(&b->tls.key);
		c->net.key_pem_len = b->tls.key.len;
	}
	c->net.proxy_url = value(&b->proxy.address);
	c->net.proxy_username = value(&b->proxy.username);
	c->net.proxy_password = value(&b->proxy.password);
	c->net.connect_timeout_ms = 30000;
	c->net.timeout_ms = b->spec.timeout_ms > 0 ? b->spec.timeout_ms : BUCKET_DEFAULT_TIMEOUT_MS;
	c->lim = (struct s3_limits){
		.max_objects = BUCKET_MAX_OBJECTS,
		.max_key_len = BUCKET_MAX_KEY_LEN,
		.max_object_bytes = BUCKET_MAX_OBJECT_BYTES,
	};
	return s3_client_new(&b->client, c);
}

int bucket_auth(struct bucket *b, struct rt_result *res)
{
	const struct bucket_spec *s = &b->spec;
	bool generic = !strcmp(s->provider, "generic");
	int rc = 0;
	if (!generic && s->service_account)
		return stall(b, res, REASON_FEATURE_GATE_DISABLED,
			     "to use spec.serviceAccountName for provider authentication please enable the "
			     "ObjectLevelWorkloadIdentity feature gate in the controller");
	if (s->secret_ref && (rc = read_keys(b)) && rc != ERR_INVALID)
		return auth_failed(b, rc, arena_strdup(b->a, err_msg()));
	bool keys_invalid = s->secret_ref && rc == ERR_INVALID;
	const char *keys_msg = keys_invalid ? arena_strdup(b->a, err_msg()) : NULL;
	if (s->proxy_secret_ref &&
	    (rc = secret_proxy(b->r, b->a, b->ns, s->proxy_secret_ref, "failed to get proxy URL",
			       &b->proxy)))
		return auth_failed(b, rc, arena_strdup(b->a, err_msg()));
	if (s->cert_secret_ref && (rc = read_tls(b)))
		return auth_failed(b, rc, arena_sprintf(b->a, "failed to get TLS config: %s", err_msg()));

	if (!strcmp(s->provider, "gcp") || !strcmp(s->provider, "azure"))
		return stall(b, res, REASON_UNSUPPORTED_PROVIDER,
			     arena_sprintf(b->a, "provider '%s' is not supported by tide: it speaks %s's own "
					   "storage API, not S3; use provider 'generic' with an S3-compatible "
					   "endpoint", s->provider,
					   !strcmp(s->provider, "gcp") ? "Google Cloud Storage" : "Azure Blob"));
	if (strcmp(s->provider, "generic") && strcmp(s->provider, "aws"))
		return stall(b, res, REASON_UNSUPPORTED_PROVIDER,
			     arena_sprintf(b->a, "unsupported provider '%s': one of generic, aws, gcp, azure",
					   s->provider));
	if (keys_invalid)
		return auth_failed(b, ERR_INVALID, keys_msg);
	if (s->sts)
		return stall(b, res, REASON_INVALID_STS,
			     "spec.sts is not supported by tide: give static credentials in spec.secretRef");
	if (!generic && !s->secret_ref)
		return auth_failed(b, ERR_UNSUPPORTED,
				   "AWS authentication failed: the aws provider's workload identity is not "
				   "supported by tide; use spec.secretRef with 'accesskey' and 'secretkey'");
	if ((rc = make_client(b)))
		return auth_failed(b, rc, arena_strdup(b->a, err_msg()));
	return 0;
}
