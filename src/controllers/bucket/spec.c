/*
 * The typed Bucket (see bucket.h): the only file that reads the object's spec by path.
 * Decoded once, at the start of a reconcile, with the defaults of Flux's api/v1 BucketSpec
 * (provider generic, timeout 60s); the failures are summarised and what a reconcile holds
 * (credentials, client, index, scratch directory) released here.
 */
#include <stdlib.h>
#include <string.h>

#include "controllers/bucket/bucket.h"
#include "controllers/common/fields.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/banned.h"

void bucket_spec_decode(struct bucket *b)
{
	const struct doc_node *obj = b->obj;
	struct bucket_spec *s = &b->spec;
	memset(s, 0, sizeof(*s));
	s->provider = field_str(obj, "spec.provider");
	if (!s->provider)
		s->provider = "generic";
	s->bucket_name = field_str(obj, "spec.bucketName");
	s->endpoint = field_str(obj, "spec.endpoint");
	s->region = field_str(obj, "spec.region");
	s->prefix = field_str(obj, "spec.prefix");
	s->insecure = field_bool(obj, "spec.insecure");
	s->secret_ref = field_local_ref(obj, "spec.secretRef");
	s->cert_secret_ref = field_local_ref(obj, "spec.certSecretRef");
	s->proxy_secret_ref = field_local_ref(obj, "spec.proxySecretRef");
	s->service_account = field_str(obj, "spec.serviceAccountName");
	const struct doc_node *sts = doc_get(obj, "spec.sts");
	s->sts = sts && sts->kind == DOC_MAP;
	s->interval_ms = field_duration_ms(obj, "spec.interval", 0);
	s->timeout_ms = field_duration_ms(obj, "spec.timeout", BUCKET_DEFAULT_TIMEOUT_MS);
	s->ignore = doc_get(obj, "spec.ignore");
	if (s->ignore && s->ignore->kind == DOC_NULL)
		s->ignore = NULL;
}

static void wipe(struct secret_value *v)
{
	if (v->ptr)
		explicit_bzero(v->ptr, v->len);
	*v = (struct secret_value){ 0 };
}

void bucket_release(struct bucket *b)
{
	wipe(&b->access_key);
	wipe(&b->secret_key);
	secret_creds_wipe(&b->tls);
	secret_proxy_wipe(&b->proxy);
	s3_client_free(b->client);
	b->client = NULL;
	bucket_index_release(&b->index);
	if (b->dir) {
		fs_rm_rf(b->dir);
		free(b->dir);
		b->dir = NULL;
	}
}

void bucket_mark_failed(struct bucket *b, const char *cond, const char *reason, const char *msg)
{
	rt_cond_mark_true(b->a, b->obj, cond, reason, "%s", msg);
	rt_cond_mark_false(b->a, b->obj, RT_COND_READY, reason, "%s", msg);
	rt_eventf(b->r, "Warning", reason, NULL, "%s", msg);
}

bool bucket_has_revision(const struct bucket *b, const char *revision)
{
	const char *cur = doc_get_str(b->obj, "status.artifact.revision");
	return cur && revision && !strcmp(cur, revision);
}
