/*
 * `tide diff kustomization NAME --path DIR`, shaped like flux2's
 * cmd/flux/diff_kustomization.go: the local directory built as for `tide build` (build.c),
 * then compared with the cluster by a server-side dry-run apply: "► <object> created" or
 * "drifted" (with a line diff of the cluster's object and the build's, Secret values
 * masked), and, when the Kustomization prunes, "deleted" for what its inventory holds and
 * the build lacks. Exit status 0 without changes, 1 with changes, 2 when the diff failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply/apply.h"
#include "cli/build.h"
#include "cli/cli.h"
#include "cli/flags.h"
#include "doc/doc.h"
#include "kustomize/kustomize.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Secret values replaced, as flux diff masks them. */
static void mask_secret(struct arena *a, struct doc_node *obj)
{
	const char *kind = doc_get_str(obj, "kind");
	if (!obj || !kind || strcmp(kind, "Secret"))
		return;
	const char *fields[] = { "data", "stringData" };
	for (size_t f = 0; f < 2; f++) {
		struct doc_node *m = doc_map_get(obj, fields[f]);
		for (size_t i = 0; m && m->kind == DOC_MAP && i < m->u.map.len; i++)
			m->u.map.items[i].value = doc_new_str(a, "*****");
	}
}

/* Drops what the server owns so a diff shows the user's fields. */
static void strip_server_fields(struct doc_node *obj)
{
	if (!obj)
		return;
	doc_delete(obj, "status");
	static const char *const meta[] = { "managedFields", "resourceVersion", "uid", "creationTimestamp",
					    "generation", "selfLink" };
	struct doc_node *md = doc_map_get(obj, "metadata");
	for (size_t i = 0; md && i < sizeof(meta) / sizeof(meta[0]); i++)
		doc_map_delete(md, meta[i]);
}

/* The non-empty lines of s, cut in place (s's newlines become NULs); the array is the
 * caller's to free. */
static char **split_lines(char *s, size_t *n)
{
	char **lines = NULL;
	size_t cap = 0;
	*n = 0;
	for (char *p = s; *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p) {
			lines = xgrow(lines, &cap, *n + 1, sizeof(*lines));
			lines[(*n)++] = p;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return lines;
}

/* A line diff of two YAML texts (longest common subsequence): the changed lines only, "- "
 * for the cluster's, "+ " for the build's. */
static void print_line_diff(const char *x, const char *y)
{
	char *xs = xstrdup(x), *ys = xstrdup(y);
	size_t nx, ny;
	char **xl = split_lines(xs, &nx), **yl = split_lines(ys, &ny);
	size_t w = ny + 1;
	unsigned *lcs = xcalloc((nx + 1) * w, sizeof(unsigned));
	for (size_t i = nx; i-- > 0;)
		for (size_t j = ny; j-- > 0;)
			lcs[i * w + j] = !strcmp(xl[i], yl[j]) ? lcs[(i + 1) * w + j + 1] + 1
				       : (lcs[(i + 1) * w + j] > lcs[i * w + j + 1] ? lcs[(i + 1) * w + j]
										: lcs[i * w + j + 1]);
	size_t i = 0, j = 0;
	while (i < nx || j < ny) {
		if (i < nx && j < ny && !strcmp(xl[i], yl[j])) {
			i++;
			j++;
		} else if (i < nx && (j == ny || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
			printf("- %s\n", xl[i++]);
		} else {
			printf("+ %s\n", yl[j++]);
		}
	}
	free(lcs);
	free(xl);
	free(yl);
	free(xs);
	free(ys);
}

/* Prints what applying b would change; returns the exit code. */
static int diff(struct cli_build *b)
{
	struct arena *a = b->a;
	struct kube_client *c = b->c;
	struct doc_node **objs = b->objs, *ks = b->ks;
	size_t n = b->n;
	const char *name = b->name, *ns = b->ns;
	printf("► Kustomization diffing...\n");
	struct apply_manager *m = NULL;
	struct apply_opts ao = { 0 };
	ao.owner_name = name;
	ao.owner_namespace = ns;
	if (apply_manager_new(&m, c, &ao))
		return cli_fail("%s", err_msg());
	struct apply_changeset cs = { 0 };
	struct doc_node **live = NULL, **merged = NULL;
	if (apply_diff(&cs, &live, &merged, m, a, objs, n)) {
		apply_manager_free(m);
		fprintf(stderr, "✗ %s\n", err_msg());
		return 2;
	}
	bool changed = false;
	for (size_t i = 0; i < cs.len; i++) {
		const struct apply_entry *e = &cs.items[i];
		if (e->action == APPLY_CREATED) {
			printf("► %s created\n", e->subject);
			changed = true;
		} else if (e->action == APPLY_CONFIGURED) {
			printf("► %s drifted\n", e->subject);
			changed = true;
			strip_server_fields(live[i]);
			strip_server_fields(merged[i]);
			mask_secret(a, live[i]);
			mask_secret(a, merged[i]);
			struct buf x = BUF_INIT, y = BUF_INIT;
			doc_emit_yaml(&x, live[i], DOC_EMIT_SORT_KEYS);
			doc_emit_yaml(&y, merged[i], DOC_EMIT_SORT_KEYS);
			printf("\n");
			print_line_diff(x.ptr, y.ptr);
			printf("\n");
			buf_release(&x);
			buf_release(&y);
		}
	}
	/* What the controller would prune: in the inventory, not in the build. */
	const struct doc_node *prune = doc_get(ks, "spec.prune");
	if (prune && prune->kind == DOC_BOOL && prune->u.boolean) {
		struct apply_inventory old_inv = { 0 }, new_inv = { 0 };
		apply_inventory_from_doc(&old_inv, a, doc_get(ks, "status.inventory"));
		apply_inventory_add_changeset(a, &new_inv, &cs);
		struct apply_ref *stale = NULL;
		size_t nstale = 0;
		apply_inventory_diff(&stale, &nstale, a, &old_inv, &new_inv);
		for (size_t i = 0; i < nstale; i++) {
			printf("► %s deleted\n", apply_subject(a, &stale[i]));
			changed = true;
		}
	}
	apply_manager_free(m);
	if (!changed)
		return 0;
	fprintf(stderr, "⚠️ identified at least one change, exiting with non-zero exit code\n");
	return 1;
}

int cmd_diff(int argc, char **argv)
{
	struct cli_globals g;
	struct cli_build_opts o = { .verb = "diff", .max_mib = (long)(KUST_MAX_MEMORY_DEFAULT >> 20) };
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 3];
	cli_global_flags(flags, &g);
	const struct cli_flag own[] = {
		{ "path", 0, FLAG_STRING, &o.path, "Path to the manifests location.", NULL },
		{ "kustomization-file", 0, FLAG_STRING, &o.kfile, "Path to the Flux Kustomization YAML file.", NULL },
		{ "max-build-memory", 0, FLAG_INT, &o.max_mib, "The most memory, in MiB, the build may use (as tide controller's flag).", "256" },
	};
	memcpy(flags + CLI_GLOBAL_FLAG_COUNT, own, sizeof(own));
	size_t nflags = CLI_GLOBAL_FLAG_COUNT + 3;
	const char *args[2];
	size_t nargs = 0;
	static const struct cli_usage u = {
		"tide diff kustomization NAME --path DIR [flags]",
		"The diff command does a build, then it performs a server-side dry-run and prints the diff.\n"
		"Exit status: 0 No differences were found. 1 Differences were found. >1 diff failed with an error.",
		"  # Preview local changes as they were applied on the cluster\n"
		"  tide diff kustomization my-app --path ./path/to/local/manifests",
	};
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, nflags, args, 2, &nargs, &g.help, &u))
		return code;
	struct cli_build b;
	int ret = cli_build_run(&b, &g, args, nargs, &o) ? cli_fail("%s", err_msg()) : diff(&b);
	cli_build_release(&b);
	return ret;
}
