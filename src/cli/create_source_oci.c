/*
 * `tide create source oci NAME`, as flux2's cmd/flux/create_source_oci.go: an OCIRepository
 * with flux's flags, checks and defaults (provider generic written out), upserted and waited
 * for until it has an artifact. --export prints it.
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

int create_source_oci(int argc, char **argv)
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
	static const struct cli_usage u = {
		"tide create source oci [name] [flags]",
		"The create source oci command generates an OCIRepository resource and waits for it to be ready.",
		"  # Create an OCIRepository for a public container image\n"
		"  tide create source oci podinfo \\\n"
		"    --url=oci://ghcr.io/stefanprodan/manifests/podinfo \\\n"
		"    --tag=6.6.2 \\\n"
		"    --interval=10m",
	};
	int code;
	const char *name;
	if (create_parse(&code, &name, &cc, argc, argv, f, n, &u))
		return code;
	if (provider && strcmp(provider, "generic") && strcmp(provider, "aws") && strcmp(provider, "azure") && strcmp(provider, "gcp"))
		return cli_fail("invalid argument \"%s\" for \"--provider\" flag: source OCI provider '%s' is not supported, must be one of: generic, aws, azure, gcp",
				provider, provider);
	if (verify_provider && strcmp(verify_provider, "cosign") && strcmp(verify_provider, "notation"))
		return cli_fail("invalid argument \"%s\" for \"--verify-provider\" flag: source OCI verify provider '%s' is not supported, must be one of: cosign, notation",
				verify_provider, verify_provider);
	if (!url || !*url)
		return cli_fail("url is required");
	if (!create_given(semver) && !create_given(tag) && !create_given(digest))
		return cli_fail("--tag, --tag-semver or --digest is required");
	const char *ls_media = NULL, *ls_op = NULL;
	struct arena *a = arena_new();
	int rc = 0;
	if (create_given(layer_selector)) {
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
	if (!verify_provider && create_given(verify_secret_ref)) {
		rc = err_set(ERR_INVALID, "a verification provider must be specified when a secret is specified");
		goto fail;
	}
	if (!verify_provider && (create_given(verify_issuer) || create_given(verify_subject))) {
		rc = err_set(ERR_INVALID, "a verification provider must be specified when OIDC issuer/subject is specified");
		goto fail;
	}
	struct doc_node *obj;
	rc = create_new_object(&obj, a, &cc, "source.toolkit.fluxcd.io/v1", "OCIRepository", name);
	if (rc)
		goto fail;
	struct doc_node *spec = doc_new_map(a), *ref = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	if (create_given(cert_ref))
		doc_map_set(a, spec, "certSecretRef", create_name_ref(a, cert_ref));
	create_set_lines(a, spec, "ignore", &ignore_paths);
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
	if (create_given(proxy_secret_ref))
		doc_map_set(a, spec, "proxySecretRef", create_name_ref(a, proxy_secret_ref));
	if (create_given(digest))
		doc_map_set(a, ref, "digest", create_str(a, digest));
	if (create_given(semver))
		doc_map_set(a, ref, "semver", create_str(a, semver));
	if (create_given(tag))
		doc_map_set(a, ref, "tag", create_str(a, tag));
	doc_map_set(a, spec, "ref", ref);
	if (create_given(secret_ref))
		doc_map_set(a, spec, "secretRef", create_name_ref(a, secret_ref));
	if (create_given(service_account))
		doc_map_set(a, spec, "serviceAccountName", create_str(a, service_account));
	if (fetch_timeout_ms > 0)
		doc_map_set(a, spec, "timeout", create_duration(a, fetch_timeout_ms));
	doc_map_set(a, spec, "url", create_str(a, url));
	if (verify_provider)
		create_set_verify(a, spec, verify_provider, verify_secret_ref, verify_issuer, verify_subject);
	static const struct source_msgs om = {
		"OCIRepository", "source.toolkit.fluxcd.io/v1", "applying OCIRepository", "OCIRepository",
		"waiting for OCIRepository reconciliation", "OCIRepository reconciliation completed",
		"no artifact was found",
	};
	return create_source_finish(&cc, a, obj, &om, NULL, NULL);
fail:
	arena_free(a);
	return cli_fail("%s", err_msg());
}
