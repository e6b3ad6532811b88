/*
 * `tide pull artifact oci://HOST/REPO:TAG|@DIGEST --output DIR`, as flux2's
 * cmd/flux/pull_artifact.go over fluxcd/pkg oci's Pull: the artifact's first layer unpacked
 * into the existing directory DIR, confined (source/oci_artifact.h: no name leaves DIR,
 * symlinks skipped and never followed, caps of 1 GiB on the layer and on what it unpacks
 * to, 100,000 entries), then flux's lines: source, revision, digest, where it went.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/artifact.h"
#include "cli/cli.h"
#include "cli/flags.h"
#include "source/oci_artifact.h"
#include "source/oci_registry.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

int cmd_pull(int argc, char **argv)
{
	int code;
	if (cli_artifact_word(&code, argc, argv, "pull", "artifact",
			      "The pull command is used to download OCI artifacts.", "Pull artifact"))
		return code;
	argc--;
	argv++;
	struct cli_globals g;
	struct cli_oci o;
	const char *output = NULL;
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 4];
	cli_global_flags(f, &g);
	size_t n = CLI_GLOBAL_FLAG_COUNT;
	f[n++] = (struct cli_flag){ "output", 'o', FLAG_STRING, &output, "path where the artifact content should be extracted.", NULL };
	n += cli_oci_flags(f + n, &o, "allows artifacts to be pulled without TLS");
	static const struct cli_usage u = {
		"tide pull artifact [flags]",
		"The pull artifact command downloads and extracts the OCI artifact content to the given path.\n"
		"The command can read the credentials from '~/.docker/config.json' but they can also be passed with --creds.",
		"  # Pull an OCI artifact created by flux from GHCR\n"
		"  tide pull artifact oci://ghcr.io/org/manifests/app:v0.0.1 --output ./path/to/local/manifests",
	};
	const char *args[1];
	size_t nargs = 0;
	if (cli_parse_verb(&code, argc, argv, f, n, args, 1, &nargs, &g.help, &u))
		return code;
	if (nargs < 1)
		return cli_fail("artifact URL is required");
	if (!output || !*output)
		return cli_fail("output path cannot be empty");
	struct stat st;
	if (stat(output, &st))
		return cli_fail("invalid output path \"%s\": stat %s: %s", output, output, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cli_fail("invalid output path \"%s\": not a directory", output);
	struct oci_ref ref;
	if (cli_oci_ref(&ref, args[0]))
		return cli_fail("%s", err_msg());
	const char *want = ref.digest[0] ? ref.digest : ref.tag[0] ? ref.tag : "latest";
	struct oci_client *c = NULL;
	int rc = cli_oci_client(&c, &o, &g, &ref);
	if (rc) {
		oci_client_free(c);
		return cli_fail("%s", err_msg());
	}
	fprintf(stderr, "► pulling artifact from %s\n", args[0] + strlen("oci://"));
	struct arena *a = arena_new();
	struct oci_artifact_meta meta;
	rc = oci_artifact_pull(c, ref.repo, want, output, NULL, a, &meta);
	int ret = 0;
	if (rc) {
		ret = cli_fail("%s", err_msg());
	} else {
		if (*meta.source)
			fprintf(stderr, "✔ source %s\n", meta.source);
		if (*meta.revision)
			fprintf(stderr, "✔ revision %s\n", meta.revision);
		fprintf(stderr, "✔ digest %s/%s@%s\n", ref.host, ref.repo, meta.digest);
		fprintf(stderr, "✔ artifact content extracted to %s\n", output);
	}
	arena_free(a);
	oci_client_free(c);
	return ret;
}
