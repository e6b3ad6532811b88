/*
 * `tide create alert NAME`, as flux2's cmd/flux/create_alert.go: an Alert
 * (notification.toolkit.fluxcd.io/v1beta3) sending the events of --event-source objects
 * ("<kind>/<name>[.<namespace>]") at --event-severity to the Provider --provider-ref. An
 * Alert v1beta3 has no status: once it exists it is ready. --export prints it.
 */
#include <stdio.h>
#include <string.h>

#include "cli/create.h"
#include "cli/flags.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

int create_alert(int argc, char **argv)
{
	struct create_common cc = { 0 };
	const char *provider_ref = NULL, *severity = NULL;
	struct cli_strings event_sources = { 0 };
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 12];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "provider-ref", 0, FLAG_STRING, &provider_ref, "reference to provider", NULL };
	f[n++] = (struct cli_flag){ "event-severity", 0, FLAG_STRING, &severity, "severity of events to send alerts for", NULL };
	f[n++] = (struct cli_flag){ "event-source", 0, FLAG_STRINGS, &event_sources,
				    "sources that should generate alerts (<kind>/<name>), also accepts comma-separated values", "[]" };
	static const struct cli_usage u = {
		"tide create alert [name] [flags]",
		"The create alert command generates an Alert resource.",
		"  # Create an Alert for kustomization events\n"
		"  tide create alert \\\n"
		"  --event-severity info \\\n"
		"  --event-source Kustomization/flux-system \\\n"
		"  --provider-ref slack \\\n"
		"  flux-system",
	};
	int code;
	const char *name;
	if (create_parse(&code, &name, &cc, argc, argv, f, n, &u))
		return code;
	if (!create_given(provider_ref))
		return cli_fail("provider ref is required");
	struct arena *a = arena_new();
	struct doc_node *obj, *spec = doc_new_map(a), *srcs = doc_new_seq(a);
	for (size_t i = 0; i < event_sources.len; i++) {
		const char *e = event_sources.items[i], *slash = strchr(e, '/');
		if (!slash || slash == e) {
			arena_free(a);
			return cli_fail("invalid event source '%s', must be in format <kind>/<name>", e);
		}
		const char *dot = strchr(slash + 1, '.');
		struct doc_node *m = doc_new_map(a);
		doc_map_set(a, m, "kind", create_str(a, arena_strndup(a, e, (size_t)(slash - e))));
		doc_map_set(a, m, "name", create_str(a, dot ? arena_strndup(a, slash + 1, (size_t)(dot - slash - 1)) : slash + 1));
		if (dot)
			doc_map_set(a, m, "namespace", create_str(a, dot + 1));
		doc_seq_push(a, srcs, m);
	}
	if (!srcs->u.seq.len) {
		arena_free(a);
		return cli_fail("at least one event source is required");
	}
	if (!cc.export)
		fprintf(stderr, "✚ generating Alert\n");
	if (create_new_object(&obj, a, &cc, "notification.toolkit.fluxcd.io/v1beta3", "Alert", name)) {
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	if (create_given(severity))
		doc_map_set(a, spec, "eventSeverity", create_str(a, severity));
	doc_map_set(a, spec, "eventSources", srcs);
	doc_map_set(a, spec, "providerRef", create_name_ref(a, provider_ref));
	doc_map_set(a, obj, "spec", spec);
	return create_apply_and_wait(&cc, a, obj, true, NULL, NULL);
}
