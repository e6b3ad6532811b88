/*
 * `tide create source helm NAME`, as flux2's cmd/flux/create_source_helm.go: a
 * HelmRepository (HTTP/S, or OCI with type: oci); --username/--password become a Secret
 * named like the source unless --secret-ref names one; then it is upserted and waited for
 * (an HTTP/S repository until it has an artifact). --export prints the HelmRepository only.
 */
#include <stdio.h>
#include <string.h>

#include "cli/connect.h"
#include "cli/create.h"
#include "cli/flags.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/banned.h"

/* --username and --password, stored in a Secret named like the source. */
struct basic_auth {
	const struct create_common *cc;
	const char *name, *username, *password;
};

static int apply_basic_auth(void *ud, struct kube_client *c, struct arena *a, struct doc_node *obj)
{
	const struct basic_auth *b = ud;
	int rc = create_apply_basic_auth(c, a, cli_namespace(&b->cc->g), b->name, b->username, b->password);
	if (!rc)
		doc_set(a, obj, "spec.secretRef", create_name_ref(a, b->name));
	return rc;
}

int create_source_helm(int argc, char **argv)
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
	int code;
	const char *name;
	if (create_parse(&code, &name, &cc, argc, argv, f, n, &u))
		return code;
	if (!url || !*url)
		return cli_fail("url is required");
	const char *sep = strstr(url, "://");
	char scheme[16];
	create_url_scheme(scheme, sizeof(scheme), url);
	if (strcmp(scheme, "http") && strcmp(scheme, "https") && strcmp(scheme, "oci"))
		return cli_fail("url scheme '%s' not supported, can be: http, https and oci", scheme);
	if (!sep[3] || sep[3] == '/')
		return cli_fail("url host is required");
	bool oci = !strcmp(scheme, "oci");
	if (create_given(cert_file) || create_given(key_file) || create_given(ca_file))
		if (!cc.export)
			return cli_fail("--cert-file, --key-file and --ca-file are not supported by tide yet: create a secret and pass --secret-ref");

	struct arena *a = arena_new();
	struct doc_node *obj;
	int rc = create_new_object(&obj, a, &cc, "source.toolkit.fluxcd.io/v1", "HelmRepository", name);
	if (rc)
		goto fail;
	struct doc_node *spec = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	doc_map_set(a, spec, "interval", create_duration(a, cc.interval_ms));
	if (create_given(secret_ref) && pass_credentials)
		doc_map_set(a, spec, "passCredentials", doc_new_bool(a, true));
	if (oci && create_given(oci_provider))
		doc_map_set(a, spec, "provider", create_str(a, oci_provider));
	if (create_given(secret_ref))
		doc_map_set(a, spec, "secretRef", create_name_ref(a, secret_ref));
	if (fetch_timeout_ms > 0)
		doc_map_set(a, spec, "timeout", create_duration(a, fetch_timeout_ms));
	if (oci)
		doc_map_set(a, spec, "type", create_str(a, "oci"));
	doc_map_set(a, spec, "url", create_str(a, url));
	const struct source_msgs hm = {
		"HelmRepository", "source.toolkit.fluxcd.io/v1", "applying HelmRepository source", "source",
		"waiting for HelmRepository source reconciliation", "HelmRepository source reconciliation completed",
		/* an OCI HelmRepository is only a pointer: the controller makes no artifact for it */
		oci ? NULL : "HelmRepository source reconciliation completed but no artifact was found",
		"generating HelmRepository source",
	};
	struct basic_auth auth = { &cc, name, username, password };
	bool store = !create_given(secret_ref) && (create_given(username) || create_given(password));
	return create_source_finish(&cc, a, obj, &hm, store ? apply_basic_auth : NULL, &auth);
fail:
	arena_free(a);
	return cli_fail("%s", err_msg());
}
