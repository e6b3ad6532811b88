/*
 * GitRepository credentials: spec.secretRef (basic auth, bearer token, SSH identity and
 * known_hosts, a CA for HTTPS) and spec.proxySecretRef (an HTTP proxy's address and
 * credentials), read through controllers/common/secret into the Git layer's struct
 * gitsrc_auth. Every key is optional here, as Flux's Git auth options read them; the
 * decoded values stay in the reconcile's arena until gitrepo_release wipes them.
 */
#include <string.h>

#include "controllers/gitrepository/gitrepository.h"
#include "util/error.h"
#include "util/banned.h"

#define AUTH_CONTEXT "failed to configure authentication options"
#define PROXY_CONTEXT "failed to configure proxy options"

static const char *value(const struct secret_value *v)
{
	return v->ptr && v->len ? v->ptr : NULL;
}

static int read_auth(struct gitrepo *g)
{
	struct doc_node *secret = NULL;
	int rc = secret_fetch(g->r, g->ns, g->spec.secret_ref, &secret);
	if (rc)
		return rc;
	if ((rc = secret_creds(g->a, secret, &g->creds)))
		return err_set(rc, AUTH_CONTEXT ": secret '%s/%s': %s", g->ns, g->spec.secret_ref,
			       err_msg());
	const struct secret_creds *c = &g->creds;
	g->auth.username = value(&c->username);
	/* SSH: `password` doubles as the identity's passphrase, as in Flux */
	g->auth.password = value(&c->password);
	g->auth.bearer_token = value(&c->bearer_token);
	g->auth.identity = value(&c->identity);
	g->auth.known_hosts = value(&c->known_hosts);
	g->auth.ca = value(&c->ca); /* ca.crt, or the legacy caFile */
	g->auth.ca_len = g->auth.ca ? c->ca.len : 0;
	return 0;
}

/* spec.proxySecretRef (controllers/common/secret.h); libgit2 has no SOCKS5, and the shared
 * reader accepts http and https proxies only. */
static int read_proxy(struct gitrepo *g)
{
	int rc = secret_proxy(g->r, g->a, g->ns, g->spec.proxy_secret_ref, PROXY_CONTEXT, &g->proxy);
	if (rc)
		return rc;
	g->auth.proxy_url = g->proxy.address.ptr;
	g->auth.proxy_username = value(&g->proxy.username);
	g->auth.proxy_password = value(&g->proxy.password);
	return 0;
}

int gitrepo_auth(struct gitrepo *g)
{
	memset(&g->auth, 0, sizeof(g->auth));
	int rc = 0;
	if (g->spec.secret_ref)
		rc = read_auth(g);
	if (!rc && g->spec.proxy_secret_ref)
		rc = read_proxy(g);
	if (rc)
		gitrepo_mark_failed(g, COND_FETCH_FAILED, REASON_AUTH_FAILED, err_msg());
	return rc;
}
