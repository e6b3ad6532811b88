/* The CLI's way to a cluster: kubeconfig, context and timeout from the global flags. */
#ifndef TIDE_CLI_CONNECT_H
#define TIDE_CLI_CONNECT_H

struct cli_globals;
struct kube_client;
struct kube_resource;

/* flux's verbs act in flux-system unless -n says otherwise (not the context's namespace). */
#define CLI_DEFAULT_NAMESPACE "flux-system"

/* A client for the cluster g names. Errors are kube_config_load's and kube_client_new's. */
int cli_connect(struct kube_client **out, const struct cli_globals *g);

/* The namespace a verb acts in: -n, else flux-system. */
const char *cli_namespace(const struct cli_globals *g);

/* kube_mapper_find, with the message naming `tide install` when the kind is not served
 * ("no matches for kind ... are tide's CRDs installed?"). */
int cli_find_resource(const struct kube_resource **r, struct kube_client *c, const char *api_version,
		      const char *kind);

#endif
