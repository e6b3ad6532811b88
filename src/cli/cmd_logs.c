/*
 * `tide logs`: the controller's JSON-lines log, filtered and formatted as flux2's
 * cmd/flux/logs.go does it ("<ts> <level> <Kind>/<name>.<namespace> - <msg> <error>").
 *
 * In a cluster the lines come from the pods of the Deployments labelled
 * app.kubernetes.io/part-of=flux in --flux-namespace (one pod per Deployment, running pods
 * first), through the API server's pods/log subresource. A `tide controller` started on a
 * laptop writes its log to its own stderr, not to a pod, so --from-file reads a saved log
 * (or - for standard input) through the same filter: that flag is tide's own.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

/* The largest single log line kept; longer lines are cut there and skipped as flux skips
 * lines it cannot parse. */
#define MAX_LINE (1024 * 1024)

struct log_filter {
	const char *level, *kind, *name, *namespace; /* NULL or "" = any */
	bool all_namespaces;
};

struct line_reader {
	const struct log_filter *filter;
	struct buf line;
	bool overlong;
};

static bool same(const char *want, const char *have)
{
	return !strcasecmp(want, have ? have : "");
}

/* Formats one line when it passes the filter. Lines that are not JSON objects (console
 * encoding, panics) are skipped, as flux skips them. */
static void print_line(const struct log_filter *f, const char *line, size_t len)
{
	if (len == 0 || line[0] != '{')
		return;
	struct arena *a = arena_new();
	struct doc_node *l = NULL;
	if (doc_parse_json(a, "log line", line, len, NULL, &l) || !l || l->kind != DOC_MAP) {
		err_clear();
		arena_free(a);
		return;
	}
	const char *level = doc_get_str(l, "level"), *kind = doc_get_str(l, "reconciler kind");
	const char *ckind = doc_get_str(l, "controllerKind"), *name = doc_get_str(l, "name");
	const char *ns = doc_get_str(l, "namespace");
	if (!kind || !*kind)
		kind = ckind;
	bool pass = (!f->level || !*f->level || same(f->level, level)) &&
		    (!f->kind || !*f->kind || same(f->kind, kind) || same(f->kind, ckind)) &&
		    (!f->name || !*f->name || same(f->name, name)) &&
		    (f->all_namespaces || same(f->namespace, ns));
	if (pass) {
		const char *ts = doc_get_str(l, "ts"), *msg = doc_get_str(l, "msg");
		const char *error = doc_get_str(l, "error");
		printf("%s %s %s", ts ? ts : "", level ? level : "", kind ? kind : "");
		if (name && *name)
			printf("/%s.%s", name, ns ? ns : "");
		printf(" - %s %s\n", msg ? msg : "", error ? error : "");
		fflush(stdout);
	}
	arena_free(a);
}

static int feed(void *ud, const char *data, size_t n)
{
	struct line_reader *r = ud;
	for (size_t i = 0; i < n; i++) {
		if (data[i] == '\n') {
			if (!r->overlong)
				print_line(r->filter, r->line.ptr, r->line.len);
			buf_reset(&r->line);
			r->overlong = false;
		} else if (r->line.len < MAX_LINE) {
			buf_addch(&r->line, data[i]);
		} else {
			r->overlong = true;
		}
	}
	return 0;
}

static void finish(struct line_reader *r)
{
	if (r->line.len && !r->overlong)
		print_line(r->filter, r->line.ptr, r->line.len);
	buf_release(&r->line);
}

static int logs_from_file(const char *path, const struct log_filter *f)
{
	FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!in)
		return cli_fail("cannot open '%s': %s", path, strerror(errno));
	struct line_reader r = { .filter = f, .line = BUF_INIT };
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		feed(&r, chunk, n);
	bool failed = ferror(in);
	finish(&r);
	if (in != stdin)
		fclose(in);
	return failed ? cli_fail("reading '%s' failed", path) : 0;
}

static const struct kube_resource deployments = { "apps", "v1", "deployments", "Deployment",
						  "deployment", true };
static const struct kube_resource pods = { "", "v1", "pods", "Pod", "pod", true };

/* Running pods first, then the newest: the pod whose log says the most. */
static const struct doc_node *pick_pod(const struct doc_node *list)
{
	const struct doc_node *items = doc_map_get(list, "items"), *best = NULL;
	if (!items || items->kind != DOC_SEQ)
		return NULL;
	for (size_t i = 0; i < items->u.seq.len; i++) {
		const struct doc_node *p = items->u.seq.items[i];
		if (!best) {
			best = p;
			continue;
		}
		const char *phase = doc_get_str(p, "status.phase");
		const char *bphase = doc_get_str(best, "status.phase");
		bool run = phase && !strcmp(phase, "Running");
		bool brun = bphase && !strcmp(bphase, "Running");
		const char *t = doc_get_str(p, "metadata.creationTimestamp");
		const char *bt = doc_get_str(best, "metadata.creationTimestamp");
		if ((run && !brun) || (run == brun && t && bt && strcmp(t, bt) > 0))
			best = p;
	}
	return best;
}

static void add_query(struct buf *path, bool *first, const char *key, const char *value)
{
	buf_addf(path, "%c%s=%s", *first ? '?' : '&', key, value);
	*first = false;
}

int cmd_logs(int argc, char **argv)
{
	struct cli_globals g;
	const char *level = NULL, *kind = NULL, *name = NULL, *flux_ns = CLI_DEFAULT_NAMESPACE;
	const char *since_time = NULL, *from_file = NULL;
	bool follow = false;
	long tail = -1;
	int64_t since_ms = 0;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 9];
	cli_global_flags(flags, &g);
	const struct cli_flag own[] = {
		{ "level", 0, FLAG_STRING, &level, "log level, available options are: (debug, info, error)", NULL },
		{ "kind", 0, FLAG_STRING, &kind, "displays errors of a particular toolkit kind e.g GitRepository", NULL },
		{ "name", 0, FLAG_STRING, &name, "specifies the name of the object logs to be displayed", NULL },
		{ "follow", 'f', FLAG_BOOL, &follow, "specifies if the logs should be streamed", NULL },
		{ "tail", 0, FLAG_INT, &tail, "lines of recent log file to display", "-1" },
		{ "flux-namespace", 0, FLAG_STRING, &flux_ns, "the namespace where the Flux components are running", "flux-system" },
		{ "since", 0, FLAG_DURATION, &since_ms, "Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.", NULL },
		{ "since-time", 0, FLAG_STRING, &since_time, "Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.", NULL },
		{ "from-file", 0, FLAG_STRING, &from_file, "read a saved controller log (or - for standard input) instead of the pods' logs, e.g. of a `tide controller` run on this machine", NULL },
	};
	memcpy(flags + CLI_GLOBAL_FLAG_COUNT, own, sizeof(own));
	size_t nflags = CLI_GLOBAL_FLAG_COUNT + sizeof(own) / sizeof(own[0]);
	const char *args[1];
	size_t nargs = 0;
	static const struct cli_usage u = {
		"tide logs [flags]",
		"The logs command displays formatted logs from the tide controller.",
		"  # Print the reconciliation logs of all Flux custom resources in your cluster\n"
		"  tide logs --all-namespaces\n\n"
		"  # Print all logs of all Flux custom resources newer than 2 minutes\n"
		"  tide logs --all-namespaces --since=2m\n\n"
		"  # Stream logs for a particular log level\n"
		"  tide logs --follow --level=error --all-namespaces\n\n"
		"  # Filter logs by kind, name and namespace\n"
		"  tide logs --kind=Kustomization --name=podinfo --namespace=default\n\n"
		"  # Format the log of a controller run on this machine\n"
		"  tide controller 2> controller.log &\n"
		"  tide logs -A --from-file controller.log\n",
	};
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, nflags, args, 1, &nargs, &g.help, &u))
		return code;
	if (nargs > 0)
		return cli_fail("no argument required");
	if (level && *level && strcmp(level, "debug") && strcmp(level, "info") && strcmp(level, "error"))
		return cli_fail("invalid argument \"%s\" for \"--level\" flag: unsupported log level '%s', must be one of: debug, info, error",
				level, level);
	if (since_time && *since_time && since_ms)
		return cli_fail("at most one of `sinceTime` or `sinceDuration` may be specified");
	if (since_time && *since_time) {
		struct tm tm;
		const char *end = strptime(since_time, "%Y-%m-%dT%H:%M:%S", &tm);
		if (!end || (*end != 'Z' && *end != '+' && *end != '-' && *end != '.'))
			return cli_fail("%s is not a valid (RFC3339) time", since_time);
	}
	struct log_filter f = { level, kind, name, cli_namespace(&g), g.all_namespaces };
	if (from_file)
		return logs_from_file(from_file, &f);

	struct kube_client *c = NULL;
	if (cli_connect(&c, &g))
		return cli_fail("%s", err_msg());
	struct arena *a = arena_new();
	int ret = 1;
	struct doc_node *deploys = NULL;
	struct kube_opts lo = { .label_selector = "app.kubernetes.io/part-of=flux" };
	if (kube_list(&deploys, c, a, &deployments, flux_ns, false, &lo)) {
		cli_fail("%s", err_msg());
		goto out;
	}
	const struct doc_node *items = doc_map_get(deploys, "items");
	const struct doc_node *chosen[16];
	size_t nchosen = 0;
	for (size_t i = 0; items && items->kind == DOC_SEQ && i < items->u.seq.len && nchosen < 16; i++) {
		const struct doc_node *labels = doc_get(items->u.seq.items[i], "spec.template.metadata.labels");
		if (!labels || labels->kind != DOC_MAP || labels->u.map.len == 0)
			continue;
		struct buf sel = BUF_INIT;
		for (size_t j = 0; j < labels->u.map.len; j++) {
			const struct doc_node *v = labels->u.map.items[j].value;
			buf_addf(&sel, "%s%s=%s", j ? "," : "", labels->u.map.items[j].key,
				 v && v->kind == DOC_STR ? v->u.str.ptr : "");
		}
		struct kube_opts po = { .label_selector = sel.ptr };
		struct doc_node *list = NULL;
		int rc = kube_list(&list, c, a, &pods, flux_ns, false, &po);
		buf_release(&sel);
		if (rc) {
			cli_fail("%s", err_msg());
			goto out;
		}
		const struct doc_node *p = pick_pod(list);
		if (p)
			chosen[nchosen++] = p;
	}
	if (nchosen == 0) {
		cli_fail("no Flux pods found in namespace \"%s\"", flux_ns);
		goto out;
	}
	ret = 0;
	for (size_t i = 0; i < nchosen; i++) {
		struct buf path = BUF_INIT;
		bool first = true;
		buf_addf(&path, "/api/v1/namespaces/%s/pods/%s/log", flux_ns,
			 doc_get_str(chosen[i], "metadata.name"));
		const struct doc_node *containers = doc_get(chosen[i], "spec.containers");
		if (containers && containers->kind == DOC_SEQ && containers->u.seq.len > 1)
			add_query(&path, &first, "container", "manager");
		if (follow)
			add_query(&path, &first, "follow", "true");
		char num[32];
		if (tail > -1) {
			snprintf(num, sizeof(num), "%ld", tail);
			add_query(&path, &first, "tailLines", num);
		}
		if (since_ms) {
			snprintf(num, sizeof(num), "%lld", (long long)((since_ms + 999) / 1000));
			add_query(&path, &first, "sinceSeconds", num);
		}
		if (since_time && *since_time) {
			add_query(&path, &first, "sinceTime", "");
			for (const char *p = since_time; *p; p++)
				if (*p == '+' || *p == ':')
					buf_addf(&path, "%%%02X", (unsigned char)*p);
				else
					buf_addch(&path, *p);
		}
		struct line_reader r = { .filter = &f, .line = BUF_INIT };
		struct kube_request req = { .method = "GET", .path = path.ptr };
		int rc = kube_request_stream(c, &req, feed, &r, NULL, NULL);
		finish(&r);
		buf_release(&path);
		if (rc) {
			fprintf(stderr, "✗ failed getting logs: %s\n", err_msg());
			ret = cli_fail("failed to collect logs from all Flux pods");
		}
	}
out:
	arena_free(a);
	kube_client_free(c);
	return ret;
}
