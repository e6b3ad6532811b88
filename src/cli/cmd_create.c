/*
 * `tide create <kind words> NAME [flags]`, as flux2's cmd/flux/create*.go: the kind words
 * come first, as cobra requires (`create source git NAME ...`), and name a row of the kinds
 * table (kinds.c) whose create function does the rest; `create secret ...` makes Secrets
 * (create_secret.c). The shared parts of every kind's command are in create.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/create.h"
#include "cli/flags.h"
#include "cli/kinds.h"
#include "util/error.h"
#include "util/banned.h"

static void print_create_help(void)
{
	printf("The create sub-commands generate sources and resources.\n\n"
	       "Usage:\n  tide create [command]\n\n"
	       "Available Commands:\n"
	       "  alert         Create or update a Alert resource\n"
	       "  alert-provider Create or update a Provider resource\n"
	       "  helmrelease   Create or update a HelmRelease resource\n"
	       "  image         Create or update resources dealing with image automation\n"
	       "  receiver      Create or update a Receiver resource\n"
	       "  kustomization Create or update a Kustomization resource\n"
	       "  secret        Create or update Kubernetes secrets (git, helm, oci, tls)\n"
	       "  source bucket Create or update a Bucket source\n"
	       "  source chart  Create or update a HelmChart source\n"
	       "  source git    Create or update a GitRepository source\n"
	       "  source helm   Create or update a HelmRepository source\n"
	       "  source oci    Create or update an OCIRepository source\n\n"
	       "Use \"tide create [command] --help\" for more information about a command.\n");
}

static void print_create_image_help(void)
{
	printf("The create image sub-commands work with image automation objects;\n"
	       "that is, object controlling updates to git based on e.g., new container images\n"
	       "being available.\n\nUsage:\n  tide create image [command]\n\nAvailable Commands:\n"
	       "  policy      Create or update an ImagePolicy object\n"
	       "  repository  Create or update an ImageRepository object\n"
	       "  update      Create or update an ImageUpdateAutomation object\n");
}

static bool is_help(const char *w)
{
	return !strcmp(w, "--help") || !strcmp(w, "-h");
}

int cmd_create(int argc, char **argv)
{
	const char *w1 = argc > 1 ? argv[1] : "";
	if (!*w1 || is_help(w1)) {
		print_create_help();
		return *w1 ? 0 : 1;
	}
	if (!strcmp(w1, "secret"))
		return create_secret(argc - 1, argv + 1);
	if (!strcmp(w1, "image") && argc > 2 && is_help(argv[2])) {
		print_create_image_help();
		return 0;
	}
	static const struct cli_verb_kinds words = { .verb = "create", .create = true };
	struct cli_kind_arg ka;
	if (cli_kind_parse(&ka, &words, (const char *const *)argv + 1, (size_t)argc - 1))
		return cli_fail("%s", err_msg());
	/* argv[0] of the kind's command is its last kind word, as cobra passes it */
	return ka.kind->create(argc - (int)ka.words, argv + ka.words);
}
