/*
 * `tide controller`: runs tide's controllers (the table in controllers/controllers.h) in one
 * process, with the flags Flux's controllers take. Which controllers run:
 *
 *   --controllers=gitrepository,kustomization   only these (default: all of them)
 *   --no-<name>                                 all but <name> (e.g. --no-kustomization)
 *
 * The runtime namespace (the Lease, and what is watched without --watch-all-namespaces)
 * is -n, else $RUNTIME_NAMESPACE (set by the Deployment, as Flux's), else the kubeconfig
 * context's or the service account's namespace. SIGTERM/SIGINT stop it cleanly: in-flight
 * reconciles finish and the Lease is released; a second signal exits at once.
 *
 * The flags are the manager's (below) followed by each controller's own, from the kinds
 * table (controllers/common/options.h): a flag several controllers declare is listed once
 * and its value given to each of them; --feature-gates is split among the controllers by
 * gate name.
 */
#include <malloc.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/flags.h"
#include "controllers/common/options.h"
#include "controllers/controllers.h"
#include "kube/client.h"
#include "kube/config.h"
#include "runtime/controller.h"
#include "util/error.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define MAX_CONTROLLERS 32
#define MAX_CONTROLLER_FLAGS 64

static atomic_int stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	if (atomic_exchange(&stop_flag, 1)) {
		static const char msg[] = "second signal received, exiting\n";
		ssize_t w = write(2, msg, sizeof(msg) - 1);
		(void)w;
		_exit(1);
	}
}

static bool listed(const struct cli_strings *list, const char *name)
{
	for (size_t i = 0; i < list->len; i++)
		if (!strcmp(list->items[i], name))
			return true;
	return false;
}

/* The CLI's type for a controller option's (the same target types, see options.h). */
static enum cli_flag_type flag_type(enum ctl_option_type t)
{
	switch (t) {
	case CTL_OPT_BOOL:
		return FLAG_BOOL;
	case CTL_OPT_STRING:
		return FLAG_STRING;
	case CTL_OPT_DURATION:
		return FLAG_DURATION;
	case CTL_OPT_INT:
		break;
	}
	return FLAG_INT;
}

/* A flag declared again by a later controller: its value is copied from the first's. */
struct shared_flag {
	const struct ctl_option *first, *again;
};

static void copy_option(const struct shared_flag *sf)
{
	switch (sf->first->type) {
	case CTL_OPT_BOOL:
		*(bool *)sf->again->target = *(bool *)sf->first->target;
		break;
	case CTL_OPT_STRING:
		*(const char **)sf->again->target = *(const char **)sf->first->target;
		break;
	case CTL_OPT_DURATION:
		*(int64_t *)sf->again->target = *(int64_t *)sf->first->target;
		break;
	case CTL_OPT_INT:
		*(long *)sf->again->target = *(long *)sf->first->target;
		break;
	}
}

/* Appends every controller's options to flags (from *n, at most cap); a name already there
 * is recorded in shared (at most *nshared) instead. ERR_INVALID when the table has more
 * than fits or one name is declared with two types. */
static int add_controller_flags(struct cli_flag *flags, size_t *n, size_t cap, const struct ctl_option **decl,
				struct shared_flag *shared, size_t *nshared)
{
	size_t first = *n;
	for (size_t c = 0; tide_controllers[c].rt; c++) {
		const struct ctl_options *o = tide_controllers[c].options;
		for (int list = 0; list < 2; list++) {
			const struct ctl_option *opt = !o ? NULL : list ? o->own_flags : o->flags;
			for (; opt && opt->name; opt++) {
				size_t k = first;
				while (k < *n && strcmp(flags[k].name, opt->name))
					k++;
				if (k < *n) {
					const struct ctl_option *prev = decl[k - first];
					if (prev->type != opt->type)
						return err_set(ERR_INVALID, "flag --%s declared with two types", opt->name);
					if (*nshared == MAX_CONTROLLER_FLAGS)
						return err_set(ERR_INVALID, "too many controller flags");
					shared[(*nshared)++] = (struct shared_flag){ prev, opt };
					continue;
				}
				if (*n == cap || k - first == MAX_CONTROLLER_FLAGS)
					return err_set(ERR_INVALID, "too many controller flags");
				decl[k - first] = opt;
				flags[(*n)++] = (struct cli_flag){ opt->name, 0, flag_type(opt->type), opt->target, opt->usage,
								   opt->defval };
			}
		}
	}
	return 0;
}

int cmd_controller(int argc, char **argv)
{
	/* glibc gives each thread that allocates its own malloc arena (up to 8 per core); a
	 * long-running controller with a dozen threads then keeps a few MiB of half-used arenas.
	 * Reconciles allocate through their own arenas (util/arena.h), so two are plenty. */
	mallopt(M_ARENA_MAX, 2);
	struct cli_globals g;
	struct cli_strings only = { 0 };
	const char *metrics_addr = ":8080", *health_addr = ":9440";
	const char *feature_gates = "";
	long api_qps = 50, api_burst = 300;
	const char *label_selector = "", *log_level = "info", *log_encoding = "json";
	long concurrent = 4, jitter_pct = 5;
	int64_t requeue_dep = 30000, lease = 35000, renew = 30000, retry = 5000;
	bool all_ns = true, leader = false;
	bool disabled[MAX_CONTROLLERS] = { 0 };
	char *no_names[MAX_CONTROLLERS] = { 0 };
	char *no_usage[MAX_CONTROLLERS] = { 0 };

	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 32 + MAX_CONTROLLER_FLAGS + MAX_CONTROLLERS];
	const struct ctl_option *decl[MAX_CONTROLLER_FLAGS];
	struct shared_flag shared[MAX_CONTROLLER_FLAGS];
	size_t nshared = 0;
	cli_global_flags(flags, &g);
	g.timeout_ms = 30000;
	const struct cli_flag own[] = {
		{ "controllers", 0, FLAG_STRINGS, &only, "The controllers to run (comma-separated); all by default.", NULL },
		{ "metrics-addr", 0, FLAG_STRING, &metrics_addr, "The address the metric endpoint binds to.", ":8080" },
		{ "health-addr", 0, FLAG_STRING, &health_addr, "The address the health endpoint binds to.", ":9440" },
		{ "kube-api-qps", 0, FLAG_INT, &api_qps, "The maximum queries-per-second of requests sent to the Kubernetes API.", "50" },
		{ "kube-api-burst", 0, FLAG_INT, &api_burst, "The maximum burst queries-per-second of requests sent to the Kubernetes API.", "300" },
		{ "concurrent", 0, FLAG_INT, &concurrent, "The number of concurrent reconciles per controller.", "4" },
		{ "requeue-dependency", 0, FLAG_DURATION, &requeue_dep, "The interval at which failing dependencies are reevaluated.", "30s" },
		{ "interval-jitter-percentage", 0, FLAG_INT, &jitter_pct, "Percentage of jitter to apply to interval durations.", "5" },
		{ "watch-all-namespaces", 0, FLAG_BOOL, &all_ns, "Watch for custom resources in all namespaces, if set to false it will only watch the runtime namespace.", "true" },
		{ "watch-label-selector", 0, FLAG_STRING, &label_selector, "Watch for resources with matching labels e.g. 'sharding.fluxcd.io/shard=shard1'.", NULL },
		{ "enable-leader-election", 0, FLAG_BOOL, &leader, "Enable leader election for controller manager.", "false" },
		{ "leader-election-lease-duration", 0, FLAG_DURATION, &lease, "Interval at which non-leader candidates will wait to force acquire leadership.", "35s" },
		{ "leader-election-renew-deadline", 0, FLAG_DURATION, &renew, "Duration that the leading controller manager will retry refreshing leadership before giving up.", "30s" },
		{ "leader-election-retry-period", 0, FLAG_DURATION, &retry, "Duration the LeaderElector clients should wait between tries of actions.", "5s" },
		{ "feature-gates", 0, FLAG_STRING, &feature_gates, "A comma separated list of key=value pairs defining the state of experimental features (StrictPostBuildSubstitutions=true|false, on by default as in Flux).", NULL },
		{ "log-level", 0, FLAG_STRING, &log_level, "Log verbosity level. Can be one of 'trace', 'debug', 'info', 'error'.", "info" },
		{ "log-encoding", 0, FLAG_STRING, &log_encoding, "Log encoding format. Can be 'json' or 'console'.", "json" },
	};
	_Static_assert(sizeof(own) / sizeof(own[0]) <= 32, "flags[] is too small for own[]");
	size_t n = CLI_GLOBAL_FLAG_COUNT;
	memcpy(flags + n, own, sizeof(own));
	n += sizeof(own) / sizeof(own[0]);

	int ret = 1;
	struct kube_config *cfg = NULL;
	struct kube_client *client = NULL;
	struct rt_manager *m = NULL;
	const struct ctl_options *sets[MAX_CONTROLLERS];
	size_t nctl = 0;
	if (add_controller_flags(flags, &n, n + MAX_CONTROLLER_FLAGS, decl, shared, &nshared)) {
		ret = cli_fail("%s", err_msg());
		goto done;
	}
	for (; nctl < MAX_CONTROLLERS && tide_controllers[nctl].rt; nctl++) {
		const char *name = tide_controllers[nctl].rt->name;
		sets[nctl] = tide_controllers[nctl].options;
		no_names[nctl] = xasprintf("no-%s", name);
		no_usage[nctl] = xasprintf("Do not run the %s controller.", name);
		flags[n++] = (struct cli_flag){ no_names[nctl], 0, FLAG_BOOL, &disabled[nctl], no_usage[nctl], NULL };
	}

	const char *args[1];
	size_t nargs = 0;
	if (cli_parse(argc, argv, flags, n, args, 0, &nargs)) {
		ret = cli_fail("%s", err_msg());
		goto done;
	}
	for (size_t i = 0; i < nshared; i++)
		copy_option(&shared[i]);
	if (g.help) {
		const struct cli_usage u = {
			"tide controller [flags]",
			"Run tide's controllers (the GitOps Toolkit's source and kustomize controllers) in one process, against the cluster of the kubeconfig or in-cluster.",
			"  # Run every controller against the current kubeconfig context\n  tide controller --metrics-addr=:8080 --health-addr=:9440\n\n"
			"  # Only the source controller, with leader election\n  tide controller --controllers=gitrepository --enable-leader-election",
		};
		cli_print_help(&u, flags, n);
		ret = 0;
		goto done;
	}
	enum log_level lvl;
	enum log_encoding enc;
	if (log_parse_level(log_level, &lvl) || log_parse_encoding(log_encoding, &enc)) {
		ret = cli_fail("%s", err_msg());
		goto done;
	}
	log_setup(lvl, enc);
	if (ctl_feature_gates_parse(sets, nctl, feature_gates)) {
		ret = cli_fail("unable to load feature gates: %s", err_msg());
		goto done;
	}
	for (size_t i = 0; i < only.len; i++)
		if (!tide_controller_find(only.items[i])) {
			ret = cli_fail("unknown controller \"%s\"", only.items[i]);
			goto done;
		}

	const char *ns = g.namespace && *g.namespace ? g.namespace : getenv("RUNTIME_NAMESPACE");
	struct kube_config_opts copts = { g.kubeconfig, g.context, ns && *ns ? ns : NULL };
	if (kube_config_load(&cfg, &copts) ||
	    kube_client_new(&client, cfg, &(struct kube_client_opts){ .timeout_ms = g.timeout_ms,
						       .qps = api_qps > 0 ? (double)api_qps : -1,
						       .burst = api_burst > 0 ? (int)api_burst : 0 })) {
		log_error("unable to create the Kubernetes client", "error", err_msg(), NULL);
		goto done;
	}
	struct rt_manager_opts mo = {
		.client = client,
		.namespace = kube_client_namespace(client),
		.watch_all_namespaces = all_ns,
		.watch_label_selector = *label_selector ? label_selector : NULL,
		.concurrent = (int)concurrent,
		.requeue_dependency_ms = requeue_dep,
		.interval_jitter = (double)jitter_pct / 100.0,
		.metrics_addr = metrics_addr,
		.health_addr = health_addr,
		.leader_election = leader,
		.lease_duration_ms = lease,
		.renew_deadline_ms = renew,
		.retry_period_ms = retry,
	};
	if (rt_manager_new(&m, &mo)) {
		log_error("unable to create the manager", "error", err_msg(), NULL);
		goto done;
	}
	size_t running = 0;
	for (size_t i = 0; i < nctl; i++) {
		const struct rt_controller *c = tide_controllers[i].rt;
		if (disabled[i] || (only.len && !listed(&only, c->name)))
			continue;
		if (rt_manager_add(m, c)) {
			log_error("unable to add the controller", "controller", c->name, "error", err_msg(), NULL);
			goto done;
		}
		running++;
	}
	if (!running)
		log_info("no controllers enabled; serving health and metrics only", NULL);

	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	log_info("starting manager", "version", TIDE_VERSION, "namespace", mo.namespace, NULL);
	err_clear();
	int rc = rt_manager_run(m, &stop_flag);
	if (rc) {
		log_error("problem running manager", "error", err_msg(), NULL);
		goto done;
	}
	log_info("manager stopped", NULL);
	ret = 0;
done:
	rt_manager_free(m);
	kube_client_free(client);
	kube_config_free(cfg);
	for (size_t i = 0; i < MAX_CONTROLLERS; i++) {
		free(no_names[i]);
		free(no_usage[i]);
	}
	return ret;
}
