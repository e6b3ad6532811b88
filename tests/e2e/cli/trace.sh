#!/usr/bin/env bash
# `tide trace`: from an object to the Kustomization that applied it (owner labels) and its
# GitRepository, in flux's format; the three ways to name objects; objects not managed by
# Flux; a missing object.
source "$(dirname "$0")/../lib.sh"
ns=e2e-trace-$$
"$TIDE" install >/dev/null 2>&1
"$KUBECTL" create namespace "$ns" >/dev/null
"$KUBECTL" -n flux-system apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: trace-$ns}
spec: {url: https://example.com/app, interval: 1h, ref: {branch: main}, suspend: true}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: trace-$ns}
spec: {interval: 1h, path: ./deploy, prune: true, suspend: true, targetNamespace: $ns, sourceRef: {kind: GitRepository, name: trace-$ns}}
YAML
"$KUBECTL" -n flux-system patch gitrepository "trace-$ns" --subresource=status --type merge -p \
  '{"status":{"artifact":{"revision":"main@sha1:abc","digest":"sha256:0","path":"p","url":"http://x/p","lastUpdateTime":"2026-11-25T08:00:00Z","size":1},"conditions":[{"type":"Ready","status":"True","reason":"Succeeded","message":"stored artifact for revision '"'"'main@sha1:abc'"'"'","lastTransitionTime":"2026-11-25T08:00:00Z"}]}}' >/dev/null
"$KUBECTL" -n flux-system patch kustomization "trace-$ns" --subresource=status --type merge -p \
  '{"status":{"lastAppliedRevision":"main@sha1:abc","conditions":[{"type":"Ready","status":"True","reason":"ReconciliationSucceeded","message":"Applied revision: main@sha1:abc","lastTransitionTime":"2026-11-25T08:01:00Z"}]}}' >/dev/null
"$KUBECTL" -n "$ns" create configmap managed >/dev/null
"$KUBECTL" -n "$ns" label configmap managed kustomize.toolkit.fluxcd.io/name="trace-$ns" kustomize.toolkit.fluxcd.io/namespace=flux-system >/dev/null
"$KUBECTL" -n "$ns" create configmap unmanaged >/dev/null

expected="
Object:          ConfigMap/managed
Namespace:       $ns
Status:          Managed by Flux
---
Kustomization:   trace-$ns
Namespace:       flux-system
Target:          $ns
Path:            ./deploy
Revision:        main@sha1:abc
Status:          Last reconciled at 2026-11-25T08:01:00Z
Message:         Applied revision: main@sha1:abc
---
GitRepository:   trace-$ns
Namespace:       flux-system
URL:             https://example.com/app
Branch:          main
Revision:        main@sha1:abc
Status:          Last reconciled at 2026-11-25T08:00:00Z
Message:         stored artifact for revision 'main@sha1:abc'"
check_output "trace <resource> <name>: flux's report" "$expected" "$("$TIDE" trace -n "$ns" configmap managed)"
check_output "trace <resource>/<name>" "$expected" "$("$TIDE" trace -n "$ns" cm/managed)"
check_output "trace <name> --kind --api-version" "$expected" "$("$TIDE" trace -n "$ns" managed --kind ConfigMap --api-version v1)"
check_contains "an object not managed by Flux" "object not managed by Flux" "$("$TIDE" trace -n "$ns" cm/unmanaged 2>&1)"
check_fails "... exits 1" "$TIDE" trace -n "$ns" cm/unmanaged
check_contains "a missing object" "failed to trace cm/nope in namespace $ns" "$("$TIDE" trace -n "$ns" cm/nope 2>&1)"
check_contains "an unknown resource type" "the server doesn't have a resource type" "$("$TIDE" trace -n "$ns" frobs/x 2>&1)"
check_contains "a name is required" "you must specify the name" "$("$TIDE" trace -n "$ns" configmap 2>&1)"
"$KUBECTL" -n flux-system delete kustomization "trace-$ns" >/dev/null 2>&1
"$KUBECTL" -n flux-system delete gitrepository "trace-$ns" >/dev/null 2>&1
"$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1
finish
