/*
 * `tide create image repository NAME`, as flux2's cmd/flux/create_image_repository.go: an
 * ImageRepository (image.toolkit.fluxcd.io/v1) scanning --image, with its pull and TLS
 * Secrets; upserted and waited for until Ready (flux's upsertAndWait). --export prints it.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli/create.h"
#include "cli/flags.h"
#include "cli/kinds.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

/* go-containerregistry's name.NewRepository, enough of it: an optional registry host, then a
 * non-empty repository path of lower-case letters, digits and _-./ */
static int check_image(const char *image)
{
	const char *repo = image, *slash = strchr(image, '/');
	if (slash && (memchr(image, '.', (size_t)(slash - image)) || memchr(image, ':', (size_t)(slash - image)) ||
		      !strncmp(image, "localhost/", 10)))
		repo = slash + 1;
	if (!*repo)
		return err_set(ERR_INVALID, "unable to parse image value: a repository name must be specified");
	for (const char *p = repo; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || strchr("_-./", *p)))
			return err_set(ERR_INVALID, "unable to parse image value: repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: %s", repo);
	return 0;
}

int create_image_repository(int argc, char **argv)
{
	struct create_common cc = { 0 };
	const char *image = NULL, *secret_ref = NULL, *cert_ref = NULL;
	int64_t scan_timeout_ms = 0;
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 8];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "image", 0, FLAG_STRING, &image, "the image repository to scan; e.g., library/alpine", NULL };
	f[n++] = (struct cli_flag){ "secret-ref", 0, FLAG_STRING, &secret_ref, "the name of a docker-registry secret to use for credentials", NULL };
	f[n++] = (struct cli_flag){ "cert-ref", 0, FLAG_STRING, &cert_ref, "the name of a secret to use for TLS certificates", NULL };
	f[n++] = (struct cli_flag){ "scan-timeout", 0, FLAG_DURATION, &scan_timeout_ms, "a timeout for scanning; this defaults to the interval if not set", "0s" };
	static const struct cli_usage u = {
		"tide create image repository [name] [flags]",
		"The create image repository command generates an ImageRepository resource.\n"
		"An ImageRepository object specifies an image repository to scan.",
		"  # Create an ImageRepository object to scan the alpine image repository:\n"
		"  tide create image repository alpine-repo --image alpine --interval 20m\n\n"
		"  # Create an image repository that uses an image pull secret (assumed to\n"
		"  # have been created already):\n"
		"  tide create image repository myapp-repo \\\n"
		"    --secret-ref image-pull \\\n"
		"    --image ghcr.io/example.com/myapp --interval 5m\n\n"
		"  # Scan a registry whose certificate is signed by a local CA\n"
		"  tide create secret tls local-registry-cert --ca-crt-file ./ca.pem\n"
		"  tide create image repository app-repo \\\n"
		"    --cert-ref local-registry-cert \\\n"
		"    --image local-registry:5000/app --interval 5m",
	};
	int code;
	const char *name;
	if (create_parse(&code, &name, &cc, argc, argv, f, n, &u))
		return code;
	if (!create_given(image))
		return cli_fail("an image repository (--image) is required");
	if (check_image(image))
		return cli_fail("%s", err_msg());
	struct arena *a = arena_new();
	struct doc_node *obj;
	if (create_new_object(&obj, a, &cc, cli_kind_by_name("ImageRepository")->api_version, "ImageRepository", name)) {
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	struct doc_node *spec = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	if (create_given(cert_ref))
		doc_map_set(a, spec, "certSecretRef", create_name_ref(a, cert_ref));
	doc_map_set(a, spec, "image", create_str(a, image));
	doc_map_set(a, spec, "interval", create_duration(a, cc.interval_ms));
	if (create_given(secret_ref))
		doc_map_set(a, spec, "secretRef", create_name_ref(a, secret_ref));
	if (scan_timeout_ms)
		doc_map_set(a, spec, "timeout", create_duration(a, scan_timeout_ms));
	return create_upsert_and_wait(&cc, a, obj);
}
