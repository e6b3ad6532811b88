#!/usr/bin/env bash
# tide events against a real cluster: only Events about Flux kinds, oldest first, flux's
# columns, "(xN over AGE)" for repeated events, --for, --types, -A's NAMESPACE column, the
# "No events found" line, and bad --for/--types values.
source "$(dirname "$0")/../lib.sh"
ns=e2e-cli-events
"$KUBECTL" delete namespace "$ns" e2e-cli-events-src --ignore-not-found >/dev/null 2>&1
"$KUBECTL" create namespace "$ns" >/dev/null 2>&1
ev() { # name kind object type reason message first last count
cat <<YAML
apiVersion: v1
kind: Event
metadata: {name: $1, namespace: $ns}
involvedObject: {kind: $2, name: $3, namespace: $ns}
type: $4
reason: $5
message: "$6"
firstTimestamp: "$7"
lastTimestamp: "$8"
count: $9
source: {component: test}
---
YAML
}
{ ev e1 Kustomization podinfo Normal ReconciliationSucceeded "Reconciliation finished" 2026-01-01T00:00:00Z 2026-01-01T00:00:00Z 1
  ev e2 GitRepository podinfo Warning GitOperationFailed "failed to checkout" 2026-01-01T00:00:00Z 2026-01-02T00:00:00Z 3
  ev e3 Pod p Normal Started "not flux" 2026-01-01T00:00:00Z 2026-01-03T00:00:00Z 1
} | "$KUBECTL" create -f - >/dev/null

out=$("$TIDE" events -n "$ns" 2>&1); rc=$?
check_output "events: flux's header" "LAST SEEN TYPE REASON OBJECT MESSAGE" "$(printf '%s\n' "$out" | head -1 | tr -s ' \t' ' ' | sed 's/ $//')"
check_output "events: flux kinds only, oldest first" "Kustomization/podinfo
GitRepository/podinfo" "$(printf '%s\n' "$out" | tail -n +2 | grep -o '[A-Za-z]*/podinfo\|Pod/p')"
check_contains "events: a repeated event shows its count" "(x3 over " "$out"
check_output "events exits 0" 0 "$rc"
out=$("$TIDE" events -n "$ns" --for Kustomization/podinfo 2>&1)
check_output "events --for a missing object: flux's error" "✗ kustomizations.kustomize.toolkit.fluxcd.io \"podinfo\" not found" "$out"
"$KUBECTL" create -n "$ns" -f - >/dev/null <<'YAML'
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: podinfo}
spec: {interval: 5m, path: ./, prune: true, sourceRef: {kind: GitRepository, name: podinfo}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: elsewhere}
spec: {interval: 5m, path: ./, prune: true, sourceRef: {kind: GitRepository, name: shared, namespace: e2e-cli-events-src}}
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: {name: on-call}
spec: {providerRef: {name: slack}, eventSources: [{kind: Kustomization, name: '*'}]}
YAML
out=$("$TIDE" events -n "$ns" --for Kustomization/podinfo 2>&1)
check_output "events --for: the object's and its source's events, as flux" "Kustomization/podinfo
GitRepository/podinfo" "$(printf '%s\n' "$out" | tail -n +2 | grep -o '[A-Za-z]*/podinfo')"
check_contains "events --for: its event" "ReconciliationSucceeded" "$out"
check_contains "events --for: its source's event" "failed to checkout" "$out"
"$KUBECTL" create namespace e2e-cli-events-src >/dev/null 2>&1
ev e5 GitRepository shared Warning GitOperationFailed "shared source failed" 2026-01-01T00:00:00Z 2026-01-01T00:00:00Z 1 |
	sed "s/namespace: $ns/namespace: e2e-cli-events-src/g" | "$KUBECTL" create -f - >/dev/null
out=$("$TIDE" events -n "$ns" --for Kustomization/elsewhere 2>&1)
check_contains "events --for: a source in another namespace adds NAMESPACE" "NAMESPACE" "$(printf '%s\n' "$out" | head -1)"
check_contains "... and lists its events" "e2e-cli-events-src" "$out"
ev e6 Provider slack Warning Failed "provider down" 2026-01-01T00:00:00Z 2026-01-01T00:00:00Z 1 | "$KUBECTL" create -f - >/dev/null
check_contains "events --for Alert: its Provider's events" "Provider/slack" "$("$TIDE" events -n "$ns" --for Alert/on-call 2>&1)"
out=$E2E_TMP/events.out
"$TIDE" events -n "$ns" --for Kustomization/elsewhere -w --timeout 6s >"$out" 2>&1 &
pid=$!
sleep 2
ev e7 GitRepository shared Normal Succeeded "shared source fixed" 2026-01-01T00:00:00Z 2026-01-01T00:00:00Z 1 |
	sed "s/namespace: $ns/namespace: e2e-cli-events-src/g" | "$KUBECTL" create -f - >/dev/null
wait "$pid"
check_contains "events -w --for: the source's new event in its namespace" "shared source fixed" "$(cat "$out")"
check_output "events -w --for: not the other objects' events" "" "$(grep 'provider down\|failed to checkout' "$out")"
rm -f "$out"
out=$("$TIDE" events -n "$ns" --for gitrepository 2>&1)
check_contains "events --for a kind (case-insensitive)" "GitOperationFailed" "$out"
out=$("$TIDE" events -n "$ns" --types warning 2>&1)
check_output "events --types filters (the GitRepository and Provider warnings)" 2 "$(printf '%s\n' "$out" | tail -n +2 | wc -l)"
out=$("$TIDE" events -A 2>&1)
check_contains "events -A adds NAMESPACE" "NAMESPACE" "$(printf '%s\n' "$out" | head -1)"
check_contains "events -A lists this namespace" "$ns" "$out"
out=$("$TIDE" events -n "$ns-none" 2>&1); rc=$?
check_output "no events: flux's line" "✗ No events found in $ns-none namespace." "$out"
check_output "no events: exit 0 as flux" 0 "$rc"
out=$("$TIDE" events --for Widget/x 2>&1); rc=$?
check_output "an unknown --for kind" "✗ 'Widget' is not a recognized Flux kind" "$out"
check_output "an unknown --for kind exits 1" 1 "$rc"
out=$("$TIDE" events --types Fatal 2>&1); rc=$?
check_output "a bad --types" "✗ type 'Fatal' not supported. Supported types are: Normal, Warning" "$out"
check_output "a bad --types exits 1" 1 "$rc"
out=$(KUBECONFIG=/nonexistent "$TIDE" events 2>&1); rc=$?
check_output "no cluster exits 1" 1 "$rc"
"$KUBECTL" delete namespace e2e-cli-events-src --wait=false >/dev/null 2>&1
"$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1
finish
