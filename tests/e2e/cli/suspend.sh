#!/usr/bin/env bash
# suspend, resume and export against a real cluster: flux's lines, spec.suspend and the
# requestedAt annotation as kubectl sees them, --all, a missing object, resume's wait ending at
# --timeout (the source it names never exists, so nothing makes it Ready), --wait=false, and
# export's clean YAML (CRD defaults such as force: false show, where flux's Go structs
# would omit the empty ones).
source "$(dirname "$0")/../lib.sh"
ns=e2e-cli-suspend

check "tide install" "$TIDE" install
"$KUBECTL" delete namespace "$ns" --ignore-not-found >/dev/null 2>&1 # a previous run's, still terminating
"$KUBECTL" create namespace "$ns" >/dev/null 2>&1
for n in alpha beta; do
cat <<YAML
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: $n
  labels:
    team: blue
spec:
  interval: 5m
  path: ./$n
  prune: true
  sourceRef:
    kind: GitRepository
    name: missing-source
---
YAML
done | "$KUBECTL" create -n "$ns" -f - >/dev/null
suspended() { "$KUBECTL" get kustomization "$1" -n "$ns" -o jsonpath='{.spec.suspend}'; }

out=$("$TIDE" suspend kustomization alpha -n "$ns" 2>&1); rc=$?
check_output "suspend prints flux's lines" "► suspending kustomization alpha in $ns namespace
✔ kustomization suspended" "$out"
check_output "suspend exits 0" 0 "$rc"
check_output "suspend sets spec.suspend=true" true "$(suspended alpha)"
check_output "beta left alone" "" "$(suspended beta)"

out=$("$TIDE" suspend ks --all -n "$ns" 2>&1)
check_output "suspend --all acts on every Kustomization" "► suspending kustomization alpha in $ns namespace
✔ kustomization suspended
► suspending kustomization beta in $ns namespace
✔ kustomization suspended" "$out"
check_output "beta suspended by --all" true "$(suspended beta)"

out=$("$TIDE" suspend kustomization nope -n "$ns" 2>&1); rc=$?
check_output "suspend of a missing object is one clear line" "✗ Kustomization object 'nope' not found in $ns namespace" "$out"
check_output "suspend of a missing object exits 1" 1 "$rc"
out=$("$TIDE" resume kustomization nope -n "$ns" 2>&1); rc=$?
check_output "resume of a missing object is one clear line" "✗ Kustomization object 'nope' not found in $ns namespace" "$out"
check_output "resume of a missing object exits 1" 1 "$rc"
check_contains "a name is required" "✗ kustomization name is required" "$("$TIDE" suspend kustomization -n "$ns" 2>&1)"
check_contains "source kinds are named as flux names them" "✗ source git name is required" "$("$TIDE" resume source git 2>&1)"
check_fails "unknown kind fails" "$TIDE" suspend widgets x

out=$("$TIDE" resume kustomization alpha -n "$ns" --wait=false 2>&1); rc=$?
check_output "resume --wait=false prints flux's lines and does not wait" "► resuming kustomization alpha in $ns namespace
✔ kustomization resumed" "$out"
check_output "resume --wait=false exits 0" 0 "$rc"
check_output "resume sets spec.suspend=false" false "$(suspended alpha)"
check_contains "resume stamps requestedAt" "T" "$("$KUBECTL" get kustomization alpha -n "$ns" -o jsonpath='{.metadata.annotations.reconcile\.fluxcd\.io/requestedAt}')"

start=$SECONDS
out=$("$TIDE" resume kustomization beta -n "$ns" --timeout=3s 2>&1); rc=$?
check_output "resume waits for Ready until --timeout, in flux's words" "► resuming kustomization beta in $ns namespace
✔ kustomization resumed
◎ waiting for Kustomization reconciliation
✗ Kustomization beta reconciliation failed: context deadline exceeded
✗ reconciliation failed for 1 Kustomization(s)" "$out"
check_output "a timed-out resume exits 1" 1 "$rc"
check "the wait ended near --timeout" test $((SECONDS - start)) -lt 15
check_output "beta resumed even though the wait failed" false "$(suspended beta)"

# Ready for the current generation ends the wait at once.
# (resume's patch changes the spec, so it will be observed as generation + 1).
"$KUBECTL" patch kustomization alpha -n "$ns" --type=merge -p '{"spec":{"suspend":true}}' >/dev/null
gen=$("$KUBECTL" get kustomization alpha -n "$ns" -o jsonpath='{.metadata.generation}')
"$KUBECTL" patch kustomization alpha -n "$ns" --subresource=status --type=merge -p \
  "{\"status\":{\"observedGeneration\":$((gen + 1)),\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"ReconciliationSucceeded\",\"message\":\"Applied revision: main@sha1:abc\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}}" >/dev/null
out=$("$TIDE" resume kustomization alpha -n "$ns" --timeout=20s 2>&1); rc=$?
check_output "resume of a Ready object completes" "► resuming kustomization alpha in $ns namespace
✔ kustomization resumed
◎ waiting for Kustomization reconciliation
✔ Kustomization alpha reconciliation completed
✔ Applied revision: main@sha1:abc" "$out"
check_output "a completed resume exits 0" 0 "$rc"

"$KUBECTL" annotate kustomization beta -n "$ns" note=kept >/dev/null
out=$("$TIDE" export kustomization beta -n "$ns" 2>&1); rc=$?
check_output "export prints clean YAML as flux does" "---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  annotations:
    note: kept
    reconcile.fluxcd.io/requestedAt: \"$("$KUBECTL" get kustomization beta -n "$ns" -o jsonpath='{.metadata.annotations.reconcile\.fluxcd\.io/requestedAt}')\"
  labels:
    team: blue
  name: beta
  namespace: $ns
spec:
  force: false
  interval: 5m
  path: ./beta
  prune: true
  sourceRef:
    kind: GitRepository
    name: missing-source
  suspend: false" "$out"
check_output "export exits 0" 0 "$rc"
"$TIDE" export ks --all -n "$ns" > "$E2E_TMP/export" 2>&1
check_output "export --all prints one document each" 2 "$(grep -c '^---$' "$E2E_TMP/export")"
check_output "export --all has no status or server fields" 0 "$(grep -cE 'status:|uid:|resourceVersion|managedFields|creationTimestamp|generation' "$E2E_TMP/export")"
check "export --all output applies back" "$KUBECTL" apply --dry-run=server -f "$E2E_TMP/export"
check_contains "export of a missing object" "✗ Kustomization object 'nope' not found in $ns namespace" "$("$TIDE" export ks nope -n "$ns" 2>&1)"
check_contains "export needs a name or --all" "✗ name is required" "$("$TIDE" export ks 2>&1)"

"$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1
finish
