/*
 * What the `tide create ...` subcommands share (create.c): flux's common create flags,
 * parsing a subcommand's arguments, building the object, printing it for --export, upserting
 * it, the credentials Secrets beside a source, and waiting for the object as flux does. Each
 * kind's command lives in create_<kind>.c and is named by its row in the kinds table
 * (kinds.c); `tide create` itself is cmd_create.c.
 */
#ifndef TIDE_CLI_CREATE_H
#define TIDE_CLI_CREATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/flags.h"

struct arena;
struct doc_node;
struct kube_client;
struct kube_resource;

/* The kinds' create commands (argv[0] is the kind's last word), in their own files. */
int create_source_git(int argc, char **argv);
int create_source_helm(int argc, char **argv);
int create_source_oci(int argc, char **argv);
int create_source_bucket(int argc, char **argv);
int create_source_chart(int argc, char **argv);
int create_kustomization(int argc, char **argv);
int create_helmrelease(int argc, char **argv);
int create_alert(int argc, char **argv);
int create_alert_provider(int argc, char **argv);
int create_receiver(int argc, char **argv);
int create_image_repository(int argc, char **argv);
int create_image_policy(int argc, char **argv);
int create_image_update(int argc, char **argv);
/* `tide create secret git|helm|oci|tls` (create_secret.c): Secrets, not Flux kinds. */
int create_secret(int argc, char **argv);

/* What every `create` subcommand shares (flux's createArgs and root flags). */
struct create_common {
	struct cli_globals g;
	int64_t interval_ms;
	bool export;
	struct cli_strings labels;
};

/* Fills f with the global flags and --interval (1m), --export, --label; returns the count. */
size_t create_common_flags(struct cli_flag *f, struct create_common *cc);

/* Parses a subcommand's argv against f[0..n), prints u for --help, and takes the one
 * positional argument as *name. True when the command is done: return *exit_code (1 after
 * printing a parse error or "name is required", 0 after the help). */
bool create_parse(int *exit_code, const char **name, struct create_common *cc, int argc, char **argv,
		  const struct cli_flag *f, size_t n, const struct cli_usage *u);

/* Whether a string flag was given a value: set and not empty. */
static inline bool create_given(const char *s)
{
	return s && *s;
}

/* Nodes in a: a string, a Go duration ("1m0s"), a {name: name} reference. */
struct doc_node *create_str(struct arena *a, const char *s);
struct doc_node *create_duration(struct arena *a, int64_t ms);
struct doc_node *create_name_ref(struct arena *a, const char *name);

/* Sets key of map to the lines of l joined by "\n" (flux's strings.Join(ignorePaths, "\n")),
 * when l is not empty. */
void create_set_lines(struct arena *a, struct doc_node *map, const char *key, const struct cli_strings *l);

/* Sets spec.dependsOn from --depends-on values '<name>' or '<namespace>/<name>', when any. */
void create_set_depends_on(struct arena *a, struct doc_node *spec, const struct cli_strings *l);

/* Sets key of map to a kubeconfig reference {secretRef: {name: secret}}, when secret is given. */
void create_set_kubeconfig(struct arena *a, struct doc_node *map, const char *key, const char *secret);

/* apiVersion, kind and metadata (name, namespace, labels from --label as flux's parseLabels). */
int create_new_object(struct doc_node **out, struct arena *a, const struct create_common *cc,
		      const char *api_version, const char *kind, const char *name);

/* Prints obj as flux's printExport: "---", then YAML with keys sorted. */
void create_print_export(struct doc_node *obj);

/* flux's upsert<Kind>: CREATE when missing ("✔ <what> created"), else UPDATE of the
 * existing object's labels and spec ("✔ <what> updated"). */
int create_upsert(struct kube_client *c, struct arena *a, const struct kube_resource *r,
		  struct doc_node *obj, const char *what);

/* spec.verify of an OCI source or chart: {matchOIDCIdentity: [{issuer, subject}] when either
 * is given, provider, secretRef when given}. */
void create_set_verify(struct arena *a, struct doc_node *spec, const char *provider,
		       const char *secret_ref, const char *issuer, const char *subject);

/* What flux prints while it applies and waits for a source (each kind words it its own way). */
struct source_msgs {
	const char *kind, *api_version;
	const char *applying;  /* "applying GitRepository source" */
	const char *upserted;  /* "GitRepository source" -> "✔ GitRepository source created" */
	const char *waiting;   /* "waiting for GitRepository source reconciliation" */
	const char *completed; /* "GitRepository source reconciliation completed" */
	const char *no_artifact; /* the error when Ready comes without an artifact, NULL = none needed */
	const char *generating;  /* "generating GitRepository source", NULL = not said */
};

/* A step of `create source` between connecting and applying: the credentials Secret beside
 * the source (which then names it in obj). 0 or an error code with the message set. */
typedef int (*create_source_step_fn)(void *ud, struct kube_client *c, struct arena *a, struct doc_node *obj);

/* The tail of every `create source`: with --export, prints obj; else connects, prints
 * "✚ <generating>", runs before (NULL: nothing) with the client, upserts obj, waits for
 * Ready until --timeout and prints the fetched revision. Frees a; returns the exit code. */
int create_source_finish(struct create_common *cc, struct arena *a, struct doc_node *obj,
			 const struct source_msgs *m, create_source_step_fn before, void *ud);

/* The tail of create kustomization, helmrelease, alert-provider, alert and receiver: with
 * --export, prints obj; else upserts obj and waits for it as flux's create verbs do, then prints "✔ <Kind> NAME is ready" and,
 * when report is set, "✔ <report> <the string at report_path of the object as last read>"
 * ("✔ applied revision main@sha1:..."). A static object (Provider and Alert v1beta3, which
 * have no status: flux's isStaticObjectReadyConditionFunc) only needs to exist. Frees a;
 * returns the exit code. */
int create_apply_and_wait(struct create_common *cc, struct arena *a, struct doc_node *obj, bool is_static,
			  const char *report, const char *report_path);

/* flux's upsertAndWait of the image kinds: --export prints obj; else "✚ generating <Kind>",
 * upsert, wait for Ready, "✔ <Kind> reconciliation completed". Frees a; returns the exit
 * code. */
int create_upsert_and_wait(struct create_common *cc, struct arena *a, struct doc_node *obj);

/* A v1 Secret ns/name with an empty stringData map (*data), labels left out. */
struct doc_node *create_new_secret(struct arena *a, const char *ns, const char *name, struct doc_node **data);

/* Server-side applies Secret ns/name with stringData username and password (flux's
 * "applying secret with repository credentials"). */
int create_apply_basic_auth(struct kube_client *c, struct arena *a, const char *ns, const char *name,
			    const char *user, const char *password);

/* Server-side applies sec (a Secret) as flux's upsertSecret, with field manager flux-client. */
int create_apply_secret(struct kube_client *c, struct arena *a, struct doc_node *sec);

/* A file's content (at most 1 MiB) into the arena; the error names what it is, as flux's
 * messages do: "<what>: open <path>: no such file or directory". */
int create_read_file(const char **out, struct arena *a, const char *path, const char *what);

/* The scheme of url ("https" of "https://host/x") into out[0..len), "" when it names none. */
void create_url_scheme(char *out, size_t len, const char *url);

/* flux's SSH key flags of `create secret git` and `create source git`, plus tide's
 * --known-hosts-file; password is the caller's --password (the key's passphrase). */
struct create_ssh {
	const char *key_file, *known_hosts_file, *algo, *curve, *password;
	long rsa_bits;
};

/* Sets o to flux's defaults (ecdsa, p384, 2048 bits) and fills f with --private-key-file,
 * --known-hosts-file, --ssh-key-algorithm, --ssh-rsa-bits, --ssh-ecdsa-curve; returns the
 * count (5). (create_ssh.c) */
size_t create_ssh_flags(struct cli_flag *f, struct create_ssh *o);

/* flux's checks of the key flags' values; ERR_INVALID with flux's message. */
int create_ssh_check(const struct create_ssh *o);

/* flux's sourcesecret.GenerateGit for an ssh:// url, into the Secret's stringData map:
 * `identity` (read from --private-key-file or generated), `identity.pub`, `known_hosts`
 * (read from --known-hosts-file, else the host key scanned from the URL's host, port 22 by
 * default, within 30 s) and `password` when set. */
int create_ssh_secret_data(struct arena *a, struct doc_node *data, const struct create_ssh *o, const char *url);

#endif
