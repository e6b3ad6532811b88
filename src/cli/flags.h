/*
 * Command-line flags shaped like cobra's (which flux and kubectl use): `--name value`,
 * `--name=value`, `-n value`, `-nvalue`, boolean `--flag`/`--flag=false`, flags anywhere
 * among the positional arguments, and `--` to end flags. Each verb declares a table of its
 * own flags; cli_global_flags() adds the ones every verb accepts.
 */
#ifndef TIDE_CLI_FLAGS_H
#define TIDE_CLI_FLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cli_flag_type {
	FLAG_BOOL,     /* bool * */
	FLAG_STRING,   /* const char ** (points into argv) */
	FLAG_DURATION, /* int64_t * milliseconds; Go's time.ParseDuration: 30s, 5m, 1h30m, 250ms, -1s */
	FLAG_INT,      /* long * */
	FLAG_STRINGS,  /* struct cli_strings *: repeatable and comma-separated */
	FLAG_ARRAY,    /* struct cli_strings *: repeatable, each value whole (pflag's StringArray) */
};

struct cli_strings {
	const char *items[64];
	size_t len;
};

struct cli_flag {
	const char *name;  /* long name without dashes */
	char shorthand;    /* 0 if none */
	enum cli_flag_type type;
	void *target;
	const char *usage;
	const char *defval; /* shown in help; the target's initial value is the real default */
};

/* The flags every verb accepts, as flux and kubectl name them. */
struct cli_globals {
	const char *kubeconfig;
	const char *context;
	const char *namespace; /* NULL = the context's namespace, else flux-system for flux verbs */
	bool all_namespaces;
	int64_t timeout_ms;
	long verbosity;
	bool help;
};

#define CLI_GLOBAL_FLAG_COUNT 7
/* Fills out[CLI_GLOBAL_FLAG_COUNT] with flags bound to g (and sets g's defaults). */
void cli_global_flags(struct cli_flag *out, struct cli_globals *g);

struct cli_usage {
	const char *use;      /* "tide get kustomizations [name] [flags]" */
	const char *summary;  /* one paragraph */
	const char *examples; /* indented lines, or NULL */
};

/* Parses argv[1..argc) against flags[0..n). Positional arguments are stored in order into
 * args (at most max_args; more is an error). Returns 0, or ERR_INVALID with a message
 * ("unknown flag: --x", "invalid argument \"abc\" for \"--timeout\" flag: ..."). */
int cli_parse(int argc, char **argv, const struct cli_flag *flags, size_t n, const char **args,
	      size_t max_args, size_t *nargs);

/* The front of a verb: cli_parse, then the help text u when *help (the verb's --help flag)
 * is set. True when the verb is done: return *exit_code (1 after printing the parse error
 * as cli_fail does, 0 after the help). */
bool cli_parse_verb(int *exit_code, int argc, char **argv, const struct cli_flag *flags, size_t n,
		    const char **args, size_t max_args, size_t *nargs, const bool *help,
		    const struct cli_usage *u);

/* Prints a cobra-like help text for the verb to stdout. */
void cli_print_help(const struct cli_usage *u, const struct cli_flag *flags, size_t n);

/* Prints "✗ <message>" to stderr as flux does and returns 1, for `return cli_fail(...)`. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* promptui's IsConfirm: prints "? <label>? [y/N] " to stderr and reads one line from stdin;
 * only y or yes (any case) confirms. End of input refuses. */
bool cli_confirm(const char *label);

#endif
