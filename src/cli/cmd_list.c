/*
 * `tide list artifacts oci://HOST/REPO [--filter-semver RANGE] [--filter-regex RE]`, as
 * flux2's cmd/flux/list_artifact.go over fluxcd/pkg oci's List: the repository's tags,
 * newest name first, without cosign's, filtered, each with its manifest's digest and its
 * source and revision annotations, in flux's table (ARTIFACT, DIGEST, SOURCE, REVISION).
 */
#include <stdio.h>
#include <string.h>

#include "cli/artifact.h"
#include "cli/cli.h"
#include "cli/flags.h"
#include "cli/table.h"
#include "source/oci_artifact.h"
#include "source/oci_registry.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

int cmd_list(int argc, char **argv)
{
	int code;
	if (cli_artifact_word(&code, argc, argv, "list", "artifacts",
			      "The list command is used for printing the OCI artifacts metadata.", "list artifacts"))
		return code;
	argc--;
	argv++;
	struct cli_globals g;
	struct cli_oci o;
	struct oci_list_opts lo = { 0 };
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 5];
	cli_global_flags(f, &g);
	size_t n = CLI_GLOBAL_FLAG_COUNT;
	f[n++] = (struct cli_flag){ "filter-semver", 0, FLAG_STRING, &lo.semver, "filter tags returned from the oci repository using semver", NULL };
	f[n++] = (struct cli_flag){ "filter-regex", 0, FLAG_STRING, &lo.regex, "filter tags returned from the oci repository using regex", NULL };
	n += cli_oci_flags(f + n, &o, "allows the remote artifacts list to be fetched without TLS");
	static const struct cli_usage u = {
		"tide list artifacts [flags]",
		"The list command fetches the tags and their metadata from a remote OCI repository.\n"
		"The command can read the credentials from '~/.docker/config.json' but they can also be passed with --creds.",
		"  # List the artifacts stored in an OCI repository\n"
		"  tide list artifacts oci://ghcr.io/org/config/app",
	};
	const char *args[1];
	size_t nargs = 0;
	if (cli_parse_verb(&code, argc, argv, f, n, args, 1, &nargs, &g.help, &u))
		return code;
	if (nargs < 1)
		return cli_fail("artifact repository URL is required");
	struct oci_ref ref;
	if (cli_oci_ref(&ref, args[0]))
		return cli_fail("%s", err_msg());
	if (ref.tag[0] || ref.digest[0])
		return cli_fail("listing tags failed: '%s' names a %s: give the repository only", args[0],
				ref.digest[0] ? "digest" : "tag");
	struct oci_client *c = NULL;
	int rc = cli_oci_client(&c, &o, &g, &ref);
	if (rc) {
		oci_client_free(c);
		return cli_fail("%s", err_msg());
	}
	struct arena *a = arena_new();
	struct oci_artifact_meta *list = NULL;
	size_t len = 0;
	rc = oci_artifact_list(c, ref.repo, &lo, a, &list, &len);
	int ret = 0;
	if (rc) {
		ret = cli_fail("%s", err_msg());
	} else {
		static const char *const header[] = { "artifact", "digest", "source", "revision" };
		struct table *t = table_new(header, 4);
		for (size_t i = 0; i < len; i++) {
			const char *url = arena_sprintf(a, "%s/%s:%s", ref.host, ref.repo, list[i].tag);
			const char *row[] = { url, list[i].digest, list[i].source, list[i].revision };
			table_add(t, row);
		}
		table_print(t, stdout);
		table_free(t);
	}
	arena_free(a);
	oci_client_free(c);
	return ret;
}
