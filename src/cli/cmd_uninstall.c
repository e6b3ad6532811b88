/*
 * `tide uninstall`, as flux2's cmd/flux/uninstall.go and pkg/uninstall: after a y/N question
 * (unless --silent), deletes the components labelled app.kubernetes.io/part-of=flux in the
 * namespace (Deployments, Services, NetworkPolicies, ServiceAccounts, then ClusterRoles and
 * ClusterRoleBindings), clears the finalizers of every Flux object in all namespaces so
 * nothing is left waiting for a controller that is gone, deletes the CRDs, and last the
 * namespace (unless --keep-namespace). --dry-run asks the server to persist nothing. Like
 * flux, each failure is printed and the rest goes on; unlike flux, any failure makes the
 * exit status 1.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/kinds.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

#define PART_OF "app.kubernetes.io/part-of=flux"

static const struct { const char *api_version, *kind; bool cluster; } components[] = {
	{ "apps/v1", "Deployment", false },
	{ "v1", "Service", false },
	{ "networking.k8s.io/v1", "NetworkPolicy", false },
	{ "v1", "ServiceAccount", false },
	{ "rbac.authorization.k8s.io/v1", "ClusterRole", true },
	{ "rbac.authorization.k8s.io/v1", "ClusterRoleBinding", true },
};

static size_t items_of(struct doc_node *list, struct doc_node ***items)
{
	struct doc_node *it = doc_map_get(list, "items");
	if (!it || it->kind != DOC_SEQ)
		return 0;
	*items = it->u.seq.items;
	return it->u.seq.len;
}

int cmd_uninstall(int argc, char **argv)
{
	struct cli_globals g;
	bool keep_namespace = false, dry_run = false, silent = false;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 3];
	cli_global_flags(flags, &g);
	size_t nf = CLI_GLOBAL_FLAG_COUNT;
	flags[nf++] = (struct cli_flag){ "keep-namespace", 0, FLAG_BOOL, &keep_namespace, "skip namespace deletion", "false" };
	flags[nf++] = (struct cli_flag){ "dry-run", 0, FLAG_BOOL, &dry_run, "only print the objects that would be deleted", "false" };
	flags[nf++] = (struct cli_flag){ "silent", 's', FLAG_BOOL, &silent, "delete components without asking for confirmation", "false" };
	const char *args[1];
	size_t nargs;
	static const struct cli_usage u = {
		"tide uninstall [flags]",
		"The uninstall command removes the tide components and the toolkit.fluxcd.io resources from the cluster.",
		"  # Uninstall tide components, its custom resources and namespace\n"
		"  tide uninstall --namespace=flux-system\n\n"
		"  # Uninstall tide but keep the namespace\n"
		"  tide uninstall --namespace=infra --keep-namespace=true",
	};
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, nf, args, 0, &nargs, &g.help, &u))
		return code;
	const char *ns = cli_namespace(&g);
	const char *dry = dry_run ? "(dry run)" : "";
	struct kube_opts del = { .dry_run = dry_run };
	struct arena *a = arena_new();
	struct kube_client *c = NULL;
	int failed = 0;
	if (cli_connect(&c, &g)) {
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	if (!dry_run && !silent && !cli_confirm("Are you sure you want to delete Flux and its custom resource definitions")) {
		kube_client_free(c);
		arena_free(a);
		return cli_fail("aborting");
	}

	fprintf(stderr, "► deleting components in %s namespace\n", ns);
	for (size_t i = 0; i < sizeof(components) / sizeof(components[0]); i++) {
		const struct kube_resource *r;
		struct doc_node *list, **items;
		if (kube_mapper_find(&r, c, components[i].api_version, components[i].kind) ||
		    kube_list(&list, c, a, r, components[i].cluster ? NULL : ns, false,
			      &(struct kube_opts){ .label_selector = PART_OF }))
			continue; /* as flux: a kind that cannot be listed is skipped */
		size_t n = items_of(list, &items);
		for (size_t j = 0; j < n; j++) {
			const char *name = doc_get_str(items[j], "metadata.name");
			char what[512];
			if (components[i].cluster)
				snprintf(what, sizeof(what), "%s/%s", components[i].kind, name);
			else
				snprintf(what, sizeof(what), "%s/%s/%s", components[i].kind, ns, name);
			if (kube_delete(NULL, c, a, r, components[i].cluster ? NULL : ns, name, &del)) {
				fprintf(stderr, "✗ %s deletion failed: %s\n", what, err_msg());
				failed++;
			} else {
				fprintf(stderr, "✔ %s deleted %s\n", what, dry);
			}
		}
	}

	fprintf(stderr, "► deleting toolkit.fluxcd.io finalizers in all namespaces\n");
	static const char body[] = "{\"metadata\":{\"finalizers\":null}}";
	const struct cli_kind *kinds[CLI_MAX_KINDS];
	size_t nkinds = cli_kinds_in_order(kinds, CLI_LIST_UNINSTALL);
	for (size_t i = 0; i < nkinds; i++) {
		const struct kube_resource *r;
		struct doc_node *list, **items;
		if (kube_mapper_find(&r, c, kinds[i]->api_version, kinds[i]->kind) ||
		    kube_list(&list, c, a, r, NULL, true, NULL))
			continue;
		size_t n = items_of(list, &items);
		for (size_t j = 0; j < n; j++) {
			const char *name = doc_get_str(items[j], "metadata.name");
			const char *ons = doc_get_str(items[j], "metadata.namespace");
			if (kube_patch(NULL, c, a, r, ons, name, KUBE_PATCH_MERGE, body, sizeof(body) - 1, &del)) {
				fprintf(stderr, "✗ %s/%s/%s removing finalizers failed: %s\n", kinds[i]->kind, ons, name, err_msg());
				failed++;
			} else {
				fprintf(stderr, "✔ %s/%s/%s finalizers deleted %s\n", kinds[i]->kind, ons, name, dry);
			}
		}
	}

	fprintf(stderr, "► deleting toolkit.fluxcd.io custom resource definitions\n");
	const struct kube_resource *crd;
	struct doc_node *list, **items;
	if (!kube_mapper_find(&crd, c, "apiextensions.k8s.io/v1", "CustomResourceDefinition") &&
	    !kube_list(&list, c, a, crd, NULL, false, &(struct kube_opts){ .label_selector = PART_OF })) {
		size_t n = items_of(list, &items);
		for (size_t j = 0; j < n; j++) {
			const char *name = doc_get_str(items[j], "metadata.name");
			if (kube_delete(NULL, c, a, crd, NULL, name, &del)) {
				fprintf(stderr, "✗ CustomResourceDefinition/%s deletion failed: %s\n", name, err_msg());
				failed++;
			} else {
				fprintf(stderr, "✔ CustomResourceDefinition/%s deleted %s\n", name, dry);
			}
		}
	}

	if (!keep_namespace) {
		const struct kube_resource *nr;
		int rc = kube_mapper_find(&nr, c, "v1", "Namespace");
		if (!rc)
			rc = kube_delete(NULL, c, a, nr, NULL, ns, &del);
		if (rc) {
			fprintf(stderr, "✗ Namespace/%s deletion failed: %s\n", ns, err_msg());
			failed++;
		} else {
			fprintf(stderr, "✔ Namespace/%s deleted %s\n", ns, dry);
		}
	}
	kube_client_free(c);
	arena_free(a);
	fprintf(stderr, "✔ uninstall finished\n");
	return failed ? 1 : 0;
}
