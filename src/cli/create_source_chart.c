/*
 * `tide create source chart NAME`, as flux2's cmd/flux/create_source_chart.go: a HelmChart
 * from --source KIND/NAME (HelmRepository, GitRepository or Bucket, the kind matched without
 * case), --chart (a name, or a path in a Git or Bucket artifact), --chart-version,
 * --reconcile-strategy and the --verify-* flags of an OCI chart; upserted and waited for
 * until it has an artifact. --export prints the HelmChart only.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/connect.h"
#include "cli/create.h"
#include "cli/flags.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

static const char *const chart_source_kinds[] = { "HelmRepository", "GitRepository", "Bucket" };

/* flux's flags.LocalHelmChartSource.Set */
static int parse_source(const char *s, const char **kind, const char **name, struct arena *a)
{
	if (!s || !*s)
		return err_set(ERR_INVALID, "chart source is required");
	const char *slash = strchr(s, '/');
	if (!slash || slash == s || !slash[1])
		return err_set(ERR_INVALID, "invalid argument \"%s\" for \"--source\" flag: invalid HelmChart "
			       "source '%s', must be in format <kind>/<name>", s, s);
	const char *k = arena_sprintf(a, "%.*s", (int)(slash - s), s);
	for (size_t i = 0; i < sizeof(chart_source_kinds) / sizeof(chart_source_kinds[0]); i++)
		if (!strcasecmp(k, chart_source_kinds[i])) {
			*kind = chart_source_kinds[i];
			*name = slash + 1;
			return 0;
		}
	return err_set(ERR_INVALID, "invalid argument \"%s\" for \"--source\" flag: source kind '%s' is not "
		       "supported, must be one of: HelmRepository, GitRepository, Bucket", s, k);
}

int create_source_chart(int argc, char **argv)
{
	struct create_common cc = { 0 };
	const char *chart = NULL, *version = NULL, *source = NULL, *strategy = "ChartVersion";
	const char *verify_provider = NULL, *verify_secret_ref = NULL, *verify_subject = NULL, *verify_issuer = NULL;
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 16];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "chart", 0, FLAG_STRING, &chart, "Helm chart name or path", NULL };
	f[n++] = (struct cli_flag){ "chart-version", 0, FLAG_STRING, &version,
				    "Helm chart version, accepts a semver range (ignored for charts from GitRepository sources)", NULL };
	f[n++] = (struct cli_flag){ "source", 0, FLAG_STRING, &source,
				    "source that contains the chart in the format '<kind>/<name>', where kind must be one of: (HelmRepository, GitRepository, Bucket)", NULL };
	f[n++] = (struct cli_flag){ "reconcile-strategy", 0, FLAG_STRING, &strategy,
				    "the reconcile strategy for helm chart (accepted values: Revision and ChartRevision)", "ChartVersion" };
	f[n++] = (struct cli_flag){ "verify-provider", 0, FLAG_STRING, &verify_provider,
				    "the OCI verification provider name to use for signature verification, available options are: (cosign, notation)", NULL };
	f[n++] = (struct cli_flag){ "verify-secret-ref", 0, FLAG_STRING, &verify_secret_ref, "the name of a secret to use for signature verification", NULL };
	f[n++] = (struct cli_flag){ "verify-subject", 0, FLAG_STRING, &verify_subject,
				    "regular expression to use for the OIDC subject during signature verification", NULL };
	f[n++] = (struct cli_flag){ "verify-issuer", 0, FLAG_STRING, &verify_issuer,
				    "regular expression to use for the OIDC issuer during signature verification", NULL };
	static const struct cli_usage u = {
		"tide create source chart [name] [flags]",
		"The create source chart command generates a HelmChart resource and waits for the chart to be available.",
		"  # Create a source for a chart residing in a HelmRepository\n"
		"  tide create source chart podinfo \\\n"
		"    --source=HelmRepository/podinfo \\\n"
		"    --chart=podinfo \\\n"
		"    --chart-version=6.x\n\n"
		"  # Create a source for a chart residing in a Git repository\n"
		"  tide create source chart podinfo \\\n"
		"    --source=GitRepository/podinfo \\\n"
		"    --chart=./charts/podinfo\n\n"
		"  # Create a source for a chart residing in a S3 Bucket\n"
		"  tide create source chart podinfo \\\n"
		"    --source=Bucket/podinfo \\\n"
		"    --chart=./charts/podinfo",
	};
	int code;
	const char *name;
	if (create_parse(&code, &name, &cc, argc, argv, f, n, &u))
		return code;
	if (verify_provider && strcmp(verify_provider, "cosign") && strcmp(verify_provider, "notation"))
		return cli_fail("invalid argument \"%s\" for \"--verify-provider\" flag: source OCI verify provider '%s' is not supported, must be one of: cosign, notation",
				verify_provider, verify_provider);
	struct arena *a = arena_new();
	const char *kind = NULL, *sname = NULL;
	if (parse_source(source, &kind, &sname, a))
		goto fail;
	if (!create_given(chart)) {
		err_set(ERR_INVALID, "chart name or path is required");
		goto fail;
	}
	if (!verify_provider && create_given(verify_secret_ref)) {
		err_set(ERR_INVALID, "a verification provider must be specified when a secret is specified");
		goto fail;
	}
	if (!verify_provider && (create_given(verify_issuer) || create_given(verify_subject))) {
		err_set(ERR_INVALID, "a verification provider must be specified when OIDC issuer/subject is specified");
		goto fail;
	}
	struct doc_node *obj;
	if (create_new_object(&obj, a, &cc, "source.toolkit.fluxcd.io/v1", "HelmChart", name))
		goto fail;
	struct doc_node *spec = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	doc_map_set(a, spec, "chart", create_str(a, chart));
	doc_map_set(a, spec, "interval", create_duration(a, cc.interval_ms));
	if (create_given(strategy))
		doc_map_set(a, spec, "reconcileStrategy", create_str(a, strategy));
	struct doc_node *ref = doc_new_map(a);
	doc_map_set(a, ref, "kind", create_str(a, kind));
	doc_map_set(a, ref, "name", create_str(a, sname));
	doc_map_set(a, spec, "sourceRef", ref);
	if (verify_provider)
		create_set_verify(a, spec, verify_provider, verify_secret_ref, verify_issuer, verify_subject);
	if (create_given(version))
		doc_map_set(a, spec, "version", create_str(a, version));
	static const struct source_msgs cm = {
		"HelmChart", "source.toolkit.fluxcd.io/v1", "applying HelmChart source", "source",
		"waiting for HelmChart source reconciliation", "HelmChart source reconciliation completed",
		"HelmChart source reconciliation completed but no artifact was found",
		"generating HelmChart source",
	};
	return create_source_finish(&cc, a, obj, &cm, NULL, NULL);
fail:
	arena_free(a);
	return cli_fail("%s", err_msg());
}
