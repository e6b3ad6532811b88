/*
 * `tide get <kind> [name]`: the status table `flux get` prints, read from the cluster.
 * Columns and wording follow flux2's cmd/flux/get*.go: NAME, REVISION, SUSPENDED, READY,
 * MESSAGE (NAMESPACE first with -A); READY and MESSAGE come from the Ready condition, or
 * "False" / "waiting to be reconciled" before the first reconcile; long hex digests in
 * revisions and messages are shortened to 8 characters.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/flags.h"
#include "cli/get.h"
#include "cli/table.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

static const struct flux_kind kinds[] = {
	{ "kustomizations", "ks", "kustomization", "Kustomization", "kustomize.toolkit.fluxcd.io", "v1",
	  "kustomizations", "status.lastAppliedRevision" },
	{ "gitrepositories", "git", "gitrepository", "GitRepository", "source.toolkit.fluxcd.io", "v1",
	  "gitrepositories", "status.artifact.revision" },
	{ "ocirepositories", "oci", "ocirepository", "OCIRepository", "source.toolkit.fluxcd.io", "v1",
	  "ocirepositories", "status.artifact.revision" },
	{ "helmrepositories", "helm", "helmrepository", "HelmRepository", "source.toolkit.fluxcd.io", "v1",
	  "helmrepositories", "status.artifact.revision" },
	{ "helmcharts", "chart", "helmchart", "HelmChart", "source.toolkit.fluxcd.io", "v1",
	  "helmcharts", "status.artifact.revision" },
	{ "buckets", "bucket", "bucket", "Bucket", "source.toolkit.fluxcd.io", "v1",
	  "buckets", "status.artifact.revision" },
	{ "helmreleases", "hr", "helmrelease", "HelmRelease", "helm.toolkit.fluxcd.io", "v2",
	  "helmreleases", "status.lastAttemptedRevision" },
};

const struct flux_kind *flux_kind_find(const char *word)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(word, kinds[i].plural) || !strcmp(word, kinds[i].alias) ||
		    !strcmp(word, kinds[i].singular))
			return &kinds[i];
	return NULL;
}

static bool is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool is_lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

void truncate_hex(struct buf *out, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		if ((i == 0 || !is_word(s[i - 1])) && is_lower_hex(s[i])) {
			size_t j = i;
			while (j < n && is_lower_hex(s[j]))
				j++;
			size_t len = j - i;
			if (len >= 40 && len <= 128 && (j == n || !is_word(s[j]))) {
				buf_add(out, s + i, 8);
				i = j;
				continue;
			}
			buf_add(out, s + i, len);
			i = j;
			continue;
		}
		buf_addch(out, s[i++]);
	}
}

void flux_status_and_message(const struct doc_node *obj, const char **status, const char **message)
{
	const struct doc_node *conds = doc_get(obj, "status.conditions");
	if (conds && conds->kind == DOC_SEQ) {
		for (size_t i = 0; i < conds->u.seq.len; i++) {
			const char *type = doc_get_str(conds->u.seq.items[i], "type");
			if (type && !strcmp(type, "Ready")) {
				const char *st = doc_get_str(conds->u.seq.items[i], "status");
				const char *msg = doc_get_str(conds->u.seq.items[i], "message");
				*status = st ? st : "";
				*message = msg ? msg : "";
				return;
			}
		}
	}
	*status = "False";
	*message = "waiting to be reconciled";
}

void flux_summarise(struct table *t, const struct flux_kind *k, const struct doc_node *obj,
		    bool with_namespace)
{
	const char *ns = doc_get_str(obj, "metadata.namespace");
	const char *name = doc_get_str(obj, "metadata.name");
	const char *rev = doc_get_str(obj, k->revision_path);
	const struct doc_node *suspend = doc_get(obj, "spec.suspend");
	const char *status, *message;
	flux_status_and_message(obj, &status, &message);
	struct buf r = BUF_INIT, m = BUF_INIT;
	truncate_hex(&r, rev ? rev : "");
	truncate_hex(&m, message);
	const char *susp = suspend && suspend->kind == DOC_BOOL && suspend->u.boolean ? "True" : "False";
	const char *row[6];
	size_t i = 0;
	if (with_namespace)
		row[i++] = ns ? ns : "";
	row[i++] = name ? name : "";
	row[i++] = r.ptr;
	row[i++] = susp;
	row[i++] = status;
	row[i++] = m.ptr;
	table_add(t, row);
	buf_release(&r);
	buf_release(&m);
}

static void print_get_help(const struct cli_flag *flags, size_t n)
{
	static const struct cli_usage usage = {
		"tide get <kustomizations|sources git|gitrepositories|...> [name] [flags]",
		"The get command prints the statuses of Flux resources.",
		"  # List all Kustomizations and their status\n"
		"  tide get kustomizations\n\n"
		"  # List Git repositories from all namespaces\n"
		"  tide get sources git --all-namespaces",
	};
	cli_print_help(&usage, flags, n);
	printf("\nKinds: kustomizations (ks), sources git|oci|helm|chart|bucket, gitrepositories, helmreleases (hr)\n");
}

int cmd_get(int argc, char **argv)
{
	struct cli_globals g;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT];
	cli_global_flags(flags, &g);
	const char *args[3];
	size_t nargs;
	if (cli_parse(argc, argv, flags, CLI_GLOBAL_FLAG_COUNT, args, 3, &nargs))
		return cli_fail("%s", err_msg());
	if (g.help) {
		print_get_help(flags, CLI_GLOBAL_FLAG_COUNT);
		return 0;
	}
	if (nargs == 0)
		return cli_fail("get: a kind is required, e.g. `tide get kustomizations` (see --help)");
	size_t a = 0;
	if (!strcmp(args[0], "sources") || !strcmp(args[0], "source")) {
		if (nargs < 2)
			return cli_fail("get sources: a source kind is required: git, oci, helm, chart or bucket");
		a = 1;
	}
	const struct flux_kind *k = flux_kind_find(args[a]);
	if (!k)
		return cli_fail("get: unknown kind \"%s\"", args[a]);
	const char *name = nargs > a + 1 ? args[a + 1] : NULL;
	if (nargs > a + 2)
		return cli_fail("get: too many arguments");

	struct arena *ar = arena_new();
	struct get_result res;
	int rc = get_list(&res, ar, &g, k, name);
	if (rc) {
		arena_free(ar);
		return cli_fail("%s", err_msg());
	}
	const char *where = g.all_namespaces ? "any" : res.namespace_quoted;
	if (res.len == 0) {
		if (name)
			rc = cli_fail("%s object '%s' not found in %s namespace", k->kind, name, where);
		else
			rc = cli_fail("no %s objects found in %s namespace", k->kind, where);
		arena_free(ar);
		return rc;
	}
	const char *header[] = { "Namespace", "Name", "Revision", "Suspended", "Ready", "Message" };
	struct table *t = table_new(g.all_namespaces ? header : header + 1, g.all_namespaces ? 6 : 5);
	for (size_t i = 0; i < res.len; i++)
		flux_summarise(t, k, res.items[i], g.all_namespaces);
	table_print(t, stdout);
	table_free(t);
	arena_free(ar);
	return 0;
}
