/*
 * `tide create kustomization NAME`, shaped like flux2's cmd/flux/create_kustomization.go:
 * a Kustomization with flux's flags, defaults and checks (--source as
 * "[<kind>/]<name>[.<namespace>]", health checks, dependencies, decryption), upserted and
 * waited for until Ready, then the applied revision is reported. --export prints it.
 */
#include <stdio.h>
#include <string.h>

#include "cli/connect.h"
#include "cli/create.h"
#include "cli/flags.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

/* The flags of `create kustomization`. */
struct ks_args {
	const char *source, *path, *target_namespace, *service_account, *decryption_provider;
	const char *decryption_secret, *kubeconfig_secret_ref, *validation;
	bool prune, wait;
	struct cli_strings health_checks, depends_on;
	int64_t health_timeout_ms, retry_interval_ms;
};


static const char *const ks_source_kinds[] = { "GitRepository", "OCIRepository", "Bucket" };

/* flux's KustomizationSource.Set: "[<kind>/]<name>[.<namespace>]", kind GitRepository by
 * default and matched case-insensitively. */
static int parse_source(const char *s, struct arena *a, const char **kind, const char **name,
			const char **ns)
{
	if (!s || !*s)
		return err_set(ERR_INVALID, "source is required");
	const char *slash = strchr(s, '/');
	const char *k = slash ? arena_strndup(a, s, (size_t)(slash - s)) : "";
	const char *rest = slash ? slash + 1 : s;
	const char *dot = strchr(rest, '.');
	*name = dot ? arena_strndup(a, rest, (size_t)(dot - rest)) : rest;
	*ns = dot ? dot + 1 : "";
	if (!**name)
		return err_set(ERR_INVALID, "invalid argument \"%s\" for \"--source\" flag: no name given for source of kind '%s'", s, k);
	if (!*k) {
		for (size_t i = 0; i < 3; i++)
			if (!strcmp(*name, ks_source_kinds[i]))
				return err_set(ERR_INVALID, "invalid argument \"%s\" for \"--source\" flag: no kind specified for source '%s'", s, *name);
		*kind = "GitRepository";
		return 0;
	}
	for (size_t i = 0; i < 3; i++)
		if (!strcasecmp(k, ks_source_kinds[i])) {
			*kind = ks_source_kinds[i];
			return 0;
		}
	return err_set(ERR_INVALID, "invalid argument \"%s\" for \"--source\" flag: source kind '%s' is not supported, must be one of: GitRepository, OCIRepository, Bucket",
		       s, k);
}

int create_kustomization(int argc, char **argv)
{
	struct create_common cc = { 0 };
	struct ks_args ka = { 0 };
	ka.health_timeout_ms = 120000;
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 32];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "source", 0, FLAG_STRING, &ka.source,
				    "source that contains the Kubernetes manifests in the format '[<kind>/]<name>.<namespace>', where kind must be one of: (GitRepository, OCIRepository, Bucket), if kind is not specified it defaults to GitRepository", NULL };
	f[n++] = (struct cli_flag){ "path", 0, FLAG_STRING, &ka.path, "path to the directory containing a kustomization.yaml file", "./" };
	f[n++] = (struct cli_flag){ "prune", 0, FLAG_BOOL, &ka.prune, "enable garbage collection", "false" };
	f[n++] = (struct cli_flag){ "wait", 0, FLAG_BOOL, &ka.wait, "enable health checking of all the applied resources", "false" };
	f[n++] = (struct cli_flag){ "health-check", 0, FLAG_STRINGS, &ka.health_checks,
				    "workload to be included in the health assessment, in the format '<kind>/<name>.<namespace>'", "[]" };
	f[n++] = (struct cli_flag){ "health-check-timeout", 0, FLAG_DURATION, &ka.health_timeout_ms, "timeout of health checking operations", "2m0s" };
	f[n++] = (struct cli_flag){ "validation", 0, FLAG_STRING, &ka.validation, "deprecated: this arg is no longer used", NULL };
	f[n++] = (struct cli_flag){ "depends-on", 0, FLAG_STRINGS, &ka.depends_on,
				    "Kustomization that must be ready before this Kustomization can be applied, supported formats '<name>' and '<namespace>/<name>', also accepts comma-separated values", "[]" };
	f[n++] = (struct cli_flag){ "service-account", 0, FLAG_STRING, &ka.service_account,
				    "the name of the service account to impersonate when reconciling this Kustomization", NULL };
	f[n++] = (struct cli_flag){ "decryption-provider", 0, FLAG_STRING, &ka.decryption_provider,
				    "decryption provider, available options are: (sops)", NULL };
	f[n++] = (struct cli_flag){ "decryption-secret", 0, FLAG_STRING, &ka.decryption_secret,
				    "set the Kubernetes secret name that contains the OpenPGP private keys used for sops decryption", NULL };
	f[n++] = (struct cli_flag){ "target-namespace", 0, FLAG_STRING, &ka.target_namespace,
				    "overrides the namespace of all Kustomization objects reconciled by this Kustomization", NULL };
	f[n++] = (struct cli_flag){ "kubeconfig-secret-ref", 0, FLAG_STRING, &ka.kubeconfig_secret_ref,
				    "the name of the Kubernetes Secret that contains a key with the kubeconfig file for connecting to a remote cluster", NULL };
	f[n++] = (struct cli_flag){ "retry-interval", 0, FLAG_DURATION, &ka.retry_interval_ms,
				    "the interval at which to retry a previously failed reconciliation", "0s" };
	static const struct cli_usage u = {
		"tide create kustomization [name] [flags]",
		"The create kustomization command generates a Kustomization resource for a given source.",
		"  # Create a Kustomization resource from a source at a given path\n"
		"  tide create kustomization kyverno \\\n"
		"    --source=GitRepository/kyverno \\\n"
		"    --path=\"./config/release\" \\\n"
		"    --prune=true \\\n"
		"    --interval=60m \\\n"
		"    --wait=true \\\n"
		"    --health-check-timeout=3m\n\n"
		"  # Export it as YAML\n"
		"  tide create kustomization podinfo --source=podinfo --path=./kustomize --export",
	};
	int code;
	const char *name;
	if (create_parse(&code, &name, &cc, argc, argv, f, n, &u))
		return code;
	if (ka.decryption_provider && strcmp(ka.decryption_provider, "sops"))
		return cli_fail("invalid argument \"%s\" for \"--decryption-provider\" flag: unsupported decryption provider '%s', must be one of: sops",
				ka.decryption_provider, ka.decryption_provider);
	if (!ka.path || !*ka.path)
		return cli_fail("path is required");
	if (strncmp(ka.path, "./", 2))
		return cli_fail("path must begin with ./");
	struct arena *a = arena_new();
	const char *skind = "", *sname = "", *sns = "";
	struct doc_node *obj;
	int rc = parse_source(ka.source, a, &skind, &sname, &sns);
	if (!rc && !cc.export)
		fprintf(stderr, "✚ generating Kustomization\n");
	if (!rc)
		rc = create_new_object(&obj, a, &cc, "kustomize.toolkit.fluxcd.io/v1", "Kustomization", name);
	if (rc)
		goto fail;
	struct doc_node *spec = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	if (ka.decryption_provider) {
		struct doc_node *d = doc_new_map(a);
		doc_map_set(a, d, "provider", create_str(a, ka.decryption_provider));
		if (create_given(ka.decryption_secret))
			doc_map_set(a, d, "secretRef", create_name_ref(a, ka.decryption_secret));
		doc_map_set(a, spec, "decryption", d);
	}
	create_set_depends_on(a, spec, &ka.depends_on);
	bool timeout = false;
	if (ka.health_checks.len && !ka.wait) {
		struct doc_node *s = doc_new_seq(a);
		for (size_t i = 0; i < ka.health_checks.len; i++) {
			const char *w = ka.health_checks.items[i], *slash = strchr(w, '/');
			if (!slash || strchr(slash + 1, '/')) {
				rc = err_set(ERR_INVALID, "invalid health check '%s' must be in the format 'kind/name.namespace'", w);
				goto fail;
			}
			const char *kind = arena_strndup(a, w, (size_t)(slash - w));
			if (strcmp(kind, "Deployment") && strcmp(kind, "DaemonSet") && strcmp(kind, "StatefulSet") &&
			    strcmp(kind, "HelmRelease")) {
				rc = err_set(ERR_INVALID, "invalid health check kind '%s' can be HelmRelease, Deployment, DaemonSet or StatefulSet", kind);
				goto fail;
			}
			const char *dot = strchr(slash + 1, '.');
			if (!dot || strchr(dot + 1, '.')) {
				rc = err_set(ERR_INVALID, "invalid health check '%s' must be in the format 'kind/name.namespace'", w);
				goto fail;
			}
			struct doc_node *m = doc_new_map(a);
			if (!strcmp(kind, "HelmRelease"))
				doc_map_set(a, m, "apiVersion", create_str(a, "helm.toolkit.fluxcd.io/v2"));
			doc_map_set(a, m, "kind", create_str(a, kind));
			doc_map_set(a, m, "name", create_str(a, arena_strndup(a, slash + 1, (size_t)(dot - slash - 1))));
			doc_map_set(a, m, "namespace", create_str(a, dot + 1));
			doc_seq_push(a, s, m);
		}
		doc_map_set(a, spec, "healthChecks", s);
		timeout = true;
	}
	doc_map_set(a, spec, "interval", create_duration(a, cc.interval_ms));
	create_set_kubeconfig(a, spec, "kubeConfig", ka.kubeconfig_secret_ref);
	/* flux writes the path with filepath.ToSlash and keeps it as given otherwise */
	doc_map_set(a, spec, "path", create_str(a, ka.path));
	doc_map_set(a, spec, "prune", doc_new_bool(a, ka.prune));
	if (ka.retry_interval_ms > 0)
		doc_map_set(a, spec, "retryInterval", create_duration(a, ka.retry_interval_ms));
	if (create_given(ka.service_account))
		doc_map_set(a, spec, "serviceAccountName", create_str(a, ka.service_account));
	struct doc_node *src = doc_new_map(a);
	doc_map_set(a, src, "kind", create_str(a, skind));
	doc_map_set(a, src, "name", create_str(a, sname));
	if (*sns)
		doc_map_set(a, src, "namespace", create_str(a, sns));
	doc_map_set(a, spec, "sourceRef", src);
	if (create_given(ka.target_namespace))
		doc_map_set(a, spec, "targetNamespace", create_str(a, ka.target_namespace));
	if (timeout || ka.wait)
		doc_map_set(a, spec, "timeout", create_duration(a, ka.health_timeout_ms));
	if (ka.wait)
		doc_map_set(a, spec, "wait", doc_new_bool(a, true));

	return create_apply_and_wait(&cc, a, obj, false, "applied revision", "status.lastAppliedRevision");
fail:
	arena_free(a);
	return cli_fail("%s", err_msg());
}
