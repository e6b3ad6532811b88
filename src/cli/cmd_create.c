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
#include "cli/create.h"
#include "cli/flags.h"
#include "cli/wait.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "util/clock.h"
#include "util/duration.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

struct git_args {
	const char *url, *branch, *tag, *semver, *ref_name, *commit, *username, *password;
	const char *secret_ref, *proxy_secret_ref, *provider, *ca_file;
	struct create_ssh ssh;
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

size_t create_common_flags(struct cli_flag *f, struct create_common *cc)
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

struct doc_node *create_str(struct arena *a, const char *s)
{
	return doc_new_str(a, s);
}

struct doc_node *create_duration(struct arena *a, int64_t ms)
{
	char b[64];
	return doc_new_str(a, duration_format(b, sizeof(b), ms));
}

struct doc_node *create_name_ref(struct arena *a, const char *name)
{
	struct doc_node *m = doc_new_map(a);
	doc_map_set(a, m, "name", create_str(a, name));
	return m;
}

/* apiVersion, kind and metadata (name, namespace, labels from --label as flux's parseLabels). */
int create_new_object(struct doc_node **out, struct arena *a, const struct create_common *cc,
		      const char *api_version, const char *kind, const char *name)
{
	struct doc_node *obj = doc_new_map(a), *meta = doc_new_map(a);
	doc_map_set(a, obj, "apiVersion", create_str(a, api_version));
	doc_map_set(a, obj, "kind", create_str(a, kind));
	doc_map_set(a, obj, "metadata", meta);
	if (cc->labels.len) {
		struct doc_node *labels = doc_new_map(a);
		for (size_t i = 0; i < cc->labels.len; i++) {
			const char *l = cc->labels.items[i], *eq = strchr(l, '=');
			if (!eq || eq == l)
				return err_set(ERR_INVALID, "invalid label format '%s', must be key=value", l);
			doc_map_set(a, labels, arena_strndup(a, l, (size_t)(eq - l)), create_str(a, eq + 1));
		}
		doc_map_set(a, meta, "labels", labels);
	}
	doc_map_set(a, meta, "name", create_str(a, name));
	doc_map_set(a, meta, "namespace", create_str(a, cli_namespace(&cc->g)));
	*out = obj;
	return 0;
}

void create_print_export(struct doc_node *obj)
{
	struct buf out = BUF_INIT;
	doc_emit_yaml(&out, obj, DOC_EMIT_SORT_KEYS);
	while (out.len && out.ptr[out.len - 1] == '\n')
		out.len--;
	printf("---\n%.*s\n", (int)out.len, out.ptr);
	buf_release(&out);
}

/* flux's create_upsert<Kind>: CREATE when missing, else UPDATE of the existing object's labels and
 * spec (other fields, e.g. annotations, stay as they are). */
int create_upsert(struct kube_client *c, struct arena *a, const struct kube_resource *r,
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

int create_find_resource(const struct kube_resource **r, struct kube_client *c, struct arena *a,
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

/* Upserts obj, waits for Ready and prints the fetched revision: the tail of every
 * `create source`. Returns 0 or an error code with the message set. */
int create_source_apply_and_wait(struct kube_client *c, struct arena *a, const struct create_common *cc,
				 struct doc_node *obj, const struct source_msgs *m, int64_t deadline)
{
	fprintf(stderr, "► %s\n", m->applying);
	const struct kube_resource *r;
	int rc = create_find_resource(&r, c, a, m->api_version, m->kind);
	if (!rc)
		rc = create_upsert(c, a, r, obj, m->upserted);
	if (rc)
		return rc;
	fprintf(stderr, "◎ %s\n", m->waiting);
	const char *message = "";
	struct doc_node *last = NULL;
	rc = cli_wait_ready(c, r, cli_namespace(&cc->g), doc_get_str(obj, "metadata.name"), deadline,
			    &message, &last, a);
	if (rc)
		return rc;
	fprintf(stderr, "✔ %s\n", m->completed);
	if (!m->no_artifact)
		return 0;
	const char *rev = doc_get_str(last, "status.artifact.revision");
	if (!rev)
		return err_set(ERR_NOTFOUND, "%s", m->no_artifact);
	fprintf(stderr, "✔ fetched revision: %s\n", rev);
	return 0;
}

int create_apply_secret(struct kube_client *c, struct arena *a, struct doc_node *sec)
{
	return kube_apply(NULL, c, a, sec, &(struct kube_opts){ .field_manager = "flux-client", .force = true });
}

/* A v1 Secret ns/name with an empty stringData map (*data). */
static struct doc_node *new_secret(struct arena *a, const char *ns, const char *name, struct doc_node **data)
{
	struct doc_node *sec = doc_new_map(a), *meta = doc_new_map(a);
	*data = doc_new_map(a);
	doc_map_set(a, sec, "apiVersion", create_str(a, "v1"));
	doc_map_set(a, sec, "kind", create_str(a, "Secret"));
	doc_map_set(a, meta, "name", create_str(a, name));
	doc_map_set(a, meta, "namespace", create_str(a, ns));
	doc_map_set(a, sec, "metadata", meta);
	doc_map_set(a, sec, "stringData", *data);
	return sec;
}

/* A Secret named like the source with basic-auth credentials, server-side applied. */
int create_apply_basic_auth(struct kube_client *c, struct arena *a, const char *ns, const char *name,
			    const char *user, const char *password)
{
	struct doc_node *data, *sec = new_secret(a, ns, name, &data);
	doc_map_set(a, data, "username", create_str(a, user ? user : ""));
	doc_map_set(a, data, "password", create_str(a, password ? password : ""));
	fprintf(stderr, "► applying secret with repository credentials\n");
	int rc = create_apply_secret(c, a, sec);
	if (!rc)
		fprintf(stderr, "✔ authentication configured\n");
	return rc;
}

/* ---- create source git -------------------------------------------------------------- */

static bool given(const char *s)
{
	return s && *s;
}

/* flux's credentials step of `create source git` without --secret-ref: a Secret named like
 * the source with an SSH key pair and the server's host key (after the deploy key is
 * confirmed, unless --silent), or basic-auth credentials and a CA; nothing when there is
 * nothing to store. Returns 1 when a Secret was applied, 0 when none was needed, or an
 * error code. */
static int git_credentials(struct kube_client *c, struct arena *a, struct git_args *ga, const char *scheme,
			   const char *ns, const char *name)
{
	struct doc_node *data, *sec = new_secret(a, ns, name, &data);
	int rc;
	if (!strcmp(scheme, "ssh")) {
		ga->ssh.password = ga->password;
		if ((rc = create_ssh_secret_data(a, data, &ga->ssh, ga->url)))
			return rc;
		fprintf(stderr, "✔ collected public key from SSH server:\n%s\n", doc_get_str(data, "known_hosts"));
		const char *pub = doc_get_str(data, "identity\\.pub");
		if (pub) {
			fprintf(stderr, "✚ deploy key: %s%s", pub, pub[0] && pub[strlen(pub) - 1] == '\n' ? "" : "\n");
			if (!ga->silent && !cli_confirm("Have you added the deploy key to your repository"))
				return err_set(ERR_GENERIC, "aborting");
		}
	} else {
		if (!strcmp(scheme, "http") && (given(ga->username) || given(ga->password)))
			fprintf(stderr, "⚠️ insecure configuration: credentials configured for an HTTP URL\n");
		if (given(ga->username) && given(ga->password)) {
			doc_map_set(a, data, "username", create_str(a, ga->username));
			doc_map_set(a, data, "password", create_str(a, ga->password));
		}
		if (!strcmp(scheme, "https") && given(ga->ca_file)) {
			const char *ca;
			if ((rc = create_read_file(&ca, a, ga->ca_file, "unable to read TLS CA file")))
				return rc;
			doc_map_set(a, data, "ca.crt", create_str(a, ca));
		}
		if (data->u.map.len == 0)
			return 0;
	}
	fprintf(stderr, "► applying secret with repository credentials\n");
	if ((rc = create_apply_secret(c, a, sec)))
		return rc;
	fprintf(stderr, "✔ authentication configured\n");
	return 1;
}

static int create_git(int argc, char **argv)
{
	struct create_common cc = { 0 };
	struct git_args ga = { 0 };
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 32];
	size_t n = create_common_flags(f, &cc);
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
	f[n++] = (struct cli_flag){ "ca-file", 0, FLAG_STRING, &ga.ca_file, "path to TLS CA file used for validating self-signed certificates", NULL };
	n += create_ssh_flags(f + n, &ga.ssh);
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, f, n, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	if (cc.g.help) {
		static const struct cli_usage u = {
			"tide create source git [name] [flags]",
			"The create source git command generates a GitRepository resource and waits for it to sync.\n"
			"For Git over SSH, host and SSH keys are automatically generated and stored in a Kubernetes secret.\n"
			"For private Git repositories, the basic authentication credentials are stored in a Kubernetes secret.",
			"  # Create a source for a public Git repository\n"
			"  tide create source git podinfo \\\n"
			"    --url=https://github.com/stefanprodan/podinfo \\\n"
			"    --branch=master \\\n"
			"    --interval=1m0s\n\n"
			"  # Create a source for a Git repository using SSH authentication\n"
			"  tide create source git podinfo \\\n"
			"    --url=ssh://git@github.com/stefanprodan/podinfo \\\n"
			"    --branch=master\n\n"
			"  # Create a source for a Git repository using SSH authentication with an ECDSA P-521 curve public key\n"
			"  tide create source git podinfo \\\n"
			"    --url=ssh://git@github.com/stefanprodan/podinfo \\\n"
			"    --branch=master \\\n"
			"    --ssh-key-algorithm=ecdsa \\\n"
			"    --ssh-ecdsa-curve=p521\n\n"
			"  # Create a source for a Git repository using basic authentication\n"
			"  tide create source git podinfo \\\n"
			"    --url=https://github.com/stefanprodan/podinfo \\\n"
			"    --username=username \\\n"
			"    --password=password\n\n"
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
	/* file:// too: tide's GitRepository CRD accepts it (docs/differences.md). */
	if (strcmp(scheme, "ssh") && strcmp(scheme, "http") && strcmp(scheme, "https") && strcmp(scheme, "file"))
		return cli_fail("git URL scheme '%s' not supported, can be: ssh, http, https and file", scheme);
	if (!ga.branch && !ga.tag && !ga.semver && !ga.commit && !ga.ref_name)
		return cli_fail("a Git ref is required, use one of the following: --branch, --tag, --commit, --ref-name or --tag-semver");
	if (ga.provider && strcmp(ga.provider, "generic") && strcmp(ga.provider, "azure") && strcmp(ga.provider, "github"))
		return cli_fail("invalid argument \"%s\" for \"--provider\" flag: unsupported source provider '%s', must be one of: generic, azure, github",
				ga.provider, ga.provider);
	if (create_ssh_check(&ga.ssh))
		return cli_fail("%s", err_msg());
	if (ga.ca_file && *ga.ca_file && !strcmp(scheme, "ssh"))
		return cli_fail("specifying a CA file is not supported for Git over SSH");

	struct arena *a = arena_new();
	struct kube_client *c = NULL;
	struct doc_node *obj;
	int rc = create_new_object(&obj, a, &cc, "source.toolkit.fluxcd.io/v1", "GitRepository", name);
	if (rc)
		goto fail;
	struct doc_node *spec = doc_new_map(a), *ref = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	if (ga.ignore_paths.len) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < ga.ignore_paths.len; i++)
			buf_addf(&b, "%s%s", i ? "\n" : "", ga.ignore_paths.items[i]);
		doc_map_set(a, spec, "ignore", create_str(a, arena_strndup(a, b.ptr, b.len)));
		buf_release(&b);
	}
	doc_map_set(a, spec, "interval", create_duration(a, cc.interval_ms));
	if (ga.provider && *ga.provider)
		doc_map_set(a, spec, "provider", create_str(a, ga.provider));
	if (ga.proxy_secret_ref && *ga.proxy_secret_ref)
		doc_map_set(a, spec, "proxySecretRef", create_name_ref(a, ga.proxy_secret_ref));
	if (ga.recurse_submodules)
		doc_map_set(a, spec, "recurseSubmodules", doc_new_bool(a, true));
	/* flux's precedence: commit (with its branch), ref name, semver, tag, branch */
	if (ga.commit && *ga.commit) {
		if (ga.branch && *ga.branch)
			doc_map_set(a, ref, "branch", create_str(a, ga.branch));
		doc_map_set(a, ref, "commit", create_str(a, ga.commit));
	} else if (ga.ref_name && *ga.ref_name) {
		doc_map_set(a, ref, "name", create_str(a, ga.ref_name));
	} else if (ga.semver && *ga.semver) {
		doc_map_set(a, ref, "semver", create_str(a, ga.semver));
	} else if (ga.tag && *ga.tag) {
		doc_map_set(a, ref, "tag", create_str(a, ga.tag));
	} else if (ga.branch && *ga.branch) {
		doc_map_set(a, ref, "branch", create_str(a, ga.branch));
	}
	doc_map_set(a, spec, "ref", ref);
	if (ga.secret_ref && *ga.secret_ref)
		doc_map_set(a, spec, "secretRef", create_name_ref(a, ga.secret_ref));
	if (ga.sparse_paths.len) {
		struct doc_node *s = doc_new_seq(a);
		for (size_t i = 0; i < ga.sparse_paths.len; i++)
			doc_seq_push(a, s, create_str(a, ga.sparse_paths.items[i]));
		doc_map_set(a, spec, "sparseCheckout", s);
	}
	if (ga.fetch_timeout_ms > 0)
		doc_map_set(a, spec, "timeout", create_duration(a, ga.fetch_timeout_ms));
	doc_map_set(a, spec, "url", create_str(a, ga.url));

	if (cc.export) {
		create_print_export(obj);
		arena_free(a);
		return 0;
	}
	rc = cli_connect(&c, &cc.g);
	if (rc)
		goto fail;
	int64_t deadline = clock_mono_ms() + cc.g.timeout_ms;
	const char *ns = cli_namespace(&cc.g);
	fprintf(stderr, "✚ generating GitRepository source\n");
	if (!(ga.secret_ref && *ga.secret_ref)) {
		rc = git_credentials(c, a, &ga, scheme, ns, name);
		if (rc > 0) {
			doc_map_set(a, spec, "secretRef", create_name_ref(a, name));
			rc = 0;
		}
		if (rc)
			goto fail;
	}
	static const struct source_msgs gm = {
		"GitRepository", "source.toolkit.fluxcd.io/v1", "applying GitRepository source",
		"GitRepository source", "waiting for GitRepository source reconciliation",
		"GitRepository source reconciliation completed",
		"GitRepository source reconciliation completed but no artifact was found",
	};
	rc = create_source_apply_and_wait(c, a, &cc, obj, &gm, deadline);
	if (rc)
		goto fail;
	kube_client_free(c);
	arena_free(a);
	return 0;
fail:
	kube_client_free(c);
	arena_free(a);
	return cli_fail("%s", err_msg());
}

/* ---- create source helm ------------------------------------------------------------- */

static int create_helm(int argc, char **argv)
{
	struct create_common cc = { 0 };
	const char *url = NULL, *username = NULL, *password = NULL, *secret_ref = NULL, *oci_provider = NULL;
	const char *cert_file = NULL, *key_file = NULL, *ca_file = NULL;
	bool pass_credentials = false;
	int64_t fetch_timeout_ms = 0;
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 16];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "url", 0, FLAG_STRING, &url, "Helm repository address", NULL };
	f[n++] = (struct cli_flag){ "username", 'u', FLAG_STRING, &username, "basic authentication username", NULL };
	f[n++] = (struct cli_flag){ "password", 'p', FLAG_STRING, &password, "basic authentication password", NULL };
	f[n++] = (struct cli_flag){ "cert-file", 0, FLAG_STRING, &cert_file, "TLS authentication cert file path", NULL };
	f[n++] = (struct cli_flag){ "key-file", 0, FLAG_STRING, &key_file, "TLS authentication key file path", NULL };
	f[n++] = (struct cli_flag){ "ca-file", 0, FLAG_STRING, &ca_file, "TLS authentication CA file path", NULL };
	f[n++] = (struct cli_flag){ "secret-ref", 0, FLAG_STRING, &secret_ref,
				    "the name of an existing secret containing TLS, basic auth or docker-config credentials", NULL };
	f[n++] = (struct cli_flag){ "oci-provider", 0, FLAG_STRING, &oci_provider, "OCI provider for authentication", NULL };
	f[n++] = (struct cli_flag){ "pass-credentials", 0, FLAG_BOOL, &pass_credentials, "pass credentials to all domains", "false" };
	f[n++] = (struct cli_flag){ "fetch-timeout", 0, FLAG_DURATION, &fetch_timeout_ms, "set a timeout for fetching artifacts", "0s" };
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, f, n, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	if (cc.g.help) {
		static const struct cli_usage u = {
			"tide create source helm [name] [flags]",
			"The create source helm command generates a HelmRepository resource and waits for it to fetch the index.",
			"  # Create a source for an HTTPS public Helm repository\n"
			"  tide create source helm podinfo \\\n"
			"    --url=https://stefanprodan.github.io/podinfo \\\n"
			"    --interval=10m\n\n"
			"  # Create a source for an OCI Helm repository\n"
			"  tide create source helm podinfo --url=oci://ghcr.io/stefanprodan/charts/podinfo",
		};
		cli_print_help(&u, f, n);
		return 0;
	}
	if (nargs != 1)
		return cli_fail("name is required");
	const char *name = args[0];
	if (!url || !*url)
		return cli_fail("url is required");
	const char *sep = strstr(url, "://");
	char scheme[16] = "";
	if (sep && (size_t)(sep - url) < sizeof(scheme))
		snprintf(scheme, sizeof(scheme), "%.*s", (int)(sep - url), url);
	if (strcmp(scheme, "http") && strcmp(scheme, "https") && strcmp(scheme, "oci"))
		return cli_fail("url scheme '%s' not supported, can be: http, https and oci", scheme);
	if (!sep[3] || sep[3] == '/')
		return cli_fail("url host is required");
	bool oci = !strcmp(scheme, "oci");
	if ((cert_file && *cert_file) || (key_file && *key_file) || (ca_file && *ca_file))
		if (!cc.export)
			return cli_fail("--cert-file, --key-file and --ca-file are not supported by tide yet: create a secret and pass --secret-ref");

	struct arena *a = arena_new();
	struct kube_client *c = NULL;
	struct doc_node *obj;
	int rc = create_new_object(&obj, a, &cc, "source.toolkit.fluxcd.io/v1", "HelmRepository", name);
	if (rc)
		goto fail;
	struct doc_node *spec = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	doc_map_set(a, spec, "interval", create_duration(a, cc.interval_ms));
	if (secret_ref && *secret_ref && pass_credentials)
		doc_map_set(a, spec, "passCredentials", doc_new_bool(a, true));
	if (oci && oci_provider && *oci_provider)
		doc_map_set(a, spec, "provider", create_str(a, oci_provider));
	if (secret_ref && *secret_ref)
		doc_map_set(a, spec, "secretRef", create_name_ref(a, secret_ref));
	if (fetch_timeout_ms > 0)
		doc_map_set(a, spec, "timeout", create_duration(a, fetch_timeout_ms));
	if (oci)
		doc_map_set(a, spec, "type", create_str(a, "oci"));
	doc_map_set(a, spec, "url", create_str(a, url));
	if (cc.export) {
		create_print_export(obj);
		arena_free(a);
		return 0;
	}
	rc = cli_connect(&c, &cc.g);
	if (rc)
		goto fail;
	int64_t deadline = clock_mono_ms() + cc.g.timeout_ms;
	fprintf(stderr, "✚ generating HelmRepository source\n");
	if (!(secret_ref && *secret_ref) && ((username && *username) || (password && *password))) {
		rc = create_apply_basic_auth(c, a, cli_namespace(&cc.g), name, username, password);
		if (rc)
			goto fail;
		doc_map_set(a, spec, "secretRef", create_name_ref(a, name));
	}
	const struct source_msgs hm = {
		"HelmRepository", "source.toolkit.fluxcd.io/v1", "applying HelmRepository source", "source",
		"waiting for HelmRepository source reconciliation", "HelmRepository source reconciliation completed",
		/* an OCI HelmRepository is only a pointer: the controller makes no artifact for it */
		oci ? NULL : "HelmRepository source reconciliation completed but no artifact was found",
	};
	rc = create_source_apply_and_wait(c, a, &cc, obj, &hm, deadline);
	if (rc)
		goto fail;
	kube_client_free(c);
	arena_free(a);
	return 0;
fail:
	kube_client_free(c);
	arena_free(a);
	return cli_fail("%s", err_msg());
}

/* ---- create source oci -------------------------------------------------------------- */

static int create_oci(int argc, char **argv)
{
	struct create_common cc = { 0 };
	const char *url = NULL, *tag = NULL, *semver = NULL, *digest = NULL, *secret_ref = NULL, *provider = NULL;
	const char *proxy_secret_ref = NULL, *service_account = NULL, *cert_ref = NULL, *verify_provider = NULL;
	const char *verify_secret_ref = NULL, *verify_subject = NULL, *verify_issuer = NULL, *layer_selector = NULL;
	bool insecure = false;
	int64_t fetch_timeout_ms = 0;
	struct cli_strings ignore_paths = { 0 };
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 24];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "provider", 0, FLAG_STRING, &provider,
				    "the OCI provider name, available options are: (generic, aws, azure, gcp)", "generic" };
	f[n++] = (struct cli_flag){ "url", 0, FLAG_STRING, &url, "the OCI repository URL", NULL };
	f[n++] = (struct cli_flag){ "tag", 0, FLAG_STRING, &tag, "the OCI artifact tag", NULL };
	f[n++] = (struct cli_flag){ "tag-semver", 0, FLAG_STRING, &semver, "the OCI artifact tag semver range", NULL };
	f[n++] = (struct cli_flag){ "digest", 0, FLAG_STRING, &digest, "the OCI artifact digest", NULL };
	f[n++] = (struct cli_flag){ "secret-ref", 0, FLAG_STRING, &secret_ref,
				    "the name of the Kubernetes image pull secret (type 'kubernetes.io/dockerconfigjson')", NULL };
	f[n++] = (struct cli_flag){ "proxy-secret-ref", 0, FLAG_STRING, &proxy_secret_ref,
				    "the name of an existing secret containing the proxy address and credentials", NULL };
	f[n++] = (struct cli_flag){ "service-account", 0, FLAG_STRING, &service_account,
				    "the name of the Kubernetes service account that refers to an image pull secret", NULL };
	f[n++] = (struct cli_flag){ "cert-ref", 0, FLAG_STRING, &cert_ref, "the name of a secret to use for TLS certificates", NULL };
	f[n++] = (struct cli_flag){ "verify-provider", 0, FLAG_STRING, &verify_provider,
				    "the OCI verification provider name to use for signature verification, available options are: (cosign, notation)", NULL };
	f[n++] = (struct cli_flag){ "verify-secret-ref", 0, FLAG_STRING, &verify_secret_ref, "the name of a secret to use for signature verification", NULL };
	f[n++] = (struct cli_flag){ "verify-subject", 0, FLAG_STRING, &verify_subject,
				    "regular expression to use for the OIDC subject during signature verification", NULL };
	f[n++] = (struct cli_flag){ "verify-issuer", 0, FLAG_STRING, &verify_issuer,
				    "regular expression to use for the OIDC issuer during signature verification", NULL };
	f[n++] = (struct cli_flag){ "ignore-paths", 0, FLAG_STRINGS, &ignore_paths,
				    "set paths to ignore resources (can specify multiple paths with commas: path1,path2)", "[]" };
	f[n++] = (struct cli_flag){ "insecure", 0, FLAG_BOOL, &insecure, "for when connecting to a non-TLS registries over plain HTTP", "false" };
	f[n++] = (struct cli_flag){ "layer-selector", 0, FLAG_STRING, &layer_selector,
				    "the OCI artifact layer selector in the format '<media-type>:<operation>'", NULL };
	f[n++] = (struct cli_flag){ "fetch-timeout", 0, FLAG_DURATION, &fetch_timeout_ms, "set a timeout for fetching artifacts", "0s" };
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, f, n, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	if (cc.g.help) {
		static const struct cli_usage u = {
			"tide create source oci [name] [flags]",
			"The create source oci command generates an OCIRepository resource and waits for it to be ready.",
			"  # Create an OCIRepository for a public container image\n"
			"  tide create source oci podinfo \\\n"
			"    --url=oci://ghcr.io/stefanprodan/manifests/podinfo \\\n"
			"    --tag=6.6.2 \\\n"
			"    --interval=10m",
		};
		cli_print_help(&u, f, n);
		return 0;
	}
	if (nargs != 1)
		return cli_fail("name is required");
	const char *name = args[0];
	if (provider && strcmp(provider, "generic") && strcmp(provider, "aws") && strcmp(provider, "azure") && strcmp(provider, "gcp"))
		return cli_fail("invalid argument \"%s\" for \"--provider\" flag: source OCI provider '%s' is not supported, must be one of: generic, aws, azure, gcp",
				provider, provider);
	if (verify_provider && strcmp(verify_provider, "cosign") && strcmp(verify_provider, "notation"))
		return cli_fail("invalid argument \"%s\" for \"--verify-provider\" flag: source OCI verify provider '%s' is not supported, must be one of: cosign, notation",
				verify_provider, verify_provider);
	if (!url || !*url)
		return cli_fail("url is required");
	if (!(semver && *semver) && !(tag && *tag) && !(digest && *digest))
		return cli_fail("--tag, --tag-semver or --digest is required");
	const char *ls_media = NULL, *ls_op = NULL;
	struct arena *a = arena_new();
	struct kube_client *c = NULL;
	int rc = 0;
	if (layer_selector && *layer_selector) {
		const char *colon = strchr(layer_selector, ':');
		if (!colon || colon == layer_selector || !colon[1]) {
			rc = err_set(ERR_INVALID, "invalid --layer-selector \"%s\": must be in the format '<media-type>:<operation>'", layer_selector);
			goto fail;
		}
		ls_media = arena_strndup(a, layer_selector, (size_t)(colon - layer_selector));
		ls_op = colon + 1;
		if (strcmp(ls_op, "extract") && strcmp(ls_op, "copy")) {
			rc = err_set(ERR_INVALID, "invalid --layer-selector \"%s\": operation must be \"extract\" or \"copy\"", layer_selector);
			goto fail;
		}
	}
	if (!verify_provider && verify_secret_ref && *verify_secret_ref) {
		rc = err_set(ERR_INVALID, "a verification provider must be specified when a secret is specified");
		goto fail;
	}
	if (!verify_provider && ((verify_issuer && *verify_issuer) || (verify_subject && *verify_subject))) {
		rc = err_set(ERR_INVALID, "a verification provider must be specified when OIDC issuer/subject is specified");
		goto fail;
	}
	struct doc_node *obj;
	rc = create_new_object(&obj, a, &cc, "source.toolkit.fluxcd.io/v1", "OCIRepository", name);
	if (rc)
		goto fail;
	struct doc_node *spec = doc_new_map(a), *ref = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	if (cert_ref && *cert_ref)
		doc_map_set(a, spec, "certSecretRef", create_name_ref(a, cert_ref));
	if (ignore_paths.len) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < ignore_paths.len; i++)
			buf_addf(&b, "%s%s", i ? "\n" : "", ignore_paths.items[i]);
		doc_map_set(a, spec, "ignore", create_str(a, arena_strndup(a, b.ptr, b.len)));
		buf_release(&b);
	}
	if (insecure)
		doc_map_set(a, spec, "insecure", doc_new_bool(a, true));
	doc_map_set(a, spec, "interval", create_duration(a, cc.interval_ms));
	if (ls_media) {
		struct doc_node *ls = doc_new_map(a);
		doc_map_set(a, ls, "mediaType", create_str(a, ls_media));
		doc_map_set(a, ls, "operation", create_str(a, ls_op));
		doc_map_set(a, spec, "layerSelector", ls);
	}
	/* flux's provider flag defaults to "generic", which the Go struct always writes */
	doc_map_set(a, spec, "provider", create_str(a, provider ? provider : "generic"));
	if (proxy_secret_ref && *proxy_secret_ref)
		doc_map_set(a, spec, "proxySecretRef", create_name_ref(a, proxy_secret_ref));
	if (digest && *digest)
		doc_map_set(a, ref, "digest", create_str(a, digest));
	if (semver && *semver)
		doc_map_set(a, ref, "semver", create_str(a, semver));
	if (tag && *tag)
		doc_map_set(a, ref, "tag", create_str(a, tag));
	doc_map_set(a, spec, "ref", ref);
	if (secret_ref && *secret_ref)
		doc_map_set(a, spec, "secretRef", create_name_ref(a, secret_ref));
	if (service_account && *service_account)
		doc_map_set(a, spec, "serviceAccountName", create_str(a, service_account));
	if (fetch_timeout_ms > 0)
		doc_map_set(a, spec, "timeout", create_duration(a, fetch_timeout_ms));
	doc_map_set(a, spec, "url", create_str(a, url));
	if (verify_provider) {
		struct doc_node *v = doc_new_map(a);
		if ((verify_issuer && *verify_issuer) || (verify_subject && *verify_subject)) {
			struct doc_node *seq = doc_new_seq(a), *m = doc_new_map(a);
			doc_map_set(a, m, "issuer", create_str(a, verify_issuer ? verify_issuer : ""));
			doc_map_set(a, m, "subject", create_str(a, verify_subject ? verify_subject : ""));
			doc_seq_push(a, seq, m);
			doc_map_set(a, v, "matchOIDCIdentity", seq);
		}
		doc_map_set(a, v, "provider", create_str(a, verify_provider));
		if (verify_secret_ref && *verify_secret_ref)
			doc_map_set(a, v, "secretRef", create_name_ref(a, verify_secret_ref));
		doc_map_set(a, spec, "verify", v);
	}
	if (cc.export) {
		create_print_export(obj);
		arena_free(a);
		return 0;
	}
	rc = cli_connect(&c, &cc.g);
	if (rc)
		goto fail;
	static const struct source_msgs om = {
		"OCIRepository", "source.toolkit.fluxcd.io/v1", "applying OCIRepository", "OCIRepository",
		"waiting for OCIRepository reconciliation", "OCIRepository reconciliation completed",
		"no artifact was found",
	};
	rc = create_source_apply_and_wait(c, a, &cc, obj, &om, clock_mono_ms() + cc.g.timeout_ms);
	if (rc)
		goto fail;
	kube_client_free(c);
	arena_free(a);
	return 0;
fail:
	kube_client_free(c);
	arena_free(a);
	return cli_fail("%s", err_msg());
}

/* ---- the tail of create kustomization, helmrelease, alert-provider, alert, receiver ---- */

/* Upserts obj and waits for it as flux's create verbs do, then prints "✔ <Kind> NAME is
 * ready" and, when report is set, "✔ <report> <the string at report_path of the object as
 * last read>" ("✔ applied revision main@sha1:..."). A static object (Provider and Alert
 * v1beta3, which have no status: flux's isStaticObjectReadyConditionFunc) only needs to
 * exist. Returns the exit code. */
static int apply_and_wait(struct create_common *cc, struct arena *a, struct doc_node *obj, bool is_static,
			  const char *report, const char *report_path)
{
	struct kube_client *c = NULL;
	const char *name = doc_get_str(obj, "metadata.name"), *kind = doc_get_str(obj, "kind");
	int rc = cli_connect(&c, &cc->g);
	if (rc)
		goto out;
	int64_t deadline = clock_mono_ms() + cc->g.timeout_ms;
	fprintf(stderr, "► applying %s\n", kind);
	const struct kube_resource *r;
	rc = create_find_resource(&r, c, a, doc_get_str(obj, "apiVersion"), kind);
	if (!rc)
		rc = create_upsert(c, a, r, obj, kind);
	if (rc)
		goto out;
	fprintf(stderr, "◎ waiting for %s reconciliation\n", kind);
	struct doc_node *last = NULL;
	if (is_static) {
		rc = kube_get(&last, c, a, r, cli_namespace(&cc->g), name, NULL);
	} else {
		const char *message = "";
		rc = cli_wait_ready(c, r, cli_namespace(&cc->g), name, deadline, &message, &last, a);
	}
	if (rc)
		goto out;
	fprintf(stderr, "✔ %s %s is ready\n", kind, name);
	if (report) {
		const char *v = doc_get_str(last, report_path);
		fprintf(stderr, "✔ %s %s\n", report, v ? v : "");
	}
out:
	kube_client_free(c);
	return rc ? cli_fail("%s", err_msg()) : 0;
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
		rc = create_new_object(&obj, a, &cc, "kustomize.toolkit.fluxcd.io/v1", "Kustomization", name);
	if (rc)
		goto fail;
	struct doc_node *spec = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	if (ka.decryption_provider) {
		struct doc_node *d = doc_new_map(a);
		doc_map_set(a, d, "provider", create_str(a, ka.decryption_provider));
		if (ka.decryption_secret && *ka.decryption_secret)
			doc_map_set(a, d, "secretRef", create_name_ref(a, ka.decryption_secret));
		doc_map_set(a, spec, "decryption", d);
	}
	if (ka.depends_on.len) {
		struct doc_node *s = doc_new_seq(a);
		for (size_t i = 0; i < ka.depends_on.len; i++) {
			const char *d = ka.depends_on.items[i], *slash = strchr(d, '/');
			struct doc_node *m = doc_new_map(a);
			doc_map_set(a, m, "name", create_str(a, slash ? slash + 1 : d));
			if (slash)
				doc_map_set(a, m, "namespace", create_str(a, arena_strndup(a, d, (size_t)(slash - d))));
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
	if (ka.kubeconfig_secret_ref && *ka.kubeconfig_secret_ref) {
		struct doc_node *k = doc_new_map(a);
		doc_map_set(a, k, "secretRef", create_name_ref(a, ka.kubeconfig_secret_ref));
		doc_map_set(a, spec, "kubeConfig", k);
	}
	/* flux writes the path with filepath.ToSlash and keeps it as given otherwise */
	doc_map_set(a, spec, "path", create_str(a, ka.path));
	doc_map_set(a, spec, "prune", doc_new_bool(a, ka.prune));
	if (ka.retry_interval_ms > 0)
		doc_map_set(a, spec, "retryInterval", create_duration(a, ka.retry_interval_ms));
	if (ka.service_account && *ka.service_account)
		doc_map_set(a, spec, "serviceAccountName", create_str(a, ka.service_account));
	struct doc_node *src = doc_new_map(a);
	doc_map_set(a, src, "kind", create_str(a, skind));
	doc_map_set(a, src, "name", create_str(a, sname));
	if (*sns)
		doc_map_set(a, src, "namespace", create_str(a, sns));
	doc_map_set(a, spec, "sourceRef", src);
	if (ka.target_namespace && *ka.target_namespace)
		doc_map_set(a, spec, "targetNamespace", create_str(a, ka.target_namespace));
	if (timeout || ka.wait)
		doc_map_set(a, spec, "timeout", create_duration(a, ka.health_timeout_ms));
	if (ka.wait)
		doc_map_set(a, spec, "wait", doc_new_bool(a, true));

	if (cc.export) {
		create_print_export(obj);
		arena_free(a);
		return 0;
	}
	rc = apply_and_wait(&cc, a, obj, false, "applied revision", "status.lastAppliedRevision");
	arena_free(a);
	return rc;
fail:
	kube_client_free(c);
	arena_free(a);
	return cli_fail("%s", err_msg());
}

/* ---- create helmrelease ------------------------------------------------------------- */

/* Go's transform.MergeMaps: b's keys over a's, maps merged recursively. */
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

static int create_hr(int argc, char **argv)
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
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, f, n, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	if (cc.g.help) {
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
		cli_print_help(&u, f, n);
		return 0;
	}
	if (nargs != 1)
		return cli_fail("name is required");
	const char *name = args[0];
	if (crds && strcmp(crds, "Skip") && strcmp(crds, "Create") && strcmp(crds, "CreateReplace"))
		return cli_fail("invalid argument \"%s\" for \"--crds\" flag: unsupported CRD policy '%s', must be one of: Skip, Create, CreateReplace",
				crds, crds);
	if ((!storage_ns || !*storage_ns) && target_ns && *target_ns)
		storage_ns = target_ns;
	if (!(chart && *chart) && !(chart_ref && *chart_ref))
		return cli_fail("chart or chart-ref is required");
	if (chart && *chart && chart_ref && *chart_ref)
		return cli_fail("cannot use --chart in combination with --chart-ref");
	struct arena *a = arena_new();
	struct kube_client *c = NULL;
	struct doc_node *obj;
	int rc = 0;
	const char *skind = "", *sname = "", *sns = "";
	if (chart && *chart) {
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
	if (chart && *chart) {
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
		if (chart_version && *chart_version)
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
	if (depends_on.len) {
		struct doc_node *s = doc_new_seq(a);
		for (size_t i = 0; i < depends_on.len; i++) {
			const char *d = depends_on.items[i], *slash = strchr(d, '/');
			struct doc_node *m = doc_new_map(a);
			doc_map_set(a, m, "name", create_str(a, slash ? slash + 1 : d));
			if (slash)
				doc_map_set(a, m, "namespace", create_str(a, arena_strndup(a, d, (size_t)(slash - d))));
			doc_seq_push(a, s, m);
		}
		doc_map_set(a, spec, "dependsOn", s);
	}
	if (create_ns || crds) {
		struct doc_node *inst = doc_new_map(a);
		if (crds)
			doc_map_set(a, inst, "crds", create_str(a, "Create"));
		if (create_ns)
			doc_map_set(a, inst, "createNamespace", doc_new_bool(a, true));
		doc_map_set(a, spec, "install", inst);
	}
	doc_map_set(a, spec, "interval", create_duration(a, cc.interval_ms));
	if (kubeconfig_ref && *kubeconfig_ref) {
		struct doc_node *k = doc_new_map(a);
		doc_map_set(a, k, "secretRef", create_name_ref(a, kubeconfig_ref));
		doc_map_set(a, spec, "kubeConfig", k);
	}
	if (release_name && *release_name)
		doc_map_set(a, spec, "releaseName", create_str(a, release_name));
	if (sa && *sa)
		doc_map_set(a, spec, "serviceAccountName", create_str(a, sa));
	if (storage_ns && *storage_ns)
		doc_map_set(a, spec, "storageNamespace", create_str(a, storage_ns));
	if (target_ns && *target_ns)
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
				char why[512]; /* err_msg() is the buffer err_set writes into */
				snprintf(why, sizeof(why), "%s", err_msg());
				rc = err_set(rc, "reading values from %s failed: %s", values.items[i], why);
				goto fail;
			}
			rc = doc_parse_yaml(a, values.items[i], b.ptr, b.len, NULL, &st);
			buf_release(&b);
			if (!rc && st.len && st.docs[0]->kind != DOC_MAP)
				rc = err_set(ERR_INVALID, "'%s': the values are not a mapping", values.items[i]);
			if (rc) {
				char why[512];
				snprintf(why, sizeof(why), "%s", err_msg());
				rc = err_set(rc, "converting values to JSON from %s failed: %s", values.items[i], why);
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
	if (cc.export) {
		create_print_export(obj);
		arena_free(a);
		return 0;
	}
	rc = apply_and_wait(&cc, a, obj, false, "applied revision", "status.lastAttemptedRevision");
	arena_free(a);
	return rc;
fail:
	kube_client_free(c);
	arena_free(a);
	return cli_fail("%s", err_msg());
}

/* ---- create alert-provider, alert, receiver ------------------------------------------ */

static int create_notification(int argc, char **argv, const char *which)
{
	struct create_common cc = { 0 };
	const char *type = NULL, *channel = NULL, *username = NULL, *address = NULL, *secret_ref = NULL;
	const char *provider_ref = NULL, *severity = NULL;
	struct cli_strings event_sources = { 0 }, events = { 0 }, resources = { 0 };
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 12];
	size_t n = create_common_flags(f, &cc);
	bool provider = !strcmp(which, "alert-provider"), alert = !strcmp(which, "alert");
	if (provider) {
		f[n++] = (struct cli_flag){ "type", 0, FLAG_STRING, &type, "type of provider", NULL };
		f[n++] = (struct cli_flag){ "channel", 0, FLAG_STRING, &channel, "channel to send messages to in the case of a chat provider", NULL };
		f[n++] = (struct cli_flag){ "username", 0, FLAG_STRING, &username, "bot username used by the provider", NULL };
		f[n++] = (struct cli_flag){ "address", 0, FLAG_STRING, &address, "path to either the git repository, chat provider or webhook", NULL };
		f[n++] = (struct cli_flag){ "secret-ref", 0, FLAG_STRING, &secret_ref, "name of secret containing authentication token", NULL };
	} else if (alert) {
		f[n++] = (struct cli_flag){ "provider-ref", 0, FLAG_STRING, &provider_ref, "reference to provider", NULL };
		f[n++] = (struct cli_flag){ "event-severity", 0, FLAG_STRING, &severity, "severity of events to send alerts for", NULL };
		f[n++] = (struct cli_flag){ "event-source", 0, FLAG_STRINGS, &event_sources,
					    "sources that should generate alerts (<kind>/<name>), also accepts comma-separated values", "[]" };
	} else {
		f[n++] = (struct cli_flag){ "type", 0, FLAG_STRING, &type,
					    "the receiver type, available options are: (generic, generic-hmac, github, gitlab, gitea, bitbucket, harbor, dockerhub, quay, gcr, nexus, acr, cdevents)", NULL };
		f[n++] = (struct cli_flag){ "secret-ref", 0, FLAG_STRING, &secret_ref, "", NULL };
		f[n++] = (struct cli_flag){ "event", 0, FLAG_STRINGS, &events, "also accepts comma-separated values", "[]" };
		f[n++] = (struct cli_flag){ "resource", 0, FLAG_STRINGS, &resources, "also accepts comma-separated values", "[]" };
	}
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, f, n, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	if (cc.g.help) {
		static const struct cli_usage up = {
			"tide create alert-provider [name] [flags]",
			"The create alert-provider command generates a Provider resource.",
			"  # Create a Provider for a Slack channel\n"
			"  tide create alert-provider slack \\\n"
			"  --type slack \\\n"
			"  --channel general \\\n"
			"  --address https://hooks.slack.com/services/T0000/B0000/XXXX \\\n"
			"  --secret-ref webhook-url",
		};
		static const struct cli_usage ua = {
			"tide create alert [name] [flags]",
			"The create alert command generates an Alert resource.",
			"  # Create an Alert for kustomization events\n"
			"  tide create alert \\\n"
			"  --event-severity info \\\n"
			"  --event-source Kustomization/flux-system \\\n"
			"  --provider-ref slack \\\n"
			"  flux-system",
		};
		static const struct cli_usage ur = {
			"tide create receiver [name] [flags]",
			"The create receiver command generates a Receiver resource.",
			"  # Create a Receiver\n"
			"  tide create receiver github-receiver \\\n"
			"\t--type github \\\n"
			"\t--event ping \\\n"
			"\t--event push \\\n"
			"\t--secret-ref webhook-token \\\n"
			"\t--resource GitRepository/webapp \\\n"
			"\t--resource HelmRepository/webapp",
		};
		cli_print_help(provider ? &up : alert ? &ua : &ur, f, n);
		return 0;
	}
	if (nargs != 1)
		return cli_fail("name is required");
	const char *name = args[0];
	if (!provider && !alert && type) {
		static const char *const types[] = { "generic", "generic-hmac", "github", "gitlab", "gitea", "bitbucket", "harbor",
						     "dockerhub", "quay", "gcr", "nexus", "acr", "cdevents" };
		bool ok = false;
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			ok |= !strcmp(type, types[i]);
		if (!ok)
			return cli_fail("invalid argument \"%s\" for \"--type\" flag: unsupported receiver type '%s', must be one of: generic, generic-hmac, github, gitlab, gitea, bitbucket, harbor, dockerhub, quay, gcr, nexus, acr, cdevents",
					type, type);
	}
	struct arena *a = arena_new();
	struct doc_node *obj = NULL, *spec = doc_new_map(a);
	int rc = 0;
	if (provider) {
		if (!type || !*type) {
			rc = err_set(ERR_INVALID, "Provider type is required");
			goto fail;
		}
		if (!cc.export)
			fprintf(stderr, "✚ generating Provider\n");
		if ((rc = create_new_object(&obj, a, &cc, "notification.toolkit.fluxcd.io/v1beta3", "Provider", name)))
			goto fail;
		if (address && *address)
			doc_map_set(a, spec, "address", create_str(a, address));
		if (channel && *channel)
			doc_map_set(a, spec, "channel", create_str(a, channel));
		if (secret_ref && *secret_ref)
			doc_map_set(a, spec, "secretRef", create_name_ref(a, secret_ref));
		doc_map_set(a, spec, "type", create_str(a, type));
		if (username && *username)
			doc_map_set(a, spec, "username", create_str(a, username));
	} else if (alert) {
		if (!provider_ref || !*provider_ref) {
			rc = err_set(ERR_INVALID, "provider ref is required");
			goto fail;
		}
		struct doc_node *srcs = doc_new_seq(a);
		for (size_t i = 0; i < event_sources.len; i++) {
			const char *e = event_sources.items[i], *slash = strchr(e, '/');
			if (!slash || slash == e) {
				rc = err_set(ERR_INVALID, "invalid event source '%s', must be in format <kind>/<name>", e);
				goto fail;
			}
			const char *dot = strchr(slash + 1, '.');
			struct doc_node *m = doc_new_map(a);
			doc_map_set(a, m, "kind", create_str(a, arena_strndup(a, e, (size_t)(slash - e))));
			doc_map_set(a, m, "name", create_str(a, dot ? arena_strndup(a, slash + 1, (size_t)(dot - slash - 1)) : slash + 1));
			if (dot)
				doc_map_set(a, m, "namespace", create_str(a, dot + 1));
			doc_seq_push(a, srcs, m);
		}
		if (!srcs->u.seq.len) {
			rc = err_set(ERR_INVALID, "at least one event source is required");
			goto fail;
		}
		if (!cc.export)
			fprintf(stderr, "✚ generating Alert\n");
		if ((rc = create_new_object(&obj, a, &cc, "notification.toolkit.fluxcd.io/v1beta3", "Alert", name)))
			goto fail;
		if (severity && *severity)
			doc_map_set(a, spec, "eventSeverity", create_str(a, severity));
		doc_map_set(a, spec, "eventSources", srcs);
		doc_map_set(a, spec, "providerRef", create_name_ref(a, provider_ref));
	} else {
		if (!type || !*type) {
			rc = err_set(ERR_INVALID, "Receiver type is required");
			goto fail;
		}
		if (!secret_ref || !*secret_ref) {
			rc = err_set(ERR_INVALID, "secret ref is required");
			goto fail;
		}
		struct doc_node *res = doc_new_seq(a);
		for (size_t i = 0; i < resources.len; i++) {
			const char *e = resources.items[i], *slash = strchr(e, '/');
			if (!slash || slash == e) {
				rc = err_set(ERR_INVALID, "invalid event source '%s', must be in format <kind>/<name>", e);
				goto fail;
			}
			struct doc_node *m = doc_new_map(a);
			doc_map_set(a, m, "kind", create_str(a, arena_strndup(a, e, (size_t)(slash - e))));
			doc_map_set(a, m, "name", create_str(a, slash + 1));
			doc_seq_push(a, res, m);
		}
		if (!res->u.seq.len) {
			rc = err_set(ERR_INVALID, "atleast one resource is required");
			goto fail;
		}
		if (!cc.export)
			fprintf(stderr, "✚ generating Receiver\n");
		if ((rc = create_new_object(&obj, a, &cc, "notification.toolkit.fluxcd.io/v1", "Receiver", name)))
			goto fail;
		if (events.len) {
			struct doc_node *ev = doc_new_seq(a);
			for (size_t i = 0; i < events.len; i++)
				doc_seq_push(a, ev, create_str(a, events.items[i]));
			doc_map_set(a, spec, "events", ev);
		}
		doc_map_set(a, spec, "resources", res);
		doc_map_set(a, spec, "secretRef", create_name_ref(a, secret_ref));
		doc_map_set(a, spec, "type", create_str(a, type));
	}
	doc_map_set(a, obj, "spec", spec);
	if (cc.export) {
		create_print_export(obj);
		arena_free(a);
		return 0;
	}
	rc = apply_and_wait(&cc, a, obj, provider || alert, !strcmp(which, "receiver") ? "generated webhook URL" : NULL, "status.webhookPath");
	arena_free(a);
	return rc;
fail:
	arena_free(a);
	return cli_fail("%s", err_msg());
}

static void print_create_help(void)
{
	printf("The create sub-commands generate sources and resources.\n\n"
	       "Usage:\n  tide create [command]\n\n"
	       "Available Commands:\n"
	       "  alert         Create or update a Alert resource\n"
	       "  alert-provider Create or update a Provider resource\n"
	       "  helmrelease   Create or update a HelmRelease resource\n"
	       "  image         Create or update resources dealing with image automation\n"
	       "  receiver      Create or update a Receiver resource\n"
	       "  kustomization Create or update a Kustomization resource\n"
	       "  secret        Create or update Kubernetes secrets (git, helm, oci, tls)\n"
	       "  source bucket Create or update a Bucket source\n"
	       "  source git    Create or update a GitRepository source\n"
	       "  source helm   Create or update a HelmRepository source\n"
	       "  source oci    Create or update an OCIRepository source\n\n"
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
	if (!strcmp(w1, "alert-provider") || !strcmp(w1, "alert") || !strcmp(w1, "receiver"))
		return create_notification(argc - 1, argv + 1, w1);
	if (!strcmp(w1, "image"))
		return create_image(argc - 1, argv + 1);
	if (!strcmp(w1, "secret"))
		return create_secret(argc - 1, argv + 1);
	if (!strcmp(w1, "helmrelease") || !strcmp(w1, "hr"))
		return create_hr(argc - 1, argv + 1);
	if (!strcmp(w1, "kustomization") || !strcmp(w1, "ks"))
		return create_ks(argc - 1, argv + 1);
	if (!strcmp(w1, "source")) {
		const char *w2 = argc > 2 ? argv[2] : "";
		if (!strcmp(w2, "git"))
			return create_git(argc - 2, argv + 2);
		if (!strcmp(w2, "helm"))
			return create_helm(argc - 2, argv + 2);
		if (!strcmp(w2, "oci"))
			return create_oci(argc - 2, argv + 2);
		if (!strcmp(w2, "bucket"))
			return create_bucket(argc - 2, argv + 2);
		return cli_fail("create source: a source kind is required: git, oci, helm or bucket");
	}
	return cli_fail("create: unknown or not yet implemented kind \"%s\" (tide create --help)", w1);
}
