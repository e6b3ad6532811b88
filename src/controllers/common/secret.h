/*
 * Reading Secrets the way every controller needs them: one key of `data`, base64-decoded,
 * with the decoding buffer wiped so that no credential stays in freed memory; the Secret
 * itself fetched with Flux's "failed to get secret" message; and the credentials every source
 * kind takes from a secretRef (basic auth, bearer token, TLS, SSH, docker config), decoded at
 * once, with Flux's checks (fluxcd/pkg runtime/secrets) for the kinds that require a method.
 * Shared by every kind that takes a secretRef (auth, TLS, kubeconfigs, verification keys,
 * postBuild substitutions).
 *
 * Decoded values live in the reconcile's arena, which is not cleared when it is freed: whoever
 * reads credentials wipes them (secret_creds_wipe) as soon as they are handed over.
 */
#ifndef TIDE_CONTROLLERS_COMMON_SECRET_H
#define TIDE_CONTROLLERS_COMMON_SECRET_H

#include <stddef.h>

struct arena;
struct doc_node;
struct rt_reconcile;

/* The decoded value of key in secret's `data`, NUL-terminated, in arena a (*len without
 * the NUL). ERR_NOTFOUND (no message set) when the key is absent or not a string;
 * ERR_INVALID ("invalid base64 in key 'KEY'") when it does not decode. */
int secret_data(struct arena *a, const struct doc_node *secret, const char *key, char **out,
		size_t *len);

/* The Secret ns/name, through rt_get (the reconcile's arena). ERR_NOTFOUND with Flux's
 * "failed to get secret 'NS/NAME': secrets \"NAME\" not found"; other errors as
 * "failed to get secret 'NS/NAME': <why>". */
int secret_fetch(struct rt_reconcile *r, const char *ns, const char *name,
		 struct doc_node **out);

/* One decoded value; ptr is NULL when the key is absent. */
struct secret_value {
	char *ptr; /* NUL-terminated, in the arena */
	size_t len;
};

/* Flux's keys (fluxcd/pkg runtime/secrets), each optional. */
struct secret_creds {
	struct secret_value username, password; /* basic auth; password is also an SSH key's
						 * passphrase */
	struct secret_value bearer_token;       /* bearerToken */
	/* TLS: ca.crt, tls.crt, tls.key; when one is absent, Flux's legacy caFile, certFile,
	 * keyFile in its place */
	struct secret_value ca, cert, key;
	struct secret_value identity, identity_pub, known_hosts; /* SSH */
	struct secret_value docker_config;      /* .dockerconfigjson */
	const char *ns, *name;                  /* the Secret, for messages */
};

/* Decodes every key above that secret holds into *out (in arena a). ERR_INVALID ("invalid
 * base64 in key 'KEY'") when one does not decode; what was decoded is still in *out, so
 * wipe it in every case. */
int secret_creds(struct arena *a, const struct doc_node *secret, struct secret_creds *out);

/* Zeroes every decoded value of c (the bytes, in the arena). */
void secret_creds_wipe(struct secret_creds *c);

/* Flux's checks, for the kinds that require a method. Each returns 0, or sets Flux's message
 * and returns the code:
 *  basic auth: ERR_NOTFOUND "secret 'NS/NAME': key 'username' not found" when neither key is
 *    there; ERR_INVALID "secret 'NS/NAME': malformed basic auth - has 'username' but missing
 *    'password'" (or the reverse) for one alone;
 *  bearer token: ERR_NOTFOUND "secret 'NS/NAME': key 'bearerToken' not found";
 *  TLS: ERR_INVALID "secret 'NS/NAME' contains 'tls.crt' but missing 'tls.key'" (or the
 *    reverse), "secret 'NS/NAME' must contain either 'ca.crt' or both 'tls.crt' and
 *    'tls.key'" when it has neither;
 *  SSH: ERR_NOTFOUND "secret 'NS/NAME': key 'identity' not found" (then 'known_hosts');
 *  docker config: ERR_NOTFOUND "secret 'NS/NAME': key '.dockerconfigjson' not found". */
int secret_require_basic_auth(const struct secret_creds *c);
int secret_require_bearer_token(const struct secret_creds *c);
int secret_require_tls(const struct secret_creds *c);
int secret_require_ssh(const struct secret_creds *c);
int secret_require_docker_config(const struct secret_creds *c);

/* An HTTP proxy from a proxySecretRef, as Flux's secrets.ProxyURLFromSecretRef: `address`
 * (an http or https URL), optional `username` and `password`. Values in arena a: wipe them
 * with secret_proxy_wipe. */
struct secret_proxy {
	struct secret_value address, username, password;
};

/* Reads the Secret ns/name into *out. Errors carry Flux's messages, prefixed with context
 * ("failed to configure proxy options: secret 'NS/NAME': key 'address' not found", "... proxy
 * address is empty", "... proxy URL must use one of the supported schemes (http, https), got
 * 'socks5'"); what was decoded is in *out, so wipe it in every case. */
int secret_proxy(struct rt_reconcile *r, struct arena *a, const char *ns, const char *name,
		 const char *context, struct secret_proxy *out);

void secret_proxy_wipe(struct secret_proxy *p);

/* The public keys of a Secret for cosign (every `.pub` entry of its data, in key order), at
 * most max, into keys (strings in arena a; name is the data key). *n is 0 when it has none. */
struct cosign_key;
void secret_cosign_keys(struct arena *a, const struct doc_node *secret, struct cosign_key *keys,
			size_t max, size_t *n);

#endif
