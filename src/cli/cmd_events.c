/*
 * `tide events [--for Kind/name] [-A] [--types Normal,Warning]`, as flux2's cmd/flux/events.go
 * prints them: the Events about Flux objects in the namespace (or all with -A), oldest first,
 * in flux's columns (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; NAMESPACE first with -A), the
 * age as kubectl's HumanDuration with "(xN over AGE)" for repeated events. --watch streams
 * them instead, as flux's eventsCmdWatchRun: every existing event then each new or changed
 * one, a row each (the header with the first), until Ctrl-C or --timeout (exit 0).
 * --for Kind/name adds the events of what the object refers to, as flux's fluxKindMap: a
 * Kustomization's or HelmChart's source, a HelmRelease's chart source and its HelmChart, an
 * Alert's Provider, an ImagePolicy's ImageRepository (NAMESPACE shown when one of them is in
 * another namespace).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/kinds.h"
#include "cli/table.h"
#include "cli/wait.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "kube/watch.h"
#include "util/clock.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

/* The Flux kind named by word (any case), e.g. "kustomization": its API name, or NULL. */
static const char *flux_kind(const char *word)
{
	const struct cli_kind *k = cli_kind_by_name(word);
	return k ? k->kind : NULL;
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

/* An object whose events are shown: kind, name (NULL = any), namespace (NULL = the query's). */
struct evref {
	const char *kind, *name, *ns;
};

#define MAX_REFS 3

/* Appends to refs what ns/name of kind refers to (flux's getObjectRef). */
static int object_refs(struct kube_client *c, struct arena *a, const char *kind, const char *name,
		       const char *ns, struct evref *refs, size_t *n)
{
	const struct cli_kind *k = cli_kind_by_name(kind);
	if (!k || !k->ref_field)
		return 0;
	const struct kube_resource *r;
	struct doc_node *obj;
	int rc = kube_mapper_find(&r, c, k->api_version, k->kind);
	if (!rc)
		rc = kube_get(&obj, c, a, r, ns, name, NULL);
	if (rc)
		return rc;
	const char *f = k->ref_field;
	const char *ref_kind = k->ref_kind ? k->ref_kind : doc_get_str(obj, arena_sprintf(a, "%s.kind", f));
	const char *ref_name = doc_get_str(obj, arena_sprintf(a, "%s.name", f));
	if (!ref_kind)
		return err_set(ERR_NOTFOUND, "field '%s.kind' for '%s/%s' not found", f, ns, name);
	if (!ref_name)
		return err_set(ERR_NOTFOUND, "field '%s.name' for '%s/%s' not found", f, ns, name);
	const char *ref_ns = k->ref_cross_namespace ? doc_get_str(obj, arena_sprintf(a, "%s.namespace", f)) : NULL;
	if (!ref_ns || !*ref_ns)
		ref_ns = ns;
	refs[(*n)++] = (struct evref){ ref_kind, ref_name, ref_ns };
	if (!strcmp(kind, "HelmRelease"))
		refs[(*n)++] = (struct evref){ "HelmChart", arena_sprintf(a, "%s-%s", ns, name), ref_ns };
	return 0;
}

static const char *ref_selector(struct arena *a, const struct evref *r)
{
	return r->name ? arena_sprintf(a, "involvedObject.kind=%s,involvedObject.name=%s", r->kind, r->name)
		       : arena_sprintf(a, "involvedObject.kind=%s", r->kind);
}

static bool ref_matches(const struct evref *r, const struct doc_node *e)
{
	const char *kind = doc_get_str(e, "involvedObject.kind"), *name = doc_get_str(e, "involvedObject.name");
	const char *ns = doc_get_str(e, "metadata.namespace");
	return kind && !strcmp(kind, r->kind) && (!r->name || (name && !strcmp(name, r->name))) &&
	       (!r->ns || (ns && !strcmp(ns, r->ns)));
}

struct watch_print {
	const struct cli_strings *types;
	bool ns, header;
	const struct evref *refs; /* when set, events are matched here rather than by the server */
	size_t nrefs;
};

static int print_event(void *ud, struct kube_event *ev)
{
	struct watch_print *w = ud;
	if (ev->type == KUBE_EVENT_DELETED || !wanted(ev->object, w->types))
		return 0;
	bool match = w->nrefs == 0;
	for (size_t i = 0; i < w->nrefs && !match; i++)
		match = ref_matches(&w->refs[i], ev->object);
	if (!match)
		return 0;
	struct table *t = table_new(w->ns ? hdr_ns : hdr_ns + 1, w->ns ? 6 : 5);
	add_row(t, ev->arena, ev->object, w->ns, (long long)time(NULL));
	table_print_event(t, stdout, &w->header);
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
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, nf, args, 0, &nargs, &g.help, &u))
		return code;
	for (size_t i = 0; i < types.len; i++)
		if (strcasecmp(types.items[i], "Normal") && strcasecmp(types.items[i], "Warning"))
			return cli_fail("type '%s' not supported. Supported types are: Normal, Warning", types.items[i]);
	struct arena *a = arena_new();
	const char *ns = cli_namespace(&g);
	/* refs[0]: the --for object (or nothing: every Flux event); then what it refers to */
	struct evref refs[1 + MAX_REFS];
	size_t nrefs = 0;
	const char *for_name = NULL;
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
		for_name = slash && slash[1] ? slash + 1 : NULL;
		refs[nrefs++] = (struct evref){ kind, for_name, g.all_namespaces ? NULL : ns };
	}
	struct kube_client *c = NULL;
	const struct kube_resource *r;
	int rc = cli_connect(&c, &g);
	if (!rc)
		rc = kube_mapper_find(&r, c, "v1", "Event");
	if (!rc && for_name)
		rc = object_refs(c, a, refs[0].kind, for_name, ns, refs, &nrefs);
	bool other_ns = false;
	for (size_t i = 1; i < nrefs; i++)
		other_ns |= strcmp(refs[i].ns, ns) != 0;
	bool show_ns = g.all_namespaces || other_ns;
	if (!rc && watch) {
		/* one watch: by the server's field selector for one object kind, else filtered here
		 * (in every namespace when a reference leaves the object's) */
		struct watch_print w = { &types, show_ns, true, nrefs > 1 ? refs : NULL, nrefs > 1 ? nrefs : 0 };
		const char *selector = nrefs == 1 ? ref_selector(a, &refs[0]) : NULL;
		rc = cli_watch(c, r, ns, g.all_namespaces || other_ns, selector, NULL, clock_mono_ms() + g.timeout_ms,
			       print_event, &w);
		if (rc == ERR_TIMEOUT) /* flux ends the stream at the deadline without an error */
			rc = 0;
		if (!rc) {
			kube_client_free(c);
			arena_free(a);
			return 0;
		}
	}
	struct doc_node *lists[1 + MAX_REFS];
	size_t nlists = 0, n = 0;
	for (size_t i = 0; !rc && !watch && i < (nrefs ? nrefs : 1); i++) {
		struct kube_opts o = { .field_selector = nrefs ? ref_selector(a, &refs[i]) : NULL };
		bool all = i == 0 ? g.all_namespaces : false;
		rc = kube_list(&lists[nlists], c, a, r, i == 0 ? ns : refs[i].ns, all, &o);
		if (!rc) {
			struct doc_node *items = doc_map_get(lists[nlists], "items");
			n += items && items->kind == DOC_SEQ ? items->u.seq.len : 0;
			nlists++;
		}
	}
	if (rc) {
		kube_client_free(c);
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	kube_client_free(c);
	struct row *rows = arena_alloc(a, (n ? n : 1) * sizeof(*rows));
	size_t nrows = 0;
	for (size_t l = 0; l < nlists; l++) {
		struct doc_node *items = doc_map_get(lists[l], "items");
		for (size_t i = 0; items && items->kind == DOC_SEQ && i < items->u.seq.len; i++) {
			const struct doc_node *e = items->u.seq.items[i];
			if (!wanted(e, &types))
				continue;
			const char *ts = doc_get_str(e, "lastTimestamp");
			if (!ts)
				ts = doc_get_str(e, "eventTime");
			rows[nrows++] = (struct row){ parse_time(ts), e };
		}
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
	struct table *t = table_new(show_ns ? hdr_ns : hdr_ns + 1, show_ns ? 6 : 5);
	long long now = (long long)time(NULL);
	for (size_t i = 0; i < nrows; i++)
		add_row(t, a, rows[i].e, show_ns, now);
	table_print(t, stdout);
	table_free(t);
	arena_free(a);
	return 0;
}
