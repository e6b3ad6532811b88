/* Cobra-style flag parsing and help text (see flags.h). */
#include "cli/flags.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/duration.h"
#include "util/error.h"
#include "util/banned.h"

void cli_global_flags(struct cli_flag *out, struct cli_globals *g)
{
	memset(g, 0, sizeof(*g));
	g->timeout_ms = 5 * 60 * 1000;
	const struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT] = {
		{ "kubeconfig", 0, FLAG_STRING, &g->kubeconfig, "Path to the kubeconfig file to use for CLI requests.", NULL },
		{ "context", 0, FLAG_STRING, &g->context, "The name of the kubeconfig context to use", NULL },
		{ "namespace", 'n', FLAG_STRING, &g->namespace, "The namespace scope for this operation.", "flux-system" },
		{ "all-namespaces", 'A', FLAG_BOOL, &g->all_namespaces, "list the requested object(s) across all namespaces", NULL },
		{ "timeout", 0, FLAG_DURATION, &g->timeout_ms, "timeout for this operation", "5m0s" },
		{ "verbose", 'v', FLAG_INT, &g->verbosity, "log verbosity level", "0" },
		{ "help", 'h', FLAG_BOOL, &g->help, "help for this command", NULL },
	};
	memcpy(out, flags, sizeof(flags));
}

static int set_value(const struct cli_flag *f, const char *val, const char *shown)
{
	char *end;
	switch (f->type) {
	case FLAG_BOOL:
		if (!val || !strcmp(val, "true") || !strcmp(val, "1"))
			*(bool *)f->target = true;
		else if (!strcmp(val, "false") || !strcmp(val, "0"))
			*(bool *)f->target = false;
		else
			return err_set(ERR_INVALID, "invalid argument \"%s\" for \"%s\" flag: strconv.ParseBool: parsing \"%s\": invalid syntax", val, shown, val);
		return 0;
	case FLAG_STRING:
		*(const char **)f->target = val;
		return 0;
	case FLAG_DURATION:
		/* pflag's Duration is Go's time.ParseDuration, and so is duration_parse */
		if (duration_parse(val, (int64_t *)f->target))
			return err_wrap(ERR_INVALID, "invalid argument \"%s\" for \"%s\" flag", val, shown);
		return 0;
	case FLAG_INT:
		errno = 0;
		long v = strtol(val, &end, 10);
		if (errno || end == val || *end)
			return err_set(ERR_INVALID, "invalid argument \"%s\" for \"%s\" flag: strconv.ParseInt: parsing \"%s\": invalid syntax", val, shown, val);
		*(long *)f->target = v;
		return 0;
	case FLAG_STRINGS: {
		struct cli_strings *l = f->target;
		/* Comma-separated values are split in place in argv's storage: argv is ours. */
		char *s = (char *)val;
		for (;;) {
			char *comma = strchr(s, ',');
			if (comma)
				*comma = '\0';
			if (l->len == sizeof(l->items) / sizeof(l->items[0]))
				return err_set(ERR_INVALID, "too many values for \"%s\" flag", shown);
			l->items[l->len++] = s;
			if (!comma)
				break;
			s = comma + 1;
		}
		return 0;
	}
	case FLAG_ARRAY: {
		struct cli_strings *l = f->target;
		if (l->len == sizeof(l->items) / sizeof(l->items[0]))
			return err_set(ERR_INVALID, "too many values for \"%s\" flag", shown);
		l->items[l->len++] = val;
		return 0;
	}
	}
	return 0;
}

int cli_parse(int argc, char **argv, const struct cli_flag *flags, size_t n, const char **args,
	      size_t max_args, size_t *nargs)
{
	*nargs = 0;
	bool only_args = false;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (only_args || a[0] != '-' || !a[1]) {
			if (*nargs == max_args)
				return err_set(ERR_INVALID, "unexpected argument \"%s\"", a);
			args[(*nargs)++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_args = true;
			continue;
		}
		const struct cli_flag *f = NULL;
		const char *val = NULL;
		char shown[80];
		if (a[1] == '-') {
			const char *name = a + 2;
			const char *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			for (size_t k = 0; k < n; k++)
				if (strlen(flags[k].name) == len && !strncmp(flags[k].name, name, len))
					f = &flags[k];
			if (!f)
				return err_set(ERR_INVALID, "unknown flag: --%.*s", (int)len, name);
			snprintf(shown, sizeof(shown), "--%s", f->name);
			if (eq)
				val = eq + 1;
		} else {
			for (size_t k = 0; k < n; k++)
				if (flags[k].shorthand && flags[k].shorthand == a[1])
					f = &flags[k];
			if (!f)
				return err_set(ERR_INVALID, "unknown shorthand flag: '%c' in %s", a[1], a);
			snprintf(shown, sizeof(shown), "-%c, --%s", f->shorthand, f->name);
			if (a[2])
				val = a[2] == '=' ? a + 3 : a + 2;
		}
		if (!val && f->type != FLAG_BOOL) {
			if (i + 1 >= argc)
				return err_set(ERR_INVALID, "flag needs an argument: %s", shown);
			val = argv[++i];
		}
		int rc = set_value(f, val, shown);
		if (rc)
			return rc;
	}
	return 0;
}

bool cli_parse_verb(int *exit_code, int argc, char **argv, const struct cli_flag *flags, size_t n,
		    const char **args, size_t max_args, size_t *nargs, const bool *help,
		    const struct cli_usage *u)
{
	*exit_code = 0;
	if (cli_parse(argc, argv, flags, n, args, max_args, nargs)) {
		*exit_code = cli_fail("%s", err_msg());
		return true;
	}
	if (*help)
		cli_print_help(u, flags, n);
	return *help;
}

void cli_print_help(const struct cli_usage *u, const struct cli_flag *flags, size_t n)
{
	printf("%s\n\nUsage:\n  %s\n", u->summary, u->use);
	if (u->examples)
		printf("\nExamples:\n%s\n", u->examples);
	printf("\nFlags:\n");
	for (size_t i = 0; i < n; i++) {
		const struct cli_flag *f = &flags[i];
		char left[64];
		const char *type = f->type == FLAG_STRING ? " string" : f->type == FLAG_DURATION ? " duration"
				 : f->type == FLAG_INT ? " int" : f->type == FLAG_STRINGS ? " strings"
				 : f->type == FLAG_ARRAY ? " stringArray" : "";
		if (f->shorthand)
			snprintf(left, sizeof(left), "  -%c, --%s%s", f->shorthand, f->name, type);
		else
			snprintf(left, sizeof(left), "      --%s%s", f->name, type);
		printf("%-34s %s", left, f->usage);
		if (f->defval)
			printf(" (default \"%s\")", f->defval);
		printf("\n");
	}
}

bool cli_confirm(const char *label)
{
	fprintf(stderr, "? %s? [y/N] ", label);
	fflush(stderr);
	char line[64];
	if (!fgets(line, sizeof(line), stdin))
		return false;
	line[strcspn(line, "\r\n")] = 0;
	return !strcasecmp(line, "y") || !strcasecmp(line, "yes");
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("✗ ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 1;
}
