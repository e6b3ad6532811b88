/*
 * `tide build kustomization NAME --path DIR`, shaped like flux2's
 * cmd/flux/build_kustomization.go: the local directory built as the kustomize-controller
 * would build it for the Kustomization NAME (build.c), printed as one YAML stream.
 * --dry-run builds from --kustomization-file without a cluster. The directory is never
 * written: the build runs in a copy (build.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli/build.h"
#include "cli/cli.h"
#include "cli/flags.h"
#include "doc/doc.h"
#include "kustomize/kustomize.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

int cmd_build(int argc, char **argv)
{
	struct cli_globals g;
	struct cli_build_opts o = { .verb = "build", .max_mib = (long)(KUST_MAX_MEMORY_DEFAULT >> 20) };
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 4];
	cli_global_flags(flags, &g);
	const struct cli_flag own[] = {
		{ "path", 0, FLAG_STRING, &o.path, "Path to the manifests location.", NULL },
		{ "kustomization-file", 0, FLAG_STRING, &o.kfile, "Path to the Flux Kustomization YAML file.", NULL },
		{ "max-build-memory", 0, FLAG_INT, &o.max_mib, "The most memory, in MiB, the build may use (as tide controller's flag).", "256" },
		{ "dry-run", 0, FLAG_BOOL, &o.dry_run, "Dry run mode (build only: no cluster is contacted, --kustomization-file is required).", "false" },
	};
	memcpy(flags + CLI_GLOBAL_FLAG_COUNT, own, sizeof(own));
	size_t nflags = CLI_GLOBAL_FLAG_COUNT + 4;
	const char *args[2];
	size_t nargs = 0;
	static const struct cli_usage u = {
		"tide build kustomization NAME --path DIR [flags]",
		"The build command queries the Kubernetes API and fetches the specified Flux Kustomization.\n"
		"It then uses the fetched in cluster Flux Kustomization to perform needed transformation on the local kustomization.yaml\n"
		"pointed at by --path. The local kustomization.yaml is generated if it does not exist. Finally it builds the overlays\n"
		"using the local kustomization.yaml, and writes the resulting multi-doc YAML to stdout.\n"
		"Unlike flux, tide never writes under --path: the transformations are made in a temporary copy,\n"
		"removed when the build ends or is interrupted. A kustomization.yaml that is a symlink to a file\n"
		"outside --path is refused.",
		"  # Build the local manifests as they were built on the cluster\n"
		"  tide build kustomization my-app --path ./path/to/local/manifests\n\n"
		"  # Build without the cluster, from a Kustomization file\n"
		"  tide build kustomization my-app --path ./manifests --kustomization-file ./ks.yaml --dry-run",
	};
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, nflags, args, 2, &nargs, &g.help, &u))
		return code;
	struct cli_build b;
	int rc = cli_build_run(&b, &g, args, nargs, &o);
	if (!rc) {
		struct buf out = BUF_INIT;
		doc_emit_yaml_stream(&out, b.objs, b.n, DOC_EMIT_SORT_KEYS);
		fwrite(out.ptr, 1, out.len, stdout);
		buf_release(&out);
	}
	int ret = rc ? cli_fail("%s", err_msg()) : 0;
	cli_build_release(&b);
	return ret;
}
