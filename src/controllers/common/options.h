/*
 * A controller's own settings: the flags and feature gates it takes, declared next to the
 * controller and registered from the kinds table (controllers/controllers.h), so that
 * `tide controller` parses the manager's flags plus every controller's without knowing
 * what any of them mean. This module does not depend on the CLI: an option is described
 * here in the CLI's terms (name, type, target, usage, default shown in help) and
 * cli/cmd_controller.c turns the descriptions into its flag table.
 *
 * One process runs several of Flux's controllers, so a flag that several of them take
 * (Flux's --no-cross-namespace-refs is a flag of kustomize-, helm- and
 * notification-controller) is one flag of `tide controller` whose value goes to every
 * controller that declares it; likewise one --feature-gates value is split among the
 * controllers by gate name.
 */
#ifndef TIDE_CONTROLLERS_COMMON_OPTIONS_H
#define TIDE_CONTROLLERS_COMMON_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ctl_option_type {
	CTL_OPT_BOOL,     /* target: bool * */
	CTL_OPT_STRING,   /* target: const char ** (borrowed from argv) */
	CTL_OPT_DURATION, /* target: int64_t * milliseconds (Go syntax on the command line) */
	CTL_OPT_INT,      /* target: long * */
};

/* One flag. The target's initial value is the default; defval is what help shows. */
struct ctl_option {
	const char *name; /* without dashes, Flux's spelling: "default-service-account" */
	enum ctl_option_type type;
	void *target;
	const char *usage;
	const char *defval;
};

/* One feature gate of Flux's controller. target NULL: the gate is accepted and has no
 * effect in tide (tide behaves as with Flux's default). */
struct ctl_gate {
	const char *name;
	bool *target;
};

/* What a controller declares: the lists end with a {0} entry; any may be NULL. own_flags
 * are a kind's flags beyond a shared set in flags (the storage flags of every source kind,
 * common/storage.h). */
struct ctl_options {
	const struct ctl_option *flags;
	const struct ctl_gate *gates;
	const struct ctl_option *own_flags;
};

/* The settings of a controller that follows references to other objects and applies as
 * someone (Flux's runtime/acl and impersonation flags). Each such controller keeps one in
 * its options and names its fields in its flags. */
struct ctl_ref_opts {
	bool no_cross_namespace_refs; /* --no-cross-namespace-refs */
	const char *default_service_account; /* --default-service-account; "" = none */
};

/* Parses Flux's --feature-gates value ("Name=true,Other=false") against the gates of the
 * n option sets (NULL entries are skipped) and sets the targets of every set that knows a
 * name. An unknown name ("unrecognized feature gate: X"), a pair without '=' ("missing bool
 * value for feature gate 'X'") or a value other than true/false ("invalid value of X: v")
 * is ERR_INVALID, as Flux refuses them; nothing is set then. Not thread-safe: call before
 * the manager runs. */
int ctl_feature_gates_parse(const struct ctl_options *const *sets, size_t n, const char *spec);

#endif
