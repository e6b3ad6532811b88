/* Secrets read for controllers: one key decoded, the Secret fetched, every source kind's
 * credentials and Flux's checks on them (see secret.h). */
#include "controllers/common/secret.h"

#include <string.h>

#include "doc/doc.h"
#include "runtime/controller.h"
#include "source/cosign.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

int secret_data(struct arena *a, const struct doc_node *secret, const char *key, char **out,
		size_t *len)
{
	const struct doc_node *v = doc_map_get(doc_map_get(secret, "data"), key);
	if (!v || v->kind != DOC_STR)
		return ERR_NOTFOUND;
	struct buf b = BUF_INIT;
	int rc = 0;
	if (base64_decode(&b, v->u.str.ptr, v->u.str.len) || b.err) {
		rc = err_set(ERR_INVALID, "invalid base64 in key '%s'", key);
	} else {
		char *copy = arena_alloc(a, b.len + 1);
		if (b.len)
			memcpy(copy, b.ptr, b.len);
		copy[b.len] = '\0';
		*out = copy;
		if (len)
			*len = b.len;
	}
	if (b.ptr)
		explicit_bzero(b.ptr, b.len);
	buf_release(&b);
	return rc;
}

int secret_fetch(struct rt_reconcile *r, const char *ns, const char *name,
		 struct doc_node **out)
{
	int rc = rt_get(r, "v1", "Secret", ns, name, out);
	if (rc == ERR_NOTFOUND)
		return err_set(ERR_NOTFOUND, "failed to get secret '%s/%s': secrets \"%s\" not found",
			       ns, name, name);
	if (rc)
		return err_set(rc, "failed to get secret '%s/%s': %s", ns, name, err_msg());
	return 0;
}

/* key, or when absent its legacy name (NULL for none), into *v. */
static int read_value(struct arena *a, const struct doc_node *secret, const char *key,
		      const char *legacy, struct secret_value *v)
{
	int rc = secret_data(a, secret, key, &v->ptr, &v->len);
	if (rc == ERR_NOTFOUND && legacy)
		rc = secret_data(a, secret, legacy, &v->ptr, &v->len);
	if (rc == ERR_NOTFOUND) {
		v->ptr = NULL;
		v->len = 0;
		return 0;
	}
	return rc;
}

int secret_creds(struct arena *a, const struct doc_node *secret, struct secret_creds *out)
{
	memset(out, 0, sizeof(*out));
	out->ns = doc_get_str(secret, "metadata.namespace");
	out->name = doc_get_str(secret, "metadata.name");
	const struct {
		const char *key, *legacy;
		struct secret_value *v;
	} keys[] = {
		{ "username", NULL, &out->username },
		{ "password", NULL, &out->password },
		{ "bearerToken", NULL, &out->bearer_token },
		{ "ca.crt", "caFile", &out->ca },
		{ "tls.crt", "certFile", &out->cert },
		{ "tls.key", "keyFile", &out->key },
		{ "identity", NULL, &out->identity },
		{ "identity.pub", NULL, &out->identity_pub },
		{ "known_hosts", NULL, &out->known_hosts },
		{ ".dockerconfigjson", NULL, &out->docker_config },
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		int rc = read_value(a, secret, keys[i].key, keys[i].legacy, keys[i].v);
		if (rc)
			return rc;
	}
	return 0;
}

void secret_creds_wipe(struct secret_creds *c)
{
	struct secret_value *all[] = { &c->username, &c->password,     &c->bearer_token,
				       &c->ca,	     &c->cert,	       &c->key,
				       &c->identity, &c->identity_pub, &c->known_hosts,
				       &c->docker_config };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i]->ptr)
			explicit_bzero(all[i]->ptr, all[i]->len);
}

static const char *ns_of(const struct secret_creds *c)
{
	return c->ns ? c->ns : "";
}

static const char *name_of(const struct secret_creds *c)
{
	return c->name ? c->name : "";
}

static int key_not_found(const struct secret_creds *c, const char *key)
{
	return err_set(ERR_NOTFOUND, "secret '%s/%s': key '%s' not found", ns_of(c), name_of(c), key);
}

int secret_require_basic_auth(const struct secret_creds *c)
{
	if (!c->username.ptr && !c->password.ptr)
		return key_not_found(c, "username");
	if (!c->username.ptr || !c->password.ptr)
		return err_set(ERR_INVALID, "secret '%s/%s': malformed basic auth - has '%s' but missing '%s'",
			       ns_of(c), name_of(c), c->username.ptr ? "username" : "password",
			       c->username.ptr ? "password" : "username");
	return 0;
}

int secret_require_bearer_token(const struct secret_creds *c)
{
	return c->bearer_token.ptr ? 0 : key_not_found(c, "bearerToken");
}

int secret_require_tls(const struct secret_creds *c)
{
	if (c->cert.ptr && !c->key.ptr)
		return err_set(ERR_INVALID, "secret '%s/%s' contains 'tls.crt' but missing 'tls.key'",
			       ns_of(c), name_of(c));
	if (c->key.ptr && !c->cert.ptr)
		return err_set(ERR_INVALID, "secret '%s/%s' contains 'tls.key' but missing 'tls.crt'",
			       ns_of(c), name_of(c));
	if (!c->ca.ptr && !c->cert.ptr)
		return err_set(ERR_INVALID, "secret '%s/%s' must contain either 'ca.crt' or both "
			       "'tls.crt' and 'tls.key'", ns_of(c), name_of(c));
	return 0;
}

int secret_require_ssh(const struct secret_creds *c)
{
	if (!c->identity.ptr)
		return key_not_found(c, "identity");
	if (!c->known_hosts.ptr)
		return key_not_found(c, "known_hosts");
	return 0;
}

int secret_require_docker_config(const struct secret_creds *c)
{
	return c->docker_config.ptr ? 0 : key_not_found(c, ".dockerconfigjson");
}

int secret_proxy(struct rt_reconcile *r, struct arena *a, const char *ns, const char *name,
		 const char *context, struct secret_proxy *out)
{
	memset(out, 0, sizeof(*out));
	struct doc_node *secret = NULL;
	int rc = secret_fetch(r, ns, name, &secret);
	if (rc)
		return err_set(rc, "%s: %s", context, err_msg());
	rc = secret_data(a, secret, "address", &out->address.ptr, &out->address.len);
	if (rc == ERR_NOTFOUND)
		return err_set(ERR_INVALID, "%s: secret '%s/%s': key 'address' not found", context, ns,
			       name);
	if (!rc && (rc = secret_data(a, secret, "username", &out->username.ptr,
				     &out->username.len)) == ERR_NOTFOUND)
		rc = 0;
	if (!rc && (rc = secret_data(a, secret, "password", &out->password.ptr,
				     &out->password.len)) == ERR_NOTFOUND)
		rc = 0;
	if (rc)
		return err_set(rc, "%s: secret '%s/%s': %s", context, ns, name, err_msg());
	const char *addr = out->address.ptr;
	if (!out->address.len)
		return err_set(ERR_INVALID, "%s: secret '%s/%s': proxy address is empty", context, ns,
			       name);
	if (strncmp(addr, "http://", 7) && strncmp(addr, "https://", 8))
		return err_set(ERR_INVALID, "%s: secret '%s/%s': proxy URL must use one of the "
			       "supported schemes (http, https), got '%.*s'", context, ns, name,
			       (int)strcspn(addr, ":"), addr);
	return 0;
}

static void wipe_value(struct secret_value *v)
{
	if (v->ptr)
		explicit_bzero(v->ptr, v->len);
	*v = (struct secret_value){ 0 };
}

void secret_proxy_wipe(struct secret_proxy *p)
{
	wipe_value(&p->address);
	wipe_value(&p->username);
	wipe_value(&p->password);
}

void secret_cosign_keys(struct arena *a, const struct doc_node *secret, struct cosign_key *keys,
			size_t max, size_t *n)
{
	*n = 0;
	const struct doc_node *data = doc_map_get(secret, "data");
	for (size_t i = 0; data && data->kind == DOC_MAP && i < data->u.map.len && *n < max; i++) {
		const char *key = data->u.map.items[i].key;
		size_t kl = strlen(key);
		if (kl < 4 || strcmp(key + kl - 4, ".pub"))
			continue;
		char *pem = NULL;
		size_t len = 0;
		if (secret_data(a, secret, key, &pem, &len))
			continue;
		keys[(*n)++] = (struct cosign_key){ key, pem, len };
	}
	err_clear();
}
