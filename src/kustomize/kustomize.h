/*
 * The kustomize engine: builds a kustomization directory into a stream of Kubernetes
 * objects, printing what `kustomize build` (v5.6) prints. Pure transformation: files are
 * read through a loader confined to the kustomization roots (load restrictor), nothing is
 * fetched over the network and nothing is executed (no exec/container plugins, no helm).
 *
 *   struct kust_options o = KUST_OPTIONS_INIT;
 *   struct buf out = BUF_INIT;
 *   if (kust_build_yaml("overlays/prod", &o, &out)) fprintf(stderr, "%s\n", err_msg());
 *
 * Thread safety: a build uses only its own arena; builds may run in parallel threads.
 */
#ifndef TIDE_KUSTOMIZE_KUSTOMIZE_H
#define TIDE_KUSTOMIZE_KUSTOMIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct arena;
struct buf;
struct doc_node;

enum kust_reorder {
	KUST_REORDER_UNSPECIFIED, /* legacy sort unless the kustomization has sortOptions */
	KUST_REORDER_LEGACY,      /* kind-based sort (the CLI default) */
	KUST_REORDER_NONE,        /* depth-first input order */
};

struct kust_options {
	bool load_restrictor_none; /* --load-restrictor=LoadRestrictionsNone */
	enum kust_reorder reorder;
	/* If set, no file or directory outside this one is ever read, whatever the load
	 * restrictor says (ERR_ESCAPE); symlinks are resolved first. This is what a controller
	 * building an artifact wants: Flux's kustomize-controller confines builds to the
	 * source's root the same way. */
	const char *confine_root;
	/* The build's memory budget: bytes of document tree (and what else the build
	 * allocates in its arena) beyond what the arena held when the build began. A build
	 * that passes it fails with ERR_TOOBIG ("... --max-build-memory") instead of growing
	 * without bound: a JSON patch that copies a value onto itself 40 times, replacements
	 * copying large values, many patches. Checked after each step that grows a tree (a
	 * patch operation, a patch target, a replacement target, a resource), so the peak
	 * stays within about twice the budget. 0 = KUST_MAX_MEMORY_DEFAULT. */
	size_t max_memory;
};

/* 256 MiB: some hundred times what a large real build (thousands of objects) uses. */
#define KUST_MAX_MEMORY_DEFAULT ((size_t)256 << 20)

#define KUST_OPTIONS_INIT { false, KUST_REORDER_UNSPECIFIED, NULL, 0 }

/* Builds the kustomization in dir. The resulting objects (in output order) are allocated
 * in a and returned through *out / *len. Errors: ERR_NOTFOUND (missing kustomization or
 * file), ERR_INVALID (malformed YAML, unknown field, conflicting ids...), ERR_ESCAPE (a
 * file outside the root under the default load restrictor); one-line message in err_msg(). */
int kust_build(struct arena *a, const char *dir, const struct kust_options *opt,
	       struct doc_node ***out, size_t *len);

/* kust_build, then the objects as one YAML stream appended to out, as kustomize prints. */
int kust_build_yaml(const char *dir, const struct kust_options *opt, struct buf *out);

/* kust_build, then the objects written to f one by one as kust_build_yaml would append
 * them, so the output is never held whole in memory. Nothing is written if the build
 * fails; ERR_IO if writing (or the final fflush) fails. */
int kust_build_write(const char *dir, const struct kust_options *opt, FILE *f);

/* Parses "LoadRestrictionsRootOnly"/"LoadRestrictionsNone" and "legacy"/"none".
 * ERR_INVALID with a message otherwise. */
int kust_parse_load_restrictor(const char *s, bool *none);
int kust_parse_reorder(const char *s, enum kust_reorder *out);

#endif
