/*
 * `tide events [--for Kind/name] [-A] [--types Normal,Warning]`, as flux2's cmd/flux/events.go
 * prints them: the Events about Flux objects in the namespace (or all with -A), oldest first,
 * in flux's columns (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; NAMESPACE first with -A), the
 * age as kubectl's HumanDuration with "(xN over AGE)" for repeated events. --watch streams
 * them instead, as flux's eventsCmdWatchRun: every existing event then each new or changed
 * one, a row each (the header with the first), until Ctrl-C or --timeout (exit 0). Not yet:
 * --for's expansion to the object's source (flux adds the source's events).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/table.h"
#include "cli/wait.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "kube/watch.h"
#include "util/arena.h"
#include "util/error.h"

static const char *const flux_kinds[] = {
	"Kustomization", "HelmRelease", "GitRepository", "OCIRepository", "HelmRepository", "HelmChart",
	"Bucket", "Alert", "Provider", "Receiver", "ImageRepository", "ImagePolicy", "ImageUpdateAutomation",
};
#define NKINDS (sizeof(flux_kinds) / sizeof(flux_kinds[0]))

static const char *flux_kind(const char *word)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (!strcasecmp(word, flux_kinds[i]))
			return flux_kinds[i];
	return NULL;
}

/* Seconds since the epoch of an RFC 3339 time ("2026-01-02T03:04:05Z" or with a fraction), or -1. */
static long long parse_time(const char *s)
{
	struct tm tm = { 0 };
	if (!s || sscanf(s, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (long long)timegm(&tm);
}

/* k8s.io/apimachinery's duration.HumanDuration. */
static void human(char *out, size_t len, long long secs)
{
	if (secs < 0) {
		snprintf(out, len, "<invalid>");
		return;
	}
	long long m = secs / 60, h = secs / 3600, d = h / 24, y = d / 365;
	if (secs < 120)
		snprintf(out, len, "%llds", secs);
	else if (m < 10)
		secs % 60 ? snprintf(out, len, "%lldm%llds", m, secs % 60) : snprintf(out, len, "%lldm", m);
	else if (h < 3)
		snprintf(out, len, "%lldm", m);
	else if (h < 8)
		m % 60 ? snprintf(out, len, "%lldh%lldm", h, m % 60) : snprintf(out, len, "%lldh", h);
	else if (h < 48)
		snprintf(out, len, "%lldh", h);
	else if (h < 24 * 8)
		h % 24 ? snprintf(out, len, "%lldd%lldh", d, h % 24) : snprintf(out, len, "%lldd", d);
	else if (h < 24 * 365 * 2)
		snprintf(out, len, "%lldd", d);
	else if (h < 24 * 365 * 8)
		d % 365 ? snprintf(out, len, "%lldy%lldd", y, d % 365) : snprintf(out, len, "%lldy", y);
	else
		snprintf(out, len, "%lldy", y);
}

static void since(char *out, size_t len, const char *ts, long long now)
{
	long long t = parse_time(ts);
	if (t < 0)
		snprintf(out, len, "<unknown>");
	else
		human(out, len, now - t);
}

/* The row flux prints for event e (NAMESPACE first when ns). */
static void add_row(struct table *t, struct arena *a, const struct doc_node *e, bool ns, long long now)
{
	char first[64], last[64], seen[192];
	const char *et = doc_get_str(e, "eventTime");
	since(first, sizeof(first), et ? et : doc_get_str(e, "firstTimestamp"), now);
	int64_t count = 0;
	doc_int64(doc_get(e, "count"), &count);
	if (doc_get(e, "series")) {
		int64_t sc = 0;
		doc_int64(doc_get(e, "series.count"), &sc);
		since(last, sizeof(last), doc_get_str(e, "series.lastObservedTime"), now);
		snprintf(seen, sizeof(seen), "%s (x%lld over %s)", last, (long long)sc, first);
	} else if (count > 1) {
		since(last, sizeof(last), doc_get_str(e, "lastTimestamp"), now);
		snprintf(seen, sizeof(seen), "%s (x%lld over %s)", last, (long long)count, first);
	} else {
		snprintf(seen, sizeof(seen), "%s", first);
	}
	const char *object = arena_sprintf(a, "%s/%s", doc_get_str(e, "involvedObject.kind"),
					   doc_get_str(e, "involvedObject.name") ? doc_get_str(e, "involvedObject.name") : "");
	const char *cells[6] = { doc_get_str(e, "metadata.namespace"), seen, doc_get_str(e, "type"),
				 doc_get_str(e, "reason"), object, doc_get_str(e, "message") };
	table_add(t, ns ? cells : cells + 1);
}

static const char *const hdr_ns[] = { "Namespace", "Last seen", "Type", "Reason", "Object", "Message" };

/* Whether tide shows event e: about a Flux kind, of one of the types asked for. */
static bool wanted(const struct doc_node *e, const struct cli_strings *types)
{
	const char *kind = doc_get_str(e, "involvedObject.kind");
	if (!kind || !flux_kind(kind))
		return false;
	const char *type = doc_get_str(e, "type");
	bool keep = types->len == 0;
	for (size_t j = 0; j < types->len; j++)
		keep |= type && !strcasecmp(type, types->items[j]);
	return keep;
}

struct watch_print {
	const struct cli_strings *types;
	bool ns, header;
};

static int print_event(void *ud, struct kube_event *ev)
{
	struct watch_print *w = ud;
	if (ev->type == KUBE_EVENT_DELETED || !wanted(ev->object, w->types))
		return 0;
	struct table *t = table_new(w->ns ? hdr_ns : hdr_ns + 1, w->ns ? 6 : 5);
	add_row(t, ev->arena, ev->object, w->ns, (long long)time(NULL));
	if (w->header)
		table_print(t, stdout);
	else
		table_print_rows(t, stdout);
	fflush(stdout);
	w->header = false;
	table_free(t);
	return 0;
}

struct row {
	long long when;
	const struct doc_node *e;
};

static int by_time(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	return a->when < b->when ? -1 : a->when > b->when;
}

int cmd_events(int argc, char **argv)
{
	struct cli_globals g;
	const char *for_sel = NULL;
	struct cli_strings types = { 0 };
	bool watch = false;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 3];
	cli_global_flags(flags, &g);
	size_t nf = CLI_GLOBAL_FLAG_COUNT;
	flags[nf++] = (struct cli_flag){ "for", 0, FLAG_STRING, &for_sel,
					 "get the events for a particular object, in the format <kind>[/<name>]", NULL };
	flags[nf++] = (struct cli_flag){ "types", 0, FLAG_STRINGS, &types,
					 "filter events for certain types (valid types are: Normal, Warning)", "[]" };
	flags[nf++] = (struct cli_flag){ "watch", 'w', FLAG_BOOL, &watch,
					 "indicate if the events should be streamed", "false" };
	const char *args[1];
	size_t nargs;
	if (cli_parse(argc, argv, flags, nf, args, 0, &nargs))
		return cli_fail("%s", err_msg());
	if (g.help) {
		static const struct cli_usage u = {
			"tide events [flags]",
			"The events command shows Kubernetes events from Flux resources.",
			"  # Display events for flux resources in default namespace\n"
			"  tide events -n default\n\n"
			"  # Display events for flux resources in all namespaces\n"
			"  tide events -A\n\n"
			"  # Display events for a Kustomization named podinfo\n"
			"  tide events --for Kustomization/podinfo\n\n"
			"  # Stream the warnings in all namespaces until Ctrl-C (or --timeout)\n"
			"  tide events -A --types warning --watch",
		};
		cli_print_help(&u, flags, nf);
		return 0;
	}
	for (size_t i = 0; i < types.len; i++)
		if (strcasecmp(types.items[i], "Normal") && strcasecmp(types.items[i], "Warning"))
			return cli_fail("type '%s' not supported. Supported types are: Normal, Warning", types.items[i]);
	struct arena *a = arena_new();
	const char *selector = NULL;
	if (for_sel && *for_sel) {
		const char *slash = strchr(for_sel, '/');
		const char *kw = slash ? arena_strndup(a, for_sel, (size_t)(slash - for_sel)) : for_sel;
		const char *kind = *kw ? flux_kind(kw) : NULL;
		if (!*kw) {
			arena_free(a);
			return cli_fail("--for selector must be of format <kind>[/<name>]");
		}
		if (!kind) {
			cli_fail("'%s' is not a recognized Flux kind", kw);
			arena_free(a); /* kw lives in it */
			return 1;
		}
		selector = slash && slash[1] ? arena_sprintf(a, "involvedObject.kind=%s,involvedObject.name=%s", kind, slash + 1)
					     : arena_sprintf(a, "involvedObject.kind=%s", kind);
	}
	const char *ns = cli_namespace(&g);
	struct kube_client *c = NULL;
	const struct kube_resource *r;
	struct doc_node *list;
	int rc = cli_connect(&c, &g);
	if (!rc)
		rc = kube_mapper_find(&r, c, "v1", "Event");
	if (!rc && watch) {
		struct watch_print w = { &types, g.all_namespaces, true };
		rc = cli_watch(c, r, ns, g.all_namespaces, selector, NULL, cli_now_ms() + g.timeout_ms,
			       print_event, &w);
		if (rc == ERR_TIMEOUT) /* flux ends the stream at the deadline without an error */
			rc = 0;
		if (!rc) {
			kube_client_free(c);
			arena_free(a);
			return 0;
		}
	}
	if (!rc && !watch)
		rc = kube_list(&list, c, a, r, ns, g.all_namespaces, &(struct kube_opts){ .field_selector = selector });
	if (rc) {
		kube_client_free(c);
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	kube_client_free(c);
	struct doc_node *items = doc_map_get(list, "items");
	size_t n = items && items->kind == DOC_SEQ ? items->u.seq.len : 0;
	struct row *rows = arena_alloc(a, (n ? n : 1) * sizeof(*rows));
	size_t nrows = 0;
	for (size_t i = 0; i < n; i++) {
		const struct doc_node *e = items->u.seq.items[i];
		if (!wanted(e, &types))
			continue;
		const char *ts = doc_get_str(e, "lastTimestamp");
		if (!ts)
			ts = doc_get_str(e, "eventTime");
		rows[nrows++] = (struct row){ parse_time(ts), e };
	}
	if (nrows == 0) {
		if (g.all_namespaces)
			fprintf(stderr, "✗ No events found.\n");
		else
			fprintf(stderr, "✗ No events found in %s namespace.\n", ns);
		arena_free(a);
		return 0;
	}
	qsort(rows, nrows, sizeof(*rows), by_time);
	struct table *t = table_new(g.all_namespaces ? hdr_ns : hdr_ns + 1, g.all_namespaces ? 6 : 5);
	long long now = (long long)time(NULL);
	for (size_t i = 0; i < nrows; i++)
		add_row(t, a, rows[i].e, g.all_namespaces, now);
	table_print(t, stdout);
	table_free(t);
	arena_free(a);
	return 0;
}
