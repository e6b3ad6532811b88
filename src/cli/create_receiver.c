/*
 * `tide create receiver NAME`, as flux2's cmd/flux/create_receiver.go: a Receiver
 * (notification.toolkit.fluxcd.io/v1) of --type for --event names, triggering the
 * --resource objects ("<kind>/<name>"), its token in --secret-ref. Once Ready, the webhook
 * path the controller generated is reported. --export prints it.
 */
#include <stdio.h>
#include <string.h>

#include "cli/create.h"
#include "cli/flags.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

/* notification-controller's receiver types, in flux's order. */
static const char *const types[] = { "generic", "generic-hmac", "github", "gitlab", "gitea", "bitbucket", "harbor",
				     "dockerhub", "quay", "gcr", "nexus", "acr", "cdevents" };

int create_receiver(int argc, char **argv)
{
	struct create_common cc = { 0 };
	const char *type = NULL, *secret_ref = NULL;
	struct cli_strings events = { 0 }, resources = { 0 };
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 12];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "type", 0, FLAG_STRING, &type,
				    "the receiver type, available options are: (generic, generic-hmac, github, gitlab, gitea, bitbucket, harbor, dockerhub, quay, gcr, nexus, acr, cdevents)", NULL };
	f[n++] = (struct cli_flag){ "secret-ref", 0, FLAG_STRING, &secret_ref, "", NULL };
	f[n++] = (struct cli_flag){ "event", 0, FLAG_STRINGS, &events, "also accepts comma-separated values", "[]" };
	f[n++] = (struct cli_flag){ "resource", 0, FLAG_STRINGS, &resources, "also accepts comma-separated values", "[]" };
	static const struct cli_usage u = {
		"tide create receiver [name] [flags]",
		"The create receiver command generates a Receiver resource.",
		"  # Create a Receiver\n"
		"  tide create receiver github-receiver \\\n"
		"\t--type github \\\n"
		"\t--event ping \\\n"
		"\t--event push \\\n"
		"\t--secret-ref webhook-token \\\n"
		"\t--resource GitRepository/webapp \\\n"
		"\t--resource HelmRepository/webapp",
	};
	int code;
	const char *name;
	if (create_parse(&code, &name, &cc, argc, argv, f, n, &u))
		return code;
	if (type) {
		bool ok = false;
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			ok |= !strcmp(type, types[i]);
		if (!ok)
			return cli_fail("invalid argument \"%s\" for \"--type\" flag: unsupported receiver type '%s', must be one of: generic, generic-hmac, github, gitlab, gitea, bitbucket, harbor, dockerhub, quay, gcr, nexus, acr, cdevents",
					type, type);
	}
	if (!create_given(type))
		return cli_fail("Receiver type is required");
	if (!create_given(secret_ref))
		return cli_fail("secret ref is required");
	struct arena *a = arena_new();
	struct doc_node *obj, *spec = doc_new_map(a), *res = doc_new_seq(a);
	for (size_t i = 0; i < resources.len; i++) {
		const char *e = resources.items[i], *slash = strchr(e, '/');
		if (!slash || slash == e) {
			arena_free(a);
			return cli_fail("invalid event source '%s', must be in format <kind>/<name>", e);
		}
		struct doc_node *m = doc_new_map(a);
		doc_map_set(a, m, "kind", create_str(a, arena_strndup(a, e, (size_t)(slash - e))));
		doc_map_set(a, m, "name", create_str(a, slash + 1));
		doc_seq_push(a, res, m);
	}
	if (!res->u.seq.len) {
		arena_free(a);
		return cli_fail("atleast one resource is required");
	}
	if (!cc.export)
		fprintf(stderr, "✚ generating Receiver\n");
	if (create_new_object(&obj, a, &cc, "notification.toolkit.fluxcd.io/v1", "Receiver", name)) {
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	if (events.len) {
		struct doc_node *ev = doc_new_seq(a);
		for (size_t i = 0; i < events.len; i++)
			doc_seq_push(a, ev, create_str(a, events.items[i]));
		doc_map_set(a, spec, "events", ev);
	}
	doc_map_set(a, spec, "resources", res);
	doc_map_set(a, spec, "secretRef", create_name_ref(a, secret_ref));
	doc_map_set(a, spec, "type", create_str(a, type));
	doc_map_set(a, obj, "spec", spec);
	return create_apply_and_wait(&cc, a, obj, false, "generated webhook URL", "status.webhookPath");
}
