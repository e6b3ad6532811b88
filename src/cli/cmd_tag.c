/*
 * `tide tag artifact oci://HOST/REPO:TAG --tag NEW [--tag NEW2]`, as flux2's
 * cmd/flux/tag_artifact.go over fluxcd/pkg oci's Tag (crane.Tag): the manifest PUT again under
 * each new tag in the same repository, so every tag names the same digest. tide adds
 * --insecure-registry (flux's tag verb reaches plain-http registries on private addresses
 * without it; tide's client never falls back to http unasked).
 */
#include <stdio.h>
#include <string.h>

#include "cli/artifact.h"
#include "cli/cli.h"
#include "cli/flags.h"
#include "source/oci_artifact.h"
#include "source/oci_registry.h"
#include "util/error.h"
#include "util/banned.h"

int cmd_tag(int argc, char **argv)
{
	int code;
	if (cli_artifact_word(&code, argc, argv, "tag", "artifact",
			      "The tag command is used to tag OCI artifacts.", "Tag artifact"))
		return code;
	argc--;
	argv++;
	struct cli_globals g;
	struct cli_oci o;
	struct cli_strings tags = { 0 };
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 4];
	cli_global_flags(f, &g);
	size_t n = CLI_GLOBAL_FLAG_COUNT;
	f[n++] = (struct cli_flag){ "tag", 0, FLAG_STRINGS, &tags, "tag name", "[]" };
	n += cli_oci_flags(f + n, &o, "allows the artifact to be tagged without TLS");
	static const struct cli_usage u = {
		"tide tag artifact [flags]",
		"The tag artifact command creates tags for the given OCI artifact.\n"
		"The command can read the credentials from '~/.docker/config.json' but they can also be passed with --creds.",
		"  # Tag an artifact version as latest\n"
		"  tide tag artifact oci://ghcr.io/org/manifests/app:v0.0.1 --tag latest",
	};
	const char *args[1];
	size_t nargs = 0;
	if (cli_parse_verb(&code, argc, argv, f, n, args, 1, &nargs, &g.help, &u))
		return code;
	if (nargs < 1)
		return cli_fail("artifact name is required");
	if (tags.len < 1)
		return cli_fail("--tag is required");
	struct oci_ref ref;
	if (cli_oci_ref(&ref, args[0]))
		return cli_fail("%s", err_msg());
	const char *src = ref.digest[0] ? ref.digest : ref.tag[0] ? ref.tag : "latest";
	struct oci_client *c = NULL;
	int rc = cli_oci_client(&c, &o, &g, &ref);
	if (rc) {
		oci_client_free(c);
		return cli_fail("%s", err_msg());
	}
	fprintf(stderr, "► tagging artifact\n");
	int ret = 0;
	for (size_t i = 0; i < tags.len && !ret; i++) {
		if (oci_artifact_tag(c, ref.repo, src, tags.items[i], NULL))
			ret = cli_fail("tagging artifact failed: %s", err_msg());
		else
			fprintf(stderr, "✔ artifact tagged as %s/%s:%s\n", ref.host, ref.repo, tags.items[i]);
	}
	oci_client_free(c);
	return ret;
}
