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
#include <strings.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/get.h"
#include "cli/kinds.h"
#include "cli/table.h"
#include "cli/wait.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/watch.h"
#include "util/clock.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

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

/* The header after NAMESPACE for k's columns (flux's headers()): NAME, the kind's own
 * columns, READY, MESSAGE. out holds CLI_MAX_COLUMNS + 3. */
static size_t column_headers(const struct cli_kind *k, const char **out)
{
	size_t n = 0;
	out[n++] = "Name";
	for (const struct cli_column *col = k->columns; col->header; col++)
		out[n++] = col->header;
	out[n++] = "Ready";
	out[n++] = "Message";
	return n;
}

void flux_summarise(struct table *t, const struct cli_kind *k, const struct doc_node *obj,
		    bool with_namespace, bool with_kind)
{
	const char *ns = doc_get_str(obj, "metadata.namespace");
	const char *name = doc_get_str(obj, "metadata.name");
	const char *status, *message;
	flux_status_and_message(obj, &status, &message);
	struct buf m = BUF_INIT, kn = BUF_INIT;
	if (k->static_ready) {
		status = "True";
		buf_addf(&m, "%s is Ready", k->kind);
	} else if (k->raw_message) {
		buf_adds(&m, message);
	} else {
		truncate_hex(&m, message);
	}
	if (with_kind) {
		for (const char *c = k->kind; *c; c++)
			buf_addch(&kn, (char)tolower((unsigned char)*c));
		buf_addf(&kn, "/%s", name ? name : "");
	}
	struct buf cells[CLI_MAX_COLUMNS];
	const char *row[CLI_MAX_COLUMNS + 4];
	size_t i = 0, c = 0;
	if (with_namespace)
		row[i++] = ns ? ns : "";
	row[i++] = with_kind ? kn.ptr : (name ? name : "");
	for (; k->columns[c].header; c++) {
		const struct cli_column *col = &k->columns[c];
		const char *v = NULL;
		cells[c] = (struct buf)BUF_INIT;
		switch (col->cell) {
		case CLI_CELL_REVISION:
			v = k->revision_path ? doc_get_str(obj, k->revision_path) : NULL;
			truncate_hex(&cells[c], v ? v : "");
			break;
		case CLI_CELL_SUSPENDED: {
			const struct doc_node *suspend = doc_get(obj, "spec.suspend");
			buf_adds(&cells[c], suspend && suspend->kind == DOC_BOOL && suspend->u.boolean ? "True" : "False");
			break;
		}
		case CLI_CELL_TEXT:
			v = doc_get_str(obj, col->path);
			buf_adds(&cells[c], v ? v : "");
			break;
		case CLI_CELL_SOURCE_REF: {
			const struct doc_node *ref = doc_get(obj, col->path);
			if (ref && ref->kind == DOC_MAP) {
				const char *rk = doc_get_str(ref, "kind"), *rn = doc_get_str(ref, "name");
				const char *rns = doc_get_str(ref, "namespace");
				buf_addf(&cells[c], "%s/%s/%s", rk ? rk : "", rns ? rns : "", rn ? rn : "");
			}
			break;
		}
		case CLI_CELL_DISABLED: {
			const struct doc_node *v2 = doc_map_get(doc_get(obj, "metadata.annotations"), col->path);
			bool off = v2 && v2->kind == DOC_STR && !strcasecmp(v2->u.str.ptr, "disabled");
			buf_adds(&cells[c], off ? "True" : "False");
			break;
		}
		}
		row[i++] = cells[c].ptr;
	}
	row[i++] = status;
	row[i++] = m.ptr;
	table_add(t, row);
	while (c-- > 0)
		buf_release(&cells[c]);
	buf_release(&m);
	buf_release(&kn);
}

/* flux's --status-selector: "type=status" or "type!=status", matched case-insensitively
 * against the object's conditions (Alerts and Providers count as Ready=True). */
struct status_selector {
	const char *type;
	char status[32];
	bool negate;
	bool set;
};

static int parse_status_selector(struct status_selector *sel, const char *s, char *type_buf, size_t len)
{
	memset(sel, 0, sizeof(*sel));
	if (!s || !*s)
		return 0;
	const char *sep = strstr(s, "!=");
	size_t seplen = 2;
	if (sep)
		sel->negate = true;
	else if ((sep = strchr(s, '=')))
		seplen = 1;
	if (!sep || (size_t)(sep - s) >= len)
		return err_set(ERR_INVALID, "expected status selector in type=status or type!=status format, but found: %s", s);
	memcpy(type_buf, s, (size_t)(sep - s));
	type_buf[sep - s] = '\0';
	sel->type = type_buf;
	snprintf(sel->status, sizeof(sel->status), "%s", sep + seplen);
	sel->set = true;
	return 0;
}

static bool status_matches(const struct status_selector *sel, const struct cli_kind *k,
			   const struct doc_node *obj)
{
	if (!sel->set)
		return true;
	bool match = false;
	if (k->static_ready) {
		match = !strcasecmp(sel->type, "Ready") && !strcasecmp(sel->status, "True");
	} else {
		const struct doc_node *conds = doc_get(obj, "status.conditions");
		for (size_t i = 0; conds && conds->kind == DOC_SEQ && i < conds->u.seq.len; i++) {
			const char *type = doc_get_str(conds->u.seq.items[i], "type");
			const char *st = doc_get_str(conds->u.seq.items[i], "status");
			if (type && st && !strcasecmp(type, sel->type)) {
				match = !strcasecmp(st, sel->status);
				break;
			}
		}
	}
	return sel->negate ? !match : match;
}

/* Lists and prints one kind. all: part of `get all` (names as kind/name, nothing printed
 * for an empty or unknown kind, a blank line after each table). Returns 0 or 1. */
static int get_kind(const struct cli_globals *g, const struct cli_kind *k, const char *name,
		    const struct status_selector *sel, const char *labels, bool no_header, bool all)
{
	struct arena *ar = arena_new();
	struct get_result res;
	int rc = get_list(&res, ar, g, k, name, labels);
	if (rc) {
		arena_free(ar);
		if (all && rc == ERR_NOTFOUND)
			return 0;
		return cli_fail("%s", err_msg());
	}
	const char *where = g->all_namespaces ? "any" : res.namespace_quoted;
	if (res.len == 0) {
		rc = 0;
		if (name)
			rc = cli_fail("%s object '%s' not found in %s namespace", k->kind, name, where);
		else if (!all)
			rc = cli_fail("no %s objects found in %s namespace", k->kind, where);
		arena_free(ar);
		return rc;
	}
	const char *header[8] = { "Namespace" };
	size_t nh = 1 + column_headers(k, header + 1);
	const char *const *h = g->all_namespaces ? header : header + 1;
	size_t ncols = g->all_namespaces ? nh : nh - 1;
	struct table *t = table_new(h, ncols);
	size_t rows = 0;
	for (size_t i = 0; i < res.len; i++) {
		if (!status_matches(sel, k, res.items[i]))
			continue;
		flux_summarise(t, k, res.items[i], g->all_namespaces, all);
		rows++;
	}
	if (!(all && rows == 0)) {
		if (no_header)
			table_print_rows(t, stdout);
		else
			table_print(t, stdout);
		if (all)
			printf("\n");
	}
	table_free(t);
	arena_free(ar);
	return 0;
}

static void print_get_help(const struct cli_flag *flags, size_t n)
{
	static const struct cli_usage usage = {
		"tide get <kind> [name] [flags]",
		"The get command prints the statuses of Flux resources.",
		"  # List all Kustomizations and their status\n"
		"  tide get kustomizations\n\n"
		"  # List Git repositories from all namespaces\n"
		"  tide get sources git --all-namespaces\n\n"
		"  # List all resources in all namespaces\n"
		"  tide get all -A\n\n"
		"  # List the Kustomizations that are not ready\n"
		"  tide get ks -A --status-selector ready=false\n\n"
		"  # Watch the Kustomizations: a row per change until Ctrl-C or --timeout\n"
		"  tide get kustomizations --watch\n\n"
		"  # List the Git repositories labelled team=apps\n"
		"  tide get sources git -l team=apps",
	};
	cli_print_help(&usage, flags, n);
	printf("\nKinds: all, kustomizations (ks), sources all|git|oci|helm|chart|bucket|external, helmreleases (hr),\n"
	       "alerts, alert-providers, receivers, images all|repository|policy|update, artifact generators\n");
}

/* `get all`, `get sources all`, `get images all`: every kind of group g, in flux's order. */
static int get_group(const struct cli_globals *g, enum cli_family group, const struct status_selector *sel,
		     const char *labels, bool no_header)
{
	const struct cli_kind *kinds[CLI_MAX_KINDS];
	size_t n = cli_kinds_in_order(kinds, CLI_LIST_GET_ALL);
	for (size_t i = 0; i < n; i++)
		if (cli_kind_in_group(kinds[i], group))
			get_kind(g, kinds[i], NULL, sel, labels, no_header, true);
	return 0;
}

struct watch_print {
	const struct cli_globals *g;
	const struct cli_kind *k;
	const struct status_selector *sel;
	bool header; /* not printed yet */
};

/* One row per event, as flux's watchUntil prints them: the header with the first row only,
 * each row padded to its own widths (a table per event). */
static int print_event(void *ud, struct kube_event *ev)
{
	struct watch_print *w = ud;
	if (!status_matches(w->sel, w->k, ev->object))
		return 0;
	const char *header[8] = { "Namespace" };
	size_t nh = 1 + column_headers(w->k, header + 1);
	const char *const *h = w->g->all_namespaces ? header : header + 1;
	struct table *t = table_new(h, w->g->all_namespaces ? nh : nh - 1);
	flux_summarise(t, w->k, ev->object, w->g->all_namespaces, false);
	table_print_event(t, stdout, &w->header);
	table_free(t);
	return 0;
}

/* flux get -w: no listing of its own, a watch (which starts with every existing object) until
 * Ctrl-C or --timeout, which ends it with flux's "timed out waiting for the condition". */
static int get_watch(const struct cli_globals *g, const struct cli_kind *k, const char *name,
		     const struct status_selector *sel, const char *labels, bool no_header)
{
	int64_t deadline = clock_mono_ms() + g->timeout_ms;
	struct arena *a = arena_new();
	struct kube_client *c;
	const struct kube_resource *r;
	int rc = get_resource(&c, &r, g, k);
	if (!rc) {
		struct watch_print w = { g, k, sel, !no_header };
		const char *fields = name ? arena_sprintf(a, "metadata.name=%s", name) : NULL;
		rc = cli_watch(c, r, cli_namespace(g), g->all_namespaces, fields, labels, deadline,
			       print_event, &w);
		kube_client_free(c);
	}
	arena_free(a);
	return rc ? cli_fail("%s", err_msg()) : 0;
}

static const struct cli_verb_kinds get_words = {
	.verb = "get", .example = "kustomizations", .all = true, .bare_sources = true,
};

int cmd_get(int argc, char **argv)
{
	struct cli_globals g;
	const char *status_selector = NULL;
	const char *labels = NULL;
	bool no_header = false, watch = false;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 4];
	cli_global_flags(flags, &g);
	const struct cli_flag own[] = {
		{ "status-selector", 0, FLAG_STRING, &status_selector, "specify the status condition name and the desired state to filter the get result, e.g. ready=false", NULL },
		{ "no-header", 0, FLAG_BOOL, &no_header, "skip the header when printing the results", "false" },
		{ "watch", 'w', FLAG_BOOL, &watch, "After listing/getting the requested object, watch for changes.", "false" },
		{ "label-selector", 'l', FLAG_STRING, &labels, "filter objects by label selector", NULL },
	};
	memcpy(flags + CLI_GLOBAL_FLAG_COUNT, own, sizeof(own));
	size_t nflags = CLI_GLOBAL_FLAG_COUNT + sizeof(own) / sizeof(own[0]);
	const char *args[3];
	size_t nargs;
	if (cli_parse(argc, argv, flags, nflags, args, 3, &nargs))
		return cli_fail("%s", err_msg());
	if (g.help) {
		print_get_help(flags, nflags);
		return 0;
	}
	char type_buf[128];
	struct status_selector sel;
	if (parse_status_selector(&sel, status_selector, type_buf, sizeof(type_buf)))
		return cli_fail("%s", err_msg());
	struct cli_kind_arg ka;
	if (cli_kind_parse(&ka, &get_words, args, nargs))
		return cli_fail("%s", err_msg());
	size_t a = ka.words;
	if (!ka.kind) {
		if (watch)
			return cli_fail("expected a single resource type, but found all");
		if (nargs > a)
			return cli_fail(a == 1 ? "get all: no name argument is accepted" : "get %s all: no name argument is accepted",
					args[0]);
		return get_group(&g, ka.group, &sel, labels, no_header);
	}
	const struct cli_kind *k = ka.kind;
	const char *name = nargs > a ? args[a] : NULL;
	if (nargs > a + 1)
		return cli_fail("get: too many arguments");
	if (watch)
		return get_watch(&g, k, name, &sel, labels, no_header);
	return get_kind(&g, k, name, &sel, labels, no_header, false);
}
