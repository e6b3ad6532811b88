/*
 * `tide apply-engine` (hidden; for tests and benchmarks of src/apply): applies the objects of a
 * YAML file with the apply engine as the kustomize-controller would (staged, owner labels,
 * inventory, prune, health wait) and prints the change set, one "<subject> <action>" line
 * per object. `tide build`/`diff` and the Kustomization controller use the same engine.
 *
 *   tide apply-engine -f objs.yaml --owner app --owner-namespace flux-system \
 *        --inventory inv.json --prune --wait --timeout 1m --writes
 */
#include <stdio.h>
#include <string.h>

#include "apply/apply.h"
#include "cli/cli.h"
#include "cli/flags.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/config.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/banned.h"

int cmd_apply_engine(int argc, char **argv)
{
	struct cli_globals g = { 0 };
	const char *file = NULL, *owner = NULL, *owner_ns = NULL, *inventory = NULL;
	const char *field_manager = NULL;
	bool prune = false, wait = false, force = false, writes = false, dry_run_diff = false;
	bool changed_only = false, diff = false, debug = false;
	long qps = 0, concurrency = 0;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 15];
	cli_global_flags(flags, &g);
	const struct cli_flag own[] = {
		{ "filename", 'f', FLAG_STRING, &file, "YAML file of the objects (- for stdin)", NULL },
		{ "owner", 0, FLAG_STRING, &owner, "owner name stamped in the owner labels", NULL },
		{ "owner-namespace", 0, FLAG_STRING, &owner_ns, "owner namespace for the owner labels", NULL },
		{ "field-manager", 0, FLAG_STRING, &field_manager, "field manager", "kustomize-controller" },
		{ "inventory", 0, FLAG_STRING, &inventory, "JSON file holding the inventory (read, then written)", NULL },
		{ "prune", 0, FLAG_BOOL, &prune, "delete the objects of the old inventory missing from the set", NULL },
		{ "wait", 0, FLAG_BOOL, &wait, "wait for the applied objects to become ready", NULL },
		{ "force", 0, FLAG_BOOL, &force, "recreate objects whose immutable fields changed", NULL },
		{ "writes", 0, FLAG_BOOL, &writes, "print the number of write requests to stderr", NULL },
		{ "dry-run-diff", 0, FLAG_BOOL, &dry_run_diff, "decide by dry-run apply as Flux does", NULL },
		{ "changed-only", 0, FLAG_BOOL, &changed_only, "print only created, configured and deleted objects", NULL },
		{ "debug", 0, FLAG_BOOL, &debug, "log the engine's decisions to stderr", NULL },
		{ "diff", 0, FLAG_BOOL, &diff, "print what an apply would do, changing nothing (dry-run)", NULL },
		{ "concurrency", 0, FLAG_INT, &concurrency, "requests in flight at once (0 = 8)", NULL },
		{ "qps", 0, FLAG_INT, &qps, "client requests a second (0 = default, -1 = unlimited)", NULL },
	};
	memcpy(flags + CLI_GLOBAL_FLAG_COUNT, own, sizeof own);
	size_t nflags = CLI_GLOBAL_FLAG_COUNT + sizeof own / sizeof *own;
	static const struct cli_usage usage = {
		"tide apply-engine -f FILE [flags]",
		"Apply objects with tide's apply engine (a test and benchmark tool).", NULL,
	};
	const char *args[1];
	size_t nargs;
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, nflags, args, 0, &nargs, &g.help, &usage))
		return code;
	if (!file) {
		cli_print_help(&usage, flags, nflags);
		return 1;
	}

	if (debug)
		log_setup(LOG_DEBUG, LOG_CONSOLE);
	struct arena *a = arena_new();
	struct kube_config *cfg = NULL;
	struct kube_client *c = NULL;
	struct apply_manager *m = NULL;
	struct buf data = BUF_INIT, out = BUF_INIT;
	int rc = fs_read_file(strcmp(file, "-") ? file : "/dev/stdin", 0, &data);
	if (rc)
		goto done;
	struct doc_stream docs = { 0 };
	rc = doc_parse_yaml(a, file, data.ptr, data.len, NULL, &docs);
	if (rc)
		goto done;
	rc = kube_config_load(&cfg, &(struct kube_config_opts){ g.kubeconfig, g.context, g.namespace });
	if (rc)
		goto done;
	struct kube_client_opts copts = { .qps = (double)qps, .burst = qps < 0 ? 0 : 0 };
	if (g.timeout_ms > 0)
		copts.timeout_ms = g.timeout_ms;
	rc = kube_client_new(&c, cfg, &copts);
	if (rc)
		goto done;
	struct apply_opts ao = { .field_manager = field_manager, .owner_name = owner,
				 .owner_namespace = owner_ns, .force = force,
				 .dry_run_diff = dry_run_diff, .concurrency = (int)concurrency };
	rc = apply_manager_new(&m, c, &ao);
	if (rc)
		goto done;

	struct apply_inventory old_inv = { 0 }, new_inv = { 0 };
	if (inventory) {
		struct buf ib = BUF_INIT;
		if (!fs_read_file(inventory, 0, &ib)) {
			struct doc_node *n = NULL;
			rc = doc_parse_json(a, inventory, ib.ptr, ib.len, NULL, &n);
			if (!rc)
				rc = apply_inventory_from_doc(&old_inv, a, n);
		}
		buf_release(&ib);
		if (rc)
			goto done;
	}

	struct apply_changeset cs = { 0 };
	if (diff) {
		struct doc_node **live, **merged;
		rc = apply_diff(&cs, &live, &merged, m, a, docs.docs, docs.len);
		for (size_t i = 0; !rc && i < cs.len; i++) {
			printf("%s %s\n", cs.items[i].subject, apply_action_name(cs.items[i].action));
			if (live[i] && merged[i]) {
				/* the changed top-level fields, enough for tests */
				for (size_t k = 0; k < merged[i]->u.map.len; k++) {
					const char *key = merged[i]->u.map.items[k].key;
					if (strcmp(key, "metadata") && strcmp(key, "status") &&
					    !doc_equal(merged[i]->u.map.items[k].value, doc_map_get(live[i], key)))
						printf("  ~ %s\n", key);
				}
			}
		}
		goto done;
	}
	rc = apply_all_staged(&cs, m, a, docs.docs, docs.len);
	for (size_t i = 0; i < cs.len; i++)
		if (cs.items[i].previous_owner)
			fprintf(stderr, "warning: %s was owned by %s, now by %s/%s\n", cs.items[i].subject,
				cs.items[i].previous_owner, owner_ns ? owner_ns : "", owner ? owner : "");
	apply_changeset_format(&out, &cs, changed_only);
	if (out.len)
		printf("%s\n", out.ptr);
	fflush(stdout);
	if (rc)
		goto done;
	apply_inventory_add_changeset(a, &new_inv, &cs);

	if (prune) {
		struct apply_ref *stale;
		size_t nstale;
		rc = apply_inventory_diff(&stale, &nstale, a, &old_inv, &new_inv);
		if (rc)
			goto done;
		struct apply_changeset pcs = { 0 };
		rc = apply_delete_all(&pcs, m, a, stale, nstale);
		buf_reset(&out);
		apply_changeset_format(&out, &pcs, false);
		if (out.len)
			printf("%s\n", out.ptr);
		fflush(stdout);
		/* Flux keeps what it failed to delete in the inventory so the next run retries */
		for (size_t i = 0; i < pcs.len; i++)
			if (pcs.items[i].action != APPLY_DELETED && pcs.items[i].action != APPLY_SKIPPED) {
				struct apply_changeset one = { &pcs.items[i], 1, 1 };
				apply_inventory_add_changeset(a, &new_inv, &one);
			}
		if (rc)
			goto done;
	}
	if (inventory) {
		buf_reset(&out);
		doc_emit_json(&out, apply_inventory_to_doc(a, &new_inv), 2);
		buf_addch(&out, '\n');
		rc = fs_write_atomic(inventory, out.ptr, out.len, 0644);
		if (rc)
			goto done;
	}
	if (wait) {
		struct apply_ref *refs;
		size_t n;
		apply_changeset_refs(&refs, &n, a, &cs, true);
		rc = apply_wait(m, a, refs, n,
				&(struct apply_wait_opts){ .interval_ms = 500,
							   .timeout_ms = g.timeout_ms > 0 ? g.timeout_ms : 60000 });
		if (!rc)
			printf("all resources are ready\n");
	}
done:
	fflush(stdout);
	if (writes && m)
		fprintf(stderr, "writes: %lu\n", apply_manager_writes(m));
	apply_manager_free(m);
	kube_client_free(c);
	kube_config_free(cfg);
	buf_release(&data);
	buf_release(&out);
	arena_free(a);
	return rc ? cli_fail("%s", err_msg()) : 0;
}
