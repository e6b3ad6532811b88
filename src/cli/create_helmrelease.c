/*
 * `tide create helmrelease NAME`, as flux2's cmd/flux/create_helmrelease.go: a HelmRelease
 * from a chart template (--source, --chart) or a chart reference (--chart-ref), values from
 * local files merged as flux merges them and --values-from references; upserted and waited
 * for until Ready, then the attempted revision is reported. --export prints it.
 */
#include <stdio.h>
#include <string.h>

#include "cli/connect.h"
#include "cli/create.h"
#include "cli/flags.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/banned.h"

static void merge_maps(struct arena *a, struct doc_node *dst, const struct doc_node *src)
{
	for (size_t i = 0; i < src->u.map.len; i++) {
		const struct doc_pair *p = &src->u.map.items[i];
		struct doc_node *cur = doc_map_get(dst, p->key);
		if (cur && cur->kind == DOC_MAP && p->value->kind == DOC_MAP)
			merge_maps(a, cur, p->value);
		else
			doc_map_set(a, dst, p->key, doc_clone(a, p->value));
	}
}

int create_helmrelease(int argc, char **argv)
{
	struct create_common cc = { 0 };
	const char *release_name = NULL, *source = NULL, *chart = NULL, *chart_version = NULL, *target_ns = NULL;
	const char *storage_ns = NULL, *sa = NULL, *strategy = "ChartVersion", *crds = NULL, *kubeconfig_ref = NULL;
	const char *chart_ref = NULL;
	bool create_ns = false;
	int64_t chart_interval_ms = 0;
	struct cli_strings depends_on = { 0 }, values = { 0 }, values_from = { 0 };
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 24];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "release-name", 0, FLAG_STRING, &release_name,
				    "name used for the Helm release, defaults to a composition of '[<target-namespace>-]<HelmRelease-name>'", NULL };
	f[n++] = (struct cli_flag){ "source", 0, FLAG_STRING, &source,
				    "source that contains the chart in the format '<kind>/<name>.<namespace>', where kind must be one of: (HelmRepository, GitRepository, Bucket)", NULL };
	f[n++] = (struct cli_flag){ "chart", 0, FLAG_STRING, &chart, "Helm chart name or path", NULL };
	f[n++] = (struct cli_flag){ "chart-version", 0, FLAG_STRING, &chart_version,
				    "Helm chart version, accepts a semver range (ignored for charts from GitRepository sources)", NULL };
	f[n++] = (struct cli_flag){ "depends-on", 0, FLAG_STRINGS, &depends_on,
				    "HelmReleases that must be ready before this release can be installed, supported formats '<name>' and '<namespace>/<name>'", "[]" };
	f[n++] = (struct cli_flag){ "target-namespace", 0, FLAG_STRING, &target_ns,
				    "namespace to install this release, defaults to the HelmRelease namespace", NULL };
	f[n++] = (struct cli_flag){ "storage-namespace", 0, FLAG_STRING, &storage_ns,
				    "namespace to store the Helm release, defaults to the target namespace", NULL };
	f[n++] = (struct cli_flag){ "create-target-namespace", 0, FLAG_BOOL, &create_ns, "create the target namespace if it does not exist", "false" };
	f[n++] = (struct cli_flag){ "service-account", 0, FLAG_STRING, &sa,
				    "the name of the service account to impersonate when reconciling this HelmRelease", NULL };
	f[n++] = (struct cli_flag){ "reconcile-strategy", 0, FLAG_STRING, &strategy,
				    "the reconcile strategy for helm chart created by the helm release(accepted values: Revision and ChartRevision)", "ChartVersion" };
	f[n++] = (struct cli_flag){ "chart-interval", 0, FLAG_DURATION, &chart_interval_ms, "the interval of which to check for new chart versions", "0s" };
	f[n++] = (struct cli_flag){ "values", 0, FLAG_STRINGS, &values, "local path to values.yaml files, also accepts comma-separated values", "[]" };
	f[n++] = (struct cli_flag){ "values-from", 0, FLAG_STRINGS, &values_from,
				    "a Kubernetes object reference that contains the values.yaml data key in the format '<kind>/<name>', where kind must be one of: (Secret,ConfigMap)", "[]" };
	f[n++] = (struct cli_flag){ "crds", 0, FLAG_STRING, &crds,
				    "upgrade CRDs policy, available options are: (Skip, Create, CreateReplace)", NULL };
	f[n++] = (struct cli_flag){ "kubeconfig-secret-ref", 0, FLAG_STRING, &kubeconfig_ref,
				    "the name of the Kubernetes Secret that contains a key with the kubeconfig file for connecting to a remote cluster", NULL };
	f[n++] = (struct cli_flag){ "chart-ref", 0, FLAG_STRING, &chart_ref,
				    "the name of the HelmChart resource to use as source for the HelmRelease, in the format '<kind>/<name>.<namespace>', where kind must be one of: (OCIRepository, HelmChart)", NULL };
	static const struct cli_usage u = {
		"tide create helmrelease [name] [flags]",
		"The create helmrelease command generates a HelmRelease resource for a given HelmRepository source.",
		"  # Create a HelmRelease with a chart from a HelmRepository source\n"
		"  tide create hr podinfo \\\n"
		"    --interval=10m \\\n"
		"    --source=HelmRepository/podinfo \\\n"
		"    --chart=podinfo \\\n"
		"    --chart-version=\">4.0.0\"\n\n"
		"  # Create a HelmRelease with values from local YAML files\n"
		"  tide create hr podinfo --source=HelmRepository/podinfo --chart=podinfo --values=./values.yaml --export",
	};
	int code;
	const char *name;
	if (create_parse(&code, &name, &cc, argc, argv, f, n, &u))
		return code;
	if (crds && strcmp(crds, "Skip") && strcmp(crds, "Create") && strcmp(crds, "CreateReplace"))
		return cli_fail("invalid argument \"%s\" for \"--crds\" flag: unsupported CRD policy '%s', must be one of: Skip, Create, CreateReplace",
				crds, crds);
	if ((!storage_ns || !*storage_ns) && create_given(target_ns))
		storage_ns = target_ns;
	if (!create_given(chart) && !create_given(chart_ref))
		return cli_fail("chart or chart-ref is required");
	if (create_given(chart) && create_given(chart_ref))
		return cli_fail("cannot use --chart in combination with --chart-ref");
	struct arena *a = arena_new();
	struct doc_node *obj;
	int rc = 0;
	const char *skind = "", *sname = "", *sns = "";
	if (create_given(chart)) {
		const char *slash = source ? strchr(source, '/') : NULL;
		if (!slash || slash == source || !slash[1]) {
			rc = err_set(ERR_INVALID, "invalid argument \"%s\" for \"--source\" flag: invalid helm chart source '%s', must be in format <kind>/<name>.<namespace>",
				     source ? source : "", source ? source : "");
			goto fail;
		}
		skind = arena_strndup(a, source, (size_t)(slash - source));
		static const char *const ok_kinds[] = { "HelmRepository", "GitRepository", "Bucket" };
		bool found = false;
		for (size_t i = 0; i < 3; i++)
			if (!strcasecmp(skind, ok_kinds[i])) {
				skind = ok_kinds[i];
				found = true;
			}
		if (!found) {
			rc = err_set(ERR_INVALID, "invalid argument \"%s\" for \"--source\" flag: source kind '%s' is not supported, must be one of: HelmRepository, GitRepository, Bucket",
				     source, skind);
			goto fail;
		}
		const char *dot = strchr(slash + 1, '.');
		sname = dot ? arena_strndup(a, slash + 1, (size_t)(dot - slash - 1)) : slash + 1;
		sns = dot ? dot + 1 : "";
	}
	if (!cc.export)
		fprintf(stderr, "✚ generating HelmRelease\n");
	if (strcmp(strategy, "Revision") && strcmp(strategy, "ChartVersion")) {
		rc = err_set(ERR_INVALID, "'%s' is an invalid reconcile strategy(valid: Revision, ChartVersion)", strategy);
		goto fail;
	}
	rc = create_new_object(&obj, a, &cc, "helm.toolkit.fluxcd.io/v2", "HelmRelease", name);
	if (rc)
		goto fail;
	struct doc_node *spec = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	if (create_given(chart)) {
		struct doc_node *tpl = doc_new_map(a), *ts = doc_new_map(a), *ref = doc_new_map(a);
		doc_map_set(a, ts, "chart", create_str(a, chart));
		if (chart_interval_ms)
			doc_map_set(a, ts, "interval", create_duration(a, chart_interval_ms));
		doc_map_set(a, ts, "reconcileStrategy", create_str(a, strategy));
		doc_map_set(a, ref, "kind", create_str(a, skind));
		doc_map_set(a, ref, "name", create_str(a, sname));
		if (*sns)
			doc_map_set(a, ref, "namespace", create_str(a, sns));
		doc_map_set(a, ts, "sourceRef", ref);
		if (create_given(chart_version))
			doc_map_set(a, ts, "version", create_str(a, chart_version));
		doc_map_set(a, tpl, "spec", ts);
		doc_map_set(a, spec, "chart", tpl);
	} else {
		const char *slash = strchr(chart_ref, '/');
		const char *kind = slash ? arena_strndup(a, chart_ref, (size_t)(slash - chart_ref)) : "";
		if (strcmp(kind, "HelmChart") && strcmp(kind, "OCIRepository")) {
			rc = err_set(ERR_INVALID, "chart reference kind '%s' is not supported, must be one of: OCIRepository, HelmChart", kind);
			goto fail;
		}
		const char *rest = slash + 1, *dot = strchr(rest, '.');
		struct doc_node *ref = doc_new_map(a);
		doc_map_set(a, ref, "kind", create_str(a, kind));
		doc_map_set(a, ref, "name", create_str(a, dot ? arena_strndup(a, rest, (size_t)(dot - rest)) : rest));
		if (dot)
			doc_map_set(a, ref, "namespace", create_str(a, dot + 1));
		doc_map_set(a, spec, "chartRef", ref);
	}
	create_set_depends_on(a, spec, &depends_on);
	if (create_ns || crds) {
		struct doc_node *inst = doc_new_map(a);
		if (crds)
			doc_map_set(a, inst, "crds", create_str(a, "Create"));
		if (create_ns)
			doc_map_set(a, inst, "createNamespace", doc_new_bool(a, true));
		doc_map_set(a, spec, "install", inst);
	}
	doc_map_set(a, spec, "interval", create_duration(a, cc.interval_ms));
	create_set_kubeconfig(a, spec, "kubeConfig", kubeconfig_ref);
	if (create_given(release_name))
		doc_map_set(a, spec, "releaseName", create_str(a, release_name));
	if (create_given(sa))
		doc_map_set(a, spec, "serviceAccountName", create_str(a, sa));
	if (create_given(storage_ns))
		doc_map_set(a, spec, "storageNamespace", create_str(a, storage_ns));
	if (create_given(target_ns))
		doc_map_set(a, spec, "targetNamespace", create_str(a, target_ns));
	if (crds) {
		struct doc_node *up = doc_new_map(a);
		doc_map_set(a, up, "crds", create_str(a, crds));
		doc_map_set(a, spec, "upgrade", up);
	}
	if (values.len) {
		struct doc_node *merged = doc_new_map(a);
		for (size_t i = 0; i < values.len; i++) {
			struct buf b = BUF_INIT;
			struct doc_stream st = { 0 };
			rc = fs_read_file(values.items[i], 0, &b);
			if (rc) {
				buf_release(&b);
				rc = err_wrap(rc, "reading values from %s failed", values.items[i]);
				goto fail;
			}
			rc = doc_parse_yaml(a, values.items[i], b.ptr, b.len, NULL, &st);
			buf_release(&b);
			if (!rc && st.len && st.docs[0]->kind != DOC_MAP)
				rc = err_set(ERR_INVALID, "'%s': the values are not a mapping", values.items[i]);
			if (rc) {
				rc = err_wrap(rc, "converting values to JSON from %s failed", values.items[i]);
				goto fail;
			}
			if (st.len)
				merge_maps(a, merged, st.docs[0]);
		}
		doc_map_set(a, spec, "values", merged);
	}
	if (values_from.len) {
		struct doc_node *s = doc_new_seq(a);
		for (size_t i = 0; i < values_from.len; i++) {
			const char *v = values_from.items[i], *slash = strchr(v, '/');
			if (!slash || slash == v) {
				rc = err_set(ERR_INVALID, "invalid Kubernetes object reference '%s', must be in format <kind>/<name>", v);
				goto fail;
			}
			const char *kind = arena_strndup(a, v, (size_t)(slash - v));
			if (!strcasecmp(kind, "Secret"))
				kind = "Secret";
			else if (!strcasecmp(kind, "ConfigMap"))
				kind = "ConfigMap";
			else {
				rc = err_set(ERR_INVALID, "reference kind '%s' is not supported, must be one of: Secret, ConfigMap", kind);
				goto fail;
			}
			struct doc_node *m = doc_new_map(a);
			doc_map_set(a, m, "kind", create_str(a, kind));
			doc_map_set(a, m, "name", create_str(a, slash + 1));
			doc_seq_push(a, s, m);
		}
		doc_map_set(a, spec, "valuesFrom", s);
	}
	return create_apply_and_wait(&cc, a, obj, false, "applied revision", "status.lastAttemptedRevision");
fail:
	arena_free(a);
	return cli_fail("%s", err_msg());
}
