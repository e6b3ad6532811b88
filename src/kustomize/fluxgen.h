/*
 * Flux's kustomization generator (fluxcd/pkg kustomize.Generator): prepares spec.path of a
 * Flux Kustomization for `kustomize build`.
 *
 * When the directory has no kustomization.yaml, kustomization.yml or Kustomization, one is
 * written listing, recursively and in lexical order, every *.yaml / *.yml file (each must
 * parse as YAML) and every sub-directory that holds its own kustomization file (which is
 * not descended into). Then the Flux object's spec fields are written into the directory's
 * kustomization as Flux does: targetNamespace -> namespace, namePrefix, nameSuffix,
 * patches (appended), images (replacing an entry of the same name, else appended) and
 * components (appended). spec.commonMetadata is not a kustomize field: Flux sets it on the
 * built objects (fluxgen_common_metadata).
 */
#ifndef TIDE_KUSTOMIZE_FLUXGEN_H
#define TIDE_KUSTOMIZE_FLUXGEN_H

#include <stdbool.h>

struct arena;
struct doc_node;

/* dir is the build directory (inside the unpacked artifact, which the caller owns and may
 * change); spec is the Kustomization's .spec (may be NULL). *generated tells whether a
 * kustomization file was created. Errors: ERR_INVALID (a manifest that is not YAML, named
 * as Flux does: "failed to decode Kubernetes YAML from <path>: ..."), ERR_NOTFOUND (dir
 * missing), ERR_IO. */
int fluxgen_prepare(struct arena *a, const char *dir, const struct doc_node *spec,
		    bool *generated);

/* Sets spec.commonMetadata labels and annotations on one built object, as Flux does after
 * the build (overriding values of the same keys). */
void fluxgen_common_metadata(struct arena *a, struct doc_node *obj, const struct doc_node *spec);

#endif
