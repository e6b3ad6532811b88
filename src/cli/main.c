/*
 * tide's entry point: a table of verbs, each implemented in its own file under src/cli/.
 * Global flags (--kubeconfig, --context, -n, -A, --timeout, -v) are parsed per verb by
 * cli_common (cli.h) so every verb accepts them in any position, as flux and kubectl do.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/error.h"
#include "util/banned.h"

const struct cli_command cli_commands[] = {
	{ "apply-engine", NULL, cmd_apply_engine }, /* hidden: tests and benchmarks of src/apply */
	{ "build", "Build a flux object", cmd_build },
	{ "check", "Check requirements and installation", cmd_check },
	{ "completion", "Generate the completion script for the specified shell", cmd_completion },
	{ "controller", "Run the controllers (source, kustomize) in one process", cmd_controller },
	{ "create", "Create or update sources and resources", cmd_create },
	{ "delete", "Delete sources and resources", cmd_delete },
	{ "diff", "Diff a flux resource", cmd_diff },
	{ "events", "Display Kubernetes events for Flux resources", cmd_events },
	{ "export", "Export resources in YAML format", cmd_export },
	{ "get", "Get the resources and their status", cmd_get },
	{ "helm", "Render Helm charts locally (helm template)", cmd_helm },
	{ "install", "Install or upgrade tide", cmd_install },
	{ "kustomize", "Build a kustomization target from a directory", cmd_kustomize },
	{ "list", "List artifacts", cmd_list },
	{ "logs", "Display formatted logs for the tide controller", cmd_logs },
	{ "pull", "Pull artifacts", cmd_pull },
	{ "push", "Push artifacts", cmd_push },
	{ "reconcile", "Reconcile sources and resources", cmd_reconcile },
	{ "resume", "Resume suspended resources", cmd_resume },
	{ "stats", "Stats of Flux reconciles", cmd_stats },
	{ "suspend", "Suspend resources", cmd_suspend },
	{ "tag", "Tag artifacts", cmd_tag },
	{ "trace", "Trace in-cluster objects throughout the GitOps delivery pipeline", cmd_trace },
	{ "tree", "Print the resources reconciled by Flux", cmd_tree },
	{ "uninstall", "Uninstall tide and its custom resource definitions", cmd_uninstall },
	{ "version", "Print the tide version", cmd_version },
};
const size_t cli_command_count = sizeof(cli_commands) / sizeof(cli_commands[0]);

static void usage(FILE *f)
{
	fprintf(f, "tide: a GitOps engine for Kubernetes that speaks Flux's API\n\nUsage:\n  tide <command> [flags]\n\nCommands:\n");
	for (size_t i = 0; i < cli_command_count; i++)
		if (cli_commands[i].summary)
			fprintf(f, "  %-14s %s\n", cli_commands[i].name, cli_commands[i].summary);
	fprintf(f, "\nUse \"tide <command> --help\" for more information about a command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < cli_command_count; i++) {
		if (!strcmp(argv[1], cli_commands[i].name)) {
			err_clear();
			return cli_commands[i].run(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "✗ unknown command \"%s\" for \"tide\"\n", argv[1]);
	return 1;
}
