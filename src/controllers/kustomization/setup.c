/*
 * The Kustomization controller's table entry: its kind, callbacks, watches on the source
 * kinds (a new artifact revision queues the Kustomizations that reference it at once), the
 * per-process artifact cache, and its settings: the kustomize-controller's flags that tide
 * takes and its feature gates, registered from the kinds table (controllers/table.c).
 */
#include <stdlib.h>

#include "apply/apply.h"
#include "controllers/common/client.h"
#include "controllers/common/options.h"
#include "controllers/common/watchindex.h"
#include "controllers/kustomization/cache.h"
#include "controllers/kustomization/kustomization.h"
#include "controllers/kustomization/ks.h"
#include "runtime/controller.h"
#include "util/fs.h"
#include "util/banned.h"

struct ks_settings ks_settings = {
	.refs = { .no_cross_namespace_refs = false, .default_service_account = "" },
	.events_addr = "",
	/* Flux's default since kustomize-controller v1.9 ("opt-out from v1.9"). */
	.strict_substitutions = true,
	/* KUST_MAX_MEMORY_DEFAULT, which `tide kustomize build` and `tide build` also use. */
	.max_build_memory_mib = 256,
	/* Flux's default is off; `flux install` turns it on with source-watcher, and tide
	 * runs the ArtifactGenerator controller in the same process (docs/differences.md). */
	.external_artifact = true,
};

static const struct ctl_option flags[] = {
	{ "events-addr", CTL_OPT_STRING, &ks_settings.events_addr, "The address of the events receiver.", NULL },
	{ "no-cross-namespace-refs", CTL_OPT_BOOL, &ks_settings.refs.no_cross_namespace_refs,
	  "When set to true, references between custom resources are allowed only if the reference and the referee are in the same namespace.",
	  "false" },
	{ "default-service-account", CTL_OPT_STRING, &ks_settings.refs.default_service_account,
	  "Default service account used for impersonation.", NULL },
	{ "no-remote-bases", CTL_OPT_BOOL, &ks_settings.no_remote_bases,
	  "Disallow remote bases usage in Kustomize overlays (always the case in tide: remote bases are refused).",
	  "false" },
	/* fluxcd/pkg runtime/client KubeConfigOptions.BindFlags, for spec.kubeConfig.secretRef. */
	/* tide's own: one process builds every tenant's Kustomizations, so a build that would
	 * grow without bound fails alone (Ready=False, BuildFailed) instead of the process. */
	{ "max-build-memory", CTL_OPT_INT, &ks_settings.max_build_memory_mib,
	  "The most memory, in MiB, one Kustomization's build may use for its objects; past it the build fails with Ready=False.",
	  "256" },
	{ "insecure-kubeconfig-exec", CTL_OPT_BOOL, &ctl_kubeconfig_opts.insecure_exec,
	  "Allow use of the user.exec section in kubeconfigs provided for remote apply (tide runs no exec plugins: they are refused either way).",
	  "false" },
	{ "insecure-kubeconfig-tls", CTL_OPT_BOOL, &ctl_kubeconfig_opts.insecure_tls,
	  "Allow that kubeconfigs provided for remote apply can disable TLS verification (insecure-skip-tls-verify: true, or an http:// server).",
	  "false" },
	{ 0 },
};

/* The kustomize-controller's gates (internal/features and the runtime's), so that Flux's
 * manifests' flags are accepted; StrictPostBuildSubstitutions and ExternalArtifact change
 * what tide does. */
static const struct ctl_gate gates[] = {
	{ "CacheSecretsAndConfigMaps", NULL },
	{ "DisableStatusPollerCache", NULL },
	{ "DisableFailFastBehavior", NULL },
	{ "StrictPostBuildSubstitutions", &ks_settings.strict_substitutions },
	{ "GroupChangeLog", NULL },
	{ "AdditiveCELDependencyCheck", NULL },
	{ "ExternalArtifact", &ks_settings.external_artifact },
	{ "CancelHealthCheckOnNewRevision", NULL },
	{ "DisableConfigWatchers", NULL },
	{ "DirectSourceFetch", NULL },
	{ "MigrateAPIVersion", NULL },
	{ "ObjectLevelWorkloadIdentity", NULL },
	{ 0 },
};

const struct ctl_options kustomization_options = { flags, gates };

void ks_run_release(struct ks_run *run)
{
	apply_manager_free(run->m);
	run->m = NULL;
	ctl_client_release(&run->client);
	if (run->tmp)
		fs_rm_rf(run->tmp);
	free(run->tmp);
	free(run->dir);
	run->tmp = run->dir = NULL;
}

static const struct ctl_source_index by_source_ref = { "spec.sourceRef" };

static const struct rt_watch watches[] = {
	CTL_WATCH_SOURCE("GitRepository", &by_source_ref),
	CTL_WATCH_SOURCE("OCIRepository", &by_source_ref),
	CTL_WATCH_SOURCE("Bucket", &by_source_ref),
	CTL_WATCH_SOURCE("ExternalArtifact", &by_source_ref),
	{ 0 },
};

static int setup(struct rt_manager *m, void **data)
{
	(void)m;
	struct ks_cache *c = NULL;
	int rc = ks_cache_new(&c);
	*data = c;
	return rc;
}

static void teardown(void *data)
{
	ks_cache_free(data);
}

const struct rt_controller kustomization_controller = {
	.name = "kustomization",
	.group = KS_GROUP,
	.version = "v1",
	.kind = KS_KIND,
	.component = "kustomize-controller",
	.reconcile = ks_reconcile,
	.finalize = ks_finalize,
	.watches = watches,
	.setup = setup,
	.teardown = teardown,
};
