/*
 * `tide create source git NAME`, shaped like flux2's cmd/flux/create_source_git.go: a
 * GitRepository with flux's flags and defaults; without --secret-ref, the credentials Secret
 * flux writes beside it (an SSH key pair and the server's host key after the deploy key is
 * confirmed, or basic auth and a CA); then the GitRepository is upserted and waited for
 * until it has an artifact. --export prints the GitRepository only.
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
#include "util/clock.h"
#include "util/error.h"
#include "util/banned.h"

/* The flags of `create source git`, and what its credentials step needs besides. */
struct git_args {
	const struct create_common *cc;
	const char *name, *scheme;
	const char *url, *branch, *tag, *semver, *ref_name, *commit, *username, *password;
	const char *secret_ref, *proxy_secret_ref, *provider, *ca_file;
	struct create_ssh ssh;
	int64_t fetch_timeout_ms;
	bool recurse_submodules, silent;
	struct cli_strings ignore_paths, sparse_paths;
};

/* flux's credentials step of `create source git` without --secret-ref: a Secret named like
 * the source with an SSH key pair and the server's host key (after the deploy key is
 * confirmed, unless --silent), or basic-auth credentials and a CA, which obj then names;
 * nothing when there is nothing to store. */
static int git_credentials(void *ud, struct kube_client *c, struct arena *a, struct doc_node *obj)
{
	struct git_args *ga = ud;
	const char *scheme = ga->scheme;
	struct doc_node *data, *sec = create_new_secret(a, cli_namespace(&ga->cc->g), ga->name, &data);
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
		if (!strcmp(scheme, "http") && (create_given(ga->username) || create_given(ga->password)))
			fprintf(stderr, "⚠️ insecure configuration: credentials configured for an HTTP URL\n");
		if (create_given(ga->username) && create_given(ga->password)) {
			doc_map_set(a, data, "username", create_str(a, ga->username));
			doc_map_set(a, data, "password", create_str(a, ga->password));
		}
		if (!strcmp(scheme, "https") && create_given(ga->ca_file)) {
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
	doc_set(a, obj, "spec.secretRef", create_name_ref(a, ga->name));
	return 0;
}

int create_source_git(int argc, char **argv)
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
	int code;
	const char *name;
	if (create_parse(&code, &name, &cc, argc, argv, f, n, &u))
		return code;
	if (!ga.url || !*ga.url)
		return cli_fail("url is required");
	char scheme[16];
	create_url_scheme(scheme, sizeof(scheme), ga.url);
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
	if (create_given(ga.ca_file) && !strcmp(scheme, "ssh"))
		return cli_fail("specifying a CA file is not supported for Git over SSH");

	struct arena *a = arena_new();
	struct doc_node *obj;
	int rc = create_new_object(&obj, a, &cc, "source.toolkit.fluxcd.io/v1", "GitRepository", name);
	if (rc)
		goto fail;
	struct doc_node *spec = doc_new_map(a), *ref = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	create_set_lines(a, spec, "ignore", &ga.ignore_paths);
	doc_map_set(a, spec, "interval", create_duration(a, cc.interval_ms));
	if (create_given(ga.provider))
		doc_map_set(a, spec, "provider", create_str(a, ga.provider));
	if (create_given(ga.proxy_secret_ref))
		doc_map_set(a, spec, "proxySecretRef", create_name_ref(a, ga.proxy_secret_ref));
	if (ga.recurse_submodules)
		doc_map_set(a, spec, "recurseSubmodules", doc_new_bool(a, true));
	/* flux's precedence: commit (with its branch), ref name, semver, tag, branch */
	if (create_given(ga.commit)) {
		if (create_given(ga.branch))
			doc_map_set(a, ref, "branch", create_str(a, ga.branch));
		doc_map_set(a, ref, "commit", create_str(a, ga.commit));
	} else if (create_given(ga.ref_name)) {
		doc_map_set(a, ref, "name", create_str(a, ga.ref_name));
	} else if (create_given(ga.semver)) {
		doc_map_set(a, ref, "semver", create_str(a, ga.semver));
	} else if (create_given(ga.tag)) {
		doc_map_set(a, ref, "tag", create_str(a, ga.tag));
	} else if (create_given(ga.branch)) {
		doc_map_set(a, ref, "branch", create_str(a, ga.branch));
	}
	doc_map_set(a, spec, "ref", ref);
	if (create_given(ga.secret_ref))
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

	static const struct source_msgs gm = {
		"GitRepository", "source.toolkit.fluxcd.io/v1", "applying GitRepository source",
		"GitRepository source", "waiting for GitRepository source reconciliation",
		"GitRepository source reconciliation completed",
		"GitRepository source reconciliation completed but no artifact was found",
		"generating GitRepository source",
	};
	ga.cc = &cc;
	ga.scheme = scheme;
	ga.name = name;
	return create_source_finish(&cc, a, obj, &gm, create_given(ga.secret_ref) ? NULL : git_credentials, &ga);
fail:
	arena_free(a);
	return cli_fail("%s", err_msg());
}
