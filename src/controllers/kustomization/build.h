/*
 * A Kustomization's build, as the kustomize-controller makes it (build.c).
 */
#ifndef TIDE_CONTROLLERS_KUSTOMIZATION_BUILD_H
#define TIDE_CONTROLLERS_KUSTOMIZATION_BUILD_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct doc_node;

/* Reads the ConfigMap or Secret name (kind "ConfigMap" or "Secret") in the Kustomization's
 * namespace into *out; ERR_NOTFOUND when it does not exist. */
typedef int (*kustomization_get_fn)(void *ud, const char *kind, const char *name,
				    struct doc_node **out);

/* Refuses (ERR_ESCAPE) a dir that resolves outside root, and a kustomization file in dir
 * (kustomization.yaml, kustomization.yml, Kustomization) that is a symlink to a file outside
 * root: the generator reads the file it names and writes the result over it, so such a link
 * would let a build read (and a local build replace) a file outside the tree. Links inside
 * root, and dangling ones, are allowed. The builds below check this first. */
int kustomization_check_paths(const char *root, const char *dir);

/* Builds dir (inside root, the unpacked source; files outside root are never read) for the
 * Kustomization ks: writes Flux's generated kustomization and ks's spec fields into dir,
 * builds it, sets spec.commonMetadata and substitutes spec.postBuild variables. The objects
 * are in a. Errors carry Flux's messages (BuildFailed material). */
int kustomization_build(struct arena *a, const struct doc_node *ks, const char *root,
			const char *dir, kustomization_get_fn get, void *ud,
			struct doc_node ***objs, size_t *n);

/* The same; strict makes a variable that is not defined and has no default an error (Flux's
 * StrictPostBuildSubstitutions feature gate, `flux build --strict-substitute`). */
int kustomization_build_strict(struct arena *a, const struct doc_node *ks, const char *root,
			       const char *dir, kustomization_get_fn get, void *ud, bool strict,
			       struct doc_node ***objs, size_t *n);

/* The same with the build's memory budget in bytes (0 = KUST_MAX_MEMORY_DEFAULT, the
 * --max-build-memory default): past it the build fails with ERR_TOOBIG. */
int kustomization_build_budget(struct arena *a, const struct doc_node *ks, const char *root,
			       const char *dir, kustomization_get_fn get, void *ud, bool strict,
			       size_t max_memory, struct doc_node ***objs, size_t *n);

#endif
