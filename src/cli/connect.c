/* Connecting the CLI to the cluster its flags name, as kubectl and flux do. */
#include "cli/connect.h"

#include <stdio.h>

#include "cli/flags.h"
#include "kube/client.h"
#include "kube/config.h"
#include "kube/mapper.h"
#include "util/error.h"
#include "util/banned.h"

int cli_connect(struct kube_client **out, const struct cli_globals *g)
{
	*out = NULL;
	struct kube_config *cfg = NULL;
	struct kube_config_opts opts = { g->kubeconfig, g->context, g->namespace };
	int rc = kube_config_load(&cfg, &opts);
	if (rc)
		return rc;
	struct kube_client_opts copts = { 0 };
	if (g->timeout_ms > 0)
		copts.timeout_ms = g->timeout_ms;
	rc = kube_client_new(out, cfg, &copts);
	kube_config_free(cfg);
	return rc;
}

const char *cli_namespace(const struct cli_globals *g)
{
	return g->namespace && *g->namespace ? g->namespace : CLI_DEFAULT_NAMESPACE;
}

int cli_find_resource(const struct kube_resource **r, struct kube_client *c, const char *api_version,
		      const char *kind)
{
	int rc = kube_mapper_find(r, c, api_version, kind);
	if (rc == ERR_NOTFOUND)
		rc = err_set(ERR_NOTFOUND, "no matches for kind \"%s\" in version \"%s\": are tide's CRDs installed? (tide install)",
			     kind, api_version);
	return rc;
}
