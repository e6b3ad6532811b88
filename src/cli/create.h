/*
 * What the `tide create ...` subcommands share (cmd_create.c holds these and the source,
 * kustomization, helmrelease and notification kinds; cmd_create_*.c the others): flux's
 * common create flags, building the object, printing it for --export, and upserting it.
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

/* What every `create` subcommand shares (flux's createArgs and root flags). */
struct create_common {
	struct cli_globals g;
	int64_t interval_ms;
	bool export;
	struct cli_strings labels;
};

/* Fills f with the global flags and --interval (1m), --export, --label; returns the count. */
size_t create_common_flags(struct cli_flag *f, struct create_common *cc);

/* Nodes in a: a string, a Go duration ("1m0s"), a {name: name} reference. */
struct doc_node *create_str(struct arena *a, const char *s);
struct doc_node *create_duration(struct arena *a, int64_t ms);
struct doc_node *create_name_ref(struct arena *a, const char *name);

/* apiVersion, kind and metadata (name, namespace, labels from --label as flux's parseLabels). */
int create_new_object(struct doc_node **out, struct arena *a, const struct create_common *cc,
		      const char *api_version, const char *kind, const char *name);

/* Prints obj as flux's printExport: "---", then YAML with keys sorted. */
void create_print_export(struct doc_node *obj);

/* flux's upsert<Kind>: CREATE when missing ("✔ <what> created"), else UPDATE of the
 * existing object's labels and spec ("✔ <what> updated"). */
int create_upsert(struct kube_client *c, struct arena *a, const struct kube_resource *r,
		  struct doc_node *obj, const char *what);

/* kube_mapper_find, with a message naming `tide install` when the CRD is missing. */
int create_find_resource(const struct kube_resource **r, struct kube_client *c, struct arena *a,
			 const char *api_version, const char *kind);

/* What flux prints while it applies and waits for a source (each kind words it its own way). */
struct source_msgs {
	const char *kind, *api_version;
	const char *applying;  /* "applying GitRepository source" */
	const char *upserted;  /* "GitRepository source" -> "✔ GitRepository source created" */
	const char *waiting;   /* "waiting for GitRepository source reconciliation" */
	const char *completed; /* "GitRepository source reconciliation completed" */
	const char *no_artifact; /* the error when Ready comes without an artifact, NULL = none needed */
};

/* Upserts obj, waits for Ready until deadline and prints the fetched revision: the tail of
 * every `create source`. Returns 0 or an error code with the message set. */
int create_source_apply_and_wait(struct kube_client *c, struct arena *a, const struct create_common *cc,
				 struct doc_node *obj, const struct source_msgs *m, int64_t deadline);

/* Server-side applies Secret ns/name with stringData username and password (flux's
 * "applying secret with repository credentials"). */
int create_apply_basic_auth(struct kube_client *c, struct arena *a, const char *ns, const char *name,
			    const char *user, const char *password);

/* Server-side applies sec (a Secret) as flux's upsertSecret, with field manager flux-client. */
int create_apply_secret(struct kube_client *c, struct arena *a, struct doc_node *sec);

/* A file's content (at most 1 MiB) into the arena; the error names what it is, as flux's
 * messages do: "<what>: open <path>: no such file or directory". */
int create_read_file(const char **out, struct arena *a, const char *path, const char *what);

/* flux's SSH key flags of `create secret git` and `create source git`, plus tide's
 * --known-hosts-file; password is the caller's --password (the key's passphrase). */
struct create_ssh {
	const char *key_file, *known_hosts_file, *algo, *curve, *password;
	long rsa_bits;
};

/* Sets o to flux's defaults (ecdsa, p384, 2048 bits) and fills f with --private-key-file,
 * --known-hosts-file, --ssh-key-algorithm, --ssh-rsa-bits, --ssh-ecdsa-curve; returns the
 * count (5). */
size_t create_ssh_flags(struct cli_flag *f, struct create_ssh *o);

/* flux's checks of the key flags' values; ERR_INVALID with flux's message. */
int create_ssh_check(const struct create_ssh *o);

/* flux's sourcesecret.GenerateGit for an ssh:// url, into the Secret's stringData map:
 * `identity` (read from --private-key-file or generated), `identity.pub`, `known_hosts`
 * (read from --known-hosts-file, else the host key scanned from the URL's host, port 22 by
 * default, within 30 s) and `password` when set. */
int create_ssh_secret_data(struct arena *a, struct doc_node *data, const struct create_ssh *o, const char *url);

/* The subcommands in their own files. */
int create_bucket(int argc, char **argv);
int create_image(int argc, char **argv);
int create_secret(int argc, char **argv);

#endif
