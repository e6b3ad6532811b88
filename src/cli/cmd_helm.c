/*
 * `tide helm template [NAME] CHART [flags]`: renders a chart locally as helm v4.1.4's
 * `helm template` does, with its flags (values files and the --set family, namespace,
 * kube and API versions, CRDs, hooks, tests, --show-only) and its output byte for byte.
 * Errors print "Error: <message>" on stderr and exit 1, as helm does.
 *
 * The flags are parsed here rather than by cli/flags.c because helm's differ in kind:
 * --set and its family are pflag StringArrays (a comma is part of the value), -f and
 * --api-versions StringSlices (comma-separated), and helm applies values by kind, not in
 * command-line order (values.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "helm/chart.h"
#include "helm/render.h"
#include "helm/values.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/banned.h"

enum hflag_kind { HF_BOOL, HF_STRING, HF_ARRAY, HF_SLICE };

struct hlist {
	const char **items;
	size_t len, cap;
};

struct hflag {
	const char *name;
	char shorthand;
	enum hflag_kind kind;
	void *target; /* bool *, const char **, struct hlist * */
	const char *usage;
};

static void hlist_push(struct hlist *l, const char *s)
{
	if (l->len == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->items = realloc(l->items, l->cap * sizeof(*l->items));
		if (!l->items)
			abort();
	}
	l->items[l->len++] = s;
}

/* pflag's StringSlice: the value read as one CSV record ("a,b", "\"a,b\",c"). */
static int hlist_push_csv(struct arena *a, struct hlist *l, const char *v)
{
	if (!*v)
		return 0;
	const char *p = v;
	for (;;) {
		struct buf f = BUF_INIT;
		if (*p == '"') {
			p++;
			for (;;) {
				if (!*p) {
					buf_release(&f);
					return err_set(ERR_INVALID, "parse error on line 1, column %zu: extraneous or missing \" in quoted-field",
						       strlen(v));
				}
				if (*p == '"' && p[1] == '"') {
					buf_addch(&f, '"');
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					buf_addch(&f, *p++);
				}
			}
		} else {
			while (*p && *p != ',')
				buf_addch(&f, *p++);
		}
		hlist_push(l, arena_strndup(a, f.ptr ? f.ptr : "", f.len));
		buf_release(&f);
		if (*p != ',')
			break;
		p++;
	}
	return 0;
}

static bool parse_bool(const char *v, bool *out)
{
	static const char *const t[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const f[] = { "0", "f", "F", "FALSE", "false", "False" };
	for (size_t i = 0; i < 6; i++) {
		if (!strcmp(v, t[i]))
			return *out = true, true;
		if (!strcmp(v, f[i]))
			return *out = false, true;
	}
	return false;
}

static int set_flag(struct arena *a, const struct hflag *f, const char *shown, const char *v)
{
	switch (f->kind) {
	case HF_BOOL:
		if (!parse_bool(v, f->target))
			return err_set(ERR_INVALID,
				       "invalid argument \"%s\" for \"%s\" flag: strconv.ParseBool: parsing \"%s\": invalid syntax",
				       v, shown, v);
		return 0;
	case HF_STRING:
		*(const char **)f->target = v;
		return 0;
	case HF_ARRAY:
		hlist_push(f->target, v);
		return 0;
	case HF_SLICE:
		return hlist_push_csv(a, f->target, v);
	}
	return 0;
}

/* pflag's parsing: --name[=value], -x[value], -xyz for bools, "--" ends flags. */
static int parse_flags(struct arena *a, int argc, char **argv, const struct hflag *flags,
		       size_t n, struct hlist *args)
{
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (!strcmp(s, "--")) {
			for (i++; i < argc; i++)
				hlist_push(args, argv[i]);
			break;
		}
		if (s[0] != '-' || !s[1]) {
			hlist_push(args, s);
			continue;
		}
		if (s[1] == '-') {
			const char *name = s + 2;
			const char *eq = strchr(name, '=');
			size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
			const struct hflag *f = NULL;
			for (size_t j = 0; j < n && !f; j++)
				if (strlen(flags[j].name) == nlen && !strncmp(flags[j].name, name, nlen))
					f = &flags[j];
			char *shown = arena_sprintf(a, "--%.*s", (int)nlen, name);
			if (!f)
				return err_set(ERR_INVALID, "unknown flag: %s", shown);
			const char *v;
			if (eq)
				v = eq + 1;
			else if (f->kind == HF_BOOL)
				v = "true";
			else if (i + 1 < argc)
				v = argv[++i];
			else
				return err_set(ERR_INVALID, "flag needs an argument: %s", shown);
			int rc = set_flag(a, f, shown, v);
			if (rc)
				return rc;
			continue;
		}
		for (const char *p = s + 1; *p; p++) {
			const struct hflag *f = NULL;
			for (size_t j = 0; j < n && !f; j++)
				if (flags[j].shorthand == *p)
					f = &flags[j];
			if (!f)
				return err_set(ERR_INVALID, "unknown shorthand flag: '%c' in %s", *p, s);
			char *shown = arena_sprintf(a, "-%c, --%s", *p, f->name);
			const char *v;
			if (f->kind == HF_BOOL) {
				if (p[1] == '=') {
					v = p + 2;
					int rc = set_flag(a, f, shown, v);
					if (rc)
						return rc;
					break;
				}
				*(bool *)f->target = true;
				continue;
			}
			if (p[1] == '=')
				v = p + 2;
			else if (p[1])
				v = p + 1;
			else if (i + 1 < argc)
				v = argv[++i];
			else
				return err_set(ERR_INVALID, "flag needs an argument: '%c' in -%c", *p, *p);
			int rc = set_flag(a, f, shown, v);
			if (rc)
				return rc;
			break;
		}
	}
	return 0;
}

static void print_help(const struct hflag *flags, size_t n)
{
	printf("Render chart templates locally and display the output, as `helm template` does.\n\n"
	       "Usage:\n  tide helm template [NAME] [CHART] [flags]\n\nFlags:\n");
	for (size_t i = 0; i < n; i++) {
		if (!flags[i].usage)
			continue;
		char left[64];
		const char *type = flags[i].kind == HF_BOOL ? "" : flags[i].kind == HF_STRING ? " string"
				   : flags[i].kind == HF_ARRAY ? " stringArray" : " strings";
		if (flags[i].shorthand)
			snprintf(left, sizeof(left), "  -%c, --%s%s", flags[i].shorthand, flags[i].name, type);
		else
			snprintf(left, sizeof(left), "      --%s%s", flags[i].name, type);
		printf("%-36s %s\n", left, flags[i].usage);
	}
}

static int fail(const char *msg)
{
	fprintf(stderr, "Error: %s\n", msg);
	return 1;
}

/* The output as it is made: a chart's manifests are megabytes, not worth a copy. */
static void write_stdout(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	fwrite(data, 1, len, stdout);
}

static int helm_template(int argc, char **argv)
{
	struct arena *a = arena_new();
	struct hlist values_files = { 0 }, set = { 0 }, set_string = { 0 }, set_file = { 0 },
		     set_json = { 0 }, set_literal = { 0 }, api_versions = { 0 }, show_only = { 0 },
		     args = { 0 };
	const char *namespace = NULL, *kube_version = NULL, *ignored_str = NULL;
	bool include_crds = false, skip_crds = false, no_hooks = false, is_upgrade = false,
	     skip_tests = false, skip_schema = false, help = false, ignored_bool = false;
	const struct hflag flags[] = {
		{ "values", 'f', HF_SLICE, &values_files, "specify values in a YAML file (can specify multiple)" },
		{ "set", 0, HF_ARRAY, &set, "set values on the command line (key1=val1,key2=val2)" },
		{ "set-string", 0, HF_ARRAY, &set_string, "set STRING values on the command line" },
		{ "set-file", 0, HF_ARRAY, &set_file, "set values from respective files (key1=path1)" },
		{ "set-json", 0, HF_ARRAY, &set_json, "set JSON values on the command line" },
		{ "set-literal", 0, HF_ARRAY, &set_literal, "set a literal STRING value on the command line" },
		{ "namespace", 'n', HF_STRING, &namespace, "namespace scope for this request" },
		{ "kube-version", 0, HF_STRING, &kube_version, "Kubernetes version used for Capabilities.KubeVersion" },
		{ "api-versions", 'a', HF_SLICE, &api_versions, "Kubernetes api versions used for Capabilities.APIVersions" },
		{ "include-crds", 0, HF_BOOL, &include_crds, "include CRDs in the templated output" },
		{ "skip-crds", 0, HF_BOOL, &skip_crds, "no CRDs are installed (no effect on the output)" },
		{ "no-hooks", 0, HF_BOOL, &no_hooks, "prevent hooks from running during install" },
		{ "is-upgrade", 0, HF_BOOL, &is_upgrade, "set .Release.IsUpgrade instead of .Release.IsInstall" },
		{ "show-only", 's', HF_ARRAY, &show_only, "only show manifests rendered from the given templates" },
		{ "skip-tests", 0, HF_BOOL, &skip_tests, "skip tests from templated output" },
		{ "skip-schema-validation", 0, HF_BOOL, &skip_schema, "disables JSON schema validation" },
		{ "help", 'h', HF_BOOL, &help, "help for template" },
		/* Accepted for compatibility, without effect on a local render. */
		{ "release-name", 0, HF_BOOL, &ignored_bool, NULL },
		{ "debug", 0, HF_BOOL, &ignored_bool, NULL },
		{ "devel", 0, HF_BOOL, &ignored_bool, NULL },
		{ "dependency-update", 0, HF_BOOL, &ignored_bool, NULL },
		{ "create-namespace", 0, HF_BOOL, &ignored_bool, NULL },
		{ "disable-openapi-validation", 0, HF_BOOL, &ignored_bool, NULL },
		{ "atomic", 0, HF_BOOL, &ignored_bool, NULL },
		{ "wait", 0, HF_BOOL, &ignored_bool, NULL },
		{ "dry-run", 0, HF_STRING, &ignored_str, NULL },
		{ "version", 0, HF_STRING, &ignored_str, NULL },
		{ "timeout", 0, HF_STRING, &ignored_str, NULL },
		{ "description", 0, HF_STRING, &ignored_str, NULL },
	};
	size_t nflags = sizeof(flags) / sizeof(flags[0]);
	int status = 1;
	if (parse_flags(a, argc, argv, flags, nflags, &args)) {
		fail(err_msg());
		goto done;
	}
	if (help) {
		print_help(flags, nflags);
		status = 0;
		goto done;
	}
	if (kube_version && !*kube_version)
		kube_version = NULL;
	if (args.len == 0) {
		fail("\"helm template\" requires at least 1 argument\n\nUsage:  helm template [NAME] [CHART] [flags]");
		goto done;
	}
	if (args.len > 2) {
		struct buf extra = BUF_INIT;
		for (size_t i = 2; i < args.len; i++)
			buf_addf(&extra, "%s%s", i > 2 ? ", " : "", args.items[i]);
		err_set(ERR_INVALID, "expected at most two arguments, unexpected arguments: %s", extra.ptr);
		buf_release(&extra);
		fail(err_msg());
		goto done;
	}
	const char *name = args.len == 2 ? args.items[0] : "release-name";
	const char *chart_path = args.len == 2 ? args.items[1] : args.items[0];
	struct helm_render_options ro = {
		.release_name = name,
		.namespace = namespace,
		.is_upgrade = is_upgrade,
		.kube_version = kube_version,
		.api_versions = api_versions.items,
		.napi_versions = api_versions.len,
		.skip_schema_validation = skip_schema,
		.include_crds = include_crds,
	};
	/* helm checks --kube-version before anything else */
	if (kube_version && helm_check_kube_version(kube_version)) {
		fail(err_msg());
		goto done;
	}

	/* Values: files, then --set-json, --set, --set-string, --set-file, --set-literal. */
	struct tv *user = tv_map_new(a);
	for (size_t i = 0; i < values_files.len; i++) {
		struct buf data = BUF_INIT;
		const char *path = values_files.items[i];
		int rc = !strcmp(path, "-") ? fs_read_file("/dev/stdin", 64u << 20, &data)
					    : fs_read_regular_file(path, 64u << 20, &data);
		if (rc) {
			if (rc == ERR_NOTFOUND)
				err_set(rc, "open %s: no such file or directory", path);
			buf_release(&data);
			fail(err_msg());
			goto done;
		}
		struct tv *m;
		rc = helm_values_read(a, path, data.ptr ? data.ptr : "", data.len, &m);
		buf_release(&data);
		if (rc) {
			err_set(rc, "failed to parse %s: %s", path, err_msg());
			fail(err_msg());
			goto done;
		}
		helm_values_merge(a, user, m);
	}
	const struct {
		struct hlist *l;
		enum helm_set_kind kind;
	} sets[] = {
		{ &set_json, HELM_SET_JSON },	  { &set, HELM_SET },
		{ &set_string, HELM_SET_STRING }, { &set_file, HELM_SET_FILE },
		{ &set_literal, HELM_SET_LITERAL },
	};
	for (size_t k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
		for (size_t i = 0; i < sets[k].l->len; i++) {
			if (helm_values_apply_set(a, user, sets[k].kind, sets[k].l->items[i])) {
				fail(err_msg());
				goto done;
			}
		}
	}

	struct helm_chart *chart;
	if (helm_chart_load(a, chart_path, NULL, &chart)) {
		fail(err_msg());
		goto done;
	}
	const char *type = chart->metadata.type;
	if (type && *type && strcmp(type, "application")) {
		err_set(ERR_INVALID, "%s charts are not installable", type);
		fail(err_msg());
		goto done;
	}
	if (helm_chart_check_dependencies(chart)) {
		err_set(ERR_NOTFOUND,
			"an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: %s",
			err_msg());
		fail(err_msg());
		goto done;
	}

	struct helm_release_render r;
	if (helm_render_release(a, chart, user, &ro, &r)) {
		if (r.render_failed)
			fprintf(stderr, "Error: %s\n\nUse --debug flag to render out invalid YAML\n", err_msg());
		else
			fail(err_msg());
		goto done;
	}
	struct helm_template_options to = {
		.no_hooks = no_hooks,
		.skip_tests = skip_tests,
		.show_only = show_only.items,
		.nshow_only = show_only.len,
	};
	if (helm_template_write(a, &r, &to, write_stdout, NULL)) {
		fail(err_msg());
		goto done;
	}
	status = fflush(stdout) || ferror(stdout) ? 1 : 0;
done:
	free(values_files.items), free(set.items), free(set_string.items), free(set_file.items);
	free(set_json.items), free(set_literal.items), free(api_versions.items);
	free(show_only.items), free(args.items);
	arena_free(a);
	return status;
}

int cmd_helm(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		printf("Helm's commands over tide's chart engine.\n\nUsage:\n  tide helm template [NAME] [CHART] [flags]\n");
		return argc < 2 ? 1 : 0;
	}
	if (!strcmp(argv[1], "template"))
		return helm_template(argc - 1, argv + 1);
	fprintf(stderr, "Error: unknown command \"%s\" for \"tide helm\"\n", argv[1]);
	return 1;
}
