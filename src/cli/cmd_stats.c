/*
 * `tide stats [-A]`, as flux2's cmd/flux/stats.go: per Flux kind, how many objects are
 * running (not suspended), failing (Ready=False) and suspended, and the storage their
 * artifacts take (status.artifact.size summed, in IEC units). A kind whose CRD is missing
 * counts zero, as flux; a cluster that cannot be reached is an error (flux prints zeros).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/kinds.h"
#include "cli/table.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

/* flux's formatSize: "-" for nothing, bytes below 1 KiB, else one decimal and KiB, MiB, ... */
static void format_size(char *out, size_t len, long long b)
{
	if (b <= 0) {
		snprintf(out, len, "-");
		return;
	}
	if (b < 1024) {
		snprintf(out, len, "%lld B", b);
		return;
	}
	long long div = 1024;
	int exp = 0;
	for (long long n = b / 1024; n >= 1024; n /= 1024) {
		div *= 1024;
		exp++;
	}
	snprintf(out, len, "%.1f %ciB", (double)b / (double)div, "KMGTPE"[exp]);
}

int cmd_stats(int argc, char **argv)
{
	struct cli_globals g;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT];
	cli_global_flags(flags, &g);
	const char *args[1];
	size_t nargs;
	static const struct cli_usage u = {
		"tide stats [flags]",
		"The stats command prints a report of Flux custom resources present on a cluster,\n"
		"including their reconcile status and the amount of cumulative storage used for each source type",
		"  # Print the stats report for a namespace\n"
		"  tide stats --namespace default\n\n"
		"  # Print the stats report for the whole cluster\n"
		"  tide stats -A",
	};
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, CLI_GLOBAL_FLAG_COUNT, args, 0, &nargs, &g.help, &u))
		return code;
	struct kube_client *c = NULL;
	int rc = cli_connect(&c, &g);
	if (rc)
		return cli_fail("%s", err_msg());
	static const char *const header[] = { "Reconcilers", "Running", "Failing", "Suspended", "Storage" };
	struct table *t = table_new(header, 5);
	const struct cli_kind *kinds[CLI_MAX_KINDS];
	size_t nkinds = cli_kinds_in_order(kinds, CLI_LIST_STATS);
	for (size_t i = 0; i < nkinds; i++) {
		const struct cli_kind *k = kinds[i];
		struct arena *a = arena_new();
		const struct kube_resource *r;
		struct doc_node *list = NULL;
		rc = kube_mapper_find(&r, c, k->api_version, k->kind);
		if (!rc)
			rc = kube_list(&list, c, a, r, cli_namespace(&g), g.all_namespaces, &(struct kube_opts){ 0 });
		if (rc && rc != ERR_NOTFOUND) {
			arena_free(a);
			table_free(t);
			kube_client_free(c);
			return cli_fail("%s", err_msg());
		}
		const struct doc_node *items = list ? doc_map_get(list, "items") : NULL;
		long long total = 0, suspended = 0, failing = 0, size = 0;
		for (size_t j = 0; items && items->kind == DOC_SEQ && j < items->u.seq.len; j++) {
			const struct doc_node *o = items->u.seq.items[j];
			total++;
			const struct doc_node *s = doc_get(o, "spec.suspend");
			if (s && s->kind == DOC_BOOL && s->u.boolean)
				suspended++;
			const struct doc_node *conds = doc_get(o, "status.conditions");
			for (size_t x = 0; conds && conds->kind == DOC_SEQ && x < conds->u.seq.len; x++) {
				const char *type = doc_get_str(conds->u.seq.items[x], "type");
				const char *st = doc_get_str(conds->u.seq.items[x], "status");
				if (type && st && !strcmp(type, "Ready") && !strcmp(st, "False"))
					failing++;
			}
			int64_t sz = 0;
			if (!doc_int64(doc_get(o, "status.artifact.size"), &sz))
				size += sz;
		}
		char running[32], fail[32], susp[32], storage[32];
		snprintf(running, sizeof(running), "%lld", total - suspended);
		snprintf(fail, sizeof(fail), "%lld", failing);
		snprintf(susp, sizeof(susp), "%lld", suspended);
		format_size(storage, sizeof(storage), size);
		const char *row[] = { k->kind, running, fail, susp, storage };
		table_add(t, row);
		arena_free(a);
	}
	err_clear();
	table_print(t, stdout);
	table_free(t);
	kube_client_free(c);
	return 0;
}
