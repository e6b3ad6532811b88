/*
 * `tide create source git NAME` and `tide create kustomization NAME`, shaped like flux2's
 * cmd/flux/create_source_git.go and create_kustomization.go: the same flags and defaults,
 * --export prints the object exactly as flux's printExport does (sigs.k8s.io/yaml: keys
 * sorted, empty optional fields left out, after a "---" line), and otherwise the object is
 * upserted as flux does it (GET, then CREATE, or UPDATE of labels and spec) and waited for
 * until Ready or --timeout, with flux's progress lines on stderr.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/wait.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "runtime/duration.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

/* What every `create` subcommand shares (flux's createArgs and root flags). */
struct create_common {
	struct cli_globals g;
	int64_t interval_ms;
	bool export;
	struct cli_strings labels;
};

struct git_args {
	const char *url, *branch, *tag, *semver, *ref_name, *commit, *username, *password;
	const char *secret_ref, *proxy_secret_ref, *provider;
	int64_t fetch_timeout_ms;
	bool recurse_submodules, silent;
	struct cli_strings ignore_paths, sparse_paths;
};

struct ks_args {
	const char *source, *path, *target_namespace, *service_account, *decryption_provider;
	const char *decryption_secret, *kubeconfig_secret_ref, *validation;
	bool prune, wait;
	struct cli_strings health_checks, depends_on;
	int64_t health_timeout_ms, retry_interval_ms;
};

static size_t common_flags(struct cli_flag *f, struct create_common *cc)
{
	cli_global_flags(f, &cc->g);
	size_t n = CLI_GLOBAL_FLAG_COUNT;
	cc->interval_ms = 60000;
	f[n++] = (struct cli_flag){ "interval", 0, FLAG_DURATION, &cc->interval_ms, "source sync interval", "1m0s" };
	f[n++] = (struct cli_flag){ "export", 0, FLAG_BOOL, &cc->export, "export in YAML format to stdout", "false" };
	f[n++] = (struct cli_flag){ "label", 0, FLAG_STRINGS, &cc->labels,
				    "set labels on the resource (can specify multiple labels with commas: label1=value1,label2=value2)", "[]" };
	return n;
}

static struct doc_node *str(struct arena *a, const char *s)
{
	return doc_new_str(a, s);
}

static struct doc_node *duration(struct arena *a, int64_t ms)
{
	char b[64];
	return doc_new_str(a, rt_duration_format(b, sizeof(b), ms));
}

static struct doc_node *name_ref(struct arena *a, const char *name)
{
	struct doc_node *m = doc_new_map(a);
	doc_map_set(a, m, "name", str(a, name));
	return m;
}

/* apiVersion, kind and metadata (name, namespace, labels from --label as flux's parseLabels). */
static int new_object(struct doc_node **out, struct arena *a, const struct create_common *cc,
		      const char *api_version, const char *kind, const char *name)
{
	struct doc_node *obj = doc_new_map(a), *meta = doc_new_map(a);
	doc_map_set(a, obj, "apiVersion", str(a, api_version));
	doc_map_set(a, obj, "kind", str(a, kind));
	doc_map_set(a, obj, "metadata", meta);
	if (cc->labels.len) {
		struct doc_node *labels = doc_new_map(a);
		for (size_t i = 0; i < cc->labels.len; i++) {
			const char *l = cc->labels.items[i], *eq = strchr(l, '=');
			if (!eq || eq == l)
				return err_set(ERR_INVALID, "invalid label format '%s', must be key=value", l);
			doc_map_set(a, labels, arena_strndup(a, l, (size_t)(eq - l)), str(a, eq + 1));
		}
		doc_map_set(a, meta, "labels", labels);
	}
	doc_map_set(a, meta, "name", str(a, name));
	doc_map_set(a, meta, "namespace", str(a, cli_namespace(&cc->g)));
	*out = obj;
	return 0;
}

static void print_export(struct doc_node *obj)
{
	struct buf out = BUF_INIT;
	doc_emit_yaml(&out, obj, DOC_EMIT_SORT_KEYS);
	while (out.len && out.ptr[out.len - 1] == '\n')
		out.len--;
	printf("---\n%.*s\n", (int)out.len, out.ptr);
	buf_release(&out);
}

/* flux's upsert<Kind>: CREATE when missing, else UPDATE of the existing object's labels and
 * spec (other fields, e.g. annotations, stay as they are). */
static int upsert(struct kube_client *c, struct arena *a, const struct kube_resource *r,
		  struct doc_node *obj, const char *what)
{
	const char *ns = doc_get_str(obj, "metadata.namespace"), *name = doc_get_str(obj, "metadata.name");
	struct doc_node *existing;
	int rc = kube_get(&existing, c, a, r, ns, name, NULL);
	if (rc == ERR_NOTFOUND) {
		rc = kube_create(NULL, c, a, obj, NULL);
		if (!rc)
			fprintf(stderr, "✔ %s created\n", what);
		return rc;
	}
	if (rc)
		return rc;
	struct doc_node *labels = doc_get(obj, "metadata.labels");
	if (labels)
		doc_set(a, existing, "metadata.labels", labels);
	else
		doc_delete(existing, "metadata.labels");
	doc_map_set(a, existing, "spec", doc_map_get(obj, "spec"));
	rc = kube_update(NULL, c, a, existing, NULL);
	if (!rc)
		fprintf(stderr, "✔ %s updated\n", what);
	return rc;
}

static int find_resource(const struct kube_resource **r, struct kube_client *c, struct arena *a,
			 const char *api_version, const char *kind)
{
	int rc = kube_mapper_find(r, c, api_version, kind);
	if (rc == ERR_NOTFOUND)
		rc = err_set(ERR_NOTFOUND, "no matches for kind \"%s\" in version \"%s\": are tide's CRDs installed? (tide install)",
			     kind, api_version);
	(void)a;
	return rc;
}

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* ---- create source git -------------------------------------------------------------- */

static int create_git(int argc, char **argv)
{
	struct create_common cc = { 0 };
	struct git_args ga = { 0 };
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 32];
	size_t n = common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "url", 0, FLAG_STRING, &ga.url, "git address, e.g. ssh://git@host/org/repository", NULL };
	f[n++] = (struct cli_flag){ "branch", 0, FLAG_STRING, &ga.branch, "git branch", NULL };
	f[n++] = (struct cli_flag){ "tag", 0, FLAG_STRING, &ga.tag, "git tag", NULL };
	f[n++] = (struct cli_flag){ "tag-semver", 0, FLAG_STRING, &ga.semver, "git tag semver range", NULL };
	f[n++] = (struct cli_flag){ "ref-name", 0, FLAG_STRING, &ga.ref_name, "git reference name", NULL };
	f[n++] = (struct cli_flag){ "commit", 0, FLAG_STRING, &ga.commit, "git commit", NULL };
	f[n++] = (struct cli_flag){ "username", 'u', FLAG_STRING, &ga.username, "basic authentication username", NULL };
	f[n++] = (struct cli_flag){ "password", 'p', FLAG_STRING, &ga.password, "basic authentication password", NULL };
	f[n++] = (struct cli_flag){ "secret-ref", 0, FLAG_STRING, &ga.secret_ref,
				    "the name of an existing secret containing SSH or basic credentials or github app authentication", NULL };
	f[n++] = (struct cli_flag){ "proxy-secret-ref", 0, FLAG_STRING, &ga.proxy_secret_ref,
				    "the name of an existing secret containing the proxy address and credentials", NULL };
	f[n++] = (struct cli_flag){ "provider", 0, FLAG_STRING, &ga.provider,
				    "the Git provider name, available options are: (generic, azure, github)", NULL };
	f[n++] = (struct cli_flag){ "recurse-submodules", 0, FLAG_BOOL, &ga.recurse_submodules,
				    "when enabled, configures the GitRepository source to initialize and include Git submodules in the artifact it produces", "false" };
	f[n++] = (struct cli_flag){ "silent", 's', FLAG_BOOL, &ga.silent, "assumes the deploy key is already setup, skips confirmation", "false" };
	f[n++] = (struct cli_flag){ "ignore-paths", 0, FLAG_STRINGS, &ga.ignore_paths,
				    "set paths to ignore in git resource (can specify multiple paths with commas: path1,path2)", "[]" };
	f[n++] = (struct cli_flag){ "sparse-checkout-paths", 0, FLAG_STRINGS, &ga.sparse_paths,
				    "set paths to sparse checkout in git resource (can specify multiple paths with commas: path1,path2)", "[]" };
	f[n++] = (struct cli_flag){ "fetch-timeout", 0, FLAG_DURATION, &ga.fetch_timeout_ms, "set a timeout for fetching artifacts", "0s" };
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, f, n, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	if (cc.g.help) {
		static const struct cli_usage u = {
			"tide create source git [name] [flags]",
			"The create source git command generates a GitRepository resource and waits for it to sync.",
			"  # Create a source for a public Git repository\n"
			"  tide create source git podinfo \\\n"
			"    --url=https://github.com/stefanprodan/podinfo \\\n"
			"    --branch=master \\\n"
			"    --interval=1m0s\n\n"
			"  # Export the GitRepository as YAML instead of applying it\n"
			"  tide create source git podinfo --url=https://github.com/stefanprodan/podinfo --tag-semver=\">=6.0.0\" --export",
		};
		cli_print_help(&u, f, n);
		return 0;
	}
	if (nargs != 1)
		return cli_fail("name is required");
	const char *name = args[0];
	if (!ga.url || !*ga.url)
		return cli_fail("url is required");
	const char *colon = strstr(ga.url, "://");
	char scheme[16] = "";
	if (colon && (size_t)(colon - ga.url) < sizeof(scheme))
		snprintf(scheme, sizeof(scheme), "%.*s", (int)(colon - ga.url), ga.url);
	if (strcmp(scheme, "ssh") && strcmp(scheme, "http") && strcmp(scheme, "https"))
		return cli_fail("git URL scheme '%s' not supported, can be: ssh, http and https", scheme);
	if (!ga.branch && !ga.tag && !ga.semver && !ga.commit && !ga.ref_name)
		return cli_fail("a Git ref is required, use one of the following: --branch, --tag, --commit, --ref-name or --tag-semver");
	if (ga.provider && strcmp(ga.provider, "generic") && strcmp(ga.provider, "azure") && strcmp(ga.provider, "github"))
		return cli_fail("invalid argument \"%s\" for \"--provider\" flag: unsupported source provider '%s', must be one of: generic, azure, github",
				ga.provider, ga.provider);

	struct arena *a = arena_new();
	struct kube_client *c = NULL;
	struct doc_node *obj;
	int rc = new_object(&obj, a, &cc, "source.toolkit.fluxcd.io/v1", "GitRepository", name);
	if (rc)
		goto fail;
	struct doc_node *spec = doc_new_map(a), *ref = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	if (ga.ignore_paths.len) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < ga.ignore_paths.len; i++)
			buf_addf(&b, "%s%s", i ? "\n" : "", ga.ignore_paths.items[i]);
		doc_map_set(a, spec, "ignore", str(a, arena_strndup(a, b.ptr, b.len)));
		buf_release(&b);
	}
	doc_map_set(a, spec, "interval", duration(a, cc.interval_ms));
	if (ga.provider && *ga.provider)
		doc_map_set(a, spec, "provider", str(a, ga.provider));
	if (ga.proxy_secret_ref && *ga.proxy_secret_ref)
		doc_map_set(a, spec, "proxySecretRef", name_ref(a, ga.proxy_secret_ref));
	if (ga.recurse_submodules)
		doc_map_set(a, spec, "recurseSubmodules", doc_new_bool(a, true));
	/* flux's precedence: commit (with its branch), ref name, semver, tag, branch */
	if (ga.commit && *ga.commit) {
		if (ga.branch && *ga.branch)
			doc_map_set(a, ref, "branch", str(a, ga.branch));
		doc_map_set(a, ref, "commit", str(a, ga.commit));
	} else if (ga.ref_name && *ga.ref_name) {
		doc_map_set(a, ref, "name", str(a, ga.ref_name));
	} else if (ga.semver && *ga.semver) {
		doc_map_set(a, ref, "semver", str(a, ga.semver));
	} else if (ga.tag && *ga.tag) {
		doc_map_set(a, ref, "tag", str(a, ga.tag));
	} else if (ga.branch && *ga.branch) {
		doc_map_set(a, ref, "branch", str(a, ga.branch));
	}
	doc_map_set(a, spec, "ref", ref);
	if (ga.secret_ref && *ga.secret_ref)
		doc_map_set(a, spec, "secretRef", name_ref(a, ga.secret_ref));
	if (ga.sparse_paths.len) {
		struct doc_node *s = doc_new_seq(a);
		for (size_t i = 0; i < ga.sparse_paths.len; i++)
			doc_seq_push(a, s, str(a, ga.sparse_paths.items[i]));
		doc_map_set(a, spec, "sparseCheckout", s);
	}
	if (ga.fetch_timeout_ms > 0)
		doc_map_set(a, spec, "timeout", duration(a, ga.fetch_timeout_ms));
	doc_map_set(a, spec, "url", str(a, ga.url));

	if (cc.export) {
		print_export(obj);
		arena_free(a);
		return 0;
	}
	rc = cli_connect(&c, &cc.g);
	if (rc)
		goto fail;
	int64_t deadline = cli_now_ms() + cc.g.timeout_ms;
	const char *ns = cli_namespace(&cc.g);
	fprintf(stderr, "✚ generating GitRepository source\n");
	if (!(ga.secret_ref && *ga.secret_ref) && !strcmp(scheme, "ssh")) {
		rc = err_set(ERR_UNSUPPORTED, "SSH key generation is not supported by tide: create a secret with the key and pass --secret-ref");
		goto fail;
	}
	if (!(ga.secret_ref && *ga.secret_ref) && ((ga.username && *ga.username) || (ga.password && *ga.password))) {
		if (!strcmp(scheme, "http"))
			fprintf(stderr, "⚠️ insecure configuration: credentials configured for an HTTP URL\n");
		struct doc_node *sec = doc_new_map(a), *meta = doc_new_map(a), *data = doc_new_map(a);
		doc_map_set(a, sec, "apiVersion", str(a, "v1"));
		doc_map_set(a, sec, "kind", str(a, "Secret"));
		doc_map_set(a, meta, "name", str(a, name));
		doc_map_set(a, meta, "namespace", str(a, ns));
		doc_map_set(a, sec, "metadata", meta);
		doc_map_set(a, data, "username", str(a, ga.username ? ga.username : ""));
		doc_map_set(a, data, "password", str(a, ga.password ? ga.password : ""));
		doc_map_set(a, sec, "stringData", data);
		fprintf(stderr, "► applying secret with repository credentials\n");
		const struct kube_resource *sr;
		rc = find_resource(&sr, c, a, "v1", "Secret");
		if (!rc)
			rc = kube_apply(NULL, c, a, sec, &(struct kube_opts){ .field_manager = "flux-client", .force = true });
		if (rc)
			goto fail;
		doc_map_set(a, spec, "secretRef", name_ref(a, name));
		fprintf(stderr, "✔ authentication configured\n");
	}
	fprintf(stderr, "► applying GitRepository source\n");
	const struct kube_resource *r;
	rc = find_resource(&r, c, a, "source.toolkit.fluxcd.io/v1", "GitRepository");
	if (!rc)
		rc = upsert(c, a, r, obj, "GitRepository source");
	if (rc)
		goto fail;
	fprintf(stderr, "◎ waiting for GitRepository source reconciliation\n");
	const char *message = "";
	struct doc_node *last = NULL;
	rc = cli_wait_ready(c, r, ns, name, deadline, &message, &last, a);
	if (rc)
		goto fail;
	fprintf(stderr, "✔ GitRepository source reconciliation completed\n");
	const char *rev = doc_get_str(last, "status.artifact.revision");
	if (!rev) {
		rc = err_set(ERR_NOTFOUND, "GitRepository source reconciliation completed but no artifact was found");
		goto fail;
	}
	fprintf(stderr, "✔ fetched revision: %s\n", rev);
	kube_client_free(c);
	arena_free(a);
	return 0;
fail:
	kube_client_free(c);
	arena_free(a);
	return cli_fail("%s", err_msg());
}

/* ---- create kustomization ----------------------------------------------------------- */

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

static int create_ks(int argc, char **argv)
{
	struct create_common cc = { 0 };
	struct ks_args ka = { 0 };
	ka.health_timeout_ms = 120000;
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 32];
	size_t n = common_flags(f, &cc);
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
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, f, n, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	if (cc.g.help) {
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
		cli_print_help(&u, f, n);
		return 0;
	}
	if (nargs != 1)
		return cli_fail("name is required");
	const char *name = args[0];
	if (ka.decryption_provider && strcmp(ka.decryption_provider, "sops"))
		return cli_fail("invalid argument \"%s\" for \"--decryption-provider\" flag: unsupported decryption provider '%s', must be one of: sops",
				ka.decryption_provider, ka.decryption_provider);
	if (!ka.path || !*ka.path)
		return cli_fail("path is required");
	if (!has_prefix(ka.path, "./"))
		return cli_fail("path must begin with ./");
	struct arena *a = arena_new();
	struct kube_client *c = NULL;
	const char *skind = "", *sname = "", *sns = "";
	struct doc_node *obj;
	int rc = parse_source(ka.source, a, &skind, &sname, &sns);
	if (!rc && !cc.export)
		fprintf(stderr, "✚ generating Kustomization\n");
	if (!rc)
		rc = new_object(&obj, a, &cc, "kustomize.toolkit.fluxcd.io/v1", "Kustomization", name);
	if (rc)
		goto fail;
	struct doc_node *spec = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	if (ka.decryption_provider) {
		struct doc_node *d = doc_new_map(a);
		doc_map_set(a, d, "provider", str(a, ka.decryption_provider));
		if (ka.decryption_secret && *ka.decryption_secret)
			doc_map_set(a, d, "secretRef", name_ref(a, ka.decryption_secret));
		doc_map_set(a, spec, "decryption", d);
	}
	if (ka.depends_on.len) {
		struct doc_node *s = doc_new_seq(a);
		for (size_t i = 0; i < ka.depends_on.len; i++) {
			const char *d = ka.depends_on.items[i], *slash = strchr(d, '/');
			struct doc_node *m = doc_new_map(a);
			doc_map_set(a, m, "name", str(a, slash ? slash + 1 : d));
			if (slash)
				doc_map_set(a, m, "namespace", str(a, arena_strndup(a, d, (size_t)(slash - d))));
			doc_seq_push(a, s, m);
		}
		doc_map_set(a, spec, "dependsOn", s);
	}
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
				doc_map_set(a, m, "apiVersion", str(a, "helm.toolkit.fluxcd.io/v2"));
			doc_map_set(a, m, "kind", str(a, kind));
			doc_map_set(a, m, "name", str(a, arena_strndup(a, slash + 1, (size_t)(dot - slash - 1))));
			doc_map_set(a, m, "namespace", str(a, dot + 1));
			doc_seq_push(a, s, m);
		}
		doc_map_set(a, spec, "healthChecks", s);
		timeout = true;
	}
	doc_map_set(a, spec, "interval", duration(a, cc.interval_ms));
	if (ka.kubeconfig_secret_ref && *ka.kubeconfig_secret_ref) {
		struct doc_node *k = doc_new_map(a);
		doc_map_set(a, k, "secretRef", name_ref(a, ka.kubeconfig_secret_ref));
		doc_map_set(a, spec, "kubeConfig", k);
	}
	/* flux writes the path with filepath.ToSlash and keeps it as given otherwise */
	doc_map_set(a, spec, "path", str(a, ka.path));
	doc_map_set(a, spec, "prune", doc_new_bool(a, ka.prune));
	if (ka.retry_interval_ms > 0)
		doc_map_set(a, spec, "retryInterval", duration(a, ka.retry_interval_ms));
	if (ka.service_account && *ka.service_account)
		doc_map_set(a, spec, "serviceAccountName", str(a, ka.service_account));
	struct doc_node *src = doc_new_map(a);
	doc_map_set(a, src, "kind", str(a, skind));
	doc_map_set(a, src, "name", str(a, sname));
	if (*sns)
		doc_map_set(a, src, "namespace", str(a, sns));
	doc_map_set(a, spec, "sourceRef", src);
	if (ka.target_namespace && *ka.target_namespace)
		doc_map_set(a, spec, "targetNamespace", str(a, ka.target_namespace));
	if (timeout || ka.wait)
		doc_map_set(a, spec, "timeout", duration(a, ka.health_timeout_ms));
	if (ka.wait)
		doc_map_set(a, spec, "wait", doc_new_bool(a, true));

	if (cc.export) {
		print_export(obj);
		arena_free(a);
		return 0;
	}
	rc = cli_connect(&c, &cc.g);
	if (rc)
		goto fail;
	int64_t deadline = cli_now_ms() + cc.g.timeout_ms;
	fprintf(stderr, "► applying Kustomization\n");
	const struct kube_resource *r;
	rc = find_resource(&r, c, a, "kustomize.toolkit.fluxcd.io/v1", "Kustomization");
	if (!rc)
		rc = upsert(c, a, r, obj, "Kustomization");
	if (rc)
		goto fail;
	fprintf(stderr, "◎ waiting for Kustomization reconciliation\n");
	const char *message = "";
	struct doc_node *last = NULL;
	rc = cli_wait_ready(c, r, cli_namespace(&cc.g), name, deadline, &message, &last, a);
	if (rc)
		goto fail;
	fprintf(stderr, "✔ Kustomization %s is ready\n", name);
	const char *rev = doc_get_str(last, "status.lastAppliedRevision");
	fprintf(stderr, "✔ applied revision %s\n", rev ? rev : "");
	kube_client_free(c);
	arena_free(a);
	return 0;
fail:
	kube_client_free(c);
	arena_free(a);
	return cli_fail("%s", err_msg());
}

static void print_create_help(void)
{
	printf("The create sub-commands generate sources and resources.\n\n"
	       "Usage:\n  tide create [command]\n\n"
	       "Available Commands:\n"
	       "  kustomization Create or update a Kustomization resource\n"
	       "  source git    Create or update a GitRepository source\n\n"
	       "Use \"tide create [command] --help\" for more information about a command.\n");
}

int cmd_create(int argc, char **argv)
{
	/* The subcommand words come first, as cobra requires: `create source git NAME ...`. */
	const char *w1 = argc > 1 ? argv[1] : "";
	if (!*w1 || !strcmp(w1, "--help") || !strcmp(w1, "-h")) {
		print_create_help();
		return *w1 ? 0 : 1;
	}
	if (!strcmp(w1, "kustomization") || !strcmp(w1, "ks"))
		return create_ks(argc - 1, argv + 1);
	if (!strcmp(w1, "source")) {
		const char *w2 = argc > 2 ? argv[2] : "";
		if (!strcmp(w2, "git"))
			return create_git(argc - 2, argv + 2);
		if (!strcmp(w2, "oci") || !strcmp(w2, "helm") || !strcmp(w2, "bucket"))
			return cli_fail("create source %s: not implemented yet in tide (see docs/differences.md)", w2);
		return cli_fail("create source: a source kind is required: git (oci, helm and bucket are not implemented yet)");
	}
	return cli_fail("create: unknown or not yet implemented kind \"%s\" (tide create --help)", w1);
}
