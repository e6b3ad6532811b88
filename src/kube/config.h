/*
 * Where a Kubernetes client connects and as whom: kubeconfig files loaded as kubectl loads
 * them, or the in-cluster service-account configuration.
 *
 * Precedence (client-go's clientcmd loading rules):
 *   1. opts->kubeconfig (the --kubeconfig flag): that file only; it must exist.
 *   2. $KUBECONFIG: files joined with ':'; missing files are skipped; the files are merged,
 *      the first file to set a cluster, user or context name wins, and current-context
 *      comes from the first file that sets it.
 *   3. ~/.kube/config.
 *   4. When none of those exists and KUBERNETES_SERVICE_HOST is set: in-cluster.
 * Relative file paths inside a kubeconfig (certificate-authority, client-certificate,
 * client-key, tokenFile) are resolved against the directory of the file that holds them.
 *
 * A kubeconfig the operator did not write (a tenant's Secret named by a Kustomization's
 * spec.kubeConfig.secretRef) is loaded with KUBE_CONFIG_UNTRUSTED: it must then be
 * self-contained, as fluxcd/pkg runtime/client requires of a serialized kubeconfig (#1281
 * "reject file references in kubeconfigs"), since every path in it would be read on the
 * controller's host and its contents sent to a server the tenant chose.
 */
#ifndef TIDE_KUBE_CONFIG_H
#define TIDE_KUBE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* A resolved configuration: one cluster, one user, one namespace. Every string is a heap
 * string owned by the struct (or NULL when unset); PEM blobs are the decoded bytes. */
struct kube_config {
	char *context;         /* the context's name; NULL for in-cluster */
	char *source;          /* the file(s) it came from, for messages */
	char *server;          /* "https://host:port" with no trailing '/' */
	char *namespace;       /* the context's namespace, or "default" */
	char *ca_pem;          /* certificate-authority(-data), or NULL for system roots */
	size_t ca_pem_len;
	bool insecure;         /* insecure-skip-tls-verify */
	char *tls_server_name;
	char *proxy_url;
	char *cert_pem;        /* client-certificate(-data) */
	size_t cert_pem_len;
	char *key_pem;         /* client-key(-data) */
	size_t key_pem_len;
	char *token;           /* a bearer token read at load time */
	char *token_file;      /* or a file re-read by the client when it changes */
	char *username;        /* basic auth */
	char *password;
};

/* kube_config_opts.flags. 0, the default, is the operator's own configuration (the CLI,
 * --kubeconfig, in-cluster): everything kubectl accepts is accepted. */
enum {
	/* The configuration comes from someone the process does not trust with its host (a
	 * tenant): every cluster and user of it is checked before anything is read or used,
	 * and what names a file or a program of the host is refused with ERR_INVALID, naming
	 * the field: tokenFile, client-certificate, client-key, certificate-authority (their
	 * -data forms and token are fine), exec and auth-provider; so are
	 * insecure-skip-tls-verify: true and an http:// server, unless KUBE_CONFIG_INSECURE_TLS.
	 * kube_config_load does not fall back to the in-cluster configuration. */
	KUBE_CONFIG_UNTRUSTED = 1u << 0,
	/* With UNTRUSTED: insecure-skip-tls-verify and http:// servers are allowed (Flux's
	 * --insecure-kubeconfig-tls). */
	KUBE_CONFIG_INSECURE_TLS = 1u << 1,
	/* With UNTRUSTED: exec and auth-provider are allowed as far as this loader goes (Flux's
	 * --insecure-kubeconfig-exec). tide runs no credential plugins, so they still fail, with
	 * ERR_UNSUPPORTED saying so rather than "not allowed". */
	KUBE_CONFIG_INSECURE_EXEC = 1u << 2,
};

struct kube_config_opts {
	const char *kubeconfig; /* --kubeconfig, or NULL */
	const char *context;    /* --context, or NULL for current-context */
	const char *namespace;  /* --namespace override, or NULL */
	unsigned flags;         /* KUBE_CONFIG_* above; 0 = trusted */
};

/* Loads the configuration as described above. *out is the caller's (kube_config_free).
 * Errors, each with one line naming the file: ERR_NOTFOUND (a missing --kubeconfig file,
 * no configuration at all, an unknown context, a context naming a missing cluster or user),
 * ERR_INVALID (malformed YAML, no server, bad base64, no current-context, and with
 * KUBE_CONFIG_UNTRUSTED a field that is not allowed), ERR_UNSUPPORTED (exec and
 * auth-provider users), ERR_IO. */
int kube_config_load(struct kube_config **out, const struct kube_config_opts *opts);

/* Parses one kubeconfig held in memory. name is used in messages; dir resolves relative
 * paths (NULL = the current directory). Same errors as kube_config_load. */
int kube_config_parse(struct kube_config **out, const char *name, const char *dir,
		      const char *data, size_t len, const struct kube_config_opts *opts);

/* The in-cluster configuration: KUBERNETES_SERVICE_HOST and _PORT, and the token, ca.crt
 * and namespace files in sa_dir (NULL = /var/run/secrets/kubernetes.io/serviceaccount).
 * The token is given as token_file so the client re-reads it when it rotates.
 * ERR_NOTFOUND when not running in a cluster. */
int kube_config_in_cluster(struct kube_config **out, const char *sa_dir);

void kube_config_free(struct kube_config *c);

#endif
