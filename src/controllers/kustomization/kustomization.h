/*
 * The Kustomization controller's own settings (kustomization.c), set by `tide controller`
 * from its flags before the manager runs.
 */
#ifndef TIDE_CONTROLLERS_KUSTOMIZATION_KUSTOMIZATION_H
#define TIDE_CONTROLLERS_KUSTOMIZATION_KUSTOMIZATION_H

/* Parses Flux's --feature-gates value ("Name=true,Other=false", as the kustomize-controller
 * takes it) and applies the gates tide implements: StrictPostBuildSubstitutions (a
 * postBuild variable that is not defined and has no default fails the build). The other
 * gates of the kustomize-controller are accepted and have no effect (tide behaves as with
 * their defaults); an unknown name or a value other than true/false is ERR_INVALID, as Flux
 * refuses it. Call before the manager runs (not thread-safe). */
int kustomization_feature_gates(const char *spec);

#endif
