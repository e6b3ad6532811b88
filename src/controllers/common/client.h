/*
 * The client an object's changes are made through, as Flux's kustomize- and
 * helm-controller make it (fluxcd/pkg runtime/client): the cluster of
 * spec.kubeConfig.secretRef when set, else the manager's, acting as the object's service
 * account (spec.serviceAccountName, else the controller's --default-service-account, which
 * is a service account of this cluster and so, as in Flux, only applies without a
 * kubeConfig).
 *
 * The kubeconfig of a Secret is the tenant's, not the operator's: it is loaded as untrusted
 * (kube/config.h KUBE_CONFIG_UNTRUSTED), so that it cannot make the controller read its own
 * files (tokenFile, client-certificate, ... paths) or run programs, and send what it read to a
 * server of the tenant's choosing; Flux refuses the same (fluxcd/pkg runtime/client).
 */
#ifndef TIDE_CONTROLLERS_COMMON_CLIENT_H
#define TIDE_CONTROLLERS_COMMON_CLIENT_H

#include <stdbool.h>

struct kube_client;
struct rt_reconcile;

/* What the object asks for; NULL or "" fields are absent. */
struct ctl_client_spec {
	const char *service_account_name; /* spec.serviceAccountName */
	const char *kubeconfig_secret;    /* spec.kubeConfig.secretRef.name */
	const char *kubeconfig_key;       /* spec.kubeConfig.secretRef.key */
};

/* The clients of one reconcile: use is the one to call; the others are what was made for
 * it (owned, released by ctl_client_release). */
struct ctl_client {
	struct kube_client *use;
	struct kube_client *remote; /* spec.kubeConfig's cluster, or NULL */
	struct kube_client *imp;    /* the impersonating client, or NULL */
};

/* What a Secret's kubeconfig may use beyond the self-contained subset: fluxcd/pkg
 * runtime/client KubeConfigOptions, from `tide controller`'s --insecure-kubeconfig-exec and
 * --insecure-kubeconfig-tls. One set for the process, as the flags are one flag each for
 * every controller that declares them (options.h); each such controller names these fields
 * as its flags' targets. Written while the flags are parsed, before the manager runs, and
 * only read afterwards. Both false by default. */
struct ctl_kubeconfig_opts {
	bool insecure_exec; /* exec and auth-provider: still refused, tide runs no plugins */
	bool insecure_tls;  /* insecure-skip-tls-verify: true and http:// servers */
};
extern struct ctl_kubeconfig_opts ctl_kubeconfig_opts;

/* The service account to act as: spec's, else default_sa when there is no kubeConfig;
 * NULL for none. */
const char *ctl_service_account(const struct ctl_client_spec *spec, const char *default_sa);

/* Makes the client for the reconciled object (in its namespace). The kubeconfig is read
 * from the Secret's key kubeconfig_key, else "value", else "value.yaml" (Flux's order), and
 * wiped after parsing. Errors carry Flux's messages ("unable to read KubeConfig secret
 * 'NS/NAME' error: ...", "KubeConfig secret 'NS/NAME' does not contain a 'value' nor
 * 'value.yaml' key with a kubeconfig") or the parser's/client's; a kubeconfig that is not
 * self-contained is ERR_INVALID naming the field (tokenFile, client-certificate, client-key,
 * certificate-authority, insecure-skip-tls-verify, an http:// server) or, for exec and
 * auth-provider, ERR_INVALID (ERR_UNSUPPORTED with --insecure-kubeconfig-exec), and then
 * nothing was read from the controller's files nor sent to the Secret's server. On error
 * *out may hold clients: release it anyway. */
int ctl_client_for(struct ctl_client *out, struct rt_reconcile *r, const struct ctl_client_spec *spec,
		   const char *default_sa);

/* Frees what ctl_client_for made and zeroes c. */
void ctl_client_release(struct ctl_client *c);

#endif
