/* The CLI's command table entries. Each verb lives in its own file: cmd_<verb>.c. */
#ifndef TIDE_CLI_CLI_H
#define TIDE_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>

typedef int (*cli_run_fn)(int argc, char **argv);

struct cli_command {
	const char *name;
	const char *summary;
	cli_run_fn run;
};

/* The verbs, in the order `tide --help` lists them (main.c). */
extern const struct cli_command cli_commands[];
extern const size_t cli_command_count;

struct cli_globals;
struct embedded_manifest;

int cmd_version(int argc, char **argv);
int cmd_apply_engine(int argc, char **argv);
int cmd_install(int argc, char **argv);
int cmd_get(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_controller(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_kustomize(int argc, char **argv);
int cmd_helm(int argc, char **argv);
int cmd_logs(int argc, char **argv);
int cmd_reconcile(int argc, char **argv);
int cmd_uninstall(int argc, char **argv);
int cmd_completion(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_tree(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_suspend(int argc, char **argv);
int cmd_push(int argc, char **argv);
int cmd_pull(int argc, char **argv);
int cmd_tag(int argc, char **argv);
int cmd_list(int argc, char **argv);

/* suspend (true) or resume (false) Flux objects: the body of both verbs (suspend_resume.c). */
int cli_suspend_resume(int argc, char **argv, bool suspend);

/* The embedded manifests in apply order (at most 256). */
void install_manifests_in_order(const struct embedded_manifest **out, size_t *n);
/* Applies them to the cluster named by g (server-side apply); 0 or 1 as an exit code. */
int install_apply(const struct cli_globals *g);

#endif
