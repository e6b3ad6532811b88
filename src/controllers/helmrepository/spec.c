/*
 * The typed HelmRepository (see helmrepository.h): the only file that reads the object's
 * spec by path, with the defaults of Flux's api/v1 HelmRepositorySpec (type default,
 * timeout 60s); failures summarised as Flux's summarize helper does.
 */
#include <string.h>

#include "controllers/common/fields.h"
#include "controllers/helmrepository/helmrepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/banned.h"

void helmrepo_spec_decode(struct helmrepo *h)
{
	const struct doc_node *o = h->obj;
	struct helmrepo_spec *s = &h->spec;
	memset(s, 0, sizeof(*s));
	s->url = doc_get_str(o, "spec.url");
	s->type = field_str(o, "spec.type");
	if (!s->type)
		s->type = "default";
	s->secret_ref = field_local_ref(o, "spec.secretRef");
	s->cert_secret_ref = field_local_ref(o, "spec.certSecretRef");
	s->pass_credentials = field_bool(o, "spec.passCredentials");
	s->timeout_ms = field_duration_ms(o, "spec.timeout", HELMREPO_DEFAULT_TIMEOUT_MS);
}

void helmrepo_release(struct helmrepo *h)
{
	secret_creds_wipe(&h->auth);
	secret_creds_wipe(&h->tls);
	buf_release(&h->index);
}

void helmrepo_mark_failed(struct helmrepo *h, const char *cond, const char *reason, const char *msg)
{
	rt_cond_mark_true(h->a, h->obj, cond, reason, "%s", msg);
	rt_cond_mark_false(h->a, h->obj, RT_COND_READY, reason, "%s", msg);
	rt_eventf(h->r, "Warning", reason, NULL, "%s", msg);
}
