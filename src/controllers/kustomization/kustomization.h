/*
 * The Kustomization controller (kustomize.toolkit.fluxcd.io/v1) as the kinds table sees
 * it: the runtime controller and its options (flags and feature gates; see
 * controllers/common/options.h). Its parts are described in ks.h.
 */
#ifndef TIDE_CONTROLLERS_KUSTOMIZATION_KUSTOMIZATION_H
#define TIDE_CONTROLLERS_KUSTOMIZATION_KUSTOMIZATION_H

struct ctl_options;
struct rt_controller;

extern const struct rt_controller kustomization_controller;

/* --events-addr, --no-cross-namespace-refs, --default-service-account, --no-remote-bases;
 * the kustomize-controller's feature gates, of which StrictPostBuildSubstitutions (on by
 * default, as in Flux since v1.9) makes a postBuild variable that is not defined and has
 * no default fail the build, and ExternalArtifact (on by default in tide, off in Flux unless
 * source-watcher is installed) lets spec.sourceRef name an ExternalArtifact; the others are
 * accepted and change nothing. */
extern const struct ctl_options kustomization_options;

#endif
