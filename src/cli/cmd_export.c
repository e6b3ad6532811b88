/*
 * `tide export <kind> NAME | --all`: the objects as YAML one can apply elsewhere, as flux2's
 * cmd/flux/export*.go prints them: apiVersion, kind, metadata with only name, namespace,
 * labels and annotations, and spec; no status or server fields. Each document follows a
 * "---" line; keys are sorted, as sigs.k8s.io/yaml writes them.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/get.h"
#include "cli/kinds.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

static struct doc_node *clean(struct arena *a, const struct cli_kind *k, const struct doc_node *obj)
{
	struct doc_node *out = doc_new_map(a);
	doc_map_set(a, out, "apiVersion", doc_new_str(a, k->api_version));
	doc_map_set(a, out, "kind", doc_new_str(a, k->kind));
	struct doc_node *meta = doc_new_map(a);
	static const char *const keep[] = { "name", "namespace", "labels", "annotations" };
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		const struct doc_node *v = doc_get(obj, arena_sprintf(a, "metadata.%s", keep[i]));
		/* Empty maps are omitted, as Go's omitempty does. */
		if (v && !(v->kind == DOC_MAP && v->u.map.len == 0))
			doc_map_set(a, meta, keep[i], doc_clone(a, v));
	}
	doc_map_set(a, out, "metadata", meta);
	const struct doc_node *spec = doc_get(obj, "spec");
	if (spec)
		doc_map_set(a, out, "spec", doc_clone(a, spec));
	return out;
}

int cmd_export(int argc, char **argv)
{
	struct cli_globals g;
	bool all = false;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 1];
	cli_global_flags(flags, &g);
	flags[CLI_GLOBAL_FLAG_COUNT] = (struct cli_flag){ "all", 0, FLAG_BOOL, &all, "select all resources", "false" };
	size_t nf = CLI_GLOBAL_FLAG_COUNT + 1;
	const char *args[3];
	size_t nargs;
	static const struct cli_usage u = {
		"tide export <kustomization|source git|source oci|source helm|source chart|source bucket|source external|helmrelease|artifact generator|...> [name] [flags]",
		"The export command prints Flux resources as YAML, without status and server fields.",
		"  # Export all Kustomizations in flux-system\n"
		"  tide export kustomization --all > kustomizations.yaml",
	};
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, nf, args, 3, &nargs, &g.help, &u))
		return code;
	static const struct cli_verb_kinds words = { .verb = "export", .example = "kustomization NAME" };
	struct cli_kind_arg ka;
	if (cli_kind_parse(&ka, &words, args, nargs))
		return cli_fail("%s", err_msg());
	const struct cli_kind *k = ka.kind;
	const char *name = nargs > ka.words ? args[ka.words] : NULL;
	if (nargs > ka.words + 1)
		return cli_fail("export: too many arguments");
	if (!name && !all)
		return cli_fail("name is required");
	if (name && all)
		return cli_fail("export: give a name or --all, not both");
	g.all_namespaces = false; /* flux exports from one namespace */

	struct arena *a = arena_new();
	struct get_result res;
	int rc = get_list(&res, a, &g, k, name, NULL);
	if (rc) {
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	const char *ns = cli_namespace(&g);
	if (res.len == 0) {
		if (name)
			rc = cli_fail("%s object '%s' not found in %s namespace", k->kind, name, ns);
		else
			rc = cli_fail("no objects found in %s namespace", ns);
		arena_free(a);
		return rc;
	}
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < res.len; i++) {
		buf_adds(&out, "---\n");
		doc_emit_yaml(&out, clean(a, k, res.items[i]), DOC_EMIT_SORT_KEYS);
	}
	fwrite(out.ptr, 1, out.len, stdout);
	buf_release(&out);
	arena_free(a);
	return 0;
}
