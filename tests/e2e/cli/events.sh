#!/usr/bin/env bash
# tide events against a real cluster: only Events about Flux kinds, oldest first, flux's
# columns, "(xN over AGE)" for repeated events, --for, --types, -A's NAMESPACE column, the
# "No events found" line, and bad --for/--types values.
source "$(dirname "$0")/../lib.sh"
ns=e2e-cli-events
"$KUBECTL" delete namespace "$ns" --ignore-not-found >/dev/null 2>&1
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
check_output "events --for: one object" 1 "$(printf '%s\n' "$out" | tail -n +2 | wc -l)"
check_contains "events --for: its event" "ReconciliationSucceeded" "$out"
out=$("$TIDE" events -n "$ns" --for gitrepository 2>&1)
check_contains "events --for a kind (case-insensitive)" "GitOperationFailed" "$out"
out=$("$TIDE" events -n "$ns" --types warning 2>&1)
check_output "events --types filters" 1 "$(printf '%s\n' "$out" | tail -n +2 | wc -l)"
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
"$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1
finish
