/*
 * `tide kustomize build DIR`: builds a kustomization directory and prints the objects as
 * `kustomize build` (v5.6) prints them, with its flags --load-restrictor, --reorder and
 * --output/-o. Errors print "Error: <message>" on stderr and exit 1, as kustomize does.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/flags.h"
#include "kustomize/kustomize.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/banned.h"

int cmd_kustomize(int argc, char **argv)
{
	const char *restrictor = "LoadRestrictionsRootOnly";
	const char *reorder = NULL;
	const char *output = NULL;
	bool help = false;
	long max_mib = (long)(KUST_MAX_MEMORY_DEFAULT >> 20);
	const struct cli_flag flags[] = {
		{ "load-restrictor", 0, FLAG_STRING, &restrictor,
		  "if set to 'LoadRestrictionsNone', local kustomizations may load files from outside their root",
		  "LoadRestrictionsRootOnly" },
		{ "reorder", 0, FLAG_STRING, &reorder,
		  "reorder the resources just before output: 'legacy' (kind order) or 'none' (input order)",
		  "legacy" },
		{ "max-build-memory", 0, FLAG_INT, &max_mib,
		  "the most memory, in MiB, the build may use (as tide controller's flag)", "256" },
		{ "output", 'o', FLAG_STRING, &output, "write the output to this file instead of stdout", NULL },
		{ "help", 'h', FLAG_BOOL, &help, "help for kustomize", NULL },
	};
	static const struct cli_usage usage = {
		"tide kustomize build DIR [flags]",
		"Build a kustomization target from a directory, printing what `kustomize build` prints.",
		"  # Build the current working directory\n"
		"  tide kustomize build .\n\n"
		"  # Keep the input order\n"
		"  tide kustomize build overlays/prod --reorder=none",
	};
	const char *args[2];
	size_t nargs;
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, sizeof(flags) / sizeof(flags[0]), args, 2, &nargs,
			   &help, &usage))
		return code;
	if (nargs == 0) {
		cli_print_help(&usage, flags, sizeof(flags) / sizeof(flags[0]));
		return 1;
	}
	if (strcmp(args[0], "build"))
		return cli_fail("unknown command \"%s\" for \"tide kustomize\"", args[0]);
	struct kust_options o = KUST_OPTIONS_INIT;
	o.max_memory = max_mib > 0 ? (size_t)max_mib << 20 : 0;
	if (kust_parse_load_restrictor(restrictor, &o.load_restrictor_none) ||
	    (reorder && kust_parse_reorder(reorder, &o.reorder))) {
		fprintf(stderr, "Error: %s\n", err_msg());
		return 1;
	}
	if (!output) {
		/* Streamed: the output is as large as the objects, and kept only one at a time. */
		if (kust_build_write(nargs > 1 ? args[1] : ".", &o, stdout)) {
			fprintf(stderr, "Error: %s\n", err_msg());
			return 1;
		}
		return 0;
	}
	struct buf out = BUF_INIT;
	if (kust_build_yaml(nargs > 1 ? args[1] : ".", &o, &out)) {
		fprintf(stderr, "Error: %s\n", err_msg());
		buf_release(&out);
		return 1;
	}
	int rc = 0;
	if (output) {
		if (fs_write_atomic(output, out.ptr, out.len, 0644)) {
			fprintf(stderr, "Error: %s\n", err_msg());
			rc = 1;
		}
	} else {
		fwrite(out.ptr, 1, out.len, stdout);
		rc = fflush(stdout) ? 1 : 0;
	}
	buf_release(&out);
	return rc;
}
