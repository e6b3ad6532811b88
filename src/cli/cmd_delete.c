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
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "util/arena.h"
#include "util/error.h"

/* The kinds `get`'s table does not know (yet), with flux's human names. */
static const struct {
	const char *word, *human;
	struct flux_kind k;
} more_kinds[] = {
	{ "alert", "alert", { "alerts", "alert", "alert", "Alert", "notification.toolkit.fluxcd.io", "v1beta3", "alerts", NULL } },
	{ "alert-provider", "alert provider",
	  { "providers", "alert-provider", "alert-provider", "Provider", "notification.toolkit.fluxcd.io", "v1beta3", "providers", NULL } },
	{ "receiver", "receiver", { "receivers", "receiver", "receiver", "Receiver", "notification.toolkit.fluxcd.io", "v1", "receivers", NULL } },
	{ "image repository", "image repository",
	  { "imagerepositories", "repository", "repository", "ImageRepository", "image.toolkit.fluxcd.io", "v1", "imagerepositories", NULL } },
	{ "image policy", "image policy",
	  { "imagepolicies", "policy", "policy", "ImagePolicy", "image.toolkit.fluxcd.io", "v1", "imagepolicies", NULL } },
	{ "image update", "image update automation",
	  { "imageupdateautomations", "update", "update", "ImageUpdateAutomation", "image.toolkit.fluxcd.io", "v1", "imageupdateautomations", NULL } },
};

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
	if (cli_parse(argc, argv, flags, nf, args, 4, &nargs))
		return cli_fail("%s", err_msg());
	if (g.help) {
		static const struct cli_usage u = {
			"tide delete <kustomization|helmrelease|source git|source oci|source helm|source chart|source bucket|alert|alert-provider|receiver|image repository|image policy|image update> [name] [flags]",
			"The delete sub-commands delete sources and resources.",
			"  # Delete a kustomization and the Kubernetes resources created by it when prune is enabled\n"
			"  tide delete kustomization podinfo\n\n"
			"  # Delete a Git source without asking\n"
			"  tide delete source git podinfo --silent",
		};
		cli_print_help(&u, flags, nf);
		return 0;
	}
	if (nargs == 0)
		return cli_fail("delete: a kind is required, e.g. `tide delete kustomization NAME` (see --help)");
	size_t at = 0;
	char human[64];
	const struct flux_kind *k = NULL;
	bool image = !strcmp(args[0], "image");
	if (image && nargs < 2)
		return cli_fail("delete image: a kind is required: repository, policy or update");
	char word[64];
	snprintf(word, sizeof(word), "%s%s%s", args[0], image ? " " : "", image ? args[1] : "");
	for (size_t i = 0; i < sizeof(more_kinds) / sizeof(more_kinds[0]); i++)
		if (!strcmp(word, more_kinds[i].word)) {
			k = &more_kinds[i].k;
			snprintf(human, sizeof(human), "%s", more_kinds[i].human);
			at = image ? 1 : 0;
		}
	if (!k) {
		bool source = !strcmp(args[0], "source");
		if (source) {
			if (nargs < 2)
				return cli_fail("delete source: a source kind is required: git, oci, helm, chart or bucket");
			at = 1;
		}
		k = flux_kind_find(args[at]);
		bool is_source = k && !strcmp(k->group, "source.toolkit.fluxcd.io");
		if (!k || source != is_source)
			return cli_fail("delete: unknown kind \"%s\"", args[at]);
		snprintf(human, sizeof(human), "%s%s", is_source ? "source " : "", is_source ? k->alias : k->singular);
	}
	if (nargs == at + 1)
		return cli_fail("%s name is required", human);
	if (nargs > at + 2)
		return cli_fail("delete: too many arguments");
	const char *name = args[at + 1];
	const char *ns = cli_namespace(&g);

	struct arena *a = arena_new();
	struct kube_client *c = NULL;
	const struct kube_resource *r;
	int rc = cli_connect(&c, &g);
	if (rc)
		goto fail;
	rc = kube_mapper_find(&r, c, arena_sprintf(a, "%s/%s", k->group, k->version), k->kind);
	if (rc == ERR_NOTFOUND)
		rc = err_set(ERR_NOTFOUND, "no matches for kind \"%s\" in version \"%s/%s\": are tide's CRDs installed? (tide install)",
			     k->kind, k->group, k->version);
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
