/* Impersonating and remote clients (see client.h). */
#include "controllers/common/client.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "controllers/common/secret.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/config.h"
#include "runtime/controller.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

struct ctl_kubeconfig_opts ctl_kubeconfig_opts = { .insecure_exec = false, .insecure_tls = false };

static bool set(const char *s)
{
	return s && *s;
}

const char *ctl_service_account(const struct ctl_client_spec *spec, const char *default_sa)
{
	const char *sa = spec->service_account_name;
	if (!set(sa) && !set(spec->kubeconfig_secret))
		sa = default_sa;
	return set(sa) ? sa : NULL;
}

void ctl_client_release(struct ctl_client *c)
{
	kube_client_free(c->imp);
	kube_client_free(c->remote);
	*c = (struct ctl_client){ 0 };
}

/* The kubeconfig of the Secret, in a (*out, *len). */
static int remote_kubeconfig(struct rt_reconcile *r, const char *secret, const char *key,
			     char **out, size_t *len)
{
	struct arena *a = rt_arena(r);
	const char *ns = rt_namespace(r);
	struct doc_node *s = NULL;
	int rc = rt_get(r, "v1", "Secret", ns, secret, &s);
	if (rc)
		return err_set(rc, "unable to read KubeConfig secret '%s/%s' error: %s", ns, secret, err_msg());
	if (set(key)) {
		rc = secret_data(a, s, key, out, len);
		if (rc == ERR_NOTFOUND)
			return err_set(ERR_NOTFOUND, "KubeConfig secret '%s/%s' does not contain a '%s' key with a kubeconfig",
				       ns, secret, key);
	} else {
		rc = secret_data(a, s, "value", out, len);
		if (rc == ERR_NOTFOUND)
			rc = secret_data(a, s, "value.yaml", out, len);
		if (rc == ERR_NOTFOUND)
			return err_set(ERR_NOTFOUND,
				       "KubeConfig secret '%s/%s' does not contain a 'value' nor 'value.yaml' key with a kubeconfig",
				       ns, secret);
	}
	if (rc)
		return err_set(rc, "KubeConfig secret '%s/%s': invalid base64", ns, secret);
	return 0;
}

int ctl_client_for(struct ctl_client *out, struct rt_reconcile *r, const struct ctl_client_spec *spec,
		   const char *default_sa)
{
	struct arena *a = rt_arena(r);
	const char *ns = rt_namespace(r);
	const char *sa = ctl_service_account(spec, default_sa);
	*out = (struct ctl_client){ .use = rt_client(r) };
	if (set(spec->kubeconfig_secret)) {
		char *data = NULL;
		size_t len = 0;
		int rc = remote_kubeconfig(r, spec->kubeconfig_secret, spec->kubeconfig_key, &data, &len);
		if (rc)
			return rc;
		struct kube_config *cfg = NULL;
		/* The loader quotes the name in its messages ("'KubeConfig secret ns/name': user ..."). */
		const char *cname = arena_sprintf(a, "KubeConfig secret %s/%s", ns, spec->kubeconfig_secret);
		struct kube_config_opts copts = { .flags = KUBE_CONFIG_UNTRUSTED };
		if (ctl_kubeconfig_opts.insecure_tls)
			copts.flags |= KUBE_CONFIG_INSECURE_TLS;
		if (ctl_kubeconfig_opts.insecure_exec)
			copts.flags |= KUBE_CONFIG_INSECURE_EXEC;
		/* No directory: a self-contained kubeconfig has no relative path to resolve. */
		rc = kube_config_parse(&cfg, cname, NULL, data, len, &copts);
		/* The credentials are not left in the arena for the rest of the reconcile. */
		memset(data, 0, len);
		if (!rc)
			rc = kube_client_new(&out->remote, cfg, NULL);
		kube_config_free(cfg);
		if (rc)
			return rc;
		out->use = out->remote;
	}
	if (!sa)
		return 0;
	char user[512];
	snprintf(user, sizeof(user), "system:serviceaccount:%s:%s", ns, sa);
	const char *const groups[] = { "system:serviceaccounts", arena_sprintf(a, "system:serviceaccounts:%s", ns),
				       NULL };
	int rc = kube_client_impersonate(&out->imp, out->use, user, groups);
	if (rc)
		return rc;
	out->use = out->imp;
	return 0;
}
