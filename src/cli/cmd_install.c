/*
 * `tide install [--export]`: the objects that make a cluster run tide, in apply order:
 * the flux-system Namespace, Flux's CRDs, then RBAC, Services and the controller
 * Deployment (manifests/ compiled into the binary). With --export they are printed as
 * one YAML stream, as `flux install --export` prints its own.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/flags.h"
#include "cli/manifests.h"
#include "util/error.h"
#include "util/banned.h"

/* Apply order: install/00-* (namespace), then crds/, then the rest of install/. */
static int manifest_rank(const char *name)
{
	if (!strncmp(name, "install/00-", 11))
		return 0;
	if (!strncmp(name, "crds/", 5))
		return 1;
	if (!strncmp(name, "install/", 8))
		return 2;
	return -1;
}

void install_manifests_in_order(const struct embedded_manifest **out, size_t *n)
{
	*n = 0;
	for (int rank = 0; rank <= 2; rank++)
		for (size_t i = 0; i < embedded_manifests_len; i++)
			if (embedded_manifests[i].name && manifest_rank(embedded_manifests[i].name) == rank)
				out[(*n)++] = &embedded_manifests[i];
}

static void print_stream(FILE *f)
{
	const struct embedded_manifest *list[256];
	size_t n;
	install_manifests_in_order(list, &n);
	fprintf(f, "---\n# tide version: %s\n# Components: tide-controller\n", TIDE_VERSION);
	for (size_t i = 0; i < n; i++) {
		const char *p = list[i]->data;
		/* Each file may hold several documents; drop a leading "---" to avoid an empty one. */
		if (!strncmp(p, "---\n", 4))
			p += 4;
		if (i)
			fputs("---\n", f);
		fputs(p, f);
		if (list[i]->len && list[i]->data[list[i]->len - 1] != '\n')
			fputc('\n', f);
	}
}

int cmd_install(int argc, char **argv)
{
	struct cli_globals g;
	bool export = false;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 1] = {
		{ "export", 0, FLAG_BOOL, &export, "write the install manifests to stdout and exit", NULL },
	};
	cli_global_flags(flags + 1, &g);
	static const struct cli_usage usage = {
		"tide install [flags]",
		"The install command deploys tide in the specified namespace.\n"
		"If a previous version is installed, then an in-place upgrade will be performed.",
		"  # Install tide in the flux-system namespace\n"
		"  tide install\n\n"
		"  # Write the install manifests to stdout\n"
		"  tide install --export > gotk-components.yaml",
	};
	const char *args[1];
	size_t nargs;
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, sizeof(flags) / sizeof(flags[0]), args, 0, &nargs,
			   &g.help, &usage))
		return code;
	if (export) {
		print_stream(stdout);
		return fflush(stdout) ? 1 : 0;
	}
	return install_apply(&g);
}
