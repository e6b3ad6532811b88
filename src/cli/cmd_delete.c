/*
 * `tide delete <kind> NAME`, as flux2's cmd/flux/delete.go: the object must exist (the
 * server's "not found" otherwise), then a y/N question on the terminal unless --silent,
 * "► deleting ..." and "✔ <kind> deleted". Kinds: kustomization, helmrelease and
 * source git|oci|helm|chart|bucket.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/get.h"
#include "cli/kinds.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

int cmd_delete(int argc, char **argv)
{
	struct cli_globals g;
	bool silent = false;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 1];
	cli_global_flags(flags, &g);
	size_t nf = CLI_GLOBAL_FLAG_COUNT;
	flags[nf++] = (struct cli_flag){ "silent", 's', FLAG_BOOL, &silent, "delete resource without asking for confirmation", "false" };
	const char *args[4];
	size_t nargs;
	static const struct cli_usage u = {
		"tide delete <kustomization|helmrelease|source git|source oci|source helm|source chart|source bucket|alert|alert-provider|receiver|image repository|image policy|image update> [name] [flags]",
		"The delete sub-commands delete sources and resources.",
		"  # Delete a kustomization and the Kubernetes resources created by it when prune is enabled\n"
		"  tide delete kustomization podinfo\n\n"
		"  # Delete a Git source without asking\n"
		"  tide delete source git podinfo --silent",
	};
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, nf, args, 4, &nargs, &g.help, &u))
		return code;
	static const struct cli_verb_kinds words = { .verb = "delete", .example = "kustomization NAME", .writes = true };
	struct cli_kind_arg ka;
	if (cli_kind_parse(&ka, &words, args, nargs))
		return cli_fail("%s", err_msg());
	const struct cli_kind *k = ka.kind;
	const char *human = k->human;
	size_t at = ka.words - 1;
	if (nargs == at + 1)
		return cli_fail("%s name is required", human);
	if (nargs > at + 2)
		return cli_fail("delete: too many arguments");
	const char *name = args[at + 1];
	const char *ns = cli_namespace(&g);

	struct arena *a = arena_new();
	struct kube_client *c = NULL;
	const struct kube_resource *r;
	int rc = get_resource(&c, &r, &g, k);
	if (rc)
		goto fail;
	rc = kube_get(NULL, c, a, r, ns, name, NULL);
	if (rc)
		goto fail;
	if (!silent && !cli_confirm(arena_sprintf(a, "Are you sure you want to delete this %s", human))) {
		rc = err_set(ERR_GENERIC, "aborting");
		goto fail;
	}
	fprintf(stderr, "► deleting %s %s in %s namespace\n", human, name, ns);
	rc = kube_delete(NULL, c, a, r, ns, name, NULL);
	if (rc)
		goto fail;
	fprintf(stderr, "✔ %s deleted\n", human);
	kube_client_free(c);
	arena_free(a);
	return 0;
fail:
	kube_client_free(c);
	arena_free(a);
	return cli_fail("%s", err_msg());
}
