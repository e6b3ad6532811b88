/*
 * What `tide build kustomization` and `tide diff kustomization` share (build.c): the local
 * directory built as the kustomize-controller would build it for a Kustomization read from
 * the cluster (or from --kustomization-file), with the owner labels the controller stamps.
 */
#ifndef TIDE_CLI_BUILD_H
#define TIDE_CLI_BUILD_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct cli_globals;
struct doc_node;
struct kube_client;

/* The flags both verbs take. */
struct cli_build_opts {
	const char *verb;   /* "build" or "diff", in messages */
	const char *path;   /* --path */
	const char *kfile;  /* --kustomization-file, NULL when not given */
	bool dry_run;       /* build's --dry-run: no cluster contacted */
	long max_mib;       /* --max-build-memory, MiB; 0 = the default */
};

/* A build and what it came from; the caller owns c and a (cli_build_release). */
struct cli_build {
	struct arena *a;
	struct kube_client *c;   /* NULL in dry-run mode */
	const char *name, *ns;   /* the Kustomization's */
	struct doc_node *ks;     /* the Kustomization */
	struct doc_node **objs;  /* the objects built, in the arena */
	size_t n;
};

/* Checks the arguments (`kustomization NAME` in args[0..nargs)) and o, reads the
 * Kustomization, and builds o->path for it. Nothing under o->path is ever written: where
 * flux writes the generated kustomization into the directory and puts it back afterwards
 * (so an interrupt leaves it rewritten), tide builds in a copy under $TMPDIR, removed when
 * the build ends or the command dies, however it dies. A kustomization file that is a
 * symlink to a file outside o->path is refused (ERR_ESCAPE). Returns 0, or an error code
 * with flux's message naming the user's paths (the caller prints it); *b is to be released
 * either way. Forks a helper process while the build runs (the copy's remover). */
int cli_build_run(struct cli_build *b, const struct cli_globals *g, const char *const *args, size_t nargs,
		  const struct cli_build_opts *o);

void cli_build_release(struct cli_build *b);

#endif
