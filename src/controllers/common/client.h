/*
 * The client an object's changes are made through, as Flux's kustomize- and
 * helm-controller make it (fluxcd/pkg runtime/client): the cluster of
 * spec.kubeConfig.secretRef when set, else the manager's, acting as the object's service
 * account (spec.serviceAccountName, else the controller's --default-service-account, which
 * is a service account of this cluster and so, as in Flux, only applies without a
 * kubeConfig).
 */
#ifndef TIDE_CONTROLLERS_COMMON_CLIENT_H
#define TIDE_CONTROLLERS_COMMON_CLIENT_H

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

/* The service account to act as: spec's, else default_sa when there is no kubeConfig;
 * NULL for none. */
const char *ctl_service_account(const struct ctl_client_spec *spec, const char *default_sa);

/* Makes the client for the reconciled object (in its namespace). The kubeconfig is read
 * from the Secret's key kubeconfig_key, else "value", else "value.yaml" (Flux's order), and
 * wiped after parsing. Errors carry Flux's messages ("unable to read KubeConfig secret
 * 'NS/NAME' error: ...", "KubeConfig secret 'NS/NAME' does not contain a 'value' nor
 * 'value.yaml' key with a kubeconfig") or the parser's/client's. On error *out may hold
 * clients: release it anyway. */
int ctl_client_for(struct ctl_client *out, struct rt_reconcile *r, const struct ctl_client_spec *spec,
		   const char *default_sa);

/* Frees what ctl_client_for made and zeroes c. */
void ctl_client_release(struct ctl_client *c);

#endif
