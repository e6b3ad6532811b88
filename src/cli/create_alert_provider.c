/*
 * `tide create alert-provider NAME`, as flux2's cmd/flux/create_alertprovider.go: a Provider
 * (notification.toolkit.fluxcd.io/v1beta3) of --type with its channel, username, address and
 * token Secret. A Provider v1beta3 has no status: once it exists it is ready (flux's
 * isStaticObjectReadyConditionFunc). --export prints it.
 */
#include <stdio.h>
#include <string.h>

#include "cli/create.h"
#include "cli/flags.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

int create_alert_provider(int argc, char **argv)
{
	struct create_common cc = { 0 };
	const char *type = NULL, *channel = NULL, *username = NULL, *address = NULL, *secret_ref = NULL;
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 12];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "type", 0, FLAG_STRING, &type, "type of provider", NULL };
	f[n++] = (struct cli_flag){ "channel", 0, FLAG_STRING, &channel, "channel to send messages to in the case of a chat provider", NULL };
	f[n++] = (struct cli_flag){ "username", 0, FLAG_STRING, &username, "bot username used by the provider", NULL };
	f[n++] = (struct cli_flag){ "address", 0, FLAG_STRING, &address, "path to either the git repository, chat provider or webhook", NULL };
	f[n++] = (struct cli_flag){ "secret-ref", 0, FLAG_STRING, &secret_ref, "name of secret containing authentication token", NULL };
	static const struct cli_usage u = {
		"tide create alert-provider [name] [flags]",
		"The create alert-provider command generates a Provider resource.",
		"  # Create a Provider for a Slack channel\n"
		"  tide create alert-provider slack \\\n"
		"  --type slack \\\n"
		"  --channel general \\\n"
		"  --address https://hooks.slack.com/services/T0000/B0000/XXXX \\\n"
		"  --secret-ref webhook-url",
	};
	int code;
	const char *name;
	if (create_parse(&code, &name, &cc, argc, argv, f, n, &u))
		return code;
	if (!create_given(type))
		return cli_fail("Provider type is required");
	if (!cc.export)
		fprintf(stderr, "✚ generating Provider\n");
	struct arena *a = arena_new();
	struct doc_node *obj, *spec = doc_new_map(a);
	if (create_new_object(&obj, a, &cc, "notification.toolkit.fluxcd.io/v1beta3", "Provider", name)) {
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	if (create_given(address))
		doc_map_set(a, spec, "address", create_str(a, address));
	if (create_given(channel))
		doc_map_set(a, spec, "channel", create_str(a, channel));
	if (create_given(secret_ref))
		doc_map_set(a, spec, "secretRef", create_name_ref(a, secret_ref));
	doc_map_set(a, spec, "type", create_str(a, type));
	if (create_given(username))
		doc_map_set(a, spec, "username", create_str(a, username));
	doc_map_set(a, obj, "spec", spec);
	return create_apply_and_wait(&cc, a, obj, true, NULL, NULL);
}
