/*
 * Registry authentication inputs, both untrusted: the WWW-Authenticate challenge a registry
 * answers a 401 with (the distribution token spec: `Bearer realm="https://auth.example/token",
 * service="registry.example",scope="repository:org/app:pull"`, or `Basic realm="..."`), and
 * the Docker config JSON of a `kubernetes.io/dockerconfigjson` Secret, matched against the
 * registry as Flux matches it (go-containerregistry's k8schain over the kubelet's keyring).
 *
 * Docker config matching, as k8schain does it: every key of `auths` loses its http:// or
 * https:// scheme and a leading /v1/ or /v2/ of its path; the keys are tried longest-sorting
 * first (reverse byte order); a key matches the repository `host/repo` when the ports are
 * equal, the host names have as many dot-separated parts and each part matches the key's
 * part as a glob (`*`, `?`, `[a-z]`, as Go's filepath.Match), and the key's path is a prefix
 * of the repository path. The first match gives the credentials: `auth` (base64 of
 * "user:password") wins over `username` and `password`; `registrytoken` is a bearer token
 * used as is. NEEDSWORK: `identitytoken` (an OAuth2 refresh token) is read but not used.
 */
#ifndef TIDE_SOURCE_OCI_AUTH_H
#define TIDE_SOURCE_OCI_AUTH_H

#include <stddef.h>

enum oci_auth_scheme {
	OCI_AUTH_NONE,
	OCI_AUTH_BASIC,
	OCI_AUTH_BEARER,
};

#define OCI_REALM_MAX 2048
#define OCI_SERVICE_MAX 512
#define OCI_SCOPE_MAX 1024
#define OCI_CHALLENGE_MAX 16384 /* bytes of all WWW-Authenticate headers together */

struct oci_challenge {
	enum oci_auth_scheme scheme;
	char realm[OCI_REALM_MAX + 1];     /* "" when absent */
	char service[OCI_SERVICE_MAX + 1];
	char scope[OCI_SCOPE_MAX + 1];
};

/* Parses the value of WWW-Authenticate (several challenges, and several headers joined with
 * ", ", as RFC 7235 allows: `Basic realm="x", Bearer realm="y"`). Picks the Bearer challenge
 * when there is one, else the Basic one. Scheme and parameter names are case-insensitive;
 * values are tokens or quoted strings with backslash escapes; unknown parameters are
 * ignored. 0 and *out filled; ERR_INVALID for malformed text or a Bearer challenge without
 * a realm, ERR_TOOBIG when the header or a value passes its cap, ERR_UNSUPPORTED when
 * neither Basic nor Bearer is offered (the message names the first scheme). */
int oci_challenge_parse(struct oci_challenge *out, const char *hdr, size_t len);

/* Credentials for one registry. Heap strings, NULL when absent; oci_creds_release frees. */
struct oci_creds {
	char *username;
	char *password;
	char *registry_token; /* a bearer token to send as is */
	char *identity_token; /* NEEDSWORK: unused (OAuth2 refresh-token flow) */
};

void oci_creds_release(struct oci_creds *c);

enum oci_dockerconfig_format {
	OCI_DOCKERCONFIGJSON, /* `.dockerconfigjson`: {"auths": {"host": {...}}} */
	OCI_DOCKERCFG,        /* legacy `.dockercfg`: {"host": {...}} */
};

#define OCI_DOCKERCONFIG_MAX (1u << 20) /* a Secret's size limit */
#define OCI_DOCKERCONFIG_ENTRIES 1000

/* Finds the credentials for repository host/repo (host as in struct oci_ref, "h:5000") in
 * the Docker config json[0..len). 0 and *out filled (fields may all be NULL: an entry with
 * no credentials means anonymous); ERR_NOTFOUND when no entry matches; ERR_INVALID for
 * malformed JSON or an `auth` that is not base64 of "user:password" ("unable to decode auth
 * field: ..."); ERR_TOOBIG past the caps above. Never puts a secret in a message. */
int oci_dockerconfig_lookup(struct oci_creds *out, const char *json, size_t len,
			    enum oci_dockerconfig_format fmt, const char *host, const char *repo);

#endif
