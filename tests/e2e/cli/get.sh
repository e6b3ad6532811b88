#!/usr/bin/env bash
# `tide get` across Flux's kinds: get all / sources all / images all (kind/name rows, a table
# per kind that has objects), alerts, alert-providers, receivers, image kinds' columns,
# --status-selector (= and !=), --no-header, and the errors.
source "$(dirname "$0")/../lib.sh"
ns=e2e-get-$$
"$TIDE" install >/dev/null 2>&1
"$KUBECTL" create namespace "$ns" >/dev/null
"$KUBECTL" -n "$ns" apply -f - >/dev/null <<'YAML'
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: app}
spec: {url: https://example.com/app, interval: 1h, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: app}
spec: {interval: 1h, path: ./, prune: true, sourceRef: {kind: GitRepository, name: app}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: other}
spec: {interval: 1h, path: ./, prune: true, sourceRef: {kind: GitRepository, name: app}}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: {name: slack}
spec: {type: slack, channel: general}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: {name: on-call}
spec: {providerRef: {name: slack}, eventSources: [{kind: Kustomization, name: '*'}]}
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: {name: podinfo}
spec: {imageRepositoryRef: {name: podinfo}, policy: {semver: {range: 6.x}}}
YAML
"$KUBECTL" -n "$ns" patch kustomization app --subresource=status --type merge -p \
  '{"status":{"observedGeneration":1,"lastAppliedRevision":"main@sha1:0123456789abcdef0123456789abcdef01234567","conditions":[{"type":"Ready","status":"True","reason":"ReconciliationSucceeded","message":"Applied revision: main@sha1:0123456789abcdef0123456789abcdef01234567","lastTransitionTime":"2026-11-25T08:00:00Z"}]}}' >/dev/null
"$KUBECTL" -n "$ns" patch imagepolicy podinfo --subresource=status --type merge -p \
  '{"status":{"latestRef":{"name":"ghcr.io/stefanprodan/podinfo","tag":"6.5.0"},"conditions":[{"type":"Ready","status":"True","reason":"Succeeded","message":"Latest image tag for ghcr.io/stefanprodan/podinfo resolved to 6.5.0","lastTransitionTime":"2026-11-25T08:00:00Z"}]}}' >/dev/null

out=$("$TIDE" get all -n "$ns")
check_contains "get all: sources as kind/name" "gitrepository/app" "$out"
check_contains "get all: kustomizations as kind/name" "kustomization/app" "$out"
check_contains "get all: image policies" "imagepolicy/podinfo" "$out"
check_contains "get all: providers, always Ready as flux prints them" "provider/slack	True 	Provider is Ready" "$out"
check_contains "get all: alerts" "alert/on-call" "$out"
check_output "get all: one table per kind with objects (5 headers)" "5" "$(grep -c '^NAME' <<<"$out")"
check_contains "get sources all" "gitrepository/app" "$("$TIDE" get sources all -n "$ns")"
check_contains "get images all" "imagepolicy/podinfo" "$("$TIDE" get images all -n "$ns")"
check_contains "get images policy: Image and Tag columns" "podinfo	ghcr.io/stefanprodan/podinfo	6.5.0	True" \
  "$("$TIDE" get images policy -n "$ns" | tr -s ' ')"
check_contains "get alert-providers header" "NAME" "$("$TIDE" get alert-providers -n "$ns")"
check_contains "get alerts: SUSPENDED column" "SUSPENDED" "$("$TIDE" get alerts -n "$ns")"
check_output "--status-selector ready=true" "1" "$("$TIDE" get ks -n "$ns" --status-selector ready=true --no-header | wc -l | tr -d ' ')"
check_contains "... names the ready one" "app" "$("$TIDE" get ks -n "$ns" --status-selector ready=true --no-header)"
check_output "--status-selector ready!=true" "other" "$("$TIDE" get ks -n "$ns" --status-selector 'ready!=true' --no-header | cut -f1 | tr -d ' ')"
check_contains "a bad status selector" "expected status selector in type=status or type!=status format" \
  "$("$TIDE" get ks -n "$ns" --status-selector ready 2>&1)"
check_contains "get receivers with none: flux's message" "no Receiver objects found in \"$ns\" namespace" \
  "$("$TIDE" get receivers -n "$ns" 2>&1)"
check_fails "get receivers with none: exit 1" "$TIDE" get receivers -n "$ns"
check "get all with an empty namespace: nothing, exit 0" "$TIDE" get all -n default
check_contains "get images without a kind" "a kind is required" "$("$TIDE" get images 2>&1)"
"$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1
finish
